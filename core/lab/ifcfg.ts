// Reads and writes CentOS network-scripts files (/etc/sysconfig/network-scripts/ifcfg-DEV) as the scripts understand them.
import { maskToPrefix, parseIpv4 } from '../wire/address';

export const IFCFG_DIR = '/etc/sysconfig/network-scripts';

export function ifcfgPath(dev: string): string {
  return `${IFCFG_DIR}/ifcfg-${dev}`;
}

/** KEY=value lines; quotes around values removed; comments and blank lines skipped; later keys win. */
export function parseIfcfg(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    let v = line.slice(eq + 1).trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    m.set(line.slice(0, eq).trim().toUpperCase(), v);
  }
  return m;
}

export interface IfcfgSettings {
  device: string;
  onBoot: boolean;
  /** dhcp, or static (also what `none` means when IPADDR is set). */
  bootProto: 'dhcp' | 'static' | 'none';
  address: number | null;
  prefix: number | null;
  gateway: number | null;
  dns: number[];
  /** PEERDNS=no keeps DHCP from rewriting resolv.conf. */
  peerDns: boolean;
  defRoute: boolean;
  /** What the scripts would complain about, e.g. an unreadable IPADDR. */
  problems: string[];
}

export function ifcfgSettings(dev: string, text: string): IfcfgSettings {
  const m = parseIfcfg(text);
  const problems: string[] = [];
  const ip = (key: string): number | null => {
    const v = m.get(key);
    if (v === undefined || v === '') return null;
    const a = parseIpv4(v);
    if (a === null) problems.push(`${key}=${v} is not an IPv4 address`);
    return a;
  };
  const bp = (m.get('BOOTPROTO') ?? 'none').toLowerCase();
  const bootProto: IfcfgSettings['bootProto'] = bp === 'dhcp' || bp === 'bootp' ? 'dhcp' : bp === 'static' ? 'static' : 'none';
  let prefix: number | null = null;
  const p = m.get('PREFIX') ?? m.get('PREFIX0');
  if (p !== undefined && /^\d+$/.test(p) && Number(p) <= 32) prefix = Number(p);
  else if (m.has('NETMASK')) {
    const mask = ip('NETMASK');
    prefix = mask === null ? null : maskToPrefix(mask);
    if (mask !== null && prefix === null) problems.push(`NETMASK=${m.get('NETMASK')} is not a contiguous mask`);
  }
  const dns: number[] = [];
  for (const k of ['DNS1', 'DNS2', 'DNS3']) {
    const a = ip(k);
    if (a !== null) dns.push(a);
  }
  return {
    device: m.get('DEVICE') ?? dev,
    onBoot: (m.get('ONBOOT') ?? 'yes').toLowerCase() === 'yes',
    bootProto,
    address: ip('IPADDR') ?? ip('IPADDR0'),
    prefix,
    gateway: ip('GATEWAY') ?? ip('GATEWAY0'),
    dns,
    peerDns: (m.get('PEERDNS') ?? 'yes').toLowerCase() !== 'no',
    defRoute: (m.get('DEFROUTE') ?? 'yes').toLowerCase() !== 'no',
    problems,
  };
}

/** The file a CentOS 7 installer writes for a DHCP interface. */
export function dhcpIfcfg(dev: string, onBoot: boolean): string {
  return [`TYPE=Ethernet`, `BOOTPROTO=dhcp`, `DEFROUTE=yes`, `NAME=${dev}`, `DEVICE=${dev}`, `ONBOOT=${onBoot ? 'yes' : 'no'}`, ''].join('\n');
}

/** A static interface's file, with PREFIX (as nmtui writes) and optional gateway and DNS. */
export function staticIfcfg(dev: string, address: string, prefix: number, gateway?: string, dns: readonly string[] = []): string {
  const lines = [`TYPE=Ethernet`, `BOOTPROTO=static`, `NAME=${dev}`, `DEVICE=${dev}`, `ONBOOT=yes`, `IPADDR=${address}`, `PREFIX=${prefix}`];
  if (gateway) lines.push(`GATEWAY=${gateway}`);
  dns.forEach((d, i) => lines.push(`DNS${i + 1}=${d}`));
  return lines.join('\n') + '\n';
}
