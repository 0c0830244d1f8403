// Interop: the UDP tunnel speaks QEMU's and VirtualBox's format (one Ethernet frame a datagram, no header), counts what it refuses, and the lab's clock runs in real time while attached. Loopback only; no root needed.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadLab } from '../../core/lab/load';
import { RunningLab } from '../../core/lab/running-lab';
import { ScriptRunner } from '../../core/lab/script';
import { Shell } from '../../core/lab/shell/shell';
import { MAC_BROADCAST, parseIpv4, parseMac } from '../../core/wire/address';
import { ARP_LEN, ARP_REPLY, arpRequest, emitArp, parseArp } from '../../core/wire/arp';
import { buildFrame, ETHERTYPE_ARP, parseEthernet } from '../../core/wire/ethernet';
import type { Attachment } from '../../electron/bridges/attachment';
import { RealtimeClock } from '../../electron/bridges/realtime-clock';
import { RealtimeSteps } from '../../electron/bridges/realtime-steps';
import { attachUdp } from '../../electron/bridges/udp-tunnel';

const VM1_MAC = parseMac('08:00:27:c3:a1:e1') as number;
const GUEST_IP = parseIpv4('10.0.2.15') as number;
const GATEWAY_IP = parseIpv4('10.0.2.2') as number;
/** VirtualBox NAT's gateway MAC: 52:54:00:12:35:02. */
const GATEWAY_MAC = parseMac('52:54:00:12:35:02') as number;

function defaultLab(): RunningLab {
  const loaded = loadLab(readFileSync('resources/labs/default.json', 'utf8'), 'default.json');
  if (!loaded.ok) throw new Error('default lab does not load');
  return new RunningLab(loaded.doc);
}

