// iproute2's `ip`: addr, link, route and neigh with their show/add/del forms, errors and exit codes as iproute2 prints them.
import type { NetInterface } from '../../../stack/interface';
import type { NeighborEntry } from '../../../stack/neighbor';
import type { Route, RouteProto } from '../../../stack/routes';
import { formatIpv4, formatMac, inSubnet, type Ipv4Addr, parseCidr, parseIpv4, parseMac, prefixToMask } from '../../../wire/address';
import type { Command, CommandContext } from '../command';
import { formatRoute, hasLinkLocal, kernelOrder, linkLocalOf } from '../format';

/** iproute2's matches(): a non-empty prefix of the keyword. */
function matches(arg: string | undefined, keyword: string): boolean {
  return arg !== undefined && arg.length > 0 && keyword.startsWith(arg);
}

interface IpOptions {
  family4: boolean;
  brief: boolean;
}

type Result = number;

const USAGE =
  'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n' +
  '       ip [ -force ] -batch filename\n' +
  'where  OBJECT := { link | address | addrlabel | route | rule | neighbor | ntable |\n' +
  '                   tunnel | tuntap | maddress | mroute | mrule | monitor | xfrm |\n' +
  '                   netns | l2tp | fou | macsec | tcp_metrics | token | netconf | ila |\n' +
  '                   vrf | sr }\n' +
  '       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |\n' +
  '                    -h[uman-readable] | -iec |\n' +
  '                    -f[amily] { inet | inet6 | ipx | dnet | mpls | bridge | link } |\n' +
  '                    -4 | -6 | -I | -D | -B | -0 |\n' +
  '                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |\n' +
  '                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |\n' +
  '                    -rc[vbuf] [size] | -n[etns] name | -a[ll] | -c[olor]}\n';

export const ip: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  const opts: IpOptions = { family4: false, brief: false };
  while (args.length > 0 && args[0].startsWith('-')) {
    const o = args.shift() as string;
    const name = o.replace(/^--?/, '');
    if (name === '4') opts.family4 = true;
    else if (name === '6' || name === '0') continue;
    else if (matches(name, 'brief') && name.length >= 2) opts.brief = true;
    else if (matches(name, 'statistics') || matches(name, 'details') || matches(name, 'color') || matches(name, 'resolve') || matches(name, 'oneline')) continue;
    else if (matches(name, 'Version') || name === 'V') {
      ctx.io.out('ip utility, iproute2-ss170501\n');
      return ctx.exit(0);
    } else if (matches(name, 'help')) {
      ctx.io.err(USAGE);
      return ctx.exit(255);
    } else {
      ctx.io.err(`Option "${o}" is unknown, try "ip -help".\n`);
      return ctx.exit(255);
    }
  }
  const object = args.shift();
  if (object === undefined) {
    ctx.io.err(USAGE);
    return ctx.exit(255);
  }
  let code: Result;
  if (matches(object, 'address')) code = ipAddr(ctx, args, opts);
  else if (matches(object, 'route')) code = ipRoute(ctx, args);
  else if (matches(object, 'neighbor') || matches(object, 'neighbour')) code = ipNeigh(ctx, args);
  else if (matches(object, 'link')) code = ipLink(ctx, args, opts);
  else if (matches(object, 'help')) {
    ctx.io.err(USAGE);
    code = 255;
  } else {
    ctx.io.err(`Object "${object}" is unknown, try "ip help".\n`);
    code = 1;
  }
  ctx.exit(code);
};

function findDev(ctx: CommandContext, name: string): NetInterface | null {
  const iface = ctx.os.host.interface(name);
  if (iface === undefined) {
    ctx.io.err(`Cannot find device "${name}"\n`);
    return null;
  }
  return iface;
}

function rtnetlink(ctx: CommandContext, text: string): Result {
  ctx.io.err(`RTNETLINK answers: ${text}\n`);
  return 2;
}

