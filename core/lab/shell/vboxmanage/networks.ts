// `VBoxManage natnetwork` and `VBoxManage dhcpserver`: the host-side networks and DHCP servers VirtualBox keeps in its global settings.
import type { LabDocument, PortForwardRule, VirtualBoxHostConfig, VirtualBoxNatNetwork } from '../../document';
import { formatNatNetworkRule, parseNatNetworkRule } from '../../vbox-rule';
import { hostIn, networkCidr, prefixOf } from '../../../hypervisor/addressing';
import { VBOX_HOST_ONLY, VBOX_NAT_NETWORK } from '../../../hypervisor/defaults';
import { maskToPrefix, parseCidr, parseIpv4 } from '../../../wire/address';
import { applyDocument, comError, editableDocument, error, parseOnOff, syntaxError, type VBoxRun } from './common';
import { DHCPSERVER_USAGE, NATNETWORK_USAGE } from './usage';

const IPV6_PREFIX = 'fd17:625c:f037:2::/64';

function hostConfig(doc: LabDocument): VirtualBoxHostConfig {
  doc.virtualbox ??= { hostOnly: [], natNetworks: [] };
  return doc.virtualbox;
}

/** Long options with a value: `--name value` or `--name=value`; `aliases` maps short or old spellings to the long name. */
function readOptions(args: readonly string[], withValue: readonly string[], flags: readonly string[], aliases: Record<string, string>): { values: Array<[string, string]>; error: string | null } {
  const values: Array<[string, string]> = [];
  for (let i = 0; i < args.length; i++) {
    const raw = args[i];
    const eq = raw.indexOf('=');
    let name = eq >= 0 && raw.startsWith('--') ? raw.slice(0, eq) : raw;
    name = aliases[name] ?? name;
    if (flags.includes(name)) {
      values.push([name, '']);
      continue;
    }
    if (!withValue.includes(name)) return { values, error: raw.startsWith('-') ? `Unknown option: ${raw}` : `Invalid parameter '${raw}'` };
    const v = eq >= 0 && raw.startsWith('--') ? raw.slice(eq + 1) : args[++i];
    if (v === undefined) return { values, error: `${name}: RTGetOpt: Command line option needs argument.` };
    // `--port-forward-4 delete NAME` takes one more word.
    if ((name === '--port-forward-4' || name === '--loopback-4') && v === 'delete') {
      const target = args[++i];
      if (target === undefined) return { values, error: `Missing the 2nd value for option ${name}` };
      values.push([name + ':delete', target]);
      continue;
    }
    values.push([name, v]);
  }
  return { values, error: null };
}

// ---------------------------------------------------------------- natnetwork

export function printNatNetworkForList(n: VirtualBoxNatNetwork): string {
  let s =
    `NetworkName:    ${n.name}\nIP:             ${hostIn(n.network, VBOX_NAT_NETWORK.gatewayHost)}\nNetwork:        ${networkCidr(n.network)}\n` +
    `IPv6 Enabled:   No\nIPv6 Prefix:    ${IPV6_PREFIX}\nDHCP Enabled:   ${n.dhcp ? 'Yes' : 'No'}\nEnabled:        ${n.enabled ? 'Yes' : 'No'}\n`;
  if (n.portForwarding.length > 0) s += 'Port-forwarding (ipv4)\n' + n.portForwarding.map((r) => `        ${formatNatNetworkRule(r) ?? r.name}\n`).join('');
  if (n.localhostReachable !== false) s += `loopback mappings (ipv4)\n        127.0.0.1=${VBOX_NAT_NETWORK.loopbackHost}\n`;
  return s + '\n';
}

