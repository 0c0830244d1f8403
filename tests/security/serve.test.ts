// vmnetlab serve's defences: loopback only, a token per start, the page's origin only, its own Host name, nothing outside the renderer.
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, connectAsPage, ROOT, type ServeProcess, startServe } from '../contract/serve-process';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  upgraded: boolean;
}

/** A raw HTTP request (an upgrade when `ws`), with full control of Host, Origin and the subprotocol. */
function raw(port: number, path: string, headers: Record<string, string>, options: { ws?: boolean; method?: string } = {}): Promise<Reply> {
  return new Promise((res, rej) => {
    const h: Record<string, string> = { ...headers };
    if (options.ws) Object.assign(h, { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' });
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: h, setHost: false });
    req.on('upgrade', (r, socket) => {
      socket.destroy();
      res({ status: r.statusCode ?? 0, headers: r.headers, body: '', upgraded: true });
    });
    req.on('response', (r) => {
      let body = '';
      r.on('data', (d: Buffer) => (body += d.toString('utf8')));
      r.on('end', () => res({ status: r.statusCode ?? 0, headers: r.headers, body, upgraded: false }));
    });
    req.on('error', rej);
    req.end();
  });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host, port, timeout: 2000 });
    s.once('connect', () => {
      s.destroy();
      res(true);
    });
    s.once('error', () => res(false));
    s.once('timeout', () => {
      s.destroy();
      res(false);
    });
  });
}

