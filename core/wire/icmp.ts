// ICMP for IPv4 (RFC 792): echo, destination unreachable, time exceeded and redirect, as a view and a repr union.
import type { Ipv4Addr } from './address';
import { getU16, getU32, setU16, setU32 } from './bytes';
import { adjust16, internetChecksum } from './checksum';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from './ipv4';
import { fail, ok, type Parsed } from './result';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACHABLE = 3;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;

export const ICMP_HEADER_LEN = 8;

// Destination unreachable codes (RFC 792, RFC 1122, RFC 1812).
export const UNREACH_NET = 0;
export const UNREACH_HOST = 1;
export const UNREACH_PROTOCOL = 2;
export const UNREACH_PORT = 3;
/** Fragmentation needed and DF set; bytes 6–7 carry the next-hop MTU (RFC 1191). */
export const UNREACH_FRAG_NEEDED = 4;
export const UNREACH_SOURCE_ROUTE_FAILED = 5;
export const UNREACH_NET_UNKNOWN = 6;
export const UNREACH_HOST_UNKNOWN = 7;
export const UNREACH_HOST_ISOLATED = 8;
export const UNREACH_NET_PROHIBITED = 9;
export const UNREACH_HOST_PROHIBITED = 10;
export const UNREACH_NET_TOS = 11;
export const UNREACH_HOST_TOS = 12;
/** Communication administratively prohibited (RFC 1812): what iptables' REJECT --reject-with icmp-admin-prohibited sends. */
export const UNREACH_ADMIN_PROHIBITED = 13;
export const UNREACH_PRECEDENCE_VIOLATION = 14;
export const UNREACH_PRECEDENCE_CUTOFF = 15;

// Time exceeded codes.
export const TIME_EXCEEDED_TTL = 0;
export const TIME_EXCEEDED_REASSEMBLY = 1;

// Redirect codes.
export const REDIRECT_NET = 0;
export const REDIRECT_HOST = 1;

/**
 * Zero-copy accessors over an ICMP message of `length` bytes at `off` (the IPv4 payload, without
 * Ethernet padding). `check()` verifies length and checksum; the rest assume it passed.
 */
export class IcmpView {
  buf: Uint8Array = new Uint8Array(0);
  off = 0;
  length = 0;

  wrap(buf: Uint8Array, off = 0, length = buf.length - off): this {
    this.buf = buf;
    this.off = off;
    this.length = length;
    return this;
  }

  check(): boolean {
    const end = this.off + this.length;
    return this.length >= ICMP_HEADER_LEN && end <= this.buf.length && internetChecksum(this.buf, this.off, end) === 0;
  }

  get type(): number {
    return this.buf[this.off];
  }
  get code(): number {
    return this.buf[this.off + 1];
  }
  get checksum(): number {
    return getU16(this.buf, this.off + 2);
  }
  /** Echo identifier (bytes 4–5). */
  get id(): number {
    return getU16(this.buf, this.off + 4);
  }
  /** Echo sequence number (bytes 6–7). */
  get seq(): number {
    return getU16(this.buf, this.off + 6);
  }
  /** Next-hop MTU of a "fragmentation needed" error (bytes 6–7). */
  get nextHopMtu(): number {
    return getU16(this.buf, this.off + 6);
  }
  /** Gateway address of a redirect (bytes 4–7). */
  get gateway(): Ipv4Addr {
    return getU32(this.buf, this.off + 4);
  }
  /** Where the echo data or the quoted packet starts. */
  get dataOffset(): number {
    return this.off + ICMP_HEADER_LEN;
  }
  get dataLength(): number {
    return this.length - ICMP_HEADER_LEN;
  }
  get isError(): boolean {
    const t = this.buf[this.off];
    return t === ICMP_DEST_UNREACHABLE || t === ICMP_TIME_EXCEEDED || t === ICMP_REDIRECT;
  }

