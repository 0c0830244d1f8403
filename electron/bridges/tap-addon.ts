// Finds and loads the TAP addon (native/tap), or says why it is unavailable: not Linux, not built, not loadable.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** What native/tap/tap.c exports. Descriptors are plain numbers; frames are Uint8Arrays over new ArrayBuffers. */
export interface TapAddon {
  /** Opens an existing TAP device (TUNSETIFF, IFF_TAP | IFF_NO_PI), non-blocking. Throws with `code` (EPERM, EBUSY…). */
  open(ifname: string): number;
  /** The next frame waiting, or null. */
  read(fd: number): Uint8Array | null;
  /** False when the kernel had no room or the device is down (the frame is lost, as on a wire). */
  write(fd: number, frame: Uint8Array): boolean;
  /** Delivers each frame read from `fd` on the JavaScript thread; `onError` when reading fails for good. */
  watch(fd: number, onFrame: (frame: Uint8Array) => void, onError: (error: Error) => void): void;
  /** Stops delivering; returns the frames dropped because JavaScript fell behind. */
  unwatch(fd: number): number;
  dropped(fd: number): number;
  close(fd: number): void;
}

export type TapAddonLoad = { ok: true; addon: TapAddon; path: string } | { ok: false; reason: string };

export const ADDON_RELATIVE = join('native', 'tap', 'build', 'Release', 'vmnetlab_tap.node');
export const BUILD_COMMAND = 'node native/tap/install.mjs';

/** Where to look: VMNETLAB_TAP_ADDON alone when set, else native/tap/build beside the code (source tree, dist/, Electron's app.asar.unpacked) or the working directory. */
export function addonCandidates(): string[] {
  const env = process.env.VMNETLAB_TAP_ADDON;
  if (env) return [resolve(env)];
  const out: string[] = [];
  const starts: string[] = [];
  if (typeof __dirname === 'string') starts.push(__dirname);
  if (process.argv[1]) starts.push(dirname(resolve(process.argv[1])));
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) starts.push(join(resources, 'app.asar.unpacked'));
  starts.push(process.cwd());
  for (const start of starts) {
    let dir = start;
    for (let i = 0; i < 4; i++) {
      const p = join(dir, ADDON_RELATIVE);
      if (!out.includes(p)) out.push(p);
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return out;
}

let cached: TapAddonLoad | null = null;

/** Loads the addon once; later calls return the same answer. */
export function loadTapAddon(): TapAddonLoad {
  if (cached === null) cached = loadFrom(addonCandidates());
  return cached;
}

export function loadFrom(candidates: readonly string[], platform: string = process.platform): TapAddonLoad {
  if (platform !== 'linux') return { ok: false, reason: `TAP devices are a Linux feature and this is ${platform}; use a UDP tunnel (udp:LOCALPORT:REMOTEHOST:REMOTEPORT) instead` };
  const path = candidates.find((p) => existsSync(p));
  if (path === undefined) {
    return { ok: false, reason: `the TAP addon is not built (no ${ADDON_RELATIVE}); build it with \`${BUILD_COMMAND}\`, which needs a C compiler, make and python3` };
  }
  const mod = { exports: {} as Record<string, unknown> };
  try {
    process.dlopen(mod, path);
  } catch (e) {
    return { ok: false, reason: `the TAP addon ${path} cannot be loaded (${e instanceof Error ? e.message : String(e)}); rebuild it with \`${BUILD_COMMAND}\`` };
  }
  const names = ['open', 'read', 'write', 'watch', 'unwatch', 'dropped', 'close'];
  const missing = names.filter((n) => typeof mod.exports[n] !== 'function');
  if (missing.length > 0) return { ok: false, reason: `the TAP addon ${path} lacks ${missing.join(', ')}; rebuild it with \`${BUILD_COMMAND}\`` };
  return { ok: true, addon: mod.exports as unknown as TapAddon, path };
}
