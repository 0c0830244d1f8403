// TCP segments (RFC 9293) with their options (RFC 7323, RFC 2018): a view with field accessors and a repr.
import type { Ipv4Addr } from './address';
import { getU16, getU32, setU16, setU32 } from './bytes';
import { finish, pseudoHeaderSum, sum16 } from './checksum';
import { IPPROTO_TCP } from './ipv4';
import { fail, ok, type Parsed } from './result';

export const TCP_HEADER_LEN = 20;
/** Data offset is 4 bits of 32-bit words: at most 60 bytes of header, 40 of them options. */
export const TCP_MAX_HEADER_LEN = 60;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

export const TCPOPT_EOL = 0;
export const TCPOPT_NOP = 1;
export const TCPOPT_MSS = 2;
export const TCPOPT_WINDOW_SCALE = 3;
export const TCPOPT_SACK_PERMITTED = 4;
export const TCPOPT_SACK = 5;
export const TCPOPT_TIMESTAMPS = 8;

/**
 * Zero-copy accessors over a segment. Re-point it with `wrap` for each segment; the option finders scan
 * the header in place, so the hot path of a TCP stack reads MSS or timestamps without building a repr.
 * Accessors assume `check()` (or the caller) made sure the bytes exist.
 */
export class TcpView {
  buf: Uint8Array = new Uint8Array(0);
  off = 0;
  /** Length of the segment (header and payload), which the IP layer knows. */
  len = 0;

  wrap(buf: Uint8Array, off = 0, len = buf.length - off): this {
    this.buf = buf;
    this.off = off;
    this.len = len;
    return this;
  }

  /** True when the header is complete and its data offset lies between 20 and the segment's length. */
  check(): boolean {
    if (this.len < TCP_HEADER_LEN || this.off + this.len > this.buf.length) return false;
    const hl = this.headerLength;
    return hl >= TCP_HEADER_LEN && hl <= this.len;
  }

  /** True when the checksum over the IPv4 pseudo-header, header and payload verifies. */
  verifyChecksum(src: Ipv4Addr, dst: Ipv4Addr): boolean {
    const start = pseudoHeaderSum(src, dst, IPPROTO_TCP, this.len);
    return finish(sum16(this.buf, this.off, this.off + this.len, start)) === 0;
  }

  get srcPort(): number {
    return getU16(this.buf, this.off);
  }
  get dstPort(): number {
    return getU16(this.buf, this.off + 2);
  }
  get seq(): number {
    return getU32(this.buf, this.off + 4);
  }
  get ack(): number {
    return getU32(this.buf, this.off + 8);
  }
  get headerLength(): number {
    return (this.buf[this.off + 12] >>> 4) * 4;
  }
  /** The eight flag bits FIN…CWR (the experimental NS bit is not kept). */
  get flags(): number {
    return this.buf[this.off + 13];
  }
  get window(): number {
    return getU16(this.buf, this.off + 14);
  }
  get checksum(): number {
    return getU16(this.buf, this.off + 16);
  }
  get urgentPointer(): number {
    return getU16(this.buf, this.off + 18);
  }
  get payloadOffset(): number {
    return this.off + this.headerLength;
  }
  get payloadLength(): number {
    return this.len - this.headerLength;
  }
  /** Sequence space the segment occupies: its payload, plus one each for SYN and FIN. */
  get segmentLength(): number {
    const f = this.flags;
    return this.payloadLength + (f & TCP_SYN ? 1 : 0) + (f & TCP_FIN ? 1 : 0);
  }

  /** Offset in `buf` of the first option of `kind` with its expected length, or -1 (also when options are malformed). */
  findOption(kind: number, length: number): number {
    const b = this.buf;
    const end = this.off + this.headerLength;
    let i = this.off + TCP_HEADER_LEN;
    while (i < end) {
      const t = b[i];
      if (t === TCPOPT_EOL) return -1;
      if (t === TCPOPT_NOP) {
        i++;
        continue;
      }
      if (i + 1 >= end) return -1;
      const l = b[i + 1];
      if (l < 2 || i + l > end) return -1;
      if (t === kind) return l === length ? i : -1;
      i += l;
    }
    return -1;
  }

