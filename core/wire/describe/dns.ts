// DNS as Wireshark shows it: "Standard query response 0x1a2b A www.example.com CNAME example.com A 93.184.216.34".
import type { DecodeNode } from '../../api/dto';
import { getU16, getU32 } from '../bytes';
import { bits, bytesText, type Decode, durationText, hex, node } from './common';
import { ipText } from './names';

const OPCODES: Record<number, string> = {
  0: 'Standard query',
  1: 'Inverse query',
  2: 'Server status request',
  4: 'Zone change notification',
  5: 'Dynamic update',
  6: 'DNS Stateful operations (DSO)',
};

const RCODES = [
  'No error',
  'Format error',
  'Server failure',
  'No such name',
  'Not implemented',
  'Refused',
  'Name exists',
  'RRset exists',
  'RRset does not exist',
  'Not authoritative',
  'Name out of zone',
];

const TYPES: Record<number, [string, string]> = {
  0: ['Unused', 'Unused'],
  1: ['A', 'A (Host Address)'],
  2: ['NS', 'NS (authoritative Name Server)'],
  5: ['CNAME', 'CNAME (Canonical NAME for an alias)'],
  6: ['SOA', 'SOA (Start Of a zone of Authority)'],
  12: ['PTR', 'PTR (domain name PoinTeR)'],
  13: ['HINFO', 'HINFO (host information)'],
  15: ['MX', 'MX (Mail eXchange)'],
  16: ['TXT', 'TXT (Text strings)'],
  28: ['AAAA', 'AAAA (IPv6 Address)'],
  33: ['SRV', 'SRV (Server Selection)'],
  41: ['OPT', 'OPT'],
  255: ['ANY', 'ANY (A request for all records the server/cache has available)'],
};

const CLASSES: Record<number, string> = { 1: 'IN', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };

function typeShort(t: number): string {
  return TYPES[t]?.[0] ?? `Unknown (${t})`;
}

function typeLong(t: number): string {
  return `${TYPES[t]?.[1] ?? 'Unknown'} (${t})`;
}

function className(c: number): string {
  return CLASSES[c] ?? `Unknown (${c})`;
}

interface Name {
  text: string;
  /** Offset just after the name where it was read (after the first pointer). */
  next: number;
  labels: number;
  /** Length of the presentation form, as Wireshark's [Name Length]. */
  length: number;
}

/** Reads a possibly compressed name at m+at of the message b[m..end); null when it is malformed. */
function readName(b: Uint8Array, m: number, at: number, end: number): Name | null {
  let pos = m + at;
  let next = -1;
  let text = '';
  let labels = 0;
  let jumps = 0;
  let wire = 1;
  for (;;) {
    if (pos >= end) return null;
    const len = b[pos];
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= end || ++jumps > 64) return null;
      if (next < 0) next = pos + 2;
      pos = m + (((len & 0x3f) << 8) | b[pos + 1]);
      continue;
    }
    if ((len & 0xc0) !== 0 || pos + 1 + len > end) return null;
    wire += len + 1;
    if (wire > 255) return null;
    let label = '';
    for (let i = pos + 1; i <= pos + len; i++) {
      const c = b[i];
      label += c > 0x20 && c < 0x7f ? (c === 0x2e ? '\\.' : String.fromCharCode(c)) : '\\' + c.toString().padStart(3, '0');
    }
    text += (labels > 0 ? '.' : '') + label;
    labels++;
    pos += 1 + len;
  }
  return { text: labels === 0 ? '<Root>' : text, next, labels, length: labels === 0 ? 6 : text.length };
}

/** An IPv6 address in its RFC 5952 text form. */
function ipv6Text(b: Uint8Array, o: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push(getU16(b, o + 2 * i));
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hexes = w.map((x) => x.toString(16));
  if (bestAt < 0) return hexes.join(':');
  return `${hexes.slice(0, bestAt).join(':')}::${hexes.slice(bestAt + bestLen).join(':')}`;
}