  /** Rewrites the echo id (NAT does), patching the checksum incrementally. */
  setId(id: number): void {
    this.patch(4, id & 0xffff);
  }

  /** Rewrites type and code (an echo request turned into its reply in place), patching the checksum. */
  setTypeCode(type: number, code: number): void {
    this.patch(0, ((type & 0xff) << 8) | (code & 0xff));
  }

  private patch(at: number, value: number): void {
    const b = this.buf;
    const o = this.off;
    const old = getU16(b, o + at);
    setU16(b, o + at, value);
    const c = adjust16(getU16(b, o + 2), old, value);
    if (c !== 0) {
      setU16(b, o + 2, c);
      return;
    }
    // RFC 1624 gives 0 both for a sum of -0 (right) and for an all-zero message, which needs 0xffff:
    // only a full sum can tell them apart, and this happens once in 65536 rewrites.
    setU16(b, o + 2, 0);
    setU16(b, o + 2, internetChecksum(b, o, o + this.length));
  }
}

export interface IcmpEcho {
  kind: 'echo-request' | 'echo-reply';
  id: number;
  seq: number;
  data: Uint8Array;
}

/** `original` is the quoted packet: the offending IPv4 header and the start of its payload. */
export interface IcmpDestUnreachable {
  kind: 'dest-unreachable';
  code: number;
  /** Only with UNREACH_FRAG_NEEDED: the MTU of the next hop (0 from pre-RFC 1191 routers). */
  nextHopMtu?: number;
  original: Uint8Array;
}

export interface IcmpTimeExceeded {
  kind: 'time-exceeded';
  code: number;
  original: Uint8Array;
}

export interface IcmpRedirect {
  kind: 'redirect';
  code: number;
  gateway: Ipv4Addr;
  original: Uint8Array;
}

export type IcmpRepr = IcmpEcho | IcmpDestUnreachable | IcmpTimeExceeded | IcmpRedirect;

const LAYER = 'icmp';

/** Reads an ICMP message: `buf` is exactly the IPv4 payload (parseIpv4's `payload`). Echo data and quotes are subarrays of `buf`. */
export function parseIcmp(buf: Uint8Array): Parsed<IcmpRepr> {
  if (buf.length < ICMP_HEADER_LEN) return fail(LAYER, 'truncated', `${buf.length} bytes is shorter than the 8-byte ICMP header`);
  if (internetChecksum(buf, 0, buf.length) !== 0) {
    return fail(LAYER, 'bad-checksum', `checksum 0x${getU16(buf, 2).toString(16).padStart(4, '0')} does not verify`);
  }
  const type = buf[0];
  const code = buf[1];
  const rest = buf.subarray(ICMP_HEADER_LEN);
  switch (type) {
    case ICMP_ECHO_REQUEST:
    case ICMP_ECHO_REPLY:
      return ok({ kind: type === ICMP_ECHO_REQUEST ? 'echo-request' : 'echo-reply', id: getU16(buf, 4), seq: getU16(buf, 6), data: rest });
    case ICMP_DEST_UNREACHABLE:
      if (code === UNREACH_FRAG_NEEDED) return ok({ kind: 'dest-unreachable', code, nextHopMtu: getU16(buf, 6), original: rest });
      return ok({ kind: 'dest-unreachable', code, original: rest });
    case ICMP_TIME_EXCEEDED:
      return ok({ kind: 'time-exceeded', code, original: rest });
    case ICMP_REDIRECT:
      return ok({ kind: 'redirect', code, gateway: getU32(buf, 4), original: rest });
    default:
      return fail(LAYER, 'unsupported', `ICMP type ${type} (code ${code}) is not one the lab handles`);
  }
}

export function icmpLength(r: IcmpRepr): number {
  return ICMP_HEADER_LEN + ('data' in r ? r.data.length : r.original.length);
}

