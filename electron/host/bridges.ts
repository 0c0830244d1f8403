// Bridges to real machines for the window: a network (or a VM's adapter) attached to a TAP device or a UDP tunnel, the list with its counters, detaching, and the lab's clock in real time while any is attached.
import type { BridgeInfo, BridgeSpec } from '../../core/api/dto';
import { didYouMean, quote } from '../../core/api/schema';
import type { RunningLab } from '../../core/lab/running-lab';
import { topology } from '../../core/lab/topology';
import { attach, AttachError, type Attachment, type AttachSpec } from '../bridges/attach';
import { attachPlaces } from '../bridges/attachment';
import { RealtimeClock } from '../bridges/realtime-clock';
import { HostError, notFound, refused } from './errors';

/** `bridge.changed` at most this often (ms) while only counters move: 4 a second. */
export const BRIDGE_EVENT_INTERVAL_MS = 250;

/** How attachments are made: the bridge layer's `attach`, or a stand-in in tests. */
export type AttachFn = (lab: RunningLab, spec: AttachSpec, clock: RealtimeClock, onProblem: (text: string) => void) => Promise<Attachment>;

export interface BridgeHooks {
  /** The first bridge is attached: the host's own clock must stop advancing, the real-time clock now drives the lab. */
  realtimeStarted(): void;
  /** The last bridge is detached: the host's clock takes over again. */
  realtimeStopped(): void;
  /** Something happened outside a request (a device stopped working): events are due. */
  changed(): void;
}

interface Entry {
  readonly id: string;
  readonly where: string;
  readonly node: string;
  readonly attachment: Attachment;
  state: 'attached' | 'failed';
  error: string | null;
}

const ADAPTER = /^(.+)\.nic(\d+)$/;

function target(spec: BridgeSpec): string {
  return spec.kind === 'tap' ? spec.ifname : `${spec.localPort}:${spec.remoteHost}:${spec.remotePort}`;
}

export class BridgeManager {
  private entries: Entry[] = [];
  private nextId = 1;
  private clock: RealtimeClock | null = null;
  private listChanged = false;
  private lastSignature = '';
  private lastEmitMs = -Infinity;

  constructor(
    private readonly hooks: BridgeHooks,
    private readonly attachFn: AttachFn = attach,
  ) {}

  /** How many bridges are attached (failed ones included: they still hold their place until detached). */
  get count(): number {
    return this.entries.length;
  }

  get active(): boolean {
    return this.entries.length > 0;
  }

  /** The virtual time that corresponds to now while real time drives the lab; null otherwise. */
  present(): number | null {
    return this.active && this.clock !== null ? Math.floor(this.clock.present()) : null;
  }

  list(): BridgeInfo[] {
    return this.entries.map((e) => this.info(e));
  }

  /**
   * Joins `where` to the outside. Refused when `where` names nothing in the lab or a VM adapter already
   * bridged; failed (with the bridge layer's reason and the command that fixes it) when the device or
   * port cannot be had. `current` tells whether the lab is still the one open once the socket is bound.
   */
  async attach(lab: RunningLab, current: () => RunningLab, where: string, spec: BridgeSpec): Promise<BridgeInfo> {
    const node = this.placeOf(lab, where);
    const taken = this.entries.find((e) => e.where === where);
    if (taken && ADAPTER.test(where)) throw refused(`${where} is already bridged to ${taken.attachment.label}; detach that first`);
    const clock = this.clockFor(lab);
    const full: AttachSpec = spec.kind === 'tap' ? { where, kind: 'tap', ifname: spec.ifname } : { where, kind: 'udp', localPort: spec.localPort, remoteHost: spec.remoteHost, remotePort: spec.remotePort };
    let entry: Entry | null = null;
    const early: string[] = [];
    const onProblem = (text: string): void => {
      if (entry === null) early.push(text);
      else this.fail(entry, text);
    };
    let attachment: Attachment;
    try {
      attachment = await this.attachFn(lab, full, clock, onProblem);
    } catch (e) {
      if (!(e instanceof AttachError)) throw e;
      const problem = e.hint === null ? { path: '$.spec', message: e.message } : { path: '$.spec', message: e.message, hint: e.hint };
      throw new HostError('failed', e.hint === null ? e.message : `${e.message}: ${e.hint}`, [problem]);
    }
    if (current() !== lab) {
      attachment.close();
      throw refused('another lab was opened while the bridge was being made; it was not kept');
    }
    entry = { id: `bridge-${this.nextId++}`, where, node, attachment, state: 'attached', error: null };
    this.entries.push(entry);
    for (const text of early) this.fail(entry, text);
    if (this.entries.length === 1) {
      this.hooks.realtimeStarted();
      clock.start();
    }
    this.listChanged = true;
    return this.info(entry);
  }

