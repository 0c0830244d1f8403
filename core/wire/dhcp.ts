// DHCP messages (RFC 2131 over the BOOTP header, options of RFC 2132): a zero-copy view and a plain repr.
import type { Ipv4Addr, MacAddr } from './address';
import { getU16, getU32, getU48, setU16, setU32, setU48, toHex } from './bytes';
import { fail, ok, type Parsed } from './result';
import { asciiDecode, asciiEncode } from './text';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;

export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
export const HTYPE_ETHERNET = 1;

/** The fixed BOOTP header: op … file (RFC 951). */
export const BOOTP_HEADER_LEN = 236;
export const DHCP_MAGIC_COOKIE = 0x63825363;
/** Header plus magic cookie: where the options begin. */
export const DHCP_OPTIONS_OFFSET = 240;
/** BOOTP's minimum message (RFC 1542 2.1); dhclient and most servers pad their messages up to it. */
export const BOOTP_MIN_LENGTH = 300;
export const DHCP_FLAG_BROADCAST = 0x8000;
/** Lease time meaning "forever" (RFC 2132 9.2). */
export const DHCP_INFINITE_LEASE = 0xffffffff;

/** Message types of option 53. */
export const DhcpMessageType = {
  Discover: 1,
  Offer: 2,
  Request: 3,
  Decline: 4,
  Ack: 5,
  Nak: 6,
  Release: 7,
  Inform: 8,
} as const;
export type DhcpMessageType = (typeof DhcpMessageType)[keyof typeof DhcpMessageType];

const TYPE_NAMES = ['', 'DHCPDISCOVER', 'DHCPOFFER', 'DHCPREQUEST', 'DHCPDECLINE', 'DHCPACK', 'DHCPNAK', 'DHCPRELEASE', 'DHCPINFORM'];

/** The name tools print (DHCPDISCOVER…), or `type N` for one the lab does not know. */
export function dhcpMessageTypeName(t: number): string {
  return TYPE_NAMES[t] ?? `type ${t}`;
}

/** Option codes the lab reads and writes (RFC 2132 unless noted). */
export const DhcpOption = {
  Pad: 0,
  SubnetMask: 1,
  Router: 3,
  DnsServers: 6,
  HostName: 12,
  DomainName: 15,
  BroadcastAddress: 28,
  RequestedIp: 50,
  LeaseTime: 51,
  Overload: 52,
  MessageType: 53,
  ServerId: 54,
  ParameterRequestList: 55,
  Message: 56,
  RenewalTime: 58,
  RebindingTime: 59,
  ClientId: 61,
  End: 255,
} as const;

/** An option the repr has no field for, kept as its raw bytes. */
export interface DhcpRawOption {
  code: number;
  data: Uint8Array;
}

/**
 * A DHCP message as a plain object. Absent options are `undefined`; `messageType` is 0 for a plain
 * BOOTP message. Only the first 6 bytes of chaddr (an Ethernet MAC) are kept: the lab has no other
 * hardware type. `order` lists the option codes as they appeared on the wire, so parse → emit gives the
 * same bytes; without it the emitter uses the order dhclient and dnsmasq use.
 */
export interface DhcpRepr {
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: Ipv4Addr;
  yiaddr: Ipv4Addr;
  siaddr: Ipv4Addr;
  giaddr: Ipv4Addr;
  chaddr: MacAddr;
  sname: string;
  file: string;
  messageType: number;
  subnetMask?: Ipv4Addr;
  routers?: Ipv4Addr[];
  dnsServers?: Ipv4Addr[];
  hostName?: string;
  domainName?: string;
  broadcastAddress?: Ipv4Addr;
  requestedIp?: Ipv4Addr;
  /** Seconds; DHCP_INFINITE_LEASE for a lease that never ends. */
  leaseTime?: number;
  serverId?: Ipv4Addr;
  parameterRequestList?: number[];
  /** Option 56: the reason a server gives with a NAK, or a client with a DECLINE. */
  message?: string;
  /** T1, seconds. */
  renewalTime?: number;
  /** T2, seconds. */
  rebindingTime?: number;
  clientId?: Uint8Array;
  other: DhcpRawOption[];
  order?: number[];
}

