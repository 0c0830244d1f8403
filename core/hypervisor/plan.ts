// The wiring plan: what a hypervisor's settings mean as networks, services and cables, for the running lab to apply as a difference.
import type { PortForwardRule, PromiscuousPolicy } from '../lab/document';

export interface DhcpPlan {
  /** Name shown in the DHCP Leases inspector (VirtualBox: HostInterfaceNetworking-vboxnet0). */
  name: string;
  server: string;
  prefix: number;
  start: string;
  end: string;
  leaseSeconds: number;
  maxLeaseSeconds?: number;
  router?: string;
  dns?: string[];
  domain?: string;
}

/** A user-mode NAT: VirtualBox NAT (one per VM adapter), a NAT Network's service, VMware's NAT device. */
export interface UserNatPlan {
  flavor: 'vbox-nat' | 'vbox-natnetwork' | 'vmware-nat';
  /** Name shown in the NAT Table inspector. */
  name: string;
  network: string;
  gateway: string;
  dns: string;
  /** An address that stands for the host's loopback (VirtualBox NAT .2 when allowed; NAT Network .2). */
  loopbackAlias?: string;
  localhostReachable: boolean;
  tftp?: string;
  rules: PortForwardRule[];
  /** The guest an empty Guest IP means (VirtualBox NAT: the DHCP address .15). */
  defaultGuest?: string;
  udpTimeoutSeconds?: number;
}

export type VirtualNetworkKind = 'physical' | 'bridge' | 'hostonly' | 'internal' | 'natnetwork' | 'nat' | 'vmnet' | 'lansegment';

export interface VirtualNetworkPlan {
  /** Stable key: the same network in two plans has the same id, so applying a plan touches only what changed. */
  id: string;
  kind: VirtualNetworkKind;
  /** What users see: "vboxnet0", "NAT (vm1, adapter 1)", "VMnet8 (NAT)". */
  label: string;
  /** The host's virtual adapter on this network (vboxnet0 at 192.168.56.1, vmnet8 at .1); `address` is empty when the product refused it (host-only outside networks.conf). */
  hostAdapter?: { name: string; address: string; mac: number };
  dhcp?: DhcpPlan;
  userNat?: UserNatPlan;
  /** For a bridge: the host interface it rides on, and whether that is Wi-Fi (source MACs rewritten). */
  bridge?: { hostInterface: string; physicalNetwork: string; wireless: boolean };
}

export interface NicPlan {
  vm: string;
  /** 1-based adapter number, as VBoxManage's --nicN (VMware's ethernet0 is adapter 1). */
  slot: number;
  mac: number;
  /** The virtual network this adapter's cable goes to; null when not attached. */
  network: string | null;
  /** Cable connected (VirtualBox) / Connected (VMware). */
  connected: boolean;
  promiscuous: PromiscuousPolicy;
  /** What the guest sees as the NIC's model, for `lspci`-like displays. */
  model: string;
  /** The guest's name for it (eth0 for adapter 1). */
  device: string;
  /** "NAT", "Bridged Adapter (eth0)", "VMnet8 (NAT)": the attachment in the product's words. */
  attachmentLabel: string;
}

export interface WiringPlan {
  networks: VirtualNetworkPlan[];
  nics: NicPlan[];
  /** Settings the product would refuse, each with where and why. */
  problems: string[];
}
