import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../core/api/schema';
import type { LabDocument, Machine, VirtualBoxAdapter, Vm, VmwareAdapter } from '../../../core/lab/document';
import { checkLab, validateLab } from '../../../core/lab/validate';

const read = (name: string): LabDocument => JSON.parse(readFileSync(`resources/labs/${name}.json`, 'utf8')) as LabDocument;
const DEFAULT = read('default');
const VMWARE = read('vmware');

/** The problems (errors) of the default lab (or `base`) after `change`. */
function errorsAfter(change: (d: LabDocument) => void, base: LabDocument = DEFAULT): Problem[] {
  const d = structuredClone(base);
  change(d);
  const r = validateLab(d);
  return r.ok ? [] : r.problems;
}

function warningsAfter(change: (d: LabDocument) => void, base: LabDocument = DEFAULT): Problem[] {
  const d = structuredClone(base);
  change(d);
  return validateLab(d).warnings;
}

const vbox = (d: LabDocument, vm: number): VirtualBoxAdapter => (d.vms[vm].virtualbox as { adapters: VirtualBoxAdapter[] }).adapters[0];
const vmw = (d: LabDocument, vm: number): VmwareAdapter => (d.vms[vm].vmware as { adapters: VmwareAdapter[] }).adapters[0];
const machine = (d: LabDocument, name: string): Machine => d.machines.find((m) => m.name === name) as Machine;

describe('lab validation: the bundled labs', () => {
  it('finds nothing wrong with them, not even a warning', () => {
    for (const name of ['default', 'vmware', 'company-nat']) expect(validateLab(read(name))).toEqual({ ok: true, doc: read(name), warnings: [] });
  });
});

describe('lab validation: names', () => {
  it('refuses two machines, a machine and a VM, or two networks of one name', () => {
    expect(errorsAfter((d) => (d.machines[2].name = 'router'))).toEqual([
      { path: '$.machines[2].name', message: "name 'router' is already used by $.machines[1]", hint: 'give each name its own name' },
    ]);
    expect(errorsAfter((d) => (d.vms[0].name = 'pc'))[0]).toMatchObject({ path: '$.vms[0].name', message: "name 'pc' is already used by $.machines[2]" });
    expect(errorsAfter((d) => d.networks.push({ name: 'lan', kind: 'internet' }))[0]).toMatchObject({ path: '$.networks[2].name' });
    expect(errorsAfter((d) => (machine(d, 'router').interfaces[1].name = 'lan'))[0]).toMatchObject({ path: '$.machines[1].interfaces[1].name' });
  });

  it('keeps the running lab\'s own node names free', () => {
    expect(errorsAfter((d) => (d.machines[2].name = 'isp'))[0]).toMatchObject({ path: '$.machines[2].name', message: "the name 'isp' belongs to the lab's ISP router on the Internet" });
    expect(errorsAfter((d) => (d.vms[0].name = 'nat:x'))[0]).toMatchObject({ path: '$.vms[0].name' });
  });

  it('allows one host at most, and needs one when there are VMs', () => {
    expect(errorsAfter((d) => (d.machines[2].role = 'host'))).toEqual([
      { path: '$.machines[2].role', message: "only one machine can be the host; 'host' already is", hint: 'give this machine another role (router, pc or server)' },
    ]);
    expect(errorsAfter((d) => (d.machines[0].role = 'pc'))[0]).toMatchObject({ path: '$.vms', message: 'VMs run on a host, but no machine has the role host' });
  });
});