function garbage(ctx: CommandContext, what: string, arg: string): Result {
  ctx.io.err(`Error: either "${what}" is duplicate, or "${arg}" is a garbage.\n`);
  return 1;
}

// ---------------------------------------------------------------- link and addr shows

function linkFlags(iface: NetInterface): string {
  const f: string[] = [];
  if (iface.isLoopback) f.push('LOOPBACK');
  else {
    if (iface.up && !iface.carrier) f.push('NO-CARRIER');
    f.push('BROADCAST', 'MULTICAST');
    if (iface.promiscuous) f.push('PROMISC');
  }
  if (iface.up) f.push('UP');
  if (iface.up && iface.carrier) f.push('LOWER_UP');
  return f.join(',');
}

function operState(iface: NetInterface): string {
  if (iface.isLoopback) return 'UNKNOWN';
  return iface.up && iface.carrier ? 'UP' : 'DOWN';
}

function linkHeader(ctx: CommandContext, iface: NetInterface, mode: boolean): string {
  const mtu = iface.isLoopback ? 65536 : iface.mtu;
  const qdisc = iface.isLoopback ? 'noqueue' : ctx.shell.flavor === 'debian' ? 'fq_codel' : 'pfifo_fast';
  return `${iface.index}: ${iface.name}: <${linkFlags(iface)}> mtu ${mtu} qdisc ${qdisc} state ${operState(iface)}${mode ? ' mode DEFAULT' : ''} group default qlen 1000\n`;
}

function linkAddressLine(iface: NetInterface): string {
  return iface.isLoopback ? '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n' : `    link/ether ${formatMac(iface.mac)} brd ff:ff:ff:ff:ff:ff\n`;
}

function lifetime(ctx: CommandContext, validUntilUs: number): string {
  if (!Number.isFinite(validUntilUs)) return 'valid_lft forever preferred_lft forever';
  const s = Math.max(0, Math.floor((validUntilUs - ctx.os.clock.now) / 1_000_000));
  return `valid_lft ${s}sec preferred_lft ${s}sec`;
}

function inetLines(ctx: CommandContext, iface: NetInterface): string {
  let s = '';
  const nm = ctx.os.network.kind === 'NetworkManager';
  iface.addresses.forEach((a, i) => {
    const loop = (a.address >>> 24) === 127;
    const secondary = iface.addresses.slice(0, i).some((b) => b.prefix === a.prefix && inSubnet(a.address, b.address, a.prefix));
    let line = `    inet ${formatIpv4(a.address)}/${a.prefix}`;
    if (a.broadcast !== 0 && !loop) line += ` brd ${formatIpv4(a.broadcast)}`;
    line += loop ? ' scope host' : ' scope global';
    if (secondary) line += ' secondary';
    if (nm && a.routeMetric !== 0) line += ' noprefixroute';
    if (Number.isFinite(a.validUntilUs)) line += ' dynamic';
    s += `${line} ${iface.name}\n       ${lifetime(ctx, a.validUntilUs)}\n`;
  });
  return s;
}

function inet6Lines(ctx: CommandContext, iface: NetInterface): string {
  if (iface.isLoopback) return '    inet6 ::1/128 scope host\n       valid_lft forever preferred_lft forever\n';
  if (!hasLinkLocal(iface)) return '';
  const nm = ctx.os.network.kind === 'NetworkManager' ? ' noprefixroute' : '';
  return `    inet6 ${linkLocalOf(iface.mac)}/64 scope link${nm}\n       valid_lft forever preferred_lft forever\n`;
}

function briefAddresses(iface: NetInterface): string {
  const list = iface.addresses.map((a) => `${formatIpv4(a.address)}/${a.prefix}`);
  if (iface.isLoopback) list.push('::1/128');
  else if (hasLinkLocal(iface)) list.push(`${linkLocalOf(iface.mac)}/64`);
  return list.join(' ');
}

