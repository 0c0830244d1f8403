// The host's listeners: every event goes to each of them, and one that throws cannot stop the others or the host.
import type { EventName, Events } from '../../core/api/contract';

export type HostListener = <E extends EventName>(event: E, payload: Events[E]) => void;

export class EventHub {
  private listeners: HostListener[] = [];

  constructor(private readonly log: (message: string) => void) {}

  subscribe(listener: HostListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch (e) {
        this.log(`a listener of '${event}' failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  clear(): void {
    this.listeners = [];
  }
}