describe('lab validation: MACs', () => {
  it('refuses a MAC used twice, whatever its spelling, across machines and VMs', () => {
    expect(errorsAfter((d) => (vbox(d, 1).mac = '08:00:27:c3:a1:e1'))).toEqual([
      {
        path: '$.vms[1].virtualbox.adapters[0].mac',
        message: 'MAC 08:00:27:c3:a1:e1 is already used by vm1 adapter 1 ($.vms[0].virtualbox.adapters[0].mac)',
        hint: 'every network card needs its own MAC; change one of them',
      },
    ]);
    expect(errorsAfter((d) => (vbox(d, 0).mac = '3C52824E0A11'))[0]).toMatchObject({ path: '$.vms[0].virtualbox.adapters[0].mac', message: 'MAC 3C52824E0A11 is already used by host eth0 ($.machines[0].interfaces[0].mac)' });
  });

  it('refuses malformed and multicast MACs, with the forms that work', () => {
    expect(errorsAfter((d) => (vbox(d, 0).mac = '08-00-27-c3-a1-e1'))).toEqual([
      { path: '$.vms[0].virtualbox.adapters[0].mac', message: "'08-00-27-c3-a1-e1' is not a MAC address", hint: 'use colons instead of dashes: 08:00:27:c3:a1:e1' },
    ]);
    expect(errorsAfter((d) => (vbox(d, 0).mac = '080027C3A1'))[0].hint).toBe('write 12 hex digits (080027AABBCC) or six pairs with colons (08:00:27:aa:bb:cc)');
    expect(errorsAfter((d) => (vbox(d, 0).mac = '090027C3A1E1'))[0]).toMatchObject({ message: '090027C3A1E1 is a multicast address; a network card needs a unicast one' });
  });

  it('holds VMware MACs to VMware\'s ranges', () => {
    expect(errorsAfter((d) => Object.assign(vmw(d, 0), { addressType: 'static', mac: '00:50:56:40:00:01' }), VMWARE)[0]).toMatchObject({
      path: '$.vms[0].vmware.adapters[0].mac',
      message: 'a static MAC must lie in 00:50:56:00:00:00–00:50:56:3F:FF:FF; 00:50:56:40:00:01 does not',
    });
    expect(errorsAfter((d) => Object.assign(vmw(d, 0), { addressType: 'static', mac: '00:50:56:3f:00:01' }), VMWARE)).toEqual([]);
    expect(warningsAfter((d) => (vmw(d, 0).mac = '08:00:27:00:00:01'), VMWARE)[0]).toMatchObject({ message: 'generated MACs start 00:0C:29; VMware would replace 08:00:27:00:00:01' });
  });
});

