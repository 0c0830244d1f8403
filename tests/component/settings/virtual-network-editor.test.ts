// @vitest-environment happy-dom
// VMware's Virtual Network Editor: the VMnet table as VMware lists it, and what OK and Apply send after editing the subnet, NAT Settings, DHCP Settings and networks.
import { afterEach, describe, expect, it } from 'vitest';
import VirtualNetworkEditor from '../../../renderer/settings/vmware/VirtualNetworkEditor.vue';
import type { Vmnet } from '../../../renderer/settings/types';
import { flushPromises, mountWith, type Mounted } from '../mount';
import { button, byAria, byLabel, choose, shownOption, vmwareClient } from './support';

let m: Mounted | null = null;
afterEach(() => {
  m?.wrapper.unmount();
  m = null;
});

async function open(locale: 'en' | 'zh-CN' = 'en') {
  const client = vmwareClient();
  m = await mountWith(VirtualNetworkEditor, { client, locale });
  const vmnets = structuredClone(client.data.snapshot.document.vmware?.vmnets ?? []) as Vmnet[];
  return { client, w: m.wrapper, vmnets };
}

const rows = (w: Mounted['wrapper']): string[][] => w.findAll('tbody tr').map((r) => r.findAll('td').map((c) => c.text()));

describe('the Virtual Network Editor', () => {
  it('lists the VMnets with Name, Type, External Connection, Host Connection, DHCP and Subnet Address', async () => {
    const { w } = await open();
    expect(w.find('h2').text()).toBe('Virtual Network Editor');
    expect(w.findAll('thead th').map((h) => h.text())).toEqual(['Name', 'Type', 'External Connection', 'Host Connection', 'DHCP', 'Subnet Address']);
    expect(rows(w)).toEqual([
      ['VMnet0', 'Bridged', 'eth0', '-', '-', ''],
      ['VMnet1', 'Host-only', '-', 'Connected', 'Enabled', '192.168.165.0'],
      ['VMnet8', 'NAT', 'NAT', 'Connected', 'Enabled', '172.16.162.0'],
    ]);
    // The NAT network is selected first, as in VMware.
    expect(w.find('tr[aria-selected=true]').text()).toContain('VMnet8');
    expect(byLabel(w, 'NAT (shared host’s IP address with VMs)').element.checked).toBe(true);
    expect(byLabel(w, 'Connect a host virtual adapter to this network').element.checked).toBe(true);
    expect(byLabel(w, 'Use local DHCP service to distribute IP address to VMs').element.checked).toBe(true);
    expect(byLabel(w, 'Subnet IP:').element.value).toBe('172.16.162.0');
    expect(byLabel(w, 'Subnet mask:').element.value).toBe('255.255.255.0');
    expect(w.text()).toContain('Host virtual adapter name: VMware Network Adapter VMnet8');
  });

  it('moves the DHCP range with a new subnet, and OK sends the whole editor in one host.setVmware', async () => {
    const { w, client, vmnets } = await open();
    await w.find('[data-testid=vmnet-VMnet1]').trigger('click');
    await byLabel(w, 'Subnet IP:').setValue('192.168.200.0');
    await byLabel(w, 'Use local DHCP service to distribute IP address to VMs').setValue(false);
    expect(rows(w)[1]).toEqual(['VMnet1', 'Host-only', '-', 'Connected', '-', '192.168.200.0']);
    await w.find('[data-testid=settings-ok]').trigger('click');
    await flushPromises();
    const vmnet1 = { ...vmnets[1], subnet: '192.168.200.0/24', dhcp: false, dhcpRange: { start: '192.168.200.128', end: '192.168.200.254', defaultLeaseSeconds: 1800, maxLeaseSeconds: 7200 } };
    expect(client.callsOf('host.setVmware')).toEqual([{ vmware: { vmnets: [vmnets[0], vmnet1, vmnets[2]], lanSegments: [] } }]);
    expect(w.emitted('close')).toHaveLength(1);
  });

  it('refuses a mask with holes and a subnet IP with host bits before sending', async () => {
    const { w, client } = await open();
    await byLabel(w, 'Subnet mask:').setValue('255.0.255.0');
    expect(w.find('[data-testid=settings-issues]').text()).toContain('VMnet8: “255.0.255.0” is not a valid subnet mask.');
    await byLabel(w, 'Subnet mask:').setValue('255.255.255.0');
    await byLabel(w, 'Subnet IP:').setValue('172.16.162.9');
    expect(w.find('[data-testid=settings-issues]').text()).toContain('VMnet8: the subnet IP 172.16.162.9 has host bits set for this mask.');
    expect(w.find('[data-testid=settings-ok]').element.hasAttribute('disabled')).toBe(true);
    expect(client.callsOf('host.setVmware')).toEqual([]);
  });

  it('keeps one NAT network, as VMware does', async () => {
    const { w } = await open();
    await w.find('[data-testid=vmnet-VMnet1]').trigger('click');
    await byLabel(w, 'NAT (shared host’s IP address with VMs)').setValue(true);
    expect(w.find('[data-testid=settings-issues]').text()).toContain('Only one virtual network can be set to NAT; VMnet8 already is.');
  });

  it('maps an incoming port in NAT Settings, checking it, and changes the gateway and UDP timeout', async () => {
    const { w, client, vmnets } = await open();
    await button(w, 'NAT Settings…').trigger('click');
    const nat = w.find('[data-testid=vmware-nat-settings]');
    expect(nat.text()).toContain('Network: vmnet8');
    expect(nat.findAll('th').map((h) => h.text())).toEqual(['Host Port', 'Type', 'Virtual Machine IP Address', 'Description']);
    expect(byLabel(nat, 'Gateway IP:').element.value).toBe('172.16.162.2');
    await button(nat, 'Add…').trigger('click');
    const map = w.find('[data-testid=vmware-map-port]');
    await byLabel(map, 'Host port:').setValue('8080');
    await byLabel(map, 'Virtual machine IP address:').setValue('172.16.162.300');
    await byLabel(map, 'Virtual machine port:').setValue('80');
    expect(map.find('[role=alert]').text()).toBe('The virtual machine IP address is not a valid IPv4 address.');
    await byLabel(map, 'Virtual machine IP address:').setValue('172.16.162.128');
    await byLabel(map, 'Description:').setValue('web');
    await map.find('[data-testid=map-ok]').trigger('click');
    expect(nat.findAll('tbody tr').map((r) => r.findAll('td').map((c) => c.text()))).toEqual([['8080', 'TCP', '172.16.162.128:80', 'web']]);
    await byLabel(nat, 'UDP timeout (in seconds):').setValue('0');
    expect(nat.find('[role=alert]').text()).toContain('The UDP timeout must be a whole number of seconds from 1 to 86400.');
    await byLabel(nat, 'UDP timeout (in seconds):').setValue('60');
    await nat.find('[data-testid=nat-ok]').trigger('click');
    await w.find('[data-testid=settings-apply]').trigger('click');
    await flushPromises();
    const vmnet8 = { ...vmnets[2], nat: { gateway: '172.16.162.2', portForwarding: [{ name: 'web', proto: 'tcp', hostIp: '', hostPort: 8080, guestIp: '172.16.162.128', guestPort: 80 }], udpTimeoutSeconds: 60 } };
    expect(client.callsOf('host.setVmware')).toEqual([{ vmware: { vmnets: [vmnets[0], vmnets[1], vmnet8], lanSegments: [] } }]);
    // Apply keeps the editor open, with nothing left to apply.
    expect(w.emitted('close')).toBeUndefined();
    expect(w.find('[data-testid=settings-apply]').element.hasAttribute('disabled')).toBe(true);
  });

  it('edits the DHCP range and lease times in days, hours and minutes', async () => {
    const { w, client, vmnets } = await open();
    await button(w, 'DHCP Settings…').trigger('click');
    const dhcp = w.find('[data-testid=vmware-dhcp-settings]');
    expect(byLabel(dhcp, 'Starting IP address:').element.value).toBe('172.16.162.128');
    expect(dhcp.text()).toContain('Broadcast address: 172.16.162.255');
    expect(byAria(dhcp, 'Default lease time: Minutes:').element.value).toBe('30');
    expect(byAria(dhcp, 'Max lease time: Hours:').element.value).toBe('2');
    await byLabel(dhcp, 'Starting IP address:').setValue('172.16.162.150');
    await byAria(dhcp, 'Default lease time: Hours:').setValue('3');
    expect(dhcp.find('[role=alert]').text()).toBe('The default lease time may not be longer than the max lease time.');
    await byAria(dhcp, 'Max lease time: Days:').setValue('1');
    await dhcp.find('[data-testid=dhcp-ok]').trigger('click');
    await w.find('[data-testid=settings-ok]').trigger('click');
    await flushPromises();
    const vmnet8 = { ...vmnets[2], dhcpRange: { start: '172.16.162.150', end: '172.16.162.254', defaultLeaseSeconds: 3 * 3600 + 1800, maxLeaseSeconds: 86400 + 7200 } };
    expect(client.callsOf('host.setVmware')).toEqual([{ vmware: { vmnets: [vmnets[0], vmnets[1], vmnet8], lanSegments: [] } }]);
  });

  it('adds VMnet2 as a host-only network on a free subnet, and bridges VMnet0 to Automatic', async () => {
    const { w, client, vmnets } = await open();
    await button(w, 'Add Network…').trigger('click');
    const add = w.find('[data-testid=vmware-add-network]');
    expect(shownOption(byLabel(add, 'Select a network to add:'))).toBe('VMnet2');
    await add.find('[data-testid=add-network-ok]').trigger('click');
    expect(rows(w)[2]).toEqual(['VMnet2', 'Host-only', '-', 'Connected', 'Enabled', '192.168.100.0']);
    await w.find('[data-testid=vmnet-VMnet0]').trigger('click');
    await choose(byLabel(w, 'Bridged to:'), 'Automatic');
    expect(rows(w)[0]).toEqual(['VMnet0', 'Bridged', 'Auto-bridging', '-', '-', '']);
    await w.find('[data-testid=settings-ok]').trigger('click');
    await flushPromises();
    const vmnet2 = { name: 'VMnet2', type: 'hostonly', subnet: '192.168.100.0/24', hostAdapter: true, dhcp: true, dhcpRange: { start: '192.168.100.128', end: '192.168.100.254', defaultLeaseSeconds: 1800, maxLeaseSeconds: 7200 } };
    expect(client.callsOf('host.setVmware')).toEqual([{ vmware: { vmnets: [{ name: 'VMnet0', type: 'bridged' }, vmnets[1], vmnet2, vmnets[2]], lanSegments: [] } }]);
  });

  it('sends nothing on Cancel', async () => {
    const { w, client } = await open();
    await byLabel(w, 'Host-only (connect VMs internally in a private network)').setValue(true);
    await w.find('[data-testid=settings-cancel]').trigger('click');
    expect(client.callsOf('host.setVmware')).toEqual([]);
    expect(w.emitted('close')).toHaveLength(1);
  });

  it('reads in 简体中文 with VMware’s own words', async () => {
    const { w } = await open('zh-CN');
    expect(w.find('h2').text()).toBe('虚拟网络编辑器');
    expect(w.findAll('thead th').map((h) => h.text())).toEqual(['名称', '类型', '外部连接', '主机连接', 'DHCP', '子网地址']);
    expect(rows(w)[2]).toEqual(['VMnet8', 'NAT 模式', 'NAT 模式', '已连接', '已启用', '172.16.162.0']);
    expect(byLabel(w, '将主机虚拟适配器连接到此网络(V)').element.checked).toBe(true);
    expect(byLabel(w, '使用本地 DHCP 服务将 IP 地址分配给虚拟机(D)').element.checked).toBe(true);
    expect(byLabel(w, '子网 IP (I):').element.value).toBe('172.16.162.0');
    expect(button(w, 'NAT 设置(S)…').exists()).toBe(true);
  });
});
