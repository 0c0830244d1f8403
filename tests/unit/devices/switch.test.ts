import { describe, expect, it } from 'vitest';
import { Switch } from '../../../core/devices/switch';
import { Link, Port } from '../../../core/sim/link';
import { Scheduler, US_PER_S } from '../../../core/sim/scheduler';
import { formatMac, MAC_BROADCAST, parseMac } from '../../../core/wire/address';
import { buildFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../../../core/wire/ethernet';

const mac = (s: string): number => parseMac(s) as number;
const A = mac('08:00:27:00:00:0a');
const B = mac('08:00:27:00:00:0b');
const C = mac('08:00:27:00:00:0c');
const D = mac('08:00:27:00:00:0d');

function frame(dst: number, src: number, ethertype = ETHERTYPE_IPV4, fill = 0): Uint8Array {
  return buildFrame({ dst, src, ethertype }, 46, (b, o) => b.fill(fill, o, o + 46));
}

interface Host {
  port: Port;
  got: Uint8Array[];
  link: Link;
}

function lab(n: number): { s: Scheduler; sw: Switch; hosts: Host[] } {
  const s = new Scheduler();
  const sw = new Switch('vboxnet0', s);
  const hosts: Host[] = [];
  for (let i = 0; i < n; i++) {
    const port = new Port(`vm${i + 1}`, 'eth0');
    const got: Uint8Array[] = [];
    port.onFrame = (f) => got.push(f);
    const link = new Link(s, port, sw.addPort());
    hosts.push({ port, got, link });
  }
  return { s, sw, hosts };
}

const tableText = (sw: Switch): string[] => sw.macTable().map((r) => `${r.port} ${formatMac(r.mac)} ${r.ageS.toFixed(1)}`);

describe('learning switch', () => {
  it('floods a frame to an unknown MAC, learns the sender, and forwards the answer only to its port', () => {
    const { s, sw, hosts } = lab(3);
    const [a, b, c] = hosts;
    a.port.send(frame(B, A));
    s.runUntilIdle();
    expect(a.got.length).toBe(0);
    expect(b.got.length).toBe(1);
    expect(c.got.length).toBe(1);
    s.runFor(2 * US_PER_S);
    b.port.send(frame(A, B));
    s.runUntilIdle();
    expect(a.got.length).toBe(1);
    expect(c.got.length).toBe(1); // C did not see the reply
    expect(tableText(sw)).toEqual(['1 08:00:27:00:00:0a 2.0', '2 08:00:27:00:00:0b 0.0']);
    const stats = sw.portStats();
    expect(stats.map((p) => [p.port, p.rxFrames, p.txFrames, p.floods, p.drops])).toEqual([
      ['1', 1, 1, 1, 0],
      ['2', 1, 1, 0, 0],
      ['3', 0, 1, 0, 0],
    ]);
    expect(stats[0].rxBytes).toBe(60);
  });

  it('a broadcast reaches every other port with carrier and never goes back out of the sender', () => {
    const { s, sw, hosts } = lab(4);
    hosts[3].link.connected = false; // vm4's cable is unplugged
    const f = frame(MAC_BROADCAST, A, ETHERTYPE_ARP);
    hosts[0].port.send(f);
    s.runUntilIdle();
    expect(hosts.map((h) => h.got.length)).toEqual([0, 1, 1, 0]);
    // Readers share the one frame: flooding does not copy for them.
    expect(hosts[1].got[0]).toBe(f);
    expect(hosts[2].got[0]).toBe(f);
    expect(sw.portStats().map((p) => p.drops)).toEqual([0, 0, 0, 0]);
    expect(sw.portStats()[0].floods).toBe(1);
  });

  it('a known unicast frame is handed on as the same buffer, without a copy', () => {
    const { s, hosts } = lab(2);
    hosts[1].port.send(frame(MAC_BROADCAST, B));
    s.runUntilIdle();
    const f = frame(B, A);
    hosts[0].port.send(f);
    s.runUntilIdle();
    expect(hosts[1].got[0]).toBe(f);
  });

  it('ports whose peer rewrites frames get their own copy of a flooded frame', () => {
    const { s, hosts } = lab(3);
    hosts[1].port.mutatesFrames = true; // e.g. a router with NAT
    const f = frame(MAC_BROADCAST, A, ETHERTYPE_ARP, 7);
    hosts[0].port.send(f);
    s.runUntilIdle();
    expect(hosts[2].got[0]).toBe(f);
    expect(hosts[1].got[0]).not.toBe(f);
    expect([...hosts[1].got[0]]).toEqual([...f]);
  });

  it('forgets a MAC 300 s of virtual time after it was last seen, then floods to it again', () => {
    const { s, sw, hosts } = lab(3);
    hosts[1].port.send(frame(MAC_BROADCAST, B));
    s.runUntilIdle();
    s.runFor(299 * US_PER_S);
    expect(sw.lookup(B)?.name).toBe('2');
    hosts[0].port.send(frame(B, A));
    s.runUntilIdle();
    expect(hosts[2].got.length).toBe(1); // only the first broadcast; the unicast was not flooded
    s.runFor(1 * US_PER_S);
    expect(sw.macTable().map((r) => formatMac(r.mac))).toEqual(['08:00:27:00:00:0a']);
    hosts[0].port.send(frame(B, A));
    s.runUntilIdle();
    expect(hosts[2].got.length).toBe(2); // aged out: flooded
    expect(hosts[1].got.length).toBe(2);
  });

  it('honours a shorter aging time', () => {
    const s = new Scheduler();
    const sw = new Switch('intnet', s, { agingS: 10 });
    const h = new Port('vm1', 'eth0');
    new Link(s, h, sw.addPort());
    h.send(frame(MAC_BROADCAST, A));
    s.runUntilIdle();
    s.runFor(9.5 * US_PER_S);
    expect(sw.macTable().length).toBe(1);
    s.runFor(0.5 * US_PER_S);
    expect(sw.macTable().length).toBe(0);
  });

  it('moving a VM cable to another port flushes the old port and learns the new one', () => {
    const { s, sw, hosts } = lab(2);
    hosts[0].port.send(frame(MAC_BROADCAST, A));
    hosts[1].port.send(frame(MAC_BROADCAST, B));
    s.runUntilIdle();
    expect(tableText(sw)).toEqual(['1 08:00:27:00:00:0a 0.0', '2 08:00:27:00:00:0b 0.0']);
    hosts[0].link.unplug();
    expect(tableText(sw)).toEqual(['2 08:00:27:00:00:0b 0.0']);
    const p3 = sw.addPort('uplink');
    new Link(s, hosts[0].port, p3);
    hosts[0].port.send(frame(B, A));
    s.runUntilIdle();
    expect(tableText(sw)).toEqual(['2 08:00:27:00:00:0b 0.0', 'uplink 08:00:27:00:00:0a 0.0']);
    expect(hosts[1].got.length).toBe(2);
  });

  it('a station seen on another port is relearned there at once', () => {
    const { s, sw, hosts } = lab(3);
    hosts[0].port.send(frame(MAC_BROADCAST, A));
    s.runUntilIdle();
    hosts[2].port.send(frame(MAC_BROADCAST, A)); // the same MAC now behind port 3
    s.runUntilIdle();
    expect(sw.lookup(A)?.name).toBe('3');
  });

  it('removing a port flushes its MACs and pulls its cable', () => {
    const { s, sw, hosts } = lab(3);
    hosts[2].port.send(frame(MAC_BROADCAST, C));
    s.runUntilIdle();
    const p = sw.portList[2];
    expect(sw.removePort(p)).toBe(true);
    expect(hosts[2].port.carrier).toBe(false);
    expect(sw.macTable()).toEqual([]);
    expect(sw.portList.map((q) => q.name)).toEqual(['1', '2']);
    hosts[0].port.send(frame(MAC_BROADCAST, A));
    s.runUntilIdle();
    expect(hosts[2].got.length).toBe(0);
    // The freed slot is reused by the next port.
    expect(sw.addPort().name).toBe('3');
  });

  it('a port that receives all gets a copy of unicast forwarded elsewhere (promiscuous "Allow All")', () => {
    const { s, sw, hosts } = lab(4);
    sw.setReceivesAll(sw.portList[3], true);
    hosts[3].port.mutatesFrames = true; // the sniffer keeps its own copy
    hosts[1].port.send(frame(MAC_BROADCAST, B));
    s.runUntilIdle();
    const f = frame(B, A);
    hosts[0].port.send(f);
    s.runUntilIdle();
    expect(hosts.map((h) => h.got.length)).toEqual([1, 1, 1, 2]);
    expect(hosts[1].got[0]).toBe(f);
    expect(hosts[3].got[1]).not.toBe(f);
    expect([...hosts[3].got[1]]).toEqual([...f]);
    sw.setReceivesAll(sw.portList[3], false);
    hosts[0].port.send(frame(B, A));
    s.runUntilIdle();
    expect(hosts[3].got.length).toBe(2);
  });

  it('filters a frame whose destination sits on the port it came in on, and drops bad sources and bridge-group frames', () => {
    const { s, sw, hosts } = lab(2);
    hosts[0].port.send(frame(MAC_BROADCAST, D));
    s.runUntilIdle();
    hosts[0].port.send(frame(D, A)); // D is behind port 1 too
    hosts[0].port.send(frame(B, MAC_BROADCAST)); // multicast source
    hosts[0].port.send(frame(mac('01:80:c2:00:00:00'), A)); // STP BPDU group address
    hosts[0].port.send(new Uint8Array(10)); // runt
    s.runUntilIdle();
    expect(hosts[1].got.length).toBe(1);
    expect(sw.portStats()[0].drops).toBe(4);
  });

  it('flush forgets every MAC, or one port’s', () => {
    const { s, sw, hosts } = lab(2);
    hosts[0].port.send(frame(MAC_BROADCAST, A));
    hosts[1].port.send(frame(MAC_BROADCAST, B));
    s.runUntilIdle();
    sw.flush(sw.portList[0]);
    expect(sw.macTable().map((r) => r.port)).toEqual(['2']);
    sw.flush();
    expect(sw.macTable()).toEqual([]);
    expect(sw.macCount).toBe(0);
  });

  it('keeps thousands of MACs and stops learning at its limit (then floods)', () => {
    const s = new Scheduler();
    const sw = new Switch('big', s, { maxEntries: 3000 });
    const h = new Port('gen', 'eth0');
    const other = new Port('sink', 'eth0');
    const got: Uint8Array[] = [];
    other.onFrame = (f) => got.push(f);
    new Link(s, h, sw.addPort());
    new Link(s, other, sw.addPort());
    other.send(frame(MAC_BROADCAST, C));
    s.runUntilIdle();
    for (let i = 0; i < 5000; i++) h.send(frame(MAC_BROADCAST, 0x020000000000 + i));
    s.runUntilIdle();
    expect(sw.macCount).toBe(3000);
    for (let i = 0; i < 2999; i += 7) expect(sw.lookup(0x020000000000 + i)?.name).toBe('1');
    expect(sw.lookup(0x020000000000 + 4000)).toBeNull();
    expect(got.length).toBe(5000); // every broadcast still reached the sink
    const genGot: Uint8Array[] = [];
    h.onFrame = (f) => genGot.push(f);
    other.send(frame(0x020000000000 + 4000, C)); // a station the full table could not learn: flooded
    s.runUntilIdle();
    expect(genGot.length).toBe(1);
    // Removing thousands of entries keeps the probe chains sound for the one left.
    sw.flush(sw.portList[0]);
    expect(sw.lookup(C)?.name).toBe('2');
    expect(sw.macCount).toBe(1);
  });
});
