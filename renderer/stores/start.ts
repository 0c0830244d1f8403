// Starts every store once the window has a LabClient: events subscribed, first contents fetched.
import { useBridgesStore } from './bridges';
import { useCaptureStore } from './capture';
import { useClockStore } from './clock';
import { useLabStore } from './lab';
import { useTablesStore } from './tables';
import { useTerminalStore } from './terminal';

export async function startStores(): Promise<void> {
  useTerminalStore().start();
  await Promise.all([useLabStore().start(), useTablesStore().start(), useClockStore().start(), useCaptureStore().start(), useBridgesStore().start()]);
}

export function stopStores(): void {
  useTerminalStore().stop();
  useLabStore().stop();
  useTablesStore().stop();
  useClockStore().stop();
  useCaptureStore().stop();
  useBridgesStore().stop();
}
