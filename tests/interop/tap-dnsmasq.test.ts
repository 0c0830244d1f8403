// Interop: a bridged lab VM gets its lease from a real dnsmasq in a network namespace joined to the home LAN by a TAP device (the lab router's DHCP turned off).
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabDocument } from '../../core/lab/document';
import type { LeaseRow } from '../../core/lab/tables';
import { buildCli, LabProcess, Netns, namespaceSkipReason, openTempDir, removeDir, startLab } from './support/real-world';

const SKIP = namespaceSkipReason({ tap: true, commands: ['dnsmasq'] });
if (SKIP !== null) console.warn(`tap-dnsmasq: SKIPPED (a bridged VM leasing from a real dnsmasq): ${SKIP}`);

const VM2_MAC = '08:00:27:4f:7b:2c';

/** Waits for `re` in what a child wrote to stderr. */
function waitForStderr(child: ChildProcess, re: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}: ${text}`)), timeoutMs);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      text += d;
      if (re.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${text}`)));
  });
}

describe.skipIf(SKIP !== null)('a real dnsmasq on the home LAN', () => {
  let dir = '';
  let ns: Netns | null = null;
  let dnsmasq: ChildProcess | null = null;
  let lab: LabProcess | null = null;
  let dnsmasqLog = '';

  beforeAll(async () => {
    dir = openTempDir('dnsmasq');
    const cli = await buildCli(dir);
    // The default lab without its router's DHCP server: the LAN's only DHCP server is the real one.
    const doc = JSON.parse(readFileSync('resources/labs/default.json', 'utf8')) as LabDocument;
    const router = doc.machines.find((m) => m.name === 'router');
    if (router?.services) delete router.services.dhcp;
    const labFile = join(dir, 'no-router-dhcp.json');
    writeFileSync(labFile, JSON.stringify(doc, null, 2));

    ns = Netns.create('dnsmasq');
    ns.addTap('vmnl1', '192.168.1.2/24', 'nobody');
    dnsmasq = ns.spawn('dnsmasq', [
      '--no-daemon',
      '--log-facility=-',
      '--log-dhcp',
      '--port=0',
      '--no-resolv',
      '--no-hosts',
      '--no-ping',
      '--interface=vmnl1',
      '--bind-interfaces',
      '--dhcp-range=192.168.1.50,192.168.1.59,255.255.255.0,1h',
      '--dhcp-option=option:router,192.168.1.1',
      '--dhcp-option=option:dns-server,192.168.1.1',
      `--dhcp-leasefile=${join(dir, 'dnsmasq.leases')}`,
      '--user=root',
      '--group=root',
    ]);
    dnsmasq.stderr?.on('data', (d: Buffer) => (dnsmasqLog += d.toString()));
    await waitForStderr(dnsmasq, /DHCP, IP range 192\.168\.1\.50/, 20_000);
    lab = await startLab(ns, cli, labFile, ['--attach', 'lan=tap:vmnl1']);
  }, 120_000);

  afterAll(() => {
    lab?.kill();
    dnsmasq?.kill('SIGKILL');
    ns?.delete();
    removeDir(dir);
  });

  it('vm2 (bridged) gets its address from dnsmasq, and dnsmasq’s lease file has vm2', async () => {
    const l = lab as LabProcess;
    const addr = await l.step('vm2$ ip -4 addr show eth0');
    const m = /inet (192\.168\.1\.5\d)\/24/.exec(addr.output);
    expect(m, addr.output).not.toBeNull();
    const ip = (m as RegExpExecArray)[1];
    // The lab's own servers know nothing of it: the lease came from outside.
    const rows = (await l.step('show leases')).rows as LeaseRow[];
    expect(rows.find((r) => r.mac === VM2_MAC)).toBeUndefined();
    const route = await l.step('vm2$ ip route');
    expect(route.output).toMatch(/default via 192\.168\.1\.1 dev eth0/);
    const ping = await l.step('vm2$ ping -c 1 192.168.1.2');
    expect(ping.exit).toBe(0);
    expect(await l.finish()).toBe(0);

    const leases = readFileSync(join(dir, 'dnsmasq.leases'), 'utf8');
    expect(leases).toMatch(new RegExp(`^\\d+ ${VM2_MAC} ${ip.replace(/\./g, '\\.')} vm2 `, 'm'));
    expect(dnsmasqLog).toMatch(new RegExp(`DHCPACK\\(vmnl1\\) ${ip.replace(/\./g, '\\.')} ${VM2_MAC} vm2`));
  }, 60_000);
});
