// The built main process, run against a stand-in for Electron: one instance, the secure window and session, IPC only from the app's page, the menu, the unsaved-changes prompt, the remembered window.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Answer } from '../../core/api/contract';
import type { LabSnapshot } from '../../core/api/dto';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from '../../electron/ipc-channels';
import { contentSecurityPolicy, mainWindowOptions } from '../../electron/window-options';
import { bundle, type FakeElectron, fakeElectron, fakeEvent, type FakeOptions, loadWithElectron } from './electron-fake';

const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;
let mainBundle: string;
let rendererIndex: string;
let appUrl: string;
const started: FakeElectron[] = [];

beforeAll(async () => {
  // The main process tells refused IPC on the console; these tests provoke it on purpose.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  dir = mkdtempSync(join(tmpdir(), 'vmnetlab-main-'));
  // The layout of dist/: electron/main.cjs beside renderer/index.html.
  mainBundle = join(dir, 'electron', 'main.cjs');
  await bundle(join(ROOT, 'electron/main.ts'), mainBundle);
  mkdirSync(join(dir, 'renderer'));
  rendererIndex = join(dir, 'renderer', 'index.html');
  writeFileSync(rendererIndex, '<!doctype html><title>VM Net Lab</title><script type="module" src="./app.js"></script>');
  writeFileSync(join(dir, 'renderer', 'app.js'), 'export {};');
  appUrl = pathToFileURL(rendererIndex).href;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(() => {
  // Quitting closes the lab host (its clock) and writes the settings.
  for (const f of started.splice(0)) f.module.app.emit('will-quit', fakeEvent());
});

/** Starts the main process against a fresh fake Electron and waits until its window exists. */
async function start(options: Partial<FakeOptions> = {}): Promise<FakeElectron> {
  const userData = options.userData ?? mkdtempSync(join(dir, 'user-'));
  const f = fakeElectron({ userData, documents: join(dir, 'documents'), appPath: ROOT, ...options });
  started.push(f);
  loadWithElectron(mainBundle, f.module);
  if (options.singleInstance !== false) await vi.waitFor(() => expect(f.windows.length).toBe(1), { timeout: 20_000 });
  return f;
}

function mainFrameEvent(f: FakeElectron, url = appUrl) {
  return { sender: { id: f.windows[0].webContents.id }, senderFrame: { url, parent: null } };
}

async function request<R>(f: FakeElectron, name: string, params: unknown = {}): Promise<Answer<R>> {
  return (await f.handlers.get(REQUEST_CHANNEL)!(mainFrameEvent(f), name, params)) as Answer<R>;
}

describe('the main process', () => {
  it('runs once: a second instance leaves at once, without a window or a lab', async () => {
    const f = await start({ singleInstance: false });
    await new Promise((r) => setTimeout(r, 50));
    expect(f.calls).toContain('quit');
    expect(f.windows).toHaveLength(0);
    expect(f.handlers.size).toBe(0);
  });

  it('creates its window with the secure options and its own preload, sandboxes every renderer, and loads the built page', async () => {
    const f = await start();
    expect(f.calls.slice(0, 2)).toEqual(['enableSandbox', 'requestSingleInstanceLock']);
    const win = f.windows[0];
    const expected = mainWindowOptions({ preloadPath: join(dir, 'electron', 'preload.cjs'), dev: true, iconPath: join(ROOT, 'resources/icons/png/512x512.png') });
    expect(win.options).toEqual({ ...expected, title: 'VM Net Lab' });
    expect(win.loadedUrl).toBe(appUrl);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('serves file:// only from the renderer, each response with the Content-Security-Policy', async () => {
    const f = await start();
    const handler = f.protocols.get('file')!;
    const page = await handler({ url: appUrl });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const script = await handler({ url: pathToFileURL(join(dir, 'renderer', 'app.js')).href });
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await handler({ url: 'file:///etc/passwd' })).status).toBe(404);
    expect((await handler({ url: pathToFileURL(mainBundle).href })).status).toBe(404);
  });

  it('closes the network, puts the policy on any http response, and refuses permissions', async () => {
    const f = await start();
    const cancelled = (url: string): boolean => {
      let cancel = false;
      f.sessionHooks.beforeRequest!({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(cancelled('https://example.com/tracker.js')).toBe(true);
    expect(cancelled('ws://127.0.0.1:8080/')).toBe(true);
    let headers: Record<string, string[]> = {};
    f.sessionHooks.headersReceived!({ url: 'http://x/', responseHeaders: { 'content-security-policy': ['default-src *'] } }, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'Content-Security-Policy': [contentSecurityPolicy()] });
    const granted: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal']) f.sessionHooks.permissionRequest!({}, p, (g) => granted.push(g));
    expect(granted).toEqual([false, false, false, false]);
    expect(f.sessionHooks.permissionCheck!({}, 'media')).toBe(false);
    expect(f.sessionHooks.devicePermission!({})).toBe(false);
  });

  it('keeps every webContents on the app: navigation, redirects, webviews and new windows are refused', async () => {
    const f = await start();
    const wc = f.windows[0].webContents;
    for (const name of ['will-navigate', 'will-redirect']) {
      const away = fakeEvent();
      wc.emit(name, away, 'https://evil.example/');
      expect(away.defaultPrevented, name).toBe(true);
      const home = fakeEvent();
      wc.emit(name, home, `${appUrl}#/x`);
      expect(home.defaultPrevented, name).toBe(false);
    }
    const frame = fakeEvent({ url: 'file:///etc/passwd' });
    wc.emit('will-frame-navigate', frame);
    expect(frame.defaultPrevented).toBe(true);
    const webview = fakeEvent();
    wc.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
    expect(wc.openHandler!({ url: 'https://www.virtualbox.org/manual/' })).toEqual({ action: 'deny' });
    expect(wc.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(f.externals).toEqual(['https://www.virtualbox.org/manual/']);
  });

  it("answers the app's page from the lab host (the bundled default lab) and refuses any other sender", async () => {
    const f = await start();
    const answer = await request<LabSnapshot>(f, 'lab.get');
    expect(answer.ok && answer.result.document.name).toBe('Host-only, bridged and NAT (VirtualBox)');
    const handle = f.handlers.get(REQUEST_CHANNEL)!;
    const other = { sender: { id: 999 }, senderFrame: { url: appUrl, parent: null } };
    expect(await handle(other, 'lab.get', {})).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(await handle(mainFrameEvent(f, 'https://evil.example/'), 'lab.get', {})).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(await handle({ sender: { id: f.windows[0].webContents.id }, senderFrame: { url: appUrl, parent: {} } }, 'lab.get', {})).toMatchObject({ ok: false, error: { code: 'refused' } });
  });

  it("sends the host's events to the window, and names the lab and its unsaved state in the title", async () => {
    const f = await start();
    const win = f.windows[0];
    expect(win.title).toBe('Host-only, bridged and NAT (VirtualBox) — VM Net Lab');
    expect((await request(f, 'vm.setRunning', { vm: 'vm3', running: false })).ok).toBe(true);
    await vi.waitFor(() => expect(win.webContents.sent.some((s) => s.channel === EVENT_CHANNEL && s.args[0] === 'lab.changed' && (s.args[1] as LabSnapshot).dirty)).toBe(true));
    expect(win.title).toBe('● Host-only, bridged and NAT (VirtualBox) — VM Net Lab');
  });

  it('has File, Edit, View and Help; Toggle DevTools only in development', async () => {
    const dev = await start();
    const labels = (t: unknown) => (t as Array<{ label?: string; role?: string; submenu?: Array<{ label?: string; role?: string }> }>).map((m) => m.label ?? m.role);
    const template = dev.menus.at(-1) as Array<{ label?: string; submenu?: Array<{ label?: string; role?: string }> }>;
    expect(labels(template)).toEqual(['&File', '&Edit', '&View', '&Help']);
    const items = (i: number) => template[i].submenu!.map((s) => s.label ?? s.role);
    expect(items(0)).toEqual(['&New Lab', '&Open…', 'Open &Recent', undefined, '&Save', 'Save &As…', undefined, 'E&xit']);
    expect(items(2)).toContain('toggleDevTools');
    expect(items(3)).toEqual(['&Lessons', undefined, '&About VM Net Lab']);

    const packaged = await start({ isPackaged: true });
    const built = packaged.menus.at(-1) as typeof template;
    expect(built[2].submenu!.map((s) => s.role)).not.toContain('toggleDevTools');
    expect(packaged.windows[0].options.webPreferences).toMatchObject({ devTools: false });
  });

  it('asks before closing a lab with unsaved changes: Cancel keeps the window, Don’t Save closes it', async () => {
    const f = await start({ messageBoxAnswers: [2, 1] });
    const win = f.windows[0];
    expect((await request(f, 'vm.setRunning', { vm: 'vm3', running: false })).ok).toBe(true);
    win.close();
    await vi.waitFor(() => expect(f.messageBoxes).toHaveLength(1));
    expect(f.messageBoxes[0]).toMatchObject({ buttons: ['Save', "Don't Save", 'Cancel'], message: expect.stringContaining('save the changes') });
    await new Promise((r) => setTimeout(r, 20));
    expect(win.destroyed).toBe(false);
    win.close();
    await vi.waitFor(() => expect(win.destroyed).toBe(true));
    expect(f.messageBoxes).toHaveLength(2);
  });

  it('closes at once when nothing is unsaved', async () => {
    const f = await start();
    f.windows[0].close();
    await vi.waitFor(() => expect(f.windows[0].destroyed).toBe(true));
    expect(f.messageBoxes).toHaveLength(0);
  });

  it('remembers the window’s place and size in userData and reopens there', async () => {
    const first = await start();
    const userData = first.module.app.getPath('userData');
    first.windows[0].normalBounds = { x: 120, y: 80, width: 1100, height: 720 };
    first.windows[0].emit('resize');
    first.module.app.emit('will-quit', fakeEvent());
    started.splice(started.indexOf(first), 1);
    await vi.waitFor(() => expect(JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8')).window).toEqual({ x: 120, y: 80, width: 1100, height: 720, maximized: false }));

    const second = await start({ userData });
    expect(second.windows[0].options).toMatchObject({ x: 120, y: 80, width: 1100, height: 720 });
  });

  it('saves through the native dialog and puts the file in Open Recent', async () => {
    const target = join(mkdtempSync(join(dir, 'save-')), 'my lab.json');
    const f = await start({ saveDialogAnswers: [target] });
    const file = (f.menus.at(-1) as Array<{ submenu: Array<{ label?: string; click?: () => void; submenu?: Array<{ label?: string }> }> }>)[0].submenu;
    file.find((i) => i.label === '&Save')!.click!();
    await vi.waitFor(() => expect(JSON.parse(readFileSync(target, 'utf8')).name).toBe('Host-only, bridged and NAT (VirtualBox)'));
    await vi.waitFor(() => {
      const recent = (f.menus.at(-1) as Array<{ submenu: typeof file }>)[0].submenu.find((i) => i.label === 'Open &Recent')!.submenu!;
      expect(recent[0].label).toBe('my lab.json');
    });
    await vi.waitFor(() => expect(f.windows[0].title).toBe('my lab.json — VM Net Lab'));
  });

  it('opens Help → Lessons from the unpacked resources', async () => {
    const f = await start();
    const help = (f.menus.at(-1) as Array<{ submenu: Array<{ label?: string; click?: () => void }> }>)[3].submenu;
    help.find((i) => i.label === '&Lessons')!.click!();
    await vi.waitFor(() => expect(f.openedPaths).toEqual([join(ROOT, 'resources/lessons/index.md')]));
  });
});
