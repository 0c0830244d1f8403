// Bridges to real machines as the window shows them: the list with states and counters (fed by `bridge.changed`), attach and detach.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Answer, Events, RequestParams } from '../../core/api/contract';
import type { BridgeInfo, ErrorInfo } from '../../core/api/dto';
import { ask, labClient } from '../api/provide';

export type BridgeSpec = RequestParams<'bridge.attach'>['spec'];

export const useBridgesStore = defineStore('bridges', () => {
  const list = shallowRef<BridgeInfo[]>([]);
  /** The last failure of a list or detach request (an attach's failure goes back to its form). */
  const error = ref<ErrorInfo | null>(null);
  let unsubscribe: (() => void) | null = null;

  /** The bridges hanging on each topology node (`net:lan`, `vnet:…`, or a VM whose adapter one took). */
  const byNode = computed(() => {
    const m = new Map<string, BridgeInfo[]>();
    for (const b of list.value) m.set(b.node, [...(m.get(b.node) ?? []), b]);
    return m;
  });

  async function refresh(): Promise<void> {
    const a = await ask('bridge.list', {});
    if (a.ok) list.value = a.result;
    else error.value = a.error;
  }

  async function start(): Promise<void> {
    stop();
    unsubscribe = labClient().on('bridge.changed', (l: Events['bridge.changed']) => {
      list.value = l;
    });
    await refresh();
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  /** Attaches `where`; the answer (with the host's reason when it cannot) goes back to the form that asked. */
  async function attach(where: string, spec: BridgeSpec): Promise<Answer<BridgeInfo>> {
    const a = await ask('bridge.attach', { where, spec });
    if (a.ok) {
      const others = list.value.filter((b) => b.id !== a.result.id);
      list.value = [...others, a.result];
    }
    return a;
  }

  async function detach(id: string): Promise<boolean> {
    const a = await ask('bridge.detach', { id });
    if (a.ok) {
      list.value = a.result;
      error.value = null;
    } else {
      error.value = a.error;
      // Gone already (another lab was opened): show what is there.
      if (a.error.code === 'not-found') await refresh();
    }
    return a.ok;
  }

  return { list, error, byNode, start, stop, refresh, attach, detach };
});
