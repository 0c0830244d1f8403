// A NAT engine (masquerade + port forwarding) over raw IPv4 bytes: conntrack, rules and in-place rewriting.
import type { LabEventKind } from '../sim/event-log';
import { formatIpv4 } from '../wire/address';
import { getU16, getU32 } from '../wire/bytes';
import {
  CT_EXHAUSTED,
  ConnTrack,
  DIR_ORIGINAL,
  DIR_REPLY,
  formatConntrackLine,
  PROTO_ICMP,
  PROTO_TCP,
  PROTO_UDP,
  tcpStateForNew,
  type ConntrackOptions,
  type ConntrackRow,
} from './conntrack';
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST } from '../wire/icmp';
import { icmpErrorInnerOffset, isIcmpError, rewriteTuple, transportOffset, translateIcmpError } from './nat-rewrite';

/** Per-packet outcomes: small numbers, so the hot path allocates nothing. */
export const NAT_TRANSLATED = 0; // rewritten in place: send it on
export const NAT_NO_MATCH = 1; // no connection and no rule: the caller drops it (or delivers it locally)
export const NAT_DROPPED = 2; // malformed, fragment, a protocol NAT does not carry, or a TCP segment that cannot open a connection
export const NAT_EXHAUSTED = 3; // no outside port / ICMP id left, or the table is full
export type NatVerdict = typeof NAT_TRANSLATED | typeof NAT_NO_MATCH | typeof NAT_DROPPED | typeof NAT_EXHAUSTED;

/** A port-forwarding rule, with VirtualBox's fields. */
export interface PortForwardRule {
  name: string;
  proto: 'tcp' | 'udp';
  /** The outside address it listens on; 0 = any (VirtualBox: empty Host IP). */
  hostIp: number;
  hostPort: number;
  /** 0 = the engine's `defaultGuestIp` (VirtualBox: empty Guest IP = the address its DHCP handed out). */
  guestIp: number;
  guestPort: number;
}

/** What the engine needs from where it runs. */
export interface NatEnvironment {
  log(kind: LabEventKind, message: string): void;
}

export interface NatEngineOptions extends ConntrackOptions {
  defaultGuestIp?: number;
  /**
   * When set, a connection let in by a rule reaches the guest from this address (its port kept when
   * free) instead of the client's: VirtualBox's NAT relays forwarded connections from its gateway.
   */
  forwardedSourceIp?: number;
}

const PROTO_NAMES: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp' };
const NO_RULE = -10;
const CANNOT_OPEN = -11;

/**
 * Translates packets between an inside network and the outside. Sans-IO: it sees a buffer, the
 * offset of an IPv4 header in it, addresses as numbers and `now`, and rewrites the bytes in place.
 * `outbound` is source NAT (masquerade) of packets leaving the inside; `inbound` undoes it for
 * replies, and lets a new connection in only through a port-forwarding rule.
 */
export class NatEngine {
  readonly table: ConnTrack;
  /** Packets rewritten. */
  translated = 0;
  /** Packets refused as malformed or untranslatable. */
  dropped = 0;
  /** New connections that found no free outside port or table slot. */
  exhausted = 0;
  /** Inbound packets that matched no connection and no rule. */
  unmatched = 0;
  defaultGuestIp: number;
  forwardedSourceIp: number;

  private ruleList: PortForwardRule[] = [];
  private exhaustionLogged = false;
  // The packet being handled, parsed into numbers (no per-packet object).
  private kProto = 0;
  private kSrc = 0;
  private kSport = 0;
  private kDst = 0;
  private kDport = 0;
  private kFlags = 0;
  private kType = 0;
  /** 0 for a packet of a connection, 1 for an ICMP error about one. */
  private kError = 0;

  constructor(
    /** Shown in tables and logs, e.g. `vm1 NAT (adapter 1)`. */
    readonly name: string,
    private readonly env: NatEnvironment,
    options: NatEngineOptions = {},
  ) {
    this.table = new ConnTrack(options);
    this.defaultGuestIp = options.defaultGuestIp ?? 0;
    this.forwardedSourceIp = options.forwardedSourceIp ?? 0;
  }

