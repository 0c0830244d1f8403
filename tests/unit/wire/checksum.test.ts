import { describe, expect, it } from 'vitest';
import { Random } from '../../../core/sim/random';
import { adjust16, adjust32, finish, internetChecksum, pseudoHeaderSum, sum16 } from '../../../core/wire/checksum';
import { parseEthernet } from '../../../core/wire/ethernet';
import { IPPROTO_UDP } from '../../../core/wire/ipv4';
import { wireFixture } from '../../fixtures/wire/fixtures';

describe('Internet checksum', () => {
  it('matches the worked example of RFC 1071 section 3', () => {
    const b = Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    expect(sum16(b, 0, b.length)).toBe(0x2ddf0);
    expect(internetChecksum(b)).toBe(0x220d);
  });

  it('pads an odd byte with zero on the right', () => {
    expect(internetChecksum(Uint8Array.from([0x12, 0x34, 0x56]))).toBe(~(0x1234 + 0x5600) & 0xffff);
    expect(internetChecksum(Uint8Array.from([0xff, 0x00, 0xab]), 1, 3)).toBe(~0x00ab & 0xffff);
  });

  it('a header with its checksum in place sums to zero; all zeros does not', () => {
    const ip = wireFixture('icmp-echo-request').subarray(14, 34);
    expect(internetChecksum(ip)).toBe(0);
    expect(internetChecksum(new Uint8Array(20))).toBe(0xffff);
  });

  it('folds carries of large sums (a 64 KiB buffer of 0xff)', () => {
    const b = new Uint8Array(65536).fill(0xff);
    expect(internetChecksum(b)).toBe(0);
    expect(finish(0x1_0000_0000)).toBe(~1 & 0xffff);
  });

  it('with the pseudo-header verifies a UDP datagram that scapy made', () => {
    const f = wireFixture('udp-checksum');
    const e = parseEthernet(f);
    if (!e.ok) throw new Error();
    const ip = e.value.payload;
    const udpLen = (ip[24] << 8) | ip[25];
    const src = ((ip[12] << 24) | (ip[13] << 16) | (ip[14] << 8) | ip[15]) >>> 0;
    const dst = ((ip[16] << 24) | (ip[17] << 16) | (ip[18] << 8) | ip[19]) >>> 0;
    expect(finish(sum16(ip, 20, 20 + udpLen, pseudoHeaderSum(src, dst, IPPROTO_UDP, udpLen)))).toBe(0);
    expect(finish(sum16(ip, 20, 20 + udpLen, pseudoHeaderSum(src ^ 1, dst, IPPROTO_UDP, udpLen)))).not.toBe(0);
  });

  it('an incremental update of an all-zero message gives 0, the one case a full sum must settle', () => {
    // An ICMP echo reply with id 0, seq 0 and no data, from a request whose type was rewritten.
    expect(adjust16(0xf7ff, 0x0800, 0x0000)).toBe(0);
    expect(internetChecksum(new Uint8Array(8))).toBe(0xffff);
  });

  it('incremental updates (RFC 1624) equal a full recompute for 16- and 32-bit fields', () => {
    const rng = new Random(1624);
    for (let trial = 0; trial < 2000; trial++) {
      const b = rng.bytes(6 + 2 * rng.int(30));
      b[0] = b[1] = 0;
      const at = 4 + 2 * rng.int((b.length - 4) / 2);
      // Eqn. 3 cannot tell an all-zero message (checksum 0xffff) from one summing to -0 (checksum 0),
      // so the word at 2 stays non-zero, as a real header's version or type field is.
      if (b[2] === 0 && b[3] === 0) b[2] = 0x45;
      const c = internetChecksum(b);
      b[0] = c >>> 8;
      b[1] = c & 0xff;
      const old16 = (b[at] << 8) | b[at + 1];
      const new16 = trial % 7 === 0 ? 0 : rng.int(0x10000);
      b[at] = new16 >>> 8;
      b[at + 1] = new16 & 0xff;
      const patched = adjust16(c, old16, new16);
      b[0] = patched >>> 8;
      b[1] = patched & 0xff;
      expect(internetChecksum(b)).toBe(0);
    }
    for (let trial = 0; trial < 500; trial++) {
      const b = rng.bytes(20);
      b[10] = b[11] = 0;
      const c = internetChecksum(b);
      const oldIp = ((b[12] << 24) | (b[13] << 16) | (b[14] << 8) | b[15]) >>> 0;
      const newIp = rng.u32();
      b[12] = newIp >>> 24;
      b[13] = (newIp >>> 16) & 255;
      b[14] = (newIp >>> 8) & 255;
      b[15] = newIp & 255;
      expect(adjust32(c, oldIp, newIp)).toBe(internetChecksum(b));
    }
  });
});
