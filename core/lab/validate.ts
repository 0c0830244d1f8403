// The lab document's schema and the checks beyond its shape (names, MACs, addresses, references, subnets, slots, rules), each problem with a path and a hint.
import {
  array,
  boolean,
  didYouMean,
  discriminatedUnion,
  enumOf,
  formatPath,
  integer,
  literal,
  named,
  nullable,
  object,
  optional,
  quote,
  record,
  string,
  type Infer,
  type PathSegment,
  type Problem,
  type StringFormat,
} from '../api/schema';
import { VBOX_HOST_ONLY, VBOX_NAT_NETWORK, VMWARE, vboxNatNetwork } from '../hypervisor/defaults';
import { defaultVmnets, planVmware } from '../hypervisor/vmware';
import { hostMachine, planVirtualBox } from '../hypervisor/virtualbox';
import { formatIpv4, isMulticastMac, maskToPrefix, parseCidr, parseIpv4, parseMac, prefixToMask } from '../wire/address';
import { LAB_FORMAT, LAB_VERSION, type LabDocument, type PortForwardRule, type VmnetConfig } from './document';

// ---- string formats ----

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4_SOURCE = `${OCTET}(\\.${OCTET}){3}`;
const IPV4_RE = new RegExp(`^${IPV4_SOURCE}$`);
const CIDR_RE = new RegExp(`^${IPV4_SOURCE}/(3[0-2]|[12]?[0-9])$`);
const MAC_RE = /^([0-9A-Fa-f]{12}|[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5})$/;

const IPV4_HINT = 'write four numbers from 0 to 255 separated by dots, like 192.168.56.1';

function ipv4Hint(s: string): string {
  if (CIDR_RE.test(s.trim())) return `write the address without its prefix: ${s.trim().split('/')[0]}`;
  if (s !== s.trim() && IPV4_RE.test(s.trim())) return `remove the spaces: ${s.trim()}`;
  return IPV4_HINT;
}

export const ipv4Format: StringFormat = {
  jsonFormat: 'ipv4',
  pattern: IPV4_RE,
  test: (s) => IPV4_RE.test(s),
  message: (s) => `${quote(s)} is not an IPv4 address`,
  hint: ipv4Hint,
};

const ipv4OrEmptyFormat: StringFormat = {
  pattern: new RegExp(`^(${IPV4_SOURCE})?$`),
  test: (s) => s === '' || IPV4_RE.test(s),
  message: (s) => `${quote(s)} is not an IPv4 address`,
  hint: (s) => `${ipv4Hint(s)}, or leave it empty ("")`,
};

export const cidrFormat: StringFormat = {
  pattern: CIDR_RE,
  test: (s) => CIDR_RE.test(s),
  message: (s) => `${quote(s)} is not an address with a prefix length`,
  hint: (s) => (IPV4_RE.test(s.trim()) ? `add the prefix length, e.g. ${s.trim()}/24` : 'write it like 192.168.56.1/24'),
};

const routeTargetFormat: StringFormat = {
  pattern: new RegExp(`^(default|${IPV4_SOURCE}/(3[0-2]|[12]?[0-9]))$`),
  test: (s) => s === 'default' || CIDR_RE.test(s),
  message: (s) => `${quote(s)} is not a route destination`,
  hint: 'write "default" or a prefix such as 10.0.0.0/8',
};

const netmaskFormat: StringFormat = {
  pattern: IPV4_RE,
  test: (s) => {
    const m = IPV4_RE.test(s) ? parseIpv4(s) : null;
    return m !== null && maskToPrefix(m) !== null;
  },
  message: (s) => `${quote(s)} is not a netmask`,
  hint: 'write a netmask such as 255.255.255.0 (ones, then zeros)',
};

export const macFormat: StringFormat = {
  pattern: MAC_RE,
  test: (s) => MAC_RE.test(s),
  message: (s) => `${quote(s)} is not a MAC address`,
  hint: (s) =>
    /^[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}$/.test(s)
      ? `use colons instead of dashes: ${s.replace(/-/g, ':')}`
      : 'write 12 hex digits (080027AABBCC) or six pairs with colons (08:00:27:aa:bb:cc)',
};

const HOST_LABEL = '[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
// Without the root's final dot: the running lab adds it.
const HOSTNAME_RE = new RegExp(`^${HOST_LABEL}(\\.${HOST_LABEL})*$`);

const hostnameFormat: StringFormat = {
  jsonFormat: 'hostname',
  pattern: HOSTNAME_RE,
  test: (s) => s.length <= 253 && HOSTNAME_RE.test(s),
  message: (s) => `${quote(s)} is not a host name`,
  hint: 'use letters, digits and hyphens in dot-separated labels of up to 63 characters, like www.example.com',
};

// ---- the document's schema ----

// Any text without spaces at its ends or control characters (so it prints safely in a terminal).
const NAME_EDGES = /^\S(.*\S)?$/;
const nameFormat = (what: string): StringFormat => ({
  pattern: NAME_EDGES,
  test: (s) => NAME_EDGES.test(s) && ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f),
  message: (s) => `${quote(s)} has spaces at an end or control characters`,
  hint: `write the ${what} without leading or trailing spaces`,
});
const nameOf = (what: string) => string({ minLength: 1, maxLength: 64, format: nameFormat(what) }).describe(`The ${what}.`);

const IFNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
const ifname = string({ pattern: IFNAME_RE, patternMessage: 'is not an interface name', patternHint: 'up to 15 letters, digits, dots, underscores or hyphens, starting with a letter or digit, like eth0' });

const ip = string({ format: ipv4Format });
const ipOrEmpty = string({ format: ipv4OrEmptyFormat });
const cidr = string({ format: cidrFormat });
const mac = string({ format: macFormat }).describe('12 hex digits (080027AABBCC, the .vbox form) or six colon-separated pairs (08:00:27:aa:bb:cc).');
const port = integer({ min: 1, max: 65535 });
const leaseSeconds = integer({ min: 1, max: 4294967295 });

export const portForwardRuleSchema = named(
  'PortForwardRule',
  object({
    name: string({ minLength: 1, maxLength: 64 }).describe('The rule name (VirtualBox) or description (VMware).'),
    proto: enumOf(['tcp', 'udp']),
    hostIp: ipOrEmpty.describe('Empty: every host interface.'),
    hostPort: port,
    guestIp: ipOrEmpty.describe('Empty: the guest\'s DHCP address (VirtualBox NAT only; NAT Network, VMware and routers need it).'),
    guestPort: port,
  }),
);

