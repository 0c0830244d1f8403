// Ethernet II frames (IEEE 802.3 with EtherType), with 802.1Q tag parsing: a view over bytes and a plain repr.
import type { MacAddr } from './address';
import { getU16, getU48, setU16, setU48 } from './bytes';
import { fail, ok, type Parsed } from './result';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_IPV6 = 0x86dd;

export const ETHERNET_HEADER_LEN = 14;
/** Shortest frame on the wire without the FCS; shorter frames are padded with zeros, as NICs do. */
export const ETHERNET_MIN_FRAME = 60;
export const ETHERNET_MTU = 1500;

/**
 * Zero-copy accessors over a frame. One view can be re-pointed at frame after frame with `wrap`,
 * so the hot path allocates nothing. Accessors assume `check()` (or the caller) made sure the bytes exist.
 */
export class EthernetView {
  buf: Uint8Array = new Uint8Array(0);

  wrap(buf: Uint8Array): this {
    this.buf = buf;
    return this;
  }

  /** True when the buffer holds at least a header (and a full 802.1Q tag when one is present). */
  check(): boolean {
    const b = this.buf;
    if (b.length < ETHERNET_HEADER_LEN) return false;
    return getU16(b, 12) !== ETHERTYPE_VLAN || b.length >= ETHERNET_HEADER_LEN + 4;
  }

  get dst(): MacAddr {
    return getU48(this.buf, 0);
  }
  set dst(v: MacAddr) {
    setU48(this.buf, 0, v);
  }
  get src(): MacAddr {
    return getU48(this.buf, 6);
  }
  set src(v: MacAddr) {
    setU48(this.buf, 6, v);
  }
  /** The EtherType after any 802.1Q tag. */
  get ethertype(): number {
    const t = getU16(this.buf, 12);
    return t === ETHERTYPE_VLAN ? getU16(this.buf, 16) : t;
  }
  /** VLAN id of an 802.1Q tag, or -1 for an untagged frame. */
  get vlan(): number {
    return getU16(this.buf, 12) === ETHERTYPE_VLAN ? getU16(this.buf, 14) & 0x0fff : -1;
  }
  get headerLength(): number {
    return getU16(this.buf, 12) === ETHERTYPE_VLAN ? ETHERNET_HEADER_LEN + 4 : ETHERNET_HEADER_LEN;
  }
  get payload(): Uint8Array {
    return this.buf.subarray(this.headerLength);
  }
}

export interface EthernetRepr {
  dst: MacAddr;
  src: MacAddr;
  ethertype: number;
  /** 802.1Q VLAN id, absent when untagged. */
  vlan?: number;
  /** 802.1Q priority code point (0–7), meaningful only with `vlan`. */
  pcp?: number;
}

export interface EthernetFrame {
  header: EthernetRepr;
  payload: Uint8Array;
}

const LAYER = 'ethernet';

export function parseEthernet(buf: Uint8Array): Parsed<EthernetFrame> {
  if (buf.length < ETHERNET_HEADER_LEN) return fail(LAYER, 'truncated', `frame of ${buf.length} bytes is shorter than the 14-byte Ethernet header`);
  const v = new EthernetView().wrap(buf);
  const outer = getU16(buf, 12);
  if (outer === ETHERTYPE_VLAN) {
    if (buf.length < 18) return fail(LAYER, 'truncated', `802.1Q-tagged frame of ${buf.length} bytes is shorter than its 18-byte header`);
    const tci = getU16(buf, 14);
    const inner = getU16(buf, 16);
    if (inner < 0x0600) return fail(LAYER, 'unsupported', `length field ${inner} inside the 802.1Q tag marks an IEEE 802.3 frame, not Ethernet II`);
    return ok({ header: { dst: v.dst, src: v.src, ethertype: inner, vlan: tci & 0x0fff, pcp: tci >>> 13 }, payload: buf.subarray(18) });
  }
  if (outer < 0x0600) return fail(LAYER, 'unsupported', `length field ${outer} marks an IEEE 802.3 frame, not Ethernet II`);
  return ok({ header: { dst: v.dst, src: v.src, ethertype: outer }, payload: buf.subarray(14) });
}

export function ethernetHeaderLength(h: EthernetRepr): number {
  return h.vlan === undefined ? ETHERNET_HEADER_LEN : ETHERNET_HEADER_LEN + 4;
}

/** Writes the header at buf[0..]; returns its length. */
export function emitEthernetHeader(h: EthernetRepr, buf: Uint8Array): number {
  setU48(buf, 0, h.dst);
  setU48(buf, 6, h.src);
  if (h.vlan === undefined) {
    setU16(buf, 12, h.ethertype);
    return ETHERNET_HEADER_LEN;
  }
  setU16(buf, 12, ETHERTYPE_VLAN);
  setU16(buf, 14, (((h.pcp ?? 0) & 7) << 13) | (h.vlan & 0x0fff));
  setU16(buf, 16, h.ethertype);
  return 18;
}

/**
 * A whole frame in a new buffer, padded with zeros to the 60-byte minimum.
 * `writePayload` fills the payload in place, so layers above emit straight into the frame.
 */
export function buildFrame(h: EthernetRepr, payloadLength: number, writePayload: (buf: Uint8Array, offset: number) => void): Uint8Array {
  const hl = ethernetHeaderLength(h);
  const frame = new Uint8Array(Math.max(ETHERNET_MIN_FRAME, hl + payloadLength));
  emitEthernetHeader(h, frame);
  writePayload(frame, hl);
  return frame;
}
