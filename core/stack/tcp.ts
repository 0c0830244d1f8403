// One machine's TCP (RFC 9293 with RFC 6298 timers), sans-IO: listeners, connections, retransmission, sockets and `ss -tan` rows.
import { formatIpv4, type Ipv4Addr } from '../wire/address';
import { getU16, getU32 } from '../wire/bytes';
import { IPPROTO_TCP } from '../wire/ipv4';
import type { LabEventKind } from '../sim/event-log';
import {
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  TcpView,
  emitTcp,
  tcpHeaderLength,
  type TcpOption,
  type TcpRepr,
} from '../wire/tcp';

/** RFC 793's states, spelled as the RFC does; `ss` spells some differently (see SS_STATE). */
export type TcpState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN-SENT'
  | 'SYN-RECEIVED'
  | 'ESTABLISHED'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT';

/** How a connection ended, as the program using it learns: a graceful close, a reset, or why connect() failed. */
export type TcpCloseReason =
  | 'fin' // both sides closed
  | 'reset' // the peer sent RST on an open connection (ECONNRESET)
  | 'refused' // RST in answer to our SYN, or ICMP port unreachable (ECONNREFUSED)
  | 'timeout' // retransmissions ran out (ETIMEDOUT)
  | 'host-unreachable' // ICMP host unreachable or no ARP answer while connecting (EHOSTUNREACH)
  | 'net-unreachable' // no route, or ICMP net unreachable while connecting (ENETUNREACH)
  | 'aborted'; // this side called abort()

/** What the error looks like to a C program on Linux: strerror(errno). */
export const CLOSE_REASON_TEXT: Record<TcpCloseReason, string> = {
  fin: 'Success',
  reset: 'Connection reset by peer',
  refused: 'Connection refused',
  timeout: 'Connection timed out',
  'host-unreachable': 'No route to host',
  'net-unreachable': 'Network is unreachable',
  aborted: 'Software caused connection abort',
};

export const SS_STATE: Record<TcpState, string> = {
  CLOSED: 'CLOSE',
  LISTEN: 'LISTEN',
  'SYN-SENT': 'SYN-SENT',
  'SYN-RECEIVED': 'SYN-RECV',
  ESTABLISHED: 'ESTAB',
  'FIN-WAIT-1': 'FIN-WAIT-1',
  'FIN-WAIT-2': 'FIN-WAIT-2',
  'CLOSE-WAIT': 'CLOSE-WAIT',
  CLOSING: 'CLOSING',
  'LAST-ACK': 'LAST-ACK',
  'TIME-WAIT': 'TIME-WAIT',
};

/** The virtual clock's timers; `core/sim/scheduler.ts`'s Scheduler satisfies it. */
export interface TcpClock {
  readonly now: number;
  timer<A>(delayUs: number, fn: (arg: A) => void, arg: A): number;
  cancel(id: number): void;
}

export interface TcpEnv {
  readonly clock: TcpClock;
  /** The machine's seeded random source (ISNs, timestamp offsets, the first ephemeral port). */
  readonly random: { u32(): number };
  /** Hands a segment to the host's IP layer, which routes it, resolves ARP and frames it. */
  sendIpPacket(src: Ipv4Addr, dst: Ipv4Addr, protocol: number, payload: Uint8Array): void;
  /** The source address the routing table picks toward `dst`, or null when there is no route. */
  sourceFor(dst: Ipv4Addr): Ipv4Addr | null;
  /** MSS to announce toward `dst`: the outgoing interface's MTU minus 40; 1460 on Ethernet when absent. */
  mssFor?(dst: Ipv4Addr): number;
  log?(kind: LabEventKind, message: string): void;
}

/** Linux's defaults, each in one place. Times in microseconds. */
export interface TcpConfig {
  /** net.ipv4.tcp_syn_retries: 6 retransmissions, so connect() gives up after 1+2+…+64 = 127 s. */
  synRetries: number;
  /** net.ipv4.tcp_synack_retries. */
  synAckRetries: number;
  /** net.ipv4.tcp_retries2: retransmissions of data before the connection is dropped. */
  dataRetries: number;
  initialRtoUs: number;
  /** TCP_RTO_MIN: Linux's 200 ms rather than RFC 6298's 1 s. */
  minRtoUs: number;
  maxRtoUs: number;
  /** TCP_TIMEWAIT_LEN. */
  timeWaitUs: number;
  /** net.ipv4.tcp_fin_timeout: how long FIN-WAIT-2 waits for the peer's FIN. */
  finWait2Us: number;
  /** net.ipv4.ip_local_port_range. */
  ephemeralLow: number;
  ephemeralHigh: number;
  /** Receive window announced (Linux's first window for MSS 1460) and the shift offered with it. */
  receiveWindow: number;
  windowScale: number;
  timestamps: boolean;
  sack: boolean;
  /** Linux's initial congestion window, in segments (RFC 6928). */
  initialCwndSegments: number;
}

export const LINUX_TCP: Readonly<TcpConfig> = {
  synRetries: 6,
  synAckRetries: 5,
  dataRetries: 15,
  initialRtoUs: 1_000_000,
  minRtoUs: 200_000,
  maxRtoUs: 120_000_000,
  timeWaitUs: 60_000_000,
  finWait2Us: 60_000_000,
  ephemeralLow: 32768,
  ephemeralHigh: 60999,
  receiveWindow: 64240,
  windowScale: 7,
  timestamps: true,
  sack: true,
  initialCwndSegments: 10,
};

/** Peers that send no MSS option are assumed to take 536 bytes (RFC 9293 3.7.1). */
const DEFAULT_PEER_MSS = 536;
const DEFAULT_MSS = 1460;
const TS_OPTION_LEN = 12;

