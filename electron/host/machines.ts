// The machine list as the VirtualBox Manager shows it: name, state, addresses, and each adapter's attachment.
import type { MachineAdapter, MachineAddress, MachineSummary } from '../../core/api/dto';
import type { LabDocument } from '../../core/lab/document';
import type { RunningLab } from '../../core/lab/running-lab';
import { planVirtualBox } from '../../core/hypervisor/virtualbox';
import { planVmware } from '../../core/hypervisor/vmware';
import type { NicPlan } from '../../core/hypervisor/plan';
import { formatIpv4, formatMac } from '../../core/wire/address';

function addressesOf(lab: RunningLab, name: string): MachineAddress[] {
  const n = lab.node(name);
  if (!n) return [];
  const out: MachineAddress[] = [];
  for (const i of n.host.interfaces) {
    if (i.isLoopback) continue;
    for (const a of i.addresses) out.push({ device: i.name, cidr: `${formatIpv4(a.address)}/${a.prefix}`, source: a.source });
  }
  return out;
}

/** The document's slot number of the adapter the guest calls `device` (VirtualBox counts from 1, VMware from 0). */
function docSlot(hypervisor: 'virtualbox' | 'vmware', device: string): number {
  const n = Number(device.replace(/^eth/, ''));
  return hypervisor === 'virtualbox' ? n + 1 : n;
}

export function machineSummaries(lab: RunningLab, doc: LabDocument): MachineSummary[] {
  const out: MachineSummary[] = [];
  for (const m of doc.machines) {
    const placements = lab.placement(m.name);
    const adapters: MachineAdapter[] = m.interfaces.map((i, k) => {
      const p = placements.find((x) => x.device === i.name);
      return { slot: k + 1, device: i.name, attachment: p?.attachment ?? i.network, connected: p?.connected ?? true, mac: i.mac.toLowerCase() };
    });
    out.push({ name: m.name, kind: 'machine', role: m.role, hypervisor: null, state: lab.node(m.name) ? 'running' : 'powered off', addresses: addressesOf(lab, m.name), adapters });
  }
  // Every VM planned as if powered on, so a powered-off VM's list line still names its attachments.
  const allOn: LabDocument = { ...doc, vms: doc.vms.map((v) => ({ ...v, running: true })) };
  const nics: NicPlan[] = [...planVirtualBox(allOn).nics, ...planVmware(allOn).nics];
  for (const vm of doc.vms) {
    const adapters: MachineAdapter[] = nics
      .filter((n) => n.vm === vm.name)
      .map((n) => ({ slot: docSlot(vm.hypervisor, n.device), device: n.device, attachment: n.attachmentLabel, connected: n.connected, mac: formatMac(n.mac) }));
    const running = vm.running && lab.node(vm.name) !== undefined;
    out.push({ name: vm.name, kind: 'vm', role: 'vm', hypervisor: vm.hypervisor, state: running ? 'running' : 'powered off', addresses: running ? addressesOf(lab, vm.name) : [], adapters });
  }
  return out;
}
