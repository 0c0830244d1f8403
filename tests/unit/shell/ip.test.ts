import { describe, expect, it } from 'vitest';
import { Shell } from '../../../core/lab/shell/shell';
import { FakeOs, runLine } from '../../support/fake-os';
import { ip, World } from '../../support/world';
import { guestLab } from './labs';

/** A laptop: eth0 on the LAN, wlan0 with no carrier, vboxnet0 (host-only), eth1 switched off. */
function laptop() {
  const w = new World(11);
  const lan = w.switch('lan');
  const hostOnly = w.switch('vboxnet0');
  const host = w.host('laptop');
  const eth0 = host.addInterface('eth0', 0x3c970e112233);
  const wlan0 = host.addInterface('wlan0', 0x001b21445566);
  const vboxnet0 = host.addInterface('vboxnet0', 0x0a0027000000);
  const eth1 = host.addInterface('eth1', 0x3c970e112234);
  w.cable(eth0.port!, lan.addPort());
  w.cable(vboxnet0.port!, hostOnly.addPort());
  w.hostOn('router', lan.addPort(), '192.168.1.1/24');
  host.addAddress(eth0, ip('192.168.1.10'), 24);
  host.addAddress(vboxnet0, ip('192.168.56.1'), 24);
  host.addRoute({ dst: 0, prefix: 0, gateway: ip('192.168.1.1'), iface: eth0, metric: 0, proto: 'boot', src: 0 });
  host.setLinkUp(eth1, false);
  const os = new FakeOs(host, { kind: 'fixed' });
  const shell = new Shell(os);
  return { w, host, eth0, wlan0, vboxnet0, eth1, run: (line: string, s?: number) => runLine(shell, w.scheduler, line, s) };
}

const LO =
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n' +
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n' +
  '    inet 127.0.0.1/8 scope host lo\n' +
  '       valid_lft forever preferred_lft forever\n' +
  '    inet6 ::1/128 scope host\n' +
  '       valid_lft forever preferred_lft forever\n';

