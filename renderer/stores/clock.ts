// The lab's virtual clock as the toolbar shows it: play, pause, step, speed.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ClockState, ErrorInfo } from '../../core/api/dto';
import type { Answer } from '../../core/api/contract';
import { ask, labClient } from '../api/provide';

/** The speeds offered, in virtual seconds per real second; the slow ones are Packet Tracer's simulation mode. */
export const SPEEDS: readonly number[] = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 100];
/** At or below this speed (or while stepping) frames are drawn moving along the cables. */
export const ANIMATION_MAX_SPEED = 1;

export const useClockStore = defineStore('clock', () => {
  const state = ref<ClockState>({ nowUs: 0, running: false, speed: 1 });
  const error = ref<ErrorInfo | null>(null);
  let unsubscribe: (() => void) | null = null;

  const running = computed(() => state.value.running);
  const speed = computed(() => state.value.speed);
  const nowS = computed(() => state.value.nowUs / 1_000_000);
  /** Slow enough to watch frames travel. */
  const animating = computed(() => !state.value.running || state.value.speed <= ANIMATION_MAX_SPEED);

  function take(a: Answer<ClockState>): void {
    if (a.ok) state.value = a.result;
    else error.value = a.error;
  }

  async function start(): Promise<void> {
    unsubscribe?.();
    unsubscribe = labClient().on('clock', (s) => {
      state.value = s;
    });
    take(await ask('clock.get', {}));
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  const play = async () => take(await ask('clock.play', {}));
  const pause = async () => take(await ask('clock.pause', {}));
  /** One event of the lab (no argument), or `us` microseconds of virtual time. */
  const step = async (us?: number) => take(await ask('clock.step', us === undefined ? {} : { us }));
  const setSpeed = async (s: number) => take(await ask('clock.setSpeed', { speed: s }));

  return { state, error, running, speed, nowS, animating, start, stop, play, pause, step, setSpeed };
});

/** Virtual time as the toolbar shows it: 0:01:23.456. */
export function formatClock(us: number): string {
  const ms = Math.floor(us / 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const frac = ms % 1000;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(frac).padStart(3, '0')}`;
}
