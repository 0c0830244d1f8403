import { describe, expect, it } from 'vitest';
import { parseIpv4 as ip } from '../../../core/wire/address';
import { toHex } from '../../../core/wire/bytes';
import { internetChecksum } from '../../../core/wire/checksum';
import { parseEthernet } from '../../../core/wire/ethernet';
import { emitIpv4Header, IPPROTO_ICMP, IPPROTO_UDP, ipv4HeaderLength, Ipv4View, parseIpv4, type Ipv4Packet } from '../../../core/wire/ipv4';
import { wireFixture } from '../../fixtures/wire/fixtures';

function ipBytes(name: string): Uint8Array {
  const eth = parseEthernet(wireFixture(name));
  if (!eth.ok) throw new Error(eth.error.message);
  return eth.value.payload;
}

function packet(name: string, acceptFragments = false): Ipv4Packet {
  const r = parseIpv4(ipBytes(name), acceptFragments);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.value;
}

/** Emits the parsed header and copies the payload: the bytes the lab would send for this repr. */
function reEmit(p: Ipv4Packet): Uint8Array {
  const out = new Uint8Array(ipv4HeaderLength(p.header) + p.header.payloadLength);
  const hl = emitIpv4Header(p.header, out, 0);
  out.set(p.payload, hl);
  return out;
}

const IP_FIXTURES = ['vlan-udp', 'icmp-echo-request', 'icmp-echo-reply', 'icmp-port-unreachable', 'icmp-time-exceeded', 'icmp-frag-needed', 'udp-checksum', 'udp-no-checksum', 'ipv4-options-rr', 'ipv4-options-ra'];

