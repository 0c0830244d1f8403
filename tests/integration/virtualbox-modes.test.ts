// The VirtualBox manual's table of networking modes (REFERENCE.md), cell by cell, through the built CLI: two VMs per mode in the default lab's home.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabDocument, PortForwardRule, VirtualBoxAttachment } from '../../core/lab/document';
import type { LeaseRow } from '../../core/lab/tables';
import { bundled, inet, LabCli, type MatrixResult, nic1, rowsOf, staticIfcfg, vboxVm } from '../fixtures/labs/lab-cli';

type Mode = 'none' | 'hostonly' | 'intnet' | 'bridged' | 'nat' | 'natnetwork';
const MODES: readonly Mode[] = ['none', 'hostonly', 'intnet', 'bridged', 'nat', 'natnetwork'];

const NETWORK: Record<Mode, string | undefined> = { none: undefined, hostonly: 'vboxnet0', intnet: 'intnet', bridged: 'eth0', nat: undefined, natnetwork: 'NatNetwork' };

const web = (hostPort: number, guestIp = ''): PortForwardRule => ({ name: `web${hostPort}`, proto: 'tcp', hostIp: '', hostPort, guestIp, guestPort: 80 });

/**
 * The default lab (host, home router, pc on the LAN; dns and web on the Internet) with its three VMs replaced by two,
 * vma and vmb, both attached in `mode` and both running a web server. An internal network has no DHCP server, so
 * its guests get static addresses; a NAT Network is created for that mode.
 */
function modeLab(mode: Mode, change?: (d: LabDocument) => void): LabDocument {
  const d = bundled('default');
  const guest = (ip: string) => (mode === 'intnet' ? { httpd: true, ifcfg: { eth0: staticIfcfg(ip) } } : { httpd: true });
  d.vms = [vboxVm('vma', '080027AA0A01', mode as VirtualBoxAttachment, NETWORK[mode], guest('10.10.10.11')), vboxVm('vmb', '080027AA0A02', mode as VirtualBoxAttachment, NETWORK[mode], guest('10.10.10.12'))];
  if (mode === 'natnetwork') d.virtualbox!.natNetworks = [{ name: 'NatNetwork', network: '10.0.2.0/24', enabled: true, dhcp: true, portForwarding: [] }];
  change?.(d);
  return d;
}

let cli: LabCli;
const lab = {} as Record<Mode, string>;
const matrix = {} as Record<Mode, MatrixResult>;
/** The host's address on the LAN, where port-forwarding rules with an empty host IP listen. */
let hostLan = '';

beforeAll(async () => {
  cli = await LabCli.build();
  for (const mode of MODES) {
    lab[mode] = cli.write(`mode-${mode}`, modeLab(mode));
    matrix[mode] = cli.matrix(lab[mode]);
  }
  hostLan = matrix.bridged.cell('pc', 'host').address ?? '';
});

afterAll(() => cli?.close());

/** Both directions of a cell pair. */
function both(m: MatrixResult, a: string, b: string) {
  return [m.cell(a, b), m.cell(b, a)];
}

describe('Not attached: a card with no cable, nothing passes', () => {
  it('VM → Host: –', () => {
    expect(matrix.none.cell('vma', 'host')).toMatchObject({ reachable: false, reason: 'vma is not attached to any network' });
    const r = cli.run(lab.none, ['vma$ ip link show eth0', 'vma$ ping -c 1 192.168.1.1']);
    expect(r.steps[0].output).toMatch(/^2: eth0: <NO-CARRIER,BROADCAST,MULTICAST,UP> .* state DOWN /);
    expect(r.steps[1]).toMatchObject({ exit: 2, output: 'connect: Network is unreachable\n' });
  });

  it('Host → VM: –', () => {
    expect(matrix.none.cell('host', 'vma')).toMatchObject({ reachable: false, address: null, reason: 'vma is not attached to any network' });
  });

  it('VM ↔ VM: –', () => {
    for (const c of both(matrix.none, 'vma', 'vmb')) expect(c).toMatchObject({ reachable: false, reason: `${c.from} is not attached to any network` });
  });

  it('VM → LAN/Internet: –', () => {
    for (const to of ['router', 'pc', 'web', 'dns']) expect(matrix.none.cell('vma', to)).toMatchObject({ reachable: false, reason: 'vma is not attached to any network' });
  });

  it('LAN → VM: –', () => {
    expect(matrix.none.cell('pc', 'vma')).toMatchObject({ reachable: false, reason: 'vma is not attached to any network' });
  });
});