const seqLt = (a: number, b: number): boolean => ((a - b) | 0) < 0;
const seqLe = (a: number, b: number): boolean => ((a - b) | 0) <= 0;
const seqGt = (a: number, b: number): boolean => ((a - b) | 0) > 0;
const seqGe = (a: number, b: number): boolean => ((a - b) | 0) >= 0;
const seqAdd = (a: number, n: number): number => (a + n) >>> 0;
const seqSub = (a: number, b: number): number => (a - b) >>> 0;

const inWindow = (rcvNxt: number, wnd: number, s: number): boolean => seqLe(rcvNxt, s) && seqLt(s, seqAdd(rcvNxt, wnd));

/** An address and port as one exact number (48 bits), for table keys without strings. */
const endpointKey = (ip: Ipv4Addr, port: number): number => ip * 65536 + port;

export interface TcpListener {
  readonly localIp: Ipv4Addr;
  readonly port: number;
  readonly backlog: number;
  close(): void;
}

class Listener implements TcpListener {
  constructor(
    private readonly layer: TcpLayer,
    readonly localIp: Ipv4Addr,
    readonly port: number,
    readonly backlog: number,
    readonly onAccept: (socket: TcpSocket) => void,
  ) {}
  close(): void {
    this.layer.unlisten(this);
  }
}

/**
 * One end of a connection. Programs set the callbacks and call write/end/abort; everything else is the
 * protocol's. Received data is handed to `onData` as soon as it is in order, so the receive queue stays empty.
 */
export class TcpSocket {
  state: TcpState = 'CLOSED';
  onConnect: (() => void) | null = null;
  onData: ((bytes: Uint8Array) => void) | null = null;
  /** The peer sent FIN: nothing more will arrive. Unless `allowHalfOpen`, the socket then ends its side too. */
  onEnd: (() => void) | null = null;
  onClose: ((reason: TcpCloseReason) => void) | null = null;
  allowHalfOpen = false;
  closeReason: TcpCloseReason | null = null;
  /** Virtual time the socket was created, for programs that report how long things took. */
  readonly createdAt: number;

  // Send sequence space.
  iss = 0;
  sndUna = 0;
  sndNxt = 0;
  /** Highest sequence number sent; sndNxt falls back to sndUna when a retransmission timeout goes back N. */
  sndMax = 0;
  sndWnd = 0;
  private sndWl1 = 0;
  private sndWl2 = 0;
  /** Data written and not yet acknowledged; sndBuf[0] has sequence number sndBufSeq. */
  private sndBuf = new Uint8Array(0);
  private sndLen = 0;
  private sndBufSeq = 0;
  private finQueued = false;

  // Receive sequence space.
  irs = 0;
  rcvNxt = 0;
  private lastAckSent = 0;
  private ackPending = false;

  // Negotiated at the handshake.
  /** Largest payload per segment: the smaller MSS, less 12 bytes when timestamps ride on every segment. */
  mss = DEFAULT_PEER_MSS;
  private ourMss = DEFAULT_MSS;
  private sndShift = 0;
  private rcvShift = 0;
  private tsOk = false;
  private tsRecent = 0;
  private tsOffset = 0;
  private sackOk = false;
  private wsOk = false;

  // RFC 6298 estimator, in microseconds; srtt < 0 until the first sample.
  private srtt = -1;
  private rttvar = 0;
  rto: number;
  private rttSeq = 0;
  private rttTime = -1;
  /** Retransmissions of the current oldest segment. */
  retries = 0;

  // Congestion control (slow start, congestion avoidance, fast retransmit).
  private cwnd = 0;
  private ssthresh = 0x7fffffff;
  private dupAcks = 0;

  private rtxTimer = 0;
  private waitTimer = 0;
  private inInput = false;
  private listener: Listener | null;

  constructor(
    private readonly layer: TcpLayer,
    readonly localIp: Ipv4Addr,
    readonly localPort: number,
    readonly remoteIp: Ipv4Addr,
    readonly remotePort: number,
    listener: Listener | null,
  ) {
    this.listener = listener;
    this.rto = layer.config.initialRtoUs;
    this.createdAt = layer.clock.now;
  }

  /** Bytes written and not yet acknowledged (with a SYN or FIN counting one), as `ss` shows Send-Q. */
  get sendQueue(): number {
    if (this.state === 'SYN-RECEIVED' || this.state === 'CLOSED') return 0;
    return seqSub(seqAdd(this.sndBufSeq, this.sndLen + (this.finQueued ? 1 : 0)), this.sndUna);
  }

  /** Queues bytes to send; false once this side has ended or the connection is closed. */
  write(bytes: Uint8Array): boolean {
    if (this.finQueued || this.state === 'CLOSED' || this.state === 'TIME-WAIT') return false;
    if (bytes.length === 0) return true;
    if (this.sndLen + bytes.length > this.sndBuf.length) {
      const grown = new Uint8Array(Math.max(this.sndBuf.length * 2, this.sndLen + bytes.length, 4096));
      grown.set(this.sndBuf.subarray(0, this.sndLen));
      this.sndBuf = grown;
    }
    this.sndBuf.set(bytes, this.sndLen);
    this.sndLen += bytes.length;
    if (!this.inInput) this.output(false);
    return true;
  }

  /** Sends FIN after the queued data (half-close); the connection ends when the peer's FIN arrives too. */
  end(): void {
    if (this.finQueued) return;
    switch (this.state) {
      case 'SYN-SENT':
      case 'SYN-RECEIVED':
        this.finQueued = true; // sent once established
        return;
      case 'ESTABLISHED':
        this.finQueued = true;
        this.state = 'FIN-WAIT-1';
        break;
      case 'CLOSE-WAIT':
        this.finQueued = true;
        this.state = 'LAST-ACK';
        break;
      default:
        return;
    }
    if (!this.inInput) this.output(false);
  }

  /** Drops the connection at once, telling a synchronized peer with RST. */
  abort(): void {
    if (this.isClosed()) return;
    const s = this.state;
    if (s !== 'SYN-SENT' && s !== 'TIME-WAIT') this.sendControl(this.sndNxt, TCP_RST | TCP_ACK);
    this.finish('aborted');
  }

