// Positions for the topology from the lab's structure: the host's LAN, the Internet beside it, the virtual networks below, each machine under its switch.
import type { Topology } from '../../core/api/dto';

type TopologyNode = Topology['nodes'][number];

export interface Point {
  x: number;
  y: number;
}

type World = TopologyNode['world'];
type Kind = TopologyNode['kind'];

/** Room for a machine with its label and two addresses. */
export const CELL_W = 150;
export const CELL_H = 120;
const GROUP_GAP = 60;
const WORLD_GAP = 160;
const HUB_KINDS: ReadonlySet<Kind> = new Set<Kind>(['switch', 'internet', 'world']);
const SATELLITE_KINDS: ReadonlySet<Kind> = new Set<Kind>(['nat', 'dhcp']);
/** Left to right inside a group: the host first, the router last (toward the Internet). */
const ORDER: Record<Kind, number> = { host: 0, pc: 1, server: 2, vm: 3, router: 4, switch: 5, internet: 5, world: 5, nat: 6, dhcp: 6 };

interface Group {
  hub: TopologyNode | null;
  members: TopologyNode[];
  /** Columns of the members' grid. */
  cols: number;
  w: number;
  h: number;
}

/** The box each world takes, for drawing its frame and label. */
export interface WorldBox {
  world: World;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Layout {
  positions: Map<string, Point>;
  worlds: WorldBox[];
  /**
   * The world each node is drawn in: a machine goes where its switch is, so a bridged VM stands on the
   * host's LAN (it is another computer there) while its `world` field says it is virtual.
   */
  drawnIn: Map<string, World>;
}

function gridColumns(n: number): number {
  if (n <= 6) return Math.max(1, n);
  // A little wider than tall, as screens are.
  return Math.ceil(Math.sqrt(n * 1.6));
}

/** Computes every node's position in one pass over nodes and edges (linear; no force simulation). */
export function computeLayout(topo: Topology): Layout {
  const byId = new Map<string, TopologyNode>();
  for (const n of topo.nodes) byId.set(n.id, n);
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string): void => {
    let l = neighbours.get(a);
    if (!l) neighbours.set(a, (l = []));
    l.push(b);
  };
  for (const e of topo.edges) {
    if (!byId.has(e.source) || !byId.has(e.target)) continue;
    link(e.source, e.target);
    link(e.target, e.source);
  }
  const near = (id: string): TopologyNode[] => (neighbours.get(id) ?? []).map((x) => byId.get(x) as TopologyNode);

  // Service boxes (NAT engines, DHCP servers) sit beside what they serve: a switch, or the one VM a VirtualBox NAT serves.
  const satelliteOf = new Map<string, string>();
  const satellites = new Map<string, TopologyNode[]>();
  for (const n of topo.nodes) {
    if (!SATELLITE_KINDS.has(n.kind)) continue;
    const ns = near(n.id);
    const anchor = ns.find((m) => HUB_KINDS.has(m.kind)) ?? ns.find((m) => m.kind === 'vm') ?? ns.find((m) => !SATELLITE_KINDS.has(m.kind) && m.kind !== 'host');
    if (!anchor) continue;
    satelliteOf.set(n.id, anchor.id);
    let l = satellites.get(anchor.id);
    if (!l) satellites.set(anchor.id, (l = []));
    l.push(n);
  }

  const worlds: World[] = ['lan', 'internet', 'virtual'];
  const groupsOf = new Map<World, Group[]>();
  for (const w of worlds) groupsOf.set(w, []);
  const groupByHub = new Map<string, Group>();
  const loose = new Map<World, Group>();
  for (const n of topo.nodes) {
    if (!HUB_KINDS.has(n.kind)) continue;
    const g: Group = { hub: n, members: [], cols: 1, w: 0, h: 0 };
    groupByHub.set(n.id, g);
    (groupsOf.get(n.world) ?? groupsOf.get('virtual'))?.push(g);
  }
  for (const n of topo.nodes) {
    if (HUB_KINDS.has(n.kind) || satelliteOf.has(n.id)) continue;
    const hubs = near(n.id).filter((m) => HUB_KINDS.has(m.kind));
    const hub = hubs.find((m) => m.world === n.world) ?? hubs[0];
    let g = hub ? groupByHub.get(hub.id) : undefined;
    if (!g) {
      g = loose.get(n.world);
      if (!g) {
        g = { hub: null, members: [], cols: 1, w: 0, h: 0 };
        loose.set(n.world, g);
        (groupsOf.get(n.world) ?? groupsOf.get('virtual'))?.push(g);
      }
    }
    g.members.push(n);
  }