describe('Host-only Adapter: the host and its VMs on vboxnet0, nothing beyond', () => {
  it('VM → Host: + (the host is 192.168.56.1 on vboxnet0)', () => {
    expect(matrix.hostonly.cell('vma', 'host')).toMatchObject({ reachable: true, address: '192.168.56.1', reason: 'same network: host-only network vboxnet0' });
  });

  it('Host → VM: + (the guest leased 192.168.56.101 from VirtualBox\'s DHCP server at .100)', () => {
    expect(matrix.hostonly.cell('host', 'vma')).toMatchObject({ reachable: true, address: '192.168.56.101', reason: 'same network: host-only network vboxnet0' });
    const r = cli.run(lab.hostonly, ['show leases HostInterfaceNetworking-vboxnet0', 'host$ curl -s http://192.168.56.101/']);
    expect(rowsOf<LeaseRow>(r.steps[0]).map((l) => [l.ip, l.mac, l.hostname])).toEqual([
      ['192.168.56.101', '08:00:27:aa:0a:01', 'vma'],
      ['192.168.56.102', '08:00:27:aa:0a:02', 'vmb'],
    ]);
    expect(r.steps[1]).toMatchObject({ exit: 0, output: '<h1>Welcome to vma</h1>\n' });
  });

  it('VM ↔ VM: +', () => {
    const [ab, ba] = both(matrix.hostonly, 'vma', 'vmb');
    expect(ab).toMatchObject({ reachable: true, address: '192.168.56.102', reason: 'same network: host-only network vboxnet0' });
    expect(ba).toMatchObject({ reachable: true, address: '192.168.56.101', reason: 'same network: host-only network vboxnet0' });
  });

  it('VM → LAN/Internet: –', () => {
    for (const to of ['router', 'pc', 'web', 'dns']) {
      expect(matrix.hostonly.cell('vma', to)).toMatchObject({ reachable: false, reason: "vma is on host-only network vboxnet0, which has no way out (share the host's connection to route it)" });
    }
  });

  it('LAN → VM: –', () => {
    expect(matrix.hostonly.cell('pc', 'vma')).toMatchObject({ reachable: false, reason: 'vma is on host-only network vboxnet0, which only the host and its VMs can reach' });
    expect(matrix.hostonly.cell('router', 'vma')).toMatchObject({ reachable: false, reason: 'vma is on host-only network vboxnet0, which only the host and its VMs can reach' });
  });
});

describe('Internal Network: VMs on intnet only, not even the host', () => {
  it('VM → Host: –', () => {
    expect(matrix.intnet.cell('vma', 'host')).toMatchObject({ reachable: false, reason: 'vma is on internal network intnet, which has no way out' });
  });

  it('Host → VM: –', () => {
    expect(matrix.intnet.cell('host', 'vma')).toMatchObject({ reachable: false, address: '10.10.10.11', reason: 'vma is on internal network intnet, which only VMs attached to it can reach' });
  });

  it('VM ↔ VM: + (static addresses: an internal network has no DHCP server)', () => {
    const [ab, ba] = both(matrix.intnet, 'vma', 'vmb');
    expect(ab).toMatchObject({ reachable: true, address: '10.10.10.12', reason: 'same network: internal network intnet' });
    expect(ba).toMatchObject({ reachable: true, address: '10.10.10.11', reason: 'same network: internal network intnet' });
    const r = cli.run(lab.intnet, ['vmb$ curl -s http://10.10.10.11/']);
    expect(r.steps[0]).toMatchObject({ exit: 0, output: '<h1>Welcome to vma</h1>\n' });
  });

  it('VM → LAN/Internet: –', () => {
    for (const to of ['router', 'pc', 'web', 'dns']) expect(matrix.intnet.cell('vma', to)).toMatchObject({ reachable: false, reason: 'vma is on internal network intnet, which has no way out' });
  });

  it('LAN → VM: –', () => {
    expect(matrix.intnet.cell('pc', 'vma')).toMatchObject({ reachable: false, reason: 'vma is on internal network intnet, which only VMs attached to it can reach' });
  });
});

