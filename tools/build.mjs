// Builds what runs outside Vitest: the CLI and the Electron main process and preload (esbuild), and the renderer (Vite).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const entries = [
  // The CLI, also the lab host for browser mode; runs on plain Node.
  { in: 'electron/cli/main.ts', out: 'dist/cli.mjs', format: 'esm', platform: 'node', banner: '' },
  // Electron's main process and preload; a sandboxed preload must be CommonJS.
  { in: 'electron/main.ts', out: 'dist/electron/main.cjs', format: 'cjs', platform: 'node', external: ['electron'] },
  { in: 'electron/preload.ts', out: 'dist/electron/preload.cjs', format: 'cjs', platform: 'node', external: ['electron'] },
];

for (const e of entries) {
  if (!existsSync(e.in)) continue;
  await build({
    entryPoints: [e.in],
    outfile: e.out,
    bundle: true,
    format: e.format,
    platform: e.platform,
    target: 'node20',
    sourcemap: true,
    external: e.external ?? [],
    logLevel: 'warning',
    // ESM bundles that pull in CommonJS packages need a require of their own.
    banner: e.format === 'esm' ? { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } : undefined,
  });
}

if (existsSync('renderer/index.html') && !process.argv.includes('--no-renderer')) {
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
