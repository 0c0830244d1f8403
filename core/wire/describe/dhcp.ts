// DHCP and BOOTP as Wireshark shows them: "DHCP Discover - Transaction ID 0x3903f326", every header field and option.
import type { DecodeNode } from '../../api/dto';
import { getU16, getU32 } from '../bytes';
import { bits, bytesText, type Decode, durationText, escapeText, hex, node } from './common';
import { ipText, macLabel, macName, macText } from './names';

/** Wireshark's names of DHCP options 0–255. */
const OPTION_NAMES: readonly string[] = [
  'Padding', 'Subnet Mask', 'Time Offset', 'Router', 'Time Server', 'Name Server', 'Domain Name Server', 'Log Server', 'Quotes Server', 'LPR Server',
  'Impress Server', 'Resource Location Server', 'Host Name', 'Boot File Size', 'Merit Dump File', 'Domain Name', 'Swap Server', 'Root Path',
  'Extensions Path', 'IP Forwarding', 'Non-Local Source Routing', 'Policy Filter', 'Maximum Datagram Reassembly Size', 'Default IP Time-to-Live',
  'Path MTU Aging Timeout', 'Path MTU Plateau Table', 'Interface MTU', 'All Subnets are Local', 'Broadcast Address', 'Perform Mask Discovery',
  'Mask Supplier', 'Perform Router Discover', 'Router Solicitation Address', 'Static Route', 'Trailer Encapsulation', 'ARP Cache Timeout',
  'Ethernet Encapsulation', 'TCP Default TTL', 'TCP Keepalive Interval', 'TCP Keepalive Garbage', 'Network Information Service Domain',
  'Network Information Service Servers', 'Network Time Protocol Servers', 'Vendor-Specific Information', 'NetBIOS over TCP/IP Name Server',
  'NetBIOS over TCP/IP Datagram Distribution Name Server', 'NetBIOS over TCP/IP Node Type', 'NetBIOS over TCP/IP Scope',
  'X Window System Font Server', 'X Window System Display Manager', 'Requested IP Address', 'IP Address Lease Time', 'Option Overload',
  'DHCP Message Type', 'DHCP Server Identifier', 'Parameter Request List', 'Message', 'Maximum DHCP Message Size', 'Renewal Time Value',
  'Rebinding Time Value', 'Vendor class identifier', 'Client identifier', 'Novell/Netware IP domain', 'Novell Options',
  'Network Information Service+ Domain', 'Network Information Service+ Servers', 'TFTP Server Name', 'Bootfile name', 'Mobile IP Home Agent',
  'SMTP Server', 'POP3 Server', 'NNTP Server', 'Default WWW Server', 'Default Finger Server', 'Default IRC Server', 'StreetTalk Server',
  'StreetTalk Directory Assistance Server', 'User Class Information', 'Directory Agent Information', 'Service Location Agent Scope', 'Rapid commit',
  'Client Fully Qualified Domain Name', 'Agent Information Option', 'iSNS', 'Removed/Unassigned', 'Novell Directory Services Servers',
  'Novell Directory Services Tree Name', 'Novell Directory Services Context', 'BCMCS Controller Domain Name [TODO:RFC4280]',
  'BCMCS Controller IPv4 address [TODO:RFC4280]', 'Authentication', 'Client last transaction time', 'Associated IP option',
  'Client System Architecture', 'Client Network Device Interface', 'LDAP [TODO:RFC3679]', 'Removed/Unassigned', 'UUID/GUID-based Client Identifier',
  'Open Group\'s User Authentication [TODO:RFC2485]', 'Civic Addresses Configuration', 'PCode', 'TCode', 'Removed/unassigned', 'Removed/unassigned',
  'Removed/unassigned', 'Removed/unassigned', 'Removed/unassigned', 'Removed/unassigned', 'IPv6-Only Preferred', 'Unassigned', 'Removed/Unassigned',
  'Unassigned', 'NetInfo Parent Server Address', 'NetInfo Parent Server Tag', 'DHCP Captive-Portal', 'Removed/Unassigned', 'DHCP Auto-Configuration',
  'Name Service Search', 'Subnet Selection Option', 'Domain Search', 'SIP Servers', 'Classless Static Route',
  'CableLabs Client Configuration [TODO:RFC3495]', 'Coordinate-based Location Configuration', 'V-I Vendor Class', 'V-I Vendor-specific Information',
  'Removed/Unassigned', 'Removed/Unassigned', 'DOCSIS full security server IP [TODO]', 'PXE - undefined (vendor specific)',
  'PXE - undefined (vendor specific)', 'PXE - undefined (vendor specific)', 'PXE - undefined (vendor specific)', 'PXE - undefined (vendor specific)',
  'PXE - undefined (vendor specific)', 'PXE - undefined (vendor specific)', 'PANA Authentication Agent', 'LoST Server Domain Name',
  'CAPWAP Access Controllers', 'IPv4 Address-MoS', 'IPv4 FQDN-MoS', 'SIP UA Configuration Domains', 'IPv4 Address ANDSF',
  'Zerotouch Redirect [TODO: draft-ietf-netconf-zerotouch]', 'Geospatial Location [TODO:RFC6225]', 'Forcerenew Nonce Capable', 'RDNSS Selection',
  'Unassigned', 'Unassigned', 'Unassigned', 'TFTP Server Address', 'Leasequery Status code', 'Leasequery Base Time',
  'Leasequery Start Time of State', 'Leasequery Query Start Time', 'Leasequery Query End Time', 'Leasequery Dhcp State', 'Leasequery Data Source',
  'PCP Server', 'Portparams', 'Unassigned (ex DHCP Captive-Portal)', 'Manufacturer Usage Description', 'Unassigned', 'Unassigned', 'Unassigned',
  'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned',
  'Etherboot', 'IP Telephone', 'Etherboot', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned',
  'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned',
  'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned',
  'Unassigned', 'Unassigned', 'Unassigned', 'PXELINUX Magic', 'PXE Configuration file', 'PXE Path Prefix', 'Reboot Time', '6RD', 'V4 Access Domain',
  'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Subnet Allocation', 'Virtual Subnet Selection', 'Unassigned',
  'Unassigned', 'Private', 'Private', 'Private', 'Private', 'Private', 'Private', 'Private', 'Private', 'Private', 'Private', 'Private', 'Private',
  'Private', 'Private', 'Private', 'Private', 'Private', 'Private', 'Private/Avaya IP Telephone', 'Private', 'Private', 'Private', 'Private',
  'Private', 'Private', 'Private/Classless Static Route (Microsoft)', 'Private', 'Private', 'Private/Proxy autodiscovery', 'Private', 'Private',
  'End',
];

