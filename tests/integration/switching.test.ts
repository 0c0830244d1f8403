// Switching a running VM between modes and letting leases run on the virtual clock, through the built CLI: what each guest does about its address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow, LeaseRow } from '../../core/lab/tables';
import { bundled, inet, LabCli, rowsOf, vmOf } from '../fixtures/labs/lab-cli';

let cli: LabCli;
let defaultLab = '';
let nmLab = '';

const VM1_MAC = '08:00:27:c3:a1:e1';
const LAN = /^192\.168\.1\.1\d\d\/24$/;

beforeAll(async () => {
  cli = await LabCli.build();
  defaultLab = cli.write('default', bundled('default'));
  nmLab = cli.variant('nm', 'default', (d) => (vmOf(d, 'vm1').guest.service = 'NetworkManager'));
});

afterAll(() => cli?.close());

const events = (rows: EventRow[], kind: string): string[] => rows.filter((e) => e.kind === kind).map((e) => e.message);

describe('vm1 from NAT to Bridged and back, network-scripts guest (CentOS 7 without NetworkManager)', () => {
  it('keeps 10.0.2.15 on the LAN, even minutes later, until systemctl restart network; then the home router leases it a LAN address', () => {
    const r = cli.run(defaultLab, [
      'set vm1 nic1 bridged eth0',
      'vm1$ ip -4 addr show eth0',
      'vm1$ ip route',
      'vm1$ ping -c 1 192.168.1.1',
      'wait 5m',
      'vm1$ ip -4 addr show eth0',
      'vm1$ systemctl restart network',
      'vm1$ ip -4 addr show eth0',
      'vm1$ ip route',
      'show leases router',
      'show events vm1',
    ]);
    expect(r.steps[0].exit).toBe(0);
    expect(inet(r.steps[1].output)).toEqual(['10.0.2.15/24']);
    expect(r.steps[2].output).toBe('default via 10.0.2.2 dev eth0\n10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15\n');
    expect(r.steps[3].exit).toBe(1);
    expect(r.steps[3].output).toContain('From 10.0.2.15 icmp_seq=1 Destination Host Unreachable');
    expect(inet(r.steps[5].output)).toEqual(['10.0.2.15/24']);
    expect(r.steps[6]).toMatchObject({ exit: 0, output: '' });
    const [lan] = inet(r.steps[7].output);
    expect(lan).toMatch(LAN);
    const ip = lan.split('/')[0];
    expect(r.steps[8].output).toMatch(/^default via 192\.168\.1\.1 dev eth0/);
    expect(rowsOf<LeaseRow>(r.steps[9]).find((l) => l.mac === VM1_MAC)).toMatchObject({ ip, hostname: 'vm1', state: 'bound' });
    const ev = rowsOf<EventRow>(r.steps[10]);
    expect(events(ev, 'attachment-changed')).toEqual(['adapter 1 attached to NAT', 'adapter 1 attached to Bridged Adapter (eth0)']);
    expect(events(ev, 'service')).toEqual([
      'eth0: link is back; network-scripts do not ask DHCP again, so 10.0.2.15/24 stays until the interface is restarted (ifdown eth0; ifup eth0, or systemctl restart network) or the lease is due for renewal',
    ]);
    // No DHCP traffic of its own between the switch and the restart.
    expect(events(ev, 'dhcp-nak')).toEqual([]);
  });

  it('once restarted on the LAN, the pc reaches it; switched back to NAT it keeps the LAN address until restarted again', () => {
    const r = cli.run(defaultLab, [
      'set vm1 nic1 bridged eth0',
      'vm1$ systemctl restart network',
      'vm1$ ip -4 addr show eth0',
      'set vm1 nic1 nat',
      'vm1$ ip -4 addr show eth0',
      'vm1$ ping -c 1 93.184.216.34',
      'vm1$ ifdown eth0',
      'vm1$ ifup eth0',
      'vm1$ ip -4 addr show eth0',
      'vm1$ ping -c 1 93.184.216.34',
    ]);
    const lan = inet(r.steps[2].output);
    expect(lan[0]).toMatch(LAN);
    const ping = cli.run(defaultLab, ['set vm1 nic1 bridged eth0', 'vm1$ systemctl restart network', `pc$ ping -c 1 ${lan[0].split('/')[0]}`]);
    expect(ping.steps[2].exit).toBe(0);
    expect(inet(r.steps[4].output)).toEqual(lan);
    expect(r.steps[5].exit).toBe(1);
    expect(r.steps[6].exit).toBe(0);
    expect(r.steps[7]).toMatchObject({ exit: 0, output: '\nDetermining IP information for eth0... done.\n' });
    expect(inet(r.steps[8].output)).toEqual(['10.0.2.15/24']);
    expect(r.steps[9].exit).toBe(0);
  });

  it('VBoxManage controlvm vm1 nic1 bridged eth0 on the host does the same as the settings dialog', () => {
    const r = cli.run(defaultLab, ['host$ VBoxManage controlvm vm1 nic1 bridged eth0', 'host$ VBoxManage showvminfo vm1 --machinereadable', 'vm1$ ip -4 addr show eth0', 'show events attachment-changed']);
    expect(r.steps[0]).toMatchObject({ exit: 0 });
    expect(r.steps[1].output).toContain('nic1="bridged"\n');
    expect(r.steps[1].output).toContain('bridgeadapter1="eth0"\n');
    expect(inet(r.steps[2].output)).toEqual(['10.0.2.15/24']);
    expect(rowsOf<EventRow>(r.steps[3]).filter((e) => e.node === 'vm1').map((e) => e.message)).toEqual(['adapter 1 attached to NAT', 'adapter 1 attached to Bridged Adapter (eth0)']);
  });
});

