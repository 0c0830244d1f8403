// IPv4 as Wireshark shows it: the header tree (also for the packet quoted in an ICMP error) and the dispatch to ICMP, UDP, TCP.
import type { DecodeNode } from '../../api/dto';
import { getU16 } from '../bytes';
import { finish, sum16 } from '../checksum';
import { bits, bytesText, type Decode, hex, node } from './common';
import { decodeIcmp } from './icmp';
import { ipProtocolName, ipText } from './names';
import { decodeTcp } from './tcp';
import { decodeUdp } from './udp';

const DSCP: Record<number, [string, string]> = {
  0: ['CS0', 'Default'],
  1: ['LE', 'Lower Effort'],
  8: ['CS1', 'Class Selector 1'],
  10: ['AF11', 'Assured Forwarding 11'],
  12: ['AF12', 'Assured Forwarding 12'],
  14: ['AF13', 'Assured Forwarding 13'],
  16: ['CS2', 'Class Selector 2'],
  18: ['AF21', 'Assured Forwarding 21'],
  20: ['AF22', 'Assured Forwarding 22'],
  22: ['AF23', 'Assured Forwarding 23'],
  24: ['CS3', 'Class Selector 3'],
  26: ['AF31', 'Assured Forwarding 31'],
  28: ['AF32', 'Assured Forwarding 32'],
  30: ['AF33', 'Assured Forwarding 33'],
  32: ['CS4', 'Class Selector 4'],
  34: ['AF41', 'Assured Forwarding 41'],
  36: ['AF42', 'Assured Forwarding 42'],
  38: ['AF43', 'Assured Forwarding 43'],
  40: ['CS5', 'Class Selector 5'],
  44: ['VA', 'Voice-Admit'],
  46: ['EF PHB', 'Expedited Forwarding'],
  48: ['CS6', 'Class Selector 6'],
  56: ['CS7', 'Class Selector 7'],
};

const ECN: [string, string][] = [
  ['Not-ECT', 'Not ECN-Capable Transport'],
  ['ECT(1)', 'ECN-Capable Transport codepoint \'01\''],
  ['ECT(0)', 'ECN-Capable Transport codepoint \'10\''],
  ['CE', 'Congestion Experienced'],
];

const OPTION_NAMES: Record<number, string> = {
  0: 'End of Options List (EOL)',
  1: 'No-Operation (NOP)',
  7: 'Record Route',
  68: 'Time Stamp',
  130: 'Security',
  131: 'Loose Source Route',
  137: 'Strict Source Route',
  148: 'Router Alert',
};

const OPTION_NUMBERS: Record<number, string> = {
  0: 'End of Option List (EOL)',
  1: 'No-Operation (NOP)',
  2: 'Security',
  3: 'Loose source route',
  4: 'Time stamp',
  7: 'Record route',
  9: 'Strict source route',
  20: 'Router Alert',
};

/** The checksum the header should carry: the sum of every word but the checksum field. */
function headerChecksum(b: Uint8Array, o: number, hl: number): number {
  return finish(sum16(b, o + 12, o + hl, sum16(b, o, o + 10)));
}

function optionType(b: Uint8Array, at: number): DecodeNode {
  const t = b[at];
  const cls = (t >>> 5) & 3;
  return node(`Type: ${t}`, at, at + 1, [
    node(`${bits(t, 0x80, 8)} = Copy on fragmentation: ${t & 0x80 ? 'Yes' : 'No'}`, at, at + 1),
    node(`${bits(t, 0x60, 8)} = Class: ${cls === 0 ? 'Control' : cls === 2 ? 'Debugging and measurement' : 'Reserved for future use'} (${cls})`, at, at + 1),
    node(`${bits(t, 0x1f, 8)} = Number: ${OPTION_NUMBERS[t & 0x1f] ?? 'Unknown'} (${t & 0x1f})`, at, at + 1),
  ]);
}

