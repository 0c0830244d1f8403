// A fake UDP network for DNS tests: machines by address, datagrams of real bytes delivered after a delay on one clock.
import { DnsServer, type DnsServerConfig } from '../../../core/devices/dns-server';
import { Random } from '../../../core/sim/random';
import { Scheduler } from '../../../core/sim/scheduler';
import { DnsResolver } from '../../../core/stack/dns-resolver';
import { formatIpv4, parseIpv4, type Ipv4Addr } from '../../../core/wire/address';
import { parseDns, type DnsMessage } from '../../../core/wire/dns';

export function ip(text: string): Ipv4Addr {
  const v = parseIpv4(text);
  if (v === null) throw new Error(`bad address ${text}`);
  return v;
}

export interface Datagram {
  time: number;
  src: Ipv4Addr;
  srcPort: number;
  dst: Ipv4Addr;
  dstPort: number;
  bytes: Uint8Array;
}

type Deliver = (src: Ipv4Addr, srcPort: number, dstPort: number, bytes: Uint8Array) => void;

export class FakeNet {
  readonly sched = new Scheduler();
  /** One-way delay of every datagram. */
  delayUs = 1000;
  readonly wire: Datagram[] = [];
  readonly log: string[] = [];
  /** Machines that are switched off: what is sent to them is lost. */
  readonly down = new Set<Ipv4Addr>();
  private readonly nodes = new Map<Ipv4Addr, Deliver>();

  attach(addr: Ipv4Addr, deliver: Deliver): void {
    this.nodes.set(addr, deliver);
  }

  send(src: Ipv4Addr, srcPort: number, dst: Ipv4Addr, dstPort: number, bytes: Uint8Array): void {
    const copy = bytes.slice();
    this.wire.push({ time: this.sched.now, src, srcPort, dst, dstPort, bytes: copy });
    if (this.down.has(dst)) return;
    const node = this.nodes.get(dst);
    if (node === undefined) return;
    this.sched.schedule(this.delayUs, () => node(src, srcPort, dstPort, copy.slice()), undefined);
  }

  /** The datagrams as `tcpdump` would summarise them: `10.0.2.15.33000 > 10.0.2.3.53`, with the parsed message. */
  messages(): { from: string; to: string; msg: DnsMessage }[] {
    return this.wire.map((d) => {
      const r = parseDns(d.bytes);
      if (!r.ok) throw new Error(r.error.message);
      return { from: `${formatIpv4(d.src)}.${d.srcPort}`, to: `${formatIpv4(d.dst)}.${d.dstPort}`, msg: r.value };
    });
  }

  env(addr: Ipv4Addr, seed: number): {
    readonly now: number;
    schedule(delayUs: number, fn: () => void): number;
    cancel(id: number): void;
    readonly random: Random;
    log(kind: string, message: string): void;
  } {
    const sched = this.sched;
    const log = this.log;
    return {
      get now() {
        return sched.now;
      },
      schedule: (d, fn) => sched.timer(d, fn, undefined),
      cancel: (id) => sched.cancel(id),
      random: new Random(seed),
      log: (kind, message) => log.push(`${formatIpv4(addr)} ${kind}: ${message}`),
    };
  }

  server(addr: Ipv4Addr, config: DnsServerConfig): DnsServer {
    // Extend the env object rather than spreading it: a spread would freeze the `now` getter at 0.
    const env = Object.defineProperties(this.env(addr, addr), {
      send: { value: (dst: Ipv4Addr, dstPort: number, bytes: Uint8Array) => this.send(addr, 53, dst, dstPort, bytes) },
    }) as ReturnType<FakeNet['env']> & { send(dst: Ipv4Addr, dstPort: number, bytes: Uint8Array): void };
    const server = new DnsServer(env, config);
    this.attach(addr, (src, srcPort, dstPort, bytes) => {
      if (dstPort === 53) server.receive(src, srcPort, bytes);
    });
    return server;
  }

  resolver(addr: Ipv4Addr, resolvConf: string, hosts = ''): { resolver: DnsResolver; released: number[] } {
    let nextPort = 40000;
    const released: number[] = [];
    const env = Object.defineProperties(this.env(addr, addr ^ 0x5eed), {
      sendUdp: {
        value: (server: Ipv4Addr, bytes: Uint8Array, fromPort?: number) => {
          const port = fromPort ?? nextPort++;
          this.send(addr, port, server, 53, bytes);
          return port;
        },
      },
      releasePort: { value: (port: number) => released.push(port) },
    }) as ReturnType<FakeNet['env']> & {
      sendUdp(server: Ipv4Addr, bytes: Uint8Array, fromPort?: number): number;
      releasePort(port: number): void;
    };
    const resolver = new DnsResolver(env, { resolvConf, hosts });
    this.attach(addr, (src, srcPort, dstPort, bytes) => {
      resolver.receive(src, srcPort, dstPort, bytes);
    });
    return { resolver, released };
  }
}