describe('Bridged Adapter: another computer on the host\'s LAN', () => {
  it('VM → Host: +', () => {
    expect(matrix.bridged.cell('vma', 'host')).toMatchObject({ reachable: true, address: hostLan, reason: 'same network: bridged onto lan' });
  });

  it('Host → VM: + (the home router\'s DHCP server addressed the VM)', () => {
    const c = matrix.bridged.cell('host', 'vma');
    expect(c).toMatchObject({ reachable: true, reason: 'same network: lan' });
    const r = cli.run(lab.bridged, ['show leases router', `host$ curl -s http://${c.address}/`]);
    expect(rowsOf<LeaseRow>(r.steps[0]).find((l) => l.hostname === 'vma')).toMatchObject({ ip: c.address, mac: '08:00:27:aa:0a:01', state: 'bound', server: 'router' });
    expect(c.address).toMatch(/^192\.168\.1\.1\d\d$/);
    expect(r.steps[1]).toMatchObject({ exit: 0, output: '<h1>Welcome to vma</h1>\n' });
  });

  it('VM ↔ VM: +', () => {
    for (const c of both(matrix.bridged, 'vma', 'vmb')) expect(c).toMatchObject({ reachable: true, reason: 'same network: bridged onto lan' });
  });

  it('VM → LAN/Internet: +', () => {
    expect(matrix.bridged.cell('vma', 'pc')).toMatchObject({ reachable: true, reason: 'same network: bridged onto lan' });
    expect(matrix.bridged.cell('vma', 'web')).toMatchObject({ reachable: true, address: '93.184.216.34', reason: 'routed: bridged onto lan → internet' });
    const r = cli.run(lab.bridged, ['vma$ curl -s -o /dev/null -w "%{http_code}" http://www.example.com/']);
    expect(r.steps[0]).toMatchObject({ exit: 0, output: '200' });
  });

  it('LAN → VM: +', () => {
    const c = matrix.bridged.cell('pc', 'vma');
    expect(c).toMatchObject({ reachable: true, reason: 'same network: lan' });
    const r = cli.run(lab.bridged, [`pc$ curl -s http://${c.address}/`]);
    expect(r.steps[0]).toMatchObject({ exit: 0, output: '<h1>Welcome to vma</h1>\n' });
  });
});