/** A repr with every header field at its BOOTP default, for engines to fill in. */
export function dhcpRepr(fields: Partial<DhcpRepr> & Pick<DhcpRepr, 'op' | 'xid' | 'chaddr' | 'messageType'>): DhcpRepr {
  return {
    htype: HTYPE_ETHERNET,
    hlen: 6,
    hops: 0,
    secs: 0,
    flags: 0,
    ciaddr: 0,
    yiaddr: 0,
    siaddr: 0,
    giaddr: 0,
    sname: '',
    file: '',
    other: [],
    ...fields,
  };
}

/**
 * Zero-copy accessors over a DHCP message (a UDP payload). `wrap` takes the payload's end as well,
 * since the buffer may hold a whole frame. Option look-ups walk the option area without allocating
 * and never read past the end; on malformed options they report "absent".
 */
export class DhcpView {
  buf: Uint8Array = new Uint8Array(0);
  off = 0;
  end = 0;

  wrap(buf: Uint8Array, off = 0, length = buf.length - off): this {
    this.buf = buf;
    this.off = off;
    this.end = Math.min(buf.length, off + length);
    return this;
  }

  /** True when the header and the magic cookie are there; options may still be malformed. */
  check(): boolean {
    return this.end - this.off >= DHCP_OPTIONS_OFFSET && getU32(this.buf, this.off + BOOTP_HEADER_LEN) === DHCP_MAGIC_COOKIE;
  }

  get op(): number {
    return this.buf[this.off];
  }
  get htype(): number {
    return this.buf[this.off + 1];
  }
  get hlen(): number {
    return this.buf[this.off + 2];
  }
  get hops(): number {
    return this.buf[this.off + 3];
  }
  get xid(): number {
    return getU32(this.buf, this.off + 4);
  }
  get secs(): number {
    return getU16(this.buf, this.off + 8);
  }
  get flags(): number {
    return getU16(this.buf, this.off + 10);
  }
  get broadcast(): boolean {
    return (getU16(this.buf, this.off + 10) & DHCP_FLAG_BROADCAST) !== 0;
  }
  get ciaddr(): Ipv4Addr {
    return getU32(this.buf, this.off + 12);
  }
  get yiaddr(): Ipv4Addr {
    return getU32(this.buf, this.off + 16);
  }
  get siaddr(): Ipv4Addr {
    return getU32(this.buf, this.off + 20);
  }
  get giaddr(): Ipv4Addr {
    return getU32(this.buf, this.off + 24);
  }
  /** The first 6 bytes of chaddr, as a MAC number. */
  get chaddr(): MacAddr {
    return getU48(this.buf, this.off + 28);
  }

  /** Offset of the first byte of option `code`'s data, or -1 when absent or the options are malformed. */
  findOption(code: number): number {
    const b = this.buf;
    const end = this.end;
    let i = this.off + DHCP_OPTIONS_OFFSET;
    while (i < end) {
      const c = b[i];
      if (c === DhcpOption.Pad) {
        i++;
        continue;
      }
      if (c === DhcpOption.End || i + 1 >= end) return -1;
      const len = b[i + 1];
      if (i + 2 + len > end) return -1;
      if (c === code) return i + 2;
      i += 2 + len;
    }
    return -1;
  }

  /** Length of the option whose data `findOption` located. */
  optionLength(dataOffset: number): number {
    return this.buf[dataOffset - 1];
  }

  /** Option 53, or 0 when absent or malformed. */
  get messageType(): number {
    const at = this.findOption(DhcpOption.MessageType);
    return at >= 0 && this.buf[at - 1] === 1 ? this.buf[at] : 0;
  }

  /** A 4-byte option (server id, requested IP, lease time…), or -1 when absent or not 4 bytes long. */
  u32Option(code: number): number {
    const at = this.findOption(code);
    return at >= 0 && this.buf[at - 1] === 4 ? getU32(this.buf, at) : -1;
  }
}

const LAYER = 'dhcp';

/** Options the repr holds as fields, with their length rule: exactly n bytes, or a multiple of n (at least n). */
const FIXED: Record<number, number> = { 1: 4, 28: 4, 50: 4, 51: 4, 53: 1, 54: 4, 58: 4, 59: 4 };
const MULTIPLE: Record<number, number> = { 3: 4, 6: 4 };
const AT_LEAST: Record<number, number> = { 12: 1, 15: 1, 55: 1, 56: 1, 61: 2 };

