// The lab host: owns one running lab and its document, answers the contract's requests (validated) and emits its events; knows no transport.
import { resolve } from 'node:path';
import { type Answer, type EventName, type Events, type HostEndpoint, type RequestName, type RequestParams, type RequestResult, requests } from '../../core/api/contract';
import type { ClockState, ErrorInfo, LabSnapshot } from '../../core/api/dto';
import { didYouMean, quote } from '../../core/api/schema';
import type { LabDocument } from '../../core/lab/document';
import { loadLab, serializeLab } from '../../core/lab/load';
import { reachabilityMatrix } from '../../core/lab/matrix';
import type { MachineOs } from '../../core/lab/os';
import { arpRows, eventRows, leaseRows, natRows, routeRows } from '../../core/lab/tables';
import { topology } from '../../core/lab/topology';
import { type AttachFn, BridgeManager } from './bridges';
import { CaptureManager } from './captures';
import { ClockDriver, type HostTimers, nodeTimers } from './clock';
import { withGuest, withRunning, withVirtualBoxAdapter, withVirtualBoxHost, withVmwareAdapter, withVmwareHost } from './edits';
import { HostError, plainProblems, refused } from './errors';
import { EventHub, type HostListener } from './event-hub';
import { bundledLabPath, bundledLabs, emptyLab, labPathFor, readLabFile, writeFileAtomic } from './files';
import { machineSummaries } from './machines';
import { LabSession } from './session';
import { ShellManager } from './shells';
import { TableWatch } from './watch';

export interface LabHostOptions {
  /** The lab to start with; default File → New's empty lab. */
  document?: LabDocument;
  /** The file `document` came from (Save writes there); null for none. */
  path?: string | null;
  /** Where the bundled labs are (resources/labs); null: none are offered. */
  labsDir?: string | null;
  /** Where bad requests and internal failures are told; default: nowhere. */
  log?: (message: string) => void;
  timers?: HostTimers;
  /** Start the clock at once (default true). */
  play?: boolean;
  /** Virtual seconds per real second (default 1). */
  speed?: number;
  /** Boot every lab until DHCP settles before showing it (default true). */
  settle?: boolean;
  /** How bridges to real machines are made (tests); the bridge layer's `attach` by default. */
  attach?: AttachFn;
}

/** Table and clock events at most this often (ms) while the lab plays. */
const EVENT_INTERVAL_MS = 100;

type Handlers = { [N in RequestName]: (params: RequestParams<N>) => RequestResult<N> | Promise<RequestResult<N>> };

export class LabHost implements HostEndpoint {
  private session: LabSession;
  private readonly hub: EventHub;
  private readonly shells: ShellManager;
  private readonly captures = new CaptureManager();
  private readonly watch = new TableWatch();
  private readonly clock: ClockDriver;
  private readonly bridges: BridgeManager;
  /** Flushes events while real time drives the lab (the host's clock, which usually does, is paused then). */
  private pulse: unknown = null;
  private readonly timers: HostTimers;
  private readonly log: (message: string) => void;
  private readonly labsDir: string | null;
  private readonly settle: boolean;
  private readonly handlers: Handlers;
  // What the next flush must tell, beyond the terminal and frames it always drains.
  private labChanged = false;
  private tablesDue = true;
  private clockDue = true;
  private adoptDue = false;
  private flushQueued = false;
  private lastTablesMs = -Infinity;
  private lastClockMs = -Infinity;
  private closed = false;

  constructor(options: LabHostOptions = {}) {
    this.log = options.log ?? (() => undefined);
    this.timers = options.timers ?? nodeTimers;
    this.labsDir = options.labsDir ?? null;
    this.settle = options.settle !== false;
    this.hub = new EventHub(this.log);
    this.session = LabSession.start(options.document ?? emptyLab(), options.document ? (options.path ?? null) : null, { settle: this.settle });
    this.shells = new ShellManager((os) => this.commandEnded(os));
    this.clock = new ClockDriver(() => this.session.lab.scheduler, this.timers, () => this.scheduleFlush());
    this.bridges = new BridgeManager(
      {
        realtimeStarted: () => this.realtimeStarted(),
        realtimeStopped: () => this.realtimeStopped(),
        changed: () => this.scheduleFlush(),
      },
      options.attach,
    );
    if (options.speed !== undefined) this.clock.setSpeed(options.speed);
    if (options.play !== false) this.clock.play();
    this.handlers = this.makeHandlers();
  }

