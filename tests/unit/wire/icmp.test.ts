import { describe, expect, it } from 'vitest';
import { parseIpv4 as ip } from '../../../core/wire/address';
import { toHex } from '../../../core/wire/bytes';
import { buildFrame, parseEthernet, type EthernetRepr } from '../../../core/wire/ethernet';
import {
  emitIcmp,
  emitLinuxPingData,
  ICMP_ECHO_REPLY,
  icmpErrorText,
  icmpLength,
  icmpQuote,
  IcmpView,
  parseIcmp,
  parseIcmpQuote,
  readLinuxPingTime,
  type IcmpRepr,
} from '../../../core/wire/icmp';
import { emitIpv4Header, IPPROTO_ICMP, IPPROTO_UDP, parseIpv4, type Ipv4Repr } from '../../../core/wire/ipv4';
import { emitUdp } from '../../../core/wire/udp';
import { wireFixture } from '../../fixtures/wire/fixtures';

interface Layers {
  eth: EthernetRepr;
  ip: Ipv4Repr;
  bytes: Uint8Array;
  icmp: IcmpRepr;
}

function layers(name: string): Layers {
  const e = parseEthernet(wireFixture(name));
  if (!e.ok) throw new Error(e.error.message);
  const p = parseIpv4(e.value.payload);
  if (!p.ok) throw new Error(p.error.message);
  expect(p.value.header.protocol).toBe(IPPROTO_ICMP);
  const r = parseIcmp(p.value.payload);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return { eth: e.value.header, ip: p.value.header, bytes: p.value.payload, icmp: r.value };
}

const ICMP_FIXTURES = ['icmp-echo-request', 'icmp-echo-reply', 'icmp-port-unreachable', 'icmp-time-exceeded', 'icmp-frag-needed', 'ipv4-options-rr'];

