// Small helpers for the address plans of virtual networks: "the .2 of 10.0.2.0/24" and the like.
import { formatIpv4, parseCidr, prefixToMask } from '../wire/address';

/** The address with host part `host` in `cidr` ("10.0.2.0/24", 15 → "10.0.2.15"). */
export function hostIn(cidr: string, host: number): string {
  const c = parseCidr(cidr);
  if (!c) return '0.0.0.0';
  return formatIpv4((((c.address & prefixToMask(c.prefix)) >>> 0) + host) >>> 0);
}

export function prefixOf(cidr: string): number {
  return parseCidr(cidr)?.prefix ?? 24;
}

/** "192.168.56.1/24" → "192.168.56.0/24". */
export function networkCidr(cidr: string): string {
  const c = parseCidr(cidr);
  if (!c) return cidr;
  return `${formatIpv4((c.address & prefixToMask(c.prefix)) >>> 0)}/${c.prefix}`;
}

/** "192.168.56.1/24" → "192.168.56.1". */
export function addressOf(cidr: string): string {
  return cidr.split('/')[0];
}

/** True when every address of `inner` lies within one of `ranges`. */
export function withinRanges(inner: string, ranges: readonly string[]): boolean {
  const i = parseCidr(inner);
  if (!i) return false;
  return ranges.some((r) => {
    const c = parseCidr(r);
    if (!c || i.prefix < c.prefix) return false;
    return ((i.address & prefixToMask(c.prefix)) >>> 0) === ((c.address & prefixToMask(c.prefix)) >>> 0);
  });
}
