// A network interface of a machine (eth0, lo): its port, MAC, IPv4 addresses, ARP cache and counters.
import type { Port } from '../sim/link';
import { broadcastOf, type Ipv4Addr, type MacAddr, inSubnet } from '../wire/address';
import type { NeighborTable } from './neighbor';

/** How an address came to be: typed by hand (`ip addr add`, ifcfg static) or leased by DHCP. */
export type AddressSource = 'static' | 'dhcp' | 'kernel';

export interface InterfaceAddress {
  readonly address: Ipv4Addr;
  readonly prefix: number;
  readonly broadcast: Ipv4Addr;
  readonly source: AddressSource;
  /** For DHCP addresses, when the lease runs out (µs), as `ip addr` shows `valid_lft`. */
  validUntilUs: number;
  /** Metric of the connected route the kernel adds for it (NetworkManager: 100; ifup/`ip addr add`: 0). */
  routeMetric: number;
}

export class NetInterface {
  readonly addresses: InterfaceAddress[] = [];
  /** Receive frames addressed to other MACs too (a sniffer, a bridged guest in promiscuous mode). */
  promiscuous = false;
  mtu = 1500;
  /**
   * Addresses that answer ARP with a MAC of their own, as VirtualBox NAT's gateway (…:02) and DNS (…:03) do
   * although one engine serves both. Null for ordinary interfaces.
   */
  addressMacs: Map<Ipv4Addr, MacAddr> | null = null;
  /** Frames or packets dropped here, by reason, for `ip -s link` and the inspector. */
  readonly drops = { malformed: 0, fragments: 0, notForUs: 0, noRoute: 0, ttl: 0, filtered: 0, unresolved: 0 };

  constructor(
    readonly name: string,
    /** The connector the cable plugs into; null for the loopback interface. */
    readonly port: Port | null,
    mac: MacAddr,
    /** Set by the host when it creates the interface. */
    public neighbors: NeighborTable,
    readonly index: number,
  ) {
    this.mac = mac;
  }

  private macValue = 0;
  /** The MAC's top 16 and low 32 bits, compared with a frame's destination without building a number per frame. */
  macHi = 0;
  macLo = 0;

  get mac(): MacAddr {
    return this.macValue;
  }

  set mac(v: MacAddr) {
    this.macValue = v;
    this.macHi = Math.floor(v / 0x100000000);
    this.macLo = v >>> 0;
  }

  get isLoopback(): boolean {
    return this.port === null;
  }

  /** `ip link set DEV up|down`. The loopback is always up. */
  get up(): boolean {
    return this.port === null ? true : this.port.adminUp;
  }

  get carrier(): boolean {
    return this.port === null ? true : this.port.carrier;
  }

  /** The first address, which Linux uses as the source when nothing else decides. */
  get primary(): InterfaceAddress | undefined {
    return this.addresses[0];
  }

  hasAddress(ip: Ipv4Addr): boolean {
    const a = this.addresses;
    for (let i = 0; i < a.length; i++) if (a[i].address === ip) return true;
    return false;
  }

  /** True for the directed broadcast of one of this interface's subnets. */
  isBroadcast(ip: Ipv4Addr): boolean {
    const a = this.addresses;
    for (let i = 0; i < a.length; i++) if (a[i].broadcast === ip) return true;
    return false;
  }

  /** The address to send from toward `dst`: one in the same subnet when there is one, else the primary. */
  sourceFor(dst: Ipv4Addr): Ipv4Addr {
    for (const a of this.addresses) if (inSubnet(dst, a.address, a.prefix)) return a.address;
    return this.addresses.length > 0 ? this.addresses[0].address : 0;
  }

  /** The MAC that frames from `ip` carry and that ARP answers for it with. */
  macFor(ip: Ipv4Addr): MacAddr {
    if (this.addressMacs === null) return this.mac;
    return this.addressMacs.get(ip) ?? this.mac;
  }

  /** True for the interface's MAC or one of its per-address MACs. */
  ownsMac(mac: MacAddr): boolean {
    if (mac === this.mac) return true;
    if (this.addressMacs === null) return false;
    for (const m of this.addressMacs.values()) if (m === mac) return true;
    return false;
  }

  static makeAddress(address: Ipv4Addr, prefix: number, source: AddressSource, validUntilUs = Infinity): InterfaceAddress {
    return { address, prefix, broadcast: prefix >= 31 ? 0 : broadcastOf(address, prefix), source, validUntilUs, routeMetric: 0 };
  }
}
