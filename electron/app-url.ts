// Which URLs are the app's own: the page the window must show, and the files under the renderer's directory that page may load.
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentTypeOf } from './mime-types';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether `actual` is the app's page `expected`. A file:// page has the opaque origin "null", so for it
 * the file itself must match (query and fragment aside); an http page (Vite's dev server) must have its origin.
 */
export function sameAppUrl(actual: string, expected: string): boolean {
  const a = parse(actual);
  const e = parse(expected);
  if (!a || !e) return false;
  if (e.protocol === 'file:') {
    return a.protocol === 'file:' && a.host === e.host && safeDecode(a.pathname) === safeDecode(e.pathname);
  }
  if (e.protocol !== 'http:' && e.protocol !== 'https:') return false;
  return a.origin === e.origin;
}

function safeDecode(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/** Whether `url` is a loopback http(s) URL, the only kind a development server may have. */
export function isLoopbackHttp(url: string): boolean {
  const u = parse(url);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return false;
  return u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
}

/**
 * The file a file:// request of the window may read, or null: only files inside `rendererDir`
 * (the built renderer), so a page cannot read the rest of the disk through file:// URLs.
 */
export function rendererFile(url: string, rendererDir: string): string | null {
  const u = parse(url);
  if (!u || u.protocol !== 'file:' || (u.host !== '' && u.host !== 'localhost')) return null;
  let path: string;
  try {
    path = resolve(fileURLToPath(u));
  } catch {
    return null;
  }
  const rel = relative(resolve(rendererDir), path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return path;
}

/** Links the app may hand to the system's browser (a lesson's reference, the homepage): https only. */
export function externalLinkAllowed(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === 'https:' && u.username === '' && u.password === '';
}


/** The Content-Type of a renderer file, by its extension (module scripts are refused without a JavaScript type). */
export function mimeType(path: string): string {
  return contentTypeOf(path);
}