describe('lab validation: addresses', () => {
  it('refuses malformed addresses and prefixes with what was meant', () => {
    expect(errorsAfter((d) => (d.virtualbox!.hostOnly[0].address = '192.168.56.1'))).toEqual([
      { path: '$.virtualbox.hostOnly[0].address', message: "'192.168.56.1' is not an address with a prefix length", hint: 'add the prefix length, e.g. 192.168.56.1/24' },
    ]);
    expect(errorsAfter((d) => (d.virtualbox!.hostOnly[0].dhcp!.server = '192.168.56.300'))[0]).toMatchObject({ message: "'192.168.56.300' is not an IPv4 address", hint: 'write four numbers from 0 to 255 separated by dots, like 192.168.56.1' });
    expect(errorsAfter((d) => (machine(d, 'router').services!.dhcp![0].router = '192.168.1.1/24'))[0]).toMatchObject({ hint: 'write the address without its prefix: 192.168.1.1' });
  });

  it('refuses a gateway off the interface\'s subnet and a network or broadcast address as a host\'s', () => {
    expect(errorsAfter((d) => ((machine(d, 'web').interfaces[0].config as { gateway: string }).gateway = '93.184.217.1'))).toEqual([
      { path: '$.machines[4].interfaces[0].config.gateway', message: 'gateway 93.184.217.1 is not in 93.184.216.0/24, so it cannot be reached', hint: 'use an address in 93.184.216.0/24, usually 93.184.216.1' },
    ]);
    expect(errorsAfter((d) => ((machine(d, 'router').interfaces[0].config as { address: string }).address = '192.168.1.255/24'))[0]).toMatchObject({
      path: '$.machines[1].interfaces[0].config.address',
      message: '192.168.1.255/24 is the broadcast address of 192.168.1.0/24, not a host\'s',
    });
  });

  it('refuses the same static address twice on one network, and a static address in a DHCP range there', () => {
    const pcStatic = (address: string) => (d: LabDocument) => (machine(d, 'pc').interfaces[0].config = { mode: 'static', address });
    expect(errorsAfter(pcStatic('192.168.1.1/24'))).toEqual([
      { path: '$.machines[2].interfaces[0].config.address', message: "address 192.168.1.1 is already used by router (lan) on network 'lan'", hint: 'two machines on one network need different addresses' },
    ]);
    expect(errorsAfter(pcStatic('192.168.1.150/24'))).toEqual([
      {
        path: '$.machines[2].interfaces[0].config.address',
        message: "192.168.1.150 of pc (eth0) lies in the DHCP range 192.168.1.100–192.168.1.199 of router (lan) on network 'lan'",
        hint: 'the DHCP server could lease it to another machine; use an address outside the range',
      },
    ]);
    expect(errorsAfter(pcStatic('192.168.1.20/24'))).toEqual([]);
  });

  it('keeps DHCP ranges inside their subnet and in order', () => {
    expect(errorsAfter((d) => (machine(d, 'router').services!.dhcp![0].rangeEnd = '192.168.2.10'))).toEqual([
      { path: '$.machines[1].services.dhcp[0].rangeEnd', message: '192.168.2.10 is not a host address of 192.168.1.0/24', hint: 'keep the range inside 192.168.1.1–192.168.1.254' },
    ]);
    expect(errorsAfter((d) => Object.assign(d.virtualbox!.hostOnly[0].dhcp!, { lower: '192.168.56.200', upper: '192.168.56.150' }))[0]).toMatchObject({
      path: '$.virtualbox.hostOnly[0].dhcp.lower',
      message: 'the range starts at 192.168.56.200, after its end 192.168.56.150',
    });
    expect(errorsAfter((d) => (d.virtualbox!.hostOnly[0].dhcp!.lower = '192.168.56.1'))[0]).toMatchObject({ message: 'the range 192.168.56.1–192.168.56.254 includes the host\'s address 192.168.56.1' });
    expect(errorsAfter((d) => (d.vmware!.vmnets[2].dhcpRange!.start = '172.16.162.2'), VMWARE)[0]).toMatchObject({ path: '$.vmware.vmnets[2].dhcpRange.start', message: 'the range 172.16.162.2–172.16.162.254 includes the NAT gateway 172.16.162.2' });
  });

  it('warns when two DHCP servers on one network hand out the same range', () => {
    const w = warningsAfter((d) => {
      const pc = machine(d, 'pc');
      pc.interfaces[0].config = { mode: 'static', address: '192.168.1.2/24' };
      pc.services = { dhcp: [{ interface: 'eth0', rangeStart: '192.168.1.150', rangeEnd: '192.168.1.250', leaseSeconds: 3600 }] };
    });
    expect(w).toEqual([
      {
        path: '$.machines[2].services.dhcp[0].rangeStart',
        message: "DHCP range 192.168.1.150–192.168.1.250 of pc (eth0) overlaps 192.168.1.100–192.168.1.199 of router (lan) on network 'lan'",
        hint: 'two DHCP servers on one network hand out conflicting addresses',
      },
    ]);
  });
});

