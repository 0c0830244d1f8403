// A DHCP client with the whole RFC 2131 state machine (figure 5), as a sans-IO engine the host stack drives.
import { broadcastOf, formatIpv4, maskToPrefix, prefixToMask, type Ipv4Addr, type MacAddr } from '../wire/address';
import {
  BOOTREPLY,
  BOOTREQUEST,
  clientIdFromMac,
  DHCP_FLAG_BROADCAST,
  DHCP_INFINITE_LEASE,
  DhcpMessageType,
  DhcpView,
  dhcpRepr,
  encodeDhcp,
  parseDhcp,
  type DhcpRepr,
} from '../wire/dhcp';
import type { LabEventKind } from '../sim/event-log';
import type { Random } from '../sim/random';

export type DhcpClientState =
  | 'STOPPED' // not running: before start, after a release, or while the link is down
  | 'INIT'
  | 'SELECTING'
  | 'REQUESTING'
  | 'BOUND'
  | 'RENEWING'
  | 'REBINDING'
  | 'INIT-REBOOT'
  | 'REBOOTING';

/** What a server granted, as the UI and the host stack need it. Times are virtual microseconds. */
export interface DhcpLease {
  readonly address: Ipv4Addr;
  readonly prefix: number;
  readonly subnetMask: Ipv4Addr;
  /** The first router of option 3, or null when the server gave none. */
  readonly router: Ipv4Addr | null;
  readonly routers: readonly Ipv4Addr[];
  readonly dnsServers: readonly Ipv4Addr[];
  readonly domain: string | null;
  readonly broadcast: Ipv4Addr;
  readonly serverId: Ipv4Addr;
  /** Seconds; DHCP_INFINITE_LEASE for a lease that never ends. */
  readonly leaseTimeS: number;
  /** When the request that obtained the lease was sent (RFC 2131 4.4.1 counts from there). */
  readonly startUs: number;
  /** T1, T2 and expiry as absolute virtual times; Infinity for an infinite lease. */
  readonly t1Us: number;
  readonly t2Us: number;
  readonly expiresUs: number;
}

/**
 * What the client needs from the machine it runs on. `schedule` returns an id for `cancel` (the host
 * maps them to Scheduler.timer and Scheduler.cancel). Payloads are DHCP messages (UDP payloads):
 * the host wraps them in UDP/IPv4/Ethernet and may keep them.
 */
export interface DhcpClientEnv {
  /** Virtual time in microseconds. */
  readonly now: number;
  schedule(delayUs: number, fn: () => void): number;
  cancel(id: number): void;
  readonly random: Random;
  /**
   * To 255.255.255.255:67 from port 68, at the Ethernet broadcast address. `srcIp` is 0.0.0.0 except
   * in REBINDING, where the client still owns its address and sends from it.
   */
  sendBroadcast(payload: Uint8Array, srcIp: Ipv4Addr): void;
  /** To serverIp:67 from the leased address, port 68 (RENEWING and RELEASE). */
  sendUnicast(serverIp: Ipv4Addr, payload: Uint8Array): void;
  /** Put the address, route and resolvers in place; called again with the new lease after each renewal. */
  configure(lease: DhcpLease): void;
  /** Remove what `configure` put in place for this lease. */
  deconfigure(lease: DhcpLease): void;
  /** Ask whether another machine answers ARP for `ip` (RFC 5227 probe); call `done` once with the answer. */
  arpProbe(ip: Ipv4Addr, done: (inUse: boolean) => void): void;
  log(kind: LabEventKind, message: string): void;
}

/** The parameter request list of Debian's and Ubuntu's dhclient.conf. */
export const DHCLIENT_PARAMETER_REQUEST_LIST: readonly number[] = [1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42];

export interface DhcpClientOptions {
  mac: MacAddr;
  /** Option 12, sent in DISCOVER and REQUEST as dhclient does; null or absent sends none. */
  hostName?: string | null;
  /**
   * Option 61. Absent: 0x01 followed by the MAC (RFC 2132 9.14). null: no option 61 (ISC dhclient's
   * default), so servers key on chaddr. A guest may use another, e.g. systemd-networkd's DUID derived
   * from /etc/machine-id, which is why cloned VMs get the same address.
   */
  clientId?: Uint8Array | null;
  parameterRequestList?: readonly number[];
  /** Ask servers to broadcast their replies (some clients cannot receive unicast before configuration). */
  broadcastFlag?: boolean;
  /** Probe the offered address with ARP after the ACK and DECLINE it when someone answers (default true). */
  arpCheck?: boolean;
  /** Wait after a DECLINE before starting again (RFC 2131 3.1.5 says at least 10 s). */
  declineWaitS?: number;
  /** A lease remembered from an earlier boot (the lease file): `start` then begins in INIT-REBOOT. */
  lease?: DhcpLease | null;
  /** Option 51 in DISCOVER and REQUEST, when the guest asks for a particular lease time. */
  requestedLeaseTimeS?: number;
}

