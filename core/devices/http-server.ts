// A small HTTP/1.1 web server on a machine's TCP: GET and HEAD of configured pages, Apache's error pages, one request per connection.
import { formatIpv4 } from '../wire/address';
import { asciiDecode, asciiEncode, utf8Encode } from '../wire/text';
import type { TcpLayer, TcpListener, TcpSocket } from '../stack/tcp';

export interface HttpPage {
  /** Sent as Content-Type, e.g. "text/html; charset=UTF-8". */
  contentType: string;
  body: string | Uint8Array;
}

/** How the response headers are laid out: Apache httpd's order, or the Edgecast (ECS) CDN's that serves example.com. */
export type HttpServerStyle = 'apache' | 'ecs';

export interface HttpServerOptions {
  port?: number;
  /** The Server header. */
  serverHeader?: string;
  style?: HttpServerStyle;
  /** Pages by path; "/" is also served for "/index.html". */
  pages?: Readonly<Record<string, HttpPage>>;
  /** The body for a path that has no page; Apache's 404 page when absent. */
  notFound?: HttpPage;
  /** Milliseconds since the Unix epoch for the Date header; defaults to LAB_EPOCH_MS plus the virtual clock. */
  wallClockMs?: () => number;
  /** Apache's Timeout: a connection that sends no complete request in this time is closed. Microseconds. */
  idleTimeoutUs?: number;
}

/** The wall-clock time the virtual clock's zero stands for, unless the lab says otherwise (2024-01-01T00:00:00Z). */
export const LAB_EPOCH_MS = Date.UTC(2024, 0, 1, 0, 0, 0);

const MAX_REQUEST_HEAD = 16 * 1024;

const REASON: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  501: 'Not Implemented',
  505: 'HTTP Version Not Supported',
};

/** Apache 2.4's built-in error documents (ServerSignature Off, CentOS's default). */
function apacheError(status: number, detail: string): HttpPage {
  const title = `${status} ${REASON[status]}`;
  return {
    contentType: 'text/html; charset=iso-8859-1',
    body:
      '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n' +
      `<title>${title}</title>\n</head><body>\n<h1>${REASON[status]}</h1>\n<p>${detail}</p>\n</body></html>\n`,
  };
}

/** A guest's httpd with the page people put there to tell machines apart. */
export function apacheSite(machine: string, serverHeader = 'Apache/2.4.57 (CentOS)'): HttpServerOptions {
  return {
    serverHeader,
    style: 'apache',
    pages: { '/': { contentType: 'text/html; charset=UTF-8', body: `<h1>Welcome to ${machine}</h1>\n` } },
  };
}

const EXAMPLE_PAGE =
  '<!doctype html>\n<html>\n<head>\n    <title>Example Domain</title>\n\n    <meta charset="utf-8" />\n' +
  '    <meta http-equiv="Content-type" content="text/html; charset=utf-8" />\n' +
  '    <meta name="viewport" content="width=device-width, initial-scale=1" />\n</head>\n\n<body>\n<div>\n' +
  '    <h1>Example Domain</h1>\n    <p>This domain is for use in illustrative examples in documents. You may use this\n' +
  '    domain in literature without prior coordination or asking for permission.</p>\n' +
  '    <p><a href="https://www.iana.org/domains/example">More information...</a></p>\n</div>\n</body>\n</html>\n';