describe('lab validation: subnets that must not overlap', () => {
  it('refuses two host-only networks on one subnet, and one on the host\'s own LAN, proposing a free subnet', () => {
    expect(errorsAfter((d) => d.virtualbox!.hostOnly.push({ name: 'vboxnet1', address: '192.168.56.2/23', dhcp: null }))).toEqual([
      {
        path: '$.virtualbox.hostOnly[1].address',
        message: '192.168.56.0/23 of host-only network vboxnet1 overlaps host-only network vboxnet0 (192.168.56.0/24)',
        hint: 'the host could not tell the two networks apart; pick a free subnet such as 192.168.58.0/24',
      },
    ]);
    expect(errorsAfter((d) => (d.virtualbox!.hostOnly[0] = { name: 'vboxnet0', address: '192.168.1.10/24', dhcp: null }))[0]).toMatchObject({
      message: "192.168.1.0/24 of host-only network vboxnet0 overlaps the host's LAN on eth0 (192.168.1.0/24)",
    });
  });

  it('refuses overlapping VMnets and NAT Networks, and VMnets over host-only networks', () => {
    expect(errorsAfter((d) => Object.assign(d.vmware!.vmnets[1], { subnet: '172.16.162.0/24', dhcpRange: undefined }), VMWARE)).toEqual([
      { path: '$.vmware.vmnets[2].subnet', message: '172.16.162.0/24 of VMnet8 overlaps VMnet1 (172.16.162.0/24)', hint: 'the host could not tell the two networks apart; pick a free subnet such as 192.168.56.0/24' },
    ]);
    const nat = (name: string, network: string) => ({ name, network, enabled: true, dhcp: true, portForwarding: [] });
    expect(errorsAfter((d) => d.virtualbox!.natNetworks.push(nat('a', '10.0.2.0/24'), nat('b', '10.0.0.0/16')))).toEqual([
      { path: '$.virtualbox.natNetworks[1].network', message: "10.0.0.0/16 overlaps NAT Network 'a' (10.0.2.0/24)", hint: 'give each NAT Network its own subnet, e.g. 10.0.3.0/24' },
    ]);
    expect(errorsAfter((d) => d.virtualbox!.natNetworks.push(nat('a', '10.0.2.1/24')))[0]).toMatchObject({ message: '10.0.2.1/24 has host bits set', hint: 'did you mean 10.0.2.0/24?' });
    const both = structuredClone(VMWARE);
    both.virtualbox = { hostOnly: [{ name: 'vboxnet0', address: '192.168.165.1/24', dhcp: null }], natNetworks: [] };
    expect(errorsAfter(() => undefined, both)[0]).toMatchObject({ path: '$.vmware.vmnets[1].subnet', message: '192.168.165.0/24 of VMnet1 overlaps host-only network vboxnet0 (192.168.165.0/24)' });
  });
});

describe('lab validation: references', () => {
  it('refuses a machine interface on a network that does not exist', () => {
    expect(errorsAfter((d) => (machine(d, 'pc').interfaces[0].network = 'lna'))).toEqual([{ path: '$.machines[2].interfaces[0].network', message: "network 'lna' does not exist", hint: "did you mean 'lan'?" }]);
    expect(errorsAfter((d) => (machine(d, 'pc').interfaces[0].network = 'office'))[0].hint).toBe('the networks are lan, internet');
  });

  it('refuses VirtualBox adapters on host-only networks, NAT Networks or host interfaces that do not exist', () => {
    expect(errorsAfter((d) => (vbox(d, 2).network = 'vboxnet1'))).toEqual([{ path: '$.vms[2].virtualbox.adapters[0].network', message: "host-only network 'vboxnet1' does not exist", hint: "did you mean 'vboxnet0'?" }]);
    expect(errorsAfter((d) => Object.assign(vbox(d, 0), { attachment: 'natnetwork', network: 'NatNetwork' }))[0]).toMatchObject({
      path: '$.vms[0].virtualbox.adapters[0].network',
      message: "NAT Network 'NatNetwork' does not exist",
      hint: 'add it under $.virtualbox.natNetworks (VBoxManage natnetwork add --netname NatNetwork --network 10.0.2.0/24 --enable)',
    });
    expect(errorsAfter((d) => (vbox(d, 1).network = 'wlan0'))).toEqual([{ path: '$.vms[1].virtualbox.adapters[0].network', message: "the host has no interface 'wlan0' to bridge to", hint: "the host's interfaces are eth0" }]);
  });

  it('refuses VMware adapters on VMnets or LAN segments that are not configured', () => {
    expect(errorsAfter((d) => Object.assign(vmw(d, 2), { connectionType: 'custom', network: 'VMnet2' }), VMWARE)[0]).toMatchObject({ path: '$.vms[2].vmware.adapters[0].network', message: "virtual network 'VMnet2' is not configured" });
    expect(errorsAfter((d) => Object.assign(vmw(d, 2), { connectionType: 'custom', network: 'vmnet1' }), VMWARE)).toEqual([]);
    expect(errorsAfter((d) => Object.assign(vmw(d, 2), { connectionType: 'pvn', network: 'seg1' }), VMWARE)[0]).toMatchObject({ message: "LAN segment 'seg1' does not exist" });
    expect(errorsAfter((d) => (d.vmware!.vmnets = d.vmware!.vmnets.filter((v) => v.type !== 'nat')), VMWARE)[0]).toMatchObject({ path: '$.vms[0].vmware.adapters[0].connectionType', message: 'there is no NAT VMnet (VMnet8) in the Virtual Network Editor' });
  });

  it('refuses masquerading or DHCP on an interface the machine does not have, or DHCP without a static address', () => {
    expect(errorsAfter((d) => (machine(d, 'router').masquerade = ['wann']))[0]).toMatchObject({ path: '$.machines[1].masquerade[0]', message: "masquerading names interface 'wann', which 'router' does not have", hint: "did you mean 'wan'?" });
    expect(errorsAfter((d) => (machine(d, 'pc').services = { dhcp: [{ interface: 'eth0', rangeStart: '192.168.1.10', rangeEnd: '192.168.1.20', leaseSeconds: 60 }] }))[0]).toMatchObject({ message: "a DHCP server needs a static address on 'eth0'" });
  });
});

