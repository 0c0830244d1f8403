// DHCP messages (RFC 2131 over the BOOTP header, options of RFC 2132): a zero-copy view and a plain repr.
import type { Ipv4Addr, MacAddr } from './address';
import { getU16, getU32, getU48, setU16, setU32, setU48, toHex } from './bytes';
import { fail, ok, type Parsed } from './result';
import { asciiDecode } from './text';

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

function readIps(b: Uint8Array, start: number, len: number): Ipv4Addr[] {
  const out: Ipv4Addr[] = [];
  for (let i = start; i + 4 <= start + len; i += 4) out.push(getU32(b, i));
  return out;
}

function cString(b: Uint8Array, start: number, len: number): string {
  let e = start;
  while (e < start + len && b[e] !== 0) e++;
  return asciiDecode(b, start, e);
}

/** Checks one option's length and stores it in `r`; the data is b[start, start + len). */
function decodeOption(r: DhcpRepr, code: number, b: Uint8Array, start: number, len: number): Parsed<null> | null {
  const fixed = FIXED[code];
  if (fixed !== undefined && len !== fixed) return fail(LAYER, 'bad-length', `option ${code} has length ${len}, expected ${fixed}`);
  const mult = MULTIPLE[code];
  if (mult !== undefined && (len === 0 || len % mult !== 0)) return fail(LAYER, 'bad-length', `option ${code} has length ${len}, expected a non-zero multiple of ${mult}`);
  const least = AT_LEAST[code];
  if (least !== undefined && len < least) return fail(LAYER, 'bad-length', `option ${code} has length ${len}, expected at least ${least}`);
  switch (code) {
    case DhcpOption.SubnetMask:
      r.subnetMask = getU32(b, start);
      break;
    case DhcpOption.Router:
      r.routers = readIps(b, start, len);
      break;
    case DhcpOption.DnsServers:
      r.dnsServers = readIps(b, start, len);
      break;
    case DhcpOption.HostName:
      r.hostName = asciiDecode(b, start, start + len);
      break;
    case DhcpOption.DomainName:
      r.domainName = asciiDecode(b, start, start + len);
      break;
    case DhcpOption.BroadcastAddress:
      r.broadcastAddress = getU32(b, start);
      break;
    case DhcpOption.RequestedIp:
      r.requestedIp = getU32(b, start);
      break;
    case DhcpOption.LeaseTime:
      r.leaseTime = getU32(b, start);
      break;
    case DhcpOption.MessageType:
      if (b[start] === 0) return fail(LAYER, 'bad-value', 'message type 0 does not exist');
      r.messageType = b[start];
      break;
    case DhcpOption.ServerId:
      r.serverId = getU32(b, start);
      break;
    case DhcpOption.ParameterRequestList: {
      const prl: number[] = [];
      for (let k = start; k < start + len; k++) prl.push(b[k]);
      r.parameterRequestList = prl;
      break;
    }
    case DhcpOption.Message:
      r.message = asciiDecode(b, start, start + len);
      break;
    case DhcpOption.RenewalTime:
      r.renewalTime = getU32(b, start);
      break;
    case DhcpOption.RebindingTime:
      r.rebindingTime = getU32(b, start);
      break;
    case DhcpOption.ClientId:
      r.clientId = b.slice(start, start + len);
      break;
    default:
      r.other.push({ code, data: b.slice(start, start + len) });
  }
  return null;
}

// Generation stamps per option code, to notice a repeated option without allocating a set per message.
const seenStamp = new Uint32Array(256);
let seenGen = 0;

