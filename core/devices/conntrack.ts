// Connection tracking for NAT (after Linux nf_conntrack): TCP, UDP and ICMP echo connections in typed arrays.
import { formatIpv4 } from '../wire/address';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../wire/tcp';

export const PROTO_ICMP = IPPROTO_ICMP;
export const PROTO_TCP = IPPROTO_TCP;
export const PROTO_UDP = IPPROTO_UDP;

/** The direction a packet travels in a connection: as the first packet did, or back. */
export const DIR_ORIGINAL = 0;
export const DIR_REPLY = 1;

/** TCP states, numbered as Linux's `enum tcp_conntrack`. */
export const TCP_NONE = 0;
export const TCP_SYN_SENT = 1;
export const TCP_SYN_RECV = 2;
export const TCP_ESTABLISHED = 3;
export const TCP_FIN_WAIT = 4;
export const TCP_CLOSE_WAIT = 5;
export const TCP_LAST_ACK = 6;
export const TCP_TIME_WAIT = 7;
export const TCP_CLOSE = 8;
export const TCP_SYN_SENT2 = 9;

export const TCP_STATE_NAMES = ['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2'] as const;

/** `create`/`createSnat` failures; successes are entry numbers (≥ 0). */
export const CT_EXHAUSTED = -2; // no free port or ICMP id on the outside address
export const CT_TABLE_FULL = -3; // maxEntries live connections, none of them evictable
export type CtFailure = typeof CT_EXHAUSTED | typeof CT_TABLE_FULL;

/** `update` outcomes, after Linux: a packet that moves or keeps the state, one ignored, one invalid. */
export const TRACK_OK = 0;
export const TRACK_IGNORED = 1;
export const TRACK_INVALID = 2;
export type TrackOutcome = typeof TRACK_OK | typeof TRACK_IGNORED | typeof TRACK_INVALID;

/** Timeouts in seconds; the defaults are Linux's nf_conntrack sysctls. */
export interface ConntrackTimeouts {
  tcpSynSent: number;
  tcpSynRecv: number;
  tcpEstablished: number;
  tcpFinWait: number;
  tcpCloseWait: number;
  tcpLastAck: number;
  tcpTimeWait: number;
  tcpClose: number;
  /** UDP until a reply is seen (nf_conntrack_udp_timeout). */
  udp: number;
  /** UDP once replies were seen (nf_conntrack_udp_timeout_stream). */
  udpStream: number;
  icmp: number;
}

export const LINUX_CONNTRACK_TIMEOUTS: Readonly<ConntrackTimeouts> = Object.freeze({
  tcpSynSent: 120,
  tcpSynRecv: 60,
  tcpEstablished: 432_000,
  tcpFinWait: 120,
  tcpCloseWait: 60,
  tcpLastAck: 30,
  tcpTimeWait: 120,
  tcpClose: 10,
  udp: 30,
  udpStream: 120,
  icmp: 30,
});

export interface ConntrackOptions {
  /** Most live connections (Linux's nf_conntrack_max). */
  maxEntries?: number;
  /**
   * Outside ports for TCP/UDP translation, like `MASQUERADE --to-ports lo-hi`. Without it, Linux's
   * default: keep the inside port when free, else search 1–511, 600–1023 or 1024–65535 by the port's class.
   */
  portRange?: readonly [number, number];
  timeouts?: Partial<ConntrackTimeouts>;
  /** Entries allocated up front; the table doubles as needed up to maxEntries. */
  initialCapacity?: number;
}

export interface CtTuple {
  src: number;
  sport: number;
  dst: number;
  dport: number;
}

/** One tracked connection as users see it. IPs are numbers; for ICMP the "ports" are echo identifiers. */
export interface ConntrackRow {
  proto: 'tcp' | 'udp' | 'icmp';
  /** The machine behind the NAT. */
  insideIp: number;
  insidePort: number;
  /** The NAT's address and port facing the remote side. */
  outsideIp: number;
  outsidePort: number;
  /** The far end. */
  remoteIp: number;
  remotePort: number;
  /** TCP state (ESTABLISHED, TIME_WAIT…); UDP: UNREPLIED or ASSURED; ICMP: UNREPLIED or REPLIED. */
  state: string;
  expiresInS: number;
  /** Who opened it: the inside (masquerade) or the outside (a port-forwarding rule). */
  origin: 'inside' | 'outside';
  replied: boolean;
  assured: boolean;
  orig: CtTuple;
  reply: CtTuple;
}