export const virtualBoxAdapterSchema = named(
  'VirtualBoxAdapter',
  object({
    slot: integer({ min: 1, max: 8 }).describe('1-based, as VBoxManage\'s --nicN counts.'),
    enabled: boolean(),
    attachment: enumOf(['none', 'null', 'nat', 'natnetwork', 'bridged', 'intnet', 'hostonly']).describe('"Attached to:", by VBoxManage\'s names.'),
    network: optional(string({ minLength: 1 }).describe('bridged: a host interface; intnet: the internal network; hostonly: vboxnet0; natnetwork: the NAT Network.')),
    mac,
    type: enumOf(['Am79C970A', 'Am79C973', '82540EM', '82543GC', '82545EM', 'virtio'], { noun: 'adapter type' }),
    cable: boolean().describe('Cable Connected.'),
    promiscuous: enumOf(['deny', 'allow-vms', 'allow-all'], { noun: 'promiscuous mode' }),
    portForwarding: optional(array(portForwardRuleSchema).describe('NAT only.')),
    localhostReachable: optional(boolean().describe('NAT only: whether 10.0.x.2 reaches the host\'s loopback (off since VirtualBox 7.0).')),
    disabledModes: optional(
      object({ bridged: optional(string()), intnet: optional(string()), hostonly: optional(string()), natnetwork: optional(string()) }).describe('Settings of the modes not selected, as the .vbox remembers them.'),
    ),
  }),
);

export const vmwareAdapterSchema = named(
  'VmwareAdapter',
  object({
    slot: integer({ min: 0, max: 9 }).describe('0-based, as ethernetN in the .vmx.'),
    present: boolean(),
    connectionType: enumOf(['bridged', 'nat', 'hostonly', 'custom', 'pvn'], { noun: 'connection type' }),
    network: optional(string({ minLength: 1 }).describe('custom: the VMnet ("VMnet2"); pvn: the LAN segment.')),
    connected: boolean(),
    startConnected: boolean(),
    virtualDev: enumOf(['vlance', 'vmxnet', 'vmxnet3', 'e1000', 'e1000e'], { noun: 'virtual device' }),
    mac,
    addressType: enumOf(['generated', 'static'], { noun: 'address type' }),
    replicateState: optional(boolean()),
  }),
);

export const guestSchema = object({
  hostname: optional(string({ maxLength: 253, format: hostnameFormat })),
  service: enumOf(['network-scripts', 'NetworkManager'], { noun: 'network service' }),
  ifcfg: record(string(), { key: ifname }).describe('/etc/sysconfig/network-scripts/ifcfg-DEV contents by device.'),
  dhcpClientId: optional(string({ pattern: /^[0-9A-Fa-f]{2}(:?[0-9A-Fa-f]{2})*$/, patternMessage: 'is not a hex client identifier', patternHint: 'write hex bytes, like 01:08:00:27:aa:bb:cc' })),
  httpd: optional(boolean()),
});

const vmSchema = named(
  'Vm',
  object({
    name: nameOf('VM name'),
    hypervisor: enumOf(['virtualbox', 'vmware']),
    running: boolean().describe('Powered on when the lab starts.'),
    os: string({ minLength: 1, maxLength: 128 }),
    virtualbox: optional(object({ adapters: array(virtualBoxAdapterSchema, { maxItems: 8 }) })),
    vmware: optional(object({ adapters: array(vmwareAdapterSchema, { maxItems: 10 }) })),
    guest: guestSchema,
  }),
);

const addressConfigSchema = discriminatedUnion('mode', [
  object({ mode: literal('dhcp') }),
  object({ mode: literal('static'), address: cidr.describe('Address and prefix, like 192.168.1.1/24.'), gateway: optional(ip), dns: optional(array(ip)) }),
  object({ mode: literal('none') }),
]);

const machineSchema = named(
  'Machine',
  object({
    name: nameOf('machine name'),
    role: enumOf(['host', 'router', 'pc', 'server']),
    interfaces: array(
      object({
        name: ifname,
        network: string({ minLength: 1 }).describe('The network the cable goes to.'),
        mac,
        config: addressConfigSchema,
        wireless: optional(boolean()),
      }),
    ),
    routes: optional(array(object({ to: string({ format: routeTargetFormat }), via: ip }))),
    forwarding: optional(boolean()),
    masquerade: optional(array(ifname).describe('Interfaces whose outgoing traffic is masqueraded.')),
    portForwarding: optional(array(portForwardRuleSchema)),
    services: optional(
      object({
        dhcp: optional(
          array(
            object({
              interface: ifname,
              rangeStart: ip,
              rangeEnd: ip,
              leaseSeconds,
              router: optional(ip),
              dns: optional(array(ip)),
              domain: optional(string({ maxLength: 253, format: hostnameFormat })),
            }),
          ),
        ),
        dns: optional(
          object({
            records: record(ip, { key: string({ maxLength: 253, format: hostnameFormat }) }),
            aliases: optional(record(string({ maxLength: 253, format: hostnameFormat }), { key: string({ maxLength: 253, format: hostnameFormat }) })),
            forwarders: optional(array(ip)),
          }),
        ),
        http: optional(object({ port: optional(port), body: optional(string()), server: optional(string()) })),
      }),
    ),
    dns: optional(array(ip).describe('resolv.conf nameservers when not given by DHCP.')),
  }),
);

const vmnetNameFormat: StringFormat = {
  pattern: /^[Vv][Mm][Nn][Ee][Tt](1[0-9]|[0-9])$/,
  test: (s) => /^[Vv][Mm][Nn][Ee][Tt](1[0-9]|[0-9])$/.test(s),
  message: (s) => `${quote(s)} is not a VMnet name`,
  hint: 'VMware names them VMnet0 to VMnet19',
};

const vmnetSchema = named(
  'Vmnet',
  object({
    name: string({ format: vmnetNameFormat }),
    type: enumOf(['bridged', 'hostonly', 'nat'], { noun: 'VMnet type' }),
    bridgedTo: optional(string({ minLength: 1 }).describe('Bridged: the host interface.')),
    subnet: optional(cidr),
    hostAdapter: optional(boolean().describe('Connect a host virtual adapter to this network.')),
    dhcp: optional(boolean().describe('Use local DHCP service to distribute IP address to VMs.')),
    dhcpRange: optional(object({ start: ip, end: ip, defaultLeaseSeconds: leaseSeconds, maxLeaseSeconds: leaseSeconds })),
    nat: optional(object({ gateway: ip, portForwarding: array(portForwardRuleSchema), udpTimeoutSeconds: integer({ min: 1, max: 86400 }) })),
  }),
);

/** The host's VirtualBox networks (host-only, NAT Networks, internal DHCP servers). */
export const virtualBoxHostSchema = object({
  hostOnly: array(
    object({
      name: nameOf('host-only network name'),
      address: cidr.describe('The host\'s address on it, like 192.168.56.1/24.'),
      dhcp: nullable(object({ enabled: boolean(), server: ip, lower: ip, upper: ip, leaseSeconds })),
    }),
  ),
  natNetworks: array(
    object({
      name: nameOf('NAT Network name'),
      network: cidr,
      enabled: boolean(),
      dhcp: boolean(),
      portForwarding: array(portForwardRuleSchema),
      localhostReachable: optional(boolean()),
    }),
  ),
  internalDhcp: optional(array(object({ network: string({ minLength: 1 }), server: ip, lower: ip, upper: ip, mask: string({ format: netmaskFormat }), leaseSeconds }))),
  allowedHostOnlyRanges: optional(array(cidr).describe('/etc/vbox/networks.conf ranges; default 192.168.56.0/21.')),
});