function readIps(d: Uint8Array): Ipv4Addr[] {
  const out: Ipv4Addr[] = [];
  for (let i = 0; i + 4 <= d.length; i += 4) out.push(getU32(d, i));
  return out;
}

function cString(b: Uint8Array, start: number, len: number): string {
  let e = start;
  while (e < start + len && b[e] !== 0) e++;
  return asciiDecode(b, start, e);
}

export function parseDhcp(buf: Uint8Array): Parsed<DhcpRepr> {
  if (buf.length < DHCP_OPTIONS_OFFSET)
    return fail(LAYER, 'truncated', `${buf.length} bytes is shorter than the 236-byte BOOTP header and the 4-byte magic cookie`);
  const cookie = getU32(buf, BOOTP_HEADER_LEN);
  if (cookie !== DHCP_MAGIC_COOKIE) return fail(LAYER, 'bad-value', `magic cookie 0x${cookie.toString(16).padStart(8, '0')} is not 0x63825363`);
  const op = buf[0];
  if (op !== BOOTREQUEST && op !== BOOTREPLY) return fail(LAYER, 'bad-value', `op ${op} is neither BOOTREQUEST (1) nor BOOTREPLY (2)`);
  const hlen = buf[2];
  if (hlen > 16) return fail(LAYER, 'bad-value', `hardware address length ${hlen} exceeds the 16-byte chaddr field`);

  // Collect options; a code that appears again is concatenated to the first (RFC 3396 long options).
  const chunks = new Map<number, Uint8Array>();
  const order: number[] = [];
  const otherOrder: DhcpRawOption[] = [];
  let i = DHCP_OPTIONS_OFFSET;
  while (i < buf.length) {
    const code = buf[i];
    if (code === DhcpOption.Pad) {
      i++;
      continue;
    }
    if (code === DhcpOption.End) break;
    if (i + 1 >= buf.length) return fail(LAYER, 'bad-option', `option ${code} at offset ${i} has no length byte`);
    const len = buf[i + 1];
    if (i + 2 + len > buf.length) return fail(LAYER, 'bad-option', `option ${code} at offset ${i} claims ${len} bytes but only ${buf.length - i - 2} remain`);
    if (code === DhcpOption.Overload) return fail(LAYER, 'unsupported', 'option overload (52): options in sname/file are not supported');
    const data = buf.subarray(i + 2, i + 2 + len);
    const prev = chunks.get(code);
    if (prev === undefined) {
      chunks.set(code, data);
      order.push(code);
    } else {
      const joined = new Uint8Array(prev.length + len);
      joined.set(prev);
      joined.set(data, prev.length);
      chunks.set(code, joined);
    }
    i += 2 + len;
  }
  // A missing End is tolerated: the option area simply ran to the end of the message.

  const repr: DhcpRepr = {
    op,
    htype: buf[1],
    hlen,
    hops: buf[3],
    xid: getU32(buf, 4),
    secs: getU16(buf, 8),
    flags: getU16(buf, 10),
    ciaddr: getU32(buf, 12),
    yiaddr: getU32(buf, 16),
    siaddr: getU32(buf, 20),
    giaddr: getU32(buf, 24),
    chaddr: getU48(buf, 28),
    sname: cString(buf, 44, 64),
    file: cString(buf, 108, 128),
    messageType: 0,
    other: otherOrder,
    order,
  };
  for (const code of order) {
    const d = chunks.get(code) as Uint8Array;
    const fixed = FIXED[code];
    if (fixed !== undefined && d.length !== fixed) return fail(LAYER, 'bad-length', `option ${code} has length ${d.length}, expected ${fixed}`);
    const mult = MULTIPLE[code];
    if (mult !== undefined && (d.length === 0 || d.length % mult !== 0))
      return fail(LAYER, 'bad-length', `option ${code} has length ${d.length}, expected a non-zero multiple of ${mult}`);
    const least = AT_LEAST[code];
    if (least !== undefined && d.length < least) return fail(LAYER, 'bad-length', `option ${code} has length ${d.length}, expected at least ${least}`);
    switch (code) {
      case DhcpOption.SubnetMask:
        repr.subnetMask = getU32(d, 0);
        break;
      case DhcpOption.Router:
        repr.routers = readIps(d);
        break;
      case DhcpOption.DnsServers:
        repr.dnsServers = readIps(d);
        break;
      case DhcpOption.HostName:
        repr.hostName = asciiDecode(d);
        break;
      case DhcpOption.DomainName:
        repr.domainName = asciiDecode(d);
        break;
      case DhcpOption.BroadcastAddress:
        repr.broadcastAddress = getU32(d, 0);
        break;
      case DhcpOption.RequestedIp:
        repr.requestedIp = getU32(d, 0);
        break;
      case DhcpOption.LeaseTime:
        repr.leaseTime = getU32(d, 0);
        break;
      case DhcpOption.MessageType:
        if (d[0] === 0) return fail(LAYER, 'bad-value', 'message type 0 does not exist');
        repr.messageType = d[0];
        break;
      case DhcpOption.ServerId:
        repr.serverId = getU32(d, 0);
        break;
      case DhcpOption.ParameterRequestList:
        repr.parameterRequestList = Array.from(d);
        break;
      case DhcpOption.Message:
        repr.message = asciiDecode(d);
        break;
      case DhcpOption.RenewalTime:
        repr.renewalTime = getU32(d, 0);
        break;
      case DhcpOption.RebindingTime:
        repr.rebindingTime = getU32(d, 0);
        break;
      case DhcpOption.ClientId:
        repr.clientId = d.slice();
        break;
      default:
        otherOrder.push({ code, data: d.slice() });
    }
  }
  return ok(repr);
}

