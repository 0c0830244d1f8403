// A MachineOs for shell tests: a real Host from a World, an in-memory file tree, a network service that records what it is asked, and a fake lab.
import { HttpServer, type HttpServerOptions } from '../../core/devices/http-server';
import type { LabDocument } from '../../core/lab/document';
import type { CommandOutput, Done, FileSystem, LabControl, MachineOs, NetworkService } from '../../core/lab/os';
import { Shell, type ShellOptions } from '../../core/lab/shell/shell';
import type { Scheduler } from '../../core/sim/scheduler';
import type { DnsResolver } from '../../core/stack/dns-resolver';
import { makeResolver } from '../../core/stack/dns-on-host';
import type { Host } from '../../core/stack/host';
import { HostsFile } from '../../core/stack/hosts-file';
import type { TcpLayer } from '../../core/stack/tcp';
import { attachTcp } from '../../core/stack/tcp-on-host';

function norm(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return '/' + parts.join('/');
}

/** Files and directories in two maps; directories are created for every file given at the start. */
export class MemFs implements FileSystem {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>(['/']);

  constructor(initial: Record<string, string> = {}, dirs: readonly string[] = ['/root', '/etc', '/tmp', '/var/www/html', '/etc/sysconfig/network-scripts', '/dev']) {
    for (const d of dirs) this.mkdirp(d);
    for (const [p, t] of Object.entries(initial)) {
      this.mkdirp(p.slice(0, p.lastIndexOf('/')) || '/');
      this.files.set(norm(p), t);
    }
  }

  mkdirp(dir: string): void {
    let d = norm(dir);
    while (!this.dirs.has(d)) {
      this.dirs.add(d);
      d = d.slice(0, d.lastIndexOf('/')) || '/';
    }
  }

  read(path: string): string | null {
    return this.files.get(norm(path)) ?? null;
  }

  write(path: string, text: string): boolean {
    const p = norm(path);
    const parent = p.slice(0, p.lastIndexOf('/')) || '/';
    if (this.dirs.has(p) || !this.dirs.has(parent)) return false;
    this.files.set(p, text);
    return true;
  }

  exists(path: string): boolean {
    const p = norm(path);
    return this.files.has(p) || this.dirs.has(p);
  }

  isDirectory(path: string): boolean {
    return this.dirs.has(norm(path));
  }

  list(dir: string): string[] {
    const d = norm(dir);
    const prefix = d === '/' ? '/' : d + '/';
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs]) if (p.startsWith(prefix) && p !== d) names.add(p.slice(prefix.length).split('/')[0]);
    return [...names].sort();
  }
}

export interface NetworkCall {
  op: 'ifup' | 'ifdown' | 'restart' | 'dhclient';
  dev: string | null;
  release?: boolean;
}

/** A network service that records its calls and answers with what the test scripted, after `delayUs` on the clock. */
export class FakeNetwork implements NetworkService {
  readonly calls: NetworkCall[] = [];
  reply: { out?: string; err?: string; code?: number; delayUs?: number } = {};

  constructor(
    readonly kind: NetworkService['kind'],
    private readonly clock: Scheduler,
  ) {}

  private answer(call: NetworkCall, io: CommandOutput, done: Done): void {
    this.calls.push(call);
    const r = this.reply;
    this.clock.schedule(r.delayUs ?? 0, () => {
      if (r.out) io.out(r.out);
      if (r.err) io.err(r.err);
      done(r.code ?? 0);
    }, null);
  }

  ifup(dev: string, io: CommandOutput, done: Done): void {
    this.answer({ op: 'ifup', dev }, io, done);
  }
  ifdown(dev: string, io: CommandOutput, done: Done): void {
    this.answer({ op: 'ifdown', dev }, io, done);
  }
  restart(io: CommandOutput, done: Done): void {
    this.answer({ op: 'restart', dev: null }, io, done);
  }
  dhclient(dev: string | null, release: boolean, io: CommandOutput, done: Done): void {
    this.answer({ op: 'dhclient', dev, release }, io, done);
  }
  status(): Array<{ device: string; state: string }> {
    return [];
  }
}

/** A LabControl over a document held in memory; records every document it was asked to apply. */
export class FakeLab implements LabControl {
  readonly applied: LabDocument[] = [];
  /** Problems the next apply reports (then it is refused). */
  refuse: string[] = [];

  constructor(public doc: LabDocument) {}

  document(): LabDocument {
    return this.doc;
  }

  apply(doc: LabDocument): { ok: true } | { ok: false; problems: string[] } {
    this.applied.push(doc);
    if (this.refuse.length > 0) return { ok: false, problems: this.refuse };
    this.doc = doc;
    return { ok: true };
  }
}

export interface FakeOsOptions {
  hostname?: string;
  files?: Record<string, string>;
  kind?: NetworkService['kind'];
  lab?: LabControl | null;
  web?: HttpServerOptions;
}

export class FakeOs implements MachineOs {
  readonly name: string;
  hostname: string;
  readonly files: MemFs;
  readonly network: FakeNetwork;
  readonly tcp: TcpLayer;
  readonly lab: LabControl | null;
  readonly httpd: MachineOs['httpd'];
  private resolverInstance: DnsResolver | null = null;

  constructor(
    readonly host: Host,
    options: FakeOsOptions = {},
  ) {
    this.name = host.name;
    this.hostname = options.hostname ?? host.name;
    this.files = new MemFs({ '/etc/hosts': '127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4\n', '/etc/resolv.conf': '', ...options.files });
    this.network = new FakeNetwork(options.kind ?? 'network-scripts', this.clock);
    this.tcp = attachTcp(host);
    this.lab = options.lab ?? null;
    const server = new HttpServer(this.tcp, options.web ?? {});
    this.httpd = {
      start: () => server.start(),
      stop: () => server.stop(),
      get running() {
        return server.running;
      },
      server,
    };
  }

  get clock(): Scheduler {
    return this.host.ctx.scheduler;
  }

  resolver(): DnsResolver {
    const conf = this.files.read('/etc/resolv.conf') ?? '';
    const hosts = HostsFile.parse(this.files.read('/etc/hosts') ?? '');
    if (this.resolverInstance === null) this.resolverInstance = makeResolver(this.host, conf, hosts);
    else {
      this.resolverInstance.setResolvConf(conf);
      this.resolverInstance.setHosts(hosts);
    }
    return this.resolverInstance;
  }
}

/** What a command line printed, in order, and how it ended. */
export interface Transcript {
  out: string;
  err: string;
  /** Both streams interleaved as a terminal shows them. */
  all: string;
  code: number | null;
  handle: { interrupt(): void };
}

/** Runs a line on `shell`, advancing the clock up to `seconds` (or until it ends when `seconds` is omitted). */
export function runLine(shell: Shell, clock: Scheduler, line: string, seconds?: number): Transcript {
  const t: Transcript = { out: '', err: '', all: '', code: null, handle: { interrupt: () => {} } };
  t.handle = shell.run(
    line,
    {
      out: (s) => {
        t.out += s;
        t.all += s;
      },
      err: (s) => {
        t.err += s;
        t.all += s;
      },
    },
    (code) => {
      if (t.code !== null) throw new Error('done called twice');
      t.code = code;
    },
  );
  if (seconds !== undefined) clock.runFor(seconds * 1_000_000);
  else {
    for (let i = 0; i < 100_000 && t.code === null; i++) if (!clock.step()) break;
  }
  return t;
}

export function shellOn(os: MachineOs, options?: ShellOptions): Shell {
  return new Shell(os, options);
}
