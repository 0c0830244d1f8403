// The main window's security settings as plain data (no Electron import): its webPreferences, its Content-Security-Policy, and which permissions and navigations it gets.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { sameAppUrl } from './app-url';

/** The window's web preferences besides the preload: isolated, sandboxed, no Node, web security on. */
export const secureWebPreferences = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
} satisfies WebPreferences);

export const DEFAULT_WIDTH = 1280;
export const DEFAULT_HEIGHT = 800;
export const MIN_WIDTH = 900;
export const MIN_HEIGHT = 600;

export interface MainWindowInputs {
  /** Absolute path of the built preload (dist/electron/preload.cjs): the only script with Electron access. */
  preloadPath: string;
  bounds?: { x?: number; y?: number; width: number; height: number };
  /** Development build: DevTools allowed. */
  dev: boolean;
  /** The window icon (Linux and Windows). */
  iconPath?: string;
}

/** The options `window.ts` creates the main window with. */
export function mainWindowOptions(inputs: MainWindowInputs): BrowserWindowConstructorOptions {
  const b = inputs.bounds;
  return {
    title: 'VM Net Lab',
    width: b?.width ?? DEFAULT_WIDTH,
    height: b?.height ?? DEFAULT_HEIGHT,
    ...(b?.x !== undefined && b?.y !== undefined ? { x: b.x, y: b.y } : {}),
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    // Shown on ready-to-show, so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#1e293b',
    ...(inputs.iconPath ? { icon: inputs.iconPath } : {}),
    webPreferences: {
      ...secureWebPreferences,
      preload: inputs.preloadPath,
      devTools: inputs.dev,
    },
  };
}

/**
 * The renderer's Content-Security-Policy: its own files only, no inline or eval'd script, no network but
 * its own origin (and, in development, Vite's dev server for hot reload). Inline styles stay allowed because
 * Cytoscape and xterm.js insert <style> elements; a style cannot run code.
 */
export function contentSecurityPolicy(devServer?: string): string {
  let connect = "'self'";
  if (devServer) {
    const u = new URL(devServer);
    const ws = `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}`;
    connect = `'self' ${u.origin} ${ws}`;
  }
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "worker-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "child-src 'none'",
    "media-src 'none'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The one permission the window gets: writing text to the clipboard (copying from a terminal). Everything else (camera, notifications, geolocation, HID…) is refused. */
export function permissionAllowed(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}

/** Navigation away from the app's page is refused (a link, a drop, a script); reloading the page itself is not a navigation elsewhere. */
export function navigationAllowed(url: string, appUrl: string | null): boolean {
  return appUrl !== null && sameAppUrl(url, appUrl);
}
