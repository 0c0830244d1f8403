// The application menu's template (each platform, development or not, recent labs) and how npm start finds Electron or falls back to browser mode.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { aboutText, type MenuActions, menuTemplate } from '../../../electron/menu-template';
// @ts-expect-error tools/ scripts are plain JavaScript without type declarations.
import { findElectron, labArgument } from '../../../tools/start.mjs';
// @ts-expect-error as above
import { builderArgs } from '../../../tools/dist.mjs';

const actions = (): MenuActions => ({ newLab: vi.fn(), open: vi.fn(), openRecent: vi.fn(), clearRecent: vi.fn(), save: vi.fn(), saveAs: vi.fn(), undo: vi.fn(), redo: vi.fn(), lessons: vi.fn(), about: vi.fn() });
const sub = (m: MenuItemConstructorOptions): MenuItemConstructorOptions[] => m.submenu as MenuItemConstructorOptions[];
const names = (items: MenuItemConstructorOptions[]) => items.map((i) => i.label ?? i.role ?? i.type);

describe('the application menu', () => {
  it('on Linux and Windows: File, Edit, View, Help, with Exit in File and About in Help', () => {
    const t = menuTemplate(actions(), { platform: 'linux', dev: false, recent: [], appName: 'VM Net Lab' });
    expect(names(t)).toEqual(['&File', '&Edit', '&View', '&Help']);
    expect(names(sub(t[1]))).toEqual(['&Undo', '&Redo', 'separator', 'cut', 'copy', 'paste', 'selectAll']);
    expect(names(sub(t[2]))).toEqual(['reload', 'separator', 'resetZoom', 'zoomIn', 'zoomOut', 'separator', 'togglefullscreen']);
    expect(sub(t[1])[1].accelerator).toBe('Ctrl+Y');
  });

  it('on macOS: the app menu holds About and Quit, and there is a Window menu', () => {
    const t = menuTemplate(actions(), { platform: 'darwin', dev: true, recent: [], appName: 'VM Net Lab' });
    expect(names(t)).toEqual(['VM Net Lab', '&File', '&Edit', '&View', 'windowMenu', '&Help']);
    expect(names(sub(t[0]))).toContain('quit');
    expect(names(sub(t[1]))).not.toContain('E&xit');
    expect(names(sub(t[3]))).toContain('toggleDevTools');
    expect(names(sub(t[5]))).toEqual(['&Lessons']);
  });

  it('lists the recent labs by file name, most recent first, and each opens its file', () => {
    const a = actions();
    const t = menuTemplate(a, { platform: 'linux', dev: false, recent: ['/home/me/b.json', '/home/me/a.json'], appName: 'VM Net Lab' });
    const recent = sub(sub(t[0])[2]);
    expect(names(recent)).toEqual(['b.json', 'a.json', 'separator', 'Clear Recently Opened']);
    (recent[1].click as () => void)();
    expect(a.openRecent).toHaveBeenCalledWith('/home/me/a.json');
    const empty = sub(sub(menuTemplate(a, { platform: 'linux', dev: false, recent: [], appName: 'VM Net Lab' })[0])[2]);
    expect(empty).toEqual([{ label: 'No Recent Labs', enabled: false }]);
  });

  it('wires each item to its action', () => {
    const a = actions();
    const t = menuTemplate(a, { platform: 'win32', dev: false, recent: [], appName: 'VM Net Lab' });
    const click = (menu: number, label: string) => (sub(t[menu]).find((i) => i.label === label)!.click as () => void)();
    click(0, '&New Lab');
    click(0, '&Open…');
    click(0, '&Save');
    click(0, 'Save &As…');
    click(1, '&Undo');
    click(1, '&Redo');
    click(3, '&Lessons');
    click(3, '&About VM Net Lab');
    for (const fn of ['newLab', 'open', 'save', 'saveAs', 'undo', 'redo', 'lessons', 'about'] as const) expect(a[fn], fn).toHaveBeenCalledTimes(1);
  });

  it('the About box gives the version and the runtimes', () => {
    const t = aboutText({ app: '0.1.0', electron: '45.5.0', chrome: '140.0', node: '22.1.0' }, 'https://example.org');
    expect(t.message).toBe('VM Net Lab 0.1.0');
    expect(t.detail).toContain('Electron 45.5.0 · Chromium 140.0 · Node.js 22.1.0');
    expect(t.detail).toContain('https://example.org');
  });
});

describe('npm start finds Electron without downloading it', () => {
  const root = mkdtempSync(join(tmpdir(), 'vmnetlab-start-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const pkg = join(root, 'node_modules', 'electron');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(root, 'package.json'), '{}');
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0', main: 'index.js' }));
  // index.js would download the runtime: findElectron must not run it.
  writeFileSync(join(pkg, 'index.js'), 'throw new Error("downloading")');

  it('says the runtime was never downloaded when path.txt is missing', () => {
    expect(findElectron({}, 'linux', root)).toEqual({ binary: null, reason: expect.stringContaining('never downloaded') });
  });

  it('finds the binary path.txt names once it is there', () => {
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(findElectron({}, 'linux', root).binary).toBeNull();
    mkdirSync(join(pkg, 'dist'));
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    expect(findElectron({}, 'linux', root)).toEqual({ binary: join(pkg, 'dist', 'electron'), reason: null });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH, Electron’s own variable for an unpacked runtime', () => {
    const local = join(root, 'local-electron');
    mkdirSync(local);
    expect(findElectron({ ELECTRON_OVERRIDE_DIST_PATH: local }, 'linux', root).reason).toMatch(/ELECTRON_OVERRIDE_DIST_PATH has no electron/);
    writeFileSync(join(local, 'electron'), '');
    expect(findElectron({ ELECTRON_OVERRIDE_DIST_PATH: local }, 'linux', root)).toEqual({ binary: join(local, 'electron'), reason: null });
  });

  it('says so when the electron package is absent', () => {
    const bare = mkdtempSync(join(tmpdir(), 'vmnetlab-bare-'));
    try {
      expect(findElectron({}, 'linux', bare).reason).toBe('the electron package is not installed');
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('passes a lab file on to browser mode, and the local Electron to electron-builder', () => {
    expect(labArgument(['--verbose', 'labs/home.json'])).toBe('labs/home.json');
    expect(labArgument(['--verbose'])).toBeNull();
    expect(builderArgs(['--dir'], {})).toEqual(['--config', 'electron-builder.yml', '--dir']);
    expect(builderArgs(['--linux'], { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' })).toEqual(['--config', 'electron-builder.yml', '--config.electronDist=/opt/electron', '--linux']);
  });
});
