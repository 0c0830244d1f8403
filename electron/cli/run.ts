// `vmnetlab run LAB [SCRIPT|-]`: boots a lab on the virtual clock and runs a script's steps, as text or JSON lines.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunningLab } from '../../core/lab/running-lab';
import { parseScript, ScriptRunner, type StepResult } from '../../core/lab/script';
import { Shell } from '../../core/lab/shell/shell';
import { formatIpv4 } from '../../core/wire/address';
import type { CliIo } from './io';
import { openLab, parseOptions } from './lab-file';
import { progress } from './progress';

export const RUN_USAGE = `Usage: vmnetlab run LAB [SCRIPT|-] [--json] [--pcap DIR] [--seed N]

Boots LAB (every machine powered on, DHCP settled on the virtual clock) and runs
SCRIPT (a file, or - for standard input), one step a line:
  NODE$ COMMAND                    run a shell command on a machine
  set VM nicN ATTACHMENT [NAME]    change a running VM's adapter
                                   (VirtualBox: none nat natnetwork bridged intnet hostonly;
                                    VMware: bridged nat hostonly custom lansegment)
  show leases|nat|arp|routes|events [WHERE]
  wait DURATION                    advance the clock (30s, 5m, 2h)
  # comment
Without a script it prints each machine's addresses.

  --json       one JSON object per step
  --pcap DIR   write a capture of every link to DIR (one .pcap per link)
  --seed N     use seed N instead of the lab's

Exit status: that of the last step that failed, else 0; 2 for bad usage,
a bad lab file or a bad script.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A link's capture file name: `vm1.eth0` → `vm1.eth0.pcap`, anything odd replaced. */
export function pcapName(link: string): string {
  return `${link.replace(/[^A-Za-z0-9._-]+/g, '_')}.pcap`;
}

export async function runRun(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.out(RUN_USAGE);
    return 0;
  }
  const opts = parseOptions(args, ['--pcap', '--seed'], ['--json']);
  if (opts.error !== null || opts.positional.length < 1 || opts.positional.length > 2) {
    io.err(`vmnetlab run: ${opts.error ?? (opts.positional.length < 1 ? 'which lab?' : 'too many arguments')}`);
    io.err(RUN_USAGE);
    return 2;
  }
  const json = opts.flags.has('--json');
  const seedText = opts.values.get('--seed');
  if (seedText !== undefined && !/^\d+$/.test(seedText)) {
    io.err(`vmnetlab run: --seed takes a whole number, not '${seedText}'`);
    return 2;
  }
  const [labFile, scriptFile] = opts.positional;
  const doc = await openLab(labFile, io);
  if (doc === null) return 2;
  let scriptText = '';
  if (scriptFile !== undefined) {
    try {
      scriptText = scriptFile === '-' ? await readStdin() : await readFile(scriptFile, 'utf8');
    } catch (e) {
      io.err(`${scriptFile}: cannot be read (${e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : String(e)})`);
      return 2;
    }
  }
  const script = parseScript(scriptText, doc);
  if (script.problems.length > 0) {
    for (const p of script.problems) io.err(`${scriptFile === '-' ? '<stdin>' : scriptFile}:${p.line}: ${p.message}`);
    return 2;
  }
  const pcapDir = opts.values.get('--pcap');
  const lab = new RunningLab(doc, { seed: seedText !== undefined ? Number(seedText) : undefined, capture: pcapDir !== undefined });
  for (const p of lab.problems) io.err(`${labFile}: warning: ${p}`);
  const bar = progress(!json);
  bar.update('booting', 0);
  lab.settle();
  bar.done();
  if (scriptFile === undefined) {
    for (const n of lab.machines()) {
      const addrs = n.host.interfaces.filter((i) => !i.isLoopback).map((i) => `${i.name} ${i.addresses.map((a) => `${formatIpv4(a.address)}/${a.prefix}`).join(', ') || '-'}`);
      io.out(`${n.name}: ${addrs.join('; ')}`);
    }
  }
  const runner = new ScriptRunner(lab, (node) => new Shell(node.os as NonNullable<typeof node.os>));
  let status = 0;
  for (const step of script.steps) {
    const r: StepResult = runner.run(step, (f) => bar.update(step.text, f));
    bar.done();
    if (r.exit !== 0) status = r.exit;
    if (json) {
      io.out(JSON.stringify(r));
      continue;
    }
    if (step.kind === 'shell') io.out(`${step.node}$ ${step.command}`);
    else if (step.kind !== 'wait') io.out(`# ${step.text}`);
    if (r.output !== '') io.out(r.output.replace(/\n$/, ''));
  }
  if (pcapDir !== undefined) {
    try {
      await mkdir(pcapDir, { recursive: true });
      for (const [name, cap] of lab.captures) await writeFile(join(pcapDir, pcapName(name)), cap.toPcap());
    } catch (e) {
      io.err(`vmnetlab run: cannot write captures to ${pcapDir} (${e instanceof Error ? e.message : String(e)})`);
      return 1;
    }
  }
  return status;
}
