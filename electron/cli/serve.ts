// `vmnetlab serve [LAB] [--port N] [--lab FILE] [--open]`: the lab in a browser, served on 127.0.0.1 with a per-start token.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabDocument } from '../../core/lab/document';
import { findLabsDir } from '../host/files';
import { LabHost } from '../host/lab-host';
import { openBrowser } from '../serve/open-browser';
import { startServer } from '../serve/server';
import type { CliIo } from './io';
import { openLab, parseOptions } from './lab-file';

export const SERVE_USAGE = `Usage: vmnetlab serve [LAB] [--port N] [--lab FILE] [--open]

Runs LAB (default: the bundled default lab) in real time and serves its window
to a browser at http://127.0.0.1:PORT, with a WebSocket that only that page may
use. It prints the address to open, with a token made at this start; Ctrl-C stops.

  --port N     listen on port N (default 0: any free port)
  --lab FILE   the lab to run (the same as giving LAB)
  --open       open the address in the default browser

Exit status: 0 when stopped with Ctrl-C, 1 when the server cannot start (the
port is taken), 2 for bad usage or a bad lab file.`;

/** The directory this program is in (dist/ once built); import.meta is there in the ESM bundle. */
function programDir(): string {
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return process.cwd();
  }
}

/** dist/renderer beside the program, or found walking up from it (running from source). */
export function findRendererDir(start: string): string {
  let dir = resolve(start);
  for (let i = 0; i < 6; i++) {
    // Only the built window: the source folder's index.html loads TypeScript no browser runs.
    const candidate = join(dir, 'dist', 'renderer');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(resolve(start), 'dist', 'renderer');
}

/** At most `perSecond` lines a second reach the terminal; a flood of bad requests is summed up. */
function limitedLog(io: CliIo, perSecond: number): (message: string) => void {
  let windowStart = 0;
  let shown = 0;
  let dropped = 0;
  return (message) => {
    const now = Date.now();
    if (now - windowStart >= 1000) {
      if (dropped > 0) io.err(`vmnetlab serve: … and ${dropped} more`);
      windowStart = now;
      shown = 0;
      dropped = 0;
    }
    if (shown < perSecond) {
      shown++;
      io.err(`vmnetlab serve: ${message.split('\n')[0]}`);
    } else dropped++;
  };
}

export async function runServe(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.out(SERVE_USAGE);
    return 0;
  }
  const opts = parseOptions(args, ['--port', '--lab'], ['--open']);
  const labArg = opts.values.get('--lab');
  if (opts.error !== null || opts.positional.length > 1 || (labArg !== undefined && opts.positional.length > 0)) {
    io.err(`vmnetlab serve: ${opts.error ?? (labArg !== undefined ? 'give the lab once: LAB or --lab FILE' : 'too many arguments')}`);
    io.err(SERVE_USAGE);
    return 2;
  }
  const portText = opts.values.get('--port') ?? '0';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    io.err(`vmnetlab serve: --port takes a port number from 0 to 65535, not '${portText}'`);
    return 2;
  }
  const here = programDir();
  const labsDir = findLabsDir([here, process.cwd()]);
  let labFile = labArg ?? opts.positional[0];
  if (labFile === undefined && labsDir !== null) labFile = join(labsDir, 'default.json');
  let doc: LabDocument | undefined;
  if (labFile !== undefined) {
    const d = await openLab(labFile, io);
    if (d === null) return 2;
    doc = d;
  }
  const log = limitedLog(io, 20);
  // A lab opened from the bundled set is a template: Save asks where.
  const path = labFile === undefined || (labArg === undefined && opts.positional.length === 0) ? null : resolve(labFile);
  const host = new LabHost({ document: doc, path, labsDir, log });
  let served;
  try {
    served = await startServer({ host, port, rendererDir: findRendererDir(here), log });
  } catch (e) {
    host.close();
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
    io.err(`vmnetlab serve: cannot listen on ${port === 0 ? 'a free port' : `port ${port}`} of 127.0.0.1: ${code === 'EADDRINUSE' ? 'the port is in use; pick another with --port' : e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  io.out(`VM Net Lab is served at ${served.url}`);
  io.out('Open that address in a browser (it carries this run\'s token). Ctrl-C stops.');
  if (opts.flags.has('--open') && !(await openBrowser(served.url))) io.err('vmnetlab serve: no browser could be opened here; open the address above by hand');
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  host.close();
  await served.close();
  return 0;
}
