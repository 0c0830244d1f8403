// HTTP/1.x as Wireshark shows one segment without reassembly: "GET / HTTP/1.1 ", "HTTP/1.1 200 OK  (text/html)", headers and body lines.
import type { DecodeNode } from '../../api/dto';
import { type Decode, escapeText, node } from './common';

/** Wireshark's default TCP ports for HTTP. */
export const HTTP_PORTS: ReadonlySet<number> = new Set([80, 1900, 2710, 2869, 3128, 3132, 5985, 8080, 8088, 11371]);

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH']);

const REASONS: Record<number, string> = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  206: 'Partial Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  411: 'Length Required',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
};

/** End of the line starting at `i` (the index of its LF, or `end`). */
function lineEnd(b: Uint8Array, i: number, end: number): number {
  while (i < end && b[i] !== 0x0a) i++;
  return i;
}

/** The line b[s..e) without its CR, as text. */
function lineText(b: Uint8Array, s: number, e: number): string {
  let stop = e;
  if (stop > s && b[stop - 1] === 0x0d) stop--;
  let t = '';
  for (let i = s; i < stop; i++) t += String.fromCharCode(b[i]);
  return t;
}

function startsWith(b: Uint8Array, s: number, end: number, text: string): boolean {
  if (end - s < text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[s + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** True when b[s..end) begins an HTTP request or response. */
export function isHttpStart(b: Uint8Array, s: number, end: number): boolean {
  return kindOf(b, s, end) !== null;
}

/** 'request', 'response', or null when the segment does not begin an HTTP message. */
function kindOf(b: Uint8Array, s: number, end: number): 'request' | 'response' | null {
  if (startsWith(b, s, end, 'HTTP/1.')) return 'response';
  let i = s;
  while (i < end && i - s < 8 && b[i] >= 0x41 && b[i] <= 0x5a) i++;
  if (i >= end || b[i] !== 0x20) return null;
  let m = '';
  for (let k = s; k < i; k++) m += String.fromCharCode(b[k]);
  return METHODS.has(m) ? 'request' : null;
}

/** Decodes the TCP payload b[off..end) on an HTTP port. */
export function decodeHttp(d: Decode, off: number, end: number): void {
  const b = d.buf;
  d.protocol = 'HTTP';
  const kind = kindOf(b, off, end);
  if (kind === null) return;
  const firstEnd = lineEnd(b, off, end);
  const first = lineText(b, off, firstEnd);
  // Header lines: look for Content-Type, Content-Length, Host, and the blank line.
  let contentType = '';
  let host = '';
  const children: DecodeNode[] = [];
  const tree = d.tree !== null;
  let i = firstEnd + 1;
  let bodyStart = -1;
  if (tree) children.push(firstLineNode(b, off, Math.min(firstEnd + 1, end), kind));
  while (i < end) {
    const e = lineEnd(b, i, end);
    const text = lineText(b, i, e);
    const stop = Math.min(e + 1, end);
    if (text === '') {
      if (tree) children.push(node(escapeText(b, i, stop), i, stop));
      bodyStart = stop;
      break;
    }
    const colon = text.indexOf(':');
    const name = colon > 0 ? text.slice(0, colon).toLowerCase() : '';
    const value = colon > 0 ? text.slice(colon + 1).trim() : '';
    if (name === 'content-type') contentType = value;
    if (name === 'host') host = value;
    if (tree) {
      const h = node(escapeText(b, i, stop), i, stop);
      if (name === 'content-length' && /^\d+$/.test(value)) h.children = [node(`[Content length: ${value}]`, i, stop)];
      children.push(h);
    }
    i = stop;
  }
  const bodyLength = bodyStart < 0 ? 0 : end - bodyStart;
  const media = contentType.split(';')[0].trim().toLowerCase();
  d.info = `${first} ${bodyLength > 0 && media !== '' ? ` (${media})` : ''}`;
  if (!d.tree) return;
  if (kind === 'request' && host !== '') {
    const uri = text(b, lineParts(b, off, Math.min(firstEnd + 1, end))[1]);
    children.push(node(`[Full request URI: ${uri.startsWith('/') ? `http://${host}${uri}` : uri}]`, off, off));
  }
  if (bodyLength > 0) children.push(node(`File Data: ${bodyLength} byte${bodyLength === 1 ? '' : 's'}`, bodyStart, end));
  d.tree.push(node('Hypertext Transfer Protocol', off, bodyStart > 0 && bodyLength > 0 ? bodyStart : end, children));
  if (bodyLength > 0 && media.startsWith('text/')) d.tree.push(textNode(b, bodyStart, end, media));
  if (bodyLength > 0 && media === 'application/x-www-form-urlencoded') d.tree.push(formNode(b, bodyStart, end, media));
}

/** %XX and + decoded, as a form's keys and values mean them. */
function formText(b: Uint8Array, s: number, e: number): string {
  let t = '';
  for (let i = s; i < e; i++) {
    const c = b[i];
    const h = i + 2 < e ? parseInt(String.fromCharCode(b[i + 1], b[i + 2]), 16) : NaN;
    if (c === 0x25 && !Number.isNaN(h)) {
      t += String.fromCharCode(h);
      i += 2;
    } else t += c === 0x2b ? ' ' : String.fromCharCode(c);
  }
  return t;
}

/** Wireshark's "HTML Form URL Encoded" view of a form body: one item per key=value pair. */
function formNode(b: Uint8Array, s: number, end: number, media: string): DecodeNode {
  const items: DecodeNode[] = [];
  let i = s;
  while (i < end) {
    let e = i;
    while (e < end && b[e] !== 0x26) e++;
    let eq = i;
    while (eq < e && b[eq] !== 0x3d) eq++;
    const key = formText(b, i, eq);
    const children = [node(`Key: ${key}`, i, eq)];
    let label = `Form item: "${key}"`;
    if (eq < e) {
      const value = formText(b, eq + 1, e);
      children.push(node(`Value: ${value}`, eq + 1, e));
      label += ` = "${value}"`;
    }
    items.push(node(label, i, e, children));
    i = e + 1;
  }
  return node(`HTML Form URL Encoded: ${media}`, s, end, items);
}

/** The parts of a request or status line: [start, end) of each of the three, split at the first two spaces. */
function lineParts(b: Uint8Array, s: number, stop: number): [number, number][] {
  let e = stop;
  if (e > s && b[e - 1] === 0x0a) e--;
  if (e > s && b[e - 1] === 0x0d) e--;
  const parts: [number, number][] = [];
  let from = s;
  for (let k = 0; k < 2; k++) {
    let sp = from;
    while (sp < e && b[sp] !== 0x20) sp++;
    parts.push([from, sp]);
    from = Math.min(sp + 1, e);
  }
  parts.push([from, e]);
  return parts;
}

function text(b: Uint8Array, [s, e]: [number, number]): string {
  let t = '';
  for (let i = s; i < e; i++) t += String.fromCharCode(b[i]);
  return t;
}

/** The request URI, split into path and query (and each query parameter) when it has a query. */
function uriNode(b: Uint8Array, [s, e]: [number, number]): DecodeNode {
  const n = node(`Request URI: ${text(b, [s, e])}`, s, e);
  let q = s;
  while (q < e && b[q] !== 0x3f) q++;
  if (q === e) return n;
  const params: DecodeNode[] = [];
  for (let p = q + 1; p < e; ) {
    let amp = p;
    while (amp < e && b[amp] !== 0x26) amp++;
    params.push(node(`Request URI Query Parameter: ${text(b, [p, amp])}`, p, amp));
    p = amp + 1;
  }
  n.children = [node(`Request URI Path: ${text(b, [s, q])}`, s, q), node(`Request URI Query: ${text(b, [q + 1, e])}`, q + 1, e, params)];
  return n;
}

function firstLineNode(b: Uint8Array, s: number, stop: number, kind: 'request' | 'response'): DecodeNode {
  const [a, m, z] = lineParts(b, s, stop);
  const children: DecodeNode[] = [];
  if (kind === 'request') {
    children.push(node(`Request Method: ${text(b, a)}`, a[0], a[1]), uriNode(b, m), node(`Request Version: ${text(b, z)}`, z[0], z[1]));
  } else {
    const code = text(b, m);
    children.push(node(`Response Version: ${text(b, a)}`, a[0], a[1]), node(`Status Code: ${code}`, m[0], m[1]));
    const reason = REASONS[Number(code)];
    if (reason !== undefined) children.push(node(`[Status Code Description: ${reason}]`, m[0], m[1]));
    children.push(node(`Response Phrase: ${text(b, z)}`, z[0], z[1]));
  }
  return node(escapeText(b, s, stop), s, stop, children);
}

/** Wireshark's "Line-based text data" view of a text body: one node per line. */
function textNode(b: Uint8Array, s: number, end: number, media: string): DecodeNode {
  const lines: DecodeNode[] = [];
  let i = s;
  while (i < end) {
    const e = lineEnd(b, i, end);
    const stop = Math.min(e + 1, end);
    lines.push(node(escapeText(b, i, stop), i, stop));
    i = stop;
  }
  return node(`Line-based text data: ${media} (${lines.length} lines)`, s, end, lines);
}
