// The ARP cache of one interface, with Linux's neighbour states, a queue of packets waiting for resolution, and timeouts.
import type { Ipv4Addr, MacAddr } from '../wire/address';
import { setU48 } from '../wire/bytes';
import type { Random } from '../sim/random';
import type { Scheduler } from '../sim/scheduler';

/** The states `ip neigh` prints. */
export type NeighborState = 'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'FAILED' | 'PERMANENT';

export interface NeighborEntry {
  readonly ip: Ipv4Addr;
  mac: MacAddr;
  state: NeighborState;
  /** REACHABLE until this time (µs); then STALE. */
  reachableUntil: number;
  /** Requests sent in the current INCOMPLETE or PROBE round. */
  probes: number;
  /** Frames waiting for the MAC (their destination MAC is filled in when it is known). */
  queue: Uint8Array[];
  timer: number;
  /** Last time the entry was confirmed or created, for `ip -s neigh`. */
  updatedUs: number;
}

/** Linux's defaults (net.ipv4.neigh.default.*). */
export const NEIGH_BASE_REACHABLE_US = 30_000_000;
export const NEIGH_RETRANS_US = 1_000_000;
export const NEIGH_DELAY_FIRST_PROBE_US = 5_000_000;
export const NEIGH_MCAST_SOLICIT = 3;
export const NEIGH_UCAST_SOLICIT = 3;
export const NEIGH_UNRES_QLEN = 101;
/** How long a FAILED entry is kept before garbage collection lets a new resolution start afresh. */
export const NEIGH_FAILED_KEEP_US = 3_000_000;

export interface NeighborHooks {
  /** Send an ARP request for `ip`; `unicastMac` is set when revalidating a known entry (PROBE). */
  sendRequest(ip: Ipv4Addr, unicastMac: MacAddr | null): void;
  /** A queued frame can go: its destination MAC has been written. */
  transmit(frame: Uint8Array): void;
  /** Resolution failed: each queued frame is given back so the host can report "Destination Host Unreachable". */
  unreachable(frame: Uint8Array): void;
}

