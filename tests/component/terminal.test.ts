// @vitest-environment happy-dom
// The terminal: a line editor in front of a line-based shell, output mirrored as text, Ctrl-C, history and typed-ahead lines.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineEditor } from '../../renderer/terminal/line-editor';
import { useTerminalStore } from '../../renderer/stores/terminal';
import TerminalPane from '../../renderer/terminal/TerminalPane.vue';
import { FakeLabClient } from './fake-client';
import { flushPromises, mountWith, type Mounted } from './mount';

/** xterm.js stands in as a recorder: what the view writes, and a way to type. */
const terminals: FakeTerminal[] = [];
class FakeTerminal {
  written = '';
  cols = 80;
  rows = 24;
  textarea: HTMLTextAreaElement | null = null;
  private dataListener: ((d: string) => void) | null = null;
  constructor() {
    terminals.push(this);
  }
  open(parent: HTMLElement): void {
    this.textarea = document.createElement('textarea');
    parent.appendChild(this.textarea);
  }
  onData(l: (d: string) => void): { dispose(): void } {
    this.dataListener = l;
    return { dispose: () => undefined };
  }
  write(s: string): void {
    this.written += s;
  }
  type(s: string): void {
    this.dataListener?.(s);
  }
  clear(): void {}
  focus(): void {}
  resize(c: number, r: number): void {
    this.cols = c;
    this.rows = r;
  }
  dispose(): void {}
}
vi.mock('@xterm/xterm', () => ({ Terminal: FakeTerminal }));

describe('the line editor', () => {
  const history: string[] = [];
  const editor = () => new LineEditor(() => history);

  it('hands over the typed line on Enter', () => {
    const e = editor();
    expect(e.feed('ping 10.0.2.2').actions).toEqual([]);
    expect(e.line).toBe('ping 10.0.2.2');
    expect(e.feed('\r').actions).toEqual([{ kind: 'submit', line: 'ping 10.0.2.2' }]);
    expect(e.line).toBe('');
  });

  it('erases before the cursor with Backspace, in the middle of a line too', () => {
    const e = editor();
    e.feed('ifconfgi');
    e.feed('\x7f\x7f');
    expect(e.line).toBe('ifconf');
    e.feed('ig');
    e.feed('\x1b[D\x1b[D\x1b[D\x7f');
    expect(e.line).toBe('ifcofig');
    expect(e.cursorIndex).toBe(4);
    e.feed('n');
    expect(e.line).toBe('ifconfig');
  });

  it('redraws the rest of the line when a character goes in the middle', () => {
    const e = editor();
    e.feed('ac');
    const r = e.feed('\x1b[Db');
    // One left, then "bc", erase to the end, one back left.
    expect(r.echo).toBe('\x1b[1D' + 'bc\x1b[K\x1b[1D');
  });

  it('walks history with the arrows and keeps the line being typed', () => {
    history.splice(0, history.length, 'ip addr', 'ping -c 1 10.0.2.2');
    const e = editor();
    e.feed('arp');
    e.feed('\x1b[A');
    expect(e.line).toBe('ping -c 1 10.0.2.2');
    e.feed('\x1b[A');
    expect(e.line).toBe('ip addr');
    e.feed('\x1b[A');
    expect(e.line).toBe('ip addr');
    e.feed('\x1b[B\x1b[B');
    expect(e.line).toBe('arp');
  });

  it('abandons the line on Ctrl-C', () => {
    const e = editor();
    e.feed('ping 1.2.3.4');
    expect(e.feed('\x03').actions).toEqual([{ kind: 'interrupt' }]);
    expect(e.line).toBe('');
  });

  it('stops at the first Enter of a paste and gives back the rest', () => {
    const e = editor();
    const r = e.feed('ip route\rarp -n\r');
    expect(r.actions).toEqual([{ kind: 'submit', line: 'ip route' }]);
    expect(r.rest).toBe('arp -n\r');
  });

  it('counts a Chinese character as two columns when moving over it', () => {
    const e = editor();
    e.feed('echo 网卡');
    expect(e.feed('\x1b[D').echo).toBe('\x1b[2D');
  });

  it('ignores control keys it does not know', () => {
    const e = editor();
    e.feed('ls\x1b[5~\x07');
    expect(e.line).toBe('ls');
  });
});

