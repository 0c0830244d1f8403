// The pieces of a machine that every sans-IO protocol engine needs from it: the clock, timers, randomness and the log.
import type { LabEventKind } from '../sim/event-log';
import type { Random } from '../sim/random';
import type { Host } from './host';

export interface EngineEnv {
  readonly now: number;
  schedule(delayUs: number, fn: () => void): number;
  cancel(id: number): void;
  readonly random: Random;
  log(kind: LabEventKind, message: string): void;
}

const runThunk = (fn: () => void): void => fn();

/** An environment bound to `host`: its scheduler, its random stream, its name in the event log. */
export function engineEnv(host: Host): EngineEnv {
  const s = host.ctx.scheduler;
  return {
    get now() {
      return s.now;
    },
    schedule: (delayUs, fn) => s.timer(delayUs, runThunk, fn),
    cancel: (id) => s.cancel(id),
    random: host.ctx.random,
    log: (kind, message) => host.log(kind, message),
  };
}

/**
 * An engine's whole environment: the host's clock, timers, random stream and log (`engineEnv`), plus what the
 * engine needs besides (its sends, its configure hooks). `now` stays a live getter.
 */
export function envFor<E>(host: Host, extra: Omit<E, keyof EngineEnv>): E {
  return Object.assign(engineEnv(host), extra) as unknown as E;
}
