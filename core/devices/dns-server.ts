// The lab's DNS server: authoritative for its zones (A, CNAME, PTR), a caching forwarder for every other name.
import type { LabEventKind } from '../sim/event-log';
import type { Random } from '../sim/random';
import { formatIpv4, parseIpv4, type Ipv4Addr } from '../wire/address';
import {
  DNS_CLASS_ANY,
  DNS_CLASS_IN,
  DNS_MAX_UDP,
  DNS_OPCODE_QUERY,
  DNS_PORT,
  DNS_RCODE_FORMERR,
  DNS_RCODE_NOERROR,
  DNS_RCODE_NOTIMP,
  DNS_RCODE_NXDOMAIN,
  DNS_RCODE_REFUSED,
  DNS_RCODE_SERVFAIL,
  DNS_TYPE_A,
  DNS_TYPE_ANY,
  DNS_TYPE_CNAME,
  DNS_TYPE_PTR,
  DNS_TYPE_SOA,
  DnsView,
  checkDnsName,
  dnsNameInZone,
  dnsNameKey,
  dnsRcodeName,
  dnsTypeName,
  effectiveTtl,
  encodeDns,
  formatRdata,
  parseDns,
  reverseName,
  type DnsMessage,
  type DnsQuestion,
  type DnsRdata,
  type DnsRecord,
} from '../wire/dns';

export interface DnsServerEnv {
  /** Virtual time in microseconds. */
  readonly now: number;
  schedule(delayUs: number, fn: () => void): number;
  cancel(id: number): void;
  /** Upstream query ids are random, as every forwarder's are since 2008. */
  readonly random: Random;
  /**
   * Sends a datagram from this server's port 53: replies to clients, and queries to upstream servers (whose
   * replies then arrive on port 53 too and go to `receive`).
   */
  send(dstIp: Ipv4Addr, dstPort: number, bytes: Uint8Array): void;
  log(kind: LabEventKind, message: string): void;
}

/** One record of a zone. Names are relative to the zone's origin unless they end with it or with a dot. */
export type DnsZoneEntry =
  | { name: string; type: 'A'; address: Ipv4Addr; ttl?: number; /** Make the matching PTR (default: the zone's `generatePtr`). */ ptr?: boolean }
  | { name: string; type: 'CNAME'; target: string; ttl?: number }
  /** `name` may be written as the address itself (`192.168.56.10`) or as its in-addr.arpa name. */
  | { name: string; type: 'PTR'; target: string; ttl?: number };

export interface DnsZoneConfig {
  /** `lab.example`, or a reverse zone such as `56.168.192.in-addr.arpa`. */
  origin: string;
  /** TTL of records that give none; default 300 s. */
  ttl?: number;
  records: DnsZoneEntry[];
  /** A PTR record for every A record, as dnsmasq does for its hosts; default true. */
  generatePtr?: boolean;
}

export interface DnsServerConfig {
  zones?: DnsZoneConfig[];
  /** Forward names outside the zones (default true); off, such queries are REFUSED. */
  recursion?: boolean;
  /** Servers to forward to, tried in turn when one does not answer. */
  upstreams?: Ipv4Addr[];
  /** How long to wait for one upstream before asking the next; default 2 s, under a stub's 5 s. */
  upstreamTimeoutUs?: number;
  /** Sends to each upstream before giving up with SERVFAIL; default 1. */
  triesPerUpstream?: number;
  /** Cache forwarded answers for their TTL (default true). */
  cache?: boolean;
  /** Entries kept before the oldest is dropped; default 150, dnsmasq's cache-size. */
  cacheSize?: number;
}

export interface DnsServerStats {
  queries: number;
  authoritative: number;
  forwarded: number;
  cacheHits: number;
  servfail: number;
  refused: number;
  nxdomain: number;
  malformed: number;
  /** Upstream replies that matched no query we sent (late, spoofed or for another port). */
  strayReplies: number;
}