describe('NAT: out through the host; in only by port forwarding', () => {
  it('VM → Host: + (through the VM\'s own NAT engine)', () => {
    expect(matrix.nat.cell('vma', 'host')).toMatchObject({ reachable: true, address: hostLan, reason: "through vma's NAT engine, which speaks for the host" });
  });

  it('Host → VM: only by port forwarding (no route to 10.0.2.15, and no rule: refused)', () => {
    expect(matrix.nat.cell('host', 'vma')).toMatchObject({ reachable: false, address: '10.0.2.15', reason: 'no route: vma is behind VirtualBox NAT; add a port-forwarding rule to reach its services' });
    const r = cli.run(lab.nat, ['host$ curl -sS -m 5 http://127.0.0.1:8080/', 'host$ curl -sS -m 5 http://10.0.2.15/']);
    expect(r.steps[0]).toMatchObject({ exit: 7 });
    expect(r.steps[0].output).toMatch(/^curl: \(7\) Failed to connect to 127\.0\.0\.1 port 8080 after \d+ ms: Couldn't connect to server\n$/);
    expect(r.steps[1].exit).toBe(7);
    expect(r.status).toBe(7);
  });

  it('Host → VM: port forwarding works with a rule in the lab file (host port 8080 → guest port 80)', () => {
    const file = cli.write('mode-nat-pf', modeLab('nat', (d) => (nic1(d, 'vma').portForwarding = [web(8080)])));
    const r = cli.run(file, ['host$ curl -s http://127.0.0.1:8080/', `host$ curl -s http://${hostLan}:8080/`, 'show nat vma']);
    expect(r.steps[0]).toMatchObject({ exit: 0, output: '<h1>Welcome to vma</h1>\n' });
    expect(r.steps[1]).toMatchObject({ exit: 0, output: '<h1>Welcome to vma</h1>\n' });
    // The engine's table: the guest's port 80 seen from outside as the host's 8080.
    expect(r.steps[2].output).toMatch(/vma NAT \(adapter 1\)\s+tcp\s+10\.0\.2\.15:80\s+127\.0\.0\.1:8080\s/);
  });

  it('Host → VM: a rule added with VBoxManage controlvm natpf1 on the running VM works at once, and deleting it refuses again', () => {
    const r = cli.run(lab.nat, [
      'host$ VBoxManage controlvm vma natpf1 "guestweb,tcp,,8080,,80"',
      'host$ curl -s http://127.0.0.1:8080/',
      'host$ VBoxManage controlvm vma natpf1 delete guestweb',
      'host$ curl -sS http://127.0.0.1:8080/',
    ]);
    expect(r.steps.map((s) => s.exit)).toEqual([0, 0, 0, 7]);
    expect(r.steps[1].output).toBe('<h1>Welcome to vma</h1>\n');
  });

  it('Host → VM: modifyvm --nat-pf1 sets a rule on a powered-off VM (refused while it runs); started, it serves through the rule', () => {
    const file = cli.write('mode-nat-off', modeLab('nat', (d) => (d.vms[0].running = false)));
    const r = cli.run(file, [
      'host$ VBoxManage modifyvm vma --nat-pf1 "guestweb,tcp,,8080,,80"',
      'host$ VBoxManage startvm vma --type headless',
      'wait 10s',
      'host$ curl -s http://127.0.0.1:8080/',
      'host$ VBoxManage modifyvm vma --nat-pf1 delete guestweb',
    ]);
    expect(r.steps.map((s) => s.exit)).toEqual([0, 0, 0, 0, 1]);
    expect(r.steps[3].output).toBe('<h1>Welcome to vma</h1>\n');
    expect(r.steps[4].output).toContain("VBoxManage: error: The machine 'vma' is already locked for a session (or being unlocked)");
  });

  it('VM ↔ VM: – (both are 10.0.2.15, each behind its own engine)', () => {
    for (const c of both(matrix.nat, 'vma', 'vmb')) {
      expect(c).toMatchObject({ reachable: false, address: '10.0.2.15', reason: `each NAT VM has its own NAT engine; ${c.to}'s 10.0.2.15 is ${c.from}'s own address too, so a ping to it never leaves ${c.from} (use a NAT Network)` });
    }
  });

  it('VM → LAN/Internet: +', () => {
    expect(matrix.nat.cell('vma', 'pc')).toMatchObject({ reachable: true, reason: "through vma's NAT engine, as if the host sent it" });
    expect(matrix.nat.cell('vma', 'web')).toMatchObject({ reachable: true, address: '93.184.216.34', reason: "through vma's NAT engine, as if the host sent it" });
    const r = cli.run(lab.nat, ['vma$ curl -s -o /dev/null -w "%{http_code}" http://www.example.com/']);
    expect(r.steps[0]).toMatchObject({ exit: 0, output: '200' });
  });

  it('LAN → VM: only by port forwarding (refused without a rule, the guest\'s page with one)', () => {
    expect(matrix.nat.cell('pc', 'vma')).toMatchObject({ reachable: false, reason: 'no route: vma is behind VirtualBox NAT; add a port-forwarding rule to reach its services' });
    const without = cli.run(lab.nat, [`pc$ curl -sS -m 5 http://${hostLan}:8080/`]);
    expect(without.steps[0].exit).toBe(7);
    expect(without.steps[0].output).toContain(`Failed to connect to ${hostLan} port 8080`);
    const file = cli.write('mode-nat-pf2', modeLab('nat', (d) => ((nic1(d, 'vma').portForwarding = [web(8080)]), (nic1(d, 'vmb').portForwarding = [web(8081)]))));
    const r = cli.run(file, [`pc$ curl -s http://${hostLan}:8080/`, `pc$ curl -s http://${hostLan}:8081/`]);
    expect(r.steps.map((s) => s.output)).toEqual(['<h1>Welcome to vma</h1>\n', '<h1>Welcome to vmb</h1>\n']);
  });
});

describe('NAT Network: NAT shared by its members, who reach each other', () => {
  it('VM → Host: +', () => {
    expect(matrix.natnetwork.cell('vma', 'host')).toMatchObject({ reachable: true, address: hostLan, reason: 'through the NAT of NAT Network NatNetwork' });
  });

  it('Host → VM: only by port forwarding (a rule names the guest IP, 10.0.2.4)', () => {
    expect(matrix.natnetwork.cell('host', 'vma')).toMatchObject({ reachable: false, address: '10.0.2.4', reason: 'vma is on NAT Network NatNetwork; only its members reach it, others need a port-forwarding rule' });
    const without = cli.run(lab.natnetwork, ['host$ curl -sS -m 5 http://127.0.0.1:8080/']);
    expect(without.steps[0].exit).toBe(7);
    const file = cli.write('mode-natnet-pf', modeLab('natnetwork', (d) => (d.virtualbox!.natNetworks[0].portForwarding = [web(8080, '10.0.2.4'), web(8081, '10.0.2.5')])));
    const r = cli.run(file, ['host$ curl -s http://127.0.0.1:8080/', 'host$ curl -s http://127.0.0.1:8081/']);
    expect(r.steps.map((s) => s.output)).toEqual(['<h1>Welcome to vma</h1>\n', '<h1>Welcome to vmb</h1>\n']);
  });

  it('Host → VM: a rule added with VBoxManage natnetwork modify --port-forward-4 works on the running network', () => {
    const r = cli.run(lab.natnetwork, ['host$ VBoxManage natnetwork modify --netname NatNetwork --port-forward-4 "web:tcp:[]:8080:[10.0.2.4]:80"', 'host$ curl -s http://127.0.0.1:8080/']);
    expect(r.steps.map((s) => s.exit)).toEqual([0, 0]);
    expect(r.steps[1].output).toBe('<h1>Welcome to vma</h1>\n');
  });

  it('VM ↔ VM: + (10.0.2.4 and 10.0.2.5 from the network\'s DHCP server at 10.0.2.3)', () => {
    const [ab, ba] = both(matrix.natnetwork, 'vma', 'vmb');
    expect(ab).toMatchObject({ reachable: true, address: '10.0.2.5', reason: 'same network: NAT Network NatNetwork' });
    expect(ba).toMatchObject({ reachable: true, address: '10.0.2.4', reason: 'same network: NAT Network NatNetwork' });
    const r = cli.run(lab.natnetwork, ['vma$ ip -4 addr show eth0', 'show leases NatNetwork']);
    expect(inet(r.steps[0].output)).toEqual(['10.0.2.4/24']);
    expect(rowsOf<LeaseRow>(r.steps[1]).map((l) => [l.ip, l.hostname])).toEqual([
      ['10.0.2.4', 'vma'],
      ['10.0.2.5', 'vmb'],
    ]);
  });

  it('VM → LAN/Internet: +', () => {
    expect(matrix.natnetwork.cell('vma', 'pc')).toMatchObject({ reachable: true, reason: 'through the NAT of NAT Network NatNetwork' });
    expect(matrix.natnetwork.cell('vma', 'web')).toMatchObject({ reachable: true, address: '93.184.216.34', reason: 'through the NAT of NAT Network NatNetwork' });
  });

  it('LAN → VM: only by port forwarding', () => {
    expect(matrix.natnetwork.cell('pc', 'vma')).toMatchObject({ reachable: false, reason: 'vma is on NAT Network NatNetwork; only its members reach it, others need a port-forwarding rule' });
    const file = cli.write('mode-natnet-pf-lan', modeLab('natnetwork', (d) => (d.virtualbox!.natNetworks[0].portForwarding = [web(8080, '10.0.2.4')])));
    const r = cli.run(file, [`pc$ curl -s http://${hostLan}:8080/`, `pc$ curl -sS -m 5 http://${hostLan}:8081/`]);
    expect(r.steps[0]).toMatchObject({ exit: 0, output: '<h1>Welcome to vma</h1>\n' });
    expect(r.steps[1].exit).toBe(7);
  });
});
