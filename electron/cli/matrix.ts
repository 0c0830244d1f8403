// `vmnetlab matrix LAB`: who can reach whom in a lab, each cell with its reason.
import { formatMatrix, reachabilityMatrix } from '../../core/lab/matrix';
import { RunningLab } from '../../core/lab/running-lab';
import type { CliIo } from './io';
import { openLab, parseOptions } from './lab-file';
import { progress } from './progress';

export const MATRIX_USAGE = `Usage: vmnetlab matrix LAB [--json] [--seed N]

Boots LAB, pings every machine from every machine (VMs and Internet hosts
included) and prints the reachability table, each cell with a one-line reason.`;

export async function runMatrix(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.out(MATRIX_USAGE);
    return 0;
  }
  const opts = parseOptions(args, ['--seed'], ['--json']);
  if (opts.error !== null || opts.positional.length !== 1) {
    io.err(`vmnetlab matrix: ${opts.error ?? (opts.positional.length === 0 ? 'which lab?' : 'one lab at a time')}`);
    io.err(MATRIX_USAGE);
    return 2;
  }
  const seedText = opts.values.get('--seed');
  if (seedText !== undefined && !/^\d+$/.test(seedText)) {
    io.err(`vmnetlab matrix: --seed takes a whole number, not '${seedText}'`);
    return 2;
  }
  const doc = await openLab(opts.positional[0], io);
  if (doc === null) return 2;
  const json = opts.flags.has('--json');
  const lab = new RunningLab(doc, { seed: seedText !== undefined ? Number(seedText) : undefined });
  const bar = progress(!json);
  bar.update('booting', 0);
  lab.settle();
  const m = reachabilityMatrix(lab, (done, total) => bar.update('pinging', done / total));
  bar.done();
  if (json) io.out(JSON.stringify(m));
  else io.out(formatMatrix(m).replace(/\n$/, ''));
  return 0;
}
