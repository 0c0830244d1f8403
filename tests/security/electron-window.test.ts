// The Electron window's security, read from the code that creates it: web preferences, preload, Content-Security-Policy, permissions, navigation and which files file:// may serve.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { externalLinkAllowed, rendererFile, sameAppUrl } from '../../electron/app-url';
import { contentSecurityPolicy, mainWindowOptions, navigationAllowed, permissionAllowed, secureWebPreferences } from '../../electron/window-options';

const ROOT = resolve(import.meta.dirname, '../..');
const source = (file: string): string => readFileSync(join(ROOT, 'electron', file), 'utf8');
/** Every TypeScript file of the main process and preload (not the CLI, host or transports' subfolders, which make no windows, but checked too). */
function electronSources(dir = join(ROOT, 'electron')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? electronSources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0] !== '').map(([name, ...values]) => [name, values]));
}

describe('the main window is created with the secure options', () => {
  it('window.ts creates its window from window-options.ts, and nothing else in electron/ creates one', () => {
    const win = source('window.ts');
    expect(win).toMatch(/import \{[^}]*\bmainWindowOptions\b[^}]*\} from '\.\/window-options';/);
    expect(win).toMatch(/new BrowserWindow\(mainWindowOptions\(/);
    const creators = electronSources().filter((f) => /new BrowserWindow\(/.test(readFileSync(f, 'utf8')));
    expect(creators.map((f) => f.slice(ROOT.length + 1))).toEqual(['electron/window.ts']);
  });

  it('window-options.ts imports nothing of Electron at run time (so this test reads the real options)', () => {
    const imports = source('window-options.ts').match(/^import .*$/gm) ?? [];
    for (const line of imports.filter((l) => /from 'electron'/.test(l))) expect(line).toMatch(/^import type /);
  });

  it('isolates the page, sandboxes it, keeps web security and gives it no Node', () => {
    const options = mainWindowOptions({ preloadPath: '/app/dist/electron/preload.cjs', dev: false });
    const p = options.webPreferences!;
    expect(p.contextIsolation).toBe(true);
    expect(p.sandbox).toBe(true);
    expect(p.webSecurity).toBe(true);
    expect(p.nodeIntegration).toBe(false);
    expect(p.nodeIntegrationInWorker).toBe(false);
    expect(p.nodeIntegrationInSubFrames).toBe(false);
    expect(p.allowRunningInsecureContent).toBe(false);
    expect(p.webviewTag).toBe(false);
    expect(p.experimentalFeatures).toBe(false);
    expect(p.devTools).toBe(false);
    expect(mainWindowOptions({ preloadPath: '/p.cjs', dev: true }).webPreferences!.devTools).toBe(true);
    // Nothing the caller passes can weaken them.
    expect(Object.keys(secureWebPreferences).every((k) => p[k as keyof typeof p] === secureWebPreferences[k as keyof typeof secureWebPreferences])).toBe(true);
  });

  it('has no preload but ours: the one path it is given, and no session-wide preloads anywhere', () => {
    const options = mainWindowOptions({ preloadPath: '/app/dist/electron/preload.cjs', dev: false });
    expect(options.webPreferences!.preload).toBe('/app/dist/electron/preload.cjs');
    expect(source('main.ts')).toMatch(/const preloadPath = join\(__dirname, 'preload\.cjs'\);/);
    for (const file of electronSources()) {
      const text = withoutComments(readFileSync(file, 'utf8'));
      expect(text, file).not.toMatch(/setPreloads|registerPreloadScript/);
      if (!file.endsWith('window-options.ts')) expect(text, file).not.toMatch(/\bpreload:\s/);
    }
  });

  it('reopens where it was left, within its minimum size', () => {
    const options = mainWindowOptions({ preloadPath: '/p.cjs', dev: false, bounds: { x: 40, y: 50, width: 1000, height: 700 } });
    expect([options.x, options.y, options.width, options.height]).toEqual([40, 50, 1000, 700]);
    expect(options.minWidth).toBeGreaterThan(0);
    expect(options.show).toBe(false);
  });
});

describe('the Content-Security-Policy is strict', () => {
  it('allows only the app itself: no inline or eval script, no plugins, no frames, no base or form targets', () => {
    const d = directives(contentSecurityPolicy());
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('frame-src')).toEqual(["'none'"]);
    expect(d.get('worker-src')).toEqual(["'self'"]);
  });

  it('never allows eval, wildcards or whole schemes, in development either', () => {
    for (const csp of [contentSecurityPolicy(), contentSecurityPolicy('http://localhost:5173')]) {
      expect(csp).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic/);
      for (const [name, values] of directives(csp)) {
        for (const v of values) {
          expect(v, `${name} ${v}`).not.toBe('*');
          expect(v, `${name} ${v}`).not.toMatch(/^(https?|wss?|file|blob|filesystem):$/);
        }
        if (name !== 'style-src') expect(values, name).not.toContain("'unsafe-inline'");
      }
    }
  });

  it('in development lets the page reach only Vite’s dev server, for hot reload', () => {
    const d = directives(contentSecurityPolicy('http://localhost:5173'));
    expect(d.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(d.get('script-src')).toEqual(["'self'"]);
  });
});

