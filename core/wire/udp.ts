// UDP (RFC 768) over IPv4: a view and a repr, with the pseudo-header checksum (0 on receipt means "none").
import type { Ipv4Addr } from './address';
import { getU16, setU16 } from './bytes';
import { adjust16, adjust32, finish, pseudoHeaderSum, sum16 } from './checksum';
import { IPPROTO_UDP } from './ipv4';
import { fail, ok, type Parsed } from './result';

export const UDP_HEADER_LEN = 8;

/** The checksum over the datagram at buf[off, off+length) and the IPv4 pseudo-header, as it goes in the field (0 sent as 0xffff). */
export function udpChecksum(buf: Uint8Array, off: number, length: number, src: Ipv4Addr, dst: Ipv4Addr): number {
  const c = finish(sum16(buf, off, off + length, pseudoHeaderSum(src, dst, IPPROTO_UDP, length)));
  return c === 0 ? 0xffff : c;
}

/**
 * Zero-copy accessors over a datagram at `off`, `available` being the bytes the IPv4 packet gives it
 * (its payload length, not the padded frame). `check()` makes sure the length field fits.
 */
export class UdpView {
  buf: Uint8Array = new Uint8Array(0);
  off = 0;
  available = 0;

  wrap(buf: Uint8Array, off = 0, available = buf.length - off): this {
    this.buf = buf;
    this.off = off;
    this.available = available;
    return this;
  }

  /** The header is there and its length field lies between 8 and the bytes available. */
  check(): boolean {
    if (this.available < UDP_HEADER_LEN || this.off + this.available > this.buf.length) return false;
    const len = getU16(this.buf, this.off + 4);
    return len >= UDP_HEADER_LEN && len <= this.available;
  }

  get srcPort(): number {
    return getU16(this.buf, this.off);
  }
  get dstPort(): number {
    return getU16(this.buf, this.off + 2);
  }
  /** The length field: header and payload. */
  get length(): number {
    return getU16(this.buf, this.off + 4);
  }
  get checksum(): number {
    return getU16(this.buf, this.off + 6);
  }
  get payloadOffset(): number {
    return this.off + UDP_HEADER_LEN;
  }
  get payloadLength(): number {
    return this.length - UDP_HEADER_LEN;
  }

  /** True when the checksum field is 0 ("none") or verifies against the pseudo-header. */
  verifyChecksum(src: Ipv4Addr, dst: Ipv4Addr): boolean {
    if (this.checksum === 0) return true;
    const len = this.length;
    return finish(sum16(this.buf, this.off, this.off + len, pseudoHeaderSum(src, dst, IPPROTO_UDP, len))) === 0;
  }

  /** Rewrites the source port (NAT), patching a present checksum incrementally. */
  setSrcPort(port: number): void {
    this.patch(0, port & 0xffff);
  }
  setDstPort(port: number): void {
    this.patch(2, port & 0xffff);
  }

  /** Patches a present checksum after an address of the pseudo-header changed from `oldIp` to `newIp` (NAT). */
  addressChanged(oldIp: Ipv4Addr, newIp: Ipv4Addr): void {
    const c = this.checksum;
    if (c === 0) return;
    const n = adjust32(c, oldIp, newIp);
    setU16(this.buf, this.off + 6, n === 0 ? 0xffff : n);
  }

  private patch(at: number, value: number): void {
    const o = this.off;
    const old = getU16(this.buf, o + at);
    setU16(this.buf, o + at, value);
    const c = getU16(this.buf, o + 6);
    if (c === 0) return;
    const n = adjust16(c, old, value);
    setU16(this.buf, o + 6, n === 0 ? 0xffff : n);
  }
}

export interface UdpRepr {
  srcPort: number;
  dstPort: number;
  payloadLength: number;
  /** Sent (or received) with checksum 0, "no checksum"; absent means a computed checksum. */
  noChecksum?: boolean;
}

export interface UdpDatagram {
  header: UdpRepr;
  /** A subarray of the input, cut at the length field. */
  payload: Uint8Array;
}

const LAYER = 'udp';

/** Reads a datagram from `buf` (the IPv4 payload), verifying the checksum with the packet's addresses. */
export function parseUdp(buf: Uint8Array, src: Ipv4Addr, dst: Ipv4Addr): Parsed<UdpDatagram> {
  if (buf.length < UDP_HEADER_LEN) return fail(LAYER, 'truncated', `${buf.length} bytes is shorter than the 8-byte UDP header`);
  const v = new UdpView().wrap(buf);
  const len = v.length;
  if (len < UDP_HEADER_LEN) return fail(LAYER, 'bad-length', `length field ${len} is below the 8-byte header`);
  if (len > buf.length) return fail(LAYER, 'truncated', `length field ${len} runs past the ${buf.length} bytes received`);
  if (!v.verifyChecksum(src, dst)) return fail(LAYER, 'bad-checksum', `checksum 0x${v.checksum.toString(16).padStart(4, '0')} does not verify`);
  const header: UdpRepr = { srcPort: v.srcPort, dstPort: v.dstPort, payloadLength: len - UDP_HEADER_LEN };
  if (v.checksum === 0) header.noChecksum = true;
  return ok({ header, payload: buf.subarray(UDP_HEADER_LEN, len) });
}

export function udpLength(r: UdpRepr): number {
  return UDP_HEADER_LEN + r.payloadLength;
}

/**
 * Writes the datagram at buf[offset..] and returns its length. With `payload` given it is copied in first;
 * without, the caller has already written `r.payloadLength` bytes at offset + 8 (zero-copy emit).
 * `src` and `dst` are the IPv4 addresses of the packet that will carry it, for the checksum.
 */
export function emitUdp(r: UdpRepr, buf: Uint8Array, offset: number, src: Ipv4Addr, dst: Ipv4Addr, payload?: Uint8Array): number {
  const o = offset;
  if (payload !== undefined) buf.set(payload.subarray(0, r.payloadLength), o + UDP_HEADER_LEN);
  const len = UDP_HEADER_LEN + r.payloadLength;
  setU16(buf, o, r.srcPort);
  setU16(buf, o + 2, r.dstPort);
  setU16(buf, o + 4, len);
  setU16(buf, o + 6, 0);
  if (!r.noChecksum) setU16(buf, o + 6, udpChecksum(buf, o, len, src, dst));
  return len;
}
