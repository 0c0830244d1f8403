// The TCP wire format against golden segments made by scapy, plus fuzzing of the parser.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIpv4 as parseIpText } from '../../../core/wire/address';
import { fromHex, toHex } from '../../../core/wire/bytes';
import { parseIpv4 } from '../../../core/wire/ipv4';
import { asciiDecode } from '../../../core/wire/text';
import {
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  TCP_URG,
  TcpView,
  buildTcp,
  formatTcpFlags,
  parseTcp,
  tcpHeaderLength,
  type TcpSegment,
} from '../../../core/wire/tcp';
import { fuzzInputs } from '../../support/fuzz';

const CLIENT = parseIpText('10.0.2.15') as number;
const SERVER = parseIpText('93.184.216.34') as number;
const ISN_C = 0x1a2b3c4d;
const ISN_S = 0xc0ffee01;

function fixture(name: string): { ip: Uint8Array; src: number; dst: number; tcp: Uint8Array } {
  const ip = fromHex(readFileSync(new URL(`../../fixtures/tcp/${name}.hex`, import.meta.url), 'utf8'));
  const p = parseIpv4(ip);
  if (!p.ok) throw new Error(p.error.message);
  return { ip, src: p.value.header.src, dst: p.value.header.dst, tcp: p.value.payload };
}

