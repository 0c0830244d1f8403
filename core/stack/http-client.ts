// `curl` as a guest's shell runs it: the URL, name resolution, an HTTP/1.1 request over the machine's TCP, and curl 7.88.1's output and exit codes.
import { formatIpv4, parseIpv4, type Ipv4Addr } from '../wire/address';
import { asciiDecode, asciiEncode, utf8Decode } from '../wire/text';
import { CLOSE_REASON_TEXT, type TcpCloseReason, type TcpLayer, type TcpSocket } from './tcp';

export const CURL_VERSION = '7.88.1';

export type ResolveOutcome = { ok: true; addresses: readonly Ipv4Addr[] } | { ok: false };
/** Name resolution as the machine does it (/etc/hosts, then DNS); it may answer later on the virtual clock. */
export type Resolver = (name: string, done: (outcome: ResolveOutcome) => void) => void;

export interface CurlEnv {
  readonly tcp: TcpLayer;
  readonly resolve: Resolver;
}

export interface CurlOutputChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface CurlResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Both streams in the order curl wrote them (verbose lines interleave with the body). */
  chunks: CurlOutputChunk[];
  /** What `-o FILE` wrote, for the shell to store (absent for /dev/null). */
  file?: { path: string; bytes: Uint8Array };
}

export interface CurlRun {
  /** Ctrl-C: abandons the transfer without calling `done`. */
  cancel(): void;
}

interface Options {
  silent: boolean;
  showError: boolean;
  head: boolean;
  include: boolean;
  verbose: boolean;
  fail: boolean;
  location: boolean;
  output: string | null;
  writeOut: string | null;
  maxTimeUs: number;
  connectTimeoutUs: number;
  userAgent: string;
  method: string | null;
  headers: [string, string][];
  urls: string[];
}

const TRY_HELP = "curl: try 'curl --help' or 'curl --manual' for more information\n";
/** curl's default connect timeout (DEFAULT_CONNECT_TIMEOUT). */
const DEFAULT_CONNECT_TIMEOUT_US = 300_000_000;
const MAX_REDIRECTS = 50;

type ArgResult = { ok: true; options: Options } | { ok: false; message: string; code: number };

const FLAGS: Record<string, keyof Options> = {
  s: 'silent',
  silent: 'silent',
  S: 'showError',
  'show-error': 'showError',
  I: 'head',
  head: 'head',
  i: 'include',
  include: 'include',
  v: 'verbose',
  verbose: 'verbose',
  f: 'fail',
  fail: 'fail',
  L: 'location',
  location: 'location',
};
const WITH_ARG: Record<string, string> = {
  o: 'output',
  output: 'output',
  w: 'write-out',
  'write-out': 'write-out',
  m: 'max-time',
  'max-time': 'max-time',
  'connect-timeout': 'connect-timeout',
  A: 'user-agent',
  'user-agent': 'user-agent',
  X: 'request',
  request: 'request',
  H: 'header',
  header: 'header',
};

function parseSeconds(v: string): number | null {
  return /^\d+(\.\d+)?$/.test(v) ? Math.round(Number(v) * 1_000_000) : null;
}

