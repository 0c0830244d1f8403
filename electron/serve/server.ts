// Browser mode's server: the renderer's files and the lab's WebSocket on 127.0.0.1 only, behind a token made at each start.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostEndpoint } from '../../core/api/contract';
import { attachWebSocket } from '../transport/ws-server';
import { securityHeaders, serveStatic } from './static';

/** Loopback only: the lab is a local tool, and the token is no substitute for not being on the network. */
export const SERVE_ADDRESS = '127.0.0.1';

export interface ServeOptions {
  host: HostEndpoint;
  /** 0: any free port. */
  port?: number;
  /** The built renderer (dist/renderer); a page saying how to build it is served when it is missing. */
  rendererDir: string;
  log?: (message: string) => void;
  /** Tests only: a known token. */
  token?: string;
}

export interface Served {
  port: number;
  /** `http://127.0.0.1:PORT`, the only origin the WebSocket accepts. */
  origin: string;
  token: string;
  /** What to open in a browser: the origin with the token in the fragment (never sent over the network). */
  url: string;
  /** Connections open now. */
  clients(): number;
  close(): Promise<void>;
}

export function makeToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function startServer(options: ServeOptions): Promise<Served> {
  const token = options.token ?? makeToken();
  const log = options.log ?? (() => undefined);
  let port = 0;
  const origin = (): string => `http://${SERVE_ADDRESS}:${port}`;
  const hostHeader = (): string => `${SERVE_ADDRESS}:${port}`;

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const headers = securityHeaders(origin());
    const host = req.headers.host ?? '';
    if (host === `localhost:${port}`) {
      // The WebSocket accepts only the 127.0.0.1 origin: send the browser there (it keeps the #token fragment).
      res.writeHead(307, { ...headers, Location: `${origin()}${req.url ?? '/'}`, 'Content-Length': 0 });
      res.end();
      return;
    }
    if (host !== hostHeader()) {
      res.writeHead(403, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('this server answers only at its own address\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('only GET and HEAD\n');
      return;
    }
    serveStatic(options.rendererDir, req, res, headers).catch((e: unknown) => {
      log(`serving ${req.url ?? ''} failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };

  const server = createServer(onRequest);
  server.on('clientError', (_e, socket) => socket.destroy());
  const ws = attachWebSocket(server, { host: options.host, token, origin, hosts: () => [hostHeader()], log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: SERVE_ADDRESS, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: origin(),
    token,
    url: `${origin()}/#token=${token}`,
    clients: ws.clients,
    close: () =>
      new Promise<void>((resolve) => {
        ws.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
