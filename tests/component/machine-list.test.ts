// @vitest-environment happy-dom
// The machine list reads like the VirtualBox Manager and is where "Settings…" starts, by button, context menu, double-click or Enter.
import { afterEach, describe, expect, it } from 'vitest';
import MachineList from '../../renderer/machines/MachineList.vue';
import { useLabStore } from '../../renderer/stores/lab';
import { useTerminalStore } from '../../renderer/stores/terminal';
import { FakeLabClient } from './fake-client';
import { flushPromises, mountWith, type Mounted } from './mount';

let m: Mounted | null = null;
afterEach(() => {
  m?.wrapper.unmount();
  m = null;
});

describe('the machine list', () => {
  it('shows every machine with its state and addresses', async () => {
    m = await mountWith(MachineList);
    const names = m.wrapper.findAll('[role=option] .name').map((n) => n.text());
    expect(names).toEqual(['host', 'router', 'pc', 'dns', 'web', 'vm1', 'vm2', 'vm3']);
    const vm1 = m.wrapper.find('[data-testid=machine-vm1]');
    expect(vm1.find('.state').text()).toBe('Running · VirtualBox');
    expect(vm1.find('.addresses').text()).toBe('eth0 10.0.2.15/24');
    expect(m.wrapper.find('[data-testid=machine-router] .addresses').text()).toBe('lan 192.168.1.1/24, wan 203.0.113.2/24');
  });

  it('shows a powered-off VM as such, without addresses', async () => {
    const client = new FakeLabClient();
    client.data.machines = client.data.machines.map((x) => (x.name === 'vm3' ? { ...x, state: 'powered off', addresses: [] } : x));
    m = await mountWith(MachineList, { client });
    const vm3 = m.wrapper.find('[data-testid=machine-vm3]');
    expect(vm3.find('.state').text()).toContain('Powered Off');
    expect(vm3.find('.addresses').text()).toBe('no address');
  });

  it('selects by click, and shares the selection with the store the topology reads', async () => {
    m = await mountWith(MachineList);
    await m.wrapper.find('[data-testid=machine-vm2]').trigger('click');
    expect(useLabStore().selected).toBe('vm2');
    expect(m.wrapper.find('[data-testid=machine-vm2]').attributes('aria-selected')).toBe('true');
    useLabStore().select('router');
    await flushPromises();
    expect(m.wrapper.find('[data-testid=machine-router]').attributes('aria-selected')).toBe('true');
  });

  it('opens a VM’s settings on double-click, and not a physical machine’s', async () => {
    m = await mountWith(MachineList);
    await m.wrapper.find('[data-testid=machine-router]').trigger('dblclick');
    expect(useLabStore().dialog).toBeNull();
    await m.wrapper.find('[data-testid=machine-vm1]').trigger('dblclick');
    expect(useLabStore().dialog).toEqual({ kind: 'vm-settings', vm: 'vm1' });
    expect(useLabStore().settingsTarget).toBe('vm1');
  });

  it('enables Settings… for a selected VM only', async () => {
    m = await mountWith(MachineList);
    const button = () => m?.wrapper.find('[data-testid=machine-settings]');
    expect(button()?.attributes('disabled')).toBeDefined();
    await m.wrapper.find('[data-testid=machine-host]').trigger('click');
    expect(button()?.attributes('disabled')).toBeDefined();
    await m.wrapper.find('[data-testid=machine-vm3]').trigger('click');
    expect(button()?.attributes('disabled')).toBeUndefined();
    await button()?.trigger('click');
    expect(useLabStore().settingsTarget).toBe('vm3');
  });

  it('offers Settings…, the guest’s network, power and a terminal in the context menu', async () => {
    m = await mountWith(MachineList);
    await m.wrapper.find('[data-testid=machine-vm2]').trigger('contextmenu', { clientX: 10, clientY: 10 });
    const items = m.wrapper.findAll('[role=menuitem]');
    expect(items.map((i) => i.text())).toEqual(['Settings…', 'Guest Network Configuration…', 'Power Off', 'Open Terminal']);
    await items[1].trigger('click');
    expect(useLabStore().dialog).toEqual({ kind: 'guest-network', vm: 'vm2' });
    expect(m.wrapper.find('[role=menu]').exists()).toBe(false);
  });

  it('powers a VM off through the contract', async () => {
    const client = new FakeLabClient();
    m = await mountWith(MachineList, { client });
    await m.wrapper.find('[data-testid=machine-vm2]').trigger('contextmenu');
    await m.wrapper.findAll('[role=menuitem]')[2].trigger('click');
    await flushPromises();
    expect(client.callsOf('vm.setRunning')).toEqual([{ vm: 'vm2', running: false }]);
  });

  it('moves the selection with the arrow keys and opens settings with Enter', async () => {
    m = await mountWith(MachineList);
    const list = m.wrapper.find('[role=listbox]');
    await m.wrapper.find('[data-testid=machine-web]').trigger('click');
    await list.trigger('keydown', { key: 'ArrowDown' });
    expect(useLabStore().selected).toBe('vm1');
    await list.trigger('keydown', { key: 'Enter' });
    expect(useLabStore().settingsTarget).toBe('vm1');
  });

  it('opens the selected machine’s terminal', async () => {
    m = await mountWith(MachineList);
    await m.wrapper.find('[data-testid=machine-pc]').trigger('click');
    await m.wrapper.find('[data-testid=machine-terminal]').trigger('click');
    await flushPromises();
    expect(useTerminalStore().tabs).toEqual(['pc']);
  });
});
