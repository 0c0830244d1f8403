import { describe, expect, it } from 'vitest';
import type { LabDocument } from '../../../core/lab/document';
import { LAB_FORMAT, LAB_VERSION } from '../../../core/lab/document';
import { Shell } from '../../../core/lab/shell/shell';
import { vmUuid } from '../../../core/lab/shell/vboxmanage/common';
import { FakeLab, FakeOs, runLine } from '../../support/fake-os';
import { ip, World } from '../../support/world';

function document(): LabDocument {
  return {
    format: LAB_FORMAT,
    version: LAB_VERSION,
    name: 'test',
    seed: 42,
    networks: [{ name: 'home', kind: 'lan' }],
    machines: [
      {
        name: 'laptop',
        role: 'host',
        interfaces: [
          { name: 'eth0', network: 'home', mac: '3C970E112233', config: { mode: 'dhcp' } },
          { name: 'wlan0', network: 'home', mac: '001B21445566', config: { mode: 'none' }, wireless: true },
        ],
      },
    ],
    vms: [
      {
        name: 'vm1',
        hypervisor: 'virtualbox',
        running: true,
        os: 'RedHat_64',
        guest: { service: 'network-scripts', ifcfg: {} },
        virtualbox: {
          adapters: [
            {
              slot: 1,
              enabled: true,
              attachment: 'nat',
              mac: '080027AABBCC',
              type: '82540EM',
              cable: true,
              promiscuous: 'deny',
              portForwarding: [{ name: 'guestssh', proto: 'tcp', hostIp: '', hostPort: 2222, guestIp: '', guestPort: 22 }],
            },
          ],
        },
      },
      {
        name: 'vm2',
        hypervisor: 'virtualbox',
        running: false,
        os: 'Debian_64',
        guest: { service: 'NetworkManager', ifcfg: {} },
        virtualbox: {
          adapters: [
            { slot: 1, enabled: true, attachment: 'hostonly', network: 'vboxnet0', mac: '080027000102', type: '82540EM', cable: true, promiscuous: 'deny' },
            { slot: 2, enabled: true, attachment: 'intnet', network: 'lab', mac: '080027000103', type: 'virtio', cable: false, promiscuous: 'allow-all' },
          ],
        },
      },
      { name: 'ws1', hypervisor: 'vmware', running: true, os: 'centos7', guest: { service: 'network-scripts', ifcfg: {} }, vmware: { adapters: [] } },
    ],
    virtualbox: {
      hostOnly: [{ name: 'vboxnet0', address: '192.168.56.1/24', dhcp: { enabled: true, server: '192.168.56.100', lower: '192.168.56.101', upper: '192.168.56.254', leaseSeconds: 600 } }],
      natNetworks: [{ name: 'NatNetwork', network: '10.0.2.0/24', enabled: true, dhcp: true, portForwarding: [] }],
    },
  };
}

function host() {
  const w = new World(4);
  const lan = w.switch('home');
  const laptop = w.host('laptop');
  const eth0 = laptop.addInterface('eth0', 0x3c970e112233);
  w.cable(eth0.port!, lan.addPort());
  laptop.addAddress(eth0, ip('192.168.1.10'), 24, 'dhcp', 3_600_000_000);
  laptop.addInterface('wlan0', 0x001b21445566);
  const vboxnet0 = laptop.addInterface('vboxnet0', 0x0a0027000000);
  w.cable(vboxnet0.port!, w.switch('vboxnet0').addPort());
  laptop.addAddress(vboxnet0, ip('192.168.56.1'), 24);
  const lab = new FakeLab(document());
  const os = new FakeOs(laptop, { lab, kind: 'fixed' });
  const shell = new Shell(os);
  const run = (line: string) => runLine(shell, w.scheduler, line);
  const vm = (name: string) => lab.doc.vms.find((v) => v.name === name)!;
  const adapter = (name: string, slot: number) => vm(name).virtualbox!.adapters.find((a) => a.slot === slot)!;
  return { w, lab, os, run, vm, adapter };
}

const LOGO = 'Oracle VM VirtualBox Command Line Management Interface Version 7.0.14\nCopyright (C) 2005-2024 Oracle and/or its affiliates\n\n';

