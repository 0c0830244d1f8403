import { describe, expect, it } from 'vitest';
import {
  CT_EXHAUSTED,
  CT_TABLE_FULL,
  ConnTrack,
  DIR_ORIGINAL,
  DIR_REPLY,
  LINUX_CONNTRACK_TIMEOUTS,
  PROTO_ICMP,
  PROTO_TCP,
  PROTO_UDP,
  TRACK_IGNORED,
  TRACK_INVALID,
  TRACK_OK,
} from '../../../core/devices/conntrack';
import { Random } from '../../../core/sim/random';
import { US_PER_S } from '../../../core/sim/scheduler';
import { TCP_ACK, TCP_FIN, TCP_SYN } from '../../../core/wire/tcp';

const NAT = 0xc0a80105; // 192.168.1.5
const S = US_PER_S;

describe('conntrack table', () => {
  it('uses the Linux nf_conntrack default timeouts', () => {
    expect(LINUX_CONNTRACK_TIMEOUTS).toEqual({
      tcpSynSent: 120, tcpSynRecv: 60, tcpEstablished: 432000, tcpFinWait: 120, tcpCloseWait: 60,
      tcpLastAck: 30, tcpTimeWait: 120, tcpClose: 10, udp: 30, udpStream: 120, icmp: 30,
    });
  });

  it('finds entries by either tuple through heavy churn (open addressing with backward-shift deletion)', () => {
    const ct = new ConnTrack({ initialCapacity: 16 });
    const rng = new Random(7);
    const live = new Map<string, number>();
    const key = (src: number, sport: number): string => `${src}:${sport}`;
    for (let step = 0; step < 40_000; step++) {
      const src = 0x0a000000 + rng.int(300);
      const sport = 1024 + rng.int(50);
      const k = key(src, sport);
      const have = live.get(k);
      const e = ct.findOriginal(PROTO_UDP, src, sport, 0x08080808, 53, 0);
      expect(e).toBe(have ?? -1);
      if (have !== undefined && rng.int(2) === 0) {
        ct.remove(have);
        live.delete(k);
      } else if (have === undefined) {
        const n = ct.createSnat(PROTO_UDP, src, sport, 0x08080808, 53, NAT, 0);
        expect(n).toBeGreaterThanOrEqual(0);
        live.set(k, n);
        // The reply tuple leads to the same entry.
        expect(ct.findReply(PROTO_UDP, 0x08080808, 53, NAT, ct.replyDport(n), 0)).toBe(n);
      }
    }
    expect(ct.size).toBe(live.size);
    for (const [k, e] of live) {
      const [src, sport] = k.split(':').map(Number);
      expect(ct.findOriginal(PROTO_UDP, src, sport, 0x08080808, 53, 0)).toBe(e);
    }
  });

  it('expires lazily on lookup and in a sweep, on the virtual clock', () => {
    const ct = new ConnTrack();
    const a = ct.createSnat(PROTO_UDP, 0x0a00020f, 1000, 0x08080808, 53, NAT, 0);
    ct.update(a, DIR_ORIGINAL, 0, 0);
    const b = ct.createSnat(PROTO_ICMP, 0x0a00020f, 77, 0x08080808, 0, NAT, 0);
    ct.update(b, DIR_ORIGINAL, 0, 10 * S);
    expect(ct.findOriginal(PROTO_UDP, 0x0a00020f, 1000, 0x08080808, 53, 30 * S - 1)).toBe(a);
    expect(ct.findOriginal(PROTO_UDP, 0x0a00020f, 1000, 0x08080808, 53, 30 * S)).toBe(-1);
    expect(ct.size).toBe(1);
    expect(ct.sweep(40 * S)).toBe(1);
    expect(ct.size).toBe(0);
  });

  it('follows the TCP state table in both directions, including simultaneous open and ignored segments', () => {
    const ct = new ConnTrack();
    const e = ct.createSnat(PROTO_TCP, 0x0a00020f, 40000, 0x5db8d822, 80, NAT, 0);
    expect(ct.update(e, DIR_ORIGINAL, TCP_SYN, 0)).toBe(TRACK_OK);
    expect(ct.stateName(e)).toBe('SYN_SENT');
    expect(ct.update(e, DIR_REPLY, TCP_SYN, 0)).toBe(TRACK_OK); // simultaneous open
    expect(ct.stateName(e)).toBe('SYN_SENT2');
    expect(ct.update(e, DIR_REPLY, TCP_SYN | TCP_ACK, 0)).toBe(TRACK_OK);
    expect(ct.stateName(e)).toBe('SYN_RECV');
    expect(ct.update(e, DIR_REPLY, TCP_SYN | TCP_ACK, 0)).toBe(TRACK_IGNORED); // a retransmitted SYN/ACK
    expect(ct.update(e, DIR_ORIGINAL, TCP_ACK, 5 * S)).toBe(TRACK_OK);
    expect(ct.stateName(e)).toBe('ESTABLISHED');
    expect(ct.expiresAt(e)).toBe(5 * S + 432000 * S);
    expect(ct.update(e, DIR_ORIGINAL, TCP_SYN | TCP_ACK, 6 * S)).toBe(TRACK_INVALID);
    expect(ct.expiresAt(e)).toBe(5 * S + 432000 * S); // invalid segments do not refresh
    expect(ct.update(e, DIR_REPLY, TCP_FIN | TCP_ACK, 7 * S)).toBe(TRACK_OK);
    expect(ct.stateName(e)).toBe('FIN_WAIT');
  });

  it('follows Linux in the ports it picks: keep the inside port, else search its class (1–511, 600–1023, 1024–65535)', () => {
    const ct = new ConnTrack();
    const remote = 0x08080808;
    const first = ct.createSnat(PROTO_TCP, 0x0a00020f, 80, remote, 443, NAT, 0);
    expect(ct.replyDport(first)).toBe(80);
    const low = ct.createSnat(PROTO_TCP, 0x0a000210, 80, remote, 443, NAT, 0);
    expect(ct.replyDport(low)).toBeGreaterThanOrEqual(1);
    expect(ct.replyDport(low)).toBeLessThanOrEqual(511);
    ct.createSnat(PROTO_TCP, 0x0a00020f, 700, remote, 443, NAT, 0);
    const mid = ct.createSnat(PROTO_TCP, 0x0a000210, 700, remote, 443, NAT, 0);
    expect(ct.replyDport(mid)).toBeGreaterThanOrEqual(600);
    expect(ct.replyDport(mid)).toBeLessThanOrEqual(1023);
    ct.createSnat(PROTO_UDP, 0x0a00020f, 33000, remote, 53, NAT, 0);
    const high = ct.createSnat(PROTO_UDP, 0x0a000210, 33000, remote, 53, NAT, 0);
    expect(ct.replyDport(high)).toBeGreaterThanOrEqual(1024);
    // A configured range (MASQUERADE --to-ports) applies even when the inside port is free; ICMP ids are not ports.
    const ranged = new ConnTrack({ portRange: [20000, 20009] });
    const r = ranged.createSnat(PROTO_TCP, 0x0a00020f, 33000, remote, 443, NAT, 0);
    expect(ranged.replyDport(r)).toBe(20000);
    const i = ranged.createSnat(PROTO_ICMP, 0x0a00020f, 4242, remote, 0, NAT, 0);
    expect(ranged.replyDport(i)).toBe(4242);
  });

  it('returns CT_EXHAUSTED when every port is taken for that remote, never throwing', () => {
    const ct = new ConnTrack({ portRange: [50000, 50003] });
    const got: number[] = [];
    for (let k = 0; k < 6; k++) got.push(ct.createSnat(PROTO_UDP, 0x0a000200 + k, 9999, 0x08080808, 53, NAT, 0));
    expect(got.slice(0, 4).every((e) => e >= 0)).toBe(true);
    expect(got.slice(4)).toEqual([CT_EXHAUSTED, CT_EXHAUSTED]);
    expect(new Set(got.slice(0, 4).map((e) => ct.replyDport(e)))).toEqual(new Set([50000, 50001, 50002, 50003]));
    // The same ports are free towards another remote.
    expect(ct.createSnat(PROTO_UDP, 0x0a000209, 9999, 0x01010101, 53, NAT, 0)).toBeGreaterThanOrEqual(0);
  });

  it('a full table evicts a connection never answered (early drop), else says CT_TABLE_FULL', () => {
    const ct = new ConnTrack({ maxEntries: 3, initialCapacity: 2 });
    const ids: number[] = [];
    for (let k = 0; k < 3; k++) {
      const e = ct.createSnat(PROTO_UDP, 0x0a000200 + k, 1000, 0x08080808, 53, NAT, 0);
      ct.update(e, DIR_ORIGINAL, 0, 0);
      ids.push(e);
    }
    const e4 = ct.createSnat(PROTO_UDP, 0x0a000210, 1000, 0x08080808, 53, NAT, 0);
    expect(e4).toBeGreaterThanOrEqual(0);
    expect(ct.size).toBe(3);
    for (const e of [0, 1, 2]) {
      if (!ct.isLive(e)) continue;
      ct.update(e, DIR_REPLY, 0, 0);
      ct.update(e, DIR_ORIGINAL, 0, 0);
    }
    expect([0, 1, 2].every((e) => ct.assured(e))).toBe(true);
    expect(ct.createSnat(PROTO_UDP, 0x0a000211, 1000, 0x08080808, 53, NAT, 0)).toBe(CT_TABLE_FULL);
  });

  it('honours custom timeouts', () => {
    const ct = new ConnTrack({ timeouts: { udp: 5, udpStream: 7 } });
    const e = ct.createSnat(PROTO_UDP, 0x0a00020f, 1, 0x08080808, 53, NAT, 0);
    ct.update(e, DIR_ORIGINAL, 0, 0);
    expect(ct.rows(0)[0].expiresInS).toBe(5);
    ct.update(e, DIR_REPLY, 0, 0);
    expect(ct.rows(0)[0].expiresInS).toBe(7);
    ct.flush();
    expect(ct.rows(0)).toEqual([]);
  });
});

describe('conntrack memory', () => {
  it('100,000 tracked connections cost at most 256 bytes each (heap and typed arrays)', async () => {
    const { natEntryBytes } = await import('../../bench/nat-entry-bytes');
    const bytes = await natEntryBytes();
    expect(bytes).toBeGreaterThan(40); // the struct-of-arrays fields alone are ~60 bytes: a lower figure means a broken measurement
    expect(bytes).toBeLessThanOrEqual(256);
  });
});
