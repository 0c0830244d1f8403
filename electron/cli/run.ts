// `vmnetlab run LAB [SCRIPT|-]`: boots a lab on the virtual clock and runs a script's steps, as text or JSON lines.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LabDocument } from '../../core/lab/document';
import { RunningLab } from '../../core/lab/running-lab';
import { parseScript, ScriptRunner, type ScriptStep, type StepResult } from '../../core/lab/script';
import { Shell } from '../../core/lab/shell/shell';
import { parseDuration } from '../../core/sim/scheduler';
import { formatIpv4 } from '../../core/wire/address';
import { attach, AttachError, type Attachment, type AttachSpec, formatCounters, parseAttachSpec } from '../bridges/attach';
import { RealtimeClock } from '../bridges/realtime-clock';
import { RealtimeSteps, settleRealtime } from '../bridges/realtime-steps';
import type { CliIo } from './io';
import { openLab, parseOptions } from './lab-file';
import { progress } from './progress';

export const RUN_USAGE = `Usage: vmnetlab run LAB [SCRIPT|-] [--json] [--pcap DIR] [--seed N]
                    [--attach WHERE=tap:IFNAME | WHERE=udp:LOCALPORT:REMOTEHOST:REMOTEPORT]...
                    [--for DURATION]

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
  --attach WHERE=tap:IFNAME
               join WHERE to the Linux TAP device IFNAME. WHERE is a network
               (lan, vboxnet0, intnet…) or a VM's adapter (vm1.nic1: the real
               machine then takes that adapter's place). Make the device once:
                 sudo ip tuntap add dev IFNAME mode tap user $USER
                 sudo ip link set IFNAME up
  --attach WHERE=udp:LOCALPORT:REMOTEHOST:REMOTEPORT
               join WHERE to a UDP tunnel, one Ethernet frame a datagram, e.g.
               QEMU: -netdev dgram,id=n0,local.type=inet,local.host=127.0.0.1,
                       local.port=REMOTEPORT,remote.type=inet,
                       remote.host=127.0.0.1,remote.port=LOCALPORT
                     (or -netdev socket,id=n0,udp=127.0.0.1:LOCALPORT,
                       localaddr=127.0.0.1:REMOTEPORT)
               VirtualBox: --nic1 generic --nicgenericdrv1 UDPTunnel
                 --nicproperty1 sport=REMOTEPORT --nicproperty1 dport=LOCALPORT
                 --nicproperty1 dest=127.0.0.1
  --for DURATION
               keep the lab running in real time after the script (Ctrl-C
               stops it sooner)
While anything is attached the lab's clock runs in real time: booting, commands
and waits take as long as they say, and a script on standard input (-) runs
each line as it arrives. Counters of every attachment go to standard error.

Exit status: that of the last step that failed, else 0; 2 for bad usage,
a bad lab file or a bad script; 1 when an attachment cannot be made.`;

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
  const repeated = takeRepeated(args, '--attach');
  const opts = parseOptions(repeated.rest, ['--pcap', '--seed', '--for'], ['--json']);
  const usageError = repeated.error ?? opts.error ?? (opts.positional.length < 1 ? 'which lab?' : opts.positional.length > 2 ? 'too many arguments' : null);
  if (usageError !== null) {
    io.err(`vmnetlab run: ${usageError}`);
    io.err(RUN_USAGE);
    return 2;
  }
  const specs: AttachSpec[] = [];
  for (const text of repeated.values) {
    const spec = parseAttachSpec(text);
    if (typeof spec === 'string') {
      io.err(`vmnetlab run: --attach ${spec}`);
      return 2;
    }
    specs.push(spec);
  }
  const forText = opts.values.get('--for');
  const forUs = forText === undefined ? 0 : parseDuration(forText);
  if (forUs === null) {
    io.err(`vmnetlab run: --for takes a duration such as 30s, 5m or 2h, not '${forText}'`);
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
  const realtime = specs.length > 0;
  let scriptText = '';
  // With real machines attached, a script on standard input runs line by line as it arrives.
  if (scriptFile !== undefined && !(realtime && scriptFile === '-')) {
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
  // The planners' problems were already printed as the loader's warnings.
  if (realtime) {
    const status = await runRealtime(lab, doc, specs, { json, forUs, forText: forText ?? '', script: scriptFile === '-' ? 'stdin' : script.steps }, io);
    const written = await writeCaptures(lab, pcapDir, io);
    return status === 0 && !written ? 1 : status;
  }
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
    printResult(step, r, json, io);
  }
  if (forUs > 0) {
    const clock = new RealtimeClock(lab.scheduler);
    clock.start();
    io.err(`vmnetlab run: running for ${forText} in real time (Ctrl-C stops)`);
    await untilInterrupted(clock.sleep(forUs));
    clock.stop();
  }
  if (!(await writeCaptures(lab, pcapDir, io))) return 1;
  return status;
}

function printResult(step: ScriptStep, r: StepResult, json: boolean, io: CliIo): void {
  if (json) {
    io.out(JSON.stringify(r));
    return;
  }
  if (step.kind === 'shell') io.out(`${step.node}$ ${step.command}`);
  else if (step.kind !== 'wait') io.out(`# ${step.text}`);
  if (r.output !== '') io.out(r.output.replace(/\n$/, ''));
}

