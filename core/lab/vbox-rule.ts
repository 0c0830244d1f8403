// VBoxManage's port-forwarding rule syntax: NAT's "name,proto,hostip,hostport,guestip,guestport" and NAT Network's "name:proto:[hostip]:hostport:[guestip]:guestport".
import { fail, ok, type Parsed } from '../wire/result';
import type { PortForwardRule } from './document';

const LAYER = 'port-forwarding rule';
const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/;

export const VBOX_RULE_FORM = 'name,proto,hostip,hostport,guestip,guestport';
export const NAT_NETWORK_RULE_FORM = 'name:proto:[hostip]:hostport:[guestip]:guestport';

function show(text: string): string {
  const cut = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return `'${JSON.stringify(cut).slice(1, -1)}'`;
}

/**
 * The name VirtualBox gives a rule written without one (`--nat-pf1 ",tcp,,2222,,22"`).
 * (unverified: the NAT engine's generated names as users report them, e.g. TCP_2222_22)
 */
export function defaultRuleName(proto: 'tcp' | 'udp', hostPort: number, guestPort: number): string {
  return `${proto.toUpperCase()}_${hostPort}_${guestPort}`;
}

function proto(text: string, rule: string): Parsed<'tcp' | 'udp'> {
  // VBoxManage compares the protocol without regard to case.
  const p = text.toLowerCase();
  if (p === 'tcp' || p === 'udp') return ok(p);
  return fail(LAYER, 'bad-value', `malformed rule ${show(rule)}: protocol ${show(text)} is neither tcp nor udp`);
}

function portOf(text: string, what: string, rule: string): Parsed<number> {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    return fail(LAYER, 'bad-value', `malformed rule ${show(rule)}: ${what} ${show(text)} is not a port number from 1 to 65535`);
  }
  return ok(Number(text));
}

function ipOf(text: string, what: string, rule: string): Parsed<string> {
  if (text === '' || IPV4.test(text)) return ok(text);
  if (text.includes(':')) return fail(LAYER, 'unsupported', `malformed rule ${show(rule)}: ${what} ${show(text)} is IPv6; the lab forwards IPv4 only`);
  return fail(LAYER, 'bad-value', `malformed rule ${show(rule)}: ${what} ${show(text)} is not an IPv4 address (leave it empty for any)`);
}

function build(name: string, protoText: string, hostIp: string, hostPort: string, guestIp: string, guestPort: string, rule: string): Parsed<PortForwardRule> {
  const p = proto(protoText, rule);
  if (!p.ok) return p;
  const hi = ipOf(hostIp, 'host IP', rule);
  if (!hi.ok) return hi;
  const hp = portOf(hostPort, 'host port', rule);
  if (!hp.ok) return hp;
  const gi = ipOf(guestIp, 'guest IP', rule);
  if (!gi.ok) return gi;
  const gp = portOf(guestPort, 'guest port', rule);
  if (!gp.ok) return gp;
  return ok({ name: name === '' ? defaultRuleName(p.value, hp.value, gp.value) : name, proto: p.value, hostIp: hi.value, hostPort: hp.value, guestIp: gi.value, guestPort: gp.value });
}

/** Reads a NAT rule as `VBoxManage modifyvm VM --nat-pf1 "guestssh,tcp,,2222,,22"` takes it; an empty name gets VirtualBox's generated one. */
export function parseVBoxRule(text: string): Parsed<PortForwardRule> {
  const fields = text.split(',');
  if (fields.length !== 6) {
    return fail(LAYER, 'bad-length', `malformed rule ${show(text)}: expected 6 fields separated by commas (${VBOX_RULE_FORM}), found ${fields.length}`);
  }
  const [name, p, hostIp, hostPort, guestIp, guestPort] = fields;
  return build(name, p, hostIp, hostPort, guestIp, guestPort, text);
}

/** The rule as VBoxManage's --nat-pfN and `controlvm natpfN` take it; null when its name contains a comma and cannot be written so. */
export function formatVBoxRule(rule: PortForwardRule): string | null {
  if (rule.name.includes(',')) return null;
  return [rule.name, rule.proto, rule.hostIp, rule.hostPort, rule.guestIp, rule.guestPort].join(',');
}

/** Reads a NAT Network rule as `VBoxManage natnetwork modify --port-forward-4 "ssh:tcp:[]:1022:[10.0.2.4]:22"` takes it (the guest IP is required). */
export function parseNatNetworkRule(text: string): Parsed<PortForwardRule> {
  // name:proto:[hostip]:hostport:[guestip]:guestport; the addresses sit in brackets so IPv6 colons stay inside.
  const m = /^([^:]*):([^:]*):\[([^\]]*)\]:([^:]*):\[([^\]]*)\]:([^:]*)$/.exec(text);
  if (!m) {
    const hint = /^[^:]*:[^:]*:[^[]/.test(text) ? ' (the addresses go in brackets, [] when empty)' : '';
    return fail(LAYER, 'bad-length', `malformed rule ${show(text)}: expected ${NAT_NETWORK_RULE_FORM}${hint}`);
  }
  const [, name, p, hostIp, hostPort, guestIp, guestPort] = m;
  if (name === '') return fail(LAYER, 'bad-value', `malformed rule ${show(text)}: a NAT Network rule needs a name`);
  if (guestIp === '') return fail(LAYER, 'bad-value', `malformed rule ${show(text)}: a NAT Network rule needs the guest's IP address`);
  return build(name, p, hostIp, hostPort, guestIp, guestPort, text);
}

/** The rule as `VBoxManage natnetwork modify --port-forward-4` takes it; null when its name contains a colon. */
export function formatNatNetworkRule(rule: PortForwardRule): string | null {
  if (rule.name.includes(':')) return null;
  return `${rule.name}:${rule.proto}:[${rule.hostIp}]:${rule.hostPort}:[${rule.guestIp}]:${rule.guestPort}`;
}