  get rules(): readonly PortForwardRule[] {
    return this.ruleList;
  }

  /** Adds a rule; an error message (and no change) when its name or its outside port is taken. */
  addRule(rule: PortForwardRule): string | null {
    for (const r of this.ruleList) {
      if (r.name === rule.name) return `a rule named '${rule.name}' already exists`;
      if (r.proto === rule.proto && r.hostPort === rule.hostPort && (r.hostIp === 0 || rule.hostIp === 0 || r.hostIp === rule.hostIp))
        return `${rule.proto} port ${rule.hostPort} is already forwarded by rule '${r.name}'`;
    }
    if (rule.hostPort < 1 || rule.hostPort > 65535 || rule.guestPort < 1 || rule.guestPort > 65535) return 'ports must be between 1 and 65535';
    this.ruleList.push({ ...rule });
    return null;
  }

  /** Removes a rule by name; connections it let in stay until they end. */
  removeRule(name: string): boolean {
    const i = this.ruleList.findIndex((r) => r.name === name);
    if (i < 0) return false;
    this.ruleList.splice(i, 1);
    return true;
  }

  /** Source NAT of a packet leaving the inside through `outsideIp`: creates or refreshes its connection. */
  outbound(frame: Uint8Array, ipOffset: number, outsideIp: number, now: number, openNew = true): NatVerdict {
    if (!this.parse(frame, ipOffset)) return this.drop();
    if (this.kError === 1) return this.related(frame, ipOffset, now);
    const ct = this.table;
    const proto = this.kProto;
    let dir = DIR_ORIGINAL;
    let e = ct.findOriginal(proto, this.kSrc, this.kSport, this.kDst, this.kDport, now);
    if (e < 0) {
      e = ct.findReply(proto, this.kSrc, this.kSport, this.kDst, this.kDport, now);
      dir = DIR_REPLY;
    }
    if (e < 0) {
      // A user-mode NAT asks only for existing connections when the packet is for one of its own addresses.
      if (!openNew) return NAT_NO_MATCH;
      dir = DIR_ORIGINAL;
      if (proto === PROTO_TCP && tcpStateForNew(this.kFlags) < 0) return this.drop();
      if (proto === PROTO_ICMP && this.kType !== ICMP_ECHO_REQUEST) return this.drop(); // an echo reply answers nothing we track
      e = ct.createSnat(proto, this.kSrc, this.kSport, this.kDst, this.kDport, outsideIp, now);
      if (e < 0) return this.exhaust(e, outsideIp);
      this.exhaustionLogged = false;
    }
    ct.update(e, dir, this.kFlags, now);
    this.apply(frame, ipOffset, e, dir);
    this.translated++;
    return NAT_TRANSLATED;
  }

  /**
   * A packet arriving from the outside: un-NAT a reply, follow a connection a rule let in, or open a
   * new one if a port-forwarding rule matches. Anything else is NAT_NO_MATCH.
   */
  inbound(frame: Uint8Array, ipOffset: number, now: number): NatVerdict {
    if (!this.parse(frame, ipOffset)) return this.drop();
    if (this.kError === 1) return this.related(frame, ipOffset, now);
    const ct = this.table;
    const proto = this.kProto;
    let dir = DIR_REPLY;
    let e = ct.findReply(proto, this.kSrc, this.kSport, this.kDst, this.kDport, now);
    if (e < 0) {
      e = ct.findOriginal(proto, this.kSrc, this.kSport, this.kDst, this.kDport, now);
      dir = DIR_ORIGINAL;
    }
    if (e < 0) {
      e = this.openForwarded(now);
      if (e < 0) return e === NO_RULE ? this.noMatch() : e === CANNOT_OPEN ? this.drop() : this.exhaust(e, this.forwardedSourceIp);
      dir = DIR_ORIGINAL;
    }
    ct.update(e, dir, this.kFlags, now);
    this.apply(frame, ipOffset, e, dir);
    this.translated++;
    return NAT_TRANSLATED;
  }

