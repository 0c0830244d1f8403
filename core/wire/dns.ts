// DNS messages (RFC 1035): a header view, names with compression, questions and A/NS/CNAME/PTR/SOA/MX records.
import type { Ipv4Addr } from './address';
import { formatIpv4 } from './address';
import { getU16, getU32, setU16, setU32 } from './bytes';
import { fail, ok, type Parsed, type WireError } from './result';

export const DNS_PORT = 53;
export const DNS_HEADER_LEN = 12;
/** Largest message over UDP without EDNS (RFC 1035 §4.2.1); longer answers are truncated with TC. */
export const DNS_MAX_UDP = 512;
/** Longest name on the wire, length bytes and the root's zero included. */
export const DNS_MAX_NAME = 255;
export const DNS_MAX_LABEL = 63;

export const DNS_TYPE_A = 1;
export const DNS_TYPE_NS = 2;
export const DNS_TYPE_CNAME = 5;
export const DNS_TYPE_SOA = 6;
export const DNS_TYPE_PTR = 12;
export const DNS_TYPE_MX = 15;
export const DNS_TYPE_TXT = 16;
export const DNS_TYPE_AAAA = 28;
export const DNS_TYPE_OPT = 41;
export const DNS_TYPE_ANY = 255;

export const DNS_CLASS_IN = 1;
export const DNS_CLASS_ANY = 255;

export const DNS_OPCODE_QUERY = 0;

export const DNS_RCODE_NOERROR = 0;
export const DNS_RCODE_FORMERR = 1;
export const DNS_RCODE_SERVFAIL = 2;
export const DNS_RCODE_NXDOMAIN = 3;
export const DNS_RCODE_NOTIMP = 4;
export const DNS_RCODE_REFUSED = 5;

const FLAG_QR = 0x8000;
const FLAG_AA = 0x0400;
const FLAG_TC = 0x0200;
const FLAG_RD = 0x0100;
const FLAG_RA = 0x0080;
const FLAG_Z = 0x0040;
const FLAG_AD = 0x0020;
const FLAG_CD = 0x0010;

const RCODE_NAMES = [
  'NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE',
];

/** The mnemonic dig and nslookup print (NXDOMAIN); unknown codes as nslookup shows them (?12). */
export function dnsRcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `?${rcode}`;
}

const TYPE_NAMES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 41: 'OPT', 255: 'ANY',
};

/** A, CNAME…, or the RFC 3597 form TYPE99 for types without a mnemonic. */
export function dnsTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `TYPE${type}`;
}

/** Header accessors over a message, for the host stack to peek at ids and flags without parsing or allocating. */
export class DnsView {
  buf: Uint8Array = new Uint8Array(0);
  off = 0;

  wrap(buf: Uint8Array, off = 0): this {
    this.buf = buf;
    this.off = off;
    return this;
  }

  /** True when a whole header is there. */
  check(): boolean {
    return this.buf.length - this.off >= DNS_HEADER_LEN;
  }

  get id(): number {
    return getU16(this.buf, this.off);
  }
  get flags(): number {
    return getU16(this.buf, this.off + 2);
  }
  /** True for a response, false for a query. */
  get qr(): boolean {
    return (this.flags & FLAG_QR) !== 0;
  }
  get opcode(): number {
    return (this.flags >>> 11) & 0x0f;
  }
  get aa(): boolean {
    return (this.flags & FLAG_AA) !== 0;
  }
  get tc(): boolean {
    return (this.flags & FLAG_TC) !== 0;
  }
  get rd(): boolean {
    return (this.flags & FLAG_RD) !== 0;
  }
  get ra(): boolean {
    return (this.flags & FLAG_RA) !== 0;
  }
  get rcode(): number {
    return this.flags & 0x0f;
  }
  get qdcount(): number {
    return getU16(this.buf, this.off + 4);
  }
  get ancount(): number {
    return getU16(this.buf, this.off + 6);
  }
  get nscount(): number {
    return getU16(this.buf, this.off + 8);
  }
  get arcount(): number {
    return getU16(this.buf, this.off + 10);
  }

