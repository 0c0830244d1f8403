// @vitest-environment happy-dom
// VMware's Virtual Machine Settings → Network Adapter: the fields from the lab, the exact requests OK makes (LAN segments first), Cancel nothing, refusals, 简体中文.
import { afterEach, describe, expect, it } from 'vitest';
import VmwareSettings from '../../../renderer/settings/vmware/VmwareSettings.vue';
import SettingsHost from '../../../renderer/settings/SettingsHost.vue';
import { useLabStore } from '../../../renderer/stores/lab';
import { flushPromises, mountWith, type Mounted } from '../mount';
import { button, byAria, byLabel, choose, optionTexts, shownOption, vmwareClient } from './support';

let m: Mounted | null = null;
afterEach(() => {
  m?.wrapper.unmount();
  m = null;
});

const vm1Adapter = { slot: 0, present: true, connectionType: 'nat', connected: true, startConnected: true, virtualDev: 'e1000', mac: '00:0c:29:3e:5b:7a', addressType: 'generated' } as const;

async function ok(w: Mounted): Promise<void> {
  await w.wrapper.find('[data-testid=settings-ok]').trigger('click');
  await flushPromises();
}

describe('VMware Virtual Machine Settings → Network Adapter', () => {
  it('shows vm1’s adapter as the .vmx has it: connected, connect at power on, NAT', async () => {
    m = await mountWith(VmwareSettings, { props: { vm: 'vm1' }, client: vmwareClient() });
    const w = m.wrapper;
    expect(w.find('h2').text()).toBe('Virtual Machine Settings');
    expect(w.find('[role=option][aria-selected=true]').text()).toContain('Network Adapter');
    expect(w.find('[role=option][aria-selected=true]').text()).toContain('NAT');
    expect(w.findAll('legend').map((l) => l.text())).toEqual(['Device status', 'Network connection']);
    expect(byLabel(w, 'Connected').element.checked).toBe(true);
    expect(byLabel(w, 'Connect at power on').element.checked).toBe(true);
    expect(byLabel(w, 'NAT: Used to share the host’s IP address').element.checked).toBe(true);
    expect(byLabel(w, 'Bridged: Connected directly to the physical network').element.checked).toBe(false);
    expect(byLabel(w, 'Replicate physical network connection state').element.disabled).toBe(true);
    expect(byAria(w, 'Specific virtual network').element.disabled).toBe(true);
    expect(optionTexts(byAria(w, 'Specific virtual network'))).toEqual(['VMnet0 (Bridged)', 'VMnet1 (Host-only)', 'VMnet8 (NAT)']);
    expect(button(w, 'LAN Segments…').exists()).toBe(true);
    expect(button(w, 'Advanced…').exists()).toBe(true);
  });

  it('sends one vm.setVmwareAdapter when NAT becomes Bridged, with nothing else changed', async () => {
    const client = vmwareClient();
    m = await mountWith(VmwareSettings, { props: { vm: 'vm1' }, client });
    await byLabel(m.wrapper, 'Bridged: Connected directly to the physical network').setValue(true);
    expect(byLabel(m.wrapper, 'Replicate physical network connection state').element.disabled).toBe(false);
    expect(m.wrapper.find('[role=option][aria-selected=true]').text()).toContain('Bridged (Automatic)');
    await ok(m);
    expect(client.calls.filter((c) => /^(vm|host)\./.test(c.name))).toEqual([{ name: 'vm.setVmwareAdapter', params: { vm: 'vm1', adapter: { ...vm1Adapter, connectionType: 'bridged' } } }]);
    expect(m.wrapper.emitted('close')).toHaveLength(1);
  });

  it('names the VMnet for Custom, and keeps vm2’s replicate setting as the .vmx does', async () => {
    const client = vmwareClient();
    m = await mountWith(VmwareSettings, { props: { vm: 'vm2' }, client });
    expect(byLabel(m.wrapper, 'Bridged: Connected directly to the physical network').element.checked).toBe(true);
    await byLabel(m.wrapper, 'Custom: Specific virtual network').setValue(true);
    await choose(byAria(m.wrapper, 'Specific virtual network'), 'VMnet1 (Host-only)');
    await ok(m);
    expect(client.callsOf('vm.setVmwareAdapter')).toEqual([
      { vm: 'vm2', adapter: { slot: 0, present: true, connectionType: 'custom', network: 'VMnet1', connected: true, startConnected: true, virtualDev: 'e1000', mac: '00:0c:29:81:c4:0d', addressType: 'generated', replicateState: false } },
    ]);
  });

  it('adds a LAN segment through “LAN Segments…” and sends it to the host before the adapter that uses it', async () => {
    const client = vmwareClient();
    m = await mountWith(VmwareSettings, { props: { vm: 'vm1' }, client });
    const w = m.wrapper;
    await byLabel(w, 'LAN segment:').setValue(true);
    expect(w.find('[data-testid=settings-issues]').text()).toContain('No LAN segment is selected.');
    await button(w, 'LAN Segments…').trigger('click');
    const seg = w.find('[data-testid=vmware-segments]');
    expect(seg.text()).toContain('Global LAN Segments');
    await button(seg, 'Add').trigger('click');
    await seg.find('[data-testid=segment-name]').setValue('lab-seg');
    await seg.find('[data-testid=segments-ok]').trigger('click');
    expect(shownOption(byAria(w, 'LAN segment'))).toBe('lab-seg');
    await ok(m);
    const doc = client.data.snapshot.document;
    expect(client.calls.filter((c) => /^(vm|host)\./.test(c.name))).toEqual([
      { name: 'host.setVmware', params: { vmware: { vmnets: doc.vmware?.vmnets, lanSegments: ['lab-seg'] } } },
      { name: 'vm.setVmwareAdapter', params: { vm: 'vm1', adapter: { ...vm1Adapter, connectionType: 'pvn', network: 'lab-seg' } } },
    ]);
  });

  it('sends nothing on Cancel', async () => {
    const client = vmwareClient();
    m = await mountWith(VmwareSettings, { props: { vm: 'vm1' }, client });
    await byLabel(m.wrapper, 'Host-only: A private network shared with the host').setValue(true);
    await byLabel(m.wrapper, 'Connect at power on').setValue(false);
    await m.wrapper.find('[data-testid=settings-cancel]').trigger('click');
    await flushPromises();
    expect(client.calls.filter((c) => /^(vm|host|history)\./.test(c.name))).toEqual([]);
    expect(m.wrapper.emitted('close')).toHaveLength(1);
  });

  it('greys “Connected” on a powered-off VM, where only “Connect at power on” means anything', async () => {
    const client = vmwareClient();
    const vm3 = client.data.snapshot.document.vms.find((v) => v.name === 'vm3');
    if (vm3) vm3.running = false;
    m = await mountWith(VmwareSettings, { props: { vm: 'vm3' }, client });
    expect(byLabel(m.wrapper, 'Connected').element.disabled).toBe(true);
    expect(byLabel(m.wrapper, 'Connect at power on').element.disabled).toBe(false);
  });

  it('makes a static MAC in VMware’s 00:50:56 range from Advanced…, and refuses one outside it', async () => {
    const client = vmwareClient();
    m = await mountWith(VmwareSettings, { props: { vm: 'vm1' }, client });
    await button(m.wrapper, 'Advanced…').trigger('click');
    const adv = m.wrapper.find('[data-testid=vmware-advanced-dialog]');
    expect(byLabel(adv, 'MAC Address:').element.value).toBe('00:0C:29:3E:5B:7A');
    await byLabel(adv, 'MAC Address:').setValue('00:50:56:40:00:01');
    expect(adv.find('[role=alert]').text()).toBe('A static MAC address must lie in 00:50:56:00:00:00–00:50:56:3F:FF:FF.');
    await button(adv, 'Generate').trigger('click');
    expect(byLabel(adv, 'MAC Address:').element.value).toMatch(/^00:50:56:[0-3][0-9A-F](:[0-9A-F]{2}){2}$/);
    const mac = byLabel(adv, 'MAC Address:').element.value.toLowerCase();
    await adv.find('[data-testid=advanced-ok]').trigger('click');
    await ok(m);
    expect(client.callsOf('vm.setVmwareAdapter')).toEqual([{ vm: 'vm1', adapter: { ...vm1Adapter, mac, addressType: 'static' } }]);
  });

  it('shows the host’s refusal and stays open', async () => {
    const client = vmwareClient();
    client.answer('vm.setVmwareAdapter', () => ({ ok: false, error: { code: 'refused', message: 'the change was refused', problems: [{ path: '$.vms[0].vmware.adapters[0].network', message: 'virtual network "VMnet2" is not configured' }] } }));
    m = await mountWith(VmwareSettings, { props: { vm: 'vm1' }, client });
    await byLabel(m.wrapper, 'Custom: Specific virtual network').setValue(true);
    await ok(m);
    expect(m.wrapper.find('[data-testid=settings-refused]').text()).toContain('virtual network "VMnet2" is not configured');
    expect(byAria(m.wrapper, 'Specific virtual network').attributes('aria-invalid')).toBe('true');
    expect(m.wrapper.emitted('close')).toBeUndefined();
    expect(client.callsOf('history.undo')).toEqual([]);
  });

  it('reads in 简体中文 with VMware’s own words', async () => {
    m = await mountWith(VmwareSettings, { props: { vm: 'vm1' }, client: vmwareClient(), locale: 'zh-CN' });
    const w = m.wrapper;
    expect(w.find('h2').text()).toBe('虚拟机设置');
    expect(w.findAll('legend').map((l) => l.text())).toEqual(['设备状态', '网络连接']);
    expect(byLabel(w, 'NAT 模式(N): 用于共享主机的 IP 地址').element.checked).toBe(true);
    for (const l of ['桥接模式(B): 直接连接物理网络', '仅主机模式(H): 与主机共享的专用网络', '自定义(U): 特定虚拟网络', 'LAN 区段(L):', '已连接(C)', '启动时连接(O)', '复制物理网络连接状态(P)']) expect(byLabel(w, l).exists()).toBe(true);
    expect(button(w, 'LAN 区段(S)…').exists()).toBe(true);
    expect(optionTexts(byAria(w, '特定虚拟网络'))).toEqual(['VMnet0 (桥接模式)', 'VMnet1 (仅主机模式)', 'VMnet8 (NAT 模式)']);
  });

  it('opens for a VMware VM from the lab store’s settings request', async () => {
    m = await mountWith(SettingsHost, { client: vmwareClient() });
    useLabStore().openSettings('vm1');
    await flushPromises();
    expect(m.wrapper.find('[data-testid=vmware-settings]').exists()).toBe(true);
    expect(m.wrapper.find('[data-testid=vbox-settings]').exists()).toBe(false);
  });
});
