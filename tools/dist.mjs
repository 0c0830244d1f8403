// npm run dist: builds the app, then the installers with electron-builder (electron-builder.yml); ELECTRON_OVERRIDE_DIST_PATH, when set, is the unpacked Electron to package instead of a download.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** electron-builder's arguments: the configuration, the local Electron when there is one, then the caller's (--dir, --linux…). */
export function builderArgs(args, env = process.env) {
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH;
  return ['--config', 'electron-builder.yml', ...(dist ? [`--config.electronDist=${resolve(dist)}`] : []), ...args];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const built = spawnSync(process.execPath, [join(ROOT, 'tools/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/electron-builder/cli.js'), ...builderArgs(process.argv.slice(2))], { cwd: ROOT, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
