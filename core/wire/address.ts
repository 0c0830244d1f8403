// MAC and IPv4 addresses as plain numbers (48 and 32 bits), with the text forms people type and tools print.

/** A MAC address, 48 bits as a non-negative integer. */
export type MacAddr = number;
/** An IPv4 address, 32 bits as an unsigned integer. */
export type Ipv4Addr = number;

export const MAC_BROADCAST: MacAddr = 0xffffffffffff;
export const MAC_ZERO: MacAddr = 0;
export const IPV4_BROADCAST: Ipv4Addr = 0xffffffff;
export const IPV4_ANY: Ipv4Addr = 0;

/** Lowercase colon form, as `ip link` prints it: 08:00:27:aa:bb:cc. */
export function formatMac(mac: MacAddr): string {
  const hi = Math.floor(mac / 0x100000000);
  const lo = mac >>> 0;
  const bytes = [(hi >>> 8) & 255, hi & 255, lo >>> 24, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255];
  return bytes.map((b) => (b < 16 ? '0' : '') + b.toString(16)).join(':');
}

/** Accepts 08:00:27:AA:BB:CC, 08-00-27-aa-bb-cc (one separator throughout) and VirtualBox's 080027AABBCC; null when it is none of them. */
export function parseMac(text: string): MacAddr | null {
  const t = text.trim();
  let hex: string;
  if (/^[0-9a-fA-F]{12}$/.test(t)) hex = t;
  else if (/^[0-9a-fA-F]{1,2}([:-])([0-9a-fA-F]{1,2}\1){4}[0-9a-fA-F]{1,2}$/.test(t)) hex = t.split(/[:-]/).map((p) => p.padStart(2, '0')).join('');
  else return null;
  return parseInt(hex.slice(0, 4), 16) * 0x100000000 + parseInt(hex.slice(4), 16);
}

export function isMulticastMac(mac: MacAddr): boolean {
  return (Math.floor(mac / 0x10000000000) & 1) === 1;
}

export function formatIpv4(ip: Ipv4Addr): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** Dotted quad only (no shorthand forms); null when it is not one. */
export function parseIpv4(text: string): Ipv4Addr | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const n = Number(m[i]);
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return v >>> 0;
}

export function prefixToMask(prefix: number): Ipv4Addr {
  return prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffff : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The prefix length of a contiguous netmask, or null when the mask has holes. */
export function maskToPrefix(mask: Ipv4Addr): number | null {
  let p = 0;
  while (p < 32 && (mask & (0x80000000 >>> p)) !== 0) p++;
  return prefixToMask(p) === mask >>> 0 ? p : null;
}

export function networkOf(ip: Ipv4Addr, prefix: number): Ipv4Addr {
  return (ip & prefixToMask(prefix)) >>> 0;
}

export function broadcastOf(ip: Ipv4Addr, prefix: number): Ipv4Addr {
  return (networkOf(ip, prefix) | ~prefixToMask(prefix)) >>> 0;
}

export function inSubnet(ip: Ipv4Addr, net: Ipv4Addr, prefix: number): boolean {
  const mask = prefixToMask(prefix);
  return ((ip & mask) >>> 0) === ((net & mask) >>> 0);
}

/** An address with its prefix, as `ip addr` shows it. */
export interface Ipv4Cidr {
  readonly address: Ipv4Addr;
  readonly prefix: number;
}

export function formatCidr(c: Ipv4Cidr): string {
  return `${formatIpv4(c.address)}/${c.prefix}`;
}

/** Parses 192.168.56.1/24; a bare address gets `defaultPrefix`. */
export function parseCidr(text: string, defaultPrefix = 32): Ipv4Cidr | null {
  const [a, p, ...rest] = text.trim().split('/');
  if (rest.length > 0) return null;
  const address = parseIpv4(a);
  if (address === null) return null;
  if (p === undefined) return { address, prefix: defaultPrefix };
  if (!/^\d{1,2}$/.test(p) || Number(p) > 32) return null;
  return { address, prefix: Number(p) };
}

export function isPrivateIpv4(ip: Ipv4Addr): boolean {
  return inSubnet(ip, 0x0a000000, 8) || inSubnet(ip, 0xac100000, 12) || inSubnet(ip, 0xc0a80000, 16);
}