describe('vmnetlab serve', () => {
  let serve: ServeProcess;
  let page: Record<string, string>;
  const proto = (token: string): string => `vmnetlab.v1, vmnetlab.token.${token}`;

  beforeAll(async () => {
    await buildCli();
    serve = await startServe();
    page = { Host: `127.0.0.1:${serve.port}`, Origin: serve.origin };
  });

  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
  });

  it('prints an address on 127.0.0.1 with a long random token', () => {
    expect(serve.url).toBe(`http://127.0.0.1:${serve.port}/#token=${serve.token}`);
    expect(serve.token.length).toBeGreaterThanOrEqual(40);
  });

  it('accepts the page with its token, as a subprotocol or in the query', async () => {
    const ok = await raw(serve.port, '/ws', { ...page, 'Sec-WebSocket-Protocol': proto(serve.token) }, { ws: true });
    expect(ok).toMatchObject({ status: 101, upgraded: true });
    expect(ok.headers['sec-websocket-protocol']).toBe('vmnetlab.v1');
    expect(await raw(serve.port, `/ws?token=${serve.token}`, page, { ws: true })).toMatchObject({ status: 101, upgraded: true });
    const client = connectAsPage(serve);
    await client.ready;
    expect((await client.request('lab.get', {})).ok).toBe(true);
    client.close();
  });

  it('refuses a WebSocket without a token (401)', async () => {
    const r = await raw(serve.port, '/ws', { ...page, 'Sec-WebSocket-Protocol': 'vmnetlab.v1' }, { ws: true });
    expect(r).toMatchObject({ status: 401, upgraded: false });
    const client = connectAsPage(serve, '');
    await expect(client.ready).rejects.toThrow(/closed/);
  });

  it('refuses a wrong token (401), of the same length or not', async () => {
    const flipped = `${serve.token.slice(0, -1)}${serve.token.endsWith('A') ? 'B' : 'A'}`;
    for (const t of [flipped, 'x', `${serve.token}x`]) {
      expect(await raw(serve.port, '/ws', { ...page, 'Sec-WebSocket-Protocol': proto(t) }, { ws: true })).toMatchObject({ status: 401, upgraded: false });
      expect(await raw(serve.port, `/ws?token=${t}`, page, { ws: true })).toMatchObject({ status: 401, upgraded: false });
    }
    const client = connectAsPage(serve, flipped);
    await expect(client.ready).rejects.toThrow(/closed/);
    expect((await client.request('lab.get', {})).ok).toBe(false);
  });

  it('refuses another origin (403), even with the token', async () => {
    for (const origin of ['http://evil.example', `http://localhost:${serve.port}`, `https://127.0.0.1:${serve.port}`, 'null']) {
      const r = await raw(serve.port, '/ws', { ...page, Origin: origin, 'Sec-WebSocket-Protocol': proto(serve.token) }, { ws: true });
      expect(r, origin).toMatchObject({ status: 403, upgraded: false });
    }
    const { Origin: _none, ...noOrigin } = page;
    expect(await raw(serve.port, '/ws', { ...noOrigin, 'Sec-WebSocket-Protocol': proto(serve.token) }, { ws: true })).toMatchObject({ status: 403 });
    const client = connectAsPage(serve, serve.token, 'http://evil.example');
    await expect(client.ready).rejects.toThrow(/closed/);
  });

  it('refuses another Host name (DNS rebinding) for pages and WebSockets', async () => {
    const evil = { Host: `evil.example:${serve.port}`, Origin: `http://evil.example:${serve.port}` };
    expect((await raw(serve.port, '/', evil)).status).toBe(403);
    expect(await raw(serve.port, '/ws', { ...evil, 'Sec-WebSocket-Protocol': proto(serve.token) }, { ws: true })).toMatchObject({ status: 403, upgraded: false });
    expect(await raw(serve.port, '/ws', { Host: `evil.example:${serve.port}`, Origin: serve.origin, 'Sec-WebSocket-Protocol': proto(serve.token) }, { ws: true })).toMatchObject({ status: 403 });
    // localhost is sent to 127.0.0.1, the origin the WebSocket accepts.
    const moved = await raw(serve.port, '/index.html', { Host: `localhost:${serve.port}` });
    expect(moved.status).toBe(307);
    expect(moved.headers.location).toBe(`${serve.origin}/index.html`);
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(await canConnect('127.0.0.1', serve.port)).toBe(true);
    expect(await canConnect('::1', serve.port)).toBe(false);
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') expect(await canConnect(a.address, serve.port), a.address).toBe(false);
    }
    if (existsSync('/proc/net/tcp')) {
      const portHex = serve.port.toString(16).toUpperCase().padStart(4, '0');
      const listening = (file: string): string[] =>
        readFileSync(file, 'utf8')
          .split('\n')
          .slice(1)
          .map((l) => l.trim().split(/\s+/))
          .filter((f) => f.length > 3 && f[1].endsWith(`:${portHex}`) && f[3] === '0A')
          .map((f) => f[1]);
      expect(listening('/proc/net/tcp')).toEqual([`0100007F:${portHex}`]);
      if (existsSync('/proc/net/tcp6')) expect(listening('/proc/net/tcp6')).toEqual([]);
    }
  });

  it('serves the page with a strict policy, and nothing outside the renderer', async () => {
    const home = await raw(serve.port, '/', page);
    expect(home.status).toBe(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    expect(home.headers['content-security-policy']).toContain("default-src 'self'");
    expect(home.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${serve.port}`);
    expect(home.headers['x-content-type-options']).toBe('nosniff');
    if (!existsSync(resolve(ROOT, 'dist/renderer/index.html'))) expect(home.body).toMatch(/npm run build/);
    for (const path of ['/../package.json', '/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/%00', '/nothing-here.js']) {
      const r = await raw(serve.port, path, page);
      expect([400, 404], path).toContain(r.status);
      expect(r.body, path).not.toContain('"name": "vmnetlab"');
    }
    expect((await raw(serve.port, '/', page, { method: 'POST' })).status).toBe(405);
    expect((await raw(serve.port, '/elsewhere', page, { ws: true })).status).toBe(404);
  });

  it('makes a new token at each start', async () => {
    const second = await startServe();
    try {
      expect(second.token).not.toBe(serve.token);
      const stale = await raw(second.port, '/ws', { Host: `127.0.0.1:${second.port}`, Origin: second.origin, 'Sec-WebSocket-Protocol': proto(serve.token) }, { ws: true });
      expect(stale.status).toBe(401);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('--open is harmless where no browser can be opened', async () => {
    // No xdg-open, open or cmd on the PATH: the browser cannot start, the server still does.
    const s = await startServe(['--open', '--lab', resolve(ROOT, 'resources/labs/default.json')], { env: { ...process.env, PATH: '/nonexistent' } });
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
      const client = connectAsPage(s);
      await client.ready;
      expect((await client.request('clock.get', {})).ok).toBe(true);
      client.close();
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('exits 2 for bad usage or a bad lab file', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [resolve(ROOT, 'dist/cli.mjs'), 'serve', ...args], { encoding: 'utf8', timeout: 30_000 });
    expect(cli('--port', 'abc')).toMatchObject({ status: 2, stderr: expect.stringContaining('--port takes a port number') });
    expect(cli('--port', '70000').status).toBe(2);
    expect(cli('--lab', resolve(ROOT, 'nothing.json'))).toMatchObject({ status: 2, stderr: expect.stringContaining('nothing.json') });
    expect(cli('--bogus').status).toBe(2);
    expect(cli('--help')).toMatchObject({ status: 0, stdout: expect.stringMatching(/^Usage: vmnetlab serve/) });
  });
});
