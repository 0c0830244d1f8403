// UDP as Wireshark shows it: "40000 → 7 Len=18", the checksum verified, and the payload handed to DHCP, DNS or Data.
import type { DecodeNode } from '../../api/dto';
import { getU16, getU32 } from '../bytes';
import { finish, pseudoHeaderSum, sum16 } from '../checksum';
import { bytesText, type Decode, hex, node } from './common';
import { decodeDhcp } from './dhcp';
import { decodeDns } from './dns';
import { dataNode } from './ipv4';

/** The checksum a datagram of `len` bytes at b[o..] should carry, the field itself counted as zero. */
function udpShould(b: Uint8Array, ip: number, o: number, len: number): number {
  const src = getU32(b, ip + 12);
  const dst = getU32(b, ip + 16);
  const c = finish(sum16(b, o + 8, o + len, sum16(b, o, o + 6, pseudoHeaderSum(src, dst, 17, len))));
  return c === 0 ? 0xffff : c;
}

function ports(b: Uint8Array, o: number): DecodeNode[] {
  return [node(`Source Port: ${getU16(b, o)}`, o, o + 2), node(`Destination Port: ${getU16(b, o + 2)}`, o + 2, o + 4)];
}

function title(b: Uint8Array, o: number): string {
  return `User Datagram Protocol, Src Port: ${getU16(b, o)}, Dst Port: ${getU16(b, o + 2)}`;
}

/** Checksum lines of a datagram of `len` bytes at b[o..] whose checksum field is `cs`. */
function checksumNodes(b: Uint8Array, ip: number, o: number, len: number, cs: number): DecodeNode[] {
  if (cs === 0) return [node('Checksum: 0x0000 [zero-value ignored]', o + 6, o + 8, [node('[Checksum Status: Not present]', o + 6, o + 8)])];
  const should = udpShould(b, ip, o, len);
  if (should === cs) {
    return [node(`Checksum: ${hex(cs, 4)} [correct]`, o + 6, o + 8, [node(`[Calculated Checksum: ${hex(should, 4)}]`, o + 6, o + 8)]), node('[Checksum Status: Good]', o + 6, o + 6)];
  }
  return [
    node(`Checksum: ${hex(cs, 4)} incorrect, should be ${hex(should, 4)} (maybe caused by "UDP checksum offload"?)`, o + 6, o + 8, [
      node(`[Calculated Checksum: ${hex(should, 4)}]`, o + 6, o + 8),
    ]),
    node('[Checksum Status: Bad]', o + 6, o + 6),
  ];
}

/**
 * A datagram quoted in an ICMP error (b[o..end), quoted IPv4 header at `ip`): verified and its payload
 * shown as Data (pushed to `after`) when the quote holds all of it, as Linux's 548-byte quotes often do.
 */
export function udpQuotedNode(b: Uint8Array, ip: number, o: number, end: number, after: DecodeNode[]): DecodeNode {
  const len = getU16(b, o + 4);
  const cs = getU16(b, o + 6);
  const c = [...ports(b, o), node(`Length: ${len}`, o + 4, o + 6)];
  if (len < 8 || o + len > end) {
    c.push(node(`Checksum: ${hex(cs, 4)} [unverified]`, o + 6, o + 8), node('[Checksum Status: Unverified]', o + 6, o + 6));
    return node(title(b, o), o, o + 8, c);
  }
  c.push(...checksumNodes(b, ip, o, len, cs));
  if (len > 8) {
    c.push(node(`UDP payload (${len - 8} byte${len === 9 ? '' : 's'})`, o + 8, o + len));
    const n = len - 8;
    after.push(node(`Data (${n} byte${n === 1 ? '' : 's'})`, o + 8, o + len, [node(`Data: ${bytesText(b, o + 8, o + len)}`, o + 8, o + len), node(`[Length: ${n}]`, o + 8, o + 8)]));
  }
  return node(title(b, o), o, o + 8, c);
}

/**
 * Decodes the datagram at b[off..end) of the IPv4 packet at `ip`: `end` is where the captured bytes stop,
 * `reportedEnd` where the IPv4 total length says the payload ends (the same unless the frame is cut short).
 */
export function decodeUdp(d: Decode, ip: number, off: number, end: number, reportedEnd = end): void {
  const b = d.buf;
  const o = off;
  d.protocol = 'UDP';
  if (end - o < 6) {
    if (d.tree) d.tree.push(node('User Datagram Protocol', o, end));
    d.malformed('UDP');
    return;
  }
  const sp = getU16(b, o);
  const dp = getU16(b, o + 2);
  const len = getU16(b, o + 4);
  const reported = reportedEnd - o;
  if (len < 8) {
    d.info = `${sp} → ${dp} [BAD UDP LENGTH ${len} < 8]`;
    if (d.tree) d.tree.push(node(title(b, o), o, Math.min(end, o + 8), [...ports(b, o), node(`Length: ${len} (bogus, must be >= 8)`, o + 4, o + 6)]));
    return;
  }
  // A length past the IPv4 payload is reported, then the payload is read as far as IPv4 says it goes.
  const ulen = Math.min(len, reported);
  d.info = `${sp} → ${dp}${len > reported ? ` [BAD UDP LENGTH ${len} > IP PAYLOAD LENGTH]` : ''} Len=${len - 8}`;
  if (end - o < 8) {
    if (d.tree) d.tree.push(node(title(b, o), o, end, [...ports(b, o), node(`Length: ${len}`, o + 4, o + 6)]));
    d.malformed('UDP');
    return;
  }
  const cs = getU16(b, o + 6);
  const whole = o + ulen <= end;
  if (whole && cs !== 0 && udpShould(b, ip, o, ulen) !== cs) d.info += ' [UDP CHECKSUM INCORRECT]';
  if (d.tree) {
    const children = ports(b, o);
    children.push(node(`Length: ${len}`, o + 4, o + 6));
    if (whole) children.push(...checksumNodes(b, ip, o, ulen, cs));
    else children.push(node(`Checksum: ${hex(cs, 4)} [unverified]`, o + 6, o + 8), node('[Checksum Status: Unverified]', o + 6, o + 6));
    if (ulen > 8) children.push(node(`UDP payload (${ulen - 8} byte${ulen === 9 ? '' : 's'})`, o + 8, Math.min(end, o + ulen)));
    d.tree.push(node(title(b, o), o, o + 8, children));
  }
  const start = o + 8;
  const stop = Math.min(end, o + ulen);
  // Wireshark tries the lower port first.
  const low = Math.min(sp, dp);
  const high = Math.max(sp, dp);
  if (low === 53 || (high === 53 && low !== 67 && low !== 68)) decodeDns(d, start, stop);
  else if (low === 67 || low === 68 || high === 67 || high === 68) decodeDhcp(d, start, stop);
  else dataNode(d, start, stop);
}
