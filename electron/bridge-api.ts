// What the preload exposes as `window.vmnetlab`: one function per contract request and `on` for events, built without Electron so tests can call it.
import { type Answer, type EventName, type Events, eventNames, type LabClient, type RequestName, type RequestParams, type RequestResult, requestNames } from '../core/api/contract';

/** One function per request of the contract, under the request's own name (`vmnetlab['lab.get']({})`). */
export type BridgeRequests = { readonly [N in RequestName]: (params: RequestParams<N>) => Promise<Answer<RequestResult<N>>> };

/** `window.vmnetlab` in the desktop app. */
export type BridgeApi = BridgeRequests & { readonly on: LabClient['on'] };

/** The IPC underneath, as the preload wires it to `ipcRenderer`. */
export interface BridgeTransport {
  /** Sends one request to the main process; resolves with its answer. */
  invoke(name: RequestName, params: unknown): Promise<unknown>;
  /** Listens to every event the main process sends; returns the way to stop. */
  on(listener: (event: unknown, payload: unknown) => void): () => void;
}

const knownEvents: ReadonlySet<string> = new Set(eventNames);

function isAnswer(value: unknown): value is Answer<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: unknown };
  return v.ok === true || (v.ok === false && typeof v.error === 'object' && v.error !== null);
}

function failure(message: string): Answer<never> {
  return { ok: false, error: { code: 'internal', message } };
}

/** Builds the bridge over `transport`. The window never sees IPC: requests answer `Answer`s (never reject), and listeners get the payload only. */
export function buildBridgeApi(transport: BridgeTransport): BridgeApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let stop: (() => void) | null = null;

  const dispatch = (event: unknown, payload: unknown): void => {
    if (typeof event !== 'string') return;
    const set = listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (e) {
        // One failing listener must not keep the event from the others.
        console.error(`vmnetlab: a listener of '${event}' threw`, e);
      }
    }
  };

  const on = <E extends EventName>(event: E, listener: (payload: Events[E]) => void): (() => void) => {
    if (typeof event !== 'string' || !knownEvents.has(event)) {
      throw new TypeError(`vmnetlab.on: unknown event ${JSON.stringify(String(event))}; the events are ${eventNames.join(', ')}`);
    }
    if (typeof listener !== 'function') throw new TypeError('vmnetlab.on: the listener must be a function');
    // Wrapped so each subscription is its own entry, even when one function is subscribed twice.
    const entry = (payload: unknown): void => listener(payload as Events[E]);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(entry);
    if (stop === null) stop = transport.on(dispatch);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      set.delete(entry);
      if (set.size === 0) listeners.delete(event);
      if (listeners.size === 0 && stop !== null) {
        stop();
        stop = null;
      }
    };
  };

  const api: Record<string, unknown> = {};
  for (const name of requestNames) {
    api[name] = async (params?: unknown): Promise<Answer<unknown>> => {
      try {
        const answer = await transport.invoke(name, params === undefined ? {} : params);
        return isAnswer(answer) ? answer : failure(`the main process gave no answer to '${name}'`);
      } catch (e) {
        return failure(`'${name}' did not reach the lab: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
  }
  api.on = on;
  return Object.freeze(api) as BridgeApi;
}