/** One cache row as an inspector shows it. */
export interface DnsCacheRow {
  name: string;
  type: string;
  rcode: string;
  /** Seconds left. */
  ttl: number;
  /** Record data as dig prints it: addresses, `target.` names. */
  values: string[];
}

/** One zone row as an inspector shows it; `generated` marks PTRs made from A records. */
export interface DnsZoneRow {
  name: string;
  type: string;
  ttl: number;
  value: string;
  generated: boolean;
}

interface ZoneRr {
  name: string;
  type: number;
  ttl: number;
  data: DnsRdata;
  generated: boolean;
}

interface CacheEntry {
  name: string;
  type: number;
  rcode: number;
  answers: DnsRecord[];
  authorities: DnsRecord[];
  storedAt: number;
  expiresAt: number;
}

interface Pending {
  upstreamId: number;
  clientIp: Ipv4Addr;
  clientPort: number;
  clientKey: string;
  /** The client's query, parsed. */
  query: DnsMessage;
  /** The question asked upstream: the client's, or the target of a CNAME chain leaving our zones. */
  asked: DnsQuestion;
  /** Our own CNAME records that led out of our zones, put before the upstream's answer. */
  prefix: DnsRecord[];
  bytes: Uint8Array;
  sends: number;
  upstream: number;
  sentTo: Ipv4Addr[];
  timer: number;
}

const DEFAULT_TTL = 300;
const MAX_CHAIN = 8;

function cacheKey(name: string, type: number, cls: number): string {
  return `${dnsNameKey(name)}|${type}|${cls}`;
}

function describe(rcode: number, answers: readonly DnsRecord[]): string {
  if (rcode !== DNS_RCODE_NOERROR) return dnsRcodeName(rcode);
  if (answers.length === 0) return 'no records';
  return answers.map((r) => (r.type === DNS_TYPE_CNAME ? `${r.name} → ${formatRdata(r)}` : formatRdata(r))).join(', ');
}

function response(q: DnsMessage, rcode: number, aa: boolean, ra: boolean, answers: DnsRecord[], authorities: DnsRecord[] = []): DnsMessage {
  return {
    id: q.id,
    qr: true,
    opcode: q.opcode,
    aa,
    tc: false,
    rd: q.rd,
    ra,
    cd: q.cd,
    rcode,
    questions: q.questions,
    answers,
    authorities,
    additionals: [],
  };
}

export class DnsServer {
  readonly stats: DnsServerStats = {
    queries: 0,
    authoritative: 0,
    forwarded: 0,
    cacheHits: 0,
    servfail: 0,
    refused: 0,
    nxdomain: 0,
    malformed: 0,
    strayReplies: 0,
  };

  private config: Required<Omit<DnsServerConfig, 'zones'>> = {
    recursion: true,
    upstreams: [],
    upstreamTimeoutUs: 2_000_000,
    triesPerUpstream: 1,
    cache: true,
    cacheSize: 150,
  };
  private rrs = new Map<string, ZoneRr[]>();
  private origins: string[] = [];
  /** Names that exist in our zones, owners and the empty non-terminals above them (NOERROR, not NXDOMAIN). */
  private nodes = new Set<string>();
  private cache = new Map<string, CacheEntry>();
  private pending = new Map<number, Pending>();
  private byClient = new Map<string, Pending>();
  /** The upstream that answered last, asked first next time. */
  private preferred = 0;
  private readonly view = new DnsView();

  constructor(
    private readonly env: DnsServerEnv,
    config: DnsServerConfig = {},
  ) {
    this.configure(config);
  }

