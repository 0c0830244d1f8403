// The Electron main process: one instance, the secure window, the lab host answering it over IPC, the menu, native dialogs and remembered settings.
import { app, BrowserWindow, dialog, ipcMain, screen, session, shell, type BaseWindow, type MessageBoxOptions, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LabSnapshot } from '../core/api/dto';
import packageJson from '../package.json' with { type: 'json' };
import { isLoopbackHttp } from './app-url';
import { errorDetail, FileActions, labPathFromArgv, type DesktopDialogs, windowTitle } from './file-actions';
import { LabHost } from './host/lab-host';
import { attachIpcTransport } from './ipc-transport';
import { installMenu } from './menu';
import { aboutText } from './menu-template';
import { restoredBounds, SettingsStore, withRecent } from './settings';
import { applySessionPolicy, createMainWindow, hardenContents } from './window';
import { MIN_HEIGHT, MIN_WIDTH } from './window-options';

const APP_NAME = 'VM Net Lab';
const dev = !app.isPackaged;
// main.cjs and preload.cjs sit in dist/electron/, the renderer in dist/renderer/.
const preloadPath = join(__dirname, 'preload.cjs');
const rendererDir = join(__dirname, '..', 'renderer');
const rendererIndex = join(rendererDir, 'index.html');
/** Vite's dev server (`npm run dev`), honoured only in an unpackaged build and only on loopback. */
const devServer = dev && process.env.VMNETLAB_DEV_URL && isLoopbackHttp(process.env.VMNETLAB_DEV_URL) ? process.env.VMNETLAB_DEV_URL : undefined;
const appUrl = devServer ?? pathToFileURL(rendererIndex).href;

/** Files that must be real files for the system to open them live beside app.asar, in app.asar.unpacked. */
function unpacked(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/]|$)/, '$1app.asar.unpacked$2');
}

const resourcesDir = join(app.getAppPath(), 'resources');
const iconPath = join(resourcesDir, 'icons', 'png', '512x512.png');

let mainWindow: BrowserWindow | null = null;
let quitting = false;

function log(message: string): void {
  console.warn(`[vmnetlab] ${message}`);
}

