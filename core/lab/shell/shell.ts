// The shell of a lab machine: parses a command line, runs its commands on the virtual clock with pipes and redirections, and passes Ctrl-C on.
import type { CommandOutput, Done, MachineOs } from '../os';
import { type Command, type CommandContext, type Running, type ShellFlavor, type ShellState, SIGINT_STATUS } from './command';
import { commandTable } from './commands';
import { expandWord, type ListItem, parseLine, type Pipeline, type SimpleCommand } from './parse';

export interface ShellOptions {
  /** Default CentOS 7 (the `[root@vm1 ~]# ` prompt, pfifo_fast). */
  flavor?: ShellFlavor;
  home?: string;
}

/** What `run` returns: Ctrl-C for the line under way. */
export interface RunHandle {
  interrupt(): void;
}

/** Normalises a path, resolving `.` and `..`; relative paths are taken from `cwd`. */
export function resolvePath(cwd: string, path: string): string {
  const full = path.startsWith('/') ? path : `${cwd}/${path}`;
  const parts: string[] = [];
  for (const p of full.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return '/' + parts.join('/');
}

const sink: CommandOutput = { out: () => {}, err: () => {} };

/** A command line under way. */
interface Job {
  readonly term: CommandOutput;
  interrupted: boolean;
  finished: boolean;
  current: { running: Running | null; kill(): void; finished(): boolean } | null;
}

export class Shell {
  readonly state: ShellState;
  readonly history: string[] = [];
  /** Set by `exit`: the terminal should close. */
  exited = false;
  private readonly vars = new Map<string, string>();
  private lastStatus = 0;
  private readonly commands: Record<string, Command>;

  constructor(
    readonly os: MachineOs,
    options: ShellOptions = {},
  ) {
    const home = options.home ?? '/root';
    this.state = { cwd: home, home, flavor: options.flavor ?? 'centos' };
    this.commands = commandTable(os.lab !== null);
    this.vars.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/root/bin');
    this.vars.set('SHELL', '/bin/bash');
    this.vars.set('USER', 'root');
    this.vars.set('LOGNAME', 'root');
    this.vars.set('HOME', home);
  }

  /** The prompt bash shows: `[root@vm1 ~]# ` on CentOS, `root@vm1:~# ` on Debian. */
  prompt(): string {
    const host = this.os.hostname.split('.')[0];
    const { cwd, home } = this.state;
    if (this.state.flavor === 'debian') {
      const shown = cwd === home ? '~' : cwd.startsWith(home + '/') ? '~' + cwd.slice(home.length) : cwd;
      return `root@${host}:${shown}# `;
    }
    const dir = cwd === home ? '~' : cwd === '/' ? '/' : cwd.slice(cwd.lastIndexOf('/') + 1);
    return `[root@${host} ${dir}]# `;
  }

  /** Every command name this machine's shell knows, builtins included (for a terminal's tab completion). */
  commandNames(): string[] {
    return [...Object.keys(this.builtins), ...Object.keys(this.commands)].sort();
  }

  /** Exit status of the last command line, as `$?` shows it. */
  get status(): number {
    return this.lastStatus;
  }

  private variable(name: string): string {
    switch (name) {
      case '?':
        return String(this.lastStatus);
      case '$':
        return '1234';
      case '#':
        return '0';
      case '0':
        return '-bash';
      case 'PWD':
        return this.state.cwd;
      case 'HOSTNAME':
        return this.os.hostname;
      default:
        return this.vars.get(name) ?? '';
    }
  }

  /**
   * Runs one command line. `done` is called exactly once with the exit status, possibly before `run` returns
   * when nothing in the line waits on the clock.
   */
  run(line: string, io: CommandOutput, done: Done): RunHandle {
    const job: Job = { term: io, interrupted: false, finished: false, current: null };
    const finish = (code: number): void => {
      if (job.finished) return;
      job.finished = true;
      this.lastStatus = code;
      done(code);
    };
    const handle: RunHandle = {
      interrupt: () => {
        if (job.finished || job.interrupted) return;
        job.interrupted = true;
        io.out('^C');
        const cur = job.current;
        if (cur === null) return;
        if (cur.running !== null) {
          try {
            cur.running.interrupt();
          } catch (e) {
            io.err(`bash: ${message(e)}\n`);
          }
        }
        if (!cur.finished()) cur.kill();
      },
    };
    if (line.trim() !== '') this.history.push(line);
    const parsed = parseLine(line);
    if (!parsed.ok) {
      io.err(parsed.error);
      finish(2);
      return handle;
    }
    this.runList(parsed.list, job, finish);
    return handle;
  }

  private runList(list: ListItem[], job: Job, finish: (code: number) => void): void {
    let index = 0;
    const next = (status: number): void => {
      while (index < list.length) {
        const item = list[index++];
        if (item.after === '&&' && status !== 0) continue;
        if (item.after === '||' && status === 0) continue;
        this.runPipeline(item.pipeline, job, (code) => {
          this.lastStatus = code;
          // bash abandons the rest of a line whose foreground command got Ctrl-C.
          if (job.interrupted) finish(code);
          else next(code);
        });
        return;
      }
      finish(status);
    };
    next(this.lastStatus);
  }

  private runPipeline(pipeline: Pipeline, job: Job, cb: (code: number) => void): void {
    const cmds = pipeline.commands;
    let k = 0;
    let stdin: string | null = null;
    const step = (): void => {
      const cmd = cmds[k++];
      const last = k === cmds.length;
      let buffer = '';
      const io: CommandOutput = last ? job.term : { out: (t) => (buffer += t), err: (t) => job.term.err(t) };
      this.runSimple(cmd, job, io, stdin, (code) => {
        stdin = buffer;
        if (last) cb(code);
        else if (job.interrupted) {
          // Ctrl-C reaches every process of the pipeline: the later ones die of it even if this one handled it.
          if (code !== SIGINT_STATUS) job.term.out('\n');
          cb(SIGINT_STATUS);
        } else step();
      });
    };
    step();
  }

  private runSimple(cmd: SimpleCommand, job: Job, baseIo: CommandOutput, pipeIn: string | null, cb: (code: number) => void): void {
    const expand = (w: SimpleCommand['words'][number]): string | null => expandWord(w, (n) => this.variable(n), this.state.home);
    const argv: string[] = [];
    for (const w of cmd.words) {
      const s = expand(w);
      if (s !== null) argv.push(s);
    }
    const files = this.os.files;
    let out = baseIo.out;
    let err = baseIo.err;
    let stdin = pipeIn;
    for (const r of cmd.redirects) {
      if (r.kind === 'dup') {
        if (r.fd === 2) err = out;
        else out = err;
        continue;
      }
      const name = expand(r.target) ?? '';
      if (name === '') {
        job.term.err('bash: : No such file or directory\n');
        cb(1);
        return;
      }
      const path = resolvePath(this.state.cwd, name);
      if (r.kind === 'read') {
        if (path === '/dev/null') stdin = '';
        else if (files.isDirectory(path)) {
          job.term.err(`bash: ${name}: Is a directory\n`);
          cb(1);
          return;
        } else {
          const text = files.read(path);
          if (text === null) {
            job.term.err(`bash: ${name}: No such file or directory\n`);
            cb(1);
            return;
          }
          stdin = text;
        }
        continue;
      }
      let writer: (t: string) => void;
      if (path === '/dev/null') writer = sink.out;
      else {
        if (files.isDirectory(path)) {
          job.term.err(`bash: ${name}: Is a directory\n`);
          cb(1);
          return;
        }
        const initial = r.kind === 'append' ? (files.read(path) ?? '') : '';
        if (!files.write(path, initial)) {
          job.term.err(`bash: ${name}: No such file or directory\n`);
          cb(1);
          return;
        }
        writer = (t: string) => {
          files.write(path, (files.read(path) ?? '') + t);
        };
      }
      if (r.fd === 1) out = writer;
      else err = writer;
    }
    if (argv.length === 0) {
      cb(0);
      return;
    }
    // `NAME=value` alone sets a shell variable.
    const assign = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(argv[0]);
    if (assign && argv.length === 1) {
      this.vars.set(assign[1], assign[2]);
      cb(0);
      return;
    }
    while (argv.length > 1 && (argv[0] === 'sudo' || argv[0] === 'command')) argv.shift();
    this.exec(argv, job, { out, err }, stdin, cb);
  }

  private lookup(name: string): Command | null {
    const builtin = this.builtins[name];
    if (builtin !== undefined) return builtin;
    if (Object.prototype.hasOwnProperty.call(this.commands, name)) return this.commands[name];
    // /usr/sbin/ip, /sbin/ping…: a path to a command the machine has.
    if (name.includes('/')) {
      const base = name.slice(name.lastIndexOf('/') + 1);
      if (/^\/(usr\/)?s?bin\//.test(name) && Object.prototype.hasOwnProperty.call(this.commands, base)) return this.commands[base];
    }
    return null;
  }

  private exec(argv: string[], job: Job, io: CommandOutput, stdin: string | null, cb: (code: number) => void): void {
    const name = argv[0];
    const command = this.lookup(name);
    if (command === null) {
      io.err(name.includes('/') ? `bash: ${name}: No such file or directory\n` : `bash: ${name}: command not found\n`);
      cb(127);
      return;
    }
    let finished = false;
    const entry: NonNullable<Job['current']> = {
      running: null,
      finished: () => finished,
      kill: () => exit(SIGINT_STATUS),
    };
    const exit = (code: number): void => {
      if (finished) return;
      finished = true;
      if (job.current === entry) job.current = null;
      // bash ends the ^C line when its foreground command died of SIGINT.
      if (job.interrupted && code === SIGINT_STATUS) job.term.out('\n');
      cb(code);
    };
    const fail = (e: unknown): void => {
      if (finished) return;
      io.err(`${name}: internal error: ${message(e)}\n`);
      exit(1);
    };
    const state = this.state;
    const ctx: CommandContext = {
      os: this.os,
      argv,
      io: {
        out: (t) => {
          if (!finished) io.out(t);
        },
        err: (t) => {
          if (!finished) io.err(t);
        },
      },
      stdin,
      shell: this.state,
      resolve: (p) => resolvePath(state.cwd, p),
      guard:
        (fn) =>
        (...args) => {
          if (finished) return;
          try {
            fn(...args);
          } catch (e) {
            fail(e);
          }
        },
      exit,
      get finished() {
        return finished;
      },
    };
    job.current = entry;
    try {
      const running = command(ctx);
      if (!finished) entry.running = running ?? null;
    } catch (e) {
      fail(e);
    }
  }

  private readonly builtins: Record<string, Command> = {
    cd: (ctx) => {
      const target = ctx.argv[1] ?? this.state.home;
      const dir = target === '-' ? (this.vars.get('OLDPWD') ?? this.state.cwd) : target;
      const path = resolvePath(this.state.cwd, dir);
      if (!this.os.files.exists(path)) {
        ctx.io.err(`-bash: cd: ${target}: No such file or directory\n`);
        return ctx.exit(1);
      }
      if (!this.os.files.isDirectory(path)) {
        ctx.io.err(`-bash: cd: ${target}: Not a directory\n`);
        return ctx.exit(1);
      }
      this.vars.set('OLDPWD', this.state.cwd);
      this.state.cwd = path;
      if (target === '-') ctx.io.out(path + '\n');
      ctx.exit(0);
    },
    pwd: (ctx) => {
      ctx.io.out(this.state.cwd + '\n');
      ctx.exit(0);
    },
    true: (ctx) => ctx.exit(0),
    false: (ctx) => ctx.exit(1),
    exit: (ctx) => {
      this.exited = true;
      ctx.io.out('logout\n');
      const n = ctx.argv[1] === undefined ? this.lastStatus : Number(ctx.argv[1]);
      ctx.exit(Number.isInteger(n) ? n & 255 : 2);
    },
    history: (ctx) => {
      this.history.forEach((l, i) => ctx.io.out(`${String(i + 1).padStart(5)}  ${l}\n`));
      ctx.exit(0);
    },
    export: (ctx) => {
      for (const a of ctx.argv.slice(1)) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(a);
        if (m) this.vars.set(m[1], m[2]);
      }
      ctx.exit(0);
    },
    echo: (ctx) => {
      let args = ctx.argv.slice(1);
      let newline = true;
      let escapes = false;
      while (args.length > 0 && /^-[neE]+$/.test(args[0])) {
        for (const c of args[0].slice(1)) {
          if (c === 'n') newline = false;
          else if (c === 'e') escapes = true;
          else escapes = false;
        }
        args = args.slice(1);
      }
      let text = args.join(' ');
      if (escapes) text = text.replace(/\\(n|t|\\|r|a|e)/g, (_m, c: string) => ({ n: '\n', t: '\t', '\\': '\\', r: '\r', a: '\x07', e: '\x1b' })[c] ?? c);
      ctx.io.out(text + (newline ? '\n' : ''));
      ctx.exit(0);
    },
  };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