  // ---- the protocol ----

  /** A method rather than a comparison, because callbacks into the program may close the socket mid-way. */
  isClosed(): boolean {
    return this.state === 'CLOSED';
  }

  /** @internal Sends the first SYN of an active open. */
  openActive(): void {
    this.initSendSpace();
    this.state = 'SYN-SENT';
    this.sendSyn(false);
    this.armRtx();
  }

  /** @internal Answers a SYN that arrived at a listener. */
  openPassive(v: TcpView): void {
    this.initSendSpace();
    this.irs = v.seq;
    this.rcvNxt = seqAdd(v.seq, 1);
    this.takeSynOptions(v);
    this.sndWnd = v.window;
    this.sndWl1 = v.seq;
    this.state = 'SYN-RECEIVED';
    this.sendSyn(true);
    this.armRtx();
  }

  private initSendSpace(): void {
    const cfg = this.layer.config;
    this.iss = this.layer.random.u32();
    this.sndUna = this.iss;
    this.sndNxt = seqAdd(this.iss, 1);
    this.sndMax = this.sndNxt;
    this.sndBufSeq = this.sndNxt;
    this.tsOffset = this.layer.random.u32();
    this.ourMss = this.layer.mssFor(this.remoteIp);
    this.cwnd = cfg.initialCwndSegments * this.ourMss;
    this.rttSeq = this.sndNxt;
    this.rttTime = this.layer.clock.now;
  }

  /** Reads MSS, window scale, SACK-permitted and timestamps from the peer's SYN. */
  private takeSynOptions(v: TcpView): void {
    const cfg = this.layer.config;
    const peerMss = v.mssOption || DEFAULT_PEER_MSS;
    const ws = v.windowScaleOption;
    if (ws >= 0 && cfg.windowScale >= 0) {
      this.wsOk = true;
      this.sndShift = Math.min(ws, 14);
      this.rcvShift = cfg.windowScale;
    }
    this.sackOk = cfg.sack && v.sackPermitted;
    const ts = v.timestampsOffset;
    this.tsOk = cfg.timestamps && ts >= 0;
    if (this.tsOk) this.tsRecent = getU32(v.buf, ts + 2);
    this.mss = Math.min(peerMss, this.ourMss) - (this.tsOk ? TS_OPTION_LEN : 0);
  }

  private sendSyn(withAck: boolean): void {
    const cfg = this.layer.config;
    const opts: TcpOption[] = [{ kind: 'mss', mss: this.ourMss }];
    // Linux's order: MSS, SACK-permitted, timestamps, NOP, window scale; a SYN-ACK offers only what the SYN did.
    const offerSack = withAck ? this.sackOk : cfg.sack;
    const offerTs = withAck ? this.tsOk : cfg.timestamps;
    const offerWs = withAck ? this.wsOk : cfg.windowScale >= 0;
    if (offerSack && offerTs) opts.push({ kind: 'sack-permitted' });
    if (offerTs) {
      if (!offerSack) opts.push({ kind: 'nop' }, { kind: 'nop' });
      opts.push({ kind: 'timestamps', tsval: this.tsval(), tsecr: withAck ? this.tsRecent : 0 });
    } else if (offerSack) opts.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack-permitted' });
    if (offerWs) opts.push({ kind: 'nop' }, { kind: 'window-scale', shift: cfg.windowScale });
    const h: TcpRepr = {
      srcPort: this.localPort,
      dstPort: this.remotePort,
      seq: this.iss,
      ack: withAck ? this.rcvNxt : 0,
      flags: withAck ? TCP_SYN | TCP_ACK : TCP_SYN,
      window: Math.min(cfg.receiveWindow, 0xffff),
      options: opts,
    };
    this.transmit(h, EMPTY, 0, 0);
  }

  private tsval(): number {
    return seqAdd(this.tsOffset, Math.floor(this.layer.clock.now / 1000));
  }

  /** Emits a segment from the send buffer (or none) with the usual ACK, window and timestamps. */
  private sendSegment(seq: number, flags: number, start: number, len: number): void {
    const h = this.layer.scratch;
    h.srcPort = this.localPort;
    h.dstPort = this.remotePort;
    h.seq = seq;
    h.ack = flags & TCP_ACK ? this.rcvNxt : 0;
    h.flags = flags;
    h.window = Math.min(this.layer.config.receiveWindow >>> this.rcvShift, 0xffff);
    if (this.tsOk) {
      const ts = this.layer.scratchTs;
      ts.tsval = this.tsval();
      ts.tsecr = this.tsRecent;
      h.options = this.layer.scratchTsOptions;
    } else h.options = undefined;
    this.transmit(h, this.sndBuf, start, len);
  }

  private transmit(h: TcpRepr, data: Uint8Array, start: number, len: number): void {
    const out = new Uint8Array(tcpHeaderLength(h) + len);
    emitTcp(h, data.subarray(start, start + len), out, 0, this.localIp, this.remoteIp);
    if (h.flags & TCP_ACK) {
      this.lastAckSent = this.rcvNxt;
      this.ackPending = false;
    }
    this.layer.stats.segmentsOut++;
    this.layer.env.sendIpPacket(this.localIp, this.remoteIp, IPPROTO_TCP, out);
  }

  private sendControl(seq: number, flags: number): void {
    this.sendSegment(seq, flags, 0, 0);
  }

  private canSendData(): boolean {
    const s = this.state;
    return s === 'ESTABLISHED' || s === 'CLOSE-WAIT' || s === 'FIN-WAIT-1' || s === 'CLOSING' || s === 'LAST-ACK';
  }

