// A DHCP server (RFC 2131 section 4.3) as a sans-IO engine: pools, reservations, leases on the virtual clock.
import { broadcastOf, formatIpv4, formatMac, inSubnet, IPV4_BROADCAST, MAC_BROADCAST, networkOf, prefixToMask, type Ipv4Addr, type MacAddr } from '../wire/address';
import { toHex } from '../wire/bytes';
import {
  BOOTREPLY,
  BOOTREQUEST,
  DHCP_FLAG_BROADCAST,
  DHCP_INFINITE_LEASE,
  DhcpMessageType,
  DhcpOption,
  dhcpRepr,
  DhcpView,
  encodeDhcp,
  formatClientId,
  parseDhcp,
  type DhcpRepr,
} from '../wire/dhcp';
import type { LabEventKind } from '../sim/event-log';

/** An inclusive range of addresses handed out. */
export interface DhcpPool {
  start: Ipv4Addr;
  end: Ipv4Addr;
}

/** A fixed address for one client, matched by client identifier or by MAC. */
export interface DhcpReservation {
  ip: Ipv4Addr;
  mac?: MacAddr;
  clientId?: Uint8Array;
  hostName?: string;
}

export interface DhcpServerConfig {
  /** Shown in lease rows and log lines (e.g. `HostInterfaceNetworking-vboxnet0`, `VMnet8`). */
  name: string;
  /** The server's own address: option 54 and the source of its replies. */
  serverIp: Ipv4Addr;
  network: Ipv4Addr;
  prefix: number;
  pools: DhcpPool[];
  router?: Ipv4Addr | null;
  dnsServers?: Ipv4Addr[];
  domain?: string | null;
  /** Option 28; the subnet's broadcast address when absent. */
  broadcast?: Ipv4Addr;
  /** Default lease, seconds (default 86400); DHCP_INFINITE_LEASE for leases that never end. */
  leaseTimeS?: number;
  /** Longest lease a client may ask for with option 51 (default: the default lease). */
  maxLeaseTimeS?: number;
  /** T1 and T2 in seconds; 0.5 and 0.875 of the lease when absent. */
  t1S?: number;
  t2S?: number;
  /** How long an offered address is held for the client that was offered it (default 60 s). */
  offerHoldS?: number;
  /** How long a declined address stays out of the pool (default 600 s). */
  declineHoldS?: number;
  reservations?: DhcpReservation[];
}

/** What the server needs from the device it runs in. `schedule` returns a non-negative id for `cancel`. */
export interface DhcpServerEnv {
  /** Virtual time in microseconds. */
  readonly now: number;
  schedule(delayUs: number, fn: () => void): number;
  cancel(id: number): void;
  /** Send a reply from serverIp:67 to dstIp:68, in a frame to dstMac (the host does no ARP for it). */
  send(payload: Uint8Array, dstIp: Ipv4Addr, dstMac: MacAddr): void;
  log(kind: LabEventKind, message: string): void;
}

export type DhcpLeaseState = 'offered' | 'bound' | 'expired' | 'released' | 'declined';

/** One row of the lease table, as `VBoxManage dhcpserver findlease` or dnsmasq's lease file show it. */
export interface DhcpLeaseRow {
  server: string;
  ip: Ipv4Addr;
  mac: MacAddr;
  hostname: string | null;
  /** Option 61 as colon hex (01:08:00:27:…), or null when the client sent none. */
  clientId: string | null;
  state: DhcpLeaseState;
  /** Seconds until the offer, lease or decline hold runs out; 0 for expired and released rows. */
  expiresInS: number;
}

export interface DhcpServerCounters {
  received: number;
  malformed: number;
  offers: number;
  acks: number;
  naks: number;
  declines: number;
  releases: number;
  informs: number;
  exhausted: number;
}

