// REFERENCE.md's ten "What confuses people", each reproduced through the built CLI with the symptom a user sees and the lab's explanation of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabDocument } from '../../core/lab/document';
import type { ArpRow, EventRow, LeaseRow, NatRow } from '../../core/lab/tables';
import { bundled, DHCP_IFCFG, inet, LabCli, nic1, rowsOf, vmOf } from '../fixtures/labs/lab-cli';

let cli: LabCli;
let defaultLab = '';
let vmwareLab = '';

beforeAll(async () => {
  cli = await LabCli.build();
  defaultLab = cli.write('default', bundled('default'));
  vmwareLab = cli.write('vmware', bundled('vmware'));
});

afterAll(() => cli?.close());

/** The host's MAC and the VMs' MACs in the bundled default lab. */
const HOST_MAC = '3c:52:82:4e:0a:11';
const VM2_MAC = '08:00:27:4f:7b:2c';

/** A copy of a VM of the default lab under a new name and MAC (what VirtualBox's clone does with "generate new MAC addresses"). */
function cloneOf(d: LabDocument, source: string, name: string, mac: string): void {
  const v = JSON.parse(JSON.stringify(vmOf(d, source))) as LabDocument['vms'][number];
  v.name = name;
  v.guest.hostname = name;
  v.virtualbox!.adapters[0].mac = mac;
  d.vms.push(v);
}

describe('1. the host cannot reach a VirtualBox NAT VM; on VMware NAT it can', () => {
  it('VirtualBox: the host has no route to 10.0.2.15 (it goes to the home router and dies at the ISP); the matrix asks for port forwarding', () => {
    const m = cli.matrix(defaultLab);
    expect(m.cell('host', 'vm1')).toEqual({ from: 'host', to: 'vm1', reachable: false, address: '10.0.2.15', reason: 'no route: vm1 is behind VirtualBox NAT; add a port-forwarding rule to reach its services' });
    const r = cli.run(defaultLab, ['host$ ip route get 10.0.2.15', 'host$ ping -c 1 10.0.2.15']);
    expect(r.steps[0].output).toMatch(/^10\.0\.2\.15 via 192\.168\.1\.1 dev eth0 src 192\.168\.1\.\d+/);
    expect(r.steps[1].exit).toBe(1);
    expect(r.steps[1].output).toContain('From 203.0.113.1 icmp_seq=1 Destination Net Unreachable');
    expect(r.steps[1].output).toContain('1 packets transmitted, 0 received, +1 errors, 100% packet loss');
  });

  it('VMware: the host has its own adapter on VMnet8 (172.16.162.1) and pings the NAT VM directly', () => {
    const m = cli.matrix(vmwareLab);
    expect(m.cell('host', 'vm1')).toMatchObject({ reachable: true, address: '172.16.162.128', reason: 'same network: VMnet8 (NAT)' });
    const r = cli.run(vmwareLab, ['host$ ip -4 addr show vmnet8', 'host$ ping -c 1 172.16.162.128']);
    expect(inet(r.steps[0].output)).toEqual(['172.16.162.1/24']);
    expect(r.steps[1]).toMatchObject({ exit: 0 });
    expect(r.steps[1].output).toContain('64 bytes from 172.16.162.128: icmp_seq=1 ttl=64');
  });
});

