import { describe, expect, it } from 'vitest';
import { Random } from '../../../core/sim/random';
import { asciiDecode, asciiEncode, utf8Decode, utf8Encode } from '../../../core/wire/text';

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

describe('text', () => {
  it('encodes UTF-8 as TextEncoder does, lone surrogates included', () => {
    for (const s of ['', 'vm1', 'héllo', '重启网卡', 'emoji 😀 ok', '\ud800 lone', 'end \udc00', '\udbff\udfff', 'a\u0000b']) {
      expect([...utf8Encode(s)], JSON.stringify(s)).toEqual([...encoder.encode(s)]);
    }
  });

  it('decodes valid UTF-8 back to the same string', () => {
    for (const s of ['', 'Ubuntu 24.04', '重启网卡', '😀', 'ÿ€']) expect(utf8Decode(utf8Encode(s))).toBe(s);
  });

  it('replaces malformed sequences exactly as TextDecoder does', () => {
    const cases = [
      [0xe2, 0x82], // cut short at the end: one U+FFFD
      [0xe2, 0x82, 0x41],
      [0xc0, 0x80], // overlong
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80], // a surrogate
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      [0xf0, 0x9f, 0x98],
      [0x80, 0xbf, 0xff, 0xfe],
    ];
    for (const c of cases) expect(utf8Decode(Uint8Array.from(c)), c.join(',')).toBe(decoder.decode(Uint8Array.from(c)));
  });

  it('agrees with TextDecoder on 20,000 random and near-UTF-8 byte strings, and on sub-ranges', () => {
    const rng = new Random(8);
    const alphabet = [0x41, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    for (let i = 0; i < 20_000; i++) {
      const n = rng.int(12);
      const b = new Uint8Array(n);
      for (let k = 0; k < n; k++) b[k] = i % 2 === 0 ? alphabet[rng.int(alphabet.length)] : rng.int(256);
      expect(utf8Decode(b)).toBe(decoder.decode(b));
      const s = rng.int(n + 1);
      const e = s + rng.int(n - s + 1);
      expect(utf8Decode(b, s, e)).toBe(decoder.decode(b.subarray(s, e)));
    }
  });

  it('ASCII keeps one byte per character and reads a range', () => {
    expect([...asciiEncode('GET /')]).toEqual([71, 69, 84, 32, 47]);
    expect(asciiDecode(Uint8Array.from([0x48, 0x54, 0x54, 0x50, 0x2f]), 1, 4)).toBe('TTP');
    expect(asciiDecode(asciiEncode('\u00ff'))).toBe('\u00ff');
  });
});