/** Picks the interfaces a show command names: `[dev] NAME` or all; prints the iproute2 error for an unknown one. */
function selectDevs(ctx: CommandContext, args: string[], extra: (a: string) => boolean = () => false): NetInterface[] | Result {
  let dev: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'dev') {
      dev = args[++i] ?? null;
      if (dev === null) {
        ctx.io.err('Command line is not complete. Try option "help"\n');
        return 255;
      }
    } else if (extra(a)) continue;
    else if (dev === null) dev = a;
    else return garbage(ctx, 'dev', a);
  }
  const all = ctx.os.host.interfaces;
  if (dev === null) return all;
  const iface = ctx.os.host.interface(dev);
  if (iface === undefined) {
    ctx.io.err(`Device "${dev}" does not exist.\n`);
    return 1;
  }
  return [iface];
}

function showAddrs(ctx: CommandContext, args: string[], opts: IpOptions): Result {
  let onlyUp = false;
  const devs = selectDevs(ctx, args, (a) => {
    if (a === 'up') onlyUp = true;
    return a === 'up';
  });
  if (typeof devs === 'number') return devs;
  for (const iface of devs) {
    if (onlyUp && !iface.up) continue;
    if (opts.family4 && iface.addresses.length === 0) continue;
    if (opts.brief) {
      ctx.io.out(`${iface.name.padEnd(16)} ${operState(iface).padEnd(14)} ${opts.family4 ? iface.addresses.map((a) => `${formatIpv4(a.address)}/${a.prefix}`).join(' ') : briefAddresses(iface)}`.trimEnd() + '\n');
      continue;
    }
    ctx.io.out(linkHeader(ctx, iface, false));
    if (!opts.family4) ctx.io.out(linkAddressLine(iface));
    ctx.io.out(inetLines(ctx, iface));
    if (!opts.family4) ctx.io.out(inet6Lines(ctx, iface));
  }
  return 0;
}

// ---------------------------------------------------------------- ip addr

function parsePrefixArg(ctx: CommandContext, text: string): { address: Ipv4Addr; prefix: number; explicit: boolean } | Result {
  const c = parseCidr(text, 32);
  if (c === null) {
    ctx.io.err(`Error: any valid prefix is expected rather than "${text}".\n`);
    return 1;
  }
  return { address: c.address, prefix: c.prefix, explicit: text.includes('/') };
}

