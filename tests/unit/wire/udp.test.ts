import { describe, expect, it } from 'vitest';
import { parseIpv4 as ip } from '../../../core/wire/address';
import { toHex } from '../../../core/wire/bytes';
import { buildFrame, parseEthernet, type EthernetRepr } from '../../../core/wire/ethernet';
import { emitIpv4Header, IPPROTO_UDP, parseIpv4, type Ipv4Repr } from '../../../core/wire/ipv4';
import { emitUdp, parseUdp, udpChecksum, udpLength, UdpView, UDP_HEADER_LEN, type UdpDatagram } from '../../../core/wire/udp';
import { wireFixture } from '../../fixtures/wire/fixtures';

interface Layers {
  eth: EthernetRepr;
  ip: Ipv4Repr;
  ipPayload: Uint8Array;
  udp: UdpDatagram;
}

function layers(name: string): Layers {
  const e = parseEthernet(wireFixture(name));
  if (!e.ok) throw new Error(e.error.message);
  const p = parseIpv4(e.value.payload);
  if (!p.ok) throw new Error(p.error.message);
  expect(p.value.header.protocol).toBe(IPPROTO_UDP);
  const u = parseUdp(p.value.payload, p.value.header.src, p.value.header.dst);
  if (!u.ok) throw new Error(u.error.message);
  return { eth: e.value.header, ip: p.value.header, ipPayload: p.value.payload, udp: u.value };
}

function rebuild(l: Layers, zeroCopy: boolean): Uint8Array {
  const len = udpLength(l.udp.header);
  return buildFrame(l.eth, 20 + len, (b, o) => {
    emitIpv4Header({ ...l.ip, payloadLength: len }, b, o);
    if (zeroCopy) b.set(l.udp.payload, o + 20 + UDP_HEADER_LEN);
    expect(emitUdp(l.udp.header, b, o + 20, l.ip.src, l.ip.dst, zeroCopy ? undefined : l.udp.payload)).toBe(len);
  });
}

describe('UDP', () => {
  it('reads a DNS query to VirtualBox NAT\'s DNS proxy and verifies its checksum', () => {
    const l = layers('udp-checksum');
    expect(l.udp.header).toEqual({ srcPort: 53124, dstPort: 53, payloadLength: 29 });
    expect(toHex(l.udp.payload)).toBe('123401000001000000000000076578616d706c6503636f6d0000010001');
  });

  it('accepts checksum 0 as "none" and says so in the repr', () => {
    const l = layers('udp-no-checksum');
    expect(l.udp.header).toEqual({ srcPort: 5001, dstPort: 5002, payloadLength: 16, noChecksum: true });
  });

  it('re-emits every UDP fixture byte for byte, copying the payload or with it already in place', () => {
    for (const name of ['udp-checksum', 'udp-no-checksum', 'vlan-udp']) {
      const l = layers(name);
      expect(toHex(rebuild(l, false)), name).toBe(toHex(wireFixture(name)));
      expect(toHex(rebuild(l, true)), name).toBe(toHex(wireFixture(name)));
    }
  });

  it('a checksum that computes to 0 is sent as 0xffff, and that verifies', () => {
    const src = ip('10.0.2.15')!;
    const dst = ip('10.0.2.2')!;
    const buf = new Uint8Array(10);
    emitUdp({ srcPort: 1000, dstPort: 2000, payloadLength: 2 }, buf, 0, src, dst, Uint8Array.from([0, 0]));
    const c0 = (buf[6] << 8) | buf[7];
    // A payload word equal to the zero-payload checksum makes the one's-complement sum 0xffff.
    emitUdp({ srcPort: 1000, dstPort: 2000, payloadLength: 2 }, buf, 0, src, dst, Uint8Array.from([c0 >> 8, c0 & 255]));
    expect(toHex(buf.subarray(6, 8))).toBe('ffff');
    expect(udpChecksum(buf, 0, 10, src, dst)).toBe(0xffff);
    expect(parseUdp(buf, src, dst).ok).toBe(true);
  });

  it('refuses a wrong checksum, including one checked against the wrong addresses', () => {
    const l = layers('udp-checksum');
    const b = l.ipPayload.slice();
    const wrongAddr = parseUdp(b, ip('10.0.2.16')!, l.ip.dst);
    expect(wrongAddr.ok ? '' : wrongAddr.error.kind).toBe('bad-checksum');
    b[UDP_HEADER_LEN + 3] ^= 0x20;
    const r = parseUdp(b, l.ip.src, l.ip.dst);
    expect(r.ok ? '' : r.error.message).toMatch(/^checksum 0x[0-9a-f]{4} does not verify$/);
    // With no checksum, damage goes unnoticed, as on a real stack.
    const n = layers('udp-no-checksum');
    const d = n.ipPayload.slice();
    d[12] ^= 0xff;
    expect(parseUdp(d, n.ip.src, n.ip.dst).ok).toBe(true);
  });

  it('checks the length field against the bytes received', () => {
    const l = layers('udp-no-checksum');
    const kind = (b: Uint8Array): string => {
      const r = parseUdp(b, l.ip.src, l.ip.dst);
      return r.ok ? 'ok' : r.error.kind;
    };
    expect(kind(l.ipPayload.subarray(0, 7))).toBe('truncated');
    expect(kind(l.ipPayload.subarray(0, 23))).toBe('truncated');
    const b = l.ipPayload.slice();
    b[5] = 7;
    expect(kind(b)).toBe('bad-length');
    // Bytes past the length field are not part of the datagram.
    b[5] = 12;
    const r = parseUdp(b, l.ip.src, l.ip.dst);
    expect(r.ok && [r.value.header.payloadLength, r.value.payload.length]).toEqual([4, 4]);
  });

  it('the view rewrites ports and addresses for NAT and the checksum still verifies', () => {
    const l = layers('udp-checksum');
    const b = l.ipPayload.slice();
    const v = new UdpView().wrap(b);
    expect([v.check(), v.srcPort, v.dstPort, v.length, v.payloadOffset, v.payloadLength]).toEqual([true, 53124, 53, 37, 8, 29]);
    v.setSrcPort(61000);
    const newSrc = ip('192.168.1.20')!;
    v.addressChanged(l.ip.src, newSrc);
    expect(v.srcPort).toBe(61000);
    expect(v.verifyChecksum(newSrc, l.ip.dst)).toBe(true);
    expect(v.verifyChecksum(l.ip.src, l.ip.dst)).toBe(false);
    v.setDstPort(5353);
    expect(v.checksum).toBe(udpChecksum(Uint8Array.from([...b.subarray(0, 6), 0, 0, ...b.subarray(8)]), 0, 37, newSrc, l.ip.dst));
    // "No checksum" stays 0 through rewrites.
    const n = layers('udp-no-checksum').ipPayload.slice();
    const w = new UdpView().wrap(n);
    w.setSrcPort(1);
    w.addressChanged(1, 2);
    expect(w.checksum).toBe(0);
    expect(new UdpView().wrap(b, 0, 36).check()).toBe(false);
  });
});
