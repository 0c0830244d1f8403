// @vitest-environment happy-dom
// The inspectors show the host's rows as a person reads them, grouped by server, engine or machine, and follow `tables.changed`.
import { afterEach, describe, expect, it } from 'vitest';
import LeasesTable from '../../renderer/inspect/LeasesTable.vue';
import NatTable from '../../renderer/inspect/NatTable.vue';
import ArpTable from '../../renderer/inspect/ArpTable.vue';
import RoutesTable from '../../renderer/inspect/RoutesTable.vue';
import EventsList from '../../renderer/inspect/EventsList.vue';
import MatrixView from '../../renderer/inspect/MatrixView.vue';
import InspectorTabs from '../../renderer/inspect/InspectorTabs.vue';
import { FakeLabClient } from './fake-client';
import { flushPromises, mountWith, type Mounted } from './mount';

let m: Mounted | null = null;
afterEach(() => {
  m?.wrapper.unmount();
  m = null;
});

function rows(table: Element): string[][] {
  return [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''));
}

function tableOf(root: Element, caption: string): Element {
  const t = [...root.querySelectorAll('table')].find((x) => x.querySelector('caption')?.textContent?.trim() === caption);
  if (!t) throw new Error(`no table captioned '${caption}'; captions: ${[...root.querySelectorAll('caption')].map((c) => c.textContent).join(' | ')}`);
  return t;
}

describe('DHCP Leases', () => {
  it('lists each server with IP, MAC, hostname, state and time left', async () => {
    m = await mountWith(LeasesTable);
    const router = tableOf(m.wrapper.element, 'DHCP Server: router');
    expect(rows(router)).toContainEqual(['192.168.1.102', '08:00:27:4f:7b:2c', 'vm2', 'bound', '23:59:55']);
    expect([...router.querySelectorAll('th')].map((th) => th.textContent?.trim())).toEqual(['IP Address', 'MAC Address', 'Hostname', 'State', 'Expires In']);
    const vm1Nat = tableOf(m.wrapper.element, 'DHCP Server: vm1 NAT (adapter 1)');
    expect(rows(vm1Nat)).toEqual([['10.0.2.15', '08:00:27:c3:a1:e1', 'vm1', 'bound', '23:59:55']]);
  });

  it('shows a new lease when the host says the leases changed, and refetches nothing else', async () => {
    const client = new FakeLabClient();
    m = await mountWith(LeasesTable, { client });
    const natBefore = client.callsOf('tables.nat').length;
    client.data.leases = [...client.data.leases, { server: 'router', ip: '192.168.1.103', mac: '08:00:27:aa:bb:cc', hostname: 'vm1', state: 'bound', expiresInS: 86400 }];
    client.emit('tables.changed', { tables: ['leases'] });
    await flushPromises();
    expect(rows(tableOf(m.wrapper.element, 'DHCP Server: router'))).toContainEqual(['192.168.1.103', '08:00:27:aa:bb:cc', 'vm1', 'bound', '1d 00:00:00']);
    expect(client.callsOf('tables.nat').length).toBe(natBefore);
  });

  it('asks once per burst of changes, not once per event', async () => {
    const client = new FakeLabClient();
    m = await mountWith(LeasesTable, { client });
    const before = client.callsOf('tables.leases').length;
    for (let i = 0; i < 10; i++) client.emit('tables.changed', { tables: ['leases', 'arp'] });
    await flushPromises();
    // One fetch goes out at once; the nine events during it make one more.
    expect(client.callsOf('tables.leases').length - before).toBe(2);
    expect(client.callsOf('tables.arp').length).toBeLessThanOrEqual(3);
  });

  it('says so when no server has leased anything', async () => {
    const client = new FakeLabClient();
    client.data.leases = [];
    m = await mountWith(LeasesTable, { client });
    expect(m.wrapper.text()).toContain('No DHCP server has leased an address yet.');
  });

  it('filters rows by any cell', async () => {
    m = await mountWith(LeasesTable);
    await m.wrapper.find('input[type=search]').setValue('vm3');
    const all = [...m.wrapper.element.querySelectorAll('tbody tr')].map((tr) => tr.textContent);
    expect(all).toHaveLength(1);
    expect(all[0]).toContain('192.168.56.101');
  });
});

