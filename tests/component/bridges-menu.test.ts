// @vitest-environment happy-dom
// A network's context menu in the topology (right-click, or Shift+F10 / the context-menu key on the selected node) attaches it to a TAP device or a UDP tunnel, with checked forms and the host's reasons; bridged nodes wear a badge.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Core } from 'cytoscape';
import TopologyView from '../../renderer/topology/TopologyView.vue';
import NetworkMenu from '../../renderer/topology/NetworkMenu.vue';
import { badgeText, checkHost, checkIfname, checkPort, whereOf } from '../../renderer/topology/bridge-form';
import { useLabStore } from '../../renderer/stores/lab';
import { FakeLabClient } from './fake-client';
import { bridgeInfo, withBridges } from './bridges-fake';
import { flushPromises, mountWith, type Mounted } from './mount';

// happy-dom has no 2D canvas: the graph runs headless, the rest of the view as in the window.
const graphs: Core[] = [];
vi.mock('cytoscape', async (importOriginal) => {
  const real = ((await importOriginal()) as { default: (o: object) => Core }).default;
  return {
    default: (o: object): Core => {
      const cy = real({ ...o, container: undefined, headless: true, styleEnabled: true });
      graphs.push(cy);
      return cy;
    },
  };
});

let m: Mounted | null = null;
beforeEach(() => {
  graphs.length = 0;
});
afterEach(() => {
  m?.wrapper.unmount();
  m = null;
});

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await flushPromises();
  }
}

