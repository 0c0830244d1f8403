// What the desktop app remembers between runs, in userData/settings.json: the window's place and size, and the recently opened labs.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './host/files';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Settings {
  window: WindowState | null;
  /** Most recent first, absolute paths. */
  recent: string[];
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const SETTINGS_FILE = 'settings.json';
export const RECENT_LIMIT = 10;

export function defaultSettings(): Settings {
  return { window: null, recent: [] };
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Reads settings.json's text; anything missing or malformed falls back to the default, so a damaged file never stops the app. */
export function parseSettings(text: string): Settings {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return defaultSettings();
  }
  if (typeof raw !== 'object' || raw === null) return defaultSettings();
  const r = raw as { window?: unknown; recent?: unknown };
  const settings = defaultSettings();
  if (typeof r.window === 'object' && r.window !== null) {
    const w = r.window as Partial<Record<keyof WindowState, unknown>>;
    if (finite(w.width) && finite(w.height) && w.width > 0 && w.height > 0) {
      settings.window = { width: Math.round(w.width), height: Math.round(w.height), maximized: w.maximized === true };
      if (finite(w.x) && finite(w.y)) Object.assign(settings.window, { x: Math.round(w.x), y: Math.round(w.y) });
    }
  }
  if (Array.isArray(r.recent)) {
    settings.recent = [...new Set(r.recent.filter((p): p is string => typeof p === 'string' && p.length > 0 && p.length <= 4096))].slice(0, RECENT_LIMIT);
  }
  return settings;
}

/** The recent list after opening or saving `path`: it moves to the top, the list keeps RECENT_LIMIT entries. */
export function withRecent(recent: readonly string[], path: string): string[] {
  return [path, ...recent.filter((p) => p !== path)].slice(0, RECENT_LIMIT);
}

/**
 * Where the window reopens: its saved place when enough of it (its top 48 px, where the title bar is) is on
 * one of today's screens, otherwise its saved size, centred; sizes are kept within the smallest work area.
 */
export function restoredBounds(state: WindowState | null, workAreas: readonly Rect[], min: { width: number; height: number }): { x?: number; y?: number; width: number; height: number } | null {
  if (state === null) return null;
  const largest = workAreas.reduce<Rect | null>((a, b) => (a === null || b.width * b.height > a.width * a.height ? b : a), null);
  let width = Math.max(min.width, state.width);
  let height = Math.max(min.height, state.height);
  if (largest) {
    width = Math.min(width, Math.max(min.width, largest.width));
    height = Math.min(height, Math.max(min.height, largest.height));
  }
  if (state.x === undefined || state.y === undefined) return { width, height };
  const bar: Rect = { x: state.x, y: state.y, width, height: Math.min(48, height) };
  const visible = workAreas.some((a) => overlap(bar.x, bar.width, a.x, a.width) >= 100 && overlap(bar.y, bar.height, a.y, a.height) >= bar.height / 2);
  return visible ? { x: state.x, y: state.y, width, height } : { width, height };
}

function overlap(a: number, aLen: number, b: number, bLen: number): number {
  return Math.max(0, Math.min(a + aLen, b + bLen) - Math.max(a, b));
}

/** Settings kept in memory and written to `dir` a moment after each change (and at once on `flush`). */
export class SettingsStore {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private current: Settings,
  ) {}

  static async open(dir: string): Promise<SettingsStore> {
    let text: string | null = null;
    try {
      text = await readFile(join(dir, SETTINGS_FILE), 'utf8');
    } catch {
      // No file yet: the first run.
    }
    return new SettingsStore(dir, text === null ? defaultSettings() : parseSettings(text));
  }

  get(): Settings {
    return { window: this.current.window ? { ...this.current.window } : null, recent: [...this.current.recent] };
  }

  update(change: (s: Settings) => Settings, delayMs = 500): void {
    this.current = change(this.get());
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delayMs);
  }

  /** Writes now; never throws (a settings file that cannot be written costs only the memory of it). */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const text = `${JSON.stringify(this.current, null, 2)}\n`;
    this.writing = this.writing.then(async () => {
      try {
        await mkdir(this.dir, { recursive: true });
        await writeFileAtomic(join(this.dir, SETTINGS_FILE), text);
      } catch {
        // Read-only profile: the app still works, it just forgets.
      }
    });
    return this.writing;
  }
}
