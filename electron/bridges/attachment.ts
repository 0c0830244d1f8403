// Attachments of a lab's network or VM adapter to the real world: what `--attach WHERE=tap:IF|udp:…` means, the checks on frames that cross, the counters.
import type { RunningLab } from '../../core/lab/running-lab';
import type { Port } from '../../core/sim/link';
import type { RealtimeClock } from './realtime-clock';

export type AttachSpec =
  | { where: string; kind: 'tap'; ifname: string }
  | { where: string; kind: 'udp'; localPort: number; remoteHost: string; remotePort: number };

/** Frames longer than this are not Ethernet on a 1500-byte MTU: 1500 + 14 + an 802.1Q tag (no FCS). */
export const MAX_FRAME = 1518;
export const MIN_FRAME = 60;

export interface AttachmentCounters {
  /** Frames from outside that entered the lab. */
  framesIn: number;
  bytesIn: number;
  /** Frames the lab sent out. */
  framesOut: number;
  bytesOut: number;
  /** Frames from outside that were not Ethernet frames (too short, too long, a group source address). */
  malformed: number;
  /** Frames lost on the way: no room in the kernel or the socket, the lab side without carrier, a tunnel datagram from a stranger. */
  dropped: number;
}

export interface Attachment {
  readonly spec: AttachSpec;
  /** `tap:vmnetlab0`, `udp:40001→127.0.0.1:40002`. */
  readonly label: string;
  /** The lab link it rides on (its capture is `<link>.pcap` with --pcap). */
  readonly link: string;
  readonly counters: AttachmentCounters;
  /** Things that work but deserve a word (a TAP device that is down on the host side). */
  readonly warnings: string[];
  close(): void;
}

/** A reason an attachment cannot be made, and the command that fixes it when there is one. */
export class AttachError extends Error {
  constructor(
    message: string,
    readonly hint: string | null = null,
  ) {
    super(message);
    this.name = 'AttachError';
  }
}

const IFNAME = /^[A-Za-z0-9_.:-]{1,15}$/;

/** Parses `WHERE=tap:IFNAME` or `WHERE=udp:LOCALPORT:REMOTEHOST:REMOTEPORT` (an IPv6 host in brackets); a string says what is wrong. */
export function parseAttachSpec(text: string): AttachSpec | string {
  const eq = text.indexOf('=');
  if (eq <= 0) return `'${text}' is not WHERE=tap:IFNAME or WHERE=udp:LOCALPORT:REMOTEHOST:REMOTEPORT`;
  const where = text.slice(0, eq);
  const what = text.slice(eq + 1);
  if (what.startsWith('tap:')) {
    const ifname = what.slice(4);
    if (!IFNAME.test(ifname) || ifname.includes('/')) return `'${ifname}' is not a network interface name (1 to 15 letters, digits, '-', '_' or '.')`;
    return { where, kind: 'tap', ifname };
  }
  if (what.startsWith('udp:')) {
    const m = /^udp:(\d+):(\[[0-9A-Fa-f:.]+\]|[^:[\]]+):(\d+)$/.exec(what);
    if (!m) return `'${what}' is not udp:LOCALPORT:REMOTEHOST:REMOTEPORT (e.g. udp:40001:127.0.0.1:40002)`;
    const localPort = Number(m[1]);
    const remotePort = Number(m[3]);
    for (const p of [localPort, remotePort]) if (p < 1 || p > 65535) return `port ${p} is not between 1 and 65535`;
    return { where, kind: 'udp', localPort, remoteHost: m[2].replace(/^\[|\]$/g, ''), remotePort };
  }
  return `'${what}' is neither tap:IFNAME nor udp:LOCALPORT:REMOTEHOST:REMOTEPORT`;
}

export function specLabel(spec: AttachSpec): string {
  if (spec.kind === 'tap') return `tap:${spec.ifname}`;
  const host = spec.remoteHost.includes(':') ? `[${spec.remoteHost}]` : spec.remoteHost;
  return `udp:${spec.localPort}→${host}:${spec.remotePort}`;
}