/** Writes the message with its checksum at buf[offset..]; returns its length. */
export function emitIcmp(r: IcmpRepr, buf: Uint8Array, offset = 0): number {
  const o = offset;
  let body: Uint8Array;
  switch (r.kind) {
    case 'echo-request':
    case 'echo-reply':
      buf[o] = r.kind === 'echo-request' ? ICMP_ECHO_REQUEST : ICMP_ECHO_REPLY;
      buf[o + 1] = 0;
      setU16(buf, o + 4, r.id);
      setU16(buf, o + 6, r.seq);
      body = r.data;
      break;
    case 'dest-unreachable':
      buf[o] = ICMP_DEST_UNREACHABLE;
      buf[o + 1] = r.code;
      setU16(buf, o + 4, 0);
      setU16(buf, o + 6, r.code === UNREACH_FRAG_NEEDED ? (r.nextHopMtu ?? 0) : 0);
      body = r.original;
      break;
    case 'time-exceeded':
      buf[o] = ICMP_TIME_EXCEEDED;
      buf[o + 1] = r.code;
      setU32(buf, o + 4, 0);
      body = r.original;
      break;
    case 'redirect':
      buf[o] = ICMP_REDIRECT;
      buf[o + 1] = r.code;
      setU32(buf, o + 4, r.gateway);
      body = r.original;
      break;
  }
  buf.set(body, o + ICMP_HEADER_LEN);
  const end = o + ICMP_HEADER_LEN + body.length;
  setU16(buf, o + 2, 0);
  setU16(buf, o + 2, internetChecksum(buf, o, end));
  return end - o;
}

/**
 * The part of an offending IPv4 packet that an error quotes: its header and the first 8 bytes of its
 * payload (RFC 792), or more up to `limit` bytes in all (Linux quotes up to 548, filling a 576-byte datagram).
 * A subarray of `packet`; `packet` should end where its IPv4 total length says.
 */
export function icmpQuote(packet: Uint8Array, limit = -1): Uint8Array {
  const hl = packet.length > 0 ? (packet[0] & 0x0f) * 4 : 0;
  const n = limit < 0 ? hl + 8 : limit;
  return packet.subarray(0, Math.min(packet.length, n));
}

/** What an error's quote says about the packet that caused it: enough to find the socket or NAT entry. */
export interface IcmpQuoted {
  src: Ipv4Addr;
  dst: Ipv4Addr;
  protocol: number;
  ttl: number;
  ident: number;
  headerLength: number;
  /** The quoted transport bytes (at most 8 under RFC 792). */
  transport: Uint8Array;
  /** UDP or TCP ports when at least 4 transport bytes are quoted; -1 otherwise. */
  srcPort: number;
  dstPort: number;
  /** A quoted ICMP echo request's id and seq; -1 otherwise. */
  echoId: number;
  echoSeq: number;
}

/** Reads the IPv4 header inside an error's quote; its checksum and total length are not checked (the packet was cut). */
export function parseIcmpQuote(original: Uint8Array): Parsed<IcmpQuoted> {
  if (original.length < 20) return fail(LAYER, 'truncated', `quoted packet of ${original.length} bytes is shorter than an IPv4 header`);
  if (original[0] >>> 4 !== 4) return fail(LAYER, 'bad-version', `quoted packet has IP version ${original[0] >>> 4}`);
  const hl = (original[0] & 0x0f) * 4;
  if (hl < 20) return fail(LAYER, 'bad-length', `quoted header length ${hl} is below 20`);
  if (hl > original.length) return fail(LAYER, 'truncated', `quoted header length ${hl} runs past the ${original.length} quoted bytes`);
  const protocol = original[9];
  const transport = original.subarray(hl);
  const ports = (protocol === IPPROTO_UDP || protocol === IPPROTO_TCP) && transport.length >= 4;
  const echo = protocol === IPPROTO_ICMP && transport.length >= 8 && transport[0] === ICMP_ECHO_REQUEST;
  return ok({
    src: getU32(original, 12),
    dst: getU32(original, 16),
    protocol,
    ttl: original[8],
    ident: getU16(original, 4),
    headerLength: hl,
    transport,
    srcPort: ports ? getU16(transport, 0) : -1,
    dstPort: ports ? getU16(transport, 2) : -1,
    echoId: echo ? getU16(transport, 4) : -1,
    echoSeq: echo ? getU16(transport, 6) : -1,
  });
}