function start(): void {
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  if (process.platform === 'win32') app.setAppUserModelId('org.vmnetlab.app');
  app.setName(APP_NAME);

  let pendingPath: string | null = labPathFromArgv(process.argv.slice(1), process.cwd());
  let actions: FileActions | null = null;

  app.on('web-contents-created', (_e, contents) => hardenContents(contents, () => appUrl));
  app.on('second-instance', (_e, argv, workingDirectory) => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.show();
      mainWindow.focus();
    }
    const path = labPathFromArgv(argv.slice(1), workingDirectory);
    if (path && actions) void actions.openPath(path);
  });
  // macOS: a lab file dropped on the Dock icon or opened from Finder.
  app.on('open-file', (e, path) => {
    e.preventDefault();
    if (actions) void actions.openPath(path);
    else pendingPath = path;
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' || quitting) app.quit();
  });

  void app.whenReady().then(async () => {
    if (!devServer && !existsSync(rendererIndex)) {
      dialog.showErrorBox(`${APP_NAME} cannot start`, `The window's files are missing: ${rendererIndex}\nBuild them first with "npm run build".`);
      app.exit(1);
      return;
    }
    applySessionPolicy(session.defaultSession, { rendererDir, ...(devServer ? { devServer } : {}) });

    const settings = await SettingsStore.open(app.getPath('userData'));
    const host = new LabHost({ labsDir: join(resourcesDir, 'labs'), log });

    const parent = (): BaseWindow | null => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null);
    const messageBox = (options: MessageBoxOptions) => {
      const p = parent();
      return p ? dialog.showMessageBox(p, options) : dialog.showMessageBox(options);
    };
    const dialogs: DesktopDialogs = {
      async chooseLabToOpen() {
        const options: OpenDialogOptions = {
          title: 'Open Lab',
          defaultPath: app.getPath('documents'),
          filters: [{ name: 'VM Net Lab files', extensions: ['json'] }, { name: 'All Files', extensions: ['*'] }],
          properties: ['openFile'],
        };
        const p = parent();
        const r = p ? await dialog.showOpenDialog(p, options) : await dialog.showOpenDialog(options);
        return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
      },
      async chooseWhereToSave(suggested) {
        const options: SaveDialogOptions = {
          title: 'Save Lab',
          defaultPath: suggested,
          filters: [{ name: 'VM Net Lab files', extensions: ['json'] }],
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        };
        const p = parent();
        const r = p ? await dialog.showSaveDialog(p, options) : await dialog.showSaveDialog(options);
        return r.canceled || !r.filePath ? null : r.filePath;
      },
      async askToSave(name) {
        const r = await messageBox({
          type: 'warning',
          buttons: ['Save', "Don't Save", 'Cancel'],
          defaultId: 0,
          cancelId: 2,
          noLink: true,
          message: `Do you want to save the changes you made to ${name}?`,
          detail: "Your changes will be lost if you don't save them.",
        });
        return r.response === 0 ? 'save' : r.response === 1 ? 'discard' : 'cancel';
      },
      async showError(title, error) {
        await messageBox({ type: 'error', title, message: title, detail: errorDetail(error) });
      },
    };

    const rebuildMenu = (): void =>
      installMenu(
        {
          newLab: () => void actions?.newLab(),
          open: () => void actions?.open(),
          openRecent: (path) => void actions?.openPath(path),
          clearRecent: () => {
            settings.update((s) => ({ ...s, recent: [] }));
            if (process.platform === 'darwin') app.clearRecentDocuments();
            rebuildMenu();
          },
          save: () => void actions?.save(),
          saveAs: () => void actions?.saveAs(),
          undo: () => void actions?.undo(),
          redo: () => void actions?.redo(),
          lessons: () => void openLessons(),
          about: () => void showAbout(),
        },
        { platform: process.platform, dev, recent: settings.get().recent, appName: APP_NAME },
      );
    const remember = (path: string): void => {
      if (settings.get().recent[0] === path) return;
      settings.update((s) => ({ ...s, recent: withRecent(s.recent, path) }));
      if (process.platform === 'darwin') app.addRecentDocument(path);
      rebuildMenu();
    };
    const openLessons = async (): Promise<void> => {
      const dir = unpacked(join(resourcesDir, 'lessons'));
      const target = [join(dir, 'index.html'), join(dir, 'index.md')].find((p) => existsSync(p)) ?? dir;
      const problem = await shell.openPath(target);
      if (problem) await dialogs.showError('The lessons cannot be opened', { code: 'failed', message: `${target}: ${problem}` });
    };
    const showAbout = async (): Promise<void> => {
      const text = aboutText({ app: app.getVersion(), electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node }, packageJson.homepage);
      await messageBox({ type: 'info', title: `About ${APP_NAME}`, ...text, ...(existsSync(iconPath) ? { icon: iconPath } : {}) });
    };

    actions = new FileActions({
      host,
      dialogs,
      documentsDir: app.getPath('documents'),
      remember,
      forget: (path) => {
        settings.update((s) => ({ ...s, recent: s.recent.filter((p) => p !== path) }));
        rebuildMenu();
      },
      log,
    });

    // The first lab: the one named on the command line, else the bundled default, else File → New's.
    if (pendingPath) {
      const answer = await host.request('file.open', { path: pendingPath });
      if (answer.ok) remember(pendingPath);
      else log(`${pendingPath}: ${answer.error.message}`);
      pendingPath = null;
    } else {
      await host.request('file.openBundled', { name: 'default' });
    }

    attachIpcTransport({
      ipcMain,
      host,
      target: () => (mainWindow && !mainWindow.isDestroyed() ? { contents: mainWindow.webContents, url: appUrl } : null),
      log,
    });
    host.subscribe((event, payload) => {
      if (event !== 'lab.changed') return;
      const snapshot = payload as LabSnapshot;
      if (snapshot.path) remember(snapshot.path);
      const win = mainWindow;
      if (!win || win.isDestroyed()) return;
      win.setTitle(windowTitle(snapshot));
      if (process.platform === 'darwin') {
        win.setDocumentEdited(snapshot.dirty);
        win.setRepresentedFilename(snapshot.path ?? '');
      }
    });
    rebuildMenu();

    const openWindow = (): void => {
      const saved = settings.get().window;
      const bounds = restoredBounds(saved, screen.getAllDisplays().map((d) => d.workArea), { width: MIN_WIDTH, height: MIN_HEIGHT });
      const win = createMainWindow({ preloadPath, appUrl, bounds, maximized: saved?.maximized ?? false, dev, ...(existsSync(iconPath) ? { iconPath } : {}) });
      mainWindow = win;
      win.setTitle(windowTitle(host.snapshot()));
      const keepState = (): void => {
        if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
        const b = win.getNormalBounds();
        settings.update((s) => ({ ...s, window: { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() } }));
      };
      win.on('resize', keepState);
      win.on('move', keepState);
      win.on('maximize', keepState);
      win.on('unmaximize', keepState);
      let closeConfirmed = false;
      win.on('close', (e) => {
        keepState();
        if (closeConfirmed) return;
        e.preventDefault();
        void (actions?.confirmDiscard() ?? Promise.resolve(true)).then((ok) => {
          if (!ok) {
            quitting = false;
            return;
          }
          closeConfirmed = true;
          win.close();
        });
      });
      win.on('closed', () => {
        if (mainWindow === win) mainWindow = null;
      });
    };
    openWindow();
    app.on('activate', () => {
      if (mainWindow === null) openWindow();
    });

    let flushed = false;
    app.on('will-quit', (e) => {
      if (flushed) return;
      e.preventDefault();
      host.close();
      void settings.flush().finally(() => {
        flushed = true;
        app.quit();
      });
    });
  });
}

start();
