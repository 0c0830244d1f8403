// iputils ping (CentOS 7's iputils-20160308): echo requests on the virtual clock, its reply and error lines, statistics and exit codes.
import type { DnsRequest } from '../../../stack/dns-resolver';
import type { SendResult } from '../../../stack/udp';
import { formatIpv4, type Ipv4Addr, parseIpv4 } from '../../../wire/address';
import { ICMP_DEST_UNREACHABLE, ICMP_REDIRECT, ICMP_TIME_EXCEEDED } from '../../../wire/icmp';
import { type Command, type CommandContext, getopt, type Running, SIGINT_STATUS } from '../command';
import { wallClockMs } from '../format';
import { NamePrinter } from '../names';

const USAGE =
  'Usage: ping [-aAbBdDfhLnOqrRUvV64] [-c count] [-i interval] [-I interface]\n' +
  '            [-m mark] [-M pmtudisc_option] [-l preload] [-p pattern] [-Q tos]\n' +
  '            [-s packetsize] [-S sndbuf] [-t ttl] [-T timestamp_option]\n' +
  '            [-w deadline] [-W timeout] [hop1 ...] destination\n';

/** iputils' default wait for replies after the last packet when none came (MAXWAIT, seconds). */
const MAXWAIT_S = 10;
/** The shortest interval iputils schedules (MININTERVAL, ms); also keeps -i 0 from spinning the clock. */
const MININTERVAL_US = 10_000;
const TIMEVAL_BYTES = 16;

const UNREACH_TEXT: Record<number, string> = {
  0: 'Destination Net Unreachable',
  1: 'Destination Host Unreachable',
  2: 'Destination Protocol Unreachable',
  3: 'Destination Port Unreachable',
  4: 'Frag needed and DF set',
  5: 'Source Route Failed',
  6: 'Destination Net Unknown',
  7: 'Destination Host Unknown',
  8: 'Source Host Isolated',
  9: 'Destination Net Prohibited',
  10: 'Destination Host Prohibited',
  11: 'Destination Net Unreachable for Type of Service',
  12: 'Destination Host Unreachable for Type of Service',
  13: 'Packet filtered',
  14: 'Precedence Violation',
  15: 'Precedence Cutoff',
};

/** pr_icmph's wording of an ICMP error. */
export function icmpErrorText(type: number, code: number): string {
  if (type === ICMP_DEST_UNREACHABLE) return UNREACH_TEXT[code] ?? `Dest Unreachable, Bad Code: ${code}`;
  if (type === ICMP_TIME_EXCEEDED) return code === 0 ? 'Time to live exceeded' : code === 1 ? 'Frag reassembly time exceeded' : `Time exceeded, Bad Code: ${code}`;
  if (type === ICMP_REDIRECT) return ['Redirect Network', 'Redirect Host', 'Redirect Type of Service and Network', 'Redirect Type of Service and Host'][code] ?? `Redirect, Bad Code: ${code}`;
  return `Bad ICMP type: ${type}`;
}

/** iputils' time= field: three significant decimals below 10 ms, fewer above. */
export function pingTime(us: number): string {
  const t = Math.floor(us);
  if (t >= 100_000) return `${Math.floor(t / 1000)}`;
  if (t >= 10_000) return `${Math.floor(t / 1000)}.${Math.floor((t % 1000) / 100)}`;
  if (t >= 1000) return `${Math.floor(t / 1000)}.${String(Math.floor((t % 1000) / 10)).padStart(2, '0')}`;
  return `${Math.floor(t / 1000)}.${String(t % 1000).padStart(3, '0')}`;
}

const ms3 = (us: number): string => `${Math.floor(us / 1000)}.${String(Math.floor(us) % 1000).padStart(3, '0')}`;

interface Options {
  count: number;
  intervalUs: number;
  lingerS: number;
  deadlineS: number;
  ttl: number;
  size: number;
  numeric: boolean;
  quiet: boolean;
  broadcast: boolean;
}

