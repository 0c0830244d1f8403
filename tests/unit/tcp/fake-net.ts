// A fake IP network for TCP tests: machines joined by a delay, every segment parsed and recorded, chosen ones dropped.
import { Scheduler } from '../../../core/sim/scheduler';
import { Random } from '../../../core/sim/random';
import { formatIpv4, parseIpv4, type Ipv4Addr } from '../../../core/wire/address';
import { IPPROTO_TCP } from '../../../core/wire/ipv4';
import { formatTcpFlags, parseTcp, type TcpSegment } from '../../../core/wire/tcp';
import { TcpLayer, type TcpConfig } from '../../../core/stack/tcp';

export interface Sent {
  time: number;
  src: Ipv4Addr;
  dst: Ipv4Addr;
  seg: TcpSegment;
  bytes: Uint8Array;
  dropped: boolean;
}

export const ip = (s: string): Ipv4Addr => parseIpv4(s) as number;

export class FakeNet {
  readonly sched = new Scheduler();
  readonly layers = new Map<Ipv4Addr, TcpLayer>();
  readonly sent: Sent[] = [];
  /** One-way delay. */
  delayUs = 500;
  /** Decides, segment by segment, whether the network loses it. */
  drop: (s: Sent) => boolean = () => false;
  /** Called instead of delivery for a destination with no machine (a black hole by default). */
  unknown: ((s: Sent) => void) | null = null;

  addHost(addr: string, seed: number, config: Partial<TcpConfig> = {}): TcpLayer {
    const me = ip(addr);
    const layer = new TcpLayer(
      {
        clock: this.sched,
        random: new Random(seed),
        sendIpPacket: (src, dst, protocol, payload) => {
          if (protocol !== IPPROTO_TCP) throw new Error('not TCP');
          const p = parseTcp(payload, src, dst);
          if (!p.ok) throw new Error(`the stack sent a malformed segment: ${p.error.message}`);
          const s: Sent = { time: this.sched.now, src, dst, seg: p.value, bytes: payload.slice(), dropped: false };
          s.dropped = this.drop(s);
          this.sent.push(s);
          if (s.dropped) return;
          this.sched.schedule(this.delayUs, () => {
            const peer = this.layers.get(dst);
            if (peer) peer.receive(src, dst, payload);
            else this.unknown?.(s);
          }, undefined);
        },
        sourceFor: () => me,
      },
      config,
    );
    this.layers.set(me, layer);
    return layer;
  }

  /** Segments as short lines: "10.0.0.1:40000 > 10.0.0.2:80 [SYN] len=0", with (lost) marks. */
  summary(from = 0): string[] {
    return this.sent.slice(from).map((s) => {
      const h = s.seg.header;
      return `${formatIpv4(s.src)}:${h.srcPort} > ${formatIpv4(s.dst)}:${h.dstPort} ${formatTcpFlags(h.flags)} len=${s.seg.payload.length}${s.dropped ? ' (lost)' : ''}`;
    });
  }

  /** Same, naming the ends "c" and "s" and leaving ports out, for compact expectations. */
  flow(from = 0): string[] {
    return this.sent.slice(from).map((s) => {
      const h = s.seg.header;
      const dir = s.src < s.dst ? 'c>s' : 's>c';
      return `${dir} ${formatTcpFlags(h.flags)}${s.seg.payload.length ? ` ${s.seg.payload.length}` : ''}${s.dropped ? ' lost' : ''}`;
    });
  }
}