describe('lab validation: adapters and hypervisors', () => {
  it('keeps adapter slots in the product\'s range and unique per VM', () => {
    expect(errorsAfter((d) => (vbox(d, 0).slot = 9))).toEqual([{ path: '$.vms[0].virtualbox.adapters[0].slot', message: 'must be from 1 to 8, got 9' }]);
    expect(errorsAfter((d) => (vmw(d, 0).slot = 10), VMWARE)[0]).toMatchObject({ message: 'must be from 0 to 9, got 10' });
    expect(errorsAfter((d) => d.vms[0].virtualbox!.adapters.push({ ...vbox(d, 0), mac: '080027000001' }))).toEqual([
      { path: '$.vms[0].virtualbox.adapters[1].slot', message: 'adapter slot 1 is already used by adapters[0]', hint: 'give each adapter its own slot' },
    ]);
  });

  it('refuses a VM whose adapters belong to the other hypervisor', () => {
    const vm = (d: LabDocument): Vm => d.vms[0];
    expect(errorsAfter((d) => (vm(d).hypervisor = 'vmware'))[0]).toEqual({
      path: '$.vms[0].virtualbox',
      message: "'vm1' is a VMware VM but has VirtualBox adapters",
      hint: 'move the adapters under "vmware", or set "hypervisor": "virtualbox"',
    });
  });
});

