// Linux traceroute 2.0 (CentOS 7's): UDP probes to port 33434 and up, three a hop, sixteen in flight, printed hop by hop as they settle.
import type { DnsRequest } from '../../../stack/dns-resolver';
import type { UdpSocket } from '../../../stack/udp';
import { formatIpv4, type Ipv4Addr, parseIpv4 } from '../../../wire/address';
import { ICMP_DEST_UNREACHABLE, ICMP_TIME_EXCEEDED } from '../../../wire/icmp';
import { type Command, type CommandContext, type Running, SIGINT_STATUS } from '../command';
import { NamePrinter } from '../names';

const USAGE =
  'Usage: traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] [ -N squeries ] [ -p port ] [ -t tos ] [ -l flow_label ] [ -w waittime ] [ -q nqueries ] [ -s src_addr ] [ -z sendwait ] [ --fwmark=num ] host [ packetlen ]\n';

interface Options {
  numeric: boolean;
  firstHop: number;
  maxHops: number;
  perHop: number;
  waitUs: number;
  simProbes: number;
  port: number;
  packetLen: number;
}

interface Probe {
  sent: boolean;
  sendTime: number;
  done: boolean;
  final: boolean;
  res: Ipv4Addr | null;
  recvTime: number;
  err: string;
}

/** parse_icmp_res: the annotation a probe gets, and whether the destination (or a wall) was reached. */
function icmpAnnotation(type: number, code: number): { err: string; final: boolean } | null {
  if (type === ICMP_TIME_EXCEEDED) return code === 0 ? { err: '', final: false } : { err: `!<${type}-${code}>`, final: true };
  if (type !== ICMP_DEST_UNREACHABLE) return { err: `!<${type}-${code}>`, final: true };
  const table: Record<number, string> = { 0: '!N', 6: '!N', 8: '!N', 11: '!N', 1: '!H', 7: '!H', 12: '!H', 9: '!X', 10: '!X', 13: '!X', 3: '', 2: '!P', 5: '!S', 14: '!V', 15: '!C' };
  return { err: table[code] ?? `!<${code}>`, final: true };
}

function parseOptions(ctx: CommandContext): { opts: Options; target: string; position: number } | number {
  const opts: Options = { numeric: false, firstHop: 1, maxHops: 30, perHop: 3, waitUs: 5_000_000, simProbes: 16, port: 33434, packetLen: 60 };
  const args = ctx.argv;
  let target: string | null = null;
  let position = 0;
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-') && a.length > 1) {
      const flag = a[1];
      const takes = 'fmqwpNszitgl'.includes(flag);
      let value: string | null = null;
      if (takes) {
        value = a.length > 2 ? a.slice(2) : (args[++i] ?? null);
        if (value === null) {
          ctx.io.err(`Option \`${a}' (argc ${i - 1}) requires an argument: \`${a} ${flag}'\n`);
          return 2;
        }
      }
      const num = Number(value);
      const badArg = (): number => {
        ctx.io.err(`Cannot handle \`${a}' option with arg \`${value}' (argc ${i})\n`);
        return 2;
      };
      switch (flag) {
        case 'n':
          opts.numeric = true;
          break;
        case 'I':
        case 'T':
        case 'U':
        case '4':
        case 'F':
        case 'd':
        case 'r':
        case 'A':
        case 'e':
        case 'D':
          break;
        case 'f':
          if (!Number.isInteger(num) || num < 1) return badArg();
          opts.firstHop = num;
          break;
        case 'm':
          if (!Number.isInteger(num) || num < 1 || num > 255) return badArg();
          opts.maxHops = num;
          break;
        case 'q':
          if (!Number.isInteger(num) || num < 1 || num > 10) return badArg();
          opts.perHop = num;
          break;
        case 'w':
          if (!(num >= 0)) return badArg();
          opts.waitUs = Math.round(num * 1_000_000);
          break;
        case 'N':
          if (!Number.isInteger(num) || num < 1) return badArg();
          opts.simProbes = num;
          break;
        case 'p':
          if (!Number.isInteger(num) || num < 1 || num > 65535) return badArg();
          opts.port = num;
          break;
        case 'V':
          ctx.io.out('Modern traceroute for Linux, version 2.0.22\nCopyright (c) 2016  Dmitry Butskoy,   License: GPL v2 or any later\n');
          return 0;
        default:
          if (takes) break;
          ctx.io.err(`Bad option \`${a}' (argc ${i})\n`);
          return 2;
      }
      continue;
    }
    if (target === null) {
      target = a;
      position = i;
    } else {
      const n = Number(a);
      if (!Number.isInteger(n) || n < 0) {
        ctx.io.err(`Cannot handle "packetlen" cmdline arg \`${a}' on position 2 (argc ${i})\n`);
        return 2;
      }
      opts.packetLen = Math.max(28, n);
    }
  }
  if (target === null) {
    ctx.io.err(USAGE);
    return 2;
  }
  if (opts.firstHop > opts.maxHops) {
    ctx.io.err('first hop out of range\n');
    return 2;
  }
  return { opts, target, position };
}

export const traceroute: Command = (ctx) => {
  const parsed = parseOptions(ctx);
  if (typeof parsed === 'number') return ctx.exit(parsed);
  const { opts, target, position } = parsed;
  let session: Running | null = null;
  let lookup: DnsRequest | null = null;
  const numeric = parseIpv4(target);
  if (numeric !== null) session = start(ctx, opts, target, numeric);
  else {
    lookup = ctx.os.resolver().lookup(
      target,
      ctx.guard((r) => {
        lookup = null;
        if (!r.ok) {
          ctx.io.err(`${target}: ${r.gaiError}\nCannot handle "host" cmdline arg \`${target}' on position 1 (argc ${position})\n`);
          return ctx.exit(2);
        }
        session = start(ctx, opts, target, r.addresses[0]);
      }),
    );
  }
  if (ctx.finished) return;
  return {
    interrupt: () => {
      lookup?.cancel();
      if (session !== null) session.interrupt();
      else ctx.exit(SIGINT_STATUS);
    },
  };
};