/** False after saying why the captures could not be written. */
async function writeCaptures(lab: RunningLab, pcapDir: string | undefined, io: CliIo): Promise<boolean> {
  if (pcapDir === undefined) return true;
  try {
    await mkdir(pcapDir, { recursive: true });
    for (const [name, cap] of lab.captures) await writeFile(join(pcapDir, pcapName(name)), cap.toPcap());
    return true;
  } catch (e) {
    io.err(`vmnetlab run: cannot write captures to ${pcapDir} (${e instanceof Error ? e.message : String(e)})`);
    return false;
  }
}

/** Pulls every `NAME VALUE` / `NAME=VALUE` out of the arguments (an option that may be given many times). */
function takeRepeated(args: readonly string[], name: string): { rest: string[]; values: string[]; error: string | null } {
  const rest: string[] = [];
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === name) {
      const v = args[++i];
      if (v === undefined) return { rest, values, error: `${name} needs a value` };
      values.push(v);
    } else if (a.startsWith(`${name}=`)) values.push(a.slice(name.length + 1));
    else rest.push(a);
  }
  return { rest, values, error: null };
}

/** Resolves when `p` does or at the first Ctrl-C (SIGINT) or SIGTERM, whichever comes first; true when interrupted. */
function untilInterrupted(p: Promise<unknown>, onInterrupt?: () => void): Promise<boolean> {
  return new Promise((resolve) => {
    const stop = (): void => {
      cleanup();
      onInterrupt?.();
      resolve(true);
    };
    const cleanup = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void p.then(() => {
      cleanup();
      resolve(false);
    });
  });
}

interface RealtimeRun {
  json: boolean;
  forUs: number;
  forText: string;
  /** Steps parsed from a file, or 'stdin' to read and run them a line at a time. */
  script: ScriptStep[] | 'stdin';
}

/** Attaches, settles, runs the script and the --for period on the real-time clock, then detaches and prints the counters. */
async function runRealtime(lab: RunningLab, doc: LabDocument, specs: readonly AttachSpec[], run: RealtimeRun, io: CliIo): Promise<number> {
  const clock = new RealtimeClock(lab.scheduler);
  const attachments: Attachment[] = [];
  const problem = (text: string): void => io.err(`vmnetlab run: ${text}`);
  const detach = (): void => {
    for (const a of attachments) a.close();
    clock.stop();
    for (const a of attachments) io.err(`vmnetlab run: ${formatCounters(a)}`);
  };
  for (const spec of specs) {
    try {
      const a = await attach(lab, spec, clock, problem);
      attachments.push(a);
      io.err(`vmnetlab run: attached ${spec.where} to ${a.label} (link ${a.link})`);
      for (const w of a.warnings) io.err(`vmnetlab run: warning: ${w}`);
    } catch (e) {
      if (!(e instanceof AttachError)) throw e;
      io.err(`vmnetlab run: cannot attach ${spec.where} to ${spec.kind === 'tap' ? `tap:${spec.ifname}` : 'a UDP tunnel'}: ${e.message}`);
      if (e.hint !== null) io.err(`  ${e.hint}`);
      detach();
      return 1;
    }
  }
  clock.start();
  io.err(`vmnetlab run: the lab's clock runs in real time while attached`);
  const settledIn = await settleRealtime(lab, clock);
  io.err(`vmnetlab run: settled in ${settledIn.toFixed(1)} s`);
  const runner = new ScriptRunner(lab, (node) => new Shell(node.os as NonNullable<typeof node.os>));
  const steps = new RealtimeSteps(lab, clock, runner, (node) => new Shell(node.os as NonNullable<typeof node.os>));
  let status = 0;
  let interrupted = false;
  const runStep = async (step: ScriptStep): Promise<void> => {
    const r = await steps.run(step);
    if (r.exit !== 0) status = r.exit;
    printResult(step, r, run.json, io);
  };
  if (run.script === 'stdin') {
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
    const reading = (async (): Promise<void> => {
      let lineNo = 0;
      for await (const line of lines) {
        lineNo++;
        const parsed = parseScript(line, doc);
        for (const p of parsed.problems) {
          io.err(`<stdin>:${lineNo}: ${p.message}`);
          status = 2;
        }
        for (const step of parsed.steps) await runStep({ ...step, line: lineNo });
      }
    })();
    interrupted = await untilInterrupted(reading, () => {
      lines.close();
      process.stdin.destroy();
    });
  } else {
    const all = (async (): Promise<void> => {
      for (const step of run.script as ScriptStep[]) {
        if (interrupted) return;
        await runStep(step);
      }
    })();
    interrupted = await untilInterrupted(all);
  }
  if (run.forUs > 0 && !interrupted) {
    io.err(`vmnetlab run: running for ${run.forText} more in real time (Ctrl-C stops)`);
    interrupted = await untilInterrupted(clock.sleep(run.forUs));
  }
  detach();
  return interrupted && status === 0 ? 130 : status;
}
