// VBoxManage's brief usage texts for the subcommands the lab implements, as errorSyntax prints them (network options only).
export const MODIFYVM_USAGE = `Usage - Change settings for a virtual machine that is stopped:

  VBoxManage modifyvm <uuid | vmname> [--nic<1-N>=none | null | nat |
      bridged | intnet | hostonly | hostonlynet | generic | natnetwork |
      cloud] [--nic-type<1-N>=Am79C970A | Am79C973 | 82540EM | 82543GC |
      82545EM | virtio] [--cable-connected<1-N>=on | off]
      [--nic-trace<1-N>=on | off] [--nic-trace-file<1-N>=filename]
      [--nic-property<1-N>=name=[value]] [--nic-speed<1-N>=kbps]
      [--nic-boot-prio<1-N>=priority] [--nic-promisc<1-N>=deny | allow-vms |
      allow-all] [--nic-bandwidth-group<1-N>=none | name]
      [--bridge-adapter<1-N>=none | device-name]
      [--cloud-network<1-N>=network-name] [--host-only-adapter<1-N>=none |
      device-name] [--host-only-net<1-N>=network-name]
      [--intnet<1-N>=network-name] [--nat-network<1-N>=network-name]
      [--nic-generic-drv<1-N>=driver-name] [--mac-address<1-N>=auto |
      MAC-address]
  VBoxManage modifyvm <uuid | vmname> [--nat-net<1-N>=network |
      default] [--nat-pf<1-N>=[rule-name],tcp | udp,[host-IP],hostport,
      [guest-IP],guestport] [--nat-pf<1-N>=delete=rule-name]
      [--nat-localhostreachable<1-N>=on | off]
`;

export const CONTROLVM_USAGE = `Usage - Manage a running virtual machine:

  VBoxManage controlvm <uuid | vmname> poweroff
  VBoxManage controlvm <uuid | vmname> setlinkstate<1-N> on | off
  VBoxManage controlvm <uuid | vmname> nic<1-N> null | nat | bridged |
      intnet | hostonly | generic | natnetwork [device-name]
  VBoxManage controlvm <uuid | vmname> nicpromisc<1-N> deny | allow-vms |
      allow-all
  VBoxManage controlvm <uuid | vmname> natpf<1-N> [rulename],tcp | udp,
      host-IP,hostport,guest-IP,guestport
  VBoxManage controlvm <uuid | vmname> natpf<1-N> delete rulename
`;

export const STARTVM_USAGE = `Usage - Start a virtual machine:

  VBoxManage startvm <uuid | vmname...> [--putenv=name[=value]]
      [--type= [ gui | headless | sdl | separate ]]
`;

export const SHOWVMINFO_USAGE = `Usage - Show configuration information or log file contents for a virtual machine:

  VBoxManage showvminfo <uuid | vmname> [--details] [--machinereadable]
      [--password-id] [--password]
`;

export const LIST_USAGE = `Usage - List information about the system or configured items:

  VBoxManage list [--long] [--platform-arch=x86 | arm] [--sorted]
      [bridgedifs | cloudnets | cloudprofiles | cloudproviders | cpu-profiles |
      dhcpservers | dvds | extpacks | floppies | groups | hddbackends | hdds |
      hostcpuids | hostdrives | hostdvds | hostfloppies | hostinfo |
      hostonlyifs | hostonlynets | intnets | natnets | ostypes |
      runningvms | screenshotformats | systemproperties | usbfilters |
      usbhost | vms | webcams]
`;

export const NATNETWORK_USAGE = `Usage - Create, modify, and manage a NAT network:

  VBoxManage natnetwork add [--disable | --enable] <--netname=name>
      <--network=network> [--dhcp=on | off] [--ipv6=on | off]
      [--loopback-4=rule] [--loopback-6=rule] [--port-forward-4=rule]
      [--port-forward-6=rule]
  VBoxManage natnetwork list [filter-pattern]
  VBoxManage natnetwork modify [--dhcp=on | off] [--disable | --enable]
      <--netname=name> <--network=network> [--ipv6=on | off]
      [--loopback-4=rule] [--loopback-6=rule] [--port-forward-4=rule]
      [--port-forward-6=rule]
  VBoxManage natnetwork remove <--netname=name>
  VBoxManage natnetwork start <--netname=name>
  VBoxManage natnetwork stop <--netname=name>
`;

export const DHCPSERVER_USAGE = `Usage - DHCP server management:

  VBoxManage dhcpserver add <--network=netname | --interface=ifname>
      <--server-ip=address> <--netmask=mask> <--lower-ip=address>
      <--upper-ip=address> <--enable | --disable>
  VBoxManage dhcpserver modify <--network=netname | --interface=ifname>
      [--server-ip=address] [--lower-ip=address] [--upper-ip=address]
      [--netmask=mask] [--enable | --disable]
  VBoxManage dhcpserver remove <--network=netname | --interface=ifname>
`;

export const GENERAL_USAGE = `Usage:

  VBoxManage [<general option>] <command>

Commands (those the lab implements):

  list, showvminfo, modifyvm, controlvm, startvm, natnetwork, dhcpserver
`;
