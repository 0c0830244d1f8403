// What Wireshark shows for a frame: the packet list's columns (summarize) and the decode tree with byte ranges (dissect).
//
// Each frame is described alone, as Wireshark describes a capture holding only that frame; the deliberate
// differences, each checked against tshark in tests/unit/wire/describe-tshark.test.ts with the preference
// that makes tshark do the same:
// - TCP sequence and acknowledgment numbers are the raw ones (tcp.relative_sequence_numbers:FALSE):
//   relative numbers and scaled windows need the stream's SYN, which one frame does not have;
// - no cross references between frames ("(reply in 7)", "[Response In: 12]", TCP analysis flags);
// - no reassembly (tcp.desegment_tcp_streams:FALSE): a segment carrying an HTTP head shows as HTTP with
//   the body bytes it holds, a segment of body alone as TCP; IPv4 fragments show as fragments;
// - checksums are verified (ip/udp/tcp.check_checksum:TRUE), as Wireshark shows when asked to;
// - only the lab's protocols are decoded (Ethernet, 802.1Q, ARP, IPv4, ICMP, UDP, TCP, DHCP, DNS, HTTP):
//   payloads Wireshark has other dissectors for (UDP port 7's Echo, IGMP, GRE…) show as Data;
// - a malformed frame keeps the layers that fit and names the first that does not ("[Malformed Packet]",
//   "Bogus IP header length (12, must be at least 20)"), where Wireshark fills fields until the bytes run out.
// Given the capture time, ping's timestamp in echo data is read as Wireshark reads it.
import type { DecodeNode, FrameDetail, FrameSummary } from '../api/dto';
import { getU16, toHex } from './bytes';
import { add, bits, bytesText, Decode, node } from './describe/common';
import { decodeArp } from './describe/arp';
import { dataNode, decodeIpv4 } from './describe/ipv4';
import { ethertypeLabel, macLabel, macName } from './describe/names';

export interface FrameColumns {
  source: string;
  destination: string;
  protocol: string;
  info: string;
}

const ETH_TYPE_IPV4 = 0x0800;
const ETH_TYPE_ARP = 0x0806;
const ETH_TYPE_VLAN = 0x8100;
const ETH_TYPE_IPV6 = 0x86dd;

const PRIORITY_NAMES = [
  'Best Effort (default)',
  'Background',
  'Excellent Effort',
  'Critical Applications',
  'Video, < 100ms latency and jitter',
  'Voice, < 10ms latency and jitter',
  'Internetwork Control',
  'Network Control',
];

