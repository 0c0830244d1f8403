// The lab's tables as rows a person reads (DHCP leases, NAT translations, ARP caches, routes, events) and as aligned text.
import { formatIpv4, formatMac } from '../wire/address';
import type { RunningLab } from './running-lab';

const S = 1_000_000;

export interface LeaseRow {
  server: string;
  ip: string;
  mac: string;
  hostname: string;
  state: string;
  /** Seconds until the lease runs out; null for a lease that never does. */
  expiresInS: number | null;
}

export interface NatRow {
  engine: string;
  proto: string;
  insideIp: string;
  insidePort: number;
  outsideIp: string;
  outsidePort: number;
  remoteIp: string;
  remotePort: number;
  state: string;
  expiresInS: number;
}

export interface ArpRow {
  node: string;
  ip: string;
  mac: string | null;
  dev: string;
  state: string;
}

export interface RouteRow {
  node: string;
  destination: string;
  gateway: string | null;
  dev: string;
  proto: string;
  metric: number;
  src: string | null;
}

export interface EventRow {
  /** Virtual seconds since the lab started. */
  time: number;
  node: string;
  kind: string;
  message: string;
}

function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/** Rows of every DHCP server, or of those whose name or machine is `where`. */
export function leaseRows(lab: RunningLab, where?: string): LeaseRow[] {
  const out: LeaseRow[] = [];
  for (const d of lab.dhcpServers) {
    if (where && d.name !== where && d.node !== where) continue;
    for (const r of d.server.leases()) {
      out.push({ server: d.name, ip: formatIpv4(r.ip), mac: formatMac(r.mac), hostname: r.hostname ?? '', state: r.state, expiresInS: finite(r.expiresInS) });
    }
  }
  return out;
}

export function natRows(lab: RunningLab, where?: string): NatRow[] {
  const now = lab.scheduler.now;
  const out: NatRow[] = [];
  for (const e of lab.natEngines) {
    if (where && e.name !== where && !e.name.startsWith(`${where} `)) continue;
    for (const r of e.engine.rows(now)) {
      out.push({
        engine: e.name,
        proto: r.proto,
        insideIp: formatIpv4(r.insideIp),
        insidePort: r.insidePort,
        outsideIp: formatIpv4(r.outsideIp),
        outsidePort: r.outsidePort,
        remoteIp: formatIpv4(r.remoteIp),
        remotePort: r.remotePort,
        state: r.state,
        expiresInS: r.expiresInS,
      });
    }
  }
  return out;
}

export function arpRows(lab: RunningLab, where?: string): ArpRow[] {
  const out: ArpRow[] = [];
  for (const n of lab.machines()) {
    if (where && n.name !== where) continue;
    for (const i of n.host.interfaces) {
      if (i.isLoopback) continue;
      for (const e of i.neighbors.list()) {
        out.push({ node: n.name, ip: formatIpv4(e.ip), mac: e.state === 'INCOMPLETE' || e.state === 'FAILED' ? null : formatMac(e.mac), dev: i.name, state: e.state });
      }
    }
  }
  return out;
}

export function routeRows(lab: RunningLab, where?: string): RouteRow[] {
  const out: RouteRow[] = [];
  for (const n of lab.machines()) {
    if (where && n.name !== where) continue;
    for (const r of n.host.routes.routes) {
      out.push({
        node: n.name,
        destination: r.prefix === 0 ? 'default' : `${formatIpv4(r.dst)}/${r.prefix}`,
        gateway: r.gateway === 0 ? null : formatIpv4(r.gateway),
        dev: r.iface.name,
        proto: r.proto,
        metric: r.metric,
        src: r.src === 0 ? null : formatIpv4(r.src),
      });
    }
  }
  return out;
}

export function eventRows(lab: RunningLab, where?: string): EventRow[] {
  return lab.log.entries.filter((e) => !where || e.node === where || e.kind === where).map((e) => ({ time: e.time / S, node: e.node, kind: e.kind, message: e.message }));
}

/** Columns aligned with two spaces between them, headers in capitals, as `column -t` would lay them out. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const cells = [headers.map((h) => h.toUpperCase()), ...rows.map((r) => r.map((c) => (c === null ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}

export function formatLeases(rows: readonly LeaseRow[]): string {
  if (rows.length === 0) return 'no leases\n';
  return formatTable(['server', 'ip', 'mac', 'hostname', 'state', 'expires in'], rows.map((r) => [r.server, r.ip, r.mac, r.hostname, r.state, r.expiresInS === null ? 'never' : `${Math.round(r.expiresInS)}s`]));
}

export function formatNat(rows: readonly NatRow[]): string {
  if (rows.length === 0) return 'no translations\n';
  return formatTable(
    ['engine', 'proto', 'inside', 'outside', 'remote', 'state', 'expires in'],
    rows.map((r) => [r.engine, r.proto, `${r.insideIp}:${r.insidePort}`, `${r.outsideIp}:${r.outsidePort}`, `${r.remoteIp}:${r.remotePort}`, r.state, `${Math.round(r.expiresInS)}s`]),
  );
}

export function formatArp(rows: readonly ArpRow[]): string {
  if (rows.length === 0) return 'no entries\n';
  return formatTable(['node', 'ip', 'mac', 'dev', 'state'], rows.map((r) => [r.node, r.ip, r.mac ?? '(incomplete)', r.dev, r.state]));
}

export function formatRoutes(rows: readonly RouteRow[]): string {
  if (rows.length === 0) return 'no routes\n';
  return formatTable(['node', 'destination', 'gateway', 'dev', 'proto', 'metric', 'src'], rows.map((r) => [r.node, r.destination, r.gateway, r.dev, r.proto, r.metric, r.src]));
}

export function formatEvents(rows: readonly EventRow[]): string {
  if (rows.length === 0) return 'no events\n';
  return formatTable(['time', 'node', 'kind', 'message'], rows.map((r) => [r.time.toFixed(3), r.node, r.kind, r.message]));
}