function timeText(v: number): string {
  return `${v} (${durationText(v)})`;
}

interface RecordRead {
  /** What the record adds to the Info column. */
  info: string;
  node: DecodeNode | null;
  next: number;
}

/** One resource record at b[p..]; null when it is malformed. */
function readRecord(b: Uint8Array, m: number, p: number, end: number, tree: boolean): RecordRead | null {
  const name = readName(b, m, p - m, end);
  if (name === null || name.next + 10 > end) return null;
  const q = name.next;
  const type = getU16(b, q);
  const cls = getU16(b, q + 2);
  const ttl = getU32(b, q + 4);
  const rdlen = getU16(b, q + 8);
  const r = q + 10;
  const e = r + rdlen;
  if (e > end) return null;
  let info = ` ${typeShort(type)}`;
  let summary = '';
  const fields: DecodeNode[] = [];
  const nameAt = (at: number): Name | null => {
    const n = readName(b, m, at - m, end);
    return n !== null && n.next <= e ? n : null;
  };
  switch (type) {
    case 1:
      if (rdlen !== 4) return null;
      info += ` ${ipText(b, r)}`;
      summary = `, addr ${ipText(b, r)}`;
      fields.push(node(`Address: ${ipText(b, r)}`, r, e));
      break;
    case 28:
      if (rdlen !== 16) return null;
      info += ` ${ipv6Text(b, r)}`;
      summary = `, addr ${ipv6Text(b, r)}`;
      fields.push(node(`AAAA Address: ${ipv6Text(b, r)}`, r, e));
      break;
    case 2:
    case 5:
    case 12: {
      const t = nameAt(r);
      if (t === null) return null;
      info += ` ${t.text}`;
      const [key, label] = type === 2 ? ['ns ', 'Name Server'] : type === 5 ? ['cname ', 'CNAME'] : ['', 'Domain Name'];
      summary = `, ${key}${t.text}`;
      fields.push(node(`${label}: ${t.text}`, r, e));
      break;
    }
    case 15: {
      if (rdlen < 3) return null;
      const t = nameAt(r + 2);
      if (t === null) return null;
      const pref = getU16(b, r);
      info += ` ${pref} ${t.text}`;
      summary = `, preference ${pref}, mx ${t.text}`;
      fields.push(node(`Preference: ${pref}`, r, r + 2), node(`Mail Exchange: ${t.text}`, r + 2, e));
      break;
    }
    case 6: {
      const mn = nameAt(r);
      if (mn === null) return null;
      const rn = nameAt(mn.next);
      if (rn === null || rn.next + 20 > e) return null;
      const s = rn.next;
      info += ` ${mn.text}`;
      summary = `, mname ${mn.text}`;
      fields.push(
        node(`Primary name server: ${mn.text}`, r, mn.next),
        node(`Responsible authority's mailbox: ${rn.text}`, mn.next, s),
        node(`Serial Number: ${getU32(b, s)}`, s, s + 4),
        node(`Refresh Interval: ${timeText(getU32(b, s + 4))}`, s + 4, s + 8),
        node(`Retry Interval: ${timeText(getU32(b, s + 8))}`, s + 8, s + 12),
        node(`Expire limit: ${timeText(getU32(b, s + 12))}`, s + 12, s + 16),
        node(`Minimum TTL: ${timeText(getU32(b, s + 16))}`, s + 16, s + 20),
      );
      break;
    }
    case 16:
      for (let i = r; i < e; ) {
        const l = b[i];
        if (i + 1 + l > e) return null;
        let s = '';
        for (let k = i + 1; k <= i + l; k++) s += String.fromCharCode(b[k]);
        fields.push(node(`TXT Length: ${l}`, i, i + 1), node(`TXT: ${s}`, i + 1, i + 1 + l));
        i += 1 + l;
      }
      break;
    default:
      if (rdlen > 0) fields.push(node(`Data: ${bytesText(b, r, e)}`, r, e));
  }
  if (!tree) return { info, node: null, next: e };
  const nameEnd = name.next;
  if (type === 41) {
    const z = getU16(b, q + 6);
    return {
      info,
      next: e,
      node: node(`${name.text}: type OPT`, p, e, [
        node(`Name: ${name.text}`, p, nameEnd),
        node(`Type: ${typeLong(type)}`, q, q + 2),
        node(`UDP payload size: ${cls}`, q + 2, q + 4),
        node(`Higher bits in extended RCODE: ${hex(b[q + 4], 2)}`, q + 4, q + 5),
        node(`EDNS0 version: ${b[q + 5]}`, q + 5, q + 6),
        node(`Z: ${hex(z, 4)}`, q + 6, q + 8, [
          node(`${bits(z, 0x8000, 16)} = DO bit: ${z & 0x8000 ? 'Accepts DNSSEC security RRs' : 'Cannot handle DNSSEC security RRs'}`, q + 6, q + 8),
          node(`${bits(z, 0x7fff, 16)} = Reserved: ${hex(z & 0x7fff, 4)}`, q + 6, q + 8),
        ]),
        node(`Data length: ${rdlen}`, q + 8, q + 10),
      ]),
    };
  }
  return {
    info,
    next: e,
    node: node(`${name.text}: type ${typeShort(type)}, class ${className(cls)}${summary}`, p, e, [
      node(`Name: ${name.text}`, p, nameEnd),
      node(`Type: ${typeLong(type)}`, q, q + 2),
      node(`Class: ${className(cls)} (${hex(cls, 4)})`, q + 2, q + 4),
      node(`Time to live: ${timeText(ttl)}`, q + 4, q + 8),
      node(`Data length: ${rdlen}`, q + 8, q + 10),
      ...fields,
    ]),
  };
}

