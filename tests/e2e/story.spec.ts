// The user's story, end to end in Chromium against `vmnetlab serve`: switch vm1 from NAT to Bridged in the settings, restart its network, see its lease and NAT translation, switch back; in English, 简体中文 and on VMware.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { groupRows, machine, openBundledLab, openSettings, openTerminal, shot, skipWithoutChromium, typeCommand } from './support/window';

skipWithoutChromium();

/** What differs between the three runs: the language's words and the product's dialog. */
interface Story {
  lab: 'default' | 'vmware';
  chinese?: boolean;
  vm1Mac: string;
  /** Chooses Bridged in vm1's settings dialog (open). */
  toBridged(page: Page): Promise<void>;
  toNat(page: Page): Promise<void>;
  /** The dialog as it opens, before any change (for its screenshot). */
  dialog: string;
  docs: { window?: string; settingsNat?: string; settingsBridged?: string; leases?: string; ping?: string; nat?: string; };
}

const LEASE_IP = /^192\.168\.1\.\d{1,3}$/;

async function leaseOf(page: Page, mac: string): Promise<string | null> {
  const rows = await groupRows(page, 'leases', 'router');
  return rows.find((r) => r[1] === mac)?.[0] ?? null;
}

async function tell(page: Page, info: TestInfo, s: Story, prefix: string): Promise<void> {
  await openBundledLab(page, s.lab);
  // A fresh lab: vm1 on NAT, the home router has never heard of it.
  await page.getByTestId('tab-leases').click();
  await expect.poll(() => leaseOf(page, s.vm1Mac)).toBeNull();
  await shot(page, info, `${prefix}01-window`, s.docs.window, s.chinese);

  // Settings of vm1: NAT → Bridged, OK.
  await openSettings(page, 'vm1');
  const dialog = page.getByTestId(s.dialog);
  await expect(dialog).toBeVisible();
  await shot(page, info, `${prefix}02-settings-nat`, s.docs.settingsNat, s.chinese);
  await s.toBridged(page);
  await shot(page, info, `${prefix}03-settings-bridged`, s.docs.settingsBridged, s.chinese);
  await page.getByTestId('settings-ok').click();
  await expect(dialog).toHaveCount(0);

  // The guest keeps its address until its network restarts.
  await openTerminal(page, 'vm1');
  await typeCommand(page, 'vm1', 'systemctl restart network');
  await shot(page, info, `${prefix}04-restart-network`);

  // The home router leased it an address on the LAN.
  await page.getByTestId('tab-leases').click();
  await expect.poll(() => leaseOf(page, s.vm1Mac), { timeout: 30_000 }).toMatch(LEASE_IP);
  const ip = (await leaseOf(page, s.vm1Mac)) as string;
  await expect(machine(page, 'vm1')).toContainText(`${ip}/24`);
  await shot(page, info, `${prefix}05-dhcp-leases`, s.docs.leases, s.chinese);

  // Out to the Internet through the router's NAT.
  const ping = await typeCommand(page, 'vm1', 'ping -c 1 www.example.com');
  expect(ping).toMatch(/64 bytes from www\.example\.com \(93\.184\.216\.34\): icmp_seq=1 ttl=\d+ time=/);
  expect(ping).toContain('1 packets transmitted, 1 received, 0% packet loss');
  await shot(page, info, `${prefix}06-ping`, s.docs.ping, s.chinese);
  await page.getByTestId('tab-nat').click();
  await expect
    .poll(async () => (await groupRows(page, 'nat', 'router')).some((r) => r[0] === 'icmp' && r[1].startsWith(`${ip}:`) && r[2].startsWith('203.0.113.2:') && r[3].startsWith('93.184.216.34')), { timeout: 30_000 })
    .toBe(true);
  await shot(page, info, `${prefix}07-nat-table`, s.docs.nat, s.chinese);

  // And back to NAT: after another restart the guest has VirtualBox's or VMware's NAT address again.
  await openSettings(page, 'vm1');
  await expect(dialog).toBeVisible();
  await s.toNat(page);
  await shot(page, info, `${prefix}08-back-to-nat`);
  await page.getByTestId('settings-ok').click();
  await expect(dialog).toHaveCount(0);
}

