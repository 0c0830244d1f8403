// TCP as Wireshark shows it with raw sequence numbers: "45678 → 80 [SYN] Seq=… Win=64240 Len=0 MSS=1460 …".
import type { DecodeNode } from '../../api/dto';
import { getU16, getU32 } from '../bytes';
import { finish, pseudoHeaderSum, sum16 } from '../checksum';
import { bits, bytesText, type Decode, hex, node } from './common';
import { decodeHttp, HTTP_PORTS, isHttpStart } from './http';
import { dataNode } from './ipv4';

const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];
const FIRST_LETTERS = 'RRRACEUAPRSF';

/** "SYN, ACK" or "<None>", for the Info column and the Flags line. */
function flagNames(f: number): string {
  let s = '';
  for (let i = 0; i < 9; i++) if (f & (1 << i)) s += (s === '' ? '' : ', ') + FLAG_NAMES[i];
  if (f & 0xe00) s += (s === '' ? '' : ', ') + 'Reserved';
  return s === '' ? '<None>' : s;
}

const FLAG_FIELDS: readonly [number, string][] = [
  [0x100, 'Accurate ECN'],
  [0x080, 'Congestion Window Reduced'],
  [0x040, 'ECN-Echo'],
  [0x020, 'Urgent'],
  [0x010, 'Acknowledgment'],
  [0x008, 'Push'],
  [0x004, 'Reset'],
  [0x002, 'Syn'],
  [0x001, 'Fin'],
];

function flagsNode(f: number, o: number): DecodeNode {
  // Wireshark gives the bits in the data offset's byte that byte, and the others the next.
  const children = [node(`${bits(f, 0xe00, 12)} = Reserved: ${f & 0xe00 ? hex((f >>> 9) & 7, 1) : 'Not set'}`, o, o + 1)];
  for (const [bit, name] of FLAG_FIELDS) {
    const at = bit > 0xff ? o : o + 1;
    children.push(node(`${bits(f, bit, 12)} = ${name}: ${f & bit ? 'Set' : 'Not set'}`, at, at + 1));
  }
  let letters = '';
  for (let i = 0; i < 12; i++) letters += f & (1 << (11 - i)) ? FIRST_LETTERS[i] : '·';
  children.push(node(`[TCP Flags: ${letters}]`, o, o + 2));
  return node(`Flags: ${hex(f, 3)} (${flagNames(f)})`, o, o + 2, children);
}

const EXPERIMENT = 'RFC3692-style Experiment';

/** What the options in b[o..end) add to the Info column; the packet list's light path, building no nodes. */
function optionsInfo(b: Uint8Array, o: number, end: number): string {
  let info = '';
  let i = o;
  while (i < end) {
    const kind = b[i];
    if (kind === 0 || kind === 1) {
      i++;
      continue;
    }
    const len = i + 1 < end ? b[i + 1] : -1;
    const fixed = kind === 2 ? 4 : kind === 3 ? 3 : kind === 4 ? 2 : kind === 8 ? 10 : 0;
    if (len < 2 || i + len > end || (fixed > 0 && len !== fixed) || (kind === 5 && (len - 2) % 8 !== 0)) break;
    if (kind === 2) info += ` MSS=${getU16(b, i + 2)}`;
    else if (kind === 3) info += ` WS=${b[i + 2] > 14 ? 16384 : 2 ** b[i + 2]}`;
    else if (kind === 4) info += ' SACK_PERM';
    else if (kind === 8) info += ` TSval=${getU32(b, i + 2)} TSecr=${getU32(b, i + 6)}`;
    else if (kind === 5) for (let e = i + 2; e < i + len; e += 8) info += ` SLE=${getU32(b, e)} SRE=${getU32(b, e + 4)}`;
    else if ((kind === 253 || kind === 254) && len >= 4) info += ` ExID=${getU16(b, i + 2).toString(16).toUpperCase().padStart(4, '0')}`;
    i += len;
  }
  return info;
}

