// IPv4 packets (RFC 791): a view with field accessors and a repr; options are carried as bytes, fragments recognised.
import type { Ipv4Addr } from './address';
import { getU16, getU32, setU16, setU32 } from './bytes';
import { adjust16, internetChecksum } from './checksum';
import { fail, ok, type Parsed } from './result';

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

export const IPV4_HEADER_LEN = 20;
export const IPV4_DEFAULT_TTL = 64;

const FLAG_DF = 0x4000;
const FLAG_MF = 0x2000;

export class Ipv4View {
  buf: Uint8Array = new Uint8Array(0);
  off = 0;

  wrap(buf: Uint8Array, off = 0): this {
    this.buf = buf;
    this.off = off;
    return this;
  }

  get version(): number {
    return this.buf[this.off] >>> 4;
  }
  get headerLength(): number {
    return (this.buf[this.off] & 0x0f) * 4;
  }
  get dscpEcn(): number {
    return this.buf[this.off + 1];
  }
  get totalLength(): number {
    return getU16(this.buf, this.off + 2);
  }
  get ident(): number {
    return getU16(this.buf, this.off + 4);
  }
  get dontFragment(): boolean {
    return (getU16(this.buf, this.off + 6) & FLAG_DF) !== 0;
  }
  get moreFragments(): boolean {
    return (getU16(this.buf, this.off + 6) & FLAG_MF) !== 0;
  }
  /** Fragment offset in bytes. */
  get fragmentOffset(): number {
    return (getU16(this.buf, this.off + 6) & 0x1fff) * 8;
  }
  get isFragment(): boolean {
    return (getU16(this.buf, this.off + 6) & (FLAG_MF | 0x1fff)) !== 0;
  }
  get ttl(): number {
    return this.buf[this.off + 8];
  }
  get protocol(): number {
    return this.buf[this.off + 9];
  }
  get checksum(): number {
    return getU16(this.buf, this.off + 10);
  }
  get src(): Ipv4Addr {
    return getU32(this.buf, this.off + 12);
  }
  get dst(): Ipv4Addr {
    return getU32(this.buf, this.off + 16);
  }
  get payloadOffset(): number {
    return this.off + this.headerLength;
  }
  get payloadLength(): number {
    return this.totalLength - this.headerLength;
  }

  /** True when the header is complete, consistent with the buffer, and its checksum verifies. */
  check(): boolean {
    const b = this.buf;
    const o = this.off;
    if (b.length - o < IPV4_HEADER_LEN) return false;
    if (b[o] >>> 4 !== 4) return false;
    const hl = (b[o] & 0x0f) * 4;
    const total = getU16(b, o + 2);
    if (hl < IPV4_HEADER_LEN || total < hl || o + total > b.length) return false;
    if (hl !== IPV4_HEADER_LEN) return internetChecksum(b, o, o + hl) === 0;
    // The common 20-byte header, summed word by word without a loop (this runs for every packet a router sees).
    let sum =
      ((b[o] << 8) | b[o + 1]) + ((b[o + 2] << 8) | b[o + 3]) + ((b[o + 4] << 8) | b[o + 5]) + ((b[o + 6] << 8) | b[o + 7]) + ((b[o + 8] << 8) | b[o + 9]) +
      ((b[o + 10] << 8) | b[o + 11]) + ((b[o + 12] << 8) | b[o + 13]) + ((b[o + 14] << 8) | b[o + 15]) + ((b[o + 16] << 8) | b[o + 17]) + ((b[o + 18] << 8) | b[o + 19]);
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = (sum & 0xffff) + (sum >>> 16);
    return sum === 0xffff;
  }

  /** Decrements the TTL, patching the checksum incrementally (RFC 1624) as routers do. */
  decrementTtl(): void {
    const o = this.off;
    const oldWord = getU16(this.buf, o + 8);
    this.buf[o + 8]--;
    setU16(this.buf, o + 10, adjust16(getU16(this.buf, o + 10), oldWord, getU16(this.buf, o + 8)));
  }

  setSrc(ip: Ipv4Addr): void {
    setU32(this.buf, this.off + 12, ip);
  }
  setDst(ip: Ipv4Addr): void {
    setU32(this.buf, this.off + 16, ip);
  }
  setChecksum(v: number): void {
    setU16(this.buf, this.off + 10, v);
  }
}

