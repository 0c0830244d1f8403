// One machine's IPv4 stack: interfaces, ARP, routing, local delivery, forwarding with netfilter-like hooks, ICMP, UDP.
import { Port } from '../sim/link';
import type { EventLog, LabEventKind } from '../sim/event-log';
import type { Random } from '../sim/random';
import type { Scheduler } from '../sim/scheduler';
import { formatIpv4, formatMac, type Ipv4Addr, type MacAddr, MAC_BROADCAST, prefixToMask } from '../wire/address';
import { ARP_REPLY, ARP_REQUEST, ArpView, arpAnnouncement, arpProbe, arpRequest, emitArp, type ArpRepr } from '../wire/arp';
import { getU16, setU16, setU48 } from '../wire/bytes';
import { ETHERNET_HEADER_LEN, ETHERNET_MIN_FRAME, ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_VLAN } from '../wire/ethernet';
import {
  emitIcmp,
  ICMP_DEST_UNREACHABLE,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  ICMP_TIME_EXCEEDED,
  IcmpView,
  parseIcmpQuote,
  TIME_EXCEEDED_TTL,
  UNREACH_HOST,
  UNREACH_NET,
  UNREACH_PORT,
  UNREACH_PROTOCOL,
  type IcmpQuoted,
  type IcmpRepr,
} from '../wire/icmp';
import { emitIpv4Header, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, IPV4_DEFAULT_TTL, IPV4_HEADER_LEN, Ipv4View } from '../wire/ipv4';
import { emitUdp, UDP_HEADER_LEN, UdpView } from '../wire/udp';
import { type AddressSource, type InterfaceAddress, NetInterface } from './interface';
import { NeighborTable } from './neighbor';
import { type Route, RoutingTable } from './routes';
import { type SendResult, type UdpBindOptions, UdpLayer, type UdpSendOptions, type UdpSocket } from './udp';

/** What a hook decides about a packet. */
export const ACCEPT = 0;
/** The hook dropped the packet. */
export const DROP = 1;
/** The hook took the packet (it now belongs to the hook's owner). */
export const STOLEN = 2;
export type Verdict = typeof ACCEPT | typeof DROP | typeof STOLEN;

/**
 * A netfilter-like hook on an IPv4 packet inside `frame` at `ipOffset`. It may rewrite the packet in place
 * (NAT), keeping its checksums right. `iface` is the interface the packet came in on (prerouting, forward,
 * input) or goes out of (postrouting, output).
 */
export type IpHook = (frame: Uint8Array, ipOffset: number, iface: NetInterface) => Verdict;

export interface HostHooks {
  prerouting: IpHook[];
  input: IpHook[];
  forward: IpHook[];
  output: IpHook[];
  postrouting: IpHook[];
}

/** A transport protocol above IP (TCP) that the host hands segments and ICMP errors to. */
export interface TransportProtocol {
  input(src: Ipv4Addr, dst: Ipv4Addr, segment: Uint8Array, iface: NetInterface): void;
  /** An ICMP error (or a local ARP failure) about a segment we sent; `quoted` is what the error quotes of it. */
  icmpError?(from: Ipv4Addr, type: number, code: number, quoted: IcmpQuoted): void;
}

/** What a ping program learns back from the stack for its echo id. */
export interface EchoListener {
  onReply(src: Ipv4Addr, seq: number, ttl: number, data: Uint8Array, bytes: number): void;
  /** An ICMP error (or a local "Destination Host Unreachable") about one of our echo requests. */
  onError(from: Ipv4Addr, type: number, code: number, seq: number, dst: Ipv4Addr): void;
}

export interface HostContext {
  readonly scheduler: Scheduler;
  readonly random: Random;
  readonly log: EventLog;
}

export interface IpSendOptions {
  src?: Ipv4Addr;
  ttl?: number;
  /** Send out of this interface without consulting the routing table (broadcasts, DHCP). */
  device?: NetInterface;
  /** Destination MAC to use without ARP. */
  dstMac?: MacAddr;
  dontFragment?: boolean;
}

/** Writes a transport payload at `offset` of `buf`, knowing the addresses the packet will carry (for checksums). */
export type PayloadWriter = (buf: Uint8Array, offset: number, src: Ipv4Addr, dst: Ipv4Addr) => void;

const LOOPBACK_NET = 0x7f000000;
const ICMP_QUOTE_MAX = 576 - IPV4_HEADER_LEN - 8; // RFC 1812 4.3.2.3: as much as fits in 576 bytes
/** How often one (address, foreign MAC) conflict is reported again, so a busy conflict does not flood the log. */
const CONFLICT_REPORT_INTERVAL_US = 10_000_000;

