// The HTTP parsers (request head, response head, chunked coding, curl's URL) against 100,000 inputs each: nothing throws.
import { describe, expect, it } from 'vitest';
import { parseRequestHead } from '../../../core/devices/http-server';
import { dechunk, parseCurlUrl, parseResponseHead, type ChunkState } from '../../../core/stack/http-client';
import { asciiDecode, asciiEncode } from '../../../core/wire/text';
import { fuzzInputs } from '../../support/fuzz';

const REQUESTS = [
  'GET / HTTP/1.1\r\nHost: vm2\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n',
  'HEAD /index.html?x=1 HTTP/1.0\r\n\r\n',
  'GET http://www.example.com/a%20b HTTP/1.1\r\nHost: www.example.com\r\n\r\n',
].map(asciiEncode);
const RESPONSES = ['HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\n', 'HTTP/1.0 404 Not Found\r\n\r\n'].map(asciiEncode);
const CHUNKED = [asciiEncode('5\r\nhello\r\n0\r\n\r\n'), asciiEncode('a;x=y\r\n0123456789\r\n0\r\nTrailer: 1\r\n\r\n')];
const URLS = ['http://vm2/', 'https://user:pw@www.example.com:8443/a/b?c#d', 'vm1:8080', 'ftp://x/'].map(asciiEncode);

describe('HTTP parsers under fuzzing', () => {
  it('never throw on 100,000 inputs each', () => {
    let accepted = 0;
    for (const b of fuzzInputs(1, 100_000, REQUESTS)) if (parseRequestHead(asciiDecode(b)).ok) accepted++;
    for (const b of fuzzInputs(2, 100_000, RESPONSES)) if (parseResponseHead(asciiDecode(b))) accepted++;
    for (const b of fuzzInputs(3, 100_000, CHUNKED)) {
      let st: ChunkState = { remaining: -1, done: false, pending: new Uint8Array(0) };
      const cut = b.length >> 1;
      const r = dechunk(st, b.subarray(0, cut));
      st = r.state;
      if (!r.error) dechunk(st, b.subarray(cut));
    }
    for (const b of fuzzInputs(4, 100_000, URLS)) if (parseCurlUrl(asciiDecode(b)).ok) accepted++;
    expect(accepted).toBeGreaterThan(10_000);
  });
});
