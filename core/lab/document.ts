// The lab document: what a lab file holds (machines, networks, VMs and their adapters), version 2 of the format.

/** The format tag every lab file carries; the number is the version of this document's shape (older ones are migrated by lab/migrate.ts). */
export const LAB_FORMAT = 'vmnetlab-lab';
export const LAB_VERSION = 2;

export type Hypervisor = 'virtualbox' | 'vmware';

/** VirtualBox's "Attached to:" values, by VBoxManage's names. */
export type VirtualBoxAttachment = 'none' | 'null' | 'nat' | 'natnetwork' | 'bridged' | 'intnet' | 'hostonly';
/** VMware's "Network connection" values, by the .vmx `connectionType` names (`custom` = a specific VMnet, `pvn` = a LAN segment). */
export type VmwareConnection = 'bridged' | 'nat' | 'hostonly' | 'custom' | 'pvn';

export type VirtualBoxAdapterType = 'Am79C970A' | 'Am79C973' | '82540EM' | '82543GC' | '82545EM' | 'virtio';
export type VmwareVirtualDev = 'vlance' | 'vmxnet' | 'vmxnet3' | 'e1000' | 'e1000e';
export type PromiscuousPolicy = 'deny' | 'allow-vms' | 'allow-all';

/** Version 1 wrote a rule as a VBoxManage string ("guestssh,tcp,,2222,,22"); version 2 as this object. */
export interface PortForwardRule {
  name: string;
  proto: 'tcp' | 'udp';
  /** Empty: every host interface. */
  hostIp: string;
  hostPort: number;
  /** Empty: the guest's DHCP address (VirtualBox NAT only; NAT Network and VMware need it). */
  guestIp: string;
  guestPort: number;
}

export interface VirtualBoxAdapter {
  /** 1-based, as VBoxManage's --nicN counts; VirtualBox has 8, the dialog shows 4. */
  slot: number;
  enabled: boolean;
  attachment: VirtualBoxAttachment;
  /** Network name for bridged (a host interface), intnet, hostonly (vboxnet0) and natnetwork. */
  network?: string;
  /** 12 hex digits, VirtualBox's .vbox form (080027AABBCC). */
  mac: string;
  type: VirtualBoxAdapterType;
  cable: boolean;
  promiscuous: PromiscuousPolicy;
  /** NAT only. */
  portForwarding?: PortForwardRule[];
  /** NAT only: whether 10.0.x.2 reaches the host's loopback (`--nat-localhostreachableN`); off since 7.0. */
  localhostReachable?: boolean;
  /** Remembered settings of the modes not selected (the .vbox's <DisabledModes>). */
  disabledModes?: Partial<Record<'bridged' | 'intnet' | 'hostonly' | 'natnetwork', string>>;
}

export interface VmwareAdapter {
  /** 0-based as in the .vmx (`ethernet0`); up to 10. */
  slot: number;
  present: boolean;
  connectionType: VmwareConnection;
  /** For `custom`: "VMnet2"; for `pvn`: the LAN segment's name. */
  network?: string;
  /** Device status: Connected. */
  connected: boolean;
  /** Connect at power on (`startConnected`). */
  startConnected: boolean;
  virtualDev: VmwareVirtualDev;
  mac: string;
  addressType: 'generated' | 'static';
  /** Bridged only: "Replicate physical network connection state". */
  replicateState?: boolean;
}

/** How a Linux guest reacts when its link comes back: keeps its address (network-scripts) or asks DHCP again (NetworkManager). */
export type GuestNetworkService = 'network-scripts' | 'NetworkManager';

export interface GuestConfig {
  /** The guest's host name. */
  hostname?: string;
  service: GuestNetworkService;
  /** /etc/sysconfig/network-scripts/ifcfg-DEV contents by device, as text. */
  ifcfg: Record<string, string>;
  /** A DHCP client identifier other than the MAC (hex), e.g. one a cloned guest inherited. */
  dhcpClientId?: string;
  /** Run a web server on port 80 (`systemctl start httpd`). */
  httpd?: boolean;
}

export interface Vm {
  name: string;
  hypervisor: Hypervisor;
  /** Powered on when the lab starts. */
  running: boolean;
  os: string;
  virtualbox?: { adapters: VirtualBoxAdapter[] };
  vmware?: { adapters: VmwareAdapter[] };
  guest: GuestConfig;
}

