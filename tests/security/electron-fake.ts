// A stand-in for the `electron` module, recording what the main process and preload bundles do with it, so they run under Vitest without a window.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

type Listener = (...args: never[]) => unknown;

/** Node's EventEmitter is enough, but a small one keeps what was registered inspectable. */
export class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(name: string, fn: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
    return this;
  }
  once(name: string, fn: Listener): this {
    return this.on(name, fn);
  }
  removeListener(name: string, fn: Listener): this {
    this.listeners.set(name, (this.listeners.get(name) ?? []).filter((f) => f !== fn));
    return this;
  }
  emit(name: string, ...args: unknown[]): void {
    for (const fn of this.listeners.get(name) ?? []) (fn as (...a: unknown[]) => unknown)(...args);
  }
  count(name: string): number {
    return this.listeners.get(name)?.length ?? 0;
  }
}

export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent(extra: Record<string, unknown> = {}): FakeEvent {
  const e = { defaultPrevented: false, preventDefault: () => void (e.defaultPrevented = true), ...extra };
  return e;
}

let nextContentsId = 1;

export class FakeWebContents extends Emitter {
  readonly id = nextContentsId++;
  readonly mainFrame = { url: '', parent: null as unknown };
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(fn: (details: { url: string }) => { action: string }): void {
    this.openHandler = fn;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FakeOptions {
  isPackaged?: boolean;
  singleInstance?: boolean;
  userData: string;
  documents: string;
  appPath: string;
  /** Answers of showMessageBox, in order (button index); 0 when none is left. */
  messageBoxAnswers?: number[];
  saveDialogAnswers?: Array<string | null>;
  openDialogAnswers?: Array<string | null>;
}

/** Builds a fake `electron` module; everything it is asked to do is recorded on the returned object. */
export function fakeElectron(options: FakeOptions) {
  const calls: string[] = [];
  const windows: FakeBrowserWindow[] = [];
  const messageBoxes: Array<Record<string, unknown>> = [];
  const errorBoxes: Array<[string, string]> = [];
  const externals: string[] = [];
  const openedPaths: string[] = [];
  const menus: unknown[] = [];
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  const protocols = new Map<string, (request: { url: string }) => Promise<Response>>();
  const sessionHooks: {
    beforeRequest?: (details: { url: string }, callback: (r: { cancel: boolean }) => void) => void;
    headersReceived?: (details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders: Record<string, string[]> }) => void) => void;
    permissionRequest?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    permissionCheck?: (contents: unknown, permission: string) => boolean;
    devicePermission?: (details: unknown) => boolean;
  } = {};
  const messageBoxAnswers = [...(options.messageBoxAnswers ?? [])];
  const saveAnswers = [...(options.saveDialogAnswers ?? [])];
  const openAnswers = [...(options.openDialogAnswers ?? [])];

  const app = Object.assign(new Emitter(), {
    isPackaged: options.isPackaged ?? false,
    exitCode: null as number | null,
    enableSandbox: () => void calls.push('enableSandbox'),
    requestSingleInstanceLock: () => {
      calls.push('requestSingleInstanceLock');
      return options.singleInstance ?? true;
    },
    quit: () => void calls.push('quit'),
    exit: (code: number) => {
      calls.push(`exit ${code}`);
      app.exitCode = code;
    },
    setName: (name: string) => void calls.push(`setName ${name}`),
    setAppUserModelId: () => undefined,
    getPath: (name: string) => (name === 'userData' ? options.userData : options.documents),
    getAppPath: () => options.appPath,
    getVersion: () => '0.0.0-test',
    whenReady: () => Promise.resolve(),
    addRecentDocument: () => undefined,
    clearRecentDocuments: () => undefined,
  });