  /** Applies a new configuration, live; the cache is kept unless the upstreams changed. */
  configure(config: DnsServerConfig): void {
    const old = this.config.upstreams;
    this.config = {
      recursion: config.recursion ?? true,
      upstreams: [...(config.upstreams ?? [])],
      upstreamTimeoutUs: config.upstreamTimeoutUs ?? 2_000_000,
      triesPerUpstream: Math.max(1, config.triesPerUpstream ?? 1),
      cache: config.cache ?? true,
      cacheSize: Math.max(1, config.cacheSize ?? 150),
    };
    if (old.length !== this.config.upstreams.length || old.some((u, i) => u !== this.config.upstreams[i]) || !this.config.cache) this.flushCache();
    this.preferred = 0;
    this.loadZones(config.zones ?? []);
  }

  private loadZones(zones: readonly DnsZoneConfig[]): void {
    this.rrs.clear();
    this.nodes.clear();
    this.origins = [];
    const generated: ZoneRr[] = [];
    for (const z of zones) {
      const bad = checkDnsName(z.origin);
      if (bad !== null) {
        this.env.log('error', `DNS zone "${z.origin}" ignored: ${bad}`);
        continue;
      }
      const origin = dnsNameKey(z.origin);
      this.origins.push(origin);
      this.nodes.add(origin);
      const zoneTtl = z.ttl ?? DEFAULT_TTL;
      for (const e of z.records) {
        const name = e.type === 'PTR' ? ptrOwner(e.name, origin) : absolute(e.name, origin);
        const target = e.type === 'A' ? null : absolute(e.target, origin);
        const bad2 = checkDnsName(name) ?? (target === null ? null : checkDnsName(target));
        if (bad2 !== null) {
          this.env.log('error', `DNS record ${e.name} ${e.type} ignored: ${bad2}`);
          continue;
        }
        const ttl = e.ttl ?? zoneTtl;
        if (e.type === 'A') {
          this.add({ name, type: DNS_TYPE_A, ttl, data: { kind: 'a', address: e.address >>> 0 }, generated: false });
          if (e.ptr ?? z.generatePtr ?? true) {
            generated.push({ name: reverseName(e.address >>> 0), type: DNS_TYPE_PTR, ttl, data: { kind: 'name', name }, generated: true });
          }
        } else {
          const type = e.type === 'CNAME' ? DNS_TYPE_CNAME : DNS_TYPE_PTR;
          this.add({ name, type, ttl, data: { kind: 'name', name: target ?? '' }, generated: false });
        }
      }
    }
    // A PTR written by hand wins over one generated for the same address.
    for (const g of generated) {
      const have = this.rrs.get(dnsNameKey(g.name));
      if (have?.some((r) => r.type === DNS_TYPE_PTR && !r.generated)) continue;
      if (have?.some((r) => r.type === DNS_TYPE_PTR && dnsNameKey(formatRdata(r)) === dnsNameKey(formatRdata(g)))) continue;
      this.add(g);
    }
  }

  private add(rr: ZoneRr): void {
    const key = dnsNameKey(rr.name);
    const list = this.rrs.get(key) ?? [];
    // A CNAME cannot share its name with other data (RFC 1034 §3.6.2).
    if ((rr.type === DNS_TYPE_CNAME && list.length > 0) || list.some((r) => r.type === DNS_TYPE_CNAME)) {
      this.env.log('error', `DNS record ${rr.name} ${dnsTypeName(rr.type)} ignored: a CNAME cannot share its name with other records`);
      return;
    }
    if (list.some((r) => r.type === rr.type && formatRdata(r) === formatRdata(rr))) return;
    list.push(rr);
    this.rrs.set(key, list);
    // The name and every name between it and its zone's origin exist.
    let n = key;
    for (;;) {
      this.nodes.add(n);
      if (this.origins.includes(n)) break;
      const dot = n.indexOf('.');
      if (dot < 0) break;
      n = n.slice(dot + 1);
    }
  }

  /** True when this server answers for `name` itself rather than forwarding it. */
  isAuthoritativeFor(name: string): boolean {
    const key = dnsNameKey(name);
    return this.rrs.has(key) || this.origins.some((o) => dnsNameInZone(key, o));
  }

