// The window's entry: the lab window, or with `?bench=N` the topology of N synthetic machines for the benchmark.
import './style.css';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { makeI18n } from './i18n';
import { connectLab } from './api/client';
import { setLabClient } from './api/provide';
import { startStores } from './stores/start';
import { useLabStore } from './stores/lab';

async function startApp(): Promise<void> {
  const pinia = createPinia();
  const app = createApp(App).use(pinia).use(makeI18n());
  app.mount('#app');
  const lab = useLabStore(pinia);
  try {
    setLabClient(
      await connectLab((message) => {
        lab.connectError = message;
      }),
    );
    await startStores();
  } catch (e) {
    lab.connectError = e instanceof Error ? e.message : String(e);
  }
}

const bench = new URLSearchParams(window.location.search).get('bench');
if (bench !== null) {
  const { startBench } = await import('./bench/bench-app');
  startBench(Number(bench) || 1000);
} else {
  await startApp();
}
