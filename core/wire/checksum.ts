// The Internet checksum (RFC 1071) and its incremental update (RFC 1624), used by IPv4, ICMP, UDP and TCP.

/** One's-complement sum of 16-bit words over b[start, end), added to `initial`; not yet folded or inverted. */
export function sum16(b: Uint8Array, start: number, end: number, initial = 0): number {
  let s = initial;
  let i = start;
  const even = end - ((end - start) & 1);
  for (; i < even; i += 2) s += (b[i] << 8) | b[i + 1];
  if (i < end) s += b[i] << 8;
  return s;
}

/** Folds a running sum to 16 bits and inverts it: the value to put in a checksum field. */
export function finish(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

export function internetChecksum(b: Uint8Array, start = 0, end = b.length): number {
  return finish(sum16(b, start, end));
}

/** The pseudo-header sum that UDP and TCP checksums start from (RFC 768, RFC 793). */
export function pseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}

/**
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for a 16-bit field changing from m to m'.
 * NAT and routers use it so rewriting an address or TTL does not re-sum the whole packet.
 */
export function adjust16(checksum: number, oldWord: number, newWord: number): number {
  let s = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** adjust16 for a 32-bit field (an IPv4 address), as two 16-bit words. */
export function adjust32(checksum: number, oldValue: number, newValue: number): number {
  return adjust16(adjust16(checksum, oldValue >>> 16, newValue >>> 16), oldValue & 0xffff, newValue & 0xffff);
}