/** The order dhclient (requests) and dnsmasq (replies) write options in; `other` options follow. */
const CANONICAL_ORDER = [53, 54, 61, 50, 51, 58, 59, 1, 28, 3, 6, 15, 12, 55, 56];

function u32Bytes(v: number): Uint8Array {
  const d = new Uint8Array(4);
  setU32(d, 0, v);
  return d;
}

function ipsBytes(ips: readonly Ipv4Addr[]): Uint8Array {
  const d = new Uint8Array(ips.length * 4);
  for (let k = 0; k < ips.length; k++) setU32(d, k * 4, ips[k]);
  return d;
}

/** The data of option `code` in `r`, or undefined when the repr does not carry it. */
function optionData(r: DhcpRepr, code: number): Uint8Array | undefined {
  switch (code) {
    case DhcpOption.MessageType:
      return r.messageType > 0 ? Uint8Array.of(r.messageType) : undefined;
    case DhcpOption.SubnetMask:
      return r.subnetMask === undefined ? undefined : u32Bytes(r.subnetMask);
    case DhcpOption.Router:
      return r.routers === undefined || r.routers.length === 0 ? undefined : ipsBytes(r.routers);
    case DhcpOption.DnsServers:
      return r.dnsServers === undefined || r.dnsServers.length === 0 ? undefined : ipsBytes(r.dnsServers);
    case DhcpOption.HostName:
      return r.hostName === undefined || r.hostName === '' ? undefined : asciiEncode(r.hostName);
    case DhcpOption.DomainName:
      return r.domainName === undefined || r.domainName === '' ? undefined : asciiEncode(r.domainName);
    case DhcpOption.BroadcastAddress:
      return r.broadcastAddress === undefined ? undefined : u32Bytes(r.broadcastAddress);
    case DhcpOption.RequestedIp:
      return r.requestedIp === undefined ? undefined : u32Bytes(r.requestedIp);
    case DhcpOption.LeaseTime:
      return r.leaseTime === undefined ? undefined : u32Bytes(r.leaseTime);
    case DhcpOption.ServerId:
      return r.serverId === undefined ? undefined : u32Bytes(r.serverId);
    case DhcpOption.ParameterRequestList:
      return r.parameterRequestList === undefined || r.parameterRequestList.length === 0 ? undefined : Uint8Array.from(r.parameterRequestList);
    case DhcpOption.Message:
      return r.message === undefined || r.message === '' ? undefined : asciiEncode(r.message);
    case DhcpOption.RenewalTime:
      return r.renewalTime === undefined ? undefined : u32Bytes(r.renewalTime);
    case DhcpOption.RebindingTime:
      return r.rebindingTime === undefined ? undefined : u32Bytes(r.rebindingTime);
    case DhcpOption.ClientId:
      return r.clientId === undefined || r.clientId.length === 0 ? undefined : r.clientId;
    default:
      return undefined;
  }
}

