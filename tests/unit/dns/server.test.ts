import { describe, expect, it } from 'vitest';
import type { DnsServerConfig } from '../../../core/devices/dns-server';
import { formatIpv4, type Ipv4Addr } from '../../../core/wire/address';
import {
  DNS_RCODE_FORMERR,
  DNS_RCODE_NOERROR,
  DNS_RCODE_NOTIMP,
  DNS_RCODE_NXDOMAIN,
  DNS_RCODE_REFUSED,
  DNS_RCODE_SERVFAIL,
  DNS_TYPE_A,
  DNS_TYPE_AAAA,
  DNS_TYPE_PTR,
  dnsQuery,
  encodeDns,
  formatRdata,
  parseDns,
  type DnsMessage,
} from '../../../core/wire/dns';
import { FakeNet, ip } from './net';

const LAB_ZONE: DnsServerConfig['zones'] = [
  {
    origin: 'lab.example',
    records: [
      { name: 'www', type: 'A', address: ip('192.168.56.10') },
      { name: 'db.lab.example', type: 'A', address: ip('192.168.56.11'), ttl: 60 },
      { name: 'nas', type: 'A', address: ip('192.168.56.12'), ptr: false },
      { name: 'alias', type: 'CNAME', target: 'www' },
      { name: 'web', type: 'CNAME', target: 'alias' },
      { name: 'a.sub', type: 'A', address: ip('192.168.56.20') },
      { name: 'go', type: 'CNAME', target: 'www.example.com.' },
    ],
  },
];

const EXAMPLE_ZONE: DnsServerConfig['zones'] = [
  {
    origin: 'example.com',
    ttl: 3600,
    records: [
      { name: 'example.com', type: 'A', address: ip('93.184.216.34') },
      { name: 'www', type: 'CNAME', target: 'example.com', ttl: 300 },
    ],
  },
];

interface Client {
  got: DnsMessage[];
  ask(server: Ipv4Addr, id: number, name: string, type?: number): void;
  raw(server: Ipv4Addr, bytes: Uint8Array): void;
}

function client(net: FakeNet, addr: Ipv4Addr, port = 33333): Client {
  const got: DnsMessage[] = [];
  net.attach(addr, (_src, _sport, _dport, bytes) => {
    const r = parseDns(bytes);
    if (!r.ok) throw new Error(r.error.message);
    got.push(r.value);
  });
  return {
    got,
    ask: (server, id, name, type = DNS_TYPE_A) => net.send(addr, port, server, 53, encodeDns(dnsQuery(id, name, type))),
    raw: (server, bytes) => net.send(addr, port, server, 53, bytes),
  };
}

const answers = (m: DnsMessage): string[] => m.answers.map((r) => `${r.name} ${r.ttl} ${formatRdata(r)}`);

