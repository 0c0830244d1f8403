// A learning Ethernet switch (IEEE 802.1D transparent bridge): MAC learning with aging, flooding, per-port counters.
import { Port } from '../sim/link';

/** The switch's view of time: the scheduler satisfies it. */
export interface SwitchClock {
  readonly now: number;
}

export interface SwitchOptions {
  /** MAC aging time in seconds (IEEE 802.1D and Linux bridges: 300). */
  agingS?: number;
  /** Most MAC entries kept; past it the switch stops learning and floods, as hardware switches do. */
  maxEntries?: number;
}

/** One row of the MAC address table, as `bridge fdb show` / `brctl showmacs` list it. */
export interface MacTableRow {
  /** The port's name on the switch. */
  port: string;
  /** 48-bit MAC as a number; the UI formats it. */
  mac: number;
  /** Seconds since a frame from this MAC was last seen. */
  ageS: number;
}

export interface SwitchPortStats {
  port: string;
  rxFrames: number;
  rxBytes: number;
  txFrames: number;
  txBytes: number;
  /** Frames received on this port that the switch flooded (broadcast, multicast, unknown unicast). */
  floods: number;
  /** Frames received on this port and dropped by the switch, plus frames the port could not send. */
  drops: number;
}

const US_PER_S = 1_000_000;
const EMPTY = 0;

/**
 * The MAC table is an open-addressing hash (linear probing, backward-shift deletion) over typed arrays,
 * keyed by the MAC's two halves (16 + 32 bits) read straight from the frame: a 48-bit MAC as one JS
 * number is a heap double, and a Map keyed by it would box a key per frame.
 */
export class Switch {
  readonly name: string;
  private readonly clock: SwitchClock;
  private readonly agingUs: number;
  private readonly maxEntries: number;

  // Ports by slot; a removed port leaves null so slot numbers (kept in MAC entries) stay valid.
  private ports: (Port | null)[] = [];
  private receivesAllFlag: boolean[] = [];
  private floodCount: number[] = [];
  private dropCount: number[] = [];
  private portCount = 0;
  private receivesAllCount = 0;

  // MAC entries, struct of arrays; entry e lives at index e.
  private cap = 0;
  private macHi = new Int32Array(0);
  private macLo = new Int32Array(0);
  private entPort = new Int32Array(0);
  private entSeen = new Float64Array(0);
  private entHash = new Int32Array(0);
  private freeList = new Int32Array(0);
  private freeTop = 0;
  private used = 0;
  // Hash index: entry + 1, 0 when empty.
  private index = new Int32Array(0);
  private mask = 0;

  constructor(name: string, clock: SwitchClock, options: SwitchOptions = {}) {
    this.name = name;
    this.clock = clock;
    this.agingUs = (options.agingS ?? 300) * US_PER_S;
    this.maxEntries = Math.max(1, options.maxEntries ?? 16_384);
    this.resize(Math.min(64, this.maxEntries));
  }

  /** Adds a port (its `Port` is what a cable plugs into). Allowed while the lab runs. */
  addPort(name?: string, options: { receivesAll?: boolean } = {}): Port {
    let slot = this.ports.indexOf(null);
    if (slot < 0) slot = this.ports.length;
    const port = new Port(this.name, name ?? String(slot + 1));
    this.ports[slot] = port;
    this.receivesAllFlag[slot] = false;
    this.floodCount[slot] = 0;
    this.dropCount[slot] = 0;
    this.portCount++;
    const s = slot;
    port.onFrame = (frame: Uint8Array): void => this.receive(s, frame);
    // A port losing carrier (cable pulled, peer down) forgets its MACs, as Linux bridges do.
    port.onCarrier = (up: boolean): void => {
      if (!up) this.flushSlot(s);
    };
    if (options.receivesAll) this.setReceivesAll(port, true);
    return port;
  }

  /** Removes a port: its cable is pulled and its MAC entries flushed. */
  removePort(port: Port): boolean {
    const slot = this.ports.indexOf(port);
    if (slot < 0) return false;
    this.setReceivesAll(port, false);
    this.flushSlot(slot);
    this.ports[slot] = null;
    this.portCount--;
    port.onFrame = (): void => {};
    port.onCarrier = (): void => {};
    if (port.link !== null) port.link.unplug();
    return true;
  }

  /** The switch's ports in slot order. */
  get portList(): Port[] {
    return this.ports.filter((p): p is Port => p !== null);
  }

  /**
   * Promiscuous delivery: the port also gets a copy of every unicast frame the switch forwards to
   * another port (VirtualBox's promiscuous policies "Allow VMs" / "Allow All").
   */
  setReceivesAll(port: Port, on: boolean): void {
    const slot = this.ports.indexOf(port);
    if (slot < 0 || this.receivesAllFlag[slot] === on) return;
    this.receivesAllFlag[slot] = on;
    this.receivesAllCount += on ? 1 : -1;
  }

  receivesAll(port: Port): boolean {
    const slot = this.ports.indexOf(port);
    return slot >= 0 && this.receivesAllFlag[slot];
  }