  // ---- HostEndpoint ---------------------------------------------------------------------------------

  async handle(name: string, params: unknown): Promise<Answer<unknown>> {
    try {
      if (this.closed) throw new HostError('failed', 'the lab host has been closed');
      if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(requests, name)) {
        const text = typeof name === 'string' ? quote(name) : `of type ${name === null ? 'null' : typeof name}`;
        const guess = typeof name === 'string' && name.length <= 64 ? didYouMean(name, Object.keys(requests)) : undefined;
        throw new HostError('bad-request', `unknown request ${text}${guess ? `; ${guess}` : ''}`);
      }
      const n = name as RequestName;
      const checked = requests[n].params.validate(params === undefined ? {} : params, { maxProblems: 20, maxDepth: 32 });
      if (!checked.ok) {
        const first = checked.problems[0];
        throw new HostError('bad-request', `invalid parameters for '${n}': ${first.path}: ${first.message}`, plainProblems(checked.problems));
      }
      const handler = this.handlers[n] as (p: unknown) => unknown;
      const result = await handler(checked.value);
      return { ok: true, result };
    } catch (e) {
      return { ok: false, error: this.failure(name, e) };
    } finally {
      this.kickRealtime();
      this.scheduleFlush();
    }
  }

  subscribe(listener: HostListener): () => void {
    return this.hub.subscribe(listener);
  }

  // ---- for the main process -------------------------------------------------------------------------

  /** A typed call for the main process's own use (menus): the same checks and answers as `handle`. */
  request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<Answer<RequestResult<N>>> {
    return this.handle(name, params) as Promise<Answer<RequestResult<N>>>;
  }

  /** The document, its file and whether it has unsaved changes (for the title bar and the quit prompt). */
  snapshot(): LabSnapshot {
    return this.session.snapshot();
  }

  /** Detaches every bridge, stops the clock and forgets listeners; later requests are answered 'failed'. */
  close(): void {
    this.closed = true;
    this.bridges.detachAll();
    this.clock.dispose();
    this.hub.clear();
  }

  // ---- events ---------------------------------------------------------------------------------------

  private scheduleFlush(): void {
    if (this.flushQueued || this.closed) return;
    this.flushQueued = true;
    // After the answer to the request under way: a client learns a command's id before its output.
    this.timers.defer(() => {
      this.flushQueued = false;
      try {
        this.flush();
      } catch (e) {
        this.log(`internal error while sending events: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    });
  }

  private emit<E extends EventName>(event: E, payload: Events[E]): void {
    this.hub.emit(event, payload);
  }

  private flush(): void {
    if (this.closed) return;
    const lab = this.session.lab;
    const now = this.timers.now();
    if (this.adoptDue) {
      this.adoptDue = false;
      if (this.session.adoptLabDocument()) this.documentChanged();
    }
    if (this.labChanged) {
      this.labChanged = false;
      this.emit('lab.changed', this.session.snapshot());
    }
    for (const t of this.shells.drain()) {
      if (t.event === 'terminal.output') this.emit('terminal.output', t.payload);
      else this.emit('terminal.exit', t.payload);
    }
    for (const f of this.captures.fresh(lab, now)) this.emit('frame.captured', f);
    if (this.tablesDue || now - this.lastTablesMs >= EVENT_INTERVAL_MS) {
      this.tablesDue = false;
      this.lastTablesMs = now;
      const tables = this.watch.changed(lab, this.session.generation);
      if (tables.length > 0) this.emit('tables.changed', { tables });
    }
    if (this.clockDue || ((this.clock.running || this.bridges.active) && now - this.lastClockMs >= EVENT_INTERVAL_MS)) {
      this.clockDue = false;
      this.lastClockMs = now;
      this.emit('clock', this.clockState());
    }
    const bridges = this.bridges.due(now);
    if (bridges !== null) this.emit('bridge.changed', bridges);
  }

  // ---- the clock, and real time while bridges are attached ------------------------------------------

  /**
   * A real machine on the wire cannot be paused, sped up or stepped: while a bridge is attached the lab
   * runs on the wall clock (RealtimeClock, which also lets a frame from outside in at the right moment),
   * and the window sees a clock playing at 1×. The speed chosen before comes back after the last detach,
   * and the clock goes on playing.
   */
  private clockState(): ClockState {
    const s = this.clock.state();
    if (!this.bridges.active) return s;
    return { nowUs: this.bridges.present() ?? s.nowUs, running: true, speed: 1, bridged: this.bridges.count };
  }

  private refuseWhileBridged(what: string): void {
    if (!this.bridges.active) return;
    const n = this.bridges.count;
    throw refused(`the clock cannot ${what} while ${n === 1 ? 'a real machine is' : `${n} real machines are`} attached (a bridge plays in real time); detach ${n === 1 ? 'it' : 'them'} first`);
  }

  private realtimeStarted(): void {
    this.clock.pause();
    if (this.pulse === null) this.pulse = this.timers.setInterval(() => this.scheduleFlush(), EVENT_INTERVAL_MS);
    this.clockDue = true;
  }

  private realtimeStopped(): void {
    if (this.pulse !== null) this.timers.clearInterval(this.pulse);
    this.pulse = null;
    if (!this.closed) this.clock.play();
    this.clockDue = true;
  }

  private kickRealtime(): void {
    try {
      this.bridges.kick();
    } catch (e) {
      this.log(`internal error while running the lab in real time: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  private commandEnded(os: MachineOs): void {
    // VBoxManage in the host's terminal edits the document behind the dialogs' back: take it in as an undo step.
    if (os.lab !== null) this.adoptDue = true;
    this.tablesDue = true;
  }

  private documentChanged(): void {
    this.shells.prune(this.session.lab);
    this.bridges.review(this.session.lab);
    this.labChanged = true;
    this.tablesDue = true;
  }

  private replace(next: LabSession): void {
    // Real machines were joined to the lab being closed: let them go before the next one runs.
    this.bridges.detachAll();
    this.shells.reset();
    this.captures.reset();
    this.watch.reset();
    this.session = next;
    this.labChanged = true;
    this.tablesDue = true;
    this.clockDue = true;
  }

  private failure(name: unknown, e: unknown): ErrorInfo {
    const what = typeof name === 'string' ? quote(name, 40) : 'a request';
    if (e instanceof HostError) {
      if (e.code === 'bad-request' || e.code === 'failed') this.log(`${what}: ${e.code}: ${e.message}`);
      return e.toInfo();
    }
    // A bug of ours: the window gets one line, the log the whole story; the host goes on.
    this.log(`${what}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return { code: 'internal', message: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }

  // ---- requests -------------------------------------------------------------------------------------

  private change(next: LabDocument): LabSnapshot {
    if (this.session.change(next)) this.documentChanged();
    return this.session.snapshot();
  }

  private async load(path: string, source: string): Promise<LabDocument> {
    const text = await readLabFile(path);
    const loaded = loadLab(text, source);
    if (!loaded.ok) {
      const n = loaded.problems.length;
      throw refused(`${source} cannot be opened: ${n === 1 ? 'it has a problem' : `it has ${n} problems`}; the lab open now is unchanged`, plainProblems(loaded.problems));
    }
    return loaded.doc;
  }

  private async write(path: string): Promise<LabSnapshot> {
    const s = this.session;
    const id = s.currentId;
    await writeFileAtomic(path, serializeLab(s.doc));
    s.markSaved(path, id);
    if (s === this.session) this.labChanged = true;
    return s.snapshot();
  }

  private makeHandlers(): Handlers {
    const lab = () => this.session.lab;
    const doc = () => this.session.doc;
    return {
      'lab.get': () => this.session.snapshot(),
      'lab.machines': () => machineSummaries(lab(), doc()),
      'lab.topology': () => topology(lab()),
      'vm.setVirtualBoxAdapter': (p) => this.change(withVirtualBoxAdapter(doc(), p.vm, p.adapter)),
      'vm.setVmwareAdapter': (p) => this.change(withVmwareAdapter(doc(), p.vm, p.adapter)),
      'vm.setGuest': (p) => this.change(withGuest(doc(), p.vm, p.guest)),
      'vm.setRunning': (p) => this.change(withRunning(doc(), p.vm, p.running)),
      'host.setVirtualBox': (p) => this.change(withVirtualBoxHost(doc(), p.virtualbox)),
      'host.setVmware': (p) => this.change(withVmwareHost(doc(), p.vmware)),
      'history.undo': () => {
        this.session.undo();
        this.documentChanged();
        return this.session.snapshot();
      },
      'history.redo': () => {
        this.session.redo();
        this.documentChanged();
        return this.session.snapshot();
      },
      'file.new': () => {
        this.replace(LabSession.start(emptyLab(), null, { settle: this.settle }));
        return this.session.snapshot();
      },
      'file.open': async (p) => {
        const path = resolve(p.path);
        const d = await this.load(path, path);
        this.replace(LabSession.start(d, path, { settle: this.settle }));
        return this.session.snapshot();
      },
      'file.openBundled': async (p) => {
        if (this.labsDir === null) throw new HostError('not-found', 'no bundled labs are installed');
        const file = await bundledLabPath(this.labsDir, p.name);
        const d = await this.load(file, `${p.name}.json`);
        // A bundled lab is a template: Save asks where, rather than writing into the installation.
        this.replace(LabSession.start(d, null, { settle: this.settle }));
        return this.session.snapshot();
      },
      'file.bundled': () => (this.labsDir === null ? [] : bundledLabs(this.labsDir)),
      'file.save': () => {
        const path = this.session.path;
        if (path === null) throw refused('this lab has no file yet; use Save As… to choose one');
        return this.write(path);
      },
      'file.saveAs': (p) => this.write(labPathFor(p.path)),
      'shell.run': (p) => {
        const started = this.shells.run(lab(), p.node, p.line);
        this.tablesDue = true;
        return started;
      },
      'shell.interrupt': (p) => this.shells.interrupt(lab(), p.node),
      'shell.prompt': (p) => this.shells.prompt(lab(), p.node),
      'tables.leases': (p) => leaseRows(lab(), p.server),
      'tables.nat': (p) => natRows(lab(), p.engine),
      'tables.arp': (p) => arpRows(lab(), p.node),
      'tables.routes': (p) => routeRows(lab(), p.node),
      'tables.events': (p) => {
        const rows = eventRows(lab());
        return p.since === undefined ? rows : rows.filter((r) => r.time >= (p.since as number));
      },
      'matrix.compute': () => {
        // The pings run on the lab's clock: time moves, tables fill.
        const m = reachabilityMatrix(lab());
        this.bridges.resync();
        this.tablesDue = true;
        this.clockDue = true;
        return m;
      },
      'capture.list': () => this.captures.list(lab()),
      'capture.start': (p) => this.captures.start(lab(), p.link),
      'capture.stop': (p) => this.captures.stop(lab(), p.link),
      'capture.clear': (p) => this.captures.clear(lab(), p.link),
      'capture.frames': (p) => this.captures.frames(lab(), p.link, p.from, p.limit),
      'capture.frame': (p) => this.captures.frame(lab(), p.link, p.number),
      'capture.export': (p) => this.captures.export(lab(), p.link),
      'clock.get': () => this.clockState(),
      'clock.play': () => {
        // While bridged the lab already plays, in real time.
        if (!this.bridges.active) this.clock.play();
        this.clockDue = true;
        return this.clockState();
      },
      'clock.pause': () => {
        this.refuseWhileBridged('pause');
        this.clock.pause();
        this.clockDue = true;
        return this.clockState();
      },
      'clock.step': (p) => {
        this.refuseWhileBridged('step');
        this.clock.step(p.us);
        this.clockDue = true;
        this.tablesDue = true;
        return this.clockState();
      },
      'clock.setSpeed': (p) => {
        this.refuseWhileBridged('change speed');
        this.clock.setSpeed(p.speed);
        this.clockDue = true;
        return this.clockState();
      },
      'bridge.list': () => this.bridges.list(),
      'bridge.attach': async (p) => {
        const info = await this.bridges.attach(lab(), lab, p.where, p.spec);
        this.clockDue = true;
        this.tablesDue = true;
        return info;
      },
      'bridge.detach': (p) => {
        const left = this.bridges.detach(p.id);
        this.clockDue = true;
        this.tablesDue = true;
        return left;
      },
    };
  }
}
