// Lab files on disk: reading with a size limit, atomic writes (temporary file, fsync, rename), the bundled labs, a new empty lab.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { LAB_FORMAT, LAB_VERSION, type LabDocument } from '../../core/lab/document';
import { HostError, notFound, refused } from './errors';

/** A lab file bigger than this is not a lab (the biggest bundled one is a few kB; a 1,000-VM lab is about 2 MB). */
export const MAX_LAB_BYTES = 32 * 1024 * 1024;

const BUNDLED_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

function errnoOf(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

function describeFsError(e: unknown): string {
  const code = errnoOf(e);
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ENOSPC') return 'no space left on the device';
  if (code === 'EROFS') return 'the file system is read-only';
  return e instanceof Error ? e.message : String(e);
}

/** The text of a lab file; a missing file is 'not-found', anything else that stops the read is 'failed'. */
export async function readLabFile(path: string): Promise<string> {
  let size: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new HostError('failed', `${path} is a directory, not a lab file`);
    size = s.size;
  } catch (e) {
    if (e instanceof HostError) throw e;
    if (errnoOf(e) === 'ENOENT') throw notFound(`${path}: no such file`);
    throw new HostError('failed', `${path} cannot be read: ${describeFsError(e)}`);
  }
  if (size > MAX_LAB_BYTES) throw refused(`${path} is ${Math.round(size / 1048576)} MB; a lab file is at most ${MAX_LAB_BYTES / 1048576} MB`);
  try {
    const fh = await open(path, 'r');
    try {
      return await fh.readFile({ encoding: 'utf8' });
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new HostError('failed', `${path} cannot be read: ${describeFsError(e)}`);
  }
}

/**
 * Writes `text` to `path` so that a crash leaves either the old file or the new one, never half of one:
 * a temporary file in the same directory, flushed to disk, then renamed over the target.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(text, { encoding: 'utf8' });
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new HostError('failed', `${path} cannot be written: ${describeFsError(e)}`);
  }
  // The rename itself reaches the disk when the directory is flushed; not every platform lets us.
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Windows cannot open a directory; the rename is still atomic there.
  }
}

/** Where Save As writes: an absolute path ending in .json (added when the name has no extension). */
export function labPathFor(path: string): string {
  const full = resolve(path);
  const ext = extname(full);
  if (ext === '') return `${full}.json`;
  if (ext.toLowerCase() !== '.json') throw refused(`lab files end in .json, not ${ext}`, [{ path: '$.path', message: `the file name ends in ${ext}`, hint: `save it as ${basename(full, ext)}.json` }]);
  return full;
}

/** Names of the bundled labs (resources/labs/NAME.json), sorted. */
export async function bundledLabs(labsDir: string): Promise<string[]> {
  try {
    const names = await readdir(labsDir);
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -'.json'.length))
      .filter((n) => BUNDLED_NAME.test(n))
      .sort();
  } catch {
    return [];
  }
}

/** The file of bundled lab `name`; only names the directory lists, so no path can be smuggled in. */
export async function bundledLabPath(labsDir: string, name: string): Promise<string> {
  const names = await bundledLabs(labsDir);
  if (!names.includes(name)) {
    throw notFound(`there is no bundled lab '${name}'${names.length > 0 ? `; the bundled labs are ${names.join(', ')}` : ''}`);
  }
  return join(labsDir, `${name}.json`);
}

/** The first `resources/labs` found walking up from each of `starts` (the program's own directory, then the working directory). */
export function findLabsDir(starts: readonly string[]): string | null {
  for (const start of starts) {
    let dir = resolve(start);
    for (let i = 0; i < 8; i++) {
      const candidate = join(dir, 'resources', 'labs');
      if (existsSync(join(candidate, 'default.json'))) return candidate;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return null;
}

/** File → New: the host alone on a home LAN, nothing else, for the user to add to. */
export function emptyLab(): LabDocument {
  return {
    format: LAB_FORMAT,
    version: LAB_VERSION,
    name: 'New lab',
    seed: 1,
    networks: [{ name: 'lan', kind: 'lan' }],
    machines: [
      {
        name: 'host',
        role: 'host',
        interfaces: [{ name: 'eth0', network: 'lan', mac: '3c:52:82:00:00:01', config: { mode: 'static', address: '192.168.1.10/24' } }],
      },
    ],
    vms: [],
  };
}
