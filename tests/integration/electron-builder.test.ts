// The installer configuration, read by electron-builder's own loader and schema; `electron-builder --dir` where an unpacked Electron is at hand (ELECTRON_OVERRIDE_DIST_PATH).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(join(ROOT, 'package.json'));

interface TargetConfig {
  target?: Array<string | { target: string }> | string;
  icon?: string;
  maintainer?: string;
  category?: string;
}
interface BuilderConfig {
  appId?: string;
  productName?: string;
  files?: Array<string | { filter?: string[] }>;
  asar?: boolean;
  asarUnpack?: string[];
  electronDist?: string;
  electronFuses?: Record<string, boolean>;
  linux?: TargetConfig;
  win?: TargetConfig;
  mac?: TargetConfig;
  directories?: { output?: string };
}

const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: unknown): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { homepage?: string; author?: { name: string; email: string }; scripts: Record<string, string> };

const targets = (t: TargetConfig | undefined): string[] => [t?.target ?? []].flat().map((x) => (typeof x === 'string' ? x : x.target));
const patterns = (config: BuilderConfig): string[] => (config.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));

describe('electron-builder.yml', async () => {
  const config = await getConfig(ROOT, 'electron-builder.yml', null);

  it("passes electron-builder's own schema", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app and builds AppImage and deb, NSIS, and dmg', () => {
    expect(config.appId).toBe('org.vmnetlab.app');
    expect(config.productName).toBe('VM Net Lab');
    expect(targets(config.linux).sort()).toEqual(['AppImage', 'deb']);
    expect(targets(config.win)).toEqual(['nsis']);
    expect(targets(config.mac)).toEqual(['dmg']);
    // The deb's homepage and maintainer come from package.json.
    expect(packageJson.homepage).toMatch(/^https:\/\//);
    expect(config.linux?.maintainer).toBe(`${packageJson.author!.name} <${packageJson.author!.email}>`);
  });

  it('packs only the built files, and unpacks native addons and the lessons from the asar', () => {
    expect(patterns(config)).toEqual(['dist/**/*', '!dist/**/*.map', 'resources/**/*', '!resources/icons/make-icons.mjs', 'package.json', 'native/tap/build/Release/*.node', '!node_modules/**/*']);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['**/*.node', 'resources/lessons/**']);
    expect(config.electronDist).toBeUndefined();
  });

  it('hardens the packaged binary with fuses: not runnable as Node, no NODE_OPTIONS or --inspect, app only from the asar', () => {
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });

  it('has icons that exist, in the formats each platform wants', () => {
    const bytes = (p: string) => readFileSync(join(ROOT, p));
    expect(bytes(config.win!.icon!).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    expect(bytes(config.mac!.icon!).subarray(0, 4).toString('latin1')).toBe('icns');
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
      const png = bytes(join(config.linux!.icon!, `${size}x${size}.png`));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
  });

  it('is what npm run dist uses', () => {
    expect(packageJson.scripts.dist).toBe('node tools/dist.mjs');
    expect(readFileSync(join(ROOT, 'tools/dist.mjs'), 'utf8')).toMatch(/'--config', 'electron-builder\.yml'/);
  });
});

describe('electron-builder --dir', () => {
  const electronDist = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const runnable = electronDist !== undefined && existsSync(electronDist);
  if (!runnable) {
    console.log('electron-builder --dir: skipped, no unpacked Electron here (set ELECTRON_OVERRIDE_DIST_PATH to one to run it)');
  }

  it.runIf(runnable)('packs the app with the local Electron: app.asar holds the built files only', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vmnetlab-builder-'));
    try {
      const built = spawnSync(process.execPath, [join(ROOT, 'tools/build.mjs'), '--no-renderer'], { cwd: ROOT, encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);
      const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/electron-builder/cli.js'), '--config', 'electron-builder.yml', '--dir', `--config.electronDist=${resolve(electronDist!)}`, `--config.directories.output=${out}`], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const unpacked = join(out, ({ linux: 'linux-unpacked', win32: 'win-unpacked', darwin: 'mac' } as Record<string, string>)[process.platform] ?? 'linux-unpacked');
      const resources = process.platform === 'darwin' ? join(unpacked, 'VM Net Lab.app/Contents/Resources') : join(unpacked, 'resources');
      const asar = require('@electron/asar') as { listPackage(path: string): string[] };
      const files = asar.listPackage(join(resources, 'app.asar')).map((f) => f.replaceAll('\\', '/'));
      expect(files).toContain('/dist/electron/main.cjs');
      expect(files).toContain('/dist/electron/preload.cjs');
      expect(files).toContain('/package.json');
      expect(files).toContain('/resources/labs/default.json');
      expect(files.filter((f) => f.startsWith('/node_modules/') || f.endsWith('.ts') || f.endsWith('.map'))).toEqual([]);
      expect(existsSync(join(resources, 'app.asar.unpacked/resources/lessons/index.md'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
