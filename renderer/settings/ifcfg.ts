// An ifcfg file (/etc/sysconfig/network-scripts/ifcfg-DEV) read into the editor's fields and written back, keeping every other line as it was.
import { isIpv4, maskToPrefix } from './ipv4';
import type { Issue } from './types';

export type BootProto = 'dhcp' | 'static' | 'none';

export interface IfcfgFields {
  onboot: boolean;
  bootproto: BootProto;
  ipaddr: string;
  /** PREFIX ("24") or NETMASK ("255.255.255.0"), whichever the file has; writing picks the key by the form. */
  netmask: string;
  gateway: string;
  dns1: string;
  dns2: string;
}

const LINE = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/** A value as the shell reads it: one level of double or single quotes removed. */
function unquote(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) return v.slice(1, -1);
  return v;
}

/** The file's settings by key (the last line wins, as when the shell sources it). */
export function ifcfgValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (m) out.set(m[1].toUpperCase(), unquote(m[2]));
  }
  return out;
}

function bootprotoOf(v: string | undefined): BootProto {
  const low = (v ?? '').toLowerCase();
  if (low === 'dhcp' || low === 'bootp') return 'dhcp';
  if (low === 'static') return 'static';
  return 'none';
}

export function readIfcfg(text: string): IfcfgFields {
  const v = ifcfgValues(text);
  return {
    onboot: /^(yes|true|1)$/i.test(v.get('ONBOOT') ?? ''),
    bootproto: bootprotoOf(v.get('BOOTPROTO')),
    ipaddr: v.get('IPADDR') ?? v.get('IPADDR0') ?? '',
    netmask: v.get('PREFIX') ?? v.get('PREFIX0') ?? v.get('NETMASK') ?? v.get('NETMASK0') ?? '',
    gateway: v.get('GATEWAY') ?? v.get('GATEWAY0') ?? '',
    dns1: v.get('DNS1') ?? '',
    dns2: v.get('DNS2') ?? '',
  };
}

/** Quotes a value when the shell would split it. */
function quoteValue(v: string, wasQuoted: string | null): string {
  if (wasQuoted !== null) return `${wasQuoted}${v}${wasQuoted}`;
  return /^[A-Za-z0-9_.:/@%+,-]*$/.test(v) ? v : `"${v.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** Sets `key` (empty: removes it) in place, keeping the line's quoting; a new key goes at the end. */
export function setIfcfgValue(text: string, key: string, value: string): string {
  const lines = text.split('\n');
  const trailing = lines.length > 0 && lines[lines.length - 1] === '';
  if (trailing) lines.pop();
  let found = false;
  const out: string[] = [];
  for (const line of lines) {
    const m = LINE.exec(line);
    if (!m || m[1].toUpperCase() !== key) {
      out.push(line);
      continue;
    }
    if (found || value === '') continue; // one line per key; an emptied key goes
    found = true;
    const raw = m[2].trim();
    const q = raw.startsWith('"') ? '"' : raw.startsWith("'") ? "'" : null;
    out.push(`${m[1]}=${quoteValue(value, q)}`);
  }
  if (!found && value !== '') out.push(`${key}=${quoteValue(value, null)}`);
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Writes the fields that differ from what `text` says now; every other line stays byte for byte. */
export function writeIfcfg(text: string, fields: IfcfgFields): string {
  const now = readIfcfg(text);
  let t = text;
  if (fields.onboot !== now.onboot) t = setIfcfgValue(t, 'ONBOOT', fields.onboot ? 'yes' : 'no');
  if (fields.bootproto !== now.bootproto) t = setIfcfgValue(t, 'BOOTPROTO', fields.bootproto);
  if (fields.ipaddr.trim() !== now.ipaddr) t = setIfcfgValue(t, 'IPADDR', fields.ipaddr.trim());
  const mask = fields.netmask.trim();
  if (mask !== now.netmask) {
    const dotted = mask.includes('.');
    t = setIfcfgValue(t, dotted ? 'PREFIX' : 'NETMASK', '');
    t = setIfcfgValue(t, dotted ? 'NETMASK' : 'PREFIX', mask);
  }
  if (fields.gateway.trim() !== now.gateway) t = setIfcfgValue(t, 'GATEWAY', fields.gateway.trim());
  if (fields.dns1.trim() !== now.dns1) t = setIfcfgValue(t, 'DNS1', fields.dns1.trim());
  if (fields.dns2.trim() !== now.dns2) t = setIfcfgValue(t, 'DNS2', fields.dns2.trim());
  return t;
}

/** What the form's fields hold that network-scripts could not use. */
export function ifcfgIssues(fields: IfcfgFields): Issue[] {
  const out: Issue[] = [];
  for (const [key, label] of [
    ['ipaddr', 'IPADDR'],
    ['gateway', 'GATEWAY'],
    ['dns1', 'DNS1'],
    ['dns2', 'DNS2'],
  ] as const) {
    const v = fields[key].trim();
    if (v !== '' && !isIpv4(v)) out.push({ key: 'guest.issue.ip', params: { field: label, value: v }, field: key });
  }
  const m = fields.netmask.trim();
  if (m !== '' && !(m.includes('.') ? maskToPrefix(m) !== null : /^\d{1,2}$/.test(m) && Number(m) <= 32)) out.push({ key: 'guest.issue.netmask', params: { value: m }, field: 'netmask' });
  return out;
}

/** A new device's file, as CentOS's installer writes one. */
export function newIfcfg(device: string): string {
  return `TYPE=Ethernet\nBOOTPROTO=dhcp\nONBOOT=no\nDEVICE=${device}\nNAME=${device}\n`;
}
