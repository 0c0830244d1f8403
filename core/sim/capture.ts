// A capture: frames seen on one or more links, kept as a growing pcap file so export is a copy, not a conversion.
import { emitPcapGlobalHeader, emitPcapRecordHeader, PCAP_GLOBAL_HEADER_LEN, PCAP_RECORD_HEADER_LEN } from '../wire/pcap';
import type { CaptureTap, Link, Port } from './link';

export interface CapturedFrame {
  /** Position in the capture, from 1 as Wireshark numbers frames. */
  number: number;
  timeUs: number;
  /** Where the frame was seen: the link's name. */
  link: string;
  /** The port that sent it: `device.port`. */
  from: string;
  frame: Uint8Array;
}

/**
 * Frames are copied into one buffer laid out as a pcap file (global header, then a record per frame),
 * so a tap costs one copy and no object per frame, and `toPcap()` is a slice.
 */
export class Capture implements CaptureTap {
  private buf: Uint8Array;
  private used: number;
  private offsets: number[] = [];
  private linkNames: string[] = [];
  private senders: string[] = [];
  /** A limit in bytes after which the oldest frames are not kept (0: no limit). */
  constructor(
    readonly name: string,
    private readonly maxBytes = 0,
  ) {
    this.buf = new Uint8Array(64 * 1024);
    this.used = emitPcapGlobalHeader(this.buf, 0);
  }

  get count(): number {
    return this.offsets.length;
  }

  get byteLength(): number {
    return this.used;
  }

  onFrame(timeUs: number, frame: Uint8Array, link: Link, from: Port): void {
    if (this.maxBytes > 0 && this.used + frame.length + PCAP_RECORD_HEADER_LEN > this.maxBytes) return;
    const need = this.used + PCAP_RECORD_HEADER_LEN + frame.length;
    if (need > this.buf.length) {
      let n = this.buf.length * 2;
      while (n < need) n *= 2;
      const b = new Uint8Array(n);
      b.set(this.buf.subarray(0, this.used));
      this.buf = b;
    }
    this.offsets.push(this.used);
    this.linkNames.push(link.name);
    this.senders.push(from.id);
    this.used += emitPcapRecordHeader(this.buf, this.used, timeUs, frame.length);
    this.buf.set(frame, this.used);
    this.used += frame.length;
  }

  /** Frame `number` (from 1); null when there is none. */
  frame(number: number): CapturedFrame | null {
    const i = number - 1;
    if (i < 0 || i >= this.offsets.length) return null;
    const o = this.offsets[i];
    const b = this.buf;
    const sec = (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
    const usec = (b[o + 4] | (b[o + 5] << 8) | (b[o + 6] << 16) | (b[o + 7] << 24)) >>> 0;
    const len = (b[o + 8] | (b[o + 9] << 8) | (b[o + 10] << 16) | (b[o + 11] << 24)) >>> 0;
    return {
      number,
      timeUs: sec * 1_000_000 + usec,
      link: this.linkNames[i],
      from: this.senders[i],
      frame: b.slice(o + PCAP_RECORD_HEADER_LEN, o + PCAP_RECORD_HEADER_LEN + len),
    };
  }

  /** The whole capture as a pcap file. */
  toPcap(): Uint8Array {
    return this.buf.slice(0, this.used);
  }

  clear(): void {
    this.used = PCAP_GLOBAL_HEADER_LEN;
    this.offsets = [];
    this.linkNames = [];
    this.senders = [];
  }
}
