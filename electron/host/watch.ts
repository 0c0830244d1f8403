// Cheap change detection of the live tables: a hash of the rows that matter per table, compared between ticks.
import type { Events } from '../../core/api/contract';
import type { RunningLab } from '../../core/lab/running-lab';
import { arpRows, leaseRows, natRows, routeRows } from '../../core/lab/tables';

export type TableName = Events['tables.changed']['tables'][number];

/** FNV-1a over a string: collisions only cost a missed refresh, never a wrong row. */
function hash(text: string, h = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function signatures(lab: RunningLab, generation: number): Record<TableName, string> {
  // Times to expiry tick every second: they are not a change the window needs to refetch for.
  const leases = leaseRows(lab).map((r) => `${r.server}|${r.ip}|${r.mac}|${r.hostname}|${r.state}`);
  const nat = natRows(lab).map((r) => `${r.engine}|${r.proto}|${r.insideIp}:${r.insidePort}|${r.outsideIp}:${r.outsidePort}|${r.remoteIp}:${r.remotePort}|${r.state}`);
  const arp = arpRows(lab).map((r) => `${r.node}|${r.dev}|${r.ip}|${r.mac ?? ''}|${r.state}`);
  const routes = routeRows(lab).map((r) => `${r.node}|${r.destination}|${r.gateway ?? ''}|${r.dev}|${r.metric}|${r.src ?? ''}`);
  let addresses = `${generation}`;
  for (const n of lab.machines()) for (const i of n.host.interfaces) for (const a of i.addresses) addresses += `|${n.name}.${i.name}=${a.address}/${a.prefix}`;
  for (const [name, l] of lab.links) addresses += `|${name}:${l.connected ? 1 : 0}`;
  const sig = (rows: string[]): string => `${rows.length}:${hash(rows.join('\n'))}`;
  return {
    leases: sig(leases),
    nat: sig(nat),
    arp: sig(arp),
    routes: sig(routes),
    events: `${lab.log.entries.length}`,
    machines: `${hash(addresses)}`,
    topology: `${hash(addresses)}`,
  };
}

export class TableWatch {
  private last: Record<TableName, string> | null = null;

  /** The tables whose rows differ from the last call's (all of them on the first call after `reset`). */
  changed(lab: RunningLab, generation: number): TableName[] {
    const now = signatures(lab, generation);
    const before = this.last;
    this.last = now;
    return (Object.keys(now) as TableName[]).filter((k) => before === null || before[k] !== now[k]);
  }

  reset(): void {
    this.last = null;
  }
}