/** The name of the lab link an attachment rides on: `tap-vmnetlab0.lan`, `udp-40001.vm1.nic1`. */
export function linkName(spec: AttachSpec): string {
  return `${spec.kind === 'tap' ? `tap-${spec.ifname}` : `udp-${spec.localPort}`}.${spec.where}`;
}

/** Why a frame from outside is not an Ethernet frame the lab can carry; null when it is one. */
export function frameProblem(frame: Uint8Array): string | null {
  if (frame.length < 14) return `${frame.length} bytes, shorter than an Ethernet header`;
  if (frame.length > MAX_FRAME) return `${frame.length} bytes, longer than ${MAX_FRAME} (an MTU above 1500?)`;
  if ((frame[6] & 1) !== 0) return 'a group (multicast) source address';
  return null;
}

export function newCounters(): AttachmentCounters {
  return { framesIn: 0, bytesIn: 0, framesOut: 0, bytesOut: 0, malformed: 0, dropped: 0 };
}

/**
 * The lab side of an attachment: frames from outside are checked, padded to the 60-byte minimum a
 * wire would carry (a kernel does not pad what it transmits), and sent into the lab at the present;
 * frames the lab sends go to `out`, which says whether they left. Detaching gives the lab back what
 * the port took (`RunningLab.releaseAttachmentPoint`): a switch port, or a VM adapter's cable.
 */
export class LabSide {
  constructor(
    readonly port: Port,
    private readonly clock: RealtimeClock,
    readonly counters: AttachmentCounters,
    out: (frame: Uint8Array) => boolean,
    private readonly lab: RunningLab | null = null,
  ) {
    port.onFrame = (frame: Uint8Array): void => {
      if (out(frame)) {
        counters.framesOut++;
        counters.bytesOut += frame.length;
      } else counters.dropped++;
    };
  }

  private readonly sendIn = (frame: Uint8Array): void => {
    if (this.port.send(frame)) {
      this.counters.framesIn++;
      this.counters.bytesIn += frame.length;
    } else this.counters.dropped++;
  };

  /** A frame from outside; `frame` becomes the lab's (it may be rewritten in place by a router or NAT). */
  fromOutside(frame: Uint8Array): void {
    if (frameProblem(frame) !== null) {
      this.counters.malformed++;
      return;
    }
    let f = frame;
    if (f.length < MIN_FRAME) {
      f = new Uint8Array(MIN_FRAME);
      f.set(frame);
    }
    this.clock.inject(this.sendIn, f);
  }

  detach(): void {
    this.port.onFrame = (): void => {};
    if (this.lab === null || !this.lab.releaseAttachmentPoint(this.port)) this.port.link?.unplug();
  }
}

/** Where a lab can be attached, for error messages: its networks and its running VMs' adapters. */
export function attachPlaces(lab: RunningLab): string[] {
  const doc = lab.document();
  const places = new Set<string>();
  for (const n of doc.networks) places.add(n.name);
  for (const h of doc.virtualbox?.hostOnly ?? []) places.add(h.name);
  for (const vm of doc.vms) {
    if (!vm.running) continue;
    for (const a of vm.virtualbox?.adapters ?? []) if (a.enabled) places.add(`${vm.name}.nic${a.slot}`);
    for (const a of vm.vmware?.adapters ?? []) if (a.present) places.add(`${vm.name}.nic${a.slot + 1}`);
  }
  return [...places];
}

/** The lab side port for `spec`, or an AttachError naming the places there are. */
export function labPort(lab: RunningLab, spec: AttachSpec): Port {
  const port = lab.attachmentPoint(spec.where, linkName(spec));
  if (port === null) {
    throw new AttachError(`nowhere to attach '${spec.where}' in this lab: expected a network or a running VM's adapter (${attachPlaces(lab).join(', ')})`);
  }
  return port;
}