describe('permissions and navigation are refused', () => {
  it('refuses every permission but writing to the clipboard', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'clipboard-read', 'display-capture', 'hid', 'serial', 'usb', 'idle-detection', 'storage-access', 'unknown']) {
      expect(permissionAllowed(p), p).toBe(false);
    }
    expect(permissionAllowed('clipboard-sanitized-write')).toBe(true);
  });

  it('lets the window show only its own page', () => {
    const app = pathToFileURL('/opt/VM Net Lab/resources/app.asar/dist/renderer/index.html').href;
    expect(navigationAllowed(`${app}#/settings`, app)).toBe(true);
    expect(navigationAllowed('file:///opt/VM%20Net%20Lab/resources/app.asar/dist/renderer/index.html?x=1', app)).toBe(true);
    expect(navigationAllowed('file:///etc/passwd', app)).toBe(false);
    expect(navigationAllowed('file:///opt/VM%20Net%20Lab/resources/app.asar/dist/renderer/other.html', app)).toBe(false);
    expect(navigationAllowed('https://example.com/', app)).toBe(false);
    expect(navigationAllowed('javascript:alert(1)', app)).toBe(false);
    expect(navigationAllowed('data:text/html,<script>1</script>', app)).toBe(false);
    expect(navigationAllowed(app, null)).toBe(false);
    // The dev server is one origin; another port is another origin.
    expect(navigationAllowed('http://localhost:5173/anything', 'http://localhost:5173/')).toBe(true);
    expect(navigationAllowed('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(sameAppUrl('not a url', app)).toBe(false);
  });

  it('hands only https links to the system browser', () => {
    expect(externalLinkAllowed('https://www.virtualbox.org/manual/')).toBe(true);
    for (const url of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.com/', 'nonsense']) {
      expect(externalLinkAllowed(url), url).toBe(false);
    }
  });
});

describe('file:// serves only the built renderer', () => {
  const dir = resolve('/opt/app/dist/renderer');
  it('serves files inside the renderer directory', () => {
    expect(rendererFile(pathToFileURL(join(dir, 'index.html')).href, dir)).toBe(join(dir, 'index.html'));
    expect(rendererFile(pathToFileURL(join(dir, 'assets/index-1a2b.js')).href, dir)).toBe(join(dir, 'assets/index-1a2b.js'));
  });

  it('refuses everything else: other files, escapes by .. or by encoding, a sibling with the same prefix, remote hosts', () => {
    for (const url of [
      'file:///etc/passwd',
      pathToFileURL(join(dir, '..', 'electron', 'main.cjs')).href,
      `${pathToFileURL(dir).href}/..%2f..%2fetc/passwd`,
      `${pathToFileURL(dir).href}/%2e%2e/%2e%2e/cli.mjs`,
      pathToFileURL(`${dir}-evil/index.html`).href,
      pathToFileURL(dir).href,
      'file://server/share/dist/renderer/index.html',
      'https://example.com/index.html',
      'not a url',
    ]) {
      expect(rendererFile(url, dir), url).toBeNull();
    }
  });
});
