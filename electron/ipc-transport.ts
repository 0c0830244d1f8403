// The main-process side of the Electron transport: requests from the main window's page reach the host over one invoke channel, the host's events go back to that page only.
import type { Answer, HostEndpoint } from '../core/api/contract';
import { sameAppUrl } from './app-url';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from './ipc-channels';

/** The frame a message came from (Electron's WebFrameMain). */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/** What the sender check reads of an IpcMainInvokeEvent. */
export interface SenderEvent {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameLike | null;
}

/** The page allowed to talk to the host: the main window's webContents showing the app's own URL. */
export interface ExpectedSender {
  readonly webContentsId: number;
  readonly url: string;
}

/** Why a message must not reach the host, or null when it comes from the main frame of the app's window at the app's URL. */
export function senderProblem(event: SenderEvent, expected: ExpectedSender | null): string | null {
  if (expected === null) return 'there is no main window';
  if (event.sender.id !== expected.webContentsId) return `webContents ${event.sender.id} is not the main window's`;
  const frame = event.senderFrame;
  // Null when the frame navigated away or was destroyed before the message was read.
  if (frame === null) return 'the sending frame is gone';
  if (frame.parent !== null) return 'a subframe may not talk to the lab';
  if (!sameAppUrl(frame.url, expected.url)) return `the page ${JSON.stringify(frame.url)} is not the app's`;
  return null;
}

/** The main window, as the transport needs it (Electron's BrowserWindow's webContents). */
export interface TargetContents {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  readonly mainFrame: { readonly url: string };
}

/** The part of Electron's ipcMain the transport uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcTransportOptions {
  ipcMain: IpcMainLike;
  host: HostEndpoint;
  /** The main window's contents and the URL it must show; null while there is no window. */
  target(): { contents: TargetContents; url: string } | null;
  /** Where refused messages are told. */
  log?: (message: string) => void;
}

/** Connects the host to the main window over IPC; returns the way to disconnect. */
export function attachIpcTransport(options: IpcTransportOptions): () => void {
  const log = options.log ?? (() => undefined);
  const expected = (): ExpectedSender | null => {
    const t = options.target();
    return t && !t.contents.isDestroyed() ? { webContentsId: t.contents.id, url: t.url } : null;
  };

  options.ipcMain.handle(REQUEST_CHANNEL, async (event, name, params): Promise<Answer<unknown>> => {
    const problem = senderProblem(event, expected());
    if (problem !== null) {
      log(`IPC request refused: ${problem}`);
      return { ok: false, error: { code: 'refused', message: 'this page may not talk to the lab' } };
    }
    if (typeof name !== 'string') return { ok: false, error: { code: 'bad-request', message: 'a request needs a name' } };
    try {
      return await options.host.handle(name, params);
    } catch (e) {
      // The host answers errors itself; this is only for a host that broke that promise.
      log(`the host threw on '${name}': ${e instanceof Error ? e.message : String(e)}`);
      return { ok: false, error: { code: 'internal', message: 'the lab failed to answer' } };
    }
  });

  const unsubscribe = options.host.subscribe((event, payload) => {
    const t = options.target();
    if (!t || t.contents.isDestroyed()) return;
    // A page that is not the app's (it should never get there) hears nothing of the lab.
    if (!sameAppUrl(t.contents.mainFrame.url, t.url)) return;
    t.contents.send(EVENT_CHANNEL, event, payload);
  });

  return () => {
    options.ipcMain.removeHandler(REQUEST_CHANNEL);
    unsubscribe();
  };
}