  /** A datagram that arrived on port 53: a client's query, or an upstream's reply to one we forwarded. */
  receive(srcIp: Ipv4Addr, srcPort: number, payload: Uint8Array): void {
    const v = this.view.wrap(payload);
    if (!v.check()) {
      this.stats.malformed++;
      return;
    }
    if (v.qr) {
      this.onUpstreamReply(srcIp, srcPort, payload);
      return;
    }
    this.stats.queries++;
    const parsed = parseDns(payload);
    if (!parsed.ok) {
      this.stats.malformed++;
      // A header is enough to say FORMERR with the client's id, as BIND does.
      this.reply(srcIp, srcPort, {
        id: v.id, qr: true, opcode: v.opcode, aa: false, tc: false, rd: v.rd, ra: this.config.recursion, rcode: DNS_RCODE_FORMERR,
        questions: [], answers: [], authorities: [], additionals: [],
      });
      return;
    }
    const q = parsed.value;
    if (q.opcode !== DNS_OPCODE_QUERY) {
      this.reply(srcIp, srcPort, { ...response(q, DNS_RCODE_NOTIMP, false, this.config.recursion, []), questions: [] });
      return;
    }
    if (q.questions.length !== 1) {
      this.stats.malformed++;
      this.reply(srcIp, srcPort, { ...response(q, DNS_RCODE_FORMERR, false, this.config.recursion, []), questions: [] });
      return;
    }
    const question = q.questions[0];
    const who = `${formatIpv4(srcIp)} asked ${question.name} ${dnsTypeName(question.type)}`;
    if (this.isAuthoritativeFor(question.name) && (question.class === DNS_CLASS_IN || question.class === DNS_CLASS_ANY)) {
      const a = this.answer(question);
      if (a.outside === null || !this.config.recursion) {
        this.stats.authoritative++;
        if (a.rcode === DNS_RCODE_NXDOMAIN) this.stats.nxdomain++;
        this.env.log('service', `${who}: ${describe(a.rcode, a.answers)} (authoritative)`);
        this.reply(srcIp, srcPort, response(q, a.rcode, true, this.config.recursion, a.answers));
        return;
      }
      // A CNAME chain that leaves our zones: ask upstream for where it leads, as a recursive server does.
      this.resolveOutside(srcIp, srcPort, q, { name: a.outside, type: question.type, class: question.class }, a.answers, who);
      return;
    }
    if (!this.config.recursion) {
      this.stats.refused++;
      this.env.log('service', `${who}: REFUSED (not in this server's zones, recursion off)`);
      this.reply(srcIp, srcPort, response(q, DNS_RCODE_REFUSED, false, false, []));
      return;
    }
    this.resolveOutside(srcIp, srcPort, q, question, [], who);
  }

  /** Looks a question up in the zones, following CNAMEs while they stay inside them. */
  private answer(question: DnsQuestion): { rcode: number; answers: DnsRecord[]; outside: string | null } {
    const answers: DnsRecord[] = [];
    let name = question.name;
    for (let hop = 0; hop <= MAX_CHAIN; hop++) {
      const key = dnsNameKey(name);
      if (hop > 0 && !this.isAuthoritativeFor(name)) return { rcode: DNS_RCODE_NOERROR, answers, outside: name };
      const list = this.rrs.get(key);
      if (list === undefined) {
        const exists = this.nodes.has(key);
        return { rcode: exists ? DNS_RCODE_NOERROR : DNS_RCODE_NXDOMAIN, answers, outside: null };
      }
      const cname = list.find((r) => r.type === DNS_TYPE_CNAME);
      if (cname && question.type !== DNS_TYPE_CNAME && question.type !== DNS_TYPE_ANY) {
        answers.push(record(name, cname));
        name = cname.data.kind === 'name' ? cname.data.name : name;
        continue;
      }
      for (const r of list) if (question.type === DNS_TYPE_ANY || r.type === question.type) answers.push(record(name, r));
      return { rcode: DNS_RCODE_NOERROR, answers, outside: null };
    }
    // A chain longer than any sane zone has: answer with what was found, as BIND stops at its limit.
    return { rcode: DNS_RCODE_NOERROR, answers, outside: null };
  }

