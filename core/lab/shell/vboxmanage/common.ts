// What every VBoxManage subcommand shares: VirtualBox's error layouts, finding a VM, stable UUIDs and MACs, and applying an edited lab document.
import type { LabDocument, VirtualBoxAdapter, Vm } from '../../document';
import type { CommandContext } from '../command';
import type { LabControl } from '../../os';
import { VBOX_DEFAULT_ADAPTER_TYPE } from '../../../hypervisor/defaults';
import { hostMachine } from '../../../hypervisor/virtualbox';
import { Random, seedFrom } from '../../../sim/random';
import { formatMac, parseMac } from '../../../wire/address';

export const VBOX_VERSION = '7.0.14';
export const VBOX_REVISION = 161095;
export const LOGO = `Oracle VM VirtualBox Command Line Management Interface Version ${VBOX_VERSION}\nCopyright (C) 2005-2024 Oracle and/or its affiliates\n\n`;
/** NICs per VM with the PIIX3 chipset (getMaxNics). */
export const MAX_NICS = 8;
/** The usage of a help entry longer than this many lines is followed by the error again (ERROR_REPEAT_AFTER_USAGE_LENGTH). */
const REPEAT_AFTER = 16;

export interface VBoxRun {
  readonly ctx: CommandContext;
  readonly lab: LabControl;
  /** The words after the subcommand name. */
  readonly args: string[];
}

export function error(ctx: CommandContext, msg: string): void {
  ctx.io.err(`VBoxManage: error: ${msg}\n`);
}

export function warning(ctx: CommandContext, msg: string): void {
  ctx.io.err(`VBoxManage: warning: ${msg}\n`);
}

/** A failed COM call as CHECK_ERROR prints it: the message, its Details line and the Context line. */
export function comError(ctx: CommandContext, msg: string, details: { code: string; component: string; iface: string }, context: string, line: number, file: string): void {
  error(ctx, msg);
  error(ctx, `Details: code ${details.code}, component ${details.component}, interface ${details.iface}, callee nsISupports`);
  error(ctx, `Context: "${context}" at line ${line} of file ${file}`);
}

/** errorSyntax: the logo, the message, then the (sub)command's usage; exit status 2 (RTEXITCODE_SYNTAX). */
export function syntaxError(ctx: CommandContext, msg: string, usage: string, blankBeforeUsage = true): number {
  ctx.io.err(LOGO);
  error(ctx, msg);
  if (blankBeforeUsage) ctx.io.err('\n');
  ctx.io.err(usage);
  if (usage.split('\n').length - 1 >= REPEAT_AFTER) {
    ctx.io.err('\n');
    error(ctx, msg);
  }
  return 2;
}

/** The VirtualBox VMs of the lab (VMware ones are not VirtualBox's to list). */
export function vboxVms(doc: LabDocument): Vm[] {
  return doc.vms.filter((v) => v.hypervisor === 'virtualbox');
}

