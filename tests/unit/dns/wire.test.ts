import { describe, expect, it } from 'vitest';
import { parseIpv4 as ip } from '../../../core/wire/address';
import { fromHex, toHex } from '../../../core/wire/bytes';
import {
  DnsView,
  DNS_RCODE_NXDOMAIN,
  DNS_TYPE_A,
  DNS_TYPE_CNAME,
  DNS_TYPE_PTR,
  aRecord,
  checkDnsName,
  cnameRecord,
  dnsLength,
  dnsNameInZone,
  dnsQuery,
  emitDns,
  encodeDns,
  formatRdata,
  parseDns,
  parseReverseName,
  ptrRecord,
  reverseName,
  type DnsMessage,
} from '../../../core/wire/dns';
import { fuzzInputs } from '../../support/fuzz';
import { DNS_FIXTURES, dnsFixture } from './fixture';

function parsed(bytes: Uint8Array): DnsMessage {
  const r = parseDns(bytes);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function header(id: number, flags: number, qd: number, an = 0, ns = 0, ar = 0): number[] {
  return [id >> 8, id & 255, flags >> 8, flags & 255, 0, qd, 0, an, 0, ns, 0, ar];
}

describe('DNS wire format against scapy', () => {
  it('reads a query for www.example.com A and writes the same bytes', () => {
    const bytes = dnsFixture('query-www-example-com-a');
    const m = parsed(bytes);
    expect(m).toMatchObject({ id: 0x1a2b, qr: false, rd: true, opcode: 0, rcode: 0 });
    expect(m.questions).toEqual([{ name: 'www.example.com', type: DNS_TYPE_A, class: 1 }]);
    expect(toHex(encodeDns(m))).toBe(toHex(bytes));
    expect(toHex(encodeDns(dnsQuery(0x1a2b, 'www.example.com')))).toBe(toHex(bytes));
  });

  it('reads a CNAME → A response, uncompressed and compressed, to the same records', () => {
    const plain = parsed(dnsFixture('response-cname-a'));
    const packed = parsed(dnsFixture('response-cname-a-compressed'));
    expect(plain).toMatchObject({ id: 0x1a2b, qr: true, rd: true, ra: true, aa: false, rcode: 0 });
    expect(plain.answers).toEqual([cnameRecord('www.example.com', 'example.com', 300), aRecord('example.com', ip('93.184.216.34') ?? 0, 3600)]);
    expect(packed).toEqual(plain);
    expect(plain.answers.map(formatRdata)).toEqual(['example.com.', '93.184.216.34']);
  });

  it('writes byte for byte what scapy wrote, with and without compression', () => {
    const plain = dnsFixture('response-cname-a');
    const packed = dnsFixture('response-cname-a-compressed');
    const m = parsed(plain);
    expect(toHex(encodeDns(m, { compress: false }))).toBe(toHex(plain));
    expect(toHex(encodeDns(m))).toBe(toHex(packed));
    expect(dnsLength(m)).toBe(packed.length);
    const multi = dnsFixture('response-multi-compressed');
    expect(toHex(encodeDns(parsed(multi)))).toBe(toHex(multi));
  });

  it('reads a compressed answer whose CNAME target and owners are pointers', () => {
    const m = parsed(dnsFixture('response-multi-compressed'));
    expect(m.aa).toBe(true);
    expect(m.answers).toEqual([
      cnameRecord('web.lab.example', 'srv1.lab.example', 60),
      aRecord('srv1.lab.example', ip('192.168.56.10') ?? 0, 60),
      aRecord('srv1.lab.example', ip('192.168.56.11') ?? 0, 60),
    ]);
  });

  it('reads a PTR query and response for 34.216.184.93.in-addr.arpa', () => {
    const q = parsed(dnsFixture('query-ptr'));
    expect(q.questions).toEqual([{ name: '34.216.184.93.in-addr.arpa', type: DNS_TYPE_PTR, class: 1 }]);
    expect(reverseName(ip('93.184.216.34') ?? 0)).toBe(q.questions[0].name);
    expect(parseReverseName('34.216.184.93.IN-ADDR.ARPA.')).toBe(ip('93.184.216.34'));
    expect(parseReverseName('216.184.93.in-addr.arpa')).toBeNull();
    const bytes = dnsFixture('response-ptr');
    const r = parsed(bytes);
    expect(r.aa).toBe(true);
    expect(r.answers).toEqual([ptrRecord('34.216.184.93.in-addr.arpa', 'www.example.com', 86400)]);
    expect(toHex(encodeDns(r, { compress: false }))).toBe(toHex(bytes));
    // Compressed, the owner becomes a pointer to the question: 2 bytes instead of 28.
    expect(dnsLength(r)).toBe(bytes.length - 26);
    expect(parsed(encodeDns(r))).toEqual(r);
  });

  it('reads an NXDOMAIN with empty sections', () => {
    const bytes = dnsFixture('response-nxdomain');
    const m = parsed(bytes);
    expect(m).toMatchObject({ id: 0x4242, rcode: DNS_RCODE_NXDOMAIN, answers: [], authorities: [], additionals: [] });
    expect(m.questions[0].name).toBe('nosuch.example.com');
    expect(toHex(encodeDns(m))).toBe(toHex(bytes));
  });

  it('the header view reads id, flags and counts, and rewrites the id in place', () => {
    const bytes = dnsFixture('response-multi-compressed');
    const v = new DnsView().wrap(bytes);
    expect(v.check()).toBe(true);
    expect([v.id, v.qr, v.opcode, v.aa, v.tc, v.rd, v.ra, v.rcode]).toEqual([0x7777, true, 0, true, false, true, true, 0]);
    expect([v.qdcount, v.ancount, v.nscount, v.arcount]).toEqual([1, 3, 0, 0]);
    v.setId(0xbeef);
    expect(parsed(bytes).id).toBe(0xbeef);
    expect(new DnsView().wrap(new Uint8Array(11)).check()).toBe(false);
    const nx = new DnsView().wrap(dnsFixture('response-nxdomain'));
    expect(nx.rcode).toBe(DNS_RCODE_NXDOMAIN);
  });

  it('emits at an offset inside a larger buffer, pointers staying relative to the message', () => {
    const m = parsed(dnsFixture('response-cname-a-compressed'));
    const buf = new Uint8Array(200);
    const n = emitDns(m, buf, 42);
    expect(toHex(buf.subarray(42, 42 + n))).toBe(toHex(dnsFixture('response-cname-a-compressed')));
  });
});

describe('DNS names', () => {
  it('keeps unusual label bytes through presentation form', () => {
    const m = dnsQuery(1, 'a\\.b.c\\\\d.\\000x.example');
    const bytes = encodeDns(m);
    expect(toHex(bytes.subarray(12, 12 + 4))).toBe('03612e62');
    expect(parsed(bytes).questions[0].name).toBe('a\\.b.c\\\\d.\\000x.example');
  });

  it('says why a name cannot be sent', () => {
    expect(checkDnsName('www.example.com.')).toBeNull();
    expect(checkDnsName('a..b')).toMatch(/empty label/);
    expect(checkDnsName('x'.repeat(64) + '.com')).toMatch(/at most 63/);
    expect(checkDnsName(Array(64).fill('abc').join('.'))).toMatch(/at most 255/);
    expect(() => encodeDns(dnsQuery(1, 'x'.repeat(64)))).toThrow(RangeError);
  });

  it('compares names without case and knows which zone holds them', () => {
    expect(dnsNameInZone('WWW.Lab.Example.', 'lab.example')).toBe(true);
    expect(dnsNameInZone('notlab.example', 'lab.example')).toBe(false);
    expect(dnsNameInZone('anything', '')).toBe(true);
  });

  it('compresses case-sensitively so a client sees the case it asked in', () => {
    const m = parsed(dnsFixture('query-www-example-com-a'));
    m.qr = true;
    m.questions[0].name = 'WWW.Example.COM';
    m.answers = [aRecord('WWW.Example.COM', 1, 5), aRecord('www.example.com', 2, 5)];
    const back = parsed(encodeDns(m));
    expect(back.answers.map((a) => a.name)).toEqual(['WWW.Example.COM', 'www.example.com']);
  });
});

describe('malformed DNS messages are typed errors', () => {
  const question = (name: number[]): Uint8Array => Uint8Array.from([...header(1, 0x0100, 1), ...name, 0, 1, 0, 1]);

  it('a pointer to itself is a loop', () => {
    const r = parseDns(question([0xc0, 12]));
    expect(r.ok ? null : r.error.kind).toBe('compression-loop');
  });

  it('a pointer back into its own name is a loop', () => {
    const r = parseDns(question([1, 0x61, 0xc0, 12]));
    expect(r.ok ? null : r.error.kind).toBe('compression-loop');
    expect(r.ok ? '' : r.error.message).toMatch(/loop/);
  });

  it('a forward pointer is refused, even when it would lead somewhere valid', () => {
    const r = parseDns(question([0xc0, 14, 1, 0x61, 0]));
    expect(r.ok ? null : r.error.kind).toBe('compression-loop');
    expect(r.ok ? '' : r.error.message).toMatch(/forward/);
  });

  it('two names pointing at each other are a loop', () => {
    // Question "a" then pointer to the answer's name; the answer's name points back to the question.
    const bytes = Uint8Array.from([...header(1, 0x8100, 1, 1), 1, 0x61, 0xc0, 18, 0, 1, 0, 1, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4]);
    const r = parseDns(bytes);
    expect(r.ok ? null : r.error.kind).toBe('compression-loop');
  });

  it('a label length of 64 or more is refused', () => {
    const r = parseDns(question([0x40, ...Array(64).fill(0x61), 0]));
    expect(r.ok ? null : r.error.kind).toBe('bad-value');
  });

  it('a name longer than 255 bytes built from pointers is refused', () => {
    const l63 = [63, ...Array(63).fill(0x61)];
    const names: number[] = [];
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      starts.push(12 + names.length);
      names.push(...l63, ...(i === 0 ? [0] : [0xc0, starts[i - 1]]), 0, 1, 0, 1);
    }
    const bytes = Uint8Array.from([...header(1, 0x0100, 4), ...names]);
    const r = parseDns(bytes);
    expect(r.ok ? null : r.error.kind).toBe('bad-length');
    expect(parseDns(bytes.subarray(0, 12 + 3 * 70)).ok).toBe(false); // truncated inside the fourth question
    const three = bytes.slice(0, 12 + 65 + 4 + 2 * 70);
    three[5] = 3;
    expect(parsed(three).questions[2].name.length).toBe(3 * 64 - 1);
  });

  it('counts that promise more than the bytes hold are truncation', () => {
    const bytes = dnsFixture('response-cname-a');
    const r = parseDns(bytes.subarray(0, bytes.length - 1));
    expect(r.ok ? null : r.error.kind).toBe('truncated');
    expect(parseDns(fromHex('1a2b0100')).ok).toBe(false);
  });

  it('an A record with 5 bytes of data is a bad length', () => {
    const m = parsed(dnsFixture('response-cname-a'));
    m.answers[1] = { ...m.answers[1], type: 99, data: { kind: 'raw', bytes: Uint8Array.of(1, 2, 3, 4, 5) } };
    const bytes = encodeDns(m);
    bytes[bytes.length - 14] = DNS_TYPE_A; // retype the raw record as A, keeping its 5 bytes
    const r = parseDns(bytes);
    expect(r.ok ? null : r.error.kind).toBe('bad-length');
  });

  it('a CNAME whose name overruns its data length is a bad length', () => {
    const m = parsed(dnsFixture('response-cname-a'));
    const bytes = encodeDns(m, { compress: false });
    // The CNAME's rdlength (13) ends just before its data at offset 60; claim 12.
    expect(bytes[59]).toBe(13);
    bytes[59] = 12;
    const r = parseDns(bytes);
    expect(r.ok ? null : r.error.kind).toBe('bad-length');
    expect(m.answers[0].type).toBe(DNS_TYPE_CNAME);
  });
});

