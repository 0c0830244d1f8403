// The discrete-event scheduler: one virtual clock in microseconds that drives every link, timer and protocol.

/** A callback run at its time with the argument it was scheduled with (a frame, a timer's owner…). */
export type EventFn<A = unknown> = (arg: A) => void;

/** Identifies a scheduled event so it can be cancelled; never reused within one scheduler. */
export type EventId = number;

/**
 * Events are ordered by (time, order of scheduling), so the same actions always run in the same order:
 * the lab is deterministic. Slots live in parallel arrays and a binary heap of slot numbers, so posting
 * a frame on a link allocates nothing.
 */
export class Scheduler {
  /** Virtual time in microseconds. */
  private nowUs = 0;
  private seq = 0;
  // Slot storage.
  private times = new Float64Array(1024);
  // Each event's id doubles as its sequence number, breaking ties between events at the same time.
  private ids = new Float64Array(1024);
  private fns: (EventFn<never> | null)[] = new Array(1024).fill(null);
  private args: unknown[] = new Array(1024).fill(undefined);
  private free: number[] = [];
  private nextSlot = 0;
  // Binary heap of slot numbers.
  private heap = new Int32Array(1024);
  private size = 0;
  // id → slot for cancellation; only timers that may be cancelled go here.
  private cancellable = new Map<EventId, number>();
  private executed = 0;

  get now(): number {
    return this.nowUs;
  }

  /** Events run so far, for statistics and runaway detection. */
  get eventsRun(): number {
    return this.executed;
  }

  get pending(): number {
    return this.size;
  }

  /** Runs `fn(arg)` `delayUs` from now. Returns an id for `cancel`. */
  schedule<A>(delayUs: number, fn: EventFn<A>, arg: A): EventId {
    return this.at(this.nowUs + (delayUs > 0 ? delayUs : 0), fn, arg);
  }

  /** Runs `fn(arg)` at virtual time `timeUs` (not before now). */
  at<A>(timeUs: number, fn: EventFn<A>, arg: A): EventId {
    return this.ids[this.insert(timeUs, fn, arg)];
  }

  /** A cancellable timer: like `schedule`, but `cancel(id)` can withdraw it before it runs. */
  timer<A>(delayUs: number, fn: EventFn<A>, arg: A): EventId {
    const slot = this.insert(this.nowUs + (delayUs > 0 ? delayUs : 0), fn, arg);
    const id = this.ids[slot];
    this.cancellable.set(id, slot);
    return id;
  }

  private insert<A>(timeUs: number, fn: EventFn<A>, arg: A): number {
    const t = timeUs < this.nowUs ? this.nowUs : timeUs;
    let slot: number;
    if (this.free.length > 0) slot = this.free.pop() as number;
    else {
      slot = this.nextSlot++;
      if (slot >= this.times.length) this.grow();
    }
    this.times[slot] = t;
    this.ids[slot] = ++this.seq;
    this.fns[slot] = fn as EventFn<never>;
    this.args[slot] = arg;
    this.push(slot);
    return slot;
  }

  /** Withdraws a timer made by `timer`; a no-op when it already ran or was cancelled. */
  cancel(id: EventId): void {
    const slot = this.cancellable.get(id);
    if (slot === undefined) return;
    this.cancellable.delete(id);
    if (this.ids[slot] === id) this.fns[slot] = null; // lazily skipped when popped
  }

  /** Time of the next event, or Infinity when nothing is pending. */
  nextTime(): number {
    return this.size > 0 ? this.times[this.heap[0]] : Infinity;
  }

  /** Runs the next event; returns false when none is pending. */
  step(): boolean {
    if (this.size === 0) return false;
    const slot = this.pop();
    const fn = this.fns[slot];
    const arg = this.args[slot];
    const id = this.ids[slot];
    // A cancelled timer is skipped without moving the clock: nothing happened at its time.
    if (fn !== null) this.nowUs = this.times[slot];
    this.fns[slot] = null;
    this.args[slot] = undefined;
    this.ids[slot] = 0;
    this.free.push(slot);
    if (fn !== null) {
      if (this.cancellable.size > 0) this.cancellable.delete(id);
      this.executed++;
      (fn as EventFn<unknown>)(arg);
    }
    return true;
  }

  /** Runs every event up to and including `timeUs`, then sets the clock to `timeUs`. */
  runUntil(timeUs: number, maxEvents = Infinity): number {
    let n = 0;
    while (this.size > 0 && this.times[this.heap[0]] <= timeUs && n < maxEvents) {
      this.step();
      n++;
    }
    if (n < maxEvents && timeUs > this.nowUs && timeUs !== Infinity) this.nowUs = timeUs;
    return n;
  }

  runFor(durationUs: number, maxEvents = Infinity): number {
    return this.runUntil(this.nowUs + durationUs, maxEvents);
  }

  /** Runs until nothing is pending or `maxEvents` ran; returns how many ran. */
  runUntilIdle(maxEvents = 10_000_000): number {
    let n = 0;
    while (n < maxEvents && this.step()) n++;
    return n;
  }

  private push(slot: number): void {
    if (this.size >= this.heap.length) {
      const h = new Int32Array(this.heap.length * 2);
      h.set(this.heap);
      this.heap = h;
    }
    const heap = this.heap;
    const times = this.times;
    const seqs = this.ids;
    let i = this.size++;
    const t = times[slot];
    const s = seqs[slot];
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ps = heap[p];
      const pt = times[ps];
      if (pt < t || (pt === t && seqs[ps] < s)) break;
      heap[i] = ps;
      i = p;
    }
    heap[i] = slot;
  }

  private pop(): number {
    const heap = this.heap;
    const times = this.times;
    const seqs = this.ids;
    const top = heap[0];
    const last = heap[--this.size];
    const n = this.size;
    if (n > 0) {
      const t = times[last];
      const s = seqs[last];
      let i = 0;
      while (true) {
        let c = 2 * i + 1;
        if (c >= n) break;
        const r = c + 1;
        if (r < n) {
          const ct = times[heap[c]];
          const rt = times[heap[r]];
          if (rt < ct || (rt === ct && seqs[heap[r]] < seqs[heap[c]])) c = r;
        }
        const cs = heap[c];
        const ct = times[cs];
        if (t < ct || (t === ct && s < seqs[cs])) break;
        heap[i] = cs;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  private grow(): void {
    const n = this.times.length * 2;
    const t = new Float64Array(n);
    t.set(this.times);
    this.times = t;
    const d = new Float64Array(n);
    d.set(this.ids);
    this.ids = d;
    this.fns.length = n;
    this.fns.fill(null, n / 2);
    this.args.length = n;
  }
}

export const US_PER_MS = 1_000;
export const US_PER_S = 1_000_000;

/** Parses a duration such as `30s`, `5m`, `2h`, `250ms`, `1.5s`; null when it is not one. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(us|ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = { us: 1, ms: US_PER_MS, s: US_PER_S, m: 60 * US_PER_S, h: 3600 * US_PER_S, d: 86400 * US_PER_S }[unit] ?? US_PER_S;
  return Math.round(n * factor);
}