/**
 * A set of small integers that finds its lowest member without scanning: a tree of 32-bit words in
 * which each bit of a level says whether the word below it has any bit set. Every operation touches
 * one word per level (4 levels cover a million addresses).
 */
export class LowestFreeSet {
  private readonly levels: Uint32Array[] = [];
  private count = 0;

  constructor(readonly capacity: number) {
    let n = Math.max(1, capacity);
    do {
      n = Math.ceil(n / 32);
      this.levels.push(new Uint32Array(n));
    } while (n > 1);
  }

  get size(): number {
    return this.count;
  }

  has(i: number): boolean {
    return i >= 0 && i < this.capacity && (this.levels[0][i >>> 5] & (1 << (i & 31))) !== 0;
  }

  add(i: number): void {
    if (i < 0 || i >= this.capacity || this.has(i)) return;
    this.count++;
    for (let l = 0; l < this.levels.length; l++) {
      const w = this.levels[l];
      const was = w[i >>> 5];
      w[i >>> 5] = was | (1 << (i & 31));
      if (was !== 0) return;
      i >>>= 5;
    }
  }

  delete(i: number): void {
    if (!this.has(i)) return;
    this.count--;
    for (let l = 0; l < this.levels.length; l++) {
      const w = this.levels[l];
      const now = w[i >>> 5] & ~(1 << (i & 31));
      w[i >>> 5] = now;
      if (now !== 0) return;
      i >>>= 5;
    }
  }

  /** The lowest member, or -1 when empty. */
  lowest(): number {
    const top = this.levels.length - 1;
    if (this.levels[top][0] === 0) return -1;
    let i = 0;
    for (let l = top; l >= 0; l--) {
      const w = this.levels[l][i];
      i = (i << 5) | (31 - Math.clz32(w & -w));
    }
    return i;
  }
}

interface Binding {
  ip: Ipv4Addr;
  mac: MacAddr;
  /** Hex of option 61, or '' when the client sent none and is known by chaddr. */
  key: string;
  clientId: Uint8Array | null;
  hostName: string | null;
  state: DhcpLeaseState;
  deadlineUs: number;
  everBound: boolean;
  timer: number;
  timerAt: number;
  readonly fire: () => void;
}

const S = 1_000_000;

export class DhcpServer {
  readonly config: DhcpServerConfig;
  readonly counters: DhcpServerCounters = { received: 0, malformed: 0, offers: 0, acks: 0, naks: 0, declines: 0, releases: 0, informs: 0, exhausted: 0 };
  private readonly env: DhcpServerEnv;
  private readonly mask: Ipv4Addr;
  private readonly bcast: Ipv4Addr;
  private readonly leaseTimeS: number;
  private readonly maxLeaseTimeS: number;
  private readonly offerHoldUs: number;
  private readonly declineHoldUs: number;
  /** Pools sorted by start, and the index of each pool's first address in the free set. */
  private readonly pools: DhcpPool[];
  private readonly poolBase: number[];
  private readonly free: LowestFreeSet;
  private readonly byIp = new Map<Ipv4Addr, Binding>();
  private readonly byClientId = new Map<string, Binding>();
  private readonly byMac = new Map<MacAddr, Binding>();
  private readonly resByIp = new Map<Ipv4Addr, DhcpReservation>();
  private readonly resByClientId = new Map<string, DhcpReservation>();
  private readonly resByMac = new Map<MacAddr, DhcpReservation>();
  private readonly view = new DhcpView();