export interface ConflictInfo {
  iface: NetInterface;
  ip: Ipv4Addr;
  mac: MacAddr;
}

export class Host {
  readonly interfaces: NetInterface[] = [];
  readonly loopback: NetInterface;
  readonly routes = new RoutingTable();
  readonly hooks: HostHooks = { prerouting: [], input: [], forward: [], output: [], postrouting: [] };
  readonly udp: UdpLayer;
  /** Transport protocols by IP protocol number, beyond ICMP and UDP (TCP registers here). */
  readonly transports = new Map<number, TransportProtocol>();
  /** Acts as a router (net.ipv4.ip_forward). */
  forwarding = false;
  /** Linux ignores broadcast pings by default (icmp_echo_ignore_broadcasts). */
  ignoreBroadcastPings = true;
  /** Answer echo requests at all (a firewall may turn this off). */
  answerPings = true;
  readonly stats = { ipIn: 0, ipOut: 0, forwarded: 0, delivered: 0, icmpErrorsSent: 0, malformed: 0, fragmentsDropped: 0 };

  private localAddrs = new Set<Ipv4Addr>();
  private echoListeners = new Map<number, EchoListener>();
  private arpWatchers: Array<(iface: NetInterface, arp: ArpView) => void> = [];
  private carrierListeners: Array<(iface: NetInterface, up: boolean) => void> = [];
  private conflictListeners: Array<(c: ConflictInfo) => void> = [];
  private conflictReported = new Map<string, number>();
  private ident: number;
  // Reused views: the receive path allocates nothing.
  private readonly ip = new Ipv4View();
  private readonly arp = new ArpView();
  private readonly udpView = new UdpView();
  private readonly icmpView = new IcmpView();

  constructor(
    readonly name: string,
    readonly ctx: HostContext,
  ) {
    this.udp = new UdpLayer(this, ctx.random.u32());
    this.ident = ctx.random.u32() & 0xffff;
    this.loopback = new NetInterface('lo', null, 0, this.makeNeighbors(() => this.loopback), 1);
    this.loopback.addresses.push(NetInterface.makeAddress(LOOPBACK_NET + 1, 8, 'kernel'));
    this.interfaces.push(this.loopback);
    this.rebuildLocal();
  }

  get now(): number {
    return this.ctx.scheduler.now;
  }

  log(kind: LabEventKind, message: string): void {
    this.ctx.log.add(this.name, kind, message);
  }

  private makeNeighbors(iface: () => NetInterface): NeighborTable {
    return new NeighborTable(this.ctx.scheduler, this.ctx.random, {
      sendRequest: (ip, unicastMac) => this.sendArpRequest(iface(), ip, unicastMac),
      transmit: (frame) => {
        const i = iface();
        if (i.port !== null) i.port.send(frame);
      },
      unreachable: (frame) => this.onUnresolved(iface(), frame),
    });
  }

  /** Adds an Ethernet interface (eth0, enp0s3…) with its own port for a cable. */
  addInterface(name: string, mac: MacAddr): NetInterface {
    if (this.interface(name)) throw new Error(`${this.name} already has an interface named ${name}`);
    const port = new Port(this.name, name);
    let me: NetInterface | null = null;
    const iface = new NetInterface(name, port, mac, this.makeNeighbors(() => me as NetInterface), this.interfaces.length + 1);
    me = iface;
    port.onFrame = (frame) => this.receive(frame, iface);
    port.onCarrier = (up) => this.onCarrier(iface, up);
    this.interfaces.push(iface);
    return iface;
  }

  interface(name: string): NetInterface | undefined {
    return this.interfaces.find((i) => i.name === name);
  }

  /** Ports of this machine's interfaces rewrite frames in place once it forwards, so flooding must give it copies. */
  setForwarding(on: boolean): void {
    this.forwarding = on;
    for (const i of this.interfaces) if (i.port) i.port.mutatesFrames = on || this.hooks.prerouting.length > 0;
  }

  // ---- addresses and routes -------------------------------------------------------------------------

  isLocal(ip: Ipv4Addr): boolean {
    return this.localAddrs.has(ip) || ((ip & 0xff000000) >>> 0) === LOOPBACK_NET;
  }

  private rebuildLocal(): void {
    this.localAddrs.clear();
    for (const i of this.interfaces) for (const a of i.addresses) this.localAddrs.add(a.address);
  }