describe('IPv4', () => {
  it('reads the header of a Linux ping: addresses, DF, TTL 64, protocol ICMP', () => {
    const p = packet('icmp-echo-request');
    expect(p.header).toEqual({ src: ip('10.0.2.15'), dst: ip('8.8.8.8'), protocol: IPPROTO_ICMP, ttl: 64, payloadLength: 64, ident: 0x4d2c, dontFragment: true, dscpEcn: 0 });
    expect(p.headerLength).toBe(20);
  });

  it('ends the payload where the total length says, not at the Ethernet padding', () => {
    const bytes = ipBytes('udp-no-checksum');
    expect(bytes.length).toBe(46);
    const p = packet('udp-no-checksum');
    expect([p.header.protocol, p.header.payloadLength, p.payload.length]).toEqual([IPPROTO_UDP, 24, 24]);
  });

  it('re-emits every unfragmented fixture byte for byte, options included', () => {
    for (const name of IP_FIXTURES) {
      const p = packet(name);
      const bytes = ipBytes(name).subarray(0, p.headerLength + p.header.payloadLength);
      expect(toHex(reEmit(p)), name).toBe(toHex(bytes));
    }
  });

  it('carries options as bytes: ping -R\'s 40-byte record route, IGMP\'s router alert', () => {
    const rr = packet('ipv4-options-rr');
    expect(rr.headerLength).toBe(60);
    expect(rr.header.options?.length).toBe(40);
    expect([...rr.header.options!.subarray(0, 3)]).toEqual([7, 39, 4]);
    const ra = packet('ipv4-options-ra');
    expect([ra.headerLength, ra.header.ttl, ra.header.dscpEcn, ra.header.protocol]).toEqual([24, 1, 0xc0, 2]);
    expect(toHex(ra.header.options!)).toBe('94040000');
    // Options whose length is not a multiple of 4 are padded with end-of-list bytes.
    const out = new Uint8Array(64);
    const hl = emitIpv4Header({ ...ra.header, options: Uint8Array.from([1, 1, 1]) }, out);
    expect(hl).toBe(24);
    expect(toHex(out.subarray(20, 24))).toBe('01010100');
    expect(internetChecksum(out, 0, 24)).toBe(0);
  });

  it('recognises fragments and drops them by default; with acceptFragments it reads them and re-emits them', () => {
    const first = parseIpv4(ipBytes('ipv4-fragment-first'));
    expect(first.ok ? '' : `${first.error.kind}: ${first.error.message}`).toBe('fragment: fragment (offset 0, more fragments true); the lab does not reassemble');
    const last = parseIpv4(ipBytes('ipv4-fragment-last'));
    expect(last.ok ? '' : last.error.message).toMatch(/offset 1480, more fragments false/);
    const f = packet('ipv4-fragment-first', true);
    expect([f.header.moreFragments, f.header.fragmentOffset, f.header.ident, f.header.payloadLength]).toEqual([true, 0, 0xabcd, 1480]);
    const l = packet('ipv4-fragment-last', true);
    expect([l.header.moreFragments, l.header.fragmentOffset, l.header.payloadLength]).toEqual([false, 1480, 520]);
    for (const name of ['ipv4-fragment-first', 'ipv4-fragment-last']) {
      const p = packet(name, true);
      expect(toHex(reEmit(p)), name).toBe(toHex(ipBytes(name)));
    }
    // An unfragmented packet has no fragment fields even when fragments are accepted.
    expect(packet('udp-checksum', true).header.fragmentOffset).toBeUndefined();
  });

  it('refuses damaged headers with the reason', () => {
    const good = ipBytes('udp-checksum');
    const kind = (patch: (b: Uint8Array) => void, len = good.length): string => {
      const b = good.slice(0, len);
      patch(b);
      const r = parseIpv4(b);
      return r.ok ? 'ok' : r.error.kind;
    };
    expect(kind(() => {})).toBe('ok');
    expect(kind(() => {}, 19)).toBe('truncated');
    expect(kind((b) => (b[0] = 0x65))).toBe('bad-version');
    expect(kind((b) => (b[0] = 0x44))).toBe('bad-length');
    expect(kind((b) => (b[0] = 0x4f), 40)).toBe('truncated');
    expect(kind((b) => (b[3] = 10))).toBe('bad-length');
    expect(kind((b) => (b[3] = 0xff))).toBe('truncated');
    expect(kind((b) => (b[8] ^= 1))).toBe('bad-checksum');
    expect(kind(() => {}, 40)).toBe('truncated');
  });

  it('the view decrements the TTL with an incremental checksum equal to a full recompute (RFC 1624)', () => {
    for (const name of IP_FIXTURES) {
      const b = ipBytes(name).slice();
      const v = new Ipv4View().wrap(b);
      expect(v.check(), name).toBe(true);
      const ttl = v.ttl;
      v.decrementTtl();
      expect(v.ttl).toBe(ttl - 1);
      expect(v.check(), name).toBe(true);
      const again = b.slice(0, v.headerLength);
      again[10] = again[11] = 0;
      expect(v.checksum).toBe(internetChecksum(again));
    }
  });

  it('the view reads every field in place at an offset', () => {
    const frame = wireFixture('ipv4-fragment-last');
    const v = new Ipv4View().wrap(frame, 14);
    expect(v.check()).toBe(true);
    expect([v.version, v.headerLength, v.totalLength, v.ident, v.dontFragment, v.moreFragments, v.fragmentOffset, v.isFragment]).toEqual([4, 20, 540, 0xabcd, false, false, 1480, true]);
    expect([v.ttl, v.protocol, v.src, v.dst, v.payloadOffset, v.payloadLength]).toEqual([64, IPPROTO_ICMP, ip('192.168.56.101'), ip('192.168.56.102'), 34, 520]);
    const c = frame.slice();
    const w = new Ipv4View().wrap(c, 14);
    w.setSrc(ip('10.0.2.15')!);
    expect(w.check()).toBe(false);
    w.setChecksum(0);
    w.setChecksum(internetChecksum(c, 14, 34));
    expect(w.check()).toBe(true);
    expect(new Ipv4View().wrap(frame.subarray(0, 100), 14).check()).toBe(false);
  });
});