/** The host's VMware Virtual Network Editor settings. */
export const vmwareHostSchema = object({ vmnets: array(vmnetSchema, { maxItems: 20 }), lanSegments: array(nameOf('LAN segment name')) });

export const labDocumentSchema = object({
  format: literal(LAB_FORMAT),
  version: literal(LAB_VERSION),
  name: string({ minLength: 1, maxLength: 200 }).describe('The lab\'s title.'),
  description: optional(string()),
  seed: integer({ min: 0, max: 4294967295 }).describe('Seed of every random choice in the lab.'),
  networks: array(named('Network', object({ name: nameOf('network name'), kind: enumOf(['lan', 'internet'], { noun: 'network kind' }) }))),
  machines: array(machineSchema),
  vms: array(vmSchema),
  virtualbox: optional(virtualBoxHostSchema),
  vmware: optional(vmwareHostSchema),
});

// The schema and the document's TypeScript types must say the same thing; this fails to compile when they drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type _SchemaMatchesDocument = Assert<Same<Infer<typeof labDocumentSchema>, LabDocument>>;

// ---- semantic checks ----

interface Subnet {
  net: number;
  prefix: number;
}

function subnetOf(text: string): Subnet | null {
  const c = parseCidr(text);
  return c ? { net: (c.address & prefixToMask(c.prefix)) >>> 0, prefix: c.prefix } : null;
}

function subnetText(s: Subnet): string {
  return `${formatIpv4(s.net)}/${s.prefix}`;
}

function contains(s: Subnet, ipNum: number): boolean {
  return ((ipNum & prefixToMask(s.prefix)) >>> 0) === s.net;
}

function overlaps(a: Subnet, b: Subnet): boolean {
  return a.prefix <= b.prefix ? contains(a, b.net) : contains(b, a.net);
}

function broadcast(s: Subnet): number {
  return (s.net | ~prefixToMask(s.prefix)) >>> 0;
}

/** The first /24 not overlapping any of `used`, for hints ("pick 192.168.57.0/24"). */
function freeSubnet(used: readonly Subnet[], first = 56): string | undefined {
  for (let i = 0; i < 200; i++) {
    const c = { net: (((192 << 24) | (168 << 16) | (((first + i) % 256) << 8)) >>> 0) as number, prefix: 24 };
    if (!used.some((u) => overlaps(u, c))) return subnetText(c);
  }
  return undefined;
}

export interface LabCheck {
  errors: Problem[];
  warnings: Problem[];
}

class Checker {
  readonly errors: Problem[] = [];
  readonly warnings: Problem[] = [];
  private readonly seen = new Set<string>();

  private add(list: Problem[], at: readonly PathSegment[], message: string, hint?: string): void {
    const path = formatPath(at);
    const key = `${path}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    list.push(hint === undefined ? { path, message } : { path, message, hint });
  }

  error(at: readonly PathSegment[], message: string, hint?: string): void {
    this.add(this.errors, at, message, hint);
  }

  warn(at: readonly PathSegment[], message: string, hint?: string): void {
    this.add(this.warnings, at, message, hint);
  }

  hasErrorAt(path: string): boolean {
    return this.errors.some((e) => e.path === path || e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`));
  }
}

type At = readonly PathSegment[];

/** `what` is already used; names must be unique within `items`. */
function uniqueNames<T>(c: Checker, items: readonly T[], nameOfItem: (x: T) => string, at: (i: number) => At, what: string, caseInsensitive = false): void {
  const first = new Map<string, number>();
  items.forEach((x, i) => {
    const n = nameOfItem(x);
    const key = caseInsensitive ? n.toLowerCase() : n;
    const j = first.get(key);
    if (j === undefined) first.set(key, i);
    else c.error(at(i), `${what} ${quote(n)} is already used by ${formatPath(at(j).slice(0, -1))}`, `give each ${what} its own name`);
  });
}

/** Where a port-forwarding rule list lives, for its own words and requirements. */
interface RuleContext {
  at: At;
  /** NAT Network, VMware NAT and routers need the guest's address; VirtualBox NAT defaults to the DHCP one. */
  guestIpRequired: boolean;
  /** The subnet the guest IP should lie in, when there is one. */
  subnet?: Subnet;
  /** A character that the product's own rule syntax uses as a separator. */
  forbidden?: string;
  where: string;
}

function checkRules(c: Checker, rules: readonly PortForwardRule[], rc: RuleContext): void {
  const names = new Map<string, number>();
  const ports = new Map<string, number>();
  rules.forEach((r, i) => {
    const at = [...rc.at, i];
    const prev = names.get(r.name);
    if (prev !== undefined) c.error([...at, 'name'], `rule name ${quote(r.name)} is already used by rule ${prev}`, 'give each rule its own name');
    else names.set(r.name, i);
    if (rc.forbidden && r.name.includes(rc.forbidden)) c.error([...at, 'name'], `rule names here cannot contain '${rc.forbidden}'`, `${rc.where} separates a rule's fields with '${rc.forbidden}'`);
    const key = `${r.proto} ${r.hostIp} ${r.hostPort}`;
    const p = ports.get(key);
    if (p !== undefined) c.error([...at, 'hostPort'], `${r.proto.toUpperCase()} host port ${r.hostPort}${r.hostIp ? ` on ${r.hostIp}` : ''} is already forwarded by rule ${p}`, 'use another host port');
    else ports.set(key, i);
    if (r.guestIp === '' && rc.guestIpRequired) c.error([...at, 'guestIp'], `${rc.where} needs the guest's IP address`, 'write the address the guest has, like 10.0.2.4');
    const g = r.guestIp === '' ? null : parseIpv4(r.guestIp);
    if (g !== null && rc.subnet && !contains(rc.subnet, g)) c.warn([...at, 'guestIp'], `guest IP ${r.guestIp} is outside ${subnetText(rc.subnet)}; the rule will reach no guest`, `use an address in ${subnetText(rc.subnet)}`);
  });
}

interface HostSideNet {
  subnet: Subnet;
  label: string;
  at: At;
  virtual: boolean;
}

