// The Virtual Network Editor's data: VMnet rows as VMware lists them, new networks, and the subnet-driven defaults it fills in.
import { broadcastOf, formatIpv4, hostIn, joinCidr, maskToPrefix, overlaps, parseIpv4, prefixToMask, splitCidr, subnetOf, type Subnet } from './ipv4';
import { clone, type Issue, type Vmnet } from './types';

/** VMware's address plan (REFERENCE.md): .1 the host, .2 the NAT device, DHCP from .128 to .254, leases of 30 min and at most 2 h. */
export const VMWARE_PLAN = { natHost: 2, dhcpFirst: 128, defaultLease: 1800, maxLease: 7200, udpTimeout: 30 } as const;

export const VMNET_NAMES: readonly string[] = Array.from({ length: 20 }, (_, i) => `VMnet${i}`);

export function subnetParts(cidr: string | undefined): { ip: string; mask: string } {
  const c = cidr ? splitCidr(cidr) : null;
  return c ? { ip: c.ip, mask: formatIpv4(prefixToMask(c.prefix)) } : { ip: '', mask: '' };
}

/** The DHCP range and NAT gateway VMware fills in for a subnet. */
export function planFor(cidr: string): { start: string; end: string; gateway: string } | null {
  const s = subnetOf(cidr);
  if (!s) return null;
  const size = broadcastOf(s) - s.net + 1;
  const first = size > 256 || s.prefix <= 24 ? VMWARE_PLAN.dhcpFirst : Math.floor(size / 2);
  return { start: hostIn(s, first), end: formatIpv4(broadcastOf(s) - 1), gateway: hostIn(s, VMWARE_PLAN.natHost) };
}

/** A private /24 no other VMnet (nor `avoid`) uses, as the installer picks one. */
export function freeSubnet(vmnets: readonly Vmnet[], avoid: readonly string[] = []): string {
  const used: Subnet[] = [...vmnets.map((v) => (v.subnet ? subnetOf(v.subnet) : null)), ...avoid.map((a) => subnetOf(a))].filter((s): s is Subnet => s !== null);
  for (let x = 100; x < 256; x++) {
    const c = `192.168.${x}.0/24`;
    const s = subnetOf(c) as Subnet;
    if (!used.some((u) => overlaps(u, s))) return c;
  }
  return '192.168.254.0/24';
}

/** A host-only network with a host adapter and DHCP, as "Add Network…" makes one. */
export function newVmnet(name: string, vmnets: readonly Vmnet[], avoid: readonly string[] = []): Vmnet {
  const subnet = freeSubnet(vmnets, avoid);
  const p = planFor(subnet) as { start: string; end: string };
  return { name, type: 'hostonly', subnet, hostAdapter: true, dhcp: true, dhcpRange: { start: p.start, end: p.end, defaultLeaseSeconds: VMWARE_PLAN.defaultLease, maxLeaseSeconds: VMWARE_PLAN.maxLease } };
}

/** Changes a VMnet's type the way the editor does: bridged drops the host side, NAT gains its settings. */
export function retype(v: Vmnet, type: Vmnet['type'], vmnets: readonly Vmnet[], avoid: readonly string[] = []): Vmnet {
  const next = clone(v);
  next.type = type;
  if (type === 'bridged') {
    delete next.subnet;
    delete next.hostAdapter;
    delete next.dhcp;
    delete next.dhcpRange;
    delete next.nat;
    return next;
  }
  delete next.bridgedTo;
  if (!next.subnet) {
    const fresh = newVmnet(v.name, vmnets.filter((x) => x.name !== v.name), avoid);
    next.subnet = fresh.subnet;
    next.hostAdapter = true;
    next.dhcp = true;
    next.dhcpRange = fresh.dhcpRange;
  }
  if (type === 'nat') {
    const p = planFor(next.subnet as string);
    next.nat = next.nat ?? { gateway: p?.gateway ?? '', portForwarding: [], udpTimeoutSeconds: VMWARE_PLAN.udpTimeout };
  } else delete next.nat;
  return next;
}

/** A new subnet typed in; the DHCP range and the gateway follow it, as VMware resets them. */
export function resubnet(v: Vmnet, cidr: string): Vmnet {
  const next = clone(v);
  next.subnet = cidr;
  const p = planFor(cidr);
  if (!p) return next;
  if (next.dhcpRange) next.dhcpRange = { ...next.dhcpRange, start: p.start, end: p.end };
  if (next.nat) next.nat = { ...next.nat, gateway: p.gateway };
  return next;
}

/** The subnet the two fields make, or the problem with them. */
export function subnetFromFields(name: string, ip: string, mask: string): string | Issue {
  if (parseIpv4(ip) === null) return { key: 'vmware.editor.issue.subnetIp', params: { name, value: ip }, field: 'subnetIp' };
  if (maskToPrefix(mask) === null) return { key: 'vmware.editor.issue.subnetMask', params: { name, value: mask }, field: 'subnetMask' };
  const cidr = joinCidr(ip, mask) as string;
  const s = subnetOf(cidr) as Subnet;
  if (formatIpv4(s.net) !== ip) return { key: 'vmware.editor.issue.hostBits', params: { name, value: ip }, field: 'subnetIp' };
  return cidr;
}

/** The editor's own objections before anything is sent; `before` names the NAT network that was there first. */
export function vmnetIssues(vmnets: readonly Vmnet[], before: readonly Vmnet[] = []): Issue[] {
  const out: Issue[] = [];
  const nats = vmnets.filter((v) => v.type === 'nat');
  const first = nats.find((v) => before.some((b) => b.name === v.name && b.type === 'nat')) ?? nats[0];
  for (const n of nats) if (n !== first) out.push({ key: 'vmware.editor.issue.oneNat', params: { name: first.name }, field: `${n.name}.type` });
  const seen: Array<{ name: string; s: Subnet }> = [];
  for (const v of vmnets) {
    if (v.type === 'bridged' || !v.subnet) continue;
    const s = subnetOf(v.subnet);
    if (!s) continue;
    const clash = seen.find((x) => overlaps(x.s, s));
    if (clash) out.push({ key: 'vmware.editor.issue.overlap', params: { name: v.name, other: clash.name }, field: `${v.name}.subnet` });
    seen.push({ name: v.name, s });
  }
  return out;
}

export function vmnetOrder(a: Vmnet, b: Vmnet): number {
  return Number(a.name.slice(5)) - Number(b.name.slice(5));
}

/** "172.16.162.0" for the table's Subnet Address column. */
export function subnetAddress(v: Vmnet): string {
  if (v.type === 'bridged' || !v.subnet) return '';
  const s = subnetOf(v.subnet);
  return s ? formatIpv4(s.net) : v.subnet;
}