  constructor(env: DhcpServerEnv, config: DhcpServerConfig) {
    this.env = env;
    this.config = config;
    this.mask = prefixToMask(config.prefix);
    this.bcast = config.broadcast ?? broadcastOf(config.network, config.prefix);
    this.leaseTimeS = config.leaseTimeS ?? 86400;
    this.maxLeaseTimeS = Math.max(this.leaseTimeS, config.maxLeaseTimeS ?? this.leaseTimeS);
    this.offerHoldUs = (config.offerHoldS ?? 60) * S;
    this.declineHoldUs = (config.declineHoldS ?? 600) * S;

    // Pools are clipped to the subnet and must not overlap, so one address has one index.
    const sorted = config.pools
      .map((p) => ({ start: Math.min(p.start, p.end) >>> 0, end: Math.max(p.start, p.end) >>> 0 }))
      .filter((p) => inSubnet(p.start, config.network, config.prefix) && inSubnet(p.end, config.network, config.prefix))
      .sort((a, b) => a.start - b.start);
    this.pools = [];
    for (const p of sorted) {
      const last = this.pools[this.pools.length - 1];
      if (last !== undefined && p.start <= last.end) last.end = Math.max(last.end, p.end);
      else this.pools.push({ ...p });
    }
    this.poolBase = [];
    let total = 0;
    for (const p of this.pools) {
      this.poolBase.push(total);
      total += p.end - p.start + 1;
    }
    this.free = new LowestFreeSet(total);

    for (const r of config.reservations ?? []) {
      this.resByIp.set(r.ip, r);
      if (r.clientId !== undefined) this.resByClientId.set(toHex(r.clientId), r);
      if (r.mac !== undefined) this.resByMac.set(r.mac, r);
    }
    for (let k = 0; k < this.pools.length; k++) {
      const p = this.pools[k];
      for (let ip = p.start; ip <= p.end; ip++) if (this.usable(ip)) this.free.add(this.poolBase[k] + ip - p.start);
    }
  }

  /** Addresses of the pools that are free right now. */
  get freeCount(): number {
    return this.free.size;
  }

  /** The lease table, sorted by address. */
  leases(): DhcpLeaseRow[] {
    const now = this.env.now;
    const rows: DhcpLeaseRow[] = [];
    for (const b of this.byIp.values()) {
      const live = b.state === 'offered' || b.state === 'bound' || b.state === 'declined';
      rows.push({
        server: this.config.name,
        ip: b.ip,
        mac: b.mac,
        hostname: b.hostName,
        clientId: b.clientId ? formatClientId(b.clientId) : null,
        state: b.state,
        expiresInS: live ? (b.deadlineUs === Infinity ? Infinity : Math.max(0, Math.ceil((b.deadlineUs - now) / S))) : 0,
      });
    }
    return rows.sort((a, b) => a.ip - b.ip);
  }

  /** A datagram that arrived on UDP port 67. Malformed messages and replies are counted and dropped. */
  receive(payload: Uint8Array): void {
    this.counters.received++;
    const v = this.view.wrap(payload);
    if (!v.check() || v.op !== BOOTREQUEST) {
      this.counters.malformed++;
      return;
    }
    const p = parseDhcp(payload);
    if (!p.ok) {
      this.counters.malformed++;
      return;
    }
    const r = p.value;
    switch (r.messageType) {
      case DhcpMessageType.Discover:
        this.onDiscover(r);
        break;
      case DhcpMessageType.Request:
        this.onRequest(r);
        break;
      case DhcpMessageType.Decline:
        this.onDecline(r);
        break;
      case DhcpMessageType.Release:
        this.onRelease(r);
        break;
      case DhcpMessageType.Inform:
        this.onInform(r);
        break;
      default:
        break;
    }
  }

  // --- message handlers --------------------------------------------------------------------------

