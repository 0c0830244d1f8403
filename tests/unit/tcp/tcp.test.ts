// A machine's TCP against another over a fake network: handshakes, data, closes, losses and timers as users see them.
import { describe, expect, it } from 'vitest';
import { TCP_ACK, TCP_RST, buildTcp } from '../../../core/wire/tcp';
import { asciiDecode, asciiEncode } from '../../../core/wire/text';
import { formatSsTable, type TcpCloseReason, type TcpSocket } from '../../../core/stack/tcp';
import { FakeNet, ip } from './fake-net';

const MS = 1000;
const S = 1_000_000;

function pair(seed = 1): { net: FakeNet; client: ReturnType<FakeNet['addHost']>; server: ReturnType<FakeNet['addHost']> } {
  const net = new FakeNet();
  const client = net.addHost('10.0.0.1', seed);
  const server = net.addHost('10.0.0.2', seed + 100);
  return { net, client, server };
}

/** A server that answers each line with "echo: line" and closes after "bye". */
function echoServer(server: ReturnType<FakeNet['addHost']>, accepted: TcpSocket[], closes: TcpCloseReason[]): void {
  server.listen(7, (s) => {
    accepted.push(s);
    s.onData = (b) => {
      const text = asciiDecode(b);
      s.write(asciiEncode(`echo: ${text}`));
      if (text === 'bye') s.end();
    };
    s.onClose = (r) => closes.push(r);
  });
}