  const positions = new Map<string, Point>();
  const drawnIn = new Map<string, World>();
  const boxes: WorldBox[] = [];
  let placing: World = 'lan';
  const place = (id: string, x: number, y: number): void => {
    positions.set(id, { x, y });
    drawnIn.set(id, placing);
    const sats = satellites.get(id);
    if (!sats) return;
    const onHub = HUB_KINDS.has(byId.get(id)?.kind ?? 'vm');
    sats.forEach((s, i) => {
      drawnIn.set(s.id, placing);
      // Beside a switch (its label is above it), in a column to its right; above a VM (its label is below).
      if (onHub) positions.set(s.id, { x: x + CELL_W * 0.8, y: y - CELL_H * 0.35 + i * CELL_H * 0.5 });
      else positions.set(s.id, { x: x + (i - (sats.length - 1) / 2) * (CELL_W * 0.6) + CELL_W * 0.3, y: y - CELL_H * 0.55 });
    });
  };

  const layoutWorld = (w: World, x0: number, y0: number, minWidth = 0): WorldBox => {
    placing = w;
    const groups = groupsOf.get(w) ?? [];
    let area = 0;
    for (const g of groups) {
      g.members.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.id.localeCompare(b.id, 'en', { numeric: true }));
      g.cols = gridColumns(g.members.length);
      const rows = Math.ceil(g.members.length / g.cols);
      const hubSats = g.hub ? (satellites.get(g.hub.id)?.length ?? 0) : 0;
      const memberSats = g.members.some((m) => satellites.has(m.id));
      g.w = Math.max(Math.max(1, g.cols) * CELL_W, hubSats > 0 ? CELL_W * 2 : 0);
      g.h = (g.hub ? CELL_H + Math.max(0, hubSats - 2) * CELL_H * 0.5 : 0) + (memberSats ? CELL_H * 0.6 : 0) + rows * CELL_H * (memberSats ? 1.4 : 1);
      area += (g.w + GROUP_GAP) * (g.h + GROUP_GAP);
    }
    // Groups go left to right on shelves, wrapping so the world stays roughly 16:9.
    const widest = groups.reduce((m, g) => Math.max(m, g.w), 0);
    const maxW = Math.max(widest, Math.sqrt(area * 1.8), minWidth);
    let x = 0;
    let y = 0;
    let shelfH = 0;
    let width = 0;
    for (const g of groups) {
      if (x > 0 && x + g.w > maxW) {
        x = 0;
        y += shelfH + GROUP_GAP;
        shelfH = 0;
      }
      const gx = x0 + x;
      let gy = y0 + y;
      const hubSats = g.hub ? (satellites.get(g.hub.id)?.length ?? 0) : 0;
      if (g.hub) {
        place(g.hub.id, gx + g.w / 2, gy + CELL_H / 2);
        gy += CELL_H + Math.max(0, hubSats - 2) * CELL_H * 0.5;
      }
      const memberSats = g.members.some((m) => satellites.has(m.id));
      if (memberSats) gy += CELL_H * 0.6;
      const rowH = CELL_H * (memberSats ? 1.4 : 1);
      g.members.forEach((m, i) => {
        const col = i % g.cols;
        const row = Math.floor(i / g.cols);
        // A short last row is centred under the hub.
        const inRow = Math.min(g.cols, g.members.length - row * g.cols);
        const offset = ((g.cols - inRow) * CELL_W) / 2;
        place(m.id, gx + offset + col * CELL_W + CELL_W / 2, gy + row * rowH + rowH - CELL_H / 2);
      });
      x += g.w + GROUP_GAP;
      width = Math.max(width, x - GROUP_GAP);
      shelfH = Math.max(shelfH, g.h);
    }
    return { world: w, x: x0, y: y0, w: width, h: groups.length > 0 ? y + shelfH : 0 };
  };

  const lan = layoutWorld('lan', 0, 0);
  const internet = layoutWorld('internet', lan.w > 0 ? lan.w + WORLD_GAP : 0, 0);
  const top = Math.max(lan.h, internet.h);
  // The virtual networks may use the width the LAN and the Internet take above them.
  const virtual = layoutWorld('virtual', 0, top > 0 ? top + WORLD_GAP : 0, internet.w > 0 ? internet.x + internet.w : lan.w);
  for (const b of [lan, internet, virtual]) if (b.h > 0) boxes.push(b);

  // Anything left (a satellite whose anchor was not placed): a row under everything.
  let spare = 0;
  const bottom = Math.max(0, ...boxes.map((b) => b.y + b.h)) + WORLD_GAP;
  for (const n of topo.nodes) {
    if (positions.has(n.id)) continue;
    positions.set(n.id, { x: spare++ * CELL_W + CELL_W / 2, y: bottom });
    drawnIn.set(n.id, n.world);
  }
  return { positions, worlds: boxes, drawnIn };
}