/** The Options subtree: each option with its type bits and, for record route, the route slots. */
function optionsNode(b: Uint8Array, o: number, end: number): DecodeNode {
  const items: DecodeNode[] = [];
  const names: string[] = [];
  let i = o;
  while (i < end) {
    const t = b[i];
    const name = OPTION_NAMES[t] ?? `Unknown (0x${t.toString(16).padStart(2, '0')})`;
    // The headline lists the options but not the End of List that pads them.
    if (t !== 0) names.push(name);
    if (t === 0 || t === 1) {
      items.push(node(`IP Option - ${name}`, i, i + 1, [optionType(b, i)]));
      i++;
      continue;
    }
    const len = i + 1 < end ? b[i + 1] : 0;
    if (len < 2 || i + len > end) {
      items.push(node(`IP Option - ${name}: option length ${len} is invalid`, i, end));
      break;
    }
    const children = [optionType(b, i), node(`Length: ${len}`, i + 1, i + 2)];
    if ((t === 7 || t === 131 || t === 137) && len >= 3) {
      const ptr = b[i + 2];
      children.push(node(`Pointer: ${ptr}`, i + 2, i + 3));
      for (let r = i + 3; r + 4 <= i + len; r += 4) {
        const slot = r - i + 1;
        const empty = b[r] === 0 && b[r + 1] === 0 && b[r + 2] === 0 && b[r + 3] === 0;
        const label = t === 7 ? (empty ? 'Empty Route' : 'Recorded Route') : 'Source Route';
        children.push(node(`${label}: ${ipText(b, r)}${slot === ptr ? ' <- (next)' : ''}`, r, r + 4));
      }
    } else if (t === 148 && len === 4) {
      const v = getU16(b, i + 2);
      const text = `${v === 0 ? 'Router shall examine packet' : 'Reserved'} (${v})`;
      children.push(node(`Router Alert: ${text}`, i + 2, i + 4));
      items.push(node(`IP Option - ${name} (${len} bytes): ${text}`, i, i + len, children));
      i += len;
      continue;
    } else if (len > 2) {
      children.push(node(`Value: ${bytesText(b, i + 2, i + len)}`, i + 2, i + len));
    }
    items.push(node(`IP Option - ${name} (${len} bytes)`, i, i + len, children));
    i += len;
  }
  return node(`Options: (${end - o} bytes), ${names.join(', ')}`, o, end, items);
}

/** The tree of the IPv4 header at b[o..o+hl), for the packet itself and for the copy an ICMP error quotes. */
export function ipv4Node(b: Uint8Array, o: number, hl: number): DecodeNode {
  const v = b[o];
  const tos = b[o + 1];
  const dscp = tos >>> 2;
  const ecn = tos & 3;
  const [dShort, dLong] = DSCP[dscp] ?? ['Unknown', 'Unknown'];
  const total = getU16(b, o + 2);
  const id = getU16(b, o + 4);
  const ff = getU16(b, o + 6);
  const flags = b[o + 6];
  const proto = b[o + 9];
  const cs = getU16(b, o + 10);
  const should = headerChecksum(b, o, hl);
  const flagNames = (flags & 0x80 ? ', Reserved bit' : '') + (flags & 0x40 ? ", Don't fragment" : '') + (flags & 0x20 ? ', More fragments' : '');
  const children: DecodeNode[] = [
    node(`${bits(v, 0xf0, 8)} = Version: ${v >>> 4}`, o, o + 1),
    node(`${bits(v, 0x0f, 8)} = Header Length: ${(v & 15) * 4} bytes (${v & 15})`, o, o + 1),
    node(`Differentiated Services Field: ${hex(tos, 2)} (DSCP: ${dShort}, ECN: ${ECN[ecn][0]})`, o + 1, o + 2, [
      node(`${bits(tos, 0xfc, 8)} = Differentiated Services Codepoint: ${dLong} (${dscp})`, o + 1, o + 2),
      node(`${bits(tos, 0x03, 8)} = Explicit Congestion Notification: ${ECN[ecn][1]} (${ecn})`, o + 1, o + 2),
    ]),
    node(`Total Length: ${total}`, o + 2, o + 4),
    node(`Identification: ${hex(id, 4)} (${id})`, o + 4, o + 6),
    node(`${bits(flags, 0xe0, 8)} = Flags: ${hex(flags >>> 5, 1)}${flagNames}`, o + 6, o + 7, [
      node(`${bits(flags, 0x80, 8)} = Reserved bit: ${flags & 0x80 ? 'Set' : 'Not set'}`, o + 6, o + 7),
      node(`${bits(flags, 0x40, 8)} = Don't fragment: ${flags & 0x40 ? 'Set' : 'Not set'}`, o + 6, o + 7),
      node(`${bits(flags, 0x20, 8)} = More fragments: ${flags & 0x20 ? 'Set' : 'Not set'}`, o + 6, o + 7),
    ]),
    node(`${bits(ff, 0x1fff, 16)} = Fragment Offset: ${(ff & 0x1fff) * 8}`, o + 6, o + 8),
    node(`Time to Live: ${b[o + 8]}`, o + 8, o + 9),
    node(`Protocol: ${ipProtocolName(proto)} (${proto})`, o + 9, o + 10),
  ];
  if (cs === should) {
    children.push(
      node(`Header Checksum: ${hex(cs, 4)} [correct]`, o + 10, o + 12),
      node('[Header checksum status: Good]', o + 10, o + 10),
      node(`[Calculated Checksum: ${hex(should, 4)}]`, o + 10, o + 12),
    );
  } else {
    children.push(
      node(`Header Checksum: ${hex(cs, 4)} incorrect, should be ${hex(should, 4)}(may be caused by "IP checksum offload"?)`, o + 10, o + 12),
      node('[Header checksum status: Bad]', o + 10, o + 10),
      node(`[Calculated Checksum: ${hex(should, 4)}]`, o + 10, o + 12),
    );
  }
  children.push(node(`Source Address: ${ipText(b, o + 12)}`, o + 12, o + 16), node(`Destination Address: ${ipText(b, o + 16)}`, o + 16, o + 20));
  if (hl > 20) children.push(optionsNode(b, o + 20, o + hl));
  return node(`Internet Protocol Version 4, Src: ${ipText(b, o + 12)}, Dst: ${ipText(b, o + 16)}`, o, o + hl, children);
}

