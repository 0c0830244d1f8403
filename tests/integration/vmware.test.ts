// VMware Workstation's differences from VirtualBox (REFERENCE.md), through the built CLI on the bundled vmware lab and variants of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabDocument, PortForwardRule } from '../../core/lab/document';
import type { EventRow, LeaseRow, NatRow } from '../../core/lab/tables';
import { inet, LabCli, type MatrixResult, rowsOf, vmOf, vmwareVm } from '../fixtures/labs/lab-cli';

let cli: LabCli;
let plain = '';
/** The vmware lab with a second NAT VM (vm4) and web servers on vm1 and vm3. */
let busy = '';
let m: MatrixResult;

const vmnet8 = (d: LabDocument) => d.vmware!.vmnets.find((v) => v.name === 'VMnet8')!;

beforeAll(async () => {
  cli = await LabCli.build();
  plain = cli.variant('vmware', 'vmware', () => {});
  busy = cli.variant('vmware-busy', 'vmware', (d) => {
    d.vms.push(vmwareVm('vm4', '00:0c:29:aa:00:04', 'nat'));
    vmOf(d, 'vm1').guest.httpd = true;
    vmOf(d, 'vm3').guest.httpd = true;
  });
  m = cli.matrix(busy);
});

afterAll(() => cli?.close());

describe('VMnet8 (NAT)', () => {
  it('the host reaches NAT guests directly: it has an adapter on VMnet8 (.1), unlike VirtualBox NAT', () => {
    expect(m.cell('host', 'vm1')).toMatchObject({ reachable: true, address: '172.16.162.128', reason: 'same network: VMnet8 (NAT)' });
    const r = cli.run(busy, ['host$ ip -4 addr show vmnet8', 'host$ ip route get 172.16.162.128', 'host$ curl -s http://172.16.162.128/']);
    expect(inet(r.steps[0].output)).toEqual(['172.16.162.1/24']);
    expect(r.steps[1].output).toMatch(/^172\.16\.162\.128 dev vmnet8 src 172\.16\.162\.1/);
    expect(r.steps[2]).toMatchObject({ exit: 0, output: '<h1>Welcome to vm1</h1>\n' });
  });

  it('NAT guests reach each other: one NAT network for all (172.16.162.128 and .129)', () => {
    expect(m.cell('vm1', 'vm4')).toMatchObject({ reachable: true, address: '172.16.162.129', reason: 'same network: VMnet8 (NAT)' });
    expect(m.cell('vm4', 'vm1')).toMatchObject({ reachable: true, address: '172.16.162.128', reason: 'same network: VMnet8 (NAT)' });
    const r = cli.run(busy, ['vm4$ curl -s http://172.16.162.128/']);
    expect(r.steps[0]).toMatchObject({ exit: 0, output: '<h1>Welcome to vm1</h1>\n' });
  });

  it('NAT guests reach the LAN and the Internet through the NAT device at .2 (gateway and DNS)', () => {
    expect(m.cell('vm1', 'web')).toMatchObject({ reachable: true, address: '93.184.216.34', reason: 'through the NAT of VMnet8 (NAT)' });
    expect(m.cell('vm1', 'pc')).toMatchObject({ reachable: true, reason: 'through the NAT of VMnet8 (NAT)' });
    const r = cli.run(plain, ['vm1$ ip route', 'vm1$ cat /etc/resolv.conf', 'vm1$ curl -s -o /dev/null -w "%{http_code}" http://www.example.com/']);
    expect(r.steps[0].output).toMatch(/^default via 172\.16\.162\.2 dev eth0/);
    expect(r.steps[1].output).toContain('nameserver 172.16.162.2\n');
    expect(r.steps[2]).toMatchObject({ exit: 0, output: '200' });
  });

  it('other LAN machines cannot reach NAT guests without port forwarding', () => {
    expect(m.cell('pc', 'vm1')).toMatchObject({ reachable: false, address: '172.16.162.128', reason: 'no route: vm1 is behind VMnet8 (NAT); only the host reaches it, others need port forwarding' });
    const r = cli.run(busy, ['pc$ curl -sS -m 5 http://192.168.1.101:8080/']);
    expect(r.steps[0].exit).toBe(7);
    expect(r.steps[0].output).toContain('Failed to connect to 192.168.1.101 port 8080');
  });
});

describe('NAT port forwarding (Virtual Network Editor → NAT Settings): for another LAN machine', () => {
  const rule: PortForwardRule = { name: 'web', proto: 'tcp', hostIp: '', hostPort: 8080, guestIp: '172.16.162.128', guestPort: 80 };

  it('the pc reaches vm1\'s web server at the host\'s address, port 8080; the NAT device\'s table shows the mapping', () => {
    const file = cli.variant('vmware-pf', 'vmware', (d) => {
      vmOf(d, 'vm1').guest.httpd = true;
      vmnet8(d).nat!.portForwarding = [rule];
    });
    const r = cli.run(file, ['pc$ ip -4 addr show eth0', 'pc$ curl -s http://192.168.1.101:8080/', 'show nat VMnet8', 'pc$ curl -sS -m 5 http://192.168.1.101:8081/']);
    const pc = inet(r.steps[0].output)[0].split('/')[0];
    expect(r.steps[1]).toMatchObject({ exit: 0, output: '<h1>Welcome to vm1</h1>\n' });
    expect(rowsOf<NatRow>(r.steps[2])).toEqual([expect.objectContaining({ engine: 'VMnet8 NAT', proto: 'tcp', insideIp: '172.16.162.128', insidePort: 80, outsideIp: '192.168.1.101', outsidePort: 8080, remoteIp: pc })]);
    // Only the forwarded port is open.
    expect(r.steps[3].exit).toBe(7);
  });
});