function ipAddr(ctx: CommandContext, args: string[], opts: IpOptions): Result {
  const cmd = args[0];
  if (cmd === undefined || matches(cmd, 'show') || matches(cmd, 'list') || cmd === 'lst') return showAddrs(ctx, args.slice(1), opts);
  if (matches(cmd, 'add') || matches(cmd, 'delete') || cmd === 'replace' || cmd === 'change') {
    const adding = cmd !== 'delete' && cmd !== 'del' && !matches(cmd, 'delete');
    let local: string | null = null;
    let dev: string | null = null;
    const rest = args.slice(1);
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i];
      if (a === 'dev') dev = rest[++i] ?? null;
      else if (a === 'local') local = rest[++i] ?? null;
      else if (a === 'brd' || a === 'broadcast' || a === 'label' || a === 'scope' || a === 'valid_lft' || a === 'preferred_lft' || a === 'peer') i++;
      else if (a === 'noprefixroute' || a === 'dynamic' || a === 'secondary') continue;
      else if (local === null) local = a;
      else return garbage(ctx, 'local', a);
    }
    if (dev === null) {
      ctx.io.err('Not enough information: "dev" argument is required.\n');
      return 1;
    }
    if (local === null) {
      ctx.io.err('Not enough information: "local" argument is required.\n');
      return 1;
    }
    const p = parsePrefixArg(ctx, local);
    if (typeof p === 'number') return p;
    const iface = findDev(ctx, dev);
    if (iface === null) return 1;
    const host = ctx.os.host;
    if (adding) {
      const existing = iface.addresses.find((a) => a.address === p.address);
      if (existing !== undefined) {
        if (cmd === 'replace' || cmd === 'change') return 0;
        return rtnetlink(ctx, 'File exists');
      }
      host.addAddress(iface, p.address, p.prefix, 'static');
      return 0;
    }
    if (!p.explicit) {
      ctx.io.err(
        `Warning: Executing wildcard deletion to stay compatible with old scripts.\n` +
          `         Explicitly specify the prefix length (${local}/32) to avoid this warning.\n` +
          `         This special behaviour is likely to disappear in further releases,\n` +
          `         fix your scripts.\n`,
      );
    }
    const a = iface.addresses.find((x) => x.address === p.address && (!p.explicit || x.prefix === p.prefix));
    if (a === undefined) return rtnetlink(ctx, 'Cannot assign requested address');
    host.removeAddress(iface, a.address);
    return 0;
  }
  if (matches(cmd, 'flush')) {
    const rest = args.slice(1);
    const devName = rest[0] === 'dev' ? rest[1] : rest[0];
    if (devName === undefined) {
      ctx.io.err('Flush requires arguments.\n');
      return 1;
    }
    const iface = ctx.os.host.interface(devName);
    if (iface === undefined) {
      ctx.io.err(`Device "${devName}" does not exist.\n`);
      return 1;
    }
    for (const a of [...iface.addresses]) ctx.os.host.removeAddress(iface, a.address);
    return 0;
  }
  if (matches(cmd, 'help')) {
    ctx.io.err('Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]\n                                                      [ CONFFLAG-LIST ]\n       ip address del IFADDR dev IFNAME [mngtmpaddr]\n       ip address {show|save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]\n                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]\n');
    return 255;
  }
  ctx.io.err(`Command "${cmd}" is unknown, try "ip address help".\n`);
  return 1;
}

// ---------------------------------------------------------------- ip link

function ipLink(ctx: CommandContext, args: string[], opts: IpOptions): Result {
  const cmd = args[0];
  if (cmd === undefined || matches(cmd, 'show') || matches(cmd, 'list') || cmd === 'lst') {
    const devs = selectDevs(ctx, args.slice(1), (a) => a === 'up');
    if (typeof devs === 'number') return devs;
    for (const iface of devs) {
      if (opts.brief) {
        const mac = iface.isLoopback ? '00:00:00:00:00:00' : formatMac(iface.mac);
        ctx.io.out(`${iface.name.padEnd(16)} ${operState(iface).padEnd(14)} ${mac} <${linkFlags(iface)}>\n`);
        continue;
      }
      ctx.io.out(linkHeader(ctx, iface, true) + linkAddressLine(iface));
    }
    return 0;
  }
  if (matches(cmd, 'set')) {
    const rest = args.slice(1);
    let i = 0;
    if (rest[0] === 'dev') i = 1;
    const name = rest[i++];
    if (name === undefined) {
      ctx.io.err('Not enough of information: "dev" argument is required.\n');
      return 1;
    }
    const iface = findDev(ctx, name);
    if (iface === null) return 1;
    for (; i < rest.length; i++) {
      const a = rest[i];
      if (a === 'up' || a === 'down') ctx.os.host.setLinkUp(iface, a === 'up');
      else if (a === 'promisc' || a === 'arp' || a === 'multicast' || a === 'allmulticast') {
        const v = rest[++i];
        if (v !== 'on' && v !== 'off') {
          ctx.io.err(`Error: argument of "${a}" must be "on" or "off", not "${v ?? ''}"\n`);
          return 255;
        }
        if (a === 'promisc') iface.promiscuous = v === 'on';
      } else if (a === 'mtu') {
        const v = Number(rest[++i]);
        if (!Number.isInteger(v) || v < 68 || v > 65535) {
          ctx.io.err(`Error: argument "${rest[i] ?? ''}" is wrong: Invalid "mtu" value\n\n`);
          return 255;
        }
        iface.mtu = v;
      } else if (a === 'address') {
        const mac = parseMac(rest[++i] ?? '');
        if (mac === null) {
          ctx.io.err(`"${rest[i] ?? ''}" is invalid lladdr.\n`);
          return 255;
        }
        iface.mac = mac;
      } else return garbage(ctx, 'dev', a);
    }
    return 0;
  }
  ctx.io.err(`Command "${cmd}" is unknown, try "ip link help".\n`);
  return 255;
}

