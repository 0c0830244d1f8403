// `VBoxManage list …` and `VBoxManage showvminfo VM [--machinereadable]`, in VirtualBox 7's layouts.
import type { LabDocument, VirtualBoxAdapter, Vm } from '../../document';
import { formatVBoxRule } from '../../vbox-rule';
import { addressOf, prefixOf } from '../../../hypervisor/addressing';
import { VBOX_HOST_ONLY } from '../../../hypervisor/defaults';
import { hostMachine } from '../../../hypervisor/virtualbox';
import { formatIpv4, parseMac } from '../../../wire/address';
import { linkLocalOf, maskText, vboxTimestamp } from '../format';
import { findVm, hostInterfaceGuid, machineNotFound, MAX_NICS, syntaxError, type VBoxRun, vboxVms, vmUuid } from './common';
import { dhcpServers, formatDhcpServer, printNatNetworkForList } from './networks';
import { LIST_USAGE, SHOWVMINFO_USAGE } from './usage';

function listVms(doc: LabDocument, onlyRunning: boolean): string {
  return vboxVms(doc)
    .filter((v) => !onlyRunning || v.running)
    .map((v) => `"${v.name}" {${vmUuid(doc, v)}}\n`)
    .join('');
}

function hostIfBlock(name: string, mac: number, ip: string, mask: string, dhcp: boolean, wireless: boolean, up: boolean, networkName: string): string {
  const ll = up ? linkLocalOf(mac) : '';
  return (
    `Name:            ${name}\nGUID:            ${hostInterfaceGuid(name, mac)}\nDHCP:            ${dhcp ? 'Enabled' : 'Disabled'}\n` +
    `IPAddress:       ${ip}\nNetworkMask:     ${mask}\nIPV6Address:     ${ll}\nIPV6NetworkMaskPrefixLength: ${up ? 64 : 0}\n` +
    `HardwareAddress: ${formatMacLower(mac)}\nMediumType:      Ethernet\nWireless:        ${wireless ? 'Yes' : 'No'}\nStatus:          ${up ? 'Up' : 'Down'}\nVBoxNetworkName: ${networkName}\n\n`
  );
}

function formatMacLower(mac: number): string {
  const hex = mac.toString(16).padStart(12, '0');
  return hex.match(/../g)?.join(':') ?? hex;
}

function listBridgedIfs(run: VBoxRun, doc: LabDocument): string {
  const host = hostMachine(doc);
  if (host === undefined) return '';
  return host.interfaces
    .map((i) => {
      const live = run.ctx.os.host.interface(i.name);
      const mac = live?.mac ?? parseMac(i.mac) ?? 0;
      const primary = live?.primary;
      const ip = primary !== undefined ? formatIpv4(primary.address) : '';
      const mask = primary !== undefined ? maskText(primary.prefix) : '';
      const up = live !== undefined && live.up && live.carrier;
      return hostIfBlock(i.name, mac, ip, mask, i.config.mode === 'dhcp', i.wireless === true, up, `HostInterfaceNetworking-${i.name}`);
    })
    .join('');
}

function listHostOnlyIfs(run: VBoxRun, doc: LabDocument): string {
  return (doc.virtualbox?.hostOnly ?? [])
    .map((h, idx) => {
      const live = run.ctx.os.host.interface(h.name);
      const mac = live?.mac ?? VBOX_HOST_ONLY.hostMacPrefix + idx;
      const up = live === undefined ? true : live.up;
      return hostIfBlock(h.name, mac, addressOf(h.address), maskText(prefixOf(h.address)), false, false, up, `HostInterfaceNetworking-${h.name}`);
    })
    .join('');
}

function intnets(doc: LabDocument): string[] {
  const names: string[] = [];
  for (const vm of vboxVms(doc)) {
    for (const a of vm.virtualbox?.adapters ?? []) {
      const n = a.attachment === 'intnet' ? (a.network ?? 'intnet') : a.disabledModes?.intnet;
      if (n !== undefined && !names.includes(n)) names.push(n);
    }
  }
  for (const d of doc.virtualbox?.internalDhcp ?? []) if (!names.includes(d.network)) names.push(d.network);
  return names;
}

export function list(run: VBoxRun): number {
  const { ctx } = run;
  const what = run.args.filter((a) => !a.startsWith('-'));
  const bad = run.args.find((a) => a.startsWith('-') && !['-l', '--long', '-s', '--sorted'].includes(a));
  if (bad !== undefined) return syntaxError(ctx, `Unknown option: ${bad}`, LIST_USAGE, false);
  if (what.length === 0) return syntaxError(ctx, 'Missing subcommand for "list" command.', LIST_USAGE);
  const doc = run.lab.document();
  let out = '';
  for (const w of what) {
    switch (w) {
      case 'vms':
        out += listVms(doc, false);
        break;
      case 'runningvms':
        out += listVms(doc, true);
        break;
      case 'bridgedifs':
        out += listBridgedIfs(run, doc);
        break;
      case 'hostonlyifs':
        out += listHostOnlyIfs(run, doc);
        break;
      case 'natnets':
      case 'natnetworks':
        out += (doc.virtualbox?.natNetworks ?? []).map(printNatNetworkForList).join('');
        break;
      case 'dhcpservers':
        out += dhcpServers(doc).map(formatDhcpServer).join('\n');
        break;
      case 'intnets':
        out += intnets(doc).map((n) => `Name:        ${n}\n`).join('');
        break;
      default:
        return syntaxError(ctx, `Invalid parameter '${w}'`, LIST_USAGE, false);
    }
  }
  ctx.io.out(out);
  return 0;
}

// ---------------------------------------------------------------- showvminfo

