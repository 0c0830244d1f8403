// Text pieces several commands print alike: IPv6 link-local addresses, the routing table in kernel order, wall-clock dates.
import { LAB_EPOCH_MS } from '../../devices/http-server';
import type { NetInterface } from '../../stack/interface';
import type { Route } from '../../stack/routes';
import { formatIpv4, type MacAddr, prefixToMask } from '../../wire/address';

/** Compresses eight 16-bit groups as RFC 5952 writes them (the longest run of zero groups becomes ::). */
export function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number): string => g.toString(16);
  if (bestStart < 0) return groups.map(hex).join(':');
  const head = groups.slice(0, bestStart).map(hex).join(':');
  const tail = groups.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}

/** The EUI-64 link-local address the kernel gives an Ethernet interface: fe80::a00:27ff:feaa:bbcc for 08:00:27:aa:bb:cc. */
export function linkLocalOf(mac: MacAddr): string {
  const b: number[] = [];
  let m = mac;
  for (let i = 5; i >= 0; i--) {
    b[i] = m % 256;
    m = Math.floor(m / 256);
  }
  b[0] ^= 0x02;
  return formatIpv6([0xfe80, 0, 0, 0, (b[0] << 8) | b[1], (b[2] << 8) | 0xff, 0xfe00 | b[3], (b[4] << 8) | b[5]]);
}

/** True when the kernel would have configured the IPv6 link-local address (interface up with carrier). */
export function hasLinkLocal(iface: NetInterface): boolean {
  return !iface.isLoopback && iface.up && iface.carrier;
}

/** The main table in the order the kernel dumps it: by destination, longest prefix first, then metric. */
export function kernelOrder(routes: readonly Route[]): Route[] {
  return [...routes].sort((a, b) => a.dst - b.dst || b.prefix - a.prefix || a.metric - b.metric);
}

/** One line of `ip route`: `default via 10.0.2.2 dev eth0 proto dhcp metric 100`. */
export function formatRoute(r: Route, omitDev = false): string {
  let s = r.prefix === 0 ? 'default' : r.prefix === 32 ? formatIpv4(r.dst) : `${formatIpv4(r.dst)}/${r.prefix}`;
  if (r.gateway !== 0) s += ` via ${formatIpv4(r.gateway)}`;
  if (!omitDev) s += ` dev ${r.iface.name}`;
  if (r.proto !== 'boot') s += ` proto ${r.proto}`;
  if (r.gateway === 0) s += ' scope link';
  if (r.src !== 0) s += ` src ${formatIpv4(r.src)}`;
  if (r.metric !== 0) s += ` metric ${r.metric}`;
  if (!r.iface.isLoopback && r.iface.up && !r.iface.carrier) s += ' linkdown';
  return s;
}

/** The netmask of a prefix in dotted form (255.255.255.0). */
export function maskText(prefix: number): string {
  return formatIpv4(prefixToMask(prefix));
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const two = (n: number): string => String(n).padStart(2, '0');

/** Milliseconds since the Unix epoch that virtual time `us` stands for. */
export function wallClockMs(us: number): number {
  return LAB_EPOCH_MS + Math.floor(us / 1000);
}

/** systemd's timestamp: `Mon 2024-01-01 00:00:05 UTC`. */
export function systemdDate(us: number): string {
  const d = new Date(wallClockMs(us));
  return `${DAYS[d.getUTCDay()]} ${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`;
}

/** systemd's "5min ago" for a span in microseconds. */
export function systemdAgo(us: number): string {
  const s = Math.floor(us / 1_000_000);
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}min ${s % 60}s ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}min ago`;
  return `${Math.floor(h / 24)} days ago`;
}

/** ISO time as VirtualBox prints state changes: 2024-01-01T00:00:00.000000000. */
export function vboxTimestamp(us: number): string {
  const d = new Date(wallClockMs(us));
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}000000`;
}
