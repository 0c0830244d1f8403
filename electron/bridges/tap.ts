// A lab network or VM adapter joined to a Linux TAP device: checks the persistent device is there and the user's, then bridges frames both ways.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningLab } from '../../core/lab/running-lab';
import { AttachError, type Attachment, type AttachSpec, LabSide, labPort, linkName, newCounters, specLabel } from './attachment';
import type { RealtimeClock } from './realtime-clock';
import { loadTapAddon, type TapAddon } from './tap-addon';

const IFF_UP = 0x1;
const IFF_TAP = 0x2;
const CAP_NET_ADMIN = 12;

/** The one-time commands that make `ifname` a TAP device the user may open. */
export function tapCreateCommand(ifname: string): string {
  return `sudo ip tuntap add dev ${ifname} mode tap user $USER && sudo ip link set ${ifname} up`;
}

function recreateCommand(ifname: string, mode: 'tap' | 'tun' = 'tap'): string {
  return `sudo ip tuntap del dev ${ifname} mode ${mode} && ${tapCreateCommand(ifname)}`;
}

function readNumber(file: string): number | null {
  try {
    const t = readFileSync(file, 'utf8').trim();
    const n = t.startsWith('0x') ? parseInt(t, 16) : Number(t);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

function hasNetAdmin(): boolean {
  try {
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m !== null && (BigInt(`0x${m[1]}`) & (1n << BigInt(CAP_NET_ADMIN))) !== 0n;
  } catch {
    return false;
  }
}

export interface TapIdentity {
  uid: number;
  gids: readonly number[];
  netAdmin: boolean;
}

function currentIdentity(): TapIdentity {
  return { uid: process.getuid?.() ?? -1, gids: process.getgroups?.() ?? [], netAdmin: hasNetAdmin() };
}

/**
 * Why `ifname` cannot be opened by this user, read from sysfs before trying (the kernel's own refusal,
 * EPERM, does not say whose the device is); null when it looks usable. The kernel lets a TAP be opened
 * by its owner, a member of its group, or anyone with CAP_NET_ADMIN.
 */
export function tapProblem(ifname: string, sys = '/sys/class/net', who: TapIdentity = currentIdentity()): AttachError | null {
  const dir = join(sys, ifname);
  if (!existsSync(dir)) return new AttachError(`there is no network device ${ifname}; create the TAP device once`, tapCreateCommand(ifname));
  const flags = readNumber(join(dir, 'tun_flags'));
  if (flags === null) return new AttachError(`${ifname} is not a TUN/TAP device (it is some other kind of network interface); create a TAP device and attach that`, tapCreateCommand('vmnetlab0'));
  if ((flags & IFF_TAP) === 0) return new AttachError(`${ifname} is a TUN device (IP packets), not a TAP device (Ethernet frames)`, recreateCommand(ifname, 'tun'));
  if (who.netAdmin) return null;
  const owner = readNumber(join(dir, 'owner')) ?? -1;
  const group = readNumber(join(dir, 'group')) ?? -1;
  if (owner === who.uid || (group !== -1 && who.gids.includes(group))) return null;
  if (owner === -1 && group === -1) return new AttachError(`${ifname} has no owner, so only root may open it`, recreateCommand(ifname));
  const whose = owner !== -1 ? `uid ${owner}` : `group ${group}`;
  return new AttachError(`${ifname} belongs to ${whose}, not to you (uid ${who.uid})`, recreateCommand(ifname));
}

/** Turns the addon's errors into what the user can do about them. */
function openError(e: unknown, ifname: string): AttachError {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const text = e instanceof Error ? e.message : String(e);
  switch (code) {
    case 'EPERM':
    case 'EACCES':
      return new AttachError(`not allowed to open ${ifname} (${text})`, /dev\/net\/tun/.test(text) ? 'sudo chmod 0666 /dev/net/tun' : recreateCommand(ifname));
    case 'EBUSY':
      return new AttachError(`${ifname} is already in use by another program (a TAP device has one reader); close it or create another device`, tapCreateCommand(`${ifname.slice(0, 13)}b`));
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      return new AttachError(/dev\/net\/tun/.test(text) ? `no /dev/net/tun (${text})` : `cannot open ${ifname} (${text})`, /dev\/net\/tun/.test(text) ? 'sudo modprobe tun' : tapCreateCommand(ifname));
    case 'EINVAL':
      return new AttachError(`${ifname} cannot be opened as a single-queue TAP device (${text})`, recreateCommand(ifname));
    default:
      return new AttachError(`cannot open ${ifname} (${text})`);
  }
}

export interface TapOptions {
  /** The addon to use (tests); loaded from native/tap by default. */
  addon?: TapAddon;
  /** Told when reading the device fails for good (the device was deleted…). */
  onProblem?: (text: string) => void;
}

/** Joins `spec.where` in the lab to the TAP device `spec.ifname`. Throws AttachError saying why not. */
export function attachTap(lab: RunningLab, spec: Extract<AttachSpec, { kind: 'tap' }>, clock: RealtimeClock, options: TapOptions = {}): Attachment {
  let addon = options.addon;
  if (addon === undefined) {
    const load = loadTapAddon();
    if (!load.ok) throw new AttachError(`TAP attachments are unavailable: ${load.reason}`);
    addon = load.addon;
  }
  const problem = tapProblem(spec.ifname);
  if (problem !== null) throw problem;
  let fd: number;
  try {
    fd = addon.open(spec.ifname);
  } catch (e) {
    throw openError(e, spec.ifname);
  }
  const warnings: string[] = [];
  const flags = readNumber(join('/sys/class/net', spec.ifname, 'flags'));
  if (flags !== null && (flags & IFF_UP) === 0) warnings.push(`${spec.ifname} is down on the host side, so no frame passes until \`sudo ip link set ${spec.ifname} up\``);
  let port;
  try {
    port = labPort(lab, spec);
  } catch (e) {
    addon.close(fd);
    throw e;
  }
  const counters = newCounters();
  const tap = addon;
  const side = new LabSide(port, clock, counters, (frame) => tap.write(fd, frame), lab);
  let open = true;
  tap.watch(
    fd,
    (frame) => side.fromOutside(frame),
    (err) => options.onProblem?.(`${specLabel(spec)}: ${err.message}; no more frames come from ${spec.ifname}`),
  );
  return {
    spec,
    label: specLabel(spec),
    link: linkName(spec),
    counters,
    warnings,
    close(): void {
      if (!open) return;
      open = false;
      counters.dropped += tap.unwatch(fd);
      side.detach();
      tap.close(fd);
    },
  };
}
