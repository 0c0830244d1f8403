// The main process's IPC: only the main frame of the app's window, showing the app's page, reaches the lab host; the host's events go to that page only.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Answer, HostEndpoint } from '../../core/api/contract';
import type { LabSnapshot } from '../../core/api/dto';
import { LabHost } from '../../electron/host/lab-host';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from '../../electron/ipc-channels';
import { attachIpcTransport, type SenderEvent, senderProblem } from '../../electron/ipc-transport';

const ROOT = resolve(import.meta.dirname, '../..');
const APP = pathToFileURL('/opt/VM Net Lab/resources/app.asar/dist/renderer/index.html').href;
const expected = { webContentsId: 7, url: APP };

function event(id: number, url: string, parent: unknown = null): SenderEvent {
  return { sender: { id }, senderFrame: { url, parent } };
}

describe('the sender check', () => {
  it("accepts the main window's main frame at the app's page (with a fragment or query)", () => {
    expect(senderProblem(event(7, APP), expected)).toBeNull();
    expect(senderProblem(event(7, `${APP}#/machines/vm1`), expected)).toBeNull();
    expect(senderProblem(event(7, `${APP}?lang=zh-CN`), expected)).toBeNull();
  });

  it('refuses other webContents, subframes, other pages and origins, vanished frames, and everything when there is no window', () => {
    expect(senderProblem(event(8, APP), expected)).toMatch(/not the main window/);
    expect(senderProblem(event(7, APP, { url: APP }), expected)).toMatch(/subframe/);
    expect(senderProblem(event(7, 'https://evil.example/'), expected)).toMatch(/not the app's/);
    expect(senderProblem(event(7, 'file:///tmp/evil.html'), expected)).toMatch(/not the app's/);
    expect(senderProblem(event(7, 'file:///opt/VM%20Net%20Lab/resources/app.asar/dist/renderer/other.html'), expected)).toMatch(/not the app's/);
    expect(senderProblem(event(7, 'file://remote-host/opt/VM%20Net%20Lab/resources/app.asar/dist/renderer/index.html'), expected)).toMatch(/not the app's/);
    expect(senderProblem(event(7, 'data:text/html,hi'), expected)).toMatch(/not the app's/);
    expect(senderProblem(event(7, 'about:blank'), expected)).toMatch(/not the app's/);
    expect(senderProblem({ sender: { id: 7 }, senderFrame: null }, expected)).toMatch(/gone/);
    expect(senderProblem(event(7, APP), null)).toMatch(/no main window/);
  });

  it("in development accepts Vite's dev server origin and no other", () => {
    const dev = { webContentsId: 7, url: 'http://localhost:5173/' };
    expect(senderProblem(event(7, 'http://localhost:5173/#/x'), dev)).toBeNull();
    expect(senderProblem(event(7, 'http://localhost:5174/'), dev)).not.toBeNull();
    expect(senderProblem(event(7, 'http://127.0.0.1:5173/'), dev)).not.toBeNull();
    expect(senderProblem(event(7, APP), dev)).not.toBeNull();
  });
});

/** ipcMain and a window's webContents, as far as the transport uses them. */
function fakes() {
  const handlers = new Map<string, (event: SenderEvent, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain = {
    handle: (channel: string, fn: (event: SenderEvent, ...args: unknown[]) => Promise<unknown>) => void handlers.set(channel, fn),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
  const sent: unknown[][] = [];
  const contents = { id: 7, destroyed: false, isDestroyed: () => contents.destroyed, send: (...args: unknown[]) => void sent.push(args), mainFrame: { url: APP } };
  return { handlers, ipcMain, contents, sent };
}

describe('the IPC transport', () => {
  let host: LabHost | null = null;
  afterEach(() => host?.close());

  it("answers the app's page from the host, and refuses a stranger without asking the host", async () => {
    host = new LabHost({ labsDir: resolve(ROOT, 'resources/labs'), play: false, settle: false });
    const spy = vi.spyOn(host, 'handle');
    const f = fakes();
    const logged: string[] = [];
    attachIpcTransport({ ipcMain: f.ipcMain, host, target: () => ({ contents: f.contents, url: APP }), log: (m) => logged.push(m) });
    const handle = f.handlers.get(REQUEST_CHANNEL)!;

    const answer = (await handle(event(7, APP), 'lab.get', {})) as Answer<LabSnapshot>;
    expect(answer.ok && answer.result.canUndo).toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);

    for (const bad of [event(9, APP), event(7, APP, {}), event(7, 'https://evil.example/')]) {
      expect(await handle(bad, 'file.saveAs', { path: '/tmp/stolen.json' })).toEqual({ ok: false, error: { code: 'refused', message: expect.any(String) } });
    }
    expect(spy).toHaveBeenCalledTimes(1);
    expect(logged).toHaveLength(3);

    // Malformed requests from the right page are the host's to refuse, with a typed answer.
    expect(await handle(event(7, APP), 42, {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await handle(event(7, APP), 'lab.nonsense', {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await handle(event(7, APP), 'clock.setSpeed', { speed: 'fast' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it("forwards the host's events to the app's page only, and stops when detached", () => {
    let listener: Parameters<HostEndpoint['subscribe']>[0] | null = null;
    const fakeHost: HostEndpoint = {
      handle: async () => ({ ok: true, result: null }),
      subscribe: (l) => {
        listener = l;
        return () => (listener = null);
      },
    };
    const f = fakes();
    const detach = attachIpcTransport({ ipcMain: f.ipcMain, host: fakeHost, target: () => ({ contents: f.contents, url: APP }) });
    listener!('clock', { nowUs: 1, running: true, speed: 1 });
    expect(f.sent).toEqual([[EVENT_CHANNEL, 'clock', { nowUs: 1, running: true, speed: 1 }]]);

    f.contents.mainFrame.url = 'https://evil.example/';
    listener!('clock', { nowUs: 2, running: true, speed: 1 });
    f.contents.mainFrame.url = APP;
    f.contents.destroyed = true;
    listener!('clock', { nowUs: 3, running: true, speed: 1 });
    expect(f.sent).toHaveLength(1);

    detach();
    expect(f.handlers.has(REQUEST_CHANNEL)).toBe(false);
    expect(listener).toBeNull();
  });

  it('answers even when a host breaks its promise and throws', async () => {
    const throwing: HostEndpoint = { handle: () => Promise.reject(new Error('boom')), subscribe: () => () => undefined };
    const f = fakes();
    attachIpcTransport({ ipcMain: f.ipcMain, host: throwing, target: () => ({ contents: f.contents, url: APP }) });
    expect(await f.handlers.get(REQUEST_CHANNEL)!(event(7, APP), 'lab.get', {})).toEqual({ ok: false, error: { code: 'internal', message: 'the lab failed to answer' } });
  });
});
