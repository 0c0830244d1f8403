// Mounts a component the way the window does: a fresh Pinia, vue-i18n in the language asked for, and the stores talking to a fake client.
import { mount, flushPromises, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import type { Component } from 'vue';
import { setLabClient } from '../../renderer/api/provide';
import { makeI18n, type AppI18n, type Locale } from '../../renderer/i18n';
import { startStores } from '../../renderer/stores/start';
import { FakeLabClient } from './fake-client';

export interface Mounted {
  wrapper: VueWrapper;
  client: FakeLabClient;
  pinia: Pinia;
  i18n: AppI18n;
}

export async function mountWith(component: Component, options: { client?: FakeLabClient; locale?: Locale; props?: Record<string, unknown>; start?: boolean } = {}): Promise<Mounted> {
  const client = options.client ?? new FakeLabClient();
  setLabClient(client);
  const pinia = createPinia();
  setActivePinia(pinia);
  const i18n = makeI18n(options.locale ?? 'en');
  if (options.start !== false) await startStores();
  const wrapper = mount(component, { props: options.props ?? {}, global: { plugins: [pinia, i18n] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, client, pinia, i18n };
}

export { flushPromises };