  /** Rewrites the id in place, as a forwarder does on the way out and back. */
  setId(id: number): void {
    setU16(this.buf, this.off, id);
  }

  /** Sets or clears the AA bit in place (a forwarder relaying an answer is not its authority). */
  setAa(on: boolean): void {
    this.buf[this.off + 2] = on ? this.buf[this.off + 2] | 0x04 : this.buf[this.off + 2] & ~0x04;
  }

  /** Sets or clears the RA bit in place. */
  setRa(on: boolean): void {
    this.buf[this.off + 3] = on ? this.buf[this.off + 3] | 0x80 : this.buf[this.off + 3] & ~0x80;
  }
}

export interface DnsQuestion {
  /** Presentation form without the final dot: `www.example.com`; the root is the empty string. */
  name: string;
  type: number;
  class: number;
}

/** Record data: decoded for the types the lab uses, raw bytes (kept as received) for the rest. */
export type DnsRdata =
  | { readonly kind: 'a'; readonly address: Ipv4Addr }
  /** NS, CNAME and PTR: one domain name. */
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'mx'; readonly preference: number; readonly exchange: string }
  | {
      readonly kind: 'soa';
      readonly mname: string;
      readonly rname: string;
      readonly serial: number;
      readonly refresh: number;
      readonly retry: number;
      readonly expire: number;
      readonly minimum: number;
    }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

export interface DnsRecord {
  name: string;
  type: number;
  class: number;
  /** Seconds, as on the wire (RFC 2181 says to read values above 2^31-1 as 0; see `effectiveTtl`). */
  ttl: number;
  data: DnsRdata;
}

