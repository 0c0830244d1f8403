// The Cytoscape side of the topology: element definitions, the style sheet, colours by attachment, and updates by difference in one batch.
import type { Core, ElementDefinition, StylesheetJson } from 'cytoscape';
import type { BridgeInfo, Topology } from '../../core/api/dto';
import { badgeText } from './bridge-form';
import type { Layout, WorldBox } from './layout';

type TopologyNode = Topology['nodes'][number];
type TopologyEdge = Topology['edges'][number];
export type Attachment = TopologyEdge['attachment'];
type World = TopologyNode['world'];

/** One colour per way of being attached; the legend shows the same. */
export const ATTACHMENT_COLORS: Record<Attachment, string> = {
  lan: '#64748b',
  internet: '#1e3a8a',
  nat: '#ea580c',
  natnetwork: '#b45309',
  bridged: '#16a34a',
  hostonly: '#7c3aed',
  internal: '#0d9488',
  vmnet: '#2563eb',
  lansegment: '#db2777',
  'host-adapter': '#a855f7',
  service: '#94a3b8',
};

export const ATTACHMENT_ORDER: readonly Attachment[] = ['lan', 'internet', 'nat', 'natnetwork', 'bridged', 'hostonly', 'internal', 'vmnet', 'lansegment', 'host-adapter', 'service'];

const KIND_COLORS: Record<TopologyNode['kind'], string> = {
  host: '#0f766e',
  router: '#b91c1c',
  pc: '#475569',
  server: '#334155',
  vm: '#2563eb',
  switch: '#e2e8f0',
  nat: '#fdba74',
  dhcp: '#bbf7d0',
  internet: '#dbeafe',
  world: '#f1f5f9',
};

/** Frame colours by protocol, as Wireshark's colouring rules suggest them. */
export function protocolColor(protocol: string): string {
  const p = protocol.toUpperCase();
  if (p.includes('ARP')) return '#facc15';
  if (p.includes('DHCP') || p.includes('BOOTP')) return '#22c55e';
  if (p.includes('DNS')) return '#38bdf8';
  if (p.includes('ICMP')) return '#f472b6';
  if (p.includes('HTTP')) return '#84cc16';
  if (p.includes('TCP')) return '#a78bfa';
  if (p.includes('UDP')) return '#60a5fa';
  return '#f97316';
}

const worldId = (w: World): string => `world:${w}`;

function nodeDisplay(n: TopologyNode): string {
  return n.addresses.length === 0 ? n.label : `${n.label}\n${n.addresses.slice(0, 2).join('\n')}${n.addresses.length > 2 ? '\n…' : ''}`;
}

function nodeData(n: TopologyNode, area: World): ElementDefinition['data'] {
  return { id: n.id, kind: n.kind, world: n.world, area, display: nodeDisplay(n), color: KIND_COLORS[n.kind] };
}

/** Frames behind each world: plain nodes the size of the world's box, not compound parents (whose upkeep grows with their children). */
const FRAME_PAD = 50;

function frameElement(w: WorldBox, worldLabel: (w: World) => string): ElementDefinition {
  return {
    group: 'nodes',
    data: { id: worldId(w.world), display: worldLabel(w.world), world: w.world, width: w.w + 2 * FRAME_PAD, height: w.h + 2 * FRAME_PAD },
    position: { x: w.x + w.w / 2, y: w.y + w.h / 2 },
    classes: 'world',
    selectable: false,
    grabbable: false,
  };
}

function edgeData(e: TopologyEdge): ElementDefinition['data'] {
  return { id: `edge:${e.id}`, link: e.id, source: e.source, target: e.target, attachment: e.attachment, label: e.label, color: ATTACHMENT_COLORS[e.attachment] ?? '#64748b' };
}

/** Every element of a topology, positions included, to be added in one call. */
export function buildElements(topo: Topology, layout: Layout, worldLabel: (w: World) => string): ElementDefinition[] {
  const out: ElementDefinition[] = [];
  for (const w of layout.worlds) out.push(frameElement(w, worldLabel));
  for (const n of topo.nodes) {
    const data = nodeData(n, layout.drawnIn.get(n.id) ?? n.world);
    out.push({ group: 'nodes', data, position: { ...(layout.positions.get(n.id) ?? { x: 0, y: 0 }) } });
  }
  for (const e of topo.edges) out.push({ group: 'edges', data: edgeData(e), classes: e.connected ? '' : 'disconnected' });
  return out;
}

