// Seeded generators of random and mutated byte strings, for fuzz tests of every parser.
import { Random } from '../../core/sim/random';

/** Yields `count` inputs: a third random, the rest mutations (bit flips, truncations, boundary bytes, splices) of `seeds`. */
export function* fuzzInputs(seed: number, count: number, seeds: readonly Uint8Array[]): Generator<Uint8Array> {
  const rng = new Random(seed);
  for (let i = 0; i < count; i++) {
    const kind = seeds.length === 0 ? 0 : rng.int(6);
    if (kind === 0) {
      yield rng.bytes(rng.int(rng.int(2) === 0 ? 64 : 1600));
      continue;
    }
    const base = seeds[rng.int(seeds.length)];
    const b = base.slice();
    switch (kind) {
      case 1: {
        // flip a few bits
        const n = 1 + rng.int(8);
        for (let k = 0; k < n && b.length > 0; k++) b[rng.int(b.length)] ^= 1 << rng.int(8);
        yield b;
        break;
      }
      case 2:
        // truncate anywhere
        yield b.subarray(0, rng.int(b.length + 1));
        break;
      case 3: {
        // boundary values into random positions (lengths, counts, pointers)
        const vals = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xc0, 0x3f];
        const n = 1 + rng.int(4);
        for (let k = 0; k < n && b.length > 0; k++) b[rng.int(b.length)] = vals[rng.int(vals.length)];
        yield b;
        break;
      }
      case 4: {
        // extend with random bytes
        const extra = rng.bytes(rng.int(64));
        const out = new Uint8Array(b.length + extra.length);
        out.set(b);
        out.set(extra, b.length);
        yield out;
        break;
      }
      default: {
        // splice two seeds
        const other = seeds[rng.int(seeds.length)];
        const cut = rng.int(b.length + 1);
        const cut2 = rng.int(other.length + 1);
        const out = new Uint8Array(cut + other.length - cut2);
        out.set(b.subarray(0, cut));
        out.set(other.subarray(cut2), cut);
        yield out;
      }
    }
  }
}