describe('an authoritative DNS server', () => {
  const setup = (extra: Partial<DnsServerConfig> = {}) => {
    const net = new FakeNet();
    const server = net.server(ip('192.168.56.2'), { zones: LAB_ZONE, ...extra });
    const c = client(net, ip('192.168.56.101'));
    return { net, server, c, dns: ip('192.168.56.2') };
  };

  it('answers an A query for its zone with AA, the client id and the record', () => {
    const { net, c, dns } = setup();
    c.ask(dns, 0x1234, 'www.lab.example');
    net.sched.runUntilIdle();
    expect(c.got).toHaveLength(1);
    expect(c.got[0]).toMatchObject({ id: 0x1234, qr: true, aa: true, rd: true, rcode: DNS_RCODE_NOERROR });
    expect(answers(c.got[0])).toEqual(['www.lab.example 300 192.168.56.10']);
    expect(net.wire[1].time).toBe(1000);
  });

  it('keeps the case the client asked in and reads absolute names', () => {
    const { net, c, dns } = setup();
    c.ask(dns, 1, 'DB.Lab.Example.');
    net.sched.runUntilIdle();
    expect(answers(c.got[0])).toEqual(['DB.Lab.Example 60 192.168.56.11']);
  });

  it('answers the PTR it generated for each A record, but not for one configured without', () => {
    const { net, c, dns, server } = setup({ recursion: false });
    c.ask(dns, 2, '10.56.168.192.in-addr.arpa', DNS_TYPE_PTR);
    c.ask(dns, 3, '12.56.168.192.in-addr.arpa', DNS_TYPE_PTR);
    net.sched.runUntilIdle();
    expect(answers(c.got[0])).toEqual(['10.56.168.192.in-addr.arpa 300 www.lab.example.']);
    expect(c.got[0].aa).toBe(true);
    expect(c.got[1].rcode).toBe(DNS_RCODE_REFUSED);
    expect(server.zoneRows().filter((r) => r.generated).map((r) => `${r.name} ${r.value}`)).toEqual([
      '10.56.168.192.in-addr.arpa www.lab.example.',
      '11.56.168.192.in-addr.arpa db.lab.example.',
      '20.56.168.192.in-addr.arpa a.sub.lab.example.',
    ]);
  });

  it('says NXDOMAIN with AA for a name its zone does not have, and counts it', () => {
    const { net, c, dns, server } = setup();
    c.ask(dns, 4, 'nosuch.lab.example');
    net.sched.runUntilIdle();
    expect(c.got[0]).toMatchObject({ rcode: DNS_RCODE_NXDOMAIN, aa: true, answers: [], authorities: [] });
    expect(server.stats.nxdomain).toBe(1);
    expect(net.log).toContain('192.168.56.2 service: 192.168.56.101 asked nosuch.lab.example A: NXDOMAIN (authoritative)');
  });

  it('says NOERROR with no records for another type, and for a name that only has names below it', () => {
    const { net, c, dns } = setup();
    c.ask(dns, 5, 'www.lab.example', DNS_TYPE_AAAA);
    c.ask(dns, 6, 'sub.lab.example');
    c.ask(dns, 7, 'lab.example');
    net.sched.runUntilIdle();
    for (const m of c.got) expect(m).toMatchObject({ rcode: DNS_RCODE_NOERROR, aa: true, answers: [] });
    expect(c.got).toHaveLength(3);
  });

  it('follows a CNAME chain inside its zone and answers every link in order', () => {
    const { net, c, dns } = setup();
    c.ask(dns, 8, 'web.lab.example');
    net.sched.runUntilIdle();
    expect(answers(c.got[0])).toEqual([
      'web.lab.example 300 alias.lab.example.',
      'alias.lab.example 300 www.lab.example.',
      'www.lab.example 300 192.168.56.10',
    ]);
  });

  it('refuses names outside its zones when recursion is off', () => {
    const { net, c, dns, server } = setup({ recursion: false });
    c.ask(dns, 9, 'www.example.com');
    net.sched.runUntilIdle();
    expect(c.got[0]).toMatchObject({ id: 9, rcode: DNS_RCODE_REFUSED, aa: false, ra: false });
    expect(server.stats.refused).toBe(1);
  });

  it('fails with SERVFAIL when recursion is on but it has nowhere to forward', () => {
    const { net, c, dns } = setup();
    c.ask(dns, 10, 'www.example.com');
    net.sched.runUntilIdle();
    expect(c.got[0]).toMatchObject({ rcode: DNS_RCODE_SERVFAIL, ra: true });
  });

  it('answers FORMERR to a broken query, NOTIMP to an opcode it does not know, and ignores a runt', () => {
    const { net, c, dns, server } = setup();
    const q = encodeDns(dnsQuery(0x77, 'www.lab.example'));
    c.raw(dns, q.subarray(0, q.length - 3));
    const notify = q.slice();
    notify[2] |= 4 << 3;
    c.raw(dns, notify);
    c.raw(dns, new Uint8Array(5));
    net.sched.runUntilIdle();
    expect(c.got.map((m) => [m.id, m.rcode])).toEqual([
      [0x77, DNS_RCODE_FORMERR],
      [0x77, DNS_RCODE_NOTIMP],
    ]);
    expect(server.stats.malformed).toBe(2);
  });

  it('sets TC when its answer would not fit in 512 bytes', () => {
    const records = Array.from({ length: 40 }, (_, i) => ({ name: 'many', type: 'A' as const, address: ip('10.0.0.1') + i }));
    const net = new FakeNet();
    const dns = ip('10.0.0.53');
    net.server(dns, { zones: [{ origin: 'big.example', records }] });
    const c = client(net, ip('10.0.0.9'));
    c.ask(dns, 11, 'many.big.example');
    net.sched.runUntilIdle();
    expect(c.got[0]).toMatchObject({ tc: true, answers: [] });
  });
});

