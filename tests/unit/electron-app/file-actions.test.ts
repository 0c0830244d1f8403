// The desktop file commands over a real lab host with scripted dialogs: unsaved changes are asked about, Save without a file asks where, failures are shown.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../../core/api/dto';
import { errorDetail, FileActions, labPathFromArgv, windowTitle, type DesktopDialogs } from '../../../electron/file-actions';
import { LabHost } from '../../../electron/host/lab-host';

const ROOT = resolve(import.meta.dirname, '../../..');

function scripted(answers: { open?: Array<string | null>; save?: Array<string | null>; ask?: Array<'save' | 'discard' | 'cancel'> }) {
  const asked: string[] = [];
  const errors: Array<[string, ErrorInfo]> = [];
  const dialogs: DesktopDialogs = {
    chooseLabToOpen: async () => answers.open?.shift() ?? null,
    chooseWhereToSave: async (suggested) => {
      asked.push(`save at ${suggested}`);
      return answers.save?.shift() ?? null;
    },
    askToSave: async (name) => {
      asked.push(`ask ${name}`);
      return answers.ask?.shift() ?? 'cancel';
    },
    showError: (title, error) => void errors.push([title, error]),
  };
  return { dialogs, asked, errors };
}

describe('the file commands', () => {
  let host: LabHost;
  let dir: string;
  const remembered: string[] = [];
  beforeEach(async () => {
    host = new LabHost({ labsDir: resolve(ROOT, 'resources/labs'), play: false, settle: false });
    await host.request('file.openBundled', { name: 'default' });
    dir = mkdtempSync(join(tmpdir(), 'vmnetlab-files-'));
    remembered.length = 0;
  });
  afterEach(() => {
    host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const actions = (d: DesktopDialogs) => new FileActions({ host, dialogs: d, documentsDir: dir, remember: (p) => remembered.push(p) });
  const makeDirty = async () => expect((await host.request('vm.setRunning', { vm: 'vm3', running: false })).ok).toBe(true);

  it('New on an unchanged lab asks nothing', async () => {
    const s = scripted({});
    expect(await actions(s.dialogs).newLab()).toBe(true);
    expect(s.asked).toEqual([]);
    expect(host.snapshot().document.vms).toEqual([]);
  });

  it('New on a changed lab asks first; Cancel keeps the change', async () => {
    await makeDirty();
    const s = scripted({ ask: ['cancel'] });
    expect(await actions(s.dialogs).newLab()).toBe(false);
    expect(s.asked).toEqual(['ask Host-only, bridged and NAT (VirtualBox)']);
    expect(host.snapshot().dirty).toBe(true);
  });

  it("Don't Save discards the change", async () => {
    await makeDirty();
    expect(await actions(scripted({ ask: ['discard'] }).dialogs).newLab()).toBe(true);
    expect(host.snapshot().dirty).toBe(false);
  });

  it('Save on a lab that has no file asks where, suggesting the documents folder, writes it and remembers it', async () => {
    await makeDirty();
    const target = join(dir, 'home.json');
    const s = scripted({ ask: ['save'], save: [target] });
    expect(await actions(s.dialogs).confirmDiscard()).toBe(true);
    expect(s.asked).toEqual(['ask Host-only, bridged and NAT (VirtualBox)', `save at ${join(dir, 'Host-only, bridged and NAT (VirtualBox).json')}`]);
    expect(JSON.parse(readFileSync(target, 'utf8')).vms.find((v: { name: string }) => v.name === 'vm3').running).toBe(false);
    expect(host.snapshot()).toMatchObject({ path: target, dirty: false });
    expect(remembered).toEqual([target]);
    expect(windowTitle(host.snapshot())).toBe('home.json — VM Net Lab');
  });

  it('cancelling the save dialog keeps the lab open and unsaved', async () => {
    await makeDirty();
    const s = scripted({ ask: ['save'], save: [null] });
    expect(await actions(s.dialogs).confirmDiscard()).toBe(false);
    expect(host.snapshot().dirty).toBe(true);
    expect(windowTitle(host.snapshot())).toBe('● Host-only, bridged and NAT (VirtualBox) — VM Net Lab');
  });

  it('opening a file that is not there shows why, and forgets it from the recent list', async () => {
    const forgotten: string[] = [];
    const s = scripted({});
    const a = new FileActions({ host, dialogs: s.dialogs, documentsDir: dir, forget: (p) => forgotten.push(p) });
    const missing = join(dir, 'gone.json');
    expect(await a.openPath(missing)).toBe(false);
    expect(s.errors[0][0]).toBe('gone.json cannot be opened');
    expect(s.errors[0][1].code).toBe('not-found');
    expect(forgotten).toEqual([missing]);
  });

  it('Open… opens the chosen file and remembers it', async () => {
    const target = join(dir, 'copy.json');
    await actions(scripted({ save: [target] }).dialogs).saveAs();
    await host.request('file.new', {});
    expect(await actions(scripted({ open: [target] }).dialogs).open()).toBe(true);
    expect(host.snapshot().path).toBe(target);
    expect(remembered).toEqual([target, target]);
  });

  it('Undo and Redo walk the lab’s history', async () => {
    await makeDirty();
    const a = actions(scripted({}).dialogs);
    expect(await a.undo()).toBe(true);
    expect(host.snapshot().dirty).toBe(false);
    expect(await a.redo()).toBe(true);
    expect(host.snapshot().dirty).toBe(true);
    expect(await a.redo()).toBe(false);
  });
});

describe('helpers', () => {
  it('finds the lab file on a command line, relative to where it was started', () => {
    expect(labPathFromArgv(['.', '--inspect', 'labs/home.json'], '/home/me')).toBe(resolve('/home/me', 'labs/home.json'));
    expect(labPathFromArgv(['--flag', '/abs/LAB.JSON'], '/x')).toBe(resolve('/abs/LAB.JSON'));
    expect(labPathFromArgv(['.', '--no-sandbox'], '/x')).toBeNull();
  });

  it('lists a refusal’s problems by path in the error dialog', () => {
    const detail = errorDetail({ code: 'refused', message: 'the lab has 12 problems', problems: Array.from({ length: 12 }, (_, i) => ({ path: `$.vms[${i}].name`, message: 'is empty', hint: 'name it' })) });
    const lines = detail.split('\n');
    expect(lines[0]).toBe('the lab has 12 problems');
    expect(lines[2]).toBe('• $.vms[0].name: is empty (name it)');
    expect(lines.at(-1)).toBe('…and 2 more');
  });
});