describe('VMnet1 (Host-only)', () => {
  it('guests reach the host at .1', () => {
    expect(m.cell('vm3', 'host')).toMatchObject({ reachable: true, address: '192.168.165.1', reason: 'same network: VMnet1 (Host-only)' });
    expect(m.cell('host', 'vm3')).toMatchObject({ reachable: true, address: '192.168.165.128', reason: 'same network: VMnet1 (Host-only)' });
    const r = cli.run(busy, ['host$ curl -s http://192.168.165.128/']);
    expect(r.steps[0]).toMatchObject({ exit: 0, output: '<h1>Welcome to vm3</h1>\n' });
  });

  it('but not the LAN or the Internet, and the LAN cannot reach them', () => {
    for (const to of ['router', 'pc', 'dns', 'web']) expect(m.cell('vm3', to)).toMatchObject({ reachable: false, reason: 'vm3 is on VMnet1 (Host-only), which has no way out' });
    expect(m.cell('pc', 'vm3')).toMatchObject({ reachable: false, reason: 'vm3 is on VMnet1 (Host-only), which only the host and its VMs can reach' });
    const r = cli.run(busy, ['vm3$ ping -c 1 192.168.1.1']);
    expect(r.steps[0].exit).not.toBe(0);
  });
});

describe('VMnet0 (Bridged)', () => {
  it('a bridged guest is on the home LAN, leased by the home router', () => {
    expect(m.cell('pc', 'vm2')).toMatchObject({ reachable: true, reason: 'same network: lan' });
    const r = cli.run(plain, ['show leases router']);
    expect(rowsOf<LeaseRow>(r.steps[0]).find((l) => l.hostname === 'vm2')).toMatchObject({ mac: '00:0c:29:81:c4:0d', state: 'bound', expiresInS: expect.any(Number) });
  });
});

describe('VMware DHCP: .128–.254, 30-minute leases', () => {
  it('the first guests get .128 and .129 on VMnet8 and .128 on VMnet1, leased for 1800 s from the server at .254', () => {
    const r = cli.run(busy, ['show leases', 'vm1$ ip -4 addr show eth0', 'show events dhcp-bound']);
    const vmnets = rowsOf<LeaseRow>(r.steps[0]).filter((l) => l.server.startsWith('VMnet'));
    expect(vmnets.map((l) => [l.server, l.ip, l.hostname, l.state])).toEqual([
      ['VMnet1 DHCP', '192.168.165.128', 'vm3', 'bound'],
      ['VMnet8 DHCP', '172.16.162.128', 'vm1', 'bound'],
      ['VMnet8 DHCP', '172.16.162.129', 'vm4', 'bound'],
    ]);
    for (const l of vmnets) {
      expect(l.expiresInS).toBeGreaterThan(1790);
      expect(l.expiresInS).toBeLessThanOrEqual(1800);
    }
    expect(r.steps[1].output).toMatch(/valid_lft 179\dsec/);
    const vm1 = rowsOf<EventRow>(r.steps[2]).filter((e) => e.node === 'vm1');
    expect(vm1.map((e) => e.message)).toEqual(['bound to 172.16.162.128/24 from 172.16.162.254 -- renewal in 898 seconds']);
  });

  it('the guest renews at T1 (15 minutes): the lease runs 30 minutes again from the renewal', () => {
    const r = cli.run(plain, ['wait 14m', 'show leases', 'wait 2m', 'show leases', 'show events vm1']);
    const vm1 = (i: number): number => rowsOf<LeaseRow>(r.steps[i]).find((l) => l.server === 'VMnet8 DHCP' && l.hostname === 'vm1')?.expiresInS ?? 0;
    const before = vm1(1);
    const after = vm1(3);
    // At 14 min the lease has about 16 min left; two minutes later, renewed at 15 min, about 29 min.
    expect(before).toBeGreaterThan(950);
    expect(before).toBeLessThan(960);
    expect(after).toBeGreaterThan(1735);
    expect(after).toBeLessThan(1745);
    expect(rowsOf<EventRow>(r.steps[4]).filter((e) => e.kind === 'dhcp-bound').map((e) => e.message)).toEqual([
      'bound to 172.16.162.128/24 from 172.16.162.254 -- renewal in 898 seconds',
      'renewed 172.16.162.128/24 from 172.16.162.254 -- renewal in 900 seconds',
    ]);
  });
});
