// The lab host's own behaviour, on a hand-driven clock: real-time play, caps and throttles, VBoxManage as undo steps, safe saves.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, Events, RequestName, RequestParams, RequestResult } from '../../core/api/contract';
import type { LabDocument } from '../../core/lab/document';
import { RunningLab } from '../../core/lab/running-lab';
import { Scheduler } from '../../core/sim/scheduler';
import { CaptureManager, FRAME_EVENTS_PER_SECOND } from '../../electron/host/captures';
import { ClockDriver, type HostTimers } from '../../electron/host/clock';
import { HostError } from '../../electron/host/errors';
import { LabHost } from '../../electron/host/lab-host';

const ROOT = resolve(import.meta.dirname, '../..');
const LABS = resolve(ROOT, 'resources/labs');
const defaultDoc = (): LabDocument => JSON.parse(readFileSync(join(LABS, 'default.json'), 'utf8')) as LabDocument;

/** Timers moved by the test: `advance(ms)` runs every interval each TICK ms of pretend time, then what was deferred. */
class ManualTimers implements HostTimers {
  t = 0;
  /** Extra pretend time each call of now() costs, to play a slow machine. */
  costPerNow = 0;
  private intervals = new Map<number, () => void>();
  private deferred: Array<() => void> = [];
  private nextId = 1;

  now(): number {
    this.t += this.costPerNow;
    return this.t;
  }
  setInterval(fn: () => void): unknown {
    const id = this.nextId++;
    this.intervals.set(id, fn);
    return id;
  }
  clearInterval(h: unknown): void {
    this.intervals.delete(h as number);
  }
  defer(fn: () => void): void {
    this.deferred.push(fn);
  }
  flush(): void {
    while (this.deferred.length > 0) this.deferred.shift()!();
  }
  /** One timer tick after `ms` of pretend time. */
  tick(ms: number): void {
    this.t += ms;
    for (const fn of [...this.intervals.values()]) fn();
    this.flush();
  }
  advance(ms: number, step = 25): void {
    for (let done = 0; done < ms; done += step) this.tick(step);
  }
}

type Seen = { [E in EventName]: { event: E; payload: Events[E] } }[EventName];

