// The describer against Wireshark: each frame alone in a pcap through tshark, columns exact, every tree node found in tshark's.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodeNode } from '../../../core/api/dto';
import { Capture } from '../../../core/sim/capture';
import { Link, Port } from '../../../core/sim/link';
import { Scheduler } from '../../../core/sim/scheduler';
import { dissect, summarize } from '../../../core/wire/describe';
import { FRAMES } from './describe-frames';

/**
 * Preferences that make tshark describe a frame as the lab does (see the comment atop core/wire/describe.ts):
 * checksums verified, raw sequence numbers, no reassembly, and no dissector for UDP/TCP port 7's Echo.
 */
const PREFS = [
  '-o', 'ip.check_checksum:TRUE',
  '-o', 'udp.check_checksum:TRUE',
  '-o', 'tcp.check_checksum:TRUE',
  '-o', 'tcp.relative_sequence_numbers:FALSE',
  '-o', 'tcp.desegment_tcp_streams:FALSE',
  '--disable-protocol', 'echo',
  '--disable-protocol', 'igmp',
  '--disable-protocol', 'gre',
];

const tshark = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
const haveTshark = tshark.status === 0;
if (!haveTshark) console.log('describe-tshark: skipped, tshark is not installed (apt-get install tshark) so there is no Wireshark to compare with');

interface PdmlNode {
  label: string;
  pos: number;
  size: number;
  hide: boolean;
  children: PdmlNode[];
}

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|quot|apos|lt|gt|amp);/g, (_m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' }[e] as string;
  });
}

/** The protocols and fields of a PDML document, nested as tshark's tree is. */
function parsePdml(xml: string): PdmlNode[] {
  const root: PdmlNode = { label: '', pos: 0, size: 0, hide: false, children: [] };
  const stack = [root];
  const dataFields = new Set<PdmlNode>();
  const tag = /<(\/?)(proto|field)\b((?:[^>"]|"[^"]*")*?)(\/?)>/g;
  for (let m = tag.exec(xml); m !== null; m = tag.exec(xml)) {
    const [, close, , attrs, selfClose] = m;
    if (close) {
      stack.pop();
      continue;
    }
    const a: Record<string, string> = {};
    for (const am of attrs.matchAll(/(\w+)="([^"]*)"/g)) a[am[1]] = unescapeXml(am[2]);
    const n: PdmlNode = { label: a.showname ?? a.show ?? '', pos: Number(a.pos ?? 0), size: Number(a.size ?? 0), hide: a.hide === 'yes', children: [] };
    stack[stack.length - 1].children.push(n);
    if (a.name === 'data' && a.showname === undefined) dataFields.add(n);
    if (!selfClose) stack.push(n);
  }
  // PDML leaves the headline of a Data subtree out: it is "Data (N bytes)" over the bytes of its Data field.
  for (const n of dataFields) {
    const bytes = n.children.find((c) => c.label.startsWith('Data: '));
    if (!bytes) continue;
    n.label = `Data (${bytes.size} byte${bytes.size === 1 ? '' : 's'})`;
    n.pos = bytes.pos;
    n.size = bytes.size;
  }
  // Top-level Data arrives wrapped in a nameless "fake-field-wrapper" protocol.
  const top = root.children.flatMap((p) => (p.label === '' && p.children.length > 0 ? p.children : [p]));
  return top.filter((p) => p.label !== 'General information' && !p.label.startsWith('Frame '));
}

interface Wireshark {
  columns: { source: string; destination: string; protocol: string; info: string };
  tree: PdmlNode[];
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('tshark', args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );
}

/** When frame `i` is captured: a second into the lab, as a ping's timestamp would be. */
function timeUsOf(i: number): number {
  return 1_000_000 + i;
}

/** Each frame in a pcap of its own, written by the lab's Capture as the app exports it. */
function writePcap(dir: string, i: number, frame: Uint8Array): string {
  const capture = new Capture('describe');
  const a = new Port('vm1', 'eth0');
  const link = new Link(new Scheduler(), a, new Port('vm2', 'eth0'));
  capture.onFrame(timeUsOf(i), frame, link, a);
  const file = join(dir, `frame-${i}.pcap`);
  writeFileSync(file, capture.toPcap());
  return file;
}

async function wireshark(file: string): Promise<Wireshark> {
  const fields = await run(['-r', file, ...PREFS, '-T', 'fields', '-E', 'separator=/t', '-e', '_ws.col.Source', '-e', '_ws.col.Destination', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info']);
  const [source, destination, protocol, info] = fields.replace(/\n$/, '').split('\t');
  const tree = parsePdml(await run(['-r', file, ...PREFS, '-T', 'pdml']));
  return { columns: { source, destination, protocol, info }, tree };
}

function rangeOf(n: PdmlNode): string {
  return `[${n.pos}, ${n.pos + n.size})`;
}

/** Every node of ours, with its range, must be a node of tshark's under the same parents; returns what is not. */
function missing(ours: DecodeNode[], theirs: PdmlNode[], path: string, out: string[]): void {
  for (const n of ours) {
    const range = n.range ? `[${n.range[0]}, ${n.range[1]})` : '';
    // PDML drops the brackets Wireshark draws around generated fields ("[Checksum Status: Good]").
    const same = theirs.filter((t) => !t.hide && (t.label === n.label || `[${t.label}]` === n.label));
    const match = same.find((t) => rangeOf(t) === range) ?? same.find((t) => t.children.length > 0) ?? same[0];
    if (match === undefined) {
      const near = theirs.filter((t) => !t.hide).map((t) => `      ${t.label}  ${rangeOf(t)}`);
      out.push(`${path} › "${n.label}" ${range} is not in Wireshark's tree; there:\n${near.join('\n')}`);
      continue;
    }
    if (rangeOf(match) !== range) out.push(`${path} › "${n.label}" covers ${range}, Wireshark's ${rangeOf(match)}`);
    if (n.children) missing(n.children, match.children, `${path} › ${n.label}`, out);
  }
}

describe.skipIf(!haveTshark)('the describer shows each frame as Wireshark does', () => {
  const results = new Map<string, Wireshark>();
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'describe-tshark-'));
    const files = FRAMES.map((c, i) => ({ name: c.name, file: writePcap(dir, i, c.frame) }));
    // Two tshark processes at a time: the machine is shared.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const f = files[next++];
        results.set(f.name, await wireshark(f.file));
      }
    };
    await Promise.all([worker(), worker()]);
  }, 240_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(FRAMES.map((c) => [c.name, c.frame] as const))('%s: the packet list columns', (name, frame) => {
    expect(summarize(frame)).toEqual(results.get(name)?.columns);
  });

  // Malformed frames (bad/…) are compared by their columns only: Wireshark fills a tree field by field
  // until the bytes run out, the describer stops at the layer that does not fit.
  const whole = FRAMES.map((c, i) => [c.name, c.frame, i] as const).filter(([name]) => !name.startsWith('bad/'));
  it.each(whole)('%s: the decode tree', (name, frame, i) => {
    const ws = results.get(name) as Wireshark;
    const tree = dissect(frame, timeUsOf(i) / 1e6);
    // The same protocols, in the same order, with the same headline…
    expect(tree.map((n) => n.label)).toEqual(ws.tree.map((n) => (n.label.startsWith('Malformed Packet') ? `[${n.label}]` : n.label)));
    // …and every line of ours is one of Wireshark's, covering the same bytes.
    const out: string[] = [];
    missing(tree, ws.tree, name, out);
    expect(out).toEqual([]);
  });
});