const S = 1_000_000;
/** After this many transmissions in REQUESTING or REBOOTING without an answer, start again from INIT. */
const MAX_REQUEST_SENDS = 5;

/** The classful prefix an address implies when the server sends no subnet mask. */
function classfulPrefix(ip: Ipv4Addr): number {
  const first = ip >>> 24;
  return first < 128 ? 8 : first < 192 ? 16 : 24;
}

export class DhcpClient {
  readonly mac: MacAddr;
  private readonly env: DhcpClientEnv;
  private readonly hostName: string | null;
  private readonly clientId: Uint8Array | null;
  private readonly prl: number[];
  private readonly flags: number;
  private readonly arpCheck: boolean;
  private readonly declineWaitUs: number;
  private readonly requestedLeaseTimeS: number | undefined;

  private st: DhcpClientState = 'STOPPED';
  /** The lease held (bound, renewing, rebinding) or remembered (INIT-REBOOT, link down). */
  private current: DhcpLease | null;
  private configured = false;
  private xid = 0;
  private timer = -1;
  private expiryTimer = -1;
  /** Transmissions of the current message so far. */
  private sends = 0;
  /** Start of the current exchange, for the `secs` field. */
  private exchangeStartUs = 0;
  private lastSendUs = 0;
  private offerAddress = 0;
  private offerServer = 0;
  /** Bumped whenever an ARP probe's answer would no longer be wanted. */
  private probeGen = 0;
  private probing = false;
  /** Asked for again in DISCOVER (option 50), as dhclient asks for the address of its last lease. */
  private previousAddress = 0;
  private readonly view = new DhcpView();

  constructor(env: DhcpClientEnv, options: DhcpClientOptions) {
    this.env = env;
    this.mac = options.mac;
    this.hostName = options.hostName ?? null;
    this.clientId = options.clientId === undefined ? clientIdFromMac(options.mac) : options.clientId;
    this.prl = [...(options.parameterRequestList ?? DHCLIENT_PARAMETER_REQUEST_LIST)];
    this.flags = options.broadcastFlag ? DHCP_FLAG_BROADCAST : 0;
    this.arpCheck = options.arpCheck ?? true;
    this.declineWaitUs = (options.declineWaitS ?? 10) * S;
    this.requestedLeaseTimeS = options.requestedLeaseTimeS;
    this.current = options.lease ?? null;
    if (this.current) this.previousAddress = this.current.address;
  }

  get state(): DhcpClientState {
    return this.st;
  }

  /** The lease in force or remembered, for the UI; null when there is none. */
  get lease(): DhcpLease | null {
    return this.current;
  }

  /** True while the leased address is configured on the interface. */
  get isConfigured(): boolean {
    return this.configured;
  }

  /** Starts the client (boot, `dhclient`, link up): INIT-REBOOT with an unexpired remembered lease, else INIT. */
  start(): void {
    if (this.st !== 'STOPPED') return;
    if (this.current !== null && this.current.expiresUs > this.env.now) this.initReboot();
    else {
      this.forget();
      this.discover();
    }
  }

  /** Link up: the same as `start`. */
  linkUp(): void {
    this.start();
  }

  /**
   * Link down (or the client stopped): exchanges stop, but the address stays configured and the lease
   * remembered until it expires, so the next link up verifies it with INIT-REBOOT.
   */
  stop(): void {
    this.cancelTimer();
    this.probeGen++;
    this.probing = false;
    this.st = 'STOPPED';
  }

  linkDown(): void {
    this.stop();
  }

