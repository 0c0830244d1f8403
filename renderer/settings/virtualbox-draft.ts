// VirtualBox's Network page as data: one draft per adapter tab, the names each "Attached to:" mode remembers, and the adapters OK sends.
import { newVirtualBoxMac, virtualBoxMacIssue, type RandomBytes } from './mac';
import { canonical, clone, type Issue, type LabDoc, type Promiscuous, type Rule, type VboxAdapter, type VboxAdapterType, type VboxAttachment, type VmDoc } from './types';

/** The dialog shows four adapters, as VirtualBox's does (VBoxManage reaches eight). */
export const DIALOG_SLOTS: readonly number[] = [1, 2, 3, 4];

/** "Attached to:" as the dialog lists it ("none", a card without a cable, shows as Not attached). */
export const ATTACHMENTS = ['null', 'nat', 'natnetwork', 'bridged', 'intnet', 'hostonly'] as const;
export type DialogAttachment = (typeof ATTACHMENTS)[number];

export const ADAPTER_TYPES: readonly VboxAdapterType[] = ['Am79C970A', 'Am79C973', '82540EM', '82543GC', '82545EM', 'virtio'];
export const PROMISCUOUS: readonly Promiscuous[] = ['deny', 'allow-vms', 'allow-all'];

/** The modes that carry a name; the .vbox keeps the names of those not selected as <DisabledModes>. */
export const NAMED_MODES = ['bridged', 'intnet', 'hostonly', 'natnetwork'] as const;
export type NamedMode = (typeof NAMED_MODES)[number];

export function isNamedMode(a: VboxAttachment): a is NamedMode {
  return (NAMED_MODES as readonly string[]).includes(a);
}

export interface AdapterDraft {
  slot: number;
  enabled: boolean;
  attachment: VboxAttachment;
  /** The name each mode had: the selected mode's is the adapter's `network`, the others its disabled modes. */
  names: Record<NamedMode, string>;
  mac: string;
  type: VboxAdapterType;
  cable: boolean;
  promiscuous: Promiscuous;
  /** NAT's rules; undefined when the document has none and none were made. */
  portForwarding: Rule[] | undefined;
  /** The adapter as the document has it; null for a slot the VM has no adapter in yet. */
  base: VboxAdapter | null;
  /** Names the dialog filled in itself on passing through a mode: not remembered unless that mode is kept or the name chosen. */
  picked: NamedMode[];
}

/** The names "Name:" offers for each mode. */
export interface NameChoices {
  bridged: string[];
  hostonly: string[];
  natnetwork: string[];
  intnet: string[];
}

export function nameChoices(doc: LabDoc): NameChoices {
  const host = doc.machines.find((m) => m.role === 'host');
  const intnet = new Set<string>(['intnet']);
  for (const vm of doc.vms) {
    for (const a of vm.virtualbox?.adapters ?? []) {
      if (a.attachment === 'intnet' && a.network) intnet.add(a.network);
      if (a.disabledModes?.intnet) intnet.add(a.disabledModes.intnet);
    }
  }
  for (const d of doc.virtualbox?.internalDhcp ?? []) intnet.add(d.network);
  return {
    bridged: host?.interfaces.map((i) => i.name) ?? [],
    hostonly: doc.virtualbox?.hostOnly.map((h) => h.name) ?? [],
    natnetwork: doc.virtualbox?.natNetworks.map((n) => n.name) ?? [],
    intnet: [...intnet],
  };
}

export function draftFrom(base: VboxAdapter | undefined, slot: number, fresh: { mac: string; type: VboxAdapterType }): AdapterDraft {
  if (!base) {
    // A slot never used: a disabled card, not attached, as VirtualBox makes adapters 2–4 of a new VM.
    return { slot, enabled: false, attachment: 'null', names: { bridged: '', intnet: '', hostonly: '', natnetwork: '' }, mac: fresh.mac, type: fresh.type, cable: true, promiscuous: 'deny', portForwarding: undefined, base: null, picked: [] };
  }
  const names: Record<NamedMode, string> = { bridged: '', intnet: '', hostonly: '', natnetwork: '' };
  for (const m of NAMED_MODES) names[m] = base.disabledModes?.[m] ?? '';
  if (isNamedMode(base.attachment) && base.network !== undefined) names[base.attachment] = base.network;
  return {
    slot,
    enabled: base.enabled,
    attachment: base.attachment,
    names,
    mac: base.mac.replace(/[:-]/g, '').toUpperCase(),
    type: base.type,
    cable: base.cable,
    promiscuous: base.promiscuous,
    portForwarding: base.portForwarding ? clone(base.portForwarding) : undefined,
    base: clone(base),
    picked: [],
  };
}

