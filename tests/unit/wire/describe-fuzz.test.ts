// Fuzz of the describer: random and mutated frames never break the packet list or the decode tree.
import { describe, expect, it } from 'vitest';
import type { DecodeNode } from '../../../core/api/dto';
import { toHex } from '../../../core/wire/bytes';
import { frameDetail, summarize } from '../../../core/wire/describe';
import { fuzzInputs } from '../../support/fuzz';
import { FRAMES } from './describe-frames';

/** Why a tree is unfit for the window (a range outside the frame, a label with undefined or NaN), or null. */
function flaw(nodes: readonly DecodeNode[], length: number): string | null {
  for (const n of nodes) {
    // "PXE - undefined (vendor specific)" is Wireshark's own name for DHCP options 129–135.
    if (typeof n.label !== 'string' || /undefined|NaN|\[object /.test(n.label.replace('PXE - undefined', ''))) return `label "${n.label}"`;
    if (n.range) {
      const [s, e] = n.range;
      if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e < s || e > length) return `"${n.label}" covers [${s}, ${e}) of ${length} bytes`;
    }
    if (n.children) {
      if (n.children.length === 0) return `"${n.label}" has an empty children list`;
      const f = flaw(n.children, length);
      if (f) return f;
    }
  }
  return null;
}

describe('the describer on random and mutated frames', () => {
  it('never throws, never hits a dissector bug, and keeps every range inside the frame (100,000 inputs)', () => {
    const seeds = FRAMES.map((c) => c.frame);
    let n = 0;
    for (const frame of fuzzInputs(0xdec0de, 100_000, seeds)) {
      const cols = summarize(frame);
      // Half go through the whole tree too; the other half only through the packet list's light path.
      if (n++ % 2 === 0) {
        const d = frameDetail(n, 1.5, 'link', frame);
        const why = flaw(d.tree, frame.length);
        if (why !== null || d.info.includes('Dissector bug')) throw new Error(`${why ?? d.info} for ${toHex(frame)}`);
        // The light path and the full one agree on the columns.
        expect({ source: d.source, destination: d.destination, protocol: d.protocol, info: d.info }).toEqual(cols);
      }
      if (cols.info.includes('Dissector bug') || /undefined|NaN/.test(cols.info + cols.source + cols.destination)) {
        throw new Error(`${JSON.stringify(cols)} for ${toHex(frame)}`);
      }
    }
    expect(n).toBe(100_000);
  }, 120_000);
});
