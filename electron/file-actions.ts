// The desktop app's file commands (New, Open…, Open Recent, Save, Save As…, Undo, Redo) and the unsaved-changes prompt, over the lab host and injected dialogs.
import { basename, join, resolve } from 'node:path';
import type { Answer, RequestName, RequestParams, RequestResult } from '../core/api/contract';
import type { ErrorInfo, LabSnapshot } from '../core/api/dto';

/** What the file commands need of the lab host (LabHost has both). */
export interface DesktopHost {
  request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<Answer<RequestResult<N>>>;
  snapshot(): LabSnapshot;
}

/** The native dialogs, injected so the commands can be tested without a window. */
export interface DesktopDialogs {
  /** The .json lab file to open, or null when cancelled. */
  chooseLabToOpen(): Promise<string | null>;
  /** Where to save, starting at `suggested`, or null when cancelled. */
  chooseWhereToSave(suggested: string): Promise<string | null>;
  /** "Do you want to save the changes you made to …?" */
  askToSave(labName: string): Promise<'save' | 'discard' | 'cancel'>;
  showError(title: string, error: ErrorInfo): Promise<void> | void;
}

export interface FileActionsOptions {
  host: DesktopHost;
  dialogs: DesktopDialogs;
  /** Where Save As starts for a lab that has no file yet. */
  documentsDir: string;
  /** A lab file was opened or saved: it goes to Open Recent. */
  remember?: (path: string) => void;
  /** A recent file is gone: it leaves Open Recent. */
  forget?: (path: string) => void;
  log?: (message: string) => void;
}

/** The name the title bar and the prompts use for a lab. */
export function labName(snapshot: LabSnapshot): string {
  if (snapshot.path) return basename(snapshot.path);
  const name = snapshot.document.name;
  return typeof name === 'string' && name.trim() !== '' ? name : 'Untitled';
}

/** The window title: the lab, a dot while it has unsaved changes, then the product. */
export function windowTitle(snapshot: LabSnapshot): string {
  return `${snapshot.dirty ? '● ' : ''}${labName(snapshot)} — VM Net Lab`;
}

/** The lab file named on a command line (`vmnetlab-desktop lab.json`, or a second instance's), made absolute. */
export function labPathFromArgv(argv: readonly string[], cwd: string): string | null {
  for (let i = argv.length - 1; i >= 0; i--) {
    const arg = argv[i];
    if (!arg.startsWith('-') && arg.toLowerCase().endsWith('.json')) return resolve(cwd, arg);
  }
  return null;
}

function fileSafeName(name: string): string {
  const cleaned = [...name].map((c) => (c.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(c) ? '-' : c)).join('').trim();
  return cleaned === '' ? 'lab' : cleaned;
}

export class FileActions {
  /** One command at a time: a second click while a dialog is open is ignored rather than stacked. */
  private busy = false;

  constructor(private readonly options: FileActionsOptions) {}

  newLab(): Promise<boolean> {
    return this.exclusive(async () => (await this.confirmDiscardNow()) && this.ok('New lab', await this.options.host.request('file.new', {})));
  }

  open(): Promise<boolean> {
    return this.exclusive(async () => {
      if (!(await this.confirmDiscardNow())) return false;
      const path = await this.options.dialogs.chooseLabToOpen();
      return path !== null && this.openNow(path);
    });
  }

  /** Opens a known path (Open Recent, a command line); asks about unsaved changes first. */
  openPath(path: string): Promise<boolean> {
    return this.exclusive(async () => (await this.confirmDiscardNow()) && this.openNow(path));
  }

  save(): Promise<boolean> {
    return this.exclusive(() => this.saveNow());
  }

  saveAs(): Promise<boolean> {
    return this.exclusive(() => this.saveAsNow());
  }

  undo(): Promise<boolean> {
    return this.exclusive(async () => this.quiet(await this.options.host.request('history.undo', {})));
  }

  redo(): Promise<boolean> {
    return this.exclusive(async () => this.quiet(await this.options.host.request('history.redo', {})));
  }

  /** True when the current lab may be replaced or closed: nothing unsaved, or the user saved it or chose to discard it. */
  confirmDiscard(): Promise<boolean> {
    return this.exclusive(() => this.confirmDiscardNow());
  }

  private async exclusive(run: () => Promise<boolean>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    try {
      return await run();
    } finally {
      this.busy = false;
    }
  }

  private async confirmDiscardNow(): Promise<boolean> {
    const snapshot = this.options.host.snapshot();
    if (!snapshot.dirty) return true;
    const choice = await this.options.dialogs.askToSave(labName(snapshot));
    if (choice === 'cancel') return false;
    if (choice === 'discard') return true;
    return this.saveNow();
  }

  private async openNow(path: string): Promise<boolean> {
    const answer = await this.options.host.request('file.open', { path });
    if (answer.ok) {
      this.options.remember?.(answer.result.path ?? path);
      return true;
    }
    if (answer.error.code === 'not-found') this.options.forget?.(path);
    await this.options.dialogs.showError(`${basename(path)} cannot be opened`, answer.error);
    return false;
  }

  private async saveNow(): Promise<boolean> {
    if (this.options.host.snapshot().path === null) return this.saveAsNow();
    const answer = await this.options.host.request('file.save', {});
    if (answer.ok && answer.result.path) this.options.remember?.(answer.result.path);
    return this.ok('The lab cannot be saved', answer);
  }

  private async saveAsNow(): Promise<boolean> {
    const snapshot = this.options.host.snapshot();
    const suggested = snapshot.path ?? join(this.options.documentsDir, `${fileSafeName(labName(snapshot))}.json`);
    const target = await this.options.dialogs.chooseWhereToSave(suggested);
    if (target === null) return false;
    const answer = await this.options.host.request('file.saveAs', { path: target });
    if (answer.ok && answer.result.path) this.options.remember?.(answer.result.path);
    return this.ok(`${basename(target)} cannot be saved`, answer);
  }

  private async ok(title: string, answer: Answer<unknown>): Promise<boolean> {
    if (answer.ok) return true;
    await this.options.dialogs.showError(title, answer.error);
    return false;
  }

  /** Undo with nothing to undo is not worth a dialog. */
  private quiet(answer: Answer<unknown>): boolean {
    if (!answer.ok) this.options.log?.(answer.error.message);
    return answer.ok;
  }
}

/** An error answer as a dialog's detail: the message, then each problem by path with its hint (at most ten). */
export function errorDetail(error: ErrorInfo): string {
  const problems = error.problems ?? [];
  const lines = problems.slice(0, 10).map((p) => `• ${p.path}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`);
  if (problems.length > 10) lines.push(`…and ${problems.length - 10} more`);
  return [error.message, ...(lines.length ? ['', ...lines] : [])].join('\n');
}
