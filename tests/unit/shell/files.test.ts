import { describe, expect, it } from 'vitest';
import { guestLab } from './labs';

const IFCFG =
  'TYPE=Ethernet\nBOOTPROTO=dhcp\nDEFROUTE=yes\nNAME=eth0\nDEVICE=eth0\nONBOOT=no\nDNS1=10.0.2.3\n';
const PATH = '/etc/sysconfig/network-scripts/ifcfg-eth0';

function lab() {
  return guestLab({ files: { [PATH]: IFCFG, '/etc/resolv.conf': 'nameserver 10.0.2.3\n' } });
}

describe('cat and echo', () => {
  it('cat prints files and says which are missing (exit 1)', () => {
    const g = lab();
    expect(g.run(`cat ${PATH}`).out).toBe(IFCFG);
    const t = g.run('cat /etc/resolv.conf /etc/nope');
    expect([t.out, t.err, t.code]).toEqual(['nameserver 10.0.2.3\n', 'cat: /etc/nope: No such file or directory\n', 1]);
    expect(g.run('cat /etc').err).toBe('cat: /etc: Is a directory\n');
  });

  it('echo appends lines to a file, -n without the newline, -e with escapes', () => {
    const g = lab();
    g.run(`echo IPADDR=192.168.56.10 >> ${PATH}`);
    g.run(`echo -e 'PREFIX=24\\nGATEWAY=192.168.56.1' >> ${PATH}`);
    expect(g.os.files.read(PATH)).toBe(IFCFG + 'IPADDR=192.168.56.10\nPREFIX=24\nGATEWAY=192.168.56.1\n');
    expect(g.run('echo -n a; echo b').out).toBe('ab\n');
  });
});

describe('sed', () => {
  it('edits an ifcfg file in place, then cat shows the change', () => {
    const g = lab();
    expect(g.run(`sed -i 's/BOOTPROTO=dhcp/BOOTPROTO=static/' ${PATH}`).code).toBe(0);
    g.run(`sed -i -e 's/ONBOOT=no/ONBOOT=yes/' -e '/^DNS1/d' ${PATH}`);
    expect(g.run(`cat ${PATH}`).out).toBe('TYPE=Ethernet\nBOOTPROTO=static\nDEFROUTE=yes\nNAME=eth0\nDEVICE=eth0\nONBOOT=yes\n');
  });

  it('takes other delimiters, groups, & and the g flag; prints to stdout without -i', () => {
    const g = lab();
    expect(g.run(`sed 's|=|: |' ${PATH} | head -2`).out).toBe('TYPE: Ethernet\nBOOTPROTO: dhcp\n');
    expect(g.run(`echo aaa | sed 's/a/b/g'`).out).toBe('bbb\n');
    expect(g.run(`echo aaa | sed 's/a/b/2'`).out).toBe('aba\n');
    expect(g.run(`echo 'IPADDR=10.0.0.1' | sed 's/\\(IPADDR=\\).*/\\1192.168.56.10/'`).out).toBe('IPADDR=192.168.56.10\n');
    expect(g.run(`echo eth0 | sed 's/eth[0-9]/[&]/'`).out).toBe('[eth0]\n');
    expect(g.run(`echo 'a+b' | sed 's/a+b/x/'`).out).toBe('x\n');
    expect(g.run(`echo 'aab' | sed -E 's/a+b/x/'`).out).toBe('x\n');
    expect(g.run(`sed -n '/^NAME/p' ${PATH}`).out).toBe('NAME=eth0\n');
  });

  it('reports errors as GNU sed does', () => {
    const g = lab();
    const t = g.run(`sed -i 's/dhcp/static' ${PATH}`);
    expect([t.err, t.code]).toEqual(["sed: -e expression #1, char 13: unterminated `s' command\n", 1]);
    expect(g.run("sed -i 's/a/b/' /etc/nope").err).toBe("sed: can't read /etc/nope: No such file or directory\n");
    expect(g.run("echo x | sed 'k'").err).toBe("sed: -e expression #1, char 1: unknown command: `k'\n");
    expect(g.os.files.read(PATH)).toBe(IFCFG);
  });
});

describe('hostname, ls and text tools', () => {
  it('hostname prints and sets the name; -I lists the addresses', () => {
    const g = lab();
    expect(g.run('hostname').out).toBe('vm1\n');
    g.run('hostname db1');
    expect(g.os.hostname).toBe('db1');
    expect(g.run('hostname -I').out).toBe('10.0.2.15 \n');
  });

  it('ls lists a directory and complains about what is not there', () => {
    const g = lab();
    g.run('touch /etc/sysconfig/network-scripts/ifcfg-eth1');
    expect(g.run('ls /etc/sysconfig/network-scripts').out).toBe('ifcfg-eth0  ifcfg-eth1\n');
    const t = g.run('ls /nope');
    expect([t.err, t.code]).toEqual(['ls: cannot access /nope: No such file or directory\n', 2]);
  });

  it('grep, head, tail and wc read files and pipes', () => {
    const g = lab();
    expect(g.run(`grep -i bootproto ${PATH}`).out).toBe('BOOTPROTO=dhcp\n');
    expect(g.run(`grep -v = ${PATH}`).code).toBe(1);
    expect(g.run(`grep -n ONBOOT ${PATH}`).out).toBe('6:ONBOOT=no\n');
    expect(g.run(`tail -n 2 ${PATH}`).out).toBe('ONBOOT=no\nDNS1=10.0.2.3\n');
    expect(g.run(`head -1 ${PATH}`).out).toBe('TYPE=Ethernet\n');
    expect(g.run(`wc -l ${PATH}`).out).toBe(`7 ${PATH}\n`);
    expect(g.run('grep x /nope').err).toBe('grep: /nope: No such file or directory\n');
  });

  it('vi explains how to edit files in the lab instead of pretending', () => {
    const g = lab();
    const t = g.run(`vi ${PATH}`);
    expect(t.code).toBe(1);
    expect(t.err).toBe("vi: full-screen editors are not available in the lab's terminal; edit files with sed -i 's/OLD/NEW/' FILE or echo LINE >> FILE\n");
  });
});
