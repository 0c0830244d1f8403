// npm start: builds the app, then opens the desktop window; where Electron's runtime is not installed (or will not launch), serves browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** A launch that ends with an error this soon is a runtime that cannot start here (no display, missing libraries). */
const EARLY_FAILURE_MS = 8000;

const DEFAULT_BINARY = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' };

/**
 * Where Electron's runtime is, read the way node_modules/electron/index.js reads it but without running that
 * file, which starts a download when the runtime is missing. ELECTRON_OVERRIDE_DIST_PATH (Electron's own
 * variable) points at an unpacked Electron. Returns the binary, or why there is none.
 */
export function findElectron(env = process.env, platform = process.platform, root = ROOT) {
  let pkgDir;
  try {
    pkgDir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { binary: null, reason: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : (DEFAULT_BINARY[platform] ?? 'electron');
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = join(override, relative);
    return existsSync(binary) ? { binary, reason: null } : { binary: null, reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${relative}` };
  }
  if (!existsSync(pathFile)) return { binary: null, reason: 'its runtime was never downloaded, node_modules/electron/dist is missing' };
  const binary = join(pkgDir, 'dist', relative);
  return existsSync(binary) ? { binary, reason: null } : { binary: null, reason: `its runtime is missing, there is no ${binary}` };
}

/** The lab file among the arguments (`npm start -- lab.json`), for browser mode's --lab. */
export function labArgument(args) {
  return args.find((a) => !a.startsWith('-') && a.toLowerCase().endsWith('.json')) ?? null;
}

function build() {
  const r = spawnSync(process.execPath, [join(ROOT, 'tools/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function browserMode(reason, args) {
  console.log(`Electron cannot run here: ${reason}. Opening browser mode instead (vmnetlab serve --open).`);
  const lab = labArgument(args);
  const child = spawn(process.execPath, [join(ROOT, 'bin/vmnetlab.js'), 'serve', '--open', ...(lab ? ['--lab', lab] : [])], { cwd: process.cwd(), stdio: 'inherit' });
  forwardSignals(child);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function forwardSignals(child) {
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
}

function desktop(binary, args) {
  const env = { ...process.env };
  // Set in some shells and CI images; it would make Electron a plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  const started = Date.now();
  let stderr = '';
  const child = spawn(binary, [ROOT, ...args], { cwd: process.cwd(), env, stdio: ['inherit', 'inherit', 'pipe'] });
  forwardSignals(child);
  child.stderr.on('data', (chunk) => {
    if (stderr.length < 4096) stderr += chunk;
    process.stderr.write(chunk);
  });
  child.on('error', (e) => browserMode(`${binary} cannot be started: ${e.code ?? e.message}`, args));
  child.on('exit', (code, signal) => {
    if ((code !== 0 || signal) && Date.now() - started < EARLY_FAILURE_MS) {
      const first = stderr.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? `exit ${code ?? signal}`;
      browserMode(`it stopped at launch with "${first.slice(0, 160)}"`, args);
      return;
    }
    process.exit(code ?? 1);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // --no-build: run what is already in dist/ (just built by hand or by npm run build).
  const args = process.argv.slice(2).filter((a) => a !== '--no-build');
  if (!process.argv.includes('--no-build')) build();
  let found = findElectron();
  // Electron 42 and later fetch their runtime on first run rather than at install: fetch it now, once.
  if (!found.binary && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const fetched = downloadElectron();
    found = fetched === null ? findElectron() : { binary: null, reason: `its runtime could not be downloaded (${fetched})` };
  }
  if (found.binary) desktop(found.binary, args);
  else browserMode(found.reason, args);
}

/** Runs the electron package's own installer (the download its index.js would start); null when it worked, else why not. */
function downloadElectron() {
  let installer;
  try {
    installer = join(dirname(createRequire(join(ROOT, 'package.json')).resolve('electron/package.json')), 'install.js');
  } catch {
    return 'the electron package is not installed';
  }
  if (!existsSync(installer)) return 'the electron package has no installer';
  console.log('Fetching the Electron runtime (first run)…');
  const r = spawnSync(process.execPath, [installer], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000, encoding: 'utf8' });
  if (r.status === 0) return null;
  const why = (r.stderr ?? '').split('\n').map((l) => l.trim()).find((l) => /error|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|timed out/i.test(l)) ?? (r.error ? r.error.message : `exit ${r.status}`);
  return why.slice(0, 160);
}
