// Interop: a Linux network namespace joins the default lab's home LAN through a TAP device: kernel ping both ways, busybox udhcpc leasing from the lab's router, the same frames in both captures.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeaseRow } from '../../core/lab/tables';
import { readPcap } from '../../core/wire/pcap';
import { buildCli, LabProcess, Netns, namespaceSkipReason, openTempDir, removeDir, startLab } from './support/real-world';

const SKIP = namespaceSkipReason({ tap: true, commands: ['dumpcap', 'udhcpc', 'arp', 'ping', 'setpriv', 'python3'] });
if (SKIP !== null) console.warn(`tap-lan: SKIPPED (kernel ping to and from vm2, udhcpc lease from the lab's router, captures on both sides, malformed frames, device checks): ${SKIP}`);

const LAB = 'resources/labs/default.json';
const NS_ADDR = '192.168.1.50';
const VM2_MAC = '08:00:27:4f:7b:2c';
/** The CLI runs as nobody: the persistent TAP device is what lets an unprivileged user in. */
const NOBODY = '65534:65534';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A frame as a wire carries it: padded with zeros to 60 bytes (the kernel hands a TAP its frames unpadded). */
function padded(frame: Uint8Array): string {
  if (frame.length >= 60) return hex(frame);
  const f = new Uint8Array(60);
  f.set(frame);
  return hex(f);
}

function macOf(frame: Uint8Array, offset: number): string {
  return [...frame.subarray(offset, offset + 6)].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

async function startCapture(ns: Netns, ifname: string, file: string): Promise<ChildProcess> {
  const child = ns.spawn('dumpcap', ['-q', '-P', '-i', ifname, '-w', file]);
  const deadline = Date.now() + 20_000;
  // dumpcap writes the pcap global header once it captures.
  while (!(existsSync(file) && statSync(file).size >= 24)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`dumpcap did not start on ${ifname}`);
    await sleep(100);
  }
  return child;
}

async function stopCapture(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGINT');
  await exited;
}

describe.skipIf(SKIP !== null)('a network namespace on the home LAN through a TAP device', () => {
  let dir = '';
  let ns: Netns | null = null;
  let lab: LabProcess | null = null;
  let capture: ChildProcess | null = null;
  let tapMac = '';

  beforeAll(async () => {
    dir = openTempDir('tap-lan');
    const cli = await buildCli(dir);
    ns = Netns.create('lan');
    tapMac = ns.addTap('vmnl0', `${NS_ADDR}/24`, 'nobody');
    capture = await startCapture(ns, 'vmnl0', join(dir, 'namespace.pcap'));
    lab = await startLab(ns, cli, LAB, ['--attach', 'lan=tap:vmnl0', '--pcap', join(dir, 'lab')], NOBODY);
  }, 120_000);

  afterAll(() => {
    lab?.kill();
    capture?.kill('SIGKILL');
    ns?.delete();
    removeDir(dir);
  });

  it("the kernel's ping reaches vm2, vm2 pings the namespace, and arp -n shows vm2's MAC", async () => {
    const l = lab as LabProcess;
    const n = ns as Netns;
    expect(l.stderr).toMatch(/attached lan to tap:vmnl0 \(link tap-vmnl0\.lan\)/);
    const leases = (await l.step('show leases')).rows as LeaseRow[];
    const vm2 = leases.find((r) => r.hostname === 'vm2');
    expect(vm2?.mac).toBe(VM2_MAC);
    const vm2Ip = vm2?.ip as string;

    const ping = n.try('ping', ['-c', '2', '-W', '3', vm2Ip]);
    expect(ping.stdout).toMatch(/2 packets transmitted, 2 received/);
    expect(ping.status).toBe(0);

    const back = await l.step(`vm2$ ping -c 1 ${NS_ADDR}`);
    expect(back.output).toMatch(/1 packets transmitted, 1 received/);
    expect(back.exit).toBe(0);

    const arp = n.run('arp', ['-n']);
    expect(arp).toMatch(new RegExp(`^${vm2Ip.replace(/\./g, '\\.')}\\s+ether\\s+${VM2_MAC}`, 'm'));
    const vm2Arp = await l.step('vm2$ arp -n');
    expect(vm2Arp.output).toContain(tapMac);
  }, 60_000);

  it("busybox udhcpc in the namespace gets a lease from the lab's router, and show leases lists it", async () => {
    const l = lab as LabProcess;
    const n = ns as Netns;
    // The script only reports the lease, so the namespace keeps its address for the other tests.
    const script = join(dir, 'udhcpc.sh');
    writeFileSync(script, '#!/bin/sh\n[ "$1" = bound ] && echo "LEASE ip=$ip subnet=$subnet router=$router serverid=$serverid dns=$dns"\nexit 0\n');
    chmodSync(script, 0o755);
    const out = n.run('udhcpc', ['-i', 'vmnl0', '-f', '-q', '-n', '-t', '5', '-T', '2', '-s', script]);
    const m = /LEASE ip=(\S+) subnet=(\S+) router=(\S+) serverid=(\S+) dns=(\S+)/.exec(out);
    expect(m, out).not.toBeNull();
    const [, ip, subnet, router, serverid, dns] = m as RegExpExecArray;
    expect(ip).toMatch(/^192\.168\.1\.1\d\d$/);
    expect([subnet, router, serverid, dns]).toEqual(['255.255.255.0', '192.168.1.1', '192.168.1.1', '192.168.1.1']);

    const rows = (await l.step('show leases')).rows as LeaseRow[];
    const row = rows.find((r) => r.mac === tapMac);
    expect(row).toMatchObject({ server: 'router', ip, state: 'bound' });
  }, 60_000);

  it('captures on both sides (dumpcap in the namespace, the lab’s --pcap) hold the same frames', async () => {
    const l = lab as LabProcess;
    expect(await l.finish()).toBe(0);
    const counters = /tap:vmnl0 on lan: (\d+) frames in \([^)]*\), (\d+) out \([^)]*\), (\d+) malformed, (\d+) dropped/.exec(l.stderr);
    expect(counters, l.stderr).not.toBeNull();
    await sleep(300);
    await stopCapture(capture as ChildProcess);

    const inNs = readPcap(new Uint8Array(readFileSync(join(dir, 'namespace.pcap'))));
    const inLab = readPcap(new Uint8Array(readFileSync(join(dir, 'lab', 'tap-vmnl0.lan.pcap'))));
    expect(inNs).not.toBeNull();
    expect(inLab).not.toBeNull();
    const fromKernel = (frames: Uint8Array[]): Uint8Array[] => frames.filter((f) => macOf(f, 6) === tapMac);
    const toKernel = (frames: Uint8Array[]): Uint8Array[] => frames.filter((f) => macOf(f, 6) !== tapMac);
    const ns0 = inNs?.records.map((r) => r.frame) ?? [];
    const lab0 = inLab?.records.map((r) => r.frame) ?? [];

    // The kernel's frames (ARP, ICMP, DHCP from udhcpc) enter the lab padded to the Ethernet minimum.
    expect(fromKernel(lab0).map(hex)).toEqual(fromKernel(ns0).map(padded));
    // The lab's frames reach the kernel byte for byte.
    expect(toKernel(ns0).map(hex)).toEqual(toKernel(lab0).map(hex));
    const [, framesIn, framesOut, malformed, dropped] = (counters as RegExpExecArray).map(Number);
    expect([framesIn, framesOut, malformed, dropped]).toEqual([fromKernel(lab0).length, toKernel(lab0).length, 0, 0]);
    // Both directions carried something: ARP, ping and DHCP at least.
    expect(framesIn).toBeGreaterThanOrEqual(6);
    expect(framesOut).toBeGreaterThanOrEqual(6);
  }, 60_000);
});