  private onDiscover(r: DhcpRepr): void {
    const key = r.clientId ? toHex(r.clientId) : '';
    let ip = -1;
    const res = this.reservationFor(key, r.chaddr);
    if (res !== undefined) ip = res.ip;
    else {
      const b = this.bindingFor(key, r.chaddr);
      if (b !== undefined && this.byIp.get(b.ip) === b && b.state !== 'declined') ip = b.ip;
      else if (r.requestedIp !== undefined && this.isFree(r.requestedIp)) ip = r.requestedIp;
      else {
        const idx = this.free.lowest();
        if (idx >= 0) ip = this.ipOfIndex(idx);
      }
    }
    if (ip < 0) {
      this.counters.exhausted++;
      this.env.log('error', `${this.config.name}: DHCPDISCOVER from ${formatMac(r.chaddr)}: no address available, the pool is exhausted`);
      return;
    }
    const b = this.assign(ip, key, r);
    if (b.state !== 'bound') this.setState(b, 'offered', this.env.now + this.offerHoldUs);
    const reply = this.reply(r, DhcpMessageType.Offer, ip);
    this.counters.offers++;
    this.send(r, reply);
  }

  private onRequest(r: DhcpRepr): void {
    const key = r.clientId ? toHex(r.clientId) : '';
    if (r.serverId !== undefined) {
      // SELECTING: the client answers one server's offer; the others free what they offered it.
      const b = this.bindingFor(key, r.chaddr);
      if (r.serverId !== this.config.serverIp) {
        if (b !== undefined && b.state === 'offered') this.unoffer(b);
        return;
      }
      const ip = r.requestedIp ?? r.ciaddr;
      if (ip === 0) return;
      if (b !== undefined && b.ip === ip && this.byIp.get(ip) === b && (b.state === 'offered' || b.state === 'bound')) this.ack(b, r);
      else this.verify(ip, key, r);
      return;
    }
    if (r.requestedIp !== undefined && r.ciaddr === 0) {
      // INIT-REBOOT: the client checks a remembered address.
      if (!inSubnet(r.requestedIp, this.config.network, this.config.prefix)) this.nak(r, 'wrong network');
      else this.verify(r.requestedIp, key, r);
      return;
    }
    if (r.ciaddr !== 0) {
      // RENEWING (unicast) or REBINDING (broadcast): extend the lease on ciaddr.
      if (!inSubnet(r.ciaddr, this.config.network, this.config.prefix)) this.nak(r, 'wrong network');
      else this.verify(r.ciaddr, key, r);
    }
  }

  /** ACK `ip` when it is this client's or free for it, NAK it when it belongs to someone else (RFC 2131 4.3.2). */
  private verify(ip: Ipv4Addr, key: string, r: DhcpRepr): void {
    const mine = this.bindingFor(key, r.chaddr);
    if (mine !== undefined && mine.ip === ip && this.byIp.get(ip) === mine && mine.state !== 'declined') {
      if (!this.isFree(ip) && mine.state !== 'offered' && mine.state !== 'bound' && !this.reservedFor(ip, key, r.chaddr)) {
        this.nak(r, 'address not available');
        return;
      }
      this.ack(this.assign(ip, key, r), r);
      return;
    }
    const owner = this.byIp.get(ip);
    if (owner !== undefined && (owner.state === 'offered' || owner.state === 'bound' || owner.state === 'declined') && !this.owns(owner, key, r.chaddr)) {
      this.nak(r, 'address in use by another client');
      return;
    }
    const res = this.reservationFor(key, r.chaddr);
    if (res !== undefined && res.ip !== ip) {
      this.nak(r, 'address not available');
      return;
    }
    if (this.isFree(ip) || this.reservedFor(ip, key, r.chaddr)) {
      this.ack(this.assign(ip, key, r), r);
      return;
    }
    this.nak(r, 'address not available');
  }

  private onDecline(r: DhcpRepr): void {
    if (r.serverId !== undefined && r.serverId !== this.config.serverIp) return;
    const ip = r.requestedIp;
    if (ip === undefined) return;
    const key = r.clientId ? toHex(r.clientId) : '';
    const b = this.byIp.get(ip);
    if (b === undefined || !this.owns(b, key, r.chaddr) || (b.state !== 'bound' && b.state !== 'offered')) return;
    this.counters.declines++;
    this.unindexClient(b);
    this.setState(b, 'declined', this.env.now + this.declineHoldUs);
    this.env.log('dhcp-declined', `${this.config.name}: ${formatIpv4(ip)} declined by ${formatMac(r.chaddr)} (in use by another machine); held out of the pool for ${this.declineHoldUs / S} s`);
  }