/** Options in emission order: `order` first when given, then the canonical order, then the others. */
function orderedOptions(r: DhcpRepr): DhcpRawOption[] {
  const out: DhcpRawOption[] = [];
  const done = new Set<number>();
  const usedOther = new Set<DhcpRawOption>();
  const take = (code: number): void => {
    if (code === DhcpOption.Pad || code === DhcpOption.End) return;
    const known = optionData(r, code);
    if (known !== undefined) {
      if (done.has(code)) return;
      done.add(code);
      out.push({ code, data: known });
      return;
    }
    for (const o of r.other) {
      if (o.code === code && !usedOther.has(o)) {
        usedOther.add(o);
        out.push(o);
        return;
      }
    }
  };
  if (r.order) for (const c of r.order) take(c);
  for (const c of CANONICAL_ORDER) take(c);
  for (const o of r.other) {
    if (!usedOther.has(o) && !CANONICAL_ORDER.includes(o.code) && o.code !== DhcpOption.Pad && o.code !== DhcpOption.End) {
      usedOther.add(o);
      out.push(o);
    }
  }
  return out;
}

/** Bytes an option takes on the wire, split into 255-byte pieces as RFC 3396 says. */
function optionWireLength(len: number): number {
  if (len === 0) return 2;
  return len + 2 * Math.ceil(len / 255);
}

/** Bytes `emitDhcp` writes: header, cookie, options, End, then zeros up to the 300-byte BOOTP minimum. */
export function dhcpLength(r: DhcpRepr): number {
  let n = DHCP_OPTIONS_OFFSET + 1;
  for (const o of orderedOptions(r)) n += optionWireLength(o.data.length);
  return Math.max(BOOTP_MIN_LENGTH, n);
}

/** Writes the message at buf[offset..] (every byte, padding included); returns the bytes written. */
export function emitDhcp(r: DhcpRepr, buf: Uint8Array, offset = 0): number {
  const opts = orderedOptions(r);
  let n = DHCP_OPTIONS_OFFSET + 1;
  for (const o of opts) n += optionWireLength(o.data.length);
  const total = Math.max(BOOTP_MIN_LENGTH, n);
  const o = offset;
  buf.fill(0, o, o + total);
  buf[o] = r.op;
  buf[o + 1] = r.htype;
  buf[o + 2] = r.hlen;
  buf[o + 3] = r.hops;
  setU32(buf, o + 4, r.xid);
  setU16(buf, o + 8, r.secs);
  setU16(buf, o + 10, r.flags);
  setU32(buf, o + 12, r.ciaddr);
  setU32(buf, o + 16, r.yiaddr);
  setU32(buf, o + 20, r.siaddr);
  setU32(buf, o + 24, r.giaddr);
  setU48(buf, o + 28, r.chaddr);
  const sname = asciiEncode(r.sname);
  buf.set(sname.subarray(0, 64), o + 44);
  const file = asciiEncode(r.file);
  buf.set(file.subarray(0, 128), o + 108);
  setU32(buf, o + BOOTP_HEADER_LEN, DHCP_MAGIC_COOKIE);
  let i = o + DHCP_OPTIONS_OFFSET;
  for (const opt of opts) {
    const d = opt.data;
    if (d.length === 0) {
      buf[i] = opt.code;
      buf[i + 1] = 0;
      i += 2;
      continue;
    }
    for (let p = 0; p < d.length; p += 255) {
      const piece = Math.min(255, d.length - p);
      buf[i] = opt.code;
      buf[i + 1] = piece;
      buf.set(d.subarray(p, p + piece), i + 2);
      i += 2 + piece;
    }
  }
  buf[i] = DhcpOption.End;
  return total;
}

/** The message in a new buffer of exactly its length. */
export function encodeDhcp(r: DhcpRepr): Uint8Array {
  const out = new Uint8Array(dhcpLength(r));
  emitDhcp(r, out, 0);
  return out;
}

/** A client identifier as the text tools show it: 01:08:00:27:aa:bb:cc. */
export function formatClientId(id: Uint8Array): string {
  return toHex(id).replace(/(..)(?!$)/g, '$1:');
}

/** The default client identifier of RFC 2132 9.14: hardware type 1 followed by the MAC. */
export function clientIdFromMac(mac: MacAddr): Uint8Array {
  const id = new Uint8Array(7);
  id[0] = HTYPE_ETHERNET;
  setU48(id, 1, mac);
  return id;
}
