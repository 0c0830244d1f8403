// Settling a lab and running script steps on the real-time clock, for labs with real machines attached (a command waits for their answers).
import type { RunningLab } from '../../core/lab/running-lab';
import { COMMAND_LIMIT_US, type ScriptRunner, type ScriptStep, type ShellFactory, type ShellLike, type StepResult } from '../../core/lab/script';
import type { RealtimeClock } from './realtime-clock';

const S = 1_000_000;

/**
 * DHCP clients still waiting for a lease, and boot-time ifups still running, as `RunningLab.settle`
 * counts them, except on machines with no carrier anywhere: a VM whose adapter a real machine took
 * waits for a cable that will not come.
 */
export function pendingDhcp(lab: RunningLab): number {
  let n = 0;
  for (const node of lab.machines()) {
    const os = node.os;
    if (!os) continue;
    const status = os.network.status();
    if (status.some((s) => s.state !== 'no carrier' && s.state !== 'down')) n += os.network.busy;
    for (const s of status) if (s.state.startsWith('dhcp') && !/bound/.test(s.state)) n++;
  }
  return n;
}

/** Waits (in real time) until every DHCP client is bound or `maxS` passed; returns the seconds it took. */
export async function settleRealtime(lab: RunningLab, clock: RealtimeClock, maxS = 90, stepUs = 100_000): Promise<number> {
  const start = lab.scheduler.now;
  const deadline = start + maxS * S;
  do await clock.sleep(stepUs);
  while (pendingDhcp(lab) > 0 && lab.scheduler.now < deadline);
  return (lab.scheduler.now - start) / S;
}

/** Runs steps as `ScriptRunner` does, but a shell command or a `wait` takes real time. */
export class RealtimeSteps {
  private shells = new Map<string, ShellLike>();
  private count = 0;

  constructor(
    private readonly lab: RunningLab,
    private readonly clock: RealtimeClock,
    private readonly runner: ScriptRunner,
    private readonly makeShell: ShellFactory,
  ) {}

  async run(step: ScriptStep): Promise<StepResult> {
    const n = ++this.count;
    switch (step.kind) {
      case 'shell':
        return this.shell(n, step.node, step.command);
      case 'wait':
        await this.clock.sleep(step.durationUs);
        return { step: n, node: null, command: step.text, exit: 0, output: '' };
      case 'show':
      case 'set': {
        const r = this.runner.run(step);
        // `set` may have scheduled events sooner than the clock's timer.
        this.clock.kick();
        return { ...r, step: n };
      }
    }
  }

  private async shell(n: number, nodeName: string, command: string): Promise<StepResult> {
    const node = this.lab.node(nodeName);
    if (!node || !node.os) return { step: n, node: nodeName, command, exit: 1, output: `${nodeName} is not running\n` };
    let shell = this.shells.get(nodeName);
    if (!shell) {
      shell = this.makeShell(node);
      this.shells.set(nodeName, shell);
    }
    let output = '';
    let exit = -1;
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => (finished = resolve));
    const proc = shell.run(
      command,
      { out: (t) => (output += t), err: (t) => (output += t) },
      (code) => {
        exit = code;
        finished();
      },
    );
    this.clock.kick();
    await Promise.race([done, this.clock.sleep(COMMAND_LIMIT_US)]);
    if (exit < 0) {
      output += '^C\n';
      proc.interrupt();
      this.clock.kick();
      // The interrupted program prints its summary on the next turn of the clock.
      await Promise.race([done, this.clock.sleep(S)]);
      if (exit < 0) exit = 130;
    }
    return { step: n, node: nodeName, command, exit, output };
  }
}
