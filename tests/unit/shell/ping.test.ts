import { describe, expect, it } from 'vitest';
import { DROP } from '../../../core/stack/host';
import { guestLab, routedLab } from './labs';

const GW_STATS = '\n--- 10.0.2.2 ping statistics ---\n';

describe('ping', () => {
  it('pings the gateway three times a second apart with iputils lines and statistics', () => {
    const g = guestLab();
    const start = g.w.scheduler.now;
    const t = g.run('ping -c 3 10.0.2.2');
    expect(t.out).toBe(
      'PING 10.0.2.2 (10.0.2.2) 56(84) bytes of data.\n' +
        '64 bytes from 10.0.2.2: icmp_seq=1 ttl=64 time=0.008 ms\n' +
        '64 bytes from 10.0.2.2: icmp_seq=2 ttl=64 time=0.004 ms\n' +
        '64 bytes from 10.0.2.2: icmp_seq=3 ttl=64 time=0.004 ms\n' +
        GW_STATS +
        '3 packets transmitted, 3 received, 0% packet loss, time 2000ms\n' +
        'rtt min/avg/max/mdev = 0.004/0.005/0.008/0.002 ms\n',
    );
    expect(t.code).toBe(0);
    // The third reply comes 2 s after the first request: the packets really went a second apart.
    expect(g.w.scheduler.now - start).toBeGreaterThanOrEqual(2_000_000);
  });

  it('names the replies after their reverse lookup when pinging a name, and not with -n', () => {
    const g = guestLab();
    expect(g.run('ping -c 1 www.lab.example').out).toBe(
      'PING www.lab.example (10.0.2.80) 56(84) bytes of data.\n' +
        '64 bytes from www.lab.example (10.0.2.80): icmp_seq=1 ttl=64 time=0.008 ms\n' +
        '\n--- www.lab.example ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 0.008/0.008/0.008/0.000 ms\n',
    );
    expect(g.run('ping -n -c 1 www.lab.example').out).toContain('64 bytes from 10.0.2.80: icmp_seq=1 ttl=64 time=0.004 ms\n');
    g.os.files.write('/etc/hosts', '10.0.2.2 natgw\n');
    expect(g.run('ping -c 1 natgw').out).toContain('PING natgw (10.0.2.2) 56(84) bytes of data.\n64 bytes from natgw (10.0.2.2): icmp_seq=1');
  });

  it('an unknown name fails with getaddrinfo\'s message and exit status 2', () => {
    const g = guestLab();
    const t = g.run('ping nope.lab.example');
    expect([t.out, t.err, t.code]).toEqual(['', 'ping: nope.lab.example: Name or service not known\n', 2]);
  });

  it('without a route it says connect: Network is unreachable (exit 2)', () => {
    const g = guestLab();
    g.run('ip route del default');
    const t = g.run('ping -c 1 8.8.8.8');
    expect([t.out, t.err, t.code]).toEqual(['', 'connect: Network is unreachable\n', 2]);
  });

  it('an address nobody answers ARP for gives Destination Host Unreachable from our own address, errors and pipe', () => {
    const g = guestLab();
    const t = g.run('ping -c 3 10.0.2.99');
    expect(t.out).toBe(
      'PING 10.0.2.99 (10.0.2.99) 56(84) bytes of data.\n' +
        'From 10.0.2.15 icmp_seq=1 Destination Host Unreachable\n' +
        'From 10.0.2.15 icmp_seq=2 Destination Host Unreachable\n' +
        'From 10.0.2.15 icmp_seq=3 Destination Host Unreachable\n' +
        '\n--- 10.0.2.99 ping statistics ---\n3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2000ms\npipe 3\n',
    );
    expect(t.code).toBe(1);
  });

  it('a host that ignores pings: the last request waits -W seconds (10 by default) and the statistics end in an empty line', () => {
    const g = guestLab();
    g.gw.answerPings = false;
    const start = g.w.scheduler.now;
    const t = g.run('ping -c 1 -W 2 10.0.2.2');
    expect(t.out).toBe('PING 10.0.2.2 (10.0.2.2) 56(84) bytes of data.\n' + GW_STATS + '1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n');
    expect(t.code).toBe(1);
    expect(g.w.scheduler.now - start).toBe(2_000_000);
    const start2 = g.w.scheduler.now;
    g.run('ping -c 1 10.0.2.2');
    expect(g.w.scheduler.now - start2).toBe(10_000_000);
  });

  it('runs until Ctrl-C without -c, then prints ^C and the statistics (exit 0 when replies came)', () => {
    const g = guestLab();
    const t = g.run('ping 10.0.2.2', 3.5);
    expect(t.code).toBeNull();
    t.handle.interrupt();
    expect(t.code).toBe(0);
    expect(t.out).toBe(
      'PING 10.0.2.2 (10.0.2.2) 56(84) bytes of data.\n' +
        '64 bytes from 10.0.2.2: icmp_seq=1 ttl=64 time=0.008 ms\n' +
        '64 bytes from 10.0.2.2: icmp_seq=2 ttl=64 time=0.004 ms\n' +
        '64 bytes from 10.0.2.2: icmp_seq=3 ttl=64 time=0.004 ms\n' +
        '64 bytes from 10.0.2.2: icmp_seq=4 ttl=64 time=0.004 ms\n' +
        '^C' +
        GW_STATS +
        '4 packets transmitted, 4 received, 0% packet loss, time 3000ms\n' +
        'rtt min/avg/max/mdev = 0.004/0.005/0.008/0.001 ms\n',
    );
    // Nothing more happens after it ended.
    g.w.run(5);
    expect(t.out.endsWith('ms\n')).toBe(true);
  });

  it('Ctrl-C on a ping with no replies exits 1', () => {
    const g = guestLab();
    g.gw.answerPings = false;
    const t = g.run('ping 10.0.2.2', 1.5);
    t.handle.interrupt();
    expect(t.out.endsWith('^C' + GW_STATS + '2 packets transmitted, 0 received, 100% packet loss, time 1000ms\n\n')).toBe(true);
    expect(t.code).toBe(1);
  });

  it('reports Time to live exceeded from the router that dropped the packet', () => {
    const r = routedLab();
    const t = r.run('ping -c 2 -t 1 10.0.2.20');
    expect(t.out).toBe(
      'PING 10.0.2.20 (10.0.2.20) 56(84) bytes of data.\n' +
        'From 10.0.1.1 icmp_seq=1 Time to live exceeded\n' +
        'From 10.0.1.1 icmp_seq=2 Time to live exceeded\n' +
        '\n--- 10.0.2.20 ping statistics ---\n2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1000ms\n\n',
    );
    expect(t.code).toBe(1);
    expect(r.run('ping -c 1 10.0.2.20').out).toContain('64 bytes from 10.0.2.20: icmp_seq=1 ttl=62 time=');
  });

  it('refuses bad options and broadcast addresses as iputils does', () => {
    const g = guestLab();
    expect(g.run('ping -c 0 10.0.2.2').err).toBe('ping: bad number of packets to transmit.\n');
    expect(g.run('ping -t 300 10.0.2.2').err).toBe('ping: ttl 300 out of range\n');
    const usage = g.run('ping');
    expect(usage.code).toBe(2);
    expect(usage.err.startsWith('Usage: ping [-aAbBdDfhLnOqrRUvV64] [-c count] [-i interval] [-I interface]\n')).toBe(true);
    const bad = g.run('ping -z 10.0.2.2');
    expect(bad.err.startsWith("ping: invalid option -- 'z'\nUsage: ping")).toBe(true);
    const bcast = g.run('ping 10.0.2.255');
    expect([bcast.err, bcast.code]).toEqual(['Do you want to ping broadcast? Then -b. If not, check your local firewall rules.\n', 2]);
  });

  it('-s sets the payload size and -i the interval', () => {
    const g = guestLab();
    const t = g.run('ping -c 2 -s 100 -i 0.5 10.0.2.2');
    expect(t.out).toContain('PING 10.0.2.2 (10.0.2.2) 100(128) bytes of data.\n108 bytes from 10.0.2.2: icmp_seq=1 ttl=64');
    expect(t.out).toContain('2 packets transmitted, 2 received, 0% packet loss, time 500ms\n');
  });
});

