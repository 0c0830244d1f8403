import { describe, expect, it } from 'vitest';
import { parseLine } from '../../../core/lab/shell/parse';
import { Shell } from '../../../core/lab/shell/shell';
import type { Host } from '../../../core/stack/host';
import { FakeOs, runLine } from '../../support/fake-os';
import { World } from '../../support/world';
import { guestLab } from './labs';

describe('the command line', () => {
  it('splits words with quotes and backslashes and expands variables, ~ and $?', () => {
    const g = guestLab();
    expect(g.run(`echo 'a  b' "c $HOME" \\$x ~/f`).out).toBe('a  b c /root $x /root/f\n');
    expect(g.run('echo "say \\"hi\\"" \'it\'\\\'\'s\'').out).toBe('say "hi" it\'s\n');
    expect(g.run('false; echo $?').out).toBe('1\n');
    expect(g.run('X=5; echo "x=$X ${X}0"').out).toBe('x=5 50\n');
    expect(g.run('echo $HOSTNAME $UNSET end').out).toBe('vm1 end\n');
  });

  it('runs ; && || in bash\'s order and ignores comments', () => {
    const g = guestLab();
    expect(g.run('false && echo no || echo yes').out).toBe('yes\n');
    expect(g.run('true && echo one; echo two # not three').out).toBe('one\ntwo\n');
    expect(g.run('# only a comment').code).toBe(0);
    expect(g.run('false').code).toBe(1);
  });

  it('says command not found with status 127, and knows commands by their path', () => {
    const g = guestLab();
    const t = g.run('ipconfig /all');
    expect([t.err, t.code]).toEqual(['bash: ipconfig: command not found\n', 127]);
    const v = g.run('VBoxManage list vms');
    expect([v.err, v.code]).toEqual(['bash: VBoxManage: command not found\n', 127]);
    expect(g.run('/usr/sbin/ip -br link show eth0').out).toBe('eth0             UP             08:00:27:aa:bb:cc <BROADCAST,MULTICAST,UP,LOWER_UP>\n');
    expect(g.run('./ping').err).toBe('bash: ./ping: No such file or directory\n');
  });

  it('reports syntax errors in bash\'s words with status 2', () => {
    const g = guestLab();
    const t = g.run('echo a ;; echo b');
    expect([t.err, t.code]).toEqual(["bash: syntax error near unexpected token `;'\n", 2]);
    expect(g.run("echo 'open").err).toBe("bash: unexpected EOF while looking for matching `''\nbash: syntax error: unexpected end of file\n");
    expect(g.run('echo >').err).toBe("bash: syntax error near unexpected token `newline'\n");
    expect(g.run('| grep x').err).toBe("bash: syntax error near unexpected token `|'\n");
  });

  it('redirects stdout with > and >>, stderr with 2> and 2>&1, and reports impossible targets', () => {
    const g = guestLab();
    g.run('echo one > /tmp/f; echo two >> /tmp/f');
    expect(g.os.files.read('/tmp/f')).toBe('one\ntwo\n');
    expect(g.run('cat /nope 2>/dev/null; echo $?').out).toBe('1\n');
    g.run('cat /nope > /tmp/e 2>&1');
    expect(g.os.files.read('/tmp/e')).toBe('cat: /nope: No such file or directory\n');
    const missing = g.run('echo x > /nodir/f');
    expect([missing.err, missing.code]).toEqual(['bash: /nodir/f: No such file or directory\n', 1]);
    expect(g.run('echo x > /etc').err).toBe('bash: /etc: Is a directory\n');
    expect(g.run('wc -l < /tmp/f').out).toBe('2\n');
  });

  it('pipes one command\'s output into the next', () => {
    const g = guestLab();
    expect(g.run('ip route | grep default').out).toBe('default via 10.0.2.2 dev eth0 proto dhcp metric 100\n');
    expect(g.run('ip a | grep -c inet').out).toBe('4\n');
    expect(g.run('ip neigh | grep nothing').code).toBe(1);
    expect(g.run('ip route | head -1 | sed "s/ proto.*//"').out).toBe('default via 10.0.2.2 dev eth0\n');
  });

  it('Ctrl-C kills a command: ^C, a newline from bash, status 130, and the rest of the line is dropped', () => {
    const g = guestLab();
    const t = g.run('sleep 10; echo after', 2);
    expect(t.code).toBeNull();
    t.handle.interrupt();
    expect([t.out, t.code]).toEqual(['^C\n', 130]);
    g.w.run(20);
    expect(t.out).toBe('^C\n');
    expect(g.run('sleep 1 && echo slept').out).toBe('slept\n');
  });

  it('a command that throws becomes a message and status 1, and the shell goes on', () => {
    const w = new World(2);
    const host = w.host('broken');
    const os = new FakeOs(host);
    Object.defineProperty(os, 'host', {
      get: (): Host => {
        throw new Error('boom');
      },
    });
    const shell = new Shell(os);
    const t = runLine(shell, w.scheduler, 'ip a; echo still here');
    expect([t.err, t.out, t.code]).toEqual(['ip: internal error: boom\n', 'still here\n', 0]);
  });

  it('shows the prompt bash shows on CentOS and Debian, following cd and hostname', () => {
    const g = guestLab();
    expect(g.shell.prompt()).toBe('[root@vm1 ~]# ');
    g.run('cd /etc/sysconfig');
    expect(g.shell.prompt()).toBe('[root@vm1 sysconfig]# ');
    expect(g.run('pwd').out).toBe('/etc/sysconfig\n');
    expect(g.run('cd /nope').err).toBe('-bash: cd: /nope: No such file or directory\n');
    g.run('hostname web01.lab.example');
    g.run('cd');
    expect(g.shell.prompt()).toBe('[root@web01 ~]# ');
    const d = guestLab({}, { flavor: 'debian' });
    d.run('cd /etc');
    expect(d.shell.prompt()).toBe('root@vm1:/etc# ');
  });

  it('lists its commands for completion, VBoxManage only where there is a lab', () => {
    const g = guestLab();
    expect(g.shell.commandNames()).toEqual(expect.arrayContaining(['cd', 'ip', 'ping', 'traceroute', 'sed', 'systemctl']));
    expect(g.shell.commandNames()).not.toContain('VBoxManage');
  });

  it('exit marks the shell as exited', () => {
    const g = guestLab();
    const t = g.run('exit 3');
    expect([t.out, t.code, g.shell.exited]).toEqual(['logout\n', 3, true]);
  });
});

describe('parseLine', () => {
  it('builds a list of pipelines with the operators between them', () => {
    const r = parseLine('a b | c > f 2>&1 && d || e ; f &');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.list.map((i) => [i.after, i.pipeline.commands.length])).toEqual([
      [null, 2],
      ['&&', 1],
      ['||', 1],
      [';', 1],
    ]);
    expect(r.list[0].pipeline.commands[1].redirects.map((x) => [x.fd, x.kind])).toEqual([
      [1, 'write'],
      [2, 'dup'],
    ]);
  });
});

describe('Ctrl-C in a pipeline', () => {
  it('kills the whole pipeline: what the first command printed never reaches the second', () => {
    const g = guestLab();
    const t = g.run('ping 10.0.2.2 | grep ttl', 2.5);
    t.handle.interrupt();
    expect([t.out, t.code]).toEqual(['^C\n', 130]);
  });
});
