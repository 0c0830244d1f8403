// What the desktop app remembers: the window's place (only where a screen still shows it) and the recent labs, surviving a damaged settings file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSettings, RECENT_LIMIT, restoredBounds, SETTINGS_FILE, SettingsStore, withRecent } from '../../../electron/settings';

const MIN = { width: 900, height: 600 };
const screen = { x: 0, y: 0, width: 1920, height: 1040 };

describe('the recent labs', () => {
  it('puts the latest first, once, and keeps ten', () => {
    let recent: string[] = [];
    for (let i = 0; i < 12; i++) recent = withRecent(recent, `/labs/${i}.json`);
    expect(recent).toHaveLength(RECENT_LIMIT);
    expect(recent[0]).toBe('/labs/11.json');
    recent = withRecent(recent, '/labs/5.json');
    expect(recent[0]).toBe('/labs/5.json');
    expect(recent.filter((p) => p === '/labs/5.json')).toHaveLength(1);
  });
});

describe('reading settings.json', () => {
  it('falls back to nothing remembered when the file is damaged or odd, never failing', () => {
    for (const text of ['', '{', 'null', '[]', '42', '{"window":{"width":"wide"},"recent":"x"}']) {
      expect(parseSettings(text), text).toEqual({ window: null, recent: [] });
    }
  });

  it('keeps what is well formed and drops the rest', () => {
    const s = parseSettings(JSON.stringify({ window: { x: 10.4, y: 20, width: 1000, height: 700, maximized: true }, recent: ['/a.json', 3, '', '/a.json', '/b.json'] }));
    expect(s).toEqual({ window: { x: 10, y: 20, width: 1000, height: 700, maximized: true }, recent: ['/a.json', '/b.json'] });
    expect(parseSettings(JSON.stringify({ window: { width: 1000, height: 700 } })).window).toEqual({ width: 1000, height: 700, maximized: false });
  });
});

describe('where the window reopens', () => {
  it('at its saved place when its title bar is on a screen', () => {
    expect(restoredBounds({ x: 100, y: 50, width: 1200, height: 800, maximized: false }, [screen], MIN)).toEqual({ x: 100, y: 50, width: 1200, height: 800 });
  });

  it('centred when the screen it was on is gone (an unplugged monitor), or its title bar is off-screen', () => {
    expect(restoredBounds({ x: 2500, y: 100, width: 1200, height: 800, maximized: false }, [screen], MIN)).toEqual({ width: 1200, height: 800 });
    expect(restoredBounds({ x: 100, y: -400, width: 1200, height: 800, maximized: false }, [screen], MIN)).toEqual({ width: 1200, height: 800 });
    expect(restoredBounds({ x: 2500, y: 100, width: 1200, height: 800, maximized: false }, [screen, { x: 1920, y: 0, width: 1920, height: 1080 }], MIN)).toEqual({ x: 2500, y: 100, width: 1200, height: 800 });
  });

  it('no larger than the largest screen and no smaller than the minimum', () => {
    expect(restoredBounds({ width: 5000, height: 3000, maximized: false }, [screen], MIN)).toEqual({ width: 1920, height: 1040 });
    expect(restoredBounds({ width: 200, height: 100, maximized: false }, [screen], MIN)).toEqual({ width: 900, height: 600 });
    expect(restoredBounds(null, [screen], MIN)).toBeNull();
  });
});

describe('the settings store', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes changes to settings.json and reads them back in the next run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmnetlab-settings-'));
    dirs.push(dir);
    const store = await SettingsStore.open(join(dir, 'profile'));
    expect(store.get()).toEqual({ window: null, recent: [] });
    store.update((s) => ({ ...s, recent: withRecent(s.recent, '/home/me/lab.json') }));
    store.update((s) => ({ ...s, window: { x: 1, y: 2, width: 1000, height: 700, maximized: false } }));
    await store.flush();
    expect(JSON.parse(readFileSync(join(dir, 'profile', SETTINGS_FILE), 'utf8'))).toEqual({ window: { x: 1, y: 2, width: 1000, height: 700, maximized: false }, recent: ['/home/me/lab.json'] });
    expect((await SettingsStore.open(join(dir, 'profile'))).get().recent).toEqual(['/home/me/lab.json']);
  });

  it('starts afresh over a damaged file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmnetlab-settings-'));
    dirs.push(dir);
    writeFileSync(join(dir, SETTINGS_FILE), '{"recent": [');
    expect((await SettingsStore.open(dir)).get()).toEqual({ window: null, recent: [] });
  });
});
