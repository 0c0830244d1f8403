// Drives a lab's virtual clock from the wall clock while real machines are attached: events run when their time comes, frames from outside enter at the present.
import type { Scheduler } from '../../core/sim/scheduler';

export interface RealtimeClockOptions {
  /**
   * How far ahead of the wall clock events may run, in µs. A frame crosses several 50 µs cables inside
   * the lab; running them without waiting for a timer each keeps a ping through the lab under a millisecond.
   */
  leadUs?: number;
  /** Most events run in one turn before the clock yields to I/O (a flood must not starve the sockets). */
  maxEventsPerTurn?: number;
  /** The wall clock in milliseconds (performance.now by default; tests pass their own). */
  wallMs?: () => number;
}

const MAX_SLEEP_MS = 10_000;

/**
 * Virtual time = the virtual time at `start()` + wall time since. The clock never goes back: when the
 * lab falls behind (too much to compute), virtual time lags and catches up as fast as it can.
 */
export class RealtimeClock {
  private readonly leadUs: number;
  private readonly maxEvents: number;
  private readonly wallMs: () => number;
  private running = false;
  private virtualBase = 0;
  private wallBase = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  /** Virtual time the armed timer fires at. */
  private timerAt = Infinity;

  constructor(
    readonly scheduler: Scheduler,
    options: RealtimeClockOptions = {},
  ) {
    this.leadUs = options.leadUs ?? 1_000;
    this.maxEvents = options.maxEventsPerTurn ?? 50_000;
    this.wallMs = options.wallMs ?? ((): number => performance.now());
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The virtual time that corresponds to now on the wall clock. */
  present(): number {
    if (!this.running) return this.scheduler.now;
    return Math.max(this.scheduler.now, this.virtualBase + (this.wallMs() - this.wallBase) * 1000);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.virtualBase = this.scheduler.now;
    this.wallBase = this.wallMs();
    this.pump();
  }

  stop(): void {
    this.running = false;
    this.disarm();
  }

  /** Runs what is due now and re-arms the timer: call after changing the lab from outside the clock. */
  kick(): void {
    if (this.running) this.pump();
  }

  /**
   * Something from outside happens now (a frame arrived from a TAP or a tunnel): the lab is brought up to
   * the present first, so the frame enters at the right virtual time, then what it causes runs.
   */
  inject<A>(fn: (arg: A) => void, arg: A): void {
    if (this.running) this.runDue();
    fn(arg);
    this.kick();
  }

  /** Resolves after `us` of virtual time (real time while running), or at once for 0. */
  sleep(us: number): Promise<void> {
    return new Promise((resolve) => {
      this.scheduler.schedule(us, resolve, undefined);
      this.kick();
    });
  }

  /** Runs every event due by the present (plus the lead); returns false when it stopped at the turn's limit. */
  private runDue(): boolean {
    const s = this.scheduler;
    const target = this.present();
    const horizon = target + this.leadUs;
    let n = 0;
    while (n < this.maxEvents && s.nextTime() <= horizon) {
      s.step();
      n++;
    }
    if (n >= this.maxEvents) return false;
    // Nothing is due by the target any more, so this only moves the clock.
    if (s.now < target) s.runUntil(target);
    return true;
  }

  private pump = (): void => {
    this.timer = null;
    this.immediate = null;
    this.timerAt = Infinity;
    if (!this.running) return;
    if (!this.runDue()) {
      this.immediate = setImmediate(this.pump);
      return;
    }
    this.arm(this.scheduler.nextTime());
  };

  private arm(at: number): void {
    if (!this.running || at === Infinity) return;
    if (this.immediate !== null) return;
    if (this.timer !== null && this.timerAt <= at) return;
    if (this.timer !== null) clearTimeout(this.timer);
    const ms = Math.min(MAX_SLEEP_MS, Math.max(0, (at - this.leadUs - this.present()) / 1000));
    this.timerAt = at;
    this.timer = setTimeout(this.pump, ms);
  }

  private disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    this.timerAt = Infinity;
  }
}