  /**
   * Sends what the windows allow from sndNxt on: data in MSS-sized segments (PSH on the last), then FIN.
   * `probe` forces one segment into a zero window (a window probe, or the retransmission after a timeout).
   */
  private output(probe: boolean): void {
    if (this.isClosed()) return;
    if (this.canSendData()) {
      const wnd = Math.min(this.sndWnd, this.cwnd);
      let forced = probe;
      while (true) {
        const sent = seqSub(this.sndNxt, this.sndBufSeq);
        const finSeq = seqAdd(this.sndBufSeq, this.sndLen);
        const unsent = sent <= this.sndLen ? this.sndLen - sent : 0;
        const wantFin = this.finQueued && seqLe(this.sndNxt, finSeq);
        if (unsent === 0 && !wantFin) break;
        let usable = wnd - seqSub(this.sndNxt, this.sndUna);
        if (usable <= 0 && forced) usable = 1;
        if (usable <= 0 && unsent > 0) break;
        const n = Math.min(unsent, this.mss, Math.max(usable, 0));
        // Sender-side silly window avoidance: no runt segment while data is in flight to clock out more.
        if (!forced && n < this.mss && n < unsent && this.sndNxt !== this.sndUna) break;
        forced = false;
        const fin = this.finQueued && n === unsent;
        let flags = TCP_ACK;
        if (n > 0 && n === unsent) flags |= TCP_PSH;
        if (fin) flags |= TCP_FIN;
        const seq = this.sndNxt;
        if (this.rttTime < 0 && seqGe(seq, this.sndMax)) {
          // Time one segment at a time, and never a retransmitted one (Karn).
          this.rttSeq = seqAdd(seq, n + (fin ? 1 : 0));
          this.rttTime = this.layer.clock.now;
        }
        this.sendSegment(seq, flags, sent, n);
        this.sndNxt = seqAdd(seq, n + (fin ? 1 : 0));
        if (seqGt(this.sndNxt, this.sndMax)) this.sndMax = this.sndNxt;
        if (this.rtxTimer === 0) this.armRtx();
        if (fin) break;
      }
      if (this.sndWnd === 0 && this.rtxTimer === 0 && this.sendQueue > 0) this.armRtx(); // persist
    }
    if (this.ackPending) this.sendControl(this.sndNxt, TCP_ACK);
  }

  private armRtx(): void {
    if (this.rtxTimer !== 0) this.layer.clock.cancel(this.rtxTimer);
    this.rtxTimer = this.layer.clock.timer(this.rto, onRtxTimer, this);
  }

  private stopRtx(): void {
    if (this.rtxTimer !== 0) this.layer.clock.cancel(this.rtxTimer);
    this.rtxTimer = 0;
  }

  /** @internal */
  retransmitTimeout(): void {
    this.rtxTimer = 0;
    const cfg = this.layer.config;
    const s = this.state;
    if (s === 'SYN-SENT' || s === 'SYN-RECEIVED') {
      if (this.retries >= (s === 'SYN-SENT' ? cfg.synRetries : cfg.synAckRetries)) {
        if (s === 'SYN-SENT') this.layer.log('service', `TCP connect to ${formatIpv4(this.remoteIp)}:${this.remotePort} timed out after ${this.retries + 1} SYNs`);
        this.finish('timeout');
        return;
      }
      this.retries++;
      this.layer.stats.retransmits++;
      this.rttTime = -1;
      this.rto = Math.min(this.rto * 2, cfg.maxRtoUs);
      this.sendSyn(s === 'SYN-RECEIVED');
      this.armRtx();
      return;
    }
    if (!this.canSendData() || this.sendQueue === 0) return;
    if (this.retries >= cfg.dataRetries) {
      this.layer.log('service', `TCP connection to ${formatIpv4(this.remoteIp)}:${this.remotePort} timed out after ${this.retries} retransmissions`);
      this.finish('timeout');
      return;
    }
    this.retries++;
    this.layer.stats.retransmits++;
    // A window probe says nothing about congestion; a real timeout restarts slow start (RFC 5681 3.1).
    if (this.sndWnd !== 0) {
      const flight = seqSub(this.sndMax, this.sndUna);
      this.ssthresh = Math.max(flight >>> 1, 2 * this.mss);
      this.cwnd = this.mss;
    }
    this.dupAcks = 0;
    this.rttTime = -1;
    this.rto = Math.min(this.rto * 2, cfg.maxRtoUs);
    this.sndNxt = this.sndUna;
    this.output(true);
    this.armRtx();
  }

  private rttSample(r: number): void {
    const cfg = this.layer.config;
    if (this.srtt < 0) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    // Linux's rule: the variance term never counts for less than TCP_RTO_MIN.
    this.rto = Math.min(Math.max(Math.round(this.srtt + Math.max(4 * this.rttvar, cfg.minRtoUs)), cfg.minRtoUs), cfg.maxRtoUs);
  }

  /** @internal A segment for this connection, checked by the layer. */
  input(v: TcpView): void {
    this.inInput = true;
    try {
      this.process(v);
    } finally {
      this.inInput = false;
    }
    if (this.state !== 'CLOSED') this.output(false);
  }