export function parseDhcp(buf: Uint8Array): Parsed<DhcpRepr> {
  if (buf.length < DHCP_OPTIONS_OFFSET)
    return fail(LAYER, 'truncated', `${buf.length} bytes is shorter than the 236-byte BOOTP header and the 4-byte magic cookie`);
  const cookie = getU32(buf, BOOTP_HEADER_LEN);
  if (cookie !== DHCP_MAGIC_COOKIE) return fail(LAYER, 'bad-value', `magic cookie 0x${cookie.toString(16).padStart(8, '0')} is not 0x63825363`);
  const op = buf[0];
  if (op !== BOOTREQUEST && op !== BOOTREPLY) return fail(LAYER, 'bad-value', `op ${op} is neither BOOTREQUEST (1) nor BOOTREPLY (2)`);
  const hlen = buf[2];
  if (hlen > 16) return fail(LAYER, 'bad-value', `hardware address length ${hlen} exceeds the 16-byte chaddr field`);

  // First pass: the option area's structure, and whether any code repeats.
  seenGen = (seenGen + 1) >>> 0;
  if (seenGen === 0) {
    seenStamp.fill(0);
    seenGen = 1;
  }
  let repeated = false;
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
    if (seenStamp[code] === seenGen) repeated = true;
    else seenStamp[code] = seenGen;
    i += 2 + len;
  }
  // A missing End is tolerated: the option area simply ran to the end of the message.

  const order: number[] = [];
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
    sname: buf[44] === 0 ? '' : cString(buf, 44, 64),
    file: buf[108] === 0 ? '' : cString(buf, 108, 128),
    messageType: 0,
    other: [],
    order,
  };

  if (!repeated) {
    i = DHCP_OPTIONS_OFFSET;
    while (i < buf.length) {
      const code = buf[i];
      if (code === DhcpOption.Pad) {
        i++;
        continue;
      }
      if (code === DhcpOption.End) break;
      const len = buf[i + 1];
      order.push(code);
      const err = decodeOption(repr, code, buf, i + 2, len);
      if (err !== null) return err as Parsed<never>;
      i += 2 + len;
    }
    return ok(repr);
  }

  // A code that appears again is concatenated to the first (RFC 3396 long options).
  const chunks = new Map<number, Uint8Array>();
  i = DHCP_OPTIONS_OFFSET;
  while (i < buf.length) {
    const code = buf[i];
    if (code === DhcpOption.Pad) {
      i++;
      continue;
    }
    if (code === DhcpOption.End) break;
    const len = buf[i + 1];
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
  for (const code of order) {
    const d = chunks.get(code) as Uint8Array;
    const err = decodeOption(repr, code, d, 0, d.length);
    if (err !== null) return err as Parsed<never>;
  }
  return ok(repr);
}

/** The order dhclient (requests) and dnsmasq (replies) write options in; `other` options follow. */
const CANONICAL_ORDER = [53, 54, 61, 50, 51, 58, 59, 1, 28, 3, 6, 15, 12, 55, 56];

/** Length of the data of option `code` carried by a repr field, or -1 when the repr does not carry it. */
function knownLength(r: DhcpRepr, code: number): number {
  switch (code) {
    case DhcpOption.MessageType:
      return r.messageType > 0 ? 1 : -1;
    case DhcpOption.SubnetMask:
      return r.subnetMask === undefined ? -1 : 4;
    case DhcpOption.BroadcastAddress:
      return r.broadcastAddress === undefined ? -1 : 4;
    case DhcpOption.RequestedIp:
      return r.requestedIp === undefined ? -1 : 4;
    case DhcpOption.LeaseTime:
      return r.leaseTime === undefined ? -1 : 4;
    case DhcpOption.ServerId:
      return r.serverId === undefined ? -1 : 4;
    case DhcpOption.RenewalTime:
      return r.renewalTime === undefined ? -1 : 4;
    case DhcpOption.RebindingTime:
      return r.rebindingTime === undefined ? -1 : 4;
    case DhcpOption.Router:
      return r.routers === undefined || r.routers.length === 0 ? -1 : r.routers.length * 4;
    case DhcpOption.DnsServers:
      return r.dnsServers === undefined || r.dnsServers.length === 0 ? -1 : r.dnsServers.length * 4;
    case DhcpOption.HostName:
      return r.hostName === undefined || r.hostName === '' ? -1 : r.hostName.length;
    case DhcpOption.DomainName:
      return r.domainName === undefined || r.domainName === '' ? -1 : r.domainName.length;
    case DhcpOption.Message:
      return r.message === undefined || r.message === '' ? -1 : r.message.length;
    case DhcpOption.ParameterRequestList:
      return r.parameterRequestList === undefined || r.parameterRequestList.length === 0 ? -1 : r.parameterRequestList.length;
    case DhcpOption.ClientId:
      return r.clientId === undefined || r.clientId.length === 0 ? -1 : r.clientId.length;
    default:
      return -1;
  }
}

