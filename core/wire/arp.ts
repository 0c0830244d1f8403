// ARP (RFC 826) for Ethernet and IPv4 only, with RFC 5227's probes and announcements: a view and a repr.
import type { Ipv4Addr, MacAddr } from './address';
import { getU16, getU32, getU48, setU16, setU32, setU48 } from './bytes';
import { fail, ok, type Parsed } from './result';

export const ARP_HTYPE_ETHERNET = 1;
export const ARP_PTYPE_IPV4 = 0x0800;
/** An ARP packet for Ethernet/IPv4: 8 bytes of header and two (MAC, IPv4) pairs. */
export const ARP_LEN = 28;

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;
export type ArpOperation = typeof ARP_REQUEST | typeof ARP_REPLY;

/** Zero-copy accessors over an ARP packet at `off`; `check()` says whether it is one the lab speaks. */
export class ArpView {
  buf: Uint8Array = new Uint8Array(0);
  off = 0;

  wrap(buf: Uint8Array, off = 0): this {
    this.buf = buf;
    this.off = off;
    return this;
  }

  /** True for a complete Ethernet/IPv4 request or reply. */
  check(): boolean {
    const b = this.buf;
    const o = this.off;
    if (b.length - o < ARP_LEN) return false;
    if (getU16(b, o) !== ARP_HTYPE_ETHERNET || getU16(b, o + 2) !== ARP_PTYPE_IPV4 || b[o + 4] !== 6 || b[o + 5] !== 4) return false;
    const op = getU16(b, o + 6);
    return op === ARP_REQUEST || op === ARP_REPLY;
  }

  get htype(): number {
    return getU16(this.buf, this.off);
  }
  get ptype(): number {
    return getU16(this.buf, this.off + 2);
  }
  get hlen(): number {
    return this.buf[this.off + 4];
  }
  get plen(): number {
    return this.buf[this.off + 5];
  }
  get operation(): number {
    return getU16(this.buf, this.off + 6);
  }
  get senderMac(): MacAddr {
    return getU48(this.buf, this.off + 8);
  }
  get senderIp(): Ipv4Addr {
    return getU32(this.buf, this.off + 14);
  }
  get targetMac(): MacAddr {
    return getU48(this.buf, this.off + 18);
  }
  get targetIp(): Ipv4Addr {
    return getU32(this.buf, this.off + 24);
  }
}

export interface ArpRepr {
  operation: ArpOperation;
  senderMac: MacAddr;
  senderIp: Ipv4Addr;
  targetMac: MacAddr;
  targetIp: Ipv4Addr;
}

const LAYER = 'arp';

/** Reads an ARP packet; bytes after the 28 (Ethernet padding) are ignored. */
export function parseArp(buf: Uint8Array): Parsed<ArpRepr> {
  if (buf.length < 8) return fail(LAYER, 'truncated', `${buf.length} bytes is shorter than the 8-byte ARP header`);
  const v = new ArpView().wrap(buf);
  if (v.htype !== ARP_HTYPE_ETHERNET) return fail(LAYER, 'unsupported', `hardware type ${v.htype} is not Ethernet (1)`);
  if (v.ptype !== ARP_PTYPE_IPV4) return fail(LAYER, 'unsupported', `protocol type 0x${v.ptype.toString(16).padStart(4, '0')} is not IPv4 (0x0800)`);
  if (v.hlen !== 6) return fail(LAYER, 'bad-length', `hardware address length ${v.hlen} is not 6`);
  if (v.plen !== 4) return fail(LAYER, 'bad-length', `protocol address length ${v.plen} is not 4`);
  if (buf.length < ARP_LEN) return fail(LAYER, 'truncated', `${buf.length} bytes is shorter than the 28-byte Ethernet/IPv4 ARP packet`);
  const op = v.operation;
  if (op !== ARP_REQUEST && op !== ARP_REPLY) return fail(LAYER, 'unsupported', `operation ${op} is neither request (1) nor reply (2)`);
  return ok({ operation: op, senderMac: v.senderMac, senderIp: v.senderIp, targetMac: v.targetMac, targetIp: v.targetIp });
}

export function arpLength(_repr?: ArpRepr): number {
  return ARP_LEN;
}

/** Writes the 28-byte packet at buf[offset..]; returns 28. */
export function emitArp(r: ArpRepr, buf: Uint8Array, offset = 0): number {
  const o = offset;
  setU16(buf, o, ARP_HTYPE_ETHERNET);
  setU16(buf, o + 2, ARP_PTYPE_IPV4);
  buf[o + 4] = 6;
  buf[o + 5] = 4;
  setU16(buf, o + 6, r.operation);
  setU48(buf, o + 8, r.senderMac);
  setU32(buf, o + 14, r.senderIp);
  setU48(buf, o + 18, r.targetMac);
  setU32(buf, o + 24, r.targetIp);
  return ARP_LEN;
}

/** "Who has targetIp? Tell senderIp": the target MAC is zero, as Linux sends it (to the broadcast MAC). */
export function arpRequest(senderMac: MacAddr, senderIp: Ipv4Addr, targetIp: Ipv4Addr): ArpRepr {
  return { operation: ARP_REQUEST, senderMac, senderIp, targetMac: 0, targetIp };
}

/** The reply to `request` from the owner of its target address. */
export function arpReplyTo(request: ArpRepr, ownMac: MacAddr): ArpRepr {
  return { operation: ARP_REPLY, senderMac: ownMac, senderIp: request.targetIp, targetMac: request.senderMac, targetIp: request.senderIp };
}

/** RFC 5227 probe: "is anyone using ip?", sent with sender IP 0 so no one's cache learns from it. */
export function arpProbe(senderMac: MacAddr, ip: Ipv4Addr): ArpRepr {
  return { operation: ARP_REQUEST, senderMac, senderIp: 0, targetMac: 0, targetIp: ip };
}

/** RFC 5227 announcement (a gratuitous ARP request): sender and target IP both the claimed address. */
export function arpAnnouncement(senderMac: MacAddr, ip: Ipv4Addr): ArpRepr {
  return { operation: ARP_REQUEST, senderMac, senderIp: ip, targetMac: 0, targetIp: ip };
}

/**
 * Gratuitous ARP: a request or reply about the sender's own address (sender IP = target IP, not 0),
 * sent to refresh or claim a mapping (RFC 5227 announcements, `arping -U`/`-A`, failover).
 */
export function isGratuitousArp(r: ArpRepr): boolean {
  return r.senderIp === r.targetIp && r.senderIp !== 0;
}

/** RFC 5227 probe: a request with sender IP 0, asking whether targetIp is in use; it must not update caches. */
export function isArpProbe(r: ArpRepr): boolean {
  return r.operation === ARP_REQUEST && r.senderIp === 0;
}