  /** `ip addr add ADDR/PREFIX dev DEV`; also adds the connected route, as the kernel does. */
  addAddress(iface: NetInterface, address: Ipv4Addr, prefix: number, source: AddressSource = 'static', validUntilUs = Infinity, routeMetric = 0): boolean {
    if (iface.addresses.some((a) => a.address === address)) return false;
    const a = NetInterface.makeAddress(address, prefix, source, validUntilUs);
    a.routeMetric = routeMetric;
    iface.addresses.push(a);
    this.rebuildLocal();
    if (iface.up) this.addConnectedRoute(iface, a);
    this.log('address-added', `${formatIpv4(address)}/${prefix} on ${iface.name} (${source})`);
    return true;
  }

  removeAddress(iface: NetInterface, address: Ipv4Addr): boolean {
    const i = iface.addresses.findIndex((a) => a.address === address);
    if (i < 0) return false;
    const [a] = iface.addresses.splice(i, 1);
    this.rebuildLocal();
    // The kernel drops the connected route and every route whose preferred source was this address.
    this.routes.remove({ iface, proto: 'kernel', dst: (a.address & prefixToMask(a.prefix)) >>> 0, prefix: a.prefix });
    this.routes.remove({ iface, src: address });
    // Routes via a gateway that is no longer on a connected network go too.
    for (const r of [...this.routes.routes]) {
      if (r.iface === iface && r.gateway !== 0 && !iface.addresses.some((x) => ((r.gateway ^ x.address) & prefixToMask(x.prefix)) === 0)) this.routes.remove({ iface, dst: r.dst, prefix: r.prefix, gateway: r.gateway });
    }
    this.log('address-removed', `${formatIpv4(a.address)}/${a.prefix} from ${iface.name}`);
    return true;
  }

  private addConnectedRoute(iface: NetInterface, a: InterfaceAddress): void {
    if (a.prefix >= 32) return;
    this.routes.add({ dst: a.address, prefix: a.prefix, gateway: 0, iface, metric: a.routeMetric, proto: 'kernel', src: a.address });
  }

  /** `ip route add`; false when it exists or the gateway is not on a connected network ("Nexthop has invalid gateway"). */
  addRoute(route: Omit<Route, 'dst'> & { dst: Ipv4Addr }): boolean {
    if (route.gateway !== 0 && !route.iface.addresses.some((a) => ((route.gateway ^ a.address) & prefixToMask(a.prefix)) === 0)) return false;
    return this.routes.add(route);
  }

  /** `ip link set DEV up|down`. Down removes the interface's routes, as Linux does; up restores the connected ones. */
  setLinkUp(iface: NetInterface, up: boolean): void {
    if (iface.port === null || iface.port.adminUp === up) return;
    iface.port.adminUp = up;
    if (!up) {
      this.routes.remove({ iface });
      iface.neighbors.flush();
    } else {
      for (const a of iface.addresses) this.addConnectedRoute(iface, a);
    }
  }

  private onCarrier(iface: NetInterface, up: boolean): void {
    this.log(up ? 'link-up' : 'link-down', up ? `${iface.name}: link is up` : `${iface.name}: link is down`);
    if (!up) iface.neighbors.flush();
    for (const l of this.carrierListeners) l(iface, up);
  }

  onCarrierChange(listener: (iface: NetInterface, up: boolean) => void): () => void {
    this.carrierListeners.push(listener);
    return () => (this.carrierListeners = this.carrierListeners.filter((l) => l !== listener));
  }

  onConflict(listener: (c: ConflictInfo) => void): () => void {
    this.conflictListeners.push(listener);
    return () => (this.conflictListeners = this.conflictListeners.filter((l) => l !== listener));
  }

  // ---- receive ----------------------------------------------------------------------------------------

  private receive(frame: Uint8Array, iface: NetInterface): void {
    if (frame.length < ETHERNET_HEADER_LEN) {
      iface.drops.malformed++;
      this.stats.malformed++;
      return;
    }
    // Destination MAC: ours, broadcast or multicast; other hosts' frames go no further than a sniffer would.
    const d0 = (frame[0] << 8) | frame[1];
    const d1 = ((frame[2] << 24) | (frame[3] << 16) | (frame[4] << 8) | frame[5]) >>> 0;
    if (!(d0 === iface.macHi && d1 === iface.macLo) && (frame[0] & 1) === 0 && !(iface.addressMacs !== null && iface.ownsMac(d0 * 0x100000000 + d1))) {
      iface.drops.notForUs++;
      return;
    }
    let type = getU16(frame, 12);
    let off = ETHERNET_HEADER_LEN;
    if (type === ETHERTYPE_VLAN) {
      if (frame.length < 18) {
        iface.drops.malformed++;
        return;
      }
      type = getU16(frame, 16);
      off = 18;
    }
    if (type === ETHERTYPE_IPV4) this.ipInput(frame, off, iface);
    else if (type === ETHERTYPE_ARP) this.arpInput(frame, off, iface);
  }

