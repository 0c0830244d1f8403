// @vitest-environment happy-dom
// The toolbar: the unsaved-changes mark, the prompt before a lab is discarded, Open and Save As, Undo/Redo, the clock.
import { afterEach, describe, expect, it } from 'vitest';
import AppToolbar from '../../renderer/toolbar/AppToolbar.vue';
import { useLabStore } from '../../renderer/stores/lab';
import { FakeLabClient } from './fake-client';
import { flushPromises, mountWith, type Mounted } from './mount';

let m: Mounted | null = null;
afterEach(() => {
  m?.wrapper.unmount();
  m = null;
  document.body.innerHTML = '';
});

function dirtyClient(path: string | null = '/home/me/lab.json'): FakeLabClient {
  const c = new FakeLabClient();
  c.data.snapshot = { ...c.data.snapshot, dirty: true, path, canUndo: true };
  return c;
}

const click = async (w: Mounted, testid: string) => {
  await w.wrapper.find(`[data-testid=${testid}]`).trigger('click');
  await flushPromises();
};

describe('the file name and its unsaved mark', () => {
  it('shows the file name, marked while there are unsaved changes', async () => {
    const client = dirtyClient();
    m = await mountWith(AppToolbar, { client });
    expect(m.wrapper.find('[data-testid=file-name]').text()).toContain('lab.json');
    expect(m.wrapper.find('[data-testid=dirty-mark]').attributes('aria-label')).toBe('Unsaved changes');
    await click(m, 'file-save');
    expect(client.callsOf('file.save')).toHaveLength(1);
    expect(m.wrapper.find('[data-testid=dirty-mark]').exists()).toBe(false);
  });

  it('follows the host’s lab.changed event', async () => {
    const client = new FakeLabClient();
    m = await mountWith(AppToolbar, { client });
    expect(m.wrapper.find('[data-testid=dirty-mark]').exists()).toBe(false);
    client.emit('lab.changed', { ...client.data.snapshot, dirty: true });
    await flushPromises();
    expect(m.wrapper.find('[data-testid=dirty-mark]').exists()).toBe(true);
  });
});

describe('the prompt before discarding changes', () => {
  it('does not ask when nothing changed', async () => {
    const client = new FakeLabClient();
    m = await mountWith(AppToolbar, { client });
    await click(m, 'file-new');
    expect(document.querySelector('[data-testid=discard-prompt]')).toBeNull();
    expect(client.callsOf('file.new')).toHaveLength(1);
  });

  it('asks before New, and Cancel keeps the lab', async () => {
    const client = dirtyClient();
    m = await mountWith(AppToolbar, { client });
    await click(m, 'file-new');
    const prompt = m.wrapper.find('[data-testid=discard-prompt]');
    expect(prompt.attributes('role')).toBe('alertdialog');
    expect(prompt.text()).toContain('Do you want to save the changes you made to “lab.json”?');
    await click(m, 'discard-cancel');
    expect(client.callsOf('file.new')).toHaveLength(0);
    expect(m.wrapper.find('[data-testid=discard-prompt]').exists()).toBe(false);
  });

  it('Don’t Save discards and goes on', async () => {
    const client = dirtyClient();
    m = await mountWith(AppToolbar, { client });
    await click(m, 'file-new');
    await click(m, 'discard-dont-save');
    expect(client.callsOf('file.save')).toHaveLength(0);
    expect(client.callsOf('file.new')).toHaveLength(1);
  });

  it('Save saves first, then goes on', async () => {
    const client = dirtyClient();
    m = await mountWith(AppToolbar, { client });
    await click(m, 'file-new');
    await click(m, 'discard-save');
    expect(client.calls.map((c) => c.name).filter((n) => n.startsWith('file.') && n !== 'file.bundled')).toEqual(['file.save', 'file.new']);
  });

  it('Save on a lab without a file asks where (Save As), then goes on', async () => {
    const client = dirtyClient(null);
    m = await mountWith(AppToolbar, { client });
    await click(m, 'file-new');
    await click(m, 'discard-save');
    const dialog = m.wrapper.find('[data-testid=save-as-dialog]');
    expect(dialog.exists()).toBe(true);
    await dialog.find('input').setValue('/tmp/my-lab.json');
    await dialog.findAll('button').find((b) => b.text() === 'Save')?.trigger('click');
    await flushPromises();
    expect(client.callsOf('file.saveAs')).toEqual([{ path: '/tmp/my-lab.json' }]);
    expect(client.callsOf('file.new')).toHaveLength(1);
  });

  it('asks before opening another lab too', async () => {
    const client = dirtyClient();
    m = await mountWith(AppToolbar, { client });
    await click(m, 'file-open');
    expect(m.wrapper.findAll('[data-testid^=bundled-]').map((b) => b.text())).toEqual(client.data.bundled.map((b) => `${b}.json`));
    await click(m, 'bundled-vmware');
    expect(m.wrapper.find('[data-testid=discard-prompt]').exists()).toBe(true);
    await click(m, 'discard-dont-save');
    expect(client.callsOf('file.openBundled')).toEqual([{ name: 'vmware' }]);
  });
});

