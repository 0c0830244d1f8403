// Helpers for tests that join labs to real machines: network namespaces, a private build of the CLI, and a running `vmnetlab run` fed steps on stdin.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { StepResult } from '../../../core/lab/script';
import { loadTapAddon } from '../../../electron/bridges/tap-addon';

/** The repository: Vitest runs from it. */
export const ROOT = process.cwd();

function have(cmd: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined;
}

/** Why tests that need network namespaces (and, with `tap`, the TAP addon) cannot run here; null when they can. */
export function namespaceSkipReason(options: { tap?: boolean; commands?: string[] } = {}): string | null {
  if (process.platform !== 'linux') return `network namespaces are Linux only (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'needs root for network namespaces (run the suite as root, e.g. in CI)';
  if (!have('ip', ['-V'])) return "no 'ip' command (apt-get install iproute2)";
  const probe = `vmnl-probe-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (add.status !== 0) return `cannot create a network namespace (${add.stderr.trim()})`;
  spawnSync('ip', ['netns', 'del', probe]);
  if (options.tap) {
    if (!existsSync('/dev/net/tun')) return 'no /dev/net/tun (modprobe tun)';
    const load = loadTapAddon();
    if (!load.ok) return load.reason;
  }
  for (const c of options.commands ?? []) if (!have(c, c === 'busybox' ? ['true'] : ['--version'])) return `no '${c}' command installed`;
  return null;
}

/** Runs a command and returns its output; throws with its stderr when it fails. */
export function sh(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** A network namespace of our own, deleted (with everything in it) by `delete()`. */
export class Netns {
  private constructor(readonly name: string) {}

  static create(tag: string): Netns {
    const ns = new Netns(`vmnl-${tag}-${process.pid}`);
    spawnSync('ip', ['netns', 'del', ns.name], { stdio: 'ignore' });
    sh('ip', ['netns', 'add', ns.name]);
    ns.run('ip', ['link', 'set', 'lo', 'up']);
    // No IPv6, so the kernel sends no router solicitations or MLD reports of its own into the lab.
    ns.run('sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    return ns;
  }

  /** Adds a persistent TAP device owned by `user`, with an address, up; returns its MAC. */
  addTap(ifname: string, cidr: string | null, user = 'nobody'): string {
    this.run('ip', ['tuntap', 'add', 'dev', ifname, 'mode', 'tap', 'user', user]);
    if (cidr !== null) this.run('ip', ['addr', 'add', cidr, 'dev', ifname]);
    this.run('ip', ['link', 'set', ifname, 'up']);
    return /link\/ether ([0-9a-f:]{17})/.exec(this.run('ip', ['link', 'show', ifname]))?.[1] ?? '';
  }

  run(cmd: string, args: string[], input?: string): string {
    return sh('ip', ['netns', 'exec', this.name, cmd, ...args], input);
  }

  /** Runs without throwing: status and both outputs. */
  try(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync('ip', ['netns', 'exec', this.name, cmd, ...args], { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  spawn(cmd: string, args: string[]): ChildProcess {
    return spawn('ip', ['netns', 'exec', this.name, cmd, ...args], { stdio: ['pipe', 'pipe', 'pipe'], cwd: ROOT });
  }

  /** Kills every process left in the namespace, then deletes it (its TAP devices go with it). */
  delete(): void {
    const pids = spawnSync('ip', ['netns', 'pids', this.name], { encoding: 'utf8' }).stdout.split(/\s+/).filter(Boolean);
    for (const p of pids) {
      try {
        process.kill(Number(p), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    spawnSync('ip', ['netns', 'del', this.name], { stdio: 'ignore' });
  }
}

/** A temporary directory anyone may read and write (the CLI may run as nobody). */
export function openTempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `vmnl-${tag}-`));
  chmodSync(dir, 0o777);
  return dir;
}

export function removeDir(dir: string): void {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
}

/**
 * Builds the CLI as tools/build.mjs does, into `dir` (not dist/, which other test files may be
 * rewriting at the same moment). The addon is found from the working directory, the repository.
 */
export async function buildCli(dir: string): Promise<string> {
  const out = join(dir, 'cli.mjs');
  await build({
    entryPoints: [join(ROOT, 'electron/cli/main.ts')],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  chmodSync(out, 0o755);
  return out;
}

/** `vmnetlab run … -` as a child process: steps are written to its stdin one at a time, JSON results read back. */
export class LabProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private lines: string[] = [];
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;

  constructor(child: ChildProcess) {
    this.child = child;
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    let partial = '';
    child.stdout?.on('data', (d: string) => {
      this.stdout += d;
      partial += d;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      this.lines.push(...parts.filter((l) => l.trim() !== ''));
      this.wake();
    });
    child.stderr?.on('data', (d: string) => {
      this.stderr += d;
      this.wake();
    });
    this.exited = new Promise((res) => child.on('exit', (code) => {
      this.wake();
      res(code);
    }));
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async until<T>(get: () => T | null, what: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const v = get();
      if (v !== null) return v;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`vmnetlab exited while waiting for ${what}\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}\nstderr:\n${this.stderr}`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  /** Waits for a line on stderr matching `re`. */
  waitForErr(re: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    return this.until(() => re.exec(this.stderr), `stderr ${re}`, timeoutMs);
  }

  /** Sends one script line and returns its JSON result. */
  async step(line: string, timeoutMs = 60_000): Promise<StepResult> {
    this.child.stdin?.write(`${line}\n`);
    const text = await this.until(() => this.lines.shift() ?? null, `the result of '${line}'`, timeoutMs);
    return JSON.parse(text) as StepResult;
  }

  /** Ends the script (closes stdin) and waits for the process to exit. */
  async finish(timeoutMs = 60_000): Promise<number | null> {
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Starts `vmnetlab run LAB - --json ARGS…` in `ns`, as `user` when given (uid:gid), and waits until the lab has settled. */
export async function startLab(ns: Netns, cli: string, lab: string, args: string[], user?: string): Promise<LabProcess> {
  const node = process.execPath;
  const cmd = user ? ['setpriv', `--reuid=${user.split(':')[0]}`, `--regid=${user.split(':')[1]}`, '--clear-groups', node] : [node];
  const p = new LabProcess(ns.spawn(cmd[0], [...cmd.slice(1), cli, 'run', lab, '-', '--json', ...args]));
  await p.waitForErr(/settled in/, 120_000);
  return p;
}