describe('TCP', () => {
  it('does a three-way handshake with Linux options, exchanges data, and closes with FINs into TIME-WAIT', () => {
    const { net, client, server } = pair();
    const accepted: TcpSocket[] = [];
    const serverCloses: TcpCloseReason[] = [];
    echoServer(server, accepted, serverCloses);
    const got: string[] = [];
    const events: string[] = [];
    const c = client.connect(ip('10.0.0.2'), 7);
    c.onConnect = () => {
      events.push(`connect@${net.sched.now}`);
      c.write(asciiEncode('hello'));
    };
    c.onData = (b) => {
      got.push(asciiDecode(b));
      if (got.length === 1) c.write(asciiEncode('bye'));
    };
    c.onEnd = () => events.push('end');
    c.onClose = (r) => events.push(`close:${r}`);
    net.sched.runFor(100 * MS);

    expect(net.flow()).toEqual([
      'c>s [SYN]',
      's>c [SYN, ACK]',
      'c>s [PSH, ACK] 5', // the handshake's ACK carries the first data
      's>c [PSH, ACK] 11',
      'c>s [PSH, ACK] 3',
      's>c [FIN, PSH, ACK] 9', // written and ended in one turn: the FIN rides on the data
      'c>s [FIN, ACK]', // the client ends on the server's FIN (allowHalfOpen is off)
      's>c [ACK]',
    ]);
    expect(got).toEqual(['echo: hello', 'echo: bye']);
    expect(events).toEqual(['connect@1000', 'end', 'close:fin']);
    expect(serverCloses).toEqual(['fin']);

    // The SYN looks like Linux's: window 64240, MSS 1460, SACK permitted, timestamps, NOP, window scale 7.
    const syn = net.sent[0].seg;
    expect(syn.header.window).toBe(64240);
    expect(syn.header.options?.map((o) => o.kind)).toEqual(['mss', 'sack-permitted', 'timestamps', 'nop', 'window-scale']);
    expect(syn.header.options?.[0]).toEqual({ kind: 'mss', mss: 1460 });
    expect(syn.header.options?.[4]).toEqual({ kind: 'window-scale', shift: 7 });
    expect(syn.header.srcPort).toBeGreaterThanOrEqual(32768);
    expect(syn.header.srcPort).toBeLessThanOrEqual(60999);
    const synAck = net.sent[1].seg.header;
    expect(synAck.ack).toBe((syn.header.seq + 1) >>> 0);
    // After the handshake the window is scaled: 64240 >> 7 = 501, and every segment carries timestamps.
    const data = net.sent[2].seg;
    expect(data.header.window).toBe(501);
    expect(data.header.seq).toBe((syn.header.seq + 1) >>> 0);
    expect(data.header.ack).toBe((synAck.seq + 1) >>> 0);
    expect(data.header.options?.map((o) => o.kind)).toEqual(['nop', 'nop', 'timestamps']);
    const ts = data.header.options?.[2];
    const synAckTs = net.sent[1].seg.header.options?.find((o) => o.kind === 'timestamps');
    expect(ts?.kind === 'timestamps' && synAckTs?.kind === 'timestamps' && ts.tsecr === synAckTs.tsval).toBe(true);

    // The server closed first, so the client passed through LAST-ACK and the server waits in TIME-WAIT for 60 s.
    expect(formatSsTable(server.connections())).toBe(
      [
        'State     Recv-Q Send-Q Local Address:Port Peer Address:Port  Process',
        'LISTEN    0      128          0.0.0.0:7         0.0.0.0:*',
        'TIME-WAIT 0      0           10.0.0.2:7        10.0.0.1:' + syn.header.srcPort,
      ].join('\n'),
    );
    expect(client.connections()).toEqual([]);
    net.sched.runFor(59 * S);
    expect(server.connections().map((r) => r.state)).toEqual(['LISTEN', 'TIME-WAIT']);
    net.sched.runFor(1 * S);
    expect(server.connections().map((r) => r.state)).toEqual(['LISTEN']);
  });

  it('shows connections in ss rows while they are open, with unacknowledged bytes in Send-Q', () => {
    const { net, client, server } = pair();
    server.listen(80, () => {}, { backlog: 511 });
    const c = client.connect(ip('10.0.0.2'), 80);
    expect(client.connections()).toEqual([
      { state: 'SYN-SENT', recvQ: 0, sendQ: 1, localAddress: '10.0.0.1', localPort: String(c.localPort), peerAddress: '10.0.0.2', peerPort: '80' },
    ]);
    net.sched.runFor(10 * MS);
    // The server stops acknowledging: what the client writes stays in its Send-Q.
    net.drop = (s) => s.src === ip('10.0.0.1');
    c.write(new Uint8Array(3000));
    const text = formatSsTable([...server.connections(), ...client.connections()]);
    expect(text.split('\n')).toEqual([
      'State  Recv-Q Send-Q Local Address:Port  Peer Address:Port  Process',
      'LISTEN 0      511          0.0.0.0:80         0.0.0.0:*',
      'ESTAB  0      0           10.0.0.2:80        10.0.0.1:' + String(c.localPort).padEnd(5),
      'ESTAB  0      3000        10.0.0.1:' + String(c.localPort).padEnd(5) + '     10.0.0.2:80',
    ].map((l) => l.trimEnd()));
  });

  it('answers a SYN to a closed port with RST, and connect() fails with "refused" within a round trip', () => {
    const { net, client } = pair();
    const closes: [TcpCloseReason, number][] = [];
    const c = client.connect(ip('10.0.0.2'), 81);
    c.onConnect = () => closes.push(['fin', -1]);
    c.onClose = (r) => closes.push([r, net.sched.now]);
    net.sched.runFor(10 * S);
    expect(closes).toEqual([['refused', 1000]]);
    expect(net.flow()).toEqual(['c>s [SYN]', 's>c [RST, ACK]']);
    const rst = net.sent[1].seg.header;
    expect(rst).toMatchObject({ seq: 0, ack: (net.sent[0].seg.header.seq + 1) >>> 0, flags: TCP_RST | TCP_ACK, window: 0, srcPort: 81, options: [] });
    expect(client.connections()).toEqual([]);
  });

  it('retries an unanswered SYN 6 times at 1, 3, 7, 15, 31 and 63 s, then times out at 127 s', () => {
    const net = new FakeNet();
    const client = net.addHost('10.0.0.1', 5);
    let closed: [TcpCloseReason, number] | null = null;
    const c = client.connect(ip('10.9.9.9'), 80);
    c.onClose = (r) => (closed = [r, net.sched.now]);
    net.sched.runFor(200 * S);
    expect(net.sent.map((s) => s.time / S)).toEqual([0, 1, 3, 7, 15, 31, 63]);
    expect(new Set(net.sent.map((s) => s.seg.header.seq)).size).toBe(1);
    expect(closed).toEqual(['timeout', 127 * S]);
    expect(client.connections()).toEqual([]);
  });

  it('retransmits a lost data segment after the RTO (RTT + 200 ms) and delivers it once', () => {
    const { net, client, server } = pair();
    const received: string[] = [];
    server.listen(80, (s) => {
      s.onData = (b) => received.push(asciiDecode(b));
    });
    const c = client.connect(ip('10.0.0.2'), 80);
    net.sched.runFor(10 * MS);
    let lost = false;
    net.drop = (s) => {
      if (!lost && s.seg.payload.length > 0) return (lost = true);
      return false;
    };
    const from = net.sent.length;
    c.write(asciiEncode('GET / HTTP/1.1\r\n\r\n'));
    net.sched.runFor(1 * S);
    expect(net.flow(from)).toEqual(['c>s [PSH, ACK] 18 lost', 'c>s [PSH, ACK] 18', 's>c [ACK]']);
    const [first, again] = net.sent.slice(from);
    // The handshake measured RTT 1 ms: RTO = SRTT + max(4·RTTVAR, 200 ms) = 201 ms.
    expect(again.time - first.time).toBe(201 * MS);
    expect(again.seg.header.seq).toBe(first.seg.header.seq);
    expect(received).toEqual(['GET / HTTP/1.1\r\n\r\n']);
    expect(client.stats.retransmits).toBe(1);
  });

  it('retransmits a lost SYN after 1 s and then uses a 3 s RTO until it measures one (RFC 6298 5.7)', () => {
    const { net, client, server } = pair();
    server.listen(80, () => {});
    net.drop = (s) => s.seg.header.flags === 2 && net.sent.length === 0;
    let at = -1;
    const c = client.connect(ip('10.0.0.2'), 80);
    c.onConnect = () => (at = net.sched.now);
    net.sched.runFor(5 * S);
    expect(net.flow()).toEqual(['c>s [SYN] lost', 'c>s [SYN]', 's>c [SYN, ACK]', 'c>s [ACK]']);
    expect(at).toBe(1 * S + 1 * MS);
    expect(c.rto).toBe(3 * S);
  });

  it('drops segments that arrive out of order, re-ACKs, and recovers with a fast retransmit before the RTO', () => {
    const { net, client, server } = pair();
    const chunks: Uint8Array[] = [];
    server.listen(80, (s) => {
      s.onData = (b) => chunks.push(b);
    });
    const c = client.connect(ip('10.0.0.2'), 80);
    net.sched.runFor(10 * MS);
    const payload = new Uint8Array(100_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7 + (i >> 8)) & 0xff;
    let dataSegs = 0;
    net.drop = (s) => s.src === ip('10.0.0.1') && s.seg.payload.length > 0 && ++dataSegs === 2;
    const from = net.sent.length;
    const t0 = net.sched.now;
    c.write(payload);
    net.sched.runFor(5 * S);
    const got = new Uint8Array(chunks.reduce((n, b) => n + b.length, 0));
    let o = 0;
    for (const b of chunks) {
      got.set(b, o);
      o += b.length;
    }
    expect(got).toEqual(payload);
    const flow = net.sent.slice(from);
    const lost = flow.find((s) => s.dropped);
    const resent = flow.find((s) => !s.dropped && s.src === ip('10.0.0.1') && s.seg.header.seq === lost?.seg.header.seq);
    // Three duplicate ACKs came back for the hole, and the resend went out a round trip after the loss.
    const dupAcks = flow.filter((s) => s.src === ip('10.0.0.2') && s.seg.header.ack === lost?.seg.header.seq);
    expect(dupAcks.length).toBeGreaterThanOrEqual(3);
    expect(resent && resent.time - t0).toBeLessThan(5 * MS);
    // Segments carry 1448 bytes: MSS 1460 less 12 for timestamps.
    expect(lost?.seg.payload.length).toBe(1448);
  });

  it('reports a reset when the peer aborts an established connection', () => {
    const { net, client, server } = pair();
    let serverSide: TcpSocket | null = null;
    server.listen(80, (s) => (serverSide = s));
    const reasons: TcpCloseReason[] = [];
    const c = client.connect(ip('10.0.0.2'), 80);
    c.onClose = (r) => reasons.push(r);
    net.sched.runFor(10 * MS);
    (serverSide as TcpSocket | null)?.abort();
    net.sched.runFor(10 * MS);
    expect(reasons).toEqual(['reset']);
    expect(net.flow().slice(-1)).toEqual(['s>c [RST, ACK]']);
    expect(client.connections()).toEqual([]);
    expect(server.connections().map((r) => r.state)).toEqual(['LISTEN']);
  });

  it('gives up on a connection whose peer vanished after 15 retransmissions', () => {
    const { net, client, server } = pair();
    server.listen(80, () => {});
    const c = client.connect(ip('10.0.0.2'), 80);
    const reasons: [TcpCloseReason, number][] = [];
    c.onClose = (r) => reasons.push([r, net.sched.now]);
    net.sched.runFor(10 * MS);
    net.drop = () => true;
    c.write(asciiEncode('x'));
    net.sched.runFor(2000 * S);
    expect(reasons.map((r) => r[0])).toEqual(['timeout']);
    const resends = net.sent.filter((s) => s.seg.payload.length === 1);
    expect(resends.length).toBe(16);
    // Doubling from 201 ms, capped at 120 s: about 15 minutes, as Linux's tcp_retries2 = 15.
    expect(reasons[0][1] / S).toBeGreaterThan(900);
    expect(reasons[0][1] / S).toBeLessThan(1000);
  });

  it('fails connect at once with "host-unreachable" when ICMP says so, and with "net-unreachable" without a route', () => {
    const net = new FakeNet();
    const client = net.addHost('10.0.0.1', 9);
    net.unknown = (s) => client.icmpUnreachable(1, s.src, s.dst, s.bytes);
    const reasons: TcpCloseReason[] = [];
    const c = client.connect(ip('10.0.0.77'), 22);
    c.onClose = (r) => reasons.push(r);
    net.sched.runFor(1 * S);
    expect(reasons).toEqual(['host-unreachable']);

    const routeless = new FakeNet();
    const lonely = routeless.addHost('10.0.0.1', 9);
    (lonely.env as { sourceFor: (d: number) => number | null }).sourceFor = () => null;
    const d = lonely.connect(ip('8.8.8.8'), 53);
    d.onClose = (r) => reasons.push(r);
    routeless.sched.runFor(1);
    expect(reasons).toEqual(['host-unreachable', 'net-unreachable']);
    expect(routeless.sent).toEqual([]);
  });

  it('re-ACKs a retransmitted FIN in TIME-WAIT', () => {
    const { net, client, server } = pair();
    server.listen(80, (s) => s.end());
    const c = client.connect(ip('10.0.0.2'), 80);
    c.allowHalfOpen = true;
    c.onEnd = () => c.end();
    net.sched.runFor(10 * MS);
    // Server FIN, client ACK + FIN, server ACK: the server (active closer) is in TIME-WAIT.
    expect(server.connections().map((r) => r.state)).toEqual(['LISTEN', 'TIME-WAIT']);
    const fin = net.sent.find((s) => s.src === ip('10.0.0.1') && s.seg.header.flags & 1);
    if (!fin) throw new Error('no FIN');
    const before = net.sent.length;
    server.receive(fin.src, fin.dst, fin.bytes);
    expect(net.flow(before)).toEqual(['s>c [ACK]']);
    expect(net.sent[before].seg.header.flags).toBe(TCP_ACK);
  });

  it('probes a zero window until the peer opens it, then sends the rest', () => {
    const { net, client, server } = pair();
    const got: number[] = [];
    server.listen(80, (s) => (s.onData = (b) => got.push(b.length)));
    const c = client.connect(ip('10.0.0.2'), 80);
    net.sched.runFor(10 * MS);
    // A forged window update from the server: nothing more may be sent.
    const closed = buildTcp({ srcPort: 80, dstPort: c.localPort, seq: c.rcvNxt, ack: c.sndNxt, flags: TCP_ACK, window: 0 }, new Uint8Array(0), ip('10.0.0.2'), ip('10.0.0.1'));
    client.receive(ip('10.0.0.2'), ip('10.0.0.1'), closed);
    const from = net.sent.length;
    c.write(new Uint8Array(2000));
    net.sched.runFor(100 * MS);
    expect(net.sent.length).toBe(from);
    net.sched.runFor(1 * S);
    // The persist timer sent one byte; the server took it and its ACK reopened the window.
    expect(net.flow(from)).toEqual(['c>s [ACK] 1', 's>c [ACK]', 'c>s [ACK] 1448', 'c>s [PSH, ACK] 551', 's>c [ACK]', 's>c [ACK]']);
    expect(got.reduce((a, b) => a + b, 0)).toBe(2000);
  });

  it('connects to itself through its own address', () => {
    const net = new FakeNet();
    const me = net.addHost('10.0.0.5', 3);
    me.listen(22, (s) => s.write(asciiEncode('SSH-2.0-OpenSSH_8.7\r\n')));
    let banner = '';
    const c = me.connect(ip('10.0.0.5'), 22);
    c.onData = (b) => (banner += asciiDecode(b));
    net.sched.runFor(10 * MS);
    expect(banner).toBe('SSH-2.0-OpenSSH_8.7\r\n');
    expect(me.connections().map((r) => `${r.state} ${r.localPort}`)).toEqual(['LISTEN 22', 'ESTAB 22', `ESTAB ${c.localPort}`]);
  });

  it('is deterministic: the same seeds give the same bytes, and successive connects use distinct ephemeral ports', () => {
    const run = (): string[] => {
      const { net, client, server } = pair(42);
      server.listen(80, (s) => (s.onData = (b) => s.write(b)));
      const ports: number[] = [];
      for (let i = 0; i < 3; i++) {
        const c = client.connect(ip('10.0.0.2'), 80);
        ports.push(c.localPort);
        c.onConnect = () => c.write(asciiEncode(`n${i}`));
        c.onData = () => c.end();
      }
      net.sched.runFor(1 * S);
      expect(new Set(ports).size).toBe(3);
      return net.sent.map((s) => `${s.time} ${Buffer.from(s.bytes).toString('hex')}`);
    };
    expect(run()).toEqual(run());
  });
});
