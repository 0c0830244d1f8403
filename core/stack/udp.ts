// UDP sockets of one machine: binding, demultiplexing by port, and the errors ICMP reports back to a sender.
import type { Ipv4Addr, MacAddr } from '../wire/address';
import type { NetInterface } from './interface';

export interface UdpMessage {
  readonly src: Ipv4Addr;
  readonly srcPort: number;
  readonly dst: Ipv4Addr;
  readonly dstPort: number;
  readonly srcMac: MacAddr;
  readonly iface: NetInterface;
  readonly ttl: number;
  /** A view into the received frame: copy it to keep it. */
  readonly payload: Uint8Array;
}

/** An ICMP error about a datagram this socket sent (port unreachable, TTL exceeded on the way…). */
export interface UdpError {
  /** Who sent the ICMP error. */
  readonly from: Ipv4Addr;
  readonly type: number;
  readonly code: number;
  /** The destination of the datagram that caused it. */
  readonly dst: Ipv4Addr;
  readonly dstPort: number;
  /** TTL of the quoted datagram when it was dropped (traceroute reads it). */
  readonly quotedTtl: number;
}

export interface UdpBindOptions {
  /** 0 or absent: an ephemeral port (Linux's 32768–60999). */
  port?: number;
  /** Local address to receive on; 0 or absent: any. */
  address?: Ipv4Addr;
  /** Receive only what arrives on this interface (SO_BINDTODEVICE). */
  device?: NetInterface;
  /**
   * Receive datagrams to this port whatever their destination IP, as a DHCP client's raw socket does
   * before it has an address. Needs `device`.
   */
  anyDestination?: boolean;
}

export interface UdpSendOptions {
  src?: Ipv4Addr;
  /** Send out of this interface, bypassing the routing table (broadcasts, DHCP). */
  device?: NetInterface;
  /** Use this destination MAC instead of resolving one (a DHCP server answering a client with no address yet). */
  dstMac?: MacAddr;
  ttl?: number;
  srcPort?: number;
}

/** What the host does for a socket's send: route, resolve, frame. Implemented by Host. */
export interface UdpOutput {
  sendUdp(socket: UdpSocket, dst: Ipv4Addr, dstPort: number, payload: Uint8Array, options: UdpSendOptions): SendResult;
}

/** The outcome of handing a packet to the stack, as a program would see it. */
export type SendResult = 'sent' | 'queued' | 'no-route' | 'no-address' | 'link-down' | 'too-big';

export class UdpSocket {
  onMessage: (m: UdpMessage) => void = () => {};
  onError: (e: UdpError) => void = () => {};
  closed = false;

  constructor(
    private readonly layer: UdpLayer,
    readonly port: number,
    readonly address: Ipv4Addr,
    readonly device: NetInterface | null,
    readonly anyDestination: boolean,
  ) {}

  sendTo(dst: Ipv4Addr, dstPort: number, payload: Uint8Array, options: UdpSendOptions = {}): SendResult {
    if (this.closed) return 'no-route';
    return this.layer.output.sendUdp(this, dst, dstPort, payload, options);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.layer.unbind(this);
  }
}

export const EPHEMERAL_LOW = 32768;
export const EPHEMERAL_HIGH = 60999;

export class UdpLayer {
  private byPort = new Map<number, UdpSocket[]>();
  /** Sockets that take datagrams for any address (DHCP clients); when none, the receive path skips the check. */
  anyDestinationSockets = 0;
  private nextEphemeral: number;

  constructor(
    readonly output: UdpOutput,
    firstEphemeral: number,
  ) {
    this.nextEphemeral = EPHEMERAL_LOW + (firstEphemeral % (EPHEMERAL_HIGH - EPHEMERAL_LOW + 1));
  }

  /** Binds a socket; null when the port is taken ("Address already in use"). */
  bind(options: UdpBindOptions = {}): UdpSocket | null {
    let port = options.port ?? 0;
    if (port === 0) {
      const span = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
      for (let i = 0; i < span; i++) {
        const p = this.nextEphemeral;
        this.nextEphemeral = p >= EPHEMERAL_HIGH ? EPHEMERAL_LOW : p + 1;
        if (!this.byPort.has(p)) {
          port = p;
          break;
        }
      }
      if (port === 0) return null;
    }
    const address = options.address ?? 0;
    const device = options.device ?? null;
    const existing = this.byPort.get(port) ?? [];
    // Two sockets may share a port only when bound to different devices or addresses.
    if (existing.some((s) => (s.device === null || device === null || s.device === device) && (s.address === 0 || address === 0 || s.address === address))) return null;
    const sock = new UdpSocket(this, port, address, device, options.anyDestination === true);
    if (sock.anyDestination) this.anyDestinationSockets++;
    existing.push(sock);
    this.byPort.set(port, existing);
    return sock;
  }

  unbind(sock: UdpSocket): void {
    const list = this.byPort.get(sock.port);
    if (!list) return;
    if (sock.anyDestination && list.includes(sock)) this.anyDestinationSockets--;
    const rest = list.filter((s) => s !== sock);
    if (rest.length === 0) this.byPort.delete(sock.port);
    else this.byPort.set(sock.port, rest);
  }

  /** The socket a datagram is for, or null (the host then answers ICMP port unreachable). */
  lookup(dstPort: number, dst: Ipv4Addr, iface: NetInterface, dstIsLocal: boolean): UdpSocket | null {
    const list = this.byPort.get(dstPort);
    if (list === undefined) return null;
    let best: UdpSocket | null = null;
    for (const s of list) {
      if (s.device !== null && s.device !== iface) continue;
      if (!dstIsLocal && !s.anyDestination) continue;
      if (s.address !== 0 && s.address !== dst) continue;
      // Prefer the most specific binding.
      if (best === null || (s.address !== 0 && best.address === 0) || (s.device !== null && best.device === null)) best = s;
    }
    return best;
  }

  /** Any socket bound to `port` wanting datagrams to foreign addresses on `iface` (DHCP before an address). */
  hasAnyDestination(dstPort: number, iface: NetInterface): boolean {
    const list = this.byPort.get(dstPort);
    return list !== undefined && list.some((s) => s.anyDestination && (s.device === null || s.device === iface));
  }

  sockets(): UdpSocket[] {
    return [...this.byPort.values()].flat();
  }
}
