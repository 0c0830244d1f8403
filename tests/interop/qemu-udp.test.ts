// Interop: a real Linux guest under QEMU takes vm1's place behind VirtualBox NAT through a UDP tunnel (-netdev dgram): it leases 10.0.2.15 and pings through the NAT.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeaseRow, NatRow } from '../../core/lab/tables';
import { findKernel, guestSkipReason, makeInitramfs } from './support/guest';
import { buildCli, LabProcess, Netns, namespaceSkipReason, openTempDir, removeDir, startLab } from './support/real-world';

const SKIP = namespaceSkipReason() ?? guestSkipReason();
if (SKIP !== null) console.warn(`qemu-udp: SKIPPED (a QEMU guest in vm1's place behind VirtualBox NAT): ${SKIP}`);

const VM1_MAC = '08:00:27:c3:a1:e1';
const LAB_PORT = 40001;
const QEMU_PORT = 40002;
/** QEMU under TCG on two shared cores: the boot itself takes about ten seconds, but give it room. */
const BOOT_LIMIT_MS = 150_000;

describe.skipIf(SKIP !== null)('a QEMU guest through a UDP tunnel', () => {
  let dir = '';
  let ns: Netns | null = null;
  let lab: LabProcess | null = null;

  beforeAll(async () => {
    dir = openTempDir('qemu');
    const cli = await buildCli(dir);
    ns = Netns.create('qemu');
    lab = await startLab(ns, cli, 'resources/labs/default.json', ['--attach', `vm1.nic1=udp:${LAB_PORT}:127.0.0.1:${QEMU_PORT}`, '--pcap', join(dir, 'lab')]);
  }, 120_000);

  afterAll(() => {
    lab?.kill();
    ns?.delete();
    removeDir(dir);
  });

  it("gets 10.0.2.15 from vm1's NAT, pings 10.0.2.2 and 114.114.114.114, and the NAT table shows it", async () => {
    const l = lab as LabProcess;
    const kernel = findKernel();
    if (typeof kernel === 'string') throw new Error(kernel);
    const initrd = join(dir, 'initramfs.cpio');
    writeFileSync(initrd, makeInitramfs(kernel));
    const qemu = spawn(
      'ip',
      [
        'netns', 'exec', (ns as Netns).name,
        'qemu-system-x86_64',
        // TCG: nested KVM is not something to count on.
        '-accel', 'tcg',
        '-m', '256',
        '-nographic',
        '-no-reboot',
        '-kernel', kernel.vmlinuz,
        '-initrd', initrd,
        '-append', 'console=ttyS0 panic=-1 quiet',
        '-netdev', `dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=${QEMU_PORT},remote.type=inet,remote.host=127.0.0.1,remote.port=${LAB_PORT}`,
        // VirtualBox's default adapter is an Intel 82540EM: QEMU's e1000.
        '-device', `e1000,netdev=n0,mac=${VM1_MAC}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let serial = '';
    qemu.stdout.on('data', (d: Buffer) => (serial += d.toString()));
    qemu.stderr.on('data', (d: Buffer) => (serial += d.toString()));
    const timer = setTimeout(() => qemu.kill('SIGKILL'), BOOT_LIMIT_MS);
    const code = await new Promise<number | null>((r) => qemu.on('exit', r));
    clearTimeout(timer);
    expect(serial, 'the guest ran its /init to the end').toContain('VMNETLAB-DONE');
    expect(code).toBe(0);

    expect(serial).toContain(`VMNETLAB-MAC ${VM1_MAC}`);
    expect(serial).toMatch(/VMNETLAB-LEASE ip=10\.0\.2\.15 subnet=255\.255\.255\.0 router=10\.0\.2\.2 dns=10\.0\.2\.3/);
    expect(serial).toContain('VMNETLAB-PING 10.0.2.2 OK');
    expect(serial).toContain('VMNETLAB-PING 114.114.114.114 OK');

    const nat = (await l.step('show nat')).rows as NatRow[];
    expect(nat.find((r) => r.insideIp === '10.0.2.15' && r.remoteIp === '114.114.114.114' && /icmp/i.test(r.proto)), JSON.stringify(nat)).toBeDefined();
    const leases = (await l.step('show leases')).rows as LeaseRow[];
    expect(leases.find((r) => r.mac === VM1_MAC)).toMatchObject({ ip: '10.0.2.15', state: 'bound' });
    expect(await l.finish()).toBe(0);
    expect(l.stderr).toMatch(/udp:40001→127\.0\.0\.1:40002 on vm1\.nic1: [1-9]\d* frames in \([^)]*\), [1-9]\d* out \([^)]*\), 0 malformed, 0 dropped/);
  }, BOOT_LIMIT_MS + 30_000);
});
