// Shared pieces of the frame describer: the decode state, tree nodes, and Wireshark's ways of printing values.
import type { DecodeNode } from '../../api/dto';
import { utf8Decode } from '../text';

/**
 * What the layers fill in as they decode one frame. The columns are always computed; `tree` is null when
 * only the packet list row is wanted, so the per-frame path builds no nodes.
 */
export class Decode {
  source = '';
  destination = '';
  protocol = '';
  info = '';
  tree: DecodeNode[] | null = null;
  /** The frame's bytes. */
  buf: Uint8Array = new Uint8Array(0);
  /** When the frame was captured, in microseconds of the capture's clock; -1 when unknown. */
  timeUs = -1;

  reset(buf: Uint8Array, tree: DecodeNode[] | null, timeUs = -1): this {
    this.buf = buf;
    this.tree = tree;
    this.timeUs = timeUs;
    this.source = '';
    this.destination = '';
    this.protocol = '';
    this.info = '';
    return this;
  }

  /** Marks the packet malformed as Wireshark does: the words appended to Info and a top-level node. */
  malformed(protocolName: string): void {
    this.info += '[Malformed Packet]';
    if (this.tree) this.tree.push(node(`[Malformed Packet: ${protocolName}]`, this.buf.length, this.buf.length));
  }
}

export function node(label: string, start: number, end: number, children?: DecodeNode[]): DecodeNode {
  const n: DecodeNode = { label, range: [start, end] };
  if (children !== undefined && children.length > 0) n.children = children;
  return n;
}

/** Adds a child (creating the children list on first use) and returns it, for building nested nodes. */
export function add(parent: DecodeNode, child: DecodeNode): DecodeNode {
  if (parent.children === undefined) parent.children = [];
  parent.children.push(child);
  return child;
}

export function hex(v: number, digits: number): string {
  return '0x' + v.toString(16).padStart(digits, '0');
}

/** Bytes as Wireshark's FT_BYTES shows them: lowercase hex, cut after 36 bytes with an ellipsis. */
export function bytesText(b: Uint8Array, start: number, end: number): string {
  const cut = end - start > 36;
  const stop = cut ? start + 36 : end;
  let s = '';
  for (let i = start; i < stop; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return cut ? s + '…' : s;
}

/**
 * A bit field as Wireshark draws it: `width` bits from the most significant, in groups of four, the bits
 * of `mask` shown as 0/1 and the others as dots ("0100 .... = Version: 4").
 */
export function bits(value: number, mask: number, width: number): string {
  let s = '';
  for (let i = width - 1; i >= 0; i--) {
    const bit = 2 ** i;
    const inMask = Math.floor(mask / bit) % 2 === 1;
    s += inMask ? (Math.floor(value / bit) % 2 === 1 ? '1' : '0') : '.';
    if (i > 0 && i % 4 === 0) s += ' ';
  }
  return s;
}

const UNITS: readonly [number, string][] = [
  [86400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** A duration as Wireshark's time_secs_to_str: "10 hours, 30 minutes", "1 day", "0 seconds". */
export function durationText(seconds: number): string {
  if (seconds === 0) return '0 seconds';
  let rest = seconds;
  const parts: string[] = [];
  for (const [size, name] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An absolute time as Wireshark prints one in UTC: "Jan  1, 1970 00:00:01.000000000 UTC". */
export function absTimeText(sec: number, nsec: number): string {
  const t = new Date(sec * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = String(t.getUTCDate()).padStart(2, ' ');
  return `${MONTHS[t.getUTCMonth()]} ${day}, ${t.getUTCFullYear()} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}.${String(nsec).padStart(9, '0')} UTC`;
}

/** A signed span of nanoseconds as Wireshark prints a relative time: "0.000057000 seconds". */
export function relTimeText(ns: number): string {
  const sign = ns < 0 ? '-' : '';
  const a = Math.abs(ns);
  return `${sign}${Math.floor(a / 1e9)}.${String(a % 1e9).padStart(9, '0')} seconds`;
}

const CONTROL: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

/**
 * Text as Wireshark's format_text shows it: read as UTF-8 (an invalid sequence becomes U+FFFD), control
 * characters escaped as \r, \n, \t… or in octal.
 */
export function escapeText(b: Uint8Array, start: number, end: number): string {
  const text = utf8Decode(b, start, end);
  let s = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f) s += text[i];
    else s += CONTROL[c] ?? '\\' + c.toString(8).padStart(3, '0');
  }
  return s;
}
