// Interop: frames from every emitter in core/wire go through a real Capture on a Link, and tshark reads the pcap.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Capture } from '../../core/sim/capture';
import { Link, Port } from '../../core/sim/link';
import { Scheduler } from '../../core/sim/scheduler';
import { MAC_BROADCAST, parseIpv4, parseMac } from '../../core/wire/address';
import { arpAnnouncement, arpProbe, arpReplyTo, arpRequest, emitArp, ARP_LEN, type ArpRepr } from '../../core/wire/arp';
import { BOOTREPLY, BOOTREQUEST, DHCP_CLIENT_PORT, DHCP_FLAG_BROADCAST, DHCP_SERVER_PORT, dhcpRepr, DhcpMessageType, encodeDhcp } from '../../core/wire/dhcp';
import { aRecord, dnsQuery, encodeDns, type DnsMessage } from '../../core/wire/dns';
import { buildFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4, type EthernetRepr } from '../../core/wire/ethernet';
import { emitIcmp, emitLinuxPingData, icmpLength, icmpQuote, type IcmpRepr } from '../../core/wire/icmp';
import { emitIpv4Header, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, ipv4HeaderLength, type Ipv4Repr } from '../../core/wire/ipv4';
import { readPcap } from '../../core/wire/pcap';
import { buildTcp, TCP_ACK, TCP_PSH, TCP_SYN, type TcpRepr } from '../../core/wire/tcp';
import { emitUdp, UDP_HEADER_LEN } from '../../core/wire/udp';

/** The tshark to run; TSHARK in the environment overrides it. */
const TSHARK = process.env.TSHARK ?? 'tshark';
const haveTshark = spawnSync(TSHARK, ['--version'], { encoding: 'utf8' }).status === 0;
if (!haveTshark) console.warn(`tshark-capture: ${TSHARK} cannot be run (apt-get install tshark), so the tshark interop test is SKIPPED`);

const mac = (t: string): number => parseMac(t)!;
const ip = (t: string): number => parseIpv4(t)!;
const VM1 = mac('08:00:27:aa:bb:cc');
const VM2 = mac('08:00:27:11:22:33');
const HOST = mac('0a:00:27:00:00:00');
const VM1_IP = ip('192.168.56.101');
const VM2_IP = ip('192.168.56.102');
const HOST_IP = ip('192.168.56.1');

function eth(src: number, dst: number, ethertype = ETHERTYPE_IPV4, vlan?: number): EthernetRepr {
  return vlan === undefined ? { src, dst, ethertype } : { src, dst, ethertype, vlan, pcp: 5 };
}

function ipRepr(src: number, dst: number, protocol = IPPROTO_UDP, more: Partial<Ipv4Repr> = {}): Ipv4Repr {
  return { src, dst, protocol, ttl: 64, payloadLength: 0, ident: 0x1000, ...more };
}

/** An IPv4 packet (no frame) whose payload is written by `write` at the given offset. */
function ipPacket(h: Ipv4Repr, payloadLength: number, write: (b: Uint8Array, o: number) => void): Uint8Array {
  const full = { ...h, payloadLength };
  const out = new Uint8Array(ipv4HeaderLength(full) + payloadLength);
  write(out, emitIpv4Header(full, out, 0));
  return out;
}

function frameOf(e: EthernetRepr, packet: Uint8Array): Uint8Array {
  return buildFrame(e, packet.length, (b, o) => b.set(packet, o));
}

function arpFrame(src: number, dst: number, r: ArpRepr): Uint8Array {
  return buildFrame(eth(src, dst, ETHERTYPE_ARP), ARP_LEN, (b, o) => emitArp(r, b, o));
}

function icmpPacket(h: Ipv4Repr, r: IcmpRepr): Uint8Array {
  return ipPacket({ ...h, protocol: IPPROTO_ICMP }, icmpLength(r), (b, o) => emitIcmp(r, b, o));
}

function udpPacket(h: Ipv4Repr, srcPort: number, dstPort: number, payload: Uint8Array, noChecksum = false): Uint8Array {
  return ipPacket({ ...h, protocol: IPPROTO_UDP }, UDP_HEADER_LEN + payload.length, (b, o) =>
    emitUdp({ srcPort, dstPort, payloadLength: payload.length, noChecksum }, b, o, h.src, h.dst, payload),
  );
}

function tcpPacket(h: Ipv4Repr, r: TcpRepr, payload: Uint8Array): Uint8Array {
  const seg = buildTcp(r, payload, h.src, h.dst);
  return ipPacket({ ...h, protocol: IPPROTO_TCP }, seg.length, (b, o) => b.set(seg, o));
}

