// `VBoxManage controlvm` (change a running VM's NICs, link state, NAT rules; power it off) and `startvm`.
import type { PromiscuousPolicy, VirtualBoxAdapter } from '../../document';
import { parseVBoxRule } from '../../vbox-rule';
import {
  adapterFor,
  applyDocument,
  comError,
  editableDocument,
  error,
  findVm,
  machineNotFound,
  MAX_NICS,
  parseOnOff,
  setAttachment,
  setModeName,
  syntaxError,
  type VBoxRun,
  verifyHostInterface,
} from './common';
import { addNatRule } from './modifyvm';
import { CONTROLVM_USAGE, STARTVM_USAGE } from './usage';

const FILE = 'VBoxManageControlVM.cpp';
const PROGRESS = '0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n';

export function controlvm(run: VBoxRun): number {
  const { ctx, args } = run;
  if (args.length < 2) return syntaxError(ctx, 'Not enough parameters.', CONTROLVM_USAGE);
  const doc = editableDocument(run.lab);
  const vm = findVm(doc, args[0]);
  if (vm === undefined) return machineNotFound(ctx, args[0], 'FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())', 1157, FILE);
  if (!vm.running) {
    error(ctx, `Machine '${args[0]}' is not currently running.`);
    return 1;
  }
  const sub = args[1];
  /** Validates the adapter number in `nic2`, `setlinkstate2`… (parseNum). */
  const nicNumber = (prefix: string): number => {
    const text = sub.slice(prefix.length);
    const n = /^\d+$/.test(text) ? Number(text) : 0;
    if (n < 1 || n > MAX_NICS) {
      error(ctx, `Invalid NIC number '${text}'`);
      return 0;
    }
    return n;
  };
  const missing = (what: string): number => {
    syntaxError(ctx, `Missing argument to '${what}'.`, CONTROLVM_USAGE);
    return 1;
  };
  if (sub === 'poweroff') {
    ctx.io.err(PROGRESS);
    vm.running = false;
    return applyDocument(run, doc) ? 0 : 1;
  }
  if (sub === 'acpipowerbutton' || sub === 'reset' || sub === 'pause' || sub === 'resume' || sub === 'savestate') {
    if (sub === 'acpipowerbutton' || sub === 'savestate') {
      if (sub === 'savestate') ctx.io.err(PROGRESS);
      vm.running = false;
      return applyDocument(run, doc) ? 0 : 1;
    }
    return 0;
  }
  if (sub.startsWith('setlinkstate')) {
    const n = nicNumber('setlinkstate');
    if (n === 0) return 1;
    if (args[2] === undefined) return missing(sub);
    const on = parseOnOff(args[2]);
    if (on === null) {
      syntaxError(ctx, `Invalid link state '${args[2]}'.`, CONTROLVM_USAGE);
      return 1;
    }
    adapterFor(doc, vm, n).cable = on;
    return applyDocument(run, doc) ? 0 : 1;
  }
  if (sub.startsWith('natpf') && args.length > 2) {
    const n = nicNumber('natpf');
    if (n === 0) return 1;
    const a = adapterFor(doc, vm, n);
    const rules = (a.portForwarding ??= []);
    const engine = { code: 'E_INVALIDARG (0x80070057)', component: 'NATEngineWrap', iface: 'INATEngine' };
    if (args[2] === 'delete') {
      const name = args[3] ?? '';
      const idx = rules.findIndex((r) => r.name === name);
      if (idx < 0) {
        comError(ctx, 'A NAT rule of this name does not exist', engine, 'RemoveRedirect(Bstr(a->argv[3]).raw())', 1318, FILE);
        return 1;
      }
      rules.splice(idx, 1);
      return applyDocument(run, doc) ? 0 : 1;
    }
    const fields = args[2].split(',').map((f) => f.trim());
    if (fields.length < 6) return syntaxError(ctx, `Missing or invalid argument to '${sub}'.`, CONTROLVM_USAGE);
    if (fields[1].toLowerCase() !== 'tcp' && fields[1].toLowerCase() !== 'udp') return syntaxError(ctx, `Wrong rule proto '${fields[1]}' specified -- only 'udp' and 'tcp' are allowed.`, CONTROLVM_USAGE);
    const parsed = parseVBoxRule(fields.slice(0, 6).join(','));
    if (!parsed.ok) {
      error(ctx, parsed.error.message);
      return 1;
    }
    const problem = addNatRule(rules, parsed.value);
    if (problem !== null) {
      comError(ctx, problem, engine, 'AddRedirect(Bstr(strName).raw(), proto, Bstr(strHostIp).raw(), RTStrToUInt16(strHostPort), Bstr(strGuestIp).raw(), RTStrToUInt16(strGuestPort))', 1359, FILE);
      return 1;
    }
    return applyDocument(run, doc) ? 0 : 1;
  }
  if (sub.startsWith('nicpromisc')) {
    const n = nicNumber('nicpromisc');
    if (n === 0) return 1;
    if (args[2] === undefined) return missing(sub);
    const a = adapterFor(doc, vm, n);
    if (!a.enabled) {
      error(ctx, `The NIC ${n} is currently disabled and thus its promiscuous mode can't be changed.`);
      return 0;
    }
    const v = args[2];
    const p: PromiscuousPolicy | null = v === 'deny' ? 'deny' : v === 'allow-vms' || v === 'allow-network' ? 'allow-vms' : v === 'allow-all' ? 'allow-all' : null;
    if (p === null) {
      syntaxError(ctx, `Unknown promiscuous mode policy '${v}'.`, CONTROLVM_USAGE);
      return 1;
    }
    a.promiscuous = p;
    return applyDocument(run, doc) ? 0 : 1;
  }
  if (sub.startsWith('nic') && !sub.startsWith('nictrace') && !sub.startsWith('nicproperty')) {
    const n = nicNumber('nic');
    if (n === 0) return 1;
    if (args[2] === undefined) return missing(sub);
    const a: VirtualBoxAdapter = adapterFor(doc, vm, n);
    if (!a.enabled) {
      error(ctx, `The NIC ${n} is currently disabled and thus its attachment type can't be changed.`);
      return 0;
    }
    const type = args[2];
    const name = args[3];
    switch (type) {
      case 'null':
        setAttachment(a, 'null');
        break;
      case 'nat':
        setAttachment(a, 'nat');
        break;
      case 'bridged':
      case 'hostif':
        if (name === undefined) return missing(type);
        setModeName(a, 'bridged', name);
        verifyHostInterface(ctx, doc, name, 'bridged');
        setAttachment(a, 'bridged');
        break;
      case 'intnet':
        if (name === undefined) return missing(type);
        setModeName(a, 'intnet', name);
        setAttachment(a, 'intnet');
        break;
      case 'hostonly':
        if (name === undefined) return missing(type);
        setModeName(a, 'hostonly', name);
        verifyHostInterface(ctx, doc, name, 'hostonly');
        setAttachment(a, 'hostonly');
        break;
      case 'natnetwork':
        if (name === undefined) return missing(type);
        setModeName(a, 'natnetwork', name);
        setAttachment(a, 'natnetwork');
        break;
      case 'generic':
        error(ctx, `The attachment type '${type}' is not modelled in the lab`);
        return 1;
      default:
        syntaxError(ctx, `Invalid type '${type}' specfied for NIC ${n}.`, CONTROLVM_USAGE);
        return 1;
    }
    return applyDocument(run, doc) ? 0 : 1;
  }
  syntaxError(ctx, `Invalid parameter '${sub}'.`, CONTROLVM_USAGE);
  return 1;
}

