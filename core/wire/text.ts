// UTF-8 and ASCII conversion for names, HTTP and DNS, written here because core/ has no TextEncoder (no DOM, no Node).

/** UTF-8 bytes of `s`; a lone surrogate becomes U+FFFD, as TextEncoder does. */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd;
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/**
 * Decodes UTF-8 as the WHATWG Encoding Standard (TextDecoder) does: each maximal invalid subpart,
 * including a sequence cut short by `end`, becomes one U+FFFD.
 */
export function utf8Decode(b: Uint8Array, start = 0, end = b.length): string {
  let s = '';
  let cp = 0;
  let needed = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let i = start;
  while (i < end) {
    const c = b[i];
    if (needed === 0) {
      i++;
      if (c < 0x80) s += String.fromCharCode(c);
      else if (c >= 0xc2 && c <= 0xdf) {
        needed = 1;
        cp = c & 0x1f;
      } else if (c >= 0xe0 && c <= 0xef) {
        if (c === 0xe0) lower = 0xa0;
        if (c === 0xed) upper = 0x9f;
        needed = 2;
        cp = c & 0x0f;
      } else if (c >= 0xf0 && c <= 0xf4) {
        if (c === 0xf0) lower = 0x90;
        if (c === 0xf4) upper = 0x8f;
        needed = 3;
        cp = c & 0x07;
      } else s += '\ufffd';
      continue;
    }
    if (c < lower || c > upper) {
      // The byte is not consumed: it starts whatever comes next.
      s += '\ufffd';
      cp = needed = seen = 0;
      lower = 0x80;
      upper = 0xbf;
      continue;
    }
    i++;
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (c & 0x3f);
    if (++seen === needed) {
      s += String.fromCodePoint(cp);
      cp = needed = seen = 0;
    }
  }
  if (needed !== 0) s += '\ufffd';
  return s;
}

export function asciiEncode(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function asciiDecode(b: Uint8Array, start = 0, end = b.length): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}