export class NeighborTable {
  private entries = new Map<Ipv4Addr, NeighborEntry>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly random: Random,
    private readonly hooks: NeighborHooks,
  ) {}

  /** Linux picks each entry's reachable time at random in [base/2, 3·base/2]. */
  private reachableTime(): number {
    return Math.floor(NEIGH_BASE_REACHABLE_US * (0.5 + this.random.float()));
  }

  get size(): number {
    return this.entries.size;
  }

  get(ip: Ipv4Addr): NeighborEntry | undefined {
    return this.entries.get(ip);
  }

  /** All entries, with REACHABLE ones past their time shown as STALE (as the kernel would report). */
  list(): NeighborEntry[] {
    const now = this.scheduler.now;
    for (const e of this.entries.values()) if (e.state === 'REACHABLE' && now >= e.reachableUntil) e.state = 'STALE';
    return [...this.entries.values()];
  }

  /**
   * Sends `frame` (an Ethernet frame whose destination MAC is still blank) to `ip`: at once when the MAC is
   * known, else after resolution. The hot path is one Map lookup and a time comparison.
   */
  output(ip: Ipv4Addr, frame: Uint8Array): void {
    const e = this.entries.get(ip);
    if (e !== undefined) {
      if (e.state === 'REACHABLE' && this.scheduler.now < e.reachableUntil) {
        setU48(frame, 0, e.mac);
        this.hooks.transmit(frame);
        return;
      }
      this.slowOutput(e, frame);
      return;
    }
    const entry: NeighborEntry = { ip, mac: 0, state: 'INCOMPLETE', reachableUntil: 0, probes: 0, queue: [frame], timer: 0, updatedUs: this.scheduler.now };
    this.entries.set(ip, entry);
    this.solicit(entry);
  }

  private slowOutput(e: NeighborEntry, frame: Uint8Array): void {
    switch (e.state) {
      case 'PERMANENT':
      case 'DELAY':
      case 'PROBE':
        setU48(frame, 0, e.mac);
        this.hooks.transmit(frame);
        return;
      case 'REACHABLE':
      case 'STALE':
        // Used while stale: send with the old MAC and revalidate after a delay (Linux's DELAY state).
        e.state = 'DELAY';
        setU48(frame, 0, e.mac);
        this.hooks.transmit(frame);
        this.cancelTimer(e);
        e.timer = this.scheduler.timer(NEIGH_DELAY_FIRST_PROBE_US, this.onDelayTimeout, e);
        return;
      case 'INCOMPLETE':
        if (e.queue.length >= NEIGH_UNRES_QLEN) this.hooks.unreachable(e.queue.shift() as Uint8Array);
        e.queue.push(frame);
        return;
      case 'FAILED':
        if (this.scheduler.now - e.updatedUs < NEIGH_FAILED_KEEP_US) {
          this.hooks.unreachable(frame);
          return;
        }
        e.state = 'INCOMPLETE';
        e.probes = 0;
        e.queue = [frame];
        e.updatedUs = this.scheduler.now;
        this.solicit(e);
        return;
    }
  }

  private solicit(e: NeighborEntry): void {
    e.probes++;
    this.hooks.sendRequest(e.ip, null);
    e.timer = this.scheduler.timer(NEIGH_RETRANS_US, this.onSolicitTimeout, e);
  }

  private readonly onSolicitTimeout = (e: NeighborEntry): void => {
    e.timer = 0;
    if (e.state !== 'INCOMPLETE') return;
    if (e.probes < NEIGH_MCAST_SOLICIT) {
      this.solicit(e);
      return;
    }
    e.state = 'FAILED';
    e.updatedUs = this.scheduler.now;
    const q = e.queue;
    e.queue = [];
    for (const f of q) this.hooks.unreachable(f);
  };

  private readonly onDelayTimeout = (e: NeighborEntry): void => {
    e.timer = 0;
    if (e.state !== 'DELAY') return;
    e.state = 'PROBE';
    e.probes = 0;
    this.probe(e);
  };

  private probe(e: NeighborEntry): void {
    e.probes++;
    this.hooks.sendRequest(e.ip, e.mac);
    e.timer = this.scheduler.timer(NEIGH_RETRANS_US, this.onProbeTimeout, e);
  }

  private readonly onProbeTimeout = (e: NeighborEntry): void => {
    e.timer = 0;
    if (e.state !== 'PROBE') return;
    if (e.probes < NEIGH_UCAST_SOLICIT) {
      this.probe(e);
      return;
    }
    e.state = 'FAILED';
    e.updatedUs = this.scheduler.now;
  };

  private cancelTimer(e: NeighborEntry): void {
    if (e.timer !== 0) this.scheduler.cancel(e.timer);
    e.timer = 0;
  }

  /**
   * What an ARP packet from `ip` at `mac` tells us. `solicited` is a reply to us; a request addressed to us
   * creates a STALE entry for its sender (as Linux does); gratuitous ARP only updates an existing entry.
   */
  learn(ip: Ipv4Addr, mac: MacAddr, how: 'reply' | 'request-to-us' | 'other'): void {
    const now = this.scheduler.now;
    let e = this.entries.get(ip);
    if (e === undefined) {
      if (how === 'other') return;
      e = { ip, mac, state: 'STALE', reachableUntil: 0, probes: 0, queue: [], timer: 0, updatedUs: now };
      this.entries.set(ip, e);
    }
    if (e.state === 'PERMANENT') return;
    const wasWaiting = e.state === 'INCOMPLETE';
    if (how === 'reply' || wasWaiting) {
      this.cancelTimer(e);
      e.mac = mac;
      e.state = 'REACHABLE';
      e.reachableUntil = now + this.reachableTime();
      e.probes = 0;
      e.updatedUs = now;
    } else if (e.mac !== mac || e.state === 'FAILED') {
      this.cancelTimer(e);
      e.mac = mac;
      e.state = 'STALE';
      e.updatedUs = now;
    }
    if (e.queue.length > 0) {
      const q = e.queue;
      e.queue = [];
      for (const f of q) {
        setU48(f, 0, e.mac);
        this.hooks.transmit(f);
      }
    }
  }

  /** `ip neigh add … nud permanent` / `arp -s`. */
  setPermanent(ip: Ipv4Addr, mac: MacAddr): void {
    const old = this.entries.get(ip);
    if (old) this.cancelTimer(old);
    this.entries.set(ip, { ip, mac, state: 'PERMANENT', reachableUntil: Infinity, probes: 0, queue: [], timer: 0, updatedUs: this.scheduler.now });
  }

  delete(ip: Ipv4Addr): boolean {
    const e = this.entries.get(ip);
    if (!e) return false;
    this.cancelTimer(e);
    this.entries.delete(ip);
    return true;
  }

  /** `ip neigh flush dev DEV`: everything but permanent entries (and on link down). */
  flush(): void {
    for (const [ip, e] of this.entries) {
      if (e.state === 'PERMANENT') continue;
      this.cancelTimer(e);
      this.entries.delete(ip);
    }
  }
}
