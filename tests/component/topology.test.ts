// The topology's layout keeps the three worlds apart and puts each machine under its switch; the graph follows a change of attachment by difference.
import { describe, expect, it } from 'vitest';
import cytoscape from 'cytoscape';
import { computeLayout } from '../../renderer/topology/layout';
import { applyTopology, ATTACHMENT_COLORS, buildElements, graphStyle } from '../../renderer/topology/graph';
import { syntheticTopology } from '../../renderer/bench/synthetic';
import type { Topology } from '../../core/api/dto';
import { defaultLab } from './fake-client';

const label = (w: string) => `world ${w}`;

function boxOf(topo: Topology, ids: string[]): { minX: number; maxX: number; minY: number; maxY: number } {
  const { positions } = computeLayout(topo);
  const ps = ids.map((id) => positions.get(id) ?? { x: NaN, y: NaN });
  return { minX: Math.min(...ps.map((p) => p.x)), maxX: Math.max(...ps.map((p) => p.x)), minY: Math.min(...ps.map((p) => p.y)), maxY: Math.max(...ps.map((p) => p.y)) };
}

describe('the layout', () => {
  const topo = defaultLab().topology;
  const { positions, drawnIn, worlds } = computeLayout(topo);

  it('places every node, no two on the same spot', () => {
    expect(positions.size).toBe(topo.nodes.length);
    const spots = new Set([...positions.values()].map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(topo.nodes.length);
  });

  it('keeps the host’s LAN on the left, the Internet on its right and the virtual networks below', () => {
    const lan = boxOf(topo, ['host', 'router', 'pc', 'net:lan']);
    const internet = boxOf(topo, ['dns', 'web', 'net:internet']);
    const virtual = boxOf(
      topo,
      topo.nodes.filter((n) => drawnIn.get(n.id) === 'virtual').map((n) => n.id),
    );
    expect(internet.minX).toBeGreaterThan(lan.maxX);
    expect(virtual.minY).toBeGreaterThan(Math.max(lan.maxY, internet.maxY));
    expect(worlds.map((w) => w.world)).toEqual(['lan', 'internet', 'virtual']);
  });

  it('puts machines under their switch and a bridged VM on the host’s LAN', () => {
    const sw = positions.get('net:lan');
    for (const id of ['host', 'router', 'pc', 'vm2']) expect(positions.get(id)?.y).toBeGreaterThan(sw?.y ?? Infinity);
    expect(drawnIn.get('vm2')).toBe('lan');
    expect(drawnIn.get('vm3')).toBe('virtual');
    // The router goes last in its row, toward the Internet.
    const row = ['host', 'pc', 'vm2', 'router'].map((id) => positions.get(id)?.x ?? NaN);
    expect(Math.max(...row)).toBe(positions.get('router')?.x);
  });

  it('keeps a service box beside what it serves', () => {
    const nat = topo.nodes.find((n) => n.kind === 'nat');
    expect(nat).toBeDefined();
    const vm1 = positions.get('vm1');
    const p = positions.get(nat?.id ?? '');
    expect(Math.hypot((p?.x ?? 0) - (vm1?.x ?? 0), (p?.y ?? 0) - (vm1?.y ?? 0))).toBeLessThan(150);
  });

  it('lays out 1,000 machines in a few milliseconds, in a roughly screen-shaped area', () => {
    const big = syntheticTopology(1000);
    const t0 = performance.now();
    const l = computeLayout(big);
    const ms = performance.now() - t0;
    expect(l.positions.size).toBe(big.nodes.length);
    expect(ms).toBeLessThan(200);
    const virtual = l.worlds.find((w) => w.world === 'virtual');
    expect(virtual).toBeDefined();
    const ratio = (virtual?.w ?? 0) / (virtual?.h ?? 1);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(4);
  });
});

describe('the graph', () => {
  function graph(topo: Topology) {
    const cy = cytoscape({ headless: true, styleEnabled: true, style: graphStyle(false) });
    cy.add(buildElements(topo, computeLayout(topo), label));
    return cy;
  }

  it('has a node per machine and an edge per cable, coloured by attachment, inside the world boxes', () => {
    const topo = defaultLab().topology;
    const cy = graph(topo);
    expect(cy.nodes().not('.world').length).toBe(topo.nodes.length);
    expect(cy.nodes('.world').map((n) => n.id())).toEqual(['world:lan', 'world:internet', 'world:virtual']);
    expect(cy.edges().length).toBe(topo.edges.length);
    const e = cy.getElementById('edge:vm3.eth0');
    expect(e.data('attachment')).toBe('hostonly');
    expect(e.data('color')).toBe(ATTACHMENT_COLORS.hostonly);
    expect(cy.getElementById('vm2').data('area')).toBe('lan');
    expect(cy.getElementById('world:virtual').data('display')).toBe('world virtual');
  });

  it('follows vm1 from NAT to Bridged Adapter by difference, keeping what did not change', () => {
    const before = defaultLab().topology;
    const cy = graph(before);
    const host = cy.getElementById('host');
    const kept = cy.getElementById('edge:vm3.eth0');
    host.position({ x: -500, y: -500 });
    const natId = before.nodes.find((n) => n.kind === 'nat' && n.id.includes('vm1'))?.id ?? '';
    const after: Topology = {
      nodes: before.nodes.filter((n) => n.id !== natId).map((n) => (n.id === 'vm1' ? { ...n, addresses: ['192.168.1.103/24'] } : n)),
      edges: [
        ...before.edges.filter((e) => e.source !== natId && e.target !== natId && e.id !== 'vm1.eth0'),
        { id: 'vm1.eth0', source: 'vm1', target: 'net:lan', attachment: 'bridged', label: 'Bridged Adapter (eth0)', connected: true },
      ],
    };
    applyTopology(cy, after, computeLayout(after), label, new Set(['host']));
    expect(cy.getElementById(natId).empty()).toBe(true);
    const edge = cy.getElementById('edge:vm1.eth0');
    expect(edge.target().id()).toBe('net:lan');
    expect(edge.data('color')).toBe(ATTACHMENT_COLORS.bridged);
    expect(cy.getElementById('vm1').data('display')).toBe('vm1\n192.168.1.103/24');
    expect(cy.getElementById('vm1').data('area')).toBe('lan');
    // The same element objects: nothing was rebuilt that did not change; a node the user moved stays put.
    expect(cy.getElementById('edge:vm3.eth0').same(kept)).toBe(true);
    expect(host.position()).toEqual({ x: -500, y: -500 });
  });

  it('dashes a cable whose adapter is disconnected', () => {
    const topo = defaultLab().topology;
    const cy = graph(topo);
    const next: Topology = { ...topo, edges: topo.edges.map((e) => (e.id === 'vm3.eth0' ? { ...e, connected: false } : e)) };
    applyTopology(cy, next, computeLayout(next), label, new Set());
    expect(cy.getElementById('edge:vm3.eth0').hasClass('disconnected')).toBe(true);
  });
});
