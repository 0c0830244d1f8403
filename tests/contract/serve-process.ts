// Starts the built `vmnetlab serve` as a child process for tests, and connects to it the way the browser does.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import WebSocket from 'ws';
import { connectWebSocket, type SocketLike, WS_PATH, type WsLabClient } from '../../core/api/ws-client';

export const ROOT = resolve(import.meta.dirname, '../..');
const LOCK = resolve(ROOT, 'dist/.test-build.lock');

/** Builds dist/cli.mjs once for all the test files that need it at the same time (a lock file serialises them). */
export async function buildCli(): Promise<void> {
  mkdirSync(resolve(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      closeSync(openSync(LOCK, 'wx'));
      break;
    } catch {
      // Another file is building; a lock older than two minutes was left by a crash.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { force: true });
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error('waited too long for another build');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const fresh = (() => {
      try {
        return Date.now() - statSync(resolve(ROOT, 'dist/cli.mjs')).mtimeMs < 20_000;
      } catch {
        return false;
      }
    })();
    if (fresh) return;
    const r = spawnSync(process.execPath, ['tools/build.mjs', '--no-renderer'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  } finally {
    rmSync(LOCK, { force: true });
  }
}

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  port: number;
  token: string;
  origin: string;
  stderr: () => string;
  stop(): Promise<number | null>;
}

/** `node dist/cli.mjs serve --port 0 ARGS…`, once it has printed its address. */
export async function startServe(args: readonly string[] = ['--lab', resolve(ROOT, 'resources/labs/default.json')], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli.mjs'), 'serve', '--port', '0', ...args], { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    // Keep the end only: a fuzz run logs a lot.
    err = (err + d.toString('utf8')).slice(-20_000);
  });
  const found = await new Promise<RegExpExecArray>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`serve printed no address in time; stderr: ${err}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = /(http:\/\/127\.0\.0\.1:(\d+))\/#token=([A-Za-z0-9_-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`serve exited (${code}) before printing an address; stderr: ${err}`));
    });
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    url: found[0],
    origin: found[1],
    port: Number(found[2]),
    token: found[3],
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A client as the served page makes one: same origin, the token as a subprotocol. */
export function connectAsPage(s: { origin: string; port: number; token: string }, token = s.token, origin = s.origin): WsLabClient {
  return connectWebSocket(`ws://127.0.0.1:${s.port}${WS_PATH}`, token, {
    createSocket: (url, protocols) => new WebSocket(url, protocols, { origin }) as unknown as SocketLike,
  });
}
