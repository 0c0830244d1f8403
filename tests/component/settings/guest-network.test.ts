// @vitest-environment happy-dom
// The guest's network configuration: form and text of each ifcfg file kept in step, OK sending vm.setGuest, "Restart network" running systemctl in the VM's terminal.
import { afterEach, describe, expect, it } from 'vitest';
import GuestNetwork from '../../../renderer/settings/guest/GuestNetwork.vue';
import SettingsHost from '../../../renderer/settings/SettingsHost.vue';
import { useLabStore } from '../../../renderer/stores/lab';
import { useTerminalStore } from '../../../renderer/stores/terminal';
import { FakeLabClient } from '../fake-client';
import { flushPromises, mountWith, type Mounted } from '../mount';
import { button, byLabel, choose, shownOption } from './support';

let m: Mounted | null = null;
afterEach(() => {
  m?.wrapper.unmount();
  m = null;
});

const VM1 = 'TYPE=Ethernet\nBOOTPROTO=dhcp\nONBOOT=yes\nDEVICE=eth0\nNAME=eth0\n';

describe('the guest’s network configuration', () => {
  it('shows eth0’s file as fields and as text', async () => {
    m = await mountWith(GuestNetwork, { props: { vm: 'vm1' } });
    const w = m.wrapper;
    expect(w.find('h2').text()).toBe('vm1 - Network Configuration');
    expect(w.text()).toContain('/etc/sysconfig/network-scripts/ifcfg-eth0');
    expect(w.text()).toContain('Network service: network-scripts');
    expect(byLabel(w, 'ONBOOT: activate this device at boot').element.checked).toBe(true);
    expect(shownOption(byLabel(w, 'BOOTPROTO:'))).toBe('dhcp (address from a DHCP server)');
    expect(byLabel(w, 'IPADDR:').element.disabled).toBe(true);
    expect(byLabel(w, 'DNS1:').element.disabled).toBe(false);
    expect(byLabel(w, 'File contents').element.value).toBe(VM1);
  });

  it('writes a static address into the text and sends it with OK, keeping the other lines', async () => {
    const client = new FakeLabClient();
    m = await mountWith(GuestNetwork, { props: { vm: 'vm1' }, client });
    const w = m.wrapper;
    await choose(byLabel(w, 'BOOTPROTO:'), 'static (the address below)');
    await byLabel(w, 'IPADDR:').setValue('192.168.1.50');
    await byLabel(w, 'PREFIX or NETMASK:').setValue('24');
    await byLabel(w, 'GATEWAY:').setValue('192.168.1.1');
    await byLabel(w, 'DNS1:').setValue('192.168.1.1');
    const text = 'TYPE=Ethernet\nBOOTPROTO=static\nONBOOT=yes\nDEVICE=eth0\nNAME=eth0\nIPADDR=192.168.1.50\nPREFIX=24\nGATEWAY=192.168.1.1\nDNS1=192.168.1.1\n';
    expect(byLabel(w, 'File contents').element.value).toBe(text);
    // The text is the file: typing there shows in the form.
    await byLabel(w, 'File contents').setValue(`${text}# keep me\nDNS2=8.8.8.8\n`);
    expect(byLabel(w, 'DNS2:').element.value).toBe('8.8.8.8');
    await w.find('[data-testid=settings-ok]').trigger('click');
    await flushPromises();
    expect(client.callsOf('vm.setGuest')).toEqual([{ vm: 'vm1', guest: { hostname: 'vm1', service: 'network-scripts', ifcfg: { eth0: `${text}# keep me\nDNS2=8.8.8.8\n` } } }]);
  });

  it('refuses an address that is not one before sending', async () => {
    const client = new FakeLabClient();
    m = await mountWith(GuestNetwork, { props: { vm: 'vm1' }, client });
    await byLabel(m.wrapper, 'DNS1:').setValue('8.8.8');
    expect(m.wrapper.find('[data-testid=settings-issues]').text()).toContain('DNS1 “8.8.8” is not a valid IPv4 address.');
    expect(byLabel(m.wrapper, 'DNS1:').attributes('aria-invalid')).toBe('true');
    expect(m.wrapper.find('[data-testid=settings-ok]').element.hasAttribute('disabled')).toBe(true);
  });

  it('“Restart network” saves, closes and runs systemctl restart network in the VM’s terminal', async () => {
    const client = new FakeLabClient();
    m = await mountWith(SettingsHost, { client });
    useLabStore().openDialog({ kind: 'guest-network', vm: 'vm1' });
    await flushPromises();
    await byLabel(m.wrapper, 'ONBOOT: activate this device at boot').setValue(false);
    await button(m.wrapper, 'Restart network').trigger('click');
    await flushPromises();
    expect(client.calls.filter((c) => c.name === 'vm.setGuest' || c.name === 'shell.run').map((c) => c.name)).toEqual(['vm.setGuest', 'shell.run']);
    expect(client.callsOf('shell.run')).toEqual([{ node: 'vm1', line: 'systemctl restart network' }]);
    expect(useTerminalStore().active).toBe('vm1');
    expect(useTerminalStore().sessions.vm1.transcript).toContain('systemctl restart network');
    expect(useLabStore().dialog).toBeNull();
  });

  it('restarts without a change without sending one, and sends nothing on Cancel', async () => {
    const client = new FakeLabClient();
    m = await mountWith(GuestNetwork, { props: { vm: 'vm1' }, client });
    await button(m.wrapper, 'Restart network').trigger('click');
    await flushPromises();
    expect(client.callsOf('vm.setGuest')).toEqual([]);
    expect(client.callsOf('shell.run')).toEqual([{ node: 'vm1', line: 'systemctl restart network' }]);
    m.wrapper.unmount();
    m = await mountWith(GuestNetwork, { props: { vm: 'vm1' }, client });
    await byLabel(m.wrapper, 'GATEWAY:').setValue('10.0.2.2');
    await m.wrapper.find('[data-testid=settings-cancel]').trigger('click');
    expect(client.callsOf('vm.setGuest')).toEqual([]);
  });

  it('labels its fields in 简体中文', async () => {
    m = await mountWith(GuestNetwork, { props: { vm: 'vm1' }, locale: 'zh-CN' });
    expect(m.wrapper.find('h2').text()).toBe('vm1 - 网络配置');
    expect(button(m.wrapper, '重启网卡').exists()).toBe(true);
    expect(byLabel(m.wrapper, 'IPADDR（IP 地址）:').exists()).toBe(true);
  });
});
