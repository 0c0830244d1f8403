// ARP as Wireshark shows it: "Who has 10.0.2.2? Tell 10.0.2.15", probes, announcements, gratuitous replies.
import { getU16, getU32 } from '../bytes';
import { type Decode, node } from './common';
import { ethertypeLabel, ipText, macLabel, macText } from './names';

const OPCODES: Record<number, string> = {
  1: 'request',
  2: 'reply',
  3: 'reverse request',
  4: 'reverse reply',
  8: 'inverse request',
  9: 'inverse reply',
};

/** Decodes the ARP packet at b[off..end); returns where it ends (Ethernet padding follows). */
export function decodeArp(d: Decode, off: number, end: number): number {
  const b = d.buf;
  const o = off;
  d.protocol = 'ARP';
  if (end - o < 8) {
    if (d.tree) d.tree.push(node('Address Resolution Protocol', o, end));
    d.malformed('ARP/RARP');
    return end;
  }
  const htype = getU16(b, o);
  const ptype = getU16(b, o + 2);
  const hlen = b[o + 4];
  const plen = b[o + 5];
  const op = getU16(b, o + 6);
  const total = 8 + 2 * hlen + 2 * plen;
  const ethIp = htype === 1 && ptype === 0x0800 && hlen === 6 && plen === 4;
  if (end - o < total) {
    if (d.tree) d.tree.push(node('Address Resolution Protocol', o, end));
    d.malformed('ARP/RARP');
    return end;
  }
  const opName = OPCODES[op] ?? 'Unknown';
  let kind = opName;
  if (op === 3 || op === 4) d.protocol = 'RARP';
  if (ethIp) {
    const sIp = getU32(b, o + 14);
    const tIp = getU32(b, o + 24);
    const sender = ipText(b, o + 14);
    const target = ipText(b, o + 24);
    if (op === 1) {
      if (sIp === 0) {
        kind = 'ARP Probe';
        d.info = `Who has ${target}? (ARP Probe)`;
      } else if (sIp === tIp) {
        kind = 'ARP Announcement';
        d.info = `ARP Announcement for ${sender}`;
      } else d.info = `Who has ${target}? Tell ${sender}`;
    } else if (op === 2) {
      if (sIp === tIp) {
        kind = 'reply/gratuitous ARP';
        d.info = `Gratuitous ARP for ${sender} (Reply)`;
      } else d.info = `${sender} is at ${macText(b, o + 8)}`;
    } else if (op === 3) d.info = `Who is ${macText(b, o + 18)}? Tell ${macText(b, o + 8)}`;
    else if (op === 4) d.info = `${macText(b, o + 18)} is at ${target}`;
    else d.info = `Unknown ARP opcode 0x${op.toString(16).padStart(4, '0')}`;
  } else {
    d.info = `ARP for hardware type ${htype}, protocol type 0x${ptype.toString(16).padStart(4, '0')} (not decoded by the lab)`;
  }
  if (d.tree) {
    const gratuitous = ethIp && (op === 1 || op === 2) && getU32(b, o + 14) === getU32(b, o + 24) && getU32(b, o + 14) !== 0;
    const children = [
      node(`Hardware type: ${htype === 1 ? 'Ethernet' : htype === 6 ? 'IEEE 802' : 'Unknown'} (${htype})`, o, o + 2),
      node(`Protocol type: ${ethertypeLabel(ptype)}`, o + 2, o + 4),
      node(`Hardware size: ${hlen}`, o + 4, o + 5),
      node(`Protocol size: ${plen}`, o + 5, o + 6),
      node(`Opcode: ${opName} (${op})`, o + 6, o + 8),
    ];
    if (ethIp) {
      if (gratuitous) children.push(node('[Is gratuitous: True]', o, o));
      if (kind === 'ARP Announcement') children.push(node('[Is announcement: True]', o, o));
      if (kind === 'ARP Probe') children.push(node('[Is probe: True]', o, o));
      children.push(
        node(`Sender MAC address: ${macLabel(b, o + 8)}`, o + 8, o + 14),
        node(`Sender IP address: ${ipText(b, o + 14)}`, o + 14, o + 18),
        node(`Target MAC address: ${macLabel(b, o + 18)}`, o + 18, o + 24),
        node(`Target IP address: ${ipText(b, o + 24)}`, o + 24, o + 28),
      );
    }
    d.tree.push(node(`Address Resolution Protocol (${kind})`, o, o + total, children));
  }
  return o + total;
}