export interface DnsMessage {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  /** The reserved bit and the DNSSEC bits, kept so that a parsed message re-emits as received. */
  z?: boolean;
  ad?: boolean;
  cd?: boolean;
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

/** A TTL as a cache must use it: values with the top bit set count as 0 (RFC 2181 §8). */
export function effectiveTtl(ttl: number): number {
  return ttl > 0x7fffffff ? 0 : ttl;
}

// ---------------------------------------------------------------- names

const LAYER = 'dns';

function isPlain(c: number): boolean {
  // Printable ASCII except the characters that need escaping in presentation form.
  return c > 0x20 && c < 0x7f && c !== 0x2e && c !== 0x5c;
}

/** One label in presentation form: `.` and `\` escaped with a backslash, other unprintable bytes as \DDD. */
function labelText(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (isPlain(c)) s += String.fromCharCode(c);
    else if (c === 0x2e || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else s += '\\' + (c < 10 ? '00' : c < 100 ? '0' : '') + c;
  }
  return s;
}

interface NameRead {
  name: string;
  /** Offset just after the name where it was found (after its first pointer when compressed). */
  next: number;
}

/**
 * Reads a possibly compressed name at `start` of the message `b` (offsets are from the message's first byte).
 * Every pointer must point before the start of the piece of name that holds it, so a chain of pointers walks
 * strictly backwards and cannot loop; anything else is a typed error, never an endless walk.
 */
function readName(b: Uint8Array, start: number): NameRead | WireError {
  const end = b.length;
  let pos = start;
  let pieceStart = start;
  let next = -1;
  let wireLen = 1;
  let name = '';
  for (;;) {
    if (pos >= end) return { layer: LAYER, kind: 'truncated', message: `name at ${start} runs past the end of the message` };
    const len = b[pos];
    if (len === 0) {
      if (next < 0) next = pos + 1;
      return { name, next };
    }
    const top = len & 0xc0;
    if (top === 0xc0) {
      if (pos + 1 >= end) return { layer: LAYER, kind: 'truncated', message: `compression pointer at ${pos} is cut short` };
      const target = ((len & 0x3f) << 8) | b[pos + 1];
      if (target >= pieceStart) {
        const message =
          target >= pos
            ? `compression pointer at ${pos} points forward to ${target}`
            : `compression pointer at ${pos} points back to ${target}, inside the name it belongs to: a loop`;
        return { layer: LAYER, kind: 'compression-loop', message };
      }
      if (next < 0) next = pos + 2;
      pieceStart = target;
      pos = target;
      continue;
    }
    if (top !== 0) {
      return { layer: LAYER, kind: 'bad-value', message: `label length byte 0x${len.toString(16)} at ${pos}: labels are at most 63 bytes` };
    }
    if (pos + 1 + len > end) return { layer: LAYER, kind: 'truncated', message: `label at ${pos} runs past the end of the message` };
    wireLen += len + 1;
    if (wireLen > DNS_MAX_NAME) return { layer: LAYER, kind: 'bad-length', message: `name at ${start} is longer than 255 bytes` };
    name += (name.length > 0 ? '.' : '') + labelText(b, pos + 1, pos + 1 + len);
    pos += 1 + len;
  }
}

/** Drops the dot that makes a name absolute, but not an escaped `\.` that is part of a label. */
function stripFinalDot(name: string): string {
  if (!name.endsWith('.')) return name;
  let slashes = 0;
  for (let i = name.length - 2; i >= 0 && name[i] === '\\'; i--) slashes++;
  return slashes % 2 === 0 ? name.slice(0, -1) : name;
}

/** A name's labels as bytes, or the reason it cannot be a domain name. Accepts a final dot; `''` and `.` are the root. */
export function dnsNameLabels(name: string): Uint8Array[] | string {
  const text = stripFinalDot(name);
  if (text.length === 0) return [];
  const labels: Uint8Array[] = [];
  let cur: number[] = [];
  let total = 1;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === '.') {
      if (cur.length === 0) return `empty label in "${name}"`;
      if (cur.length > DNS_MAX_LABEL) return `label of ${cur.length} bytes in "${name}": labels are at most 63`;
      total += cur.length + 1;
      labels.push(Uint8Array.from(cur));
      cur = [];
      continue;
    }
    let c = text.charCodeAt(i);
    if (c === 0x5c) {
      const d = /^[0-9]{3}/.exec(text.slice(i + 1, i + 4));
      if (d) {
        c = Number(d[0]);
        if (c > 255) return `escape \\${d[0]} in "${name}" is not a byte`;
        i += 3;
      } else {
        if (i + 1 >= text.length) return `"${name}" ends with a lone backslash`;
        c = text.charCodeAt(++i);
      }
    }
    if (c > 0xff) return `"${name}" has a character that is not a byte; use \\DDD escapes`;
    cur.push(c);
  }
  if (total > DNS_MAX_NAME) return `"${name}" is ${total} bytes on the wire: names are at most 255`;
  return labels;
}

/** Null when `name` can be sent as a domain name, else why not (for input typed by users). */
export function checkDnsName(name: string): string | null {
  const r = dnsNameLabels(name);
  return typeof r === 'string' ? r : null;
}

/** Lower case (ASCII only, as DNS compares) and no final dot: the key for comparing and indexing names. */
export function dnsNameKey(name: string): string {
  return stripFinalDot(name).toLowerCase();
}

export function dnsNamesEqual(a: string, b: string): boolean {
  return dnsNameKey(a) === dnsNameKey(b);
}

/** True when `name` is `zone` or below it (`www.lab.example` is in `lab.example`; every name is in the root). */
export function dnsNameInZone(name: string, zone: string): boolean {
  const n = dnsNameKey(name);
  const z = dnsNameKey(zone);
  return z === '' || n === z || n.endsWith('.' + z);
}

/** `93.184.216.34` → `34.216.184.93.in-addr.arpa`, the name a PTR query asks for. */
export function reverseName(ip: Ipv4Addr): string {
  return `${ip & 255}.${(ip >>> 8) & 255}.${(ip >>> 16) & 255}.${ip >>> 24}.in-addr.arpa`;
}

/** The address a full in-addr.arpa name stands for, or null when it is not one. */
export function parseReverseName(name: string): Ipv4Addr | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(dnsNameKey(name));
  if (!m) return null;
  const parts = [m[4], m[3], m[2], m[1]].map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

// ---------------------------------------------------------------- parse