  // ---- ARP --------------------------------------------------------------------------------------------

  private arpInput(frame: Uint8Array, off: number, iface: NetInterface): void {
    const a = this.arp.wrap(frame, off);
    if (!a.check()) {
      iface.drops.malformed++;
      this.stats.malformed++;
      return;
    }
    const op = a.operation;
    const senderIp = a.senderIp;
    const senderMac = a.senderMac;
    const targetIp = a.targetIp;
    for (const w of this.arpWatchers) w(iface, a);
    // Another machine claims one of our addresses (RFC 5227 section 2.4: ongoing conflict detection).
    if (senderIp !== 0 && senderMac !== iface.mac && iface.hasAddress(senderIp)) this.reportConflict(iface, senderIp, senderMac);
    if (op === ARP_REQUEST && iface.hasAddress(targetIp)) {
      if (senderIp !== 0) iface.neighbors.learn(senderIp, senderMac, 'request-to-us');
      this.sendArp(iface, { operation: ARP_REPLY, senderMac: iface.macFor(targetIp), senderIp: targetIp, targetMac: senderMac, targetIp: senderIp }, senderMac);
      return;
    }
    if (senderIp === 0) return;
    if (op === ARP_REPLY && a.targetMac === iface.mac) iface.neighbors.learn(senderIp, senderMac, 'reply');
    else iface.neighbors.learn(senderIp, senderMac, 'other');
  }

  private reportConflict(iface: NetInterface, ip: Ipv4Addr, mac: MacAddr): void {
    const key = `${iface.name}/${ip}/${mac}`;
    const last = this.conflictReported.get(key);
    if (last !== undefined && this.now - last < CONFLICT_REPORT_INTERVAL_US) return;
    this.conflictReported.set(key, this.now);
    this.log('address-conflict', `IP address ${formatIpv4(ip)} on ${iface.name} is also used by ${formatMac(mac)}`);
    for (const l of this.conflictListeners) l({ iface, ip, mac });
  }

  private sendArp(iface: NetInterface, repr: ArpRepr, dstMac: MacAddr): void {
    if (iface.port === null) return;
    const frame = new Uint8Array(ETHERNET_MIN_FRAME);
    setU48(frame, 0, dstMac);
    setU48(frame, 6, repr.senderMac);
    setU16(frame, 12, ETHERTYPE_ARP);
    emitArp(repr, frame, ETHERNET_HEADER_LEN);
    iface.port.send(frame);
  }

  private sendArpRequest(iface: NetInterface, ip: Ipv4Addr, unicastMac: MacAddr | null): void {
    this.sendArp(iface, arpRequest(iface.mac, iface.sourceFor(ip), ip), unicastMac ?? MAC_BROADCAST);
  }

  /** Gratuitous ARP announcing one of our addresses (`arping -U`, NetworkManager after configuring). */
  announce(iface: NetInterface, ip: Ipv4Addr): void {
    this.sendArp(iface, arpAnnouncement(iface.mac, ip), MAC_BROADCAST);
  }

  /**
   * Duplicate address detection (`arping -D`, RFC 5227 probes): sends `count` probes `intervalUs` apart and
   * calls back with the MAC of whoever else uses `ip`, or null when nobody answered by `intervalUs` after the last.
   */
  probeAddress(iface: NetInterface, ip: Ipv4Addr, done: (ownerMac: MacAddr | null) => void, count = 2, intervalUs = 1_000_000): void {
    let finished = false;
    let sent = 0;
    const watcher = (i: NetInterface, a: ArpView): void => {
      if (finished || i !== iface || a.senderIp !== ip || a.senderMac === iface.mac) return;
      finish(a.senderMac);
    };
    const finish = (mac: MacAddr | null): void => {
      if (finished) return;
      finished = true;
      this.arpWatchers = this.arpWatchers.filter((w) => w !== watcher);
      done(mac);
    };
    this.arpWatchers.push(watcher);
    const tick = (): void => {
      if (finished) return;
      if (sent < count) {
        sent++;
        this.sendArp(iface, arpProbe(iface.mac, ip), MAC_BROADCAST);
        this.ctx.scheduler.schedule(intervalUs, tick, null);
      } else finish(null);
    };
    tick();
  }

  // ---- IPv4 input -------------------------------------------------------------------------------------