// ---------------------------------------------------------------- ip route

interface RouteSpec {
  dst: Ipv4Addr;
  prefix: number;
  via: Ipv4Addr | null;
  dev: string | null;
  metric: number | null;
  proto: RouteProto | null;
  src: Ipv4Addr | null;
}

function parseRouteSpec(ctx: CommandContext, args: string[]): RouteSpec | Result {
  const spec: RouteSpec = { dst: 0, prefix: -1, via: null, dev: null, metric: null, proto: null, src: null };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string | null => {
      const v = args[++i];
      if (v === undefined) {
        ctx.io.err('Command line is not complete. Try option "help"\n');
        return null;
      }
      return v;
    };
    if (a === 'via' || a === 'gw') {
      const v = value();
      if (v === null) return 255;
      const g = parseIpv4(v);
      if (g === null) {
        ctx.io.err(`Error: inet address is expected rather than "${v}".\n`);
        return 1;
      }
      spec.via = g;
    } else if (a === 'dev' || a === 'oif') {
      const v = value();
      if (v === null) return 255;
      spec.dev = v;
    } else if (a === 'metric' || a === 'priority' || a === 'preference') {
      const v = value();
      if (v === null) return 255;
      if (!/^\d+$/.test(v)) {
        ctx.io.err(`Error: argument "${v}" is wrong: "metric" value is invalid\n\n`);
        return 255;
      }
      spec.metric = Number(v);
    } else if (a === 'proto' || a === 'protocol') {
      const v = value();
      if (v === null) return 255;
      spec.proto = v === 'static' || v === 'dhcp' || v === 'kernel' || v === 'boot' ? v : 'static';
    } else if (a === 'src') {
      const v = value();
      if (v === null) return 255;
      spec.src = parseIpv4(v);
    } else if (a === 'table' || a === 'scope' || a === 'onlink' || a === 'type') {
      if (a !== 'onlink') i++;
    } else if (spec.prefix < 0) {
      const target = a === 'to' ? args[++i] ?? '' : a;
      if (target === 'default' || target === '0/0' || target === '0.0.0.0/0') {
        spec.dst = 0;
        spec.prefix = 0;
      } else {
        const c = parseCidr(target, 32);
        if (c === null) {
          ctx.io.err(`Error: any valid prefix is expected rather than "${target}".\n`);
          return 1;
        }
        spec.dst = c.address;
        spec.prefix = c.prefix;
      }
    } else return garbage(ctx, 'to', a);
  }
  return spec;
}

