// A lab network or VM adapter joined to a UDP tunnel: one Ethernet frame per datagram, no header, as QEMU's -netdev dgram/socket,udp= and VirtualBox's UDPTunnel driver send them.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { RunningLab } from '../../core/lab/running-lab';
import { AttachError, type Attachment, type AttachSpec, LabSide, labPort, linkName, newCounters, specLabel } from './attachment';
import type { RealtimeClock } from './realtime-clock';

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1';
}

function bind(socket: Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    socket.once('error', onError);
    socket.bind(port, address, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

/**
 * Joins `spec.where` in the lab to a UDP tunnel. The socket listens on the loopback address when the
 * far end is on this machine, else on every address. Only datagrams from the far end's address and port
 * are taken (anything else is dropped and counted): the tunnel is not a door into the lab for anyone.
 */
export async function attachUdp(lab: RunningLab, spec: Extract<AttachSpec, { kind: 'udp' }>, clock: RealtimeClock, onProblem?: (text: string) => void): Promise<Attachment> {
  let remote: string;
  try {
    remote = isIP(spec.remoteHost) !== 0 ? spec.remoteHost : (await lookup(spec.remoteHost)).address;
  } catch (e) {
    throw new AttachError(`cannot resolve ${spec.remoteHost} (${e instanceof Error ? e.message : String(e)})`);
  }
  const v6 = isIP(remote) === 6;
  const socket = createSocket({ type: v6 ? 'udp6' : 'udp4' });
  const local = isLoopback(remote) ? remote : v6 ? '::' : '0.0.0.0';
  try {
    await bind(socket, spec.localPort, local);
  } catch (e) {
    socket.close();
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
    if (code === 'EADDRINUSE') throw new AttachError(`UDP port ${spec.localPort} is already in use; pick another LOCALPORT`);
    if (code === 'EACCES') throw new AttachError(`not allowed to listen on UDP port ${spec.localPort} (ports below 1024 need root)`);
    throw new AttachError(`cannot listen on UDP port ${spec.localPort} (${e instanceof Error ? e.message : String(e)})`);
  }
  let port;
  try {
    port = labPort(lab, spec);
  } catch (e) {
    socket.close();
    throw e;
  }
  const counters = newCounters();
  const sent = (err: Error | null): void => {
    if (err) counters.dropped++;
  };
  const out = (frame: Uint8Array): boolean => {
    socket.send(frame, spec.remotePort, remote, sent);
    return true;
  };
  const side = new LabSide(port, clock, counters, out, lab);
  socket.on('message', (msg: Buffer, from: RemoteInfo) => {
    if (from.port !== spec.remotePort || from.address !== remote) {
      counters.dropped++;
      return;
    }
    // A copy as a plain Uint8Array: Buffer's slice() shares memory, and the lab copies frames with slice().
    side.fromOutside(new Uint8Array(msg));
  });
  socket.on('error', (e) => onProblem?.(`${specLabel(spec)}: ${e.message}`));
  let open = true;
  return {
    spec,
    label: specLabel(spec),
    link: linkName(spec),
    counters,
    warnings: [],
    close(): void {
      if (!open) return;
      open = false;
      side.detach();
      socket.close();
    },
  };
}
