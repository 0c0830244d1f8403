// @vitest-environment happy-dom
// VirtualBox's Settings → Network: the fields read from the lab, each OK sending exactly the adapters changed, Cancel nothing, refusals shown, both languages.
import { afterEach, describe, expect, it } from 'vitest';
import VirtualBoxSettings from '../../../renderer/settings/virtualbox/VirtualBoxSettings.vue';
import SettingsHost from '../../../renderer/settings/SettingsHost.vue';
import { useLabStore } from '../../../renderer/stores/lab';
import { FakeLabClient } from '../fake-client';
import { flushPromises, mountWith, type Mounted } from '../mount';
import { button, byAria, byLabel, choose, optionTexts, shownOption } from './support';

let m: Mounted | null = null;
afterEach(() => {
  m?.wrapper.unmount();
  m = null;
});

async function open(vm = 'vm1', client?: FakeLabClient, locale: 'en' | 'zh-CN' = 'en'): Promise<Mounted> {
  m = await mountWith(VirtualBoxSettings, { props: { vm }, client, locale });
  return m;
}

async function ok(w: Mounted): Promise<void> {
  await w.wrapper.find('[data-testid=settings-ok]').trigger('click');
  await flushPromises();
}

describe('VirtualBox Settings → Network', () => {
  it('shows vm1’s Adapter 1 as the lab has it: enabled, NAT, Intel PRO/1000 MT Desktop, its MAC, cable connected', async () => {
    const { wrapper: w } = await open();
    expect(w.find('h2').text()).toBe('vm1 - Settings');
    expect(w.findAll('[role=tab]').map((t) => t.text())).toEqual(['Adapter 1', 'Adapter 2', 'Adapter 3', 'Adapter 4']);
    expect(w.find('[role=tab][aria-selected=true]').text()).toBe('Adapter 1');
    expect(byLabel(w, 'Enable Network Adapter').element.checked).toBe(true);
    expect(shownOption(byLabel(w, 'Attached to:'))).toBe('NAT');
    expect(optionTexts(byLabel(w, 'Attached to:'))).toEqual(['Not attached', 'NAT', 'NAT Network', 'Bridged Adapter', 'Internal Network', 'Host-only Adapter']);
    expect(byLabel(w, 'Name:').element.disabled).toBe(true);
    expect(shownOption(byLabel(w, 'Adapter Type:'))).toBe('Intel PRO/1000 MT Desktop (82540EM)');
    expect(optionTexts(byLabel(w, 'Adapter Type:'))).toEqual([
      'PCnet-PCI II (Am79C970A)',
      'PCnet-FAST III (Am79C973)',
      'Intel PRO/1000 MT Desktop (82540EM)',
      'Intel PRO/1000 T Server (82543GC)',
      'Intel PRO/1000 MT Server (82545EM)',
      'Paravirtualized Network (virtio-net)',
    ]);
    expect(shownOption(byLabel(w, 'Promiscuous Mode:'))).toBe('Deny');
    expect(byLabel(w, 'Promiscuous Mode:').element.disabled).toBe(true);
    expect(byLabel(w, 'MAC Address:').element.value).toBe('080027C3A1E1');
    expect(byLabel(w, 'Cable Connected').element.checked).toBe(true);
    expect(button(w, 'Port Forwarding').element.disabled).toBe(false);
  });

  it('shows adapters 2–4 of a one-adapter VM as disabled cards, not attached, with their controls greyed', async () => {
    const { wrapper: w } = await open();
    await w.find('[data-testid=vbox-tab-3]').trigger('click');
    expect(byLabel(w, 'Enable Network Adapter').element.checked).toBe(false);
    expect(shownOption(byLabel(w, 'Attached to:'))).toBe('Not attached');
    expect((w.find('fieldset.adapter').element as HTMLFieldSetElement).disabled).toBe(true);
    expect(byLabel(w, 'MAC Address:').element.value).toMatch(/^080027[0-9A-F]{6}$/);
  });

  it('sends exactly one vm.setVirtualBoxAdapter when NAT becomes Bridged Adapter, naming the host’s eth0', async () => {
    const client = new FakeLabClient();
    const w = await open('vm1', client);
    await choose(byLabel(w.wrapper, 'Attached to:'), 'Bridged Adapter');
    expect(shownOption(byLabel(w.wrapper, 'Name:'))).toBe('eth0');
    expect(optionTexts(byLabel(w.wrapper, 'Name:'))).toEqual(['eth0']);
    expect(byLabel(w.wrapper, 'Promiscuous Mode:').element.disabled).toBe(false);
    expect(button(w.wrapper, 'Port Forwarding').element.disabled).toBe(true);
    await ok(w);
    expect(client.calls.filter((c) => c.name.startsWith('vm.') || c.name.startsWith('host.'))).toEqual([
      { name: 'vm.setVirtualBoxAdapter', params: { vm: 'vm1', adapter: { slot: 1, enabled: true, attachment: 'bridged', network: 'eth0', mac: '080027C3A1E1', type: '82540EM', cable: true, promiscuous: 'deny', portForwarding: [] } } },
    ]);
    expect(w.wrapper.emitted('close')).toHaveLength(1);
  });

  it('remembers the name of the mode left, as VirtualBox’s <DisabledModes>, and brings it back', async () => {
    const client = new FakeLabClient();
    const w = await open('vm2', client);
    await choose(byLabel(w.wrapper, 'Attached to:'), 'NAT');
    await choose(byLabel(w.wrapper, 'Attached to:'), 'Host-only Adapter');
    expect(shownOption(byLabel(w.wrapper, 'Name:'))).toBe('vboxnet0');
    // Chosen, not merely passed through: VirtualBox then keeps it.
    await choose(byLabel(w.wrapper, 'Name:'), 'vboxnet0');
    await choose(byLabel(w.wrapper, 'Attached to:'), 'Bridged Adapter');
    expect(shownOption(byLabel(w.wrapper, 'Name:'))).toBe('eth0');
    await choose(byLabel(w.wrapper, 'Attached to:'), 'NAT');
    await ok(w);
    expect(client.callsOf('vm.setVirtualBoxAdapter')).toEqual([
      { vm: 'vm2', adapter: { slot: 1, enabled: true, attachment: 'nat', mac: '0800274F7B2C', type: '82540EM', cable: true, promiscuous: 'deny', disabledModes: { bridged: 'eth0', hostonly: 'vboxnet0' } } },
    ]);
  });

  it('sends nothing on Cancel, and nothing on OK when nothing changed', async () => {
    const client = new FakeLabClient();
    const w = await open('vm1', client);
    await choose(byLabel(w.wrapper, 'Attached to:'), 'Internal Network');
    await byLabel(w.wrapper, 'Cable Connected').setValue(false);
    await w.wrapper.find('[data-testid=settings-cancel]').trigger('click');
    await flushPromises();
    expect(w.wrapper.emitted('close')).toHaveLength(1);
    w.wrapper.unmount();
    const again = await open('vm1', client);
    await choose(byLabel(again.wrapper, 'Attached to:'), 'Bridged Adapter');
    await choose(byLabel(again.wrapper, 'Attached to:'), 'NAT');
    await ok(again);
    expect(again.wrapper.emitted('close')).toHaveLength(1);
    expect(client.calls.filter((c) => c.name.startsWith('vm.') || c.name.startsWith('history.'))).toEqual([]);
  });

  it('enabling Adapter 2 on an internal network sends adapter 2 only, with the name typed', async () => {
    const client = new FakeLabClient();
    const w = await open('vm1', client);
    await w.wrapper.find('[data-testid=vbox-tab-2]').trigger('click');
    const mac = byLabel(w.wrapper, 'MAC Address:').element.value;
    await byLabel(w.wrapper, 'Enable Network Adapter').setValue(true);
    await choose(byLabel(w.wrapper, 'Attached to:'), 'Internal Network');
    expect(byLabel(w.wrapper, 'Name:').element.value).toBe('intnet');
    await byLabel(w.wrapper, 'Name:').setValue('lab-net');
    await ok(w);
    expect(client.callsOf('vm.setVirtualBoxAdapter')).toEqual([{ vm: 'vm1', adapter: { slot: 2, enabled: true, attachment: 'intnet', network: 'lab-net', mac, type: '82540EM', cable: true, promiscuous: 'deny' } }]);
  });

  it('refuses a MAC that is not 12 digits or not unicast, as VirtualBox does, and makes new ones with its 08:00:27 prefix', async () => {
    const client = new FakeLabClient();
    const w = await open('vm1', client);
    const mac = byLabel(w.wrapper, 'MAC Address:');
    await mac.setValue('0900270000');
    expect(w.wrapper.find('[data-testid=settings-issues]').text()).toContain('Adapter 1: The MAC address must be 12 hexadecimal digits long.');
    await mac.setValue('09:00:27:00:00:01');
    expect(mac.element.value).toBe('090027000001');
    expect(w.wrapper.find('[data-testid=settings-issues]').text()).toContain('Adapter 1: The second digit in the MAC address may not be odd as only unicast addresses are allowed.');
    expect(w.wrapper.find('[data-testid=settings-ok]').element.hasAttribute('disabled')).toBe(true);
    await byAria(w.wrapper, 'Generates a new random MAC address.').trigger('click');
    expect(mac.element.value).toMatch(/^080027[0-9A-F]{6}$/);
    expect(w.wrapper.find('[data-testid=settings-issues]').exists()).toBe(false);
    await ok(w);
    expect(client.callsOf('vm.setVirtualBoxAdapter')[0].adapter.mac).toBe(mac.element.value);
  });

  it('shows the host’s refusal problem by problem, undoes the adapters already applied, and stays open', async () => {
    const client = new FakeLabClient();
    client.answer('vm.setVirtualBoxAdapter', (p) =>
      p.adapter.slot === 2
        ? { ok: false, error: { code: 'refused', message: 'the change was refused: NAT Network "NatNetwork" does not exist', problems: [{ path: '$.vms[0].virtualbox.adapters[1].network', message: 'NAT Network "NatNetwork" does not exist', hint: 'add it under $.virtualbox.natNetworks' }] } }
        : { ok: true, result: client.data.snapshot },
    );
    const w = await open('vm1', client);
    await choose(byLabel(w.wrapper, 'Attached to:'), 'Host-only Adapter');
    await w.wrapper.find('[data-testid=vbox-tab-2]').trigger('click');
    await byLabel(w.wrapper, 'Enable Network Adapter').setValue(true);
    await choose(byLabel(w.wrapper, 'Attached to:'), 'NAT Network');
    // No NAT Network exists: VirtualBox's own check speaks first.
    expect(w.wrapper.find('[data-testid=settings-issues]').text()).toContain('Adapter 2: No NAT network name is currently specified.');
    await w.wrapper.find('[data-testid=vbox-tab-1]').trigger('click');
    await w.wrapper.find('[data-testid=vbox-tab-2]').trigger('click');
    await choose(byLabel(w.wrapper, 'Attached to:'), 'Internal Network');
    await ok(w);
    const refused = w.wrapper.find('[data-testid=settings-refused]');
    expect(refused.text()).toContain('The lab refused these settings:');
    expect(refused.text()).toContain('NAT Network "NatNetwork" does not exist — add it under $.virtualbox.natNetworks');
    expect(refused.text()).toContain('at $.vms[0].virtualbox.adapters[1].network');
    expect(client.callsOf('vm.setVirtualBoxAdapter').map((p) => p.adapter.slot)).toEqual([1, 2]);
    expect(client.callsOf('history.undo')).toHaveLength(1);
    expect(w.wrapper.emitted('close')).toBeUndefined();
    expect(w.wrapper.find('[role=tab][aria-selected=true]').text()).toBe('Adapter 2');
    expect(byLabel(w.wrapper, 'Name:').attributes('aria-invalid')).toBe('true');
    expect(useLabStore().error).toBeNull();
  });

  it('reads and writes in 简体中文 with VirtualBox’s own words, and follows a language switch', async () => {
    const w = await open('vm1', undefined, 'zh-CN');
    expect(w.wrapper.find('h2').text()).toBe('vm1 - 设置');
    expect(shownOption(byLabel(w.wrapper, '连接方式(A):'))).toBe('网络地址转换(NAT)');
    expect(optionTexts(byLabel(w.wrapper, '连接方式(A):'))).toEqual(['未连接', '网络地址转换(NAT)', 'NAT 网络', '桥接网卡', '内部网络', '仅主机(Host-Only)网络']);
    expect(byLabel(w.wrapper, '启用网络连接(E)').element.checked).toBe(true);
    expect(byLabel(w.wrapper, '界面名称(N):').exists()).toBe(true);
    expect(shownOption(byLabel(w.wrapper, '控制芯片(T):'))).toBe('Intel PRO/1000 MT 桌面 (82540EM)');
    expect(byLabel(w.wrapper, '接入网线(C)').exists()).toBe(true);
    expect(w.wrapper.findAll('[role=tab]').map((t) => t.text())).toEqual(['网卡 1', '网卡 2', '网卡 3', '网卡 4']);
    expect(button(w.wrapper, '确定').exists()).toBe(true);
    w.i18n.global.locale.value = 'en';
    await flushPromises();
    expect(byLabel(w.wrapper, 'Attached to:').exists()).toBe(true);
    expect(shownOption(byLabel(w.wrapper, 'Attached to:'))).toBe('NAT');
  });

  it('opens from the lab store’s settings request, by the VM’s hypervisor, and closes on Cancel', async () => {
    m = await mountWith(SettingsHost);
    const lab = useLabStore();
    expect(m.wrapper.find('[role=dialog]').exists()).toBe(false);
    lab.openSettings('vm2', 1);
    await flushPromises();
    expect(m.wrapper.find('[data-testid=vbox-settings]').exists()).toBe(true);
    expect(shownOption(byLabel(m.wrapper, 'Attached to:'))).toBe('Bridged Adapter');
    await m.wrapper.find('[data-testid=settings-cancel]').trigger('click');
    expect(lab.dialog).toBeNull();
    expect(m.wrapper.find('[role=dialog]').exists()).toBe(false);
  });
});