describe.skipIf(SKIP !== null)('TAP devices the lab refuses, and frames it will not carry', () => {
  let dir = '';
  let cli = '';
  let ns: Netns | null = null;

  beforeAll(async () => {
    dir = openTempDir('tap-checks');
    cli = await buildCli(dir);
    ns = Netns.create('tapchk');
  }, 60_000);

  afterAll(() => {
    ns?.delete();
    removeDir(dir);
  });

  it("a missing device or one that is not the user's is reported with the command that makes it", () => {
    const n = ns as Netns;
    n.addTap('vmnlx', null, 'nobody');
    const asUser = (ifname: string): { status: number | null; stderr: string } =>
      n.try('setpriv', ['--reuid=1000', '--regid=1000', '--clear-groups', process.execPath, cli, 'run', LAB, '--attach', `lan=tap:${ifname}`]);
    const missing = asUser('vmnlnone');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('there is no network device vmnlnone');
    expect(missing.stderr).toContain('sudo ip tuntap add dev vmnlnone mode tap user $USER && sudo ip link set vmnlnone up');
    const foreign = asUser('vmnlx');
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toContain('vmnlx belongs to uid 65534, not to you (uid 1000)');
    expect(foreign.stderr).toContain('sudo ip tuntap del dev vmnlx mode tap && sudo ip tuntap add dev vmnlx mode tap user $USER');
  }, 60_000);

  it('frames from the kernel that are not Ethernet on a 1500-byte MTU are counted as malformed and dropped', async () => {
    const n = ns as Netns;
    const mac = n.addTap('vmnly', '192.168.1.60/24', 'nobody');
    // The kernel would send jumbo frames if the MTU let it.
    n.run('ip', ['link', 'set', 'vmnly', 'mtu', '9000']);
    const lab = await startLab(n, cli, LAB, ['--attach', 'lan=tap:vmnly', '--pcap', join(dir, 'lab')], NOBODY);
    try {
      const src = mac.split(':').map((b) => `\\x${b}`).join('');
      const py = [
        'import socket',
        "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(('vmnly', 0))",
        `src = b'${src}'`,
        "bcast = b'\\xff' * 6",
        // Oversize: a 2000-byte frame (an MTU above 1500).
        "s.send(bcast + src + b'\\x08\\x00' + bytes(1986))",
        // A group (multicast) source address.
        "s.send(bcast + b'\\x01\\x00\\x5e\\x00\\x00\\x01' + b'\\x08\\x06' + bytes(46))",
        // A good ARP request for the router, so the lab answers something.
        "s.send(bcast + src + b'\\x08\\x06' + bytes.fromhex('0001080006040001') + src + bytes([192,168,1,60]) + bytes(6) + bytes([192,168,1,1]))",
      ].join('\n');
      n.run('python3', ['-c', py]);
      await lab.step('wait 1s');
      expect(await lab.finish()).toBe(0);
      expect(lab.stderr).toMatch(/tap:vmnly on lan: 1 frames in \(60 B\), \d+ out \([^)]*\), 2 malformed, 0 dropped/);
      // The good frame got its answer: the router's ARP reply went out to the kernel.
      const frames = readPcap(new Uint8Array(readFileSync(join(dir, 'lab', 'tap-vmnly.lan.pcap'))))?.records.map((r) => r.frame) ?? [];
      expect(frames.some((f) => macOf(f, 0) === mac && f[12] === 0x08 && f[13] === 0x06 && f[21] === 2)).toBe(true);
    } finally {
      lab.kill();
    }
  }, 90_000);
});