describe('vm1 from NAT to Bridged and back, NetworkManager guest', () => {
  it('asks DHCP again when the link returns: NAKed for 10.0.2.15, it leases 192.168.1.x by itself, and 10.0.2.15 again back on NAT', () => {
    const r = cli.run(nmLab, [
      'set vm1 nic1 bridged eth0',
      'wait 10s',
      'vm1$ ip -4 addr show eth0',
      'vm1$ ip route',
      'vm1$ ping -c 1 192.168.1.1',
      'set vm1 nic1 nat',
      'wait 10s',
      'vm1$ ip -4 addr show eth0',
      'vm1$ ping -c 1 93.184.216.34',
      'show events vm1',
    ]);
    const [lan] = inet(r.steps[2].output);
    expect(lan).toMatch(LAN);
    expect(r.steps[3].output).toMatch(/^default via 192\.168\.1\.1 dev eth0 proto dhcp metric 100/);
    expect(r.steps[4].exit).toBe(0);
    expect(inet(r.steps[7].output)).toEqual(['10.0.2.15/24']);
    expect(r.steps[8].exit).toBe(0);
    const ev = rowsOf<EventRow>(r.steps[9]);
    expect(events(ev, 'dhcp-nak')).toEqual([
      'DHCPNAK from 192.168.1.1 for 10.0.2.15 (wrong network); restarting from INIT',
      `DHCPNAK from 10.0.2.2 for ${lan.split('/')[0]} (wrong network); restarting from INIT`,
    ]);
    expect(events(ev, 'service')).toEqual([]);
  });
});

