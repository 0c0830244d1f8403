// A broadcast domain in memory for DHCP tests: clients and servers exchange real DHCP bytes on the virtual clock.
import { DhcpServer, type DhcpServerConfig } from '../../../core/devices/dhcp-server';
import { type LabEventKind } from '../../../core/sim/event-log';
import { Random } from '../../../core/sim/random';
import { Scheduler } from '../../../core/sim/scheduler';
import { DhcpClient, type DhcpClientOptions, type DhcpLease } from '../../../core/stack/dhcp-client';
import { IPV4_ANY, IPV4_BROADCAST, MAC_BROADCAST, type Ipv4Addr, type MacAddr } from '../../../core/wire/address';
import { DhcpView, parseDhcp, type DhcpRepr } from '../../../core/wire/dhcp';

/** One DHCP message seen on the wire, with the addressing the engines asked for. */
export interface Sent {
  time: number;
  from: string;
  srcIp: Ipv4Addr;
  dstIp: Ipv4Addr;
  dstMac: MacAddr;
  bytes: Uint8Array;
  msg: DhcpRepr;
}

export interface LogEntry {
  time: number;
  node: string;
  kind: LabEventKind;
  message: string;
}

const DELAY_US = 100;
const callIt = (f: () => void): void => f();

export class Net {
  readonly sched = new Scheduler();
  readonly wire: Sent[] = [];
  readonly log: LogEntry[] = [];
  readonly clients = new Map<string, DhcpClient>();
  readonly servers = new Map<string, DhcpServer>();
  readonly downServers = new Set<string>();
  /** Addresses configured per client, as `ip addr` would show them. */
  readonly configured = new Map<string, DhcpLease[]>();
  /** Addresses held by machines without DHCP (a static host), which answer ARP. */
  readonly staticHosts = new Set<Ipv4Addr>();
  private seed = 1;

  private env(node: string) {
    const sched = this.sched;
    return {
      get now() {
        return sched.now;
      },
      schedule: (delayUs: number, fn: () => void) => sched.timer(delayUs, callIt, fn),
      cancel: (id: number) => sched.cancel(id),
      log: (kind: LabEventKind, message: string) => this.log.push({ time: sched.now, node, kind, message }),
    };
  }

  addServer(name: string, config: DhcpServerConfig): DhcpServer {
    const base = this.env(name);
    const server = new DhcpServer(
      {
        ...base,
        get now() {
          return base.now;
        },
        send: (payload, dstIp, dstMac) => {
          if (this.downServers.has(name)) return;
          this.record(name, config.serverIp, dstIp, dstMac, payload);
          this.sched.schedule(DELAY_US, () => {
            for (const c of this.clients.values()) if (dstMac === MAC_BROADCAST || dstMac === c.mac) c.receive(payload);
          }, undefined);
        },
      },
      config,
    );
    this.servers.set(name, server);
    return server;
  }

  addClient(name: string, options: DhcpClientOptions): DhcpClient {
    const base = this.env(name);
    const random = new Random(this.seed++);
    this.configured.set(name, []);
    const client = new DhcpClient(
      {
        ...base,
        get now() {
          return base.now;
        },
        random,
        sendBroadcast: (payload, srcIp) => {
          this.record(name, srcIp, IPV4_BROADCAST, MAC_BROADCAST, payload);
          this.sched.schedule(DELAY_US, () => {
            for (const [n, s] of this.servers) if (!this.downServers.has(n)) s.receive(payload);
          }, undefined);
        },
        sendUnicast: (serverIp, payload) => {
          const mine = this.configured.get(name)?.[0]?.address ?? IPV4_ANY;
          this.record(name, mine, serverIp, 0, payload);
          this.sched.schedule(DELAY_US, () => {
            for (const [n, s] of this.servers) if (!this.downServers.has(n) && s.config.serverIp === serverIp) s.receive(payload);
          }, undefined);
        },
        configure: (lease) => {
          const list = (this.configured.get(name) ?? []).filter((l) => l.address !== lease.address);
          list.push(lease);
          this.configured.set(name, list);
        },
        deconfigure: (lease) => {
          this.configured.set(name, (this.configured.get(name) ?? []).filter((l) => l.address !== lease.address));
        },
        arpProbe: (ip, done) => {
          // arping waits about a second for a reply.
          const inUse = this.staticHosts.has(ip) || [...this.configured].some(([n, ls]) => n !== name && ls.some((l) => l.address === ip));
          this.sched.schedule(1_000_000, () => done(inUse), undefined);
        },
      },
      options,
    );
    this.clients.set(name, client);
    return client;
  }

  addressOf(name: string): Ipv4Addr | null {
    return this.configured.get(name)?.[0]?.address ?? null;
  }

  private record(from: string, srcIp: Ipv4Addr, dstIp: Ipv4Addr, dstMac: MacAddr, bytes: Uint8Array): void {
    const p = parseDhcp(bytes);
    if (!p.ok) throw new Error(`${from} sent a malformed message: ${p.error.message}`);
    this.wire.push({ time: this.sched.now, from, srcIp, dstIp, dstMac, bytes, msg: p.value });
  }

  /** Message types on the wire, from `since` on, as `from:TYPE` strings. */
  trace(since = 0): string[] {
    const names = ['', 'DISCOVER', 'OFFER', 'REQUEST', 'DECLINE', 'ACK', 'NAK', 'RELEASE', 'INFORM'];
    return this.wire.filter((s) => s.time >= since).map((s) => `${s.from}:${names[s.msg.messageType]}`);
  }

  runFor(seconds: number): void {
    this.sched.runFor(seconds * 1_000_000);
  }
}

export const view = new DhcpView();

export function ip(text: string): Ipv4Addr {
  const p = text.split('.').map(Number);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}
