// Builds the TAP addon with node-gyp at `npm install` time; where it cannot (no compiler, not Linux) it says so in one line and never fails the install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const say = (text) => console.log(`vmnetlab: ${text}`);

function nodeGyp() {
  // npm hands its own node-gyp to lifecycle scripts; otherwise the project's, then one on PATH.
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return [process.execPath, fromNpm];
  try {
    return [process.execPath, createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js')];
  } catch {
    return ['node-gyp'];
  }
}

/** Local headers (`<prefix>/include/node`, as Debian's nodejs and the official tarballs install them) spare node-gyp a download. */
function nodedir() {
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) && existsSync(join(prefix, 'include', 'node', 'common.gypi')) ? prefix : null;
}

function main() {
  if (process.env.VMNETLAB_SKIP_TAP) return say('TAP addon not built (VMNETLAB_SKIP_TAP is set); TAP attachments are unavailable');
  if (process.platform !== 'linux') return say(`TAP addon not built (TAP devices are Linux only, this is ${process.platform}); UDP tunnels still work`);
  const [cmd, ...pre] = nodeGyp();
  const dir = nodedir();
  const args = [...pre, 'rebuild', `--directory=${here}`, '--loglevel=error', ...(dir ? [`--nodedir=${dir}`] : [])];
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (r.error || r.status !== 0) {
    const text = `${r.stderr ?? ''}\n${r.stdout ?? ''}`;
    const why = r.error
      ? r.error.message
      : (/(?:error|not found|No such file)[^\n]*/i.exec(text.split('\n').filter((l) => !/gyp ERR! (stack|System|command|cwd|node -v|node-gyp -v|not ok)/.test(l)).join('\n'))?.[0] ?? `node-gyp exited with ${r.status}`);
    return say(`TAP addon not built (${why.trim().slice(0, 160)}); TAP attachments are unavailable, everything else works. Needs a C compiler, make and python3.`);
  }
  if (!existsSync(join(here, 'build', 'Release', 'vmnetlab_tap.node'))) return say('TAP addon not built (node-gyp left no vmnetlab_tap.node); TAP attachments are unavailable');
}

try {
  main();
} catch (e) {
  say(`TAP addon not built (${e instanceof Error ? e.message : String(e)}); TAP attachments are unavailable`);
}