const FLAG_SEEN_REPLY = 1;
const FLAG_ASSURED = 2;
const FLAG_FROM_OUTSIDE = 4;

const US_PER_S = 1_000_000;

// Linux's tcp_conntracks[dir][flag class][state] (nf_conntrack_proto_tcp.c).
const sNO = TCP_NONE;
const sSS = TCP_SYN_SENT;
const sSR = TCP_SYN_RECV;
const sES = TCP_ESTABLISHED;
const sFW = TCP_FIN_WAIT;
const sCW = TCP_CLOSE_WAIT;
const sLA = TCP_LAST_ACK;
const sTW = TCP_TIME_WAIT;
const sCL = TCP_CLOSE;
const sS2 = TCP_SYN_SENT2;
const sIV = 10;
const sIG = 11;
// Flag classes: syn, synack, fin, ack, rst, none. Rows list the new state for each old state sNO..sS2.
const TCP_TABLE = Uint8Array.from([
  // ORIGINAL
  sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2, // syn
  sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sSR, // synack
  sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV, // fin
  sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV, // ack
  sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, // rst
  sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, // none
  // REPLY
  sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS, sIV, sS2, // syn
  sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR, // synack
  sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV, // fin
  sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG, // ack
  sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, // rst
  sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, // none
]);

/** Linux's get_conntrack_index: which row of the state table a segment's flags select. */
function tcpFlagClass(flags: number): number {
  if (flags & TCP_RST) return 4;
  if (flags & TCP_SYN) return flags & TCP_ACK ? 1 : 0;
  if (flags & TCP_FIN) return 2;
  if (flags & TCP_ACK) return 3;
  return 5;
}

/** The state a first segment would open a connection in (SYN_SENT, or ESTABLISHED for a picked-up ACK), or -1. */
export function tcpStateForNew(flags: number): number {
  const s = TCP_TABLE[tcpFlagClass(flags) * 10 + sNO];
  return s === sIV || s === sIG ? -1 : s;
}