  /** `dhclient -r`: sends DHCPRELEASE, removes the address, forgets the lease and stops. */
  release(): void {
    const l = this.current;
    const holding = l !== null && (this.st === 'BOUND' || this.st === 'RENEWING' || this.st === 'REBINDING');
    this.stop();
    if (l === null) return;
    if (holding) {
      this.xid = this.env.random.u32();
      const r = this.base(DhcpMessageType.Release);
      r.ciaddr = l.address;
      r.serverId = l.serverId;
      delete r.hostName;
      delete r.parameterRequestList;
      delete r.leaseTime;
      r.secs = 0;
      r.flags = 0;
      this.env.sendUnicast(l.serverId, encodeDhcp(r));
      this.env.log('dhcp-released', `DHCPRELEASE of ${formatIpv4(l.address)} to ${formatIpv4(l.serverId)}`);
    }
    this.previousAddress = l.address;
    this.dropLease();
  }

  /** Renew now (as `dhclient` run again while bound, or ipconfig /renew): goes to RENEWING at once. */
  renew(): void {
    if (this.st === 'STOPPED') this.start();
    else if (this.st === 'BOUND' || this.st === 'RENEWING' || this.st === 'REBINDING') this.enterRenewing();
  }

  /** A datagram that arrived on UDP port 68. Anything not for this client's current exchange is ignored. */
  receive(payload: Uint8Array): void {
    const v = this.view.wrap(payload);
    if (!v.check() || v.op !== BOOTREPLY || v.xid !== this.xid || v.chaddr !== this.mac) return;
    const t = v.messageType;
    const st = this.st;
    if (st === 'SELECTING') {
      if (t !== DhcpMessageType.Offer) return;
    } else if (st === 'REQUESTING' || st === 'REBOOTING' || st === 'RENEWING' || st === 'REBINDING') {
      if ((t !== DhcpMessageType.Ack && t !== DhcpMessageType.Nak) || this.probing) return;
    } else return;
    const p = parseDhcp(payload);
    if (!p.ok) return;
    const r = p.value;
    if (t === DhcpMessageType.Offer) this.onOffer(r);
    else if (t === DhcpMessageType.Ack) this.onAck(r);
    else this.onNak(r);
  }

  // --- transitions -------------------------------------------------------------------------------

  private discover(): void {
    this.st = 'SELECTING';
    this.xid = this.env.random.u32();
    this.exchangeStartUs = this.env.now;
    this.sends = 0;
    this.sendDiscover();
  }

  private initReboot(): void {
    this.st = 'INIT-REBOOT';
    this.xid = this.env.random.u32();
    this.exchangeStartUs = this.env.now;
    this.sends = 0;
    this.st = 'REBOOTING';
    this.sendRequest();
  }

  private onOffer(r: DhcpRepr): void {
    if (r.yiaddr === 0 || r.serverId === undefined) return;
    this.offerAddress = r.yiaddr;
    this.offerServer = r.serverId;
    this.st = 'REQUESTING';
    this.sends = 0;
    this.sendRequest();
  }

  private onAck(r: DhcpRepr): void {
    const address = r.yiaddr !== 0 ? r.yiaddr : this.st === 'RENEWING' || this.st === 'REBINDING' ? (this.current?.address ?? 0) : 0;
    if (address === 0) return;
    const lease = this.leaseFrom(r, address);
    this.cancelTimer();
    if (this.st === 'REQUESTING' && this.arpCheck) {
      this.probing = true;
      const gen = ++this.probeGen;
      this.env.arpProbe(address, (inUse) => {
        if (gen !== this.probeGen) return;
        this.probing = false;
        if (inUse) this.decline(lease);
        else this.bind(lease);
      });
      return;
    }
    this.bind(lease);
  }

  private onNak(r: DhcpRepr): void {
    const asked = this.st === 'REQUESTING' ? this.offerAddress : (this.current?.address ?? 0);
    const why = r.message ? ` (${r.message})` : '';
    const from = r.serverId ?? r.siaddr;
    this.env.log('dhcp-nak', `DHCPNAK from ${formatIpv4(from)} for ${formatIpv4(asked)}${why}; restarting from INIT`);
    this.cancelTimer();
    this.dropLease();
    this.previousAddress = 0;
    this.discover();
  }

