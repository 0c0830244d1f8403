// Runs the DHCP client and server engines on a machine's UDP ports 68 and 67.
import { DhcpServer, type DhcpServerConfig, type DhcpServerEnv } from '../devices/dhcp-server';
import { IPV4_BROADCAST, type Ipv4Addr } from '../wire/address';
import { DhcpClient, type DhcpClientEnv, type DhcpClientOptions, type DhcpLease } from './dhcp-client';
import type { Host } from './host';
import { envFor } from './host-env';
import type { NetInterface } from './interface';
import type { UdpSocket } from './udp';

/** A DHCP server answering on `iface` from `config.serverIp`; null when port 67 is taken there. */
export function startDhcpServer(host: Host, iface: NetInterface, config: DhcpServerConfig): { server: DhcpServer; socket: UdpSocket } | null {
  const socket = host.udpBind({ port: 67, device: iface });
  if (socket === null) return null;
  const server = new DhcpServer(
    envFor<DhcpServerEnv>(host, {
      send: (payload, dstIp, dstMac) => {
        socket.sendTo(dstIp, 68, payload, { device: iface, dstMac, src: config.serverIp });
      },
    }),
    config,
  );
  socket.onMessage = (m) => server.receive(m.payload.slice());
  return { server, socket };
}

export interface DhcpClientHooks {
  /** Put the lease's address, route and resolvers in place (the guest decides how: dhclient-script, NetworkManager). */
  configure(lease: DhcpLease): void;
  deconfigure(lease: DhcpLease): void;
}

/** A DHCP client on `iface`, receiving on port 68 whatever the destination address (a raw socket, as dhclient's). */
export function startDhcpClient(host: Host, iface: NetInterface, options: Omit<DhcpClientOptions, 'mac'>, hooks: DhcpClientHooks): { client: DhcpClient; socket: UdpSocket } | null {
  const socket = host.udpBind({ port: 68, device: iface, anyDestination: true });
  if (socket === null) return null;
  const client = new DhcpClient(
    envFor<DhcpClientEnv>(host, {
      sendBroadcast: (payload, srcIp: Ipv4Addr) => {
        socket.sendTo(IPV4_BROADCAST, 67, payload, { device: iface, src: srcIp });
      },
      sendUnicast: (serverIp, payload) => {
        socket.sendTo(serverIp, 67, payload);
      },
      configure: (lease) => hooks.configure(lease),
      deconfigure: (lease) => hooks.deconfigure(lease),
      arpProbe: (ip, done) => host.probeAddress(iface, ip, (mac) => done(mac !== null)),
    }),
    { ...options, mac: iface.mac },
  );
  socket.onMessage = (m) => client.receive(m.payload.slice());
  return { client, socket };
}