  private resolveOutside(srcIp: Ipv4Addr, srcPort: number, q: DnsMessage, asked: DnsQuestion, prefix: DnsRecord[], who: string): void {
    const hit = this.cacheLookup(asked);
    if (hit !== null) {
      this.stats.cacheHits++;
      const answers = [...prefix, ...hit.answers];
      this.env.log('service', `${who}: ${describe(hit.rcode, answers)} (from cache)`);
      if (hit.rcode === DNS_RCODE_NXDOMAIN) this.stats.nxdomain++;
      this.reply(srcIp, srcPort, response(q, hit.rcode, false, true, answers, hit.authorities));
      return;
    }
    const ups = this.config.upstreams;
    if (ups.length === 0) {
      this.stats.servfail++;
      this.env.log('error', `${who}: SERVFAIL (no upstream server to forward to)`);
      this.reply(srcIp, srcPort, response(q, DNS_RCODE_SERVFAIL, false, true, prefix));
      return;
    }
    const clientKey = `${srcIp}:${srcPort}:${q.id}`;
    if (this.byClient.has(clientKey)) return; // the client's retransmission of a query already on its way
    let upstreamId = this.env.random.u32() & 0xffff;
    while (this.pending.has(upstreamId)) upstreamId = (upstreamId + 1) & 0xffff;
    const upQuery: DnsMessage = {
      id: upstreamId, qr: false, opcode: DNS_OPCODE_QUERY, aa: false, tc: false, rd: true, ra: false, cd: q.cd, rcode: 0,
      questions: [asked], answers: [], authorities: [], additionals: [],
    };
    const p: Pending = {
      upstreamId,
      clientIp: srcIp,
      clientPort: srcPort,
      clientKey,
      query: q,
      asked,
      prefix,
      bytes: encodeDns(upQuery),
      sends: 0,
      upstream: this.preferred % ups.length,
      sentTo: [],
      timer: -1,
    };
    this.pending.set(upstreamId, p);
    this.byClient.set(clientKey, p);
    this.stats.forwarded++;
    this.env.log('service', `${who}: forwarded to ${formatIpv4(ups[p.upstream])}`);
    this.sendUpstream(p);
  }

  private sendUpstream(p: Pending): void {
    const ups = this.config.upstreams;
    const server = ups[p.upstream % ups.length];
    p.sends++;
    if (!p.sentTo.includes(server)) p.sentTo.push(server);
    p.timer = this.env.schedule(this.config.upstreamTimeoutUs, () => this.onTimeout(p));
    this.env.send(server, DNS_PORT, p.bytes);
  }

  private onTimeout(p: Pending): void {
    const ups = this.config.upstreams;
    if (p.sends >= ups.length * this.config.triesPerUpstream) {
      this.finish(p);
      this.stats.servfail++;
      this.env.log('error', `no reply from ${p.sentTo.map(formatIpv4).join(', ')}: SERVFAIL to ${formatIpv4(p.clientIp)} for ${p.asked.name}`);
      this.reply(p.clientIp, p.clientPort, response(p.query, DNS_RCODE_SERVFAIL, false, true, p.prefix));
      return;
    }
    const silent = formatIpv4(ups[p.upstream % ups.length]);
    p.upstream = (p.upstream + 1) % ups.length;
    this.env.log('service', `no reply from ${silent} for ${p.asked.name} within ${this.config.upstreamTimeoutUs / 1e6} s, asking ${formatIpv4(ups[p.upstream])}`);
    this.sendUpstream(p);
  }

