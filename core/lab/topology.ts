// The lab as a graph for the topology view: machines, switches, NAT engines, the Internet, and cables coloured by attachment.
import { formatIpv4 } from '../wire/address';
import type { RunningLab } from './running-lab';

export type TopologyNodeKind = 'host' | 'router' | 'pc' | 'server' | 'vm' | 'switch' | 'nat' | 'dhcp' | 'internet' | 'world';
/** Which of the three worlds a node belongs to, so a layout can keep them apart. */
export type World = 'lan' | 'virtual' | 'internet';
export type EdgeAttachment = 'lan' | 'internet' | 'nat' | 'natnetwork' | 'bridged' | 'hostonly' | 'internal' | 'vmnet' | 'lansegment' | 'host-adapter' | 'service';

export interface TopologyNode {
  id: string;
  label: string;
  kind: TopologyNodeKind;
  world: World;
  /** Addresses to show under the label. */
  addresses: string[];
}

export interface TopologyEdge {
  /** The cable's name, which is also its capture's name (`vm1.eth0`). */
  id: string;
  source: string;
  target: string;
  attachment: EdgeAttachment;
  label: string;
  connected: boolean;
}

export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

function addressesOf(lab: RunningLab, name: string): string[] {
  const n = lab.node(name);
  if (!n) return [];
  const out: string[] = [];
  for (const i of n.host.interfaces) if (!i.isLoopback) for (const a of i.addresses) out.push(`${formatIpv4(a.address)}/${a.prefix}`);
  return out;
}

const KIND_ATTACHMENT: Record<string, EdgeAttachment> = {
  nat: 'nat',
  natnetwork: 'natnetwork',
  bridge: 'bridged',
  hostonly: 'hostonly',
  internal: 'internal',
  vmnet: 'vmnet',
  lansegment: 'lansegment',
};

/** Builds the graph from what is running now (VMs powered off are not drawn). */
export function topology(lab: RunningLab): Topology {
  const doc = lab.document();
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const seen = new Set<string>();
  const addNode = (n: TopologyNode): void => {
    if (seen.has(n.id)) return;
    seen.add(n.id);
    nodes.push(n);
  };
  for (const net of doc.networks) {
    if (net.kind === 'internet') addNode({ id: `net:${net.name}`, label: 'Internet', kind: 'internet', world: 'internet', addresses: [] });
    else addNode({ id: `net:${net.name}`, label: net.name, kind: 'switch', world: 'lan', addresses: [] });
  }
  for (const m of doc.machines) {
    const onInternetOnly = m.interfaces.every((i) => doc.networks.find((n) => n.name === i.network)?.kind === 'internet');
    addNode({ id: m.name, label: m.name, kind: m.role, world: onInternetOnly ? 'internet' : 'lan', addresses: addressesOf(lab, m.name) });
    for (const i of m.interfaces) {
      const kind = doc.networks.find((n) => n.name === i.network)?.kind ?? 'lan';
      edges.push({ id: `${m.name}.${i.name}`, source: m.name, target: `net:${i.network}`, attachment: kind === 'internet' ? 'internet' : 'lan', label: i.name, connected: true });
    }
  }
  const host = doc.machines.find((m) => m.role === 'host')?.name;
  for (const vm of doc.vms) {
    if (!vm.running || !lab.node(vm.name)) continue;
    addNode({ id: vm.name, label: vm.name, kind: 'vm', world: 'virtual', addresses: addressesOf(lab, vm.name) });
    for (const p of lab.placement(vm.name)) {
      if (p.network === null) continue;
      const attachment = KIND_ATTACHMENT[p.kind] ?? 'lan';
      let target: string;
      if (p.kind === 'bridge') target = `net:${p.network}`;
      else if (p.kind === 'nat') {
        target = `nat:${p.network}`;
        addNode({ id: target, label: p.label, kind: 'nat', world: 'virtual', addresses: [] });
        if (host) edges.push({ id: `${target}--${host}`, source: target, target: host, attachment: 'service', label: 'host sockets', connected: true });
      } else {
        target = `vnet:${p.network}`;
        addNode({ id: target, label: p.label, kind: 'switch', world: 'virtual', addresses: [] });
      }
      edges.push({ id: `${vm.name}.${p.device}`, source: vm.name, target, attachment, label: p.attachment, connected: p.connected });
    }
  }
  if (host) {
    for (const p of lab.placement(host)) {
      if (p.attachment !== 'host adapter' || p.network === null) continue;
      const target = `vnet:${p.network}`;
      addNode({ id: target, label: p.label, kind: 'switch', world: 'virtual', addresses: [] });
      edges.push({ id: `${host}.${p.device}`, source: host, target, attachment: 'host-adapter', label: p.device, connected: true });
    }
  }
  // Service boxes on virtual networks: DHCP servers and the NAT devices of NAT Networks and VMnet8.
  for (const n of lab.nodes.values()) {
    if (n.kind !== 'service' || !(n.name.startsWith('nat:') || n.name.startsWith('dhcp:'))) continue;
    const isNat = n.name.startsWith('nat:');
    const link = [...lab.links.entries()].find(([name]) => name === `${n.name}.eth0`);
    if (!link) continue;
    // The far end's switch is named after the virtual network's label.
    const far = link[1].a.device === n.name ? link[1].b : link[1].a;
    const target = nodes.find((x) => x.kind === 'switch' && x.world === 'virtual' && x.label === far.device)?.id;
    if (!target) continue;
    addNode({ id: n.name, label: isNat ? n.name.slice('nat:'.length) : `DHCP ${n.name.slice('dhcp:'.length)}`, kind: isNat ? 'nat' : 'dhcp', world: 'virtual', addresses: addressesOf(lab, n.name) });
    edges.push({ id: link[0], source: n.name, target, attachment: 'service', label: isNat ? 'NAT' : 'DHCP', connected: true });
    if (isNat && host) edges.push({ id: `${n.name}--${host}`, source: n.name, target: host, attachment: 'service', label: 'host sockets', connected: true });
  }
  return { nodes, edges };
}
