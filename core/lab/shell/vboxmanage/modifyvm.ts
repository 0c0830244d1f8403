// `VBoxManage modifyvm VM --nicN …`: the network settings of a powered-off VM, in VirtualBox 7 and older spellings.
import type { LabDocument, PortForwardRule, PromiscuousPolicy, VirtualBoxAdapter, VirtualBoxAdapterType, Vm } from '../../document';
import { parseVBoxRule } from '../../vbox-rule';
import {
  adapterFor,
  applyDocument,
  comError,
  editableDocument,
  error,
  findVm,
  generateMac,
  machineNotFound,
  MAX_NICS,
  normaliseMac,
  setAttachment,
  setModeName,
  syntaxError,
  type VBoxRun,
  verifyHostInterface,
} from './common';
import { MODIFYVM_USAGE } from './usage';

const FILE = 'VBoxManageModifyVM.cpp';

/** Option base names (both spellings) → what they set. Longest first so --nictype1 is not read as --nic + "type1". */
const OPTIONS: Record<string, string> = {
  'nat-localhostreachable': 'localhost',
  'host-only-adapter': 'hostonly',
  hostonlyadapter: 'hostonly',
  'cable-connected': 'cable',
  cableconnected: 'cable',
  'bridge-adapter': 'bridged',
  bridgeadapter: 'bridged',
  'nat-network': 'natnetwork',
  natnetwork: 'natnetwork',
  'mac-address': 'mac',
  macaddress: 'mac',
  'nic-promisc': 'promisc',
  nicpromisc: 'promisc',
  'nic-type': 'type',
  nictype: 'type',
  'nat-pf': 'natpf',
  natpf: 'natpf',
  'nat-net': 'natnet',
  natnet: 'natnet',
  intnet: 'intnet',
  nic: 'nic',
};
const OPTION_RE = new RegExp(`^--(${Object.keys(OPTIONS).sort((a, b) => b.length - a.length).join('|')})(\\d+)$`);
/** Settings that exist in VirtualBox but not in the lab: accepted and left alone. */
const IGNORED = /^--(memory|cpus|vram|ioapic|acpi|boot[1-4]|description|graphicscontroller|audio|audio-driver|audio-enabled|clipboard|clipboard-mode|draganddrop|drag-and-drop|usb|usbohci|usbehci|usbxhci|firmware|pae|rtcuseutc|mouse|keyboard|vrde|ostype|os-type|nic-speed\d+|nicspeed\d+|nic-boot-prio\d+|nicbootprio\d+|nic-trace\d+|nictrace\d+|nic-trace-file\d+|nictracefile\d+)$/;

const TYPES: Record<string, VirtualBoxAdapterType> = {
  am79c970a: 'Am79C970A',
  am79c973: 'Am79C973',
  '82540em': '82540EM',
  '82543gc': '82543GC',
  '82545em': '82545EM',
  virtio: 'virtio',
};

const NAT_ENGINE = { code: 'E_INVALIDARG (0x80070057)', component: 'NATEngineWrap', iface: 'INATEngine' };

/** NATEngine::addRedirect's checks. */
export function addNatRule(rules: PortForwardRule[], rule: PortForwardRule): string | null {
  if (rules.some((r) => r.name === rule.name)) return 'A NAT rule of this name already exists';
  if (rules.some((r) => r.proto === rule.proto && r.hostPort === rule.hostPort && r.hostIp === rule.hostIp)) return 'A NAT rule for this host port and this host IP already exists';
  rules.push(rule);
  return null;
}

export function modifyvm(run: VBoxRun): number {
  const { ctx, args } = run;
  if (args.length === 0) return syntaxError(ctx, 'Not enough parameters', MODIFYVM_USAGE);
  const doc: LabDocument = editableDocument(run.lab);
  const vm = findVm(doc, args[0]);
  if (vm === undefined) return machineNotFound(ctx, args[0], 'FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())', 627, FILE);
  if (vm.running) {
    comError(ctx, `The machine '${vm.name}' is already locked for a session (or being unlocked)`, { code: 'VBOX_E_INVALID_OBJECT_STATE (0x80bb0007)', component: 'MachineWrap', iface: 'IMachine' }, 'LockMachine(a->session, LockType_Write)', 640, FILE);
    return 1;
  }
  let failed = false;
  for (let i = 1; i < args.length; i++) {
    const raw = args[i];
    if (!raw.startsWith('-')) return syntaxError(ctx, `Invalid parameter '${raw}'`, MODIFYVM_USAGE, false);
    const eq = raw.indexOf('=');
    const opt = eq >= 0 ? raw.slice(0, eq) : raw;
    const takeValue = (): string | null => (eq >= 0 ? raw.slice(eq + 1) : (args[++i] ?? null));
    if (IGNORED.test(opt)) {
      takeValue();
      continue;
    }
    const m = OPTION_RE.exec(opt);
    if (m === null) return syntaxError(ctx, `Unknown option: ${opt}`, MODIFYVM_USAGE, false);
    const what = OPTIONS[m[1]];
    const n = Number(m[2]);
    const value = takeValue();
    if (value === null) return syntaxError(ctx, `${opt}: RTGetOpt: Command line option needs argument.`, MODIFYVM_USAGE, false);
    if (!(n >= 1 && n <= MAX_NICS)) {
      error(ctx, `Invalid NIC number '${m[2]}'`);
      failed = true;
      continue;
    }
    const a = adapterFor(doc, vm, n);
    const r = setOption(run, doc, vm, a, what, value, opt, () => args[++i]);
    if (r === 'syntax') return 2;
    if (r === 'failed') failed = true;
  }
  // VirtualBox discards the session's changes when any setting failed.
  if (failed) return 1;
  return applyDocument(run, doc) ? 0 : 1;
}

