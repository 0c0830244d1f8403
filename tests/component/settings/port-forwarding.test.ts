// @vitest-environment happy-dom
// "Port Forwarding Rules": rows added and removed, every cell checked (ports 1–65535, IPv4 or empty, unique names), and the rules reaching the adapter OK sends.
import { afterEach, describe, expect, it } from 'vitest';
import VirtualBoxSettings from '../../../renderer/settings/virtualbox/VirtualBoxSettings.vue';
import { ruleIssues, rulesFromRows, type RuleRow } from '../../../renderer/settings/rules';
import { FakeLabClient } from '../fake-client';
import { flushPromises, mountWith, type Mounted } from '../mount';
import { button, byAria } from './support';

let m: Mounted | null = null;
afterEach(() => {
  m?.wrapper.unmount();
  m = null;
});

const row = (over: Partial<RuleRow> = {}): RuleRow => ({ name: 'guestssh', proto: 'tcp', hostIp: '', hostPort: '2222', guestIp: '', guestPort: '22', ...over });

describe('the port-forwarding rules', () => {
  it('accept VirtualBox’s own example: guestssh, TCP, any host IP, 2222 → the DHCP address, 22', () => {
    expect(ruleIssues([row()], { guestIpRequired: false })).toEqual([]);
    expect(rulesFromRows([row()], { guestIpRequired: false })).toEqual([{ name: 'guestssh', proto: 'tcp', hostIp: '', hostPort: 2222, guestIp: '', guestPort: 22 }]);
  });

  it('refuse port 0, ports past 65535, words and fractions, bad addresses, repeated names', () => {
    const rows = [row({ hostPort: '0' }), row({ name: 'web', guestPort: '65536' }), row({ name: 'x', hostPort: 'http', guestIp: '10.0.2.300' }), row({ name: 'web', hostIp: '127.1', hostPort: '80.5' })];
    expect(ruleIssues(rows, { guestIpRequired: false }).map((i) => [i.key, i.field])).toEqual([
      ['vbox.rules.issue.port', 'rule0.hostPort'],
      ['vbox.rules.issue.port', 'rule1.guestPort'],
      ['vbox.rules.issue.ip', 'rule2.guestIp'],
      ['vbox.rules.issue.port', 'rule2.hostPort'],
      ['vbox.rules.issue.nameDuplicate', 'rule3.name'],
      ['vbox.rules.issue.ip', 'rule3.hostIp'],
      ['vbox.rules.issue.port', 'rule3.hostPort'],
    ]);
    expect(rulesFromRows(rows, { guestIpRequired: false })).toBeNull();
  });

  it('need the guest IP on a NAT Network and refuse the separator in a name', () => {
    expect(ruleIssues([row({ name: 'a:b' })], { guestIpRequired: true, forbidden: ':' }).map((i) => i.key)).toEqual(['vbox.rules.issue.nameForbidden', 'vbox.rules.issue.guestIpRequired']);
  });

  it('are edited in a table whose OK waits for valid cells, and reach the NAT adapter’s request', async () => {
    const client = new FakeLabClient();
    m = await mountWith(VirtualBoxSettings, { props: { vm: 'vm1' }, client });
    const w = m.wrapper;
    await button(w, 'Port Forwarding').trigger('click');
    const dialog = w.find('[data-testid=port-forwarding]');
    expect(dialog.find('h2').text()).toBe('Port Forwarding Rules');
    expect(dialog.findAll('th').map((h) => h.text())).toEqual(['Name', 'Protocol', 'Host IP', 'Host Port', 'Guest IP', 'Guest Port']);
    await byAria(dialog, 'Adds new port forwarding rule.').trigger('click');
    expect(byAria(dialog, 'Rule 1: Name').element.value).toBe('Rule 1');
    expect(dialog.find('[data-testid=rule-issues]').text()).toContain('Rule 1: Host Port must be a number from 1 to 65535.');
    expect(dialog.find('[data-testid=rules-ok]').element.hasAttribute('disabled')).toBe(true);
    await byAria(dialog, 'Rule 1: Name').setValue('guestssh');
    await byAria(dialog, 'Rule 1: Host Port').setValue('2222');
    await byAria(dialog, 'Rule 1: Guest IP').setValue('10.0.2');
    await byAria(dialog, 'Rule 1: Guest Port').setValue('22');
    expect(dialog.find('[data-testid=rule-issues]').text()).toBe('Rule 1: Guest IP “10.0.2” is not a valid IPv4 address.');
    expect(byAria(dialog, 'Rule 1: Guest IP').attributes('aria-invalid')).toBe('true');
    await byAria(dialog, 'Rule 1: Guest IP').setValue('10.0.2.15');
    await byAria(dialog, 'Adds new port forwarding rule.').trigger('click');
    await byAria(dialog, 'Rule 2: Protocol').setValue('udp');
    await byAria(dialog, 'Removes selected port forwarding rule.').trigger('click');
    expect(dialog.findAll('tbody tr')).toHaveLength(1);
    await dialog.find('[data-testid=rules-ok]').trigger('click');
    expect(w.find('[data-testid=port-forwarding]').exists()).toBe(false);
    await w.find('[data-testid=settings-ok]').trigger('click');
    await flushPromises();
    expect(client.callsOf('vm.setVirtualBoxAdapter')).toEqual([
      { vm: 'vm1', adapter: { slot: 1, enabled: true, attachment: 'nat', mac: '080027C3A1E1', type: '82540EM', cable: true, promiscuous: 'deny', portForwarding: [{ name: 'guestssh', proto: 'tcp', hostIp: '', hostPort: 2222, guestIp: '10.0.2.15', guestPort: 22 }] } },
    ]);
  });

  it('forget their edits on Cancel', async () => {
    const client = new FakeLabClient();
    m = await mountWith(VirtualBoxSettings, { props: { vm: 'vm1' }, client });
    await button(m.wrapper, 'Port Forwarding').trigger('click');
    await byAria(m.wrapper, 'Adds new port forwarding rule.').trigger('click');
    await m.wrapper.find('[data-testid=rules-cancel]').trigger('click');
    await m.wrapper.find('[data-testid=settings-ok]').trigger('click');
    await flushPromises();
    expect(client.callsOf('vm.setVirtualBoxAdapter')).toEqual([]);
  });
});