  /** The MSS option's value, or 0 when absent. */
  get mssOption(): number {
    const i = this.findOption(TCPOPT_MSS, 4);
    return i < 0 ? 0 : getU16(this.buf, i + 2);
  }
  /** The window scale option's shift, or -1 when absent. */
  get windowScaleOption(): number {
    const i = this.findOption(TCPOPT_WINDOW_SCALE, 3);
    return i < 0 ? -1 : this.buf[i + 2];
  }
  get sackPermitted(): boolean {
    return this.findOption(TCPOPT_SACK_PERMITTED, 2) >= 0;
  }
  /** Offset of the timestamps option (TSval at +2, TSecr at +6), or -1. */
  get timestampsOffset(): number {
    return this.findOption(TCPOPT_TIMESTAMPS, 10);
  }

  // Setters for those who rewrite segments in place (a NAT engine), then patch the checksum with adjust16.
  setSrcPort(v: number): void {
    setU16(this.buf, this.off, v);
  }
  setDstPort(v: number): void {
    setU16(this.buf, this.off + 2, v);
  }
  setChecksum(v: number): void {
    setU16(this.buf, this.off + 16, v);
  }
}

export type TcpOption =
  | { readonly kind: 'eol' }
  | { readonly kind: 'nop' }
  | { readonly kind: 'mss'; readonly mss: number }
  | { readonly kind: 'window-scale'; readonly shift: number }
  | { readonly kind: 'sack-permitted' }
  /** Blocks of [left edge, right edge) sequence numbers received out of order. */
  | { readonly kind: 'sack'; readonly blocks: readonly (readonly [number, number])[] }
  | { readonly kind: 'timestamps'; readonly tsval: number; readonly tsecr: number }
  /** An option the lab does not interpret, kept as its raw data (after kind and length). */
  | { readonly kind: 'unknown'; readonly type: number; readonly data: Uint8Array };

export interface TcpRepr {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** TCP_FIN | TCP_SYN | … */
  flags: number;
  window: number;
  urgentPointer?: number;
  /** In wire order; the emitter pads the list to a multiple of four bytes with zeros (EOL). */
  options?: readonly TcpOption[];
}

export interface TcpSegment {
  header: TcpRepr;
  headerLength: number;
  /** The checksum as received (already verified unless parsing was asked not to). */
  checksum: number;
  payload: Uint8Array;
}

const LAYER = 'tcp';

function optionError<T>(kind: number, at: number, why: string): Parsed<T> {
  return fail(LAYER, 'bad-option', `option kind ${kind} at header offset ${at} ${why}`);
}

const FIXED_LENGTH: Record<number, number> = {
  [TCPOPT_MSS]: 4,
  [TCPOPT_WINDOW_SCALE]: 3,
  [TCPOPT_SACK_PERMITTED]: 2,
  [TCPOPT_TIMESTAMPS]: 10,
};