  private process(v: TcpView): void {
    const flags = v.flags;
    const seq = v.seq;
    if (this.state === 'SYN-SENT') {
      this.processSynSent(v);
      return;
    }
    if (this.state === 'SYN-RECEIVED' && flags & TCP_SYN && !(flags & TCP_ACK) && seq === this.irs) {
      this.sendSyn(true); // the peer did not get our SYN-ACK
      return;
    }
    const segLen = v.segmentLength;
    const wnd = this.layer.config.receiveWindow;
    const acceptable = inWindow(this.rcvNxt, wnd, seq) || (segLen > 0 && inWindow(this.rcvNxt, wnd, seqAdd(seq, segLen - 1)));
    if (!acceptable) {
      if (!(flags & TCP_RST)) this.ackPending = true; // an old duplicate: tell the peer where we are
      return;
    }
    if (flags & TCP_RST) {
      if (seq !== this.rcvNxt) {
        this.ackPending = true; // RFC 5961 challenge ACK
        return;
      }
      if (this.state === 'SYN-RECEIVED' && this.listener) this.finish(null);
      else this.finish(this.state === 'TIME-WAIT' ? null : 'reset');
      return;
    }
    if (flags & TCP_SYN) {
      this.ackPending = true; // RFC 5961 challenge ACK for a SYN on a synchronized connection
      return;
    }
    if (!(flags & TCP_ACK)) return;
    const ack = v.ack;
    if (this.state === 'SYN-RECEIVED') {
      if (!(seqLt(this.sndUna, ack) && seqLe(ack, this.sndMax))) {
        this.sendReset(ack);
        return;
      }
      this.established();
      if (this.isClosed()) return;
    }
    if (!this.processAck(v, ack)) return;
    if (this.isClosed()) return;

    // Timestamps: remember the peer's clock from segments at the left edge (RFC 7323 4.3).
    if (this.tsOk && seqLe(seq, this.lastAckSent)) {
      const ts = v.timestampsOffset;
      if (ts >= 0) {
        const val = getU32(v.buf, ts + 2);
        if (seqGe(val, this.tsRecent)) this.tsRecent = val;
      }
    }

    const s = this.state;
    if (s !== 'ESTABLISHED' && s !== 'FIN-WAIT-1' && s !== 'FIN-WAIT-2') {
      if (s === 'TIME-WAIT' && flags & TCP_FIN) {
        this.ackPending = true;
        this.startWait(this.layer.config.timeWaitUs);
      }
      return;
    }
    let start = v.payloadOffset;
    let len = v.payloadLength;
    let segSeq = seq;
    if (seqLt(segSeq, this.rcvNxt)) {
      const trim = Math.min(seqSub(this.rcvNxt, segSeq), len);
      start += trim;
      len -= trim;
      segSeq = seqAdd(segSeq, trim);
    }
    if (segSeq !== this.rcvNxt) {
      // Out of order: dropped, and the duplicate ACK tells the sender what is missing.
      if (len > 0 || flags & TCP_FIN) this.ackPending = true;
      return;
    }
    let finInOrder = (flags & TCP_FIN) !== 0;
    if (len > wnd) {
      len = wnd;
      finInOrder = false;
    }
    // The whole segment is taken in before the program hears of it, as a kernel does before read() returns:
    // a program that closes on seeing the data already finds the peer's FIN (CLOSE-WAIT, then LAST-ACK).
    let data: Uint8Array | null = null;
    if (len > 0) {
      this.rcvNxt = seqAdd(this.rcvNxt, len);
      this.ackPending = true;
      this.layer.stats.bytesIn += len;
      data = v.buf.slice(start, start + len);
    }
    if (finInOrder) {
      this.rcvNxt = seqAdd(this.rcvNxt, 1);
      this.ackPending = true;
      if (this.state === 'ESTABLISHED') this.state = 'CLOSE-WAIT';
      else if (this.state === 'FIN-WAIT-1') this.state = 'CLOSING';
      else if (this.state === 'FIN-WAIT-2') this.enterTimeWait(false);
    }
    if (data) {
      this.onData?.(data);
      if (this.isClosed()) return;
    }
    if (finInOrder) this.peerFin();
  }

  private processSynSent(v: TcpView): void {
    const flags = v.flags;
    const ack = v.ack;
    if (flags & TCP_ACK && (seqLe(ack, this.iss) || seqGt(ack, this.sndMax))) {
      if (!(flags & TCP_RST)) this.sendReset(ack);
      return;
    }
    if (flags & TCP_RST) {
      if (flags & TCP_ACK) this.finish('refused');
      return;
    }
    if (!(flags & TCP_SYN)) return;
    this.irs = v.seq;
    this.rcvNxt = seqAdd(v.seq, 1);
    this.takeSynOptions(v);
    this.sndWnd = v.window;
    this.sndWl1 = v.seq;
    this.sndWl2 = ack;
    this.ackPending = true;
    if (flags & TCP_ACK) {
      this.sndUna = ack;
      this.ackedSyn();
      this.state = 'ESTABLISHED';
      if (this.finQueued) this.state = 'FIN-WAIT-1';
      this.onConnect?.();
    } else {
      // Simultaneous open (RFC 9293 3.5, figure 8).
      this.state = 'SYN-RECEIVED';
      this.sendSyn(true);
    }
  }

  /** Our SYN was acknowledged: take an RTT sample if it was not retransmitted (RFC 6298 5.7 otherwise). */
  private ackedSyn(): void {
    if (this.rttTime >= 0 && this.retries === 0) this.rttSample(this.layer.clock.now - this.rttTime);
    else if (this.retries > 0) this.rto = 3_000_000;
    this.rttTime = -1;
    this.retries = 0;
    this.stopRtx();
  }

  private established(): void {
    this.ackedSyn();
    this.state = this.finQueued ? 'FIN-WAIT-1' : 'ESTABLISHED';
    const l = this.listener;
    this.listener = null;
    if (l) l.onAccept(this);
    else this.onConnect?.();
  }