  private ipInput(frame: Uint8Array, off: number, iface: NetInterface): void {
    const ip = this.ip.wrap(frame, off);
    if (!ip.check()) {
      iface.drops.malformed++;
      this.stats.malformed++;
      return;
    }
    this.stats.ipIn++;
    if (ip.isFragment) {
      iface.drops.fragments++;
      this.stats.fragmentsDropped++;
      return;
    }
    const pre = this.hooks.prerouting;
    for (let i = 0; i < pre.length; i++) {
      const v = pre[i](frame, off, iface);
      if (v !== ACCEPT) return;
    }
    const ipv = this.ip.wrap(frame, off); // a hook may have run the receive path re-entrantly
    const dst = ipv.dst;
    if (this.localAddrs.has(dst) || dst === 0xffffffff || iface.isBroadcast(dst) || (dst & 0xff000000) >>> 0 === LOOPBACK_NET) {
      this.localInput(frame, off, iface, true);
      return;
    }
    // A DHCP client with no address yet receives its OFFER addressed to the offered IP.
    if (this.udp.anyDestinationSockets > 0 && ipv.protocol === IPPROTO_UDP && ipv.totalLength >= ipv.headerLength + UDP_HEADER_LEN && this.udp.hasAnyDestination(getU16(frame, off + ipv.headerLength + 2), iface)) {
      this.localInput(frame, off, iface, false);
      return;
    }
    if ((dst & 0xf0000000) >>> 0 === 0xe0000000) return; // multicast we did not join
    if (!this.forwarding) {
      iface.drops.notForUs++;
      return;
    }
    this.forward(frame, off, iface);
  }

  private forward(frame: Uint8Array, off: number, inIface: NetInterface): void {
    const ip = this.ip.wrap(frame, off);
    if ((frame[0] & 1) !== 0) return; // never route link-layer broadcasts
    if (ip.ttl <= 1) {
      inIface.drops.ttl++;
      this.sendIcmpError(frame, off, inIface, ICMP_TIME_EXCEEDED, TIME_EXCEEDED_TTL);
      return;
    }
    const route = this.routes.lookup(ip.dst);
    if (route === null) {
      inIface.drops.noRoute++;
      this.sendIcmpError(frame, off, inIface, ICMP_DEST_UNREACHABLE, UNREACH_NET);
      return;
    }
    const fwd = this.hooks.forward;
    for (let i = 0; i < fwd.length; i++) {
      if (fwd[i](frame, off, inIface) !== ACCEPT) {
        inIface.drops.filtered++;
        return;
      }
    }
    this.ip.wrap(frame, off).decrementTtl();
    let out = frame;
    if (off !== ETHERNET_HEADER_LEN) {
      // Re-frame without the 802.1Q tag.
      const len = this.ip.wrap(frame, off).totalLength;
      out = new Uint8Array(Math.max(ETHERNET_MIN_FRAME, ETHERNET_HEADER_LEN + len));
      out.set(frame.subarray(off, off + len), ETHERNET_HEADER_LEN);
    }
    this.stats.forwarded++;
    this.transmitIp(out, route.iface, route.gateway !== 0 ? route.gateway : this.ip.wrap(out, ETHERNET_HEADER_LEN).dst, true);
  }

  /**
   * Final steps of every IPv4 packet leaving the machine: postrouting hooks (SNAT), Ethernet header, ARP.
   * `frame` holds the packet at offset 14.
   */
  private transmitIp(frame: Uint8Array, iface: NetInterface, nextHop: Ipv4Addr, forwarded: boolean, dstMac = -1): SendResult {
    const post = this.hooks.postrouting;
    for (let i = 0; i < post.length; i++) if (post[i](frame, ETHERNET_HEADER_LEN, iface) !== ACCEPT) return 'no-route';
    if (iface.port === null) {
      // Loopback: deliver to ourselves on the next turn of the clock.
      this.ctx.scheduler.schedule(0, this.loopDeliver, frame);
      return 'sent';
    }
    if (!iface.carrier) {
      if (!forwarded) return 'link-down';
      iface.drops.unresolved++;
      return 'link-down';
    }
    setU48(frame, 6, iface.addressMacs === null ? iface.mac : iface.macFor(this.ip.wrap(frame, ETHERNET_HEADER_LEN).src));
    frame[12] = 0x08;
    frame[13] = 0x00;
    this.stats.ipOut++;
    const dst = this.ip.wrap(frame, ETHERNET_HEADER_LEN).dst;
    if (dstMac >= 0) {
      setU48(frame, 0, dstMac);
      iface.port.send(frame);
      return 'sent';
    }
    if (dst === 0xffffffff || iface.isBroadcast(dst)) {
      setU48(frame, 0, MAC_BROADCAST);
      iface.port.send(frame);
      return 'sent';
    }
    if (forwarded) {
      iface.neighbors.output(nextHop, frame);
      return 'sent';
    }
    const before = iface.neighbors.get(nextHop);
    iface.neighbors.output(nextHop, frame);
    return before !== undefined && (before.state === 'REACHABLE' || before.state === 'STALE' || before.state === 'PERMANENT') ? 'sent' : 'queued';
  }