describe('the lab host', () => {
  let timers: ManualTimers;
  let host: LabHost;
  let events: Seen[];
  let logs: string[];
  let dir: string;
  const of = <E extends EventName>(e: E): Array<Events[E]> => events.filter((x) => x.event === e).map((x) => x.payload as Events[E]);
  const request = async <N extends RequestName>(name: N, params: RequestParams<N>): Promise<RequestResult<N>> => {
    const a = await host.request(name, params);
    timers.flush();
    if (!a.ok) throw new Error(`${name}: ${a.error.code}: ${a.error.message}`);
    return a.result;
  };

  beforeEach(() => {
    timers = new ManualTimers();
    logs = [];
    events = [];
    host = new LabHost({ document: defaultDoc(), labsDir: LABS, timers, log: (m) => logs.push(m), play: false });
    host.subscribe((event, payload) => events.push({ event, payload } as Seen));
    dir = mkdtempSync(join(tmpdir(), 'vmnetlab-host-'));
  });

  afterEach(() => {
    host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plays in real time at its speed: a second of real time at speed 10 is ten virtual seconds', async () => {
    const start = (await request('clock.get', {})).nowUs;
    await request('clock.setSpeed', { speed: 10 });
    await request('clock.play', {});
    timers.advance(1000);
    expect((await request('clock.get', {})).nowUs - start).toBe(10_000_000);
    await request('clock.pause', {});
    timers.advance(1000);
    expect((await request('clock.get', {})).nowUs - start).toBe(10_000_000);
  });

  it('does not race to catch up after a stall: one tick covers at most 250 ms of real time', async () => {
    const start = (await request('clock.play', {})).nowUs;
    timers.tick(60_000);
    expect((await request('clock.get', {})).nowUs - start).toBe(250_000);
  });

  it('runs a lab too heavy for the machine slower instead of freezing the host', () => {
    const scheduler = new Scheduler();
    let n = 0;
    // A busy lab: an event every virtual microsecond.
    const load = (): void => {
      n++;
      scheduler.schedule(1, load, undefined);
    };
    load();
    const slow = new ManualTimers();
    let advanced = 0;
    const clock = new ClockDriver(() => scheduler, slow, () => advanced++);
    clock.setSpeed(1000);
    clock.play();
    slow.costPerNow = 10; // every look at the clock costs 10 ms: the 15 ms budget runs out after one chunk
    slow.tick(25);
    // 25 virtual seconds (25 million events) were due; one chunk ran and the tick returned.
    expect(n).toBeLessThan(10_000);
    expect(scheduler.now).toBeLessThan(25_000_000);
    expect(advanced).toBe(1);
    // The next tick goes on from there rather than trying to make up the lag.
    slow.tick(25);
    expect(n).toBeLessThan(20_000);
    clock.dispose();
  });

  it('tells the clock at most ten times a second while playing', async () => {
    await request('clock.play', {});
    events.length = 0;
    timers.advance(2000);
    const ticks = of('clock');
    expect(ticks.length).toBeGreaterThanOrEqual(15);
    expect(ticks.length).toBeLessThanOrEqual(21);
    expect(ticks.every((c, i) => i === 0 || c.nowUs > ticks[i - 1].nowUs)).toBe(true);
  });

  it('announces at most a few hundred frames a second; the rest are in the capture list', () => {
    const lab = new RunningLab(defaultDoc());
    const caps = new CaptureManager();
    caps.start(lab, 'vm1.eth0');
    const link = lab.links.get('vm1.eth0')!;
    const cap = lab.captures.get('vm1.eth0')!;
    const frame = new Uint8Array(60).fill(0xff);
    for (let i = 0; i < 1000; i++) cap.onFrame(i, frame, link, link.a);
    const first = caps.fresh(lab, 0);
    expect(first.length).toBe(FRAME_EVENTS_PER_SECOND);
    expect(caps.fresh(lab, 10)).toEqual([]);
    for (let i = 0; i < 10; i++) cap.onFrame(2000 + i, frame, link, link.a);
    // A second later the budget is back; only frames not yet seen are announced.
    const next = caps.fresh(lab, 1010);
    expect(next.map((f) => f.number)).toEqual(Array.from({ length: 10 }, (_, i) => 1001 + i));
    expect(caps.frames(lab, 'vm1.eth0', 1, 10_000).length).toBe(1010);
  });

  it('takes VBoxManage typed in the host\'s terminal in as an undo step', async () => {
    const started = await request('shell.run', { node: 'host', line: 'VBoxManage controlvm vm1 nic1 bridged eth0' });
    await request('clock.step', { us: 1_000_000 });
    const exit = of('terminal.exit').find((e) => e.id === started.id);
    expect(exit?.code).toBe(0);
    const snap = host.snapshot();
    expect(snap.document.vms[0].virtualbox!.adapters[0].attachment).toBe('bridged');
    expect(snap).toMatchObject({ canUndo: true, dirty: true });
    expect(of('lab.changed').at(-1)?.document).toEqual(snap.document);
    const undone = await request('history.undo', {});
    expect(undone.document.vms[0].virtualbox!.adapters[0].attachment).toBe('nat');
  });

  it('sends a command\'s id before its output, and its output before its exit', async () => {
    let answered = false;
    const order: string[] = [];
    host.subscribe((e) => {
      if (e === 'terminal.output' || e === 'terminal.exit') order.push(`${answered ? 'after' : 'before'} ${e}`);
    });
    await host.request('shell.run', { node: 'vm1', line: 'hostname' });
    answered = true;
    timers.flush();
    expect(order).toEqual(['after terminal.output', 'after terminal.exit']);
    expect(of('terminal.output').map((o) => o.text)).toEqual(['vm1\n']);
  });

  it('writes saves atomically: no temporary file is left, and a failed write reports where', async () => {
    const file = join(dir, 'lab.json');
    await request('file.saveAs', { path: file });
    await request('vm.setRunning', { vm: 'vm2', running: false });
    await request('file.save', {});
    expect(readdirSync(dir)).toEqual(['lab.json']);
    expect(JSON.parse(readFileSync(file, 'utf8')).vms[1].running).toBe(false);
    const a = await host.request('file.saveAs', { path: join(dir, 'no-such-dir', 'lab.json') });
    expect(a).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringContaining('no-such-dir') } });
    expect(host.snapshot()).toMatchObject({ path: file, dirty: false });
  });

  it('never overwrites a damaged file: Save still writes to the lab\'s own file', async () => {
    const good = join(dir, 'good.json');
    await request('file.saveAs', { path: good });
    const damaged = join(dir, 'damaged.json');
    const text = '{"format": "vmnetlab-lab", "version": 2, "vms": [}';
    writeFileSync(damaged, text);
    const a = await host.request('file.open', { path: damaged });
    expect(a).toMatchObject({ ok: false, error: { code: 'refused', problems: [expect.objectContaining({ message: expect.stringMatching(/line 1, column/) })] } });
    await request('vm.setRunning', { vm: 'vm3', running: false });
    const saved = await request('file.save', {});
    expect(saved.path).toBe(good);
    expect(readFileSync(damaged, 'utf8')).toBe(text);
  });

  it('refuses to start from a document that is not a lab', () => {
    const doc = defaultDoc();
    doc.vms[1].name = 'vm1';
    expect(() => new LabHost({ document: doc, timers, play: false })).toThrow(HostError);
  });

  it('keeps answering when a listener throws, and says so in its log', async () => {
    host.subscribe(() => {
      throw new Error('listener bug');
    });
    await request('clock.step', {});
    expect((await host.request('lab.get', {})).ok).toBe(true);
    expect(logs.some((l) => /listener bug/.test(l))).toBe(true);
  });

  it('logs bad requests and answers them; a closed host answers failed', async () => {
    const a = await host.handle('lab.get', { extra: 1 });
    expect(a).toMatchObject({ ok: false, error: { code: 'bad-request', problems: [{ path: '$.extra' }] } });
    expect(logs.some((l) => /bad-request/.test(l))).toBe(true);
    host.close();
    expect(await host.handle('lab.get', {})).toMatchObject({ ok: false, error: { code: 'failed' } });
  });
});
