// The reachability matrix: every machine pings every other, and each cell says why it worked or did not, from the wiring.
import { formatIpv4, type Ipv4Addr, isPrivateIpv4 } from '../wire/address';
import type { LabNode, Placement, RunningLab } from './running-lab';

export interface MatrixCell {
  from: string;
  to: string;
  reachable: boolean;
  /** The address that answered, or the one tried first when none did. */
  address: string | null;
  reason: string;
}

export interface Matrix {
  nodes: string[];
  cells: MatrixCell[];
}

const PING_WAIT_US = 2_000_000;

/** One ping from `src` to `dst`, on the lab's clock; what ping would learn. */
function pingOnce(lab: RunningLab, src: LabNode, dst: Ipv4Addr): { reply: boolean; error: string | null } {
  const host = src.host;
  const id = host.newEchoId();
  let reply = false;
  let error: string | null = null;
  const close = host.openEcho(id, {
    onReply: () => (reply = true),
    onError: (from, type, code) => (error = `${type === 11 ? 'time to live exceeded' : code === 1 ? 'host unreachable' : code === 0 ? 'network unreachable' : 'unreachable'} (from ${formatIpv4(from)})`),
  });
  const sent = host.sendEcho(dst, id, 1, new Uint8Array(56));
  if (sent === 'no-route') error = 'no route';
  else if (sent === 'no-address') error = 'no address';
  else if (sent === 'link-down') error = 'link down';
  else {
    const deadline = lab.scheduler.now + PING_WAIT_US;
    while (!reply && error === null && lab.scheduler.now < deadline && lab.scheduler.pending > 0) lab.scheduler.runUntil(Math.min(deadline, lab.scheduler.nextTime()));
    lab.scheduler.runUntil(deadline);
  }
  close();
  return { reply, error };
}

function addressesOf(node: LabNode): Ipv4Addr[] {
  const out: Ipv4Addr[] = [];
  for (const i of node.host.interfaces) if (!i.isLoopback) for (const a of i.addresses) out.push(a.address);
  return out;
}

function describe(p: Placement): string {
  switch (p.kind) {
    case 'nat':
      return 'VirtualBox NAT';
    case 'natnetwork':
      return `NAT Network ${p.label.replace(/ \(NAT Network\)$/, '')}`;
    case 'hostonly':
      return `host-only network ${p.label}`;
    case 'internal':
      return `internal network ${p.label.replace(/ \(Internal Network\)$/, '')}`;
    case 'lansegment':
      return `LAN segment ${p.label.replace(/ \(LAN segment\)$/, '')}`;
    case 'vmnet':
      return p.label;
    case 'bridge':
      return `bridged onto ${p.label}`;
    default:
      return p.label;
  }
}