describe('ip addr', () => {
  it('shows a NetworkManager guest with a DHCP lease counting down, noprefixroute and its link-local address', () => {
    const g = guestLab();
    g.w.run(9);
    const t = g.run('ip addr');
    expect(t.code).toBe(0);
    expect(t.out).toBe(
      LO +
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000\n' +
        '    link/ether 08:00:27:aa:bb:cc brd ff:ff:ff:ff:ff:ff\n' +
        '    inet 10.0.2.15/24 brd 10.0.2.255 scope global noprefixroute dynamic eth0\n' +
        '       valid_lft 86391sec preferred_lft 86391sec\n' +
        '    inet6 fe80::a00:27ff:feaa:bbcc/64 scope link noprefixroute\n' +
        '       valid_lft forever preferred_lft forever\n',
    );
  });

  it('a network-scripts guest has no noprefixroute, and `ip a show eth0` shows only that device', () => {
    const g = guestLab({ kind: 'network-scripts' });
    expect(g.run('ip a show eth0').out).toBe(
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000\n' +
        '    link/ether 08:00:27:aa:bb:cc brd ff:ff:ff:ff:ff:ff\n' +
        '    inet 10.0.2.15/24 brd 10.0.2.255 scope global dynamic eth0\n' +
        '       valid_lft 86400sec preferred_lft 86400sec\n' +
        '    inet6 fe80::a00:27ff:feaa:bbcc/64 scope link\n' +
        '       valid_lft forever preferred_lft forever\n',
    );
  });

  it('shows NO-CARRIER, an interface switched off, and static addresses valid forever', () => {
    const l = laptop();
    const t = l.run('ip addr');
    expect(t.out).toBe(
      LO +
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000\n' +
        '    link/ether 3c:97:0e:11:22:33 brd ff:ff:ff:ff:ff:ff\n' +
        '    inet 192.168.1.10/24 brd 192.168.1.255 scope global eth0\n' +
        '       valid_lft forever preferred_lft forever\n' +
        '    inet6 fe80::3e97:eff:fe11:2233/64 scope link\n' +
        '       valid_lft forever preferred_lft forever\n' +
        '3: wlan0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc pfifo_fast state DOWN group default qlen 1000\n' +
        '    link/ether 00:1b:21:44:55:66 brd ff:ff:ff:ff:ff:ff\n' +
        '4: vboxnet0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000\n' +
        '    link/ether 0a:00:27:00:00:00 brd ff:ff:ff:ff:ff:ff\n' +
        '    inet 192.168.56.1/24 brd 192.168.56.255 scope global vboxnet0\n' +
        '       valid_lft forever preferred_lft forever\n' +
        '    inet6 fe80::800:27ff:fe00:0/64 scope link\n' +
        '       valid_lft forever preferred_lft forever\n' +
        '5: eth1: <BROADCAST,MULTICAST> mtu 1500 qdisc pfifo_fast state DOWN group default qlen 1000\n' +
        '    link/ether 3c:97:0e:11:22:34 brd ff:ff:ff:ff:ff:ff\n',
    );
    expect(l.run('ip -4 a').out).toBe(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n' +
        '    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n' +
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000\n' +
        '    inet 192.168.1.10/24 brd 192.168.1.255 scope global eth0\n       valid_lft forever preferred_lft forever\n' +
        '4: vboxnet0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000\n' +
        '    inet 192.168.56.1/24 brd 192.168.56.255 scope global vboxnet0\n       valid_lft forever preferred_lft forever\n',
    );
    expect(l.run('ip -br link').out).toBe(
      'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP>\n' +
        'eth0             UP             3c:97:0e:11:22:33 <BROADCAST,MULTICAST,UP,LOWER_UP>\n' +
        'wlan0            DOWN           00:1b:21:44:55:66 <NO-CARRIER,BROADCAST,MULTICAST,UP>\n' +
        'vboxnet0         UP             0a:00:27:00:00:00 <BROADCAST,MULTICAST,UP,LOWER_UP>\n' +
        'eth1             DOWN           3c:97:0e:11:22:34 <BROADCAST,MULTICAST>\n',
    );
  });

  it('adds and deletes addresses, marks a second one in the same subnet secondary, and says File exists', () => {
    const l = laptop();
    expect(l.run('ip addr add 192.168.1.11/24 dev eth0').code).toBe(0);
    expect(l.run('ip -4 addr show dev eth0').out).toContain('    inet 192.168.1.11/24 brd 192.168.1.255 scope global secondary eth0\n');
    const dup = l.run('ip addr add 192.168.1.11/24 dev eth0');
    expect([dup.err, dup.code]).toEqual(['RTNETLINK answers: File exists\n', 2]);
    const nodev = l.run('ip addr add 10.9.9.9/24 dev eth9');
    expect([nodev.err, nodev.code]).toEqual(['Cannot find device "eth9"\n', 1]);
    const noDevArg = l.run('ip addr add 10.9.9.9/24');
    expect([noDevArg.err, noDevArg.code]).toEqual(['Not enough information: "dev" argument is required.\n', 1]);
    const garbage = l.run('ip addr add 10.9.9/24 dev eth0');
    expect([garbage.err, garbage.code]).toEqual(['Error: any valid prefix is expected rather than "10.9.9/24".\n', 1]);
    expect(l.run('ip addr del 192.168.1.11/24 dev eth0').code).toBe(0);
    const gone = l.run('ip addr del 192.168.1.11/24 dev eth0');
    expect([gone.err, gone.code]).toEqual(['RTNETLINK answers: Cannot assign requested address\n', 2]);
    expect(l.run('ip addr show eth9').err).toBe('Device "eth9" does not exist.\n');
  });

  it('ip link set down takes the interface and its routes away; up brings the connected route back', () => {
    const l = laptop();
    l.run('ip link set eth0 down');
    expect(l.run('ip link show eth0').out).toBe(
      '2: eth0: <BROADCAST,MULTICAST> mtu 1500 qdisc pfifo_fast state DOWN mode DEFAULT group default qlen 1000\n    link/ether 3c:97:0e:11:22:33 brd ff:ff:ff:ff:ff:ff\n',
    );
    expect(l.run('ip route').out).toBe('192.168.56.0/24 dev vboxnet0 proto kernel scope link src 192.168.56.1\n');
    l.run('ip link set dev eth0 up');
    expect(l.run('ip route').out).toBe('192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.10\n192.168.56.0/24 dev vboxnet0 proto kernel scope link src 192.168.56.1\n');
    const bad = l.run('ip link set eth9 up');
    expect([bad.err, bad.code]).toEqual(['Cannot find device "eth9"\n', 1]);
    expect(l.run('ip link set eth0 promisc on').code).toBe(0);
    expect(l.run('ip link show eth0').out).toContain('<BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP>');
  });

  it('rejects an unknown object as iproute2 does', () => {
    const l = laptop();
    const t = l.run('ip foo');
    expect([t.err, t.code]).toEqual(['Object "foo" is unknown, try "ip help".\n', 1]);
  });
});

