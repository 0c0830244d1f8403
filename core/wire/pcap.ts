// The classic libpcap file format (LINKTYPE_ETHERNET, microsecond timestamps), written little-endian as tcpdump does.

export const PCAP_MAGIC = 0xa1b2c3d4;
export const LINKTYPE_ETHERNET = 1;
export const PCAP_GLOBAL_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;
export const PCAP_SNAPLEN = 262144;

function putU32le(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}

function getU32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/** Writes the 24-byte global header. */
export function emitPcapGlobalHeader(buf: Uint8Array, offset = 0, linktype = LINKTYPE_ETHERNET): number {
  putU32le(buf, offset, PCAP_MAGIC);
  buf[offset + 4] = 2; // version 2.4
  buf[offset + 5] = 0;
  buf[offset + 6] = 4;
  buf[offset + 7] = 0;
  putU32le(buf, offset + 8, 0); // thiszone
  putU32le(buf, offset + 12, 0); // sigfigs
  putU32le(buf, offset + 16, PCAP_SNAPLEN);
  putU32le(buf, offset + 20, linktype);
  return PCAP_GLOBAL_HEADER_LEN;
}

/**
 * Writes one record header for a frame captured at `timeUs` (virtual microseconds since the lab's epoch,
 * offset by `epochS` seconds so Wireshark shows a plausible date).
 */
export function emitPcapRecordHeader(buf: Uint8Array, offset: number, timeUs: number, length: number, epochS = 0): number {
  const secs = Math.floor(timeUs / 1_000_000);
  putU32le(buf, offset, (epochS + secs) >>> 0);
  putU32le(buf, offset + 4, Math.floor(timeUs - secs * 1_000_000));
  putU32le(buf, offset + 8, Math.min(length, PCAP_SNAPLEN));
  putU32le(buf, offset + 12, length);
  return PCAP_RECORD_HEADER_LEN;
}

export interface PcapRecord {
  timeUs: number;
  frame: Uint8Array;
}

/**
 * Reads a pcap file back (ours or tcpdump's, either byte order, micro- or nanosecond); null when it is not one:
 * an unknown magic, a record running past the end (a file cut short), or a sub-second field out of range.
 */
export function readPcap(buf: Uint8Array): { linktype: number; records: PcapRecord[] } | null {
  if (buf.length < PCAP_GLOBAL_HEADER_LEN) return null;
  const magicLe = getU32le(buf, 0);
  const known: Record<number, [boolean, boolean]> = {
    0xa1b2c3d4: [true, false],
    0xd4c3b2a1: [false, false],
    0xa1b23c4d: [true, true],
    0x4d3cb2a1: [false, true],
  };
  const kind = known[magicLe];
  if (kind === undefined) return null;
  const [le, nanos] = kind;
  const u32 = (o: number): number => (le ? getU32le(buf, o) : ((buf[o] << 24) | (buf[o + 1] << 16) | (buf[o + 2] << 8) | buf[o + 3]) >>> 0);
  const linktype = u32(20);
  const records: PcapRecord[] = [];
  let o = PCAP_GLOBAL_HEADER_LEN;
  while (o + PCAP_RECORD_HEADER_LEN <= buf.length) {
    const sec = u32(o);
    const frac = u32(o + 4);
    const incl = u32(o + 8);
    if (o + PCAP_RECORD_HEADER_LEN + incl > buf.length) return null;
    if (frac >= (nanos ? 1_000_000_000 : 1_000_000)) return null;
    const timeUs = sec * 1_000_000 + (nanos ? Math.floor(frac / 1000) : frac);
    records.push({ timeUs, frame: buf.slice(o + 16, o + 16 + incl) });
    o += PCAP_RECORD_HEADER_LEN + incl;
  }
  if (o !== buf.length) return null;
  return { linktype, records };
}