function bound(socket: Socket, port = 0): Promise<number> {
  return new Promise((resolve) => socket.bind(port, '127.0.0.1', () => resolve(socket.address().port)));
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  const p = await bound(s);
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

const arpFrame = (src: number): Uint8Array =>
  buildFrame({ dst: MAC_BROADCAST, src, ethertype: ETHERTYPE_ARP }, ARP_LEN, (b, o) => emitArp(arpRequest(VM1_MAC, GUEST_IP, GATEWAY_IP), b, o));

describe('the UDP tunnel in vm1’s place behind VirtualBox NAT', () => {
  let lab: RunningLab;
  let clock: RealtimeClock;
  let guest: Socket;
  let attachment: Attachment | null = null;
  let received: Uint8Array[] = [];
  let labPort = 0;

  beforeEach(async () => {
    lab = defaultLab();
    lab.settle();
    clock = new RealtimeClock(lab.scheduler);
    guest = createSocket('udp4');
    const guestPort = await bound(guest);
    received = [];
    guest.on('message', (m) => received.push(new Uint8Array(m)));
    labPort = await freePort();
    attachment = await attachUdp(lab, { where: 'vm1.nic1', kind: 'udp', localPort: labPort, remoteHost: '127.0.0.1', remotePort: guestPort }, clock);
    clock.start();
  });

  afterEach(async () => {
    attachment?.close();
    clock.stop();
    await new Promise<void>((r) => guest.close(() => r()));
  });

  const send = (bytes: Uint8Array, from: Socket = guest): Promise<void> => new Promise((r) => from.send(bytes, labPort, '127.0.0.1', () => r()));
  const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
    const end = Date.now() + ms;
    while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  };

  it('a datagram is one Ethernet frame: an ARP request for 10.0.2.2 gets the NAT gateway’s reply, one frame in one datagram', async () => {
    await send(arpFrame(VM1_MAC));
    await until(() => received.length > 0);
    expect(received.length).toBe(1);
    const eth = parseEthernet(received[0]);
    expect(eth.ok).toBe(true);
    if (!eth.ok) return;
    expect(eth.value.header).toMatchObject({ dst: VM1_MAC, src: GATEWAY_MAC, ethertype: ETHERTYPE_ARP });
    const arp = parseArp(eth.value.payload);
    expect(arp.ok && arp.value).toMatchObject({ operation: ARP_REPLY, senderMac: GATEWAY_MAC, senderIp: GATEWAY_IP, targetMac: VM1_MAC, targetIp: GUEST_IP });
    expect(attachment?.counters).toMatchObject({ framesIn: 1, framesOut: 1, malformed: 0, dropped: 0 });
  });

  it('runts, oversized frames and group source addresses are counted as malformed and go no further', async () => {
    const multicastSource = arpFrame(VM1_MAC);
    multicastSource[6] |= 1;
    await send(new Uint8Array(5));
    await send(new Uint8Array(2000));
    await send(multicastSource);
    await until(() => (attachment?.counters.malformed ?? 0) >= 3);
    // A good frame after them still passes.
    await send(arpFrame(VM1_MAC));
    await until(() => received.length > 0);
    expect(attachment?.counters).toMatchObject({ framesIn: 1, malformed: 3, dropped: 0 });
    expect(received.length).toBe(1);
  });

  it('a datagram from anyone but the far end is dropped and counted', async () => {
    const stranger = createSocket('udp4');
    await bound(stranger);
    await send(arpFrame(VM1_MAC), stranger);
    await until(() => (attachment?.counters.dropped ?? 0) > 0);
    await new Promise<void>((r) => stranger.close(() => r()));
    expect(attachment?.counters).toMatchObject({ framesIn: 0, dropped: 1 });
    expect(received).toEqual([]);
  });

  it('a short frame enters the lab padded to 60 bytes, as a wire carries it', async () => {
    const cap = lab.capture(attachment?.link ?? '');
    const short = arpFrame(VM1_MAC).slice(0, 42);
    await send(short);
    await until(() => received.length > 0);
    const first = cap?.frame(1)?.frame ?? new Uint8Array(0);
    expect(first.length).toBe(60);
    expect([...first.subarray(0, 42)]).toEqual([...short]);
    expect([...first.subarray(42)]).toEqual(new Array(18).fill(0));
  });

  it('with something attached, the clock runs in real time: a wait of 300 ms takes 300 ms of the wall clock', async () => {
    const runner = new ScriptRunner(lab, (n) => new Shell(n.os as NonNullable<typeof n.os>));
    const steps = new RealtimeSteps(lab, clock, runner, (n) => new Shell(n.os as NonNullable<typeof n.os>));
    const v0 = lab.scheduler.now;
    const t0 = performance.now();
    await steps.run({ kind: 'wait', line: 1, text: 'wait 300ms', durationUs: 300_000 });
    const wallMs = performance.now() - t0;
    expect(wallMs).toBeGreaterThanOrEqual(295);
    expect(wallMs).toBeLessThan(1500);
    expect(lab.scheduler.now - v0).toBeGreaterThanOrEqual(300_000);
    // A command answered inside the lab still completes, at the lab's own speed.
    const ping = await steps.run({ kind: 'shell', line: 2, text: 'vm2$ ping -c 1 192.168.1.1', node: 'vm2', command: 'ping -c 1 192.168.1.1' });
    expect(ping.exit).toBe(0);
  });
});

describe('the real-time clock', () => {
  it('maps wall time onto virtual time from where the lab stood, never backwards, and runs events when they fall due', () => {
    const lab = defaultLab();
    lab.settle();
    let wall = 1000;
    const clock = new RealtimeClock(lab.scheduler, { wallMs: () => wall, leadUs: 0 });
    const v0 = lab.scheduler.now;
    clock.start();
    const seen: number[] = [];
    lab.scheduler.schedule(50_000, () => seen.push(lab.scheduler.now), undefined);
    wall += 20;
    clock.kick();
    expect(seen).toEqual([]);
    expect(lab.scheduler.now).toBe(v0 + 20_000);
    wall += 40;
    clock.inject(() => seen.push(-1), undefined);
    // The due event ran before the injected one, at its own time.
    expect(seen).toEqual([v0 + 50_000, -1]);
    expect(lab.scheduler.now).toBe(v0 + 60_000);
    wall -= 30;
    expect(clock.present()).toBe(v0 + 60_000);
    clock.stop();
  });
});