  private finish(p: Pending): void {
    if (p.timer >= 0) this.env.cancel(p.timer);
    p.timer = -1;
    this.pending.delete(p.upstreamId);
    this.byClient.delete(p.clientKey);
  }

  private onUpstreamReply(srcIp: Ipv4Addr, srcPort: number, payload: Uint8Array): void {
    const p = this.pending.get(this.view.id);
    if (p === undefined || srcPort !== DNS_PORT || !p.sentTo.includes(srcIp)) {
      this.stats.strayReplies++;
      return;
    }
    const parsed = parseDns(payload);
    if (!parsed.ok) {
      this.stats.malformed++;
      return;
    }
    const r = parsed.value;
    const rq = r.questions[0];
    if (r.questions.length !== 1 || dnsNameKey(rq.name) !== dnsNameKey(p.asked.name) || rq.type !== p.asked.type || rq.class !== p.asked.class) {
      this.stats.strayReplies++;
      return;
    }
    const ups = this.config.upstreams;
    const failed = r.rcode === DNS_RCODE_SERVFAIL || r.rcode === DNS_RCODE_REFUSED || r.rcode === DNS_RCODE_NOTIMP;
    if (failed && p.sends < ups.length * this.config.triesPerUpstream) {
      // Like BIND's forwarders, a server that fails is not the last word while another can be asked.
      if (p.timer >= 0) this.env.cancel(p.timer);
      p.upstream = (p.upstream + 1) % ups.length;
      this.env.log('service', `${formatIpv4(srcIp)} answered ${dnsRcodeName(r.rcode)} for ${p.asked.name}, asking ${formatIpv4(ups[p.upstream])}`);
      this.sendUpstream(p);
      return;
    }
    this.finish(p);
    const idx = ups.indexOf(srcIp);
    if (!failed && idx >= 0) this.preferred = idx;
    if (!r.tc) this.cacheStore(p.asked, r);
    if (r.rcode === DNS_RCODE_NXDOMAIN) this.stats.nxdomain++;
    if (r.rcode === DNS_RCODE_SERVFAIL) this.stats.servfail++;
    this.env.log('service', `${formatIpv4(srcIp)} answered ${p.asked.name} ${dnsTypeName(p.asked.type)}: ${describe(r.rcode, r.answers)}; relayed to ${formatIpv4(p.clientIp)}`);
    if (p.prefix.length === 0) {
      // Relay the upstream's bytes as they came, with the client's id back in place; the data is not ours,
      // so AA goes (clients then print "Non-authoritative answer:") and RA says we recurse.
      const out = payload.slice();
      const ov = new DnsView().wrap(out);
      ov.setId(p.query.id);
      ov.setAa(false);
      ov.setRa(true);
      this.env.send(p.clientIp, p.clientPort, out);
      return;
    }
    this.reply(p.clientIp, p.clientPort, response(p.query, r.rcode, false, true, [...p.prefix, ...r.answers], r.authorities));
  }

  private reply(dstIp: Ipv4Addr, dstPort: number, msg: DnsMessage): void {
    let bytes = encodeDns(msg);
    if (bytes.length > DNS_MAX_UDP) {
      // Too long for plain UDP: say so with TC and let the client decide (RFC 1035 §4.2.1).
      bytes = encodeDns({ ...msg, tc: true, answers: [], authorities: [], additionals: [] });
    }
    this.env.send(dstIp, dstPort, bytes);
  }

  // ------------------------------------------------------------ cache

