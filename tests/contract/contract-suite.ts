// One contract suite, run over every transport: each request and event of core/api/contract.ts working with real results.
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, type EventName, eventNames, type Events, type LabClient, type RequestName, type RequestParams, type RequestResult, requestNames } from '../../core/api/contract';
import type { ErrorInfo, LabSnapshot } from '../../core/api/dto';
import type { VirtualBoxAdapter, VmwareAdapter } from '../../core/lab/document';
import { loadLab } from '../../core/lab/load';

export interface ContractTarget {
  client: LabClient;
  close(): Promise<void>;
}

type Recorded = { [E in EventName]: { event: E; payload: Events[E] } }[EventName];

/** Every event the client receives, in order, with waiting for one that matches. */
export class EventRecorder {
  readonly all: Recorded[] = [];

  constructor(client: LabClient) {
    for (const e of eventNames) client.on(e, (payload) => this.all.push({ event: e, payload } as Recorded));
  }

  mark(): number {
    return this.all.length;
  }

  since<E extends EventName>(mark: number, event: E): Array<Events[E]> {
    return this.all.slice(mark).filter((r) => r.event === event).map((r) => r.payload as Events[E]);
  }

  async waitFor<E extends EventName>(event: E, match: (p: Events[E]) => boolean = () => true, mark = 0, timeoutMs = 15_000): Promise<Events[E]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.since(mark, event).find(match);
      if (hit !== undefined) return hit;
      if (Date.now() > deadline) throw new Error(`no '${event}' event came that matched, within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** The result of a request that must succeed; its error in the failure message otherwise. */
export async function ok<N extends RequestName>(client: LabClient, name: N, params: RequestParams<N>): Promise<RequestResult<N>> {
  const a: Answer<RequestResult<N>> = await client.request(name, params);
  if (!a.ok) throw new Error(`${name} failed: ${a.error.code}: ${a.error.message}${a.error.problems ? ` ${JSON.stringify(a.error.problems)}` : ''}`);
  return a.result;
}

/** The error of a request that must fail. */
export async function fails<N extends RequestName>(client: LabClient, name: N, params: RequestParams<N>): Promise<ErrorInfo> {
  const a = await client.request(name, params);
  if (a.ok) throw new Error(`${name} succeeded but should not have: ${JSON.stringify(a.result).slice(0, 200)}`);
  return a.error;
}

const S = 1_000_000;
const vboxAdapter = (snap: LabSnapshot, vm: string): VirtualBoxAdapter => snap.document.vms.find((v) => v.name === vm)!.virtualbox!.adapters[0];

/**
 * Runs the suite against clients made by `connect`. Requests are exercised in the order a user meets them;
 * each block opens the lab it needs, so a failure in one does not cascade.
 */
export function contractSuite(transport: string, connect: () => Promise<ContractTarget>): void {
  describe(`the contract over ${transport}`, () => {
    let target: ContractTarget;
    let client: LabClient;
    let rec: EventRecorder;
    let dir = '';
    const used = new Set<string>();
    const seenEvents = (): Set<EventName> => new Set(rec.all.map((r) => r.event));
    const run = async <N extends RequestName>(name: N, params: RequestParams<N>): Promise<RequestResult<N>> => {
      used.add(name);
      return ok(client, name, params);
    };
    const fail = async <N extends RequestName>(name: N, params: RequestParams<N>): Promise<ErrorInfo> => {
      used.add(name);
      return fails(client, name, params);
    };
    /** Runs a command line to its end on the virtual clock; its output and exit status. */
    const shell = async (node: string, line: string, stepUs = 10 * S): Promise<{ output: string; code: number; prompt: string }> => {
      const mark = rec.mark();
      const started = await run('shell.run', { node, line });
      for (let i = 0; i < 12; i++) {
        const exit = rec.since(mark, 'terminal.exit').find((e) => e.id === started.id);
        if (exit) break;
        await run('clock.step', { us: stepUs });
        await new Promise((r) => setTimeout(r, 5));
      }
      const exit = await rec.waitFor('terminal.exit', (e) => e.id === started.id, mark);
      const output = rec
        .since(mark, 'terminal.output')
        .filter((o) => o.id === started.id)
        .map((o) => o.text)
        .join('');
      return { output, code: exit.code, prompt: exit.prompt };
    };
    const openDefault = async (): Promise<LabSnapshot> => {
      const snap = await run('file.openBundled', { name: 'default' });
      await run('clock.pause', {});
      return snap;
    };

    beforeAll(async () => {
      target = await connect();
      client = target.client;
      rec = new EventRecorder(client);
      dir = mkdtempSync(join(tmpdir(), 'vmnetlab-contract-'));
    });

    afterAll(async () => {
      await target?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('lists the bundled labs and opens one, booted, with a lab.changed event', async () => {
      expect(await run('file.bundled', {})).toEqual(expect.arrayContaining(['default', 'company-nat', 'vmware']));
      const mark = rec.mark();
      const snap = await openDefault();
      expect(snap).toMatchObject({ path: null, dirty: false, canUndo: false, canRedo: false });
      expect(snap.document.name).toBe('Host-only, bridged and NAT (VirtualBox)');
      const changed = await rec.waitFor('lab.changed', () => true, mark);
      expect(changed.document.vms.map((v) => v.name)).toEqual(['vm1', 'vm2', 'vm3']);
      expect(await run('lab.get', {})).toEqual(snap);
    });

    it('shows the machines as the VirtualBox Manager lists them, and the topology', async () => {
      const machines = await run('lab.machines', {});
      const vm1 = machines.find((m) => m.name === 'vm1')!;
      expect(vm1).toMatchObject({ kind: 'vm', role: 'vm', hypervisor: 'virtualbox', state: 'running' });
      expect(vm1.adapters).toEqual([{ slot: 1, device: 'eth0', attachment: 'NAT', connected: true, mac: '08:00:27:c3:a1:e1' }]);
      expect(vm1.addresses).toEqual([{ device: 'eth0', cidr: '10.0.2.15/24', source: 'dhcp' }]);
      const host = machines.find((m) => m.name === 'host')!;
      expect(host).toMatchObject({ kind: 'machine', role: 'host', hypervisor: null, state: 'running' });
      expect(host.addresses.some((a) => /^192\.168\.1\.\d+\/24$/.test(a.cidr))).toBe(true);
      expect(machines.find((m) => m.name === 'vm3')!.addresses[0].cidr).toMatch(/^192\.168\.56\.\d+\/24$/);
      const topo = await run('lab.topology', {});
      expect(topo.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['host', 'router', 'vm1', 'vm2', 'vm3']));
      expect(topo.edges.find((e) => e.id === 'vm1.eth0')).toMatchObject({ source: 'vm1', attachment: 'nat', connected: true });
    });

    it('switches vm1 from NAT to Bridged as one undo step; the guest keeps its address until the network restarts', async () => {
      await openDefault();
      const before = await run('lab.get', {});
      const mark = rec.mark();
      const bridged: VirtualBoxAdapter = { ...vboxAdapter(before, 'vm1'), attachment: 'bridged', network: 'eth0' };
      delete bridged.portForwarding;
      const snap = await run('vm.setVirtualBoxAdapter', { vm: 'vm1', adapter: bridged });
      expect(vboxAdapter(snap, 'vm1')).toMatchObject({ attachment: 'bridged', network: 'eth0' });
      expect(snap).toMatchObject({ dirty: true, canUndo: true, canRedo: false });
      expect((await rec.waitFor('lab.changed', (s) => s.dirty, mark)).document).toEqual(snap.document);
      const vm1 = (await run('lab.machines', {})).find((m) => m.name === 'vm1')!;
      expect(vm1.adapters[0].attachment).toMatch(/^Bridged Adapter/);
      // network-scripts keeps the NAT address over the new cable (the seed article's trap)…
      expect(vm1.addresses[0].cidr).toBe('10.0.2.15/24');
      // …until `systemctl restart network` asks the home router's DHCP server.
      const r = await shell('vm1', 'systemctl restart network');
      expect(r.code).toBe(0);
      expect(r.prompt).toBe('[root@vm1 ~]# ');
      const leases = await run('tables.leases', {});
      const lease = leases.find((l) => l.mac === '08:00:27:c3:a1:e1' && l.server.startsWith('router'));
      expect(lease?.ip).toMatch(/^192\.168\.1\.\d+$/);
      expect((await run('lab.machines', {})).find((m) => m.name === 'vm1')!.addresses[0].cidr).toBe(`${lease!.ip}/24`);
      await rec.waitFor('tables.changed', (t) => t.tables.includes('leases'), mark);
      // The same setting again is no new undo step.
      const again = await run('vm.setVirtualBoxAdapter', { vm: 'vm1', adapter: bridged });
      expect(again.canUndo).toBe(true);
      expect(again.document).toEqual(snap.document);
    });

    it('undoes and redoes document changes, applying each to the running lab', async () => {
      const undone = await run('history.undo', {});
      expect(vboxAdapter(undone, 'vm1').attachment).toBe('nat');
      expect(undone).toMatchObject({ canUndo: false, canRedo: true, dirty: false });
      expect((await run('lab.topology', {})).edges.find((e) => e.id === 'vm1.eth0')?.attachment).toBe('nat');
      expect((await fail('history.undo', {})).code).toBe('refused');
      const redone = await run('history.redo', {});
      expect(vboxAdapter(redone, 'vm1').attachment).toBe('bridged');
      expect(redone).toMatchObject({ canUndo: true, canRedo: false, dirty: true });
      expect((await fail('history.redo', {})).code).toBe('refused');
      expect((await run('lab.topology', {})).edges.find((e) => e.id === 'vm1.eth0')?.attachment).toBe('bridged');
    });

    it('refuses bad changes with every problem and leaves the document as it was', async () => {
      const before = await run('lab.get', {});
      const bad = await fail('vm.setVirtualBoxAdapter', { vm: 'vm1', adapter: { ...vboxAdapter(before, 'vm1'), attachment: 'wifi', slot: 0, mac: 'zz' } as unknown as VirtualBoxAdapter });
      expect(bad.code).toBe('bad-request');
      expect(bad.problems?.map((p) => p.path)).toEqual(expect.arrayContaining(['$.adapter.slot', '$.adapter.attachment', '$.adapter.mac']));
      const intnet = { ...vboxAdapter(before, 'vm1'), attachment: 'hostonly' as const, network: 'vboxnet7' };
      const refusedChange = await fail('vm.setVirtualBoxAdapter', { vm: 'vm1', adapter: intnet });
      expect(refusedChange.code).toBe('refused');
      expect(refusedChange.problems?.length).toBeGreaterThan(0);
      expect((await fail('vm.setVirtualBoxAdapter', { vm: 'vm9', adapter: vboxAdapter(before, 'vm1') })).code).toBe('not-found');
      const vmware: VmwareAdapter = { slot: 0, present: true, connectionType: 'nat', connected: true, startConnected: true, virtualDev: 'e1000', mac: '00:0c:29:00:00:01', addressType: 'generated' };
      expect((await fail('vm.setVmwareAdapter', { vm: 'vm1', adapter: vmware })).code).toBe('refused');
      expect((await client.request('no.such.request' as RequestName, {} as never)) as Answer<unknown>).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('unknown request') } });
      expect(await run('lab.get', {})).toEqual(before);
    });

    it('changes a guest, powers a VM off and on, and edits the host\'s VirtualBox networks', async () => {
      const snap0 = await openDefault();
      const guest = { ...snap0.document.vms[1].guest, hostname: 'web2' };
      const g = await run('vm.setGuest', { vm: 'vm2', guest });
      expect(g.document.vms[1].guest.hostname).toBe('web2');
      const off = await run('vm.setRunning', { vm: 'vm3', running: false });
      expect(off.document.vms[2].running).toBe(false);
      const vm3 = (await run('lab.machines', {})).find((m) => m.name === 'vm3')!;
      expect(vm3).toMatchObject({ state: 'powered off', addresses: [] });
      expect(vm3.adapters[0].attachment).toMatch(/^Host-only Adapter/);
      expect((await fail('shell.run', { node: 'vm3', line: 'ip addr' })).code).toBe('not-found');
      await run('vm.setRunning', { vm: 'vm3', running: true });
      expect((await run('lab.machines', {})).find((m) => m.name === 'vm3')!.state).toBe('running');
      const vbox = structuredClone(snap0.document.virtualbox!);
      vbox.hostOnly[0].dhcp!.leaseSeconds = 1200;
      const h = await run('host.setVirtualBox', { virtualbox: vbox });
      expect(h.document.virtualbox?.hostOnly[0].dhcp?.leaseSeconds).toBe(1200);
      const overlapping = structuredClone(vbox);
      overlapping.hostOnly.push({ ...overlapping.hostOnly[0], name: 'vboxnet1' });
      expect((await fail('host.setVirtualBox', { virtualbox: overlapping })).code).toBe('refused');
    });

    it('changes a VMware VM\'s adapter and the VMware networks', async () => {
      const snap = await run('file.openBundled', { name: 'vmware' });
      await run('clock.pause', {});
      const a = snap.document.vms[0].vmware!.adapters[0];
      const changed = await run('vm.setVmwareAdapter', { vm: 'vm1', adapter: { ...a, connected: false } });
      expect(changed.document.vms[0].vmware!.adapters[0].connected).toBe(false);
      expect((await run('lab.machines', {})).find((m) => m.name === 'vm1')!.adapters[0].connected).toBe(false);
      const vmware = structuredClone(snap.document.vmware!);
      vmware.lanSegments = ['segment-a'];
      const h = await run('host.setVmware', { vmware });
      expect(h.document.vmware?.lanSegments).toEqual(['segment-a']);
    });

    it('runs shell lines with their output streamed, a prompt, Ctrl-C, and one line at a time', async () => {
      await openDefault();
      expect(await run('shell.prompt', { node: 'vm1' })).toBe('[root@vm1 ~]# ');
      const ip = await shell('vm1', 'ip -4 addr show eth0');
      expect(ip.code).toBe(0);
      expect(ip.output).toContain('inet 10.0.2.15/24');
      const mark = rec.mark();
      const ping = await run('shell.run', { node: 'vm1', line: 'ping 10.0.2.2' });
      expect(ping.prompt).toBe('[root@vm1 ~]# ');
      expect((await fail('shell.run', { node: 'vm1', line: 'hostname' })).code).toBe('refused');
      await run('clock.step', { us: 3 * S });
      await rec.waitFor('terminal.output', (o) => o.id === ping.id && /icmp_seq=\d/.test(o.text), mark);
      expect(await run('shell.interrupt', { node: 'vm1' })).toBe(true);
      await run('clock.step', { us: S });
      const exit = await rec.waitFor('terminal.exit', (e) => e.id === ping.id, mark);
      // ping stopped by Ctrl-C exits 0 when replies came, as Linux's does.
      expect(exit.code).toBe(0);
      const all = rec.since(mark, 'terminal.output').filter((o) => o.id === ping.id).map((o) => o.text).join('');
      expect(all).toContain('^C');
      expect(all).toMatch(/packets transmitted/);
      // Output of a command comes before its exit.
      const events = rec.all.slice(mark).filter((r) => (r.event === 'terminal.output' || r.event === 'terminal.exit') && r.payload.id === ping.id);
      expect(events[events.length - 1].event).toBe('terminal.exit');
      expect(await run('shell.interrupt', { node: 'vm1' })).toBe(false);
      expect((await fail('shell.prompt', { node: 'nosuch' })).code).toBe('not-found');
    });

    it('shows ARP, routes, NAT translations and events as rows', async () => {
      const ping = await shell('pc', 'ping -c 1 93.184.216.34');
      expect(ping.code).toBe(0);
      const pcIp = (await run('lab.machines', {})).find((m) => m.name === 'pc')!.addresses[0].cidr.split('/')[0];
      const nat = await run('tables.nat', { engine: 'router' });
      expect(nat.some((r) => r.proto === 'icmp' && r.insideIp === pcIp && r.outsideIp === '203.0.113.2' && r.remoteIp === '93.184.216.34')).toBe(true);
      const arp = await run('tables.arp', { node: 'pc' });
      expect(arp).toContainEqual(expect.objectContaining({ node: 'pc', ip: '192.168.1.1', mac: 'c8:3a:35:10:20:01', dev: 'eth0' }));
      const routes = await run('tables.routes', { node: 'pc' });
      expect(routes).toContainEqual(expect.objectContaining({ destination: 'default', gateway: '192.168.1.1', dev: 'eth0' }));
      const events = await run('tables.events', {});
      expect(events.some((e) => e.kind === 'dhcp-bound' && e.node === 'pc')).toBe(true);
      const late = await run('tables.events', { since: events[events.length - 1].time });
      expect(late.length).toBeGreaterThan(0);
      expect(late.length).toBeLessThanOrEqual(events.length);
    });

    it('computes the reachability matrix with a reason for each cell', async () => {
      const m = await run('matrix.compute', {});
      expect(m.nodes).toEqual(expect.arrayContaining(['host', 'vm1', 'vm3']));
      expect(m.cells.length).toBe(m.nodes.length ** 2);
      const hostToVm3 = m.cells.find((c) => c.from === 'host' && c.to === 'vm3')!;
      expect(hostToVm3.reachable).toBe(true);
      const vm3ToPc = m.cells.find((c) => c.from === 'vm3' && c.to === 'pc')!;
      expect(vm3ToPc.reachable).toBe(false);
      expect(vm3ToPc.reason.length).toBeGreaterThan(10);
    });

    it('captures a link: start, frames as events, the packet list, one frame decoded, pcap export, stop, clear', async () => {
      await openDefault();
      const list = await run('capture.list', {});
      expect(list).toContainEqual({ link: 'vm1.eth0', capturing: false, frames: 0 });
      expect(await run('capture.start', { link: 'vm1.eth0' })).toEqual({ link: 'vm1.eth0', capturing: true, frames: 0 });
      expect((await fail('capture.start', { link: 'vm9.eth0' })).code).toBe('not-found');
      const mark = rec.mark();
      expect((await shell('vm1', 'ping -c 2 10.0.2.2')).code).toBe(0);
      const captured = await rec.waitFor('frame.captured', (f) => f.link === 'vm1.eth0' && f.protocol === 'ICMP', mark);
      expect(captured.info).toMatch(/Echo \(ping\) request/);
      const frames = await run('capture.frames', { link: 'vm1.eth0' });
      const icmp = frames.filter((f) => f.protocol === 'ICMP');
      expect(icmp.length).toBe(4);
      expect(frames.map((f) => f.number)).toEqual(frames.map((_, i) => i + 1));
      expect(await run('capture.frames', { link: 'vm1.eth0', from: 2, limit: 1 })).toEqual([frames[1]]);
      const detail = await run('capture.frame', { link: 'vm1.eth0', number: icmp[0].number });
      expect(detail).toMatchObject({ number: icmp[0].number, protocol: 'ICMP', source: '10.0.2.15', destination: '10.0.2.2' });
      expect(detail.hex).toMatch(/^[0-9a-f]+$/);
      expect(detail.hex.length).toBe(detail.length * 2);
      expect(detail.tree.length).toBeGreaterThanOrEqual(3);
      expect((await fail('capture.frame', { link: 'vm1.eth0', number: 9999 })).code).toBe('not-found');
      const exported = await run('capture.export', { link: 'vm1.eth0' });
      expect(exported.fileName).toBe('vm1.eth0.pcap');
      const pcap = Buffer.from(exported.base64, 'base64');
      expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
      expect(pcap.length).toBe(24 + frames.reduce((n, f) => n + 16 + f.length, 0));
      const stopped = await run('capture.stop', { link: 'vm1.eth0' });
      expect(stopped).toEqual({ link: 'vm1.eth0', capturing: false, frames: frames.length });
      await shell('vm1', 'ping -c 1 10.0.2.2');
      expect((await run('capture.list', {})).find((c) => c.link === 'vm1.eth0')).toEqual(stopped);
      expect(await run('capture.clear', { link: 'vm1.eth0' })).toEqual({ link: 'vm1.eth0', capturing: false, frames: 0 });
      expect(await run('capture.frames', { link: 'vm1.eth0' })).toEqual([]);
      await run('capture.start', { link: 'vm1.eth0' });
      await shell('vm1', 'ping -c 1 10.0.2.2');
      const resumed = await run('capture.frames', { link: 'vm1.eth0' });
      expect(resumed.filter((f) => f.protocol === 'ICMP').map((f) => f.number)).toHaveLength(2);
    });

    it('runs the clock: play at a speed with clock events, pause, step to the next event or by a time', async () => {
      const paused = await run('clock.pause', {});
      expect(paused.running).toBe(false);
      expect(await run('clock.get', {})).toEqual(paused);
      const fast = await run('clock.setSpeed', { speed: 20 });
      expect(fast).toEqual({ ...paused, speed: 20 });
      const mark = rec.mark();
      const playing = await run('clock.play', {});
      expect(playing.running).toBe(true);
      const later = await rec.waitFor('clock', (c) => c.running && c.nowUs > playing.nowUs + S / 2, mark);
      expect(later.speed).toBe(20);
      const stop = await run('clock.pause', {});
      expect(stop.running).toBe(false);
      expect(stop.nowUs).toBeGreaterThanOrEqual(later.nowUs);
      const ticks = rec.since(mark, 'clock');
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      const step = await run('clock.step', {});
      expect(step.nowUs).toBeGreaterThan(stop.nowUs);
      expect(step.running).toBe(false);
      const byTime = await run('clock.step', { us: 2 * S });
      expect(byTime.nowUs).toBe(step.nowUs + 2 * S);
      await run('clock.setSpeed', { speed: 1 });
      expect((await fail('clock.setSpeed', { speed: 0 })).code).toBe('bad-request');
    });

    it('saves as, saves, opens, makes a new lab, and refuses a damaged file leaving the lab as it was', async () => {
      await openDefault();
      expect((await fail('file.save', {})).code).toBe('refused');
      const file = join(dir, 'my-lab');
      const saved = await run('file.saveAs', { path: file });
      expect(saved).toMatchObject({ path: `${file}.json`, dirty: false });
      const onDisk = loadLab(readFileSync(`${file}.json`, 'utf8'), 'saved');
      expect(onDisk.ok && onDisk.doc).toEqual(saved.document);
      expect((await fail('file.saveAs', { path: join(dir, 'lab.txt') })).code).toBe('refused');
      const changed = await run('vm.setRunning', { vm: 'vm2', running: false });
      expect(changed.dirty).toBe(true);
      const resaved = await run('file.save', {});
      expect(resaved).toMatchObject({ path: `${file}.json`, dirty: false, canUndo: true });
      const fresh = await run('file.new', {});
      expect(fresh).toMatchObject({ path: null, dirty: false, canUndo: false });
      expect(fresh.document.machines.map((m) => m.name)).toEqual(['host']);
      expect(fresh.document.vms).toEqual([]);
      const opened = await run('file.open', { path: `${file}.json` });
      expect(opened).toMatchObject({ path: `${file}.json`, dirty: false, canUndo: false });
      expect(opened.document).toEqual(resaved.document);
      const damaged = join(dir, 'damaged.json');
      writeFileSync(damaged, '{ "format": "vmnetlab-lab", "version": 2, "name": 7, ');
      const e = await fail('file.open', { path: damaged });
      expect(e.code).toBe('refused');
      expect(e.problems?.length).toBeGreaterThan(0);
      const wrongShape = join(dir, 'wrong.json');
      writeFileSync(wrongShape, JSON.stringify({ ...opened.document, vms: [{ name: 'x' }], seed: 'a' }));
      const e2 = await fail('file.open', { path: wrongShape });
      const paths = e2.problems?.map((p) => p.path) ?? [];
      expect(paths).toContain('$.seed');
      expect(paths).toEqual(expect.arrayContaining(['$.vms[0].hypervisor', '$.vms[0].guest']));
      expect(readFileSync(damaged, 'utf8')).toBe('{ "format": "vmnetlab-lab", "version": 2, "name": 7, ');
      expect((await fail('file.open', { path: join(dir, 'missing.json') })).code).toBe('not-found');
      expect(await run('lab.get', {})).toEqual(opened);
    });

    it('joins the home LAN to a real machine by a UDP tunnel, the clock in real time meanwhile, and lets it go', async () => {
      await openDefault();
      const far = createSocket('udp4');
      await new Promise<void>((r) => far.bind(0, '127.0.0.1', () => r()));
      const probe = createSocket('udp4');
      await new Promise<void>((r) => probe.bind(0, '127.0.0.1', () => r()));
      const localPort = probe.address().port;
      await new Promise<void>((r) => probe.close(() => r()));
      const got: Buffer[] = [];
      far.on('message', (m) => got.push(m));
      try {
        const mark = rec.mark();
        const info = await run('bridge.attach', { where: 'lan', spec: { kind: 'udp', localPort, remoteHost: '127.0.0.1', remotePort: far.address().port } });
        expect(info).toMatchObject({ where: 'lan', node: 'net:lan', kind: 'udp', state: 'attached', counters: { framesIn: 0, malformed: 0 } });
        expect(await run('bridge.list', {})).toEqual([info]);
        expect(await run('clock.get', {})).toMatchObject({ running: true, speed: 1, bridged: 1 });
        // An ARP request (who has 192.168.1.1? tell 192.168.1.250), as a kernel would send it.
        const arp = ['ffffffffffff', '020000000001', '0806', '0001', '0800', '06', '04', '0001', '020000000001', 'c0a801fa', '000000000000', 'c0a80101'].join('');
        far.send(Buffer.from(arp, 'hex'), localPort, '127.0.0.1');
        await rec.waitFor('bridge.changed', (l) => l[0]?.counters.framesIn === 1 && l[0].counters.framesOut >= 1, mark);
        expect(got.some((d) => d.readUInt16BE(12) === 0x0806 && d.readUInt16BE(20) === 2)).toBe(true);
        expect(await run('bridge.detach', { id: info.id })).toEqual([]);
        await rec.waitFor('bridge.changed', (l) => l.length === 0, mark);
        expect((await run('clock.get', {})).bridged).toBeUndefined();
        await run('clock.pause', {});
      } finally {
        far.close();
      }
    });

    it('exercised every request and every event', () => {
      expect(requestNames.filter((n) => !used.has(n))).toEqual([]);
      expect(eventNames.filter((e) => !seenEvents().has(e))).toEqual([]);
    });
  });
}