function writeText(s: string, b: Uint8Array, at: number): void {
  for (let k = 0; k < s.length; k++) b[at + k] = s.charCodeAt(k) & 0xff;
}

function writeIps(ips: readonly Ipv4Addr[], b: Uint8Array, at: number): void {
  for (let k = 0; k < ips.length; k++) setU32(b, at + k * 4, ips[k]);
}

/** Writes the data of a field-carried option at b[at..]; knownLength said it is there. */
function writeKnown(r: DhcpRepr, code: number, b: Uint8Array, at: number): void {
  switch (code) {
    case DhcpOption.MessageType:
      b[at] = r.messageType;
      return;
    case DhcpOption.SubnetMask:
      return setU32(b, at, r.subnetMask as number);
    case DhcpOption.BroadcastAddress:
      return setU32(b, at, r.broadcastAddress as number);
    case DhcpOption.RequestedIp:
      return setU32(b, at, r.requestedIp as number);
    case DhcpOption.LeaseTime:
      return setU32(b, at, r.leaseTime as number);
    case DhcpOption.ServerId:
      return setU32(b, at, r.serverId as number);
    case DhcpOption.RenewalTime:
      return setU32(b, at, r.renewalTime as number);
    case DhcpOption.RebindingTime:
      return setU32(b, at, r.rebindingTime as number);
    case DhcpOption.Router:
      return writeIps(r.routers as Ipv4Addr[], b, at);
    case DhcpOption.DnsServers:
      return writeIps(r.dnsServers as Ipv4Addr[], b, at);
    case DhcpOption.HostName:
      return writeText(r.hostName as string, b, at);
    case DhcpOption.DomainName:
      return writeText(r.domainName as string, b, at);
    case DhcpOption.Message:
      return writeText(r.message as string, b, at);
    case DhcpOption.ParameterRequestList: {
      const l = r.parameterRequestList as number[];
      for (let k = 0; k < l.length; k++) b[at + k] = l[k];
      return;
    }
    case DhcpOption.ClientId:
      b.set(r.clientId as Uint8Array, at);
      return;
    default:
      return;
  }
}

// The emission plan of the message being written: option codes, and for `other` options their index
// (-1 for a field-carried one). Scratch arrays, so writing a message allocates only its bytes.
let planCode: Int32Array = new Int32Array(64);
let planOther: Int32Array = new Int32Array(64);
let planLen: Int32Array = new Int32Array(64);
let planN = 0;
let usedOther = new Uint8Array(64);
const plannedKnown = new Uint8Array(256);

function planPush(code: number, other: number, len: number): void {
  if (planN === planCode.length) {
    const grow = (a: Int32Array): Int32Array => {
      const g = new Int32Array(a.length * 2);
      g.set(a);
      return g;
    };
    planCode = grow(planCode);
    planOther = grow(planOther);
    planLen = grow(planLen);
  }
  planCode[planN] = code;
  planOther[planN] = other;
  planLen[planN] = len;
  planN++;
}