describe('NAT Table', () => {
  it('lists each engine with protocol, inside, outside, remote, state and time left', async () => {
    m = await mountWith(NatTable);
    expect(rows(tableOf(m.wrapper.element, 'NAT engine: router'))).toEqual([['icmp', '192.168.1.101:2162', '203.0.113.2:2162', '93.184.216.34', 'REPLIED', '0:00:27']]);
    expect(rows(tableOf(m.wrapper.element, 'NAT engine: vm1 NAT (adapter 1)'))).toEqual([['icmp', '10.0.2.15:2162', '192.168.1.101:2162', '93.184.216.34', 'REPLIED', '0:00:27']]);
  });

  it('empties when the translations expire', async () => {
    const client = new FakeLabClient();
    m = await mountWith(NatTable, { client });
    client.data.nat = [];
    client.emit('tables.changed', { tables: ['nat'] });
    await flushPromises();
    expect(m.wrapper.findAll('table')).toHaveLength(0);
    expect(m.wrapper.text()).toContain('No NAT engine has a translation now.');
  });
});

describe('ARP and routes', () => {
  it('shows every machine’s ARP cache', async () => {
    m = await mountWith(ArpTable);
    const router = rows(tableOf(m.wrapper.element, 'ARP cache of router'));
    expect(router.some((r) => r[0] === '203.0.113.1' && r[2] === 'wan')).toBe(true);
  });

  it('shows every machine’s routing table with its default route', async () => {
    m = await mountWith(RoutesTable);
    const vm1 = rows(tableOf(m.wrapper.element, 'Routing table of vm1'));
    expect(vm1).toContainEqual(expect.arrayContaining(['default', '10.0.2.2', 'eth0']));
  });
});

describe('Events', () => {
  it('lists the newest event first', async () => {
    const client = new FakeLabClient();
    m = await mountWith(EventsList, { client });
    const first = m.wrapper.find('tbody tr').text();
    const newest = client.data.events[client.data.events.length - 1];
    expect(first).toContain(newest.message);
  });
});

describe('Reachability', () => {
  it('computes the matrix when shown and tells each cell’s reason', async () => {
    const client = new FakeLabClient();
    m = await mountWith(MatrixView, { client });
    expect(client.callsOf('matrix.compute')).toHaveLength(1);
    const cell = m.wrapper.find('td[data-from="host"][data-to="router"] button');
    expect(cell.attributes('aria-label')).toBe('host → router: reachable. same network: lan');
    const blocked = client.data.matrix.cells.find((c) => !c.reachable && c.from !== c.to);
    expect(blocked).toBeDefined();
    if (!blocked) return;
    const b = m.wrapper.find(`td[data-from="${blocked.from}"][data-to="${blocked.to}"] button`);
    expect(b.text()).toBe('✗');
    await b.trigger('click');
    expect(m.wrapper.find('[data-testid=matrix-reason]').text()).toBe(blocked.reason);
  });

  it('recomputes when the wiring changes while it is shown', async () => {
    const client = new FakeLabClient();
    m = await mountWith(MatrixView, { client });
    client.emit('tables.changed', { tables: ['topology', 'machines'] });
    await flushPromises();
    expect(client.callsOf('matrix.compute')).toHaveLength(2);
  });
});

describe('the inspector tabs', () => {
  it('switch panels by click and by arrow keys', async () => {
    m = await mountWith(InspectorTabs);
    expect(m.wrapper.find('[data-testid=leases]').exists()).toBe(true);
    await m.wrapper.find('[data-testid=tab-nat]').trigger('click');
    expect(m.wrapper.find('[data-testid=nat]').exists()).toBe(true);
    await m.wrapper.find('[role=tablist]').trigger('keydown', { key: 'ArrowRight' });
    expect(m.wrapper.find('[data-testid=tab-arp]').attributes('aria-selected')).toBe('true');
    expect(m.wrapper.find('[data-testid=arp]').exists()).toBe(true);
  });
});
