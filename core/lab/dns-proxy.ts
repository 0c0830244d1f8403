// The DNS proxy of a user-mode NAT (VirtualBox 10.0.2.3, VMware .2): answers inside, asks the host's own nameservers from the host.
import { DnsServer, type DnsServerEnv } from '../devices/dns-server';
import type { Host } from '../stack/host';
import { envFor } from '../stack/host-env';
import type { UdpSocket } from '../stack/udp';
import { type Ipv4Addr, parseIpv4 } from '../wire/address';

export interface DnsProxy {
  server: DnsServer;
  /** Re-reads the host's nameservers (call when the host's resolv.conf changes). */
  refresh(): void;
  close(): void;
}

/** Nameservers of a resolv.conf text. */
export function nameserversOf(resolvConf: string): Ipv4Addr[] {
  const out: Ipv4Addr[] = [];
  for (const line of resolvConf.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    const ip = m ? parseIpv4(m[1]) : null;
    if (ip !== null) out.push(ip);
  }
  return out;
}

/**
 * `inside` answers on `address`:53; queries go upstream from a socket of `outside` (the host), so the LAN sees
 * them come from the host, as with the real engines.
 */
export function startDnsProxy(inside: Host, address: Ipv4Addr, outside: Host, hostResolvConf: () => string): DnsProxy | null {
  const local = inside.udpBind({ port: 53, address });
  if (local === null) return null;
  let upstream: UdpSocket | null = null;
  const server = new DnsServer(
    envFor<DnsServerEnv>(inside, {
      send: (dst, dstPort, bytes) => {
        if (inside.isLocal(dst) || inside.routes.lookup(dst)?.gateway === 0) {
          local.sendTo(dst, dstPort, bytes);
          return;
        }
        if (upstream === null) {
          upstream = outside.udpBind();
          if (upstream === null) return;
          upstream.onMessage = (m) => server.receive(m.src, m.srcPort, m.payload.slice());
        }
        upstream.sendTo(dst, dstPort, bytes);
      },
    }),
    { recursion: true, upstreams: nameserversOf(hostResolvConf()) },
  );
  local.onMessage = (m) => server.receive(m.src, m.srcPort, m.payload.slice());
  return {
    server,
    refresh: () => server.configure({ recursion: true, upstreams: nameserversOf(hostResolvConf()) }),
    close: () => {
      local.close();
      if (upstream) (upstream as UdpSocket).close();
      server.stop();
    },
  };
}
