// A synthetic lab graph of N virtual machines over every kind of attachment, for measuring the topology on a big lab.
import type { Topology } from '../../core/api/dto';

type TopologyNode = Topology['nodes'][number];
type TopologyEdge = Topology['edges'][number];

/** N VMs plus the host's LAN (host, router, a PC), the Internet with two servers, and the virtual networks they use. */
export function syntheticTopology(vms: number): Topology {
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const node = (id: string, label: string, kind: TopologyNode['kind'], world: TopologyNode['world'], addresses: string[] = []): void => {
    nodes.push({ id, label, kind, world, addresses });
  };
  const edge = (id: string, source: string, target: string, attachment: TopologyEdge['attachment'], label: string): void => {
    edges.push({ id, source, target, attachment, label, connected: true });
  };
  node('net:lan', 'lan', 'switch', 'lan');
  node('net:internet', 'Internet', 'internet', 'internet');
  node('host', 'host', 'host', 'lan', ['192.168.1.100/24']);
  node('router', 'router', 'router', 'lan', ['192.168.1.1/24', '203.0.113.2/24']);
  node('pc', 'pc', 'pc', 'lan', ['192.168.1.101/24']);
  node('dns', 'dns', 'server', 'internet', ['114.114.114.114/24']);
  node('web', 'web', 'server', 'internet', ['93.184.216.34/24']);
  edge('host.eth0', 'host', 'net:lan', 'lan', 'eth0');
  edge('router.lan', 'router', 'net:lan', 'lan', 'lan');
  edge('router.wan', 'router', 'net:internet', 'internet', 'wan');
  edge('pc.eth0', 'pc', 'net:lan', 'lan', 'eth0');
  edge('dns.eth0', 'dns', 'net:internet', 'internet', 'eth0');
  edge('web.eth0', 'web', 'net:internet', 'internet', 'eth0');
  const hostOnly = 10;
  const internal = 5;
  const natNetworks = 2;
  for (let i = 0; i < hostOnly; i++) {
    node(`vnet:vboxnet${i}`, `vboxnet${i}`, 'switch', 'virtual');
    edge(`host.vboxnet${i}`, 'host', `vnet:vboxnet${i}`, 'host-adapter', `vboxnet${i}`);
    node(`dhcp:vboxnet${i}`, `DHCP vboxnet${i}`, 'dhcp', 'virtual', [`192.168.${56 + i}.2/24`]);
    edge(`dhcp:vboxnet${i}.eth0`, `dhcp:vboxnet${i}`, `vnet:vboxnet${i}`, 'service', 'DHCP');
  }
  for (let i = 0; i < internal; i++) node(`vnet:intnet${i}`, `intnet${i}`, 'switch', 'virtual');
  for (let i = 0; i < natNetworks; i++) {
    node(`vnet:natnet${i}`, `NatNetwork${i}`, 'switch', 'virtual');
    node(`nat:natnet${i}`, `NatNetwork${i}`, 'nat', 'virtual', [`10.0.${i + 2}.1/24`]);
    edge(`nat:natnet${i}.eth0`, `nat:natnet${i}`, `vnet:natnet${i}`, 'service', 'NAT');
    edge(`nat:natnet${i}--host`, `nat:natnet${i}`, 'host', 'service', 'host sockets');
  }
  for (let v = 0; v < vms; v++) {
    const name = `vm${v + 1}`;
    const kind = v % 10;
    // Which network of its kind: the tens digit, so every network of a kind gets VMs.
    const nth = Math.floor(v / 10);
    let addr: string;
    if (kind < 4) {
      const n = nth % hostOnly;
      addr = `192.168.${56 + n}.${100 + ((v >> 4) % 150)}/24`;
      edge(`${name}.eth0`, name, `vnet:vboxnet${n}`, 'hostonly', `Host-only Adapter (vboxnet${n})`);
    } else if (kind < 6) {
      const n = nth % internal;
      addr = `10.10.${n}.${(v % 250) + 2}/24`;
      edge(`${name}.eth0`, name, `vnet:intnet${n}`, 'internal', `Internal Network (intnet${n})`);
    } else if (kind < 8) {
      addr = '10.0.2.15/24';
      node(`nat:${name}`, `NAT ${name}`, 'nat', 'virtual');
      edge(`${name}.eth0`, name, `nat:${name}`, 'nat', 'NAT');
      edge(`nat:${name}--host`, `nat:${name}`, 'host', 'service', 'host sockets');
    } else if (kind < 9) {
      addr = `192.168.1.${(v % 250) + 2}/24`;
      edge(`${name}.eth0`, name, 'net:lan', 'bridged', 'Bridged Adapter (eth0)');
    } else {
      const n = nth % natNetworks;
      addr = `10.0.${n + 2}.${(v % 250) + 4}/24`;
      edge(`${name}.eth0`, name, `vnet:natnet${n}`, 'natnetwork', `NAT Network (NatNetwork${n})`);
    }
    node(name, name, 'vm', 'virtual', [addr]);
  }
  return { nodes, edges };
}
