// VirtualBox's Network Manager as data: new host-only and NAT networks with VirtualBox's defaults, and the checks before Apply.
import { broadcastOf, formatIpv4, hostIn, maskToPrefix, overlaps, parseIpv4, prefixToMask, splitCidr, subnetOf, type Subnet } from './ipv4';
import type { HostOnlyNet, Issue, NatNetwork, VboxHost } from './types';

/** A host-only interface as VirtualBox creates the next one: vboxnetN at 192.168.(56+N).1/24, its DHCP server at .100 leasing .101–.254. */
export function newHostOnly(host: VboxHost): HostOnlyNet {
  let n = 0;
  while (host.hostOnly.some((h) => h.name === `vboxnet${n}`)) n++;
  const used = host.hostOnly.map((h) => subnetOf(h.address)).filter((s): s is Subnet => s !== null);
  let third = 56 + n;
  for (let x = 56; x < 256; x++) {
    const s = subnetOf(`192.168.${x}.0/24`) as Subnet;
    if (!used.some((u) => overlaps(u, s))) {
      third = x;
      break;
    }
  }
  const s = subnetOf(`192.168.${third}.0/24`) as Subnet;
  const address = `${hostIn(s, 1)}/24`;
  return { name: `vboxnet${n}`, address, dhcp: dhcpFor(address) };
}

/** The DHCP server VirtualBox sets up beside a host-only address: .100, leasing .101 to the last host address. */
export function dhcpFor(address: string): HostOnlyNet['dhcp'] {
  const s = subnetOf(address);
  if (!s) return null;
  const size = broadcastOf(s) - s.net;
  const server = size > 101 ? 100 : Math.floor(size / 2);
  return { enabled: true, server: hostIn(s, server), lower: hostIn(s, server + 1), upper: formatIpv4(broadcastOf(s) - 1), leaseSeconds: 600 };
}

/** A NAT Network as "Create" makes it: NatNetwork, NatNetwork1…, on the first free 10.0.x.0/24 from 10.0.2.0, DHCP on. */
export function newNatNetwork(host: VboxHost): NatNetwork {
  let name = 'NatNetwork';
  for (let n = 1; host.natNetworks.some((x) => x.name === name); n++) name = `NatNetwork${n}`;
  const used = host.natNetworks.map((x) => subnetOf(x.network)).filter((s): s is Subnet => s !== null);
  let network = '10.0.2.0/24';
  for (let x = 2; x < 256; x++) {
    const c = `10.0.${x}.0/24`;
    if (!used.some((u) => overlaps(u, subnetOf(c) as Subnet))) {
      network = c;
      break;
    }
  }
  return { name, network, enabled: true, dhcp: true, portForwarding: [] };
}

/** The Adapter tab's two fields from a host-only network's address. */
export function adapterFields(h: HostOnlyNet): { ip: string; mask: string } {
  const c = splitCidr(h.address);
  return c ? { ip: c.ip, mask: formatIpv4(prefixToMask(c.prefix)) } : { ip: h.address, mask: '' };
}

export function hostOnlyAddress(ip: string, mask: string): string | null {
  const p = maskToPrefix(mask);
  return parseIpv4(ip) === null || p === null ? null : `${ip}/${p}`;
}

/** What the Network Manager finds wrong before anything goes to the lab. */
export function vboxHostIssues(host: VboxHost, fields: ReadonlyMap<string, { ip: string; mask: string }>): Issue[] {
  const out: Issue[] = [];
  const names = [...host.hostOnly.map((h) => h.name), ...host.natNetworks.map((n) => n.name)];
  if (names.some((n, i) => n.trim() === '' || names.indexOf(n) !== i)) out.push({ key: 'vbox.manager.issue.name' });
  for (const h of host.hostOnly) {
    const f = fields.get(h.name) ?? adapterFields(h);
    if (parseIpv4(f.ip) === null) out.push({ key: 'vbox.manager.issue.address', params: { name: h.name, value: f.ip }, field: `${h.name}.ip` });
    if (maskToPrefix(f.mask) === null) out.push({ key: 'vbox.manager.issue.mask', params: { name: h.name, value: f.mask }, field: `${h.name}.mask` });
    if (h.dhcp) {
      for (const k of ['server', 'lower', 'upper'] as const) {
        if (parseIpv4(h.dhcp[k]) === null) out.push({ key: 'vbox.manager.issue.address', params: { name: h.name, value: h.dhcp[k] }, field: `${h.name}.${k}` });
      }
    }
  }
  for (const n of host.natNetworks) {
    if (!subnetOf(n.network)) out.push({ key: 'vbox.manager.issue.prefix', params: { name: n.name, value: n.network }, field: `${n.name}.network` });
  }
  return out;
}