export interface Ipv4Repr {
  src: Ipv4Addr;
  dst: Ipv4Addr;
  protocol: number;
  ttl: number;
  /** Length of the payload after the header. */
  payloadLength: number;
  ident?: number;
  dontFragment?: boolean;
  dscpEcn?: number;
  /** More-fragments flag; present only on a fragment parsed with `acceptFragments`. */
  moreFragments?: boolean;
  /** Fragment offset in bytes (a multiple of 8); present only on a fragment parsed with `acceptFragments`. */
  fragmentOffset?: number;
  /** Raw option bytes (record route, router alert…), which the lab carries but does not act on; absent when none. */
  options?: Uint8Array;
}

export interface Ipv4Packet {
  header: Ipv4Repr;
  /** Bytes of the header including options. */
  headerLength: number;
  payload: Uint8Array;
}

const LAYER = 'ipv4';

/**
 * Reads a packet; `payload` ends where the total length says (Ethernet padding is cut off).
 * Fragments fail with kind 'fragment' (the lab does not reassemble) unless `acceptFragments` is true.
 */
export function parseIpv4(buf: Uint8Array, acceptFragments = false): Parsed<Ipv4Packet> {
  if (buf.length < IPV4_HEADER_LEN) return fail(LAYER, 'truncated', `${buf.length} bytes is shorter than the 20-byte IPv4 header`);
  const v = new Ipv4View().wrap(buf);
  if (v.version !== 4) return fail(LAYER, 'bad-version', `version field is ${v.version}, not 4`);
  const hl = v.headerLength;
  if (hl < IPV4_HEADER_LEN) return fail(LAYER, 'bad-length', `header length ${hl} is below the minimum of 20`);
  if (hl > buf.length) return fail(LAYER, 'truncated', `header length ${hl} runs past the ${buf.length} bytes received`);
  const total = v.totalLength;
  if (total < hl) return fail(LAYER, 'bad-length', `total length ${total} is less than the header length ${hl}`);
  if (total > buf.length) return fail(LAYER, 'truncated', `total length ${total} runs past the ${buf.length} bytes received`);
  if (internetChecksum(buf, 0, hl) !== 0) return fail(LAYER, 'bad-checksum', `header checksum 0x${v.checksum.toString(16).padStart(4, '0')} does not verify`);
  const fragment = v.isFragment;
  if (fragment && !acceptFragments) return fail(LAYER, 'fragment', `fragment (offset ${v.fragmentOffset}, more fragments ${v.moreFragments}); the lab does not reassemble`);
  const header: Ipv4Repr = {
    src: v.src,
    dst: v.dst,
    protocol: v.protocol,
    ttl: v.ttl,
    payloadLength: total - hl,
    ident: v.ident,
    dontFragment: v.dontFragment,
    dscpEcn: v.dscpEcn,
  };
  if (fragment) {
    header.moreFragments = v.moreFragments;
    header.fragmentOffset = v.fragmentOffset;
  }
  if (hl > IPV4_HEADER_LEN) header.options = buf.subarray(IPV4_HEADER_LEN, hl);
  return ok({ header, headerLength: hl, payload: buf.subarray(hl, total) });
}

/** 20 bytes plus the options, padded to a multiple of 4. */
export function ipv4HeaderLength(h: Ipv4Repr): number {
  return h.options === undefined ? IPV4_HEADER_LEN : IPV4_HEADER_LEN + ((h.options.length + 3) & ~3);
}

/**
 * Writes the header with its checksum at buf[offset..]; returns its length (20 without options).
 * Options are padded with zeros (end of option list) to a multiple of 4; at most 40 bytes fit.
 */
export function emitIpv4Header(h: Ipv4Repr, buf: Uint8Array, offset = 0): number {
  const o = offset;
  const hl = ipv4HeaderLength(h);
  buf[o] = 0x40 | (hl >>> 2);
  buf[o + 1] = h.dscpEcn ?? 0;
  setU16(buf, o + 2, hl + h.payloadLength);
  setU16(buf, o + 4, h.ident ?? 0);
  setU16(buf, o + 6, (h.dontFragment ? FLAG_DF : 0) | (h.moreFragments ? FLAG_MF : 0) | (((h.fragmentOffset ?? 0) >>> 3) & 0x1fff));
  buf[o + 8] = h.ttl;
  buf[o + 9] = h.protocol;
  setU16(buf, o + 10, 0);
  setU32(buf, o + 12, h.src);
  setU32(buf, o + 16, h.dst);
  if (h.options !== undefined) {
    buf.set(h.options, o + IPV4_HEADER_LEN);
    buf.fill(0, o + IPV4_HEADER_LEN + h.options.length, o + hl);
  }
  setU16(buf, o + 10, internetChecksum(buf, o, o + hl));
  return hl;
}