  /** Processes the ACK field; false when the segment must be dropped. */
  private processAck(v: TcpView, ack: number): boolean {
    const cfg = this.layer.config;
    if (seqGt(ack, this.sndMax)) {
      this.ackPending = true; // acknowledges something never sent
      return false;
    }
    const seq = v.seq;
    const wnd = v.window << this.sndShift;
    if (seqGt(ack, this.sndUna)) {
      const acked = seqSub(ack, this.sndUna);
      const dataAcked = Math.min(Math.max(seqSub(ack, this.sndBufSeq) | 0, 0), this.sndLen);
      if (dataAcked > 0) {
        this.sndBuf.copyWithin(0, dataAcked, this.sndLen);
        this.sndLen -= dataAcked;
        this.sndBufSeq = seqAdd(this.sndBufSeq, dataAcked);
      }
      this.sndUna = ack;
      if (seqLt(this.sndNxt, ack)) this.sndNxt = ack;
      if (this.rttTime >= 0 && seqGe(ack, this.rttSeq)) {
        this.rttSample(this.layer.clock.now - this.rttTime);
        this.rttTime = -1;
      }
      this.retries = 0;
      this.dupAcks = 0;
      if (this.cwnd < this.ssthresh) this.cwnd += Math.min(acked, this.mss);
      else this.cwnd += Math.max(1, Math.floor((this.mss * this.mss) / this.cwnd));
      if (this.sndUna === this.sndMax) this.stopRtx();
      else this.armRtx();
    } else if (ack === this.sndUna && v.payloadLength === 0 && !(v.flags & TCP_FIN) && wnd === this.sndWnd && this.sndMax !== this.sndUna) {
      if (++this.dupAcks === 3) {
        // Fast retransmit (RFC 5681 3.2) of the oldest segment.
        this.ssthresh = Math.max(seqSub(this.sndMax, this.sndUna) >>> 1, 2 * this.mss);
        this.cwnd = this.ssthresh;
        this.rttTime = -1;
        this.layer.stats.retransmits++;
        const n = Math.min(this.sndLen, this.mss);
        const fin = this.finQueued && n === this.sndLen;
        if (n > 0 || fin) this.sendSegment(this.sndUna, TCP_ACK | (fin ? TCP_FIN : 0) | (n > 0 ? TCP_PSH : 0), 0, n);
      }
    }
    if (seqLt(this.sndWl1, seq) || (this.sndWl1 === seq && seqLe(this.sndWl2, ack))) {
      this.sndWnd = wnd;
      this.sndWl1 = seq;
      this.sndWl2 = ack;
    }
    const finAcked = this.finQueued && this.sndLen === 0 && this.sndUna === seqAdd(this.sndBufSeq, 1);
    if (finAcked) {
      switch (this.state) {
        case 'FIN-WAIT-1':
          this.state = 'FIN-WAIT-2';
          this.startWait(cfg.finWait2Us);
          break;
        case 'CLOSING':
          this.enterTimeWait();
          break;
        case 'LAST-ACK':
          this.finish('fin');
          return false;
      }
    }
    return true;
  }

  /** Tells the program the peer finished sending; the state already moved on. */
  private peerFin(): void {
    this.onEnd?.();
    if (this.state === 'CLOSE-WAIT' && !this.allowHalfOpen) this.end();
    else if (this.state === 'TIME-WAIT') this.report('fin');
  }

  private enterTimeWait(report = true): void {
    this.state = 'TIME-WAIT';
    this.stopRtx();
    this.startWait(this.layer.config.timeWaitUs);
    if (report) this.report('fin');
  }

  private startWait(us: number): void {
    if (this.waitTimer !== 0) this.layer.clock.cancel(this.waitTimer);
    this.waitTimer = this.layer.clock.timer(us, onWaitTimer, this);
  }

  /** @internal TIME-WAIT ran out, or FIN-WAIT-2 waited in vain for the peer's FIN. */
  waitTimeout(): void {
    this.waitTimer = 0;
    if (this.state === 'TIME-WAIT') this.finish(null);
    else if (this.state === 'FIN-WAIT-2') this.finish('timeout');
  }

  private sendReset(seq: number): void {
    const h = this.layer.scratch;
    h.srcPort = this.localPort;
    h.dstPort = this.remotePort;
    h.seq = seq;
    h.ack = 0;
    h.flags = TCP_RST;
    h.window = 0;
    h.options = undefined;
    this.layer.stats.resetsOut++;
    this.transmit(h, EMPTY, 0, 0);
  }

  /** @internal An ICMP destination-unreachable about this connection: fatal only while connecting (as Linux). */
  icmpUnreachable(reason: TcpCloseReason): void {
    if (this.state === 'SYN-SENT' || (this.state === 'SYN-RECEIVED' && !this.listener)) this.finish(reason);
  }

  private report(reason: TcpCloseReason): void {
    if (this.closeReason !== null) return;
    this.closeReason = reason;
    this.onClose?.(reason);
  }

  /** Leaves the tables; `reason` null closes without telling the program (it was told, or never saw the socket). */
  private finish(reason: TcpCloseReason | null): void {
    this.state = 'CLOSED';
    this.stopRtx();
    if (this.waitTimer !== 0) this.layer.clock.cancel(this.waitTimer);
    this.waitTimer = 0;
    this.layer.remove(this);
    if (reason !== null && !this.listener) this.report(reason);
  }

  /** @internal The machine stopped: forget everything without a word on the wire. */
  destroy(): void {
    this.state = 'CLOSED';
    this.stopRtx();
    if (this.waitTimer !== 0) this.layer.clock.cancel(this.waitTimer);
    this.waitTimer = 0;
  }
}

const EMPTY = new Uint8Array(0);

function onRtxTimer(s: TcpSocket): void {
  s.retransmitTimeout();
}

function onWaitTimer(s: TcpSocket): void {
  s.waitTimeout();
}

export interface TcpStats {
  segmentsIn: number;
  segmentsOut: number;
  retransmits: number;
  resetsOut: number;
  /** Truncated, with a bad data offset, or failing the checksum. */
  badSegments: number;
  bytesIn: number;
}

/** One line of `ss -tan`. */
export interface TcpConnectionRow {
  state: string;
  recvQ: number;
  sendQ: number;
  localAddress: string;
  localPort: string;
  peerAddress: string;
  peerPort: string;
}

export interface ConnectOptions {
  srcIp?: Ipv4Addr;
  srcPort?: number;
}

