import { describe, expect, it } from 'vitest';
import { guestLab } from './labs';

describe('nslookup', () => {
  it('asks the resolv.conf server and prints bind9 nslookup\'s answer (authoritative: no "Non-authoritative" line)', () => {
    const g = guestLab();
    const t = g.run('nslookup www.lab.example');
    expect(t.out).toBe('Server:\t\t10.0.2.3\nAddress:\t10.0.2.3#53\n\nName:\twww.lab.example\nAddress: 10.0.2.80\n\n');
    expect(t.code).toBe(0);
  });

  it('NXDOMAIN exits 1; a name in /etc/hosts is still asked of the server', () => {
    const g = guestLab();
    g.os.files.write('/etc/hosts', '10.0.2.99 nope.lab.example\n');
    const t = g.run('nslookup nope.lab.example');
    expect(t.out).toBe("Server:\t\t10.0.2.3\nAddress:\t10.0.2.3#53\n\n** server can't find nope.lab.example: NXDOMAIN\n\n");
    expect(t.code).toBe(1);
  });

  it('asks the server given on the command line; one nobody answers for gives up', () => {
    const g = guestLab();
    const t = g.run('nslookup www.lab.example 10.0.2.77');
    expect([t.out, t.code]).toEqual([';; connection timed out; no servers could be reached\n', 1]);
    expect(g.run('nslookup www.lab.example 10.0.2.3').out).toContain('Address: 10.0.2.80\n');
  });

  it('Ctrl-C abandons the lookup with status 130', () => {
    const g = guestLab();
    const t = g.run('nslookup www.lab.example 10.0.2.77', 1);
    t.handle.interrupt();
    expect([t.out, t.code]).toEqual(['^C\n', 130]);
  });
});

describe('curl', () => {
  it('fetches a page by name through DNS, and by a name from /etc/hosts', () => {
    const g = guestLab();
    const t = g.run('curl http://www.lab.example/');
    expect([t.out, t.err, t.code]).toEqual(['<h1>Welcome to web</h1>\n', '', 0]);
    g.os.files.write('/etc/hosts', '10.0.2.80 intranet\n');
    expect(g.run('curl -s http://intranet/').out).toBe('<h1>Welcome to web</h1>\n');
  });

  it('-o writes the page into the machine\'s files; an unknown host exits 6', () => {
    const g = guestLab();
    const t = g.run('curl -s -o page.html http://10.0.2.80/');
    expect(t.code).toBe(0);
    expect(g.os.files.read('/root/page.html')).toBe('<h1>Welcome to web</h1>\n');
    const bad = g.run('curl http://nope.lab.example/');
    expect([bad.err, bad.code]).toEqual(['curl: (6) Could not resolve host: nope.lab.example\n', 6]);
  });

  it('a connection refused is curl\'s exit 7', () => {
    const g = guestLab();
    g.web.stop();
    const t = g.run('curl http://10.0.2.80/');
    expect(t.code).toBe(7);
    expect(t.err).toMatch(/^curl: \(7\) Failed to connect to 10\.0\.2\.80 port 80/);
  });
});

describe('ss', () => {
  it('lists listening and established TCP sockets', () => {
    const g = guestLab();
    g.run('systemctl start httpd');
    const t = g.run('ss -tln');
    expect(t.out).toBe('State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\nLISTEN 0      511          0.0.0.0:80        0.0.0.0:*\n');
    expect(g.run('ss -tn').out).toBe('State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n');
  });
});

describe('network service commands', () => {
  it('delegate to the network service and pass its output and exit status through', () => {
    const g = guestLab();
    g.os.network.reply = { out: '\nDetermining IP information for eth0... done.\n', delayUs: 2_000_000 };
    const t = g.run('ifup eth0');
    expect([t.out, t.code]).toEqual(['\nDetermining IP information for eth0... done.\n', 0]);
    g.os.network.reply = {};
    g.run('ifdown eth0');
    g.run('dhclient -r eth0');
    g.run('dhclient');
    g.run('systemctl restart network');
    g.run('systemctl restart NetworkManager.service');
    expect(g.os.network.calls).toEqual([
      { op: 'ifup', dev: 'eth0' },
      { op: 'ifdown', dev: 'eth0' },
      { op: 'dhclient', dev: 'eth0', release: true },
      { op: 'dhclient', dev: null, release: false },
      { op: 'restart', dev: null },
      { op: 'restart', dev: null },
    ]);
    const usage = g.run('ifup');
    expect([usage.err, usage.code]).toEqual(['Usage: ifup <configuration>\n', 1]);
  });

  it('service network restart prints the SysV line with [  OK  ] or [FAILED]', () => {
    const g = guestLab({ kind: 'network-scripts' });
    expect(g.run('service network restart').out).toBe('Restarting network (via systemctl):  [  OK  ]\n');
    g.os.network.reply = { err: 'Job for network.service failed because the control process exited with error code. See "systemctl status network.service" and "journalctl -xe" for details.\n', code: 1 };
    const t = g.run('service network restart');
    expect(t.all).toBe('Restarting network (via systemctl):  Job for network.service failed because the control process exited with error code. See "systemctl status network.service" and "journalctl -xe" for details.\n[FAILED]\n');
    expect(t.code).toBe(1);
    const nm = g.run('systemctl restart NetworkManager');
    expect([nm.err, nm.code]).toEqual(['Failed to restart NetworkManager.service: Unit not found.\n', 5]);
  });

  it('systemctl start/stop/status httpd as systemd prints them', () => {
    const g = guestLab();
    const dead = g.run('systemctl status httpd');
    expect(dead.out).toBe(
      '● httpd.service - The Apache HTTP Server\n' +
        '   Loaded: loaded (/usr/lib/systemd/system/httpd.service; disabled; vendor preset: disabled)\n' +
        '   Active: inactive (dead)\n' +
        '     Docs: man:httpd(8)\n' +
        '           man:apachectl(8)\n',
    );
    expect(dead.code).toBe(3);
    g.w.run(65);
    expect(g.run('systemctl start httpd').code).toBe(0);
    g.w.run(125);
    const up = g.run('systemctl status httpd.service');
    expect(up.code).toBe(0);
    expect(up.out.split('\n').slice(0, 3).join('\n')).toBe(
      '● httpd.service - The Apache HTTP Server\n' +
        '   Loaded: loaded (/usr/lib/systemd/system/httpd.service; disabled; vendor preset: disabled)\n' +
        '   Active: active (running) since Mon 2024-01-01 00:01:05 UTC; 2min 5s ago',
    );
    expect(g.os.httpd.running).toBe(true);
    expect(g.run('systemctl stop httpd').code).toBe(0);
    expect(g.os.httpd.running).toBe(false);
    const redirect = g.run('service httpd start');
    expect([redirect.err, redirect.code, g.os.httpd.running]).toEqual(['Redirecting to /bin/systemctl start httpd.service\n', 0, true]);
    const unknown = g.run('systemctl restart nginx');
    expect([unknown.err, unknown.code]).toEqual(['Failed to restart nginx.service: Unit not found.\n', 5]);
  });
});