  private onRelease(r: DhcpRepr): void {
    if (r.serverId !== undefined && r.serverId !== this.config.serverIp) return;
    const key = r.clientId ? toHex(r.clientId) : '';
    const b = this.byIp.get(r.ciaddr);
    if (b === undefined || !this.owns(b, key, r.chaddr) || b.state !== 'bound') return;
    this.counters.releases++;
    this.setState(b, 'released', this.env.now);
    this.returnToPool(b.ip);
    this.env.log('dhcp-released', `${this.config.name}: ${formatIpv4(b.ip)} released by ${formatMac(r.chaddr)}`);
  }

  private onInform(r: DhcpRepr): void {
    const reply = this.reply(r, DhcpMessageType.Ack, 0);
    delete reply.leaseTime;
    delete reply.renewalTime;
    delete reply.rebindingTime;
    this.counters.informs++;
    this.send(r, reply);
  }

  // --- replies -----------------------------------------------------------------------------------

  private ack(b: Binding, r: DhcpRepr): void {
    const leaseS = this.leaseFor(r);
    if (r.hostName !== undefined) b.hostName = r.hostName;
    const res = this.resByIp.get(b.ip);
    if (res?.hostName !== undefined && this.reservedFor(b.ip, b.key, b.mac)) b.hostName = res.hostName;
    this.setState(b, 'bound', leaseS === DHCP_INFINITE_LEASE ? Infinity : this.env.now + leaseS * S);
    b.everBound = true;
    const reply = this.reply(r, DhcpMessageType.Ack, b.ip);
    if (b.hostName !== null && r.parameterRequestList?.includes(DhcpOption.HostName)) reply.hostName = b.hostName;
    this.counters.acks++;
    this.send(r, reply);
    this.env.log('dhcp-lease', `${this.config.name}: DHCPACK ${formatIpv4(b.ip)} to ${formatMac(b.mac)}${b.hostName ? ` (${b.hostName})` : ''}, lease ${leaseS === DHCP_INFINITE_LEASE ? 'infinite' : `${leaseS} s`}`);
  }

  private nak(r: DhcpRepr, why: string): void {
    const reply = dhcpRepr({ op: BOOTREPLY, xid: r.xid, chaddr: r.chaddr, messageType: DhcpMessageType.Nak });
    reply.htype = r.htype;
    reply.hlen = r.hlen;
    reply.flags = r.flags | DHCP_FLAG_BROADCAST;
    reply.giaddr = r.giaddr;
    reply.serverId = this.config.serverIp;
    reply.message = why;
    this.counters.naks++;
    this.env.send(encodeDhcp(reply), IPV4_BROADCAST, MAC_BROADCAST);
    const asked = r.requestedIp ?? r.ciaddr;
    this.env.log('dhcp-nak', `${this.config.name}: DHCPNAK ${formatIpv4(asked)} to ${formatMac(r.chaddr)} (${why})`);
  }

  /** An OFFER or ACK with the options dnsmasq sends, in dnsmasq's order. */
  private reply(r: DhcpRepr, type: number, yiaddr: Ipv4Addr): DhcpRepr {
    const c = this.config;
    const out = dhcpRepr({ op: BOOTREPLY, xid: r.xid, chaddr: r.chaddr, messageType: type });
    out.htype = r.htype;
    out.hlen = r.hlen;
    out.flags = r.flags;
    out.ciaddr = r.ciaddr;
    out.yiaddr = yiaddr;
    out.siaddr = c.serverIp;
    out.giaddr = r.giaddr;
    out.serverId = c.serverIp;
    const leaseS = this.leaseFor(r);
    out.leaseTime = leaseS;
    if (leaseS !== DHCP_INFINITE_LEASE) {
      let t2 = c.t2S ?? Math.floor(leaseS * 0.875);
      let t1 = c.t1S ?? Math.floor(leaseS * 0.5);
      if (t2 > leaseS) t2 = Math.floor(leaseS * 0.875);
      if (t1 > t2) t1 = Math.min(Math.floor(leaseS * 0.5), t2);
      out.renewalTime = t1;
      out.rebindingTime = t2;
    }
    out.subnetMask = this.mask;
    out.broadcastAddress = this.bcast;
    if (c.router) out.routers = [c.router];
    if (c.dnsServers && c.dnsServers.length > 0) out.dnsServers = c.dnsServers;
    if (c.domain) out.domainName = c.domain;
    return out;
  }

