// Benchmark: memory per NAT connection with 100,000 connections tracked, JS heap and typed-array storage counted.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { NAT_TRANSLATED, NatEngine } from '../../core/devices/nat-engine';
import { rewriteTuple } from '../../core/devices/nat-rewrite';
import { buildFrame, ETHERTYPE_IPV4 } from '../../core/wire/ethernet';
import { emitIpv4Header, IPPROTO_UDP } from '../../core/wire/ipv4';
import { emitUdp } from '../../core/wire/udp';

const ENTRIES = 100_000;
const OUTSIDE = 0xc0a80105; // 192.168.1.5
const REMOTE = 0x08080808;

/** A way to run a full collection: `global.gc` under --expose-gc, else the same function unlocked through V8's flags. */
function findGc(): (() => void) | null {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    setFlagsFromString('--expose-gc');
    const f = runInNewContext('gc') as unknown;
    if (typeof f === 'function') return f as () => void;
  } catch {
    // fall through to sampling
  }
  return null;
}

/**
 * Heap in use including ArrayBuffer backing stores: the table lives in typed arrays, whose bytes V8
 * keeps outside `heapUsed`, so counting heapUsed alone would flatter the design.
 */
function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function settle(gc: (() => void) | null): number {
  if (gc) {
    gc();
    gc();
    return used();
  }
  // No collector available: several samples after idle allocation churn; the smallest is the least garbage.
  let best = Infinity;
  for (let i = 0; i < 8; i++) {
    for (let k = 0; k < 2000; k++) new Array(64).fill(k);
    best = Math.min(best, used());
  }
  return best;
}

/**
 * Bytes per connection: a NAT engine is made and fed 100,000 UDP packets from distinct inside
 * address:port pairs through `outbound` (the real path: parse, port allocation, entry creation,
 * rewrite), then (heap + array buffers after − before) / 100,000 with full GCs on both sides when
 * available. Growth slack of the doubling arrays is included, as it is memory the table holds.
 */
export async function natEntryBytes(): Promise<number> {
  const gc = findGc();
  const frame = buildFrame({ dst: 0x0800270000aa, src: 0x0800270000bb, ethertype: ETHERTYPE_IPV4 }, 20 + 8 + 4, (b, o) => {
    emitIpv4Header({ src: 0x0a000000, dst: REMOTE, protocol: IPPROTO_UDP, ttl: 64, payloadLength: 12 }, b, o);
    emitUdp({ srcPort: 1024, dstPort: 53, payloadLength: 4 }, b, o + 20, 0x0a000000, REMOTE, Uint8Array.of(1, 2, 3, 4));
  });
  const before = settle(gc);
  const nat = new NatEngine('bench', { log: () => {} }, { maxEntries: 262_144 });
  for (let i = 0; i < ENTRIES; i++) {
    // 1,000 inside hosts × 100 source ports each, to 16 remote servers on 8 ports.
    rewriteTuple(frame, 14, 0x0a000000 + Math.floor(i / 100), 20000 + (i % 100), REMOTE + (i % 16), 53 + ((i >> 4) % 8));
    if (nat.outbound(frame, 14, OUTSIDE, i) !== NAT_TRANSLATED) throw new Error(`packet ${i} was not translated`);
  }
  const after = settle(gc);
  if (nat.table.size !== ENTRIES) throw new Error(`expected ${ENTRIES} connections, have ${nat.table.size}`);
  return (after - before) / ENTRIES;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`nat_entry_bytes ${(await natEntryBytes()).toFixed(1)}`);
}