/** A machine's TCP. The host hands it every TCP segment addressed to the machine through `receive`. */
export class TcpLayer {
  readonly config: TcpConfig;
  readonly stats: TcpStats = { segmentsIn: 0, segmentsOut: 0, retransmits: 0, resetsOut: 0, badSegments: 0, bytesIn: 0 };
  /** @internal Reused for every ordinary segment sent, so sending allocates only the segment's bytes. */
  readonly scratch: TcpRepr = { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0 };
  /** @internal */
  readonly scratchTs = { kind: 'timestamps' as const, tsval: 0, tsecr: 0 };
  /** @internal */
  readonly scratchTsOptions: readonly TcpOption[] = [{ kind: 'nop' }, { kind: 'nop' }, this.scratchTs];
  private readonly view = new TcpView();
  /** remote endpoint → local endpoint → socket. */
  private readonly sockets = new Map<number, Map<number, TcpSocket>>();
  private readonly listeners = new Map<number, Listener>();
  private nextPort: number;

  constructor(
    readonly env: TcpEnv,
    config: Partial<TcpConfig> = {},
  ) {
    this.config = { ...LINUX_TCP, ...config };
    const span = this.config.ephemeralHigh - this.config.ephemeralLow + 1;
    this.nextPort = this.config.ephemeralLow + (env.random.u32() % span);
  }

  get clock(): TcpClock {
    return this.env.clock;
  }
  get random(): { u32(): number } {
    return this.env.random;
  }

  /** @internal */
  mssFor(dst: Ipv4Addr): number {
    return this.env.mssFor?.(dst) ?? DEFAULT_MSS;
  }

  /** @internal */
  log(kind: LabEventKind, message: string): void {
    this.env.log?.(kind, message);
  }

  /**
   * Accepts connections on `port` (of `ip`, or every address by default); `onAccept` gets each one once
   * its handshake completes. Null when the port is already listened on (EADDRINUSE).
   */
  listen(port: number, onAccept: (socket: TcpSocket) => void, opts: { ip?: Ipv4Addr; backlog?: number } = {}): TcpListener | null {
    const ip = opts.ip ?? 0;
    if (this.listeners.has(endpointKey(ip, port)) || (ip !== 0 && this.listeners.has(endpointKey(0, port)))) return null;
    if (ip === 0) for (const l of this.listeners.values()) if (l.port === port) return null;
    const l = new Listener(this, ip, port, opts.backlog ?? 128, onAccept);
    this.listeners.set(endpointKey(ip, port), l);
    return l;
  }

  /** @internal */
  unlisten(l: Listener): void {
    if (this.listeners.get(endpointKey(l.localIp, l.port)) === l) this.listeners.delete(endpointKey(l.localIp, l.port));
  }

  isListening(port: number): boolean {
    for (const l of this.listeners.values()) if (l.port === port) return true;
    return false;
  }

  /**
   * Opens a connection. The SYN leaves at once; `onConnect` or `onClose` follows. Without a route the socket
   * closes with 'net-unreachable' on the next turn of the clock, so callbacks set after this call still hear it.
   */
  connect(dstIp: Ipv4Addr, dstPort: number, opts: ConnectOptions = {}): TcpSocket {
    const src = opts.srcIp ?? this.env.sourceFor(dstIp);
    if (src === null) {
      const dead = new TcpSocket(this, 0, 0, dstIp, dstPort, null);
      this.env.clock.timer(0, failLater, { socket: dead, reason: 'net-unreachable' as TcpCloseReason });
      return dead;
    }
    const port = opts.srcPort ?? this.pickPort(src);
    const sock = new TcpSocket(this, src, port, dstIp, dstPort, null);
    if (port < 0) {
      this.env.clock.timer(0, failLater, { socket: sock, reason: 'aborted' as TcpCloseReason });
      return sock;
    }
    this.add(sock);
    sock.openActive();
    return sock;
  }

  /** Linux walks ip_local_port_range from a per-machine offset; the lab walks it in order from a seeded start. */
  private pickPort(src: Ipv4Addr): number {
    const lo = this.config.ephemeralLow;
    const span = this.config.ephemeralHigh - lo + 1;
    for (let i = 0; i < span; i++) {
      const p = this.nextPort;
      this.nextPort = this.nextPort + 1 > this.config.ephemeralHigh ? lo : this.nextPort + 1;
      if (!this.portInUse(src, p)) return p;
    }
    return -1;
  }

  private portInUse(ip: Ipv4Addr, port: number): boolean {
    if (this.listeners.has(endpointKey(0, port)) || this.listeners.has(endpointKey(ip, port))) return true;
    const local = endpointKey(ip, port);
    for (const inner of this.sockets.values()) if (inner.has(local)) return true;
    return false;
  }

  private lookup(localIp: Ipv4Addr, localPort: number, remoteIp: Ipv4Addr, remotePort: number): TcpSocket | undefined {
    return this.sockets.get(endpointKey(remoteIp, remotePort))?.get(endpointKey(localIp, localPort));
  }

  private add(s: TcpSocket): void {
    const rk = endpointKey(s.remoteIp, s.remotePort);
    let inner = this.sockets.get(rk);
    if (!inner) {
      inner = new Map();
      this.sockets.set(rk, inner);
    }
    inner.set(endpointKey(s.localIp, s.localPort), s);
  }

  /** @internal */
  remove(s: TcpSocket): void {
    const rk = endpointKey(s.remoteIp, s.remotePort);
    const inner = this.sockets.get(rk);
    if (!inner) return;
    const lk = endpointKey(s.localIp, s.localPort);
    if (inner.get(lk) === s) inner.delete(lk);
    if (inner.size === 0) this.sockets.delete(rk);
  }