/** The Options subtree of the options in b[o..end). */
function optionsNode(b: Uint8Array, o: number, end: number): DecodeNode {
  const items: DecodeNode[] = [];
  const names: string[] = [];
  let i = o;
  while (i < end) {
    const kind = b[i];
    if (kind === 0 || kind === 1) {
      const name = kind === 0 ? 'End of Option List (EOL)' : 'No-Operation (NOP)';
      names.push(name);
      items.push(node(`TCP Option - ${name}`, i, i + 1, [node(`Kind: ${kind === 0 ? 'End of Option List' : 'No-Operation'} (${kind})`, i, i + 1)]));
      i++;
      continue;
    }
    const len = i + 1 < end ? b[i + 1] : -1;
    const fixed = kind === 2 ? 4 : kind === 3 ? 3 : kind === 4 ? 2 : kind === 8 ? 10 : 0;
    if (len < 2 || i + len > end || (fixed > 0 && len !== fixed) || (kind === 5 && (len - 2) % 8 !== 0)) {
      names.push('Unknown');
      items.push(node(`TCP Option - Unknown: option length ${len < 0 ? 'missing' : len} is invalid`, i, end));
      break;
    }
    const k = node('', i, i + len);
    const kindNode = (text: string): DecodeNode => node(`Kind: ${text} (${kind})`, i, i + 1);
    const lenNode = node(`Length: ${len}`, i + 1, i + 2);
    switch (kind) {
      case 2: {
        const mss = getU16(b, i + 2);
        names.push('Maximum segment size');
        k.label = `TCP Option - Maximum segment size: ${mss} bytes`;
        k.children = [kindNode('Maximum Segment Size'), lenNode, node(`MSS Value: ${mss}`, i + 2, i + 4)];
        break;
      }
      case 3: {
        const shift = b[i + 2];
        const mult = shift > 14 ? 16384 : 2 ** shift;
        names.push('Window scale');
        k.label = `TCP Option - Window scale: ${shift} (multiply by ${mult})`;
        k.children = [kindNode('Window Scale'), lenNode, node(`Shift count: ${shift}`, i + 2, i + 3), node(`[Multiplier: ${mult}]`, i + 2, i + 3)];
        break;
      }
      case 4:
        names.push('SACK permitted');
        k.label = 'TCP Option - SACK permitted';
        k.children = [kindNode('SACK Permitted'), lenNode];
        break;
      case 5: {
        names.push('SACK');
        let edges = '';
        const children = [kindNode('SACK'), lenNode];
        for (let e = i + 2; e < i + len; e += 8) {
          const l = getU32(b, e);
          const r = getU32(b, e + 4);
          edges += ` ${l}-${r}`;
          children.push(node(`left edge = ${l}`, e, e + 4), node(`right edge = ${r}`, e + 4, e + 8));
        }
        children.push(node(`[TCP SACK Count: ${(len - 2) / 8}]`, i, i));
        k.label = `TCP Option - SACK${edges}`;
        k.children = children;
        break;
      }
      case 8: {
        const tsval = getU32(b, i + 2);
        const tsecr = getU32(b, i + 6);
        names.push('Timestamps');
        k.label = `TCP Option - Timestamps: TSval ${tsval}, TSecr ${tsecr}`;
        k.children = [kindNode('Time Stamp Option'), lenNode, node(`Timestamp value: ${tsval}`, i + 2, i + 6), node(`Timestamp echo reply: ${tsecr}`, i + 6, i + 10)];
        break;
      }
      case 253:
      case 254: {
        names.push('Experimental');
        const children = [kindNode(`${EXPERIMENT} ${kind - 252}`), lenNode];
        if (len >= 4) {
          const exid = getU16(b, i + 2);
          children.push(node(`Experiment Identifier: Unknown (${hex(exid, 4)})`, i + 2, i + 4));
          if (len > 4) children.push(node(`Data: ${bytesText(b, i + 4, i + len)}`, i + 4, i + len));
        }
        k.label = 'TCP Option - Experimental: Unknown';
        k.children = children;
        break;
      }
      default:
        names.push('Unknown');
        k.label = `TCP Option - Unknown (kind ${kind})`;
        k.children = [kindNode('Unknown'), lenNode];
        if (len > 2) k.children.push(node(`Payload: ${bytesText(b, i + 2, i + len)}`, i + 2, i + len));
    }
    items.push(k);
    i += len;
  }
  return node(`Options: (${end - o} bytes), ${names.join(', ')}`, o, end, items);
}

