// Gives a machine its TCP: segments addressed to it go to a TcpLayer, whose packets the machine routes and sends.
import { ICMP_DEST_UNREACHABLE } from '../wire/icmp';
import { IPPROTO_TCP } from '../wire/ipv4';
import type { Host } from './host';
import { TcpLayer } from './tcp';

export function attachTcp(host: Host): TcpLayer {
  const tcp = new TcpLayer({
    clock: host.ctx.scheduler,
    random: host.ctx.random,
    sendIpPacket: (src, dst, _protocol, payload) => {
      host.sendIp(dst, IPPROTO_TCP, payload.length, (buf, o) => buf.set(payload, o), { src, dontFragment: true });
    },
    sourceFor: (dst) => host.routeTo(dst)?.src ?? null,
    log: (kind, message) => host.log(kind, message),
  });
  host.transports.set(IPPROTO_TCP, {
    input: (src, dst, segment) => tcp.receive(src, dst, segment),
    icmpError: (_from, type, code, q) => {
      if (type === ICMP_DEST_UNREACHABLE) tcp.icmpUnreachable(code, q.src, q.dst, q.transport);
    },
  });
  return tcp;
}
