// The host's bridge on one of its physical interfaces, where bridged VMs join the LAN (VirtualBox's VBoxNetFlt, VMware's vmnet-bridge).
import { Link, Port } from '../sim/link';
import type { Scheduler } from '../sim/scheduler';
import { formatIpv4, formatMac, type Ipv4Addr, type MacAddr } from '../wire/address';
import { getU16, getU32, getU48, setU16, setU48 } from '../wire/bytes';
import { adjust16 } from '../wire/checksum';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../wire/ethernet';
import { Switch } from './switch';

/**
 * A learning switch between the physical cable (the uplink), the host's own stack and every bridged VM:
 * the LAN sees each VM as another computer behind the host's port. Over Wi-Fi, most adapters cannot send
 * frames with a foreign source MAC and access points deliver only to associated stations, so VirtualBox
 * rewrites VM frames to the host's MAC on the way out, sets the broadcast flag of VM DHCP requests, and
 * maps replies back to the VM by IP address learnt from ARP and IP traffic. `WirelessShim` does that.
 */
export class HostBridge {
  readonly switch: Switch;
  /** Goes to the physical network's cable. */
  readonly uplink: Port;
  /** Goes to the host's own interface. */
  readonly hostPort: Port;
  readonly shim: WirelessShim | null;

  constructor(
    readonly name: string,
    scheduler: Scheduler,
    hostMac: MacAddr,
    wireless: boolean,
    /** Says, once per VM address, that the LAN sees the host's MAC for it (an event for users). */
    log?: (message: string) => void,
  ) {
    this.switch = new Switch(name, scheduler);
    this.hostPort = this.switch.addPort('host');
    const inner = this.switch.addPort('uplink');
    if (wireless) {
      this.shim = new WirelessShim(name, hostMac, log);
      new Link(scheduler, inner, this.shim.inner, { delayUs: 0, name: `${name}:wifi` });
      this.uplink = this.shim.outer;
    } else {
      this.shim = null;
      this.uplink = inner;
    }
  }

  /** A new port for a bridged VM's cable. */
  addVmPort(name: string): Port {
    return this.switch.addPort(name);
  }

  removeVmPort(port: Port): void {
    this.switch.removePort(port);
  }
}

export interface WirelessCounters {
  /** VM frames whose source MAC was rewritten to the host's. */
  rewrittenOut: number;
  /** Frames for the host's MAC handed to a VM by its IP. */
  rewrittenIn: number;
  /** Frames the access point would not have sent to this station (addressed to another MAC). */
  droppedByAccessPoint: number;
}

/** VirtualBox's MAC rewriting for bridging over a wireless interface. */
export class WirelessShim {
  /** Faces the bridge's switch. */
  readonly inner: Port;
  /** Faces the air (the LAN's access point). */
  readonly outer: Port;
  /** VM addresses learnt from their traffic: IP → the VM's real MAC. */
  readonly guests = new Map<Ipv4Addr, MacAddr>();
  readonly counters: WirelessCounters = { rewrittenOut: 0, rewrittenIn: 0, droppedByAccessPoint: 0 };

  constructor(
    readonly name: string,
    readonly hostMac: MacAddr,
    private readonly log?: (message: string) => void,
  ) {
    this.inner = new Port(name, 'wifi-in');
    this.outer = new Port(name, 'wifi-out');
    this.inner.mutatesFrames = true;
    this.outer.mutatesFrames = true;
    this.inner.onFrame = (f) => this.toAir(f);
    this.outer.onFrame = (f) => this.fromAir(f);
  }

  private toAir(f: Uint8Array): void {
    if (f.length < 14) return;
    const src = getU48(f, 6);
    if (src !== this.hostMac) {
      const type = getU16(f, 12);
      if (type === ETHERTYPE_ARP && f.length >= 42) {
        const senderIp = getU32(f, 28);
        if (senderIp !== 0) this.learn(senderIp, src);
        if (getU48(f, 22) === src) setU48(f, 22, this.hostMac);
      } else if (type === ETHERTYPE_IPV4 && f.length >= 34) {
        const ipSrc = getU32(f, 26);
        if (ipSrc !== 0) this.learn(ipSrc, src);
        setDhcpBroadcastFlag(f);
      }
      setU48(f, 6, this.hostMac);
      this.counters.rewrittenOut++;
    }
    this.outer.send(f);
  }

  private learn(ip: Ipv4Addr, mac: MacAddr): void {
    if (this.guests.get(ip) === mac) return;
    this.guests.set(ip, mac);
    const name = this.name.replace(/^bridge:/, '');
    this.log?.(`${name} is Wi-Fi: frames of ${formatIpv4(ip)} (VM MAC ${formatMac(mac)}) go out with the host's MAC ${formatMac(this.hostMac)}, as most wireless adapters cannot send another MAC; the LAN sees the host's MAC for ${formatIpv4(ip)}`);
  }

  private fromAir(f: Uint8Array): void {
    if (f.length < 14) return;
    const dst = getU48(f, 0);
    if ((f[0] & 1) === 0) {
      if (dst !== this.hostMac) {
        this.counters.droppedByAccessPoint++;
        return;
      }
      const type = getU16(f, 12);
      let vm: MacAddr | undefined;
      if (type === ETHERTYPE_IPV4 && f.length >= 34) vm = this.guests.get(getU32(f, 30));
      else if (type === ETHERTYPE_ARP && f.length >= 42) {
        vm = this.guests.get(getU32(f, 38));
        if (vm !== undefined) setU48(f, 32, vm);
      }
      if (vm !== undefined) {
        setU48(f, 0, vm);
        this.counters.rewrittenIn++;
      }
    }
    this.inner.send(f);
  }
}

/** Sets the BOOTP broadcast flag of a DHCP client message (UDP 68 → 67), patching the UDP checksum. */
function setDhcpBroadcastFlag(f: Uint8Array): void {
  const ihl = (f[14] & 0x0f) * 4;
  if (f[23] !== 17) return;
  const udp = 14 + ihl;
  if (f.length < udp + 8 + 12 || getU16(f, udp) !== 68 || getU16(f, udp + 2) !== 67) return;
  const flagsAt = udp + 8 + 10;
  const old = getU16(f, flagsAt);
  const now = old | 0x8000;
  if (now === old) return;
  setU16(f, flagsAt, now);
  const csum = getU16(f, udp + 6);
  if (csum !== 0) {
    const c = adjust16(csum, old, now);
    setU16(f, udp + 6, c === 0 ? 0xffff : c);
  }
}