/** Every check of a well-shaped document that its schema cannot express. */
export function checkLab(doc: LabDocument): LabCheck {
  const c = new Checker();
  const networkNames = doc.networks.map((n) => n.name);
  const networkSet = new Set(networkNames);

  // Names.
  uniqueNames(c, doc.networks, (n) => n.name, (i) => ['networks', i, 'name'], 'network name');
  const nodes = [...doc.machines.map((m, i) => ({ name: m.name, at: ['machines', i, 'name'] as At })), ...doc.vms.map((v, i) => ({ name: v.name, at: ['vms', i, 'name'] as At }))];
  uniqueNames(c, nodes, (n) => n.name, (i) => nodes[i].at, 'name');
  // The running lab's own nodes: the ISP's router on an Internet, DHCP servers and NAT engines of virtual networks.
  const hasInternet = doc.networks.some((n) => n.kind === 'internet');
  for (const n of nodes) {
    if (hasInternet && n.name === 'isp') c.error(n.at, "the name 'isp' belongs to the lab's ISP router on the Internet", 'rename this one');
    else if (/^(dhcp|nat):/.test(n.name)) c.error(n.at, `names starting '${n.name.split(':')[0]}:' belong to the lab's own service nodes`, 'rename this one');
  }

  // Roles.
  const hosts = doc.machines.map((m, i) => ({ m, i })).filter((x) => x.m.role === 'host');
  for (const h of hosts.slice(1)) c.error(['machines', h.i, 'role'], `only one machine can be the host; ${quote(hosts[0].m.name)} already is`, 'give this machine another role (router, pc or server)');
  const host = hostMachine(doc);
  const hostIndex = hosts.length > 0 ? hosts[0].i : -1;
  if (doc.vms.length > 0 && !host) c.error(['vms'], 'VMs run on a host, but no machine has the role host', 'add a machine with "role": "host" (the laptop the hypervisor runs on)');

  // MACs, everywhere.
  const macs = new Map<number, string>();
  const checkMac = (text: string, at: At, owner: string): void => {
    const m = parseMac(text);
    if (m === null) return;
    if (isMulticastMac(m)) c.error(at, `${text} is a multicast address; a network card needs a unicast one`, 'make the second hex digit even, e.g. 08:00:27:…');
    else if (m === 0) c.error(at, 'the all-zero MAC address is not a card\'s address', 'use VirtualBox\'s 08:00:27 prefix or VMware\'s 00:0C:29');
    const prev = macs.get(m);
    if (prev !== undefined) c.error(at, `MAC ${text} is already used by ${prev}`, 'every network card needs its own MAC; change one of them');
    else macs.set(m, `${owner} (${formatPath(at)})`);
  };

  // Machines: interfaces, addresses, routes, services.
  const staticByNetwork = new Map<string, Array<{ ip: number; text: string; owner: string; at: At }>>();
  const dhcpByNetwork = new Map<string, Array<{ start: number; end: number; text: string; server: number; owner: string; at: At }>>();
  const hostSide: HostSideNet[] = [];
  doc.machines.forEach((m, mi) => {
    const mAt: At = ['machines', mi];
    uniqueNames(c, m.interfaces, (x) => x.name, (i) => [...mAt, 'interfaces', i, 'name'], 'interface name');
    const ifSubnets = new Map<string, { subnet: Subnet; address: number }>();
    m.interfaces.forEach((itf, ii) => {
      const at: At = [...mAt, 'interfaces', ii];
      checkMac(itf.mac, [...at, 'mac'], `${m.name} ${itf.name}`);
      if (!networkSet.has(itf.network)) {
        c.error([...at, 'network'], `network ${quote(itf.network)} does not exist`, didYouMean(itf.network, networkNames) ?? (networkNames.length ? `the networks are ${networkNames.join(', ')}` : 'add it under "networks"'));
      }
      if (itf.config.mode !== 'static') return;
      const cfg = itf.config;
      const a = parseCidr(cfg.address);
      const s = subnetOf(cfg.address);
      if (!a || !s) return;
      if (s.prefix <= 30 && (a.address === s.net || a.address === broadcast(s))) {
        c.error([...at, 'config', 'address'], `${cfg.address} is the ${a.address === s.net ? 'network' : 'broadcast'} address of ${subnetText(s)}, not a host's`, `use an address between ${formatIpv4(s.net + 1)} and ${formatIpv4(broadcast(s) - 1)}`);
      }
      ifSubnets.set(itf.name, { subnet: s, address: a.address });
      if (cfg.gateway !== undefined) {
        const g = parseIpv4(cfg.gateway);
        if (g !== null && !contains(s, g)) c.error([...at, 'config', 'gateway'], `gateway ${cfg.gateway} is not in ${subnetText(s)}, so it cannot be reached`, `use an address in ${subnetText(s)}, usually ${formatIpv4(s.net + 1)}`);
        else if (g === a.address) c.error([...at, 'config', 'gateway'], `the gateway ${cfg.gateway} is this interface's own address`, 'use the router\'s address');
      }
      if (cfg.dns && cfg.dns.length > 3) c.warn([...at, 'config', 'dns'], `${cfg.dns.length} name servers; Linux uses only the first 3`, 'keep three at most');
      const list = staticByNetwork.get(itf.network) ?? [];
      const dup = list.find((x) => x.ip === a.address);
      if (dup) c.error([...at, 'config', 'address'], `address ${formatIpv4(a.address)} is already used by ${dup.owner} on network ${quote(itf.network)}`, 'two machines on one network need different addresses');
      list.push({ ip: a.address, text: formatIpv4(a.address), owner: `${m.name} (${itf.name})`, at: [...at, 'config', 'address'] });
      staticByNetwork.set(itf.network, list);
    });
    const ifNames = m.interfaces.map((x) => x.name);
    const needInterface = (name: string, at: At, what: string): boolean => {
      if (ifNames.includes(name)) return true;
      c.error(at, `${what} names interface ${quote(name)}, which ${quote(m.name)} does not have`, didYouMean(name, ifNames) ?? (ifNames.length ? `its interfaces are ${ifNames.join(', ')}` : 'add the interface first'));
      return false;
    };
    (m.masquerade ?? []).forEach((n, k) => needInterface(n, [...mAt, 'masquerade', k], 'masquerading'));
    if ((m.masquerade ?? []).length > 0 && m.forwarding !== true) c.warn([...mAt, 'forwarding'], `${quote(m.name)} masquerades but does not forward between its interfaces`, 'set "forwarding": true, or nothing gets through it');
    if (m.portForwarding && m.portForwarding.length > 0) {
      if ((m.masquerade ?? []).length === 0) c.error([...mAt, 'portForwarding'], 'port forwarding needs a masquerading interface to forward from', 'add the public interface to "masquerade"');
      checkRules(c, m.portForwarding, { at: [...mAt, 'portForwarding'], guestIpRequired: true, where: 'a router\'s port forwarding' });
    }
    (m.routes ?? []).forEach((r, ri) => {
      const at: At = [...mAt, 'routes', ri];
      if (r.to !== 'default') {
        const a = parseCidr(r.to);
        const s = subnetOf(r.to);
        if (a && s && a.address !== s.net) c.error([...at, 'to'], `${r.to} has host bits set`, `did you mean ${subnetText(s)}?`);
      }
      const v = parseIpv4(r.via);
      const reachable = v !== null && [...ifSubnets.values()].some((x) => contains(x.subnet, v));
      const someDhcp = m.interfaces.some((x) => x.config.mode === 'dhcp');
      if (v !== null && !reachable && !someDhcp) c.error([...at, 'via'], `next hop ${r.via} is not on any of ${quote(m.name)}'s subnets`, 'a route goes via a neighbour on a connected subnet');
    });
    if (m.dns && m.dns.length > 3) c.warn([...mAt, 'dns'], `${m.dns.length} name servers; Linux uses only the first 3`, 'keep three at most');
    const served = new Set<string>();
    // The host can serve DHCP on its host-only adapters too (a dnsmasq on vboxnet0, Internet Connection Sharing).
    const hostOnly = m.role === 'host' ? (doc.virtualbox?.hostOnly ?? []) : [];
    for (const h of hostOnly) {
      const a = parseCidr(h.address);
      const s = subnetOf(h.address);
      if (a && s && !ifSubnets.has(h.name)) ifSubnets.set(h.name, { subnet: s, address: a.address });
    }
    (m.services?.dhcp ?? []).forEach((d, di) => {
      const at: At = [...mAt, 'services', 'dhcp', di];
      const onHostOnly = hostOnly.some((h) => h.name === d.interface) && !ifNames.includes(d.interface);
      if (!onHostOnly && !needInterface(d.interface, [...at, 'interface'], 'this DHCP server')) return;
      if (served.has(d.interface)) c.error([...at, 'interface'], `interface ${quote(d.interface)} already has a DHCP server`, 'one DHCP server per interface; merge them');
      served.add(d.interface);
      const itf = onHostOnly ? { network: hostOnlyKey(d.interface) } : m.interfaces.find((x) => x.name === d.interface);
      const sub = ifSubnets.get(d.interface);
      if (!itf || !sub) {
        c.error([...at, 'interface'], `a DHCP server needs a static address on ${quote(d.interface)}`, 'give the interface "config": {"mode": "static", "address": …}');
        return;
      }
      const start = parseIpv4(d.rangeStart);
      const end = parseIpv4(d.rangeEnd);
      if (start === null || end === null) return;
      if (!checkRange(c, at, ['rangeStart', 'rangeEnd'], start, end, sub.subnet)) return;
      if (sub.address >= start && sub.address <= end) c.warn([...at, 'rangeStart'], `the range ${d.rangeStart}–${d.rangeEnd} includes the server's own address ${formatIpv4(sub.address)}`, 'start the range above it');
      if (d.router !== undefined) {
        const r = parseIpv4(d.router);
        if (r !== null && !contains(sub.subnet, r)) c.warn([...at, 'router'], `router ${d.router} is not in ${subnetText(sub.subnet)}; clients could not reach it`, `use an address in ${subnetText(sub.subnet)}`);
      }
      const list = dhcpByNetwork.get(itf.network) ?? [];
      list.push({ start, end, text: `${d.rangeStart}–${d.rangeEnd}`, server: sub.address, owner: `${m.name} (${d.interface})`, at: [...at, 'rangeStart'] });
      dhcpByNetwork.set(itf.network, list);
    });
    const dnsSvc = m.services?.dns;
    if (dnsSvc?.aliases) {
      for (const alias of Object.keys(dnsSvc.aliases)) {
        if (Object.prototype.hasOwnProperty.call(dnsSvc.records, alias)) c.error([...mAt, 'services', 'dns', 'aliases', alias], `${alias} is both an alias (CNAME) and a record`, 'a name with a CNAME can have no other data (RFC 1034); keep one');
      }
    }
  });

  // VirtualBox's own DHCP server of a host-only network, against one the host runs there.
  (doc.virtualbox?.hostOnly ?? []).forEach((h, i) => {
    const ranges = dhcpByNetwork.get(hostOnlyKey(h.name));
    const start = parseIpv4(h.dhcp?.lower ?? '');
    const end = parseIpv4(h.dhcp?.upper ?? '');
    if (!ranges || !h.dhcp?.enabled || start === null || end === null) return;
    ranges.unshift({ start, end, text: `${h.dhcp.lower}–${h.dhcp.upper}`, server: parseIpv4(h.dhcp.server) ?? 0, owner: `HostInterfaceNetworking-${h.name}`, at: ['virtualbox', 'hostOnly', i, 'dhcp', 'lower'] });
  });
  // A LAN's static addresses against its DHCP ranges.
  for (const [net, ranges] of dhcpByNetwork) {
    const where = net.startsWith('host-only:') ? `host-only network ${quote(net.slice('host-only:'.length))}` : `network ${quote(net)}`;
    ranges.forEach((r, i) => {
      for (const s of staticByNetwork.get(net) ?? []) {
        if (s.ip === r.server || s.ip < r.start || s.ip > r.end) continue;
        c.error(s.at, `${s.text} of ${s.owner} lies in the DHCP range ${r.text} of ${r.owner} on ${where}`, 'the DHCP server could lease it to another machine; use an address outside the range');
      }
      for (const o of ranges.slice(0, i)) {
        if (r.start <= o.end && o.start <= r.end) c.warn(r.at, `DHCP range ${r.text} of ${r.owner} overlaps ${o.text} of ${o.owner} on ${where}`, 'two DHCP servers on one network hand out conflicting addresses');
      }
    });
  }

  // The host's own LAN subnets, known from its static addresses or from the DHCP servers on its networks.
  if (host) {
    host.interfaces.forEach((itf, ii) => {
      const at: At = ['machines', hostIndex, 'interfaces', ii];
      const label = `the host's LAN on ${itf.name}`;
      if (itf.config.mode === 'static') {
        const s = subnetOf(itf.config.address);
        if (s) hostSide.push({ subnet: s, label, at, virtual: false });
      } else if (itf.config.mode === 'dhcp') {
        for (const m of doc.machines) {
          for (const d of m.services?.dhcp ?? []) {
            const served = m.interfaces.find((x) => x.name === d.interface);
            if (served?.network === itf.network && served.config.mode === 'static') {
              const s = subnetOf(served.config.address);
              if (s) hostSide.push({ subnet: s, label, at, virtual: false });
            }
          }
        }
      }
    });
  }

  checkVirtualBoxHost(c, doc, hostSide);
  const vmnets = checkVmwareHost(c, doc, hostSide, host?.interfaces.map((i) => i.name) ?? []);

  // Host-side subnets: two host adapters (or one and the LAN) on one subnet make the host's routing ambiguous.
  hostSide.forEach((a, i) => {
    if (!a.virtual) return;
    for (const b of hostSide.slice(0, i).concat(hostSide.slice(i + 1).filter((x) => !x.virtual))) {
      if (!overlaps(a.subnet, b.subnet)) continue;
      const free = freeSubnet(hostSide.map((x) => x.subnet));
      c.error(a.at, `${subnetText(a.subnet)} of ${a.label} overlaps ${b.label} (${subnetText(b.subnet)})`, `the host could not tell the two networks apart${free ? `; pick a free subnet such as ${free}` : ''}`);
      break;
    }
  });

  // VMs.
  const hostIfNames = host?.interfaces.map((i) => i.name) ?? [];
  const hostPorts = new Map<string, string>();
  doc.vms.forEach((vm, vi) => {
    const vAt: At = ['vms', vi];
    if (vm.hypervisor === 'virtualbox' && vm.vmware) c.error([...vAt, 'vmware'], `${quote(vm.name)} is a VirtualBox VM but has VMware adapters`, 'move the adapters under "virtualbox", or set "hypervisor": "vmware"');
    if (vm.hypervisor === 'vmware' && vm.virtualbox) c.error([...vAt, 'virtualbox'], `${quote(vm.name)} is a VMware VM but has VirtualBox adapters`, 'move the adapters under "vmware", or set "hypervisor": "virtualbox"');
    const slots = new Map<number, number>();
    const slotCheck = (slot: number, ai: number, at: At): void => {
      const prev = slots.get(slot);
      if (prev !== undefined) c.error([...at, 'slot'], `adapter slot ${slot} is already used by adapters[${prev}]`, 'give each adapter its own slot');
      else slots.set(slot, ai);
    };
    vm.virtualbox?.adapters.forEach((a, ai) => {
      const at: At = [...vAt, 'virtualbox', 'adapters', ai];
      slotCheck(a.slot, ai, at);
      checkMac(a.mac, [...at, 'mac'], `${vm.name} adapter ${a.slot}`);
      switch (a.attachment) {
        case 'natnetwork': {
          const name = a.network ?? VBOX_NAT_NETWORK.defaultName;
          const all = doc.virtualbox?.natNetworks ?? [];
          const nn = all.find((n) => n.name === name);
          const where: At = a.network === undefined ? [...at, 'attachment'] : [...at, 'network'];
          if (!nn) {
            const names = all.map((n) => n.name);
            c.error(where, `NAT Network ${quote(name)} does not exist`, didYouMean(name, names) ?? `add it under $.virtualbox.natNetworks (VBoxManage natnetwork add --netname ${name} --network 10.0.2.0/24 --enable)`);
          } else if (!nn.enabled) c.warn(where, `NAT Network ${quote(name)} is disabled`, 'enable it, or the adapter has no network');
          break;
        }
        case 'bridged': {
          const name = a.network ?? hostIfNames[0];
          if (!host) break; // reported once above
          if (name === undefined) c.error([...at, 'attachment'], 'a bridged adapter needs a host interface, but the host has none', 'add an interface to the host machine');
          else if (!hostIfNames.includes(name)) c.error([...at, 'network'], `the host has no interface ${quote(name)} to bridge to`, didYouMean(name, hostIfNames) ?? `the host's interfaces are ${hostIfNames.join(', ')}`);
          break;
        }
        case 'hostonly': {
          const name = a.network ?? VBOX_HOST_ONLY.name;
          const names = (doc.virtualbox?.hostOnly ?? []).map((h) => h.name);
          if (!names.includes(name)) {
            c.error(a.network === undefined ? [...at, 'attachment'] : [...at, 'network'], `host-only network ${quote(name)} does not exist`, didYouMean(name, names) ?? (names.length ? `the host-only networks are ${names.join(', ')}` : 'add it under $.virtualbox.hostOnly (VBoxManage hostonlyif create)'));
          }
          break;
        }
        default:
          break;
      }
      if (a.portForwarding && a.portForwarding.length > 0) {
        checkRules(c, a.portForwarding, { at: [...at, 'portForwarding'], guestIpRequired: false, subnet: subnetOf(vboxNatNetwork(a.slot)) ?? undefined, forbidden: ',', where: 'VBoxManage --nat-pf' });
        if (vm.running && a.enabled && a.attachment === 'nat') {
          a.portForwarding.forEach((r, ri) => {
            const key = `${r.proto} ${r.hostIp || '*'} ${r.hostPort}`;
            const prev = hostPorts.get(key);
            const here = formatPath([...at, 'portForwarding', ri]);
            if (prev !== undefined && !prev.startsWith(formatPath(at))) c.warn([...at, 'portForwarding', ri, 'hostPort'], `host port ${r.hostPort}/${r.proto} is also forwarded by ${prev}`, 'only the first VM to start gets the port; use another one');
            else hostPorts.set(key, here);
          });
        }
      }
    });
    vm.vmware?.adapters.forEach((a, ai) => {
      const at: At = [...vAt, 'vmware', 'adapters', ai];
      slotCheck(a.slot, ai, at);
      checkMac(a.mac, [...at, 'mac'], `${vm.name} ethernet${a.slot}`);
      const m = parseMac(a.mac);
      if (m !== null && a.addressType === 'static' && (m < VMWARE.staticMacPrefix || m > VMWARE.staticMacPrefix + 0x3fffff)) {
        c.error([...at, 'mac'], `a static MAC must lie in 00:50:56:00:00:00–00:50:56:3F:FF:FF; ${a.mac} does not`, 'VMware refuses other static addresses; pick one in that range or use "addressType": "generated"');
      }
      if (m !== null && a.addressType === 'generated' && Math.floor(m / 0x1000000) !== VMWARE.generatedMacPrefix / 0x1000000) {
        c.warn([...at, 'mac'], `generated MACs start 00:0C:29; VMware would replace ${a.mac}`, 'use 00:0c:29:xx:xx:xx, or "addressType": "static" with 00:50:56:00–3F');
      }
      const byType = (type: VmnetConfig['type'], preferred: string): VmnetConfig | undefined => vmnets.find((v) => v.name.toLowerCase() === preferred.toLowerCase()) ?? vmnets.find((v) => v.type === type);
      const names = vmnets.map((v) => v.name);
      switch (a.connectionType) {
        case 'bridged':
          if (!byType('bridged', VMWARE.bridged)) c.error([...at, 'connectionType'], 'there is no bridged VMnet (VMnet0) in the Virtual Network Editor', 'add {"name": "VMnet0", "type": "bridged"} under $.vmware.vmnets');
          break;
        case 'nat':
          if (!byType('nat', VMWARE.nat)) c.error([...at, 'connectionType'], 'there is no NAT VMnet (VMnet8) in the Virtual Network Editor', 'add VMnet8 of type nat under $.vmware.vmnets');
          break;
        case 'hostonly':
          if (!byType('hostonly', VMWARE.hostOnly)) c.error([...at, 'connectionType'], 'there is no host-only VMnet (VMnet1) in the Virtual Network Editor', 'add VMnet1 of type hostonly under $.vmware.vmnets');
          break;
        case 'custom':
          if (a.network === undefined) c.error([...at, 'network'], 'a custom adapter needs the VMnet it connects to', `add "network": one of ${names.join(', ')}`);
          else if (!names.some((n) => n.toLowerCase() === a.network?.toLowerCase())) c.error([...at, 'network'], `virtual network ${quote(a.network)} is not configured`, didYouMean(a.network, names) ?? `add it under $.vmware.vmnets (configured: ${names.join(', ')})`);
          break;
        case 'pvn': {
          const segs = doc.vmware?.lanSegments ?? [];
          if (a.network === undefined) c.error([...at, 'network'], 'a LAN segment adapter needs the segment\'s name', segs.length ? `add "network": one of ${segs.join(', ')}` : 'add a segment under $.vmware.lanSegments');
          else if (!segs.includes(a.network)) c.error([...at, 'network'], `LAN segment ${quote(a.network)} does not exist`, didYouMean(a.network, segs) ?? 'add it under $.vmware.lanSegments');
          break;
        }
      }
    });
  });

  // What the planners find (the product's own refusals): warnings the running lab also shows, unless already an error here.
  if (c.errors.length === 0) {
    for (const text of [...planVirtualBox(doc).problems, ...planVmware(doc).problems]) {
      const m = /^([A-Za-z]+(?:\[\d+\])?(?:\.[A-Za-z]+(?:\[\d+\])?)*)(?: \([^)]*\))?: (.*)$/.exec(text);
      const path = m ? `$.${m[1]}` : '$';
      const body = m ? m[2] : text;
      const cut = body.lastIndexOf('; ');
      const message = cut > 0 ? body.slice(0, cut) : body;
      const hint = cut > 0 ? body.slice(cut + 2) : undefined;
      if (c.hasErrorAt(path)) continue;
      if (!c.warnings.some((w) => w.path === path && w.message === message)) c.warnings.push(hint === undefined ? { path, message } : { path, message, hint });
    }
  }
  return { errors: c.errors, warnings: c.warnings };
}

