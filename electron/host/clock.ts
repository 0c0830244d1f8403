// The lab's clock in real time: a Node timer advances the virtual clock by elapsed real time × speed, with play, pause, step and speed.
import type { ClockState } from '../../core/api/dto';
import type { Scheduler } from '../../core/sim/scheduler';

/** Time and timers, injectable so tests can drive the clock by hand. */
export interface HostTimers {
  /** Milliseconds from an arbitrary origin, never going back. */
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  /** Runs `fn` after the current request has been answered (a macrotask). */
  defer(fn: () => void): void;
}

export const nodeTimers: HostTimers = {
  now: () => performance.now(),
  setInterval: (fn, ms) => {
    const h = setInterval(fn, ms);
    // The clock alone must not keep a process alive (a test, a CLI that is done).
    h.unref();
    return h;
  },
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  defer: (fn) => void setImmediate(fn),
};

export const TICK_MS = 25;
/** Real time one tick may catch up: after a stall (a laptop waking) the lab goes on, it does not race. */
const MAX_TICK_REAL_MS = 250;
/** Wall-clock budget of one tick, so a lab too heavy for this machine runs slower instead of freezing the host. */
const TICK_BUDGET_MS = 15;
const EVENTS_PER_CHUNK = 2000;
/** A step by a long time (a day) stops after this many events rather than blocking for minutes. */
const MAX_STEP_EVENTS = 5_000_000;

export class ClockDriver {
  speed = 1;
  private playing = false;
  private handle: unknown = null;
  private lastMs = 0;

  constructor(
    private scheduler: () => Scheduler,
    private readonly timers: HostTimers,
    /** Called after every advance of the clock (ticks and steps), to flush events. */
    private readonly advanced: () => void,
  ) {}

  get running(): boolean {
    return this.playing;
  }

  state(): ClockState {
    return { nowUs: this.scheduler().now, running: this.playing, speed: this.speed };
  }

  play(): void {
    if (this.playing) return;
    this.playing = true;
    this.lastMs = this.timers.now();
    this.handle = this.timers.setInterval(() => this.tick(), TICK_MS);
  }

  pause(): void {
    if (!this.playing) return;
    this.playing = false;
    if (this.handle !== null) this.timers.clearInterval(this.handle);
    this.handle = null;
  }

  setSpeed(speed: number): void {
    this.speed = speed;
  }

  /** Pauses, then runs to the next event (or by `us` microseconds). */
  step(us?: number): void {
    this.pause();
    const s = this.scheduler();
    if (us === undefined) {
      const before = s.eventsRun;
      // Cancelled timers are skipped without running anything: go on to one that does.
      while (s.eventsRun === before && s.step()) {
        /* next */
      }
    } else {
      s.runFor(us, MAX_STEP_EVENTS);
    }
    this.advanced();
  }

  /** One timer tick: advance by the real time elapsed × speed, within this tick's budget. */
  tick(): void {
    if (!this.playing) return;
    const now = this.timers.now();
    const realMs = Math.min(Math.max(0, now - this.lastMs), MAX_TICK_REAL_MS);
    this.lastMs = now;
    const s = this.scheduler();
    const target = s.now + Math.round(realMs * 1000 * this.speed);
    const deadline = now + TICK_BUDGET_MS;
    for (;;) {
      const n = s.runUntil(target, EVENTS_PER_CHUNK);
      if (n < EVENTS_PER_CHUNK || this.timers.now() >= deadline) break;
    }
    this.advanced();
  }

  dispose(): void {
    this.pause();
  }
}
