// Lab scripts: one step a line (`vm1$ ping -c 1 10.0.2.2`, `set vm1 nic1 bridged eth0`, `show leases`, `wait 30s`), parsed and run.
import { parseDuration } from '../sim/scheduler';
import type { LabDocument, VirtualBoxAttachment, VmwareConnection } from './document';
import type { CommandOutput, Done } from './os';
import type { LabNode, RunningLab } from './running-lab';
import { arpRows, eventRows, formatArp, formatEvents, formatLeases, formatNat, formatRoutes, leaseRows, natRows, routeRows } from './tables';

export type ShowWhat = 'leases' | 'nat' | 'arp' | 'routes' | 'events';

export type ScriptStep =
  | { kind: 'shell'; line: number; text: string; node: string; command: string }
  | { kind: 'set'; line: number; text: string; vm: string; slot: number; attachment: string; network: string | null }
  | { kind: 'show'; line: number; text: string; what: ShowWhat; where: string | null }
  | { kind: 'wait'; line: number; text: string; durationUs: number };

export interface ScriptProblem {
  line: number;
  message: string;
}

const VBOX_ATTACHMENTS: readonly VirtualBoxAttachment[] = ['none', 'null', 'nat', 'natnetwork', 'bridged', 'intnet', 'hostonly'];
const VMWARE_CONNECTIONS: Record<string, VmwareConnection> = { bridged: 'bridged', nat: 'nat', hostonly: 'hostonly', custom: 'custom', lansegment: 'pvn', pvn: 'pvn' };
const SHOWS: readonly ShowWhat[] = ['leases', 'nat', 'arp', 'routes', 'events'];

/** Parses a script, checking each step against the lab's machines; every problem is reported with its line. */
export function parseScript(text: string, doc: LabDocument): { steps: ScriptStep[]; problems: ScriptProblem[] } {
  const steps: ScriptStep[] = [];
  const problems: ScriptProblem[] = [];
  const names = new Set([...doc.machines.map((m) => m.name), ...doc.vms.map((v) => v.name)]);
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    const shell = /^([A-Za-z0-9_.-]+)\s*\$\s*(.*)$/.exec(t);
    if (shell) {
      if (!names.has(shell[1])) problems.push({ line, message: `no machine named '${shell[1]}' (machines: ${[...names].join(', ')})` });
      else if (shell[2].trim() === '') problems.push({ line, message: `nothing to run on ${shell[1]}` });
      else steps.push({ kind: 'shell', line, text: t, node: shell[1], command: shell[2].trim() });
      return;
    }
    const words = t.split(/\s+/);
    switch (words[0]) {
      case 'set': {
        const [, vm, nic, attachment, network] = words;
        const m = nic ? /^nic(\d+)$/.exec(nic) : null;
        const v = doc.vms.find((x) => x.name === vm);
        if (!vm || !m || !attachment) problems.push({ line, message: `usage: set VM nicN ATTACHMENT [NAME]` });
        else if (!v) problems.push({ line, message: `no VM named '${vm}'` });
        else if (v.hypervisor === 'virtualbox' && !VBOX_ATTACHMENTS.includes(attachment as VirtualBoxAttachment))
          problems.push({ line, message: `unknown attachment '${attachment}' for a VirtualBox VM; expected one of ${VBOX_ATTACHMENTS.filter((a) => a !== 'null').join(', ')}` });
        else if (v.hypervisor === 'vmware' && !(attachment in VMWARE_CONNECTIONS))
          problems.push({ line, message: `unknown network connection '${attachment}' for a VMware VM; expected one of bridged, nat, hostonly, custom, lansegment` });
        else steps.push({ kind: 'set', line, text: t, vm, slot: Number(m[1]), attachment, network: network ?? null });
        return;
      }
      case 'show': {
        const what = words[1] as ShowWhat;
        if (!SHOWS.includes(what)) problems.push({ line, message: `show what? expected one of ${SHOWS.join(', ')}` });
        else steps.push({ kind: 'show', line, text: t, what, where: words[2] ?? null });
        return;
      }
      case 'wait': {
        const d = words[1] ? parseDuration(words[1]) : null;
        if (d === null) problems.push({ line, message: `wait needs a duration such as 30s, 5m or 2h` });
        else steps.push({ kind: 'wait', line, text: t, durationUs: d });
        return;
      }
      default:
        problems.push({ line, message: `not a step: '${t}' (expected 'NODE$ COMMAND', 'set', 'show', 'wait' or a '#' comment)` });
    }
  });
  return { steps, problems };
}

/** What running one step gave: what its terminal would show, its exit status, and a table's rows. */
export interface StepResult {
  step: number;
  node: string | null;
  command: string;
  exit: number;
  output: string;
  rows?: unknown[];
}

export interface ShellLike {
  run(line: string, io: CommandOutput, done: Done): { interrupt(): void };
}

export type ShellFactory = (node: LabNode) => ShellLike;

/** How long a command may run on the virtual clock before the script interrupts it (Ctrl-C), as `ping` without -c needs. */
export const COMMAND_LIMIT_US = 300_000_000;

export class ScriptRunner {
  private shells = new Map<string, ShellLike>();
  private count = 0;