function parsed(name: string): TcpSegment {
  const f = fixture(name);
  const r = parseTcp(f.tcp, f.src, f.dst);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const NAMES = ['syn', 'syn-ack', 'ack', 'data-get', 'fin', 'rst', 'sack', 'unknown-urg'];

describe('TCP wire format', () => {
  it('reads a Linux SYN with MSS 1460, SACK permitted, timestamps and window scale 7', () => {
    const s = parsed('syn');
    expect(s.header).toMatchObject({ srcPort: 45678, dstPort: 80, seq: ISN_C, ack: 0, flags: TCP_SYN, window: 64240, urgentPointer: 0 });
    expect(s.headerLength).toBe(40);
    expect(s.header.options).toEqual([
      { kind: 'mss', mss: 1460 },
      { kind: 'sack-permitted' },
      { kind: 'timestamps', tsval: 2840013585, tsecr: 0 },
      { kind: 'nop' },
      { kind: 'window-scale', shift: 7 },
    ]);
    expect(s.payload.length).toBe(0);
    expect(formatTcpFlags(s.header.flags)).toBe('[SYN]');
  });

  it('reads the SYN-ACK, the ACK, the GET, the FIN and the RST of an exchange', () => {
    const sa = parsed('syn-ack');
    expect(sa.header).toMatchObject({ srcPort: 80, dstPort: 45678, seq: ISN_S, ack: ISN_C + 1, flags: TCP_SYN | TCP_ACK, window: 65160 });
    expect(sa.header.options?.[2]).toEqual({ kind: 'timestamps', tsval: 1117733905, tsecr: 2840013585 });
    expect(formatTcpFlags(sa.header.flags)).toBe('[SYN, ACK]');

    const a = parsed('ack');
    expect(a.header).toMatchObject({ seq: ISN_C + 1, ack: ISN_S + 1, flags: TCP_ACK, window: 502 });
    expect(a.header.options).toEqual([{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', tsval: 2840013586, tsecr: 1117733905 }]);

    const d = parsed('data-get');
    expect(d.header.flags).toBe(TCP_PSH | TCP_ACK);
    expect(asciiDecode(d.payload)).toBe('GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n');

    const f = parsed('fin');
    expect(f.header).toMatchObject({ seq: ISN_C + 1 + 75, flags: TCP_FIN | TCP_ACK });
    expect(formatTcpFlags(f.header.flags)).toBe('[FIN, ACK]');

    const r = parsed('rst');
    expect(r.header).toMatchObject({ srcPort: 81, seq: 0, ack: ISN_C + 1, flags: TCP_RST | TCP_ACK, window: 0, options: [] });
    expect(r.headerLength).toBe(20);
  });

  it('reads SACK blocks, keeps an unknown option raw, and reads the urgent pointer', () => {
    expect(parsed('sack').header.options?.[5]).toEqual({
      kind: 'sack',
      blocks: [
        [ISN_C + 1449, ISN_C + 2897],
        [ISN_C + 4345, ISN_C + 5793],
      ],
    });
    const u = parsed('unknown-urg');
    expect(u.header.flags).toBe(TCP_URG | TCP_PSH | TCP_ACK);
    expect(u.header.urgentPointer).toBe(1);
    expect(u.header.options).toHaveLength(2);
    const [unknown, eol] = u.header.options ?? [];
    expect(unknown.kind === 'unknown' && unknown.type === 253 && toHex(unknown.data)).toBe('beef01');
    expect(eol).toEqual({ kind: 'eol' });
    expect(asciiDecode(u.payload)).toBe('!');
  });

  it('emits every fixture back byte for byte, checksum included', () => {
    for (const name of NAMES) {
      const f = fixture(name);
      const s = parsed(name);
      expect(tcpHeaderLength(s.header), name).toBe(s.headerLength);
      expect(toHex(buildTcp(s.header, s.payload, f.src, f.dst)), name).toBe(toHex(f.tcp));
    }
  });

  it('reads options in place through the view, without a repr', () => {
    const f = fixture('syn');
    const v = new TcpView().wrap(f.tcp);
    expect(v.check()).toBe(true);
    expect(v.verifyChecksum(CLIENT, SERVER)).toBe(true);
    expect(v.verifyChecksum(CLIENT, SERVER + 1)).toBe(false);
    expect([v.mssOption, v.windowScaleOption, v.sackPermitted, v.segmentLength]).toEqual([1460, 7, true, 1]);
    expect(v.timestampsOffset).toBe(26);
    const g = new TcpView().wrap(fixture('data-get').tcp);
    expect([g.mssOption, g.windowScaleOption, g.sackPermitted, g.payloadLength, g.segmentLength]).toEqual([0, -1, false, 75, 75]);
  });

  it('refuses a bad checksum, a short data offset, a header past the end and an option overrunning the header', () => {
    const f = fixture('syn');
    const bad = f.tcp.slice();
    bad[4] ^= 1;
    const r1 = parseTcp(bad, f.src, f.dst);
    expect(r1.ok || r1.error.kind).toBe('bad-checksum');
    expect(parseTcp(bad, f.src, f.dst, false).ok).toBe(true);

    const short = f.tcp.slice();
    short[12] = 0x40;
    const r2 = parseTcp(short, f.src, f.dst, false);
    expect(r2.ok || r2.error.kind).toBe('bad-length');

    const r3 = parseTcp(f.tcp.subarray(0, 30), f.src, f.dst, false);
    expect(r3.ok || r3.error.kind).toBe('truncated');

    // Window scale's length byte claims 9 bytes where 3 remain.
    const over = f.tcp.slice();
    over[38] = 9;
    const r4 = parseTcp(over, f.src, f.dst, false);
    expect(r4.ok || r4.error).toEqual({ layer: 'tcp', kind: 'bad-option', message: 'option kind 3 at header offset 37 of length 9 runs past the end of the header' });

    const zeroLen = f.tcp.slice();
    zeroLen[21] = 0; // MSS with length 0
    const r5 = parseTcp(zeroLen, f.src, f.dst, false);
    expect(r5.ok || r5.error.kind).toBe('bad-option');
    expect(new TcpView().wrap(zeroLen).mssOption).toBe(0);
  });

  it('survives 100,000 random and mutated segments without throwing', () => {
    const seeds = NAMES.map((n) => fixture(n).tcp);
    const v = new TcpView();
    let good = 0;
    for (const input of fuzzInputs(0x7c9, 100_000, seeds)) {
      const checked = input.length % 2 === 0;
      const r = parseTcp(input, CLIENT, SERVER, checked);
      if (r.ok) {
        good++;
        // Whatever parses must emit again to a segment that parses to the same header.
        const again = parseTcp(buildTcp(r.value.header, r.value.payload, CLIENT, SERVER), CLIENT, SERVER);
        expect(again.ok).toBe(true);
      }
      v.wrap(input);
      if (v.check()) void (v.mssOption + v.windowScaleOption + v.timestampsOffset);
    }
    expect(good).toBeGreaterThan(1000);
  });
});