function readRecord(b: Uint8Array, pos: number): { rec: DnsRecord; next: number } | WireError {
  const n = readName(b, pos);
  if ('kind' in n) return n;
  let p = n.next;
  if (p + 10 > b.length) return { layer: LAYER, kind: 'truncated', message: `record "${n.name}" at ${pos} is cut short before its data` };
  const type = getU16(b, p);
  const cls = getU16(b, p + 2);
  const ttl = getU32(b, p + 4);
  const rdlen = getU16(b, p + 8);
  p += 10;
  const end = p + rdlen;
  if (end > b.length) return { layer: LAYER, kind: 'truncated', message: `data of record "${n.name}" (${rdlen} bytes) runs past the end of the message` };
  const where = `${dnsTypeName(type)} record "${n.name}"`;
  let data: DnsRdata;
  const nameIn = (at: number): NameRead | WireError => {
    const r = readName(b, at);
    if ('kind' in r) return r;
    if (r.next > end) return { layer: LAYER, kind: 'bad-length', message: `name in ${where} runs past its ${rdlen} bytes of data` };
    return r;
  };
  const exact = (at: number): WireError | null =>
    at === end ? null : { layer: LAYER, kind: 'bad-length', message: `${where} has ${rdlen} bytes of data, ${at - p} expected` };
  if (type === DNS_TYPE_A && cls === DNS_CLASS_IN) {
    if (rdlen !== 4) return { layer: LAYER, kind: 'bad-length', message: `${where} has ${rdlen} bytes of data, 4 expected` };
    data = { kind: 'a', address: getU32(b, p) };
  } else if (type === DNS_TYPE_NS || type === DNS_TYPE_CNAME || type === DNS_TYPE_PTR) {
    const t = nameIn(p);
    if ('kind' in t) return t;
    const e = exact(t.next);
    if (e) return e;
    data = { kind: 'name', name: t.name };
  } else if (type === DNS_TYPE_MX) {
    if (rdlen < 3) return { layer: LAYER, kind: 'bad-length', message: `${where} has ${rdlen} bytes of data, too short` };
    const t = nameIn(p + 2);
    if ('kind' in t) return t;
    const e = exact(t.next);
    if (e) return e;
    data = { kind: 'mx', preference: getU16(b, p), exchange: t.name };
  } else if (type === DNS_TYPE_SOA) {
    const m = nameIn(p);
    if ('kind' in m) return m;
    const r = nameIn(m.next);
    if ('kind' in r) return r;
    const q = r.next;
    const e = exact(q + 20);
    if (e) return e;
    data = {
      kind: 'soa',
      mname: m.name,
      rname: r.name,
      serial: getU32(b, q),
      refresh: getU32(b, q + 4),
      retry: getU32(b, q + 8),
      expire: getU32(b, q + 12),
      minimum: getU32(b, q + 16),
    };
  } else {
    data = { kind: 'raw', bytes: b.slice(p, end) };
  }
  return { rec: { name: n.name, type, class: cls, ttl, data }, next: end };
}

/** Parses a whole message (the UDP payload); bytes after the last record are ignored. */
export function parseDns(b: Uint8Array): Parsed<DnsMessage> {
  if (b.length < DNS_HEADER_LEN) return fail(LAYER, 'truncated', `${b.length} bytes is shorter than the 12-byte DNS header`);
  const v = new DnsView().wrap(b);
  const flags = v.flags;
  const msg: DnsMessage = {
    id: v.id,
    qr: (flags & FLAG_QR) !== 0,
    opcode: (flags >>> 11) & 0x0f,
    aa: (flags & FLAG_AA) !== 0,
    tc: (flags & FLAG_TC) !== 0,
    rd: (flags & FLAG_RD) !== 0,
    ra: (flags & FLAG_RA) !== 0,
    z: (flags & FLAG_Z) !== 0,
    ad: (flags & FLAG_AD) !== 0,
    cd: (flags & FLAG_CD) !== 0,
    rcode: flags & 0x0f,
    questions: [],
    answers: [],
    authorities: [],
    additionals: [],
  };
  let pos = DNS_HEADER_LEN;
  for (let i = 0, n = v.qdcount; i < n; i++) {
    const r = readName(b, pos);
    if ('kind' in r) return { ok: false, error: r };
    if (r.next + 4 > b.length) return fail(LAYER, 'truncated', `question ${i + 1} "${r.name}" is cut short before its type and class`);
    msg.questions.push({ name: r.name, type: getU16(b, r.next), class: getU16(b, r.next + 2) });
    pos = r.next + 4;
  }
  const sections: [number, DnsRecord[]][] = [
    [v.ancount, msg.answers],
    [v.nscount, msg.authorities],
    [v.arcount, msg.additionals],
  ];
  for (const [count, list] of sections) {
    for (let i = 0; i < count; i++) {
      const r = readRecord(b, pos);
      if ('kind' in r) return { ok: false, error: r };
      list.push(r.rec);
      pos = r.next;
    }
  }
  return ok(msg);
}