  /** Detaches one bridge and gives the lab back what it took; answers the bridges left. */
  detach(id: string): BridgeInfo[] {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) {
      const ids = this.entries.map((e) => e.id);
      throw notFound(`there is no bridge ${quote(id)}${ids.length > 0 ? `; the bridges are ${ids.join(', ')}` : '; nothing is attached'}`);
    }
    this.entries = this.entries.filter((e) => e !== entry);
    this.listChanged = true;
    try {
      entry.attachment.close();
    } finally {
      if (this.entries.length === 0) this.stopRealtime();
    }
    return this.list();
  }

  /** Detaches every bridge (another lab is opened, the host closes). */
  detachAll(): void {
    const all = this.entries;
    if (all.length === 0) return;
    this.entries = [];
    for (const e of all) {
      try {
        e.attachment.close();
      } catch {
        // A device already gone cannot be closed twice; the rest must still be.
      }
    }
    this.listChanged = true;
    this.stopRealtime();
  }

  /** Runs what became due because a request changed the lab from outside the clock (a command typed). */
  kick(): void {
    if (this.active) this.clock?.kick();
  }

  /** Virtual time jumped without the real-time clock (a reachability matrix pings on the lab's clock): go on from there. */
  resync(): void {
    if (!this.active || this.clock === null) return;
    this.clock.stop();
    this.clock.start();
  }

  /** After a change of the document: a bridge whose network or adapter the lab took back has failed. */
  review(lab: RunningLab): void {
    for (const e of this.entries) {
      if (e.state !== 'attached') continue;
      const link = lab.links.get(e.attachment.link);
      const unplugged = link !== undefined && link.a.link !== link;
      let gone = false;
      try {
        this.placeOf(lab, e.where);
      } catch {
        gone = true;
      }
      if (gone || unplugged) this.fail(e, `the lab took ${e.where} back (it was removed, powered off or set otherwise); detach this bridge`);
    }
  }

  /** The list for a `bridge.changed` event when one is due: at once after a change, at most 4 a second while counters move. */
  due(nowMs: number): BridgeInfo[] | null {
    const signature = this.signature();
    if (!this.listChanged && (signature === this.lastSignature || nowMs - this.lastEmitMs < BRIDGE_EVENT_INTERVAL_MS)) return null;
    this.listChanged = false;
    this.lastSignature = signature;
    this.lastEmitMs = nowMs;
    return this.list();
  }

  private signature(): string {
    let s = '';
    for (const e of this.entries) {
      const c = e.attachment.counters;
      s += `${e.id}:${e.state}:${c.framesIn}:${c.framesOut}:${c.malformed}:${c.dropped};`;
    }
    return s;
  }

  private fail(entry: Entry, text: string): void {
    if (!this.entries.includes(entry)) return;
    entry.state = 'failed';
    entry.error = text;
    this.listChanged = true;
    this.hooks.changed();
  }

  private stopRealtime(): void {
    this.clock?.stop();
    this.hooks.realtimeStopped();
  }

  private clockFor(lab: RunningLab): RealtimeClock {
    if (this.clock === null || this.clock.scheduler !== lab.scheduler) {
      this.clock?.stop();
      this.clock = new RealtimeClock(lab.scheduler);
    }
    return this.clock;
  }

  /** The topology node `where` hangs on, as `RunningLab.attachmentPoint` will find it; refused when there is none. */
  private placeOf(lab: RunningLab, where: string): string {
    const places = attachPlaces(lab);
    const adapter = ADAPTER.exec(where);
    if (adapter && places.includes(where)) return adapter[1];
    const nets = topology(lab).nodes.filter((n) => n.kind === 'switch' || n.kind === 'internet');
    const net = nets.find((n) => n.id === `net:${where}` || n.id === `vnet:${where}` || n.label === where || n.label.startsWith(`${where} (`));
    if (net) return net.id;
    const names = [...new Set([...nets.map((n) => (n.id.startsWith('net:') ? n.id.slice(4) : n.label)), ...places])];
    const guess = didYouMean(where, names);
    throw refused(`nowhere to attach ${quote(where)} in this lab: expected a network or a running VM's adapter (${names.join(', ')})${guess ? `; ${guess}` : ''}`);
  }

  private info(e: Entry): BridgeInfo {
    const a = e.attachment;
    const c = a.counters;
    const spec: BridgeSpec = a.spec.kind === 'tap' ? { kind: 'tap', ifname: a.spec.ifname } : { kind: 'udp', localPort: a.spec.localPort, remoteHost: a.spec.remoteHost, remotePort: a.spec.remotePort };
    return {
      id: e.id,
      where: e.where,
      node: e.node,
      kind: spec.kind,
      target: target(spec),
      label: a.label,
      link: a.link,
      state: e.state,
      error: e.error,
      warnings: [...a.warnings],
      counters: { framesIn: c.framesIn, bytesIn: c.bytesIn, framesOut: c.framesOut, bytesOut: c.bytesOut, malformed: c.malformed, dropped: c.dropped },
    };
  }
}