/** A DHCP range [start, end] inside `subnet` and in order; false when it is not. */
function checkRange(c: Checker, at: At, fields: readonly [string, string], start: number, end: number, subnet: Subnet): boolean {
  let ok = true;
  for (const [f, v] of [
    [fields[0], start],
    [fields[1], end],
  ] as const) {
    if (!contains(subnet, v) || v === subnet.net || v === broadcast(subnet)) {
      c.error([...at, f], `${formatIpv4(v)} is not a host address of ${subnetText(subnet)}`, `keep the range inside ${formatIpv4(subnet.net + 1)}–${formatIpv4(broadcast(subnet) - 1)}`);
      ok = false;
    }
  }
  if (ok && start > end) {
    c.error([...at, fields[0]], `the range starts at ${formatIpv4(start)}, after its end ${formatIpv4(end)}`, 'swap the two addresses');
    ok = false;
  }
  return ok;
}

/** The key of a host-only network among the physical networks' names (which cannot hold a colon-free clash). */
function hostOnlyKey(name: string): string {
  return `host-only:${name}`;
}

function checkVirtualBoxHost(c: Checker, doc: LabDocument, hostSide: HostSideNet[]): void {
  const vb = doc.virtualbox;
  if (!vb) return;
  uniqueNames(c, vb.hostOnly, (h) => h.name, (i) => ['virtualbox', 'hostOnly', i, 'name'], 'host-only network name');
  uniqueNames(c, vb.natNetworks, (n) => n.name, (i) => ['virtualbox', 'natNetworks', i, 'name'], 'NAT Network name');
  vb.hostOnly.forEach((h, i) => {
    const at: At = ['virtualbox', 'hostOnly', i];
    const a = parseCidr(h.address);
    const s = subnetOf(h.address);
    if (!a || !s) return;
    if (s.prefix > 30 || a.address === s.net || a.address === broadcast(s)) {
      c.error([...at, 'address'], `${h.address} is not a host address with room for guests`, 'write the host\'s address and a prefix of 30 or less, like 192.168.56.1/24');
      return;
    }
    hostSide.push({ subnet: s, label: `host-only network ${h.name}`, at: [...at, 'address'], virtual: true });
    if (!h.dhcp) return;
    const server = parseIpv4(h.dhcp.server);
    const lower = parseIpv4(h.dhcp.lower);
    const upper = parseIpv4(h.dhcp.upper);
    if (server === null || lower === null || upper === null) return;
    if (!contains(s, server)) c.error([...at, 'dhcp', 'server'], `the DHCP server ${h.dhcp.server} is not in ${subnetText(s)}`, `use an address in ${subnetText(s)}, like ${formatIpv4(s.net + 100)}`);
    else if (server === a.address) c.error([...at, 'dhcp', 'server'], `the DHCP server ${h.dhcp.server} has the host adapter's own address`, `use another address, like ${formatIpv4(s.net + 100)}`);
    if (!checkRange(c, [...at, 'dhcp'], ['lower', 'upper'], lower, upper, s)) return;
    if (a.address >= lower && a.address <= upper) c.error([...at, 'dhcp', 'lower'], `the range ${h.dhcp.lower}–${h.dhcp.upper} includes the host's address ${formatIpv4(a.address)}`, 'start the range above it');
    if (server >= lower && server <= upper) c.warn([...at, 'dhcp', 'lower'], `the range ${h.dhcp.lower}–${h.dhcp.upper} includes the DHCP server's own address ${h.dhcp.server}`, 'start the range above it');
  });
  const natSubnets: Array<{ s: Subnet; name: string }> = [];
  vb.natNetworks.forEach((n, i) => {
    const at: At = ['virtualbox', 'natNetworks', i];
    const a = parseCidr(n.network);
    const s = subnetOf(n.network);
    if (a && s) {
      if (a.address !== s.net) c.error([...at, 'network'], `${n.network} has host bits set`, `did you mean ${subnetText(s)}?`);
      else if (s.prefix > 29) c.error([...at, 'network'], `${n.network} is too small for a gateway, a DHCP server and guests`, 'use a prefix of 29 or less, like 10.0.2.0/24');
      else {
        const clash = natSubnets.find((x) => overlaps(x.s, s));
        if (clash) c.error([...at, 'network'], `${subnetText(s)} overlaps NAT Network ${quote(clash.name)} (${subnetText(clash.s)})`, `give each NAT Network its own subnet, e.g. ${freeNatSubnet(natSubnets.map((x) => x.s))}`);
        natSubnets.push({ s, name: n.name });
      }
    }
    checkRules(c, n.portForwarding, { at: [...at, 'portForwarding'], guestIpRequired: true, subnet: s ?? undefined, forbidden: ':', where: 'a NAT Network\'s port forwarding' });
  });
  const intnets = vb.internalDhcp ?? [];
  uniqueNames(c, intnets, (d) => d.network, (i) => ['virtualbox', 'internalDhcp', i, 'network'], 'internal network with a DHCP server');
  intnets.forEach((d, i) => {
    const at: At = ['virtualbox', 'internalDhcp', i];
    const server = parseIpv4(d.server);
    const mask = parseIpv4(d.mask);
    const lower = parseIpv4(d.lower);
    const upper = parseIpv4(d.upper);
    const prefix = mask === null ? null : maskToPrefix(mask);
    if (server === null || prefix === null || lower === null || upper === null) return;
    const s = { net: (server & prefixToMask(prefix)) >>> 0, prefix };
    checkRange(c, at, ['lower', 'upper'], lower, upper, s);
  });
}

