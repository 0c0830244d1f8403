// The lab document and what the window selects in it: snapshot, machines, topology, file and history actions, and the dialogs' hooks.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Answer, Events, RequestName, RequestParams } from '../../core/api/contract';
import type { ErrorInfo, LabSnapshot, MachineSummary, Topology } from '../../core/api/dto';
import { ask, labClient } from '../api/provide';

type Document = LabSnapshot['document'];
export type VirtualBoxAdapterSettings = RequestParams<'vm.setVirtualBoxAdapter'>['adapter'];
export type VmwareAdapterSettings = RequestParams<'vm.setVmwareAdapter'>['adapter'];
export type GuestSettings = RequestParams<'vm.setGuest'>['guest'];
export type VirtualBoxHostSettings = RequestParams<'host.setVirtualBox'>['virtualbox'];
export type VmwareHostSettings = RequestParams<'host.setVmware'>['vmware'];

/**
 * A dialog the window was asked to show. The settings dialogs (renderer/settings/) watch `dialog` and
 * show the one that fits: a VM's settings (VirtualBox "Network" or VMware "Network Adapter", by the VM's
 * hypervisor), the guest's network configuration, or a hypervisor's host networks (VirtualBox's
 * Host Network Manager, VMware's Virtual Network Editor).
 */
export type DialogRequest =
  | { kind: 'vm-settings'; vm: string; adapter?: number }
  | { kind: 'guest-network'; vm: string }
  | { kind: 'host-networks'; hypervisor: 'virtualbox' | 'vmware' };

