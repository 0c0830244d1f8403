// What the bridge forms and badges need without Vue: which topology nodes can be bridged and by what name, field checks as the host's schema makes them, and the badge text.
import type { BridgeInfo, Topology } from '../../core/api/dto';

type TopologyNode = Topology['nodes'][number];

/** The persistent TAP device the forms suggest, and the one-time command that makes it. */
export const DEFAULT_TAP = 'vmnetlab0';
export const tapCommand = (ifname: string): string => `sudo ip tuntap add dev ${ifname} mode tap user $USER && sudo ip link set ${ifname} up`;

/** A network node's name for `bridge.attach` (`net:lan` → `lan`, `vnet:vbox-hostonly:vboxnet0` → its id); null for anything else. */
export function whereOf(node: Pick<TopologyNode, 'id' | 'kind'>): string | null {
  if (node.kind !== 'switch' && node.kind !== 'internet') return null;
  if (node.id.startsWith('net:')) return node.id.slice(4);
  if (node.id.startsWith('vnet:')) return node.id.slice(5);
  return null;
}

export type FieldProblem = 'ifname' | 'port' | 'host';

const IFNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const LABEL = '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOSTNAME = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

export function checkIfname(text: string): FieldProblem | null {
  return IFNAME.test(text) ? null : 'ifname';
}

/** The port a field holds, or null when it is not a whole number from 1 to 65535. */
export function portOf(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 && n <= 65535 ? n : null;
}

export function checkPort(text: string): FieldProblem | null {
  return portOf(text) === null ? 'port' : null;
}

/** An IPv4 address or a host name (a name of digits and dots only must be a valid address). */
export function checkHost(text: string): FieldProblem | null {
  const t = text.trim();
  if (/^[\d.]+$/.test(t)) return IPV4.test(t) ? null : 'host';
  return t.length >= 1 && t.length <= 253 && HOSTNAME.test(t) ? null : 'host';
}

/** 1234 → 1234, 12345 → 12.3k, 1234567 → 1.2M: counters that fit a badge. */
export function compactCount(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** The line under a bridged node: `⇄ udp:40001→127.0.0.1:40002 ↓12 ↑15`, `⚠` first when one failed. */
export function badgeText(bridges: readonly BridgeInfo[]): string {
  if (bridges.length === 0) return '';
  const failed = bridges.some((b) => b.state === 'failed');
  const framesIn = bridges.reduce((n, b) => n + b.counters.framesIn, 0);
  const framesOut = bridges.reduce((n, b) => n + b.counters.framesOut, 0);
  const what = bridges.length === 1 ? bridges[0].label : `${bridges.length}×`;
  return `${failed ? '⚠ ' : ''}⇄ ${what} ↓${compactCount(framesIn)} ↑${compactCount(framesOut)}`;
}
