import { describe, expect, it } from 'vitest';
import { formatMac } from '../../core/wire/address';
import { ip, pingOnce, World } from '../support/world';

describe('hosts on a switch', () => {
  it('two hosts on a switch ping each other and learn each other in ARP', () => {
    const w = new World();
    const sw = w.switch('sw');
    const a = w.hostOn('pc1', sw.addPort(), '192.168.1.10/24');
    const b = w.hostOn('pc2', sw.addPort(), '192.168.1.20/24');
    expect(pingOnce(w, a.host, '192.168.1.20')).toEqual({ reply: true, from: '192.168.1.20', ttl: 64 });
    expect(pingOnce(w, b.host, '192.168.1.10').reply).toBe(true);
    const entry = a.eth0.neighbors.get(ip('192.168.1.20'));
    expect(entry && formatMac(entry.mac)).toBe(formatMac(b.eth0.mac));
    expect(entry?.state).toBe('REACHABLE');
    expect(sw.macTable().length).toBe(2);
  });

  it('a ping to an address nobody has reports Destination Host Unreachable from the sender after three ARP tries', () => {
    const w = new World();
    const sw = w.switch('sw');
    const a = w.hostOn('pc1', sw.addPort(), '192.168.1.10/24');
    w.hostOn('pc2', sw.addPort(), '192.168.1.20/24');
    const r = pingOnce(w, a.host, '192.168.1.99', 5);
    expect(r).toEqual({ reply: false, error: { from: '192.168.1.10', type: 3, code: 1 } });
    expect(a.eth0.neighbors.get(ip('192.168.1.99'))?.state).toBe('FAILED');
  });

  it('a router forwards between two networks, decrements TTL, and answers TTL 1 with time exceeded', () => {
    const w = new World();
    const left = w.switch('left');
    const right = w.switch('right');
    const a = w.hostOn('pc1', left.addPort(), '10.0.1.10/24', '10.0.1.1');
    w.hostOn('pc2', right.addPort(), '10.0.2.20/24', '10.0.2.1');
    const r = w.host('router');
    const r0 = r.addInterface('eth0', w.nextMac());
    const r1 = r.addInterface('eth1', w.nextMac());
    w.cable(r0.port!, left.addPort());
    w.cable(r1.port!, right.addPort());
    r.addAddress(r0, ip('10.0.1.1'), 24);
    r.addAddress(r1, ip('10.0.2.1'), 24);
    r.setForwarding(true);
    expect(pingOnce(w, a.host, '10.0.2.20')).toEqual({ reply: true, from: '10.0.2.20', ttl: 63 });
    expect(pingOnce(w, a.host, '10.0.2.20', 2, 1)).toEqual({ reply: false, error: { from: '10.0.1.1', type: 11, code: 0 } });
    expect(pingOnce(w, a.host, '10.9.9.9', 2).reply).toBe(false);
    expect(r.stats.forwarded).toBeGreaterThanOrEqual(2);
  });

  it('without a route the router says network unreachable', () => {
    const w = new World();
    const sw = w.switch('sw');
    const a = w.hostOn('pc1', sw.addPort(), '10.0.1.10/24', '10.0.1.1');
    const r = w.host('router');
    const r0 = r.addInterface('eth0', w.nextMac());
    w.cable(r0.port!, sw.addPort());
    r.addAddress(r0, ip('10.0.1.1'), 24);
    r.setForwarding(true);
    expect(pingOnce(w, a.host, '8.8.8.8')).toEqual({ reply: false, error: { from: '10.0.1.1', type: 3, code: 0 } });
  });

  it('two hosts configured with the same address both see the conflict', () => {
    const w = new World();
    const sw = w.switch('sw');
    const a = w.hostOn('pc1', sw.addPort(), '192.168.1.50/24');
    const b = w.hostOn('pc2', sw.addPort());
    let probeResult: number | null | undefined;
    b.host.probeAddress(b.eth0, ip('192.168.1.50'), (mac) => (probeResult = mac));
    w.run(3);
    expect(probeResult !== undefined && probeResult !== null && formatMac(probeResult)).toBe(formatMac(a.eth0.mac));
    // pc2 configures it anyway and announces it; pc1 sees its address claimed by another MAC.
    b.host.addAddress(b.eth0, ip('192.168.1.50'), 24);
    b.host.announce(b.eth0, ip('192.168.1.50'));
    w.run(1);
    const conflicts = w.log.entries.filter((e) => e.kind === 'address-conflict').map((e) => `${e.node}: ${e.message}`);
    expect(conflicts).toContain(`pc1: IP address 192.168.1.50 on eth0 is also used by ${formatMac(b.eth0.mac)}`);
    // pc1 answers the announcement's ARP traffic; pc2 sees pc1's claim too once pc1 speaks.
    a.host.announce(a.eth0, ip('192.168.1.50'));
    w.run(1);
    const again = w.log.entries.filter((e) => e.kind === 'address-conflict').map((e) => e.node);
    expect(again).toContain('pc2');
  });
});