function planTake(r: DhcpRepr, code: number): void {
  if (code === DhcpOption.Pad || code === DhcpOption.End) return;
  const len = knownLength(r, code);
  if (len >= 0) {
    if (plannedKnown[code] === 0) {
      plannedKnown[code] = 1;
      planPush(code, -1, len);
    }
    return;
  }
  const other = r.other;
  for (let k = 0; k < other.length; k++) {
    if (other[k].code === code && usedOther[k] === 0) {
      usedOther[k] = 1;
      planPush(code, k, other[k].data.length);
      return;
    }
  }
}

/** Plans the options of `r` (wire order when given, then canonical, then the rest); returns the message length. */
function plan(r: DhcpRepr): number {
  planN = 0;
  const other = r.other;
  if (usedOther.length < other.length) usedOther = new Uint8Array(other.length * 2);
  else usedOther.fill(0, 0, other.length);
  if (r.order) for (let k = 0; k < r.order.length; k++) planTake(r, r.order[k]);
  for (let k = 0; k < CANONICAL_ORDER.length; k++) planTake(r, CANONICAL_ORDER[k]);
  for (let k = 0; k < other.length; k++) {
    const c = other[k].code;
    if (usedOther[k] === 0 && c !== DhcpOption.Pad && c !== DhcpOption.End) {
      usedOther[k] = 1;
      planPush(c, k, other[k].data.length);
    }
  }
  let n = DHCP_OPTIONS_OFFSET + 1;
  for (let k = 0; k < planN; k++) {
    plannedKnown[planCode[k]] = 0;
    const len = planLen[k];
    // RFC 3396: an option longer than 255 bytes goes out as several pieces with the same code.
    n += len === 0 ? 2 : len + 2 * Math.ceil(len / 255);
  }
  return Math.max(BOOTP_MIN_LENGTH, n);
}

/** Writes the planned message; `fresh` says the bytes are already zero. */
function emitPlanned(r: DhcpRepr, buf: Uint8Array, o: number, total: number, fresh: boolean): number {
  if (!fresh) buf.fill(0, o, o + total);
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
  if (r.sname !== '') writeText(r.sname.slice(0, 64), buf, o + 44);
  if (r.file !== '') writeText(r.file.slice(0, 128), buf, o + 108);
  setU32(buf, o + BOOTP_HEADER_LEN, DHCP_MAGIC_COOKIE);
  let i = o + DHCP_OPTIONS_OFFSET;
  for (let k = 0; k < planN; k++) {
    const code = planCode[k];
    const len = planLen[k];
    const oi = planOther[k];
    if (len <= 255) {
      buf[i] = code;
      buf[i + 1] = len;
      if (oi >= 0) buf.set(r.other[oi].data, i + 2);
      else writeKnown(r, code, buf, i + 2);
      i += 2 + len;
      continue;
    }
    let d: Uint8Array;
    if (oi >= 0) d = r.other[oi].data;
    else {
      d = new Uint8Array(len);
      writeKnown(r, code, d, 0);
    }
    for (let p = 0; p < len; p += 255) {
      const piece = Math.min(255, len - p);
      buf[i] = code;
      buf[i + 1] = piece;
      buf.set(d.subarray(p, p + piece), i + 2);
      i += 2 + piece;
    }
  }
  buf[i] = DhcpOption.End;
  return total;
}

/** Bytes `emitDhcp` writes: header, cookie, options, End, then zeros up to the 300-byte BOOTP minimum. */
export function dhcpLength(r: DhcpRepr): number {
  return plan(r);
}

/** Writes the message at buf[offset..] (every byte, padding included); returns the bytes written. */
export function emitDhcp(r: DhcpRepr, buf: Uint8Array, offset = 0): number {
  return emitPlanned(r, buf, offset, plan(r), false);
}

/** The message in a new buffer of exactly its length. */
export function encodeDhcp(r: DhcpRepr): Uint8Array {
  const total = plan(r);
  const out = new Uint8Array(total);
  emitPlanned(r, out, 0, total, true);
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
