// The document shapes the settings dialogs edit, taken from the contract (the renderer imports core/api only).
import type { RequestParams } from '../../core/api/contract';
import type { LabSnapshot } from '../../core/api/dto';

export type LabDoc = LabSnapshot['document'];
export type VmDoc = LabDoc['vms'][number];
export type VboxAdapter = RequestParams<'vm.setVirtualBoxAdapter'>['adapter'];
export type VboxAttachment = VboxAdapter['attachment'];
export type VboxAdapterType = VboxAdapter['type'];
export type Promiscuous = VboxAdapter['promiscuous'];
export type VmwareAdapter = RequestParams<'vm.setVmwareAdapter'>['adapter'];
export type VmwareConnection = VmwareAdapter['connectionType'];
export type GuestConfig = RequestParams<'vm.setGuest'>['guest'];
export type VboxHost = RequestParams<'host.setVirtualBox'>['virtualbox'];
export type HostOnlyNet = VboxHost['hostOnly'][number];
export type NatNetwork = VboxHost['natNetworks'][number];
export type VmwareHost = RequestParams<'host.setVmware'>['vmware'];
export type Vmnet = VmwareHost['vmnets'][number];
export type Rule = NonNullable<VboxAdapter['portForwarding']>[number];

/** A message key under `settings.` with its parameters, translated where it is shown. */
export interface Issue {
  key: string;
  params?: Record<string, string | number>;
  /** What it is about, for highlighting a field ("slot1.mac", "rule0.hostPort"…). */
  field?: string;
}

/** A deep copy of plain JSON data (documents are plain JSON). */
export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** JSON with object keys sorted, so two payloads compare equal whatever order their keys were written in. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return x;
    const o = x as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  });
}
