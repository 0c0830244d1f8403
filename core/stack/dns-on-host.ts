// Runs the DNS server and the stub resolver on a machine's UDP sockets.
import { DnsServer, type DnsServerConfig, type DnsServerEnv } from '../devices/dns-server';
import type { Ipv4Addr } from '../wire/address';
import { DnsResolver, type DnsResolverEnv } from './dns-resolver';
import type { Host } from './host';
import { envFor } from './host-env';
import type { HostsFile } from './hosts-file';
import type { UdpSocket } from './udp';

/** A DNS server on port 53 of `host` (on `address` only, when given); null when the port is taken. */
export function startDnsServer(host: Host, config: DnsServerConfig, address?: Ipv4Addr): { server: DnsServer; socket: UdpSocket } | null {
  const socket = host.udpBind({ port: 53, address });
  if (socket === null) return null;
  const server = new DnsServer(
    envFor<DnsServerEnv>(host, {
      send: (dst, dstPort, bytes) => {
        socket.sendTo(dst, dstPort, bytes);
      },
    }),
    config,
  );
  socket.onMessage = (m) => server.receive(m.src, m.srcPort, m.payload.slice());
  return { server, socket };
}

/** The machine's stub resolver: a fresh UDP socket per query, as glibc opens one. */
export function makeResolver(host: Host, resolvConf: string, hosts: HostsFile): DnsResolver {
  const sockets = new Map<number, UdpSocket>();
  const resolver: DnsResolver = new DnsResolver(
    envFor<DnsResolverEnv>(host, {
      sendUdp: (server, bytes, fromPort) => {
        let sock = fromPort !== undefined ? sockets.get(fromPort) : undefined;
        if (sock === undefined) {
          const s = host.udpBind();
          if (s === null) return null;
          sock = s;
          sockets.set(s.port, s);
          const port = s.port;
          s.onMessage = (m) => resolver.receive(m.src, m.srcPort, port, m.payload.slice());
          s.onError = (e) => {
            if (e.type === 3) resolver.unreachable(port, e.dst);
          };
        }
        const r = sock.sendTo(server, 53, bytes);
        if (r === 'no-route' || r === 'no-address' || r === 'link-down') {
          if (fromPort === undefined) {
            sockets.delete(sock.port);
            sock.close();
          }
          return null;
        }
        return sock.port;
      },
      releasePort: (port) => {
        const s = sockets.get(port);
        if (s) {
          s.close();
          sockets.delete(port);
        }
      },
    }),
    { resolvConf, hosts },
  );
  return resolver;
}