  /** Forgets every learned MAC, or those on one port. */
  flush(port?: Port): void {
    if (port !== undefined) {
      const slot = this.ports.indexOf(port);
      if (slot >= 0) this.flushSlot(slot);
      return;
    }
    this.index.fill(EMPTY);
    this.used = 0;
    this.freeTop = 0;
    for (let e = this.cap - 1; e >= 0; e--) {
      this.entPort[e] = -1;
      this.freeList[this.freeTop++] = e;
    }
  }

  /** Learned MACs, by port then MAC; entries older than the aging time are dropped, not shown. */
  macTable(now: number = this.clock.now): MacTableRow[] {
    const rows: { slot: number; row: MacTableRow }[] = [];
    for (let e = 0; e < this.cap; e++) {
      const slot = this.entPort[e];
      if (slot < 0) continue;
      const age = now - this.entSeen[e];
      if (age >= this.agingUs) {
        this.removeEntry(e);
        continue;
      }
      const port = this.ports[slot] as Port;
      rows.push({ slot, row: { port: port.name, mac: (this.macHi[e] & 0xffff) * 0x100000000 + (this.macLo[e] >>> 0), ageS: Math.max(0, age) / US_PER_S } });
    }
    rows.sort((a, b) => a.slot - b.slot || a.row.mac - b.row.mac);
    return rows.map((r) => r.row);
  }

  /** The port a MAC was learned on (null when unknown or aged out). */
  lookup(mac: number, now: number = this.clock.now): Port | null {
    const hi = Math.floor(mac / 0x100000000) & 0xffff;
    const lo = mac | 0;
    const e = this.find(hi, lo);
    if (e < 0) return null;
    if (now - this.entSeen[e] >= this.agingUs) {
      this.removeEntry(e);
      return null;
    }
    return this.ports[this.entPort[e]];
  }

  /** Number of learned MACs (including ones not yet lazily aged out). */
  get macCount(): number {
    return this.used;
  }

  portStats(): SwitchPortStats[] {
    const out: SwitchPortStats[] = [];
    for (let s = 0; s < this.ports.length; s++) {
      const p = this.ports[s];
      if (p === null) continue;
      out.push({
        port: p.name,
        rxFrames: p.rxFrames,
        rxBytes: p.rxBytes,
        txFrames: p.txFrames,
        txBytes: p.txBytes,
        floods: this.floodCount[s],
        drops: this.dropCount[s] + p.drops,
      });
    }
    return out;
  }

  /** The forwarding decision for one frame that arrived on port slot `inSlot`. */
  private receive(inSlot: number, frame: Uint8Array): void {
    if (frame.length < 14) {
      this.dropCount[inSlot]++;
      return;
    }
    const now = this.clock.now;
    const srcHi = (frame[6] << 8) | frame[7];
    const srcLo = (frame[8] << 24) | (frame[9] << 16) | (frame[10] << 8) | frame[11];
    // A multicast or all-zero source is not a station address (Linux br_handle_frame drops it).
    if ((srcHi & 0x0100) !== 0 || (srcHi | srcLo) === 0) {
      this.dropCount[inSlot]++;
      return;
    }
    this.learn(srcHi, srcLo, inSlot, now);

    const dstHi = (frame[0] << 8) | frame[1];
    const dstLo = (frame[2] << 24) | (frame[3] << 16) | (frame[4] << 8) | frame[5];
    if ((dstHi & 0x0100) !== 0) {
      // 01:80:c2:00:00:0X (STP, pause, LLDP, 802.1X) are for the bridge itself, never forwarded (802.1D 7.12.6).
      if (dstHi === 0x0180 && dstLo >>> 4 === 0x0c200000) {
        this.dropCount[inSlot]++;
        return;
      }
      this.flood(inSlot, frame);
      return;
    }
    const e = this.find(dstHi, dstLo);
    if (e < 0) {
      this.flood(inSlot, frame);
      return;
    }
    if (now - this.entSeen[e] >= this.agingUs) {
      this.removeEntry(e);
      this.flood(inSlot, frame);
      return;
    }
    const outSlot = this.entPort[e];
    if (outSlot === inSlot) {
      // The destination is on the segment the frame came from: filtered, as 802.1D requires.
      this.dropCount[inSlot]++;
      return;
    }
    if (this.receivesAllCount === 0) {
      (this.ports[outSlot] as Port).send(frame);
      return;
    }
    this.forwardWithCopies(inSlot, outSlot, frame);
  }

  /** Unicast forwarding when some port receives everything: the frame goes to its port and to each such port. */
  private forwardWithCopies(inSlot: number, outSlot: number, frame: Uint8Array): void {
    const ports = this.ports;
    let shared = false;
    for (let s = 0; s < ports.length; s++) {
      if (s === inSlot || s === outSlot || !this.receivesAllFlag[s]) continue;
      const p = ports[s];
      if (p === null || !p.carrier) continue;
      const peer = p.peer;
      if (peer !== null && peer.mutatesFrames) p.send(frame.slice());
      else {
        p.send(frame);
        shared = true;
      }
    }
    const out = ports[outSlot] as Port;
    const peer = out.peer;
    out.send(shared && peer !== null && peer.mutatesFrames ? frame.slice() : frame);
  }