describe('ip route', () => {
  it('lists routes in kernel order with proto, scope, src and metric, as NetworkManager leaves them', () => {
    const g = guestLab();
    expect(g.run('ip route').out).toBe('default via 10.0.2.2 dev eth0 proto dhcp metric 100\n10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 metric 100\n');
    expect(g.run('ip r show dev eth0').out).toBe('default via 10.0.2.2 proto dhcp metric 100\n10.0.2.0/24 proto kernel scope link src 10.0.2.15 metric 100\n');
  });

  it('adds and deletes default and prefix routes, with the kernel errors', () => {
    const l = laptop();
    expect(l.run('ip route del default').code).toBe(0);
    expect(l.run('ip route').out).not.toContain('default');
    const again = l.run('ip route del default');
    expect([again.err, again.code]).toEqual(['RTNETLINK answers: No such process\n', 2]);
    expect(l.run('ip route add default via 192.168.56.254').code).toBe(0);
    expect(l.run('ip route add 10.20.0.0/16 via 192.168.1.1').code).toBe(0);
    expect(l.run('ip route add 172.16.0.0/12 dev vboxnet0 metric 5').code).toBe(0);
    expect(l.run('ip route').out).toBe(
      'default via 192.168.56.254 dev vboxnet0\n' +
        '10.20.0.0/16 via 192.168.1.1 dev eth0\n' +
        '172.16.0.0/12 dev vboxnet0 scope link metric 5\n' +
        '192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.10\n' +
        '192.168.56.0/24 dev vboxnet0 proto kernel scope link src 192.168.56.1\n',
    );
    const exists = l.run('ip route add default via 192.168.1.1');
    expect([exists.err, exists.code]).toEqual(['RTNETLINK answers: File exists\n', 2]);
    const far = l.run('ip route add 10.30.0.0/16 via 10.99.0.1');
    expect([far.err, far.code]).toEqual(['RTNETLINK answers: Network is unreachable\n', 2]);
    const badPrefix = l.run('ip route add 10.40.0.1/16 via 192.168.1.1');
    expect([badPrefix.err, badPrefix.code]).toEqual(['RTNETLINK answers: Invalid argument\n', 2]);
    expect(l.run('ip route del 10.20.0.0/16 via 192.168.1.1').code).toBe(0);
    expect(l.run('ip route').out).not.toContain('10.20.0.0');
  });

  it('ip route get names the next hop and the source, local addresses and unreachable networks', () => {
    const g = guestLab();
    expect(g.run('ip route get 8.8.8.8').out).toBe('8.8.8.8 via 10.0.2.2 dev eth0 src 10.0.2.15\n    cache\n');
    expect(g.run('ip route get 10.0.2.3').out).toBe('10.0.2.3 dev eth0 src 10.0.2.15\n    cache\n');
    expect(g.run('ip route get 10.0.2.15').out).toBe('local 10.0.2.15 dev lo src 10.0.2.15\n    cache <local>\n');
    g.run('ip route del default');
    const t = g.run('ip route get 8.8.8.8');
    expect([t.out, t.err, t.code]).toEqual(['', 'RTNETLINK answers: Network is unreachable\n', 2]);
  });

  it('Debian prints the uid of ip route get and fq_codel as the qdisc', () => {
    const g = guestLab({}, { flavor: 'debian' });
    expect(g.run('ip route get 8.8.8.8').out).toBe('8.8.8.8 via 10.0.2.2 dev eth0 src 10.0.2.15 uid 0\n    cache\n');
    expect(g.run('ip link show eth0').out).toContain('qdisc fq_codel state UP mode DEFAULT');
  });

  it('route -n prints the net-tools table', () => {
    const g = guestLab();
    expect(g.run('route -n').out).toBe(
      'Kernel IP routing table\n' +
        'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n' +
        '0.0.0.0         10.0.2.2        0.0.0.0         UG    100    0        0 eth0\n' +
        '10.0.2.0        0.0.0.0         255.255.255.0   U     100    0        0 eth0\n',
    );
  });
});