/** A VM's UUID: stable for the lab's seed and the VM's name, in VirtualBox's random (version 4) form. */
export function vmUuid(doc: LabDocument, vm: Vm): string {
  const r = new Random(seedFrom(doc.seed, `vbox-uuid:${vm.name}`));
  const b = r.bytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** FindMachine: by name or by UUID (with or without braces). */
export function findVm(doc: LabDocument, arg: string): Vm | undefined {
  const id = arg.replace(/^\{|\}$/g, '').toLowerCase();
  return vboxVms(doc).find((v) => v.name === arg || vmUuid(doc, v) === id);
}

export function machineNotFound(ctx: CommandContext, name: string, context: string, line: number, file: string): number {
  comError(ctx, `Could not find a registered machine named '${name}'`, { code: 'VBOX_E_OBJECT_NOT_FOUND (0x80bb0001)', component: 'VirtualBoxWrap', iface: 'IVirtualBox' }, context, line, file);
  return 1;
}

/** A deep copy of the lab document to edit before `apply`. */
export function editableDocument(lab: LabControl): LabDocument {
  return JSON.parse(JSON.stringify(lab.document())) as LabDocument;
}

/** Applies an edited document; on refusal prints each problem as VirtualBox would its error and returns false. */
export function applyDocument(run: VBoxRun, doc: LabDocument): boolean {
  const r = run.lab.apply(doc);
  if (r.ok) return true;
  for (const p of r.problems) error(run.ctx, p);
  return false;
}

/** Every MAC the lab already uses, so a generated one never collides. */
function usedMacs(doc: LabDocument): Set<string> {
  const used = new Set<string>();
  for (const vm of doc.vms) {
    for (const a of vm.virtualbox?.adapters ?? []) used.add(a.mac.toUpperCase());
    for (const a of vm.vmware?.adapters ?? []) used.add(a.mac.replace(/[:-]/g, '').toUpperCase());
  }
  for (const m of doc.machines) for (const i of m.interfaces) used.add(i.mac.replace(/[:-]/g, '').toUpperCase());
  return used;
}

/** A MAC as VirtualBox generates one (08:00:27 and 24 random bits), drawn from the lab's seed so it is the same every run. */
export function generateMac(doc: LabDocument, vm: Vm, slot: number): string {
  const used = usedMacs(doc);
  const r = new Random(seedFrom(doc.seed, `vbox-mac:${vm.name}:${slot}`));
  for (;;) {
    const low = r.u32() & 0xffffff;
    const mac = '080027' + low.toString(16).toUpperCase().padStart(6, '0');
    if (!used.has(mac)) return mac;
  }
}

/** The adapter in slot `n`, created with VirtualBox's defaults (disabled, NAT, cable connected) when the document lacks it. */
export function adapterFor(doc: LabDocument, vm: Vm, n: number): VirtualBoxAdapter {
  vm.virtualbox ??= { adapters: [] };
  const list = vm.virtualbox.adapters;
  let a = list.find((x) => x.slot === n);
  if (a === undefined) {
    a = { slot: n, enabled: false, attachment: 'nat', mac: generateMac(doc, vm, n), type: VBOX_DEFAULT_ADAPTER_TYPE, cable: true, promiscuous: 'deny' };
    list.push(a);
    list.sort((x, y) => x.slot - y.slot);
  }
  return a;
}

type NamedMode = 'bridged' | 'intnet' | 'hostonly' | 'natnetwork';

/** The network name an adapter holds for a mode (the selected one in `network`, the others in the .vbox's DisabledModes). */
export function modeName(a: VirtualBoxAdapter, mode: NamedMode): string | undefined {
  return a.attachment === mode ? a.network : a.disabledModes?.[mode];
}

export function setModeName(a: VirtualBoxAdapter, mode: NamedMode, name: string | undefined): void {
  if (a.attachment === mode) {
    if (name === undefined) delete a.network;
    else a.network = name;
    return;
  }
  a.disabledModes ??= {};
  if (name === undefined) delete a.disabledModes[mode];
  else a.disabledModes[mode] = name;
  if (Object.keys(a.disabledModes).length === 0) delete a.disabledModes;
}

/** Switches an adapter's attachment, keeping each mode's network name as VirtualBox keeps them. */
export function setAttachment(a: VirtualBoxAdapter, attachment: VirtualBoxAdapter['attachment']): void {
  if (a.attachment === attachment) return;
  const named: NamedMode[] = ['bridged', 'intnet', 'hostonly', 'natnetwork'];
  const old = a.attachment;
  const oldName = a.network;
  delete a.network;
  if ((named as string[]).includes(old) && oldName !== undefined) {
    a.disabledModes ??= {};
    a.disabledModes[old as NamedMode] = oldName;
  }
  a.attachment = attachment;
  if ((named as string[]).includes(attachment)) {
    const kept = a.disabledModes?.[attachment as NamedMode];
    if (kept !== undefined) {
      a.network = kept;
      delete a.disabledModes?.[attachment as NamedMode];
    }
  }
  if (a.disabledModes !== undefined && Object.keys(a.disabledModes).length === 0) delete a.disabledModes;
}

/** The host's interfaces as VirtualBox sees them: bridgeable NICs and the host-only adapters. */
export function hostInterfaceKind(doc: LabDocument, name: string): 'bridged' | 'hostonly' | null {
  if (doc.virtualbox?.hostOnly.some((h) => h.name === name)) return 'hostonly';
  if (hostMachine(doc)?.interfaces.some((i) => i.name === name)) return 'bridged';
  return null;
}

/** verifyHostNetworkInterfaceName: a warning (not an error) when the interface is unknown or of the other type. */
export function verifyHostInterface(ctx: CommandContext, doc: LabDocument, name: string, wanted: 'bridged' | 'hostonly'): void {
  const kind = hostInterfaceKind(doc, name);
  if (kind === null) warning(ctx, `Interface "${name}" doesn't seem to exist`);
  else if (kind !== wanted) warning(ctx, `Interface "${name}" is of type ${kind === 'hostonly' ? 'host-only' : 'bridged'}`);
}

/** VirtualBox's Linux host interface GUID: the first eight bytes of the name (version nibble 4), then 8000 and the MAC. */
export function hostInterfaceGuid(name: string, mac: number): string {
  const b = new Uint8Array(8);
  for (let i = 0; i < 8 && i < name.length; i++) b[i] = name.charCodeAt(i) & 0xff;
  const d1 = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  const d2 = b[4] | (b[5] << 8);
  const d3 = ((b[6] | (b[7] << 8)) & 0x0fff) | 0x4000;
  const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');
  return `${hex(d1, 8)}-${hex(d2, 4)}-${hex(d3, 4)}-8000-${formatMac(mac).replace(/:/g, '')}`;
}

/** parseBool as VBoxManage's controlvm reads it. */
export function parseOnOff(v: string | undefined): boolean | null {
  if (v === undefined) return null;
  const t = v.toLowerCase();
  if (t === 'on' || t === 'yes' || t === 'true' || t === '1' || t === 'enable' || t === 'enabled') return true;
  if (t === 'off' || t === 'no' || t === 'false' || t === '0' || t === 'disable' || t === 'disabled') return false;
  return null;
}

/** A MAC from the command line in the .vbox's 12-hex-digit form, or null. */
export function normaliseMac(text: string): string | null {
  const m = parseMac(text);
  if (m === null || /[:-]/.test(text)) return null;
  return formatMac(m).replace(/:/g, '').toUpperCase();
}