export function startvm(run: VBoxRun): number {
  const { ctx, args } = run;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--type' || a === '--putenv' || a === '-E') {
      const v = args[++i];
      if (v === undefined) return syntaxError(ctx, `${a}: RTGetOpt: Command line option needs argument.`, STARTVM_USAGE, false);
      if (a === '--type' && !['gui', 'headless', 'sdl', 'separate', 'emergencystop'].includes(v)) return syntaxError(ctx, `Invalid session type '${v}'`, STARTVM_USAGE);
    } else if (a.startsWith('--type=') || a.startsWith('--putenv=')) continue;
    else if (a.startsWith('-')) return syntaxError(ctx, `Unknown option: ${a}`, STARTVM_USAGE, false);
    else names.push(a);
  }
  if (names.length === 0) return syntaxError(ctx, 'at least one VM name or uuid required', STARTVM_USAGE);
  let status = 0;
  for (const name of names) {
    const doc = editableDocument(run.lab);
    const vm = findVm(doc, name);
    if (vm === undefined) {
      machineNotFound(ctx, name, 'FindMachine(Bstr(VMName).raw(), machine.asOutParam())', 881, 'VBoxManageMisc.cpp');
      status = 1;
      continue;
    }
    if (vm.running) {
      comError(ctx, `The machine '${vm.name}' is already locked by a session (or being locked or unlocked)`, { code: 'VBOX_E_INVALID_OBJECT_STATE (0x80bb0007)', component: 'MachineWrap', iface: 'IMachine' }, 'LaunchVMProcess(a->session, sessionType.raw(), ComSafeArrayAsInParam(aBstrEnv), progress.asOutParam())', 912, 'VBoxManageMisc.cpp');
      status = 1;
      continue;
    }
    ctx.io.out(`Waiting for VM "${name}" to power on...\n`);
    vm.running = true;
    if (!applyDocument(run, doc)) {
      status = 1;
      continue;
    }
    ctx.io.out(`VM "${name}" has been successfully started.\n`);
  }
  return status;
}