/** www.example.com as its CDN serves it (the page without its style sheet); unknown paths get the same page with 404. */
export function exampleDotCom(): HttpServerOptions {
  const page: HttpPage = { contentType: 'text/html; charset=UTF-8', body: EXAMPLE_PAGE };
  return { serverHeader: 'ECS (nyd/D13E)', style: 'ecs', pages: { '/': page }, notFound: page };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** RFC 9110's IMF-fixdate: "Mon, 01 Jan 2024 00:00:00 GMT". */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Apache's access-log time: "01/Jan/2024:00:00:00 +0000". */
function logDate(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

interface Request {
  method: string;
  target: string;
  version: string;
  headers: Map<string, string>;
}

type ParsedHead = { ok: true; request: Request } | { ok: false; status: number; method?: string };

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/** Parses a request head (the text before the blank line), answering which status a bad one earns. */
export function parseRequestHead(head: string): ParsedHead {
  const lines = head.split(/\r?\n/);
  const m = /^(\S+) (\S+) HTTP\/(\d)\.(\d)$/.exec(lines[0]);
  if (!m || !TOKEN.test(m[1])) return { ok: false, status: 400 };
  if (m[3] !== '1') return { ok: false, status: m[3] === '0' ? 400 : 505 };
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const c = line.indexOf(':');
    if (c <= 0 || !TOKEN.test(line.slice(0, c))) return { ok: false, status: 400 };
    const name = line.slice(0, c).toLowerCase();
    const value = line.slice(c + 1).trim();
    if (name === 'host' && headers.has('host')) return { ok: false, status: 400 };
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  const version = `HTTP/${m[3]}.${m[4]}`;
  // RFC 9112 3.2: an HTTP/1.1 request without exactly one Host is a 400.
  if (version === 'HTTP/1.1' && !headers.has('host')) return { ok: false, status: 400, method: m[1] };
  return { ok: true, request: { method: m[1], target: m[2], version, headers } };
}

function decodePath(target: string): string | null {
  let t = target;
  const abs = /^https?:\/\/[^/]*(\/.*)?$/i.exec(t);
  if (abs) t = abs[1] ?? '/';
  if (!t.startsWith('/')) return null;
  const q = t.search(/[?#]/);
  if (q >= 0) t = t.slice(0, q);
  try {
    return decodeURIComponent(t);
  } catch {
    return null;
  }
}

/** An HTTP server bound to a machine's TCP. */
export class HttpServer {
  /** Apache combined-format lines, newest last (the last 1,000). */
  readonly accessLog: string[] = [];
  requests = 0;
  readonly port: number;
  private listener: TcpListener | null = null;
  private readonly opts: HttpServerOptions;

  constructor(
    private readonly tcp: TcpLayer,
    opts: HttpServerOptions = {},
  ) {
    this.opts = opts;
    this.port = opts.port ?? 80;
  }

  get running(): boolean {
    return this.listener !== null;
  }

  /** Starts listening; false when the port is taken ("Address already in use"). */
  start(): boolean {
    if (this.listener) return true;
    this.listener = this.tcp.listen(this.port, (s) => this.accept(s), { backlog: 511 });
    return this.listener !== null;
  }

  stop(): void {
    this.listener?.close();
    this.listener = null;
  }

  private nowMs(): number {
    return this.opts.wallClockMs?.() ?? LAB_EPOCH_MS + Math.floor(this.tcp.clock.now / 1000);
  }

  private accept(s: TcpSocket): void {
    let buf = new Uint8Array(0);
    let done = false;
    const clock = this.tcp.clock;
    const idle = clock.timer(this.opts.idleTimeoutUs ?? 60_000_000, (sock: TcpSocket) => {
      if (!done) {
        done = true;
        sock.end();
      }
    }, s);
    s.onData = (bytes) => {
      if (done) return;
      const joined = new Uint8Array(buf.length + bytes.length);
      joined.set(buf);
      joined.set(bytes, buf.length);
      buf = joined;
      const end = headEnd(buf);
      if (end < 0) {
        if (buf.length > MAX_REQUEST_HEAD) {
          done = true;
          clock.cancel(idle);
          this.respond(s, null, 400, null);
        }
        return;
      }
      done = true;
      clock.cancel(idle);
      this.handle(s, asciiDecode(buf, 0, end));
    };
    s.onClose = () => clock.cancel(idle);
  }

  private handle(s: TcpSocket, head: string): void {
    const p = parseRequestHead(head);
    if (!p.ok) {
      this.respond(s, null, p.status, null, head.split(/\r?\n/)[0]);
      return;
    }
    const r = p.request;
    const line = `${r.method} ${r.target} ${r.version}`;
    if (r.method !== 'GET' && r.method !== 'HEAD') {
      if (KNOWN_METHODS.has(r.method))
        this.respond(s, r, 405, apacheError(405, `The requested method ${r.method} is not allowed for this URL.`), line, [['Allow', 'GET,HEAD']]);
      else this.respond(s, r, 501, apacheError(501, `${r.method} not supported for current URL.<br />\n`), line);
      return;
    }
    const path = decodePath(r.target);
    if (path === null) {
      this.respond(s, r, 400, null, line);
      return;
    }
    const pages = this.opts.pages ?? {};
    const page = pages[path] ?? (path === '/index.html' ? pages['/'] : undefined);
    if (page) this.respond(s, r, 200, page, line);
    else this.respond(s, r, 404, this.opts.notFound ?? apacheError(404, 'The requested URL was not found on this server.'), line);
  }

  private respond(s: TcpSocket, r: Request | null, status: number, page: HttpPage | null, line = '-', extra: [string, string][] = []): void {
    const pg =
      page ??
      (status === 505
        ? apacheError(505, 'The server does not support the HTTP protocol version used in the request.')
        : apacheError(400, 'Your browser sent a request that this server could not understand.<br />\n'));
    const body = typeof pg.body === 'string' ? utf8Encode(pg.body) : pg.body;
    const now = this.nowMs();
    const date = httpDate(now);
    const server = this.opts.serverHeader ?? 'Apache/2.4.57 (CentOS)';
    const h: [string, string][] = [];
    if (this.opts.style === 'ecs') {
      h.push(['Cache-Control', 'max-age=604800'], ['Content-Type', pg.contentType], ['Date', date], ['Etag', '"3147526947+ident"']);
      h.push(['Expires', httpDate(now + 604_800_000)], ['Last-Modified', 'Thu, 17 Oct 2019 07:18:26 GMT'], ['Server', server]);
      h.push(['Vary', 'Accept-Encoding'], ['X-Cache', 'HIT'], ...extra, ['Content-Length', String(body.length)], ['Connection', 'close']);
    } else {
      h.push(['Date', date], ['Server', server], ...extra);
      if (status === 200) h.push(['Accept-Ranges', 'bytes']);
      h.push(['Content-Length', String(body.length)], ['Connection', 'close'], ['Content-Type', pg.contentType]);
    }
    let text = `HTTP/1.1 ${status} ${REASON[status]}\r\n`;
    for (const [k, v] of h) text += `${k}: ${v}\r\n`;
    text += '\r\n';
    const headBytes = asciiEncode(text);
    const isHead = r?.method === 'HEAD';
    const out = new Uint8Array(headBytes.length + (isHead ? 0 : body.length));
    out.set(headBytes);
    if (!isHead) out.set(body, headBytes.length);
    s.write(out);
    s.end();
    this.requests++;
    const agent = r?.headers.get('user-agent') ?? '-';
    const referer = r?.headers.get('referer') ?? '-';
    const sent = isHead || body.length === 0 ? '-' : String(body.length);
    this.accessLog.push(`${formatIpv4(s.remoteIp)} - - [${logDate(now)}] "${line}" ${status} ${sent} "${referer}" "${agent}"`);
    if (this.accessLog.length > 1000) this.accessLog.shift();
  }
}

/** Offset just past the blank line ending a request head ("\r\n\r\n" or a bare "\n\n"), or -1. */
function headEnd(b: Uint8Array): number {
  for (let i = 0; i + 1 < b.length; i++) {
    if (b[i] !== 10) continue;
    if (b[i + 1] === 10) return i + 2;
    if (b[i + 1] === 13 && b[i + 2] === 10) return i + 3;
  }
  return -1;
}
