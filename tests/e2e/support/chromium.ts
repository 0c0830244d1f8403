// Finds the Chromium the end-to-end tests drive: the one CHROMIUM_PATH names, else Debian's; never a browser Playwright would download.
import { accessSync, constants } from 'node:fs';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function runnable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser to launch, or null when there is none (the tests then skip with one line saying so). */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const named = env.CHROMIUM_PATH?.trim();
  if (named) return runnable(named) ? named : null;
  return CHROMIUM_CANDIDATES.find(runnable) ?? null;
}

/** The one line the run prints when it skips for want of a browser. */
export function noChromiumMessage(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.CHROMIUM_PATH?.trim();
  if (named) return `end-to-end tests skipped: CHROMIUM_PATH=${named} is not an executable file (point it at a Chromium binary, or unset it to use ${CHROMIUM_CANDIDATES[0]})`;
  return `end-to-end tests skipped: no Chromium at ${CHROMIUM_CANDIDATES.join(' or ')} (install Debian's chromium, or set CHROMIUM_PATH to a Chromium binary)`;
}

/** Launch flags for a quiet, sandbox-free run in a container: no GPU, no QUIC, no background traffic of the browser's own. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
