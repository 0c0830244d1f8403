import { describe, expect, it } from 'vitest';
import { formatConntrackLine } from '../../../core/devices/conntrack';
import {
  NAT_DROPPED,
  NAT_EXHAUSTED,
  NAT_NO_MATCH,
  NAT_TRANSLATED,
  NatEngine,
  type NatEngineOptions,
} from '../../../core/devices/nat-engine';
import { rewriteDestination, rewriteSource, rewriteTuple } from '../../../core/devices/nat-rewrite';
import type { LabEventKind } from '../../../core/sim/event-log';
import { Random } from '../../../core/sim/random';
import { US_PER_S } from '../../../core/sim/scheduler';
import { fuzzInputs } from '../../../tests/support/fuzz';
import { parseIpv4 as ip } from '../../../core/wire/address';
import { internetChecksum } from '../../../core/wire/checksum';
import { buildFrame, ETHERTYPE_IPV4 } from '../../../core/wire/ethernet';
import { emitIcmp, icmpQuote, parseIcmp, type IcmpRepr } from '../../../core/wire/icmp';
import { emitIpv4Header, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, parseIpv4 } from '../../../core/wire/ipv4';
import { buildTcp, parseTcp, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../../../core/wire/tcp';
import { emitUdp, parseUdp } from '../../../core/wire/udp';

const GUEST = ip('10.0.2.15') as number;
const GUEST2 = ip('10.0.2.16') as number;
const OUTSIDE = ip('192.168.1.5') as number;
const DNS = ip('8.8.8.8') as number;
const WEB = ip('93.184.216.34') as number;
const CLIENT = ip('198.51.100.7') as number;
const ROUTER = ip('203.0.113.1') as number;
const ETH = 14;

// Packets are built with the wire emitters, in Ethernet frames (the engine sees the IPv4 header at offset 14).
function ipFrame(src: number, dst: number, protocol: number, l4: Uint8Array): Uint8Array {
  return buildFrame({ dst: 0x0800270000aa, src: 0x0800270000bb, ethertype: ETHERTYPE_IPV4 }, 20 + l4.length, (b, o) => {
    emitIpv4Header({ src, dst, protocol, ttl: 64, payloadLength: l4.length, ident: 0x4242 }, b, o);
    b.set(l4, o + 20);
  });
}
function tcp(src: number, sport: number, dst: number, dport: number, flags: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  return ipFrame(src, dst, IPPROTO_TCP, buildTcp({ srcPort: sport, dstPort: dport, seq: 1000, ack: flags & TCP_ACK ? 2000 : 0, flags, window: 64240 }, payload, src, dst));
}
function udp(src: number, sport: number, dst: number, dport: number, payload: Uint8Array, noChecksum = false): Uint8Array {
  const l4 = new Uint8Array(8 + payload.length);
  emitUdp({ srcPort: sport, dstPort: dport, payloadLength: payload.length, noChecksum }, l4, 0, src, dst, payload);
  return ipFrame(src, dst, IPPROTO_UDP, l4);
}
function icmp(src: number, dst: number, r: IcmpRepr): Uint8Array {
  const l4 = new Uint8Array(8 + ('data' in r ? r.data.length : r.original.length));
  emitIcmp(r, l4, 0);
  return ipFrame(src, dst, IPPROTO_ICMP, l4);
}
const echo = (kind: 'echo-request' | 'echo-reply', id: number, seq = 1): IcmpRepr => ({ kind, id, seq, data: Uint8Array.from({ length: 56 }, (_, i) => i) });

/** The IPv4 packet in a frame, parsed with the real checksum routines (IP, then TCP/UDP/ICMP). */
function read(frame: Uint8Array): { src: number; dst: number; sport: number; dport: number; id: number; l4ok: boolean; payload: Uint8Array } {
  const p = parseIpv4(frame.subarray(ETH));
  if (!p.ok) throw new Error(`IPv4 does not parse: ${p.error.message}`);
  const { src, dst, protocol } = p.value.header;
  if (protocol === IPPROTO_TCP) {
    const t = parseTcp(p.value.payload, src, dst);
    return { src, dst, sport: t.ok ? t.value.header.srcPort : -1, dport: t.ok ? t.value.header.dstPort : -1, id: -1, l4ok: t.ok, payload: p.value.payload };
  }
  if (protocol === IPPROTO_UDP) {
    const u = parseUdp(p.value.payload, src, dst);
    return { src, dst, sport: u.ok ? u.value.header.srcPort : -1, dport: u.ok ? u.value.header.dstPort : -1, id: -1, l4ok: u.ok, payload: p.value.payload };
  }
  const m = parseIcmp(p.value.payload);
  return { src, dst, sport: -1, dport: -1, id: m.ok && 'id' in m.value ? m.value.id : -1, l4ok: m.ok, payload: p.value.payload };
}

function engine(options: NatEngineOptions = {}): { nat: NatEngine; events: [LabEventKind, string][] } {
  const events: [LabEventKind, string][] = [];
  const nat = new NatEngine('vm1 NAT', { log: (k, m) => events.push([k, m]) }, options);
  return { nat, events };
}

const row = (nat: NatEngine, now: number): Record<string, unknown>[] =>
  nat.rows(now).map((r) => ({ proto: r.proto, inside: `${r.insideIp}:${r.insidePort}`, outside: `${r.outsideIp}:${r.outsidePort}`, remote: `${r.remoteIp}:${r.remotePort}`, state: r.state, expiresInS: r.expiresInS }));

describe('NAT engine: masquerade', () => {
  it('translates a ping and its reply, keeping the echo id, with every checksum verifying', () => {
    const { nat } = engine();
    const req = icmp(GUEST, DNS, echo('echo-request', 0x1234));
    expect(nat.outbound(req, ETH, OUTSIDE, 0)).toBe(NAT_TRANSLATED);
    expect(read(req)).toMatchObject({ src: OUTSIDE, dst: DNS, id: 0x1234, l4ok: true });
    expect(row(nat, 0)).toEqual([{ proto: 'icmp', inside: `${GUEST}:${0x1234}`, outside: `${OUTSIDE}:${0x1234}`, remote: `${DNS}:0`, state: 'UNREPLIED', expiresInS: 30 }]);
    const rep = icmp(DNS, OUTSIDE, echo('echo-reply', 0x1234));
    expect(nat.inbound(rep, ETH, 20_000)).toBe(NAT_TRANSLATED);
    expect(read(rep)).toMatchObject({ src: DNS, dst: GUEST, id: 0x1234, l4ok: true });
    expect(nat.rows(20_000)[0].state).toBe('REPLIED');
    // The reply refreshed the 30 s timeout.
    expect(nat.conntrackLines(20_000)).toEqual([
      'icmp     1 30 src=10.0.2.15 dst=8.8.8.8 type=8 code=0 id=4660 src=8.8.8.8 dst=192.168.1.5 type=0 code=0 id=4660 mark=0 use=1',
    ]);
    expect(nat.translated).toBe(2);
    // ICMP connections end 30 s after the last packet.
    expect(nat.rows(30 * US_PER_S + 19_999).length).toBe(1);
    expect(nat.rows(30 * US_PER_S + 20_000)).toEqual([]);
  });

  it('gives a second guest using the same echo id another id, and maps each reply back', () => {
    const { nat } = engine();
    const a = icmp(GUEST, DNS, echo('echo-request', 7));
    const b = icmp(GUEST2, DNS, echo('echo-request', 7));
    nat.outbound(a, ETH, OUTSIDE, 0);
    nat.outbound(b, ETH, OUTSIDE, 0);
    const idB = read(b).id;
    expect(read(a).id).toBe(7);
    expect(idB).not.toBe(7);
    expect(read(b).l4ok).toBe(true);
    const repB = icmp(DNS, OUTSIDE, echo('echo-reply', idB));
    expect(nat.inbound(repB, ETH, 1)).toBe(NAT_TRANSLATED);
    expect(read(repB)).toMatchObject({ dst: GUEST2, id: 7, l4ok: true });
  });

  it('follows a TCP connection through its Linux states and timeouts, rewriting both ways', () => {
    const { nat } = engine();
    const s = (t: number): number => t * US_PER_S;
    const out = (flags: number, t: number): Uint8Array => {
      const f = tcp(GUEST, 40000, WEB, 80, flags);
      expect(nat.outbound(f, ETH, OUTSIDE, s(t))).toBe(NAT_TRANSLATED);
      expect(read(f)).toMatchObject({ src: OUTSIDE, sport: 40000, dst: WEB, dport: 80, l4ok: true });
      return f;
    };
    const back = (flags: number, t: number): void => {
      const f = tcp(WEB, 80, OUTSIDE, 40000, flags);
      expect(nat.inbound(f, ETH, s(t))).toBe(NAT_TRANSLATED);
      expect(read(f)).toMatchObject({ src: WEB, sport: 80, dst: GUEST, dport: 40000, l4ok: true });
    };
    const state = (t: number): [string, number] => {
      const r = nat.rows(s(t))[0];
      return [r.state, r.expiresInS];
    };
    out(TCP_SYN, 0);
    expect(state(0)).toEqual(['SYN_SENT', 120]);
    back(TCP_SYN | TCP_ACK, 1);
    expect(state(1)).toEqual(['SYN_RECV', 60]);
    out(TCP_ACK, 2);
    expect(state(2)).toEqual(['ESTABLISHED', 432000]);
    expect(nat.rows(s(2))[0]).toMatchObject({ assured: true, insideIp: GUEST, insidePort: 40000, outsideIp: OUTSIDE, outsidePort: 40000, remoteIp: WEB, remotePort: 80 });
    expect(nat.conntrackLines(s(2))).toEqual([
      'tcp      6 432000 ESTABLISHED src=10.0.2.15 dst=93.184.216.34 sport=40000 dport=80 src=93.184.216.34 dst=192.168.1.5 sport=80 dport=40000 [ASSURED] mark=0 use=1',
    ]);
    out(TCP_FIN | TCP_ACK, 10);
    expect(state(10)).toEqual(['FIN_WAIT', 120]);
    back(TCP_ACK, 11);
    expect(state(11)).toEqual(['CLOSE_WAIT', 60]);
    back(TCP_FIN | TCP_ACK, 12);
    expect(state(12)).toEqual(['LAST_ACK', 30]);
    out(TCP_ACK, 13);
    expect(state(13)).toEqual(['TIME_WAIT', 120]);
    expect(nat.rows(s(132.9)).length).toBe(1);
    expect(nat.rows(s(133))).toEqual([]);
  });

  it('a reset closes a connection for 10 s; a half-open SYN lasts 120 s', () => {
    const { nat } = engine();
    nat.outbound(tcp(GUEST, 40001, WEB, 443, TCP_SYN), ETH, OUTSIDE, 0);
    nat.inbound(tcp(WEB, 443, OUTSIDE, 40001, TCP_RST | TCP_ACK), ETH, 0);
    expect(nat.rows(0).map((r) => [r.state, r.expiresInS])).toEqual([['CLOSE', 10]]);
    nat.outbound(tcp(GUEST, 40002, WEB, 443, TCP_SYN), ETH, OUTSIDE, 0);
    expect(nat.rows(119 * US_PER_S).map((r) => r.state)).toEqual(['SYN_SENT']);
    expect(nat.rows(120 * US_PER_S)).toEqual([]);
  });

  it('UDP: 30 s while unreplied, 120 s (ASSURED) once a reply came; a zero UDP checksum stays zero', () => {
    const { nat } = engine();
    const q = udp(GUEST, 5353, DNS, 53, Uint8Array.of(1, 2, 3));
    expect(nat.outbound(q, ETH, OUTSIDE, 0)).toBe(NAT_TRANSLATED);
    expect(read(q)).toMatchObject({ src: OUTSIDE, sport: 5353, l4ok: true });
    expect(nat.rows(0).map((r) => [r.state, r.expiresInS, r.replied])).toEqual([['UNREPLIED', 30, false]]);
    expect(nat.conntrackLines(0)[0]).toBe('udp      17 30 src=10.0.2.15 dst=8.8.8.8 sport=5353 dport=53 [UNREPLIED] src=8.8.8.8 dst=192.168.1.5 sport=53 dport=5353 mark=0 use=1');
    const a = udp(DNS, 53, OUTSIDE, 5353, Uint8Array.of(4, 5, 6, 7), true);
    expect(nat.inbound(a, ETH, 1000)).toBe(NAT_TRANSLATED);
    const p = parseIpv4(a.subarray(ETH));
    expect(p.ok && p.value.header.dst).toBe(GUEST);
    expect(a[ETH + 20 + 6] | a[ETH + 20 + 7]).toBe(0); // still "no checksum"
    expect(read(a).l4ok).toBe(true);
    expect(nat.rows(1000).map((r) => [r.state, r.expiresInS, r.assured])).toEqual([['ASSURED', 120, true]]);
    // An unreplied flow is gone after 30 s.
    nat.outbound(udp(GUEST, 6000, DNS, 53, Uint8Array.of(1)), ETH, OUTSIDE, 0);
    expect(nat.rows(30 * US_PER_S).map((r) => r.insidePort)).toEqual([5353]);
    expect(nat.rows(120 * US_PER_S + 1000)).toEqual([]);
  });

  it('keeps the inside port when free and picks the next free one deterministically when not', () => {
    const run = (): number[] => {
      const { nat } = engine();
      const ports: number[] = [];
      for (const g of [GUEST, GUEST2, GUEST + 2]) {
        const f = udp(g, 5000, DNS, 53, Uint8Array.of(1));
        nat.outbound(f, ETH, OUTSIDE, 0);
        ports.push(read(f).sport);
      }
      // Another remote does not clash with the first guest's mapping: port 5000 again (Linux's tuple rule).
      const f = udp(GUEST2, 5000, WEB, 53, Uint8Array.of(1));
      nat.outbound(f, ETH, OUTSIDE, 0);
      ports.push(read(f).sport);
      return ports;
    };
    const first = run();
    expect(first[0]).toBe(5000);
    expect(first[1]).not.toBe(5000);
    expect(first[2]).not.toBe(5000);
    expect(first[1]).not.toBe(first[2]);
    expect(first[3]).toBe(5000);
    expect(run()).toEqual(first);
  });

  it('says "exhausted" when no outside port is left, logs it once, and recovers when one frees', () => {
    const { nat, events } = engine({ portRange: [40000, 40001] });
    const verdicts: number[] = [];
    const ports: number[] = [];
    for (const g of [GUEST, GUEST2, GUEST + 2, GUEST + 3]) {
      const f = tcp(g, 5000, WEB, 80, TCP_SYN);
      verdicts.push(nat.outbound(f, ETH, OUTSIDE, 0));
      ports.push(read(f).sport);
    }
    expect(verdicts).toEqual([NAT_TRANSLATED, NAT_TRANSLATED, NAT_EXHAUSTED, NAT_EXHAUSTED]);
    expect(ports.slice(0, 2).sort()).toEqual([40000, 40001]);
    expect(ports.slice(2)).toEqual([5000, 5000]); // refused packets are left as they were
    expect(nat.exhausted).toBe(2);
    expect(events).toEqual([['nat-ports-exhausted', 'vm1 NAT: no free tcp port on 192.168.1.5; new connection from 10.0.2.17 to 93.184.216.34:80 dropped']]);
    // The first connections expire (SYN_SENT, 120 s): the port is reusable.
    expect(nat.outbound(tcp(GUEST + 3, 5000, WEB, 80, TCP_SYN), ETH, OUTSIDE, 120 * US_PER_S)).toBe(NAT_TRANSLATED);
  });

  it('drops what it cannot translate: truncated packets, fragments, other protocols, stray segments', () => {
    const { nat } = engine();
    const short = tcp(GUEST, 1, WEB, 80, TCP_SYN).subarray(0, ETH + 30);
    expect(nat.outbound(short, ETH, OUTSIDE, 0)).toBe(NAT_DROPPED);
    const frag = udp(GUEST, 1, DNS, 53, Uint8Array.of(1));
    frag[ETH + 6] |= 0x20; // more fragments
    expect(nat.outbound(frag, ETH, OUTSIDE, 0)).toBe(NAT_DROPPED);
    expect(nat.outbound(ipFrame(GUEST, DNS, 47, new Uint8Array(8)), ETH, OUTSIDE, 0)).toBe(NAT_DROPPED); // GRE
    expect(nat.outbound(tcp(GUEST, 2, WEB, 80, TCP_FIN | TCP_ACK), ETH, OUTSIDE, 0)).toBe(NAT_DROPPED);
    expect(nat.outbound(icmp(GUEST, DNS, echo('echo-reply', 9)), ETH, OUTSIDE, 0)).toBe(NAT_DROPPED);
    expect(nat.dropped).toBe(5);
    expect(nat.rows(0)).toEqual([]);
  });
});

describe('NAT engine: port forwarding', () => {
  const ssh = { name: 'guestssh', proto: 'tcp' as const, hostIp: 0, hostPort: 2222, guestIp: 0, guestPort: 22 };

  it('refuses a connection from outside without a rule', () => {
    const { nat } = engine({ defaultGuestIp: GUEST });
    const syn = tcp(CLIENT, 50000, OUTSIDE, 2222, TCP_SYN);
    const before = Uint8Array.from(syn);
    expect(nat.inbound(syn, ETH, 0)).toBe(NAT_NO_MATCH);
    expect(syn).toEqual(before);
    expect(nat.inbound(icmp(CLIENT, OUTSIDE, echo('echo-request', 1)), ETH, 0)).toBe(NAT_NO_MATCH);
    expect(nat.inbound(udp(CLIENT, 1, OUTSIDE, 53, Uint8Array.of(1)), ETH, 0)).toBe(NAT_NO_MATCH);
    expect(nat.unmatched).toBe(3);
    expect(nat.rows(0)).toEqual([]);
  });

  it('lets one in through a rule (empty guest IP = the DHCP address) and translates the guest’s answers', () => {
    const { nat } = engine({ defaultGuestIp: GUEST });
    expect(nat.addRule(ssh)).toBeNull();
    const syn = tcp(CLIENT, 50000, OUTSIDE, 2222, TCP_SYN);
    expect(nat.inbound(syn, ETH, 0)).toBe(NAT_TRANSLATED);
    expect(read(syn)).toMatchObject({ src: CLIENT, sport: 50000, dst: GUEST, dport: 22, l4ok: true });
    const synack = tcp(GUEST, 22, CLIENT, 50000, TCP_SYN | TCP_ACK);
    expect(nat.outbound(synack, ETH, OUTSIDE, 1)).toBe(NAT_TRANSLATED);
    expect(read(synack)).toMatchObject({ src: OUTSIDE, sport: 2222, dst: CLIENT, dport: 50000, l4ok: true });
    const ack = tcp(CLIENT, 50000, OUTSIDE, 2222, TCP_ACK);
    expect(nat.inbound(ack, ETH, 2)).toBe(NAT_TRANSLATED);
    expect(read(ack)).toMatchObject({ dst: GUEST, dport: 22, l4ok: true });
    expect(nat.rows(2)).toMatchObject([
      { proto: 'tcp', origin: 'outside', insideIp: GUEST, insidePort: 22, outsideIp: OUTSIDE, outsidePort: 2222, remoteIp: CLIENT, remotePort: 50000, state: 'ESTABLISHED' },
    ]);
    expect(nat.conntrackLines(2)[0]).toBe(
      'tcp      6 432000 ESTABLISHED src=198.51.100.7 dst=192.168.1.5 sport=50000 dport=2222 src=10.0.2.15 dst=198.51.100.7 sport=22 dport=50000 [ASSURED] mark=0 use=1',
    );
  });

  it('a rule for a given host IP does not open other addresses; duplicate rules are refused', () => {
    const { nat } = engine();
    expect(nat.addRule({ name: 'web', proto: 'tcp', hostIp: OUTSIDE, hostPort: 8080, guestIp: GUEST, guestPort: 80 })).toBeNull();
    expect(nat.addRule({ name: 'web', proto: 'udp', hostIp: 0, hostPort: 1, guestIp: GUEST, guestPort: 1 })).toMatch(/already exists/);
    expect(nat.addRule({ name: 'web2', proto: 'tcp', hostIp: 0, hostPort: 8080, guestIp: GUEST, guestPort: 81 })).toMatch(/already forwarded/);
    expect(nat.inbound(tcp(CLIENT, 1, ip('192.168.1.6') as number, 8080, TCP_SYN), ETH, 0)).toBe(NAT_NO_MATCH);
    expect(nat.inbound(tcp(CLIENT, 1, OUTSIDE, 8080, TCP_SYN), ETH, 0)).toBe(NAT_TRANSLATED);
    expect(nat.removeRule('web')).toBe(true);
    expect(nat.inbound(tcp(CLIENT, 2, OUTSIDE, 8080, TCP_SYN), ETH, 0)).toBe(NAT_NO_MATCH);
    expect(nat.rules).toEqual([]);
  });

  it('with a forwarded source address (VirtualBox NAT), the guest sees the connection come from the gateway', () => {
    const gw = ip('10.0.2.2') as number;
    const { nat } = engine({ defaultGuestIp: GUEST, forwardedSourceIp: gw });
    nat.addRule({ name: 'dns', proto: 'udp', hostIp: 0, hostPort: 5353, guestIp: 0, guestPort: 53 });
    const q = udp(CLIENT, 4000, OUTSIDE, 5353, Uint8Array.of(9, 9));
    expect(nat.inbound(q, ETH, 0)).toBe(NAT_TRANSLATED);
    expect(read(q)).toMatchObject({ src: gw, sport: 4000, dst: GUEST, dport: 53, l4ok: true });
    const a = udp(GUEST, 53, gw, 4000, Uint8Array.of(8));
    expect(nat.outbound(a, ETH, OUTSIDE, 1)).toBe(NAT_TRANSLATED);
    expect(read(a)).toMatchObject({ src: OUTSIDE, sport: 5353, dst: CLIENT, dport: 4000, l4ok: true });
    expect(nat.rows(1)[0]).toMatchObject({ origin: 'outside', insideIp: GUEST, insidePort: 53, remoteIp: CLIENT, state: 'ASSURED' });
  });
});

describe('NAT engine: ICMP errors (RELATED)', () => {
  it('a time-exceeded about a masqueraded UDP probe reaches the guest with the quoted packet translated back', () => {
    const { nat } = engine();
    const probe = udp(GUEST, 33434, DNS, 33435, new Uint8Array(24).fill(0x40));
    nat.outbound(probe, ETH, OUTSIDE, 0);
    const sent = probe.subarray(ETH, ETH + 20 + 8 + 24);
    // The router quotes the whole translated packet (Linux quotes up to 548 bytes).
    const err = icmp(ROUTER, OUTSIDE, { kind: 'time-exceeded', code: 0, original: icmpQuote(sent, 548) });
    expect(nat.inbound(err, ETH, 1)).toBe(NAT_TRANSLATED);
    const outer = parseIpv4(err.subarray(ETH));
    expect(outer.ok && [outer.value.header.src, outer.value.header.dst]).toEqual([ROUTER, GUEST]);
    const m = parseIcmp(outer.ok ? outer.value.payload : new Uint8Array(0)); // verifies the ICMP checksum
    expect(m.ok && m.value.kind).toBe('time-exceeded');
    const quoted = m.ok && 'original' in m.value ? m.value.original : new Uint8Array(0);
    const inner = parseIpv4(quoted); // verifies the inner IP checksum
    expect(inner.ok && [inner.value.header.src, inner.value.header.dst]).toEqual([GUEST, DNS]);
    const innerUdp = parseUdp(inner.ok ? inner.value.payload : new Uint8Array(0), GUEST, DNS); // and the inner UDP checksum
    expect(innerUdp.ok && [innerUdp.value.header.srcPort, innerUdp.value.header.dstPort]).toEqual([33434, 33435]);
  });

  it('a port-unreachable about a TCP SYN quoting only 8 bytes, and a time-exceeded about a ping', () => {
    const { nat } = engine({ portRange: [61000, 61000] });
    const syn = tcp(GUEST, 41000, WEB, 81, TCP_SYN);
    nat.outbound(syn, ETH, OUTSIDE, 0);
    expect(read(syn).sport).toBe(61000);
    const err = icmp(WEB, OUTSIDE, { kind: 'dest-unreachable', code: 3, original: icmpQuote(syn.subarray(ETH, ETH + 40)) });
    expect(nat.inbound(err, ETH, 1)).toBe(NAT_TRANSLATED);
    const o = parseIpv4(err.subarray(ETH));
    const m = parseIcmp(o.ok ? o.value.payload : new Uint8Array(0));
    expect(o.ok && o.value.header.dst).toBe(GUEST);
    const q = m.ok && 'original' in m.value ? m.value.original : new Uint8Array(0);
    expect(q.length).toBe(28);
    expect(internetChecksum(q, 0, 20)).toBe(0); // the quoted header's checksum verifies
    expect([(q[20] << 8) | q[21], (q[12] << 24) >>> 0 | (q[13] << 16) | (q[14] << 8) | q[15]]).toEqual([41000, GUEST]);

    const ping = icmp(GUEST, DNS, echo('echo-request', 99));
    nat.outbound(ping, ETH, OUTSIDE, 0);
    const te = icmp(ROUTER, OUTSIDE, { kind: 'time-exceeded', code: 0, original: icmpQuote(ping.subarray(ETH, ETH + 84)) });
    expect(nat.inbound(te, ETH, 1)).toBe(NAT_TRANSLATED);
    const o2 = parseIpv4(te.subarray(ETH));
    const m2 = parseIcmp(o2.ok ? o2.value.payload : new Uint8Array(0));
    expect(m2.ok).toBe(true);
    const q2 = m2.ok && 'original' in m2.value ? m2.value.original : new Uint8Array(0);
    expect((q2[24] << 8) | q2[25]).toBe(99);
  });

  it('an error the guest sends about a forwarded datagram leaves with the outside address and port', () => {
    const { nat } = engine({ defaultGuestIp: GUEST });
    nat.addRule({ name: 'syslog', proto: 'udp', hostIp: 0, hostPort: 5514, guestIp: 0, guestPort: 514 });
    const d = udp(CLIENT, 4000, OUTSIDE, 5514, Uint8Array.of(1, 2, 3, 4));
    nat.inbound(d, ETH, 0);
    const delivered = d.subarray(ETH, ETH + 32);
    const err = icmp(GUEST, CLIENT, { kind: 'dest-unreachable', code: 3, original: icmpQuote(delivered, 548) });
    expect(nat.outbound(err, ETH, OUTSIDE, 1)).toBe(NAT_TRANSLATED);
    const o = parseIpv4(err.subarray(ETH));
    expect(o.ok && [o.value.header.src, o.value.header.dst]).toEqual([OUTSIDE, CLIENT]);
    const m = parseIcmp(o.ok ? o.value.payload : new Uint8Array(0));
    const inner = parseIpv4(m.ok && 'original' in m.value ? m.value.original : new Uint8Array(0));
    expect(inner.ok && [inner.value.header.src, inner.value.header.dst]).toEqual([CLIENT, OUTSIDE]);
    const u = parseUdp(inner.ok ? inner.value.payload : new Uint8Array(0), CLIENT, OUTSIDE);
    expect(u.ok && [u.value.header.srcPort, u.value.header.dstPort]).toEqual([4000, 5514]);
  });

  it('an error about no tracked connection is not let in, and a corrupt one is dropped', () => {
    const { nat } = engine();
    const stray = icmp(ROUTER, OUTSIDE, { kind: 'time-exceeded', code: 0, original: icmpQuote(udp(OUTSIDE, 1, DNS, 2, new Uint8Array(0)).subarray(ETH, ETH + 28)) });
    expect(nat.inbound(stray, ETH, 0)).toBe(NAT_NO_MATCH);
    const probe = udp(GUEST, 33434, DNS, 33435, new Uint8Array(0));
    nat.outbound(probe, ETH, OUTSIDE, 0);
    const err = icmp(ROUTER, OUTSIDE, { kind: 'time-exceeded', code: 0, original: icmpQuote(probe.subarray(ETH, ETH + 28)) });
    err[ETH + 20 + 2] ^= 0x55; // break the ICMP checksum
    expect(nat.inbound(err, ETH, 0)).toBe(NAT_DROPPED);
  });
});

describe('NAT engine: robustness', () => {
  it('never throws on 100,000 random and mutated packets, in both directions', () => {
    const { nat } = engine({ defaultGuestIp: GUEST, portRange: [1024, 1100] });
    nat.addRule({ name: 'ssh', proto: 'tcp', hostIp: 0, hostPort: 2222, guestIp: 0, guestPort: 22 });
    const seeds = [
      tcp(GUEST, 40000, WEB, 80, TCP_SYN),
      tcp(CLIENT, 1, OUTSIDE, 2222, TCP_SYN),
      udp(GUEST, 53, DNS, 53, Uint8Array.of(1, 2)),
      icmp(GUEST, DNS, echo('echo-request', 5)),
      icmp(ROUTER, OUTSIDE, { kind: 'time-exceeded', code: 0, original: icmpQuote(udp(OUTSIDE, 1, DNS, 2, new Uint8Array(0)).subarray(ETH, ETH + 28)) }),
    ];
    const rng = new Random(3);
    let n = 0;
    for (const input of fuzzInputs(1624, 100_000, seeds)) {
      const v = rng.int(2) === 0 ? nat.outbound(input, ETH, OUTSIDE, n) : nat.inbound(input, ETH, n);
      expect(v >= 0 && v <= 3).toBe(true);
      n += 1000;
    }
    expect(nat.translated + nat.dropped + nat.unmatched + nat.exhausted).toBe(100_000);
  });
});

describe('conntrack -L lines', () => {
  it('formats rows as conntrack-tools prints them', () => {
    const line = formatConntrackLine({
      proto: 'udp', insideIp: GUEST, insidePort: 1, outsideIp: OUTSIDE, outsidePort: 2, remoteIp: DNS, remotePort: 53,
      state: 'ASSURED', expiresInS: 117, origin: 'inside', replied: true, assured: true,
      orig: { src: GUEST, sport: 1, dst: DNS, dport: 53 }, reply: { src: DNS, sport: 53, dst: OUTSIDE, dport: 2 },
    });
    expect(line).toBe('udp      17 117 src=10.0.2.15 dst=8.8.8.8 sport=1 dport=53 src=8.8.8.8 dst=192.168.1.5 sport=53 dport=2 [ASSURED] mark=0 use=1');
  });
});

describe('NAT rewriting', () => {
  it('rewriteSource / rewriteDestination / rewriteTuple keep every checksum valid on 20,000 random packets (RFC 1624)', () => {
    const rng = new Random(1624);
    for (let i = 0; i < 20_000; i++) {
      const src = rng.u32();
      const dst = rng.u32();
      const payload = rng.bytes(rng.int(40)); // odd lengths too
      const kind = rng.int(4);
      const f =
        kind === 0 ? tcp(src, rng.int(65536), dst, rng.int(65536), TCP_ACK, payload)
        : kind === 1 ? udp(src, rng.int(65536), dst, rng.int(65536), payload)
        : icmp(src, dst, { kind: kind === 2 ? 'echo-request' : 'echo-reply', id: rng.int(65536), seq: rng.int(65536), data: payload });
      const ip2 = rng.u32();
      const port2 = rng.int(65536);
      const before = read(f);
      const how = rng.int(3);
      if (how === 0) expect(rewriteSource(f, ETH, ip2, port2)).toBe(true);
      else if (how === 1) expect(rewriteDestination(f, ETH, ip2, port2)).toBe(true);
      else expect(rewriteTuple(f, ETH, ip2, port2, before.dst, port2)).toBe(true);
      const after = read(f);
      expect(after.l4ok).toBe(true);
      if (how === 1) expect([after.src, after.dst]).toEqual([before.src, ip2]);
      else expect([after.src, after.dst]).toEqual([ip2, before.dst]);
      if (kind < 2) {
        if (how === 0) expect([after.sport, after.dport]).toEqual([port2, before.dport]);
        if (how === 1) expect([after.sport, after.dport]).toEqual([before.sport, port2]);
      } else if (kind === 2) expect(after.id).toBe(how === 1 ? before.id : port2); // a request's id is its "source port"
      else expect(after.id).toBe(how === 0 ? before.id : port2); // a reply's id is its "destination port"
    }
  });

  it('refuses (and leaves alone) what is not a whole IPv4 packet', () => {
    const f = udp(GUEST, 1, DNS, 2, Uint8Array.of(1));
    const copy = Uint8Array.from(f);
    expect(rewriteSource(f.subarray(0, ETH + 25), ETH, OUTSIDE, 9)).toBe(false);
    expect(rewriteSource(f, ETH + 1, OUTSIDE, 9)).toBe(false);
    expect(rewriteSource(new Uint8Array(0), 0, OUTSIDE, 9)).toBe(false);
    expect(f).toEqual(copy);
  });
});