  // Looped-back packets pass the prerouting hooks too, as on Linux: a NAT's port forwarding also serves the host itself.
  private readonly loopDeliver = (frame: Uint8Array): void => {
    this.ipInput(frame, ETHERNET_HEADER_LEN, this.loopback);
  };

  /** A frame whose next hop never answered ARP: tell whoever sent it. */
  private onUnresolved(iface: NetInterface, frame: Uint8Array): void {
    iface.drops.unresolved++;
    const ip = this.ip.wrap(frame, ETHERNET_HEADER_LEN);
    if (frame.length < ETHERNET_HEADER_LEN + IPV4_HEADER_LEN) return;
    if (this.localAddrs.has(ip.src)) {
      // Our own packet: the kernel reports EHOSTUNREACH to the socket; ping prints it "From <our address>".
      this.deliverLocalError(iface.sourceFor(ip.dst), ICMP_DEST_UNREACHABLE, UNREACH_HOST, frame.subarray(ETHERNET_HEADER_LEN, ETHERNET_HEADER_LEN + ip.totalLength));
    } else {
      this.sendIcmpError(frame, ETHERNET_HEADER_LEN, iface, ICMP_DEST_UNREACHABLE, UNREACH_HOST);
    }
  }

  private localInput(frame: Uint8Array, off: number, iface: NetInterface, dstIsLocal: boolean): void {
    const inp = this.hooks.input;
    for (let i = 0; i < inp.length; i++) if (inp[i](frame, off, iface) !== ACCEPT) return;
    const ip = this.ip.wrap(frame, off);
    const proto = ip.protocol;
    const src = ip.src;
    const dst = ip.dst;
    const ttl = ip.ttl;
    const start = ip.payloadOffset;
    const end = off + ip.totalLength;
    this.stats.delivered++;
    if (proto === IPPROTO_ICMP) {
      this.icmpInput(frame, off, start, end, src, dst, ttl, iface);
    } else if (proto === IPPROTO_UDP) {
      const u = this.udpView.wrap(frame, start, end - start);
      if (!u.check() || !u.verifyChecksum(src, dst)) {
        iface.drops.malformed++;
        return;
      }
      const sock = this.udp.lookup(u.dstPort, dst, iface, dstIsLocal);
      if (sock === null) {
        if (dstIsLocal && this.localAddrs.has(dst)) this.sendIcmpError(frame, off, iface, ICMP_DEST_UNREACHABLE, UNREACH_PORT);
        return;
      }
      const srcMac = ((frame[6] << 8) | frame[7]) * 0x100000000 + (((frame[8] << 24) | (frame[9] << 16) | (frame[10] << 8) | frame[11]) >>> 0);
      sock.onMessage({ src, srcPort: u.srcPort, dst, dstPort: u.dstPort, srcMac, iface, ttl, payload: frame.subarray(u.payloadOffset, u.payloadOffset + u.payloadLength) });
    } else {
      const t = this.transports.get(proto);
      if (t) t.input(src, dst, frame.subarray(start, end), iface);
      else if (this.localAddrs.has(dst)) this.sendIcmpError(frame, off, iface, ICMP_DEST_UNREACHABLE, UNREACH_PROTOCOL);
    }
  }

  private icmpInput(frame: Uint8Array, off: number, start: number, end: number, src: Ipv4Addr, dst: Ipv4Addr, ttl: number, iface: NetInterface): void {
    const icmp = this.icmpView.wrap(frame, start, end - start);
    if (!icmp.check()) {
      iface.drops.malformed++;
      return;
    }
    const type = icmp.type;
    if (type === ICMP_ECHO_REQUEST) {
      if (!this.answerPings) return;
      if (!this.localAddrs.has(dst) && (dst & 0xff000000) >>> 0 !== LOOPBACK_NET && this.ignoreBroadcastPings) return;
      const data = frame.subarray(start + 8, end);
      this.sendIp(src, IPPROTO_ICMP, 8 + data.length, (buf, o) => {
        emitIcmp({ kind: 'echo-reply', id: icmp.id, seq: icmp.seq, data }, buf, o);
      }, { src: this.localAddrs.has(dst) ? dst : undefined });
      return;
    }
    if (type === ICMP_ECHO_REPLY) {
      const l = this.echoListeners.get(icmp.id);
      if (l) l.onReply(src, icmp.seq, ttl, frame.subarray(start + 8, end), end - start);
      return;
    }
    if (icmp.isError) {
      this.deliverLocalError(src, type, icmp.code, frame.subarray(start + 8, end));
    }
    void off;
  }

