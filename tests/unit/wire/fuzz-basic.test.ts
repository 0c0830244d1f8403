import { describe, expect, it } from 'vitest';
import { ArpView, emitArp, parseArp } from '../../../core/wire/arp';
import { getU32, setU16, setU32, toHex } from '../../../core/wire/bytes';
import { internetChecksum } from '../../../core/wire/checksum';
import { emitEthernetHeader, ethernetHeaderLength, EthernetView, parseEthernet } from '../../../core/wire/ethernet';
import { emitIcmp, icmpLength, IcmpView, parseIcmp, parseIcmpQuote } from '../../../core/wire/icmp';
import { emitIpv4Header, ipv4HeaderLength, Ipv4View, parseIpv4 } from '../../../core/wire/ipv4';
import { emitPcapGlobalHeader, emitPcapRecordHeader, PCAP_GLOBAL_HEADER_LEN, PCAP_RECORD_HEADER_LEN, readPcap } from '../../../core/wire/pcap';
import { emitUdp, parseUdp, udpChecksum, udpLength, UdpView } from '../../../core/wire/udp';
import { FRAME_FIXTURES, wireFixture } from '../../fixtures/wire/fixtures';
import { fuzzInputs } from '../../support/fuzz';

const COUNT = 100_000;

/** Structural equality for reprs: plain objects, numbers, booleans, strings and byte arrays. */
function same(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b);
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? toHex(x) : x));
}

/** Runs `body` on every input; a throw or a returned complaint fails the test with the input in hex. */
function fuzz(seed: number, seeds: Uint8Array[], body: (input: Uint8Array) => string | null): number {
  let parsed = 0;
  for (const input of fuzzInputs(seed, COUNT, seeds)) {
    let complaint: string | null;
    try {
      complaint = body(input);
    } catch (e) {
      complaint = `threw ${String(e)}`;
    }
    if (complaint === 'parsed') parsed++;
    else if (complaint !== null) expect.fail(`${complaint}\ninput: ${toHex(input)}`);
  }
  return parsed;
}

const frames = FRAME_FIXTURES.map((n) => wireFixture(n));
const ipPackets = frames.map((f) => new EthernetView().wrap(f)).filter((v) => v.ethertype === 0x0800).map((v) => v.payload);
const arps = frames.filter((f) => new EthernetView().wrap(f).ethertype === 0x0806).map((f) => f.subarray(14));

function ipParts(filter: (protocol: number) => boolean): Array<{ src: number; dst: number; payload: Uint8Array }> {
  const out: Array<{ src: number; dst: number; payload: Uint8Array }> = [];
  for (const p of ipPackets) {
    const r = parseIpv4(p, true);
    if (r.ok && filter(r.value.header.protocol)) out.push({ src: r.value.header.src, dst: r.value.header.dst, payload: r.value.payload });
  }
  return out;
}

