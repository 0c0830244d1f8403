// The preload bridge (`window.vmnetlab`): exactly the contract's requests and `on`, answers never exceptions, events without the IPC event object; the sandboxed preload bundle itself.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventNames, requestNames } from '../../core/api/contract';
import { buildBridgeApi, type BridgeTransport } from '../../electron/bridge-api';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from '../../electron/ipc-channels';
import { bundle, loadWithElectron } from './electron-fake';

const ROOT = resolve(import.meta.dirname, '../..');

/** A transport that records requests and lets the test play the main process's events. */
function fakeTransport(answer: (name: string, params: unknown) => Promise<unknown> = async () => ({ ok: true, result: 'fine' })) {
  const invoked: Array<[string, unknown]> = [];
  let listener: ((event: unknown, payload: unknown) => void) | null = null;
  let subscriptions = 0;
  const transport: BridgeTransport = {
    invoke: (name, params) => {
      invoked.push([name, params]);
      return answer(name, params);
    },
    on: (l) => {
      subscriptions++;
      listener = l;
      return () => {
        subscriptions--;
        listener = null;
      };
    },
  };
  return { transport, invoked, emit: (event: unknown, payload: unknown) => listener?.(event, payload), subscriptions: () => subscriptions };
}

describe('the bridge has one function per request of the contract', () => {
  it('offers exactly the request names and on, all functions, frozen', () => {
    const api = buildBridgeApi(fakeTransport().transport);
    expect(Object.keys(api).sort()).toEqual([...requestNames, 'on'].sort());
    for (const key of Object.keys(api)) expect(typeof (api as unknown as Record<string, unknown>)[key], key).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('sends each request under its own name with its parameters, and gives back the answer', async () => {
    const t = fakeTransport(async (name) => ({ ok: true, result: `answer to ${name}` }));
    const api = buildBridgeApi(t.transport);
    await expect(api['lab.get']({})).resolves.toEqual({ ok: true, result: 'answer to lab.get' });
    await api['shell.run']({ node: 'vm1', line: 'ip addr' });
    await (api['clock.play'] as (p?: unknown) => Promise<unknown>)();
    expect(t.invoked).toEqual([
      ['lab.get', {}],
      ['shell.run', { node: 'vm1', line: 'ip addr' }],
      ['clock.play', {}],
    ]);
  });

  it('answers an error, never throws, when the main process refuses or says nothing sensible', async () => {
    const rejecting = buildBridgeApi(fakeTransport(async () => Promise.reject(new Error('no handler registered'))).transport);
    const answer = await rejecting['lab.get']({});
    expect(answer).toEqual({ ok: false, error: { code: 'internal', message: expect.stringContaining('no handler registered') } });
    const odd = buildBridgeApi(fakeTransport(async () => 'surprise').transport);
    expect((await odd['matrix.compute']({})).ok).toBe(false);
    const refused = buildBridgeApi(fakeTransport(async () => ({ ok: false, error: { code: 'refused', message: 'no' } })).transport);
    expect(await refused['file.save']({})).toEqual({ ok: false, error: { code: 'refused', message: 'no' } });
  });
});

describe('on: events reach listeners as their payload only', () => {
  it('refuses an event the contract does not name', () => {
    const api = buildBridgeApi(fakeTransport().transport);
    const on = api.on as (event: string, listener: unknown) => () => void;
    for (const bad of ['lab.chnged', 'ipc', '__proto__', 'constructor', '', 'vmnetlab:event']) expect(() => on(bad, () => undefined), bad).toThrow(TypeError);
    expect(() => on('clock', 'not a function')).toThrow(TypeError);
    expect(() => on(42 as unknown as string, () => undefined)).toThrow(TypeError);
    for (const good of eventNames) expect(typeof on(good, () => undefined)).toBe('function');
  });

  it('calls the listener with the payload and nothing else, only for its event', () => {
    const t = fakeTransport();
    const api = buildBridgeApi(t.transport);
    const clock: unknown[][] = [];
    api.on('clock', (...args: unknown[]) => void clock.push(args));
    const payload = { nowUs: 5, running: true, speed: 1 };
    t.emit('clock', payload);
    t.emit('lab.changed', { other: true });
    t.emit('not-an-event', payload);
    t.emit(undefined, payload);
    expect(clock).toEqual([[payload]]);
    expect(clock[0]).toHaveLength(1);
  });

  it('stops calling after unsubscribing, and lets go of the IPC channel when nobody listens', () => {
    const t = fakeTransport();
    const api = buildBridgeApi(t.transport);
    const a = vi.fn();
    const b = vi.fn();
    const offA = api.on('terminal.output', a);
    const offB = api.on('terminal.output', b);
    const offC = api.on('clock', () => undefined);
    expect(t.subscriptions()).toBe(1);
    offA();
    offA();
    t.emit('terminal.output', { node: 'vm1', id: 1, text: 'x' });
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledTimes(1);
    offB();
    offC();
    expect(t.subscriptions()).toBe(0);
    api.on('clock', () => undefined);
    expect(t.subscriptions()).toBe(1);
  });

  it('keeps telling the other listeners when one throws', () => {
    const t = fakeTransport();
    const api = buildBridgeApi(t.transport);
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const after = vi.fn();
    api.on('clock', () => {
      throw new Error('listener bug');
    });
    api.on('clock', after);
    t.emit('clock', { nowUs: 0, running: false, speed: 1 });
    expect(after).toHaveBeenCalledTimes(1);
    quiet.mockRestore();
  });
});

describe('the sandboxed preload bundle', () => {
  let dir: string;
  let preload: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vmnetlab-preload-'));
    preload = join(dir, 'preload.cjs');
    await bundle(join(ROOT, 'electron/preload.ts'), preload);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('requires nothing but electron (a sandboxed preload has no Node modules)', () => {
    const required = [...readFileSync(preload, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });

  it('exposes the bridge as window.vmnetlab over the two channels, and never hands out ipcRenderer or its event', async () => {
    const exposed: Array<[string, unknown]> = [];
    const rendererListeners = new Map<string, (...args: unknown[]) => void>();
    const invocations: unknown[][] = [];
    const ipcRenderer = {
      invoke: (...args: unknown[]) => {
        invocations.push(args);
        return Promise.resolve({ ok: true, result: null });
      },
      on: (channel: string, fn: (...args: unknown[]) => void) => void rendererListeners.set(channel, fn),
      removeListener: (channel: string) => void rendererListeners.delete(channel),
      send: () => undefined,
    };
    loadWithElectron(preload, { contextBridge: { exposeInMainWorld: (key: string, value: unknown) => void exposed.push([key, value]) }, ipcRenderer });

    expect(exposed.map(([k]) => k)).toEqual(['vmnetlab']);
    const api = exposed[0][1] as Record<string, (...args: unknown[]) => unknown>;
    expect(Object.keys(api).sort()).toEqual([...requestNames, 'on'].sort());
    expect(Object.values(api)).not.toContain(ipcRenderer);
    expect(Object.values(api)).not.toContain(ipcRenderer.invoke);

    await api['capture.list']({});
    expect(invocations).toEqual([[REQUEST_CHANNEL, 'capture.list', {}]]);

    const got: unknown[][] = [];
    const off = api.on('tables.changed', (...args: unknown[]) => void got.push(args)) as () => void;
    const ipcEvent = { sender: ipcRenderer, senderId: 0, ports: [] };
    rendererListeners.get(EVENT_CHANNEL)!(ipcEvent, 'tables.changed', { tables: ['arp'] });
    expect(got).toEqual([[{ tables: ['arp'] }]]);
    off();
    expect(rendererListeners.has(EVENT_CHANNEL)).toBe(false);
  });
});