function checksumShould(b: Uint8Array, ip: number, o: number, segLen: number): number {
  return finish(sum16(b, o + 18, o + segLen, sum16(b, o, o + 16, pseudoHeaderSum(getU32(b, ip + 12), getU32(b, ip + 16), 6, segLen))));
}

function checksumNodes(cs: number, should: number, o: number): DecodeNode[] {
  const good = cs === should;
  return [
    good
      ? node(`Checksum: ${hex(cs, 4)} [correct]`, o + 16, o + 18)
      : node(`Checksum: ${hex(cs, 4)} incorrect, should be ${hex(should, 4)}(maybe caused by "TCP checksum offload"?)`, o + 16, o + 18),
    node(`[Checksum Status: ${good ? 'Good' : 'Bad'}]`, o + 16, o + 16),
    node(`[Calculated Checksum: ${hex(should, 4)}]`, o + 16, o + 18),
  ];
}

/** Acknowledgment number to window: the fields between the sequence number and the checksum. */
function middle(b: Uint8Array, o: number, hl: number, f: number): DecodeNode[] {
  const win = getU16(b, o + 14);
  return [
    node(`Acknowledgment Number: ${getU32(b, o + 8)}`, o + 8, o + 12),
    node(`${bits(b[o + 12], 0xf0, 8)} = Header Length: ${hl} bytes (${hl >>> 2})`, o + 12, o + 13),
    flagsNode(f, o + 12),
    node(`Window: ${win}`, o + 14, o + 16),
    node(`[Calculated window size: ${win}]`, o + 14, o + 16),
  ];
}

/**
 * The segment quoted in an ICMP error, which starts at b[o] and is cut at `end`: its ports and sequence
 * number from the first 8 bytes (RFC 792), the whole header when the quote holds it (Linux quotes 548 bytes).
 * `ip` is the quoted IPv4 header, whose length says whether the segment is whole.
 */
export function tcpQuotedNode(b: Uint8Array, ip: number, o: number, end: number): DecodeNode {
  const sp = getU16(b, o);
  const dp = getU16(b, o + 2);
  const seq = getU32(b, o + 4);
  const ports = [node(`Source Port: ${sp}`, o, o + 2), node(`Destination Port: ${dp}`, o + 2, o + 4), node(`Sequence Number: ${seq}`, o + 4, o + 8)];
  const hl = end - o >= 20 ? (b[o + 12] >>> 4) * 4 : 0;
  if (hl < 20 || o + hl > end) return node(`Transmission Control Protocol, Src Port: ${sp}, Dst Port: ${dp}`, o, o + 8, ports);
  const f = ((b[o + 12] & 0x0f) << 8) | b[o + 13];
  const c = [...ports, ...middle(b, o, hl, f)];
  const segLen = getU16(b, ip + 2) - (b[ip] & 15) * 4;
  const cs = getU16(b, o + 16);
  if (segLen >= hl && o + segLen <= end) c.push(...checksumNodes(cs, checksumShould(b, ip, o, segLen), o));
  else c.push(node(`Checksum: ${hex(cs, 4)} [unverified]`, o + 16, o + 18), node('[Checksum Status: Unverified]', o + 16, o + 16));
  c.push(node(`Urgent Pointer: ${getU16(b, o + 18)}`, o + 18, o + 20));
  if (hl > 20) c.push(optionsNode(b, o + 20, o + hl));
  return node(`Transmission Control Protocol, Src Port: ${sp}, Dst Port: ${dp}, Seq: ${seq}`, o, o + hl, c);
}

