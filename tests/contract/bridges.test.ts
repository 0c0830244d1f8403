// Bridges to real machines over the contract (in-process transport): a UDP tunnel carries real frames from a Node socket into the lab and back, TAP failures answer with their reason, bad parameters are refused by path.
import { createSocket, type Socket } from 'node:dgram';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LabClient } from '../../core/api/contract';
import type { BridgeInfo } from '../../core/api/dto';
import { attachTap } from '../../electron/bridges/tap';
import type { TapAddon } from '../../electron/bridges/tap-addon';
import { LabHost } from '../../electron/host/lab-host';
import { connectInProcess } from '../../electron/transport/in-process';
import { EventRecorder, fails, ok } from './contract-suite';

const LABS = resolve(import.meta.dirname, '../../resources/labs');
const S = 1_000_000;

const OUR_MAC = [0x02, 0x00, 0x00, 0x00, 0xbe, 0xef];

/** An ARP request as a kernel sends it, written out byte by byte: who has `target`? tell `sender`. */
function arpRequest(sender: number[], target: number[]): Buffer {
  return Buffer.from([
    ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // destination: broadcast
    ...OUR_MAC, // source
    0x08, 0x06, // EtherType ARP
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, // Ethernet, IPv4, 6, 4
    0x00, 0x01, // request
    ...OUR_MAC,
    ...sender,
    ...[0, 0, 0, 0, 0, 0],
    ...target,
  ]);
}