const MESSAGE_TYPES = [
  '',
  'Discover',
  'Offer',
  'Request',
  'Decline',
  'ACK',
  'NAK',
  'Release',
  'Inform',
  'Force Renew',
  'Lease query',
  'Lease Unassigned',
  'Lease Unknown',
  'Lease Active',
  'Bulk Lease Query',
  'Lease Query Done',
  'Active LeaseQuery',
  'Lease Query Status',
  'TLS',
];

/** Options holding one IPv4 address, whose value Wireshark repeats on the option's line. */
const SINGLE_IP = new Set([1, 16, 28, 32, 50, 54, 118]);
const IP_LIST = new Set([3, 6]);
const TEXT = new Set([12, 14, 15, 17, 18, 40, 56, 60, 64, 66, 67]);
const TIMES = new Set([51, 58, 59]);
const COOKIE = 0x63825363;

function typeName(t: number): string {
  return MESSAGE_TYPES[t] !== undefined && t > 0 ? MESSAGE_TYPES[t] : 'Unknown';
}

function timeText(v: number): string {
  return v === 0xffffffff ? `(${v}s) infinity` : `(${v}s) ${durationText(v)}`;
}

/** The first valid option 53 in the options b[s..end), or 0. */
function messageType(b: Uint8Array, s: number, end: number): number {
  let i = s;
  while (i < end) {
    const c = b[i];
    if (c === 0) {
      i++;
      continue;
    }
    if (c === 255 || i + 1 >= end) return 0;
    const len = b[i + 1];
    if (i + 2 + len > end) return 0;
    if (c === 53 && len === 1) return b[i + 2];
    i += 2 + len;
  }
  return 0;
}