  /** Hands an ICMP error (received, or made up locally for an unresolved neighbour) to the socket that caused it. */
  private deliverLocalError(from: Ipv4Addr, type: number, code: number, quoted: Uint8Array): void {
    const q = parseIcmpQuote(quoted);
    if (!q.ok) return;
    const qq = q.value;
    if (qq.protocol === IPPROTO_ICMP && qq.echoId >= 0) {
      const l = this.echoListeners.get(qq.echoId);
      if (l) l.onError(from, type, code, qq.echoSeq, qq.dst);
    } else if (qq.protocol === IPPROTO_UDP && qq.srcPort >= 0) {
      for (const s of this.udp.sockets()) if (s.port === qq.srcPort) s.onError({ from, type, code, dst: qq.dst, dstPort: qq.dstPort, quotedTtl: qq.ttl });
    } else if (qq.protocol === IPPROTO_TCP && qq.srcPort >= 0) {
      this.transports.get(IPPROTO_TCP)?.icmpError?.(from, type, code, qq);
    }
  }

  /**
   * Sends an ICMP error about the packet at `frame[off..]` back to its source, with the rules of RFC 1122/1812:
   * never about an ICMP error, a broadcast, a fragment after the first, or a packet from nowhere.
   */
  sendIcmpError(frame: Uint8Array, off: number, inIface: NetInterface, type: number, code: number): void {
    const ip = this.ip.wrap(frame, off);
    const src = ip.src;
    const dst = ip.dst;
    if (src === 0 || src === 0xffffffff || (src & 0xf0000000) >>> 0 === 0xe0000000 || (dst & 0xf0000000) >>> 0 === 0xe0000000) return;
    if (dst === 0xffffffff || inIface.isBroadcast(dst) || (frame[0] & 1) !== 0) return;
    if (ip.fragmentOffset !== 0) return;
    if (ip.protocol === IPPROTO_ICMP) {
      const t = frame[ip.payloadOffset];
      if (t !== ICMP_ECHO_REQUEST && t !== ICMP_ECHO_REPLY) return;
    }
    const total = ip.totalLength;
    const quote = frame.slice(off, off + Math.min(total, ICMP_QUOTE_MAX));
    const repr: IcmpRepr =
      type === ICMP_TIME_EXCEEDED ? { kind: 'time-exceeded', code, original: quote } : { kind: 'dest-unreachable', code, original: quote };
    // The error comes from our address on the interface the packet arrived on (as Linux picks it for forwarded packets).
    const from = this.localAddrs.has(dst) ? dst : inIface.sourceFor(src);
    if (from === 0) return;
    this.stats.icmpErrorsSent++;
    this.sendIp(src, IPPROTO_ICMP, 8 + quote.length, (buf, o) => emitIcmp(repr, buf, o), { src: from, ttl: IPV4_DEFAULT_TTL });
  }

  // ---- output -----------------------------------------------------------------------------------------

  /** The route and source address the kernel would use toward `dst` (`ip route get`). */
  routeTo(dst: Ipv4Addr): { iface: NetInterface; nextHop: Ipv4Addr; src: Ipv4Addr } | null {
    if (this.isLocal(dst)) return { iface: this.loopback, nextHop: dst, src: (dst & 0xff000000) >>> 0 === LOOPBACK_NET ? dst : dst };
    const r = this.routes.lookup(dst);
    if (r === null) return null;
    const src = r.src !== 0 ? r.src : r.iface.sourceFor(r.gateway !== 0 ? r.gateway : dst);
    return { iface: r.iface, nextHop: r.gateway !== 0 ? r.gateway : dst, src };
  }