function ipRoute(ctx: CommandContext, args: string[]): Result {
  const cmd = args[0];
  const host = ctx.os.host;
  if (cmd === undefined || matches(cmd, 'show') || matches(cmd, 'list') || cmd === 'lst') {
    const rest = args.slice(1);
    let dev: NetInterface | null = null;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === 'dev') {
        const d = findDev(ctx, rest[++i] ?? '');
        if (d === null) return 1;
        dev = d;
      }
    }
    for (const r of kernelOrder(host.routes.routes)) {
      if (dev !== null && r.iface !== dev) continue;
      ctx.io.out(formatRoute(r, dev !== null) + '\n');
    }
    return 0;
  }
  if (matches(cmd, 'get')) {
    const target = args[1];
    if (target === undefined) {
      ctx.io.err('need at least a destination address\n');
      return 1;
    }
    const dst = parseIpv4(target.replace(/\/32$/, ''));
    if (dst === null) {
      ctx.io.err(`Error: inet prefix is expected rather than "${target}".\n`);
      return 1;
    }
    const uid = ctx.shell.flavor === 'debian' ? ' uid 0' : '';
    if (host.isLocal(dst)) {
      ctx.io.out(`local ${formatIpv4(dst)} dev lo src ${formatIpv4(dst)}${uid}\n    cache <local>\n`);
      return 0;
    }
    const bcast = host.interfaces.find((i) => i.isBroadcast(dst));
    if (bcast !== undefined) {
      ctx.io.out(`broadcast ${formatIpv4(dst)} dev ${bcast.name} src ${formatIpv4(bcast.sourceFor(dst))}${uid}\n    cache <local,brd>\n`);
      return 0;
    }
    const r = host.routeTo(dst);
    if (r === null) return rtnetlink(ctx, 'Network is unreachable');
    const via = r.nextHop !== dst ? ` via ${formatIpv4(r.nextHop)}` : '';
    ctx.io.out(`${formatIpv4(dst)}${via} dev ${r.iface.name} src ${formatIpv4(r.src)}${uid}\n    cache\n`);
    return 0;
  }
  const adding = matches(cmd, 'add') || cmd === 'replace' || cmd === 'change' || cmd === 'append';
  if (adding || matches(cmd, 'delete')) {
    const spec = parseRouteSpec(ctx, args.slice(1));
    if (typeof spec === 'number') return spec;
    if (spec.prefix < 0) {
      ctx.io.err('Command line is not complete. Try option "help"\n');
      return 255;
    }
    if ((spec.dst & ~prefixToMask(spec.prefix)) >>> 0 !== 0) return rtnetlink(ctx, 'Invalid argument');
    let iface: NetInterface | null = null;
    if (spec.dev !== null) {
      iface = findDev(ctx, spec.dev);
      if (iface === null) return 1;
    }
    if (!adding) {
      const victim = host.routes.routes.find(
        (r) =>
          r.dst === spec.dst &&
          r.prefix === spec.prefix &&
          (spec.via === null || r.gateway === spec.via) &&
          (iface === null || r.iface === iface) &&
          (spec.metric === null || r.metric === spec.metric),
      );
      if (victim === undefined) return rtnetlink(ctx, 'No such process');
      host.routes.remove({ dst: victim.dst, prefix: victim.prefix, gateway: victim.gateway, iface: victim.iface, metric: victim.metric });
      return 0;
    }
    if (spec.via !== null) {
      // The gateway must be on a network this machine is directly connected to.
      const onLink = (i: NetInterface): boolean => i.up && i.addresses.some((a) => inSubnet(spec.via as Ipv4Addr, a.address, a.prefix));
      if (iface === null) iface = host.interfaces.find((i) => !i.isLoopback && onLink(i)) ?? null;
      if (iface === null || !onLink(iface)) return rtnetlink(ctx, 'Network is unreachable');
    } else if (iface === null) return rtnetlink(ctx, 'No such device');
    const metric = spec.metric ?? 0;
    const same = host.routes.routes.find((r) => r.dst === spec.dst && r.prefix === spec.prefix && r.metric === metric);
    if (same !== undefined) {
      if (cmd !== 'replace' && cmd !== 'change') return rtnetlink(ctx, 'File exists');
      host.routes.remove({ dst: same.dst, prefix: same.prefix, metric: same.metric, iface: same.iface, gateway: same.gateway });
    }
    if (!iface.up) return rtnetlink(ctx, 'Network is down');
    const route: Route = { dst: spec.dst, prefix: spec.prefix, gateway: spec.via ?? 0, iface, metric, proto: spec.proto ?? 'boot', src: spec.src ?? 0 };
    if (!host.addRoute(route)) return rtnetlink(ctx, 'File exists');
    return 0;
  }
  if (matches(cmd, 'flush')) {
    const rest = args.slice(1);
    if (rest[0] === 'dev') {
      const d = findDev(ctx, rest[1] ?? '');
      if (d === null) return 1;
      host.routes.remove({ iface: d });
      return 0;
    }
    ctx.io.err('"ip route flush" requires arguments.\n');
    return 255;
  }
  ctx.io.err(`Command "${cmd}" is unknown, try "ip route help".\n`);
  return 255;
}

