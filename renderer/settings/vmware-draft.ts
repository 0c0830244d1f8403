// VMware's Network Adapter page as data: the adapter drafts, the VMnet and LAN segment choices, and what OK sends.
import { isVmwareStaticMac, newVmwareGeneratedMac, parseColonMac } from './mac';
import { canonical, clone, type Issue, type LabDoc, type Vmnet, type VmwareAdapter, type VmwareConnection, type VmDoc } from './types';

export const CONNECTIONS: readonly VmwareConnection[] = ['bridged', 'nat', 'hostonly', 'custom', 'pvn'];

export interface VmwareDraft {
  slot: number;
  connectionType: VmwareConnection;
  /** "Custom: Specific virtual network": the VMnet chosen in its list (kept while another connection is chosen). */
  vmnet: string;
  /** "LAN segment:": the segment chosen in its list. */
  segment: string;
  connected: boolean;
  startConnected: boolean;
  replicateState: boolean;
  mac: string;
  addressType: 'generated' | 'static';
  base: VmwareAdapter;
}

export function vmwareDraftFrom(base: VmwareAdapter, vmnets: readonly Vmnet[], segments: readonly string[]): VmwareDraft {
  return {
    slot: base.slot,
    connectionType: base.connectionType,
    vmnet: base.connectionType === 'custom' && base.network ? base.network : (vmnets[0]?.name ?? 'VMnet0'),
    segment: base.connectionType === 'pvn' && base.network ? base.network : (segments[0] ?? ''),
    connected: base.connected,
    startConnected: base.startConnected,
    replicateState: base.replicateState ?? false,
    mac: base.mac,
    addressType: base.addressType,
    base: clone(base),
  };
}

/** The VM's present adapters (VMware lists those), in slot order. */
export function vmwareDraftsFor(vm: VmDoc, doc: LabDoc): VmwareDraft[] {
  const vmnets = doc.vmware?.vmnets ?? [];
  const segments = doc.vmware?.lanSegments ?? [];
  return [...(vm.vmware?.adapters ?? [])].filter((a) => a.present).sort((a, b) => a.slot - b.slot).map((a) => vmwareDraftFrom(a, vmnets, segments));
}

export function vmwareAdapterFrom(d: VmwareDraft): VmwareAdapter {
  const out: VmwareAdapter = { ...clone(d.base), slot: d.slot, connectionType: d.connectionType, connected: d.connected, startConnected: d.startConnected, mac: d.mac, addressType: d.addressType };
  delete out.network;
  if (d.connectionType === 'custom') out.network = d.vmnet;
  if (d.connectionType === 'pvn' && d.segment !== '') out.network = d.segment;
  // The .vmx keeps linkStatePropagation whatever the connection; write it once it was ever set.
  if (d.base.replicateState !== undefined || d.replicateState) out.replicateState = d.replicateState;
  return out;
}

export function vmwareDraftKey(d: VmwareDraft): string {
  return canonical(vmwareAdapterFrom(d));
}

export function vmwareDraftIssues(d: VmwareDraft): Issue[] {
  if (d.connectionType === 'pvn' && d.segment === '') return [{ key: 'vmware.noSegment', field: `slot${d.slot}.segment` }];
  return [];
}

/** The Advanced dialog's MAC field: empty goes back to a generated address; anything else must be a static one. */
export function macFromAdvanced(input: string, current: { mac: string; addressType: 'generated' | 'static' }, base: VmwareAdapter): { mac: string; addressType: 'generated' | 'static' } | Issue {
  const v = input.trim().toLowerCase().replace(/-/g, ':');
  if (v === '') {
    const generated = base.addressType === 'generated' ? base.mac : current.addressType === 'generated' ? current.mac : newVmwareGeneratedMac();
    return { mac: generated, addressType: 'generated' };
  }
  if (parseColonMac(v) === null) return { key: 'vmware.adv.macInvalid', field: 'mac' };
  if (v === current.mac.toLowerCase() && current.addressType === 'generated') return { mac: current.mac, addressType: 'generated' };
  if (!isVmwareStaticMac(v)) return { key: 'vmware.adv.macRange', field: 'mac' };
  return { mac: v, addressType: 'static' };
}

/** A problem path from the host to "slotN.field" (paths into the document or into the request). */
export function vmwareProblemField(path: string, sent: VmwareAdapter, vmIndex: number, adapterSlots: readonly number[]): string | null {
  const inDoc = new RegExp(`^\\$\\.vms\\[${vmIndex}\\]\\.vmware\\.adapters\\[(\\d+)\\]\\.?([A-Za-z]*)`).exec(path);
  if (inDoc) {
    const slot = adapterSlots[Number(inDoc[1])];
    return slot === undefined ? null : `slot${slot}.${inDoc[2] || 'connectionType'}`;
  }
  const inRequest = /^\$\.adapter\.?([A-Za-z]*)/.exec(path);
  return inRequest ? `slot${sent.slot}.${inRequest[1] || 'connectionType'}` : null;
}