/** How a machine's interface gets its address. */
export type AddressConfig = { mode: 'dhcp' } | { mode: 'static'; address: string; gateway?: string; dns?: string[] } | { mode: 'none' };

export interface MachineInterface {
  name: string;
  /** The network the cable goes to. */
  network: string;
  mac: string;
  config: AddressConfig;
  /** A host's Wi-Fi interface: bridging over it rewrites source MACs, as VirtualBox does. */
  wireless?: boolean;
}

export interface DhcpServiceConfig {
  interface: string;
  rangeStart: string;
  rangeEnd: string;
  leaseSeconds: number;
  router?: string;
  dns?: string[];
  domain?: string;
}

export interface DnsServiceConfig {
  /** Names this server answers for: name → IPv4 address. */
  records: Record<string, string>;
  /** CNAMEs: alias → canonical name. */
  aliases?: Record<string, string>;
  /** Where to send names it does not know; none: answer NXDOMAIN (or REFUSED without recursion). */
  forwarders?: string[];
}

export interface HttpServiceConfig {
  port?: number;
  /** Body of the page at `/`; default: a page naming the machine. */
  body?: string;
  server?: string;
}

export interface MachineServices {
  dhcp?: DhcpServiceConfig[];
  dns?: DnsServiceConfig;
  http?: HttpServiceConfig;
}

export interface StaticRoute {
  /** "default" or a prefix such as 10.0.0.0/8. */
  to: string;
  via: string;
}

/** A physical machine: the host laptop, the home router, another PC, a server on the Internet. */
export interface Machine {
  name: string;
  role: 'host' | 'router' | 'pc' | 'server';
  interfaces: MachineInterface[];
  routes?: StaticRoute[];
  /** Routes between its interfaces (ip_forward). */
  forwarding?: boolean;
  /** Masquerade traffic leaving this interface (a home router's WAN, Internet Connection Sharing). */
  masquerade?: string[];
  /** Port forwarding into the LAN on a masquerading router. */
  portForwarding?: PortForwardRule[];
  services?: MachineServices;
  /** resolv.conf nameservers when not given by DHCP. */
  dns?: string[];
}

export interface Network {
  name: string;
  /** lan: a home or office Ethernet; internet: the public routed cloud (the lab adds the ISP's router). */
  kind: 'lan' | 'internet';
}

export interface VirtualBoxHostOnly {
  name: string;
  address: string;
  dhcp: { enabled: boolean; server: string; lower: string; upper: string; leaseSeconds: number } | null;
}

export interface VirtualBoxNatNetwork {
  name: string;
  network: string;
  enabled: boolean;
  dhcp: boolean;
  portForwarding: PortForwardRule[];
  localhostReachable?: boolean;
}

export interface VirtualBoxHostConfig {
  hostOnly: VirtualBoxHostOnly[];
  natNetworks: VirtualBoxNatNetwork[];
  /** Internal networks with a DHCP server configured (`dhcpserver add --network NAME`). */
  internalDhcp?: Array<{ network: string; server: string; lower: string; upper: string; mask: string; leaseSeconds: number }>;
  /** /etc/vbox/networks.conf ranges on Linux and macOS hosts; default 192.168.56.0/21. */
  allowedHostOnlyRanges?: string[];
}

export interface VmnetConfig {
  /** VMnet0 … VMnet19. */
  name: string;
  type: 'bridged' | 'hostonly' | 'nat';
  /** Bridged: the host interface ("Bridged to:"). */
  bridgedTo?: string;
  subnet?: string;
  /** "Connect a host virtual adapter to this network". */
  hostAdapter?: boolean;
  /** "Use local DHCP service to distribute IP address to VMs". */
  dhcp?: boolean;
  dhcpRange?: { start: string; end: string; defaultLeaseSeconds: number; maxLeaseSeconds: number };
  nat?: { gateway: string; portForwarding: PortForwardRule[]; udpTimeoutSeconds: number };
}

export interface VmwareHostConfig {
  vmnets: VmnetConfig[];
  lanSegments: string[];
}

export interface LabDocument {
  format: typeof LAB_FORMAT;
  /** Always the current version once loaded: older files are migrated first. */
  version: typeof LAB_VERSION;
  name: string;
  description?: string;
  /** Seed of every random choice in the lab (MACs not given, ISNs, DHCP xids…). */
  seed: number;
  networks: Network[];
  machines: Machine[];
  vms: Vm[];
  virtualbox?: VirtualBoxHostConfig;
  vmware?: VmwareHostConfig;
}
