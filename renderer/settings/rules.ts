// Port-forwarding rules as the rules table edits them (text cells), and VirtualBox's checks before they are taken.
import { isIpv4 } from './ipv4';
import type { Issue, Rule } from './types';

export interface RuleRow {
  name: string;
  proto: 'tcp' | 'udp';
  hostIp: string;
  hostPort: string;
  guestIp: string;
  guestPort: string;
}

export type RuleColumn = keyof RuleRow;

export interface RuleCheck {
  /** NAT Networks and VMware need the guest's address; a VirtualBox NAT adapter defaults to its DHCP one. */
  guestIpRequired: boolean;
  /** A character the rule's name cannot hold (VBoxManage's separator: "," for NAT, ":" for NAT Networks). */
  forbidden?: string;
}

export function rowFromRule(r: Rule): RuleRow {
  return { name: r.name, proto: r.proto, hostIp: r.hostIp, hostPort: String(r.hostPort), guestIp: r.guestIp, guestPort: String(r.guestPort) };
}

export function rowsFromRules(rules: readonly Rule[] | undefined): RuleRow[] {
  return (rules ?? []).map(rowFromRule);
}

/** A port typed in a cell: a whole number 1–65535, else null. */
export function parsePort(s: string): number | null {
  const t = s.trim();
  if (!/^\d{1,5}$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 && n <= 65535 ? n : null;
}

/** VirtualBox names a new rule "Rule N" with the first N not taken. */
export function newRuleName(rows: readonly RuleRow[], word = 'Rule'): string {
  for (let n = 1; ; n++) {
    const name = `${word} ${n}`;
    if (!rows.some((r) => r.name === name)) return name;
  }
}

export function newRow(rows: readonly RuleRow[], word?: string): RuleRow {
  return { name: newRuleName(rows, word), proto: 'tcp', hostIp: '', hostPort: '', guestIp: '', guestPort: '' };
}

/** Every problem with the rows, one per cell at most, in table order. */
export function ruleIssues(rows: readonly RuleRow[], check: RuleCheck): Issue[] {
  const out: Issue[] = [];
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const n = i + 1;
    const name = r.name.trim();
    if (name === '') out.push({ key: 'vbox.rules.issue.nameEmpty', params: { n }, field: `rule${i}.name` });
    else if (seen.has(name)) out.push({ key: 'vbox.rules.issue.nameDuplicate', params: { n, name }, field: `rule${i}.name` });
    else if (check.forbidden !== undefined && name.includes(check.forbidden)) out.push({ key: 'vbox.rules.issue.nameForbidden', params: { n, char: check.forbidden }, field: `rule${i}.name` });
    seen.add(name);
    for (const col of ['hostIp', 'guestIp'] as const) {
      const v = r[col].trim();
      if (v === '') {
        if (col === 'guestIp' && check.guestIpRequired) out.push({ key: 'vbox.rules.issue.guestIpRequired', params: { n }, field: `rule${i}.${col}` });
      } else if (!isIpv4(v)) out.push({ key: 'vbox.rules.issue.ip', params: { n, column: col, value: v }, field: `rule${i}.${col}` });
    }
    for (const col of ['hostPort', 'guestPort'] as const) {
      if (parsePort(r[col]) === null) out.push({ key: 'vbox.rules.issue.port', params: { n, column: col }, field: `rule${i}.${col}` });
    }
  });
  return out;
}

/** The rules the rows stand for; null while any row has a problem. */
export function rulesFromRows(rows: readonly RuleRow[], check: RuleCheck): Rule[] | null {
  if (ruleIssues(rows, check).length > 0) return null;
  return rows.map((r) => ({ name: r.name.trim(), proto: r.proto, hostIp: r.hostIp.trim(), hostPort: parsePort(r.hostPort) as number, guestIp: r.guestIp.trim(), guestPort: parsePort(r.guestPort) as number }));
}
