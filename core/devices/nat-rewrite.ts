// In-place NAT rewriting of IPv4 packets: addresses, ports and ICMP echo ids, checksums patched incrementally (RFC 1624).
import { getU16, getU32, setU16, setU32 } from '../wire/bytes';
import { adjust16, adjust32, internetChecksum } from '../wire/checksum';
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST } from '../wire/icmp';

/**
 * ICMP types that quote the packet they are about (RFC 792): destination unreachable, source quench,
 * redirect, time exceeded, parameter problem. Linux treats them as RELATED to the quoted connection.
 */
export function isIcmpError(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

/**
 * Offset of the transport header of the IPv4 packet at buf[ipOff], or -1 when the header is not a
 * sound IPv4 header inside the buffer. A non-first fragment has no transport header: -1 as well.
 */
export function transportOffset(buf: Uint8Array, ipOff: number): number {
  if (ipOff < 0 || buf.length - ipOff < 20 || buf[ipOff] >>> 4 !== 4) return -1;
  const hl = (buf[ipOff] & 0x0f) * 4;
  const total = getU16(buf, ipOff + 2);
  if (hl < 20 || total < hl || ipOff + total > buf.length) return -1;
  if ((getU16(buf, ipOff + 6) & 0x1fff) !== 0) return -1;
  return ipOff + hl;
}

/** Bytes of transport header the rewrite needs present: TCP up to its checksum, UDP and ICMP their 8. */
function needed(proto: number): number {
  return proto === 6 ? 18 : proto === 17 || proto === 1 ? 8 : 0;
}

/**
 * Sets the source address and port of the IPv4 packet at buf[ipOff] (for an ICMP echo request, the
 * identifier), fixing the IP and transport checksums incrementally. False (nothing changed) when the
 * packet is too short or not IPv4.
 */
export function rewriteSource(buf: Uint8Array, ipOff: number, ip: number, port: number): boolean {
  const l4 = transportOffset(buf, ipOff);
  if (l4 < 0) return false;
  const proto = buf[ipOff + 9];
  const sport = proto === 1 ? (buf[l4] === ICMP_ECHO_REQUEST ? getU16(buf, l4 + 4) : -1) : proto === 6 || proto === 17 ? getU16(buf, l4) : -1;
  const dport = proto === 1 ? (buf[l4] === ICMP_ECHO_REPLY ? getU16(buf, l4 + 4) : -1) : proto === 6 || proto === 17 ? getU16(buf, l4 + 2) : -1;
  return rewriteTuple(buf, ipOff, ip, sport < 0 ? 0 : port, getU32(buf, ipOff + 16), dport < 0 ? 0 : dport);
}

/**
 * Sets the destination address and port of the IPv4 packet at buf[ipOff] (for an ICMP echo reply,
 * the identifier), fixing the checksums incrementally. False (nothing changed) when it cannot.
 */
export function rewriteDestination(buf: Uint8Array, ipOff: number, ip: number, port: number): boolean {
  const l4 = transportOffset(buf, ipOff);
  if (l4 < 0) return false;
  const proto = buf[ipOff + 9];
  const sport = proto === 1 ? (buf[l4] === ICMP_ECHO_REQUEST ? getU16(buf, l4 + 4) : -1) : proto === 6 || proto === 17 ? getU16(buf, l4) : -1;
  const dport = proto === 1 ? (buf[l4] === ICMP_ECHO_REPLY ? getU16(buf, l4 + 4) : -1) : proto === 6 || proto === 17 ? getU16(buf, l4 + 2) : -1;
  return rewriteTuple(buf, ipOff, getU32(buf, ipOff + 12), sport < 0 ? 0 : sport, ip, dport < 0 ? 0 : port);
}

/**
 * Sets the whole tuple at once (what a NAT does per packet): source and destination addresses, and
 * the ports for TCP/UDP. For ICMP the echo identifier is a request's `sport` and a reply's `dport`, as
 * in conntrack tuples; other ICMP messages keep their body (see `translateIcmpError`). The IPv4 header
 * checksum and the TCP/UDP/ICMP checksum are patched per changed 16-bit word (RFC 1624), so a bad
 * checksum stays bad; a UDP checksum of 0 ("none") stays 0.
 */
export function rewriteTuple(buf: Uint8Array, ipOff: number, src: number, sport: number, dst: number, dport: number): boolean {
  const l4 = transportOffset(buf, ipOff);
  if (l4 < 0) return false;
  const proto = buf[ipOff + 9];
  const end = ipOff + getU16(buf, ipOff + 2);
  if (l4 + needed(proto) > end) return false;
  src >>>= 0;
  dst >>>= 0;
  const oldSrc = getU32(buf, ipOff + 12);
  const oldDst = getU32(buf, ipOff + 16);
  if (proto === 6 || proto === 17) {
    const csOff = proto === 6 ? l4 + 16 : l4 + 6;
    let cs = getU16(buf, csOff);
    if (proto === 6 || cs !== 0) {
      const oldSport = getU16(buf, l4);
      const oldDport = getU16(buf, l4 + 2);
      // The TCP/UDP checksum covers the pseudo-header, so it changes with the addresses too.
      if (oldSrc !== src) cs = adjust32(cs, oldSrc, src);
      if (oldDst !== dst) cs = adjust32(cs, oldDst, dst);
      if (oldSport !== sport) cs = adjust16(cs, oldSport, sport);
      if (oldDport !== dport) cs = adjust16(cs, oldDport, dport);
      if (proto === 17 && cs === 0) cs = 0xffff; // RFC 768: a computed 0 is sent as all ones
      setU16(buf, csOff, cs);
    }
    setU16(buf, l4, sport);
    setU16(buf, l4 + 2, dport);
  } else if (proto === 1) {
    const type = buf[l4];
    if (type === ICMP_ECHO_REQUEST || type === ICMP_ECHO_REPLY) {
      const id = type === ICMP_ECHO_REQUEST ? sport : dport;
      const oldId = getU16(buf, l4 + 4);
      if (oldId !== id) {
        setU16(buf, l4 + 2, adjust16(getU16(buf, l4 + 2), oldId, id));
        setU16(buf, l4 + 4, id);
      }
    }
  }
  setIpAddresses(buf, ipOff, oldSrc, src, oldDst, dst);
  return true;
}

function setIpAddresses(buf: Uint8Array, ipOff: number, oldSrc: number, src: number, oldDst: number, dst: number): void {
  let cs = getU16(buf, ipOff + 10);
  if (oldSrc !== src) cs = adjust32(cs, oldSrc, src);
  if (oldDst !== dst) cs = adjust32(cs, oldDst, dst);
  setU16(buf, ipOff + 10, cs);
  setU32(buf, ipOff + 12, src);
  setU32(buf, ipOff + 16, dst);
}

/**
 * Offset of the packet quoted in the ICMP error at buf[ipOff] (its IPv4 header), or -1 when the
 * packet is not an ICMP error quoting at least an IPv4 header and 8 bytes of transport header.
 */
export function icmpErrorInnerOffset(buf: Uint8Array, ipOff: number): number {
  const l4 = transportOffset(buf, ipOff);
  if (l4 < 0 || buf[ipOff + 9] !== 1) return -1;
  const end = ipOff + getU16(buf, ipOff + 2);
  if (l4 + 8 + 20 + 8 > end || !isIcmpError(buf[l4])) return -1;
  const inner = l4 + 8;
  if (buf[inner] >>> 4 !== 4) return -1;
  const hl = (buf[inner] & 0x0f) * 4;
  if (hl < 20 || inner + hl + 8 > end) return -1;
  return inner;
}

/**
 * Translates an ICMP error as Linux does for RELATED packets (nf_nat_icmp_reply_translation): the
 * quoted packet gets the tuple (`innerSrc`…`innerDport`; ports or echo id as in `rewriteTuple`) with
 * its IP checksum and, where quoted, its TCP/UDP/ICMP checksum patched; the outer header gets
 * `outerSrc`/`outerDst`. The outer ICMP checksum is verified first (a bad one makes this return false,
 * unchanged) and recomputed after, since it covers the quoted bytes.
 */
export function translateIcmpError(
  buf: Uint8Array, ipOff: number,
  outerSrc: number, outerDst: number,
  innerSrc: number, innerSport: number, innerDst: number, innerDport: number,
): boolean {
  const inner = icmpErrorInnerOffset(buf, ipOff);
  if (inner < 0) return false;
  const l4 = ipOff + (buf[ipOff] & 0x0f) * 4;
  const end = ipOff + getU16(buf, ipOff + 2);
  if (internetChecksum(buf, l4, end) !== 0) return false;
  innerSrc >>>= 0;
  innerDst >>>= 0;
  const hl = (buf[inner] & 0x0f) * 4;
  const il4 = inner + hl;
  const proto = buf[inner + 9];
  const oldSrc = getU32(buf, inner + 12);
  const oldDst = getU32(buf, inner + 16);
  if (proto === 6 || proto === 17) {
    const oldSport = getU16(buf, il4);
    const oldDport = getU16(buf, il4 + 2);
    const csOff = proto === 6 ? il4 + 16 : il4 + 6;
    // A quoted TCP header is often cut at 8 bytes, before its checksum (Linux then patches only the ports).
    if (csOff + 2 <= end) {
      let cs = getU16(buf, csOff);
      if (proto === 6 || cs !== 0) {
        if (oldSrc !== innerSrc) cs = adjust32(cs, oldSrc, innerSrc);
        if (oldDst !== innerDst) cs = adjust32(cs, oldDst, innerDst);
        if (oldSport !== innerSport) cs = adjust16(cs, oldSport, innerSport);
        if (oldDport !== innerDport) cs = adjust16(cs, oldDport, innerDport);
        if (proto === 17 && cs === 0) cs = 0xffff;
        setU16(buf, csOff, cs);
      }
    }
    setU16(buf, il4, innerSport);
    setU16(buf, il4 + 2, innerDport);
  } else if (proto === 1) {
    const type = buf[il4];
    if (type === ICMP_ECHO_REQUEST || type === ICMP_ECHO_REPLY) {
      const id = type === ICMP_ECHO_REQUEST ? innerSport : innerDport;
      const oldId = getU16(buf, il4 + 4);
      if (oldId !== id) {
        setU16(buf, il4 + 2, adjust16(getU16(buf, il4 + 2), oldId, id));
        setU16(buf, il4 + 4, id);
      }
    }
  }
  setIpAddresses(buf, inner, oldSrc, innerSrc, oldDst, innerDst);
  setU16(buf, l4 + 2, 0);
  setU16(buf, l4 + 2, internetChecksum(buf, l4, end));
  setIpAddresses(buf, ipOff, getU32(buf, ipOff + 12), outerSrc >>> 0, getU32(buf, ipOff + 16), outerDst >>> 0);
  return true;
}