/** Applies the difference between two topologies to the graph in one batch; nodes the user dragged keep their place. */
export function applyTopology(cy: Core, next: Topology, layout: Layout, worldLabel: (w: World) => string, pinned: ReadonlySet<string>): void {
  cy.batch(() => {
    const wanted = new Set<string>();
    for (const w of layout.worlds) {
      const def = frameElement(w, worldLabel);
      const id = worldId(w.world);
      wanted.add(id);
      const el = cy.getElementById(id);
      if (el.empty()) cy.add(def);
      else {
        el.data({ width: def.data.width, height: def.data.height });
        el.position({ ...(def.position ?? { x: 0, y: 0 }) });
      }
    }
    for (const n of next.nodes) {
      wanted.add(n.id);
      const data = nodeData(n, layout.drawnIn.get(n.id) ?? n.world);
      const el = cy.getElementById(n.id);
      const pos = layout.positions.get(n.id) ?? { x: 0, y: 0 };
      if (el.empty()) {
        cy.add({ group: 'nodes', data, position: { ...pos } });
        continue;
      }
      if (el.data('display') !== data.display || el.data('kind') !== data.kind || el.data('area') !== data.area) el.data({ display: data.display, kind: data.kind, color: data.color, area: data.area });
      if (!pinned.has(n.id)) {
        const p = el.position();
        if (p.x !== pos.x || p.y !== pos.y) el.position({ ...pos });
      }
    }
    for (const e of next.edges) {
      const data = edgeData(e);
      const id = data.id as string;
      wanted.add(id);
      const el = cy.getElementById(id);
      if (!el.empty() && (el.data('source') !== e.source || el.data('target') !== e.target)) el.remove();
      const cur = cy.getElementById(id);
      if (cur.empty()) {
        cy.add({ group: 'edges', data, classes: e.connected ? '' : 'disconnected' });
        continue;
      }
      if (cur.data('label') !== e.label || cur.data('attachment') !== e.attachment) cur.data({ label: e.label, attachment: e.attachment, color: data.color });
      if (cur.hasClass('disconnected') === e.connected) cur.toggleClass('disconnected', !e.connected);
    }
    // Frames in flight are not part of the lab.
    cy.elements().forEach((el) => {
      if (!wanted.has(el.id()) && !el.hasClass('packet')) el.remove();
    });
  });
}

/**
 * Marks the nodes that real machines are bridged to: a green double border (red when one failed) and a
 * line under the name with the bridge and its frame counters. Call after every topology update, since a
 * node's name line may have changed.
 */
export function applyBridges(cy: Core, byNode: ReadonlyMap<string, readonly BridgeInfo[]>): void {
  cy.batch(() => {
    cy.nodes('.bridged').forEach((n) => {
      if (!byNode.has(n.id())) n.removeClass('bridged bridge-failed');
    });
    for (const [id, list] of byNode) {
      const n = cy.getElementById(id);
      if (n.empty() || list.length === 0) continue;
      const display = `${n.data('display') as string}\n${badgeText(list)}`;
      if (n.data('bridgeDisplay') !== display) n.data('bridgeDisplay', display);
      if (!n.hasClass('bridged')) n.addClass('bridged');
      const failed = list.some((b) => b.state === 'failed');
      if (n.hasClass('bridge-failed') !== failed) n.toggleClass('bridge-failed', failed);
    }
  });
}

/** From this zoom up, a big lab's nodes show their names and addresses. */
export const LABEL_ZOOM = 0.7;

