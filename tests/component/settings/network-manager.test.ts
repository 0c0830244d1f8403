// @vitest-environment happy-dom
// VirtualBox's Network Manager: host-only networks with their adapter and DHCP server, NAT Networks with their rules, each Apply one host.setVirtualBox.
import { afterEach, describe, expect, it } from 'vitest';
import NetworkManager from '../../../renderer/settings/virtualbox/NetworkManager.vue';
import SettingsHost from '../../../renderer/settings/SettingsHost.vue';
import { useLabStore } from '../../../renderer/stores/lab';
import { FakeLabClient } from '../fake-client';
import { flushPromises, mountWith, type Mounted } from '../mount';
import { button, byAria, byLabel } from './support';

let m: Mounted | null = null;
afterEach(() => {
  m?.wrapper.unmount();
  m = null;
});

const vboxnet0 = { name: 'vboxnet0', address: '192.168.56.1/24', dhcp: { enabled: true, server: '192.168.56.100', lower: '192.168.56.101', upper: '192.168.56.254', leaseSeconds: 600 } };

async function apply(w: Mounted['wrapper']): Promise<void> {
  await w.find('[data-testid=settings-apply]').trigger('click');
  await flushPromises();
}

describe('VirtualBox’s Network Manager', () => {
  it('lists vboxnet0 with its address and DHCP server, and changes them with one Apply', async () => {
    const client = new FakeLabClient();
    m = await mountWith(NetworkManager, { client });
    const w = m.wrapper;
    expect(w.find('h2').text()).toBe('Network Manager');
    expect(w.findAll('[role=tab]').slice(0, 2).map((t) => t.text())).toEqual(['Host-only Networks', 'NAT Networks']);
    expect(w.findAll('tbody tr').map((r) => r.findAll('td').map((c) => c.text()))).toEqual([['vboxnet0', '192.168.56.1/24', 'Enabled']]);
    expect(byLabel(w, 'IPv4 Address:').element.value).toBe('192.168.56.1');
    expect(byLabel(w, 'IPv4 Network Mask:').element.value).toBe('255.255.255.0');
    await byLabel(w, 'IPv4 Network Mask:').setValue('255.255.254.0');
    await button(w, 'DHCP Server').trigger('click');
    expect(byLabel(w, 'Enable Server').element.checked).toBe(true);
    expect(byLabel(w, 'Server Mask:').element.value).toBe('255.255.254.0');
    await byLabel(w, 'Upper Address Bound:').setValue('192.168.57.254');
    await apply(w);
    expect(client.callsOf('host.setVirtualBox')).toEqual([{ virtualbox: { hostOnly: [{ ...vboxnet0, address: '192.168.56.1/23', dhcp: { ...vboxnet0.dhcp, upper: '192.168.57.254' } }], natNetworks: [] } }]);
    expect(w.find('[data-testid=settings-apply]').element.hasAttribute('disabled')).toBe(true);
  });

  it('creates vboxnet1 on the next /24 and a NAT Network whose rules need the guest IP', async () => {
    const client = new FakeLabClient();
    m = await mountWith(NetworkManager, { client });
    const w = m.wrapper;
    await button(w, 'Create').trigger('click');
    expect(w.findAll('tbody tr').map((r) => r.find('td').text())).toEqual(['vboxnet0', 'vboxnet1']);
    await button(w, 'NAT Networks').trigger('click');
    await button(w, 'Create').trigger('click');
    expect(byLabel(w, 'Name:').element.value).toBe('NatNetwork');
    expect(byLabel(w, 'IPv4 Prefix:').element.value).toBe('10.0.2.0/24');
    await button(w, 'Port Forwarding').trigger('click');
    await byAria(w, 'Adds new port forwarding rule.').trigger('click');
    await byAria(w, 'Rule 1: Host Port').setValue('1022');
    await byAria(w, 'Rule 1: Guest Port').setValue('22');
    expect(w.find('[data-testid=settings-issues]').text()).toContain('Rule 1: the Guest IP is required on a NAT Network.');
    expect(w.find('[data-testid=settings-apply]').element.hasAttribute('disabled')).toBe(true);
    await byAria(w, 'Rule 1: Guest IP').setValue('10.0.2.4');
    await byAria(w, 'Rule 1: Name').setValue('ssh');
    await apply(w);
    expect(client.callsOf('host.setVirtualBox')).toEqual([
      {
        virtualbox: {
          hostOnly: [vboxnet0, { name: 'vboxnet1', address: '192.168.57.1/24', dhcp: { enabled: true, server: '192.168.57.100', lower: '192.168.57.101', upper: '192.168.57.254', leaseSeconds: 600 } }],
          natNetworks: [{ name: 'NatNetwork', network: '10.0.2.0/24', enabled: true, dhcp: true, portForwarding: [{ name: 'ssh', proto: 'tcp', hostIp: '', hostPort: 1022, guestIp: '10.0.2.4', guestPort: 22 }] }],
        },
      },
    ]);
  });

  it('shows a refused change with its path and marks the field', async () => {
    const client = new FakeLabClient();
    client.answer('host.setVirtualBox', () => ({ ok: false, error: { code: 'refused', message: 'the change was refused', problems: [{ path: '$.virtualbox.hostOnly[0].address', message: 'IP address 10.9.0.1 not within the allowed ranges', hint: 'use 192.168.56.0/21' }] } }));
    m = await mountWith(NetworkManager, { client });
    await byLabel(m.wrapper, 'IPv4 Address:').setValue('10.9.0.1');
    await apply(m.wrapper);
    expect(m.wrapper.find('[data-testid=settings-refused]').text()).toContain('IP address 10.9.0.1 not within the allowed ranges — use 192.168.56.0/21');
    expect(byLabel(m.wrapper, 'IPv4 Address:').attributes('aria-invalid')).toBe('true');
  });

  it('opens from the toolbar’s request and reads in 简体中文', async () => {
    m = await mountWith(SettingsHost, { locale: 'zh-CN' });
    useLabStore().openDialog({ kind: 'host-networks', hypervisor: 'virtualbox' });
    await flushPromises();
    const w = m.wrapper;
    expect(w.find('h2').text()).toBe('网络管理器');
    expect(w.findAll('[role=tab]').slice(0, 2).map((t) => t.text())).toEqual(['仅主机(Host-Only)网络', 'NAT 网络']);
    expect(byLabel(w, 'IPv4 地址(I):').element.value).toBe('192.168.56.1');
    await button(w, '关闭').trigger('click');
    expect(useLabStore().dialog).toBeNull();
  });
});
