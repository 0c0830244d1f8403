// The WebSocket transport's server side: checks Host, Origin and token before the upgrade, then carries requests, answers and events as JSON.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName, HostEndpoint } from '../../core/api/contract';
import type { ErrorInfo } from '../../core/api/dto';
import { WS_MAX_REQUEST, WS_PATH, WS_PROTOCOL, WS_TOKEN_PREFIX, type WireAnswer } from '../../core/api/ws-client';
import { jsonProblem } from './json-wire';

export interface WsServerOptions {
  host: HostEndpoint;
  /** The secret made at this start; a connection must bring it. */
  token: string;
  /** The one origin allowed to connect: the page's own, `http://127.0.0.1:PORT`. */
  origin(): string;
  /** Host header values accepted (DNS rebinding: another name pointing at 127.0.0.1 is refused). */
  hosts(): string[];
  log?: (message: string) => void;
  /** Biggest incoming message, bytes; bigger ones close the connection with 1009. */
  maxPayload?: number;
}

/** Events a slow client may miss (the window refetches lists); never terminal output or lab changes. */
const DROPPABLE: ReadonlySet<EventName> = new Set<EventName>(['frame.captured', 'clock', 'tables.changed']);
/** Bytes waiting to be sent to a client above which droppable events are dropped. */
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;
/** …and above which the client is disconnected. */
const STUCK_CLIENT_BYTES = 256 * 1024 * 1024;
/** Requests one connection may have under way at once. */
const MAX_IN_FLIGHT = 64;
const MAX_ID_LENGTH = 128;

export interface WsEndpoint {
  /** Connections open now. */
  clients(): number;
  close(): void;
}

/** The token a request brings: `?token=` or the `vmnetlab.token.<token>` subprotocol. */
export function tokenOf(req: IncomingMessage): string | null {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const q = url.searchParams.get('token');
  if (q !== null) return q;
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return null;
  for (const p of header.split(',')) {
    const t = p.trim();
    if (t.startsWith(WS_TOKEN_PREFIX)) return t.slice(WS_TOKEN_PREFIX.length);
  }
  return null;
}

/** Compares in time independent of where the strings differ. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(socket: Duplex, status: number, reason: string, text: string): void {
  const body = `${text}\n`;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  socket.destroy();
}

function badRequest(message: string): ErrorInfo {
  return { code: 'bad-request', message };
}

/** Serves the contract at WS_PATH of `server`. */
export function attachWebSocket(server: Server, options: WsServerOptions): WsEndpoint {
  const log = options.log ?? (() => undefined);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload ?? WS_MAX_REQUEST,
    // Compression costs memory per connection and invites zip bombs; loopback needs none.
    perMessageDeflate: false,
    handleProtocols: (protocols) => {
      if (protocols.has(WS_PROTOCOL)) return WS_PROTOCOL;
      for (const p of protocols) if (p.startsWith(WS_TOKEN_PREFIX)) return p;
      return false;
    },
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => undefined);
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    } catch {
      refuse(socket, 400, 'Bad Request', 'bad request address');
      return;
    }
    if (pathname !== WS_PATH) {
      refuse(socket, 404, 'Not Found', `the lab's WebSocket is at ${WS_PATH}`);
      return;
    }
    if (!options.hosts().includes(req.headers.host ?? '')) {
      log(`refused a WebSocket for host ${JSON.stringify(req.headers.host ?? '')}`);
      refuse(socket, 403, 'Forbidden', 'this server answers only at its own address');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== options.origin()) {
      log(`refused a WebSocket from origin ${JSON.stringify(origin ?? '(none)')}`);
      refuse(socket, 403, 'Forbidden', 'connections are accepted only from the page this server serves');
      return;
    }
    const token = tokenOf(req);
    if (token === null || !sameSecret(token, options.token)) {
      log(`refused a WebSocket ${token === null ? 'without a token' : 'with a wrong token'}`);
      refuse(socket, 401, 'Unauthorized', 'a valid token is needed: open the address vmnetlab serve printed');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connection(ws));
  };
  server.on('upgrade', onUpgrade);

  const connection = (ws: WebSocket): void => {
    let inFlight = 0;
    const send = (text: string): void => {
      if (ws.readyState === ws.OPEN) ws.send(text);
    };
    const answer = (a: WireAnswer): void => {
      let text: string;
      const problem = jsonProblem(a);
      if (problem === null) text = JSON.stringify(a);
      else {
        log(`an answer could not be sent as JSON: ${problem}`);
        text = JSON.stringify({ id: a.id, ok: false, error: { code: 'internal', message: `the answer cannot be sent: ${problem}` } } satisfies WireAnswer);
      }
      send(text);
    };
    const unsubscribe = options.host.subscribe((event, payload) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > STUCK_CLIENT_BYTES) {
        ws.close(1008, 'the client does not keep up');
        return;
      }
      if (ws.bufferedAmount > SLOW_CLIENT_BYTES && DROPPABLE.has(event)) return;
      send(JSON.stringify({ event, payload }));
    });
    ws.on('close', () => unsubscribe());
    ws.on('error', (e) => log(`WebSocket error: ${e.message}`));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        answer({ id: null, ok: false, error: badRequest('binary messages are not understood; send JSON text') });
        return;
      }
      let msg: unknown;
      try {
        msg = JSON.parse((Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8'));
      } catch {
        answer({ id: null, ok: false, error: badRequest('the message is not JSON') });
        return;
      }
      if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
        answer({ id: null, ok: false, error: badRequest('a request is an object {id, name, params}') });
        return;
      }
      const m = msg as Record<string, unknown>;
      const idOk = (typeof m.id === 'number' && Number.isFinite(m.id)) || (typeof m.id === 'string' && m.id.length <= MAX_ID_LENGTH);
      const id = idOk ? (m.id as number | string) : null;
      if (!idOk) {
        answer({ id: null, ok: false, error: badRequest('a request needs an id: a number, or a string of at most 128 characters') });
        return;
      }
      if (typeof m.name !== 'string') {
        answer({ id, ok: false, error: badRequest('a request needs a name: a string') });
        return;
      }
      if (inFlight >= MAX_IN_FLIGHT) {
        answer({ id, ok: false, error: { code: 'refused', message: `too many requests under way (at most ${MAX_IN_FLIGHT}); wait for answers` } });
        return;
      }
      inFlight++;
      options.host
        .handle(m.name, m.params)
        .then(
          (a) => answer({ id, ...a }),
          (e: unknown) => answer({ id, ok: false, error: { code: 'internal', message: `internal error: ${e instanceof Error ? e.message : String(e)}` } }),
        )
        .finally(() => inFlight--);
    });
  };

  return {
    clients: () => wss.clients.size,
    close: () => {
      server.off('upgrade', onUpgrade);
      for (const c of wss.clients) c.close(1001, 'the server is stopping');
      wss.close();
    },
  };
}
