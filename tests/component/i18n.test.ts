// @vitest-environment happy-dom
// English and 简体中文: the system language chooses, the toolbar switches, every label exists in both with the real products' wording.
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import AppToolbar from '../../renderer/toolbar/AppToolbar.vue';
import InspectorTabs from '../../renderer/inspect/InspectorTabs.vue';
import MachineList from '../../renderer/machines/MachineList.vue';
import { en } from '../../renderer/i18n/en';
import { zhCN } from '../../renderer/i18n/zh-cn';
import { en as settingsEn, zhCN as settingsZh } from '../../renderer/settings/locales/settings';
import { localeFor, makeI18n } from '../../renderer/i18n';
import { flushPromises, mountWith, type Mounted } from './mount';

let m: Mounted | null = null;
afterEach(() => {
  m?.wrapper.unmount();
  m = null;
  localStorage.clear();
});

function leaves(o: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v as object, key)) out.set(kk, vv);
  }
  return out;
}

const Window = defineComponent({ render: () => h('div', [h(AppToolbar), h(MachineList), h(InspectorTabs)]) });

describe('the language', () => {
  it('follows the system: 简体中文 for Chinese (not Traditional), English otherwise', () => {
    expect(localeFor(['zh-CN', 'en-US'])).toBe('zh-CN');
    expect(localeFor(['zh'])).toBe('zh-CN');
    expect(localeFor(['zh-Hans-CN'])).toBe('zh-CN');
    expect(localeFor(['zh-TW'])).toBe('en');
    expect(localeFor(['fr-FR', 'zh-CN'])).toBe('zh-CN');
    expect(localeFor(['en-GB', 'zh-CN'])).toBe('en');
    expect(localeFor([])).toBe('en');
  });

  it('starts in the language of the browser when none was chosen before', () => {
    const nav = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(navigator), 'languages');
    Object.defineProperty(navigator, 'languages', { configurable: true, get: () => ['zh-CN', 'zh'] });
    try {
      expect(makeI18n().global.locale.value).toBe('zh-CN');
      expect(document.documentElement.lang).toBe('zh-CN');
    } finally {
      if (nav) Object.defineProperty(navigator, 'languages', nav);
      else delete (navigator as { languages?: unknown }).languages;
    }
  });

  it('switches the whole window from the toolbar and remembers the choice', async () => {
    m = await mountWith(Window);
    expect(m.wrapper.find('[data-testid=tab-leases]').text()).toBe('DHCP Leases');
    expect(m.wrapper.find('[data-testid=machine-vm1] .state').text()).toBe('Running · VirtualBox');
    await m.wrapper.find('[data-testid=language]').setValue('zh-CN');
    await flushPromises();
    expect(m.wrapper.find('[data-testid=tab-leases]').text()).toBe('DHCP 租约');
    expect(m.wrapper.find('[data-testid=tab-nat]').text()).toBe('NAT 表');
    expect(m.wrapper.find('[data-testid=machine-vm1] .state').text()).toBe('正在运行 · VirtualBox');
    expect(m.wrapper.find('[data-testid=machine-settings]').text()).toBe('设置…');
    expect(m.wrapper.find('[data-testid=undo]').attributes('aria-label')).toBe('撤销');
    expect(m.wrapper.find('caption').text()).toBe('DHCP 服务器：router');
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(localStorage.getItem('vmnetlab.locale')).toBe('zh-CN');
    expect(makeI18n().global.locale.value).toBe('zh-CN');
  });

  it('starts in 简体中文 when asked, controls labelled in Chinese', async () => {
    m = await mountWith(AppToolbar, { locale: 'zh-CN' });
    expect(m.wrapper.find('[data-testid=clock-play]').attributes('aria-label')).toBe('播放');
    expect(m.wrapper.find('[data-testid=file-save-as]').text()).toBe('另存为…');
  });
});

describe('the messages', () => {
  const enLeaves = leaves(en);
  const zhLeaves = leaves(zhCN);

  it('exist in both languages, none empty', () => {
    expect([...zhLeaves.keys()].sort()).toEqual([...enLeaves.keys()].sort());
    for (const [k, v] of zhLeaves) expect(v.trim(), k).not.toBe('');
  });

  it('use VirtualBox’s and VMware’s own wording, as the window and its dialogs show it', () => {
    // The settings dialogs ship their messages under `settings.*` (renderer/settings/locales), merged at start.
    const all = (base: object, extra: object) => new Map([...leaves(base), ...leaves({ settings: (extra as { settings: object }).settings })]);
    const enAll = all(en, settingsEn);
    const zhAll = all(zhCN, settingsZh);
    const pairs: Array<[string, string, string]> = [
      ['settings.vbox.attachedTo', 'Attached to:', '连接方式(A):'],
      ['settings.vbox.attachment.bridged', 'Bridged Adapter', '桥接网卡'],
      ['settings.vbox.attachment.hostonly', 'Host-only Adapter', '仅主机(Host-Only)网络'],
      ['settings.vbox.attachment.nat', 'NAT', '网络地址转换(NAT)'],
      ['settings.vbox.attachment.intnet', 'Internal Network', '内部网络'],
      ['settings.vbox.cableConnected', 'Cable Connected', '接入网线(C)'],
      ['settings.vbox.promiscuous.allow-vms', 'Allow VMs', '允许虚拟电脑'],
      ['settings.vmware.replicate', 'Replicate physical network connection state', '复制物理网络连接状态(P)'],
      ['settings.vmware.editor.title', 'Virtual Network Editor', '虚拟网络编辑器'],
      ['machines.running', 'Running', '正在运行'],
      ['machines.poweredOff', 'Powered Off', '已关闭'],
      ['settings.guest.restart', 'Restart network', '重启网卡'],
    ];
    for (const [k, e, z] of pairs) {
      expect(enAll.get(k), k).toBe(e);
      expect(zhAll.get(k), k).toBe(z);
    }
  });

  it('all compile, with their parameters filled', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const i18n = makeI18n(locale);
      const t = i18n.global.t as (key: string, params: Record<string, unknown>) => string;
      for (const key of enLeaves.keys()) {
        const text = t(key, { name: 'vm1', n: 2, node: 'vm1', from: 'a', to: 'b', state: 's', speed: 1, start: 0, end: 13, message: 'm' });
        expect(text, `${locale} ${key}`).not.toMatch(/\{[a-z]+\}/);
        expect(text, `${locale} ${key}`).not.toBe(key);
      }
    }
  });
});