describe('VBoxManage list', () => {
  it('lists VirtualBox VMs with stable UUIDs, and the running ones', () => {
    const h = host();
    const doc = h.lab.doc;
    const [vm1, vm2] = doc.vms;
    expect(vmUuid(doc, vm1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(h.run('VBoxManage list vms').out).toBe(`"vm1" {${vmUuid(doc, vm1)}}\n"vm2" {${vmUuid(doc, vm2)}}\n`);
    expect(h.run('vboxmanage list runningvms').out).toBe(`"vm1" {${vmUuid(doc, vm1)}}\n`);
  });

  it('lists the host\'s bridgeable interfaces and host-only adapters in VirtualBox\'s layout', () => {
    const h = host();
    expect(h.run('VBoxManage list bridgedifs').out).toBe(
      'Name:            eth0\nGUID:            30687465-0000-4000-8000-3c970e112233\nDHCP:            Enabled\nIPAddress:       192.168.1.10\nNetworkMask:     255.255.255.0\n' +
        'IPV6Address:     fe80::3e97:eff:fe11:2233\nIPV6NetworkMaskPrefixLength: 64\nHardwareAddress: 3c:97:0e:11:22:33\nMediumType:      Ethernet\nWireless:        No\nStatus:          Up\nVBoxNetworkName: HostInterfaceNetworking-eth0\n\n' +
        'Name:            wlan0\nGUID:            6e616c77-0030-4000-8000-001b21445566\nDHCP:            Disabled\nIPAddress:       \nNetworkMask:     \n' +
        'IPV6Address:     \nIPV6NetworkMaskPrefixLength: 0\nHardwareAddress: 00:1b:21:44:55:66\nMediumType:      Ethernet\nWireless:        Yes\nStatus:          Down\nVBoxNetworkName: HostInterfaceNetworking-wlan0\n\n',
    );
    expect(h.run('VBoxManage list hostonlyifs').out).toBe(
      'Name:            vboxnet0\nGUID:            786f6276-656e-4074-8000-0a0027000000\nDHCP:            Disabled\nIPAddress:       192.168.56.1\nNetworkMask:     255.255.255.0\n' +
        'IPV6Address:     fe80::800:27ff:fe00:0\nIPV6NetworkMaskPrefixLength: 64\nHardwareAddress: 0a:00:27:00:00:00\nMediumType:      Ethernet\nWireless:        No\nStatus:          Up\nVBoxNetworkName: HostInterfaceNetworking-vboxnet0\n\n',
    );
  });

  it('lists NAT networks, DHCP servers and internal networks', () => {
    const h = host();
    expect(h.run('VBoxManage list natnets').out).toBe(
      'NetworkName:    NatNetwork\nIP:             10.0.2.1\nNetwork:        10.0.2.0/24\nIPv6 Enabled:   No\nIPv6 Prefix:    fd17:625c:f037:2::/64\nDHCP Enabled:   Yes\nEnabled:        Yes\nloopback mappings (ipv4)\n        127.0.0.1=2\n\n',
    );
    const global = 'Global Configuration:\n    minLeaseTime:     default\n    defaultLeaseTime: default\n    maxLeaseTime:     default\n    Forced options:   None\n    Suppressed opts.: None\n';
    expect(h.run('VBoxManage list dhcpservers').out).toBe(
      'NetworkName:    HostInterfaceNetworking-vboxnet0\nDhcpd IP:       192.168.56.100\nLowerIPAddress: 192.168.56.101\nUpperIPAddress: 192.168.56.254\nNetworkMask:    255.255.255.0\nEnabled:        Yes\n' +
        global +
        '        1/legacy: 255.255.255.0\nGroups:               None\nIndividual Configs:   None\n\n' +
        'NetworkName:    NatNetwork\nDhcpd IP:       10.0.2.3\nLowerIPAddress: 10.0.2.4\nUpperIPAddress: 10.0.2.254\nNetworkMask:    255.255.255.0\nEnabled:        Yes\n' +
        global +
        '        1/legacy: 255.255.255.0\n        3/legacy: 10.0.2.1\n        6/legacy: 10.0.2.1\nGroups:               None\nIndividual Configs:   None\n',
    );
    expect(h.run('VBoxManage list intnets').out).toBe('Name:        lab\n');
  });
});

describe('VBoxManage showvminfo', () => {
  it('--machinereadable prints every NIC as VirtualBox 7 does, NAT settings and forwarding rules included', () => {
    const h = host();
    const t = h.run('VBoxManage showvminfo vm1 --machinereadable');
    const nics = t.out.slice(t.out.indexOf('natnet1='));
    expect(nics).toBe(
      'natnet1="nat"\nmacaddress1="080027AABBCC"\ncableconnected1="on"\nnic1="nat"\nnictype1="82540EM"\nnicspeed1="0"\n' +
        'mtu="0"\nsockSnd="64"\nsockRcv="64"\ntcpWndSnd="64"\ntcpWndRcv="64"\nForwarding(0)="guestssh,tcp,,2222,,22"\n' +
        'nic2="none"\nnic3="none"\nnic4="none"\nnic5="none"\nnic6="none"\nnic7="none"\nnic8="none"\n',
    );
    expect(t.out.startsWith(`name="vm1"\ngroups="/"\nostype="RedHat_64"\nUUID="${vmUuid(h.lab.doc, h.vm('vm1'))}"\n`)).toBe(true);
    expect(t.out).toContain('VMState="running"\n');
    const vm2 = h.run('VBoxManage showvminfo vm2 --machinereadable').out;
    expect(vm2).toContain('hostonlyadapter1="vboxnet0"\nmacaddress1="080027000102"\ncableconnected1="on"\nnic1="hostonly"\nnictype1="82540EM"\nnicspeed1="0"\n');
    expect(vm2).toContain('intnet2="lab"\nmacaddress2="080027000103"\ncableconnected2="off"\nnic2="intnet"\nnictype2="virtio"\nnicspeed2="0"\n');
  });

  it('the human form has VirtualBox\'s NIC lines', () => {
    const h = host();
    const t = h.run('VBoxManage showvminfo vm2');
    expect(t.out).toContain(
      'NIC 1:                       MAC: 080027000102, Attachment: Host-only Interface \'vboxnet0\', Cable connected: on, Trace: off (file: none), Type: 82540EM, Reported speed: 0 Mbps, Boot priority: 0, Promisc Policy: deny, Bandwidth group: none\n',
    );
    expect(t.out).toContain('NIC 3:                       disabled\n');
  });

  it('an unknown VM is VirtualBox\'s three-line error, exit 1', () => {
    const h = host();
    const t = h.run('VBoxManage showvminfo vm9');
    expect(t.err).toBe(
      "VBoxManage: error: Could not find a registered machine named 'vm9'\n" +
        'VBoxManage: error: Details: code VBOX_E_OBJECT_NOT_FOUND (0x80bb0001), component VirtualBoxWrap, interface IVirtualBox, callee nsISupports\n' +
        'VBoxManage: error: Context: "FindMachine(Bstr(VMNameOrUuid).raw(), machine.asOutParam())" at line 3340 of file VBoxManageInfo.cpp\n',
    );
    expect(t.code).toBe(1);
  });
});

describe('VBoxManage modifyvm', () => {
  it('refuses a running VM: it is locked for a session', () => {
    const h = host();
    const t = h.run('VBoxManage modifyvm vm1 --nic1 bridged');
    expect(t.err).toBe(
      "VBoxManage: error: The machine 'vm1' is already locked for a session (or being unlocked)\n" +
        'VBoxManage: error: Details: code VBOX_E_INVALID_OBJECT_STATE (0x80bb0007), component MachineWrap, interface IMachine, callee nsISupports\n' +
        'VBoxManage: error: Context: "LockMachine(a->session, LockType_Write)" at line 640 of file VBoxManageModifyVM.cpp\n',
    );
    expect(t.code).toBe(1);
    expect(h.lab.applied).toHaveLength(0);
  });

  it('switches an adapter to bridged and back, remembering each mode\'s network as the .vbox\'s DisabledModes do', () => {
    const h = host();
    expect(h.run('VBoxManage modifyvm vm2 --nic1 bridged --bridge-adapter1 eth0').code).toBe(0);
    expect(h.adapter('vm2', 1)).toMatchObject({ attachment: 'bridged', network: 'eth0', disabledModes: { hostonly: 'vboxnet0' } });
    expect(h.run('VBoxManage modifyvm vm2 --nic1=hostonly').code).toBe(0);
    expect(h.adapter('vm2', 1)).toMatchObject({ attachment: 'hostonly', network: 'vboxnet0', disabledModes: { bridged: 'eth0' } });
    expect(h.lab.applied).toHaveLength(2);
  });

  it('takes the old spellings too and enables a new adapter with a generated VirtualBox MAC', () => {
    const h = host();
    const t = h.run('VBoxManage modifyvm vm2 --nic3 nat --nictype3 82545EM --cableconnected3 off --nicpromisc3 allow-vms --natpf3 "web,tcp,,8080,,80"');
    expect(t.code).toBe(0);
    const a = h.adapter('vm2', 3);
    expect(a).toMatchObject({ enabled: true, attachment: 'nat', type: '82545EM', cable: false, promiscuous: 'allow-vms' });
    expect(a.portForwarding).toEqual([{ name: 'web', proto: 'tcp', hostIp: '', hostPort: 8080, guestIp: '', guestPort: 80 }]);
    expect(a.mac).toMatch(/^080027[0-9A-F]{6}$/);
    // auto draws a new address, never one the lab already uses.
    h.run('VBoxManage modifyvm vm2 --macaddress3 auto');
    expect(h.adapter('vm2', 3).mac).toMatch(/^080027[0-9A-F]{6}$/);
    expect(h.adapter('vm2', 3).mac).not.toBe(a.mac);
    h.run('VBoxManage modifyvm vm2 --mac-address3 080027123456 --nic-promisc3 deny --cable-connected3 on');
    expect(h.adapter('vm2', 3)).toMatchObject({ mac: '080027123456', promiscuous: 'deny', cable: true });
  });

  it('takes VirtualBox 7\'s spellings for type, internal and NAT networks and localhost reachability', () => {
    const h = host();
    expect(h.run('VBoxManage modifyvm vm2 --nic-type2 Am79C973 --intnet2 dmz --nic1 natnetwork --nat-network1 NatNetwork').code).toBe(0);
    expect(h.adapter('vm2', 2)).toMatchObject({ attachment: 'intnet', network: 'dmz', type: 'Am79C973' });
    expect(h.adapter('vm2', 1)).toMatchObject({ attachment: 'natnetwork', network: 'NatNetwork', disabledModes: { hostonly: 'vboxnet0' } });
    expect(h.run('VBoxManage modifyvm vm2 --nic1 nat --nat-localhostreachable1 on').code).toBe(0);
    expect(h.adapter('vm2', 1)).toMatchObject({ attachment: 'nat', localhostReachable: true, disabledModes: { hostonly: 'vboxnet0', natnetwork: 'NatNetwork' } });
    expect(h.run('VBoxManage modifyvm vm2 --nic2 none').code).toBe(0);
    expect(h.run('VBoxManage showvminfo vm2 --machinereadable').out).toContain('nic2="none"\n');
  });

  it('adds and deletes NAT rules, with the NAT engine\'s errors for duplicates and unknown names', () => {
    const h = host();
    h.run('VBoxManage controlvm vm1 poweroff');
    const dup = h.run('VBoxManage modifyvm vm1 --natpf1 "guestssh,tcp,,2223,,22"');
    expect(dup.err.split('\n')[0]).toBe('VBoxManage: error: A NAT rule of this name already exists');
    expect(dup.code).toBe(1);
    const port = h.run('VBoxManage modifyvm vm1 --nat-pf1 "other,tcp,,2222,,23"');
    expect(port.err.split('\n')[0]).toBe('VBoxManage: error: A NAT rule for this host port and this host IP already exists');
    expect(h.run('VBoxManage modifyvm vm1 --natpf1 delete guestssh').code).toBe(0);
    expect(h.adapter('vm1', 1).portForwarding).toEqual([]);
    const gone = h.run('VBoxManage modifyvm vm1 --natpf1 delete guestssh');
    expect(gone.err.split('\n')[0]).toBe('VBoxManage: error: A NAT rule of this name does not exist');
    const proto = h.run('VBoxManage modifyvm vm1 --natpf1 "x,icmp,,1,,1"');
    expect([proto.err, proto.code]).toEqual(["VBoxManage: error: Invalid proto 'x,icmp,,1,,1' specfied for NIC 1\n", 1]);
  });

  it('warns about an unknown bridge interface but keeps the setting, and fails on an invalid type', () => {
    const h = host();
    const t = h.run('VBoxManage modifyvm vm2 --bridgeadapter1 eth9');
    expect([t.err, t.code]).toEqual(['VBoxManage: warning: Interface "eth9" doesn\'t seem to exist\n', 0]);
    expect(h.adapter('vm2', 1).disabledModes).toEqual({ bridged: 'eth9' });
    const bad = h.run('VBoxManage modifyvm vm2 --nic1 bogus');
    expect([bad.err, bad.code]).toEqual(["VBoxManage: error: Invalid type 'bogus' specfied for NIC 1\n", 1]);
    expect(h.lab.applied).toHaveLength(1);
  });

  it('syntax errors show the logo, the error and the usage, with exit status 2', () => {
    const h = host();
    const t = h.run('VBoxManage modifyvm vm2 --frobnicate 1');
    expect(t.code).toBe(2);
    expect(t.err.startsWith(LOGO + 'VBoxManage: error: Unknown option: --frobnicate\nUsage - Change settings for a virtual machine that is stopped:\n')).toBe(true);
    expect(t.err.endsWith('\nVBoxManage: error: Unknown option: --frobnicate\n')).toBe(true);
    const nf = h.run('VBoxManage modifyvm vm9 --nic1 nat');
    expect(nf.err.split('\n')[0]).toBe("VBoxManage: error: Could not find a registered machine named 'vm9'");
    const nic9 = h.run('VBoxManage modifyvm vm2 --nic9 nat');
    expect([nic9.err, nic9.code]).toEqual(["VBoxManage: error: Invalid NIC number '9'\n", 1]);
  });

  it('prints what the lab refuses when the change cannot be applied', () => {
    const h = host();
    h.lab.refuse = ["vms[1].virtualbox.adapters[0]: host-only network 'vboxnet7' does not exist (VBoxManage hostonlyif create)"];
    const t = h.run('VBoxManage modifyvm vm2 --host-only-adapter1 vboxnet7');
    expect(t.err).toBe(
      'VBoxManage: warning: Interface "vboxnet7" doesn\'t seem to exist\n' +
        "VBoxManage: error: vms[1].virtualbox.adapters[0]: host-only network 'vboxnet7' does not exist (VBoxManage hostonlyif create)\n",
    );
    expect(t.code).toBe(1);
  });
});

describe('VBoxManage controlvm and startvm', () => {
  it('rewires a running VM\'s NIC, pulls its cable, adds a NAT rule and powers it off', () => {
    const h = host();
    expect(h.run('VBoxManage controlvm vm1 natpf1 "http,tcp,127.0.0.1,8080,,80"').code).toBe(0);
    expect(h.adapter('vm1', 1).portForwarding?.map((r) => r.name)).toEqual(['guestssh', 'http']);
    expect(h.run('VBoxManage controlvm vm1 natpf1 delete http').code).toBe(0);
    expect(h.run('VBoxManage controlvm vm1 nic1 hostonly vboxnet0').code).toBe(0);
    expect(h.adapter('vm1', 1)).toMatchObject({ attachment: 'hostonly', network: 'vboxnet0' });
    expect(h.run('VBoxManage controlvm vm1 setlinkstate1 off').code).toBe(0);
    expect(h.adapter('vm1', 1).cable).toBe(false);
    const off = h.run('VBoxManage controlvm vm1 poweroff');
    expect([off.err, off.code]).toEqual(['0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n', 0]);
    expect(h.vm('vm1').running).toBe(false);
    const again = h.run('VBoxManage controlvm vm1 poweroff');
    expect([again.err, again.code]).toEqual(["VBoxManage: error: Machine 'vm1' is not currently running.\n", 1]);
  });

  it('a disabled NIC cannot change attachment (a message, status 0 as VirtualBox returns)', () => {
    const h = host();
    const t = h.run('VBoxManage controlvm vm1 nic2 nat');
    expect([t.err, t.code]).toEqual(["VBoxManage: error: The NIC 2 is currently disabled and thus its attachment type can't be changed.\n", 0]);
    const bad = h.run('VBoxManage controlvm vm1 nic1 teleport');
    expect(bad.err).toContain("VBoxManage: error: Invalid type 'teleport' specfied for NIC 1.\n");
    expect(bad.code).toBe(1);
  });

  it('startvm powers a VM on and refuses one already running', () => {
    const h = host();
    const t = h.run('VBoxManage startvm vm2 --type headless');
    expect([t.out, t.code]).toEqual(['Waiting for VM "vm2" to power on...\nVM "vm2" has been successfully started.\n', 0]);
    expect(h.vm('vm2').running).toBe(true);
    const again = h.run('VBoxManage startvm vm2');
    expect(again.err.split('\n')[0]).toBe("VBoxManage: error: The machine 'vm2' is already locked by a session (or being locked or unlocked)");
    expect(again.code).toBe(1);
  });
});

describe('VBoxManage natnetwork and dhcpserver', () => {
  it('adds a NAT network, forwards a port into it, lists it and removes it', () => {
    const h = host();
    expect(h.run('VBoxManage natnetwork add --netname LabNet --network "192.168.15.0/24" --enable --dhcp on').code).toBe(0);
    expect(h.run('VBoxManage natnetwork modify --netname LabNet --port-forward-4 "ssh:tcp:[]:1022:[192.168.15.5]:22"').code).toBe(0);
    expect(h.lab.doc.virtualbox?.natNetworks[1]).toEqual({
      name: 'LabNet',
      network: '192.168.15.0/24',
      enabled: true,
      dhcp: true,
      portForwarding: [{ name: 'ssh', proto: 'tcp', hostIp: '', hostPort: 1022, guestIp: '192.168.15.5', guestPort: 22 }],
    });
    expect(h.run('VBoxManage natnetwork list LabNet').out).toBe(
      'NAT Networks:\n\nName:         LabNet\nEnabled:      Yes\nNetwork:      192.168.15.0/24\nGateway:      192.168.15.1\nDHCP Server:  Yes\nIPv6:         No\nIPv6 Prefix:  fd17:625c:f037:2::/64\nIPv6 Default: No\n' +
        'Port-forwarding (ipv4)\n        ssh:tcp:[]:1022:[192.168.15.5]:22\nloopback mappings (ipv4)\n        127.0.0.1=2\n\n1 network found\n',
    );
    const dup = h.run('VBoxManage natnetwork add --netname LabNet --network 10.1.0.0/24');
    expect(dup.err.split('\n')[0]).toBe('VBoxManage: error: NATNetwork server already exists');
    expect(h.run('VBoxManage natnetwork modify --netname LabNet --port-forward-4 delete ssh --dhcp off').code).toBe(0);
    expect(h.lab.doc.virtualbox?.natNetworks[1]).toMatchObject({ dhcp: false, portForwarding: [] });
    expect(h.run('VBoxManage natnetwork remove --netname LabNet').code).toBe(0);
    expect(h.lab.doc.virtualbox?.natNetworks.map((n) => n.name)).toEqual(['NatNetwork']);
    const none = h.run('VBoxManage natnetwork add --network 10.1.0.0/24');
    expect(none.code).toBe(2);
    expect(none.err).toContain('VBoxManage: error: A net name must be specified (--netname)\n');
  });

  it('adds a DHCP server to an internal network and switches the host-only one off', () => {
    const h = host();
    expect(h.run('VBoxManage dhcpserver add --network=lab --server-ip=10.10.10.1 --netmask=255.255.255.0 --lower-ip=10.10.10.100 --upper-ip=10.10.10.200 --enable').code).toBe(0);
    expect(h.lab.doc.virtualbox?.internalDhcp).toEqual([{ network: 'lab', server: '10.10.10.1', lower: '10.10.10.100', upper: '10.10.10.200', mask: '255.255.255.0', leaseSeconds: 600 }]);
    expect(h.run('VBoxManage dhcpserver modify --ifname vboxnet0 --disable').code).toBe(0);
    expect(h.lab.doc.virtualbox?.hostOnly[0].dhcp?.enabled).toBe(false);
    expect(h.run('VBoxManage dhcpserver modify --netname HostInterfaceNetworking-vboxnet0 --ip 192.168.56.2 --lowerip 192.168.56.50 --upperip 192.168.56.60 --enable').code).toBe(0);
    expect(h.lab.doc.virtualbox?.hostOnly[0].dhcp).toEqual({ enabled: true, server: '192.168.56.2', lower: '192.168.56.50', upper: '192.168.56.60', leaseSeconds: 600 });
    const dup = h.run('VBoxManage dhcpserver add --network=lab --server-ip=10.10.10.1 --netmask=255.255.255.0 --lower-ip=10.10.10.100 --upper-ip=10.10.10.200 --enable');
    expect(dup.err.split('\n')[0]).toBe('VBoxManage: error: DHCP server already exists');
    expect(h.run('VBoxManage dhcpserver remove --network=lab').code).toBe(0);
    expect(h.lab.doc.virtualbox?.internalDhcp).toEqual([]);
  });

  it('--version prints VirtualBox\'s version and revision', () => {
    const h = host();
    expect(h.run('VBoxManage --version').out).toBe('7.0.14r161095\n');
  });
});