  private bind(lease: DhcpLease): void {
    const renewed = this.current !== null && this.current.address === lease.address && this.configured;
    if (this.configured && this.current !== null && this.current.address !== lease.address) {
      this.env.deconfigure(this.current);
      this.configured = false;
    }
    this.current = lease;
    this.previousAddress = lease.address;
    this.env.configure(lease);
    this.configured = true;
    this.st = 'BOUND';
    this.cancelTimer();
    this.cancelExpiry();
    const now = this.env.now;
    if (lease.expiresUs !== Infinity) {
      this.timer = this.env.schedule(lease.t1Us - now, this.onTimer);
      this.expiryTimer = this.env.schedule(lease.expiresUs - now, this.onExpiry);
    }
    const renewal = lease.t1Us === Infinity ? 'never renews' : `renewal in ${Math.round((lease.t1Us - now) / S)} seconds`;
    const cidr = `${formatIpv4(lease.address)}/${lease.prefix}`;
    this.env.log('dhcp-bound', `${renewed ? 'renewed' : 'bound to'} ${cidr} from ${formatIpv4(lease.serverId)} -- ${renewal}`);
  }

  private decline(lease: DhcpLease): void {
    this.xid = this.env.random.u32();
    const r = this.base(DhcpMessageType.Decline);
    r.serverId = lease.serverId;
    r.requestedIp = lease.address;
    delete r.hostName;
    delete r.parameterRequestList;
    delete r.leaseTime;
    r.secs = 0;
    this.env.sendBroadcast(encodeDhcp(r), 0);
    this.env.log(
      'dhcp-declined',
      `${formatIpv4(lease.address)} is already in use (another machine answered ARP); sent DHCPDECLINE to ${formatIpv4(lease.serverId)}, restarting in ${this.declineWaitUs / S} s`,
    );
    this.previousAddress = 0;
    this.st = 'INIT';
    this.timer = this.env.schedule(this.declineWaitUs, this.onTimer);
  }

  private enterRenewing(): void {
    this.cancelTimer();
    this.st = 'RENEWING';
    this.xid = this.env.random.u32();
    this.exchangeStartUs = this.env.now;
    this.sends = 0;
    this.sendRequest();
  }

  private enterRebinding(): void {
    this.st = 'REBINDING';
    this.xid = this.env.random.u32();
    this.exchangeStartUs = this.env.now;
    this.sends = 0;
    this.sendRequest();
  }

  private readonly onTimer = (): void => {
    this.timer = -1;
    switch (this.st) {
      case 'INIT':
        this.discover();
        break;
      case 'SELECTING':
        this.sendDiscover();
        break;
      case 'REQUESTING':
      case 'REBOOTING':
        if (this.sends >= MAX_REQUEST_SENDS) {
          // RFC 2131 3.1.5 and 3.2: no answer at all, so start over with a DISCOVER.
          if (this.st === 'REBOOTING') this.dropLease();
          this.discover();
        } else this.sendRequest();
        break;
      case 'BOUND':
        this.enterRenewing();
        break;
      case 'RENEWING':
        if (this.current !== null && this.env.now >= this.current.t2Us) this.enterRebinding();
        else this.sendRequest();
        break;
      case 'REBINDING':
        this.sendRequest();
        break;
      default:
        break;
    }
  };

  private readonly onExpiry = (): void => {
    this.expiryTimer = -1;
    const l = this.current;
    if (l === null) return;
    this.env.log('dhcp-expired', `lease of ${formatIpv4(l.address)} from ${formatIpv4(l.serverId)} expired; address removed`);
    this.cancelTimer();
    this.probeGen++;
    this.probing = false;
    this.previousAddress = l.address;
    this.dropLease();
    if (this.st !== 'STOPPED') this.discover();
  };

  // --- messages ----------------------------------------------------------------------------------

  private base(type: number): DhcpRepr {
    const r = dhcpRepr({ op: BOOTREQUEST, xid: this.xid, chaddr: this.mac, messageType: type });
    r.secs = Math.min(0xffff, Math.floor((this.env.now - this.exchangeStartUs) / S));
    r.flags = this.flags;
    if (this.clientId !== null) r.clientId = this.clientId;
    if (this.hostName !== null && this.hostName !== '') r.hostName = this.hostName;
    r.parameterRequestList = this.prl;
    if (this.requestedLeaseTimeS !== undefined) r.leaseTime = this.requestedLeaseTimeS;
    return r;
  }

  private sendDiscover(): void {
    const r = this.base(DhcpMessageType.Discover);
    if (this.previousAddress !== 0) r.requestedIp = this.previousAddress;
    this.env.sendBroadcast(encodeDhcp(r), 0);
    this.afterSend(this.backoffUs());
  }

