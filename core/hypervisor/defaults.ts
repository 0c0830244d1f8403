// The real products' default addresses, MAC prefixes and timers, kept in one place so each is easy to check and correct.

/** VirtualBox NAT: adapter N's network is 10.0.(N+1).0/24 (adapter 1: 10.0.2.0/24). */
export function vboxNatNetwork(slot: number): string {
  return `10.0.${slot + 1}.0/24`;
}

export const VBOX_NAT = {
  /** Host part of each role in a NAT network (10.0.2.x). */
  gatewayHost: 2,
  dnsHost: 3,
  tftpHost: 4,
  guestHost: 15,
  /** The built-in DHCP hands out 16 addresses, .15–.30. */
  dhcpCount: 16,
  leaseSeconds: 86_400,
  /**
   * MAC of the virtual gateway and DNS as guests see them in `ip neigh` (52:54:00:12:35:0x, the last byte the
   * host part). (unverified: taken from guests' ARP tables as users report them)
   */
  macPrefix: 0x525400123500,
} as const;

export const VBOX_NAT_NETWORK = {
  defaultNetwork: '10.0.2.0/24',
  defaultName: 'NatNetwork',
  gatewayHost: 1,
  loopbackHost: 2,
  dhcpServerHost: 3,
  dhcpFirstHost: 4,
  dhcpLastHost: 254,
  leaseSeconds: 86_400, // (unverified)
} as const;

export const VBOX_HOST_ONLY = {
  name: 'vboxnet0',
  address: '192.168.56.1/24',
  dhcpNetworkName: 'HostInterfaceNetworking-vboxnet0',
  dhcpServer: '192.168.56.100',
  dhcpLower: '192.168.56.101',
  dhcpUpper: '192.168.56.254',
  leaseSeconds: 600, // (unverified) VBoxNetDHCP's default lease
  /** Since 6.1.28, Linux and macOS hosts allow only this range unless /etc/vbox/networks.conf says otherwise. */
  allowedRanges: ['192.168.56.0/21'],
  /** The host-only interface's own MAC prefix, as `ip link` on a Linux host shows vboxnetN (0a:00:27:00:00:0N). */
  hostMacPrefix: 0x0a0027000000,
} as const;

export const VBOX_INTNET_DEFAULT = 'intnet';
/** VirtualBox's OUI for generated MACs. */
export const VBOX_MAC_PREFIX = 0x080027000000;
export const VBOX_DEFAULT_ADAPTER_TYPE = 'Am79C973';
export const VBOX_MAX_ADAPTERS = 8;
export const VBOX_DIALOG_ADAPTERS = 4;

export const VMWARE = {
  hostHost: 1,
  natHost: 2,
  staticFirst: 3,
  staticLast: 127,
  dhcpFirst: 128,
  dhcpLast: 254,
  /** The VMware DHCP service answers from the top of the pool (.254), leasing the rest. (unverified) */
  dhcpServerHost: 254,
  defaultLeaseSeconds: 1_800,
  maxLeaseSeconds: 7_200,
  udpTimeoutSeconds: 30,
  /** Generated MACs start 00:0C:29; static ones lie in 00:50:56:00:00:00–00:50:56:3F:FF:FF. */
  generatedMacPrefix: 0x000c29000000,
  staticMacPrefix: 0x005056000000,
  /** The host's virtual adapters vmnet1/vmnet8 (00:50:56:C0:00:0N). */
  hostAdapterMacPrefix: 0x005056c00000,
  /** The NAT device's MAC on VMnet8 as guests see it. (unverified) */
  natMac: 0x005056e00000,
  maxAdapters: 10,
  bridged: 'VMnet0',
  hostOnly: 'VMnet1',
  nat: 'VMnet8',
} as const;

/** The home LAN and Internet of the bundled labs. */
export const HOME = {
  router: '192.168.1.1/24',
  dhcpStart: '192.168.1.100',
  dhcpEnd: '192.168.1.199',
  leaseSeconds: 86_400,
  publicDns: '114.114.114.114',
  web: '93.184.216.34',
  webName: 'www.example.com',
} as const;