/** Why `from` reaches or cannot reach `to`, in a sentence drawn from where each is plugged. */
export function explain(lab: RunningLab, from: string, to: string, reachable: boolean, error: string | null): string {
  const a = lab.placement(from).filter((p) => p.network !== null);
  const b = lab.placement(to).filter((p) => p.network !== null);
  const shared = a.find((p) => b.some((q) => q.network === p.network));
  const toNat = b.find((p) => p.kind === 'nat');
  const fromNat = a.find((p) => p.kind === 'nat');
  if (reachable) {
    if (from === to) return 'itself';
    if (shared) return `same network: ${describe(shared)}`;
    if (fromNat) {
      const hostRole = lab.document().machines.find((m) => m.role === 'host')?.name;
      return to === hostRole ? `through ${from}'s NAT engine, which speaks for the host` : `through ${from}'s NAT engine, as if the host sent it`;
    }
    const fromVmnat = a.find((p) => p.kind === 'natnetwork' || (p.kind === 'vmnet' && /NAT/.test(p.label)));
    // The host has a leg on VMnet8 too, but its own traffic leaves by its LAN.
    const onLan = a.some((p) => p.kind === 'physical' || p.kind === 'bridge' || p.kind === 'internet');
    if (fromVmnat && !onLan) return `through the NAT of ${describe(fromVmnat)}`;
    return `routed: ${describe(a[0] ?? { kind: 'none', label: 'nowhere' } as Placement)} → ${describe(b[0] ?? ({ kind: 'none', label: 'nowhere' } as Placement))}`;
  }
  if (a.length === 0) return `${from} is not attached to any network`;
  if (a.every((p) => !p.connected)) return `${from}'s cable is disconnected`;
  if (b.length === 0) return `${to} is not attached to any network`;
  if (b.every((p) => !p.connected)) return `${to}'s cable is disconnected`;
  const src = lab.node(from);
  if (src && addressesOf(src).length === 0) return `${from} has no IPv4 address (is ONBOOT=yes? restart its network)`;
  const dst = lab.node(to);
  if (dst && addressesOf(dst).length === 0) return `${to} has no IPv4 address (is ONBOOT=yes? restart its network)`;
  // A target reachable on an ordinary network is judged by that network, not by its host-only side (the host itself).
  const bOpen = b.filter((p) => p.kind === 'physical' || p.kind === 'bridge' || p.kind === 'internet');
  const bJudged = bOpen.length > 0 ? bOpen : b;
  const aOpen = a.filter((p) => p.kind === 'physical' || p.kind === 'bridge' || p.kind === 'internet' || p.kind === 'nat' || p.kind === 'natnetwork' || (p.kind === 'vmnet' && /NAT/.test(p.label)));
  if (fromNat && b.some((p) => p.kind === 'nat')) {
    const theirs = addressesOf(dst as LabNode)[0] ?? 0;
    const same = src !== undefined && src.host.isLocal(theirs);
    return `each NAT VM has its own NAT engine; ${to}'s ${formatIpv4(theirs)} is ${same ? `${from}'s own address too, so a ping to it never leaves ${from}` : `not on ${from}'s network`} (use a NAT Network)`;
  }
  if (toNat && !shared) return `no route: ${to} is behind VirtualBox NAT; add a port-forwarding rule to reach its services`;
  const toNatNet = bJudged.find((p) => p.kind === 'natnetwork');
  if (toNatNet && !shared) return `${to} is on ${describe(toNatNet)}; only its members reach it, others need a port-forwarding rule`;
  const toHostOnly = bJudged.find((p) => p.kind === 'hostonly' || (p.kind === 'vmnet' && /Host-only/.test(p.label)));
  if (toHostOnly && !shared) return `${to} is on ${describe(toHostOnly)}, which only the host and its VMs can reach`;
  const toInternal = bJudged.find((p) => p.kind === 'internal' || p.kind === 'lansegment');
  if (toInternal && !shared) return `${to} is on ${describe(toInternal)}, which only VMs attached to it can reach`;
  const fromClosed = a.find((p) => p.kind === 'hostonly' || p.kind === 'internal' || p.kind === 'lansegment' || (p.kind === 'vmnet' && /Host-only/.test(p.label)));
  if (fromClosed && aOpen.length === 0) return `${from} is on ${describe(fromClosed)}, which has no way out${fromClosed.kind === 'hostonly' ? ' (share the host\'s connection to route it)' : ''}`;
  const toVmwareNat = bJudged.find((p) => p.kind === 'vmnet' && /NAT/.test(p.label));
  if (toVmwareNat && !shared) return `no route: ${to} is behind ${describe(toVmwareNat)}; only the host reaches it, others need port forwarding`;
  if (dst && bOpen.length > 0 && bOpen.every((p) => p.kind !== 'internet') && addressesOf(dst).some(isPrivateIpv4) && a.some((p) => p.kind === 'internet'))
    return `${to} has a private address behind its router's NAT; only port forwarding lets connections in`;
  return error ?? 'no reply';
}

/** Pings every pair of machines (VMs included) and explains each result. */
export function reachabilityMatrix(lab: RunningLab, onProgress?: (done: number, total: number) => void): Matrix {
  const nodes = lab.machines();
  const names = nodes.map((n) => n.name);
  const cells: MatrixCell[] = [];
  const total = nodes.length * nodes.length;
  let done = 0;
  for (const src of nodes) {
    for (const dst of nodes) {
      done++;
      const targets = addressesOf(dst);
      if (src === dst) {
        cells.push({ from: src.name, to: dst.name, reachable: true, address: targets[0] !== undefined ? formatIpv4(targets[0]) : null, reason: 'itself' });
        continue;
      }
      let reachable = false;
      let address: Ipv4Addr | null = targets[0] ?? null;
      let lastError: string | null = null;
      for (const t of targets) {
        // Two NAT VMs both have 10.0.2.15: a ping to the other's address is answered by the sender itself.
        if (src.host.isLocal(t)) {
          lastError = 'its own address';
          continue;
        }
        const r = pingOnce(lab, src, t);
        if (r.reply) {
          reachable = true;
          address = t;
          break;
        }
        lastError = r.error;
      }
      cells.push({ from: src.name, to: dst.name, reachable, address: address === null ? null : formatIpv4(address), reason: explain(lab, src.name, dst.name, reachable, lastError) });
      onProgress?.(done, total);
    }
  }
  return { nodes: names, cells };
}

/** The matrix as a grid of ✓/✗ and then one line per cell with its reason. */
export function formatMatrix(m: Matrix): string {
  const w = Math.max(4, ...m.nodes.map((n) => n.length));
  const lines: string[] = [];
  lines.push(`${'from \\ to'.padEnd(w)}  ${m.nodes.map((n) => n.padEnd(w)).join('  ')}`.trimEnd());
  for (const from of m.nodes) {
    const row = m.nodes.map((to) => {
      const c = m.cells.find((x) => x.from === from && x.to === to);
      return (c?.reachable ? 'yes' : 'no').padEnd(w);
    });
    lines.push(`${from.padEnd(w)}  ${row.join('  ')}`.trimEnd());
  }
  lines.push('');
  for (const c of m.cells) if (c.from !== c.to) lines.push(`${c.from} → ${c.to}: ${c.reachable ? 'yes' : 'no'}${c.address ? ` (${c.address})` : ''}: ${c.reason}`);
  return lines.join('\n') + '\n';
}
