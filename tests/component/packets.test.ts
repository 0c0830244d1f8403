// @vitest-environment happy-dom
// Packets: a link's list as Wireshark's columns, the selected frame's decode tree, its bytes highlighted by the selected line, live frames, .pcap export.
import { afterEach, describe, expect, it, vi } from 'vitest';
import PacketView from '../../renderer/trace/PacketView.vue';
import { useCaptureStore } from '../../renderer/stores/capture';
import { FakeLabClient } from './fake-client';
import { flushPromises, mountWith, type Mounted } from './mount';

let m: Mounted | null = null;
afterEach(() => {
  m?.wrapper.unmount();
  m = null;
});

async function showVm1(client = new FakeLabClient()): Promise<Mounted> {
  m = await mountWith(PacketView, { client });
  await m.wrapper.find('[data-testid=capture-link]').setValue('vm1.eth0');
  await flushPromises();
  return m;
}

const litOffsets = (w: Mounted) => w.wrapper.findAll('[data-testid=hex-view] .b.hl').map((b) => Number(b.attributes('data-offset')));

describe('the packet list', () => {
  it('lists the link’s frames with No., Time, Source, Destination, Protocol, Length and Info', async () => {
    const w = await showVm1();
    expect(w.wrapper.findAll('thead th').map((t) => t.text())).toEqual(['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info']);
    const first = w.wrapper.find('tbody tr[data-number="1"]').findAll('td').map((t) => t.text());
    expect(first).toEqual(['1', '3.000000', 'PcsCompu_c3:a1:e1', 'Broadcast', 'ARP', '60', 'Who has 10.0.2.3? Tell 10.0.2.15']);
    expect(w.wrapper.findAll('tbody tr[data-number]')).toHaveLength(w.client.data.frames.length);
  });

  it('adds frames as they are captured', async () => {
    const w = await showVm1();
    const n = w.client.data.frames.length + 1;
    w.client.emit('frame.captured', { number: n, timeS: 9.5, link: 'vm1.eth0', source: '10.0.2.15', destination: '10.0.2.3', protocol: 'DNS', length: 75, info: 'Standard query 0x1 A example.com' });
    await flushPromises();
    expect(w.wrapper.find(`tbody tr[data-number="${n}"]`).text()).toContain('Standard query 0x1 A example.com');
    // A frame of another link does not show here.
    w.client.emit('frame.captured', { number: 99, timeS: 9.6, link: 'vm2.eth0', source: 'a', destination: 'b', protocol: 'ARP', length: 60, info: 'other link' });
    await flushPromises();
    expect(w.wrapper.text()).not.toContain('other link');
  });

  it('starts and stops the capture of the chosen link', async () => {
    const client = new FakeLabClient();
    client.data.captures = client.data.captures.map((c) => ({ ...c, capturing: false }));
    const w = await showVm1(client);
    await w.wrapper.findAll('button').find((b) => b.text().includes('Start Capture'))?.trigger('click');
    await flushPromises();
    expect(client.callsOf('capture.start')).toEqual([{ link: 'vm1.eth0' }]);
    await w.wrapper.findAll('button').find((b) => b.text().includes('Stop Capture'))?.trigger('click');
    await flushPromises();
    expect(client.callsOf('capture.stop')).toEqual([{ link: 'vm1.eth0' }]);
  });
});

describe('a frame’s decode and bytes', () => {
  it('shows the decode tree of the selected frame and highlights the bytes of the selected line', async () => {
    const w = await showVm1();
    const number = w.client.data.frame.number;
    await w.wrapper.find(`tbody tr[data-number="${number}"]`).trigger('click');
    await flushPromises();
    const top = w.wrapper.findAll('[data-testid=decode-tree] [role=tree] > [role=treeitem] > .line .label').map((l) => l.text());
    expect(top[0]).toMatch(/^Ethernet II, Src: PcsCompu_c3:a1:e1/);
    expect(top[1]).toBe('Internet Protocol Version 4, Src: 10.0.2.15, Dst: 93.184.216.34');
    expect(w.wrapper.findAll('[data-testid=hex-view] .b')).toHaveLength(98);
    expect(litOffsets(w)).toEqual([]);
    // The IPv4 header: bytes 14 to 33.
    await w.wrapper.find('[data-path="1"] > .line .label').trigger('click');
    expect(litOffsets(w)).toEqual(Array.from({ length: 20 }, (_, i) => 14 + i));
    expect(w.wrapper.find('[data-testid=byte-range]').text()).toBe('bytes 14–33');
    expect(w.wrapper.find('[data-path="1"]').attributes('aria-selected')).toBe('true');
  });

  it('opens a line to show its fields', async () => {
    const w = await showVm1();
    await w.wrapper.find(`tbody tr[data-number="${w.client.data.frame.number}"]`).trigger('click');
    await flushPromises();
    expect(w.wrapper.find('[data-path="1.0"]').exists()).toBe(false);
    await w.wrapper.find('[data-path="1"] > .line .twisty').trigger('click');
    expect(w.wrapper.find('[data-path="1"]').attributes('aria-expanded')).toBe('true');
    expect(w.wrapper.findAll('[data-path^="1."]').length).toBeGreaterThan(5);
  });

  it('selects the field a clicked byte belongs to, opening the lines above it', async () => {
    const w = await showVm1();
    await w.wrapper.find(`tbody tr[data-number="${w.client.data.frame.number}"]`).trigger('click');
    await flushPromises();
    // Byte 26 is the first byte of the IPv4 source address.
    await w.wrapper.find('[data-testid=hex-view] .b[data-offset="26"]').trigger('click');
    const path = useCaptureStore().selectedNode;
    expect(path).not.toBeNull();
    const label = w.wrapper.find(`[data-path="${path}"] > .line .label`).text();
    expect(label).toMatch(/^Source Address: 10\.0\.2\.15/);
    expect(litOffsets(w)).toEqual([26, 27, 28, 29]);
  });

  it('moves through the list with the arrow keys', async () => {
    const w = await showVm1();
    await w.wrapper.find('tbody tr[data-number="1"]').trigger('click');
    await w.wrapper.find('[data-testid=packet-list]').trigger('keydown', { key: 'ArrowDown' });
    await flushPromises();
    expect(useCaptureStore().selectedNumber).toBe(2);
    expect(w.wrapper.find('tbody tr[data-number="2"]').attributes('aria-selected')).toBe('true');
  });
});

describe('export', () => {
  it('downloads the capture the host sends as a .pcap file', async () => {
    const w = await showVm1();
    const blobs: Blob[] = [];
    const create = vi.fn((b: Blob) => {
      blobs.push(b);
      return 'blob:pcap';
    });
    const revoke = vi.fn();
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: revoke });
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    await w.wrapper.findAll('button').find((b) => b.text().includes('Export .pcap'))?.trigger('click');
    await flushPromises();
    expect(w.client.callsOf('capture.export')).toEqual([{ link: 'vm1.eth0' }]);
    expect(clicked).toEqual(['vm1.eth0.pcap']);
    const bytes = new Uint8Array(await blobs[0].arrayBuffer());
    // The pcap magic number, little-endian, as the host's base64 said.
    expect([...bytes.slice(0, 4)]).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    click.mockRestore();
  });
});