function parseOptions(ctx: CommandContext): { opts: Options; target: string } | number {
  const g = getopt(ctx.argv.slice(1), 'aAbBdDfhLnOqrRUvV46c:i:I:m:M:l:p:Q:s:S:t:T:w:W:');
  const bad = (msg: string): number => {
    ctx.io.err(msg);
    return 2;
  };
  if (g.error !== null) return bad(`ping: ${g.error}\n${USAGE}`);
  const opts: Options = { count: 0, intervalUs: 1_000_000, lingerS: MAXWAIT_S, deadlineS: 0, ttl: 64, size: 56, numeric: false, quiet: false, broadcast: false };
  for (const { name, value } of g.options) {
    const v = value ?? '';
    switch (name) {
      case 'c':
        opts.count = parseInt(v, 10);
        if (!(opts.count > 0)) return bad('ping: bad number of packets to transmit.\n');
        break;
      case 'i': {
        const n = Number(v);
        if (!/^\d*\.?\d+$/.test(v) || !(n >= 0)) return bad('ping: bad timing interval.\n');
        opts.intervalUs = Math.max(MININTERVAL_US, Math.round(n * 1000) * 1000);
        break;
      }
      case 'W':
        opts.lingerS = parseInt(v, 10);
        if (!(opts.lingerS >= 0)) return bad('ping: bad linger time.\n');
        break;
      case 'w':
        opts.deadlineS = parseInt(v, 10);
        if (!(opts.deadlineS >= 0)) return bad('ping: bad wait time.\n');
        break;
      case 't':
        opts.ttl = parseInt(v, 10);
        if (!(opts.ttl >= 0 && opts.ttl <= 255)) return bad(`ping: ttl ${v} out of range\n`);
        break;
      case 's':
        opts.size = parseInt(v, 10);
        if (!(opts.size >= 0)) return bad(`ping: illegal negative packet size ${v}.\n`);
        if (opts.size > 65507) return bad(`ping: packet size too large: ${opts.size}\n`);
        break;
      case 'n':
        opts.numeric = true;
        break;
      case 'q':
        opts.quiet = true;
        break;
      case 'b':
        opts.broadcast = true;
        break;
      case 'h':
        return bad(USAGE);
      case 'V':
        ctx.io.out('ping utility, iputils-s20160308\n');
        return 0;
      default:
        break;
    }
  }
  if (g.operands.length === 0) return bad(USAGE);
  return { opts, target: g.operands[g.operands.length - 1] };
}

export const ping: Command = (ctx) => {
  const parsed = parseOptions(ctx);
  if (typeof parsed === 'number') return ctx.exit(parsed);
  const { opts, target } = parsed;
  const numericTarget = parseIpv4(target);
  let lookup: DnsRequest | null = null;
  let session: Running | null = null;
  if (numericTarget !== null) {
    session = start(ctx, opts, target, numericTarget, true);
  } else {
    lookup = ctx.os.resolver().lookup(
      target,
      ctx.guard((r) => {
        lookup = null;
        if (!r.ok) {
          ctx.io.err(`ping: ${target}: ${r.gaiError}\n`);
          return ctx.exit(2);
        }
        session = start(ctx, opts, r.canonicalName, r.addresses[0], false);
      }),
    );
  }
  if (ctx.finished) return;
  return {
    interrupt: () => {
      if (session !== null) session.interrupt();
      else {
        lookup?.cancel();
        ctx.exit(SIGINT_STATUS);
      }
    },
  };
};

