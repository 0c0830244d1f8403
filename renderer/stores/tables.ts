// The live tables the inspectors show (DHCP leases, NAT, ARP, routes, events, reachability), refetched when the host says they changed.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Events } from '../../core/api/contract';
import type { ArpRow, ErrorInfo, EventRow, LeaseRow, Matrix, NatRow, RouteRow } from '../../core/api/dto';
import { ask, labClient } from '../api/provide';

export type TableName = 'leases' | 'nat' | 'arp' | 'routes' | 'events';
const ALL: readonly TableName[] = ['leases', 'nat', 'arp', 'routes', 'events'];
/** The event list keeps the newest rows only: a long run would otherwise fill the window's memory. */
export const MAX_EVENT_ROWS = 5000;

export const useTablesStore = defineStore('tables', () => {
  const leases = shallowRef<LeaseRow[]>([]);
  const nat = shallowRef<NatRow[]>([]);
  const arp = shallowRef<ArpRow[]>([]);
  const routes = shallowRef<RouteRow[]>([]);
  const events = shallowRef<EventRow[]>([]);
  const matrix = shallowRef<Matrix | null>(null);
  const matrixBusy = ref(false);
  /** The lab changed since the matrix was computed. */
  const matrixStale = ref(false);
  /** Someone looks at the matrix: recompute it when the lab's wiring changes. */
  const matrixWatched = ref(false);
  const error = ref<ErrorInfo | null>(null);
  /** How many refetches went out, for tests and for the curious. */
  const fetches = ref(0);

  // Tables asked for while a fetch is under way wait for it and go out together: at most one request per table at a time.
  const pending = new Set<TableName>();
  let running: Promise<void> | null = null;
  const unsubscribers: Array<() => void> = [];

  async function fetchOne(t: TableName): Promise<void> {
    fetches.value++;
    switch (t) {
      case 'leases': {
        const a = await ask('tables.leases', {});
        if (a.ok) leases.value = a.result;
        else error.value = a.error;
        break;
      }
      case 'nat': {
        const a = await ask('tables.nat', {});
        if (a.ok) nat.value = a.result;
        else error.value = a.error;
        break;
      }
      case 'arp': {
        const a = await ask('tables.arp', {});
        if (a.ok) arp.value = a.result;
        else error.value = a.error;
        break;
      }
      case 'routes': {
        const a = await ask('tables.routes', {});
        if (a.ok) routes.value = a.result;
        else error.value = a.error;
        break;
      }
      case 'events': {
        const a = await ask('tables.events', {});
        if (a.ok) events.value = a.result.length > MAX_EVENT_ROWS ? a.result.slice(a.result.length - MAX_EVENT_ROWS) : a.result;
        else error.value = a.error;
        break;
      }
    }
  }

  /** Asks for `tables` again; returns when they (and anything asked meanwhile) have arrived. */
  function refetch(tables: readonly TableName[] = ALL): Promise<void> {
    for (const t of tables) pending.add(t);
    if (running) return running;
    running = (async () => {
      try {
        while (pending.size > 0) {
          const batch = [...pending];
          pending.clear();
          await Promise.all(batch.map(fetchOne));
        }
      } finally {
        running = null;
      }
    })();
    return running;
  }

  async function computeMatrix(): Promise<void> {
    if (matrixBusy.value) return;
    matrixBusy.value = true;
    try {
      const a = await ask('matrix.compute', {});
      if (a.ok) {
        matrix.value = a.result;
        matrixStale.value = false;
      } else error.value = a.error;
    } finally {
      matrixBusy.value = false;
    }
  }

  function watchMatrix(on: boolean): void {
    matrixWatched.value = on;
    if (on && (matrix.value === null || matrixStale.value)) void computeMatrix();
  }

  function onTablesChanged(e: Events['tables.changed']): void {
    const wanted = e.tables.filter((t): t is TableName => (ALL as readonly string[]).includes(t));
    if (wanted.length > 0) void refetch(wanted);
    // The wiring changed: who reaches whom may have too.
    if (e.tables.includes('topology') || e.tables.includes('machines')) {
      matrixStale.value = matrix.value !== null;
      if (matrixWatched.value && matrixStale.value) void computeMatrix();
    }
  }

  async function start(): Promise<void> {
    stop();
    unsubscribers.push(
      labClient().on('tables.changed', onTablesChanged),
      // Another lab (or an undo) replaces every table.
      labClient().on('lab.changed', () => {
        matrixStale.value = matrix.value !== null;
      }),
    );
    await refetch(ALL);
  }

  function stop(): void {
    while (unsubscribers.length > 0) unsubscribers.pop()?.();
  }

  return { leases, nat, arp, routes, events, matrix, matrixBusy, matrixStale, matrixWatched, error, fetches, refetch, computeMatrix, watchMatrix, start, stop };
});