  constructor(
    private readonly lab: RunningLab,
    private readonly makeShell: ShellFactory,
  ) {}

  private shellFor(node: LabNode): ShellLike {
    let s = this.shells.get(node.name);
    if (!s || this.lab.node(node.name) !== node) {
      s = this.makeShell(node);
      this.shells.set(node.name, s);
    }
    return s;
  }

  /** Runs one step; a long `wait` reports its progress (0–1) as it goes. */
  run(step: ScriptStep, onProgress?: (fraction: number) => void): StepResult {
    const n = ++this.count;
    switch (step.kind) {
      case 'shell':
        return this.runShell(n, step.node, step.command);
      case 'wait': {
        const s = this.lab.scheduler;
        const end = s.now + step.durationUs;
        const slice = Math.max(1, Math.floor(step.durationUs / 100));
        while (s.now < end) {
          s.runUntil(Math.min(end, s.now + slice));
          onProgress?.(1 - (end - s.now) / step.durationUs);
        }
        return { step: n, node: null, command: step.text, exit: 0, output: '' };
      }
      case 'show':
        return { step: n, node: null, command: step.text, exit: 0, ...this.show(step.what, step.where) };
      case 'set':
        return this.set(n, step);
    }
  }

  runShell(n: number, nodeName: string, command: string): StepResult {
    const node = this.lab.node(nodeName);
    if (!node || !node.os) return { step: n, node: nodeName, command, exit: 1, output: `${nodeName} is not running\n` };
    let output = '';
    let exit = -1;
    const io: CommandOutput = { out: (t) => (output += t), err: (t) => (output += t) };
    const proc = this.shellFor(node).run(command, io, (code) => (exit = code));
    const s = this.lab.scheduler;
    const deadline = s.now + COMMAND_LIMIT_US;
    while (exit < 0 && s.now < deadline && s.pending > 0) s.runUntil(Math.min(deadline, s.nextTime()));
    if (exit < 0) {
      output += '^C\n';
      proc.interrupt();
      // The interrupted program prints its summary on the next turn of the clock.
      for (let i = 0; i < 1000 && exit < 0 && s.pending > 0; i++) s.step();
      if (exit < 0) exit = 130;
    }
    return { step: n, node: nodeName, command, exit, output };
  }

  show(what: ShowWhat, where: string | null): { output: string; rows: unknown[] } {
    const w = where ?? undefined;
    switch (what) {
      case 'leases': {
        const rows = leaseRows(this.lab, w);
        return { output: formatLeases(rows), rows };
      }
      case 'nat': {
        const rows = natRows(this.lab, w);
        return { output: formatNat(rows), rows };
      }
      case 'arp': {
        const rows = arpRows(this.lab, w);
        return { output: formatArp(rows), rows };
      }
      case 'routes': {
        const rows = routeRows(this.lab, w);
        return { output: formatRoutes(rows), rows };
      }
      case 'events': {
        const rows = eventRows(this.lab, w);
        return { output: formatEvents(rows), rows };
      }
    }
  }

  /** `set VM nicN ATTACHMENT [NAME]`: what the settings panel's OK does to a running VM. */
  private set(n: number, step: Extract<ScriptStep, { kind: 'set' }>): StepResult {
    const doc = this.lab.document();
    const vm = doc.vms.find((v) => v.name === step.vm);
    const fail = (msg: string): StepResult => ({ step: n, node: null, command: step.text, exit: 1, output: msg + '\n' });
    if (!vm) return fail(`no VM named '${step.vm}'`);
    if (vm.hypervisor === 'virtualbox') {
      const a = vm.virtualbox?.adapters.find((x) => x.slot === step.slot);
      if (!a) return fail(`${step.vm} has no adapter ${step.slot}`);
      a.enabled = true;
      // VirtualBox remembers the name each mode had (<DisabledModes>), so switching back restores it.
      if ((a.attachment === 'bridged' || a.attachment === 'intnet' || a.attachment === 'hostonly' || a.attachment === 'natnetwork') && a.network) {
        a.disabledModes = { ...a.disabledModes, [a.attachment]: a.network };
      }
      a.attachment = step.attachment as VirtualBoxAttachment;
      if (step.network !== null) a.network = step.network;
      else if (a.attachment === 'hostonly') a.network = a.disabledModes?.hostonly ?? 'vboxnet0';
      else if (a.attachment === 'intnet') a.network = a.disabledModes?.intnet ?? 'intnet';
      else if (a.attachment === 'natnetwork') a.network = a.disabledModes?.natnetwork ?? 'NatNetwork';
      else if (a.attachment === 'bridged') a.network = a.disabledModes?.bridged ?? doc.machines.find((m) => m.role === 'host')?.interfaces[0]?.name;
      else delete a.network;
    } else {
      const a = vm.vmware?.adapters.find((x) => x.slot + 1 === step.slot);
      if (!a) return fail(`${step.vm} has no adapter ${step.slot}`);
      a.present = true;
      a.connectionType = VMWARE_CONNECTIONS[step.attachment];
      if (step.network !== null) a.network = step.network;
      else delete a.network;
    }
    const r = this.lab.apply(doc);
    if (!r.ok) return fail(r.problems.join('\n'));
    return { step: n, node: null, command: step.text, exit: 0, output: '' };
  }
}