describe('lab validation: port forwarding', () => {
  const rule = { name: 'guestssh', proto: 'tcp' as const, hostIp: '', hostPort: 2222, guestIp: '', guestPort: 22 };

  it('checks ports, protocols and addresses of each rule', () => {
    expect(errorsAfter((d) => (vbox(d, 0).portForwarding = [{ ...rule, hostPort: 0 }]))[0]).toMatchObject({ path: '$.vms[0].virtualbox.adapters[0].portForwarding[0].hostPort', message: 'must be from 1 to 65535, got 0' });
    expect(errorsAfter((d) => (vbox(d, 0).portForwarding = [{ ...rule, proto: 'TCP' as 'tcp' }]))[0]).toMatchObject({ message: "unknown proto 'TCP'; expected one of tcp, udp", hint: "did you mean 'tcp'?" });
    expect(errorsAfter((d) => (vbox(d, 0).portForwarding = [{ ...rule, hostIp: 'localhost' }]))[0].hint).toBe('write four numbers from 0 to 255 separated by dots, like 192.168.56.1, or leave it empty ("")');
  });

  it('refuses two rules of one name or one host port, and commas in names', () => {
    expect(errorsAfter((d) => (vbox(d, 0).portForwarding = [rule, { ...rule, hostPort: 2223 }]))[0]).toMatchObject({ path: '$.vms[0].virtualbox.adapters[0].portForwarding[1].name', message: "rule name 'guestssh' is already used by rule 0" });
    expect(errorsAfter((d) => (vbox(d, 0).portForwarding = [rule, { ...rule, name: 'b' }]))[0]).toMatchObject({ path: '$.vms[0].virtualbox.adapters[0].portForwarding[1].hostPort', message: 'TCP host port 2222 is already forwarded by rule 0' });
    expect(errorsAfter((d) => (vbox(d, 0).portForwarding = [{ ...rule, name: 'a,b' }]))[0]).toMatchObject({ message: "rule names here cannot contain ','" });
  });

  it('needs a guest IP on a NAT Network, VMware NAT and a router, not on VirtualBox NAT', () => {
    expect(errorsAfter((d) => (vbox(d, 0).portForwarding = [rule]))).toEqual([]);
    expect(errorsAfter((d) => d.virtualbox!.natNetworks.push({ name: 'NatNetwork', network: '10.0.2.0/24', enabled: true, dhcp: true, portForwarding: [rule] }))).toEqual([
      { path: '$.virtualbox.natNetworks[0].portForwarding[0].guestIp', message: "a NAT Network's port forwarding needs the guest's IP address", hint: 'write the address the guest has, like 10.0.2.4' },
    ]);
    expect(errorsAfter((d) => (d.vmware!.vmnets[2].nat!.portForwarding = [rule]), VMWARE)[0]).toMatchObject({ path: '$.vmware.vmnets[2].nat.portForwarding[0].guestIp' });
    expect(errorsAfter((d) => (machine(d, 'router').portForwarding = [rule]))[0]).toMatchObject({ path: '$.machines[1].portForwarding[0].guestIp' });
  });

  it('warns when two running VMs forward the same host port', () => {
    const w = warningsAfter((d) => {
      vbox(d, 0).portForwarding = [rule];
      Object.assign(vbox(d, 1), { attachment: 'nat', portForwarding: [{ ...rule }] });
    });
    expect(w).toEqual([
      {
        path: '$.vms[1].virtualbox.adapters[0].portForwarding[0].hostPort',
        message: 'host port 2222/tcp is also forwarded by $.vms[0].virtualbox.adapters[0].portForwarding[0]',
        hint: 'only the first VM to start gets the port; use another one',
      },
    ]);
  });
});

describe('lab validation: the planners\' refusals', () => {
  it('warns (but loads) when a host-only address is outside VirtualBox\'s allowed ranges', () => {
    const d = structuredClone(DEFAULT);
    d.virtualbox!.hostOnly[0] = { name: 'vboxnet0', address: '192.168.99.1/24', dhcp: null };
    const r = validateLab(d);
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual([
      { path: '$.virtualbox.hostOnly[0]', message: 'IP address 192.168.99.1/24 is not within the allowed ranges (192.168.56.0/21)', hint: 'add it to /etc/vbox/networks.conf' },
    ]);
    d.virtualbox!.allowedHostOnlyRanges = ['192.168.56.0/21', '192.168.99.0/24'];
    expect(validateLab(d).warnings).toEqual([]);
  });

  it('reports shape problems before these checks, which need a well-shaped document', () => {
    const r = validateLab({ ...structuredClone(DEFAULT), seed: -1 });
    expect(r).toMatchObject({ ok: false, problems: [{ path: '$.seed', message: 'must be from 0 to 4294967295, got -1' }] });
    expect(checkLab(DEFAULT)).toEqual({ errors: [], warnings: [] });
  });
});
