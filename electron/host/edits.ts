// The document changes the settings dialogs make: a VM's adapter, guest or power, the host's VirtualBox or VMware networks.
import { didYouMean } from '../../core/api/schema';
import type { GuestConfig, LabDocument, VirtualBoxAdapter, VirtualBoxHostConfig, Vm, VmwareAdapter, VmwareHostConfig } from '../../core/lab/document';
import { notFound, refused } from './errors';

/** A deep copy through JSON: documents are plain JSON, and the copy shares nothing with what the caller holds. */
export function cloneDoc(doc: LabDocument): LabDocument {
  return JSON.parse(JSON.stringify(doc)) as LabDocument;
}

function vmIn(doc: LabDocument, name: string): Vm {
  const vm = doc.vms.find((v) => v.name === name);
  if (vm) return vm;
  const guess = didYouMean(name, doc.vms.map((v) => v.name));
  throw notFound(`there is no VM '${name}' in this lab${guess ? `; ${guess}` : ''}`);
}

/** Replaces the adapter with the same slot, or adds it in slot order. */
function putAdapter<A extends { slot: number }>(list: A[], adapter: A): A[] {
  const rest = list.filter((a) => a.slot !== adapter.slot);
  return [...rest, adapter].sort((a, b) => a.slot - b.slot);
}

export function withVirtualBoxAdapter(doc: LabDocument, vmName: string, adapter: VirtualBoxAdapter): LabDocument {
  const next = cloneDoc(doc);
  const vm = vmIn(next, vmName);
  if (vm.hypervisor !== 'virtualbox') throw refused(`${vmName} is a VMware VM; its adapters are VMware's`, [{ path: '$.vm', message: `${vmName} runs on VMware Workstation`, hint: 'use vm.setVmwareAdapter' }]);
  vm.virtualbox = { adapters: putAdapter(vm.virtualbox?.adapters ?? [], cloneValue(adapter)) };
  return next;
}

export function withVmwareAdapter(doc: LabDocument, vmName: string, adapter: VmwareAdapter): LabDocument {
  const next = cloneDoc(doc);
  const vm = vmIn(next, vmName);
  if (vm.hypervisor !== 'vmware') throw refused(`${vmName} is a VirtualBox VM; its adapters are VirtualBox's`, [{ path: '$.vm', message: `${vmName} runs on VirtualBox`, hint: 'use vm.setVirtualBoxAdapter' }]);
  vm.vmware = { adapters: putAdapter(vm.vmware?.adapters ?? [], cloneValue(adapter)) };
  return next;
}

export function withGuest(doc: LabDocument, vmName: string, guest: GuestConfig): LabDocument {
  const next = cloneDoc(doc);
  vmIn(next, vmName).guest = cloneValue(guest);
  return next;
}

export function withRunning(doc: LabDocument, vmName: string, running: boolean): LabDocument {
  const next = cloneDoc(doc);
  vmIn(next, vmName).running = running;
  return next;
}

export function withVirtualBoxHost(doc: LabDocument, config: VirtualBoxHostConfig): LabDocument {
  const next = cloneDoc(doc);
  next.virtualbox = cloneValue(config);
  return next;
}

export function withVmwareHost(doc: LabDocument, config: VmwareHostConfig): LabDocument {
  const next = cloneDoc(doc);
  next.vmware = cloneValue(config);
  return next;
}

/** Parameters came from outside: keep none of their objects in the document. */
function cloneValue<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