describe('2. two NAT VMs both get 10.0.2.15 and cannot reach each other; a NAT Network fixes it', () => {
  let twins = '';
  beforeAll(() => {
    twins = cli.variant('nat-twins', 'default', (d) => cloneOf(d, 'vm1', 'vm4', '080027C3A1E4'));
  });

  it('each VM has its own NAT engine with its own DHCP server, and each hands out 10.0.2.15', () => {
    const r = cli.run(twins, ['vm1$ ip -4 addr show eth0', 'vm4$ ip -4 addr show eth0', 'show leases']);
    expect(inet(r.steps[0].output)).toEqual(['10.0.2.15/24']);
    expect(inet(r.steps[1].output)).toEqual(['10.0.2.15/24']);
    const nat = rowsOf<LeaseRow>(r.steps[2]).filter((l) => l.ip.startsWith('10.0.2.'));
    expect(nat.map((l) => [l.server, l.ip, l.hostname])).toEqual([
      ['vm1 NAT (adapter 1)', '10.0.2.15', 'vm1'],
      ['vm4 NAT (adapter 1)', '10.0.2.15', 'vm4'],
    ]);
  });

  it('pinging the other\'s address only reaches oneself, and the matrix says why', () => {
    const m = cli.matrix(twins);
    expect(m.cell('vm1', 'vm4')).toMatchObject({ reachable: false, address: '10.0.2.15', reason: "each NAT VM has its own NAT engine; vm4's 10.0.2.15 is vm1's own address too, so a ping to it never leaves vm1 (use a NAT Network)" });
    expect(m.cell('vm4', 'vm1')).toMatchObject({ reachable: false, reason: "each NAT VM has its own NAT engine; vm1's 10.0.2.15 is vm4's own address too, so a ping to it never leaves vm4 (use a NAT Network)" });
  });

  it('moving both to a new NAT Network (and restarting their network) gives 10.0.2.4 and 10.0.2.5, which reach each other', () => {
    const r = cli.run(twins, [
      'host$ VBoxManage natnetwork add --netname NatNetwork --network 10.0.2.0/24 --enable --dhcp on',
      'set vm1 nic1 natnetwork NatNetwork',
      'set vm4 nic1 natnetwork NatNetwork',
      'vm1$ systemctl restart network',
      'vm4$ systemctl restart network',
      'vm1$ ip -4 addr show eth0',
      'vm4$ ip -4 addr show eth0',
      'vm1$ ping -c 1 10.0.2.5',
      'vm1$ ping -c 1 www.example.com',
    ]);
    expect(r.steps.map((s) => s.exit)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(inet(r.steps[5].output)).toEqual(['10.0.2.4/24']);
    expect(inet(r.steps[6].output)).toEqual(['10.0.2.5/24']);
    expect(r.steps[7].output).toContain('64 bytes from 10.0.2.5: icmp_seq=1 ttl=64');
    expect(r.steps[8].output).toContain('1 packets transmitted, 1 received');
  });

  it('a lab with both on the NAT Network from the start: the matrix shows them on one network', () => {
    const file = cli.variant('natnet-twins', 'default', (d) => {
      cloneOf(d, 'vm1', 'vm4', '080027C3A1E4');
      for (const vm of ['vm1', 'vm4']) Object.assign(nic1(d, vm), { attachment: 'natnetwork', network: 'NatNetwork', portForwarding: undefined });
      d.virtualbox!.natNetworks = [{ name: 'NatNetwork', network: '10.0.2.0/24', enabled: true, dhcp: true, portForwarding: [] }];
    });
    const m = cli.matrix(file);
    expect(m.cell('vm1', 'vm4')).toMatchObject({ reachable: true, address: '10.0.2.5', reason: 'same network: NAT Network NatNetwork' });
    expect(m.cell('vm4', 'vm1')).toMatchObject({ reachable: true, address: '10.0.2.4', reason: 'same network: NAT Network NatNetwork' });
  });
});

describe('3. bridged over Wi-Fi: the LAN sees the host\'s MAC for the VM', () => {
  const script = ['vm2$ ping -c 1 192.168.1.1', 'vm2$ ip -4 addr show eth0', 'vm2$ ip link show eth0', 'show arp router', 'show leases router', 'show events service', 'router$ ip neigh'];

  it('the router\'s ARP table maps the VM\'s address to the host\'s MAC, while its DHCP lease and the guest keep the VM\'s own; an event on the host says why', () => {
    const wifi = cli.variant('wifi', 'default', (d) => {
      const wlan = d.machines[0].interfaces[0];
      wlan.name = 'wlan0';
      wlan.wireless = true;
      nic1(d, 'vm2').network = 'wlan0';
    });
    const r = cli.run(wifi, script);
    expect(r.steps[0].exit).toBe(0);
    const [ip] = inet(r.steps[1].output);
    const addr = ip.split('/')[0];
    expect(r.steps[2].output).toContain(`link/ether ${VM2_MAC} `);
    expect(rowsOf<ArpRow>(r.steps[3]).find((a) => a.ip === addr)).toMatchObject({ node: 'router', mac: HOST_MAC });
    // The DHCP request went out with the host's MAC too, but its chaddr (and the lease) is the VM's.
    expect(rowsOf<LeaseRow>(r.steps[4]).find((l) => l.ip === addr)).toMatchObject({ mac: VM2_MAC, hostname: 'vm2', state: 'bound' });
    expect(rowsOf<EventRow>(r.steps[5])).toEqual([
      {
        time: expect.any(Number),
        node: 'host',
        kind: 'service',
        message: `wlan0 is Wi-Fi: frames of ${addr} (VM MAC ${VM2_MAC}) go out with the host's MAC ${HOST_MAC}, as most wireless adapters cannot send another MAC; the LAN sees the host's MAC for ${addr}`,
      },
    ]);
    expect(r.steps[6].output).toContain(`${addr} dev lan lladdr ${HOST_MAC} `);
  });

  it('over wired Ethernet the router sees the VM\'s own MAC, and nothing needs explaining', () => {
    const r = cli.run(defaultLab, script);
    const addr = inet(r.steps[1].output)[0].split('/')[0];
    expect(rowsOf<ArpRow>(r.steps[3]).find((a) => a.ip === addr)).toMatchObject({ mac: VM2_MAC });
    expect(r.steps[5].output).toBe('no events\n');
    expect(r.steps[6].output).toContain(`${addr} dev lan lladdr ${VM2_MAC} `);
  });
});

describe('4. a fresh CentOS guest has ONBOOT=no: no network until it is yes and the network restarts', () => {
  it('eth0 is left down (network-scripts raise only ONBOOT=yes interfaces) with no address', () => {
    const file = cli.variant('onboot-no', 'default', (d) => (vmOf(d, 'vm1').guest.ifcfg.eth0 = DHCP_IFCFG.replace('ONBOOT=yes', 'ONBOOT=no')));
    const r = cli.run(file, ['vm1$ ip addr show eth0', 'vm1$ ifup eth0', 'vm1$ ip link show eth0']);
    expect(r.steps[0].output).toBe('2: eth0: <BROADCAST,MULTICAST> mtu 1500 qdisc pfifo_fast state DOWN group default qlen 1000\n    link/ether 08:00:27:c3:a1:e1 brd ff:ff:ff:ff:ff:ff\n');
    // ifup by hand works whatever ONBOOT says: ONBOOT only decides what the boot (and a restart) raise.
    expect(r.steps[1].output).toBe('\nDetermining IP information for eth0... done.\n');
    expect(r.steps[2].output).toMatch(/^2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> .* state UP /);
  });

  it('no address, "Network is unreachable"; sed alone changes nothing; systemctl restart network brings 10.0.2.15', () => {
    const file = cli.variant('onboot-no', 'default', (d) => (vmOf(d, 'vm1').guest.ifcfg.eth0 = DHCP_IFCFG.replace('ONBOOT=yes', 'ONBOOT=no')));
    const m = cli.matrix(file);
    expect(m.cell('vm1', 'web')).toMatchObject({ reachable: false, reason: 'vm1 has no IPv4 address (is ONBOOT=yes? restart its network)' });
    expect(m.cell('host', 'vm1')).toMatchObject({ reachable: false, address: null, reason: 'vm1 has no IPv4 address (is ONBOOT=yes? restart its network)' });
    const r = cli.run(file, [
      'vm1$ ip -4 addr show eth0',
      'vm1$ ping -c 1 10.0.2.2',
      'vm1$ grep ONBOOT /etc/sysconfig/network-scripts/ifcfg-eth0',
      "vm1$ sed -i 's/ONBOOT=no/ONBOOT=yes/' /etc/sysconfig/network-scripts/ifcfg-eth0",
      'vm1$ ip -4 addr show eth0',
      'vm1$ systemctl restart network',
      'vm1$ ip -4 addr show eth0',
      'vm1$ ping -c 1 10.0.2.2',
    ]);
    expect(r.steps[0]).toMatchObject({ exit: 0, output: '' });
    expect(r.steps[1]).toMatchObject({ exit: 2, output: 'connect: Network is unreachable\n' });
    expect(r.steps[2].output).toBe('ONBOOT=no\n');
    expect(r.steps[3].exit).toBe(0);
    expect(r.steps[4].output).toBe('');
    expect(r.steps[5]).toMatchObject({ exit: 0, output: '' });
    expect(inet(r.steps[6].output)).toEqual(['10.0.2.15/24']);
    expect(r.steps[7]).toMatchObject({ exit: 0 });
    // The run's status is the last failing step's: the first ping's.
    expect(r.status).toBe(2);
  });
});

describe('5. host-only addresses outside 192.168.56.0/21 are refused on Linux hosts', () => {
  const outside = (d: LabDocument): void => {
    d.virtualbox!.hostOnly[0] = { name: 'vboxnet0', address: '192.168.99.1/24', dhcp: { enabled: true, server: '192.168.99.100', lower: '192.168.99.101', upper: '192.168.99.254', leaseSeconds: 600 } };
  };
  const script = ['host$ ip -4 addr show vboxnet0', 'vm3$ ip -4 addr show eth0', 'vm3$ ping -c 1 192.168.99.1'];

  it('check and run warn "not within the allowed ranges", and vboxnet0 is left without the address: the guest cannot reach the host', () => {
    const file = cli.variant('hostonly-99', 'default', outside);
    const check = cli.exec(['check', file]);
    expect(check).toEqual({ status: 0, stdout: `${file}: ok (5 machines, 3 VMs)\n`, stderr: `${file}: warning: $.virtualbox.hostOnly[0]: IP address 192.168.99.1/24 is not within the allowed ranges (192.168.56.0/21) (add it to /etc/vbox/networks.conf)\n` });
    const r = cli.run(file, script);
    expect(r.stderr).toContain('IP address 192.168.99.1/24 is not within the allowed ranges (192.168.56.0/21)');
    expect(r.steps[0].output).toBe('');
    // VirtualBox's DHCP server still runs on the network, so the guest has an address; only the host's side is missing.
    expect(inet(r.steps[1].output)).toEqual(['192.168.99.101/24']);
    expect(r.steps[2].exit).toBe(1);
    expect(r.steps[2].output).toContain('From 192.168.99.101 icmp_seq=1 Destination Host Unreachable');
  });

  it('with the range in /etc/vbox/networks.conf the address is accepted and the guest reaches the host', () => {
    const file = cli.variant('hostonly-99-allowed', 'default', (d) => {
      outside(d);
      d.virtualbox!.allowedHostOnlyRanges = ['192.168.56.0/21', '192.168.99.0/24'];
    });
    expect(cli.exec(['check', file]).stderr).toBe('');
    const r = cli.run(file, script);
    expect(r.stderr).toBe('');
    expect(inet(r.steps[0].output)).toEqual(['192.168.99.1/24']);
    expect(r.steps[2]).toMatchObject({ exit: 0 });
  });
});

describe('6. since VirtualBox 7.0, 10.0.2.2 no longer reaches the host\'s localhost', () => {
  // The host runs a web server on port 8000 (it listens on every address of the host, loopback included).
  const withHostServer = (d: LabDocument): void => {
    d.machines[0].services = { http: { port: 8000, body: 'served by the host\n' } };
  };

  it('off (the 7.0 default): refused, with an event naming --nat-localhostreachable1; the host\'s LAN address still works', () => {
    const file = cli.variant('localhost-off', 'default', withHostServer);
    const r = cli.run(file, ['host$ curl -s http://127.0.0.1:8000/', 'vm1$ curl -sS -m 5 http://10.0.2.2:8000/', 'show events service', 'vm1$ curl -s http://192.168.1.101:8000/']);
    expect(r.steps[0]).toMatchObject({ exit: 0, output: 'served by the host\n' });
    expect(r.steps[1].exit).toBe(7);
    expect(r.steps[1].output).toMatch(/^curl: \(7\) Failed to connect to 10\.0\.2\.2 port 8000 after \d+ ms: Couldn't connect to server\n$/);
    expect(rowsOf<EventRow>(r.steps[2]).map((e) => [e.node, e.message])).toEqual([
      ['nat:vm1 NAT (adapter 1)', "10.0.2.15 → 10.0.2.2:8000 refused: 10.0.2.2 does not reach the host's localhost (off by default since VirtualBox 7.0; VBoxManage modifyvm vm1 --nat-localhostreachable1 on)"],
    ]);
    expect(r.steps[3]).toMatchObject({ exit: 0, output: 'served by the host\n' });
  });

  it('on (localhostReachable on the adapter): 10.0.2.2 is the host\'s 127.0.0.1, as the NAT table shows', () => {
    const file = cli.variant('localhost-on', 'default', (d) => {
      withHostServer(d);
      nic1(d, 'vm1').localhostReachable = true;
    });
    const r = cli.run(file, ['vm1$ curl -s http://10.0.2.2:8000/', 'show nat vm1', 'show events service']);
    expect(r.steps[0]).toMatchObject({ exit: 0, output: 'served by the host\n' });
    expect(rowsOf<NatRow>(r.steps[1])).toEqual([expect.objectContaining({ proto: 'tcp', insideIp: '10.0.2.15', outsideIp: '127.0.0.1', remoteIp: '127.0.0.1', remotePort: 8000 })]);
    expect(r.steps[2].output).toBe('no events\n');
  });
});

describe('7. cloned VMs keep the same DHCP client identifier and get the same address', () => {
  const clones = (d: LabDocument): void => {
    cloneOf(d, 'vm2', 'vm4', '080027AA0004');
    // The identifier a cloned guest inherited (systemd's DUID from a copied machine-id, a copied dhclient.conf).
    vmOf(d, 'vm2').guest.dhcpClientId = '01:08:00:27:aa:00:ff';
    vmOf(d, 'vm4').guest.dhcpClientId = '01:08:00:27:aa:00:ff';
  };

  it('booted together, both hold the same address; the router keeps one lease for the identifier, and a conflict shows in the events', () => {
    const file = cli.variant('clones', 'default', clones);
    const r = cli.run(file, ['vm2$ ip -4 addr show eth0', 'vm4$ ip -4 addr show eth0', 'show leases router', 'vm2$ ping -c 1 192.168.1.1', 'show events address-conflict']);
    const a = inet(r.steps[0].output);
    expect(a).toHaveLength(1);
    expect(inet(r.steps[1].output)).toEqual(a);
    const addr = a[0].split('/')[0];
    expect(rowsOf<LeaseRow>(r.steps[2]).filter((l) => l.ip === addr)).toHaveLength(1);
    expect(rowsOf<EventRow>(r.steps[4]).map((e) => [e.node, e.message])).toEqual([['vm4', `IP address ${addr} on eth0 is also used by ${VM2_MAC}`]]);
  });

  it('started later, the clone is offered the same address, finds it in use and declines it (dhclient-script\'s ARP check)', () => {
    const file = cli.variant('clones-later', 'default', (d) => {
      clones(d);
      vmOf(d, 'vm4').running = false;
    });
    const r = cli.run(file, ['vm2$ ip -4 addr show eth0', 'host$ VBoxManage startvm vm4 --type headless', 'wait 30s', 'vm4$ ip -4 addr show eth0', 'show events dhcp-declined']);
    const first = inet(r.steps[0].output)[0].split('/')[0];
    const second = inet(r.steps[3].output)[0].split('/')[0];
    expect(second).not.toBe(first);
    expect(rowsOf<EventRow>(r.steps[4]).map((e) => e.message)).toEqual([
      `${first} is already in use (another machine answered ARP); sent DHCPDECLINE to 192.168.1.1, restarting in 10 s`,
      `router: ${first} declined by 08:00:27:aa:00:04 (in use by another machine); held out of the pool for 600 s`,
    ]);
  });
});

describe('8. two DHCP servers on one host-only network hand out conflicting addresses', () => {
  it('a DHCP server on the host\'s vboxnet0 besides VirtualBox\'s: check warns, and VirtualBox\'s server offers an address the other already leased', () => {
    const file = cli.variant('two-dhcp', 'default', (d) => {
      // A dnsmasq on the host serving vboxnet0 with a one-address range; VirtualBox's own server keeps .101–.254.
      d.machines[0].services = { dhcp: [{ interface: 'vboxnet0', rangeStart: '192.168.56.101', rangeEnd: '192.168.56.101', leaseSeconds: 3600 }] };
      cloneOf(d, 'vm3', 'vm4', '080027AA0004');
      vmOf(d, 'vm4').running = false;
    });
    expect(cli.exec(['check', file]).stderr).toBe(
      `${file}: warning: $.machines[0].services.dhcp[0].rangeStart: DHCP range 192.168.56.101–192.168.56.101 of host (vboxnet0) overlaps 192.168.56.101–192.168.56.254 of HostInterfaceNetworking-vboxnet0 on host-only network 'vboxnet0' (two DHCP servers on one network hand out conflicting addresses)\n`,
    );
    const r = cli.run(file, ['vm3$ ip -4 addr show eth0', 'host$ VBoxManage startvm vm4 --type headless', 'wait 30s', 'vm4$ ip -4 addr show eth0', 'show leases', 'show events dhcp-declined']);
    expect(inet(r.steps[0].output)).toEqual(['192.168.56.101/24']);
    expect(inet(r.steps[3].output)).toEqual(['192.168.56.102/24']);
    const leases = rowsOf<LeaseRow>(r.steps[4]).filter((l) => l.ip.startsWith('192.168.56.'));
    expect(leases.map((l) => [l.server, l.ip, l.hostname, l.state])).toEqual([
      ['HostInterfaceNetworking-vboxnet0', '192.168.56.101', 'vm4', 'declined'],
      ['HostInterfaceNetworking-vboxnet0', '192.168.56.102', 'vm4', 'bound'],
      ['host (vboxnet0)', '192.168.56.101', 'vm3', 'bound'],
    ]);
    expect(rowsOf<EventRow>(r.steps[5]).map((e) => [e.node, e.message])).toEqual([
      ['vm4', '192.168.56.101 is already in use (another machine answered ARP); sent DHCPDECLINE to 192.168.56.100, restarting in 10 s'],
      ['dhcp:vboxnet0', 'HostInterfaceNetworking-vboxnet0: 192.168.56.101 declined by 08:00:27:aa:00:04 (in use by another machine); held out of the pool for 600 s'],
    ]);
  });
});

describe('9. after switching a VM\'s mode the guest keeps its old address until the interface restarts', () => {
  it('network-scripts: still 10.0.2.15 on the home LAN, and the event says to restart; systemctl restart network leases 192.168.1.x', () => {
    const r = cli.run(defaultLab, ['set vm1 nic1 bridged eth0', 'vm1$ ip -4 addr show eth0', 'vm1$ ping -c 1 192.168.1.1', 'show events service', 'vm1$ systemctl restart network', 'vm1$ ip -4 addr show eth0']);
    expect(inet(r.steps[1].output)).toEqual(['10.0.2.15/24']);
    expect(r.steps[2].exit).toBe(1);
    expect(r.steps[2].output).toContain('From 10.0.2.15 icmp_seq=1 Destination Host Unreachable');
    expect(rowsOf<EventRow>(r.steps[3]).map((e) => [e.node, e.message])).toEqual([
      ['vm1', 'eth0: link is back; network-scripts do not ask DHCP again, so 10.0.2.15/24 stays until the interface is restarted (ifdown eth0; ifup eth0, or systemctl restart network) or the lease is due for renewal'],
    ]);
    expect(inet(r.steps[5].output)[0]).toMatch(/^192\.168\.1\.1\d\d\/24$/);
  });

  it('NetworkManager: asks DHCP again when the link returns; the router NAKs 10.0.2.15 and leases a LAN address', () => {
    const file = cli.variant('nm', 'default', (d) => (vmOf(d, 'vm1').guest.service = 'NetworkManager'));
    const r = cli.run(file, ['set vm1 nic1 bridged eth0', 'wait 10s', 'vm1$ ip -4 addr show eth0', 'show events dhcp-nak']);
    expect(inet(r.steps[2].output)[0]).toMatch(/^192\.168\.1\.1\d\d\/24$/);
    expect(rowsOf<EventRow>(r.steps[3]).map((e) => [e.node, e.message])).toEqual([
      ['router', 'router: DHCPNAK 10.0.2.15 to 08:00:27:c3:a1:e1 (wrong network)'],
      ['vm1', 'DHCPNAK from 192.168.1.1 for 10.0.2.15 (wrong network); restarting from INIT'],
    ]);
  });
});

describe('10. ping works through VirtualBox NAT; who can ping whom', () => {
  it('the NAT VM pings the Internet (an ICMP entry in its engine\'s table, sent from the host\'s address) and its gateway 10.0.2.2', () => {
    const r = cli.run(defaultLab, ['vm1$ ping -c 1 93.184.216.34', 'show nat vm1', 'vm1$ ping -c 1 10.0.2.2']);
    expect(r.steps[0].exit).toBe(0);
    expect(r.steps[0].output).toContain('1 packets transmitted, 1 received, 0% packet loss');
    expect(rowsOf<NatRow>(r.steps[1])).toEqual([expect.objectContaining({ engine: 'vm1 NAT (adapter 1)', proto: 'icmp', insideIp: '10.0.2.15', outsideIp: '192.168.1.101', remoteIp: '93.184.216.34', state: 'REPLIED' })]);
    expect(r.steps[2].exit).toBe(0);
  });

  it('the matrix: the NAT VM pings everyone, as if the host sent it; nobody pings it', () => {
    const m = cli.matrix(defaultLab);
    for (const to of ['router', 'pc', 'dns', 'web', 'vm2', 'vm3']) expect(m.cell('vm1', to)).toMatchObject({ reachable: true, reason: "through vm1's NAT engine, as if the host sent it" });
    expect(m.cell('vm1', 'host')).toMatchObject({ reachable: true, reason: "through vm1's NAT engine, which speaks for the host" });
    for (const from of ['host', 'router', 'pc', 'dns', 'web', 'vm2', 'vm3']) {
      expect(m.cell(from, 'vm1')).toMatchObject({ reachable: false, reason: 'no route: vm1 is behind VirtualBox NAT; add a port-forwarding rule to reach its services' });
    }
  });
});