describe('fuzzing the DNS parser', () => {
  it('never throws on 150,000 random and mutated messages, and whatever it accepts re-emits to the same message', () => {
    const loops = [
      Uint8Array.from([...header(1, 0x0100, 1), 0xc0, 12, 0, 1, 0, 1]),
      Uint8Array.from([...header(1, 0x0100, 1), 1, 0x61, 0xc0, 12, 0, 1, 0, 1]),
      Uint8Array.from([...header(1, 0x8100, 1, 1), 1, 0x61, 0xc0, 18, 0, 1, 0, 1, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4]),
      Uint8Array.from([...header(1, 0x8100, 1, 1), 1, 0x61, 0, 0, 1, 0, 1, 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 9, 0, 2, 0xc0, 0x1b]),
    ];
    const soa = parsed(dnsFixture('response-nxdomain'));
    soa.authorities = [
      {
        name: 'example.com',
        type: 6,
        class: 1,
        ttl: 900,
        data: { kind: 'soa', mname: 'ns.example.com', rname: 'hostmaster.example.com', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 60 },
      },
      { name: 'example.com', type: 15, class: 1, ttl: 900, data: { kind: 'mx', preference: 10, exchange: 'mail.example.com' } },
      { name: '', type: 41, class: 1232, ttl: 0, data: { kind: 'raw', bytes: new Uint8Array(0) } },
    ];
    const seeds = [...DNS_FIXTURES.map(dnsFixture), ...loops, encodeDns(soa)];
    let accepted = 0;
    let count = 0;
    for (const input of fuzzInputs(0xd15, 150_000, seeds)) {
      count++;
      const r = parseDns(input);
      if (!r.ok) {
        expect(typeof r.error.message).toBe('string');
        continue;
      }
      accepted++;
      for (const compress of [true, false]) {
        const again = parseDns(encodeDns(r.value, { compress }));
        if (!again.ok || JSON.stringify(again.value, replacer) !== JSON.stringify(r.value, replacer)) {
          throw new Error(`round trip differs for ${toHex(input)}`);
        }
      }
    }
    expect(count).toBe(150_000);
    expect(accepted).toBeGreaterThan(1000);
  });
});

function replacer(_k: string, v: unknown): unknown {
  return v instanceof Uint8Array ? toHex(v) : v;
}
