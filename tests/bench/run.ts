// `npm run bench`: the benchmark suite, as a table or (with --json) one JSON object.
import { dhcpClientsPerS } from './dhcp-clients';
import { natEntryBytes } from './nat-entry-bytes';
import { natFps } from './nat-fps';
import { switchFps } from './switch-fps';
import { topologyBench } from './topology-chromium';

interface Bench {
  key: string;
  what: string;
  goal: string;
  run: () => Promise<number>;
  better: 'higher' | 'lower';
  target: number;
}

const benches: Bench[] = [
  { key: 'switch_fps', what: 'frames/s forwarded by one switch between hosts', goal: '≥ 2,000,000', run: () => switchFps(), better: 'higher', target: 2_000_000 },
  { key: 'nat_fps', what: 'frames/s host → switch → NAT → router → outside host and back', goal: '≥ 1,000,000', run: () => natFps(), better: 'higher', target: 1_000_000 },
  { key: 'dhcp_clients_per_s', what: 'DHCP clients INIT → BOUND per wall second (10,000 clients)', goal: '≥ 20,000', run: () => dhcpClientsPerS(), better: 'higher', target: 20_000 },
  { key: 'nat_entry_bytes', what: 'heap bytes per conntrack entry (100,000 entries)', goal: '≤ 256', run: () => natEntryBytes(), better: 'lower', target: 256 },
  { key: 'topology_first_frame_ms', what: 'ms to the first drawn frame of a 1,000-machine topology in Chromium', goal: '< 1,000', run: async () => (await topology()).firstFrameMs, better: 'lower', target: 999 },
  { key: 'topology_pan_fps', what: 'frames/s while panning that topology', goal: '≥ 30', run: async () => (await topology()).panFps, better: 'higher', target: 30 },
];

// Both topology figures come from one browser session.
let topologyRun: ReturnType<typeof topologyBench> | null = null;
function topology(): ReturnType<typeof topologyBench> {
  topologyRun ??= topologyBench();
  return topologyRun;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  const out: Record<string, number | string> = { node_version: process.version };
  for (const b of benches) {
    if (only && !only.split(',').includes(b.key)) continue;
    if (!json) process.stderr.write(`running ${b.key}…\n`);
    out[b.key] = Math.round(await b.run());
  }
  if (json) {
    process.stdout.write(JSON.stringify(out) + '\n');
    return;
  }
  const rows = benches.filter((b) => out[b.key] !== undefined).map((b) => {
    const v = out[b.key] as number;
    const met = b.better === 'higher' ? v >= b.target : v <= b.target;
    return [b.key, v.toLocaleString('en-US'), b.goal, met ? 'yes' : 'no', b.what];
  });
  const head = ['benchmark', 'result', 'goal', 'met', 'what'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write([line(head), ...rows.map(line), `node ${process.version}`].join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