function tupleHash(p: number, a: number, ap: number, b: number, bp: number): number {
  let h = Math.imul(a ^ 0x2545f491, 0x9e3779b1) ^ p;
  h = Math.imul(h ^ (h >>> 16) ^ b, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ ((ap << 16) | bp), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * The connection table. Entry e's fields live at index e of parallel typed arrays, and two
 * open-addressing hash indexes (linear probing, at most half full) map the original tuple and the
 * reply tuple to e, so a lookup costs a hash, a probe or two and a few integer compares, with no
 * strings and no allocation. Tuples follow Linux: a packet in the original direction has the
 * original tuple (src, sport, dst, dport), one in the reply direction the reply tuple. For ICMP echo
 * the identifier is the source "port" of a request and the destination "port" of a reply.
 */
export class ConnTrack {
  readonly maxEntries: number;
  private readonly timeoutUs = new Float64Array(16);
  private readonly udpUs: number;
  private readonly udpStreamUs: number;
  private readonly icmpUs: number;
  private readonly rangeLo: number;
  private readonly rangeHi: number;
  private readonly rangeExplicit: boolean;
  private readonly cursor = new Int32Array(3);

  private cap = 0;
  private proto = new Uint8Array(0); // 0 = free slot
  private state = new Uint8Array(0);
  private flags = new Uint8Array(0);
  private oSrc = new Int32Array(0);
  private oDst = new Int32Array(0);
  private oSport = new Uint16Array(0);
  private oDport = new Uint16Array(0);
  private rSrc = new Int32Array(0);
  private rDst = new Int32Array(0);
  private rSport = new Uint16Array(0);
  private rDport = new Uint16Array(0);
  private oHash = new Int32Array(0);
  private rHash = new Int32Array(0);
  private expires = new Float64Array(0);
  private freeList = new Int32Array(0);
  private freeTop = 0;
  private used = 0;
  private oIndex = new Int32Array(0);
  private rIndex = new Int32Array(0);
  private mask = 0;
  private gcCursor = 0;
  private lastFullSweep = -Infinity;

  constructor(options: ConntrackOptions = {}) {
    const t = { ...LINUX_CONNTRACK_TIMEOUTS, ...options.timeouts };
    const tcp = [0, t.tcpSynSent, t.tcpSynRecv, t.tcpEstablished, t.tcpFinWait, t.tcpCloseWait, t.tcpLastAck, t.tcpTimeWait, t.tcpClose, t.tcpSynSent];
    tcp.forEach((s, i) => (this.timeoutUs[i] = s * US_PER_S));
    this.udpUs = t.udp * US_PER_S;
    this.udpStreamUs = t.udpStream * US_PER_S;
    this.icmpUs = t.icmp * US_PER_S;
    this.maxEntries = Math.max(1, Math.floor(options.maxEntries ?? 262_144));
    const range = options.portRange;
    this.rangeExplicit = range !== undefined;
    this.rangeLo = range ? Math.max(1, Math.min(range[0], range[1])) : 1024;
    this.rangeHi = range ? Math.min(65535, Math.max(range[0], range[1])) : 65535;
    this.resize(Math.min(this.maxEntries, Math.max(16, options.initialCapacity ?? 1024)));
  }

  /** Live entries (some may be expired and not yet swept). */
  get size(): number {
    return this.used;
  }

  /** Entry whose original tuple this is, or -1. An expired entry is removed and not found. */
  findOriginal(proto: number, src: number, sport: number, dst: number, dport: number, now: number): number {
    const e = this.lookup(this.oIndex, proto, src | 0, sport, dst | 0, dport, true);
    if (e >= 0 && this.expires[e] <= now) {
      this.remove(e);
      return -1;
    }
    return e;
  }

  /** Entry whose reply tuple this is, or -1. An expired entry is removed and not found. */
  findReply(proto: number, src: number, sport: number, dst: number, dport: number, now: number): number {
    const e = this.lookup(this.rIndex, proto, src | 0, sport, dst | 0, dport, false);
    if (e >= 0 && this.expires[e] <= now) {
      this.remove(e);
      return -1;
    }
    return e;
  }

  /** True when a live connection uses this tuple in either direction (Linux's nf_conntrack_tuple_taken). */
  tupleTaken(proto: number, src: number, sport: number, dst: number, dport: number, now: number): boolean {
    return this.findReply(proto, src, sport, dst, dport, now) >= 0 || this.findOriginal(proto, src, sport, dst, dport, now) >= 0;
  }

  /**
   * An outside port (TCP/UDP) or ICMP identifier on `natIp` for talking to remote:remotePort: the
   * preferred one when its reply tuple is free (Linux keeps the source port), else the first free one
   * searching the range onward from where the last search ended (deterministic). -1 when none is free.
   */
  allocatePort(proto: number, remoteIp: number, remotePort: number, natIp: number, preferred: number, now: number): number {
    let lo: number;
    let hi: number;
    let c: number;
    if (proto === PROTO_ICMP) {
      lo = 0;
      hi = 65535;
      c = 0;
      remotePort = 0;
    } else {
      c = proto === PROTO_TCP ? 1 : 2;
      if (this.rangeExplicit) {
        lo = this.rangeLo;
        hi = this.rangeHi;
      } else if (preferred < 512) {
        lo = 1;
        hi = 511;
      } else if (preferred < 1024) {
        lo = 600;
        hi = 1023;
      } else {
        lo = 1024;
        hi = 65535;
      }
    }
    // Reply tuple: (remote, remotePort) → (natIp, port); for ICMP the id is the reply's dport.
    // Without a configured range Linux keeps any free source port; with one, only a port inside it.
    const keep = this.rangeExplicit && proto !== PROTO_ICMP ? preferred >= lo && preferred <= hi : preferred >= 0 && preferred <= 65535;
    if (keep && !this.tupleTaken(proto, remoteIp, remotePort, natIp, preferred, now)) return preferred;
    const n = hi - lo + 1;
    let off = this.cursor[c] % n;
    for (let k = 0; k < n; k++) {
      const port = lo + off;
      off = off + 1 === n ? 0 : off + 1;
      if (!this.tupleTaken(proto, remoteIp, remotePort, natIp, port, now)) {
        this.cursor[c] = off;
        return port;
      }
    }
    return -1;
  }

  /**
   * Tracks a new connection with the given tuples (the caller made sure the reply tuple is free).
   * Its timeout starts as for its first packet; call `update` with that packet's flags.
   */
  create(
    proto: number,
    oSrc: number, oSport: number, oDst: number, oDport: number,
    rSrc: number, rSport: number, rDst: number, rDport: number,
    fromOutside: boolean, now: number,
  ): number {
    this.gcStep(now, 2);
    if (this.freeTop === 0 && !this.makeRoom(now)) return CT_TABLE_FULL;
    const e = this.freeList[--this.freeTop];
    this.used++;
    this.proto[e] = proto;
    this.state[e] = proto === PROTO_TCP ? TCP_NONE : 0;
    this.flags[e] = fromOutside ? FLAG_FROM_OUTSIDE : 0;
    this.oSrc[e] = oSrc;
    this.oSport[e] = oSport;
    this.oDst[e] = oDst;
    this.oDport[e] = oDport;
    this.rSrc[e] = rSrc;
    this.rSport[e] = rSport;
    this.rDst[e] = rDst;
    this.rDport[e] = rDport;
    this.expires[e] = now + (proto === PROTO_TCP ? this.timeoutUs[TCP_SYN_SENT] : proto === PROTO_UDP ? this.udpUs : this.icmpUs);
    const oh = tupleHash(proto, oSrc | 0, oSport, oDst | 0, oDport);
    const rh = tupleHash(proto, rSrc | 0, rSport, rDst | 0, rDport);
    this.oHash[e] = oh;
    this.rHash[e] = rh;
    insertIndex(this.oIndex, this.mask, oh, e);
    insertIndex(this.rIndex, this.mask, rh, e);
    return e;
  }

  /**
   * Source NAT (masquerade) of a new connection from inside src:sport to dst:dport, through natIp:
   * allocates the outside port (or ICMP id) and creates the entry. Entry number, or a CtFailure.
   */
  createSnat(proto: number, src: number, sport: number, dst: number, dport: number, natIp: number, now: number): number {
    const remotePort = proto === PROTO_ICMP ? 0 : dport;
    const port = this.allocatePort(proto, dst, remotePort, natIp, sport, now);
    if (port < 0) return CT_EXHAUSTED;
    return this.create(proto, src, sport, dst, remotePort, dst, remotePort, natIp, port, false, now);
  }

  /**
   * Follows a packet of entry e travelling in direction `dir`: the TCP state machine for TCP (`tcpFlags`
   * from the segment), replies seen for UDP/ICMP, and the timeout refreshed for the new state.
   */
  update(e: number, dir: number, tcpFlags: number, now: number): TrackOutcome {
    const proto = this.proto[e];
    if (dir === DIR_REPLY) this.flags[e] |= FLAG_SEEN_REPLY;
    if (proto === PROTO_TCP) {
      const old = this.state[e];
      const next = TCP_TABLE[(dir === DIR_REPLY ? 60 : 0) + tcpFlagClass(tcpFlags) * 10 + old];
      if (next === sIG) return TRACK_IGNORED;
      if (next === sIV) return TRACK_INVALID;
      this.state[e] = next;
      // Linux sets ASSURED when the handshake completes (or a picked-up stream was seen both ways).
      if (next === TCP_ESTABLISHED && (this.flags[e] & FLAG_SEEN_REPLY) !== 0) this.flags[e] |= FLAG_ASSURED;
      this.expires[e] = now + this.timeoutUs[next];
      return TRACK_OK;
    }
    if (proto === PROTO_UDP) {
      if ((this.flags[e] & FLAG_SEEN_REPLY) !== 0) {
        this.flags[e] |= FLAG_ASSURED;
        this.state[e] = 1;
        this.expires[e] = now + this.udpStreamUs;
      } else this.expires[e] = now + this.udpUs;
      return TRACK_OK;
    }
    if ((this.flags[e] & FLAG_SEEN_REPLY) !== 0) this.state[e] = 1;
    this.expires[e] = now + this.icmpUs;
    return TRACK_OK;
  }

  /** Forgets entry e. */
  remove(e: number): void {
    if (this.proto[e] === 0) return;
    removeIndex(this.oIndex, this.mask, this.oHash, e);
    removeIndex(this.rIndex, this.mask, this.rHash, e);
    this.proto[e] = 0;
    this.freeList[this.freeTop++] = e;
    this.used--;
  }

  /** Forgets everything (`conntrack -F`). */
  flush(): void {
    this.proto.fill(0);
    this.oIndex.fill(0);
    this.rIndex.fill(0);
    this.used = 0;
    this.freeTop = 0;
    for (let e = this.cap - 1; e >= 0; e--) this.freeList[this.freeTop++] = e;
  }

  /** Removes every expired entry; returns how many. */
  sweep(now: number): number {
    let n = 0;
    for (let e = 0; e < this.cap; e++) {
      if (this.proto[e] !== 0 && this.expires[e] <= now) {
        this.remove(e);
        n++;
      }
    }
    return n;
  }

  // Field access for the NAT engine; IPs come back unsigned.
  isLive(e: number): boolean {
    return e >= 0 && e < this.cap && this.proto[e] !== 0;
  }
  protoOf(e: number): number {
    return this.proto[e];
  }
  stateOf(e: number): number {
    return this.state[e];
  }
  fromOutside(e: number): boolean {
    return (this.flags[e] & FLAG_FROM_OUTSIDE) !== 0;
  }
  replied(e: number): boolean {
    return (this.flags[e] & FLAG_SEEN_REPLY) !== 0;
  }
  assured(e: number): boolean {
    return (this.flags[e] & FLAG_ASSURED) !== 0;
  }
  expiresAt(e: number): number {
    return this.expires[e];
  }
  origSrc(e: number): number {
    return this.oSrc[e] >>> 0;
  }
  origSport(e: number): number {
    return this.oSport[e];
  }
  origDst(e: number): number {
    return this.oDst[e] >>> 0;
  }
  origDport(e: number): number {
    return this.oDport[e];
  }
  replySrc(e: number): number {
    return this.rSrc[e] >>> 0;
  }
  replySport(e: number): number {
    return this.rSport[e];
  }
  replyDst(e: number): number {
    return this.rDst[e] >>> 0;
  }
  replyDport(e: number): number {
    return this.rDport[e];
  }

  /** The state word users see for entry e. */
  stateName(e: number): string {
    const p = this.proto[e];
    if (p === PROTO_TCP) return TCP_STATE_NAMES[this.state[e]];
    if (p === PROTO_UDP) return this.flags[e] & FLAG_ASSURED ? 'ASSURED' : 'UNREPLIED';
    return this.flags[e] & FLAG_SEEN_REPLY ? 'REPLIED' : 'UNREPLIED';
  }

  /** Live connections, oldest slot first; expired ones are removed on the way. */
  rows(now: number): ConntrackRow[] {
    const out: ConntrackRow[] = [];
    for (let e = 0; e < this.cap; e++) {
      const p = this.proto[e];
      if (p === 0) continue;
      if (this.expires[e] <= now) {
        this.remove(e);
        continue;
      }
      const orig = { src: this.origSrc(e), sport: this.oSport[e], dst: this.origDst(e), dport: this.oDport[e] };
      const reply = { src: this.replySrc(e), sport: this.rSport[e], dst: this.replyDst(e), dport: this.rDport[e] };
      const outside = this.fromOutside(e);
      out.push({
        proto: p === PROTO_TCP ? 'tcp' : p === PROTO_UDP ? 'udp' : 'icmp',
        insideIp: outside ? reply.src : orig.src,
        insidePort: outside ? reply.sport : orig.sport,
        outsideIp: outside ? orig.dst : reply.dst,
        outsidePort: outside ? orig.dport : reply.dport,
        remoteIp: outside ? orig.src : orig.dst,
        remotePort: outside ? orig.sport : orig.dport,
        state: this.stateName(e),
        expiresInS: Math.floor((this.expires[e] - now) / US_PER_S),
        origin: outside ? 'outside' : 'inside',
        replied: this.replied(e),
        assured: this.assured(e),
        orig,
        reply,
      });
    }
    return out;
  }

  private lookup(index: Int32Array, proto: number, src: number, sport: number, dst: number, dport: number, original: boolean): number {
    const mask = this.mask;
    const h = tupleHash(proto, src, sport, dst, dport);
    const hashes = original ? this.oHash : this.rHash;
    const s = original ? this.oSrc : this.rSrc;
    const d = original ? this.oDst : this.rDst;
    const sp = original ? this.oSport : this.rSport;
    const dp = original ? this.oDport : this.rDport;
    let i = h & mask;
    while (true) {
      const v = index[i];
      if (v === 0) return -1;
      const e = v - 1;
      if (hashes[e] === h && s[e] === src && d[e] === dst && sp[e] === sport && dp[e] === dport && this.proto[e] === proto) return e;
      i = (i + 1) & mask;
    }
  }

  /** Looks at a few slots for expired entries on each new connection, like Linux's gc worker. */
  private gcStep(now: number, n: number): void {
    for (let k = 0; k < n; k++) {
      const e = this.gcCursor;
      this.gcCursor = e + 1 >= this.cap ? 0 : e + 1;
      if (this.proto[e] !== 0 && this.expires[e] <= now) this.remove(e);
    }
  }

  /** Finds a free slot when none is left: grow, sweep (at most once a second), or evict an unassured entry. */
  private makeRoom(now: number): boolean {
    if (this.cap < this.maxEntries) {
      this.resize(Math.min(this.cap * 2, this.maxEntries));
      return true;
    }
    if (now - this.lastFullSweep >= US_PER_S) {
      this.lastFullSweep = now;
      if (this.sweep(now) > 0) return true;
    }
    // Linux's early_drop: a connection never answered is the cheapest to lose.
    for (let k = 0; k < 64; k++) {
      const e = this.gcCursor;
      this.gcCursor = e + 1 >= this.cap ? 0 : e + 1;
      if (this.proto[e] !== 0 && (this.flags[e] & FLAG_ASSURED) === 0) {
        this.remove(e);
        return true;
      }
    }
    return false;
  }

  private resize(cap: number): void {
    const old = this.cap;
    const g8 = (a: Uint8Array): Uint8Array<ArrayBuffer> => {
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    };
    const g16 = (a: Uint16Array): Uint16Array<ArrayBuffer> => {
      const b = new Uint16Array(cap);
      b.set(a);
      return b;
    };
    const g32 = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.proto = g8(this.proto);
    this.state = g8(this.state);
    this.flags = g8(this.flags);
    this.oSrc = g32(this.oSrc);
    this.oDst = g32(this.oDst);
    this.oSport = g16(this.oSport);
    this.oDport = g16(this.oDport);
    this.rSrc = g32(this.rSrc);
    this.rDst = g32(this.rDst);
    this.rSport = g16(this.rSport);
    this.rDport = g16(this.rDport);
    this.oHash = g32(this.oHash);
    this.rHash = g32(this.rHash);
    const expires = new Float64Array(cap);
    expires.set(this.expires);
    this.expires = expires;
    const free = new Int32Array(cap);
    free.set(this.freeList.subarray(0, this.freeTop));
    let top = this.freeTop;
    // Lowest new slot on top, so slots fill in order.
    for (let e = cap - 1; e >= old; e--) free[top++] = e;
    this.freeList = free;
    this.freeTop = top;
    this.cap = cap;
    let size = 16;
    while (size < cap * 2) size *= 2;
    this.mask = size - 1;
    this.oIndex = new Int32Array(size);
    this.rIndex = new Int32Array(size);
    for (let e = 0; e < old; e++) {
      if (this.proto[e] === 0) continue;
      insertIndex(this.oIndex, this.mask, this.oHash[e], e);
      insertIndex(this.rIndex, this.mask, this.rHash[e], e);
    }
  }
}

function insertIndex(index: Int32Array, mask: number, h: number, e: number): void {
  let i = h & mask;
  while (index[i] !== 0) i = (i + 1) & mask;
  index[i] = e + 1;
}

/** Backward-shift deletion: keeps linear-probe chains whole without tombstones. */
function removeIndex(index: Int32Array, mask: number, hashes: Int32Array, e: number): void {
  let i = hashes[e] & mask;
  while (index[i] !== e + 1) i = (i + 1) & mask;
  let j = i;
  while (true) {
    j = (j + 1) & mask;
    const v = index[j];
    if (v === 0) break;
    const home = hashes[v - 1] & mask;
    const between = i <= j ? i < home && home <= j : i < home || home <= j;
    if (!between) {
      index[i] = v;
      i = j;
    }
  }
  index[i] = 0;
}

/** One row as `conntrack -L` prints it (conntrack-tools' default output). */
export function formatConntrackLine(row: ConntrackRow): string {
  const num = row.proto === 'tcp' ? PROTO_TCP : row.proto === 'udp' ? PROTO_UDP : PROTO_ICMP;
  let line = `${row.proto.padEnd(8)} ${num} ${row.expiresInS} `;
  if (row.proto === 'tcp') line += `${row.state} `;
  const o = row.orig;
  const r = row.reply;
  if (row.proto === 'icmp') {
    line += `src=${formatIpv4(o.src)} dst=${formatIpv4(o.dst)} type=8 code=0 id=${o.sport} `;
    if (!row.replied) line += '[UNREPLIED] ';
    line += `src=${formatIpv4(r.src)} dst=${formatIpv4(r.dst)} type=0 code=0 id=${r.dport} `;
  } else {
    line += `src=${formatIpv4(o.src)} dst=${formatIpv4(o.dst)} sport=${o.sport} dport=${o.dport} `;
    if (!row.replied) line += '[UNREPLIED] ';
    line += `src=${formatIpv4(r.src)} dst=${formatIpv4(r.dst)} sport=${r.sport} dport=${r.dport} `;
  }
  if (row.assured) line += '[ASSURED] ';
  return `${line}mark=0 use=1`;
}