test.describe('the user’s story', () => {
  test('VirtualBox, in English: NAT → Bridged Adapter → NAT', async ({ page }, info) => {
    const s: Story = {
      lab: 'default',
      vm1Mac: '08:00:27:c3:a1:e1',
      dialog: 'vbox-settings',
      toBridged: async (p) => {
        const attached = p.getByLabel('Attached to:');
        await expect(attached).toHaveValue('nat');
        await attached.selectOption({ label: 'Bridged Adapter' });
        await expect(p.getByLabel('Name:')).toHaveValue('eth0');
        await p.getByRole('button', { name: 'Advanced' }).click();
        await expect(p.getByLabel('Adapter Type:')).toHaveValue('82540EM');
      },
      toNat: async (p) => {
        await expect(p.getByLabel('Attached to:')).toHaveValue('bridged');
        await p.getByLabel('Attached to:').selectOption({ label: 'NAT' });
      },
      docs: { window: 'window', settingsNat: 'virtualbox-settings-nat', settingsBridged: 'virtualbox-settings-bridged', leases: 'dhcp-leases', ping: 'terminal-ping', nat: 'nat-table' },
    };
    await tell(page, info, s, '');
    // "Restart network" from the guest's network configuration brings 10.0.2.15 back.
    await machine(page, 'vm1').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Guest Network Configuration…' }).click();
    const guest = page.getByTestId('guest-network');
    await expect(guest.getByLabel('BOOTPROTO:')).toHaveValue('dhcp');
    await expect(guest.getByLabel('ONBOOT: activate this device at boot')).toBeChecked();
    await shot(page, info, '09-guest-network', 'guest-network');
    await guest.getByRole('button', { name: 'Restart network' }).click();
    await expect(guest).toHaveCount(0);
    await expect(machine(page, 'vm1')).toContainText('10.0.2.15/24', { timeout: 30_000 });
    await shot(page, info, '10-nat-again');
  });

  test('VirtualBox, in 简体中文: 网络地址转换(NAT) → 桥接网卡 → 网络地址转换(NAT)', async ({ browser }, info) => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await tell(page, info, {
        lab: 'default',
        chinese: true,
        vm1Mac: '08:00:27:c3:a1:e1',
        dialog: 'vbox-settings',
        toBridged: async (p) => {
          await expect(p.getByRole('heading', { name: 'vm1 - 设置' })).toBeVisible();
          const attached = p.getByLabel('连接方式(A):');
          await expect(attached).toHaveValue('nat');
          await attached.selectOption({ label: '桥接网卡' });
          await expect(p.getByLabel('界面名称(N):')).toHaveValue('eth0');
          await p.getByRole('button', { name: '高级(D)' }).click();
          await expect(p.getByLabel('控制芯片(T):')).toHaveValue('82540EM');
        },
        toNat: async (p) => {
          await p.getByLabel('连接方式(A):').selectOption({ label: '网络地址转换(NAT)' });
        },
        docs: { settingsBridged: 'virtualbox-settings-zh-cn' },
      }, 'zh-');
    } finally {
      await context.close();
    }
  });

  test('VMware Workstation, in English: NAT → Bridged → NAT, and the Virtual Network Editor', async ({ page }, info) => {
    await tell(page, info, {
      lab: 'vmware',
      vm1Mac: '00:0c:29:3e:5b:7a',
      dialog: 'vmware-settings',
      toBridged: async (p) => {
        await expect(p.getByLabel('NAT: Used to share the host’s IP address')).toBeChecked();
        await p.getByLabel('Bridged: Connected directly to the physical network').check();
        await expect(p.getByLabel('Replicate physical network connection state')).toBeEnabled();
      },
      toNat: async (p) => {
        await expect(p.getByLabel('Bridged: Connected directly to the physical network')).toBeChecked();
        await p.getByLabel('NAT: Used to share the host’s IP address').check();
      },
      docs: { settingsBridged: 'vmware-settings-bridged' },
    }, 'vmware-');
    await page.getByTestId('virtual-network-editor').click();
    const editor = page.getByTestId('vmware-network-editor');
    await expect(editor.getByRole('row', { name: /VMnet8/ })).toContainText('172.16.162.0');
    await expect(editor.getByLabel('Use local DHCP service to distribute IP address to VMs')).toBeChecked();
    await shot(page, info, 'vmware-09-virtual-network-editor', 'vmware-virtual-network-editor');
    await editor.getByRole('button', { name: 'NAT Settings…' }).click();
    await expect(page.getByTestId('vmware-nat-settings').getByLabel('Gateway IP:')).toHaveValue('172.16.162.2');
    await shot(page, info, 'vmware-10-nat-settings', 'vmware-nat-settings');
    await page.getByTestId('vmware-nat-settings').getByRole('button', { name: 'Cancel' }).click();
    await editor.getByTestId('settings-cancel').click();
    await expect(editor).toHaveCount(0);
  });
});
