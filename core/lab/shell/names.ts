// Output lines that name addresses the way ping and traceroute do (a reverse lookup each), kept in order while lookups run on the clock.
import type { DnsRequest, DnsResolver } from '../../stack/dns-resolver';
import type { Ipv4Addr } from '../../wire/address';

interface Item {
  addr: Ipv4Addr | null;
  render(name: string | null): string;
}

/**
 * A queue of text pieces, each possibly waiting for the name of an address. Real tools block in
 * gethostbyaddr before printing; here a piece waits for its lookup and holds back the ones after it.
 */
export class NamePrinter {
  private readonly queue: Item[] = [];
  private readonly cache = new Map<Ipv4Addr, string | null>();
  private pending: DnsRequest | null = null;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly resolver: () => DnsResolver,
    private readonly write: (text: string) => void,
    /** Print addresses without looking them up (-n, or a numeric target for ping). */
    private numeric: boolean,
    /** Wraps the lookup callback so a failure inside it is reported by the command, not thrown into the scheduler. */
    private readonly guard: (fn: () => void) => () => void,
  ) {}

  get idle(): boolean {
    return this.queue.length === 0;
  }

  /** Queues a piece; `render` gets the address's name, or null when it has none (or printing is numeric). */
  push(addr: Ipv4Addr | null, render: (name: string | null) => string): void {
    this.queue.push({ addr, render });
    this.pump();
  }

  /** Calls `fn` once everything queued has been written. */
  whenIdle(fn: () => void): void {
    if (this.idle) fn();
    else this.idleWaiters.push(fn);
  }

  /** Ctrl-C: stop looking names up and write what is left with bare addresses (as ping does when interrupted). */
  flushNumeric(): void {
    this.numeric = true;
    this.pending?.cancel();
    this.pending = null;
    this.pump();
  }

  /** Drops whatever is queued (the command was killed). */
  cancel(): void {
    this.pending?.cancel();
    this.pending = null;
    this.queue.length = 0;
    this.idleWaiters = [];
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const item = this.queue[0];
      let name: string | null = null;
      if (item.addr !== null && !this.numeric) {
        const cached = this.cache.get(item.addr);
        if (cached === undefined) {
          if (this.pending !== null) return;
          const addr = item.addr;
          let sync = true;
          let syncResult: string | null | undefined;
          const req = this.resolver().reverse(addr, (r) => {
            const found = r.ok && r.hostnames.length > 0 ? r.hostnames[0].replace(/\.$/, '') : null;
            if (sync) {
              syncResult = found;
              return;
            }
            this.guard(() => {
              this.pending = null;
              this.cache.set(addr, found);
              this.pump();
            })();
          });
          sync = false;
          if (syncResult !== undefined) {
            this.cache.set(addr, syncResult);
            continue;
          }
          this.pending = req;
          return;
        }
        name = cached;
      }
      this.queue.shift();
      this.write(item.render(name));
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
