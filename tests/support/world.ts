// Builds small worlds in code for integration tests: machines, switches and cables on one clock.
import { Switch } from '../../core/devices/switch';
import { EventLog } from '../../core/sim/event-log';
import { Link, type Port } from '../../core/sim/link';
import { Random, seedFrom } from '../../core/sim/random';
import { Scheduler } from '../../core/sim/scheduler';
import { parseCidr, parseIpv4, type Ipv4Addr } from '../../core/wire/address';
import { Host } from '../../core/stack/host';
import type { NetInterface } from '../../core/stack/interface';

export class World {
  readonly scheduler = new Scheduler();
  readonly log: EventLog;
  readonly links: Link[] = [];
  private macCounter = 0;

  constructor(readonly seed = 1) {
    this.log = new EventLog(this.scheduler);
  }

  host(name: string): Host {
    return new Host(name, { scheduler: this.scheduler, random: new Random(seedFrom(this.seed, name)), log: this.log });
  }

  /** A host with one interface `eth0` and, when given, a static address like "10.0.0.1/24". */
  hostOn(name: string, port: Port | null, cidr?: string, gateway?: string): { host: Host; eth0: NetInterface } {
    const host = this.host(name);
    const eth0 = host.addInterface('eth0', this.nextMac());
    if (port) this.cable(eth0.port as Port, port);
    if (cidr) {
      const c = parseCidr(cidr);
      if (!c) throw new Error(`bad cidr ${cidr}`);
      host.addAddress(eth0, c.address, c.prefix);
    }
    if (gateway) host.addRoute({ dst: 0, prefix: 0, gateway: ip(gateway), iface: eth0, metric: 0, proto: 'static', src: 0 });
    return { host, eth0 };
  }

  switch(name: string): Switch {
    return new Switch(name, this.scheduler);
  }

  cable(a: Port, b: Port, delayUs = 1): Link {
    const l = new Link(this.scheduler, a, b, { delayUs });
    this.links.push(l);
    return l;
  }

  nextMac(): number {
    // VirtualBox's OUI, counted up: 08:00:27:00:00:01…
    return 0x080027000000 + ++this.macCounter;
  }

  run(seconds: number): void {
    this.scheduler.runFor(seconds * 1_000_000);
  }
}

export function ip(text: string): Ipv4Addr {
  const v = parseIpv4(text);
  if (v === null) throw new Error(`bad address ${text}`);
  return v;
}

/** Pings `dst` once from `host` and runs the clock up to `timeoutS`; returns what ping would report. */
export function pingOnce(world: World, host: Host, dst: string, timeoutS = 2, ttl = 64): { reply: boolean; from?: string; ttl?: number; error?: { from: string; type: number; code: number } } {
  const id = host.newEchoId();
  let result: ReturnType<typeof pingOnce> = { reply: false };
  const close = host.openEcho(id, {
    onReply: (src, _seq, t) => {
      result = { reply: true, from: fmt(src), ttl: t };
    },
    onError: (from, type, code) => {
      result = { reply: false, error: { from: fmt(from), type, code } };
    },
  });
  host.sendEcho(ip(dst), id, 1, new Uint8Array(56), ttl);
  world.run(timeoutS);
  close();
  return result;
}

function fmt(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}
