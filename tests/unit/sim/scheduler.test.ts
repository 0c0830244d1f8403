import { describe, expect, it } from 'vitest';
import { parseDuration, Scheduler } from '../../../core/sim/scheduler';

describe('scheduler', () => {
  it('runs events in time order, and events at the same time in the order they were scheduled', () => {
    const s = new Scheduler();
    const seen: string[] = [];
    s.schedule(20, (x: string) => seen.push(`${s.now}:${x}`), 'c');
    s.schedule(10, (x: string) => seen.push(`${s.now}:${x}`), 'a');
    s.schedule(10, (x: string) => seen.push(`${s.now}:${x}`), 'b');
    s.schedule(0, (x: string) => seen.push(`${s.now}:${x}`), 'now');
    s.runUntilIdle();
    expect(seen).toEqual(['0:now', '10:a', '10:b', '20:c']);
  });

  it('keeps order over thousands of events scheduled at random times', () => {
    const s = new Scheduler();
    const times: number[] = [];
    let x = 12345;
    for (let i = 0; i < 5000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      s.schedule(x % 1000, () => times.push(s.now), null);
    }
    expect(s.runUntilIdle()).toBe(5000);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
  });

  it('a cancelled timer does not run; cancelling after it ran is harmless', () => {
    const s = new Scheduler();
    let ran = 0;
    const t1 = s.timer(5, () => ran++, null);
    const t2 = s.timer(6, () => ran++, null);
    s.cancel(t1);
    s.runUntilIdle();
    s.cancel(t2);
    expect(ran).toBe(1);
  });

  it('runUntil advances the clock to the deadline even when idle', () => {
    const s = new Scheduler();
    s.runUntil(1_000_000);
    expect(s.now).toBe(1_000_000);
  });

  it('parses the durations a script uses', () => {
    expect(parseDuration('30s')).toBe(30_000_000);
    expect(parseDuration('5m')).toBe(300_000_000);
    expect(parseDuration('2h')).toBe(7_200_000_000);
    expect(parseDuration('250ms')).toBe(250_000);
    expect(parseDuration('soon')).toBeNull();
  });
});

describe('scheduler and cancelled timers', () => {
  it('a cancelled timer does not move the clock when the queue drains', () => {
    const s = new Scheduler();
    const t = s.timer(5_000_000, () => {}, null);
    s.schedule(10, () => {}, null);
    s.cancel(t);
    s.runUntilIdle();
    expect(s.now).toBe(10);
  });
});