/** Parses curl's command line (without the word "curl"). */
export function parseCurlArgs(argv: readonly string[]): ArgResult {
  const o: Options = {
    silent: false,
    showError: false,
    head: false,
    include: false,
    verbose: false,
    fail: false,
    location: false,
    output: null,
    writeOut: null,
    maxTimeUs: 0,
    connectTimeoutUs: 0,
    userAgent: `curl/${CURL_VERSION}`,
    method: null,
    headers: [],
    urls: [],
  };
  const bad = (message: string): ArgResult => ({ ok: false, message: `curl: ${message}\n${TRY_HELP}`, code: 2 });
  const take = (name: string, value: string): ArgResult | null => {
    switch (name) {
      case 'output':
        o.output = value;
        break;
      case 'write-out':
        o.writeOut = value;
        break;
      case 'max-time':
      case 'connect-timeout': {
        const us = parseSeconds(value);
        if (us === null) return bad(`option --${name}: expected a proper numerical parameter`);
        if (name === 'max-time') o.maxTimeUs = us;
        else o.connectTimeoutUs = us;
        break;
      }
      case 'user-agent':
        o.userAgent = value;
        break;
      case 'request':
        o.method = value;
        break;
      case 'header': {
        const c = value.indexOf(':');
        if (c > 0) o.headers.push([value.slice(0, c).trim(), value.slice(c + 1).trim()]);
        break;
      }
    }
    return null;
  };
  let onlyUrls = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (onlyUrls || !a.startsWith('-') || a === '-') {
      o.urls.push(a);
      continue;
    }
    if (a === '--') {
      onlyUrls = true;
      continue;
    }
    if (a.startsWith('--')) {
      const name = a.slice(2);
      const flag = FLAGS[name];
      if (flag) {
        (o[flag] as boolean) = true;
        continue;
      }
      const withArg = WITH_ARG[name];
      if (!withArg) return bad(`option ${a}: is unknown`);
      if (i + 1 >= argv.length) return bad(`option ${a}: requires parameter`);
      const err = take(withArg, argv[++i]);
      if (err) return err;
      continue;
    }
    // A cluster of short options: -sSL, -so FILE, -ofile.
    for (let k = 1; k < a.length; k++) {
      const ch = a[k];
      const flag = FLAGS[ch];
      if (flag) {
        (o[flag] as boolean) = true;
        continue;
      }
      const withArg = WITH_ARG[ch];
      if (!withArg) return bad(`option -${ch}: is unknown`);
      let value = a.slice(k + 1);
      if (value === '') {
        if (i + 1 >= argv.length) return bad(`option -${ch}: requires parameter`);
        value = argv[++i];
      }
      const err = take(withArg, value);
      if (err) return err;
      break;
    }
  }
  if (o.urls.length === 0) return bad('no URL specified!');
  return { ok: true, options: o };
}

export interface ParsedUrl {
  scheme: string;
  host: string;
  port: number;
  /** Path and query, as sent in the request line. */
  path: string;
}

type UrlResult = { ok: true; url: ParsedUrl } | { ok: false; code: number; message: string };

const BAD_URL: UrlResult = { ok: false, code: 3, message: 'URL using bad/illegal format or missing URL' };

