// net-tools' arp and route, with their fixed-width tables; names come from /etc/hosts only (no blocking DNS here).
import type { NetInterface } from '../../../stack/interface';
import { HostsFile } from '../../../stack/hosts-file';
import type { NeighborEntry } from '../../../stack/neighbor';
import { formatIpv4, formatMac, type Ipv4Addr, parseIpv4, parseMac, prefixToMask } from '../../../wire/address';
import { type Command, type CommandContext, getopt } from '../command';
import { kernelOrder } from '../format';

const COMPLETE = new Set(['REACHABLE', 'STALE', 'DELAY', 'PROBE', 'PERMANENT']);

function hostsName(ctx: CommandContext, ip: Ipv4Addr): string | null {
  const text = ctx.os.files.read('/etc/hosts');
  return text === null ? null : (HostsFile.parse(text).reverse(ip)?.hostname ?? null);
}

/** One row of `arp -n`: net-tools' `%-23.23s  %-8.8s%-20.20s%-6.6s%-15.15s %s`. */
function arpRow(address: string, iface: NetInterface, e: NeighborEntry): string {
  const complete = COMPLETE.has(e.state);
  const flags = (complete ? 'C' : '') + (e.state === 'PERMANENT' ? 'M' : '');
  const hw = complete ? 'ether'.padEnd(8) + formatMac(e.mac).padEnd(20) : ''.padEnd(8) + '(incomplete)'.padEnd(20);
  return `${address.slice(0, 23).padEnd(23)}  ${hw}${flags.padEnd(6)}${''.padEnd(15)} ${iface.name}`;
}

export const arp: Command = (ctx) => {
  const g = getopt(ctx.argv.slice(1), 'anvei:dsDH:');
  if (g.error !== null) {
    ctx.io.err(`arp: ${g.error}\n`);
    ctx.io.err('Usage:\n  arp [-vn]  [<HW>] [-i <if>] [-a] [<hostname>]             <-Display ARP cache\n  arp [-v]          [-i <if>] -d  <host> [pub]               <-Delete ARP entry\n  arp [-vnD] [<HW>] [-i <if>] -f  [<filename>]            <-Add entry from file\n  arp [-v]   [<HW>] [-i <if>] -s  <host> <hwaddr> [temp]            <-Add entry\n');
    return ctx.exit(255);
  }
  const has = (c: string): boolean => g.options.some((o) => o.name === c);
  const ifName = g.options.find((o) => o.name === 'i')?.value ?? null;
  const host = ctx.os.host;
  const ifaces = host.interfaces.filter((i) => !i.isLoopback && (ifName === null || i.name === ifName));
  if (has('d')) {
    const target = parseIpv4(g.operands[0] ?? '');
    if (target === null) {
      ctx.io.err(`${g.operands[0] ?? ''}: Unknown host\n`);
      return ctx.exit(255);
    }
    const owner = ifaces.find((i) => i.neighbors.get(target) !== undefined);
    if (owner === undefined) {
      ctx.io.err(`No ARP entry for ${formatIpv4(target)}\n`);
      return ctx.exit(255);
    }
    owner.neighbors.delete(target);
    return ctx.exit(0);
  }
  if (has('s')) {
    const target = parseIpv4(g.operands[0] ?? '');
    const mac = parseMac(g.operands[1] ?? '');
    if (target === null || mac === null) {
      ctx.io.err(`arp: invalid hardware address\n`);
      return ctx.exit(255);
    }
    const iface = ifaces.find((i) => i.addresses.some((a) => ((a.address ^ target) & prefixToMask(a.prefix)) === 0)) ?? null;
    if (iface === null) {
      ctx.io.err('SIOCSARP: Network is unreachable\n');
      return ctx.exit(255);
    }
    iface.neighbors.setPermanent(target, mac);
    return ctx.exit(0);
  }
  const numeric = has('n');
  const only = g.operands.length > 0 ? parseIpv4(g.operands[0]) : null;
  if (has('a')) {
    // BSD style: ? (10.0.2.3) at 52:54:00:12:35:03 [ether] on eth0
    for (const iface of ifaces) {
      for (const e of iface.neighbors.list()) {
        if (only !== null && e.ip !== only) continue;
        const name = numeric ? '?' : (hostsName(ctx, e.ip) ?? '?');
        const at = COMPLETE.has(e.state) ? `${formatMac(e.mac)} [ether]${e.state === 'PERMANENT' ? ' PERM' : ''}` : '<incomplete>';
        ctx.io.out(`${name} (${formatIpv4(e.ip)}) at ${at} on ${iface.name}\n`);
      }
    }
    return ctx.exit(0);
  }
  let printed = false;
  for (const iface of ifaces) {
    for (const e of iface.neighbors.list()) {
      if (only !== null && e.ip !== only) continue;
      if (!printed) ctx.io.out('Address                  HWtype  HWaddress           Flags Mask            Iface\n');
      printed = true;
      const address = numeric ? formatIpv4(e.ip) : (hostsName(ctx, e.ip) ?? formatIpv4(e.ip));
      ctx.io.out(arpRow(address, iface, e) + '\n');
    }
  }
  if (only !== null && !printed) {
    ctx.io.out(`${g.operands[0]} (${formatIpv4(only)}) -- no entry\n`);
    return ctx.exit(1);
  }
  ctx.exit(0);
};

/** `route -n`: the kernel table as /proc/net/route lists it. */
export const route: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length > 0 && (args[0] === 'add' || args[0] === 'del')) {
    ctx.io.err('route: the lab offers "ip route add" and "ip route del" for changing routes\n');
    return ctx.exit(1);
  }
  const numeric = args.some((a) => /^-[a-zA-Z]*n/.test(a));
  const name = (ip: Ipv4Addr, isDst: boolean): string => {
    if (numeric) return formatIpv4(ip);
    if (ip === 0) return isDst ? 'default' : '0.0.0.0';
    return hostsName(ctx, ip) ?? formatIpv4(ip);
  };
  ctx.io.out('Kernel IP routing table\nDestination     Gateway         Genmask         Flags Metric Ref    Use Iface\n');
  for (const r of kernelOrder(ctx.os.host.routes.routes)) {
    const flags = 'U' + (r.gateway !== 0 ? 'G' : '') + (r.prefix === 32 ? 'H' : '');
    const cols = [name(r.dst, true).slice(0, 15).padEnd(15), name(r.gateway, false).slice(0, 15).padEnd(15), formatIpv4(prefixToMask(r.prefix)).padEnd(15), flags.padEnd(5), String(r.metric).padEnd(6), '0'.padEnd(3), '0'.padStart(6)];
    ctx.io.out(`${cols.join(' ')} ${r.iface.name}\n`);
  }
  ctx.exit(0);
};