function flagsNode(f: number, o: number, response: boolean): DecodeNode {
  const opcode = (f >>> 11) & 15;
  const rcode = f & 15;
  const opName = OPCODES[opcode] ?? 'Unknown operation';
  const on = (bit: number): boolean => (f & bit) !== 0;
  const c = [
    node(`${bits(f, 0x8000, 16)} = Response: Message is a ${response ? 'response' : 'query'}`, o, o + 2),
    node(`${bits(f, 0x7800, 16)} = Opcode: ${opName} (${opcode})`, o, o + 2),
  ];
  if (response) c.push(node(`${bits(f, 0x0400, 16)} = Authoritative: Server is ${on(0x400) ? '' : 'not '}an authority for domain`, o, o + 2));
  c.push(
    node(`${bits(f, 0x0200, 16)} = Truncated: Message is ${on(0x200) ? '' : 'not '}truncated`, o, o + 2),
    node(`${bits(f, 0x0100, 16)} = Recursion desired: ${on(0x100) ? 'Do' : "Don't do"} query recursively`, o, o + 2),
  );
  if (response) c.push(node(`${bits(f, 0x0080, 16)} = Recursion available: Server ${on(0x80) ? 'can' : "can't"} do recursive queries`, o, o + 2));
  c.push(node(`${bits(f, 0x0040, 16)} = Z: reserved (${on(0x40) ? 1 : 0})`, o, o + 2));
  if (response) {
    c.push(
      node(`${bits(f, 0x0020, 16)} = Answer authenticated: Answer/authority portion was ${on(0x20) ? '' : 'not '}authenticated by the server`, o, o + 2),
    );
  }
  c.push(node(`${bits(f, 0x0010, 16)} = Non-authenticated data: ${on(0x10) ? 'Acceptable' : 'Unacceptable'}`, o, o + 2));
  if (response) c.push(node(`${bits(f, 0x000f, 16)} = Reply code: ${RCODES[rcode] ?? 'Unknown'} (${rcode})`, o, o + 2));
  const summary = `${opName}${response ? ` response, ${RCODES[rcode] ?? `Unknown error (${rcode})`}` : ''}`;
  return node(`Flags: ${hex(f, 4)} ${summary}`, o, o + 2, c);
}