export const useLabStore = defineStore('lab', () => {
  const snapshot = shallowRef<LabSnapshot | null>(null);
  const machines = shallowRef<MachineSummary[]>([]);
  const topology = shallowRef<Topology | null>(null);
  const bundled = ref<string[]>([]);
  /** A machine's name (or a topology node's id): the list and the graph show the same selection. */
  const selected = ref<string | null>(null);
  const dialog = ref<DialogRequest | null>(null);
  /** The last refusal or failure, for the status line; the dialogs also get it as their action's answer. */
  const error = ref<ErrorInfo | null>(null);
  const connected = ref(false);
  /** Why the window could not reach the lab at all (no token, the host gone). */
  const connectError = ref<string | null>(null);
  /** Counts labs shown: a new, opened or reverted-to lab (not an edit of this one), so views can start afresh. */
  const labId = ref(0);
  const unsubscribers: Array<() => void> = [];

  const document = computed<Document | null>(() => snapshot.value?.document ?? null);
  const dirty = computed(() => snapshot.value?.dirty ?? false);
  const path = computed(() => snapshot.value?.path ?? null);
  const canUndo = computed(() => snapshot.value?.canUndo ?? false);
  const canRedo = computed(() => snapshot.value?.canRedo ?? false);
  const problems = computed(() => snapshot.value?.problems ?? []);
  const selectedMachine = computed(() => machines.value.find((m) => m.name === selected.value) ?? null);
  /** The VM `settingsTarget` names, for the settings dialog: null when none is asked for. */
  const settingsTarget = computed(() => (dialog.value?.kind === 'vm-settings' ? dialog.value.vm : null));

  function fileName(): string {
    const p = path.value;
    if (p === null) return snapshot.value?.document.name ?? '';
    return p.split(/[\\/]/).pop() ?? p;
  }

  async function refreshMachines(): Promise<void> {
    const a = await ask('lab.machines', {});
    if (a.ok) machines.value = a.result;
  }

  async function refreshTopology(): Promise<void> {
    const a = await ask('lab.topology', {});
    if (a.ok) topology.value = a.result;
  }

  async function refresh(): Promise<void> {
    const a = await ask('lab.get', {});
    if (a.ok) snapshot.value = a.result;
    else error.value = a.error;
    await Promise.all([refreshMachines(), refreshTopology()]);
  }

  async function loadBundledList(): Promise<void> {
    const a = await ask('file.bundled', {});
    if (a.ok) bundled.value = a.result;
  }

  /** Subscribes to the host's events and loads everything once; safe to call again after a reconnect. */
  async function start(): Promise<void> {
    stop();
    const client = labClient();
    unsubscribers.push(
      client.on('lab.changed', (s: Events['lab.changed']) => {
        // Another lab (the desktop menu's File → Open goes around the window): a new lab for the views.
        const before = snapshot.value;
        if (before && (before.path !== s.path || before.document.name !== s.document.name) && s.path !== null) labId.value++;
        snapshot.value = s;
      }),
      client.on('tables.changed', (e: Events['tables.changed']) => {
        if (e.tables.includes('machines')) void refreshMachines();
        if (e.tables.includes('topology')) void refreshTopology();
      }),
    );
    connected.value = true;
    await Promise.all([refresh(), loadBundledList()]);
  }

  function stop(): void {
    while (unsubscribers.length > 0) unsubscribers.pop()?.();
    connected.value = false;
  }

  /** Every change goes through here: the new snapshot on success, the error kept for the status line. */
  async function change<N extends RequestName>(name: N, params: RequestParams<N>): Promise<Answer<LabSnapshot>> {
    const a = (await ask(name, params)) as Answer<LabSnapshot>;
    if (a.ok) {
      snapshot.value = a.result;
      error.value = null;
      // The graph and list follow at once rather than waiting for the next tables event.
      await Promise.all([refreshMachines(), refreshTopology()]);
    } else {
      error.value = a.error;
    }
    return a;
  }

  const setVirtualBoxAdapter = (vm: string, adapter: VirtualBoxAdapterSettings) => change('vm.setVirtualBoxAdapter', { vm, adapter });
  const setVmwareAdapter = (vm: string, adapter: VmwareAdapterSettings) => change('vm.setVmwareAdapter', { vm, adapter });
  const setGuest = (vm: string, guest: GuestSettings) => change('vm.setGuest', { vm, guest });
  const setRunning = (vm: string, running: boolean) => change('vm.setRunning', { vm, running });
  const setVirtualBoxHost = (virtualbox: VirtualBoxHostSettings) => change('host.setVirtualBox', { virtualbox });
  const setVmwareHost = (vmware: VmwareHostSettings) => change('host.setVmware', { vmware });
  const undo = () => change('history.undo', {});
  const redo = () => change('history.redo', {});
  const newLab = () => afterReplace(change('file.new', {}));
  const open = (filePath: string) => afterReplace(change('file.open', { path: filePath }));
  const openBundled = (name: string) => afterReplace(change('file.openBundled', { name }));
  const save = () => change('file.save', {});
  const saveAs = (filePath: string) => change('file.saveAs', { path: filePath });

  async function afterReplace(p: Promise<Answer<LabSnapshot>>): Promise<Answer<LabSnapshot>> {
    const a = await p;
    if (a.ok) {
      selected.value = null;
      dialog.value = null;
      labId.value++;
    }
    return a;
  }

  function select(name: string | null): void {
    selected.value = name;
  }

  /** The hook of "Settings…" (button, context menu, double-click): the settings dialogs watch `dialog`. */
  function openSettings(vm: string, adapter?: number): void {
    selected.value = vm;
    dialog.value = adapter === undefined ? { kind: 'vm-settings', vm } : { kind: 'vm-settings', vm, adapter };
  }

  function openDialog(d: DialogRequest): void {
    dialog.value = d;
  }

  function closeDialog(): void {
    dialog.value = null;
  }

  function clearError(): void {
    error.value = null;
  }

  return {
    snapshot,
    machines,
    topology,
    bundled,
    selected,
    dialog,
    error,
    connected,
    connectError,
    labId,
    document,
    dirty,
    path,
    canUndo,
    canRedo,
    problems,
    selectedMachine,
    settingsTarget,
    fileName,
    start,
    stop,
    refresh,
    refreshMachines,
    refreshTopology,
    loadBundledList,
    setVirtualBoxAdapter,
    setVmwareAdapter,
    setGuest,
    setRunning,
    setVirtualBoxHost,
    setVmwareHost,
    undo,
    redo,
    newLab,
    open,
    openBundled,
    save,
    saveAs,
    select,
    openSettings,
    openDialog,
    closeDialog,
    clearError,
  };
});