  /** Sends to every other port with carrier. Receivers that rewrite frames get copies (see Port). */
  private flood(inSlot: number, frame: Uint8Array): void {
    this.floodCount[inSlot]++;
    const ports = this.ports;
    // The original goes to every port whose peer only reads it; a mutating peer gets it only when
    // it is the sole receiver, otherwise a copy.
    let readers = 0;
    let mutators = 0;
    for (let s = 0; s < ports.length; s++) {
      const p = ports[s];
      if (s === inSlot || p === null || !p.carrier) continue;
      const peer = p.peer;
      if (peer !== null && peer.mutatesFrames) mutators++;
      else readers++;
    }
    let originalGiven = readers > 0;
    for (let s = 0; s < ports.length; s++) {
      const p = ports[s];
      if (s === inSlot || p === null || !p.carrier) continue;
      const peer = p.peer;
      if (peer !== null && peer.mutatesFrames) {
        if (!originalGiven && mutators === 1) {
          originalGiven = true;
          p.send(frame);
        } else p.send(frame.slice());
      } else p.send(frame);
    }
  }

  private learn(hi: number, lo: number, slot: number, now: number): void {
    const e = this.find(hi, lo);
    if (e >= 0) {
      this.entPort[e] = slot; // a station that moved is learned on its new port at once
      this.entSeen[e] = now;
      return;
    }
    if (this.freeTop === 0) {
      if (this.cap < this.maxEntries) this.resize(Math.min(this.cap * 2, this.maxEntries));
      else {
        this.sweep(now);
        if (this.freeTop === 0) return; // full: unknown stations are flooded to
      }
    }
    const n = this.freeList[--this.freeTop];
    const h = macHash(hi, lo);
    this.macHi[n] = hi;
    this.macLo[n] = lo;
    this.entPort[n] = slot;
    this.entSeen[n] = now;
    this.entHash[n] = h;
    const index = this.index;
    const mask = this.mask;
    let i = h & mask;
    while (index[i] !== EMPTY) i = (i + 1) & mask;
    index[i] = n + 1;
    this.used++;
  }

  private find(hi: number, lo: number): number {
    const index = this.index;
    const mask = this.mask;
    let i = macHash(hi, lo) & mask;
    while (true) {
      const v = index[i];
      if (v === EMPTY) return -1;
      const e = v - 1;
      if (this.macLo[e] === lo && this.macHi[e] === hi) return e;
      i = (i + 1) & mask;
    }
  }

  private removeEntry(e: number): void {
    const index = this.index;
    const mask = this.mask;
    let i = this.entHash[e] & mask;
    while (index[i] !== e + 1) i = (i + 1) & mask;
    // Backward-shift deletion keeps probe chains intact without tombstones.
    let j = i;
    while (true) {
      j = (j + 1) & mask;
      const v = index[j];
      if (v === EMPTY) break;
      const home = this.entHash[v - 1] & mask;
      const between = i <= j ? i < home && home <= j : i < home || home <= j;
      if (!between) {
        index[i] = v;
        i = j;
      }
    }
    index[i] = EMPTY;
    this.entPort[e] = -1;
    this.freeList[this.freeTop++] = e;
    this.used--;
  }

  private flushSlot(slot: number): void {
    for (let e = 0; e < this.cap; e++) if (this.entPort[e] === slot) this.removeEntry(e);
  }

  private sweep(now: number): void {
    for (let e = 0; e < this.cap; e++) if (this.entPort[e] >= 0 && now - this.entSeen[e] >= this.agingUs) this.removeEntry(e);
  }

  private resize(cap: number): void {
    const old = this.cap;
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.macHi = grow(this.macHi, (n) => new Int32Array(n));
    this.macLo = grow(this.macLo, (n) => new Int32Array(n));
    this.entPort = grow(this.entPort, (n) => new Int32Array(n));
    this.entPort.fill(-1, old);
    this.entSeen = grow(this.entSeen, (n) => new Float64Array(n));
    this.entHash = grow(this.entHash, (n) => new Int32Array(n));
    const free = new Int32Array(cap);
    free.set(this.freeList.subarray(0, this.freeTop));
    for (let e = cap - 1; e >= old; e--) free[this.freeTop++] = e;
    this.freeList = free;
    this.cap = cap;
    // Index at most half full.
    let size = 8;
    while (size < cap * 2) size *= 2;
    this.index = new Int32Array(size);
    this.mask = size - 1;
    for (let e = 0; e < old; e++) {
      if (this.entPort[e] < 0) continue;
      let i = this.entHash[e] & this.mask;
      while (this.index[i] !== EMPTY) i = (i + 1) & this.mask;
      this.index[i] = e + 1;
    }
  }
}

function macHash(hi: number, lo: number): number {
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 13);
}