function pingData(timeUs: number, size = 56): Uint8Array {
  const d = new Uint8Array(size);
  emitLinuxPingData(d, 0, timeUs, size);
  return d;
}

interface Case {
  what: string;
  from: 'a' | 'b';
  frame: Uint8Array;
  /** What tshark's frame.protocols must be. */
  protocols: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  const add = (what: string, from: 'a' | 'b', frame: Uint8Array, protocols: string): void => {
    out.push({ what, from, frame, protocols });
  };
  const req = arpRequest(VM1, VM1_IP, HOST_IP);
  add('ARP request', 'a', arpFrame(VM1, MAC_BROADCAST, req), 'eth:ethertype:arp');
  add('ARP reply', 'b', arpFrame(HOST, VM1, arpReplyTo(req, HOST)), 'eth:ethertype:arp');
  add('gratuitous ARP', 'a', arpFrame(VM1, MAC_BROADCAST, arpAnnouncement(VM1, VM1_IP)), 'eth:ethertype:arp');
  add('ARP probe', 'a', arpFrame(VM1, MAC_BROADCAST, arpProbe(VM1, VM1_IP)), 'eth:ethertype:arp');

  add('802.1Q-tagged UDP', 'a', frameOf(eth(VM1, VM2, ETHERTYPE_IPV4, 100), udpPacket(ipRepr(ip('192.168.100.10'), ip('192.168.100.20')), 40000, 40001, Uint8Array.from([1, 2, 3]))), 'eth:ethertype:vlan:ethertype:ip:udp:data');

  const echo: IcmpRepr = { kind: 'echo-request', id: 0x0a1b, seq: 1, data: pingData(1_700_000_000_123_456) };
  add('ping request', 'a', frameOf(eth(VM1, HOST), icmpPacket(ipRepr(VM1_IP, HOST_IP, IPPROTO_ICMP, { dontFragment: true }), echo)), 'eth:ethertype:ip:icmp:data');
  add('ping reply', 'b', frameOf(eth(HOST, VM1), icmpPacket(ipRepr(HOST_IP, VM1_IP, IPPROTO_ICMP), { ...echo, kind: 'echo-reply' })), 'eth:ethertype:ip:icmp:data');

  const probe = udpPacket(ipRepr(VM1_IP, HOST_IP, IPPROTO_UDP, { ident: 0x2000 }), 45000, 33434, new Uint8Array(32).fill(0x40));
  add('UDP probe to a closed port', 'a', frameOf(eth(VM1, HOST), probe), 'eth:ethertype:ip:udp:data');
  add('port unreachable', 'b', frameOf(eth(HOST, VM1), icmpPacket(ipRepr(HOST_IP, VM1_IP, IPPROTO_ICMP, { dscpEcn: 0xc0 }), { kind: 'dest-unreachable', code: 3, original: icmpQuote(probe) })), 'eth:ethertype:ip:icmp:ip:udp');
  const ttl1 = udpPacket(ipRepr(VM1_IP, ip('93.184.216.34'), IPPROTO_UDP, { ttl: 1 }), 45001, 33435, new Uint8Array(32).fill(0x40));
  add('time exceeded', 'b', frameOf(eth(HOST, VM1), icmpPacket(ipRepr(HOST_IP, VM1_IP, IPPROTO_ICMP), { kind: 'time-exceeded', code: 0, original: icmpQuote(ttl1, 548) })), 'eth:ethertype:ip:icmp:ip:udp:data');
  const big = udpPacket(ipRepr(VM1_IP, HOST_IP, IPPROTO_UDP, { dontFragment: true }), 40002, 9, new Uint8Array(1472));
  add('fragmentation needed', 'b', frameOf(eth(HOST, VM1), icmpPacket(ipRepr(HOST_IP, VM1_IP, IPPROTO_ICMP), { kind: 'dest-unreachable', code: 4, nextHopMtu: 1400, original: icmpQuote(big) })), 'eth:ethertype:ip:icmp:ip:udp');
  add('redirect', 'b', frameOf(eth(HOST, VM1), icmpPacket(ipRepr(HOST_IP, VM1_IP, IPPROTO_ICMP), { kind: 'redirect', code: 1, gateway: VM2_IP, original: icmpQuote(probe) })), 'eth:ethertype:ip:icmp:ip:udp');