  /** RFC 2131 4.1: to ciaddr when the client has one, broadcast when it asks, else to yiaddr at chaddr. */
  private send(r: DhcpRepr, reply: DhcpRepr): void {
    const bytes = encodeDhcp(reply);
    if (r.ciaddr !== 0) this.env.send(bytes, r.ciaddr, r.chaddr);
    else if ((r.flags & DHCP_FLAG_BROADCAST) !== 0 || reply.yiaddr === 0) this.env.send(bytes, IPV4_BROADCAST, MAC_BROADCAST);
    else this.env.send(bytes, reply.yiaddr, r.chaddr);
  }

  private leaseFor(r: DhcpRepr): number {
    const asked = r.leaseTime;
    if (asked === undefined || asked === 0) return this.leaseTimeS;
    return Math.min(asked, this.maxLeaseTimeS);
  }

  // --- bindings and the pool ---------------------------------------------------------------------

  /**
   * Gives `ip` to the client of `r`: takes it out of the free set, moves the client's index to it,
   * and frees whatever the client held elsewhere. Returns the binding (new or reused).
   */
  private assign(ip: Ipv4Addr, key: string, r: DhcpRepr): Binding {
    const prev = this.bindingFor(key, r.chaddr);
    if (prev !== undefined && prev.ip !== ip && this.byIp.get(prev.ip) === prev) {
      if (prev.state === 'offered' || prev.state === 'bound') {
        this.removeBinding(prev);
        this.returnToPool(prev.ip);
      } else this.unindexClient(prev);
    }
    let b = this.byIp.get(ip);
    if (b !== undefined && !this.owns(b, key, r.chaddr)) {
      this.unindexClient(b);
      b = undefined;
    }
    if (b === undefined) {
      const nb: Binding = {
        ip,
        mac: r.chaddr,
        key,
        clientId: r.clientId ?? null,
        hostName: r.hostName ?? null,
        state: 'offered',
        deadlineUs: 0,
        everBound: false,
        timer: -1,
        timerAt: 0,
        fire: () => this.onDeadline(nb),
      };
      b = nb;
      this.byIp.set(ip, b);
    }
    b.mac = r.chaddr;
    if (r.hostName !== undefined) b.hostName = r.hostName;
    if (key !== '') this.byClientId.set(key, b);
    else this.byMac.set(r.chaddr, b);
    this.free.delete(this.indexOf(ip));
    return b;
  }

  private setState(b: Binding, state: DhcpLeaseState, deadlineUs: number): void {
    b.state = state;
    b.deadlineUs = deadlineUs;
    if (state === 'expired' || state === 'released' || deadlineUs === Infinity) {
      if (b.timer >= 0) this.env.cancel(b.timer);
      b.timer = -1;
      return;
    }
    // A later deadline keeps the armed timer, which re-arms when it fires early: renewals cost no cancel.
    if (b.timer >= 0 && b.timerAt <= deadlineUs) return;
    if (b.timer >= 0) this.env.cancel(b.timer);
    b.timerAt = deadlineUs;
    b.timer = this.env.schedule(deadlineUs - this.env.now, b.fire);
  }

