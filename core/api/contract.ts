// The contract between the lab host and the window: every request (name → parameter schema and result type) and every event.
import { virtualBoxAdapterSchema, virtualBoxHostSchema, vmwareAdapterSchema, vmwareHostSchema, guestSchema } from '../lab/validate';
import { boolean, integer, number, object, optional, string, type Infer, type Schema } from './schema';
import type {
  ArpRow,
  CaptureInfo,
  ClockState,
  ErrorInfo,
  EventRow,
  FrameDetail,
  FrameSummary,
  LabSnapshot,
  LeaseRow,
  MachineSummary,
  Matrix,
  NatRow,
  RouteRow,
  ShellStarted,
  Topology,
} from './dto';

/** A request: the schema its parameters must pass in the host, and (as a type only) what it answers. */
export interface RequestDef<P, R> {
  readonly params: Schema<P>;
  /** Never read: carries the result type. */
  readonly result?: R;
}

function request<R>() {
  return <P>(params: Schema<P>): RequestDef<P, R> => ({ params });
}

const none = object({});
const name = string({ minLength: 1, maxLength: 128 });
const node = object({ node: name });
const optionalNode = object({ node: optional(name) });
const link = object({ link: string({ minLength: 1, maxLength: 256 }) });
const path = string({ minLength: 1, maxLength: 4096 });

export const requests = {
  // The lab document, its machines and its graph.
  'lab.get': request<LabSnapshot>()(none),
  'lab.machines': request<MachineSummary[]>()(none),
  'lab.topology': request<Topology>()(none),
  // Changes, as the settings dialogs' OK makes them (each is one undo step).
  'vm.setVirtualBoxAdapter': request<LabSnapshot>()(object({ vm: name, adapter: virtualBoxAdapterSchema })),
  'vm.setVmwareAdapter': request<LabSnapshot>()(object({ vm: name, adapter: vmwareAdapterSchema })),
  'vm.setGuest': request<LabSnapshot>()(object({ vm: name, guest: guestSchema })),
  'vm.setRunning': request<LabSnapshot>()(object({ vm: name, running: boolean() })),
  'host.setVirtualBox': request<LabSnapshot>()(object({ virtualbox: virtualBoxHostSchema })),
  'host.setVmware': request<LabSnapshot>()(object({ vmware: vmwareHostSchema })),
  'history.undo': request<LabSnapshot>()(none),
  'history.redo': request<LabSnapshot>()(none),
  // Lab files.
  'file.new': request<LabSnapshot>()(none),
  'file.open': request<LabSnapshot>()(object({ path })),
  'file.openBundled': request<LabSnapshot>()(object({ name })),
  'file.bundled': request<string[]>()(none),
  'file.save': request<LabSnapshot>()(none),
  'file.saveAs': request<LabSnapshot>()(object({ path })),
  // Terminals: output comes as `terminal.output` events, the end as `terminal.exit`.
  'shell.run': request<ShellStarted>()(object({ node: name, line: string({ maxLength: 4096 }) })),
  'shell.interrupt': request<boolean>()(node),
  'shell.prompt': request<string>()(node),
  // Live tables.
  'tables.leases': request<LeaseRow[]>()(object({ server: optional(name) })),
  'tables.nat': request<NatRow[]>()(object({ engine: optional(name) })),
  'tables.arp': request<ArpRow[]>()(optionalNode),
  'tables.routes': request<RouteRow[]>()(optionalNode),
  'tables.events': request<EventRow[]>()(object({ since: optional(number({ min: 0 })) })),
  'matrix.compute': request<Matrix>()(none),
  // Captures, one per link (cable).
  'capture.list': request<CaptureInfo[]>()(none),
  'capture.start': request<CaptureInfo>()(link),
  'capture.stop': request<CaptureInfo>()(link),
  'capture.clear': request<CaptureInfo>()(link),
  'capture.frames': request<FrameSummary[]>()(object({ link: string({ minLength: 1, maxLength: 256 }), from: optional(integer({ min: 1 })), limit: optional(integer({ min: 1, max: 10_000 })) })),
  'capture.frame': request<FrameDetail>()(object({ link: string({ minLength: 1, maxLength: 256 }), number: integer({ min: 1 }) })),
  'capture.export': request<{ fileName: string; base64: string }>()(link),
  // The clock.
  'clock.get': request<ClockState>()(none),
  'clock.play': request<ClockState>()(none),
  'clock.pause': request<ClockState>()(none),
  'clock.step': request<ClockState>()(object({ us: optional(integer({ min: 1, max: 86_400_000_000 })) })),
  'clock.setSpeed': request<ClockState>()(object({ speed: number({ min: 0.01, max: 1_000_000 }) })),
} as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type RequestParams<N extends RequestName> = Infer<Requests[N]['params']>;
export type RequestResult<N extends RequestName> = Requests[N] extends RequestDef<unknown, infer R> ? R : never;

/** Events the host emits, by name, with their payloads (the host is trusted, so they carry types, not schemas). */
export interface Events {
  'lab.changed': LabSnapshot;
  /** Which live tables changed, so the window refetches only those. */
  'tables.changed': { tables: Array<'leases' | 'nat' | 'arp' | 'routes' | 'events' | 'machines' | 'topology'> };
  'frame.captured': FrameSummary;
  'terminal.output': { node: string; id: number; text: string };
  'terminal.exit': { node: string; id: number; code: number; prompt: string };
  clock: ClockState;
}

export type EventName = keyof Events;

/** Every event name, for transports that must list them (the preload's `on`). */
export const eventNames: readonly EventName[] = ['lab.changed', 'tables.changed', 'frame.captured', 'terminal.output', 'terminal.exit', 'clock'];

export const requestNames = Object.keys(requests) as RequestName[];

/** An answer: the result, or a typed error (never an exception across the boundary). */
export type Answer<R> = { ok: true; result: R } | { ok: false; error: ErrorInfo };

/** What both transports offer the window: one call per request, and event subscription. */
export interface LabClient {
  request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<Answer<RequestResult<N>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** The host side of any transport: answers requests (validating them) and tells listeners about events. */
export interface HostEndpoint {
  /** `name` and `params` come from outside and are checked here; the answer is never an exception. */
  handle(name: string, params: unknown): Promise<Answer<unknown>>;
  subscribe(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void;
}