describe('traceroute', () => {
  it('finds the two routers and the destination with UDP probes, three a hop', () => {
    const r = routedLab();
    const t = r.run('traceroute -n 10.0.2.20');
    expect(t.out).toBe(
      'traceroute to 10.0.2.20 (10.0.2.20), 30 hops max, 60 byte packets\n' +
        ' 1  10.0.1.1  0.008 ms  0.008 ms  0.008 ms\n' +
        ' 2  10.0.12.2  0.016 ms  0.016 ms  0.016 ms\n' +
        ' 3  10.0.2.20  0.024 ms  0.024 ms  0.024 ms\n',
    );
    expect(t.code).toBe(0);
  });

  it('without -n prints each hop as name (address), the address when it has no name', () => {
    const r = routedLab();
    r.os.files.write('/etc/hosts', '10.0.12.2 r2.lab\n');
    const t = r.run('traceroute 10.0.2.20');
    expect(t.out).toBe(
      'traceroute to 10.0.2.20 (10.0.2.20), 30 hops max, 60 byte packets\n' +
        ' 1  10.0.1.1 (10.0.1.1)  0.008 ms  0.008 ms  0.008 ms\n' +
        ' 2  r2.lab (10.0.12.2)  0.016 ms  0.016 ms  0.016 ms\n' +
        ' 3  10.0.2.20 (10.0.2.20)  0.024 ms  0.024 ms  0.024 ms\n',
    );
  });

  it('marks a host that does not exist behind the last router with !H after ARP gives up', () => {
    const r = routedLab();
    const t = r.run('traceroute -n 10.0.2.99');
    expect(t.out).toBe(
      'traceroute to 10.0.2.99 (10.0.2.99), 30 hops max, 60 byte packets\n' +
        ' 1  10.0.1.1  0.008 ms  0.008 ms  0.008 ms\n' +
        ' 2  10.0.12.2  0.016 ms  0.016 ms  0.016 ms\n' +
        ' 3  10.0.2.1  3000.016 ms !H  3000.016 ms !H  3000.016 ms !H\n',
    );
  });

  it('prints * for probes that get no answer within -w seconds, and Ctrl-C ends it with status 130', () => {
    const r = routedLab();
    // pc2 drops everything silently, as a firewall would: no port unreachable comes back.
    r.pc2.hooks.input.push(() => DROP);
    const t = r.run('traceroute -n -w 1 -N 1 -m 5 10.0.2.20', 7.5);
    expect(t.out).toBe(
      'traceroute to 10.0.2.20 (10.0.2.20), 5 hops max, 60 byte packets\n' +
        ' 1  10.0.1.1  0.008 ms  0.004 ms  0.004 ms\n' +
        ' 2  10.0.12.2  0.012 ms  0.008 ms  0.008 ms\n' +
        ' 3  * * *\n' +
        ' 4  * * *\n' +
        ' 5  *',
    );
    expect(t.code).toBeNull();
    t.handle.interrupt();
    expect(t.code).toBe(130);
    expect(t.out.endsWith(' 5  *^C\n')).toBe(true);
  });

  it('fails on an unknown name in traceroute\'s words and says when there is no route', () => {
    const g = guestLab();
    const t = g.run('traceroute nope.lab.example');
    expect([t.err, t.code]).toEqual(['nope.lab.example: Name or service not known\nCannot handle "host" cmdline arg `nope.lab.example\' on position 1 (argc 1)\n', 2]);
    g.run('ip route del default');
    const n = g.run('traceroute 8.8.8.8');
    expect([n.out, n.err, n.code]).toEqual(['traceroute to 8.8.8.8 (8.8.8.8), 30 hops max, 60 byte packets', '\nconnect: Network is unreachable\n', 1]);
  });
});
