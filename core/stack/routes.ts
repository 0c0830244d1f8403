// A machine's IPv4 routing table with longest-prefix match, laid out as `ip route` shows it.
import { type Ipv4Addr, prefixToMask } from '../wire/address';
import type { NetInterface } from './interface';

/** Who put a route there, as iproute2's `proto` field says. */
export type RouteProto = 'kernel' | 'boot' | 'static' | 'dhcp';

export interface Route {
  /** Network address (already masked). */
  readonly dst: Ipv4Addr;
  readonly prefix: number;
  /** Next hop, or 0 for a directly connected network. */
  readonly gateway: Ipv4Addr;
  readonly iface: NetInterface;
  readonly metric: number;
  readonly proto: RouteProto;
  /** Preferred source address (`src`), or 0 for none. */
  readonly src: Ipv4Addr;
}

export class RoutingTable {
  /** Sorted by prefix length (longest first), then metric, then insertion: lookup takes the first match. */
  private list: Route[] = [];

  get routes(): readonly Route[] {
    return this.list;
  }

  /** Adds a route; returns false (as `ip route add` says "File exists") when the same one is there. */
  add(r: Route): boolean {
    const dst = (r.dst & prefixToMask(r.prefix)) >>> 0;
    const route: Route = { ...r, dst };
    if (this.list.some((x) => x.dst === dst && x.prefix === r.prefix && x.metric === r.metric)) return false;
    let i = 0;
    while (i < this.list.length) {
      const x = this.list[i];
      if (x.prefix < route.prefix || (x.prefix === route.prefix && x.metric > route.metric)) break;
      i++;
    }
    this.list.splice(i, 0, route);
    return true;
  }

  /** Removes routes matching every given field; returns how many went. */
  remove(match: Partial<Route>): number {
    const before = this.list.length;
    this.list = this.list.filter(
      (r) =>
        !(
          (match.dst === undefined || r.dst === match.dst) &&
          (match.prefix === undefined || r.prefix === match.prefix) &&
          (match.gateway === undefined || r.gateway === match.gateway) &&
          (match.iface === undefined || r.iface === match.iface) &&
          (match.proto === undefined || r.proto === match.proto) &&
          (match.src === undefined || r.src === match.src) &&
          (match.metric === undefined || r.metric === match.metric)
        ),
    );
    return before - this.list.length;
  }

  /** The route for `dst` by longest-prefix match (lowest metric among equals), or null: "Network is unreachable". */
  lookup(dst: Ipv4Addr): Route | null {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      if (r.prefix === 0 || ((dst & prefixToMask(r.prefix)) >>> 0) === r.dst) return r;
    }
    return null;
  }

  defaultRoute(): Route | null {
    return this.list.find((r) => r.prefix === 0) ?? null;
  }
}