function optionValues(b: Uint8Array, code: number, s: number, len: number): DecodeNode[] {
  const name = OPTION_NAMES[code];
  const e = s + len;
  if (code === 53 && len === 1) return [node(`DHCP: ${typeName(b[s])} (${b[s]})`, s, e)];
  if (SINGLE_IP.has(code) && len === 4) return [node(`${name}: ${ipText(b, s)}`, s, e)];
  if (IP_LIST.has(code) && len % 4 === 0 && len > 0) {
    const out: DecodeNode[] = [];
    for (let i = s; i < e; i += 4) out.push(node(`${name}: ${ipText(b, i)}`, i, i + 4));
    return out;
  }
  if (TIMES.has(code) && len === 4) return [node(`${name}: ${timeText(getU32(b, s))}`, s, e)];
  if (TEXT.has(code) && len > 0) return [node(`${name}: ${escapeText(b, s, e)}`, s, e)];
  if (code === 55) {
    const out: DecodeNode[] = [];
    for (let i = s; i < e; i++) out.push(node(`Parameter Request List Item: (${b[i]}) ${OPTION_NAMES[b[i]]}`, i, i + 1));
    return out;
  }
  if (code === 57 && len === 2) return [node(`Maximum DHCP Message Size: ${getU16(b, s)}`, s, e)];
  if (code === 61 && len > 0) {
    if (b[s] === 1 && len === 7) return [node('Hardware type: Ethernet (0x01)', s, s + 1), node(`Client MAC address: ${macLabel(b, s + 1)}`, s + 1, e)];
    if (b[s] === 0) return [node('Type: 0', s, s + 1), node(`Client Identifier: ${escapeText(b, s + 1, e)}`, s + 1, e)];
    if (b[s] === 255 && len >= 5) return [node(`IAID: ${bytesText(b, s + 1, s + 5)}`, s + 1, s + 5)];
  }
  if (len === 0) return [];
  return [node(`Value: ${bytesText(b, s, e)}`, s, e)];
}