  add('UDP without checksum', 'a', frameOf(eth(VM1, VM2), udpPacket(ipRepr(VM1_IP, VM2_IP), 40003, 40004, Uint8Array.from([9, 9]), true)), 'eth:ethertype:ip:udp:data');
  const rr = new Uint8Array(39);
  rr.set([7, 39, 4]);
  add('ping -R (IPv4 options)', 'a', frameOf(eth(VM1, VM2), icmpPacket(ipRepr(VM1_IP, VM2_IP, IPPROTO_ICMP, { options: rr }), { ...echo, seq: 2 })), 'eth:ethertype:ip:icmp:data');

  // A 2000-byte ping split by hand into two fragments; tshark reassembles them and checks the ICMP checksum.
  const bigEcho: IcmpRepr = { kind: 'echo-request', id: 0x0c0c, seq: 7, data: pingData(1_700_000_002_000_000, 1992) };
  const whole = new Uint8Array(icmpLength(bigEcho));
  emitIcmp(bigEcho, whole);
  const fragHeader = ipRepr(VM1_IP, VM2_IP, IPPROTO_ICMP, { ident: 0xabcd });
  add('first fragment', 'a', frameOf(eth(VM1, VM2), ipPacket({ ...fragHeader, moreFragments: true, fragmentOffset: 0 }, 1480, (b, o) => b.set(whole.subarray(0, 1480), o))), 'eth:ethertype:ip:data');
  add('last fragment', 'a', frameOf(eth(VM1, VM2), ipPacket({ ...fragHeader, fragmentOffset: 1480 }, whole.length - 1480, (b, o) => b.set(whole.subarray(1480), o))), 'eth:ethertype:ip:icmp:data');

  const query = dnsQuery(0x1234, 'example.com');
  add('DNS query', 'a', frameOf(eth(VM1, HOST), udpPacket(ipRepr(VM1_IP, HOST_IP), 53124, 53, encodeDns(query))), 'eth:ethertype:ip:udp:dns');
  const answer: DnsMessage = { ...query, qr: true, ra: true, answers: [aRecord('example.com', ip('93.184.216.34'), 300)] };
  add('DNS answer', 'b', frameOf(eth(HOST, VM1), udpPacket(ipRepr(HOST_IP, VM1_IP), 53, 53124, encodeDns(answer))), 'eth:ethertype:ip:udp:dns');

  const discover = dhcpRepr({ op: BOOTREQUEST, xid: 0x3903f326, chaddr: VM1, messageType: DhcpMessageType.Discover, flags: DHCP_FLAG_BROADCAST, parameterRequestList: [1, 3, 6, 15, 51] });
  add('DHCP discover', 'a', frameOf(eth(VM1, MAC_BROADCAST), udpPacket(ipRepr(0, 0xffffffff), DHCP_CLIENT_PORT, DHCP_SERVER_PORT, encodeDhcp(discover))), 'eth:ethertype:ip:udp:dhcp');
  const offer = dhcpRepr({
    op: BOOTREPLY,
    xid: 0x3903f326,
    chaddr: VM1,
    messageType: DhcpMessageType.Offer,
    yiaddr: VM1_IP,
    siaddr: ip('192.168.56.100'),
    subnetMask: 0xffffff00,
    leaseTime: 600,
    serverId: ip('192.168.56.100'),
  });
  add('DHCP offer', 'b', frameOf(eth(HOST, MAC_BROADCAST), udpPacket(ipRepr(ip('192.168.56.100'), 0xffffffff), DHCP_SERVER_PORT, DHCP_CLIENT_PORT, encodeDhcp(offer))), 'eth:ethertype:ip:udp:dhcp');

  const syn: TcpRepr = {
    srcPort: 40010,
    dstPort: 47001,
    seq: 0x10000000,
    ack: 0,
    flags: TCP_SYN,
    window: 64240,
    options: [
      { kind: 'mss', mss: 1460 },
      { kind: 'sack-permitted' },
      { kind: 'timestamps', tsval: 1000, tsecr: 0 },
      { kind: 'nop' },
      { kind: 'window-scale', shift: 7 },
    ],
  };
  add('TCP SYN with options', 'a', frameOf(eth(VM1, VM2), tcpPacket(ipRepr(VM1_IP, VM2_IP, IPPROTO_TCP, { dontFragment: true }), syn, new Uint8Array(0))), 'eth:ethertype:ip:tcp');
  const synAck: TcpRepr = { ...syn, srcPort: 47001, dstPort: 40010, seq: 0x20000000, ack: 0x10000001, flags: TCP_SYN | TCP_ACK, window: 65160 };
  add('TCP SYN-ACK', 'b', frameOf(eth(VM2, VM1), tcpPacket(ipRepr(VM2_IP, VM1_IP, IPPROTO_TCP, { dontFragment: true }), synAck, new Uint8Array(0))), 'eth:ethertype:ip:tcp');
  const data: TcpRepr = { srcPort: 40010, dstPort: 47001, seq: 0x10000001, ack: 0x20000001, flags: TCP_PSH | TCP_ACK, window: 502 };
  add('TCP data', 'a', frameOf(eth(VM1, VM2), tcpPacket(ipRepr(VM1_IP, VM2_IP, IPPROTO_TCP, { dontFragment: true }), data, Uint8Array.from([0x68, 0x65, 0x6c, 0x6c, 0x6f]))), 'eth:ethertype:ip:tcp:data');
  return out;
}