  /** The REQUEST of the current state (RFC 2131 4.3.2's four cases) and its retransmission. */
  private sendRequest(): void {
    const r = this.base(DhcpMessageType.Request);
    const now = this.env.now;
    const l = this.current;
    switch (this.st) {
      case 'REQUESTING':
        r.serverId = this.offerServer;
        r.requestedIp = this.offerAddress;
        this.env.sendBroadcast(encodeDhcp(r), 0);
        this.afterSend(this.backoffUs());
        return;
      case 'REBOOTING':
        if (l === null) return;
        r.requestedIp = l.address;
        this.env.sendBroadcast(encodeDhcp(r), 0);
        this.afterSend(this.backoffUs());
        return;
      case 'RENEWING': {
        if (l === null) return;
        r.ciaddr = l.address;
        this.env.sendUnicast(l.serverId, encodeDhcp(r));
        // RFC 2131 4.4.5: wait half the time left until T2, at least 60 s, before retransmitting.
        const wait = Math.max(60 * S, (l.t2Us - now) / 2);
        this.afterSend(Math.min(wait, l.t2Us - now));
        return;
      }
      case 'REBINDING': {
        if (l === null) return;
        r.ciaddr = l.address;
        this.env.sendBroadcast(encodeDhcp(r), l.address);
        const left = l.expiresUs - now;
        const wait = Math.max(60 * S, left / 2);
        // Past expiry the expiry timer takes over.
        if (wait < left) this.afterSend(wait);
        else this.afterSend(-1);
        return;
      }
      default:
        return;
    }
  }

  /** RFC 2131 4.1: 4 s, doubled on each retransmission up to 64 s, randomized by ±1 s. */
  private backoffUs(): number {
    const base = Math.min(64, 4 << Math.min(this.sends, 4)) * S;
    return Math.round(base + (this.env.random.float() * 2 - 1) * S);
  }

  private afterSend(waitUs: number): void {
    this.sends++;
    this.lastSendUs = this.env.now;
    this.cancelTimer();
    if (waitUs >= 0) this.timer = this.env.schedule(waitUs, this.onTimer);
  }

  // --- helpers -----------------------------------------------------------------------------------

  private leaseFrom(r: DhcpRepr, address: Ipv4Addr): DhcpLease {
    let prefix = r.subnetMask !== undefined ? maskToPrefix(r.subnetMask) : null;
    if (prefix === null) prefix = classfulPrefix(address);
    const leaseTimeS = r.leaseTime ?? this.current?.leaseTimeS ?? 3600;
    const start = this.lastSendUs;
    let t1Us = Infinity;
    let t2Us = Infinity;
    let expiresUs = Infinity;
    if (leaseTimeS !== DHCP_INFINITE_LEASE) {
      let t2 = r.rebindingTime ?? Math.floor(leaseTimeS * 0.875);
      if (t2 > leaseTimeS) t2 = Math.floor(leaseTimeS * 0.875);
      let t1 = r.renewalTime ?? Math.floor(leaseTimeS * 0.5);
      if (t1 > t2) t1 = Math.min(Math.floor(leaseTimeS * 0.5), t2);
      t1Us = start + t1 * S;
      t2Us = start + t2 * S;
      expiresUs = start + leaseTimeS * S;
    }
    const routers = r.routers ?? [];
    return {
      address,
      prefix,
      subnetMask: prefixToMask(prefix),
      router: routers.length > 0 ? routers[0] : null,
      routers,
      dnsServers: r.dnsServers ?? [],
      domain: r.domainName ?? null,
      broadcast: r.broadcastAddress ?? broadcastOf(address, prefix),
      serverId: r.serverId ?? r.siaddr,
      leaseTimeS,
      startUs: start,
      t1Us,
      t2Us,
      expiresUs,
    };
  }

  /** Removes the address if configured and forgets the lease. */
  private dropLease(): void {
    this.cancelExpiry();
    if (this.configured && this.current !== null) this.env.deconfigure(this.current);
    this.configured = false;
    this.current = null;
  }

  /** Forgets an expired remembered lease (never configured), keeping its address to ask for again. */
  private forget(): void {
    if (this.current !== null) {
      this.previousAddress = this.current.address;
      this.dropLease();
    }
  }

  private cancelTimer(): void {
    if (this.timer >= 0) this.env.cancel(this.timer);
    this.timer = -1;
  }

  private cancelExpiry(): void {
    if (this.expiryTimer >= 0) this.env.cancel(this.expiryTimer);
    this.expiryTimer = -1;
  }
}