  private cacheLookup(q: DnsQuestion): CacheEntry | null {
    if (!this.config.cache) return null;
    const key = cacheKey(q.name, q.type, q.class);
    const e = this.cache.get(key);
    if (e === undefined) return null;
    const now = this.env.now;
    if (now >= e.expiresAt) {
      this.cache.delete(key);
      return null;
    }
    // Refresh its place as most recently used, and hand out TTLs counted down by the time it has been kept.
    this.cache.delete(key);
    this.cache.set(key, e);
    const age = Math.floor((now - e.storedAt) / 1e6);
    const aged = (r: DnsRecord): DnsRecord => ({ ...r, ttl: Math.max(0, effectiveTtl(r.ttl) - age) });
    return { ...e, answers: e.answers.map(aged), authorities: e.authorities.map(aged) };
  }

  private cacheStore(q: DnsQuestion, r: DnsMessage): void {
    if (!this.config.cache) return;
    let ttl: number;
    if (r.rcode === DNS_RCODE_NOERROR && r.answers.length > 0) {
      ttl = Math.min(...r.answers.map((a) => effectiveTtl(a.ttl)));
    } else if (r.rcode === DNS_RCODE_NXDOMAIN || r.rcode === DNS_RCODE_NOERROR) {
      // Negative answers are kept only as long as the zone's SOA says (RFC 2308); without one, not at all.
      const soa = r.authorities.find((a) => a.type === DNS_TYPE_SOA && a.data.kind === 'soa');
      if (soa === undefined || soa.data.kind !== 'soa') return;
      ttl = Math.min(effectiveTtl(soa.ttl), soa.data.minimum);
    } else return;
    if (ttl <= 0) return;
    const key = cacheKey(q.name, q.type, q.class);
    this.cache.delete(key);
    while (this.cache.size >= this.config.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    const now = this.env.now;
    this.cache.set(key, {
      name: q.name,
      type: q.type,
      rcode: r.rcode,
      answers: r.answers,
      authorities: r.authorities,
      storedAt: now,
      expiresAt: now + ttl * 1e6,
    });
  }

  flushCache(): void {
    this.cache.clear();
  }

  /** The cache as `dnsmasq --dump` or an inspector would list it, expired entries left out. */
  cacheRows(): DnsCacheRow[] {
    const now = this.env.now;
    const rows: DnsCacheRow[] = [];
    for (const e of this.cache.values()) {
      if (now >= e.expiresAt) continue;
      rows.push({
        name: e.name,
        type: dnsTypeName(e.type),
        rcode: dnsRcodeName(e.rcode),
        ttl: Math.ceil((e.expiresAt - now) / 1e6),
        values: e.answers.map(formatRdata),
      });
    }
    return rows;
  }

  /** Every record the server is authoritative for, generated PTRs included. */
  zoneRows(): DnsZoneRow[] {
    const rows: DnsZoneRow[] = [];
    for (const list of this.rrs.values()) {
      for (const r of list) rows.push({ name: r.name, type: dnsTypeName(r.type), ttl: r.ttl, value: formatRdata(r), generated: r.generated });
    }
    return rows;
  }

  /** Queries forwarded and not yet answered. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Cancels every timer, for a machine that powers off. */
  stop(): void {
    for (const p of [...this.pending.values()]) this.finish(p);
  }
}

function record(owner: string, r: ZoneRr): DnsRecord {
  return { name: owner, type: r.type, class: DNS_CLASS_IN, ttl: r.ttl, data: r.data };
}

/** `www` in `lab.example` → `www.lab.example`; names already ending with the origin or a dot are absolute. */
function absolute(name: string, origin: string): string {
  if (name === '@' || name === '') return origin;
  if (name.endsWith('.')) return name.slice(0, -1);
  if (dnsNameInZone(name, origin)) return name;
  return origin === '' ? name : `${name}.${origin}`;
}

/** A PTR's owner: an address becomes its in-addr.arpa name; full in-addr.arpa names stay as they are. */
function ptrOwner(name: string, origin: string): string {
  const ip = parseIpv4(name);
  if (ip !== null) return reverseName(ip);
  if (dnsNameInZone(name, 'in-addr.arpa')) return name.endsWith('.') ? name.slice(0, -1) : name;
  return absolute(name, origin);
}
