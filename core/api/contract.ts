// The contract between the lab host and the window: every request (name → parameter schema and result type) and every event.
import { virtualBoxAdapterSchema, virtualBoxHostSchema, vmwareAdapterSchema, vmwareHostSchema, guestSchema } from '../lab/validate';
import { boolean, discriminatedUnion, integer, literal, number, object, optional, quote, string, type Infer, type Schema, type StringFormat } from './schema';
import type {
  ArpRow,
  BridgeInfo,
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

// ---- bridges to real machines ----

// A network's name or a virtual network's id (`lan`, `vboxnet0`, `vbox-hostonly:vboxnet0`) or a VM's adapter (`vm1.nic1`).
const EDGES = /^\S(.*\S)?$/;
const whereFormat: StringFormat = {
  pattern: EDGES,
  test: (s) => EDGES.test(s) && ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f),
  message: (s) => `${quote(s)} is not a network or adapter name (spaces at an end, or control characters)`,
  hint: "a network's name (lan, vboxnet0) or a VM's adapter (vm1.nic1)",
};
const where = string({ minLength: 1, maxLength: 128, format: whereFormat });
// Linux's IFNAMSIZ is 16 with the final NUL: at most 15 characters, and never '/', ':' or white space.
const IFNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
const ifname = string({ minLength: 1, maxLength: 15, pattern: IFNAME_RE, patternMessage: 'is not a network interface name', patternHint: 'up to 15 letters, digits, dots, underscores or hyphens, starting with a letter or digit, like vmnetlab0' });
const port = integer({ min: 1, max: 65535 });
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const LABEL = '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOSTNAME_RE = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
/** An IPv4 address, or a host name to look up; a name of digits and dots only is taken as a (wrong) address. */
export const remoteHostFormat: StringFormat = {
  pattern: new RegExp(`^(${IPV4_RE.source.slice(1, -1)}|${HOSTNAME_RE.source.slice(1, -1)})$`),
  test: (s) => (/^[\d.]+$/.test(s) ? IPV4_RE.test(s) : s.length <= 253 && HOSTNAME_RE.test(s)),
  message: (s) => (/^[\d.]+$/.test(s) ? `${quote(s)} is not an IPv4 address` : `${quote(s)} is not an IPv4 address or a host name`),
  hint: 'write an IPv4 address such as 127.0.0.1 or a host name such as qemu-host.example',
};
const remoteHost = string({ minLength: 1, maxLength: 253, format: remoteHostFormat });
export const bridgeSpecSchema = discriminatedUnion('kind', [
  object({ kind: literal('tap'), ifname }),
  object({ kind: literal('udp'), localPort: port, remoteHost, remotePort: port }),
]);
const bridgeId = string({ minLength: 1, maxLength: 20, pattern: /^bridge-[1-9]\d{0,8}$/, patternMessage: 'is not a bridge id', patternHint: "use an id from 'bridge.list', like bridge-1" });

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
  // Bridges to real machines: a network (or a VM's adapter) joined to a TAP device or a UDP tunnel.
  'bridge.list': request<BridgeInfo[]>()(none),
  'bridge.attach': request<BridgeInfo>()(object({ where, spec: bridgeSpecSchema })),
  /** Answers the bridges left. */
  'bridge.detach': request<BridgeInfo[]>()(object({ id: bridgeId })),
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
  /** Every bridge, when one is attached, detached or fails, and while frames cross (at most 4 a second). */
  'bridge.changed': BridgeInfo[];
}

export type EventName = keyof Events;

/** Every event name, for transports that must list them (the preload's `on`). */
export const eventNames: readonly EventName[] = ['lab.changed', 'tables.changed', 'frame.captured', 'terminal.output', 'terminal.exit', 'clock', 'bridge.changed'];

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