function attachmentHuman(a: VirtualBoxAdapter): string {
  switch (a.attachment) {
    case 'nat':
      return 'NAT';
    case 'bridged':
      return `Bridged Interface '${a.network ?? ''}'`;
    case 'intnet':
      return `Internal Network '${a.network ?? 'intnet'}'`;
    case 'hostonly':
      return `Host-only Interface '${a.network ?? ''}'`;
    case 'natnetwork':
      return `NAT Network '${a.network ?? ''}'`;
    default:
      return 'none';
  }
}

function nicLinesMachine(a: VirtualBoxAdapter | undefined, n: number): string {
  if (a === undefined || !a.enabled) return `nic${n}="none"\n`;
  let s = '';
  let att: string = a.attachment;
  switch (a.attachment) {
    case 'nat':
      s += `natnet${n}="nat"\n`;
      break;
    case 'bridged':
      s += `bridgeadapter${n}="${a.network ?? ''}"\n`;
      break;
    case 'intnet':
      s += `intnet${n}="${a.network ?? 'intnet'}"\n`;
      break;
    case 'hostonly':
      s += `hostonlyadapter${n}="${a.network ?? ''}"\n`;
      break;
    case 'natnetwork':
      s += `nat-network${n}="${a.network ?? ''}"\n`;
      break;
    default:
      att = 'null';
  }
  s += `macaddress${n}="${a.mac.toUpperCase()}"\ncableconnected${n}="${a.cable ? 'on' : 'off'}"\nnic${n}="${att}"\nnictype${n}="${a.type}"\nnicspeed${n}="0"\n`;
  if (a.attachment === 'nat') {
    s += 'mtu="0"\nsockSnd="64"\nsockRcv="64"\ntcpWndSnd="64"\ntcpWndRcv="64"\n';
    (a.portForwarding ?? []).forEach((r, i) => {
      s += `Forwarding(${i})="${formatVBoxRule(r) ?? r.name}"\n`;
    });
  }
  return s;
}

function nicLinesHuman(a: VirtualBoxAdapter | undefined, n: number): string {
  const label = `NIC ${n}:`.padEnd(28);
  if (a === undefined || !a.enabled) return `${label} disabled\n`;
  let s = `${label} MAC: ${a.mac.toUpperCase()}, Attachment: ${attachmentHuman(a)}, Cable connected: ${a.cable ? 'on' : 'off'}, Trace: off (file: none), Type: ${a.type}, Reported speed: 0 Mbps, Boot priority: 0, Promisc Policy: ${a.promiscuous}, Bandwidth group: none\n`;
  if (a.attachment === 'nat') {
    s += `NIC ${n} Settings:  MTU: 0, Socket (send: 64, receive: 64), TCP Window (send:64, receive: 64)\n`;
    (a.portForwarding ?? []).forEach((r, i) => {
      s += `NIC ${n} Rule(${i}):   name = ${r.name}, protocol = ${r.proto}, host ip = ${r.hostIp}, host port = ${r.hostPort}, guest ip = ${r.guestIp}, guest port = ${r.guestPort}\n`;
    });
  }
  return s;
}

export function showvminfoText(run: VBoxRun, doc: LabDocument, vm: Vm, machineReadable: boolean): string {
  const uuid = vmUuid(doc, vm);
  const folder = `/root/VirtualBox VMs/${vm.name}`;
  const state = vm.running ? 'running' : 'poweroff';
  const since = vboxTimestamp(run.ctx.os.clock.now);
  const adapters = vm.virtualbox?.adapters ?? [];
  let s = '';
  if (machineReadable) {
    s += `name="${vm.name}"\ngroups="/"\nostype="${vm.os}"\nUUID="${uuid}"\nCfgFile="${folder}/${vm.name}.vbox"\nSnapFldr="${folder}/Snapshots"\nLogFldr="${folder}/Logs"\n`;
    s += `memory=1024\ncpus=1\nVMState="${state}"\nVMStateChangeTime="${since}"\n`;
    for (let n = 1; n <= MAX_NICS; n++) s += nicLinesMachine(adapters.find((a) => a.slot === n), n);
    return s;
  }
  const row = (k: string, v: string): string => `${k.padEnd(28)} ${v}\n`;
  s += row('Name:', vm.name) + row('Groups:', '/') + row('Guest OS:', vm.os) + row('UUID:', uuid) + row('Config file:', `${folder}/${vm.name}.vbox`);
  s += row('Memory size:', '1024MB') + row('Number of CPUs:', '1') + row('State:', `${vm.running ? 'running' : 'powered off'} (since ${since})`);
  for (let n = 1; n <= MAX_NICS; n++) s += nicLinesHuman(adapters.find((a) => a.slot === n), n);
  return s;
}

export function showvminfo(run: VBoxRun): number {
  const { ctx, args } = run;
  const names = args.filter((a) => !a.startsWith('-'));
  const machineReadable = args.includes('--machinereadable');
  const bad = args.find((a) => a.startsWith('-') && a !== '--machinereadable' && a !== '--details');
  if (bad !== undefined) return syntaxError(ctx, `Unknown option: ${bad}`, SHOWVMINFO_USAGE, false);
  if (names.length !== 1) return syntaxError(ctx, names.length === 0 ? 'VM name or UUID required' : `Invalid parameter '${names[1]}'`, SHOWVMINFO_USAGE);
  const doc = run.lab.document();
  const vm = findVm(doc, names[0]);
  if (vm === undefined) return machineNotFound(ctx, names[0], 'FindMachine(Bstr(VMNameOrUuid).raw(), machine.asOutParam())', 3340, 'VBoxManageInfo.cpp');
  ctx.io.out(showvminfoText(run, doc, vm, machineReadable));
  return 0;
}
