import { describe, expect, it } from 'vitest';
import { MAC_BROADCAST, parseMac as mac } from '../../../core/wire/address';
import { toHex } from '../../../core/wire/bytes';
import {
  buildFrame,
  emitEthernetHeader,
  ETHERNET_MIN_FRAME,
  ethernetHeaderLength,
  EthernetView,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_VLAN,
  parseEthernet,
} from '../../../core/wire/ethernet';
import { FRAME_FIXTURES, wireFixture } from '../../fixtures/wire/fixtures';

const VM1 = mac('08:00:27:aa:bb:cc')!;
const VM2 = mac('08:00:27:11:22:33')!;

describe('Ethernet II', () => {
  it('reads a broadcast ARP frame; the payload keeps the padding, for the layer above to cut', () => {
    const r = parseEthernet(wireFixture('arp-request'));
    expect(r.ok && r.value.header).toEqual({ dst: MAC_BROADCAST, src: VM1, ethertype: ETHERTYPE_ARP });
    expect(r.ok && r.value.payload.length).toBe(46);
  });

  it('reads an 802.1Q tag: VLAN 100, priority 5, IPv4 inside', () => {
    const r = parseEthernet(wireFixture('vlan-udp'));
    expect(r.ok && r.value.header).toEqual({ dst: VM2, src: VM1, ethertype: ETHERTYPE_IPV4, vlan: 100, pcp: 5 });
    expect(r.ok && r.value.payload[0]).toBe(0x45);
    const v = new EthernetView().wrap(wireFixture('vlan-udp'));
    expect([v.check(), v.vlan, v.ethertype, v.headerLength, v.payload.length]).toEqual([true, 100, ETHERTYPE_IPV4, 18, 42]);
  });

  it('re-emits the header of every fixture byte for byte', () => {
    for (const name of FRAME_FIXTURES) {
      const bytes = wireFixture(name);
      const r = parseEthernet(bytes);
      if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
      const out = new Uint8Array(18);
      const n = emitEthernetHeader(r.value.header, out);
      expect(n).toBe(ethernetHeaderLength(r.value.header));
      expect(toHex(out.subarray(0, n)), name).toBe(toHex(bytes.subarray(0, n)));
      const whole = buildFrame(r.value.header, r.value.payload.length, (b, o) => b.set(r.value.payload, o));
      expect(toHex(whole), name).toBe(toHex(bytes));
    }
  });

  it('buildFrame pads short frames with zeros to 60 bytes and leaves long ones alone', () => {
    const h = { dst: VM2, src: VM1, ethertype: 0x88b5 };
    const f = buildFrame(h, 3, (b, o) => b.set([1, 2, 3], o));
    expect(f.length).toBe(ETHERNET_MIN_FRAME);
    expect([...f.subarray(14, 20)]).toEqual([1, 2, 3, 0, 0, 0]);
    expect(buildFrame(h, 100, () => {}).length).toBe(114);
    expect(buildFrame({ ...h, vlan: 7 }, 100, () => {}).length).toBe(118);
  });

  it('refuses short frames, 802.3 length fields and cut tags', () => {
    const kind = (b: Uint8Array): string => {
      const r = parseEthernet(b);
      return r.ok ? 'ok' : r.error.kind;
    };
    expect(kind(new Uint8Array(13))).toBe('truncated');
    const f = wireFixture('arp-request');
    const llc = f.slice();
    llc[12] = 0x00;
    llc[13] = 0x2e; // an IEEE 802.3 length (46), as STP frames carry
    expect(kind(llc)).toBe('unsupported');
    const tagged = wireFixture('vlan-udp');
    expect(kind(tagged.subarray(0, 17))).toBe('truncated');
    const innerLen = tagged.slice();
    innerLen[16] = 0x00;
    innerLen[17] = 0x40;
    expect(kind(innerLen)).toBe('unsupported');
    expect(new EthernetView().wrap(tagged.subarray(0, 17)).check()).toBe(false);
  });

  it('the view rewrites addresses in place (a bridge or NAT does) and reads -1 for no VLAN', () => {
    const f = wireFixture('arp-reply').slice();
    const v = new EthernetView().wrap(f);
    expect([v.vlan, v.headerLength, v.ethertype]).toEqual([-1, 14, ETHERTYPE_ARP]);
    v.dst = MAC_BROADCAST;
    v.src = 0x0a0000000001;
    expect(toHex(f.subarray(0, 12))).toBe('ffffffffffff0a0000000001');
    expect(ETHERTYPE_VLAN).toBe(0x8100);
  });
});
