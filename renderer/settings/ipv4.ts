// IPv4 addresses, masks and prefixes as the dialogs read and write them (the renderer may not use core's address helpers).

/** A dotted quad to a 32-bit unsigned number; null for anything else (no leading zeros, no spaces). */
export function parseIpv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let n = 0;
  for (const part of m.slice(1)) {
    if (part.length > 1 && part.startsWith('0')) return null;
    const b = Number(part);
    if (b > 255) return null;
    n = n * 256 + b;
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIpv4(s: string): boolean {
  return parseIpv4(s) !== null;
}

export function prefixToMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The prefix length of a contiguous mask; null when the mask has holes or is not an address. */
export function maskToPrefix(mask: string): number | null {
  const n = parseIpv4(mask);
  if (n === null) return null;
  for (let p = 0; p <= 32; p++) if (prefixToMask(p) === n) return p;
  return null;
}

/** "192.168.56.1/24" to its parts; null when it is not that shape. */
export function splitCidr(cidr: string): { ip: string; prefix: number } | null {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(cidr);
  if (!m || parseIpv4(m[1]) === null) return null;
  const prefix = Number(m[2]);
  return prefix <= 32 ? { ip: m[1], prefix } : null;
}

/** An address and a dotted mask to "a.b.c.d/p"; null when either is not valid. */
export function joinCidr(ip: string, mask: string): string | null {
  const p = maskToPrefix(mask);
  return parseIpv4(ip) === null || p === null ? null : `${ip}/${p}`;
}

export interface Subnet {
  net: number;
  prefix: number;
}

export function subnetOf(cidr: string): Subnet | null {
  const c = splitCidr(cidr);
  if (!c) return null;
  const ip = parseIpv4(c.ip) as number;
  return { net: (ip & prefixToMask(c.prefix)) >>> 0, prefix: c.prefix };
}

export function broadcastOf(s: Subnet): number {
  return (s.net | (~prefixToMask(s.prefix) >>> 0)) >>> 0;
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  const p = Math.min(a.prefix, b.prefix);
  const m = prefixToMask(p);
  return ((a.net & m) >>> 0) === ((b.net & m) >>> 0);
}

/** The host `n` of a subnet (net + n) as text. */
export function hostIn(s: Subnet, n: number): string {
  return formatIpv4((s.net + n) >>> 0);
}