// ---------------------------------------------------------------- emit

export interface DnsEmitOptions {
  /** Compress repeated names and suffixes with pointers (RFC 1035 §4.1.4); on by default. */
  compress?: boolean;
}

/**
 * Writes (or, with no buffer, only measures) a message. Suffixes are remembered case-sensitively by their
 * text, so a name is only replaced by a pointer to identical bytes and the case a client chose survives.
 */
class Writer {
  pos = 0;
  private readonly table = new Map<string, number>();

  constructor(
    private readonly buf: Uint8Array | null,
    private readonly base: number,
    private readonly compress: boolean,
  ) {}

  u8(v: number): void {
    if (this.buf) this.buf[this.base + this.pos] = v;
    this.pos += 1;
  }
  u16(v: number): void {
    if (this.buf) setU16(this.buf, this.base + this.pos, v);
    this.pos += 2;
  }
  u32(v: number): void {
    if (this.buf) setU32(this.buf, this.base + this.pos, v);
    this.pos += 4;
  }
  bytes(b: Uint8Array): void {
    if (this.buf) this.buf.set(b, this.base + this.pos);
    this.pos += b.length;
  }
  /** Room for a 16-bit length written later by `patch16`. */
  hole16(): number {
    const at = this.pos;
    this.pos += 2;
    return at;
  }
  patch16(at: number, v: number): void {
    if (this.buf) setU16(this.buf, this.base + at, v);
  }

  name(name: string): void {
    const labels = dnsNameLabels(name);
    if (typeof labels === 'string') throw new RangeError(`cannot emit DNS name: ${labels}`);
    if (!this.compress) {
      for (const l of labels) {
        this.u8(l.length);
        this.bytes(l);
      }
      this.u8(0);
      return;
    }
    const keys = suffixKeys(labels);
    for (let i = 0; i < labels.length; i++) {
      const at = this.table.get(keys[i]);
      if (at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.pos < 0x4000) this.table.set(keys[i], this.pos);
      this.u8(labels[i].length);
      this.bytes(labels[i]);
    }
    this.u8(0);
  }
}

function suffixKeys(labels: Uint8Array[]): string[] {
  const keys = new Array<string>(labels.length);
  let key = '';
  for (let i = labels.length - 1; i >= 0; i--) {
    key = labelText(labels[i], 0, labels[i].length) + (i === labels.length - 1 ? '' : '.' + key);
    keys[i] = key;
  }
  return keys;
}

function writeRdata(w: Writer, r: DnsRecord): void {
  const d = r.data;
  switch (d.kind) {
    case 'a':
      w.u32(d.address);
      return;
    case 'name':
      w.name(d.name);
      return;
    case 'mx':
      w.u16(d.preference);
      w.name(d.exchange);
      return;
    case 'soa':
      w.name(d.mname);
      w.name(d.rname);
      w.u32(d.serial);
      w.u32(d.refresh);
      w.u32(d.retry);
      w.u32(d.expire);
      w.u32(d.minimum);
      return;
    case 'raw':
      w.bytes(d.bytes);
  }
}

