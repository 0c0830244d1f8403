// npm run dev: the window with Vite's hot reload (renderer/vite.config.ts), in a browser; VMNETLAB_DEV_URL=<its address> npx electron . shows it in the desktop shell.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const config = join(ROOT, 'renderer/vite.config.ts');

if (!existsSync(config)) {
  console.error('npm run dev: renderer/vite.config.ts does not exist yet, so there is no window to serve with hot reload (npm start runs what is built).');
  process.exit(1);
}
const child = spawn(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), '--config', config, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