describe('the terminal pane', () => {
  let m: Mounted | null = null;
  afterEach(() => {
    m?.wrapper.unmount();
    m = null;
    terminals.length = 0;
  });

  async function openVm1(client = new FakeLabClient()): Promise<{ client: FakeLabClient; term: FakeTerminal }> {
    m = await mountWith(TerminalPane, { client });
    await useTerminalStore().open('vm1');
    await flushPromises();
    await flushPromises();
    const term = terminals[terminals.length - 1];
    if (!term) throw new Error('no terminal was made');
    return { client, term };
  }

  const mirror = () => m?.wrapper.find('[data-testid=terminal-text-vm1]').text() ?? '';

  it('shows the prompt, runs the typed line and mirrors the output as text', async () => {
    const { client, term } = await openVm1();
    expect(term.written).toBe('[root@vm1 ~]# ');
    term.type('ip addr\r');
    await flushPromises();
    expect(client.callsOf('shell.run')).toEqual([{ node: 'vm1', line: 'ip addr' }]);
    client.emit('terminal.output', { node: 'vm1', id: 1, text: '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP>\n    inet 10.0.2.15/24\n' });
    client.emit('terminal.exit', { node: 'vm1', id: 1, code: 0, prompt: '[root@vm1 ~]# ' });
    await flushPromises();
    expect(mirror()).toBe('[root@vm1 ~]# ip addr\n2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP>\n    inet 10.0.2.15/24\n[root@vm1 ~]#');
    // The typed line was drawn once, by the editor's echo.
    expect(term.written.match(/ip addr/g)).toHaveLength(1);
    expect(term.written).toContain('inet 10.0.2.15/24');
    expect(m?.wrapper.find('[role=log]').text()).toContain('inet 10.0.2.15/24');
  });

  it('interrupts a running command with Ctrl-C', async () => {
    const { client, term } = await openVm1();
    term.type('ping 93.184.216.34\r');
    await flushPromises();
    term.type('\x03');
    await flushPromises();
    expect(client.callsOf('shell.interrupt')).toEqual([{ node: 'vm1' }]);
    client.emit('terminal.exit', { node: 'vm1', id: 1, code: 130, prompt: '[root@vm1 ~]# ' });
    await flushPromises();
    expect(mirror()).toMatch(/ping 93\.184\.216\.34\n\^C\n?\[root@vm1 ~\]#$/);
  });

  it('runs lines typed ahead once the command before them ends', async () => {
    const { client, term } = await openVm1();
    term.type('systemctl restart network\rip addr\r');
    await flushPromises();
    expect(client.callsOf('shell.run').map((c) => c.line)).toEqual(['systemctl restart network']);
    client.emit('terminal.exit', { node: 'vm1', id: 1, code: 0, prompt: '[root@vm1 ~]# ' });
    await flushPromises();
    expect(client.callsOf('shell.run').map((c) => c.line)).toEqual(['systemctl restart network', 'ip addr']);
  });

  it('recalls the previous command with the up arrow', async () => {
    const { client, term } = await openVm1();
    term.type('arp -n\r');
    await flushPromises();
    client.emit('terminal.exit', { node: 'vm1', id: 1, code: 0, prompt: '[root@vm1 ~]# ' });
    await flushPromises();
    term.type('\x1b[A\r');
    await flushPromises();
    expect(client.callsOf('shell.run').map((c) => c.line)).toEqual(['arp -n', 'arp -n']);
  });

  it('tells the shell’s refusal in the terminal and gives the prompt back', async () => {
    const client = new FakeLabClient();
    client.answer('shell.run', () => ({ ok: false, error: { code: 'not-found', message: 'there is no running machine \'vm1\'' } }));
    const { term } = await openVm1(client);
    term.type('ls\r');
    await flushPromises();
    expect(mirror()).toBe("[root@vm1 ~]# ls\nthere is no running machine 'vm1'\n[root@vm1 ~]#");
    expect(useTerminalStore().sessions.vm1.runningId).toBeNull();
  });

  it('runs a command for a dialog ("Restart network") in the machine’s terminal, showing the line', async () => {
    const { client, term } = await openVm1();
    await useTerminalStore().runInTerminal('vm1', 'systemctl restart network');
    expect(client.callsOf('shell.run')).toEqual([{ node: 'vm1', line: 'systemctl restart network' }]);
    expect(term.written).toContain('systemctl restart network');
  });

  it('has a tab per machine that can be closed', async () => {
    await openVm1();
    await useTerminalStore().open('host');
    await flushPromises();
    expect(m?.wrapper.findAll('[role=tab]').map((t) => t.text())).toEqual(['vm1', 'host']);
    expect(m?.wrapper.find('[data-testid=terminal-tab-host]').attributes('aria-selected')).toBe('true');
    await m?.wrapper.find('button[aria-label="Close the terminal of host"]').trigger('click');
    expect(useTerminalStore().tabs).toEqual(['vm1']);
    expect(useTerminalStore().active).toBe('vm1');
  });
});
