// net-tools 2.0's ifconfig (CentOS 7): interface blocks sorted by name with flags, addresses and the port's counters; up, down and an address.
import type { NetInterface } from '../../../stack/interface';
import { formatIpv4, formatMac, maskToPrefix, parseIpv4 } from '../../../wire/address';
import type { Command, CommandContext } from '../command';
import { hasLinkLocal, linkLocalOf, maskText } from '../format';

/** net-tools' print_bytes_scaled: one decimal and a binary unit. */
function scaled(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  let frac = 0;
  while (v >= 1024 && u < units.length - 1) {
    frac = Math.floor(((v % 1024) * 10) / 1024);
    v = Math.floor(v / 1024);
    u++;
  }
  return `${v}.${frac} ${units[u]}`;
}

/** nstrcmp: names compared with their numeric parts as numbers (eth2 before eth10). */
function nameOrder(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

function flags(iface: NetInterface): string {
  const names: string[] = [];
  let n = 0;
  if (iface.up) {
    names.push('UP');
    n |= 0x1;
  }
  if (!iface.isLoopback) {
    names.push('BROADCAST');
    n |= 0x2;
  } else {
    names.push('LOOPBACK');
    n |= 0x8;
  }
  if (iface.up && iface.carrier) {
    names.push('RUNNING');
    n |= 0x40;
  }
  if (iface.promiscuous) {
    names.push('PROMISC');
    n |= 0x100;
  }
  if (!iface.isLoopback) {
    names.push('MULTICAST');
    n |= 0x1000;
  }
  return `flags=${n}<${names.join(',')}>`;
}

function block(iface: NetInterface): string {
  const p = iface.port;
  let s = `${iface.name}: ${flags(iface)}  mtu ${iface.isLoopback ? 65536 : iface.mtu}\n`;
  const a = iface.primary;
  if (a !== undefined) {
    s += `        inet ${formatIpv4(a.address)}  netmask ${maskText(a.prefix)}`;
    if (a.broadcast !== 0 && !iface.isLoopback) s += `  broadcast ${formatIpv4(a.broadcast)}`;
    s += '\n';
  }
  if (iface.isLoopback) s += '        inet6 ::1  prefixlen 128  scopeid 0x10<host>\n        loop  txqueuelen 1000  (Local Loopback)\n';
  else {
    if (hasLinkLocal(iface)) s += `        inet6 ${linkLocalOf(iface.mac)}  prefixlen 64  scopeid 0x20<link>\n`;
    s += `        ether ${formatMac(iface.mac)}  txqueuelen 1000  (Ethernet)\n`;
  }
  const rx = p?.rxFrames ?? 0;
  const rxb = p?.rxBytes ?? 0;
  const tx = p?.txFrames ?? 0;
  const txb = p?.txBytes ?? 0;
  s += `        RX packets ${rx}  bytes ${rxb} (${scaled(rxb)})\n        RX errors 0  dropped ${p?.drops ?? 0}  overruns 0  frame 0\n`;
  s += `        TX packets ${tx}  bytes ${txb} (${scaled(txb)})\n        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n\n`;
  return s;
}

function configure(ctx: CommandContext, iface: NetInterface, args: string[]): number {
  const host = ctx.os.host;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'up' || a === 'down') host.setLinkUp(iface, a === 'up');
    else if (a === 'netmask') {
      const m = parseIpv4(args[++i] ?? '');
      const prefix = m === null ? null : maskToPrefix(m);
      const primary = iface.primary;
      if (prefix === null) {
        ctx.io.err(`${args[i] ?? ''}: Unknown host\nifconfig: \`--help' gives usage information.\n`);
        return 1;
      }
      if (primary !== undefined) {
        host.removeAddress(iface, primary.address);
        host.addAddress(iface, primary.address, prefix, 'static');
      }
    } else if (a === 'promisc' || a === '-promisc') iface.promiscuous = a === 'promisc';
    else if (a === 'mtu') iface.mtu = Number(args[++i]) || iface.mtu;
    else {
      const addr = parseIpv4(a);
      if (addr === null) {
        ctx.io.err(`${a}: Unknown host\nifconfig: \`--help' gives usage information.\n`);
        return 1;
      }
      // ifconfig replaces the primary address, with the classful mask unless netmask follows.
      const primary = iface.primary;
      if (primary !== undefined) host.removeAddress(iface, primary.address);
      const first = addr >>> 24;
      host.addAddress(iface, addr, first < 128 ? 8 : first < 192 ? 16 : 24, 'static');
      host.setLinkUp(iface, true);
    }
  }
  return 0;
}

export const ifconfig: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  const all = args[0] === '-a';
  if (all) args.shift();
  const host = ctx.os.host;
  if (args.length === 0) {
    const list = [...host.interfaces].filter((i) => all || i.up).sort((a, b) => nameOrder(a.name, b.name));
    ctx.io.out(list.map(block).join(''));
    return ctx.exit(0);
  }
  const iface = host.interface(args[0]);
  if (iface === undefined) {
    ctx.io.err(args.length === 1 ? `${args[0]}: error fetching interface information: Device not found\n` : `SIOCSIFFLAGS: No such device\n`);
    return ctx.exit(1);
  }
  if (args.length === 1) {
    ctx.io.out(block(iface));
    return ctx.exit(0);
  }
  ctx.exit(configure(ctx, iface, args.slice(1)));
};
