// The terminals: one shell per machine, a command line at a time, its output queued as `terminal.output` / `terminal.exit` events.
import type { ShellStarted } from '../../core/api/dto';
import type { Events } from '../../core/api/contract';
import { didYouMean } from '../../core/api/schema';
import type { RunningLab } from '../../core/lab/running-lab';
import { type RunHandle, Shell } from '../../core/lab/shell/shell';
import type { MachineOs } from '../../core/lab/os';
import { notFound, refused } from './errors';

export type TerminalEvent = { event: 'terminal.output'; payload: Events['terminal.output'] } | { event: 'terminal.exit'; payload: Events['terminal.exit'] };

/** Output kept for the window between two flushes, per command; a runaway command loses the rest with a note. */
const MAX_PENDING_TEXT = 1024 * 1024;
/** One `terminal.output` event carries at most this much text. */
const MAX_EVENT_TEXT = 64 * 1024;
/** The exit status of a command whose machine went away under it (powered off, another lab opened). */
export const EXIT_MACHINE_GONE = 255;

interface Job {
  readonly id: number;
  readonly node: string;
  readonly shell: Shell;
  handle: RunHandle | null;
  finished: boolean;
  pending: number;
}

export class ShellManager {
  private shells = new Map<string, Shell>();
  private jobs = new Map<string, Job>();
  private queue: TerminalEvent[] = [];
  private nextId = 1;

  /** `commandEnded` runs after each command on a machine whose OS can change the lab (VBoxManage on the host). */
  constructor(private readonly commandEnded: (os: MachineOs) => void) {}

  private osOf(lab: RunningLab, node: string): MachineOs {
    const n = lab.node(node);
    if (!n) {
      const guess = didYouMean(node, lab.machines().map((m) => m.name));
      throw notFound(`there is no running machine '${node}'${guess ? `; ${guess}` : ''}`);
    }
    if (!n.os) throw notFound(`${node} is one of the lab's service boxes and has no shell`);
    return n.os;
  }

  private shellFor(lab: RunningLab, node: string): Shell {
    const os = this.osOf(lab, node);
    let sh = this.shells.get(node);
    // A VM powered off and on again is a new OS with a fresh shell; so is a shell left by `exit`.
    if (!sh || sh.os !== os || sh.exited) {
      sh = new Shell(os);
      this.shells.set(node, sh);
    }
    return sh;
  }

  prompt(lab: RunningLab, node: string): string {
    return this.shellFor(lab, node).prompt();
  }

  run(lab: RunningLab, node: string, line: string): ShellStarted {
    const shell = this.shellFor(lab, node);
    const busy = this.jobs.get(node);
    if (busy && !busy.finished) throw refused(`a command is still running on ${node}; interrupt it (Ctrl-C) first`);
    const id = this.nextId++;
    const prompt = shell.prompt();
    const job: Job = { id, node, shell, handle: null, finished: false, pending: 0 };
    this.jobs.set(node, job);
    const write = (text: string): void => this.output(job, text);
    job.handle = shell.run(line, { out: write, err: write }, (code) => this.finish(job, code));
    return { id, prompt };
  }

  /** Ctrl-C for the command running on `node`; false when none is. */
  interrupt(lab: RunningLab, node: string): boolean {
    this.osOf(lab, node);
    const job = this.jobs.get(node);
    if (!job || job.finished || !job.handle) return false;
    job.handle.interrupt();
    return true;
  }

  /** Ends the commands of machines that are gone or were rebooted as a new OS. */
  prune(lab: RunningLab): void {
    for (const [node, job] of this.jobs) {
      if (job.finished) continue;
      const n = lab.node(node);
      if (!n || n.os !== job.shell.os) this.abandon(job, `\n[${node} is no longer running]\n`);
    }
    for (const [node, sh] of this.shells) {
      const n = lab.node(node);
      if (!n || n.os !== sh.os) this.shells.delete(node);
    }
  }

  /** Another lab replaces this one: every command ends. */
  reset(): void {
    for (const job of this.jobs.values()) if (!job.finished) this.abandon(job, `\n[the lab was closed]\n`);
    this.jobs.clear();
    this.shells.clear();
  }

  /** The events queued since the last call, output before the exit of the same command. */
  drain(): TerminalEvent[] {
    const q = this.queue;
    this.queue = [];
    for (const job of this.jobs.values()) job.pending = 0;
    return q;
  }

  private abandon(job: Job, note: string): void {
    this.output(job, note);
    this.finish(job, EXIT_MACHINE_GONE, false);
  }

  private output(job: Job, text: string): void {
    if (job.finished || text === '') return;
    if (job.pending >= MAX_PENDING_TEXT) return;
    let t = text;
    if (job.pending + t.length > MAX_PENDING_TEXT) t = `${t.slice(0, MAX_PENDING_TEXT - job.pending)}\n[output cut: more than ${MAX_PENDING_TEXT / 1024} kB at once]\n`;
    job.pending += t.length;
    const last = this.queue[this.queue.length - 1];
    if (last && last.event === 'terminal.output' && last.payload.id === job.id && last.payload.text.length + t.length <= MAX_EVENT_TEXT) {
      last.payload.text += t;
      return;
    }
    for (let i = 0; i < t.length; i += MAX_EVENT_TEXT) this.queue.push({ event: 'terminal.output', payload: { node: job.node, id: job.id, text: t.slice(i, i + MAX_EVENT_TEXT) } });
  }

  private finish(job: Job, code: number, notify = true): void {
    if (job.finished) return;
    job.finished = true;
    const prompt = job.shell.exited ? '' : job.shell.prompt();
    this.queue.push({ event: 'terminal.exit', payload: { node: job.node, id: job.id, code, prompt } });
    if (notify) this.commandEnded(job.shell.os);
  }
}