/** Decodes the segment at b[off..end) (end: the IPv4 payload's end) of the IPv4 packet at `ip`. */
export function decodeTcp(d: Decode, ip: number, off: number, end: number): void {
  const b = d.buf;
  const o = off;
  d.protocol = 'TCP';
  if (end - o < 20) {
    if (d.tree) d.tree.push(node('Transmission Control Protocol', o, end));
    d.malformed('TCP');
    return;
  }
  const sp = getU16(b, o);
  const dp = getU16(b, o + 2);
  const seq = getU32(b, o + 4);
  const ack = getU32(b, o + 8);
  const hl = (b[o + 12] >>> 4) * 4;
  const f = ((b[o + 12] & 0x0f) << 8) | b[o + 13];
  const cs = getU16(b, o + 16);
  const urg = getU16(b, o + 18);
  const hasAck = (f & 0x10) !== 0;
  let info = `${sp} → ${dp} [${flagNames(f)}] Seq=${seq}${hasAck ? ` Ack=${ack}` : ''} Win=${getU16(b, o + 14)}`;
  const head = (): DecodeNode[] => [
    node(`Source Port: ${sp}`, o, o + 2),
    node(`Destination Port: ${dp}`, o + 2, o + 4),
    node(`Sequence Number: ${seq}`, o + 4, o + 8),
    node(`Acknowledgment Number: ${ack}`, o + 8, o + 12),
    node(`${bits(b[o + 12], 0xf0, 8)} = Header Length: ${hl} bytes (${hl >>> 2})`, o + 12, o + 13),
  ];
  const title = `Transmission Control Protocol, Src Port: ${sp}, Dst Port: ${dp}, Seq: ${seq}`;
  if (hl < 20) {
    d.info = `${info}, bogus TCP header length (${hl}, must be at least 20)`;
    if (d.tree) d.tree.push(node(title, o, o + 20, head()));
    return;
  }
  if (o + hl > end) {
    if (checksumShould(b, ip, o, end - o) !== cs) info += ' [TCP CHECKSUM INCORRECT]';
    d.info = info;
    if (d.tree) d.tree.push(node(title, o, end, head()));
    d.malformed('TCP');
    return;
  }
  const len = end - o - hl;
  const should = checksumShould(b, ip, o, end - o);
  if (f & 0x20) info += ` Urg=${urg}`;
  if (should !== cs) info += ' [TCP CHECKSUM INCORRECT]';
  info += ` Len=${len}`;
  d.info = info + optionsInfo(b, o + 20, o + hl);
  if (d.tree) {
    const c: DecodeNode[] = [node(`Source Port: ${sp}`, o, o + 2), node(`Destination Port: ${dp}`, o + 2, o + 4), node(`[TCP Segment Len: ${len}]`, o, o)];
    c.push(node(`Sequence Number: ${seq}`, o + 4, o + 8));
    // SYN and FIN take one sequence number (one, even when both are set).
    const next = seq + len + (f & 0x03 ? 1 : 0);
    if (next !== seq) c.push(node(`[Next Sequence Number: ${next >>> 0}]`, o, o));
    c.push(...middle(b, o, hl, f), ...checksumNodes(cs, should, o), node(`Urgent Pointer: ${urg}`, o + 18, o + 20));
    if (hl > 20) c.push(optionsNode(b, o + 20, o + hl));
    if (len > 0) c.push(node(`TCP payload (${len} byte${len === 1 ? '' : 's'})`, o + hl, end));
    d.tree.push(node(`${title}${hasAck ? `, Ack: ${ack}` : ''}, Len: ${len}`, o, o + hl, c));
  }
  if (len === 0) return;
  // Without reassembly, Wireshark leaves to TCP a segment on an HTTP port that starts no HTTP message.
  if (!HTTP_PORTS.has(sp) && !HTTP_PORTS.has(dp)) dataNode(d, o + hl, end);
  else if (isHttpStart(b, o + hl, end)) decodeHttp(d, o + hl, end);
}
