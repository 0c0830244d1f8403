// VirtualBox's personality: how each adapter's "Attached to:" becomes networks, services and cables, with VirtualBox's defaults.
import type { LabDocument, Machine, VirtualBoxAdapter, VirtualBoxAdapterType, Vm } from '../lab/document';
import { parseMac } from '../wire/address';
import { hostIn, networkCidr, prefixOf, withinRanges } from './addressing';
import { VBOX_HOST_ONLY, VBOX_NAT, VBOX_NAT_NETWORK, vboxNatNetwork } from './defaults';
import type { NicPlan, VirtualNetworkPlan, WiringPlan } from './plan';

/** The adapter types as VirtualBox's settings dialog names them. */
export const VBOX_ADAPTER_TYPE_LABELS: Record<VirtualBoxAdapterType, string> = {
  Am79C970A: 'PCnet-PCI II (Am79C970A)',
  Am79C973: 'PCnet-FAST III (Am79C973)',
  '82540EM': 'Intel PRO/1000 MT Desktop (82540EM)',
  '82543GC': 'Intel PRO/1000 T Server (82543GC)',
  '82545EM': 'Intel PRO/1000 MT Server (82545EM)',
  virtio: 'Paravirtualized Network (virtio-net)',
};

/** "Attached to:" as the settings dialog words it. */
export const VBOX_ATTACHMENT_LABELS = {
  none: 'Not attached',
  null: 'Not attached',
  nat: 'NAT',
  natnetwork: 'NAT Network',
  bridged: 'Bridged Adapter',
  intnet: 'Internal Network',
  hostonly: 'Host-only Adapter',
} as const;

export function hostMachine(doc: LabDocument): Machine | undefined {
  return doc.machines.find((m) => m.role === 'host');
}

/** The host's bridge on one of its interfaces, where bridged adapters plug in (VirtualBox's VBoxNetFlt, VMware's vmnet-bridge). */
export function bridgeNetworks(doc: LabDocument): VirtualNetworkPlan[] {
  const host = hostMachine(doc);
  if (!host) return [];
  return host.interfaces.map((i) => ({
    id: `bridge:${i.name}`,
    kind: 'bridge' as const,
    label: `${i.name} (bridge)`,
    bridge: { hostInterface: i.name, physicalNetwork: i.network, wireless: i.wireless === true },
  }));
}

function hostOnlyNetworks(doc: LabDocument, problems: string[]): VirtualNetworkPlan[] {
  const cfg = doc.virtualbox;
  if (!cfg) return [];
  const allowed = cfg.allowedHostOnlyRanges ?? [...VBOX_HOST_ONLY.allowedRanges];
  return cfg.hostOnly.map((h, i) => {
    // VBoxNetAdpCtl refuses such an address: the host's adapter is left without one.
    const refused = !withinRanges(h.address, allowed);
    if (refused) {
      problems.push(`virtualbox.hostOnly[${i}] (${h.name}): IP address ${h.address} is not within the allowed ranges (${allowed.join(', ')}); add it to /etc/vbox/networks.conf`);
    }
    const plan: VirtualNetworkPlan = {
      id: `vbox-hostonly:${h.name}`,
      kind: 'hostonly',
      label: h.name,
      hostAdapter: { name: h.name, address: refused ? '' : h.address, mac: VBOX_HOST_ONLY.hostMacPrefix + i },
    };
    if (h.dhcp && h.dhcp.enabled) {
      plan.dhcp = {
        name: `HostInterfaceNetworking-${h.name}`,
        server: h.dhcp.server,
        prefix: prefixOf(h.address),
        start: h.dhcp.lower,
        end: h.dhcp.upper,
        leaseSeconds: h.dhcp.leaseSeconds,
      };
    }
    return plan;
  });
}

function natPlan(vm: Vm, a: VirtualBoxAdapter): VirtualNetworkPlan {
  const net = vboxNatNetwork(a.slot);
  const gateway = hostIn(net, VBOX_NAT.gatewayHost);
  const dns = hostIn(net, VBOX_NAT.dnsHost);
  const name = `${vm.name} NAT (adapter ${a.slot})`;
  const localhostReachable = a.localhostReachable === true;
  return {
    id: `vbox-nat:${vm.name}:${a.slot}`,
    kind: 'nat',
    label: name,
    userNat: {
      flavor: 'vbox-nat',
      name,
      network: net,
      gateway,
      dns,
      tftp: hostIn(net, VBOX_NAT.tftpHost),
      loopbackAlias: gateway,
      localhostReachable,
      rules: a.portForwarding ?? [],
      defaultGuest: hostIn(net, VBOX_NAT.guestHost),
    },
    dhcp: {
      name,
      server: gateway,
      prefix: 24,
      start: hostIn(net, VBOX_NAT.guestHost),
      end: hostIn(net, VBOX_NAT.guestHost + VBOX_NAT.dhcpCount - 1),
      leaseSeconds: VBOX_NAT.leaseSeconds,
      router: gateway,
      dns: [dns],
    },
  };
}

