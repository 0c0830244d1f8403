// Big-endian (network order) field access on Uint8Arrays, without DataView allocations on the hot path.

export function getU16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function setU16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

export function getU32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export function setU32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

/** A 48-bit MAC address read as a number (exact in a double), so tables can key on it without strings. */
export function getU48(b: Uint8Array, o: number): number {
  return ((b[o] << 8) | b[o + 1]) * 0x100000000 + getU32(b, o + 2);
}

export function setU48(b: Uint8Array, o: number, v: number): void {
  const hi = Math.floor(v / 0x100000000);
  setU16(b, o, hi);
  setU32(b, o + 2, v >>> 0);
}

/** Bytes as lowercase hex, for messages and test output. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
  return out;
}
