// `?bench=N`: mounts the topology of N synthetic machines without a lab host and publishes timings on `window.__vmnetlabBench`.
import { createApp, h } from 'vue';
import { createPinia } from 'pinia';
import { makeI18n } from '../i18n';
import { useLabStore } from '../stores/lab';
import BenchApp from './BenchApp.vue';
import { syntheticTopology } from './synthetic';

export interface BenchReport {
  machines: number;
  nodes: number;
  edges: number;
  /** Milliseconds from navigation start to the first frame with the graph drawn. */
  firstFrameMs: number | null;
  /** How many times Cytoscape has drawn the graph (panning redraws it). */
  renders: number;
}

export function startBench(machines: number): void {
  const report: BenchReport = { machines, nodes: 0, edges: 0, firstFrameMs: null, renders: 0 };
  (window as unknown as { __vmnetlabBench: BenchReport }).__vmnetlabBench = report;
  const pinia = createPinia();
  const topo = syntheticTopology(machines);
  report.nodes = topo.nodes.length;
  report.edges = topo.edges.length;
  const app = createApp({ render: () => h(BenchApp, { onDrawn: (ms: number) => (report.firstFrameMs = ms), onRendered: () => report.renders++ }) });
  app.use(pinia).use(makeI18n('en'));
  useLabStore(pinia).topology = topo;
  app.mount('#app');
}