function freeNatSubnet(used: readonly Subnet[]): string {
  for (let x = 2; x < 256; x++) {
    const s = { net: ((10 << 24) | (x << 8)) >>> 0, prefix: 24 };
    if (!used.some((u) => overlaps(u, s))) return subnetText(s);
  }
  return '10.0.9.0/24';
}

/** Checks the Virtual Network Editor's settings; returns the VMnets in effect (a fresh install's when the lab names none). */
function checkVmwareHost(c: Checker, doc: LabDocument, hostSide: HostSideNet[], hostIfNames: readonly string[]): VmnetConfig[] {
  const vw = doc.vmware;
  if (!vw) return defaultVmnets(doc.seed, hostIfNames[0]);
  uniqueNames(c, vw.vmnets, (v) => v.name, (i) => ['vmware', 'vmnets', i, 'name'], 'VMnet', true);
  uniqueNames(c, vw.lanSegments.map((s) => ({ s })), (x) => x.s, (i) => ['vmware', 'lanSegments', i], 'LAN segment name');
  const nats = vw.vmnets.map((v, i) => ({ v, i })).filter((x) => x.v.type === 'nat');
  for (const n of nats.slice(1)) c.error(['vmware', 'vmnets', n.i, 'type'], `VMware Workstation has one NAT network; ${nats[0].v.name} already is it`, 'make this one host-only');
  vw.vmnets.forEach((v, i) => {
    const at: At = ['vmware', 'vmnets', i];
    if (v.type === 'bridged') {
      if (v.bridgedTo !== undefined && !hostIfNames.includes(v.bridgedTo)) {
        c.error([...at, 'bridgedTo'], `the host has no interface ${quote(v.bridgedTo)} to bridge to`, didYouMean(v.bridgedTo, hostIfNames) ?? (hostIfNames.length ? `the host's interfaces are ${hostIfNames.join(', ')}` : 'add a machine with role host and an interface'));
      }
      return;
    }
    if (v.nat && v.type !== 'nat') c.warn([...at, 'nat'], `NAT settings on a ${v.type} VMnet are ignored`, 'only the NAT VMnet uses them');
    if (v.subnet === undefined) {
      c.error([...at, 'subnet'], `${v.name} (${v.type}) needs a subnet`, 'add "subnet": such as 192.168.165.0/24');
      return;
    }
    const a = parseCidr(v.subnet);
    const s = subnetOf(v.subnet);
    if (!a || !s) return;
    if (a.address !== s.net) {
      c.error([...at, 'subnet'], `${v.subnet} has host bits set`, `did you mean ${subnetText(s)}?`);
      return;
    }
    if (s.prefix > 29) {
      c.error([...at, 'subnet'], `${v.subnet} is too small for the host adapter, the NAT device and guests`, 'use a prefix of 29 or less, like /24');
      return;
    }
    hostSide.push({ subnet: s, label: v.name, at: [...at, 'subnet'], virtual: true });
    const hostAddr = s.net + VMWARE.hostHost;
    let gateway: number | null = null;
    if (v.type === 'nat' && v.nat) {
      gateway = parseIpv4(v.nat.gateway);
      if (gateway !== null && (!contains(s, gateway) || gateway === s.net || gateway === broadcast(s))) {
        c.error([...at, 'nat', 'gateway'], `the NAT gateway ${v.nat.gateway} is not a host address of ${subnetText(s)}`, `VMware uses ${formatIpv4(s.net + VMWARE.natHost)}`);
        gateway = null;
      } else if (gateway === hostAddr && v.hostAdapter !== false) {
        c.error([...at, 'nat', 'gateway'], `the NAT gateway ${v.nat.gateway} is the host adapter's address`, `VMware uses ${formatIpv4(s.net + VMWARE.natHost)}`);
      }
      checkRules(c, v.nat.portForwarding, { at: [...at, 'nat', 'portForwarding'], guestIpRequired: true, subnet: s, where: 'VMware NAT port forwarding' });
    }
    if (v.dhcpRange) {
      const r = v.dhcpRange;
      const start = parseIpv4(r.start);
      const end = parseIpv4(r.end);
      if (start !== null && end !== null && checkRange(c, [...at, 'dhcpRange'], ['start', 'end'], start, end, s)) {
        // The DHCP service itself answers from the range's top (.254): VMware's own default, not a mistake.
        if (v.hostAdapter !== false && hostAddr >= start && hostAddr <= end) c.error([...at, 'dhcpRange', 'start'], `the range ${r.start}–${r.end} includes the host adapter's address ${formatIpv4(hostAddr)}`, `VMware starts it at ${formatIpv4(s.net + VMWARE.dhcpFirst)}`);
        if (gateway !== null && gateway >= start && gateway <= end) c.error([...at, 'dhcpRange', 'start'], `the range ${r.start}–${r.end} includes the NAT gateway ${formatIpv4(gateway)}`, `VMware starts it at ${formatIpv4(s.net + VMWARE.dhcpFirst)}`);
      }
      if (r.defaultLeaseSeconds > r.maxLeaseSeconds) c.error([...at, 'dhcpRange', 'defaultLeaseSeconds'], `the default lease (${r.defaultLeaseSeconds} s) is longer than the maximum (${r.maxLeaseSeconds} s)`, `VMware's defaults are ${VMWARE.defaultLeaseSeconds} and ${VMWARE.maxLeaseSeconds}`);
    }
  });
  return vw.vmnets;
}

export type ValidatedLab = { ok: true; doc: LabDocument; warnings: Problem[] } | { ok: false; problems: Problem[]; warnings: Problem[] };

/** The document's shape, then every check of `checkLab`: the document, typed, or every problem found. */
export function validateLab(value: unknown): ValidatedLab {
  const shaped = labDocumentSchema.validate(value);
  if (!shaped.ok) return { ok: false, problems: shaped.problems, warnings: [] };
  const doc = shaped.value as LabDocument;
  const { errors, warnings } = checkLab(doc);
  if (errors.length > 0) return { ok: false, problems: errors, warnings };
  return { ok: true, doc, warnings };
}