  /** A TCP segment from `src` to this machine's `dst`. Malformed segments are counted and dropped. */
  receive(src: Ipv4Addr, dst: Ipv4Addr, segment: Uint8Array): void {
    const v = this.view.wrap(segment);
    if (!v.check() || !v.verifyChecksum(src, dst)) {
      this.stats.badSegments++;
      return;
    }
    this.stats.segmentsIn++;
    const flags = v.flags;
    const sock = this.lookup(dst, v.dstPort, src, v.srcPort);
    if (sock) {
      // A new SYN may reuse a connection in TIME-WAIT when it starts above what the old one used (as Linux).
      if (!(sock.state === 'TIME-WAIT' && (flags & (TCP_SYN | TCP_ACK | TCP_RST)) === TCP_SYN && seqGt(v.seq, sock.rcvNxt))) {
        sock.input(v);
        return;
      }
      sock.destroy();
      this.remove(sock);
    }
    const l = this.listeners.get(endpointKey(dst, v.dstPort)) ?? this.listeners.get(endpointKey(0, v.dstPort));
    if (l) {
      if (flags & TCP_RST) return;
      if (flags & TCP_ACK) {
        this.sendResetFor(v, src, dst);
        return;
      }
      if (flags & TCP_SYN) {
        const s = new TcpSocket(this, dst, v.dstPort, src, v.srcPort, l);
        this.add(s);
        s.openPassive(v);
      }
      return;
    }
    this.sendResetFor(v, src, dst);
  }

  /** RFC 9293's reset for a segment that belongs to no connection: a closed port answers RST (curl: "Connection refused"). */
  private sendResetFor(v: TcpView, src: Ipv4Addr, dst: Ipv4Addr): void {
    const flags = v.flags;
    if (flags & TCP_RST) return;
    const h = this.scratch;
    h.srcPort = v.dstPort;
    h.dstPort = v.srcPort;
    if (flags & TCP_ACK) {
      h.seq = v.ack;
      h.ack = 0;
      h.flags = TCP_RST;
    } else {
      h.seq = 0;
      h.ack = seqAdd(v.seq, v.segmentLength);
      h.flags = TCP_RST | TCP_ACK;
    }
    h.window = 0;
    h.options = undefined;
    const out = new Uint8Array(20);
    emitTcp(h, EMPTY, out, 0, dst, src);
    this.stats.segmentsOut++;
    this.stats.resetsOut++;
    this.env.sendIpPacket(dst, src, IPPROTO_TCP, out);
  }

  /**
   * ICMP destination unreachable (type 3) quoting one of our segments, or the host's own verdict that a
   * neighbour did not answer ARP (code 1). `quoted` starts at the quoted TCP header (8 bytes suffice).
   */
  icmpUnreachable(code: number, quotedSrc: Ipv4Addr, quotedDst: Ipv4Addr, quoted: Uint8Array): void {
    if (quoted.length < 4) return;
    const sock = this.lookup(quotedSrc, getU16(quoted, 0), quotedDst, getU16(quoted, 2));
    if (!sock) return;
    const reason: TcpCloseReason = code === 3 ? 'refused' : code === 0 || code === 6 || code === 9 || code === 11 ? 'net-unreachable' : 'host-unreachable';
    sock.icmpUnreachable(reason);
  }

  /** Every socket, listeners included, for tables and tests. */
  allSockets(): TcpSocket[] {
    const out: TcpSocket[] = [];
    for (const inner of this.sockets.values()) for (const s of inner.values()) out.push(s);
    return out;
  }

  /** Rows as `ss -tan` prints them: listeners first, then connections by local and peer endpoint. */
  connections(): TcpConnectionRow[] {
    const rows: TcpConnectionRow[] = [];
    const ls = [...this.listeners.values()].sort((a, b) => a.port - b.port || a.localIp - b.localIp);
    for (const l of ls)
      rows.push({ state: 'LISTEN', recvQ: 0, sendQ: l.backlog, localAddress: formatIpv4(l.localIp), localPort: String(l.port), peerAddress: '0.0.0.0', peerPort: '*' });
    const ss = this.allSockets().sort(
      (a, b) => a.localIp - b.localIp || a.localPort - b.localPort || a.remoteIp - b.remoteIp || a.remotePort - b.remotePort,
    );
    for (const s of ss)
      rows.push({
        state: SS_STATE[s.state],
        recvQ: 0,
        sendQ: s.sendQueue,
        localAddress: formatIpv4(s.localIp),
        localPort: String(s.localPort),
        peerAddress: formatIpv4(s.remoteIp),
        peerPort: String(s.remotePort),
      });
    return rows;
  }

  /** The machine powered off or its stack restarted: every connection and listener vanishes silently. */
  shutdown(): void {
    for (const s of this.allSockets()) s.destroy();
    this.sockets.clear();
    this.listeners.clear();
  }
}

function failLater(a: { socket: TcpSocket; reason: TcpCloseReason }): void {
  a.socket.closeReason = a.reason;
  a.socket.onClose?.(a.reason);
}

/**
 * Formats rows as `ss -tan` does (iproute2 6.x): addresses right-aligned up to the colon, ports after it.
 */
export function formatSsTable(rows: readonly TcpConnectionRow[]): string {
  const w = (xs: string[], min: number): number => xs.reduce((m, x) => Math.max(m, x.length), min);
  const states = rows.map((r) => r.state);
  const sw = w(states, 'State'.length);
  const law = w(
    rows.map((r) => r.localAddress),
    'Local Address'.length,
  );
  const lpw = w(
    rows.map((r) => r.localPort),
    'Port'.length,
  );
  const paw = w(
    rows.map((r) => r.peerAddress),
    'Peer Address'.length,
  );
  const ppw = w(
    rows.map((r) => r.peerPort),
    'Port'.length,
  );
  const line = (st: string, rq: string, sq: string, la: string, lp: string, pa: string, pp: string, tail: string): string =>
    `${st.padEnd(sw)} ${rq.padEnd(6)} ${sq.padEnd(6)} ${la.padStart(law)}:${lp.padEnd(lpw)} ${pa.padStart(paw)}:${pp.padEnd(ppw)} ${tail}`.trimEnd();
  const out = [line('State', 'Recv-Q', 'Send-Q', 'Local Address', 'Port', 'Peer Address', 'Port', 'Process')];
  for (const r of rows) out.push(line(r.state, String(r.recvQ), String(r.sendQ), r.localAddress, r.localPort, r.peerAddress, r.peerPort, ''));
  return out.join('\n');
}
