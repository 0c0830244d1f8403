import { describe, expect, it } from 'vitest';
import { DnsView, parseDns } from '../../../core/wire/dns';
import { fuzzInputs } from '../../support/fuzz';
import { DNS_FIXTURES, dnsFixture } from './fixture';
import { FakeNet, ip } from './net';

const SEEDS = DNS_FIXTURES.map(dnsFixture);

/** The input with the id a waiting query expects, so that mutated replies reach the matching code and not just the id check. */
function asReplyTo(input: Uint8Array, id: number): Uint8Array {
  const b = input.slice();
  if (b.length >= 3) {
    new DnsView().wrap(b).setId(id);
    b[2] |= 0x80;
  }
  return b;
}

describe('the DNS engines under garbage', () => {
  it('a forwarding server survives 100,000 mangled queries and upstream replies', () => {
    const net = new FakeNet();
    const fwd = net.server(ip('10.0.2.3'), { zones: [{ origin: 'lab.example', records: [{ name: 'www', type: 'A', address: 1 }] }], upstreams: [ip('8.8.8.8')] });
    const client = ip('10.0.2.15');
    const query = dnsFixture('query-www-example-com-a');
    let n = 0;
    let upstreamId = -1;
    for (const input of fuzzInputs(53, 100_000, SEEDS)) {
      n++;
      if (n % 2 === 0) {
        fwd.receive(client, 40000 + (n % 1000), input);
        continue;
      }
      if (fwd.pendingCount === 0) {
        const q = query.slice();
        new DnsView().wrap(q).setId(n & 0xffff);
        fwd.receive(client, 33333, q);
        upstreamId = new DnsView().wrap(net.wire[net.wire.length - 1].bytes).id;
      }
      fwd.receive(ip('8.8.8.8'), 53, asReplyTo(input, upstreamId));
    }
    expect(fwd.stats.queries).toBeGreaterThan(10_000);
    expect(fwd.stats.malformed).toBeGreaterThan(1000);
    expect(fwd.stats.forwarded).toBeGreaterThan(100);
    // Whatever it sent, to clients or upstream, was a well-formed message.
    expect(net.wire.length).toBeGreaterThan(10_000);
    expect(net.wire.filter((d) => !parseDns(d.bytes).ok)).toEqual([]);
  });

  it('a resolver survives 100,000 mangled replies to its query', () => {
    const net = new FakeNet();
    const { resolver } = net.resolver(ip('10.0.2.15'), 'nameserver 10.0.2.3\n');
    net.down.add(ip('10.0.2.3'));
    let results = 0;
    let port = -1;
    let id = -1;
    for (const input of fuzzInputs(1035, 100_000, SEEDS)) {
      if (port < 0 || !resolver.ownsPort(port)) {
        resolver.lookup('www.example.com', () => results++);
        const sent = net.wire[net.wire.length - 1];
        port = sent.srcPort;
        id = new DnsView().wrap(sent.bytes).id;
      }
      resolver.receive(ip('10.0.2.3'), 53, port, asReplyTo(input, id));
    }
    net.sched.runFor(1000);
    expect(results).toBeGreaterThan(100);
  });
});