/** The running ping once the destination is known; null when it failed before sending (it has exited). */
function start(ctx: CommandContext, opts: Options, hostname: string, dst: Ipv4Addr, numericTarget: boolean): Running | null {
  const { host, clock } = ctx.os;
  const isBroadcast = dst === 0xffffffff || host.interfaces.some((i) => i.isBroadcast(dst));
  if (isBroadcast && !opts.broadcast) {
    ctx.io.err('Do you want to ping broadcast? Then -b. If not, check your local firewall rules.\n');
    ctx.exit(2);
    return null;
  }
  if (host.routeTo(dst) === null) {
    ctx.io.err('connect: Network is unreachable\n');
    ctx.exit(2);
    return null;
  }
  if (isBroadcast) ctx.io.err('WARNING: pinging broadcast address\n');
  const printer = new NamePrinter(
    () => ctx.os.resolver(),
    (t) => ctx.io.out(t),
    opts.numeric || numericTarget,
    (fn) => ctx.guard(fn),
  );
  const id = host.newEchoId();
  const timing = opts.size >= TIMEVAL_BYTES;
  const sentAt = new Map<number, number>();
  const seen = new Set<number>();
  let ntransmitted = 0;
  let nreceived = 0;
  let nrepeats = 0;
  let nerrors = 0;
  let pipesize = -1;
  let tmin = Infinity;
  let tmax = 0;
  let tsum = 0;
  let tsum2 = 0;
  let lastSend = clock.now;
  const startTime = clock.now;
  let sendTimer = -1;
  let exitTimer = -1;
  let deadlineTimer = -1;
  let exiting = false;
  let finished = false;

  ctx.io.out(`PING ${hostname} (${formatIpv4(dst)}) ${opts.size}(${opts.size + 28}) bytes of data.\n`);

  const acknowledge = (seq: number): void => {
    const diff = (ntransmitted - seq) & 0xffff;
    if (diff <= 0x7fff && diff + 1 > pipesize) pipesize = diff + 1;
  };
  const label = (addr: Ipv4Addr, name: string | null): string => (name === null ? formatIpv4(addr) : `${name} (${formatIpv4(addr)})`);

  const close = host.openEcho(id, {
    onReply: ctx.guard((src: Ipv4Addr, seq: number, ttl: number, _data: Uint8Array, bytes: number) => {
      if (exiting) return;
      const sent = sentAt.get(seq);
      if (sent === undefined) return;
      const rtt = clock.now - sent;
      nreceived++;
      acknowledge(seq);
      let dup = false;
      if (seen.has(seq)) {
        nrepeats++;
        nreceived--;
        dup = true;
      } else seen.add(seq);
      if (timing) {
        tsum += rtt;
        tsum2 += rtt * rtt;
        if (rtt < tmin) tmin = rtt;
        if (rtt > tmax) tmax = rtt;
      }
      if (!opts.quiet) {
        const time = timing ? ` time=${pingTime(rtt)} ms` : '';
        printer.push(src, (name) => `${bytes} bytes from ${label(src, name)}: icmp_seq=${seq} ttl=${ttl}${time}${dup ? ' (DUP!)' : ''}\n`);
      }
      checkDone();
    }),
    onError: ctx.guard((from: Ipv4Addr, type: number, code: number, seq: number) => {
      if (exiting || !sentAt.has(seq)) return;
      acknowledge(seq);
      nerrors++;
      if (!opts.quiet) printer.push(from, (name) => `From ${label(from, name)} icmp_seq=${seq} ${icmpErrorText(type, code)}\n`);
      checkDone();
    }),
  });

  const cleanup = (): void => {
    close();
    for (const t of [sendTimer, exitTimer, deadlineTimer]) if (t >= 0) clock.cancel(t);
    sendTimer = exitTimer = deadlineTimer = -1;
  };

  const finish = (): void => {
    if (finished) return;
    finished = true;
    cleanup();
    const elapsedMs = Math.floor((lastSend - startTime) / 1000);
    let s = `\n--- ${hostname} ping statistics ---\n${ntransmitted} packets transmitted, ${nreceived} received`;
    if (nrepeats) s += `, +${nrepeats} duplicates`;
    if (nerrors) s += `, +${nerrors} errors`;
    if (ntransmitted) s += `, ${Math.floor(((ntransmitted - nreceived) * 100) / ntransmitted)}% packet loss, time ${elapsedMs}ms`;
    s += '\n';
    let comma = '';
    if (nreceived && timing) {
      const n = nreceived + nrepeats;
      const avg = Math.floor(tsum / n);
      const avg2 = Math.floor(tsum2 / n);
      const mdev = Math.floor(Math.sqrt(Math.max(0, avg2 - avg * avg)));
      s += `rtt min/avg/max/mdev = ${ms3(tmin)}/${ms3(avg)}/${ms3(tmax)}/${ms3(mdev)} ms`;
      comma = ', ';
    }
    if (pipesize > 1) s += `${comma}pipe ${pipesize}`;
    s += '\n';
    ctx.io.out(s);
    ctx.exit(!nreceived || (opts.deadlineS > 0 && opts.count > 0 && nreceived < opts.count) ? 1 : 0);
  };

  /** Ends once every line due has been printed (real ping prints before it can notice it is done). */
  const stop = (): void => {
    if (exiting) return;
    exiting = true;
    cleanup();
    printer.whenIdle(finish);
  };

  const checkDone = (): void => {
    if (opts.count > 0 && nreceived + nerrors >= opts.count) stop();
  };

  const payload = (): Uint8Array => {
    const data = new Uint8Array(opts.size);
    for (let i = 0; i < data.length; i++) data[i] = i & 0xff;
    if (timing) {
      // struct timeval as x86-64 lays it out: seconds and microseconds, 8 bytes little-endian each.
      const us = wallClockMs(clock.now) * 1000 + (clock.now % 1000);
      let sec = Math.floor(us / 1_000_000);
      const usec = us % 1_000_000;
      for (let i = 0; i < 8; i++) {
        data[i] = sec % 256;
        sec = Math.floor(sec / 256);
      }
      for (let i = 0; i < 4; i++) data[8 + i] = (usec >>> (8 * i)) & 0xff;
      data.fill(0, 12, 16);
    }
    return data;
  };

  const scheduleExit = (): void => {
    const waitUs = nreceived ? Math.max(2 * tmax, opts.intervalUs) : opts.lingerS * 1_000_000;
    exitTimer = clock.timer(waitUs, ctx.guard(stop), undefined);
  };

  const send = (): void => {
    sendTimer = -1;
    if (exiting) return;
    const seq = (ntransmitted + 1) & 0xffff;
    sentAt.set(seq, clock.now);
    lastSend = clock.now;
    const r: SendResult = host.sendEcho(dst, id, seq, payload(), opts.ttl);
    ntransmitted++;
    if (r === 'no-route') ctx.io.err('ping: sendmsg: Network is unreachable\n');
    else if (r === 'no-address') ctx.io.err('ping: sendmsg: Invalid argument\n');
    else if (r === 'too-big') {
      nerrors++;
      ctx.io.err(`ping: local error: Message too long, mtu=${host.routeTo(dst)?.iface.mtu ?? 1500}\n`);
    }
    if (opts.count > 0 && ntransmitted >= opts.count) {
      if (!exiting && opts.deadlineS === 0) scheduleExit();
      checkDone();
      return;
    }
    sendTimer = clock.timer(opts.intervalUs, ctx.guard(send), undefined);
  };

  if (opts.deadlineS > 0) deadlineTimer = clock.timer(opts.deadlineS * 1_000_000, ctx.guard(stop), undefined);
  send();
  return {
    interrupt: () => {
      if (finished) return;
      exiting = true;
      cleanup();
      printer.flushNumeric();
      finish();
    },
  };
}