/** Parses a URL as curl does; without a scheme it guesses http. */
export function parseCurlUrl(text: string): UrlResult {
  let rest = text.trim();
  let scheme = 'http';
  const sm = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(rest);
  if (sm) {
    scheme = sm[1].toLowerCase();
    rest = rest.slice(sm[0].length);
  }
  if (scheme !== 'http' && scheme !== 'https') return { ok: false, code: 1, message: `Protocol "${scheme}" not supported or disabled in libcurl` };
  const cut = rest.search(/[/?#]/);
  let authority = cut < 0 ? rest : rest.slice(0, cut);
  let path = cut < 0 ? '/' : rest.slice(cut);
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  const hash = path.indexOf('#');
  if (hash >= 0) path = path.slice(0, hash);
  if (path.startsWith('?')) path = `/${path}`;
  if (path === '') path = '/';
  const hm = /^([A-Za-z0-9._~%!$&'()*+,;=-]+)(?::(\d*))?$/.exec(authority);
  if (!hm || /\s/.test(path)) return BAD_URL;
  const port = hm[2] === undefined || hm[2] === '' ? (scheme === 'https' ? 443 : 80) : Number(hm[2]);
  if (port > 65535) return BAD_URL;
  return { ok: true, url: { scheme, host: hm[1].toLowerCase(), port, path } };
}

export interface Response {
  status: number;
  headText: string;
  headers: Map<string, string>;
}

/** What one transfer learned, for -w and for messages. */
interface TransferInfo {
  status: number;
  addr: Ipv4Addr;
  size: number;
  expected: number;
  contentType: string;
}

type Phase = 'resolving' | 'connecting' | 'transfer' | 'done';

/** One run of curl: each URL in turn, following redirects with -L. */
class CurlProcess {
  private readonly chunks: CurlOutputChunk[] = [];
  private readonly clock;
  private exitCode = 0;
  private socket: TcpSocket | null = null;
  private timers: number[] = [];
  private cancelled = false;
  private fileBytes: Uint8Array[] = [];
  /** Body bytes not yet decoded, so a character split across segments stays whole. */
  private stdoutBytes: Uint8Array[] = [];
  private connectionNo = 0;

  constructor(
    private readonly o: Options,
    private readonly env: CurlEnv,
    private readonly done: (r: CurlResult) => void,
  ) {
    this.clock = env.tcp.clock;
  }

  private flushBody(): void {
    if (this.stdoutBytes.length === 0) return;
    const text = utf8Decode(concat(this.stdoutBytes));
    this.stdoutBytes = [];
    if (text !== '') this.chunks.push({ stream: 'stdout', text });
  }
  private out(text: string): void {
    this.flushBody();
    if (text !== '') this.chunks.push({ stream: 'stdout', text });
  }
  private err(text: string): void {
    this.flushBody();
    if (text !== '') this.chunks.push({ stream: 'stderr', text });
  }
  private verbose(line: string): void {
    if (this.o.verbose) this.err(`${line}\n`);
  }
  private error(code: number, message: string): void {
    this.exitCode = code;
    if (!this.o.silent || this.o.showError) this.err(`curl: (${code}) ${message}\n`);
  }

  private body(bytes: Uint8Array): void {
    if (this.o.output === null) this.stdoutBytes.push(bytes.slice());
    else if (this.o.output !== '/dev/null') this.fileBytes.push(bytes.slice());
  }

  private headerText(text: string): void {
    if (this.o.output === null) this.out(text);
    else if (this.o.output !== '/dev/null') this.fileBytes.push(asciiEncode(text));
  }

  cancel(): void {
    this.cancelled = true;
    this.clearTimers();
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onClose = null;
      s.abort();
    }
  }

  private clearTimers(): void {
    for (const t of this.timers) this.clock.cancel(t);
    this.timers = [];
  }

  run(index: number): void {
    if (this.cancelled) return;
    if (index >= this.o.urls.length) {
      this.finishAll();
      return;
    }
    this.fetch(this.o.urls[index], 0, () => this.run(index + 1));
  }

  private finishAll(): void {
    this.flushBody();
    const r: CurlResult = {
      exitCode: this.exitCode,
      stdout: this.chunks.filter((c) => c.stream === 'stdout').map((c) => c.text).join(''),
      stderr: this.chunks.filter((c) => c.stream === 'stderr').map((c) => c.text).join(''),
      chunks: this.chunks,
    };
    if (this.o.output !== null && this.o.output !== '/dev/null') r.file = { path: this.o.output, bytes: concat(this.fileBytes) };
    this.done(r);
  }

  private fetch(urlText: string, redirects: number, next: () => void): void {
    const pu = parseCurlUrl(urlText);
    if (!pu.ok) {
      this.error(pu.code, pu.message);
      next();
      return;
    }
    const url = pu.url;
    const start = this.clock.now;
    const connNo = this.connectionNo++;
    const info: TransferInfo = { status: 0, addr: 0, size: 0, expected: -1, contentType: '' };
    let phase: Phase = 'resolving';
    const elapsedMs = (): number => Math.floor((this.clock.now - start) / 1000);

    /** Ends this transfer: closes the socket as curl's exit would, reports, and moves on to `then`. */
    const finish = (code: number, message: string | null, then: () => void = next): void => {
      if (phase === 'done' || this.cancelled) return;
      phase = 'done';
      this.clearTimers();
      const s = this.socket;
      this.socket = null;
      if (s) {
        s.onData = null;
        s.onEnd = null;
        s.onClose = null;
        if (s.state === 'SYN-SENT') s.abort();
        else s.end();
      }
      if (message !== null) this.verbose(`* ${message}`);
      this.verbose(`* Closing connection ${connNo}`);
      if (code !== 0 && message !== null) this.error(code, message);
      else this.exitCode = code;
      if (then === next && this.o.writeOut !== null) this.out(writeOut(this.o.writeOut, url, info));
      then();
    };

    const limit = (us: number, connectOnly: boolean): void => {
      if (us <= 0) return;
      const fire = (): void => {
        if (connectOnly && phase === 'transfer') return;
        const t = elapsedMs();
        if (phase === 'resolving') finish(28, `Resolving timed out after ${t} milliseconds`);
        else if (phase === 'connecting') finish(28, `Connection timed out after ${t} milliseconds`);
        else if (info.expected >= 0) finish(28, `Operation timed out after ${t} milliseconds with ${info.size} out of ${info.expected} bytes received`);
        else finish(28, `Operation timed out after ${t} milliseconds with ${info.size} bytes received`);
      };
      this.timers.push(this.clock.timer(us, fire, undefined));
    };
    limit(this.o.maxTimeUs, false);
    const connectLimit = this.o.connectTimeoutUs || DEFAULT_CONNECT_TIMEOUT_US;
    limit(this.o.maxTimeUs > 0 ? Math.min(connectLimit, this.o.maxTimeUs) : connectLimit, true);

    const onRedirect = (location: string): boolean => {
      if (!this.o.location) return false;
      if (redirects >= MAX_REDIRECTS) {
        finish(47, `Maximum (${MAX_REDIRECTS}) redirects followed`);
        return true;
      }
      const target = resolveLocation(url, location);
      this.verbose(`* Issue another request to this URL: '${target}'`);
      finish(0, null, () => this.fetch(target, redirects + 1, next));
      return true;
    };

    const tryAddress = (addrs: readonly Ipv4Addr[], i: number): void => {
      const addr = addrs[i];
      this.verbose(`*   Trying ${formatIpv4(addr)}:${url.port}...`);
      const s = this.env.tcp.connect(addr, url.port);
      this.socket = s;
      s.onConnect = () => {
        this.verbose(`* Connected to ${url.host} (${formatIpv4(addr)}) port ${url.port} (#${connNo})`);
        phase = 'transfer';
        info.addr = addr;
        this.transfer(url, s, info, connNo, finish, onRedirect);
      };
      s.onClose = (reason: TcpCloseReason) => {
        if (this.socket !== s) return;
        this.socket = null;
        this.verbose(`* connect to ${formatIpv4(addr)} port ${url.port} failed: ${CLOSE_REASON_TEXT[reason]}`);
        if (i + 1 < addrs.length) tryAddress(addrs, i + 1);
        // curl 7.88 prints the CURLcode's text, and exits 28 rather than 7 when errno was ETIMEDOUT.
        else finish(reason === 'timeout' ? 28 : 7, `Failed to connect to ${url.host} port ${url.port} after ${elapsedMs()} ms: Couldn't connect to server`);
      };
    };
    const withAddresses = (addrs: readonly Ipv4Addr[]): void => {
      phase = 'connecting';
      tryAddress(addrs, 0);
    };

    const literal = parseIpv4(url.host);
    if (literal !== null) withAddresses([literal]);
    else if (url.host === 'localhost') withAddresses([0x7f000001]); // curl resolves localhost itself since 7.78
    else
      this.env.resolve(url.host, (r) => {
        if (phase !== 'resolving' || this.cancelled) return;
        if (!r.ok || r.addresses.length === 0) finish(6, `Could not resolve host: ${url.host}`);
        else withAddresses(r.addresses);
      });
  }

  private transfer(
    url: ParsedUrl,
    s: TcpSocket,
    info: TransferInfo,
    connNo: number,
    finish: (code: number, message: string | null) => void,
    onRedirect: (location: string) => boolean,
  ): void {
    if (url.scheme === 'https') {
      // The lab has no TLS; this is what curl says when the far end does not speak it.
      finish(35, 'OpenSSL/3.0.11: error:0A00010B:SSL routines::wrong version number');
      return;
    }
    const method = this.o.method ?? (this.o.head ? 'HEAD' : 'GET');
    const headers: [string, string][] = [
      ['Host', url.port === 80 ? url.host : `${url.host}:${url.port}`],
      ['User-Agent', this.o.userAgent],
      ['Accept', '*/*'],
    ];
    for (const [k, v] of this.o.headers) {
      const idx = headers.findIndex(([hk]) => hk.toLowerCase() === k.toLowerCase());
      if (idx >= 0) {
        if (v === '') headers.splice(idx, 1);
        else headers[idx] = [k, v];
      } else if (v !== '') headers.push([k, v]);
    }
    const lines = [`${method} ${url.path} HTTP/1.1`, ...headers.map(([k, v]) => `${k}: ${v}`)];
    for (const l of lines) this.verbose(`> ${l}`);
    this.verbose('> ');
    s.write(asciiEncode(lines.join('\r\n') + '\r\n\r\n'));

    let buf: Uint8Array = new Uint8Array(0);
    let resp: Response | null = null;
    let received = 0;
    let chunked = false;
    let chunks: ChunkState = { remaining: -1, done: false, pending: new Uint8Array(0) };

    const complete = (): void => {
      if (!resp) return;
      if ((resp.headers.get('connection') ?? '').toLowerCase() !== 'close') this.verbose(`* Connection #${connNo} to host ${url.host} left intact`);
      const loc = resp.status >= 300 && resp.status < 400 ? resp.headers.get('location') : undefined;
      if (loc !== undefined && onRedirect(loc)) return;
      finish(0, null);
    };
    const onBody = (bytes: Uint8Array): void => {
      if (bytes.length === 0) return;
      info.size += bytes.length;
      this.body(bytes);
    };
    const consume = (): void => {
      while (!resp) {
        const end = headEnd(buf);
        if (end < 0) {
          if (buf.length >= 5 && asciiDecode(buf, 0, 5) !== 'HTTP/') finish(1, 'Received HTTP/0.9 when not allowed');
          return;
        }
        const headText = asciiDecode(buf, 0, end);
        const parsed = parseResponseHead(headText);
        if (!parsed) {
          finish(8, 'Weird server reply');
          return;
        }
        buf = buf.subarray(end);
        if (parsed.status >= 100 && parsed.status < 200) continue; // 100 Continue and friends
        resp = parsed;
        info.status = parsed.status;
        info.contentType = parsed.headers.get('content-type') ?? '';
        for (const l of headText.split(/\r?\n/).slice(0, -2)) this.verbose(`< ${l}`);
        this.verbose('< ');
        if (this.o.fail && parsed.status >= 400) {
          finish(22, `The requested URL returned error: ${parsed.status}`);
          return;
        }
        if (this.o.head || this.o.include) this.headerText(headText);
        if (method === 'HEAD' || parsed.status === 204 || parsed.status === 304) {
          complete();
          return;
        }
        chunked = (parsed.headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked');
        const cl = parsed.headers.get('content-length');
        info.expected = !chunked && cl !== undefined && /^\d+$/.test(cl) ? Number(cl) : -1;
      }
      if (chunked) {
        const r = dechunk(chunks, buf);
        buf = new Uint8Array(0);
        if (r.error) {
          finish(56, 'Illegal or missing hexadecimal sequence in chunked-encoding');
          return;
        }
        chunks = r.state;
        onBody(r.data);
        if (chunks.done) complete();
        return;
      }
      if (info.expected >= 0) {
        onBody(buf.subarray(0, Math.min(info.expected - info.size, buf.length)));
        buf = new Uint8Array(0);
        if (info.size >= info.expected) complete();
        return;
      }
      onBody(buf);
      buf = new Uint8Array(0);
    };

    s.onData = (bytes) => {
      received += bytes.length;
      buf = concat([buf, bytes]);
      consume();
    };
    s.onEnd = () => {
      if (received === 0) finish(52, 'Empty reply from server');
      else if (!resp) finish(8, 'Weird server reply');
      else if (chunked) finish(18, 'transfer closed with outstanding read data remaining');
      else if (info.expected >= 0 && info.size < info.expected) finish(18, `transfer closed with ${info.expected - info.size} bytes remaining to read`);
      else complete();
    };
    s.onClose = (reason) => {
      if (reason !== 'fin') finish(56, `Recv failure: ${CLOSE_REASON_TEXT[reason]}`);
    };
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let off = 0;
  for (const b of parts) {
    out.set(b, off);
    off += b.length;
  }
  return out;
}

export function parseResponseHead(text: string): Response | null {
  const lines = text.split(/\r?\n/);
  const m = /^HTTP\/\d(?:\.\d)? (\d{3})(?: .*)?$/.exec(lines[0]);
  if (!m) return null;
  const headers = new Map<string, string>();
  for (const l of lines.slice(1)) {
    const c = l.indexOf(':');
    if (c <= 0) continue;
    headers.set(l.slice(0, c).trim().toLowerCase(), l.slice(c + 1).trim());
  }
  return { status: Number(m[1]), headText: text, headers };
}

function headEnd(b: Uint8Array): number {
  for (let i = 0; i + 1 < b.length; i++) {
    if (b[i] !== 10) continue;
    if (b[i + 1] === 10) return i + 2;
    if (b[i + 1] === 13 && b[i + 2] === 10) return i + 3;
  }
  return -1;
}

export interface ChunkState {
  /** Bytes left in the current chunk, or -1 while reading a size line. */
  remaining: number;
  done: boolean;
  /** Unconsumed bytes carried to the next call (an incomplete size line or CRLF). */
  pending: Uint8Array;
}

/** Decodes HTTP/1.1 chunked transfer coding incrementally (trailers are skipped). */
export function dechunk(state: ChunkState, input: Uint8Array): { state: ChunkState; data: Uint8Array; error: boolean } {
  if (state.done) return { state, data: new Uint8Array(0), error: false };
  const b = new Uint8Array(state.pending.length + input.length);
  b.set(state.pending);
  b.set(input, state.pending.length);
  const out: number[] = [];
  let i = 0;
  let remaining = state.remaining;
  while (i < b.length) {
    if (remaining > 0) {
      const n = Math.min(remaining, b.length - i);
      for (let k = 0; k < n; k++) out.push(b[i + k]);
      i += n;
      remaining -= n;
      if (remaining === 0) remaining = -2; // expect CRLF
      continue;
    }
    const nl = b.indexOf(10, i);
    if (nl < 0) break;
    const line = asciiDecode(b, i, nl).replace(/\r$/, '');
    i = nl + 1;
    if (remaining === -2) {
      if (line !== '') return { state, data: new Uint8Array(0), error: true };
      remaining = -1;
      continue;
    }
    if (remaining === -3) {
      // Trailer section: ends at an empty line.
      if (line === '') return { state: { remaining: 0, done: true, pending: new Uint8Array(0) }, data: Uint8Array.from(out), error: false };
      continue;
    }
    const size = /^([0-9a-fA-F]+)(;.*)?$/.exec(line);
    if (!size) return { state, data: new Uint8Array(0), error: true };
    remaining = parseInt(size[1], 16);
    if (remaining === 0) remaining = -3;
  }
  return { state: { remaining, done: false, pending: b.slice(i) }, data: Uint8Array.from(out), error: false };
}

function resolveLocation(base: ParsedUrl, location: string): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(location)) return location;
  const origin = `${base.scheme}://${base.host}${base.port === (base.scheme === 'https' ? 443 : 80) ? '' : `:${base.port}`}`;
  if (location.startsWith('//')) return `${base.scheme}:${location}`;
  if (location.startsWith('/')) return origin + location;
  const dir = base.path.replace(/[?#].*$/, '').replace(/[^/]*$/, '');
  return origin + dir + location;
}

/** curl's -w: the variables labs use, and the backslash escapes. */
function writeOut(fmt: string, url: ParsedUrl, info: TransferInfo): string {
  const code = String(info.status).padStart(3, '0');
  const vars: Record<string, string> = {
    http_code: code,
    response_code: code,
    remote_ip: info.addr === 0 ? '' : formatIpv4(info.addr),
    remote_port: info.addr === 0 ? '' : String(url.port),
    size_download: String(info.size),
    content_type: info.contentType,
    url_effective: `${url.scheme}://${url.host}${url.port === (url.scheme === 'https' ? 443 : 80) ? '' : `:${url.port}`}${url.path}`,
  };
  return fmt
    .replace(/%\{([a-z_]+)\}/g, (whole, name: string) => vars[name] ?? whole)
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/\\r/g, '\r');
}

/**
 * Runs curl with `argv` (the words after "curl") on the machine whose TCP and resolver `env` holds, and calls
 * `done` with what curl printed and its exit code once the transfer is over on the virtual clock.
 */
export function curl(argv: readonly string[], env: CurlEnv, done: (r: CurlResult) => void): CurlRun {
  const parsed = parseCurlArgs(argv);
  if (!parsed.ok) {
    const r: CurlResult = { exitCode: parsed.code, stdout: '', stderr: parsed.message, chunks: [{ stream: 'stderr', text: parsed.message }] };
    env.tcp.clock.timer(0, done, r);
    return { cancel: () => {} };
  }
  const p = new CurlProcess(parsed.options, env, done);
  p.run(0);
  return { cancel: () => p.cancel() };
}