describe('Open', () => {
  it('opens a lab file by its path and shows why one cannot be opened', async () => {
    const client = new FakeLabClient();
    client.answer('file.open', () => ({ ok: false, error: { code: 'refused', message: '/tmp/bad.json cannot be opened: it has a problem; the lab open now is unchanged', problems: [{ path: '$.vms[0].name', message: 'must not be empty' }] } }));
    m = await mountWith(AppToolbar, { client });
    await click(m, 'file-open');
    const dialog = m.wrapper.find('[data-testid=open-dialog]');
    await dialog.find('input[type=text]').setValue('/tmp/bad.json');
    await dialog.findAll('button').find((b) => b.text() === 'Open')?.trigger('click');
    await flushPromises();
    expect(client.callsOf('file.open')).toEqual([{ path: '/tmp/bad.json' }]);
    const alert = m.wrapper.find('[data-testid=open-dialog] [role=alert]');
    expect(alert.text()).toContain('cannot be opened');
    expect(alert.text()).toContain('$.vms[0].name: must not be empty');
  });
});

describe('Undo and Redo', () => {
  it('are enabled as the history allows and call the host', async () => {
    const client = dirtyClient();
    m = await mountWith(AppToolbar, { client });
    expect(m.wrapper.find('[data-testid=redo]').attributes('disabled')).toBeDefined();
    await click(m, 'undo');
    expect(client.callsOf('history.undo')).toHaveLength(1);
    expect(useLabStore().canRedo).toBe(true);
    expect(m.wrapper.find('[data-testid=undo]').attributes('disabled')).toBeDefined();
    expect(m.wrapper.find('[data-testid=redo]').attributes('disabled')).toBeUndefined();
  });

  it('answer Ctrl-Z and Ctrl-Y outside text fields', async () => {
    const client = dirtyClient();
    m = await mountWith(AppToolbar, { client });
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true }));
    await flushPromises();
    expect(client.callsOf('history.undo')).toHaveLength(1);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'y', ctrlKey: true }));
    await flushPromises();
    expect(client.callsOf('history.redo')).toHaveLength(1);
  });
});

describe('the clock', () => {
  it('plays, pauses, steps and changes speed', async () => {
    const client = new FakeLabClient();
    client.data.clock = { nowUs: 83_456_000, running: false, speed: 1 };
    m = await mountWith(AppToolbar, { client });
    expect(m.wrapper.find('[data-testid=clock-time]').text()).toBe('0:01:23.456');
    expect(m.wrapper.find('[data-testid=clock-pause]').attributes('disabled')).toBeDefined();
    await click(m, 'clock-play');
    expect(client.callsOf('clock.play')).toHaveLength(1);
    expect(m.wrapper.find('[data-testid=clock-play]').attributes('disabled')).toBeDefined();
    await click(m, 'clock-pause');
    await click(m, 'clock-step');
    expect(client.callsOf('clock.step')).toEqual([{}]);
    await m.wrapper.find('[data-testid=clock-speed]').setValue('0.1');
    await flushPromises();
    expect(client.callsOf('clock.setSpeed')).toEqual([{ speed: 0.1 }]);
  });

  it('while a real machine is bridged in, the clock cannot be paused, stepped or sped up', async () => {
    const client = new FakeLabClient();
    client.data.clock = { nowUs: 1_000_000, running: true, speed: 1, bridged: 1 };
    m = await mountWith(AppToolbar, { client });
    expect(m.wrapper.find('[data-testid=clock-pause]').attributes('disabled')).toBeDefined();
    expect(m.wrapper.find('[data-testid=clock-step]').attributes('disabled')).toBeDefined();
    expect(m.wrapper.find('[data-testid=clock-speed]').attributes('disabled')).toBeDefined();
    client.emit('clock', { nowUs: 2_000_000, running: true, speed: 1 });
    await flushPromises();
    expect(m.wrapper.find('[data-testid=clock-pause]').attributes('disabled')).toBeUndefined();
    expect(m.wrapper.find('[data-testid=clock-step]').attributes('disabled')).toBeUndefined();
  });

  it('follows the host’s clock events', async () => {
    const client = new FakeLabClient();
    m = await mountWith(AppToolbar, { client });
    client.emit('clock', { nowUs: 3_600_000_000, running: true, speed: 10 });
    await flushPromises();
    expect(m.wrapper.find('[data-testid=clock-time]').text()).toBe('1:00:00.000');
    expect((m.wrapper.find('[data-testid=clock-speed]').element as HTMLSelectElement).value).toBe('10');
  });
});

describe('host networks', () => {
  it('offers the Host Network Manager for a VirtualBox lab and asks the dialogs to show it', async () => {
    m = await mountWith(AppToolbar);
    expect(m.wrapper.find('[data-testid=virtual-network-editor]').exists()).toBe(false);
    await click(m, 'host-network-manager');
    expect(useLabStore().dialog).toEqual({ kind: 'host-networks', hypervisor: 'virtualbox' });
  });
});