/** The Destination or Source field of an Ethernet header, with its address and the LG and IG bits. */
function macField(b: Uint8Array, o: number, what: string): DecodeNode {
  const label = macLabel(b, o);
  const lg = (b[o] & 2) !== 0;
  const ig = (b[o] & 1) !== 0;
  const v = (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
  return node(`${what}: ${label}`, o, o + 6, [
    node(`Address: ${label}`, o, o + 6),
    node(
      `${bits(v, 0x020000, 24)} = LG bit: ${lg ? 'Locally administered address (this is NOT the factory default)' : 'Globally unique address (factory default)'}`,
      o,
      o + 3,
    ),
    node(`${bits(v, 0x010000, 24)} = IG bit: ${ig ? 'Group address (multicast/broadcast)' : 'Individual address (unicast)'}`, o, o + 3),
  ]);
}

/** Bytes after the upper layer's end: zeros a NIC added up to 60 bytes, or a trailer. */
function padding(d: Decode, parent: DecodeNode | null, used: number): void {
  const b = d.buf;
  if (parent === null || used < 0 || used >= b.length) return;
  let zero = true;
  for (let i = used; i < b.length; i++) if (b[i] !== 0) zero = false;
  add(parent, node(`${zero ? 'Padding' : 'Trailer'}: ${bytesText(b, used, b.length)}`, used, b.length));
}

function decodeFrame(d: Decode): void {
  const b = d.buf;
  const n = b.length;
  if (n >= 6) d.destination = macName(b, 0);
  if (n >= 12) d.source = macName(b, 6);
  if (n < 14) {
    d.protocol = 'Ethernet';
    if (d.tree) d.tree.push(node('Ethernet II', 0, n));
    d.malformed('Ethernet');
    return;
  }
  const t = d.tree;
  let type = getU16(b, 12);
  if (type < 0x0600) {
    // An IEEE 802.3 frame with a length field: the lab sends none, and its LLC payloads are not decoded.
    d.protocol = 'LLC';
    d.info = `IEEE 802.3 frame, length ${type}`;
    if (t) t.push(node(`IEEE 802.3 Ethernet`, 0, 14, [macField(b, 0, 'Destination'), macField(b, 6, 'Source'), node(`Length: ${type}`, 12, 14)]));
    dataNode(d, 14, Math.min(n, 14 + type));
    return;
  }
  let last: DecodeNode | null = null;
  if (t) {
    last = node(`Ethernet II, Src: ${macLabel(b, 6)}, Dst: ${macLabel(b, 0)}`, 0, 14, [
      macField(b, 0, 'Destination'),
      macField(b, 6, 'Source'),
      node(`Type: ${ethertypeLabel(type)}`, 12, 14),
    ]);
    t.push(last);
  }
  let off = 14;
  if (type === ETH_TYPE_VLAN) {
    if (n < 18) {
      d.protocol = 'VLAN';
      d.malformed('VLAN');
      return;
    }
    const tci = getU16(b, 14);
    type = getU16(b, 16);
    const pri = tci >>> 13;
    if (t) {
      last = node(`802.1Q Virtual LAN, PRI: ${pri}, DEI: ${(tci >>> 12) & 1}, ID: ${tci & 0x0fff}`, 14, 18, [
        node(`${bits(tci, 0xe000, 16)} = Priority: ${PRIORITY_NAMES[pri]} (${pri})`, 14, 16),
        node(`${bits(tci, 0x1000, 16)} = DEI: ${tci & 0x1000 ? 'Eligible' : 'Ineligible'}`, 14, 16),
        node(`${bits(tci, 0x0fff, 16)} = ID: ${tci & 0x0fff}`, 14, 16),
        node(`Type: ${ethertypeLabel(type)}`, 16, 18),
      ]);
      t.push(last);
    }
    off = 18;
  }
  let used = -1;
  switch (type) {
    case ETH_TYPE_IPV4:
      used = decodeIpv4(d, off, n);
      break;
    case ETH_TYPE_ARP:
      used = decodeArp(d, off, n);
      break;
    case ETH_TYPE_IPV6:
      d.protocol = 'IPv6';
      d.info = 'Internet Protocol Version 6 (not decoded by the lab)';
      dataNode(d, off, n);
      break;
    default:
      d.protocol = '0x' + type.toString(16).padStart(4, '0');
      d.info = 'Ethernet II';
      dataNode(d, off, n);
  }
  padding(d, last, used);
}

/** Runs a decode; a bug in a layer never reaches the packet list, it shows as Wireshark shows its own. */
function run(d: Decode): void {
  try {
    decodeFrame(d);
  } catch (e) {
    d.info += `[Dissector bug: ${e instanceof Error ? e.message : String(e)}]`;
  }
}

const shared = new Decode();

/** The Source, Destination, Protocol and Info columns of Wireshark's packet list for one frame. */
export function summarize(frame: Uint8Array): FrameColumns {
  const d = shared.reset(frame, null);
  run(d);
  const out = { source: d.source, destination: d.destination, protocol: d.protocol, info: d.info };
  d.buf = EMPTY;
  return out;
}

const EMPTY = new Uint8Array(0);

/**
 * The decode tree of one frame (no "Frame N" node), each node with the bytes it covers. `timeS`, the
 * capture time the pcap records (the lab's virtual clock), lets ping's timestamps be read as Wireshark does.
 */
export function dissect(frame: Uint8Array, timeS?: number): DecodeNode[] {
  const tree: DecodeNode[] = [];
  run(new Decode().reset(frame, tree, timeUs(timeS)));
  return tree;
}

function timeUs(timeS: number | undefined): number {
  return timeS === undefined || !(timeS >= 0) ? -1 : Math.round(timeS * 1e6);
}

export function frameSummary(number: number, timeS: number, link: string, frame: Uint8Array): FrameSummary {
  const c = summarize(frame);
  return { number, timeS, link, source: c.source, destination: c.destination, protocol: c.protocol, length: frame.length, info: c.info };
}

export function frameDetail(number: number, timeS: number, link: string, frame: Uint8Array): FrameDetail {
  const tree: DecodeNode[] = [];
  const d = new Decode().reset(frame, tree, timeUs(timeS));
  run(d);
  return {
    number,
    timeS,
    link,
    source: d.source,
    destination: d.destination,
    protocol: d.protocol,
    length: frame.length,
    info: d.info,
    hex: toHex(frame),
    tree,
  };
}