async function topologyWith(client = new FakeLabClient(), locale: 'en' | 'zh-CN' = 'en'): Promise<{ cy: Core; client: FakeLabClient }> {
  m = await mountWith(TopologyView, { client, locale });
  // Cytoscape is loaded on demand: the first time takes a while.
  for (let i = 0; i < 200 && graphs.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  await settle();
  const cy = graphs[graphs.length - 1];
  if (!cy) throw new Error('the topology made no graph');
  return { cy, client };
}

const menu = () => document.querySelector<HTMLElement>('[data-testid=network-menu]');
const items = () => [...(menu()?.querySelectorAll<HTMLButtonElement>('[role=menuitem]') ?? [])];

describe('a network’s context menu', () => {
  it('opens on a right-click of a network, offering TAP and UDP, and none on a machine', async () => {
    const { cy } = await topologyWith();
    cy.getElementById('vm1').emit('cxttap');
    await settle();
    expect(menu()).toBeNull();
    cy.getElementById('net:lan').emit('cxttap');
    await settle();
    expect(menu()?.getAttribute('role')).toBe('menu');
    expect(menu()?.getAttribute('aria-label')).toBe('Actions for lan');
    expect(items().map((b) => b.textContent?.trim())).toEqual(['Attach to TAP Device…', 'Attach to UDP Tunnel…']);
    // Focus goes into the menu; the node is selected, as a right-click does.
    expect(document.activeElement).toBe(items()[0]);
    expect(useLabStore().selected).toBe('net:lan');
  });

  it('opens from the keyboard: arrows walk to a network, Shift+F10 or the context-menu key opens its menu, Escape closes it', async () => {
    const { client } = await topologyWith();
    const graph = m!.wrapper.find('[data-testid=topology]');
    expect(graph.attributes('tabindex')).toBe('0');
    expect(graph.attributes('aria-keyshortcuts')).toContain('Shift+F10');
    // The first node is the home LAN's switch.
    await graph.trigger('keydown', { key: 'ArrowRight' });
    expect(useLabStore().selected).toBe(client.data.topology.nodes[0].id);
    expect(useLabStore().selected).toBe('net:lan');
    await graph.trigger('keydown', { key: 'F10', shiftKey: true });
    await settle();
    expect(menu()).not.toBeNull();
    menu()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(document.activeElement).toBe(items()[1]);
    menu()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await settle();
    expect(menu()).toBeNull();
    expect(document.activeElement).toBe(graph.element);
    // The host-only network, by the context-menu key.
    useLabStore().select('vnet:vbox-hostonly:vboxnet0');
    await graph.trigger('keydown', { key: 'ContextMenu' });
    await settle();
    expect(menu()?.getAttribute('aria-label')).toBe('Actions for vboxnet0');
    // A machine has no such menu.
    useLabStore().select('router');
    await settle();
    await graph.trigger('keydown', { key: 'ContextMenu' });
    await settle();
    expect(menu()?.getAttribute('aria-label')).not.toBe('Actions for router');
  });

  it('attaches to a UDP tunnel through a form that checks its fields first', async () => {
    const client = new FakeLabClient();
    withBridges(client);
    const { cy } = await topologyWith(client);
    cy.getElementById('net:lan').emit('cxttap');
    await settle();
    items()[1].click();
    await settle();
    const form = m!.wrapper.find('[data-testid=bridge-form-udp]');
    expect(form.attributes('role')).toBe('dialog');
    expect(form.find('h2').text()).toBe('Attach lan to a UDP Tunnel');
    expect(form.text()).toContain('the lab’s clock plays in real time');
    const field = (name: string) => form.find(`input[name=${name}]`);
    expect(form.find(`label[for="${field('localPort').attributes('id')}"]`).text()).toBe('Local port:');
    expect((field('localPort').element as HTMLInputElement).value).toBe('40001');
    await field('localPort').setValue('0');
    await field('remoteHost').setValue('999.1.1.1');
    await field('remotePort').setValue('65536');
    await form.find('[data-testid=bridge-attach]').trigger('click');
    await settle();
    expect(client.callsOf('bridge.attach')).toEqual([]);
    expect(field('localPort').attributes('aria-invalid')).toBe('true');
    expect(form.findAll('[role=alert]').map((a) => a.text())).toEqual(['A port number from 1 to 65535.', 'An IPv4 address (such as 127.0.0.1) or a host name.', 'A port number from 1 to 65535.']);
    await field('localPort').setValue('40001');
    await field('remoteHost').setValue('qemu-host.example');
    await field('remotePort').setValue(' 40002 ');
    await form.find('[data-testid=bridge-attach]').trigger('click');
    await settle();
    expect(client.callsOf('bridge.attach')).toEqual([{ where: 'lan', spec: { kind: 'udp', localPort: 40001, remoteHost: 'qemu-host.example', remotePort: 40002 } }]);
    expect(m!.wrapper.find('[data-testid=bridge-form-udp]').exists()).toBe(false);
    // The node wears its badge, and the view says the clock plays in real time.
    const lan = cy.getElementById('net:lan');
    expect(lan.hasClass('bridged')).toBe(true);
    expect(lan.data('bridgeDisplay')).toBe('lan\n⇄ udp:40001→qemu-host.example:40002 ↓0 ↑0');
    expect(m!.wrapper.find('[data-testid=bridges-realtime]').text()).toContain('Clock in real time while bridged');
    expect(m!.wrapper.find('[data-testid=topology]').attributes('aria-label')).toContain('lan bridged to udp:40001→qemu-host.example:40002 (Attached)');
  });

  it('shows the host’s reason and the command that makes a missing TAP device', async () => {
    const client = new FakeLabClient();
    const command = 'sudo ip tuntap add dev vmnetlab0 mode tap user $USER && sudo ip link set vmnetlab0 up';
    const reason = 'there is no network device vmnetlab0; create the TAP device once';
    client.answer('bridge.attach', () => ({ ok: false, error: { code: 'failed', message: `${reason}: ${command}`, problems: [{ path: '$.spec', message: reason, hint: command }] } }));
    const { cy } = await topologyWith(client);
    cy.getElementById('net:lan').emit('cxttap');
    await settle();
    items()[0].click();
    await settle();
    const form = m!.wrapper.find('[data-testid=bridge-form-tap]');
    expect(form.find('h2').text()).toBe('Attach lan to a TAP Device');
    const ifname = form.find('input[name=ifname]');
    expect((ifname.element as HTMLInputElement).value).toBe('vmnetlab0');
    await ifname.setValue('bad/name');
    await ifname.trigger('blur');
    expect(form.find('[role=alert]').text()).toBe('Up to 15 letters, digits, dots, underscores or hyphens, starting with a letter or digit.');
    await ifname.setValue('vmnetlab0');
    await form.find('form').trigger('submit');
    await settle();
    expect(client.callsOf('bridge.attach')).toEqual([{ where: 'lan', spec: { kind: 'tap', ifname: 'vmnetlab0' } }]);
    const failure = m!.wrapper.find('[data-testid=bridge-failure]');
    expect(failure.attributes('role')).toBe('alert');
    expect(failure.find('p').text()).toBe(`Cannot attach: ${reason}`);
    expect(failure.find('pre').text()).toBe(command);
    // The form stays for another try; nothing was attached.
    expect(m!.wrapper.find('[data-testid=bridge-form-tap]').exists()).toBe(true);
    expect(cy.getElementById('net:lan').hasClass('bridged')).toBe(false);
  });

  it('offers Detach for each bridge on the network, and the badge follows the counters and a failure', async () => {
    const client = new FakeLabClient();
    const fake = withBridges(client, [bridgeInfo({ id: 'bridge-1' }), bridgeInfo({ id: 'bridge-2', kind: 'tap', label: 'tap:vmnetlab0', target: 'vmnetlab0' })]);
    const { cy } = await topologyWith(client);
    const lan = cy.getElementById('net:lan');
    expect(lan.data('bridgeDisplay')).toBe('lan\n⇄ 2× ↓0 ↑0');
    client.emit('bridge.changed', [bridgeInfo({ id: 'bridge-1', counters: { framesIn: 12, bytesIn: 720, framesOut: 15_300, bytesOut: 9000, malformed: 0, dropped: 0 } }), bridgeInfo({ id: 'bridge-2', label: 'tap:vmnetlab0', state: 'failed', error: 'vmnetlab0 was deleted' })]);
    await settle();
    expect(lan.data('bridgeDisplay')).toBe('lan\n⚠ ⇄ 2× ↓12 ↑15.3k');
    expect(lan.hasClass('bridge-failed')).toBe(true);
    lan.emit('cxttap');
    await settle();
    expect(items().map((b) => b.textContent?.trim())).toEqual(['Attach to TAP Device…', 'Attach to UDP Tunnel…', 'Detach udp:40001→127.0.0.1:40002', 'Detach tap:vmnetlab0']);
    items()[3].click();
    await settle();
    expect(client.callsOf('bridge.detach')).toEqual([{ id: 'bridge-2' }]);
    expect(fake.list().map((b) => b.id)).toEqual(['bridge-1']);
    expect(menu()).toBeNull();
    expect(lan.data('bridgeDisplay')).toBe('lan\n⇄ udp:40001→127.0.0.1:40002 ↓0 ↑0');
    client.emit('bridge.changed', []);
    await settle();
    expect(lan.hasClass('bridged')).toBe(false);
    expect(m!.wrapper.find('[data-testid=bridges-realtime]').exists()).toBe(false);
  });

  it('speaks 简体中文', async () => {
    m = await mountWith(NetworkMenu, { locale: 'zh-CN', props: { node: 'net:lan', name: 'lan', where: 'lan', x: 10, y: 10 } });
    await settle();
    expect(menu()?.getAttribute('aria-label')).toBe('lan 的操作');
    expect(items().map((b) => b.textContent?.trim())).toEqual(['连接到 TAP 设备…', '连接到 UDP 隧道…']);
    items()[1].click();
    await settle();
    expect(m.wrapper.find('h2').text()).toBe('将 lan 连接到 UDP 隧道');
    expect(m.wrapper.find('label').text()).toBe('本地端口:');
  });
});

describe('the forms’ checks', () => {
  it('take what the host’s schema takes', () => {
    expect(checkIfname('vmnetlab0')).toBeNull();
    expect(checkIfname('tap.lab-1_a')).toBeNull();
    for (const bad of ['', '-tap', 'a'.repeat(16), 'eth0/x', 'tap 0', 'tap:0']) expect(checkIfname(bad), bad).toBe('ifname');
    for (const good of ['1', '40001', '65535']) expect(checkPort(good), good).toBeNull();
    for (const bad of ['0', '65536', '1.5', '-1', 'x', '']) expect(checkPort(bad), bad).toBe('port');
    for (const good of ['127.0.0.1', '10.0.2.2', 'localhost', 'qemu-host.example']) expect(checkHost(good), good).toBeNull();
    for (const bad of ['999.1.1.1', '1.2.3', 'host name', '-x.example', `${'a'.repeat(64)}.example`, '']) expect(checkHost(bad), bad).toBe('host');
  });

  it('name networks as the host knows them, and nothing else', () => {
    expect(whereOf({ id: 'net:lan', kind: 'switch' })).toBe('lan');
    expect(whereOf({ id: 'net:internet', kind: 'internet' })).toBe('internet');
    expect(whereOf({ id: 'vnet:vbox-hostonly:vboxnet0', kind: 'switch' })).toBe('vbox-hostonly:vboxnet0');
    expect(whereOf({ id: 'vm1', kind: 'vm' })).toBeNull();
    expect(whereOf({ id: 'nat:vbox-nat:vm1:1', kind: 'nat' })).toBeNull();
    expect(badgeText([])).toBe('');
  });
});