  class FakeBrowserWindow extends Emitter {
    readonly webContents = new FakeWebContents();
    title = '';
    loadedUrl: string | null = null;
    destroyed = false;
    shown = false;
    normalBounds: Rect = { x: 0, y: 0, width: 1280, height: 800 };
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      // As Electron does, before the constructor returns.
      app.emit('web-contents-created', fakeEvent(), this.webContents);
    }
    loadURL(url: string): Promise<void> {
      this.loadedUrl = url;
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    }
    setTitle(title: string): void {
      this.title = title;
    }
    show(): void {
      this.shown = true;
    }
    close(): void {
      const e = fakeEvent();
      this.emit('close', e);
      if (e.defaultPrevented) return;
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
    isDestroyed = (): boolean => this.destroyed;
    isMinimized = (): boolean => false;
    isMaximized = (): boolean => false;
    isFullScreen = (): boolean => false;
    getNormalBounds = (): Rect => this.normalBounds;
    maximize = (): void => undefined;
    restore = (): void => undefined;
    focus = (): void => undefined;
    setDocumentEdited = (): void => undefined;
    setRepresentedFilename = (): void => undefined;
  }

  const fake = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => void handlers.set(channel, fn),
      removeHandler: (channel: string) => void handlers.delete(channel),
    },
    session: {
      defaultSession: {
        webRequest: {
          onBeforeRequest: (_filter: unknown, fn: typeof sessionHooks.beforeRequest) => void (sessionHooks.beforeRequest = fn),
          onHeadersReceived: (fn: typeof sessionHooks.headersReceived) => void (sessionHooks.headersReceived = fn),
        },
        setPermissionRequestHandler: (fn: typeof sessionHooks.permissionRequest) => void (sessionHooks.permissionRequest = fn),
        setPermissionCheckHandler: (fn: typeof sessionHooks.permissionCheck) => void (sessionHooks.permissionCheck = fn),
        setDevicePermissionHandler: (fn: typeof sessionHooks.devicePermission) => void (sessionHooks.devicePermission = fn),
      },
    },
    protocol: {
      handle: (scheme: string, fn: (request: { url: string }) => Promise<Response>) => void protocols.set(scheme, fn),
    },
    net: {
      // Electron's own file handler: the bytes, without a Content-Type (the handler must supply one).
      fetch: async (url: string) => {
        try {
          return new Response(readFileSync(fileURLToPath(url)), { status: 200 });
        } catch {
          return new Response('', { status: 404 });
        }
      },
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    shell: {
      openExternal: (url: string) => {
        externals.push(url);
        return Promise.resolve();
      },
      openPath: (path: string) => {
        openedPaths.push(path);
        return Promise.resolve('');
      },
    },
    dialog: {
      showMessageBox: (a: unknown, b?: unknown) => {
        messageBoxes.push((b ?? a) as Record<string, unknown>);
        return Promise.resolve({ response: messageBoxAnswers.shift() ?? 0, checkboxChecked: false });
      },
      showErrorBox: (title: string, content: string) => void errorBoxes.push([title, content]),
      showSaveDialog: () => {
        const path = saveAnswers.shift() ?? null;
        return Promise.resolve({ canceled: path === null, filePath: path ?? '' });
      },
      showOpenDialog: () => {
        const path = openAnswers.shift() ?? null;
        return Promise.resolve({ canceled: path === null, filePaths: path === null ? [] : [path] });
      },
    },
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (menu: { template: unknown }) => void menus.push(menu.template),
    },
  };
  return { module: fake, calls, windows, messageBoxes, errorBoxes, externals, openedPaths, menus, handlers, protocols, sessionHooks };
}

export type FakeElectron = ReturnType<typeof fakeElectron>;

type ModuleLoad = (request: string, parent: unknown, isMain: boolean) => unknown;
const nodeRequire = createRequire(import.meta.url);
const Module = nodeRequire('node:module') as unknown as { _load: ModuleLoad };

/** Loads a CommonJS bundle afresh with `electron` answered by `fake` (and nothing else changed). */
export function loadWithElectron(bundle: string, fake: unknown): unknown {
  const original = Module._load;
  Module._load = function (this: unknown, request, parent, isMain) {
    if (request === 'electron') return fake;
    return original.call(this, request, parent, isMain);
  } as ModuleLoad;
  try {
    delete nodeRequire.cache[bundle];
    return nodeRequire(bundle);
  } finally {
    Module._load = original;
  }
}

/** Bundles an Electron entry the way tools/build.mjs does (CommonJS, electron left external) into `outfile`. */
export async function bundle(entry: string, outfile: string): Promise<void> {
  await build({ entryPoints: [entry], outfile, bundle: true, format: 'cjs', platform: 'node', target: 'node20', external: ['electron'], logLevel: 'silent' });
}
