// Before the stories: builds everything and starts `vmnetlab serve` on the default lab, handing its address (with the token) to the tests; stops it after.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { noChromiumMessage, chromiumPath } from './support/chromium';

const SERVED = /VM Net Lab is served at (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/;

/** Waits for serve's address line; rejects with what it printed if it ends or takes too long. */
function servedUrl(child: ChildProcess, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`vmnetlab serve printed no address in ${ms / 1000} s:\n${out}`)), ms);
    const take = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = SERVED.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vmnetlab serve exited (${code}) before serving:\n${out}`));
    });
  });
}

export default async function globalSetup(): Promise<(() => Promise<void>) | void> {
  if (chromiumPath() === null) {
    process.stdout.write(`${noChromiumMessage()}\n`);
    process.env.VMNETLAB_E2E_SKIP = '1';
    return;
  }
  const built = spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('node tools/build.mjs failed; see its output above');
  const child = spawn(process.execPath, ['dist/cli.mjs', 'serve', '--port', '0', '--lab', 'resources/labs/default.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  process.env.VMNETLAB_URL = await servedUrl(child, 30_000);
  return async () => {
    if (child.exitCode !== null) return;
    const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await ended;
    clearTimeout(timer);
  };
}
