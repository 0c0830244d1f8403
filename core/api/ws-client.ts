// The WebSocket transport's client side and its message shapes: a LabClient over one socket, for the renderer in browser mode (no Node, no DOM beyond a socket).
import type { Answer, EventName, Events, LabClient, RequestName, RequestParams, RequestResult } from './contract';
import type { ErrorInfo } from './dto';

/** Where `vmnetlab serve` answers WebSocket connections. */
export const WS_PATH = '/ws';
/** The subprotocol the client asks for; the server picks it. */
export const WS_PROTOCOL = 'vmnetlab.v1';
/** The token travels as a second subprotocol, `vmnetlab.token.<token>`, so it never appears in a URL or a log. */
export const WS_TOKEN_PREFIX = 'vmnetlab.token.';
/** The biggest request the server accepts (a lab document is a few MB at most). */
export const WS_MAX_REQUEST = 8 * 1024 * 1024;

/** Client → server. */
export interface WireRequest {
  id: number | string;
  name: string;
  params?: unknown;
}

/** Server → client: the answer to request `id` (null when the request was too broken to have one). */
export type WireAnswer = { id: number | string | null } & ({ ok: true; result: unknown } | { ok: false; error: ErrorInfo });

/** Server → client: an event. */
export interface WireEvent {
  event: EventName;
  payload: unknown;
}

/** What the client needs of a socket: the browser's WebSocket has it, so has the `ws` package's in Node. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export interface WsClientOptions {
  /** Makes the socket; default the global WebSocket (a browser's). */
  createSocket?: SocketFactory;
}

export interface WsLabClient extends LabClient {
  /** Settles when the connection is open, or fails (a refused token or origin shows as a failure here). */
  readonly ready: Promise<void>;
  close(): void;
  onClose(listener: (info: { code: number; reason: string }) => void): () => void;
}

const OPEN = 1;

/** The WebSocket address of the server that served `location` (the renderer's page). */
export function wsUrlFor(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`;
}

/** The token from the page address's fragment (`#token=…`), or null. */
export function tokenFromHash(hash: string): string | null {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(hash);
  return m ? m[1] : null;
}

function defaultSocket(url: string, protocols: string[]): SocketLike {
  const Ctor = (globalThis as { WebSocket?: new (url: string, protocols: string[]) => SocketLike }).WebSocket;
  if (!Ctor) throw new Error('this runtime has no WebSocket');
  return new Ctor(url, protocols);
}

function failed(message: string): { ok: false; error: ErrorInfo } {
  return { ok: false, error: { code: 'failed', message } };
}

type AnyListener = (payload: unknown) => void;

/** Connects to `vmnetlab serve` at `url` (ws://127.0.0.1:PORT/ws) with the token it printed. Requests made before the socket opens wait for it. */
export function connectWebSocket(url: string, token: string, options: WsClientOptions = {}): WsLabClient {
  const pending = new Map<number, (answer: Answer<unknown>) => void>();
  const listeners = new Map<EventName, Set<AnyListener>>();
  const closeListeners = new Set<(info: { code: number; reason: string }) => void>();
  const queue: string[] = [];
  let nextId = 1;
  let closedInfo: { code: number; reason: string } | null = null;
  let resolveReady: () => void = () => undefined;
  let rejectReady: (e: Error) => void = () => undefined;
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  // Nobody may be awaiting `ready`; a failure is also reported through answers and onClose.
  ready.catch(() => undefined);

  const socket = (options.createSocket ?? defaultSocket)(url, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${token}`]);

  const closeAll = (info: { code: number; reason: string }): void => {
    if (closedInfo) return;
    closedInfo = info;
    const why = `the connection to the lab closed (${info.code}${info.reason ? `: ${info.reason}` : ''})`;
    rejectReady(new Error(why));
    for (const resolve of pending.values()) resolve(failed(why));
    pending.clear();
    queue.length = 0;
    for (const l of closeListeners) {
      try {
        l(info);
      } catch {
        // a listener's failure is its own
      }
    }
  };

  socket.onopen = () => {
    resolveReady();
    for (const m of queue) socket.send(m);
    queue.length = 0;
  };
  socket.onerror = () => {
    // Always followed by close, which says more.
  };
  socket.onclose = (ev) => closeAll({ code: ev.code, reason: ev.reason });
  socket.onmessage = (ev) => {
    if (typeof ev.data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(ev.data);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as Record<string, unknown>;
    if (typeof m.event === 'string') {
      for (const l of listeners.get(m.event as EventName) ?? []) {
        try {
          l(m.payload);
        } catch {
          // one listener's failure must not starve the others
        }
      }
      return;
    }
    if (typeof m.id === 'number') {
      const resolve = pending.get(m.id);
      if (!resolve) return;
      pending.delete(m.id);
      if (m.ok === true) resolve({ ok: true, result: m.result });
      else if (m.ok === false && typeof m.error === 'object' && m.error !== null) resolve({ ok: false, error: m.error as ErrorInfo });
      else resolve({ ok: false, error: { code: 'internal', message: 'the server sent an answer of the wrong shape' } });
    }
  };

  return {
    ready,
    request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<Answer<RequestResult<N>>> {
      if (closedInfo) return Promise.resolve(failed(`the connection to the lab is closed (${closedInfo.code})`));
      const id = nextId++;
      let text: string;
      try {
        text = JSON.stringify({ id, name, params } satisfies WireRequest);
      } catch (e) {
        return Promise.resolve({ ok: false, error: { code: 'bad-request', message: `parameters of '${name}' are not JSON: ${e instanceof Error ? e.message : String(e)}` } });
      }
      return new Promise((resolve) => {
        pending.set(id, resolve as (a: Answer<unknown>) => void);
        if (socket.readyState === OPEN) socket.send(text);
        else queue.push(text);
      });
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
    onClose(listener) {
      closeListeners.add(listener);
      return () => void closeListeners.delete(listener);
    },
    close(): void {
      socket.close(1000, 'closed by the client');
      closeAll({ code: 1000, reason: 'closed by the client' });
    },
  };
}