describe('ip neigh and arp', () => {
  it('shows a REACHABLE gateway, an INCOMPLETE entry still being resolved and a FAILED one', () => {
    const g = guestLab();
    g.run('ping -c 1 10.0.2.2');
    const ping = g.run('ping -c 1 10.0.2.98', 0.5);
    expect(g.run('ip neigh').out).toBe('10.0.2.2 dev eth0 lladdr 52:54:00:12:35:02 REACHABLE\n10.0.2.98 dev eth0  INCOMPLETE\n');
    ping.handle.interrupt();
    g.run('ping -c 1 10.0.2.99');
    expect(g.run('ip neigh show dev eth0').out).toBe('10.0.2.2 lladdr 52:54:00:12:35:02 REACHABLE\n10.0.2.98  FAILED\n10.0.2.99  FAILED\n');
    expect(g.run('arp -n').out).toBe(
      'Address                  HWtype  HWaddress           Flags Mask            Iface\n' +
        '10.0.2.2                 ether   52:54:00:12:35:02   C                     eth0\n' +
        '10.0.2.98                        (incomplete)                              eth0\n' +
        '10.0.2.99                        (incomplete)                              eth0\n',
    );
    expect(g.run('arp -an').out).toBe('? (10.0.2.2) at 52:54:00:12:35:02 [ether] on eth0\n? (10.0.2.98) at <incomplete> on eth0\n? (10.0.2.99) at <incomplete> on eth0\n');
  });

  it('a REACHABLE entry turns STALE after its reachable time, and permanent entries show with M', () => {
    const g = guestLab();
    g.run('ping -c 1 10.0.2.2');
    g.w.run(60);
    expect(g.run('ip neigh').out).toBe('10.0.2.2 dev eth0 lladdr 52:54:00:12:35:02 STALE\n');
    expect(g.run('ip neigh add 10.0.2.50 lladdr 08:00:27:00:00:50 dev eth0 nud permanent').code).toBe(0);
    expect(g.run('arp -n 10.0.2.50').out).toBe(
      'Address                  HWtype  HWaddress           Flags Mask            Iface\n10.0.2.50                ether   08:00:27:00:00:50   CM                    eth0\n',
    );
    expect(g.run('ip neigh del 10.0.2.50 dev eth0').code).toBe(0);
    const t = g.run('ip neigh del 10.0.2.50 dev eth0');
    expect([t.err, t.code]).toEqual(['RTNETLINK answers: No such file or directory\n', 2]);
    expect(g.run('arp -d 10.0.2.77').err).toBe('No ARP entry for 10.0.2.77\n');
  });
});

describe('ifconfig', () => {
  it('prints net-tools blocks sorted by name with the port counters', () => {
    const g = guestLab({ kind: 'network-scripts' });
    g.run('ping -c 1 10.0.2.2');
    const eth0 = g.eth0.port!;
    expect(g.run('ifconfig').out).toBe(
      'eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n' +
        '        inet 10.0.2.15  netmask 255.255.255.0  broadcast 10.0.2.255\n' +
        '        inet6 fe80::a00:27ff:feaa:bbcc  prefixlen 64  scopeid 0x20<link>\n' +
        '        ether 08:00:27:aa:bb:cc  txqueuelen 1000  (Ethernet)\n' +
        `        RX packets ${eth0.rxFrames}  bytes ${eth0.rxBytes} (${eth0.rxBytes}.0 B)\n` +
        '        RX errors 0  dropped 0  overruns 0  frame 0\n' +
        `        TX packets ${eth0.txFrames}  bytes ${eth0.txBytes} (${eth0.txBytes}.0 B)\n` +
        '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n\n' +
        'lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536\n' +
        '        inet 127.0.0.1  netmask 255.0.0.0\n' +
        '        inet6 ::1  prefixlen 128  scopeid 0x10<host>\n' +
        '        loop  txqueuelen 1000  (Local Loopback)\n' +
        '        RX packets 0  bytes 0 (0.0 B)\n' +
        '        RX errors 0  dropped 0  overruns 0  frame 0\n' +
        '        TX packets 0  bytes 0 (0.0 B)\n' +
        '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n\n',
    );
    expect(eth0.rxFrames).toBeGreaterThan(0);
  });

  it('takes an interface down and gives it an address with the classful mask', () => {
    const g = guestLab();
    g.run('ifconfig eth0 down');
    expect(g.run('ifconfig').out.startsWith('lo: ')).toBe(true);
    expect(g.run('ifconfig -a eth0').out.split('\n')[0]).toBe('eth0: flags=4098<BROADCAST,MULTICAST>  mtu 1500');
    g.run('ifconfig eth0 192.168.56.10');
    expect(g.run('ip -4 -br a show eth0').out).toBe('eth0             UP             192.168.56.10/24\n');
    expect(g.run('ifconfig eth9').err).toBe('eth9: error fetching interface information: Device not found\n');
  });
});
