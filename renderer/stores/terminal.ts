// The terminals: one tab per machine, each a line-based shell on the host, its screen kept as text (for xterm.js and the text mirror).
import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { Events } from '../../core/api/contract';
import { ask, labClient } from '../api/provide';

/** A terminal's text is trimmed from the front past this many characters. */
export const MAX_TRANSCRIPT = 256 * 1024;
export const MAX_HISTORY = 500;

export interface TerminalSession {
  node: string;
  prompt: string;
  /** Everything shown so far: prompts, the lines run, their output ("\n" line ends). */
  transcript: string;
  /** What the last command printed, for the live region screen readers announce. */
  lastOutput: string;
  /** The command under way, or null at the prompt. */
  runningId: number | null;
  history: string[];
  lastExitCode: number | null;
  /** The shell ended (`exit`): the next line starts a new one. */
  exited: boolean;
}

/** A piece of a terminal's text; `echoed` pieces were already drawn by the terminal that typed them. */
export interface TerminalChunk {
  text: string;
  echoed: boolean;
}
export type ChunkListener = (chunk: TerminalChunk) => void;

export const useTerminalStore = defineStore('terminal', () => {
  const tabs = ref<string[]>([]);
  const active = ref<string | null>(null);
  const sessions = reactive<Record<string, TerminalSession>>({});
  const listeners = new Map<string, Set<ChunkListener>>();
  const unsubscribers: Array<() => void> = [];
  const opening = new Map<string, Promise<TerminalSession>>();

  function append(node: string, text: string, echoed = false): void {
    const s = sessions[node];
    if (!s || text === '') return;
    let t = s.transcript + text;
    if (t.length > MAX_TRANSCRIPT) {
      // Cut at a line start so the mirror never begins mid-line.
      const cut = t.indexOf('\n', t.length - MAX_TRANSCRIPT);
      t = t.slice(cut < 0 ? t.length - MAX_TRANSCRIPT : cut + 1);
    }
    s.transcript = t;
    for (const l of listeners.get(node) ?? []) l({ text, echoed });
  }

  /** Opens (or shows) `node`'s terminal, with its prompt. */
  function open(node: string): Promise<TerminalSession> {
    if (!tabs.value.includes(node)) tabs.value.push(node);
    active.value = node;
    const existing = sessions[node];
    if (existing) return Promise.resolve(existing);
    const already = opening.get(node);
    if (already) return already;
    const p = (async () => {
      sessions[node] = { node, prompt: '', transcript: '', lastOutput: '', runningId: null, history: [], lastExitCode: null, exited: false };
      const a = await ask('shell.prompt', { node });
      const s = sessions[node];
      if (a.ok) {
        s.prompt = a.result;
        append(node, a.result);
      } else append(node, `${a.error.message}\n`);
      opening.delete(node);
      return s;
    })();
    opening.set(node, p);
    return p;
  }

  function close(node: string): void {
    tabs.value = tabs.value.filter((t) => t !== node);
    delete sessions[node];
    listeners.delete(node);
    if (active.value === node) active.value = tabs.value[tabs.value.length - 1] ?? null;
  }

  function activate(node: string): void {
    if (tabs.value.includes(node)) active.value = node;
  }

  /** Runs `line` at `node`'s prompt. `echoed`: the terminal already shows the line (it was typed there). */
  async function run(node: string, line: string, echoed = false): Promise<boolean> {
    // An open terminal marks its line under way at once (no await first), so a key pressed next sees it busy.
    const s = sessions[node] && !opening.has(node) ? sessions[node] : await open(node);
    if (s.runningId !== null) return false;
    append(node, `${line}\n`, echoed);
    if (line.trim() !== '' && s.history[s.history.length - 1] !== line) {
      s.history.push(line);
      if (s.history.length > MAX_HISTORY) s.history.splice(0, s.history.length - MAX_HISTORY);
    }
    // Marks the line as under way before the answer, so a second Enter cannot race it.
    s.runningId = -1;
    s.lastOutput = '';
    const a = await ask('shell.run', { node, line });
    const now = sessions[node];
    if (!now) return false;
    if (a.ok) {
      // The exit may have come first for a command with nothing to do.
      if (now.runningId === -1) now.runningId = a.result.id;
      return true;
    }
    now.runningId = null;
    append(node, `${a.error.message}\n${now.prompt}`);
    return false;
  }

  /** Ctrl-C: interrupts the command under way; at an idle prompt, abandons the line as bash does. */
  async function interrupt(node: string): Promise<void> {
    const s = sessions[node];
    if (!s) return;
    if (s.runningId === null) {
      append(node, `^C\n${s.prompt}`, false);
      return;
    }
    append(node, '^C');
    await ask('shell.interrupt', { node });
  }

  /** Opens the terminal and runs a command in it, as "Restart network" in the guest's settings does. */
  async function runInTerminal(node: string, line: string): Promise<boolean> {
    await open(node);
    active.value = node;
    return run(node, line, false);
  }

  function onOutput(e: Events['terminal.output']): void {
    const s = sessions[e.node];
    if (s) s.lastOutput = (s.lastOutput + e.text).slice(-4096);
    append(e.node, e.text);
  }

  function onExit(e: Events['terminal.exit']): void {
    const s = sessions[e.node];
    if (!s) return;
    s.runningId = null;
    s.lastExitCode = e.code;
    s.exited = e.prompt === '';
    if (!s.exited) s.prompt = e.prompt;
    const t = s.transcript;
    const sep = t.length > 0 && !t.endsWith('\n') ? '\n' : '';
    append(e.node, s.exited ? `${sep}[exited]\n` : `${sep}${e.prompt}`);
    if (s.exited) {
      // The next line gets a new shell: fetch its prompt.
      void ask('shell.prompt', { node: e.node }).then((a) => {
        const again = sessions[e.node];
        if (a.ok && again) {
          again.prompt = a.result;
          again.exited = false;
          append(e.node, a.result);
        }
      });
    }
  }

  function subscribe(node: string, listener: ChunkListener): () => void {
    let set = listeners.get(node);
    if (!set) listeners.set(node, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  function start(): void {
    stop();
    const client = labClient();
    unsubscribers.push(client.on('terminal.output', onOutput), client.on('terminal.exit', onExit));
  }

  function stop(): void {
    while (unsubscribers.length > 0) unsubscribers.pop()?.();
  }

  return { tabs, active, sessions, open, close, activate, run, interrupt, runInTerminal, subscribe, start, stop };
});
