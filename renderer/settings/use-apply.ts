// Applies a dialog's changes as one: each request in turn; on a refusal the ones already made are undone and the host's problems kept for the dialog.
import { ref } from 'vue';
import type { Answer } from '../../core/api/contract';
import type { LabSnapshot } from '../../core/api/dto';
import { useLabStore } from '../stores/lab';

export interface HostProblem {
  path: string;
  message: string;
  hint?: string;
  /** The dialog field it is about ("slot1.name"), when the dialog can tell. */
  field: string | null;
}

export type ApplyStep = () => Promise<Answer<LabSnapshot>>;

export function useApply() {
  const lab = useLabStore();
  const busy = ref(false);
  const problems = ref<HostProblem[]>([]);
  /** The host's one-line message for the last failure. */
  const failure = ref<string | null>(null);

  function clear(): void {
    problems.value = [];
    failure.value = null;
  }

  /**
   * Runs `steps` in order; true when all were taken. `fieldOf(path, step)` maps a problem to a field.
   * Changes before a refused one are undone (each was one undo step), so the lab is as it was.
   */
  async function apply(steps: readonly ApplyStep[], fieldOf: (path: string, step: number) => string | null = () => null): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    clear();
    try {
      let done = 0;
      for (const [i, step] of steps.entries()) {
        const a = await step();
        if (a.ok) {
          done++;
          continue;
        }
        failure.value = a.error.message;
        problems.value = (a.error.problems ?? []).map((p) => ({ ...p, field: fieldOf(p.path, i) }));
        for (; done > 0; done--) await lab.undo();
        // The dialog shows the refusal itself; the window's status line need not repeat it.
        lab.clearError();
        return false;
      }
      return true;
    } finally {
      busy.value = false;
    }
  }

  function invalid(field: string): boolean {
    return problems.value.some((p) => p.field === field);
  }

  return { busy, problems, failure, apply, clear, invalid };
}