  private onDeadline(b: Binding): void {
    b.timer = -1;
    if (this.byIp.get(b.ip) !== b) return;
    const now = this.env.now;
    if (b.state === 'expired' || b.state === 'released') return;
    if (now < b.deadlineUs) {
      if (b.deadlineUs !== Infinity) {
        b.timerAt = b.deadlineUs;
        b.timer = this.env.schedule(b.deadlineUs - now, b.fire);
      }
      return;
    }
    if (b.state === 'offered' && !b.everBound) {
      this.removeBinding(b);
      this.returnToPool(b.ip);
    } else if (b.state === 'declined') {
      this.byIp.delete(b.ip);
      this.returnToPool(b.ip);
    } else {
      const wasBound = b.state === 'bound';
      this.setState(b, 'expired', now);
      this.returnToPool(b.ip);
      if (wasBound) this.env.log('dhcp-expired', `${this.config.name}: lease of ${formatIpv4(b.ip)} to ${formatMac(b.mac)} expired`);
    }
  }

  /** Withdraws an offer the client did not take (it chose another server). */
  private unoffer(b: Binding): void {
    if (b.everBound) this.setState(b, 'expired', this.env.now);
    else this.removeBinding(b);
    this.returnToPool(b.ip);
  }

  private removeBinding(b: Binding): void {
    if (b.timer >= 0) this.env.cancel(b.timer);
    b.timer = -1;
    if (this.byIp.get(b.ip) === b) this.byIp.delete(b.ip);
    this.unindexClient(b);
  }

  private unindexClient(b: Binding): void {
    if (b.key !== '') {
      if (this.byClientId.get(b.key) === b) this.byClientId.delete(b.key);
    } else if (this.byMac.get(b.mac) === b) this.byMac.delete(b.mac);
  }

  private returnToPool(ip: Ipv4Addr): void {
    if (this.usable(ip)) this.free.add(this.indexOf(ip));
  }

  private bindingFor(key: string, mac: MacAddr): Binding | undefined {
    return key !== '' ? this.byClientId.get(key) : this.byMac.get(mac);
  }

  private owns(b: Binding, key: string, mac: MacAddr): boolean {
    return b.key !== '' ? b.key === key : key === '' && b.mac === mac;
  }

  private reservationFor(key: string, mac: MacAddr): DhcpReservation | undefined {
    return (key !== '' ? this.resByClientId.get(key) : undefined) ?? this.resByMac.get(mac);
  }

  private reservedFor(ip: Ipv4Addr, key: string, mac: MacAddr): boolean {
    const res = this.resByIp.get(ip);
    return res !== undefined && this.reservationFor(key, mac) === res;
  }

  /** An address of a pool that anyone may be given: not the server, router, resolvers, subnet ends or a reservation. */
  private usable(ip: Ipv4Addr): boolean {
    const c = this.config;
    if (this.indexOf(ip) < 0 || this.resByIp.has(ip)) return false;
    if (ip === c.serverIp || ip === c.router || ip === this.bcast) return false;
    if (ip === networkOf(c.network, c.prefix) || ip === broadcastOf(c.network, c.prefix)) return false;
    return !(c.dnsServers ?? []).includes(ip);
  }

  private isFree(ip: Ipv4Addr): boolean {
    return this.free.has(this.indexOf(ip));
  }

  private indexOf(ip: Ipv4Addr): number {
    const pools = this.pools;
    for (let k = 0; k < pools.length; k++) {
      const p = pools[k];
      if (ip >= p.start && ip <= p.end) return this.poolBase[k] + ip - p.start;
    }
    return -1;
  }

  private ipOfIndex(idx: number): Ipv4Addr {
    const pools = this.pools;
    for (let k = pools.length - 1; k >= 0; k--) if (idx >= this.poolBase[k]) return (pools[k].start + idx - this.poolBase[k]) >>> 0;
    return 0;
  }
}