/** Decodes the DHCP or BOOTP message b[off..end) (a UDP payload). */
export function decodeDhcp(d: Decode, off: number, end: number): void {
  const b = d.buf;
  const o = off;
  d.protocol = 'BOOTP';
  const n = end - o;
  if (n < 1) return;
  const op = b[o];
  const bootInfo = (): string =>
    op === 1 ? (n >= 34 ? `Boot Request from ${macText(b, o + 28)} (${macName(b, o + 28)})` : 'Boot Request') : op === 2 ? 'Boot Reply' : 'Unknown BOOTP message type';
  if (n < 236) {
    d.info = bootInfo();
    if (d.tree) d.tree.push(node('Dynamic Host Configuration Protocol', o, end));
    d.malformed('DHCP/BOOTP');
    return;
  }
  const hasCookie = n >= 240 && getU32(b, o + 236) === COOKIE;
  const mt = hasCookie ? messageType(b, o + 240, end) : 0;
  const xid = getU32(b, o + 4);
  if (mt !== 0) {
    d.protocol = 'DHCP';
    d.info = `DHCP ${typeName(mt).padEnd(8)} - Transaction ID 0x${xid.toString(16)}`;
  } else d.info = bootInfo();
  const t = d.tree;
  const c: DecodeNode[] = [];
  let malformed = n < 240;
  if (t) {
    const flags = getU16(b, o + 10);
    const bc = (flags & 0x8000) !== 0;
    c.push(
      node(`Message type: ${op === 1 ? 'Boot Request' : op === 2 ? 'Boot Reply' : 'Unknown'} (${op})`, o, o + 1),
      node(`Hardware type: ${b[o + 1] === 1 ? 'Ethernet' : 'Unknown'} (${hex(b[o + 1], 2)})`, o + 1, o + 2),
      node(`Hardware address length: ${b[o + 2]}`, o + 2, o + 3),
      node(`Hops: ${b[o + 3]}`, o + 3, o + 4),
      node(`Transaction ID: ${hex(xid, 8)}`, o + 4, o + 8),
      node(`Seconds elapsed: ${getU16(b, o + 8)}`, o + 8, o + 10),
      node(`Bootp flags: ${hex(flags, 4)}${bc ? ', Broadcast flag (Broadcast)' : ' (Unicast)'}`, o + 10, o + 12, [
        node(`${bits(flags, 0x8000, 16)} = Broadcast flag: ${bc ? 'Broadcast' : 'Unicast'}`, o + 10, o + 12),
        node(`${bits(flags, 0x7fff, 16)} = Reserved flags: ${hex(flags & 0x7fff, 4)}`, o + 10, o + 12),
      ]),
      node(`Client IP address: ${ipText(b, o + 12)}`, o + 12, o + 16),
      node(`Your (client) IP address: ${ipText(b, o + 16)}`, o + 16, o + 20),
      node(`Next server IP address: ${ipText(b, o + 20)}`, o + 20, o + 24),
      node(`Relay agent IP address: ${ipText(b, o + 24)}`, o + 24, o + 28),
    );
    if (b[o + 1] === 1 && b[o + 2] === 6) {
      c.push(node(`Client MAC address: ${macLabel(b, o + 28)}`, o + 28, o + 34), node(`Client hardware address padding: ${bytesText(b, o + 34, o + 44)}`, o + 34, o + 44));
    } else c.push(node(`Client hardware address: ${bytesText(b, o + 28, o + 44)}`, o + 28, o + 44));
    c.push(stringField(b, o + 44, 64, 'Server host name'), stringField(b, o + 108, 128, 'Boot file name'));
    if (hasCookie) c.push(node('Magic cookie: DHCP', o + 236, o + 240));
  }
  if (hasCookie) {
    let i = o + 240;
    while (i < end) {
      const code = b[i];
      if (code === 0) {
        // A run of pad options shows as one Padding line, as after End.
        let j = i;
        while (j < end && b[j] === 0) j++;
        if (t) c.push(node(`Padding: ${bytesText(b, i, j)}`, i, j));
        i = j;
        continue;
      }
      if (code === 255) {
        if (t) {
          c.push(node('Option: (255) End', i, i + 1, [node('Option End: 255', i, i + 1)]));
          if (i + 1 < end) c.push(node(`Padding: ${bytesText(b, i + 1, end)}`, i + 1, end));
        }
        break;
      }
      const len = i + 1 < end ? b[i + 1] : -1;
      if (len < 0 || i + 2 + len > end) {
        malformed = true;
        if (t) c.push(node(`Option: (${code}) ${OPTION_NAMES[code]}`, i, end));
        break;
      }
      if (t) {
        let label = `Option: (${code}) ${OPTION_NAMES[code]}`;
        if (code === 53 && len === 1) label += ` (${typeName(b[i + 2])})`;
        else if (SINGLE_IP.has(code) && len === 4) label += ` (${ipText(b, i + 2)})`;
        c.push(node(label, i, i + 2 + len, [node(`Length: ${len}`, i + 1, i + 2), ...optionValues(b, code, i + 2, len)]));
      }
      i += 2 + len;
    }
  }
  if (t) t.push(node(`Dynamic Host Configuration Protocol${mt !== 0 ? ` (${typeName(mt)})` : ''}`, o, end, c));
  if (malformed) d.malformed('DHCP/BOOTP');
}

function stringField(b: Uint8Array, s: number, size: number, what: string): DecodeNode {
  if (b[s] === 0) return node(`${what} not given`, s, s + size);
  let e = s;
  while (e < s + size && b[e] !== 0) e++;
  return node(`${what}: ${escapeText(b, s, e)}`, s, s + size);
}