describe('ICMP', () => {
  it('reads a Linux ping: id, seq, 56 data bytes holding a timeval then 0x10..0x37', () => {
    const { icmp } = layers('icmp-echo-request');
    if (icmp.kind !== 'echo-request') throw new Error(icmp.kind);
    expect([icmp.id, icmp.seq, icmp.data.length]).toEqual([0x0a1b, 1, 56]);
    expect(readLinuxPingTime(icmp.data)).toBe(1_700_000_000_123_456);
    expect([...icmp.data.subarray(16, 20)]).toEqual([0x10, 0x11, 0x12, 0x13]);
    expect(icmp.data[55]).toBe(0x37);
    const mine = new Uint8Array(56);
    expect(emitLinuxPingData(mine, 0, 1_700_000_000_123_456)).toBe(56);
    expect(toHex(mine)).toBe(toHex(icmp.data));
  });

  it('the reply carries the same id, seq and data', () => {
    const req = layers('icmp-echo-request').icmp;
    const rep = layers('icmp-echo-reply').icmp;
    expect(rep).toEqual({ ...req, kind: 'echo-reply' });
  });

  it('re-emits every fixture byte for byte, frame included', () => {
    for (const name of ICMP_FIXTURES) {
      const l = layers(name);
      const len = icmpLength(l.icmp);
      const hl = 20 + (l.ip.options ? l.ip.options.length : 0);
      const frame = buildFrame(l.eth, hl + len, (b, o) => {
        emitIpv4Header({ ...l.ip, payloadLength: len }, b, o);
        expect(emitIcmp(l.icmp, b, o + hl)).toBe(len);
      });
      expect(toHex(frame), name).toBe(toHex(wireFixture(name)));
    }
  });

  it('a port unreachable quotes the UDP datagram that caused it, enough to find its socket', () => {
    const { icmp } = layers('icmp-port-unreachable');
    if (icmp.kind !== 'dest-unreachable') throw new Error(icmp.kind);
    expect([icmp.code, icmp.original.length, icmp.nextHopMtu]).toEqual([3, 28, undefined]);
    expect(icmpErrorText(icmp)).toBe('Destination Port Unreachable');
    // The probe as make.py built it: 45000 -> 33434 with 32 bytes of 0x40; its quoted checksum must be ours too.
    const probeUdp = new Uint8Array(40);
    emitUdp({ srcPort: 45000, dstPort: 33434, payloadLength: 32 }, probeUdp, 0, ip('192.168.56.101')!, ip('192.168.56.1')!, new Uint8Array(32).fill(0x40));
    const q = parseIcmpQuote(icmp.original);
    expect(q.ok && { ...q.value, transport: toHex(q.value.transport) }).toEqual({
      src: ip('192.168.56.101'),
      dst: ip('192.168.56.1'),
      protocol: IPPROTO_UDP,
      ttl: 64,
      ident: 0x1111,
      headerLength: 20,
      transport: toHex(probeUdp.subarray(0, 8)),
      srcPort: 45000,
      dstPort: 33434,
      echoId: -1,
      echoSeq: -1,
    });
  });

  it('a time exceeded is what traceroute reads: the hop, and the probe\'s TTL of 1 and port', () => {
    const { ip: outer, icmp } = layers('icmp-time-exceeded');
    if (icmp.kind !== 'time-exceeded') throw new Error(icmp.kind);
    expect(outer.src).toBe(ip('10.0.2.2'));
    expect(icmpErrorText(icmp)).toBe('Time to live exceeded');
    const q = parseIcmpQuote(icmp.original);
    expect(q.ok && [q.value.ttl, q.value.dst, q.value.dstPort]).toEqual([1, ip('93.184.216.34'), 33435]);
  });

  it('fragmentation needed carries the next-hop MTU (RFC 1191)', () => {
    const { icmp } = layers('icmp-frag-needed');
    expect(icmp).toMatchObject({ kind: 'dest-unreachable', code: 4, nextHopMtu: 1400 });
    expect(icmpErrorText(icmp)).toBe('Frag needed and DF set (mtu = 1400)');
  });

  it('names every unreachable code as Linux ping prints it', () => {
    const text = (code: number): string | null => icmpErrorText({ kind: 'dest-unreachable', code, original: new Uint8Array(0) });
    expect([0, 1, 2, 9, 10, 13].map(text)).toEqual([
      'Destination Net Unreachable',
      'Destination Host Unreachable',
      'Destination Protocol Unreachable',
      'Destination Net Prohibited',
      'Destination Host Prohibited',
      'Packet filtered',
    ]);
    expect(text(99)).toBe('Dest Unreachable, Bad Code: 99');
    expect(icmpErrorText({ kind: 'time-exceeded', code: 1, original: new Uint8Array(0) })).toBe('Frag reassembly time exceeded');
    expect(icmpErrorText({ kind: 'redirect', code: 1, gateway: 0, original: new Uint8Array(0) })).toBe('Redirect Host');
    expect(icmpErrorText(layers('icmp-echo-reply').icmp)).toBeNull();
  });

  it('quotes the header and 8 bytes by default, or up to a limit', () => {
    const e = parseEthernet(wireFixture('udp-checksum'));
    if (!e.ok) throw new Error();
    const p = parseIpv4(e.value.payload);
    if (!p.ok) throw new Error();
    const packet = e.value.payload.subarray(0, 20 + p.value.header.payloadLength);
    expect(icmpQuote(packet).length).toBe(28);
    expect(icmpQuote(packet, 548).length).toBe(packet.length);
    expect(icmpQuote(packet, 30).length).toBe(30);
    const q = parseIcmpQuote(icmpQuote(packet));
    expect(q.ok && [q.value.srcPort, q.value.dstPort]).toEqual([53124, 53]);
  });

  it('a redirect round-trips with its gateway', () => {
    const quote = layers('icmp-port-unreachable').icmp;
    if (quote.kind !== 'dest-unreachable') throw new Error();
    const r: IcmpRepr = { kind: 'redirect', code: 1, gateway: ip('192.168.56.254')!, original: quote.original };
    const b = new Uint8Array(icmpLength(r));
    emitIcmp(r, b);
    const back = parseIcmp(b);
    expect(back.ok && back.value).toEqual(r);
  });

  it('a quoted ICMP echo gives its id and seq', () => {
    const l = layers('icmp-echo-request');
    const e = parseEthernet(wireFixture('icmp-echo-request'));
    if (!e.ok) throw new Error();
    const q = parseIcmpQuote(icmpQuote(e.value.payload));
    expect(q.ok && [q.value.echoId, q.value.echoSeq, q.value.srcPort]).toEqual([0x0a1b, 1, -1]);
    expect(l.icmp.kind).toBe('echo-request');
  });

  it('refuses damage: short, bad checksum, unknown type, a bad quote', () => {
    const good = layers('icmp-echo-request').bytes;
    const err = (b: Uint8Array): string => {
      const r = parseIcmp(b);
      return r.ok ? 'ok' : r.error.kind;
    };
    expect(err(good.subarray(0, 7))).toBe('truncated');
    const flipped = good.slice();
    flipped[40] ^= 4;
    expect(err(flipped)).toBe('bad-checksum');
    // Cutting the data breaks the checksum: ICMP has no length field of its own.
    expect(err(good.subarray(0, 60))).toBe('bad-checksum');
    const kinds = (b: Uint8Array): string => {
      const r = parseIcmpQuote(b);
      return r.ok ? 'ok' : r.error.kind;
    };
    expect(kinds(new Uint8Array(19))).toBe('truncated');
    expect(kinds(Uint8Array.from({ length: 28 }, (_, i) => (i === 0 ? 0x60 : 0)))).toBe('bad-version');
    expect(kinds(Uint8Array.from({ length: 28 }, (_, i) => (i === 0 ? 0x44 : 0)))).toBe('bad-length');
    expect(kinds(Uint8Array.from({ length: 28 }, (_, i) => (i === 0 ? 0x48 : 0)))).toBe('truncated');
  });

  it('an unknown type with a good checksum is unsupported, not malformed', () => {
    const b = new Uint8Array(20);
    emitIcmp({ kind: 'echo-request', id: 1, seq: 2, data: new Uint8Array(12) }, b);
    new IcmpView().wrap(b).setTypeCode(13, 0); // a timestamp request
    const r = parseIcmp(b);
    expect(r.ok ? '' : `${r.error.kind}: ${r.error.message}`).toBe('unsupported: ICMP type 13 (code 0) is not one the lab handles');
  });

  it('the view reads fields in place, and turning a request into its reply in place matches the real reply', () => {
    const frame = wireFixture('icmp-echo-request').slice();
    const v = new IcmpView().wrap(frame, 34, 64);
    expect([v.check(), v.type, v.code, v.id, v.seq, v.dataOffset, v.dataLength, v.isError]).toEqual([true, 8, 0, 0x0a1b, 1, 42, 56, false]);
    v.setTypeCode(ICMP_ECHO_REPLY, 0);
    expect(v.check()).toBe(true);
    const reply = wireFixture('icmp-echo-reply');
    expect(toHex(frame.subarray(34, 98))).toBe(toHex(reply.subarray(34, 98)));
    v.setId(0xbeef);
    expect([v.check(), v.id]).toEqual([true, 0xbeef]);
    const err = new IcmpView().wrap(wireFixture('icmp-frag-needed'), 34, 36);
    expect([err.check(), err.isError, err.nextHopMtu]).toEqual([true, true, 1400]);
    expect(new IcmpView().wrap(frame, 34, 7).check()).toBe(false);
    expect(new IcmpView().wrap(frame, 34, 100).check()).toBe(false);
  });

  it('rewriting an all-zero echo request into its reply still gives a checksum that verifies', () => {
    const b = new Uint8Array(8);
    emitIcmp({ kind: 'echo-request', id: 0, seq: 0, data: new Uint8Array(0) }, b);
    const v = new IcmpView().wrap(b);
    v.setTypeCode(ICMP_ECHO_REPLY, 0);
    expect([v.check(), v.checksum]).toEqual([true, 0xffff]);
    const r = parseIcmp(b);
    expect(r.ok && r.value).toEqual({ kind: 'echo-reply', id: 0, seq: 0, data: new Uint8Array(0) });
  });

  it('short ping sizes carry no timestamp, as ping -s 8 does', () => {
    const b = new Uint8Array(8);
    emitLinuxPingData(b, 0, 5_000_000, 8);
    expect([...b]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(readLinuxPingTime(b)).toBeNull();
  });
});