/**
 * Fills `size` bytes of echo data as Linux's ping (iputils) does: a struct timeval in host (little-endian,
 * 64-bit) order, tv_sec then tv_usec, then byte i = i & 0xff, so 56 bytes end with 0x10..0x37.
 * Sizes under 16 carry no timestamp, as with `ping -s 8`.
 */
export function emitLinuxPingData(buf: Uint8Array, offset: number, timeUs: number, size = 56): number {
  let i = 0;
  if (size >= 16) {
    const sec = Math.floor(timeUs / 1_000_000);
    putU64le(buf, offset, sec);
    putU64le(buf, offset + 8, timeUs - sec * 1_000_000);
    i = 16;
  }
  for (; i < size; i++) buf[offset + i] = i & 0xff;
  return size;
}

/** The send time that Linux's ping put in echo data, in microseconds; null when the data is too short to hold one. */
export function readLinuxPingTime(data: Uint8Array): number | null {
  if (data.length < 16) return null;
  return getU64le(data, 0) * 1_000_000 + getU64le(data, 8);
}

function putU64le(b: Uint8Array, o: number, v: number): void {
  const hi = Math.floor(v / 0x100000000);
  const lo = v >>> 0;
  for (let k = 0; k < 4; k++) b[o + k] = (lo >>> (8 * k)) & 0xff;
  for (let k = 0; k < 4; k++) b[o + 4 + k] = (hi >>> (8 * k)) & 0xff;
}

function getU64le(b: Uint8Array, o: number): number {
  const lo = (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
  const hi = (b[o + 4] | (b[o + 5] << 8) | (b[o + 6] << 16) | (b[o + 7] << 24)) >>> 0;
  return hi * 0x100000000 + lo;
}

const UNREACH_TEXT = [
  'Destination Net Unreachable',
  'Destination Host Unreachable',
  'Destination Protocol Unreachable',
  'Destination Port Unreachable',
  'Frag needed and DF set',
  'Source Route Failed',
  'Destination Net Unknown',
  'Destination Host Unknown',
  'Source Host Isolated',
  'Destination Net Prohibited',
  'Destination Host Prohibited',
  'Destination Net Unreachable for Type of Service',
  'Destination Host Unreachable for Type of Service',
  'Packet filtered',
  'Precedence Violation',
  'Precedence Cutoff',
];

/** The words Linux's ping prints for an ICMP error, e.g. "Destination Host Unreachable"; null for an echo. */
export function icmpErrorText(r: IcmpRepr): string | null {
  switch (r.kind) {
    case 'dest-unreachable':
      if (r.code === UNREACH_FRAG_NEEDED) return `Frag needed and DF set (mtu = ${r.nextHopMtu ?? 0})`;
      return r.code < UNREACH_TEXT.length ? UNREACH_TEXT[r.code] : `Dest Unreachable, Bad Code: ${r.code}`;
    case 'time-exceeded':
      return r.code === TIME_EXCEEDED_TTL ? 'Time to live exceeded' : r.code === TIME_EXCEEDED_REASSEMBLY ? 'Frag reassembly time exceeded' : `Time exceeded, Bad Code: ${r.code}`;
    case 'redirect':
      return r.code === REDIRECT_NET ? 'Redirect Network' : r.code === REDIRECT_HOST ? 'Redirect Host' : r.code === 2 ? 'Redirect Type of Service and Network' : r.code === 3 ? 'Redirect Type of Service and Host' : `Redirect, Bad Code: ${r.code}`;
    default:
      return null;
  }
}
