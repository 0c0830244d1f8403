// Builds the CLI and the Electron bundles once before any test file runs, so tests that start `dist/cli.mjs` never race to build it.
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const r = spawnSync(process.execPath, ['tools/build.mjs', '--no-renderer'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('tools/build.mjs failed; see its output above');
}
