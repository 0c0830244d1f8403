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