describe('fuzzing the basic wire formats (100,000 inputs each)', () => {
  it('parseEthernet never throws, and what it reads re-emits to the same header and payload', () => {
    const v = new EthernetView();
    const parsed = fuzz(1, frames, (input) => {
      v.wrap(input).check();
      const r = parseEthernet(input);
      if (!r.ok) return null;
      const out = new Uint8Array(ethernetHeaderLength(r.value.header) + r.value.payload.length);
      out.set(r.value.payload, emitEthernetHeader(r.value.header, out));
      const again = parseEthernet(out);
      if (!again.ok || !same(again.value, r.value)) return `re-emit differs: ${show(r.value.header)} vs ${show(again.ok ? again.value.header : again.error)}`;
      return 'parsed';
    });
    expect(parsed).toBeGreaterThan(COUNT / 4);
  });

  it('parseIpv4 never throws, with or without fragments, and re-emits to the same packet', () => {
    const v = new Ipv4View();
    let n = 0;
    const parsed = fuzz(2, ipPackets, (input) => {
      // Every third input gets a correct header checksum, so mutated fields reach the length and fragment checks.
      if (n % 3 === 2 && input.length >= 20) {
        const hl = (input[0] & 0x0f) * 4;
        if (hl >= 20 && hl <= input.length) {
          setU16(input, 10, 0);
          setU16(input, 10, internetChecksum(input, 0, hl));
        }
      }
      v.wrap(input).check();
      const frags = (n++ & 1) === 1;
      const r = parseIpv4(input, frags);
      if (!r.ok) return null;
      const h = r.value.header;
      const out = new Uint8Array(ipv4HeaderLength(h) + h.payloadLength);
      out.set(r.value.payload, emitIpv4Header(h, out));
      const again = parseIpv4(out, frags);
      if (!again.ok || !same(again.value, r.value)) return `re-emit differs: ${show(r.value)} vs ${show(again.ok ? again.value : again.error)}`;
      return 'parsed';
    });
    expect(parsed).toBeGreaterThan(COUNT / 10);
  });

  it('parseArp never throws, and re-emits to the same repr', () => {
    const v = new ArpView();
    const parsed = fuzz(3, arps, (input) => {
      v.wrap(input).check();
      const r = parseArp(input);
      if (v.check() !== r.ok) return `view check ${v.check()} disagrees with parse ${r.ok}`;
      if (!r.ok) return null;
      const out = new Uint8Array(28);
      emitArp(r.value, out);
      const again = parseArp(out);
      if (!again.ok || !same(again.value, r.value)) return `re-emit differs: ${show(r.value)}`;
      return 'parsed';
    });
    expect(parsed).toBeGreaterThan(COUNT / 10);
  });

  it('parseIcmp never throws (nor its quote reader), and re-emits to the same repr', () => {
    const v = new IcmpView();
    const seeds = ipParts((p) => p === 1).map((x) => x.payload);
    let n = 0;
    const parsed = fuzz(4, seeds, (input) => {
      // Every other input gets a correct checksum, so mutated types and codes reach the decoder.
      if ((n++ & 1) === 1 && input.length >= 8) {
        setU16(input, 2, 0);
        setU16(input, 2, internetChecksum(input));
      }
      v.wrap(input);
      const r = parseIcmp(input);
      if (v.check() !== (r.ok || (input.length >= 8 && r.error.kind === 'unsupported'))) return `view check ${v.check()} disagrees with parse`;
      if (!r.ok) return null;
      if ('original' in r.value) parseIcmpQuote(r.value.original);
      const out = new Uint8Array(icmpLength(r.value));
      emitIcmp(r.value, out);
      const again = parseIcmp(out);
      if (!again.ok || !same(again.value, r.value)) return `re-emit differs: ${show(r.value)} vs ${show(again.ok ? again.value : again.error)}`;
      return 'parsed';
    });
    expect(parsed).toBeGreaterThan(COUNT / 20);
  });

  it('parseUdp never throws, and re-emits to the same repr with the same pseudo-header', () => {
    // Each input is the pseudo-header's source and destination, then the datagram, so mutations reach both.
    const seeds = ipParts((p) => p === 17).map(({ src, dst, payload }) => {
      const b = new Uint8Array(8 + payload.length);
      setU32(b, 0, src);
      setU32(b, 4, dst);
      b.set(payload, 8);
      return b;
    });
    const v = new UdpView();
    let n = 0;
    const parsed = fuzz(5, seeds, (input) => {
      if (input.length < 8) return null;
      const src = getU32(input, 0);
      const dst = getU32(input, 4);
      const udp = input.subarray(8);
      v.wrap(udp);
      // Every third input with a plausible length gets a correct checksum, so mutated ports and lengths parse.
      if (n++ % 3 === 2 && v.check()) {
        setU16(udp, 6, 0);
        setU16(udp, 6, udpChecksum(udp, 0, v.length, src, dst));
      }
      if (v.check()) v.verifyChecksum(src, dst);
      const r = parseUdp(udp, src, dst);
      if (!r.ok) return null;
      const out = new Uint8Array(udpLength(r.value.header));
      emitUdp(r.value.header, out, 0, src, dst, r.value.payload);
      const again = parseUdp(out, src, dst);
      if (!again.ok || !same(again.value, r.value)) return `re-emit differs: ${show(r.value)} vs ${show(again.ok ? again.value : again.error)}`;
      return 'parsed';
    });
    expect(parsed).toBeGreaterThan(COUNT / 20);
  });

  it('readPcap never throws, and what it reads writes back to the same records', () => {
    const seeds = [wireFixture('pcap-scapy-usec'), wireFixture('pcap-scapy-nsec')];
    const mine = new Uint8Array(PCAP_GLOBAL_HEADER_LEN + 2 * PCAP_RECORD_HEADER_LEN + frames[0].length + frames[5].length);
    let o = emitPcapGlobalHeader(mine);
    for (const f of [frames[0], frames[5]]) {
      o += emitPcapRecordHeader(mine, o, 1_234_567, f.length);
      mine.set(f, o);
      o += f.length;
    }
    seeds.push(mine, mine.subarray(0, PCAP_GLOBAL_HEADER_LEN));
    const parsed = fuzz(6, seeds, (input) => {
      const r = readPcap(input);
      if (r === null) return null;
      const size = PCAP_GLOBAL_HEADER_LEN + r.records.reduce((n, x) => n + PCAP_RECORD_HEADER_LEN + x.frame.length, 0);
      const out = new Uint8Array(size);
      let at = emitPcapGlobalHeader(out, 0, r.linktype);
      for (const x of r.records) {
        at += emitPcapRecordHeader(out, at, x.timeUs, x.frame.length);
        out.set(x.frame, at);
        at += x.frame.length;
      }
      const again = readPcap(out);
      if (again === null || !same(again, r)) return `re-emit differs: ${show(r)} vs ${show(again)}`;
      return 'parsed';
    });
    expect(parsed).toBeGreaterThan(COUNT / 20);
  });
});