function printNatNetworkForNatList(n: VirtualBoxNatNetwork): string {
  let s =
    `Name:         ${n.name}\nEnabled:      ${n.enabled ? 'Yes' : 'No'}\nNetwork:      ${networkCidr(n.network)}\nGateway:      ${hostIn(n.network, VBOX_NAT_NETWORK.gatewayHost)}\n` +
    `DHCP Server:  ${n.dhcp ? 'Yes' : 'No'}\nIPv6:         No\nIPv6 Prefix:  ${IPV6_PREFIX}\nIPv6 Default: No\n`;
  if (n.portForwarding.length > 0) s += 'Port-forwarding (ipv4)\n' + n.portForwarding.map((r) => `        ${formatNatNetworkRule(r) ?? r.name}\n`).join('');
  if (n.localhostReachable !== false) s += `loopback mappings (ipv4)\n        127.0.0.1=${VBOX_NAT_NETWORK.loopbackHost}\n`;
  return s + '\n';
}

const NATNET_FILE = 'VBoxManageNATNetwork.cpp';

export function natnetwork(run: VBoxRun): number {
  const { ctx, args } = run;
  const op = args[0];
  if (op === undefined) return syntaxError(ctx, 'No subcommand specified', NATNETWORK_USAGE);
  if (op === 'list') {
    const doc = run.lab.document();
    const filter = args[1] !== undefined ? new RegExp('^' + args[1].replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$') : null;
    const nets = (doc.virtualbox?.natNetworks ?? []).filter((n) => filter === null || filter.test(n.name));
    ctx.io.out('NAT Networks:\n\n' + nets.map(printNatNetworkForNatList).join('') + `${nets.length} ${nets.length === 1 ? 'network' : 'networks'} found\n`);
    return 0;
  }
  if (!['add', 'modify', 'remove', 'start', 'stop'].includes(op)) return syntaxError(ctx, `Unknown subcommand: ${op}`, NATNETWORK_USAGE);
  const parsed = readOptions(
    args.slice(1),
    ['--netname', '--network', '--dhcp', '--port-forward-4', '--loopback-4', '--ipv6', '--port-forward-6', '--loopback-6'],
    ['--enable', '--disable'],
    { '-t': '--netname', '-n': '--network', '-e': '--enable', '-d': '--disable', '-h': '--dhcp', '-p': '--port-forward-4', '-l': '--loopback-4', '-6': '--ipv6', '-P': '--port-forward-6', '-L': '--loopback-6' },
  );
  if (parsed.error !== null) return syntaxError(ctx, parsed.error, NATNETWORK_USAGE, false);
  const get = (k: string): string | undefined => parsed.values.filter(([n]) => n === k).map(([, v]) => v).pop();
  const netName = get('--netname');
  if (netName === undefined) return syntaxError(ctx, 'A net name must be specified (--netname)', NATNETWORK_USAGE);
  const doc = editableDocument(run.lab);
  const cfg = hostConfig(doc);
  let net = cfg.natNetworks.find((n) => n.name === netName);
  const wrap = { code: 'E_INVALIDARG (0x80070057)', component: 'NATNetworkWrap', iface: 'INATNetwork' };
  if (op === 'add') {
    const network = get('--network');
    if (network === undefined) return syntaxError(ctx, 'A network must be specified (--network)', NATNETWORK_USAGE);
    if (net !== undefined) {
      comError(ctx, 'NATNetwork server already exists', { code: 'E_INVALIDARG (0x80070057)', component: 'VirtualBoxWrap', iface: 'IVirtualBox' }, 'CreateNATNetwork(NetName.raw(), net.asOutParam())', 323, NATNET_FILE);
      return 1;
    }
    const c = parseCidr(network, -1);
    if (c === null || c.prefix < 0 || c.prefix > 30) {
      error(ctx, `Invalid IPv4 network '${network}'`);
      return 1;
    }
    net = { name: netName, network: networkCidr(network), enabled: true, dhcp: true, portForwarding: [] };
    cfg.natNetworks.push(net);
  } else if (net === undefined) {
    comError(ctx, `Could not find NAT network '${netName}'`, { code: 'VBOX_E_OBJECT_NOT_FOUND (0x80bb0001)', component: 'VirtualBoxWrap', iface: 'IVirtualBox' }, 'FindNATNetworkByName(NetName.raw(), net.asOutParam())', 355, NATNET_FILE);
    return 1;
  }
  if (op === 'remove') {
    cfg.natNetworks = cfg.natNetworks.filter((n) => n !== net);
    return applyDocument(run, doc) ? 0 : 1;
  }
  if (op === 'start' || op === 'stop') {
    net.enabled = op === 'start';
    return applyDocument(run, doc) ? 0 : 1;
  }
  for (const [name, v] of parsed.values) {
    switch (name) {
      case '--network': {
        const c = parseCidr(v, -1);
        if (c === null || c.prefix < 0 || c.prefix > 30) {
          error(ctx, `Invalid IPv4 network '${v}'`);
          return 1;
        }
        net.network = networkCidr(v);
        break;
      }
      case '--enable':
        net.enabled = true;
        break;
      case '--disable':
        net.enabled = false;
        break;
      case '--dhcp': {
        const on = parseOnOff(v);
        if (on === null) return syntaxError(ctx, `Invalid --dhcp argument '${v}'`, NATNETWORK_USAGE);
        net.dhcp = on;
        break;
      }
      case '--port-forward-4': {
        const r = parseNatNetworkRule(v);
        if (!r.ok) {
          comError(ctx, `Invalid port-forward rule ${v}`, wrap, 'AddPortForwardRule(FALSE, Bstr(Name).raw(), proto, Bstr(HostIp).raw(), HostPort, Bstr(GuestIp).raw(), GuestPort)', 488, NATNET_FILE);
          error(ctx, r.error.message);
          return 1;
        }
        const problem = addRule(net.portForwarding, r.value);
        if (problem !== null) {
          comError(ctx, problem, wrap, 'AddPortForwardRule(FALSE, Bstr(Name).raw(), proto, Bstr(HostIp).raw(), HostPort, Bstr(GuestIp).raw(), GuestPort)', 488, NATNET_FILE);
          return 1;
        }
        break;
      }
      case '--port-forward-4:delete': {
        const idx = net.portForwarding.findIndex((r) => r.name === v);
        if (idx < 0) {
          comError(ctx, `A NAT rule of this name does not exist`, wrap, 'RemovePortForwardRule(FALSE, Bstr(pszName).raw())', 470, NATNET_FILE);
          return 1;
        }
        net.portForwarding.splice(idx, 1);
        break;
      }
      case '--loopback-4':
        net.localhostReachable = true;
        break;
      case '--loopback-4:delete':
        net.localhostReachable = false;
        break;
      default:
        break;
    }
  }
  return applyDocument(run, doc) ? 0 : 1;
}

function addRule(rules: PortForwardRule[], rule: PortForwardRule): string | null {
  if (rules.some((r) => r.name === rule.name)) return 'A NAT rule of this name already exists';
  if (rules.some((r) => r.proto === rule.proto && r.hostPort === rule.hostPort && r.hostIp === rule.hostIp)) return 'A NAT rule for this host port and this host IP already exists';
  rules.push(rule);
  return null;
}

// ---------------------------------------------------------------- dhcpserver

export interface DhcpServerView {
  networkName: string;
  server: string;
  lower: string;
  upper: string;
  mask: string;
  enabled: boolean;
  /** DHCP options VirtualBox prints under the global configuration (1 = mask, 3 = router, 6 = DNS). */
  options: Array<[number, string]>;
}

function maskOf(prefix: number): string {
  const m = prefix <= 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return `${m >>> 24}.${(m >>> 16) & 255}.${(m >>> 8) & 255}.${m & 255}`;
}

/** Every DHCP server VirtualBox knows: host-only ones, NAT networks' and internal networks'. */
export function dhcpServers(doc: LabDocument): DhcpServerView[] {
  const out: DhcpServerView[] = [];
  const cfg = doc.virtualbox;
  if (cfg === undefined) return out;
  for (const h of cfg.hostOnly) {
    if (h.dhcp === null) continue;
    const mask = maskOf(prefixOf(h.address));
    out.push({ networkName: `HostInterfaceNetworking-${h.name}`, server: h.dhcp.server, lower: h.dhcp.lower, upper: h.dhcp.upper, mask, enabled: h.dhcp.enabled, options: [[1, mask]] });
  }
  for (const n of cfg.natNetworks) {
    if (!n.dhcp) continue;
    const mask = maskOf(prefixOf(n.network));
    const gw = hostIn(n.network, VBOX_NAT_NETWORK.gatewayHost);
    out.push({
      networkName: n.name,
      server: hostIn(n.network, VBOX_NAT_NETWORK.dhcpServerHost),
      lower: hostIn(n.network, VBOX_NAT_NETWORK.dhcpFirstHost),
      upper: hostIn(n.network, VBOX_NAT_NETWORK.dhcpLastHost),
      mask,
      enabled: n.enabled,
      options: [
        [1, mask],
        [3, gw],
        [6, gw],
      ],
    });
  }
  for (const d of cfg.internalDhcp ?? []) out.push({ networkName: d.network, server: d.server, lower: d.lower, upper: d.upper, mask: d.mask, enabled: true, options: [[1, d.mask]] });
  return out;
}

export function formatDhcpServer(d: DhcpServerView): string {
  return (
    `NetworkName:    ${d.networkName}\nDhcpd IP:       ${d.server}\nLowerIPAddress: ${d.lower}\nUpperIPAddress: ${d.upper}\nNetworkMask:    ${d.mask}\nEnabled:        ${d.enabled ? 'Yes' : 'No'}\n` +
    'Global Configuration:\n    minLeaseTime:     default\n    defaultLeaseTime: default\n    maxLeaseTime:     default\n    Forced options:   None\n    Suppressed opts.: None\n' +
    d.options.map(([code, v]) => `        ${code}/legacy: ${v}\n`).join('') +
    'Groups:               None\nIndividual Configs:   None\n'
  );
}

const DHCP_FILE = 'VBoxManageDHCPServer.cpp';

export function dhcpserver(run: VBoxRun): number {
  const { ctx, args } = run;
  const op = args[0];
  if (op === undefined) return syntaxError(ctx, 'No subcommand specified', DHCPSERVER_USAGE);
  if (!['add', 'modify', 'remove', 'start', 'restart', 'stop'].includes(op)) return syntaxError(ctx, `Unknown subcommand: ${op}`, DHCPSERVER_USAGE);
  const parsed = readOptions(
    args.slice(1),
    ['--network', '--interface', '--server-ip', '--netmask', '--lower-ip', '--upper-ip', '--min-lease-time', '--default-lease-time', '--max-lease-time'],
    ['--enable', '--disable'],
    { '--netname': '--network', '-n': '--network', '--ifname': '--interface', '-i': '--interface', '--ip': '--server-ip', '-a': '--server-ip', '--mask': '--netmask', '-m': '--netmask', '--lowerip': '--lower-ip', '-l': '--lower-ip', '--upperip': '--upper-ip', '-u': '--upper-ip', '-e': '--enable', '-d': '--disable' },
  );
  if (parsed.error !== null) return syntaxError(ctx, parsed.error, DHCPSERVER_USAGE, false);
  const get = (k: string): string | undefined => parsed.values.filter(([n]) => n === k).map(([, v]) => v).pop();
  const iface = get('--interface');
  let network = get('--network');
  if (iface === undefined && network === undefined) return syntaxError(ctx, 'You need to specify either --network or --interface to identify the DHCP server', DHCPSERVER_USAGE);
  if (iface !== undefined) network = `HostInterfaceNetworking-${iface}`;
  const name = network as string;
  const doc = editableDocument(run.lab);
  const cfg = hostConfig(doc);
  const hostOnlyName = name.startsWith('HostInterfaceNetworking-') ? name.slice('HostInterfaceNetworking-'.length) : null;
  const hostOnly = hostOnlyName !== null ? cfg.hostOnly.find((h) => h.name === hostOnlyName) : undefined;
  if (hostOnlyName !== null && hostOnly === undefined) {
    error(ctx, `Could not find interface '${hostOnlyName}'`);
    return 1;
  }
  const natNet = cfg.natNetworks.find((n) => n.name === name);
  const internal = (cfg.internalDhcp ??= []);
  const existing = hostOnly !== undefined ? hostOnly.dhcp !== null : natNet !== undefined ? natNet.dhcp : internal.some((d) => d.network === name);
  const notFound = (): number => {
    comError(ctx, `Could not find a DHCP server named '${name}'`, { code: 'E_INVALIDARG (0x80070057)', component: 'VirtualBoxWrap', iface: 'IVirtualBox' }, 'FindDHCPServerByNetworkName(NetName.raw(), svr.asOutParam())', 1154, DHCP_FILE);
    return 1;
  };
  const enabled = parsed.values.some(([n]) => n === '--disable') ? false : parsed.values.some(([n]) => n === '--enable') ? true : undefined;
  const ip = get('--server-ip');
  const mask = get('--netmask');
  const lower = get('--lower-ip');
  const upper = get('--upper-ip');
  for (const [k, v] of [['--server-ip', ip], ['--netmask', mask], ['--lower-ip', lower], ['--upper-ip', upper]] as const) {
    if (v !== undefined && parseIpv4(v) === null) return syntaxError(ctx, `Invalid ${k.slice(2)} address '${v}'`, DHCPSERVER_USAGE);
  }
  if (mask !== undefined && maskToPrefix(parseIpv4(mask) as number) === null) return syntaxError(ctx, `Invalid netmask '${mask}'`, DHCPSERVER_USAGE);
  if (op === 'remove') {
    if (!existing) return notFound();
    if (hostOnly !== undefined) hostOnly.dhcp = null;
    else if (natNet !== undefined) natNet.dhcp = false;
    else cfg.internalDhcp = internal.filter((d) => d.network !== name);
    return applyDocument(run, doc) ? 0 : 1;
  }
  if (op === 'start' || op === 'restart' || op === 'stop') {
    if (!existing) return notFound();
    return 0;
  }
  if (op === 'add') {
    if (existing) {
      comError(ctx, `DHCP server already exists`, { code: 'E_INVALIDARG (0x80070057)', component: 'VirtualBoxWrap', iface: 'IVirtualBox' }, 'CreateDHCPServer(NetName.raw(), svr.asOutParam())', 1092, DHCP_FILE);
      return 1;
    }
    if (ip === undefined || mask === undefined || lower === undefined || upper === undefined) return syntaxError(ctx, 'Missing required options: --server-ip, --netmask, --lower-ip and --upper-ip', DHCPSERVER_USAGE);
  } else if (!existing) return notFound();
  if (hostOnly !== undefined) {
    const d = hostOnly.dhcp ?? { enabled: true, server: VBOX_HOST_ONLY.dhcpServer, lower: VBOX_HOST_ONLY.dhcpLower, upper: VBOX_HOST_ONLY.dhcpUpper, leaseSeconds: VBOX_HOST_ONLY.leaseSeconds };
    if (ip !== undefined) d.server = ip;
    if (lower !== undefined) d.lower = lower;
    if (upper !== undefined) d.upper = upper;
    if (enabled !== undefined) d.enabled = enabled;
    else if (op === 'add') d.enabled = false;
    hostOnly.dhcp = d;
  } else if (natNet !== undefined) {
    // A NAT network's DHCP server always serves .3 with the pool .4 up; only on and off are kept.
    natNet.dhcp = enabled ?? true;
  } else {
    let d = internal.find((x) => x.network === name);
    if (d === undefined) {
      d = { network: name, server: ip as string, lower: lower as string, upper: upper as string, mask: mask as string, leaseSeconds: VBOX_HOST_ONLY.leaseSeconds };
      internal.push(d);
    }
    if (ip !== undefined) d.server = ip;
    if (lower !== undefined) d.lower = lower;
    if (upper !== undefined) d.upper = upper;
    if (mask !== undefined) d.mask = mask;
    if (enabled === false) cfg.internalDhcp = internal.filter((x) => x !== d);
  }
  return applyDocument(run, doc) ? 0 : 1;
}
