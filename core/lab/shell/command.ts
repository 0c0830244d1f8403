// What a shell command gets to run with (the machine, its arguments, its output) and the helpers every command shares.
import type { CommandOutput, MachineOs } from '../os';

/** Which distribution's tools the shell imitates where they differ (qdisc names, `ip route get` uid, prompt). */
export type ShellFlavor = 'centos' | 'debian';

/** The shell state a command may read or change (cd, hostname). */
export interface ShellState {
  cwd: string;
  readonly home: string;
  readonly flavor: ShellFlavor;
}

export interface CommandContext {
  readonly os: MachineOs;
  /** The words of the command, argv[0] being its name as typed. */
  readonly argv: readonly string[];
  readonly io: CommandOutput;
  /** What a pipe or `<` feeds the command; null when it reads nothing. */
  readonly stdin: string | null;
  readonly shell: ShellState;
  /** An absolute path for a path as typed, relative to the working directory. */
  resolve(path: string): string;
  /**
   * Wraps a callback that runs later on the virtual clock: an exception in it becomes a message on stderr and
   * exit status 1 instead of escaping into the scheduler.
   */
  guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  /** Ends the command with an exit status; later calls are ignored. */
  exit(code: number): void;
  /** True once the command has ended (by exit, or killed by Ctrl-C). */
  readonly finished: boolean;
}

/** A command still running on the clock; `interrupt` is Ctrl-C and must end it (exit 130 when it dies of SIGINT). */
export interface Running {
  interrupt(): void;
}

/** A command: returns a handle when it keeps running after returning, nothing when it has already exited or cannot be interrupted. */
export type Command = (ctx: CommandContext) => Running | void;

/** Exit status of a process killed by SIGINT, as bash reports it. */
export const SIGINT_STATUS = 130;

export interface GetoptResult {
  /** Options in the order given, with their argument when they take one. */
  options: Array<{ name: string; value: string | null }>;
  operands: string[];
  /** getopt's complaint, e.g. "invalid option -- 'z'". */
  error: string | null;
}

/**
 * POSIX getopt over `args` (without the command name): `spec` lists option letters, a colon after a letter
 * meaning it takes an argument ("c:i:nq"). Options may be grouped (-nc4). GNU-style: options and operands may mix.
 */
export function getopt(args: readonly string[], spec: string): GetoptResult {
  const withArg = new Set<string>();
  const known = new Set<string>();
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === ':') continue;
    known.add(c);
    if (spec[i + 1] === ':') withArg.add(c);
  }
  const options: GetoptResult['options'] = [];
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.length < 2 || a[0] !== '-') {
      operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (!known.has(c)) return { options, operands, error: `invalid option -- '${c}'` };
      if (withArg.has(c)) {
        let value = a.slice(j + 1);
        if (value === '') {
          if (i + 1 >= args.length) return { options, operands, error: `option requires an argument -- '${c}'` };
          value = args[++i];
        }
        options.push({ name: c, value });
        break;
      }
      options.push({ name: c, value: null });
    }
  }
  return { options, operands, error: null };
}

/** The lines of a text, without the empty string split() leaves after a final newline. */
export function lines(text: string): string[] {
  if (text === '') return [];
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}
