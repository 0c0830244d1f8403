// Creates the main window from the secure options, and puts the security policy on its session and on every webContents.
import { BrowserWindow, net, protocol, shell, type Session, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';
import { externalLinkAllowed, isLoopbackHttp, mimeType, rendererFile } from './app-url';
import { contentSecurityPolicy, mainWindowOptions, navigationAllowed, permissionAllowed } from './window-options';

export interface MainWindowSpec {
  preloadPath: string;
  /** The page: the built renderer's index.html as a file:// URL, or Vite's dev server. */
  appUrl: string;
  bounds: { x?: number; y?: number; width: number; height: number } | null;
  maximized: boolean;
  dev: boolean;
  iconPath?: string;
}

export function createMainWindow(spec: MainWindowSpec): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions({ preloadPath: spec.preloadPath, dev: spec.dev, iconPath: spec.iconPath, ...(spec.bounds ? { bounds: spec.bounds } : {}) }));
  // The title bar shows the lab's name (main.ts), not the page's <title>.
  win.on('page-title-updated', (e) => e.preventDefault());
  win.once('ready-to-show', () => {
    if (spec.maximized) win.maximize();
    win.show();
  });
  void win.loadURL(spec.appUrl);
  return win;
}

/** For every webContents the app ever has: no navigation away from the app, no new windows (https links go to the system browser), no <webview>. */
export function hardenContents(contents: WebContents, appUrl: () => string | null): void {
  const refuse = (e: { preventDefault(): void }, url: string): void => {
    if (!navigationAllowed(url, appUrl())) e.preventDefault();
  };
  contents.on('will-navigate', (e, url) => refuse(e, url));
  contents.on('will-frame-navigate', (e) => refuse(e, e.url));
  contents.on('will-redirect', (e, url) => refuse(e, url));
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (externalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export interface SessionPolicy {
  /** The built renderer's directory: the only files file:// may serve. */
  rendererDir: string;
  /** Vite's dev server in development, the only network origin then; none in a build. */
  devServer?: string;
}

/**
 * The session's side of the policy: every response of the page carries the Content-Security-Policy (file://
 * responses through our file handler, which also keeps the page inside the renderer's directory; the dev server's
 * through webRequest), the network is closed except to the dev server, and permissions are refused.
 */
export function applySessionPolicy(ses: Session, policy: SessionPolicy): void {
  const csp = contentSecurityPolicy(policy.devServer);
  const devOrigin = policy.devServer && isLoopbackHttp(policy.devServer) ? new URL(policy.devServer).origin : null;

  protocol.handle('file', async (request) => {
    const file = rendererFile(request.url, policy.rendererDir);
    if (file === null) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    const response = await net.fetch(pathToFileURL(file).href, { bypassCustomProtocolHandlers: true });
    const headers = new Headers(response.headers);
    if (!headers.has('content-type')) headers.set('content-type', mimeType(file));
    headers.set('content-security-policy', csp);
    headers.set('x-content-type-options', 'nosniff');
    // Vite's module scripts are CORS requests from the page's opaque origin; only the app's own files get here.
    headers.set('access-control-allow-origin', '*');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  });

  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    const u = new URL(details.url);
    const sameAsDev = devOrigin !== null && `${u.protocol === 'ws:' ? 'http:' : u.protocol === 'wss:' ? 'https:' : u.protocol}//${u.host}` === devOrigin;
    callback({ cancel: !sameAsDev });
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });

  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionAllowed(permission)));
  ses.setPermissionCheckHandler((_contents, permission) => permissionAllowed(permission));
  ses.setDevicePermissionHandler(() => false);
}
