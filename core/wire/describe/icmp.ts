// ICMP as Wireshark shows it: "Echo (ping) request  id=0x0a1b, seq=1/256, ttl=64", errors with the packet they quote.
import type { DecodeNode } from '../../api/dto';
import { getU16, getU32 } from '../bytes';
import { internetChecksum, finish, sum16 } from '../checksum';
import { absTimeText, bytesText, type Decode, hex, node, relTimeText } from './common';
import { ipv4Node } from './ipv4';
import { ipText } from './names';
import { tcpQuotedNode } from './tcp';
import { udpQuotedNode } from './udp';

const TYPES: Record<number, string> = {
  0: 'Echo (ping) reply',
  1: 'Reserved',
  2: 'Reserved',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  6: 'Alternate host address',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
  15: 'Information request',
  16: 'Information reply',
  17: 'Address mask request',
  18: 'Address mask reply',
  30: 'Traceroute',
};

const UNREACH = [
  'Network unreachable',
  'Host unreachable',
  'Protocol unreachable',
  'Port unreachable',
  'Fragmentation needed',
  'Source route failed',
  'Destination network unknown',
  'Destination host unknown',
  'Source host isolated',
  'Network administratively prohibited',
  'Host administratively prohibited',
  'Network unreachable for TOS',
  'Host unreachable for TOS',
  'Communication administratively filtered',
  'Host precedence violation',
  'Precedence cutoff in effect',
];
const TIME_EXCEEDED = ['Time to live exceeded in transit', 'Fragment reassembly time exceeded'];
const REDIRECT = ['Redirect for network', 'Redirect for host', 'Redirect for TOS and network', 'Redirect for TOS and host'];
const PARAMETER = ['Pointer indicates the error', 'Required option missing', 'Bad length'];

/** The words Wireshark puts in brackets after the type, or '' for types whose code means nothing. */
function codeText(type: number, code: number): string {
  const pick = (list: readonly string[]): string => list[code] ?? `Unknown code: ${code}`;
  switch (type) {
    case 3:
      return pick(UNREACH);
    case 5:
      return pick(REDIRECT);
    case 11:
      return pick(TIME_EXCEEDED);
    case 12:
      return pick(PARAMETER);
    case 6:
      return code === 0 ? 'Alternate address for host' : `Unknown code: ${code}`;
    default:
      return '';
  }
}

function isEchoLike(type: number): boolean {
  return type === 0 || type === 8 || (type >= 13 && type <= 18);
}