/** Reads the options in b[start, end); an option that overruns the header or has a wrong length is an error. */
export function parseTcpOptions(b: Uint8Array, start: number, end: number): Parsed<TcpOption[]> {
  const out: TcpOption[] = [];
  let i = start;
  while (i < end) {
    const t = b[i];
    const at = i - start + TCP_HEADER_LEN;
    if (t === TCPOPT_EOL) {
      // Whatever follows EOL is padding.
      out.push({ kind: 'eol' });
      break;
    }
    if (t === TCPOPT_NOP) {
      out.push({ kind: 'nop' });
      i++;
      continue;
    }
    if (i + 1 >= end) return optionError(t, at, 'has no room for its length byte');
    const l = b[i + 1];
    if (l < 2) return optionError(t, at, `has length ${l}, below the minimum of 2`);
    if (i + l > end) return optionError(t, at, `of length ${l} runs past the end of the header`);
    const fixed = FIXED_LENGTH[t];
    if (fixed !== undefined && l !== fixed) return optionError(t, at, `has length ${l}; it must be ${fixed}`);
    switch (t) {
      case TCPOPT_MSS:
        out.push({ kind: 'mss', mss: getU16(b, i + 2) });
        break;
      case TCPOPT_WINDOW_SCALE:
        out.push({ kind: 'window-scale', shift: b[i + 2] });
        break;
      case TCPOPT_SACK_PERMITTED:
        out.push({ kind: 'sack-permitted' });
        break;
      case TCPOPT_TIMESTAMPS:
        out.push({ kind: 'timestamps', tsval: getU32(b, i + 2), tsecr: getU32(b, i + 6) });
        break;
      case TCPOPT_SACK: {
        if ((l - 2) % 8 !== 0 || l === 2) return optionError(t, at, `(SACK) has length ${l}, not 2 + 8·n with n ≥ 1`);
        const blocks: (readonly [number, number])[] = [];
        for (let k = i + 2; k < i + l; k += 8) blocks.push([getU32(b, k), getU32(b, k + 4)]);
        out.push({ kind: 'sack', blocks });
        break;
      }
      default:
        out.push({ kind: 'unknown', type: t, data: b.slice(i + 2, i + l) });
    }
    i += l;
  }
  return ok(out);
}

/**
 * Parses a segment whose IPv4 source and destination are `src` and `dst` (the checksum covers them).
 * `verifyChecksum` false reads captures whose senders left checksums to the NIC.
 */
export function parseTcp(buf: Uint8Array, src: Ipv4Addr, dst: Ipv4Addr, verifyChecksum = true): Parsed<TcpSegment> {
  if (buf.length < TCP_HEADER_LEN) return fail(LAYER, 'truncated', `${buf.length} bytes is shorter than the 20-byte TCP header`);
  const v = new TcpView().wrap(buf);
  const hl = v.headerLength;
  if (hl < TCP_HEADER_LEN) return fail(LAYER, 'bad-length', `data offset ${hl / 4} (${hl} bytes) is below the minimum of 5 (20 bytes)`);
  if (hl > buf.length) return fail(LAYER, 'truncated', `data offset ${hl / 4} (${hl} bytes) runs past the ${buf.length} bytes of the segment`);
  if (verifyChecksum && !v.verifyChecksum(src, dst)) return fail(LAYER, 'bad-checksum', `checksum 0x${v.checksum.toString(16).padStart(4, '0')} does not verify`);
  const opts = parseTcpOptions(buf, TCP_HEADER_LEN, hl);
  if (!opts.ok) return opts;
  const header: TcpRepr = {
    srcPort: v.srcPort,
    dstPort: v.dstPort,
    seq: v.seq,
    ack: v.ack,
    flags: v.flags,
    window: v.window,
    urgentPointer: v.urgentPointer,
    options: opts.value,
  };
  return ok({ header, headerLength: hl, checksum: v.checksum, payload: buf.subarray(hl) });
}

function optionLength(o: TcpOption): number {
  switch (o.kind) {
    case 'eol':
    case 'nop':
      return 1;
    case 'mss':
      return 4;
    case 'window-scale':
      return 3;
    case 'sack-permitted':
      return 2;
    case 'sack':
      return 2 + 8 * o.blocks.length;
    case 'timestamps':
      return 10;
    case 'unknown':
      return 2 + o.data.length;
  }
}

/** Bytes of options as emitted, padded to a multiple of four. */
export function tcpOptionsLength(options: readonly TcpOption[] | undefined): number {
  if (!options) return 0;
  let n = 0;
  for (const o of options) n += optionLength(o);
  return (n + 3) & ~3;
}

export function tcpHeaderLength(h: TcpRepr): number {
  return TCP_HEADER_LEN + tcpOptionsLength(h.options);
}

