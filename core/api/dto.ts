// The plain objects the contract carries between the lab host and the window: snapshots, rows, frames, topology.
import type { LabDocument } from '../lab/document';
import type { Matrix } from '../lab/matrix';
import type { ArpRow, EventRow, LeaseRow, NatRow, RouteRow } from '../lab/tables';
import type { Topology } from '../lab/topology';

export type { ArpRow, EventRow, LeaseRow, Matrix, NatRow, RouteRow, Topology };

/** The lab document as the window shows it, with the file state and what the products would warn about. */
export interface LabSnapshot {
  document: LabDocument;
  /** The file it was opened from or saved to; null for a new, unsaved lab. */
  path: string | null;
  /** Changed since it was opened or saved. */
  dirty: boolean;
  canUndo: boolean;
  canRedo: boolean;
  /** Warnings of the running lab (a host-only network outside the allowed ranges…). */
  problems: string[];
}

export interface MachineAddress {
  device: string;
  cidr: string;
  /** static, dhcp, or kernel (a hypervisor's host adapter). */
  source: string;
}

export interface MachineAdapter {
  slot: number;
  device: string;
  /** "NAT", "Bridged Adapter (eth0)", "VMnet8 (NAT)"… */
  attachment: string;
  connected: boolean;
  mac: string;
}

/** One line of the machine list, as the VirtualBox Manager shows a VM: name, state, addresses. */
export interface MachineSummary {
  name: string;
  kind: 'machine' | 'vm';
  role: 'host' | 'router' | 'pc' | 'server' | 'vm';
  hypervisor: 'virtualbox' | 'vmware' | null;
  state: 'running' | 'powered off';
  addresses: MachineAddress[];
  adapters: MachineAdapter[];
}

export interface ClockState {
  /** Virtual microseconds since the lab started. */
  nowUs: number;
  running: boolean;
  /** Virtual seconds per real second. */
  speed: number;
  /**
   * How many bridges to real machines are attached, when any is: a real machine on the wire cannot be
   * paused, so meanwhile the clock plays in real time (speed 1) and pause, step and speed are refused.
   */
  bridged?: number;
}

/** A frame in a packet list, as Wireshark's columns show it. */
export interface FrameSummary {
  number: number;
  timeS: number;
  link: string;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
}

/** A line of the decode tree, with the bytes it covers (for highlighting the hex view). */
export interface DecodeNode {
  label: string;
  /** [start, end) byte offsets in the frame. */
  range?: [number, number];
  children?: DecodeNode[];
}

export interface FrameDetail extends FrameSummary {
  /** The frame's bytes as lowercase hex. */
  hex: string;
  tree: DecodeNode[];
}

export interface CaptureInfo {
  link: string;
  capturing: boolean;
  frames: number;
}

/** How a bridge reaches the outside: a Linux TAP device, or a UDP tunnel (one Ethernet frame per datagram). */
export type BridgeSpec = { kind: 'tap'; ifname: string } | { kind: 'udp'; localPort: number; remoteHost: string; remotePort: number };

export interface BridgeCounters {
  /** Frames from outside that entered the lab. */
  framesIn: number;
  bytesIn: number;
  /** Frames the lab sent out. */
  framesOut: number;
  bytesOut: number;
  /** Frames from outside that were not Ethernet frames (too short, too long, a group source address). */
  malformed: number;
  /** Frames lost: no room in the kernel or the socket, no carrier on the lab side, a datagram from a stranger. */
  dropped: number;
}

/** A lab network (or a VM's adapter) joined to a real machine through a TAP device or a UDP tunnel. */
export interface BridgeInfo {
  /** `bridge-1`, `bridge-2`…: what `bridge.detach` takes. */
  id: string;
  /** A network's name (`lan`, `vboxnet0`, or a virtual network's id) or a VM's adapter (`vm1.nic1`), as asked. */
  where: string;
  /** The topology node it hangs on: `net:lan`, `vnet:vbox-hostonly:vboxnet0`, or the VM (`vm1`) whose adapter it took. */
  node: string;
  kind: 'tap' | 'udp';
  /** `vmnetlab0`, or `40001:127.0.0.1:40002` (LOCALPORT:REMOTEHOST:REMOTEPORT). */
  target: string;
  /** `tap:vmnetlab0`, `udp:40001→127.0.0.1:40002`. */
  label: string;
  /** The lab link it rides on, which can be captured like any cable. */
  link: string;
  /** `failed`: attached, but the device or socket stopped working (`error` says why); detach it. */
  state: 'attached' | 'failed';
  error: string | null;
  /** Things that work but deserve a word (a TAP device that is down on the host side). */
  warnings: string[];
  counters: BridgeCounters;
}

export interface ShellStarted {
  /** Identifies this command's output in `terminal.output` events. */
  id: number;
  prompt: string;
}

export interface ErrorInfo {
  code: 'bad-request' | 'not-found' | 'refused' | 'failed' | 'internal';
  message: string;
  /** For a refused change or file: every problem, by JSON path. */
  problems?: Array<{ path: string; message: string; hint?: string }>;
}