/** The four tabs' drafts for `vm`; new cards get a fresh 08:00:27 address and the type of the VM's first adapter. */
export function draftsFor(vm: VmDoc, rand?: RandomBytes): AdapterDraft[] {
  const adapters = vm.virtualbox?.adapters ?? [];
  const type = adapters[0]?.type ?? '82540EM';
  return DIALOG_SLOTS.map((slot) => draftFrom(adapters.find((a) => a.slot === slot), slot, { mac: newVirtualBoxMac(rand), type }));
}

/** Chooses "Attached to:"; a mode with no remembered name takes the first that fits, as VirtualBox does ("intnet" for Internal Network). */
export function attach(d: AdapterDraft, to: DialogAttachment, choices: NameChoices): void {
  d.attachment = to;
  if (isNamedMode(to) && d.names[to] === '') {
    d.names[to] = to === 'intnet' ? 'intnet' : (choices[to][0] ?? '');
    if (d.names[to] !== '') d.picked.push(to);
  }
}

/** A name chosen or typed in "Name:" for the selected mode: the adapter keeps it even after leaving the mode. */
export function chooseName(d: AdapterDraft, name: string): void {
  if (!isNamedMode(d.attachment)) return;
  d.names[d.attachment] = name;
  d.picked = d.picked.filter((m) => m !== d.attachment);
}

/** The adapter the draft stands for, keeping every field of the document's adapter the dialog does not show. */
export function adapterFrom(d: AdapterDraft): VboxAdapter {
  const out: VboxAdapter = { ...(d.base ? clone(d.base) : {}), slot: d.slot, enabled: d.enabled, attachment: d.attachment, mac: d.mac, type: d.type, cable: d.cable, promiscuous: d.promiscuous };
  delete out.network;
  delete out.disabledModes;
  if (isNamedMode(d.attachment) && d.names[d.attachment] !== '') out.network = d.names[d.attachment];
  const disabled: NonNullable<VboxAdapter['disabledModes']> = {};
  for (const m of NAMED_MODES) if (m !== d.attachment && d.names[m] !== '' && !d.picked.includes(m)) disabled[m] = d.names[m];
  if (Object.keys(disabled).length > 0) out.disabledModes = disabled;
  if (d.portForwarding !== undefined) out.portForwarding = clone(d.portForwarding);
  else delete out.portForwarding;
  return out;
}

/** The identity of what a draft sends, to tell a changed adapter from one merely looked at. */
export function draftKey(d: AdapterDraft): string {
  return canonical(adapterFrom(d));
}

/** VirtualBox's own objections, shown under the page; an enabled adapter only, as VirtualBox checks. */
export function draftIssues(d: AdapterDraft): Issue[] {
  if (!d.enabled) return [];
  const out: Issue[] = [];
  const n = d.slot;
  const missing: Record<NamedMode, string> = { bridged: 'noBridged', intnet: 'noInternal', hostonly: 'noHostOnly', natnetwork: 'noNatNetwork' };
  if (isNamedMode(d.attachment) && d.names[d.attachment].trim() === '') out.push({ key: `vbox.issue.${missing[d.attachment]}`, params: { n }, field: `slot${n}.name` });
  const mac = virtualBoxMacIssue(d.mac);
  if (mac) out.push({ key: `vbox.issue.${mac}`, params: { n }, field: `slot${n}.mac` });
  return out;
}

/** Promiscuous Mode means something only where the card shares a switch with others. */
export function promiscuousApplies(a: VboxAttachment): boolean {
  return a === 'bridged' || a === 'intnet' || a === 'hostonly' || a === 'natnetwork';
}

/**
 * Which field a problem the host reported is about, as "slotN.field". The host reports paths into the
 * changed document ($.vms[i].virtualbox.adapters[j].network) or into the request ($.adapter.mac).
 */
export function problemField(path: string, sent: VboxAdapter, vmIndex: number, adapterSlots: readonly number[]): string | null {
  const inDoc = new RegExp(`^\\$\\.vms\\[${vmIndex}\\]\\.virtualbox\\.adapters\\[(\\d+)\\]\\.?([A-Za-z]*)`).exec(path);
  if (inDoc) {
    const slot = adapterSlots[Number(inDoc[1])];
    return slot === undefined ? null : `slot${slot}.${fieldName(inDoc[2])}`;
  }
  const inRequest = /^\$\.adapter\.?([A-Za-z]*)/.exec(path);
  return inRequest ? `slot${sent.slot}.${fieldName(inRequest[1])}` : null;
}

function fieldName(key: string): string {
  if (key === 'network') return 'name';
  if (key === 'portForwarding') return 'portForwarding';
  return key === '' ? 'attachment' : key;
}