function isError(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

/** Decodes the ICMP message at b[off..end) of the IPv4 packet at `ip`. */
export function decodeIcmp(d: Decode, ip: number, off: number, end: number): void {
  const b = d.buf;
  const o = off;
  d.protocol = 'ICMP';
  if (end - o < 4 || (end - o < 8 && (isEchoLike(b[o]) || isError(b[o])))) {
    if (d.tree) d.tree.push(node('Internet Control Message Protocol', o, end));
    d.malformed('ICMP');
    return;
  }
  const type = b[o];
  const code = b[o + 1];
  const typeName = TYPES[type] ?? 'Unknown ICMP (obsolete or malformed?)';
  const codeName = codeText(type, code);
  let info = typeName.padEnd(20);
  if (codeName !== '') info += ` (${codeName})`;
  if (isEchoLike(type)) {
    const id = getU16(b, o + 4);
    const seq = getU16(b, o + 6);
    info += ` id=${hex(id, 4)}, seq=${seq}/${((seq & 0xff) << 8) | (seq >>> 8)}, ttl=${b[ip + 8]}`;
  }
  d.info = info;
  if (d.tree === null) return;
  const cs = getU16(b, o + 2);
  const good = internetChecksum(b, o, end) === 0;
  const should = finish(sum16(b, o + 4, end, sum16(b, o, o + 2)));
  const after: DecodeNode[] = [];
  const children: DecodeNode[] = [
    node(`Type: ${type} (${typeName})`, o, o + 1),
    node(codeName === '' ? `Code: ${code}` : `Code: ${code} (${codeName})`, o + 1, o + 2),
    node(good ? `Checksum: ${hex(cs, 4)} [correct]` : `Checksum: ${hex(cs, 4)} incorrect, should be ${hex(should, 4)}`, o + 2, o + 4),
    node(`[Checksum Status: ${good ? 'Good' : 'Bad'}]`, o + 2, o + 2),
  ];
  if (isEchoLike(type)) {
    const id = getU16(b, o + 4);
    const seq = getU16(b, o + 6);
    const swap = (v: number): number => ((v & 0xff) << 8) | (v >>> 8);
    children.push(
      node(`Identifier (BE): ${id} (${hex(id, 4)})`, o + 4, o + 6),
      node(`Identifier (LE): ${swap(id)} (${hex(swap(id), 4)})`, o + 4, o + 6),
      node(`Sequence Number (BE): ${seq} (${hex(seq, 4)})`, o + 6, o + 8),
      node(`Sequence Number (LE): ${swap(seq)} (${hex(swap(seq), 4)})`, o + 6, o + 8),
    );
    let data = o + 8;
    if (end - data >= 8 && d.timeUs >= 0) data = pingTimestamp(b, data, d.timeUs, children);
    if (end > data) {
      const n = end - data;
      children.push(node(`Data (${n} byte${n === 1 ? '' : 's'})`, data, end, [node(`Data: ${bytesText(b, data, end)}`, data, end), node(`[Length: ${n}]`, data, data)]));
    }
  } else if (isError(type)) {
    if (type === 3 && code === 4) {
      children.push(node(`Unused: ${bytesText(b, o + 4, o + 6)}`, o + 4, o + 6), node(`MTU of next hop: ${getU16(b, o + 6)}`, o + 6, o + 8));
    } else if (type === 5) {
      children.push(node(`Gateway Address: ${ipText(b, o + 4)}`, o + 4, o + 8));
    } else if (type === 12) {
      children.push(node(`Pointer: ${b[o + 4]}`, o + 4, o + 5), node(`Unused: ${bytesText(b, o + 5, o + 8)}`, o + 5, o + 8));
    } else {
      children.push(node(`Unused: ${bytesText(b, o + 4, o + 8)}`, o + 4, o + 8));
    }
    quoted(d, o + 8, end, children, after);
  } else if (end > o + 4) {
    const n = end - o - 4;
    children.push(node(`Data (${n} byte${n === 1 ? '' : 's'})`, o + 4, end, [node(`Data: ${bytesText(b, o + 4, end)}`, o + 4, end)]));
  }
  d.tree.push(node('Internet Control Message Protocol', o, end, children));
  for (const n of after) d.tree.push(n);
}

function le32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/**
 * Wireshark's guess at a send time in echo data (ping puts a struct timeval there): 32-bit seconds and
 * microseconds, big- then little-endian, taken when within a day of the capture time. Returns where the
 * rest of the data starts.
 */
function pingTimestamp(b: Uint8Array, at: number, frameUs: number, out: DecodeNode[]): number {
  const frameSec = Math.floor(frameUs / 1e6);
  const near = (s: number, us: number): boolean => Math.abs((s - frameSec) | 0) < 86400 && us < 1e6;
  let sec = getU32(b, at);
  let usec = getU32(b, at + 4);
  if (!near(sec, usec)) {
    sec = le32(b, at);
    usec = le32(b, at + 4);
  }
  if (!near(sec, usec)) return at;
  const deltaNs = (frameUs - (sec * 1e6 + usec)) * 1000;
  out.push(
    node(`Timestamp from icmp data: ${absTimeText(sec, usec * 1000)}`, at, at + 8),
    node(`[Timestamp from icmp data (relative): ${relTimeText(deltaNs)}]`, at, at + 8),
  );
  return at + 8;
}

/** The IPv4 header an error quotes and its transport header, as children of the ICMP node; Data of a whole quoted datagram goes to `after`. */
function quoted(d: Decode, o: number, end: number, out: DecodeNode[], after: DecodeNode[]): void {
  const b = d.buf;
  if (end - o < 20 || b[o] >>> 4 !== 4) return;
  const hl = (b[o] & 15) * 4;
  if (hl < 20 || o + hl > end) return;
  out.push(ipv4Node(b, o, hl));
  const t = o + hl;
  const proto = b[o + 9];
  if (end - t < 8) return;
  if (proto === 17) out.push(udpQuotedNode(b, o, t, end, after));
  else if (proto === 6) out.push(tcpQuotedNode(b, o, t, end));
  else if (proto === 1) out.push(icmpQuotedNode(d, t, end));
}

/** An ICMP message quoted in an error, whose checksum Wireshark leaves unverified. */
function icmpQuotedNode(d: Decode, o: number, end: number): DecodeNode {
  const b = d.buf;
  const type = b[o];
  const code = b[o + 1];
  const typeName = TYPES[type] ?? 'Unknown ICMP (obsolete or malformed?)';
  const codeName = codeText(type, code);
  const children = [
    node(`Type: ${type} (${typeName})`, o, o + 1),
    node(codeName === '' ? `Code: ${code}` : `Code: ${code} (${codeName})`, o + 1, o + 2),
    node(`Checksum: ${hex(getU16(b, o + 2), 4)} [unverified] [in ICMP error packet]`, o + 2, o + 4),
    node('[Checksum Status: Unverified]', o + 2, o + 2),
  ];
  if (isEchoLike(type)) {
    const id = getU16(b, o + 4);
    const seq = getU16(b, o + 6);
    const swap = (v: number): number => ((v & 0xff) << 8) | (v >>> 8);
    children.push(
      node(`Identifier (BE): ${id} (${hex(id, 4)})`, o + 4, o + 6),
      node(`Identifier (LE): ${swap(id)} (${hex(swap(id), 4)})`, o + 4, o + 6),
      node(`Sequence Number (BE): ${seq} (${hex(seq, 4)})`, o + 6, o + 8),
      node(`Sequence Number (LE): ${swap(seq)} (${hex(swap(seq), 4)})`, o + 6, o + 8),
    );
    let data = o + 8;
    if (end - data >= 8 && d.timeUs >= 0) data = pingTimestamp(b, data, d.timeUs, children);
    if (end > data) {
      const n = end - data;
      children.push(node(`Data (${n} byte${n === 1 ? '' : 's'})`, data, end, [node(`Data: ${bytesText(b, data, end)}`, data, end), node(`[Length: ${n}]`, data, data)]));
    }
  }
  return node('Internet Control Message Protocol', o, end, children);
}
