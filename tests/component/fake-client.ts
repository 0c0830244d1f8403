// A fake LabClient for component tests: answers from fixed DTOs (real answers of the lab host, in fixtures/default-lab.json), records every request, emits events on demand.
import type { Answer, EventName, Events, LabClient, RequestName, RequestParams, RequestResult } from '../../core/api/contract';
import type { ArpRow, CaptureInfo, ClockState, EventRow, FrameDetail, FrameSummary, LabSnapshot, LeaseRow, MachineSummary, Matrix, NatRow, RouteRow, Topology } from '../../core/api/dto';
import fixture from './fixtures/default-lab.json';

export interface Fixture {
  snapshot: LabSnapshot;
  machines: MachineSummary[];
  topology: Topology;
  bundled: string[];
  leases: LeaseRow[];
  nat: NatRow[];
  arp: ArpRow[];
  routes: RouteRow[];
  events: EventRow[];
  matrix: Matrix;
  captures: CaptureInfo[];
  frames: FrameSummary[];
  frame: FrameDetail;
  clock: ClockState;
  prompt: string;
}

/** A deep copy of the fixture, so one test's edits never leak into another's. */
export function defaultLab(): Fixture {
  return structuredClone(fixture) as unknown as Fixture;
}

type Handler<N extends RequestName> = (params: RequestParams<N>) => RequestResult<N> | Answer<RequestResult<N>>;
type Handlers = { [N in RequestName]?: Handler<N> };

export interface Call {
  name: RequestName;
  params: unknown;
}

function isAnswer(v: unknown): v is Answer<unknown> {
  return typeof v === 'object' && v !== null && 'ok' in v && (v.ok === true || v.ok === false) && ('result' in v || 'error' in v);
}

export class FakeLabClient implements LabClient {
  readonly calls: Call[] = [];
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private readonly handlers: Handlers = {};
  private nextShellId = 1;

  constructor(public data: Fixture = defaultLab()) {
    const d = () => this.data;
    const snap = (changes: Partial<LabSnapshot> = {}): LabSnapshot => {
      this.data.snapshot = { ...this.data.snapshot, ...changes };
      return this.data.snapshot;
    };
    this.answer('lab.get', () => d().snapshot);
    this.answer('lab.machines', () => d().machines);
    this.answer('lab.topology', () => d().topology);
    this.answer('file.bundled', () => d().bundled);
    this.answer('tables.leases', () => d().leases);
    this.answer('tables.nat', () => d().nat);
    this.answer('tables.arp', () => d().arp);
    this.answer('tables.routes', () => d().routes);
    this.answer('tables.events', () => d().events);
    this.answer('matrix.compute', () => d().matrix);
    this.answer('capture.list', () => d().captures);
    this.answer('capture.frames', (p) => d().frames.filter((f) => f.link === p.link && f.number >= (p.from ?? 1)).slice(0, p.limit ?? 1000));
    this.answer('capture.frame', (p) => (p.number === d().frame.number ? d().frame : { ok: false, error: { code: 'not-found', message: `no frame ${p.number}` } }));
    this.answer('capture.start', (p) => this.setCapture(p.link, true));
    this.answer('capture.stop', (p) => this.setCapture(p.link, false));
    this.answer('capture.clear', (p) => ({ link: p.link, capturing: d().captures.find((c) => c.link === p.link)?.capturing ?? false, frames: 0 }));
    this.answer('capture.export', (p) => ({ fileName: `${p.link}.pcap`, base64: '1MOyoQIABAA=' }));
    this.answer('clock.get', () => d().clock);
    this.answer('clock.play', () => (d().clock = { ...d().clock, running: true }));
    this.answer('clock.pause', () => (d().clock = { ...d().clock, running: false }));
    this.answer('clock.step', (p) => (d().clock = { ...d().clock, nowUs: d().clock.nowUs + (p.us ?? 1) }));
    this.answer('clock.setSpeed', (p) => (d().clock = { ...d().clock, speed: p.speed }));
    this.answer('bridge.list', () => []);
    this.answer('shell.prompt', () => d().prompt);
    this.answer('shell.run', () => ({ id: this.nextShellId++, prompt: d().prompt }));
    this.answer('shell.interrupt', () => true);
    this.answer('history.undo', () => snap({ canUndo: false, canRedo: true, dirty: false }));
    this.answer('history.redo', () => snap({ canUndo: true, canRedo: false, dirty: true }));
    this.answer('file.new', () => snap({ path: null, dirty: false, canUndo: false, canRedo: false, document: { ...d().snapshot.document, name: 'Untitled lab', machines: [], vms: [], networks: [] } }));
    this.answer('file.openBundled', (p) => snap({ path: null, dirty: false, canUndo: false, canRedo: false, document: { ...d().snapshot.document, name: p.name } }));
    this.answer('file.open', (p) => snap({ path: p.path, dirty: false, canUndo: false, canRedo: false }));
    this.answer('file.save', () => (d().snapshot.path === null ? { ok: false, error: { code: 'refused', message: 'this lab has no file yet; use Save As… to choose one' } } : snap({ dirty: false })));
    this.answer('file.saveAs', (p) => snap({ path: p.path, dirty: false }));
    const change = () => snap({ dirty: true, canUndo: true, canRedo: false });
    this.answer('vm.setVirtualBoxAdapter', change);
    this.answer('vm.setVmwareAdapter', change);
    this.answer('vm.setGuest', change);
    this.answer('vm.setRunning', change);
    this.answer('host.setVirtualBox', change);
    this.answer('host.setVmware', change);
  }

  /** Replaces how the fake answers `name`: a plain result, or an Answer (to answer an error). */
  answer<N extends RequestName>(name: N, handler: Handler<N>): void {
    (this.handlers as Record<string, unknown>)[name] = handler;
  }

  async request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<Answer<RequestResult<N>>> {
    this.calls.push({ name, params });
    const h = this.handlers[name] as Handler<N> | undefined;
    if (!h) return { ok: false, error: { code: 'internal', message: `the fake has no answer for ${name}` } };
    const r = h(params);
    return isAnswer(r) ? (r as Answer<RequestResult<N>>) : { ok: true, result: r as RequestResult<N> };
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (p: Events[E]) => void)(payload);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** The requests named `name` made so far. */
  callsOf<N extends RequestName>(name: N): Array<RequestParams<N>> {
    return this.calls.filter((c) => c.name === name).map((c) => c.params as RequestParams<N>);
  }

  private setCapture(link: string, capturing: boolean): CaptureInfo {
    const c = this.data.captures.find((x) => x.link === link);
    const info = { link, capturing, frames: c?.frames ?? 0 };
    this.data.captures = this.data.captures.map((x) => (x.link === link ? info : x));
    return info;
  }
}
