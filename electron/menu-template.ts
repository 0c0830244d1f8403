// The application menu as a template (no Electron import): File, Edit, View, Help, and on macOS the app menu and Window.
import { basename } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  newLab(): void;
  open(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  save(): void;
  saveAs(): void;
  undo(): void;
  redo(): void;
  lessons(): void;
  about(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Development build: View has Toggle Developer Tools. */
  dev: boolean;
  /** Most recent first. */
  recent: readonly string[];
  appName: string;
}

/** The menu's items; `menu.ts` builds it with Menu.buildFromTemplate. */
export function menuTemplate(actions: MenuActions, options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const recent: MenuItemConstructorOptions[] = options.recent.map((path) => ({
    label: basename(path),
    sublabel: path,
    toolTip: path,
    click: () => actions.openRecent(path),
  }));
  const recentMenu: MenuItemConstructorOptions[] = recent.length
    ? [...recent, { type: 'separator' }, { label: 'Clear Recently Opened', click: () => actions.clearRecent() }]
    : [{ label: 'No Recent Labs', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: '&New Lab', accelerator: 'CmdOrCtrl+N', click: () => actions.newLab() },
      { label: '&Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
      { label: 'Open &Recent', submenu: recentMenu },
      { type: 'separator' },
      { label: '&Save', accelerator: 'CmdOrCtrl+S', click: () => actions.save() },
      { label: 'Save &As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => actions.saveAs() },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit', label: 'E&xit' } as const]),
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      // The lab's history (each settings dialog's OK is one step), not a text field's.
      // Shown but not registered: the page sees these keys first, so a text field keeps its own undo and
      // the terminal its Ctrl-C; the window's own shortcuts turn them into lab undo/redo elsewhere.
      { label: '&Undo', accelerator: 'CmdOrCtrl+Z', registerAccelerator: false, click: () => actions.undo() },
      { label: '&Redo', accelerator: mac ? 'Cmd+Shift+Z' : 'Ctrl+Y', registerAccelerator: false, click: () => actions.redo() },
      { type: 'separator' },
      { role: 'cut', registerAccelerator: false },
      { role: 'copy', registerAccelerator: false },
      { role: 'paste', registerAccelerator: false },
      { role: 'selectAll', registerAccelerator: false },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'reload' },
      ...(options.dev ? [{ role: 'toggleDevTools' } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      { label: '&Lessons', accelerator: 'F1', click: () => actions.lessons() },
      ...(mac ? [] : [{ type: 'separator' } as const, { label: `&About ${options.appName}`, click: () => actions.about() }]),
    ],
  };

  if (!mac) return [file, edit, view, help];
  const appMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { label: `About ${options.appName}`, click: () => actions.about() },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  return [appMenu, file, edit, view, { role: 'windowMenu' }, help];
}

export interface AboutVersions {
  app: string;
  electron?: string;
  chrome?: string;
  node?: string;
}

/** The About box's text. */
export function aboutText(v: AboutVersions, homepage?: string): { message: string; detail: string } {
  const runtime = [v.electron && `Electron ${v.electron}`, v.chrome && `Chromium ${v.chrome}`, v.node && `Node.js ${v.node}`].filter(Boolean).join(' · ');
  const lines = [
    'VirtualBox and VMware Workstation networking, simulated: every frame real bytes, every mode as the real products behave.',
    '',
    ...(runtime ? [runtime] : []),
    ...(homepage ? [homepage] : []),
    'MIT License',
  ];
  return { message: `VM Net Lab ${v.app}`, detail: lines.join('\n') };
}