function write(msg: DnsMessage, w: Writer): void {
  let flags = (msg.opcode & 0x0f) << 11;
  if (msg.qr) flags |= FLAG_QR;
  if (msg.aa) flags |= FLAG_AA;
  if (msg.tc) flags |= FLAG_TC;
  if (msg.rd) flags |= FLAG_RD;
  if (msg.ra) flags |= FLAG_RA;
  if (msg.z) flags |= FLAG_Z;
  if (msg.ad) flags |= FLAG_AD;
  if (msg.cd) flags |= FLAG_CD;
  flags |= msg.rcode & 0x0f;
  w.u16(msg.id);
  w.u16(flags);
  w.u16(msg.questions.length);
  w.u16(msg.answers.length);
  w.u16(msg.authorities.length);
  w.u16(msg.additionals.length);
  for (const q of msg.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.class);
  }
  for (const list of [msg.answers, msg.authorities, msg.additionals]) {
    for (const r of list) {
      w.name(r.name);
      w.u16(r.type);
      w.u16(r.class);
      w.u32(r.ttl);
      const hole = w.hole16();
      const start = w.pos;
      writeRdata(w, r);
      w.patch16(hole, w.pos - start);
    }
  }
}

/** Bytes `emitDns` will write for `msg` with the same options. */
export function dnsLength(msg: DnsMessage, opts: DnsEmitOptions = {}): number {
  const w = new Writer(null, 0, opts.compress ?? true);
  write(msg, w);
  return w.pos;
}

/**
 * Writes `msg` at buf[offset..] and returns the bytes written. Names come from `parseDns` or from callers that
 * checked them with `checkDnsName`; an invalid one (a label over 63 bytes…) is a programming error and throws.
 */
export function emitDns(msg: DnsMessage, buf: Uint8Array, offset = 0, opts: DnsEmitOptions = {}): number {
  const w = new Writer(buf, offset, opts.compress ?? true);
  write(msg, w);
  return w.pos;
}

/** `emitDns` into a new buffer of the right size. */
export function encodeDns(msg: DnsMessage, opts: DnsEmitOptions = {}): Uint8Array {
  const out = new Uint8Array(dnsLength(msg, opts));
  emitDns(msg, out, 0, opts);
  return out;
}

// ---------------------------------------------------------------- builders

/** A standard query with one question, recursion desired, as resolvers send. */
export function dnsQuery(id: number, name: string, type = DNS_TYPE_A, rd = true): DnsMessage {
  return {
    id,
    qr: false,
    opcode: DNS_OPCODE_QUERY,
    aa: false,
    tc: false,
    rd,
    ra: false,
    rcode: 0,
    questions: [{ name, type, class: DNS_CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
  };
}

export function aRecord(name: string, address: Ipv4Addr, ttl: number): DnsRecord {
  return { name, type: DNS_TYPE_A, class: DNS_CLASS_IN, ttl, data: { kind: 'a', address } };
}

export function cnameRecord(name: string, target: string, ttl: number): DnsRecord {
  return { name, type: DNS_TYPE_CNAME, class: DNS_CLASS_IN, ttl, data: { kind: 'name', name: target } };
}

export function ptrRecord(name: string, target: string, ttl: number): DnsRecord {
  return { name, type: DNS_TYPE_PTR, class: DNS_CLASS_IN, ttl, data: { kind: 'name', name: target } };
}

/** Record data as dig prints it: `93.184.216.34`, `example.com.` (absolute names with their final dot). */
export function formatRdata(r: { readonly data: DnsRdata }): string {
  const d = r.data;
  const abs = (n: string): string => (n === '' ? '.' : n + '.');
  switch (d.kind) {
    case 'a':
      return formatIpv4(d.address);
    case 'name':
      return abs(d.name);
    case 'mx':
      return `${d.preference} ${abs(d.exchange)}`;
    case 'soa':
      return `${abs(d.mname)} ${abs(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    case 'raw': {
      let hex = '';
      for (const x of d.bytes) hex += (x < 16 ? '0' : '') + x.toString(16).toUpperCase();
      return `\\# ${d.bytes.length}${hex ? ' ' + hex : ''}`;
    }
  }
}