/** Decodes the IPv4 packet at b[off..end); returns where the datagram ends (padding follows). */
export function decodeIpv4(d: Decode, off: number, end: number): number {
  const b = d.buf;
  const o = off;
  d.protocol = 'IPv4';
  if (end - o < 20) {
    if (d.tree) d.tree.push(node('Internet Protocol Version 4', o, end));
    d.malformed('IPv4');
    return end;
  }
  const version = b[o] >>> 4;
  const hl = (b[o] & 15) * 4;
  const total = getU16(b, o + 2);
  if (version !== 4) {
    d.info = `Bogus IPv4 version (${version}, must be 4)`;
    if (d.tree) d.tree.push(node('Internet Protocol Version 4', o, o + 1, [node(`${bits(b[o], 0xf0, 8)} = Version: ${version}`, o, o + 1)]));
    return end;
  }
  if (hl < 20) {
    d.info = `Bogus IP header length (${hl}, must be at least 20)`;
    if (d.tree) d.tree.push(node('Internet Protocol Version 4', o, o + 1, [node(`${bits(b[o], 0x0f, 8)} = Header Length: ${hl} bytes (${hl >>> 2})`, o, o + 1)]));
    return end;
  }
  if (o + hl > end) {
    if (d.tree) d.tree.push(node('Internet Protocol Version 4', o, end));
    d.malformed('IPv4');
    return end;
  }
  if (total < hl) {
    d.info = `Bogus IP length (${total}, less than header length ${hl})`;
    if (d.tree) d.tree.push(node('Internet Protocol Version 4', o, o + hl, [node(`Total Length: ${total}`, o + 2, o + 4)]));
    return end;
  }
  d.source = ipText(b, o + 12);
  d.destination = ipText(b, o + 16);
  if (d.tree) d.tree.push(ipv4Node(b, o, hl));
  // A total length past the frame is read as far as the bytes go, as Wireshark does.
  const stop = Math.min(end, o + total);
  const start = o + hl;
  const proto = b[o + 9];
  const ff = getU16(b, o + 6);
  if ((ff & 0x3fff) !== 0) {
    d.info = `Fragmented IP protocol (proto=${ipProtocolName(proto)} ${proto}, off=${(ff & 0x1fff) * 8}, ID=${getU16(b, o + 4).toString(16).padStart(4, '0')})`;
    dataNode(d, start, stop);
    return stop;
  }
  switch (proto) {
    case 1:
      decodeIcmp(d, o, start, stop);
      break;
    case 6:
      decodeTcp(d, o, start, stop);
      break;
    case 17:
      decodeUdp(d, o, start, stop, o + total);
      break;
    default:
      d.info = `${ipProtocolName(proto)} (${proto})`;
      dataNode(d, start, stop);
  }
  return stop;
}

export function dataNode(d: Decode, start: number, end: number): void {
  if (d.tree === null || end <= start) return;
  const n = end - start;
  d.tree.push(node(`Data (${n} byte${n === 1 ? '' : 's'})`, start, end, [node(`Data: ${bytesText(d.buf, start, end)}`, start, end), node(`[Length: ${n}]`, start, start)]));
}