function start(ctx: CommandContext, opts: Options, dstName: string, dst: Ipv4Addr): Running | null {
  const { host, clock } = ctx.os;
  const dataLen = opts.packetLen - 28;
  ctx.io.out(`traceroute to ${dstName} (${formatIpv4(dst)}), ${opts.maxHops} hops max, ${opts.packetLen} byte packets`);
  if (host.routeTo(dst) === null) {
    ctx.io.err('\nconnect: Network is unreachable\n');
    ctx.exit(1);
    return null;
  }
  const socket: UdpSocket | null = host.udpBind();
  if (socket === null) {
    ctx.io.err('\nsocket: Too many open files\n');
    ctx.exit(1);
    return null;
  }
  const printer = new NamePrinter(
    () => ctx.os.resolver(),
    (t) => ctx.io.out(t),
    opts.numeric,
    (fn) => ctx.guard(fn),
  );
  const probes: Probe[] = [];
  for (let i = 0; i < opts.maxHops * opts.perHop; i++) probes.push({ sent: false, sendTime: 0, done: false, final: false, res: null, recvTime: 0, err: '' });
  let start = (opts.firstHop - 1) * opts.perHop;
  let end = probes.length;
  let timer = -1;
  let finished = false;
  const payload = new Uint8Array(dataLen);
  for (let i = 0; i < dataLen; i++) payload[i] = 0x40 + (i & 0x3f);

  const probeByPort = (port: number): Probe | null => {
    const n = port - opts.port;
    return n >= 0 && n < probes.length && probes[n].sent && !probes[n].done ? probes[n] : null;
  };

  const print = (n: number): void => {
    const pb = probes[n];
    const ttl = Math.floor(n / opts.perHop) + 1;
    let np = n % opts.perHop;
    const head = np === 0 ? `\n${String(ttl).padStart(2)} ` : '';
    let showAddr = false;
    if (pb.res !== null) {
      showAddr = np === 0;
      if (np > 0) {
        let p = n - 1;
        while (np > 0 && probes[p].res === null) {
          p--;
          np--;
        }
        if (np === 0 || probes[p].res !== pb.res) showAddr = true;
      }
    }
    const tail = (pb.recvTime ? `  ${((pb.recvTime - pb.sendTime) / 1000).toFixed(3)} ms` : '') + (pb.err !== '' ? ` ${pb.err}` : '');
    if (pb.res === null) printer.push(null, () => `${head} *${tail}`);
    else if (!showAddr) printer.push(null, () => `${head}${tail}`);
    else {
      const addr = pb.res;
      printer.push(addr, (name) => `${head}${opts.numeric ? ` ${formatIpv4(addr)}` : ` ${name ?? formatIpv4(addr)} (${formatIpv4(addr)})`}${tail}`);
    }
  };

  const stopAll = (): void => {
    socket.close();
    if (timer >= 0) clock.cancel(timer);
    timer = -1;
  };

  const finish = (): void => {
    if (finished) return;
    finished = true;
    stopAll();
    printer.push(null, () => '\n');
    printer.whenIdle(() => ctx.exit(0));
  };

  const step = (): void => {
    if (finished) return;
    const now = clock.now;
    let nextTime = 0;
    let num = 0;
    for (let n = start; n < end; n++) {
      const pb = probes[n];
      if (n === start && pb.sent && !pb.done) {
        const expire = pb.sendTime + opts.waitUs;
        if (expire > now) nextTime = expire;
        else pb.done = true;
      }
      if (pb.done) {
        if (n === start) {
          print(n);
          start++;
        }
        if (pb.final) end = (Math.floor(n / opts.perHop) + 1) * opts.perHop;
        continue;
      }
      if (!pb.sent) {
        const ttl = Math.floor(n / opts.perHop) + 1;
        pb.sent = true;
        pb.sendTime = now;
        const r = socket.sendTo(dst, opts.port + n, payload, { ttl });
        if (r === 'no-route' || r === 'no-address') {
          ctx.io.err('\nsend: Network is unreachable\n');
          stopAll();
          finished = true;
          ctx.exit(1);
          return;
        }
      }
      if (!nextTime) nextTime = pb.sendTime + opts.waitUs;
      num++;
      if (num >= opts.simProbes) break;
    }
    if (start >= end) {
      finish();
      return;
    }
    if (timer >= 0) clock.cancel(timer);
    timer = clock.timer(Math.max(0, nextTime - now), ctx.guard(onTimer), undefined);
  };
  const onTimer = (): void => {
    timer = -1;
    step();
  };

  socket.onError = ctx.guard((e) => {
    if (e.dst !== dst) return;
    const pb = probeByPort(e.dstPort);
    if (pb === null) return;
    const ann = icmpAnnotation(e.type, e.code);
    if (ann === null) return;
    pb.res = e.from;
    pb.recvTime = clock.now;
    pb.err = ann.err;
    pb.final = ann.final;
    pb.done = true;
    step();
  });
  socket.onMessage = ctx.guard((m) => {
    if (m.src !== dst) return;
    const pb = probeByPort(m.srcPort);
    if (pb === null) return;
    pb.res = m.src;
    pb.recvTime = clock.now;
    pb.final = true;
    pb.done = true;
    step();
  });

  step();
  return {
    interrupt: () => {
      if (finished) return;
      finished = true;
      stopAll();
      printer.cancel();
      ctx.exit(SIGINT_STATUS);
    },
  };
}