describe('a forwarding DNS server', () => {
  // client 10.0.2.15 → VirtualBox-style forwarder 10.0.2.3 → upstream servers; the authority for example.com is 8.8.8.8.
  const setup = (upstreams: string[], extra: Partial<DnsServerConfig> = {}) => {
    const net = new FakeNet();
    const fwd = net.server(ip('10.0.2.3'), { zones: LAB_ZONE, upstreams: upstreams.map(ip), ...extra });
    const auth = net.server(ip('8.8.8.8'), { zones: EXAMPLE_ZONE, recursion: false });
    const c = client(net, ip('10.0.2.15'));
    return { net, fwd, auth, c, dns: ip('10.0.2.3') };
  };

  it('forwards a name outside its zones with a new id and relays the reply with the client id', () => {
    const { net, c, dns } = setup(['8.8.8.8']);
    c.ask(dns, 0xabcd, 'www.example.com');
    net.sched.runUntilIdle();
    const hops = net.messages().map((d) => `${d.from} > ${d.to} id=${d.msg.id.toString(16)} ${d.msg.qr ? 'reply' : 'query'}`);
    expect(hops).toEqual([
      '10.0.2.15.33333 > 10.0.2.3.53 id=abcd query',
      expect.stringMatching(/^10\.0\.2\.3\.53 > 8\.8\.8\.8\.53 id=[0-9a-f]+ query$/),
      expect.stringMatching(/^8\.8\.8\.8\.53 > 10\.0\.2\.3\.53 id=[0-9a-f]+ reply$/),
      '10.0.2.3.53 > 10.0.2.15.33333 id=abcd reply',
    ]);
    expect(net.messages()[1].msg.id).not.toBe(0xabcd);
    expect(c.got[0]).toMatchObject({ id: 0xabcd, aa: false, ra: true, rcode: 0 });
    expect(net.messages()[2].msg.aa).toBe(true);
    expect(answers(c.got[0])).toEqual(['www.example.com 300 example.com.', 'example.com 3600 93.184.216.34']);
    expect(net.wire.map((d) => d.time)).toEqual([0, 1000, 2000, 3000]);
  });

  it('answers again from its cache with TTLs counted down, then asks upstream once the shortest TTL ran out', () => {
    // runFor, not runUntilIdle: the clock must not run on to the forwarder's cancelled 2 s timer.
    const { net, c, dns, fwd } = setup(['8.8.8.8']);
    c.ask(dns, 1, 'www.example.com');
    net.sched.runFor(10_000);
    net.sched.runFor(100_000_000); // 100 s later
    c.ask(dns, 2, 'www.example.com');
    net.sched.runFor(10_000);
    expect(net.wire).toHaveLength(6);
    expect(c.got[1]).toMatchObject({ id: 2, aa: false, ra: true });
    expect(answers(c.got[1])).toEqual(['www.example.com 200 example.com.', 'example.com 3500 93.184.216.34']);
    expect(fwd.cacheRows()).toEqual([{ name: 'www.example.com', type: 'A', rcode: 'NOERROR', ttl: 200, values: ['example.com.', '93.184.216.34'] }]);
    net.sched.runFor(200_000_000);
    c.ask(dns, 3, 'www.example.com');
    net.sched.runFor(10_000);
    expect(net.wire).toHaveLength(10);
    expect(answers(c.got[2])[0]).toBe('www.example.com 300 example.com.');
    expect(fwd.stats).toMatchObject({ forwarded: 2, cacheHits: 1 });
  });

  it('keeps no NXDOMAIN without an SOA, as RFC 2308 asks', () => {
    const { net, c, dns, fwd } = setup(['8.8.8.8']);
    c.ask(dns, 1, 'nosuch.example.com');
    net.sched.runFor(10_000);
    c.ask(dns, 2, 'nosuch.example.com');
    net.sched.runFor(10_000);
    expect(c.got.map((m) => m.rcode)).toEqual([DNS_RCODE_NXDOMAIN, DNS_RCODE_NXDOMAIN]);
    expect(fwd.stats.forwarded).toBe(2);
  });

  it('caches an NXDOMAIN for the SOA minimum when the upstream gives one', () => {
    const net = new FakeNet();
    const dns = ip('10.0.2.3');
    const fwd = net.server(dns, { upstreams: [ip('9.9.9.9')] });
    // A hand-made upstream that answers NXDOMAIN with the zone's SOA (TTL 3600, minimum 60).
    net.attach(ip('9.9.9.9'), (src, sport, _dport, bytes) => {
      const q = parseDns(bytes);
      if (!q.ok) return;
      const soa = { kind: 'soa' as const, mname: 'a.iana-servers.net', rname: 'noc.dns.icann.org', serial: 1, refresh: 7200, retry: 3600, expire: 1209600, minimum: 60 };
      const r: DnsMessage = { ...q.value, qr: true, ra: true, rcode: DNS_RCODE_NXDOMAIN, authorities: [{ name: 'example.com', type: 6, class: 1, ttl: 3600, data: soa }] };
      net.send(ip('9.9.9.9'), 53, src, sport, encodeDns(r));
    });
    const c = client(net, ip('10.0.2.15'));
    c.ask(dns, 1, 'nosuch.example.com');
    net.sched.runFor(10_000);
    net.sched.runFor(59_000_000);
    c.ask(dns, 2, 'nosuch.example.com');
    net.sched.runFor(10_000);
    expect(fwd.stats).toMatchObject({ forwarded: 1, cacheHits: 1 });
    expect(c.got[1].authorities[0].ttl).toBe(3600 - 59);
    net.sched.runFor(2_000_000);
    c.ask(dns, 3, 'nosuch.example.com');
    net.sched.runFor(10_000);
    expect(fwd.stats.forwarded).toBe(2);
  });

  it('asks the next upstream when one does not answer within 2 s, and prefers the one that answered', () => {
    const { net, c, dns, fwd } = setup(['1.1.1.1', '8.8.8.8']);
    net.down.add(ip('1.1.1.1'));
    c.ask(dns, 1, 'example.com');
    net.sched.runUntilIdle();
    expect(net.wire.filter((d) => d.src === dns && d.dst !== ip('10.0.2.15')).map((d) => [d.time, formatIpv4(d.dst)])).toEqual([
      [1000, '1.1.1.1'],
      [2_001_000, '8.8.8.8'],
    ]);
    expect(c.got[0]).toMatchObject({ id: 1, rcode: 0 });
    expect(net.log).toContain('10.0.2.3 service: no reply from 1.1.1.1 for example.com within 2 s, asking 8.8.8.8');
    fwd.flushCache();
    const before = net.wire.length;
    c.ask(dns, 2, 'example.com');
    net.sched.runUntilIdle();
    expect(formatIpv4(net.wire[before + 1].dst)).toBe('8.8.8.8');
  });

  it('gives SERVFAIL when no upstream answers', () => {
    const { net, c, dns, fwd } = setup(['1.1.1.1', '1.0.0.1']);
    net.down.add(ip('1.1.1.1'));
    net.down.add(ip('1.0.0.1'));
    c.ask(dns, 0x55, 'www.example.com');
    net.sched.runUntilIdle();
    expect(c.got).toHaveLength(1);
    expect(c.got[0]).toMatchObject({ id: 0x55, rcode: DNS_RCODE_SERVFAIL });
    expect(net.wire.map((d) => d.time)).toEqual([0, 1000, 2_001_000, 4_001_000]);
    expect(fwd.pendingCount).toBe(0);
    expect(net.log).toContain('10.0.2.3 error: no reply from 1.1.1.1, 1.0.0.1: SERVFAIL to 10.0.2.15 for www.example.com');
  });

  it('asks the next upstream at once when one answers REFUSED', () => {
    const net = new FakeNet();
    const dns = ip('10.0.2.3');
    net.server(dns, { upstreams: [ip('192.168.1.1'), ip('8.8.8.8')] });
    net.server(ip('192.168.1.1'), { recursion: false });
    net.server(ip('8.8.8.8'), { zones: EXAMPLE_ZONE, recursion: false });
    const c = client(net, ip('10.0.2.15'));
    c.ask(dns, 1, 'example.com');
    net.sched.runUntilIdle();
    expect(answers(c.got[0])).toEqual(['example.com 3600 93.184.216.34']);
    expect(net.wire.map((d) => d.time)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
  });

  it('follows a CNAME from its zone to a name outside and answers both', () => {
    const { net, c, dns } = setup(['8.8.8.8']);
    c.ask(dns, 1, 'go.lab.example');
    net.sched.runUntilIdle();
    expect(c.got[0]).toMatchObject({ id: 1, aa: false, rcode: 0 });
    expect(c.got[0].questions[0].name).toBe('go.lab.example');
    expect(answers(c.got[0])).toEqual(['go.lab.example 300 www.example.com.', 'www.example.com 300 example.com.', 'example.com 3600 93.184.216.34']);
  });

  it('ignores a reply from an address it did not ask, and a client repeating its query', () => {
    const { net, c, dns, fwd } = setup(['8.8.8.8']);
    c.ask(dns, 7, 'www.example.com');
    c.ask(dns, 7, 'www.example.com');
    net.sched.runFor(1500);
    // An attacker guesses the upstream id and races the real answer from another address.
    const upstreamQuery = net.messages()[2].msg;
    const fake: DnsMessage = { ...upstreamQuery, qr: true, answers: [{ name: 'www.example.com', type: 1, class: 1, ttl: 9999, data: { kind: 'a', address: ip('6.6.6.6') } }] };
    net.send(ip('6.6.6.6'), 53, dns, 53, encodeDns(fake));
    net.sched.runUntilIdle();
    expect(fwd.stats).toMatchObject({ forwarded: 1, strayReplies: 1 });
    expect(c.got).toHaveLength(1);
    expect(answers(c.got[0])).toContain('example.com 3600 93.184.216.34');
  });
});