// ---------------------------------------------------------------- ip neigh

const VALID_STATES = new Set(['REACHABLE', 'STALE', 'DELAY', 'PROBE', 'PERMANENT']);

/** One line of `ip neigh`: lladdr only for entries the kernel holds a valid address for (NUD_VALID). */
export function neighLine(e: NeighborEntry, dev: string | null): string {
  let s = `${formatIpv4(e.ip)} `;
  if (dev !== null) s += `dev ${dev} `;
  if (VALID_STATES.has(e.state)) s += `lladdr ${formatMac(e.mac)}`;
  return `${s} ${e.state}`;
}

function ipNeigh(ctx: CommandContext, args: string[]): Result {
  const cmd = args[0];
  const host = ctx.os.host;
  const rest = args.slice(1);
  if (cmd === undefined || matches(cmd, 'show') || matches(cmd, 'list') || cmd === 'lst') {
    let dev: NetInterface | null = null;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === 'dev') {
        const d = findDev(ctx, rest[++i] ?? '');
        if (d === null) return 1;
        dev = d;
      }
    }
    for (const iface of host.interfaces) {
      if (iface.isLoopback || (dev !== null && iface !== dev)) continue;
      for (const e of iface.neighbors.list()) ctx.io.out(neighLine(e, dev === null ? iface.name : null) + '\n');
    }
    return 0;
  }
  if (matches(cmd, 'flush')) {
    if (rest[0] === 'all') {
      for (const i of host.interfaces) i.neighbors.flush();
      return 0;
    }
    const name = rest[0] === 'dev' ? rest[1] : undefined;
    if (name === undefined) {
      ctx.io.err('Flush requires arguments.\n');
      return 1;
    }
    const d = findDev(ctx, name);
    if (d === null) return 1;
    d.neighbors.flush();
    return 0;
  }
  if (matches(cmd, 'add') || matches(cmd, 'delete') || cmd === 'replace' || cmd === 'change') {
    let addr: Ipv4Addr | null = null;
    let lladdr: number | null = null;
    let dev: string | null = null;
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i];
      if (a === 'lladdr') {
        lladdr = parseMac(rest[++i] ?? '');
        if (lladdr === null) {
          ctx.io.err(`"${rest[i] ?? ''}" is invalid lladdr.\n`);
          return 255;
        }
      } else if (a === 'dev') dev = rest[++i] ?? null;
      else if (a === 'nud') i++;
      else if (addr === null) {
        addr = parseIpv4((a === 'to' ? rest[++i] : a) ?? '');
        if (addr === null) {
          ctx.io.err(`Error: inet address is expected rather than "${a}".\n`);
          return 1;
        }
      }
    }
    if (addr === null || dev === null) {
      ctx.io.err('Device and destination are required arguments.\n');
      return 255;
    }
    const d = findDev(ctx, dev);
    if (d === null) return 1;
    if (matches(cmd, 'delete')) {
      if (!d.neighbors.delete(addr)) return rtnetlink(ctx, 'No such file or directory');
      return 0;
    }
    if (cmd !== 'replace' && cmd !== 'change' && d.neighbors.get(addr) !== undefined) return rtnetlink(ctx, 'File exists');
    if (lladdr === null) {
      ctx.io.err('lladdr is required.\n');
      return 255;
    }
    d.neighbors.setPermanent(addr, lladdr);
    return 0;
  }
  ctx.io.err(`Command "${cmd}" is unknown, try "ip neigh help".\n`);
  return 255;
}
