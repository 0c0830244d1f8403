// The TCP layer fed 100,000 mutated segments (with checksums made valid so they reach the state machine) never throws.
import { describe, expect, it } from 'vitest';
import { finish, pseudoHeaderSum, sum16 } from '../../../core/wire/checksum';
import { setU16 } from '../../../core/wire/bytes';
import { asciiEncode } from '../../../core/wire/text';
import { fuzzInputs } from '../../support/fuzz';
import { FakeNet, ip } from './fake-net';

describe('TCP layer under fuzzing', () => {
  it('survives 100,000 mutated segments, and everything it sends in answer still parses', () => {
    const net = new FakeNet();
    const client = net.addHost('10.0.0.1', 1);
    const server = net.addHost('10.0.0.2', 2);
    server.listen(80, (s) => {
      s.onData = (b) => s.write(b);
    });
    const c = client.connect(ip('10.0.0.2'), 80);
    c.onConnect = () => c.write(asciiEncode('GET / HTTP/1.1\r\n\r\n'));
    net.sched.runFor(100_000);
    const seeds = net.sent.filter((s) => s.dst === ip('10.0.0.2')).map((s) => s.bytes);
    expect(seeds.length).toBeGreaterThan(2);
    // From here on the network loses everything: only the server's answers are checked (FakeNet parses them).
    net.drop = () => true;
    const src = ip('10.0.0.1');
    const dst = ip('10.0.0.2');
    let n = 0;
    for (const input of fuzzInputs(0x7cf, 100_000, seeds)) {
      const seg = input.slice();
      if (seg.length >= 20 && n % 4 !== 0) {
        setU16(seg, 16, 0);
        setU16(seg, 16, finish(sum16(seg, 0, seg.length, pseudoHeaderSum(src, dst, 6, seg.length))));
      }
      server.receive(src, dst, seg);
      if (++n % 1000 === 0) net.sched.runFor(1_000_000);
    }
    net.sched.runFor(3_600_000_000);
    expect(server.stats.segmentsIn).toBeGreaterThan(50_000);
    expect(server.stats.badSegments).toBeGreaterThan(10_000);
    expect(server.connections()[0].state).toBe('LISTEN');
  });
});
