// A user-mode NAT (VirtualBox NAT, a NAT Network's service, VMware's NAT device): a gateway inside, the host's sockets outside.
import type { UserNatPlan } from '../hypervisor/plan';
import type { Port } from '../sim/link';
import { ACCEPT, DROP, type Host, type HostContext, STOLEN, type Verdict } from '../stack/host';
import type { NetInterface } from '../stack/interface';
import { Host as Machine } from '../stack/host';
import { formatIpv4, type MacAddr, parseCidr, parseIpv4 } from '../wire/address';
import { getU32 } from '../wire/bytes';
import { ICMP_DEST_UNREACHABLE, UNREACH_NET } from '../wire/icmp';
import { IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4';
import { NAT_NO_MATCH, NAT_TRANSLATED, NatEngine, type PortForwardRule } from './nat-engine';
import { rewriteDestination, rewriteSource } from './nat-rewrite';

const LOCALHOST = 0x7f000001;

function ipOr0(text: string | undefined): number {
  return text ? (parseIpv4(text) ?? 0) : 0;
}

/** Plan rules (text addresses) as the engine's (numbers). */
export function engineRules(plan: UserNatPlan): PortForwardRule[] {
  return plan.rules.map((r) => ({ name: r.name, proto: r.proto, hostIp: ipOr0(r.hostIp), hostPort: r.hostPort, guestIp: ipOr0(r.guestIp), guestPort: r.guestPort }));
}

/**
 * Inside, a small machine that owns the gateway and DNS addresses and answers ARP and ping for them; traffic
 * for anywhere else is translated to come from the host's own address and sent by the host's stack, as the
 * real engines do with the host's sockets. Replies reaching the host are translated back and delivered inside.
 * Nothing starts a connection inward except a port-forwarding rule.
 */
export class UserModeNat {
  readonly inside: Machine;
  readonly iface: NetInterface;
  readonly engine: NatEngine;
  private readonly gateway: number;
  private readonly loopbackAlias: number;
  /** The address that stands for the host's loopback when that is allowed (10.0.2.2), whether or not it is. */
  private readonly aliasAddress: number;
  private readonly detachOutside: () => void;

  constructor(
    readonly plan: UserNatPlan,
    private readonly outside: Host,
    ctx: HostContext,
    macs: { gateway: MacAddr; dns?: MacAddr; tftp?: MacAddr },
  ) {
    const net = parseCidr(plan.network);
    const prefix = net?.prefix ?? 24;
    this.inside = new Machine(`nat:${plan.name}`, ctx);
    this.iface = this.inside.addInterface('eth0', macs.gateway);
    this.gateway = ipOr0(plan.gateway);
    this.loopbackAlias = plan.localhostReachable ? ipOr0(plan.loopbackAlias) : 0;
    const dns = ipOr0(plan.dns);
    const tftp = ipOr0(plan.tftp);
    this.inside.addAddress(this.iface, this.gateway, prefix, 'static');
    if (dns !== 0 && dns !== this.gateway) this.inside.addAddress(this.iface, dns, prefix, 'static');
    if (tftp !== 0 && tftp !== this.gateway) this.inside.addAddress(this.iface, tftp, prefix, 'static');
    const alias = ipOr0(plan.loopbackAlias);
    this.aliasAddress = alias;
    if (alias !== 0 && !this.inside.isLocal(alias)) this.inside.addAddress(this.iface, alias, prefix, 'static');
    if (macs.dns !== undefined || macs.tftp !== undefined) {
      this.iface.addressMacs = new Map();
      if (macs.dns !== undefined && dns !== 0) this.iface.addressMacs.set(dns, macs.dns);
      if (macs.tftp !== undefined && tftp !== 0) this.iface.addressMacs.set(tftp, macs.tftp);
    }
    this.engine = new NatEngine(plan.name, { log: (kind, message) => this.inside.log(kind, message) }, {
      defaultGuestIp: ipOr0(plan.defaultGuest),
      // VirtualBox's engine relays forwarded connections from its gateway address; VMware's NAT keeps the client's.
      forwardedSourceIp: plan.flavor === 'vmware-nat' ? 0 : this.gateway,
      timeouts: plan.udpTimeoutSeconds !== undefined ? { udp: plan.udpTimeoutSeconds, udpStream: Math.max(plan.udpTimeoutSeconds, 120) } : undefined,
    });
    for (const r of engineRules(plan)) this.engine.addRule(r);
    this.inside.hooks.prerouting.push(this.fromInside);
    this.inside.setForwarding(false);
    this.iface.port!.mutatesFrames = true;
    outside.hooks.prerouting.push(this.fromOutside);
    outside.setForwarding(outside.forwarding);
    this.detachOutside = () => {
      outside.hooks.prerouting = outside.hooks.prerouting.filter((h) => h !== this.fromOutside);
    };
  }

  get port(): Port {
    return this.iface.port as Port;
  }

  /** Removes the engine's hook from the host (the VM was switched away from this NAT). */
  detach(): void {
    this.detachOutside();
  }

  /** A guest's packet reaching the engine. */
  private readonly fromInside = (frame: Uint8Array, off: number): Verdict => {
    const now = this.inside.now;
    const dst = getU32(frame, off + 16);
    const proto = frame[off + 9];
    // Broadcasts (a guest's DHCP DISCOVER) and multicast stay inside: the engine's own services answer them.
    if (dst === 0xffffffff || this.iface.isBroadcast(dst) || (dst & 0xf0000000) >>> 0 === 0xe0000000) return ACCEPT;
    if (this.inside.isLocal(dst)) {
      if (dst === this.loopbackAlias && this.loopbackAlias !== 0 && (proto === IPPROTO_TCP || proto === IPPROTO_UDP)) {
        // 10.0.2.2 stands for the host's own 127.0.0.1.
        const t = getPorts(frame, off);
        rewriteDestination(frame, off, LOCALHOST, t.dport);
        if (this.engine.outbound(frame, off, LOCALHOST, now) !== NAT_TRANSLATED) return DROP;
        this.outside.sendIpFrame(frame, off);
        return STOLEN;
      }
      if (dst === this.aliasAddress && this.loopbackAlias === 0 && proto === IPPROTO_TCP) this.explainLocalhost(frame, off);
      // The reply side of a port-forwarded connection is addressed to the gateway.
      const v = this.engine.outbound(frame, off, 0, now, false);
      if (v === NAT_NO_MATCH) return ACCEPT;
      if (v !== NAT_TRANSLATED) return DROP;
      this.outside.sendIpFrame(frame, off);
      return STOLEN;
    }
    const route = this.outside.routeTo(dst);
    if (route === null || route.src === 0) {
      this.inside.sendIcmpError(frame, off, this.iface, ICMP_DEST_UNREACHABLE, UNREACH_NET);
      return DROP;
    }
    if (this.engine.outbound(frame, off, route.src, now) !== NAT_TRANSLATED) return DROP;
    this.outside.sendIpFrame(frame, off);
    return STOLEN;
  };

  /** A connection to 10.0.2.2 while the host's loopback is out of reach: say why it is refused (confusion since 7.0). */
  private explainLocalhost(frame: Uint8Array, off: number): void {
    const l4 = off + (frame[off] & 0x0f) * 4;
    if (frame.length < l4 + 14 || (frame[l4 + 13] & 0x12) !== 0x02) return; // a SYN that opens a connection
    const t = getPorts(frame, off);
    const m = /^(.*) NAT \(adapter (\d+)\)$/.exec(this.plan.name);
    const how = m ? `VBoxManage modifyvm ${m[1]} --nat-localhostreachable${m[2]} on` : 'turn on "localhost reachable"';
    this.inside.log(
      'service',
      `${formatIpv4(getU32(frame, off + 12))} → ${formatIpv4(this.aliasAddress)}:${t.dport} refused: ${formatIpv4(this.aliasAddress)} does not reach the host's localhost (off by default since VirtualBox 7.0; ${how})`,
    );
  }

  /** A packet reaching the host: a reply to a guest's connection, or a connection a rule forwards. */
  private readonly fromOutside = (frame: Uint8Array, off: number): Verdict => {
    const v = this.engine.inbound(frame, off, this.outside.now);
    if (v !== NAT_TRANSLATED) return ACCEPT;
    if (getU32(frame, off + 12) === LOCALHOST && this.loopbackAlias !== 0) {
      const t = getPorts(frame, off);
      rewriteSource(frame, off, this.loopbackAlias, t.sport);
    }
    this.inside.sendIpFrame(frame, off);
    return STOLEN;
  };
}

function getPorts(frame: Uint8Array, off: number): { sport: number; dport: number } {
  const l4 = off + (frame[off] & 0x0f) * 4;
  return { sport: (frame[l4] << 8) | frame[l4 + 1], dport: (frame[l4 + 2] << 8) | frame[l4 + 3] };
}
