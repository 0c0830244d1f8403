// Names Wireshark prints for addresses and numbers: MAC vendors (the OUIs of the lab), EtherTypes, IP protocols.
import { getU16, getU32 } from '../bytes';

/**
 * Short vendor names from Wireshark's manuf file for the OUIs of the lab: the hypervisors' (VirtualBox,
 * QEMU's 52:54:00, VMware, Hyper-V, Parallels, Xen) and the physical machines of the bundled labs. Other
 * MACs show in the plain colon form, as Wireshark shows those it has no name for.
 */
const OUI_NAMES: ReadonlyMap<number, string> = new Map([
  [0x000000, '00:00:00'],
  [0x0003ff, 'Microsof'],
  [0x000569, 'VMware'],
  [0x000c29, 'VMware'],
  [0x00155d, 'Microsof'],
  [0x00163e, 'Xensourc'],
  [0x001c14, 'VMware'],
  [0x001c42, 'Parallel'],
  [0x005056, 'VMware'],
  [0x00e04c, 'RealtekS'],
  [0x080027, 'PcsCompu'],
  [0x3c5282, 'HewlettP'],
  [0x525400, 'RealtekU'],
  [0xc83a35, 'TendaTec'],
  [0xd43d7e, 'Micro-St'],
]);

const HEX = '0123456789abcdef';

function hx(b: number): string {
  return HEX[b >>> 4] + HEX[b & 15];
}

/** The bytes from..5 of a MAC with leading zero bytes dropped (at least one kept), as Wireshark names masked ranges. */
function tail(b: Uint8Array, o: number, from: number): string {
  let i = from;
  while (i < 5 && b[o + i] === 0) i++;
  let s = hx(b[o + i]);
  for (i++; i < 6; i++) s += ':' + hx(b[o + i]);
  return s;
}

/** The plain colon form 08:00:27:aa:bb:cc of the MAC at b[o..o+6). */
export function macText(b: Uint8Array, o: number): string {
  return `${hx(b[o])}:${hx(b[o + 1])}:${hx(b[o + 2])}:${hx(b[o + 3])}:${hx(b[o + 4])}:${hx(b[o + 5])}`;
}

/**
 * The MAC at b[o..o+6) as Wireshark's resolved form: `Broadcast`, `PcsCompu_aa:bb:cc`, `IPv4mcast_7f:ff:fa`,
 * or the plain colon form when the lab knows no name for it (0a:00:27:00:00:00).
 */
export function macName(b: Uint8Array, o: number): string {
  const hi = getU16(b, o);
  const lo = getU32(b, o + 2);
  if (hi === 0xffff && lo === 0xffffffff) return 'Broadcast';
  const oui = (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
  if (oui === 0x01005e && (b[o + 3] & 0x80) === 0) return 'IPv4mcast_' + tail(b, o, 3);
  if (hi === 0x3333) return 'IPv6mcast_' + tail(b, o, 2);
  if (oui === 0x0180c2 && b[o + 3] === 0 && b[o + 4] === 0) {
    if (b[o + 5] === 0x0e) return 'LLDP_Multicast';
    if (b[o + 5] === 0) return 'Spanning-tree-(for-bridges)_00';
  }
  const vendor = OUI_NAMES.get(oui);
  if (vendor !== undefined) return `${vendor}_${hx(b[o + 3])}:${hx(b[o + 4])}:${hx(b[o + 5])}`;
  return macText(b, o);
}

/** "PcsCompu_aa:bb:cc (08:00:27:aa:bb:cc)", as address fields show a MAC. */
export function macLabel(b: Uint8Array, o: number): string {
  return `${macName(b, o)} (${macText(b, o)})`;
}

export function ipText(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

const ETHERTYPES: ReadonlyMap<number, string> = new Map([
  [0x0800, 'IPv4'],
  [0x0806, 'ARP'],
  [0x8100, '802.1Q Virtual LAN'],
  [0x86dd, 'IPv6'],
  [0x8035, 'RARP'],
  [0x88cc, '802.1 Link Layer Discovery Protocol (LLDP)'],
  [0x88a8, '802.1ad Provider Bridge (Q-in-Q)'],
  [0x8863, 'PPPoE Discovery'],
  [0x8864, 'PPPoE Session'],
  [0x888e, '802.1X Authentication'],
]);

/** "IPv4 (0x0800)", "Unknown (0x1234)". */
export function ethertypeLabel(t: number): string {
  return `${ETHERTYPES.get(t) ?? 'Unknown'} (0x${t.toString(16).padStart(4, '0')})`;
}

/** IANA protocol numbers with the names Wireshark gives them in the Protocol field and the Info column. */
const IP_PROTOCOLS: ReadonlyMap<number, string> = new Map([
  [0, 'IPv6 Hop-by-Hop Option'],
  [1, 'ICMP'],
  [2, 'IGMP'],
  [4, 'IPIP'],
  [6, 'TCP'],
  [17, 'UDP'],
  [41, 'IPv6'],
  [47, 'Generic Routing Encapsulation'],
  [50, 'Encap Security Payload'],
  [51, 'Authentication Header'],
  [58, 'ICMPv6'],
  [89, 'OSPF IGP'],
  [103, 'PIM'],
  [112, 'VRRP'],
  [132, 'SCTP'],
]);

export function ipProtocolName(p: number): string {
  return IP_PROTOCOLS.get(p) ?? 'Unknown';
}
