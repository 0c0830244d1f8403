// VMware Workstation's personality: VMnet0/1/8, custom VMnets and LAN segments as networks, services and cables.
import type { LabDocument, VmnetConfig, VmwareConnection, VmwareVirtualDev } from '../lab/document';
import { parseMac } from '../wire/address';
import { hostIn, networkCidr, prefixOf } from './addressing';
import { VMWARE } from './defaults';
import type { NicPlan, VirtualNetworkPlan, WiringPlan } from './plan';
import { hostMachine } from './virtualbox';

export const VMWARE_DEV_LABELS: Record<VmwareVirtualDev, string> = {
  vlance: 'AMD PCnet32 (vlance)',
  vmxnet: 'VMware vmxnet',
  vmxnet3: 'VMware vmxnet3',
  e1000: 'Intel 82545EM (e1000)',
  e1000e: 'Intel 82574L (e1000e)',
};

export const VMWARE_CONNECTION_LABELS: Record<VmwareConnection, string> = {
  bridged: 'Bridged',
  nat: 'NAT',
  hostonly: 'Host-only',
  custom: 'Custom: Specific virtual network',
  pvn: 'LAN segment',
};

/** VMnet1 and VMnet8 as a fresh install makes them, with subnets the lab picks from its seed. */
export function defaultVmnets(seed: number, hostInterface = 'eth0'): VmnetConfig[] {
  // Real installs pick unused private /24s at random (e.g. 192.168.165.0/24, 172.16.162.0/24).
  const a = 128 + (seed % 100);
  const b = 128 + (Math.floor(seed / 100) % 100);
  return [
    { name: 'VMnet0', type: 'bridged', bridgedTo: hostInterface },
    { name: 'VMnet1', type: 'hostonly', subnet: `192.168.${a}.0/24`, hostAdapter: true, dhcp: true },
    { name: 'VMnet8', type: 'nat', subnet: `172.16.${b}.0/24`, hostAdapter: true, dhcp: true, nat: { gateway: `172.16.${b}.2`, portForwarding: [], udpTimeoutSeconds: VMWARE.udpTimeoutSeconds } },
  ];
}

function vmnetIndex(name: string): number {
  return Number(name.replace(/^VMnet/i, ''));
}

function vmnetPlan(v: VmnetConfig): VirtualNetworkPlan {
  if (v.type === 'bridged') {
    return { id: `bridge:${v.bridgedTo ?? 'eth0'}`, kind: 'bridge', label: `${v.name} (Bridged)` };
  }
  const subnet = networkCidr(v.subnet ?? '192.168.100.0/24');
  const plan: VirtualNetworkPlan = { id: `vmware:${v.name}`, kind: 'vmnet', label: `${v.name} (${v.type === 'nat' ? 'NAT' : 'Host-only'})` };
  const idx = vmnetIndex(v.name);
  if (v.hostAdapter !== false) plan.hostAdapter = { name: v.name.toLowerCase(), address: `${hostIn(subnet, VMWARE.hostHost)}/${prefixOf(subnet)}`, mac: VMWARE.hostAdapterMacPrefix + idx };
  const natGateway = v.nat?.gateway ?? hostIn(subnet, VMWARE.natHost);
  if (v.dhcp !== false) {
    const r = v.dhcpRange;
    plan.dhcp = {
      name: `${v.name} DHCP`,
      server: hostIn(subnet, VMWARE.dhcpServerHost),
      prefix: prefixOf(subnet),
      start: r?.start ?? hostIn(subnet, VMWARE.dhcpFirst),
      end: r?.end ?? hostIn(subnet, VMWARE.dhcpLast),
      leaseSeconds: r?.defaultLeaseSeconds ?? VMWARE.defaultLeaseSeconds,
      maxLeaseSeconds: r?.maxLeaseSeconds ?? VMWARE.maxLeaseSeconds,
      // Host-only networks hand out no gateway; NAT networks point at the NAT device.
      router: v.type === 'nat' ? natGateway : undefined,
      dns: v.type === 'nat' ? [natGateway] : undefined,
      domain: 'localdomain',
    };
  }
  if (v.type === 'nat') {
    plan.userNat = {
      flavor: 'vmware-nat',
      name: `${v.name} NAT`,
      network: subnet,
      gateway: natGateway,
      dns: natGateway,
      localhostReachable: false,
      rules: v.nat?.portForwarding ?? [],
      udpTimeoutSeconds: v.nat?.udpTimeoutSeconds ?? VMWARE.udpTimeoutSeconds,
    };
  }
  return plan;
}