function emitOptions(options: readonly TcpOption[], b: Uint8Array, start: number, end: number): void {
  let i = start;
  for (const o of options) {
    switch (o.kind) {
      case 'eol':
        b[i++] = TCPOPT_EOL;
        break;
      case 'nop':
        b[i++] = TCPOPT_NOP;
        break;
      case 'mss':
        b[i] = TCPOPT_MSS;
        b[i + 1] = 4;
        setU16(b, i + 2, o.mss);
        i += 4;
        break;
      case 'window-scale':
        b[i] = TCPOPT_WINDOW_SCALE;
        b[i + 1] = 3;
        b[i + 2] = o.shift;
        i += 3;
        break;
      case 'sack-permitted':
        b[i] = TCPOPT_SACK_PERMITTED;
        b[i + 1] = 2;
        i += 2;
        break;
      case 'sack':
        b[i] = TCPOPT_SACK;
        b[i + 1] = 2 + 8 * o.blocks.length;
        i += 2;
        for (const [l, r] of o.blocks) {
          setU32(b, i, l);
          setU32(b, i + 4, r);
          i += 8;
        }
        break;
      case 'timestamps':
        b[i] = TCPOPT_TIMESTAMPS;
        b[i + 1] = 10;
        setU32(b, i + 2, o.tsval);
        setU32(b, i + 6, o.tsecr);
        i += 10;
        break;
      case 'unknown':
        b[i] = o.type;
        b[i + 1] = 2 + o.data.length;
        b.set(o.data, i + 2);
        i += 2 + o.data.length;
        break;
    }
  }
  b.fill(0, i, end);
}

/**
 * Writes the header, its options and `payload` at buf[offset..] and fills in the checksum over the IPv4
 * pseudo-header of `src` → `dst`; returns the bytes written. Options longer than 40 bytes are a
 * programming error (the data offset cannot express them) and throw a RangeError.
 */
export function emitTcp(h: TcpRepr, payload: Uint8Array, buf: Uint8Array, offset: number, src: Ipv4Addr, dst: Ipv4Addr): number {
  const hl = tcpHeaderLength(h);
  if (hl > TCP_MAX_HEADER_LEN) throw new RangeError(`TCP options of ${hl - TCP_HEADER_LEN} bytes exceed the 40 the header can hold`);
  const o = offset;
  setU16(buf, o, h.srcPort);
  setU16(buf, o + 2, h.dstPort);
  setU32(buf, o + 4, h.seq);
  setU32(buf, o + 8, h.ack);
  buf[o + 12] = (hl / 4) << 4;
  buf[o + 13] = h.flags & 0xff;
  setU16(buf, o + 14, h.window);
  setU16(buf, o + 16, 0);
  setU16(buf, o + 18, h.urgentPointer ?? 0);
  if (h.options) emitOptions(h.options, buf, o + TCP_HEADER_LEN, o + hl);
  buf.set(payload, o + hl);
  const total = hl + payload.length;
  setU16(buf, o + 16, finish(sum16(buf, o, o + total, pseudoHeaderSum(src, dst, IPPROTO_TCP, total))));
  return total;
}

/** A whole segment in a new buffer. */
export function buildTcp(h: TcpRepr, payload: Uint8Array, src: Ipv4Addr, dst: Ipv4Addr): Uint8Array {
  const out = new Uint8Array(tcpHeaderLength(h) + payload.length);
  emitTcp(h, payload, out, 0, src, dst);
  return out;
}

const FLAG_NAMES: readonly [number, string][] = [
  [TCP_FIN, 'FIN'],
  [TCP_SYN, 'SYN'],
  [TCP_RST, 'RST'],
  [TCP_PSH, 'PSH'],
  [TCP_ACK, 'ACK'],
  [TCP_URG, 'URG'],
  [TCP_ECE, 'ECE'],
  [TCP_CWR, 'CWR'],
];

/** Flags as Wireshark's Info column shows them: "[SYN, ACK]", "[FIN, PSH, ACK]", "[<None>]". */
export function formatTcpFlags(flags: number): string {
  const names = FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, n]) => n);
  return `[${names.length > 0 ? names.join(', ') : '<None>'}]`;
}