  /** Live connections for tables; expired ones are removed on the way. */
  rows(now: number): ConntrackRow[] {
    return this.table.rows(now);
  }

  /** `conntrack -L` output for this engine. */
  conntrackLines(now: number): string[] {
    return this.table.rows(now).map(formatConntrackLine);
  }

  /** Removes expired connections (call it now and then; lookups also expire lazily). */
  sweep(now: number): number {
    return this.table.sweep(now);
  }

  /** Forgets every connection, e.g. when the outside address changes (Linux's masquerade does the same). */
  flush(): void {
    this.table.flush();
  }

  /** A new connection from outside through a rule: entry ≥ 0, NO_RULE, CANNOT_OPEN, or a CtFailure. */
  private openForwarded(now: number): number {
    const proto = this.kProto;
    if (proto !== PROTO_TCP && proto !== PROTO_UDP) return NO_RULE;
    const rule = this.matchRule(proto === PROTO_TCP ? 'tcp' : 'udp', this.kDst, this.kDport);
    if (rule === null) return NO_RULE;
    const guest = rule.guestIp !== 0 ? rule.guestIp : this.defaultGuestIp;
    if (guest === 0) return NO_RULE;
    if (proto === PROTO_TCP && tcpStateForNew(this.kFlags) < 0) return CANNOT_OPEN;
    const ct = this.table;
    let rDst = this.kSrc;
    let rDport = this.kSport;
    if (this.forwardedSourceIp !== 0) {
      rDst = this.forwardedSourceIp;
      rDport = ct.allocatePort(proto, guest, rule.guestPort, rDst, this.kSport, now);
      if (rDport < 0) return CT_EXHAUSTED;
    } else if (ct.tupleTaken(proto, guest, rule.guestPort, rDst, rDport, now)) return CANNOT_OPEN;
    return ct.create(proto, this.kSrc, this.kSport, this.kDst, this.kDport, guest, rule.guestPort, rDst, rDport, true, now);
  }

  private matchRule(proto: 'tcp' | 'udp', dst: number, dport: number): PortForwardRule | null {
    let any: PortForwardRule | null = null;
    for (const r of this.ruleList) {
      if (r.proto !== proto || r.hostPort !== dport) continue;
      if (r.hostIp === dst) return r;
      if (r.hostIp === 0) any = r;
    }
    return any;
  }

  /** Rewrites a packet of entry e travelling in `dir` into the other side's view of the connection. */
  private apply(frame: Uint8Array, ipOffset: number, e: number, dir: number): void {
    const ct = this.table;
    // Original direction → the inverse of the reply tuple; reply direction → the inverse of the original.
    if (dir === DIR_ORIGINAL) rewriteTuple(frame, ipOffset, ct.replyDst(e), ct.replyDport(e), ct.replySrc(e), ct.replySport(e));
    else rewriteTuple(frame, ipOffset, ct.origDst(e), ct.origDport(e), ct.origSrc(e), ct.origSport(e));
  }

  /**
   * An ICMP error about a tracked connection (RELATED): its quoted packet is turned back into the
   * form the error's receiver sent, and the outer addresses follow the connection's NAT.
   */
  private related(frame: Uint8Array, ipOffset: number, now: number): NatVerdict {
    const ct = this.table;
    // The quoted packet went the opposite way to the error, so the error's own tuple is its inverse.
    let e = ct.findReply(this.kProto, this.kDst, this.kDport, this.kSrc, this.kSport, now);
    let dir = DIR_REPLY;
    if (e < 0) {
      e = ct.findOriginal(this.kProto, this.kDst, this.kDport, this.kSrc, this.kSport, now);
      dir = DIR_ORIGINAL;
    }
    if (e < 0) return this.noMatch();
    const srcNat = ct.origSrc(e) !== ct.replyDst(e) || ct.origSport(e) !== ct.replyDport(e);
    const dstNat = ct.origDst(e) !== ct.replySrc(e) || ct.origDport(e) !== ct.replySport(e);
    let outerSrc = getU32(frame, ipOffset + 12);
    let outerDst = getU32(frame, ipOffset + 16);
    let ok: boolean;
    if (dir === DIR_REPLY) {
      if (srcNat) outerDst = ct.origSrc(e);
      if (dstNat) outerSrc = ct.origDst(e);
      ok = translateIcmpError(frame, ipOffset, outerSrc, outerDst, ct.origSrc(e), ct.origSport(e), ct.origDst(e), ct.origDport(e));
    } else {
      if (srcNat) outerSrc = ct.replyDst(e);
      if (dstNat) outerDst = ct.replySrc(e);
      ok = translateIcmpError(frame, ipOffset, outerSrc, outerDst, ct.replySrc(e), ct.replySport(e), ct.replyDst(e), ct.replyDport(e));
    }
    if (!ok) return this.drop();
    this.translated++;
    return NAT_TRANSLATED;
  }