function tshark(file: string, fields: string[]): string[][] {
  const args = ['-r', file, '-n', '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of fields) args.push('-e', f);
  const r = spawnSync(TSHARK, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tshark failed (${r.status}): ${r.stderr}`);
  return r.stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.split('|'));
}

/** Expert severities (epan/proto.h): chat 0x200000, note 0x400000, warn 0x600000, error 0x800000. */
const PI_WARN = 0x00600000;

describe('tshark reads what the lab captures', () => {
  it.skipIf(!haveTshark)('every format in core/wire decodes in tshark with good checksums and nothing malformed', () => {
    const s = new Scheduler();
    const a = new Port('vm1', 'eth0');
    const b = new Port('host', 'vboxnet0');
    const link = new Link(s, a, b, { delayUs: 100 });
    const cap = new Capture('vboxnet0');
    link.taps.push(cap);
    const all = cases();
    for (const c of all) {
      expect((c.from === 'a' ? a : b).send(c.frame), c.what).toBe(true);
      s.runFor(1000);
    }
    const pcap = cap.toPcap();
    expect(readPcap(pcap)?.records.length).toBe(all.length);

    const dir = mkdtempSync(join(tmpdir(), 'vmnetlab-tshark-'));
    try {
      const file = join(dir, 'lab.pcap');
      writeFileSync(file, pcap);
      const rows = tshark(file, ['frame.number', 'frame.protocols', '_ws.expert.severity', '_ws.expert.message', 'ip.checksum.status', 'udp.checksum.status', 'tcp.checksum.status', 'icmp.checksum.status']);
      expect(rows.length).toBe(all.length);
      const problems: string[] = [];
      rows.forEach(([num, protocols, severity, message, ...checks], i) => {
        const c = all[i];
        const where = `frame ${num} (${c.what})`;
        if (protocols !== c.protocols) problems.push(`${where}: protocols ${protocols}, expected ${c.protocols}`);
        if (protocols.includes('malformed')) problems.push(`${where}: malformed`);
        const worst = Math.max(0, ...severity.split(',').filter(Boolean).map(Number));
        if (worst >= PI_WARN) problems.push(`${where}: expert ${message}`);
        // Checksum status: 0 bad, 1 good, 2 unverified (headers quoted in an ICMP error), 3 not present.
        for (const status of checks.join(',').split(',').filter(Boolean)) {
          if (status === '0') problems.push(`${where}: a bad checksum (${checks.join(' ')})`);
        }
      });
      expect(problems).toEqual([]);

      // Spot checks of what tshark decoded, field by field.
      const fields = tshark(file, ['arp.opcode', 'arp.src.proto_ipv4', 'vlan.id', 'icmp.type', 'icmp.code', 'icmp.mtu', 'dns.qry.name', 'dns.a', 'tcp.options.mss_val', 'tcp.options.wscale.shift', 'ip.frag_offset', 'ip.flags.mf', 'dhcp.option.dhcp', 'dhcp.ip.your']);
      const col = (frame: number, k: number): string => fields[frame - 1][k];
      expect([col(1, 0), col(2, 0), col(2, 1), col(4, 1)]).toEqual(['1', '2', '192.168.56.1', '0.0.0.0']);
      expect(col(5, 2)).toBe('100');
      expect([col(6, 3), col(7, 3), col(9, 3), col(9, 4), col(10, 3), col(11, 5), col(12, 3)]).toEqual(['8', '0', '3', '3', '11', '1400', '5']);
      expect([col(17, 6), col(18, 7)]).toEqual(['example.com', '93.184.216.34']);
      expect([col(19, 12), col(20, 12), col(20, 13)]).toEqual(['1', '2', '192.168.56.101']);
      expect([col(21, 8), col(21, 9)]).toEqual(['1460', '7']);
      // tshark 4 shows the fragment offset in 8-byte units: 185 is byte 1480.
      expect([col(15, 10), col(15, 11), col(16, 10), col(16, 11)]).toEqual(['0', '1', '185', '0']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
