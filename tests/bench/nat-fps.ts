// Benchmark: frames per second on the path host → switch → NAT router → router → outside host and back, checksums rewritten.
import { masquerade } from '../../core/devices/masquerade';
import { NatEngine } from '../../core/devices/nat-engine';
import { Switch } from '../../core/devices/switch';
import { EventLog } from '../../core/sim/event-log';
import { Link, Port } from '../../core/sim/link';
import { Random } from '../../core/sim/random';
import { Scheduler } from '../../core/sim/scheduler';
import { Host } from '../../core/stack/host';
import { parseIpv4 } from '../../core/wire/address';
import { getU16, getU32, getU48, setU16, setU32, setU48 } from '../../core/wire/bytes';
import { adjust16 } from '../../core/wire/checksum';
import { emitEthernetHeader, ETHERTYPE_IPV4 } from '../../core/wire/ethernet';
import { emitIpv4Header, IPPROTO_UDP } from '../../core/wire/ipv4';
import { emitUdp } from '../../core/wire/udp';

const FLOWS = 32;
const ip = (t: string): number => parseIpv4(t) as number;

/** A 64-byte UDP datagram in a frame, with real IPv4 and UDP checksums. */
function udpFrame(dstMac: number, srcMac: number, src: number, dst: number, sport: number, dport: number): Uint8Array {
  const payload = new Uint8Array(18);
  const f = new Uint8Array(14 + 20 + 8 + payload.length);
  emitEthernetHeader({ dst: dstMac, src: srcMac, ethertype: ETHERTYPE_IPV4 }, f);
  emitIpv4Header({ src, dst, protocol: IPPROTO_UDP, ttl: 64, payloadLength: 8 + payload.length }, f, 14);
  emitUdp({ srcPort: sport, dstPort: dport, payloadLength: payload.length }, f, 34, src, dst, payload);
  return f;
}

/** Sends a datagram back where it came from: MACs, addresses and ports swapped (checksums stay valid), TTL restored. */
function turnAround(f: Uint8Array): void {
  const dm = getU48(f, 0);
  setU48(f, 0, getU48(f, 6));
  setU48(f, 6, dm);
  const src = getU32(f, 26);
  setU32(f, 26, getU32(f, 30));
  setU32(f, 30, src);
  const sp = getU16(f, 34);
  setU16(f, 34, getU16(f, 36));
  setU16(f, 36, sp);
  const oldWord = getU16(f, 22);
  f[22] = 64;
  setU16(f, 24, adjust16(getU16(f, 24), oldWord, getU16(f, 22)));
}

/**
 * The inside and outside endpoints are bare ports (the routers are the real Host stack with masquerade):
 * the outside one turns each datagram around in place — swapping addresses and ports leaves every checksum
 * valid, and its TTL is restored with an incremental update — so the measured work is the forwarding path.
 */
export async function natFps(durationMs = 1500): Promise<number> {
  const s = new Scheduler();
  const log = new EventLog(s);
  const ctx = (seed: number) => ({ scheduler: s, random: new Random(seed), log });
  const mac = { inside: 0x080027000001, natLan: 0x080027000002, natWan: 0x080027000003, rA: 0x080027000004, rB: 0x080027000005, outside: 0x080027000006 };

  const inside = new Port('inside', 'eth0');
  const outside = new Port('outside', 'eth0');
  const sw = new Switch('lan', s);
  new Link(s, inside, sw.addPort());

  const nat = new Host('nat', ctx(1));
  const lan = nat.addInterface('lan', mac.natLan);
  const wan = nat.addInterface('wan', mac.natWan);
  new Link(s, lan.port as Port, sw.addPort());
  nat.addAddress(lan, ip('192.168.1.1'), 24);
  nat.addAddress(wan, ip('10.0.0.1'), 30);
  nat.addRoute({ dst: 0, prefix: 0, gateway: ip('10.0.0.2'), iface: wan, metric: 0, proto: 'static', src: 0 });
  nat.setForwarding(true);
  const engine = new NatEngine('nat', { log: () => {} });
  masquerade(nat, wan, engine);

  const router = new Host('router', ctx(2));
  const a = router.addInterface('a', mac.rA);
  const b = router.addInterface('b', mac.rB);
  new Link(s, wan.port as Port, a.port as Port);
  new Link(s, b.port as Port, outside);
  router.addAddress(a, ip('10.0.0.2'), 30);
  router.addAddress(b, ip('198.51.100.1'), 24);
  router.setForwarding(true);

  // Neighbours known up front, so the measured path never waits for ARP.
  lan.neighbors.setPermanent(ip('192.168.1.100'), mac.inside);
  wan.neighbors.setPermanent(ip('10.0.0.2'), mac.rA);
  a.neighbors.setPermanent(ip('10.0.0.1'), mac.natWan);
  b.neighbors.setPermanent(ip('198.51.100.7'), mac.outside);

  let delivered = 0;
  outside.onFrame = (f) => {
    delivered++;
    turnAround(f);
    outside.send(f);
  };
  inside.onFrame = (f) => {
    delivered++;
    turnAround(f);
    inside.send(f);
  };
  for (let i = 0; i < FLOWS; i++) inside.send(udpFrame(mac.natLan, mac.inside, ip('192.168.1.100'), ip('198.51.100.7'), 40000 + i, 7));

  s.runUntilIdle(500_000);
  if (engine.rows(s.now).length !== FLOWS) throw new Error(`expected ${FLOWS} NAT entries, found ${engine.rows(s.now).length}`);
  delivered = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    s.runUntilIdle(500_000);
    elapsed = performance.now() - t0;
  }
  if (engine.dropped > 0) throw new Error(`the NAT dropped ${engine.dropped} packets`);
  return delivered / (elapsed / 1000);
}