  /** Sends an IPv4 packet from this machine: routing, source selection, output hooks, ARP. */
  sendIp(dst: Ipv4Addr, protocol: number, payloadLength: number, write: PayloadWriter, options: IpSendOptions = {}): SendResult {
    let iface: NetInterface;
    let nextHop: Ipv4Addr;
    // An explicit source of 0.0.0.0 is kept (a DHCP client before it has an address); absent means choose one.
    let src = options.src ?? 0;
    if (options.device !== undefined) {
      iface = options.device;
      nextHop = dst;
      if (options.src === undefined && iface.addresses.length > 0) src = iface.sourceFor(dst);
      if (!iface.up) return 'link-down';
    } else {
      const r = this.routeTo(dst);
      if (r === null) return 'no-route';
      iface = r.iface;
      nextHop = r.nextHop;
      if (options.src === undefined) src = r.src;
      if (src === 0 && !iface.isLoopback) return 'no-address';
    }
    const total = IPV4_HEADER_LEN + payloadLength;
    if (total > iface.mtu && !iface.isLoopback) return 'too-big';
    const frame = new Uint8Array(Math.max(ETHERNET_MIN_FRAME, ETHERNET_HEADER_LEN + total));
    this.ident = (this.ident + 1) & 0xffff;
    emitIpv4Header(
      { src, dst, protocol, ttl: options.ttl ?? IPV4_DEFAULT_TTL, payloadLength, ident: this.ident, dontFragment: options.dontFragment ?? protocol !== IPPROTO_UDP },
      frame,
      ETHERNET_HEADER_LEN,
    );
    write(frame, ETHERNET_HEADER_LEN + IPV4_HEADER_LEN, src, dst);
    const outHooks = this.hooks.output;
    for (let i = 0; i < outHooks.length; i++) if (outHooks[i](frame, ETHERNET_HEADER_LEN, iface) !== ACCEPT) return 'no-route';
    return this.transmitIp(frame, iface, nextHop, false, options.dstMac ?? -1);
  }

  /**
   * Sends an IPv4 packet that is already formed, routed like local output with its source address kept
   * (a user-mode NAT re-emitting a guest's packet as the host's own). `frame` holds the packet at `offset`;
   * at offset 14 it is sent in place, otherwise copied.
   */
  sendIpFrame(frame: Uint8Array, offset = ETHERNET_HEADER_LEN): SendResult {
    let out = frame;
    if (offset !== ETHERNET_HEADER_LEN) {
      const len = this.ip.wrap(frame, offset).totalLength;
      out = new Uint8Array(Math.max(ETHERNET_MIN_FRAME, ETHERNET_HEADER_LEN + len));
      out.set(frame.subarray(offset, offset + len), ETHERNET_HEADER_LEN);
    }
    const r = this.routeTo(this.ip.wrap(out, ETHERNET_HEADER_LEN).dst);
    if (r === null) return 'no-route';
    return this.transmitIp(out, r.iface, r.nextHop, true);
  }

  sendUdp(socket: UdpSocket, dst: Ipv4Addr, dstPort: number, payload: Uint8Array, options: UdpSendOptions): SendResult {
    const srcPort = options.srcPort ?? socket.port;
    const src = options.src ?? (socket.address !== 0 ? socket.address : undefined);
    const device = options.device ?? socket.device ?? undefined;
    // A socket bound to a device still routes unicast through the table when the device has an address.
    const useDevice = device !== undefined && (dst === 0xffffffff || device.isBroadcast(dst) || options.dstMac !== undefined || device.addresses.length === 0 || options.device !== undefined);
    return this.sendIp(
      dst,
      IPPROTO_UDP,
      UDP_HEADER_LEN + payload.length,
      (buf, o, s, d) => {
        emitUdp({ srcPort, dstPort, payloadLength: payload.length }, buf, o, s, d, payload);
      },
      { src, device: useDevice ? device : undefined, dstMac: options.dstMac, ttl: options.ttl },
    );
  }

  /** Opens a UDP socket (`bind`); null when the port is taken. */
  udpBind(options: UdpBindOptions = {}): UdpSocket | null {
    return this.udp.bind(options);
  }

  /** Registers a ping program's echo id; returns a function that unregisters it. */
  openEcho(id: number, listener: EchoListener): () => void {
    this.echoListeners.set(id, listener);
    return () => {
      if (this.echoListeners.get(id) === listener) this.echoListeners.delete(id);
    };
  }

  /** Sends an ICMP echo request as ping does. */
  sendEcho(dst: Ipv4Addr, id: number, seq: number, data: Uint8Array, ttl = IPV4_DEFAULT_TTL): SendResult {
    return this.sendIp(dst, IPPROTO_ICMP, 8 + data.length, (buf, o) => emitIcmp({ kind: 'echo-request', id, seq, data }, buf, o), { ttl, dontFragment: true });
  }

  /** A fresh id for a ping program, from the machine's random stream. */
  newEchoId(): number {
    let id = this.ctx.random.u32() & 0xffff;
    while (this.echoListeners.has(id)) id = (id + 1) & 0xffff;
    return id;
  }
}