/** The sender's MAC of an ARP reply to us for `ip`, or null when `frame` is something else. */
function arpReplyFor(frame: Buffer, ip: number[]): string | null {
  if (frame.length < 42 || frame.readUInt16BE(12) !== 0x0806 || frame.readUInt16BE(20) !== 2) return null;
  if (!ip.every((b, i) => frame[28 + i] === b)) return null;
  if (!OUR_MAC.every((b, i) => frame[32 + i] === b && frame[i] === b)) return null;
  return [...frame.subarray(22, 28)].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function bound(port = 0): Promise<Socket> {
  return new Promise((res, rej) => {
    const s = createSocket('udp4');
    s.once('error', rej);
    s.bind(port, '127.0.0.1', () => {
      s.off('error', rej);
      res(s);
    });
  });
}

const close = (s: Socket): Promise<void> => new Promise((r) => s.close(() => r()));

/** A UDP port free now (the kernel's pick, released at once). */
async function freePort(): Promise<number> {
  const s = await bound();
  const port = s.address().port;
  await close(s);
  return port;
}

/** The real machine's end of the tunnel: a socket that keeps every datagram it gets. */
class FarEnd {
  readonly got: Buffer[] = [];
  private constructor(readonly socket: Socket) {
    socket.on('message', (m) => this.got.push(m));
  }
  static async open(): Promise<FarEnd> {
    return new FarEnd(await bound());
  }
  get port(): number {
    return this.socket.address().port;
  }
  send(frame: Buffer, port: number): void {
    this.socket.send(frame, port, '127.0.0.1');
  }
  async waitFor<T>(pick: (d: Buffer) => T | null, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const d of this.got) {
        const v = pick(d);
        if (v !== null) return v;
      }
      if (Date.now() > deadline) throw new Error(`no matching datagram within ${timeoutMs} ms (${this.got.length} came)`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  close(): Promise<void> {
    return close(this.socket);
  }
}

describe('bridges to real machines over the contract', () => {
  let host: LabHost;
  let client: LabClient & { close(): void };
  let rec: EventRecorder;
  const errors: string[] = [];

  beforeAll(async () => {
    host = new LabHost({ labsDir: LABS, log: () => undefined });
    client = connectInProcess(host, { onError: (m) => errors.push(m) });
    rec = new EventRecorder(client);
  });

  afterAll(() => {
    client.close();
    host.close();
    expect(errors).toEqual([]);
  });

  beforeEach(async () => {
    await ok(client, 'file.openBundled', { name: 'default' });
    expect(await ok(client, 'bridge.list', {})).toEqual([]);
  });

  it('joins the home LAN to a UDP tunnel: an ARP request from a real socket gets the router’s reply, counters move, detaching frees the port', async () => {
    const far = await FarEnd.open();
    const localPort = await freePort();
    const mark = rec.mark();
    const info = await ok(client, 'bridge.attach', { where: 'lan', spec: { kind: 'udp', localPort, remoteHost: '127.0.0.1', remotePort: far.port } });
    expect(info).toMatchObject({
      id: expect.stringMatching(/^bridge-\d+$/),
      where: 'lan',
      node: 'net:lan',
      kind: 'udp',
      target: `${localPort}:127.0.0.1:${far.port}`,
      label: `udp:${localPort}→127.0.0.1:${far.port}`,
      link: `udp-${localPort}.lan`,
      state: 'attached',
      error: null,
    });
    expect(await ok(client, 'bridge.list', {})).toEqual([info]);
    // A real machine cannot be paused: the clock plays in real time, and says so.
    expect(await ok(client, 'clock.get', {})).toMatchObject({ running: true, speed: 1, bridged: 1 });
    const pause = await fails(client, 'clock.pause', {});
    expect(pause.code).toBe('refused');
    expect(pause.message).toMatch(/real machine is attached/);
    expect((await fails(client, 'clock.step', {})).code).toBe('refused');
    expect((await fails(client, 'clock.setSpeed', { speed: 10 })).code).toBe('refused');

    far.send(arpRequest([192, 168, 1, 250], [192, 168, 1, 1]), localPort);
    const routerMac = await far.waitFor((d) => arpReplyFor(d, [192, 168, 1, 1]));
    expect(routerMac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    const moved = await rec.waitFor('bridge.changed', (list) => list.length === 1 && list[0].counters.framesIn >= 1 && list[0].counters.framesOut >= 1, mark, 5000);
    expect(moved[0]).toMatchObject({ id: info.id, state: 'attached', counters: { malformed: 0 } });
    // A frame too short to be Ethernet is counted and dropped.
    far.send(Buffer.from([1, 2, 3]), localPort);
    await rec.waitFor('bridge.changed', (list) => list[0]?.counters.malformed === 1, mark, 5000);
    // The router learnt our MAC from the request: the lab saw the real machine.
    const arp = await ok(client, 'tables.arp', { node: 'router' });
    expect(arp.some((r) => r.ip === '192.168.1.250' && r.mac === '02:00:00:00:be:ef')).toBe(true);

    // At most 4 a second while counters move: over a second of traffic, no flood of events.
    const burst = rec.mark();
    const until = Date.now() + 1000;
    while (Date.now() < until) {
      far.send(arpRequest([192, 168, 1, 250], [192, 168, 1, 1]), localPort);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(rec.since(burst, 'bridge.changed').length).toBeLessThanOrEqual(6);

    const left = await ok(client, 'bridge.detach', { id: info.id });
    expect(left).toEqual([]);
    await rec.waitFor('bridge.changed', (list) => list.length === 0, mark);
    // The port is free again, the lab's switch has no station for the tunnel, and the clock is the host's again.
    const again = await bound(localPort);
    await close(again);
    expect((await fails(client, 'capture.start', { link: `udp-${localPort}.lan` })).code).toBe('not-found');
    const clock = await ok(client, 'clock.get', {});
    expect(clock.running).toBe(true);
    expect(clock.bridged).toBeUndefined();
    expect((await ok(client, 'clock.pause', {})).running).toBe(false);
    expect((await fails(client, 'bridge.detach', { id: info.id })).code).toBe('not-found');
    await far.close();
  });

  it('takes a VM adapter’s place behind VirtualBox NAT, and gives the VM its cable back on detach', async () => {
    const far = await FarEnd.open();
    const localPort = await freePort();
    const info = await ok(client, 'bridge.attach', { where: 'vm1.nic1', spec: { kind: 'udp', localPort, remoteHost: '127.0.0.1', remotePort: far.port } });
    expect(info).toMatchObject({ where: 'vm1.nic1', node: 'vm1', state: 'attached' });
    // The real machine is where vm1 was: the NAT engine's gateway answers it.
    far.send(arpRequest([10, 0, 2, 15], [10, 0, 2, 2]), localPort);
    expect(await far.waitFor((d) => arpReplyFor(d, [10, 0, 2, 2]))).toBe('52:54:00:12:35:02');
    // One real machine per adapter.
    const twice = await fails(client, 'bridge.attach', { where: 'vm1.nic1', spec: { kind: 'udp', localPort: localPort === 65535 ? 1025 : localPort + 1, remoteHost: '127.0.0.1', remotePort: far.port } });
    expect(twice.code).toBe('refused');
    expect(twice.message).toMatch(/already bridged/);
    await ok(client, 'bridge.detach', { id: info.id });
    await ok(client, 'clock.pause', {});
    // vm1 reaches its NAT gateway again over its own cable.
    const mark = rec.mark();
    const started = await ok(client, 'shell.run', { node: 'vm1', line: 'ping -c 1 10.0.2.2' });
    for (let i = 0; i < 10 && !rec.since(mark, 'terminal.exit').some((e) => e.id === started.id); i++) {
      await ok(client, 'clock.step', { us: 2 * S });
      await new Promise((r) => setTimeout(r, 5));
    }
    const exit = await rec.waitFor('terminal.exit', (e) => e.id === started.id, mark);
    const output = rec
      .since(mark, 'terminal.output')
      .filter((o) => o.id === started.id)
      .map((o) => o.text)
      .join('');
    expect(output).toMatch(/1 packets transmitted, 1 received/);
    expect(exit.code).toBe(0);
    await far.close();
  });

  it('lets real machines go when another lab is opened', async () => {
    const far = await FarEnd.open();
    const localPort = await freePort();
    await ok(client, 'bridge.attach', { where: 'vboxnet0', spec: { kind: 'udp', localPort, remoteHost: 'localhost', remotePort: far.port } });
    const [b] = await ok(client, 'bridge.list', {});
    expect(b).toMatchObject({ where: 'vboxnet0', node: 'vnet:vbox-hostonly:vboxnet0' });
    const mark = rec.mark();
    await ok(client, 'file.openBundled', { name: 'vmware' });
    expect(await ok(client, 'bridge.list', {})).toEqual([]);
    await rec.waitFor('bridge.changed', (list) => list.length === 0, mark);
    await close(await bound(localPort));
    expect((await ok(client, 'clock.get', {})).bridged).toBeUndefined();
    await far.close();
  });

  it('answers a TAP device that is missing with the command that makes it, never an exception', async () => {
    const a = await client.request('bridge.attach', { where: 'lan', spec: { kind: 'tap', ifname: 'vmnlnothere0' } });
    expect(a.ok).toBe(false);
    if (a.ok) return;
    // Where the addon loads, the device is missing; where it does not, the reason is that.
    expect(['failed', 'refused']).toContain(a.error.code);
    expect(a.error.message).toMatch(/vmnlnothere0|TAP attachments are unavailable/);
    expect(a.error.problems?.[0].path).toBe('$.spec');
    expect(await ok(client, 'bridge.list', {})).toEqual([]);
    expect((await ok(client, 'clock.get', {})).bridged).toBeUndefined();
  });

  it('says which command creates the device, whatever the addon', async () => {
    // A stand-in addon: the checks before opening (sysfs) are the real ones.
    const addon: TapAddon = {
      open: () => {
        throw new Error('not reached');
      },
      read: () => null,
      write: () => false,
      watch: () => undefined,
      unwatch: () => 0,
      dropped: () => 0,
      close: () => undefined,
    };
    const h = new LabHost({ labsDir: LABS, play: false, settle: false, attach: async (lab, spec, clock, onProblem) => (spec.kind === 'tap' ? attachTap(lab, spec, clock, { addon, onProblem }) : Promise.reject(new Error('tap only'))) });
    try {
      const e = await h.request('bridge.attach', { where: 'lan', spec: { kind: 'tap', ifname: 'vmnlnothere0' } });
      expect(e.ok).toBe(false);
      if (e.ok) return;
      expect(e.error.code).toBe('failed');
      expect(e.error.message).toMatch(/there is no network device vmnlnothere0/);
      expect(e.error.message).toContain('ip tuntap add dev vmnlnothere0 mode tap user $USER');
      expect(e.error.problems).toEqual([{ path: '$.spec', message: expect.stringMatching(/no network device/), hint: expect.stringContaining('ip tuntap add dev vmnlnothere0 mode tap user $USER') }]);
    } finally {
      h.close();
    }
  });

  it('refuses bad parameters by path, and places that are not in the lab', async () => {
    const udp = { kind: 'udp', localPort: 40001, remoteHost: '127.0.0.1', remotePort: 40002 } as const;
    const cases: Array<[unknown, string]> = [
      [{ where: 'lan', spec: { kind: 'tap', ifname: 'eth0/../x' } }, '$.spec.ifname'],
      [{ where: 'lan', spec: { kind: 'tap', ifname: 'a-name-too-long-0' } }, '$.spec.ifname'],
      [{ where: 'lan', spec: { kind: 'tap', ifname: '' } }, '$.spec.ifname'],
      [{ where: 'lan', spec: { ...udp, localPort: 0 } }, '$.spec.localPort'],
      [{ where: 'lan', spec: { ...udp, remotePort: 65536 } }, '$.spec.remotePort'],
      [{ where: 'lan', spec: { ...udp, localPort: 1.5 } }, '$.spec.localPort'],
      [{ where: 'lan', spec: { ...udp, remoteHost: '999.1.1.1' } }, '$.spec.remoteHost'],
      [{ where: 'lan', spec: { ...udp, remoteHost: `${'a'.repeat(63)}.`.repeat(5) } }, '$.spec.remoteHost'],
      [{ where: 'lan', spec: { ...udp, remoteHost: 'host name' } }, '$.spec.remoteHost'],
      [{ where: 'lan', spec: { kind: 'gre' } }, '$.spec.kind'],
      [{ where: 'lan', spec: { ...udp, extra: 1 } }, '$.spec.extra'],
      [{ where: ' lan', spec: udp }, '$.where'],
      [{ where: '', spec: udp }, '$.where'],
      [{ spec: udp }, '$.where'],
    ];
    for (const [params, path] of cases) {
      const a = await host.handle('bridge.attach', params);
      expect(a.ok, JSON.stringify(params)).toBe(false);
      if (a.ok) continue;
      expect(a.error.code).toBe('bad-request');
      expect(a.error.problems?.map((p) => p.path)).toContain(path);
    }
    const badId = await host.handle('bridge.detach', { id: '../1' });
    expect(!badId.ok && badId.error.problems?.[0].path).toBe('$.id');
    const nowhere = await fails(client, 'bridge.attach', { where: 'lna', spec: udp });
    expect(nowhere.code).toBe('refused');
    expect(nowhere.message).toMatch(/nowhere to attach 'lna'.*did you mean 'lan'\?/);
    const off = await fails(client, 'bridge.attach', { where: 'vm1.nic4', spec: udp });
    expect(off.code).toBe('refused');
    expect(await ok(client, 'bridge.list', {})).toEqual([] satisfies BridgeInfo[]);
  });
});
