// @vitest-environment happy-dom
// The "Bridges" inspector tab: each bridge with its network, TAP device or tunnel, state and counters as `bridge.changed` brings them, a Detach button, and the note that the clock plays in real time.
import { afterEach, describe, expect, it } from 'vitest';
import BridgesTable from '../../renderer/inspect/BridgesTable.vue';
import InspectorTabs from '../../renderer/inspect/InspectorTabs.vue';
import { useBridgesStore } from '../../renderer/stores/bridges';
import { FakeLabClient } from './fake-client';
import { bridgeInfo, withBridges } from './bridges-fake';
import { flushPromises, mountWith, type Mounted } from './mount';

let m: Mounted | null = null;
afterEach(() => {
  m?.wrapper.unmount();
  m = null;
});

function rows(root: Element): string[][] {
  return [...root.querySelectorAll('tbody tr[data-bridge]')].map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? ''));
}

const udp = bridgeInfo({ id: 'bridge-1' });
const tap = bridgeInfo({ id: 'bridge-2', where: 'vbox-hostonly:vboxnet0', node: 'vnet:vbox-hostonly:vboxnet0', kind: 'tap', target: 'vmnetlab0', label: 'tap:vmnetlab0', link: 'tap-vmnetlab0.vbox-hostonly:vboxnet0' });

describe('the Bridges tab', () => {
  it('says how to attach when nothing is', async () => {
    m = await mountWith(BridgesTable);
    expect(m.wrapper.find('[data-testid=bridges]').text()).toContain('Right-click a network in the topology (or select it and press Shift+F10)');
    expect(m.wrapper.find('table').exists()).toBe(false);
  });

  it('lists each bridge by the network’s shown name, with state and counters, and follows bridge.changed', async () => {
    const client = new FakeLabClient();
    withBridges(client, [udp, tap]);
    m = await mountWith(BridgesTable, { client });
    expect([...m.wrapper.element.querySelectorAll('thead th')].map((th) => th.textContent?.trim())).toEqual(['Network', 'Bridge', 'State', 'Frames In', 'Frames Out', 'Malformed', 'Dropped', 'Actions']);
    expect(rows(m.wrapper.element)).toEqual([
      ['lan', 'udp:40001→127.0.0.1:40002', 'Attached', '0', '0', '0', '0', 'Detach'],
      ['vboxnet0', 'tap:vmnetlab0', 'Attached', '0', '0', '0', '0', 'Detach'],
    ]);
    expect(m.wrapper.find('[role=note]').text()).toContain('the lab’s clock plays in real time (1×)');
    client.emit('bridge.changed', [
      { ...udp, counters: { framesIn: 3, bytesIn: 180, framesOut: 41, bytesOut: 4000, malformed: 1, dropped: 2 } },
      { ...tap, state: 'failed', error: 'tap:vmnetlab0: read failed (ENODEV); no more frames come from vmnetlab0', warnings: ['vmnetlab0 is down on the host side'] },
    ]);
    await flushPromises();
    expect(rows(m.wrapper.element)).toEqual([
      ['lan', 'udp:40001→127.0.0.1:40002', 'Attached', '3', '41', '1', '2', 'Detach'],
      ['vboxnet0', 'tap:vmnetlab0', 'Failed', '0', '0', '0', '0', 'Detach'],
    ]);
    expect(m.wrapper.find('tr.failed').attributes('data-bridge')).toBe('bridge-2');
    expect(m.wrapper.find('.detail [role=alert]').text()).toMatch(/ENODEV/);
    expect(m.wrapper.find('.detail .warning').text()).toBe('vmnetlab0 is down on the host side');
  });

  it('detaches by its button, labelled for a screen reader', async () => {
    const client = new FakeLabClient();
    const fake = withBridges(client, [udp, tap]);
    m = await mountWith(BridgesTable, { client });
    const button = m.wrapper.find('[data-testid=detach-bridge-1]');
    expect(button.attributes('aria-label')).toBe('Detach udp:40001→127.0.0.1:40002 from lan');
    await button.trigger('click');
    await flushPromises();
    expect(client.callsOf('bridge.detach')).toEqual([{ id: 'bridge-1' }]);
    expect(fake.list()).toEqual([tap]);
    expect(rows(m.wrapper.element).map((r) => r[1])).toEqual(['tap:vmnetlab0']);
    // One already gone (another lab was opened): the error shows and the list is fetched again.
    client.emit('bridge.changed', [udp, tap]);
    await flushPromises();
    await m.wrapper.find('[data-testid=detach-bridge-1]').trigger('click');
    await flushPromises();
    expect(m.wrapper.find('.bridges > [role=alert]').text()).toBe("there is no bridge 'bridge-1'");
    expect(rows(m.wrapper.element).map((r) => r[1])).toEqual(['tap:vmnetlab0']);
  });

  it('is the last inspector tab, reached with End, in English and 简体中文', async () => {
    const client = new FakeLabClient();
    withBridges(client, [udp]);
    m = await mountWith(InspectorTabs, { client });
    await m.wrapper.find('[role=tablist]').trigger('keydown', { key: 'End' });
    const tab = m.wrapper.find('[data-testid=tab-bridges]');
    expect(tab.text()).toBe('Bridges');
    expect(tab.attributes('aria-selected')).toBe('true');
    expect(m.wrapper.find('[role=tabpanel]').attributes('aria-labelledby')).toBe('tab-bridges');
    expect(rows(m.wrapper.element)).toHaveLength(1);
    m.wrapper.unmount();
    m = await mountWith(InspectorTabs, { client, locale: 'zh-CN', props: { initial: 'bridges' } });
    expect(m.wrapper.find('[data-testid=tab-bridges]').text()).toBe('桥接');
    expect(rows(m.wrapper.element)[0].slice(2, 3)).toEqual(['已连接']);
    expect(m.wrapper.find('[data-testid=detach-bridge-1]').attributes('aria-label')).toBe('将 udp:40001→127.0.0.1:40002 从 lan 断开');
  });

  it('starts with the lab’s stores and keeps one subscription', async () => {
    const client = new FakeLabClient();
    withBridges(client, [udp]);
    m = await mountWith(BridgesTable, { client });
    expect(client.callsOf('bridge.list')).toHaveLength(1);
    expect(client.listenerCount('bridge.changed')).toBe(1);
    await useBridgesStore().start();
    expect(client.listenerCount('bridge.changed')).toBe(1);
    useBridgesStore().stop();
    expect(client.listenerCount('bridge.changed')).toBe(0);
  });
});