/** The style sheet; `big` lightens what costs on a graph of hundreds of machines. */
export function graphStyle(big: boolean): StylesheetJson {
  const font = {
    'text-wrap': 'wrap',
    'text-halign': 'center',
    'font-size': big ? 11 : 12,
    'font-family': 'system-ui, sans-serif',
    color: '#0f172a',
    'min-zoomed-font-size': big ? 9 : 5,
  } as const;
  const text = { ...font, label: 'data(display)', 'text-valign': 'bottom', 'text-margin-y': 4 } as const;
  return [
    {
      selector: 'node',
      style: {
        // A big lab names its nodes only when zoomed in enough to read them (class `labelled`): styling and measuring a thousand labels costs the first frame.
        ...(big ? {} : text),
        'background-color': 'data(color)',
        'border-width': 1,
        'border-color': '#1e293b',
        width: 30,
        height: 30,
        shape: 'round-rectangle',
      },
    },
    ...(big ? [{ selector: 'node.labelled', style: text }] : []),
    { selector: 'node[kind = "vm"]', style: { shape: 'round-rectangle', width: 36, height: 26 } },
    { selector: 'node[kind = "host"]', style: { shape: 'rectangle', width: 40, height: 28 } },
    { selector: 'node[kind = "router"]', style: { shape: 'ellipse', width: 34, height: 34 } },
    { selector: 'node[kind = "switch"]', style: { shape: 'rectangle', width: 60, height: 16, 'text-valign': 'top', 'text-margin-y': -4 } },
    { selector: 'node[kind = "internet"]', style: { shape: 'ellipse', width: 90, height: 50, 'text-valign': 'center', 'text-margin-y': 0 } },
    { selector: 'node[kind = "nat"]', style: { shape: 'hexagon', width: 30, height: 24, 'font-size': 9 } },
    { selector: 'node[kind = "dhcp"]', style: { shape: 'barrel', width: 30, height: 24, 'font-size': 9 } },
    // A bridge to a real machine shows whatever the size of the lab: there are few of them.
    { selector: 'node.bridged', style: { ...font, label: 'data(bridgeDisplay)', 'border-width': 3, 'border-style': 'double', 'border-color': '#16a34a' } },
    { selector: 'node.bridge-failed', style: { 'border-color': '#dc2626' } },
    {
      selector: 'node.world',
      style: {
        label: 'data(display)',
        width: 'data(width)',
        height: 'data(height)',
        events: 'no',
        shape: 'round-rectangle',
        // Frames are nodes, drawn above the cables: a light wash keeps the cables visible through them.
        'background-color': '#e2e8f0',
        'background-opacity': 0.25,
        'border-width': 1,
        'border-style': 'dashed',
        'border-color': '#94a3b8',
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -6,
        'font-size': 16,
        'font-weight': 'bold',
        color: '#475569',
        'min-zoomed-font-size': 4,
      },
    },
    {
      selector: 'node:selected',
      style: { 'border-width': 3, 'border-color': '#f59e0b', 'underlay-color': '#fde68a', 'underlay-opacity': 0.7, 'underlay-padding': 6 },
    },
    {
      selector: 'edge',
      style: big
        ? // A big lab draws plain straight lines: no labels (unreadable at that zoom anyway) and the cheapest curve.
          { width: 1.5, 'line-color': 'data(color)', 'curve-style': 'haystack', 'haystack-radius': 0 }
        : {
            width: 2,
            'line-color': 'data(color)',
            'curve-style': 'straight',
            label: 'data(label)',
            'font-size': 10,
            'font-family': 'system-ui, sans-serif',
            color: '#334155',
            'text-rotation': 'autorotate',
            'text-background-color': '#ffffff',
            'text-background-opacity': 0.85,
            'text-background-padding': '1px',
            'min-zoomed-font-size': 5,
          },
    },
    { selector: 'edge[attachment = "service"]', style: { 'line-style': 'dotted', width: 1.5 } },
    { selector: 'edge[attachment = "host-adapter"]', style: { 'line-style': 'dashed' } },
    { selector: 'edge.disconnected', style: { 'line-style': 'dashed', 'line-dash-pattern': [4, 4], opacity: 0.45 } },
    { selector: 'edge.capturing', style: { 'underlay-color': '#fbbf24', 'underlay-opacity': 0.45, 'underlay-padding': 4 } },
    {
      selector: 'node.packet',
      style: { width: 12, height: 12, shape: 'round-rectangle', 'background-color': 'data(color)', 'border-width': 1, 'border-color': '#0f172a', label: '', events: 'no', 'z-index': 10 },
    },
  ];
}