/** Decodes the DNS message b[off..end) (a UDP payload). */
export function decodeDns(d: Decode, off: number, end: number): void {
  const b = d.buf;
  const m = off;
  d.protocol = 'DNS';
  if (end - m < 4) {
    if (d.tree) d.tree.push(node('Domain Name System', m, end));
    d.malformed('DNS');
    return;
  }
  const id = getU16(b, m);
  const f = getU16(b, m + 2);
  const response = (f & 0x8000) !== 0;
  const opcode = (f >>> 11) & 15;
  const rcode = f & 15;
  let info = `${OPCODES[opcode] ?? `Unknown operation (${opcode})`}${response ? ' response' : ''} ${hex(id, 4)}`;
  if (response && rcode !== 0) info += ` ${RCODES[rcode] ?? `Unknown error (${rcode})`}`;
  if (end - m < 12) {
    d.info = info;
    if (d.tree) d.tree.push(node(`Domain Name System (${response ? 'response' : 'query'})`, m, end, [node(`Transaction ID: ${hex(id, 4)}`, m, m + 2), flagsNode(f, m + 2, response)]));
    d.malformed('DNS');
    return;
  }
  const counts = [getU16(b, m + 4), getU16(b, m + 6), getU16(b, m + 8), getU16(b, m + 10)];
  const tree = d.tree !== null;
  const c: DecodeNode[] = [];
  if (tree) {
    c.push(
      node(`Transaction ID: ${hex(id, 4)}`, m, m + 2),
      flagsNode(f, m + 2, response),
      node(`Questions: ${counts[0]}`, m + 4, m + 6),
      node(`Answer RRs: ${counts[1]}`, m + 6, m + 8),
      node(`Authority RRs: ${counts[2]}`, m + 8, m + 10),
      node(`Additional RRs: ${counts[3]}`, m + 10, m + 12),
    );
  }
  let p = m + 12;
  let bad = false;
  if (counts[0] > 0) {
    const qs: DecodeNode[] = [];
    const start = p;
    for (let i = 0; i < counts[0]; i++) {
      const n = readName(b, m, p - m, end);
      if (n === null || n.next + 4 > end) {
        bad = true;
        break;
      }
      const type = getU16(b, n.next);
      const cls = getU16(b, n.next + 2);
      info += ` ${typeShort(type)} ${n.text}`;
      if (tree) {
        qs.push(
          node(`${n.text}: type ${typeShort(type)}, class ${className(cls & 0x7fff)}`, p, n.next + 4, [
            node(`Name: ${n.text}`, p, n.next),
            node(`[Name Length: ${n.length}]`, p, n.next),
            node(`[Label Count: ${Math.max(1, n.labels)}]`, p, n.next),
            node(`Type: ${typeLong(type)}`, n.next, n.next + 2),
            node(`Class: ${className(cls & 0x7fff)} (${hex(cls, 4)})`, n.next + 2, n.next + 4),
          ]),
        );
      }
      p = n.next + 4;
    }
    if (tree && qs.length > 0) c.push(node('Queries', start, p, qs));
  }
  const sections = ['Answers', 'Authoritative nameservers', 'Additional records'];
  for (let s = 0; s < 3 && !bad; s++) {
    if (counts[s + 1] === 0) continue;
    const rs: DecodeNode[] = [];
    const start = p;
    for (let i = 0; i < counts[s + 1]; i++) {
      const r = readRecord(b, m, p, end, tree);
      if (r === null) {
        bad = true;
        break;
      }
      info += r.info;
      if (r.node) rs.push(r.node);
      p = r.next;
    }
    if (tree && rs.length > 0) c.push(node(sections[s], start, p, rs));
  }
  d.info = info;
  if (d.tree) d.tree.push(node(`Domain Name System (${response ? 'response' : 'query'})`, m, end, c));
  if (bad) d.malformed('DNS');
}