type Outcome = 'ok' | 'failed' | 'syntax';

function setOption(run: VBoxRun, doc: LabDocument, vm: Vm, a: VirtualBoxAdapter, what: string, value: string, opt: string, nextArg: () => string | undefined): Outcome {
  const { ctx } = run;
  const lower = value.toLowerCase();
  switch (what) {
    case 'nic': {
      if (lower === 'none') {
        a.enabled = false;
        return 'ok';
      }
      const map: Record<string, VirtualBoxAdapter['attachment']> = { null: 'null', nat: 'nat', bridged: 'bridged', hostif: 'bridged', intnet: 'intnet', hostonly: 'hostonly', natnetwork: 'natnetwork' };
      const att = map[lower];
      if (att === undefined) {
        if (lower === 'generic' || lower === 'cloud' || lower === 'hostonlynet') error(ctx, `The attachment type '${value}' is not modelled in the lab`);
        else error(ctx, `Invalid type '${value}' specfied for NIC ${a.slot}`);
        return 'failed';
      }
      a.enabled = true;
      setAttachment(a, att);
      if (att === 'intnet' && a.network === undefined) a.network = 'intnet';
      return 'ok';
    }
    case 'type': {
      const t = TYPES[lower];
      if (t === undefined) {
        error(ctx, `Invalid NIC type '${value}' specified for NIC ${a.slot}`);
        return 'failed';
      }
      a.type = t;
      return 'ok';
    }
    case 'cable':
    case 'localhost': {
      if (lower !== 'on' && lower !== 'off') {
        syntaxError(ctx, `Invalid argument format: ${value}`, MODIFYVM_USAGE, false);
        return 'syntax';
      }
      if (what === 'cable') a.cable = lower === 'on';
      else a.localhostReachable = lower === 'on';
      return 'ok';
    }
    case 'promisc': {
      const p: PromiscuousPolicy | undefined = lower === 'deny' ? 'deny' : lower === 'allow-vms' || lower === 'allow-network' ? 'allow-vms' : lower === 'allow-all' ? 'allow-all' : undefined;
      if (p === undefined) {
        error(ctx, `Unknown promiscuous mode policy '${value}'`);
        return 'failed';
      }
      a.promiscuous = p;
      return 'ok';
    }
    case 'bridged':
    case 'hostonly': {
      if (lower === 'none') setModeName(a, what, undefined);
      else {
        setModeName(a, what, value);
        verifyHostInterface(ctx, doc, value, what);
      }
      return 'ok';
    }
    case 'intnet':
      setModeName(a, 'intnet', lower === 'none' ? undefined : value);
      return 'ok';
    case 'natnetwork':
      setModeName(a, 'natnetwork', value);
      return 'ok';
    case 'mac': {
      if (lower === 'auto') {
        a.mac = generateMac(doc, vm, a.slot);
        return 'ok';
      }
      const mac = normaliseMac(value);
      if (mac === null || (parseInt(mac.slice(0, 2), 16) & 1) === 1) {
        comError(ctx, 'Invalid MAC address format', { code: 'E_INVALIDARG (0x80070057)', component: 'NetworkAdapterWrap', iface: 'INetworkAdapter' }, 'COMSETTER(MACAddress)(Bstr(ValueUnion.psz).raw())', 1707, FILE);
        return 'failed';
      }
      a.mac = mac;
      return 'ok';
    }
    case 'natnet':
      if (lower !== 'default') {
        error(ctx, `${opt}: the lab's NAT engine always uses 10.0.${a.slot + 1}.0/24 for adapter ${a.slot}`);
        return 'failed';
      }
      return 'ok';
    case 'natpf': {
      const rules = (a.portForwarding ??= []);
      if (value === 'delete') {
        const name = nextArg();
        if (name === undefined) {
          syntaxError(ctx, `Missing the 2nd value for option ${opt}`, MODIFYVM_USAGE, false);
          return 'syntax';
        }
        const idx = rules.findIndex((r) => r.name === name);
        if (idx < 0) {
          comError(ctx, 'A NAT rule of this name does not exist', NAT_ENGINE, 'RemoveRedirect(Bstr(ValueUnion.psz).raw())', 1881, FILE);
          return 'failed';
        }
        rules.splice(idx, 1);
        return 'ok';
      }
      if (value.split(',').length < 6) {
        syntaxError(ctx, `Missing or invalid argument to '${opt}'`, MODIFYVM_USAGE);
        return 'syntax';
      }
      const proto = value.split(',')[1].trim().toLowerCase();
      if (proto !== 'tcp' && proto !== 'udp') {
        error(ctx, `Invalid proto '${value}' specfied for NIC ${a.slot}`);
        return 'failed';
      }
      const parsed = parseVBoxRule(value.split(',').map((f) => f.trim()).join(','));
      if (!parsed.ok) {
        error(ctx, parsed.error.message);
        return 'failed';
      }
      const problem = addNatRule(rules, parsed.value);
      if (problem !== null) {
        comError(ctx, problem, NAT_ENGINE, 'AddRedirect(Bstr(strName).raw(), proto, Bstr(strHostIp).raw(), RTStrToUInt16(strHostPort), Bstr(strGuestIp).raw(), RTStrToUInt16(strGuestPort))', 1868, FILE);
        return 'failed';
      }
      return 'ok';
    }
  }
  return 'ok';
}