describe('leases over time', () => {
  it('a host-only guest renews at T1 (half its 600 s lease): show leases counts down, then starts again from the renewal', () => {
    const r = cli.run(defaultLab, ['wait 4m', 'show leases HostInterfaceNetworking-vboxnet0', 'wait 2m', 'show leases HostInterfaceNetworking-vboxnet0', 'show events dhcp-bound']);
    const left = (i: number): number => rowsOf<LeaseRow>(r.steps[i])[0].expiresInS ?? 0;
    // Bound at 2 s: 358 s left at 242 s. Renewed at 302 s: 540 s left at 362 s.
    expect(left(1)).toBeGreaterThan(350);
    expect(left(1)).toBeLessThan(360);
    expect(left(3)).toBeGreaterThan(530);
    expect(left(3)).toBeLessThan(545);
    expect(rowsOf<EventRow>(r.steps[4]).filter((e) => e.node === 'vm3').map((e) => e.message)).toEqual([
      'bound to 192.168.56.101/24 from 192.168.56.100 -- renewal in 298 seconds',
      'renewed 192.168.56.101/24 from 192.168.56.100 -- renewal in 300 seconds',
    ]);
  });

  it('when its DHCP server is removed, the guest keeps the address until the lease runs out, then loses it', () => {
    const r = cli.run(defaultLab, [
      'wait 6m',
      'host$ VBoxManage dhcpserver remove --netname HostInterfaceNetworking-vboxnet0',
      'show leases HostInterfaceNetworking-vboxnet0',
      'wait 8m',
      'vm3$ ip -4 addr show eth0',
      'vm3$ ping -c 1 192.168.56.1',
      'wait 2m',
      'vm3$ ip -4 addr show eth0',
      'vm3$ ping -c 1 192.168.56.1',
      'show events vm3',
    ]);
    expect(r.steps[1]).toMatchObject({ exit: 0, output: '' });
    expect(r.steps[2].output).toBe('no leases\n');
    // Renewed at 302 s, the lease ends at 902 s; at 842 s the guest still has it and the host answers.
    expect(inet(r.steps[4].output)).toEqual(['192.168.56.101/24']);
    expect(r.steps[5].exit).toBe(0);
    expect(r.steps[7].output).toBe('');
    expect(r.steps[8]).toMatchObject({ exit: 2, output: 'connect: Network is unreachable\n' });
    const ev = rowsOf<EventRow>(r.steps[9]);
    expect(events(ev, 'dhcp-expired')).toEqual(['lease of 192.168.56.101 from 192.168.56.100 expired; address removed']);
    // Removing a DHCP server does not touch the network's cables: the guest saw no link change.
    expect(events(ev, 'link-down')).toEqual([]);
  });

  it('VMware: a guest moved to a LAN segment (no DHCP) keeps its VMnet8 address for the rest of its 30-minute lease', () => {
    const file = cli.variant('vmware-seg', 'vmware', (d) => (d.vmware!.lanSegments = ['seg1']));
    const r = cli.run(file, ['set vm1 nic1 lansegment seg1', 'vm1$ ip -4 addr show eth0', 'wait 29m', 'vm1$ ip -4 addr show eth0', 'wait 2m', 'vm1$ ip -4 addr show eth0', 'show events vm1']);
    expect(r.steps[0].exit).toBe(0);
    expect(inet(r.steps[1].output)).toEqual(['172.16.162.128/24']);
    expect(r.steps[1].output).toMatch(/valid_lft 179\dsec/);
    expect(inet(r.steps[3].output)).toEqual(['172.16.162.128/24']);
    expect(r.steps[3].output).toMatch(/valid_lft [5-6]\dsec/);
    expect(r.steps[5].output).toBe('');
    const ev = rowsOf<EventRow>(r.steps[6]);
    expect(events(ev, 'attachment-changed')).toEqual(['adapter 1 attached to NAT (VMnet8)', 'adapter 1 attached to LAN segment (seg1)']);
    // The lease was granted when the guest asked, at the start: it runs out 1800 s later.
    const expired = ev.find((e) => e.kind === 'dhcp-expired');
    expect(expired?.message).toBe('lease of 172.16.162.128 from 172.16.162.254 expired; address removed');
    expect(expired?.time).toBeCloseTo(1800, 1);
  });
});
