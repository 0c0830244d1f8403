import { describe, expect, it } from 'vitest';
import { Capture } from '../../../core/sim/capture';
import { Link, Port } from '../../../core/sim/link';
import { Scheduler } from '../../../core/sim/scheduler';
import { toHex } from '../../../core/wire/bytes';
import { emitPcapGlobalHeader, emitPcapRecordHeader, LINKTYPE_ETHERNET, PCAP_GLOBAL_HEADER_LEN, readPcap } from '../../../core/wire/pcap';
import { wireFixture } from '../../fixtures/wire/fixtures';

function pcapOf(records: Array<[number, Uint8Array]>, epochS = 0): Uint8Array {
  const size = PCAP_GLOBAL_HEADER_LEN + records.reduce((n, [, f]) => n + 16 + f.length, 0);
  const b = new Uint8Array(size);
  let o = emitPcapGlobalHeader(b);
  for (const [t, f] of records) {
    o += emitPcapRecordHeader(b, o, t, f.length, epochS);
    b.set(f, o);
    o += f.length;
  }
  return b;
}

/** The same file in the other byte order, as a big-endian machine writes it. */
function swapped(le: Uint8Array): Uint8Array {
  const b = le.slice();
  const swap = (o: number, n: number): void => {
    b.set(le.subarray(o, o + n).slice().reverse(), o);
  };
  swap(0, 4);
  swap(4, 2);
  swap(6, 2);
  for (let o = 8; o < 24; o += 4) swap(o, 4);
  let o = 24;
  while (o < b.length) {
    const incl = le[o + 8] | (le[o + 9] << 8) | (le[o + 10] << 16) | (le[o + 11] << 24);
    for (let k = 0; k < 16; k += 4) swap(o + k, 4);
    o += 16 + incl;
  }
  return b;
}

describe('pcap', () => {
  it('writes the global header tcpdump writes: magic, version 2.4, snaplen, Ethernet', () => {
    const b = new Uint8Array(24);
    expect(emitPcapGlobalHeader(b)).toBe(24);
    expect(toHex(b)).toBe('d4c3b2a1020004000000000000000000000004000100000' + '0');
  });

  it('splits virtual microseconds into seconds and microseconds, after the epoch offset', () => {
    const b = new Uint8Array(16);
    emitPcapRecordHeader(b, 0, 1_500_042, 60, 1_700_000_000);
    expect(toHex(b)).toBe('01f153654aa107003c0000003c000000');
  });

  it('reads back what it writes, in either byte order', () => {
    const a = wireFixture('arp-request');
    const c = wireFixture('icmp-echo-request');
    const file = pcapOf([
      [0, a],
      [2_000_001, c],
    ]);
    for (const f of [file, swapped(file)]) {
      const r = readPcap(f);
      expect(r?.linktype).toBe(LINKTYPE_ETHERNET);
      expect(r?.records.map((x) => [x.timeUs, toHex(x.frame)])).toEqual([
        [0, toHex(a)],
        [2_000_001, toHex(c)],
      ]);
    }
  });

  it('reads the micro- and nanosecond files scapy writes', () => {
    for (const name of ['pcap-scapy-usec', 'pcap-scapy-nsec']) {
      const r = readPcap(wireFixture(name));
      expect(r?.linktype, name).toBe(1);
      expect(r?.records.length).toBe(2);
      expect(r?.records[0].timeUs).toBe(1_700_000_000_250_000);
      expect(Math.abs(r!.records[1].timeUs - 1_700_000_001_000_123)).toBeLessThanOrEqual(1);
      expect(toHex(r!.records[0].frame)).toBe(toHex(wireFixture('arp-request').subarray(0, 42)));
    }
  });

  it('refuses what is not a whole pcap file', () => {
    const file = pcapOf([[0, wireFixture('arp-reply')]]);
    expect(readPcap(file.subarray(0, 23))).toBeNull();
    expect(readPcap(file.subarray(0, file.length - 1))).toBeNull();
    expect(readPcap(file.subarray(0, 30))).toBeNull();
    const ng = file.slice();
    ng.set([0x0a, 0x0d, 0x0d, 0x0a]); // pcapng
    expect(readPcap(ng)).toBeNull();
    const badUsec = file.slice();
    badUsec.set([0x40, 0x42, 0x0f, 0x00], 28); // 1,000,000 microseconds
    expect(readPcap(badUsec)).toBeNull();
    expect(readPcap(file.subarray(0, 24))?.records).toEqual([]);
  });

  it('a Capture on a link is a pcap file of what crossed it, in order, with virtual times', () => {
    const s = new Scheduler();
    const a = new Port('vm1', 'eth0');
    const b = new Port('host', 'vboxnet0');
    const link = new Link(s, a, b, { delayUs: 50 });
    const cap = new Capture('vboxnet0');
    link.taps.push(cap);
    a.send(wireFixture('arp-request'));
    s.runFor(1_000_000);
    b.send(wireFixture('arp-reply'));
    s.runUntilIdle();
    const r = readPcap(cap.toPcap());
    expect(r?.records.map((x) => [x.timeUs, x.frame.length])).toEqual([
      [0, 60],
      [1_000_000, 60],
    ]);
    expect(toHex(r!.records[1].frame)).toBe(toHex(wireFixture('arp-reply')));
  });
});