  /**
   * Reads the packet's tuple into the k* fields. For an ICMP error, the tuple of the packet it quotes.
   * False when the packet cannot be translated (malformed, fragment, another protocol).
   */
  private parse(buf: Uint8Array, ipOff: number): boolean {
    const l4 = transportOffset(buf, ipOff);
    if (l4 < 0 || (buf[ipOff + 6] & 0x20) !== 0) return false; // fragments: the lab does not reassemble
    const end = ipOff + getU16(buf, ipOff + 2);
    this.kError = 0;
    const proto = buf[ipOff + 9];
    if (proto === PROTO_ICMP && l4 + 8 <= end && isIcmpError(buf[l4])) {
      const inner = icmpErrorInnerOffset(buf, ipOff);
      if (inner < 0) return false;
      this.kError = 1;
      return this.readTuple(buf, inner, inner + (buf[inner] & 0x0f) * 4, inner + 8 + (buf[inner] & 0x0f) * 4, 0);
    }
    return this.readTuple(buf, ipOff, l4, end, proto === PROTO_TCP ? 20 : 8);
  }

  private readTuple(buf: Uint8Array, ipOff: number, l4: number, end: number, minL4: number): boolean {
    const proto = buf[ipOff + 9];
    if (l4 + Math.max(minL4, 8) > end) return false;
    this.kProto = proto;
    this.kSrc = getU32(buf, ipOff + 12);
    this.kDst = getU32(buf, ipOff + 16);
    this.kFlags = 0;
    if (proto === PROTO_TCP || proto === PROTO_UDP) {
      this.kSport = getU16(buf, l4);
      this.kDport = getU16(buf, l4 + 2);
      if (proto === PROTO_TCP && minL4 === 20) this.kFlags = buf[l4 + 13];
      return true;
    }
    if (proto === PROTO_ICMP) {
      const type = buf[l4];
      const id = getU16(buf, l4 + 4);
      this.kType = type;
      if (type === ICMP_ECHO_REQUEST) {
        this.kSport = id;
        this.kDport = 0;
        return true;
      }
      if (type === ICMP_ECHO_REPLY) {
        this.kSport = 0;
        this.kDport = id;
        return true;
      }
    }
    return false;
  }

  private drop(): NatVerdict {
    this.dropped++;
    return NAT_DROPPED;
  }

  private noMatch(): NatVerdict {
    this.unmatched++;
    return NAT_NO_MATCH;
  }

  private exhaust(failure: number, outsideIp: number): NatVerdict {
    this.exhausted++;
    if (!this.exhaustionLogged) {
      this.exhaustionLogged = true;
      const what = this.kProto === PROTO_ICMP ? 'ICMP id' : `${PROTO_NAMES[this.kProto]} port`;
      const why = failure === CT_EXHAUSTED ? `no free ${what} on ${formatIpv4(outsideIp)}` : `connection table full (${this.table.maxEntries} entries)`;
      const remote = this.kProto === PROTO_ICMP ? formatIpv4(this.kDst) : `${formatIpv4(this.kDst)}:${this.kDport}`;
      this.env.log('nat-ports-exhausted', `${this.name}: ${why}; new connection from ${formatIpv4(this.kSrc)} to ${remote} dropped`);
    }
    return NAT_EXHAUSTED;
  }
}
