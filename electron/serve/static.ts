// Serves the built renderer (dist/renderer) to the browser, or a page saying how to build it; nothing outside that directory.
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve, sep } from 'node:path';
import { contentTypeOf } from '../mime-types';


export const PLACEHOLDER_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>VM Net Lab</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
<h1>VM Net Lab</h1>
<p>The lab is running, but its window has not been built yet.</p>
<p>Build it with <code>npm run build</code> (or <code>node tools/build.mjs</code>) in the VM Net Lab folder,
then stop this server (Ctrl-C) and start <code>vmnetlab serve</code> again.</p>
</body>
</html>
`;

/** Headers every answer carries: what the page may load and connect to, and that it is never framed or sniffed. */
export function securityHeaders(origin: string): Record<string, string> {
  const ws = origin.replace(/^http/, 'ws');
  return {
    'Content-Security-Policy': `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ${ws}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** The file under `root` a request path names, or null when it would leave `root` or is not a path at all. */
export function fileFor(root: string, urlPath: string): string | null {
  let p: string;
  try {
    p = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (p.includes('\0')) return null;
  if (p === '/' || p === '') p = '/index.html';
  const base = resolve(root);
  const full = resolve(join(base, p));
  return full === base || full.startsWith(base + sep) ? full : null;
}

/** Answers a GET or HEAD for the renderer's files. */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const head = req.method === 'HEAD';
  const send = (status: number, type: string, body: string): void => {
    res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
    res.end(head ? undefined : body);
  };
  const file = fileFor(root, url.pathname);
  if (file === null) {
    send(400, 'text/plain; charset=utf-8', 'bad path\n');
    return;
  }
  const built = existsSync(join(root, 'index.html'));
  if (!built && (url.pathname === '/' || url.pathname === '/index.html')) {
    send(200, 'text/html; charset=utf-8', PLACEHOLDER_HTML);
    return;
  }
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a file');
    res.writeHead(200, {
      ...headers,
      'Content-Type': contentTypeOf(file),
      'Content-Length': s.size,
      // Vite names what it puts in assets/ by content hash; everything else must be fetched afresh.
      'Cache-Control': url.pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (head) {
      res.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  } catch {
    send(404, 'text/plain; charset=utf-8', 'not found\n');
  }
}