/** VMware Workstation's wiring for every running VMware VM of the lab. */
export function planVmware(doc: LabDocument): WiringPlan {
  const problems: string[] = [];
  const host = hostMachine(doc);
  // A host without VMware Workstation has no VMnets.
  if (!doc.vmware && !doc.vms.some((v) => v.hypervisor === 'vmware')) return { networks: [], nics: [], problems: [] };
  const vmnets = doc.vmware?.vmnets ?? defaultVmnets(doc.seed, host?.interfaces[0]?.name);
  const networks = new Map<string, VirtualNetworkPlan>();
  for (const v of vmnets) {
    if (v.type === 'bridged') continue; // the host's bridge networks are planned for every lab
    const p = vmnetPlan(v);
    networks.set(p.id, p);
  }
  const nics: NicPlan[] = [];
  const byName = new Map(vmnets.map((v) => [v.name.toLowerCase(), v]));
  const first = (type: VmnetConfig['type']): VmnetConfig | undefined => vmnets.find((v) => v.type === type);
  doc.vms.forEach((vm, vi) => {
    if (vm.hypervisor !== 'vmware' || !vm.running || !vm.vmware) return;
    vm.vmware.adapters.forEach((a, ai) => {
      if (!a.present) return;
      const where = `vms[${vi}].vmware.adapters[${ai}]`;
      let network: string | null = null;
      let label: string = VMWARE_CONNECTION_LABELS[a.connectionType];
      const pick = (v: VmnetConfig | undefined, what: string): void => {
        if (!v) {
          problems.push(`${where}: there is no ${what} in the Virtual Network Editor`);
          return;
        }
        network = v.type === 'bridged' ? `bridge:${v.bridgedTo ?? host?.interfaces[0]?.name ?? 'eth0'}` : `vmware:${v.name}`;
        label = `${label} (${v.name})`;
      };
      switch (a.connectionType) {
        case 'bridged':
          pick(byName.get('vmnet0') ?? first('bridged'), 'VMnet0 (bridged)');
          break;
        case 'nat':
          pick(byName.get('vmnet8') ?? first('nat'), 'NAT network (VMnet8)');
          break;
        case 'hostonly':
          pick(byName.get('vmnet1') ?? first('hostonly'), 'host-only network (VMnet1)');
          break;
        case 'custom':
          pick(byName.get((a.network ?? '').toLowerCase()), `virtual network ${a.network ?? '(none chosen)'}`);
          break;
        case 'pvn': {
          const name = a.network ?? '';
          if (!(doc.vmware?.lanSegments ?? []).includes(name)) problems.push(`${where}: LAN segment '${name}' does not exist`);
          else {
            const id = `vmware-pvn:${name}`;
            if (!networks.has(id)) networks.set(id, { id, kind: 'lansegment', label: `${name} (LAN segment)` });
            network = id;
            label = `LAN segment (${name})`;
          }
          break;
        }
      }
      nics.push({
        vm: vm.name,
        slot: a.slot + 1,
        mac: parseMac(a.mac) ?? 0,
        network,
        connected: a.connected,
        // VMware lets a guest put its NIC in promiscuous mode on Linux hosts only with permission; the lab treats it as allowed.
        promiscuous: 'allow-all',
        model: VMWARE_DEV_LABELS[a.virtualDev],
        device: `eth${a.slot}`,
        attachmentLabel: label,
      });
    });
  });
  return { networks: [...networks.values()], nics, problems };
}
