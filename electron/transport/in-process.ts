// The in-process transport pair: a LabClient wired straight to a host, copying every message through JSON as a real transport would.
import type { Answer, EventName, Events, HostEndpoint, LabClient, RequestName, RequestParams, RequestResult } from '../../core/api/contract';
import { throughJson } from './json-wire';

export interface InProcessClient extends LabClient {
  /** Stops listening to the host's events; later requests are answered 'failed'. */
  close(): void;
}

export interface InProcessOptions {
  /** Told when an event payload cannot cross (a bug the test should see). */
  onError?: (message: string) => void;
}

type AnyListener = (payload: unknown) => void;

export function connectInProcess(host: HostEndpoint, options: InProcessOptions = {}): InProcessClient {
  const listeners = new Map<EventName, Set<AnyListener>>();
  let closed = false;
  const unsubscribe = host.subscribe((event, payload) => {
    let copy: unknown;
    try {
      copy = throughJson(payload);
    } catch (e) {
      options.onError?.(`event '${event}': ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    // Delivered later, as over a wire: a listener never runs inside the host's own call stack.
    queueMicrotask(() => {
      for (const l of listeners.get(event) ?? []) {
        try {
          l(copy);
        } catch (e) {
          options.onError?.(`a listener of '${event}' threw: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    });
  });

  return {
    async request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<Answer<RequestResult<N>>> {
      if (closed) return { ok: false, error: { code: 'failed', message: 'the connection to the lab is closed' } };
      let sent: unknown;
      try {
        sent = params === undefined ? undefined : throughJson(params);
      } catch (e) {
        return { ok: false, error: { code: 'bad-request', message: `parameters of '${name}' ${e instanceof Error ? e.message : String(e)}` } };
      }
      const answer = await host.handle(name, sent);
      try {
        return throughJson(answer) as Answer<RequestResult<N>>;
      } catch (e) {
        return { ok: false, error: { code: 'internal', message: `the answer to '${name}' ${e instanceof Error ? e.message : String(e)}` } };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      const l = listener as AnyListener;
      set.add(l);
      return () => void set.delete(l);
    },
    close(): void {
      closed = true;
      unsubscribe();
      listeners.clear();
    },
  };
}