function natNetworkPlan(doc: LabDocument, name: string): VirtualNetworkPlan | null {
  const nn = doc.virtualbox?.natNetworks.find((n) => n.name === name);
  if (!nn) return null;
  const gateway = hostIn(nn.network, VBOX_NAT_NETWORK.gatewayHost);
  const plan: VirtualNetworkPlan = {
    id: `vbox-natnet:${nn.name}`,
    kind: 'natnetwork',
    label: `${nn.name} (NAT Network)`,
    userNat: {
      flavor: 'vbox-natnetwork',
      name: nn.name,
      network: networkCidr(nn.network),
      gateway,
      // The NAT Network's DNS proxy listens on its gateway. (unverified)
      dns: gateway,
      loopbackAlias: hostIn(nn.network, VBOX_NAT_NETWORK.loopbackHost),
      localhostReachable: nn.localhostReachable !== false,
      rules: nn.portForwarding,
    },
  };
  if (nn.dhcp) {
    plan.dhcp = {
      name: nn.name,
      server: hostIn(nn.network, VBOX_NAT_NETWORK.dhcpServerHost),
      prefix: prefixOf(nn.network),
      start: hostIn(nn.network, VBOX_NAT_NETWORK.dhcpFirstHost),
      end: hostIn(nn.network, VBOX_NAT_NETWORK.dhcpLastHost),
      leaseSeconds: VBOX_NAT_NETWORK.leaseSeconds,
      router: gateway,
      dns: [gateway],
    };
  }
  return plan;
}

function internalPlan(doc: LabDocument, name: string): VirtualNetworkPlan {
  const plan: VirtualNetworkPlan = { id: `vbox-intnet:${name}`, kind: 'internal', label: `${name} (Internal Network)` };
  const d = doc.virtualbox?.internalDhcp?.find((x) => x.network === name);
  if (d) {
    const prefix = prefixOf(`${d.server}/${maskBits(d.mask)}`);
    plan.dhcp = { name: `${name}`, server: d.server, prefix, start: d.lower, end: d.upper, leaseSeconds: d.leaseSeconds };
  }
  return plan;
}

function maskBits(mask: string): number {
  return mask
    .split('.')
    .map((o) => Number(o).toString(2).split('1').length - 1)
    .reduce((a, b) => a + b, 0);
}

/** VirtualBox's wiring for every running VirtualBox VM of the lab. */
export function planVirtualBox(doc: LabDocument): WiringPlan {
  const problems: string[] = [];
  const networks = new Map<string, VirtualNetworkPlan>();
  const add = (p: VirtualNetworkPlan): void => {
    if (!networks.has(p.id)) networks.set(p.id, p);
  };
  for (const p of hostOnlyNetworks(doc, problems)) add(p);
  const host = hostMachine(doc);
  const nics: NicPlan[] = [];
  doc.vms.forEach((vm, vi) => {
    if (vm.hypervisor !== 'virtualbox' || !vm.running || !vm.virtualbox) return;
    vm.virtualbox.adapters.forEach((a, ai) => {
      if (!a.enabled) return;
      const where = `vms[${vi}].virtualbox.adapters[${ai}]`;
      let network: string | null = null;
      let attachmentLabel: string = VBOX_ATTACHMENT_LABELS[a.attachment];
      switch (a.attachment) {
        case 'none':
        case 'null':
          break;
        case 'nat': {
          const p = natPlan(vm, a);
          add(p);
          network = p.id;
          break;
        }
        case 'natnetwork': {
          const name = a.network ?? VBOX_NAT_NETWORK.defaultName;
          const p = natNetworkPlan(doc, name);
          if (!p) problems.push(`${where}: NAT Network '${name}' does not exist (VBoxManage natnetwork add --netname ${name} …)`);
          else {
            add(p);
            network = p.id;
          }
          attachmentLabel = `NAT Network (${name})`;
          break;
        }
        case 'bridged': {
          const iface = a.network ?? host?.interfaces[0]?.name ?? '';
          if (!host || !host.interfaces.some((i) => i.name === iface)) problems.push(`${where}: the host has no interface '${iface}' to bridge to`);
          else network = `bridge:${iface}`;
          attachmentLabel = `Bridged Adapter (${iface})`;
          break;
        }
        case 'intnet': {
          const name = a.network ?? 'intnet';
          const p = internalPlan(doc, name);
          add(p);
          network = p.id;
          attachmentLabel = `Internal Network (${name})`;
          break;
        }
        case 'hostonly': {
          const name = a.network ?? VBOX_HOST_ONLY.name;
          const id = `vbox-hostonly:${name}`;
          if (!networks.has(id)) problems.push(`${where}: host-only network '${name}' does not exist (VBoxManage hostonlyif create)`);
          else network = id;
          attachmentLabel = `Host-only Adapter (${name})`;
          break;
        }
      }
      nics.push({
        vm: vm.name,
        slot: a.slot,
        mac: parseMac(a.mac) ?? 0,
        network,
        connected: a.cable,
        promiscuous: a.promiscuous,
        model: VBOX_ADAPTER_TYPE_LABELS[a.type],
        device: `eth${a.slot - 1}`,
        attachmentLabel,
      });
    });
  });
  return { networks: [...networks.values()], nics, problems };
}

