// Frames for the describer's tests: the scapy fixtures wrapped into whole frames, and frames the lab's emitters build.
import { readFileSync } from 'node:fs';
import { parseIpv4 as parseIpv4Text, parseMac } from '../../../core/wire/address';
import { arpReplyTo, arpRequest, emitArp } from '../../../core/wire/arp';
import { fromHex, setU16 } from '../../../core/wire/bytes';
import { internetChecksum } from '../../../core/wire/checksum';
import { clientIdFromMac, dhcpRepr, encodeDhcp } from '../../../core/wire/dhcp';
import {
  aRecord,
  DNS_CLASS_IN,
  DNS_TYPE_A,
  DNS_TYPE_AAAA,
  DNS_TYPE_MX,
  DNS_TYPE_NS,
  DNS_TYPE_OPT,
  DNS_TYPE_SOA,
  DNS_TYPE_TXT,
  dnsQuery,
  encodeDns,
  type DnsMessage,
  type DnsRecord,
} from '../../../core/wire/dns';
import { buildFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4, type EthernetRepr } from '../../../core/wire/ethernet';
import { emitIcmp, emitLinuxPingData, icmpQuote, type IcmpRepr } from '../../../core/wire/icmp';
import { emitIpv4Header, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, type Ipv4Repr } from '../../../core/wire/ipv4';
import { buildTcp, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, type TcpRepr } from '../../../core/wire/tcp';
import { asciiEncode } from '../../../core/wire/text';
import { emitUdp } from '../../../core/wire/udp';
import { FRAME_FIXTURES, wireFixture } from '../../fixtures/wire/fixtures';

export interface FrameCase {
  name: string;
  frame: Uint8Array;
}

const mac = (t: string): number => parseMac(t) as number;
const ip = (t: string): number => parseIpv4Text(t) as number;

export const VM1 = mac('08:00:27:c3:a1:e1');
export const NAT_GW = mac('52:54:00:12:35:02');
export const VMWARE_VM = mac('00:0c:29:4f:8e:35');
export const VMWARE_HOST = mac('00:50:56:c0:00:08');
const DHCP_CLIENT = mac('08:00:27:3a:5c:11');
const BROADCAST = 0xffffffffffff;

function hexFile(dir: string, name: string): Uint8Array {
  const text = readFileSync(new URL(`../../fixtures/${dir}/${name}.hex`, import.meta.url), 'utf8');
  return fromHex(text.split('\n').filter((l) => !l.startsWith('#')).join(''));
}

/** An IPv4 packet (header emitted here) carrying `payloadLength` bytes written by `write`. */
export function ipFrame(
  eth: Omit<EthernetRepr, 'ethertype'>,
  h: Omit<Ipv4Repr, 'payloadLength'>,
  payloadLength: number,
  write: (buf: Uint8Array, offset: number) => void,
): Uint8Array {
  const repr: Ipv4Repr = { ...h, payloadLength };
  const hl = 20 + (repr.options ? (repr.options.length + 3) & ~3 : 0);
  return buildFrame({ ...eth, ethertype: ETHERTYPE_IPV4 }, hl + payloadLength, (buf, o) => {
    emitIpv4Header(repr, buf, o);
    write(buf, o + hl);
  });
}

/** A whole IPv4 packet (as bytes) put in an Ethernet frame, padded to 60 bytes. */
export function wrapIp(eth: Omit<EthernetRepr, 'ethertype'>, packet: Uint8Array): Uint8Array {
  return buildFrame({ ...eth, ethertype: ETHERTYPE_IPV4 }, packet.length, (buf, o) => buf.set(packet, o));
}

export function udpFrame(src: string, dst: string, sp: number, dp: number, payload: Uint8Array, eth = { src: VM1, dst: NAT_GW }, ttl = 64): Uint8Array {
  const s = ip(src);
  const d = ip(dst);
  return ipFrame(eth, { src: s, dst: d, protocol: IPPROTO_UDP, ttl, ident: 0x1c46, dontFragment: true }, 8 + payload.length, (buf, o) =>
    emitUdp({ srcPort: sp, dstPort: dp, payloadLength: payload.length }, buf, o, s, d, payload),
  );
}

export function tcpFrame(src: string, dst: string, h: TcpRepr, payload: Uint8Array = new Uint8Array(0), eth = { src: VM1, dst: NAT_GW }): Uint8Array {
  const s = ip(src);
  const d = ip(dst);
  const seg = buildTcp(h, payload, s, d);
  return ipFrame(eth, { src: s, dst: d, protocol: IPPROTO_TCP, ttl: 64, ident: 0x2a10, dontFragment: true }, seg.length, (buf, o) => buf.set(seg, o));
}

export function icmpFrame(src: string, dst: string, r: IcmpRepr, eth = { src: VM1, dst: NAT_GW }, ttl = 64): Uint8Array {
  const data = 'data' in r ? r.data : r.original;
  return ipFrame(eth, { src: ip(src), dst: ip(dst), protocol: IPPROTO_ICMP, ttl, ident: 0x3b21, dontFragment: r.kind === 'echo-request' }, 8 + data.length, (buf, o) =>
    emitIcmp(r, buf, o),
  );
}

function arpFrame(eth: Omit<EthernetRepr, 'ethertype'>, write: (buf: Uint8Array, o: number) => void): Uint8Array {
  return buildFrame({ ...eth, ethertype: ETHERTYPE_ARP }, 28, write);
}

function pingData(timeUs: number): Uint8Array {
  const d = new Uint8Array(56);
  emitLinuxPingData(d, 0, timeUs);
  return d;
}

const GET = asciiEncode('GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n');
const PAGE = '<!doctype html>\n<html>\n<head><title>Example Domain</title></head>\n<body><h1>Example Domain</h1></body>\n</html>\n';
const OK = asciiEncode(
  'HTTP/1.1 200 OK\r\nDate: Mon, 01 Jan 2024 00:00:05 GMT\r\nServer: Apache/2.4.57 (CentOS)\r\nAccept-Ranges: bytes\r\n' +
    `Content-Length: ${PAGE.length}\r\nConnection: close\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n${PAGE}`,
);
const NOT_FOUND = asciiEncode(
  'HTTP/1.1 404 Not Found\r\nDate: Mon, 01 Jan 2024 00:00:05 GMT\r\nServer: Apache/2.4.57 (CentOS)\r\nContent-Length: 196\r\nConnection: close\r\n' +
    'Content-Type: text/html; charset=iso-8859-1\r\n\r\n',
);
const HEAD_OK = asciiEncode('HTTP/1.1 200 OK\r\nContent-Length: 1256\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n');
const MOVED = asciiEncode(
  'HTTP/1.1 301 Moved Permanently\r\nLocation: http://www.example.com/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
);
const POST = asciiEncode('POST /login HTTP/1.1\r\nHost: 192.168.56.10:8080\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\nuser=root');

const C = '10.0.2.15';
const S = '93.184.216.34';
const SRV = { src: NAT_GW, dst: VM1 };

function cases(): FrameCase[] {
  const out: FrameCase[] = [];
  for (const n of FRAME_FIXTURES) out.push({ name: `wire/${n}`, frame: wireFixture(n) });
  for (const n of ['syn', 'syn-ack', 'ack', 'data-get', 'fin', 'rst', 'sack', 'unknown-urg']) {
    const packet = hexFile('tcp', n);
    const fromServer = packet[12] === 93;
    out.push({ name: `tcp/${n}`, frame: wrapIp(fromServer ? SRV : { src: VM1, dst: NAT_GW }, packet) });
  }
  const dhcpClient = ['discover-dhclient', 'discover-dhclient-previous', 'discover-networkd', 'request-dhclient', 'request-init-reboot', 'decline-dhclient'];
  for (const n of dhcpClient) out.push({ name: `dhcp/${n}`, frame: udpFrame('0.0.0.0', '255.255.255.255', 68, 67, hexFile('dhcp', n), { src: DHCP_CLIENT, dst: BROADCAST }) });
  for (const n of ['request-renew', 'release-dhclient', 'inform-dhclient']) {
    out.push({ name: `dhcp/${n}`, frame: udpFrame('192.168.1.100', '192.168.1.1', 68, 67, hexFile('dhcp', n), { src: DHCP_CLIENT, dst: mac('08:00:27:00:01:01') }) });
  }
  for (const n of ['offer-dnsmasq', 'ack-dnsmasq', 'ack-inform-dnsmasq', 'nak-dnsmasq']) {
    out.push({ name: `dhcp/${n}`, frame: udpFrame('192.168.1.1', '192.168.1.100', 67, 68, hexFile('dhcp', n), { src: mac('08:00:27:00:01:01'), dst: DHCP_CLIENT }) });
  }
  for (const n of ['query-www-example-com-a', 'query-ptr']) out.push({ name: `dns/${n}`, frame: udpFrame(C, '10.0.2.3', 41734, 53, hexFile('dns', n)) });
  for (const n of ['response-cname-a', 'response-cname-a-compressed', 'response-multi-compressed', 'response-nxdomain', 'response-ptr']) {
    out.push({ name: `dns/${n}`, frame: udpFrame('10.0.2.3', C, 53, 41734, hexFile('dns', n), SRV) });
  }

  // DNS as the lab's resolver and servers write it: more record types, EDNS, errors, the root.
  const q = (name: string, type: number): DnsMessage => dnsQuery(0x5e1d, name, type);
  const resp = (m: DnsMessage, rcode: number, answers: DnsRecord[], authorities: DnsRecord[] = [], additionals: DnsRecord[] = []): DnsMessage => ({
    ...m,
    qr: true,
    ra: true,
    rcode,
    answers,
    authorities,
    additionals,
  });
  const raw = (name: string, type: number, ttl: number, bytes: number[], cls = DNS_CLASS_IN): DnsRecord => ({ name, type, class: cls, ttl, data: { kind: 'raw', bytes: Uint8Array.from(bytes) } });
  const soa: DnsRecord = {
    name: 'example.com',
    type: DNS_TYPE_SOA,
    class: DNS_CLASS_IN,
    ttl: 3600,
    data: { kind: 'soa', mname: 'ns.icann.org', rname: 'noc.dns.icann.org', serial: 2024081501, refresh: 7200, retry: 3600, expire: 1209600, minimum: 3600 },
  };
  const opt = raw('', DNS_TYPE_OPT, 0, [], 1232);
  const dnsCases: [string, DnsMessage][] = [
    ['dns/query-aaaa', q('www.example.com', DNS_TYPE_AAAA)],
    ['dns/response-aaaa', resp(q('www.example.com', DNS_TYPE_AAAA), 0, [raw('www.example.com', DNS_TYPE_AAAA, 86400, [0x26, 0x06, 0x28, 0, 2, 0x20, 0, 1, 2, 0x48, 0x18, 0x93, 0x25, 0xc8, 0x19, 0x46])])],
    ['dns/response-aaaa-compressible', resp(q('v6.lab.example', DNS_TYPE_AAAA), 0, [raw('v6.lab.example', DNS_TYPE_AAAA, 0, [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])])],
    ['dns/response-nxdomain-soa', resp(q('nosuch.example.com', DNS_TYPE_A), 3, [], [soa])],
    ['dns/response-mx', resp(q('example.com', DNS_TYPE_MX), 0, [{ name: 'example.com', type: DNS_TYPE_MX, class: DNS_CLASS_IN, ttl: 300, data: { kind: 'mx', preference: 10, exchange: 'mail.example.com' } }])],
    ['dns/response-ns-edns', resp(q('example.com', DNS_TYPE_NS), 0, [{ name: 'example.com', type: DNS_TYPE_NS, class: DNS_CLASS_IN, ttl: 172800, data: { kind: 'name', name: 'a.iana-servers.net' } }], [], [opt])],
    ['dns/query-edns', { ...q('lab.example', DNS_TYPE_A), additionals: [opt] }],
    ['dns/response-txt', resp(q('example.com', DNS_TYPE_TXT), 0, [raw('example.com', DNS_TYPE_TXT, 300, [11, ...asciiEncode('v=spf1 -all')])])],
    ['dns/response-servfail', resp(q('broken.example', DNS_TYPE_A), 2, [])],
    ['dns/response-refused', resp(q('example.com', DNS_TYPE_A), 5, [])],
    ['dns/query-root-ns', q('', DNS_TYPE_NS)],
    ['dns/response-a-ttl-0', resp(q('short.lab.example', DNS_TYPE_A), 0, [aRecord('short.lab.example', ip('192.168.56.20'), 0)])],
  ];
  for (const [name, m] of dnsCases) {
    out.push({ name, frame: m.qr ? udpFrame('10.0.2.3', C, 53, 41734, encodeDns(m), SRV) : udpFrame(C, '10.0.2.3', 41734, 53, encodeDns(m)) });
  }

  // DHCP options the fixtures lack: a hardware client identifier, an infinite lease, server and file names, unknown options.
  const dhcp = dhcpRepr({
    op: 2,
    xid: 0x12,
    chaddr: DHCP_CLIENT,
    messageType: 5,
    yiaddr: ip('10.0.2.15'),
    siaddr: ip('10.0.2.2'),
    sname: 'pxe-server',
    file: 'pxelinux.0',
    flags: 0x8000,
    serverId: ip('10.0.2.2'),
    leaseTime: 0xffffffff,
    subnetMask: ip('255.255.255.0'),
    routers: [ip('10.0.2.2'), ip('10.0.2.1')],
    dnsServers: [ip('10.0.2.3')],
    clientId: clientIdFromMac(DHCP_CLIENT),
    other: [
      { code: 43, data: Uint8Array.from([1, 2]) },
      { code: 200, data: Uint8Array.from([]) },
    ],
  });
  out.push({ name: 'dhcp/ack-vbox-style', frame: udpFrame('10.0.2.2', '255.255.255.255', 67, 68, encodeDhcp(dhcp), { src: NAT_GW, dst: BROADCAST }) });

  // HTTP, as curl and the lab's Apache-style server send it.
  const seqC = 0x1a2b3c4e;
  const seqS = 0xc0ffee02;
  out.push({ name: 'http/get', frame: tcpFrame(C, S, { srcPort: 45758, dstPort: 80, seq: seqC, ack: seqS, flags: TCP_PSH | TCP_ACK, window: 502 }, GET) });
  out.push({ name: 'http/200', frame: tcpFrame(S, C, { srcPort: 80, dstPort: 45758, seq: seqS, ack: seqC + GET.length, flags: TCP_PSH | TCP_ACK, window: 509 }, OK, SRV) });
  out.push({ name: 'http/404', frame: tcpFrame(S, C, { srcPort: 80, dstPort: 45758, seq: seqS, ack: seqC, flags: TCP_PSH | TCP_ACK, window: 509 }, NOT_FOUND, SRV) });
  out.push({ name: 'http/head-200', frame: tcpFrame(S, C, { srcPort: 80, dstPort: 45758, seq: seqS, ack: seqC, flags: TCP_PSH | TCP_ACK, window: 509 }, HEAD_OK, SRV) });
  out.push({ name: 'http/301', frame: tcpFrame(S, C, { srcPort: 80, dstPort: 45758, seq: seqS, ack: seqC, flags: TCP_PSH | TCP_ACK, window: 509 }, MOVED, SRV) });
  const odd = Uint8Array.from([...asciiEncode('GET /a%20b?x=1 HTTP/1.0\r\nX-Path: C:\\dir\tend '), 0xe9, ...asciiEncode('\r\n\r\n')]);
  out.push({ name: 'http/odd-header', frame: tcpFrame(C, S, { srcPort: 45760, dstPort: 80, seq: 1, ack: 1, flags: TCP_PSH | TCP_ACK, window: 502 }, odd) });
  out.push({ name: 'http/post-8080', frame: tcpFrame(C, '192.168.56.10', { srcPort: 51000, dstPort: 8080, seq: 1, ack: 1, flags: TCP_PSH | TCP_ACK, window: 502 }, POST) });
  out.push({
    name: 'http/continuation',
    frame: tcpFrame(S, C, { srcPort: 80, dstPort: 45758, seq: seqS, ack: seqC, flags: TCP_ACK, window: 509 }, asciiEncode('more of the page\n'), SRV),
  });

  // TCP segments from the lab's emitter.
  const linuxSyn: TcpRepr = {
    srcPort: 45758,
    dstPort: 80,
    seq: 0x9a3f0c11,
    ack: 0,
    flags: TCP_SYN,
    window: 64240,
    options: [{ kind: 'mss', mss: 1460 }, { kind: 'sack-permitted' }, { kind: 'timestamps', tsval: 1200, tsecr: 0 }, { kind: 'nop' }, { kind: 'window-scale', shift: 7 }],
  };
  out.push({ name: 'tcp/linux-syn', frame: tcpFrame(C, S, linuxSyn) });
  out.push({ name: 'tcp/fin-psh-ack', frame: tcpFrame(C, S, { srcPort: 45758, dstPort: 80, seq: 5, ack: 6, flags: TCP_FIN | TCP_PSH | TCP_ACK, window: 502 }, asciiEncode('bye')) });
  out.push({ name: 'tcp/rst-closed-port', frame: tcpFrame(S, C, { srcPort: 22, dstPort: 45760, seq: 0, ack: 0x9a3f0c12, flags: TCP_RST | TCP_ACK, window: 0 }, new Uint8Array(0), SRV) });
  out.push({ name: 'tcp/no-flags', frame: tcpFrame(C, S, { srcPort: 1, dstPort: 2, seq: 3, ack: 4, flags: 0, window: 5 }) });
  out.push({ name: 'tcp/all-flags', frame: tcpFrame(C, S, { srcPort: 1, dstPort: 2, seq: 3, ack: 4, flags: 0xff, window: 5, urgentPointer: 0 }) });
  out.push({ name: 'tcp/data-port-2222', frame: tcpFrame(C, '192.168.56.10', { srcPort: 51000, dstPort: 2222, seq: 1, ack: 1, flags: TCP_PSH | TCP_ACK, window: 502 }, asciiEncode('hello')) });
  const badTcp = tcpFrame(C, S, { srcPort: 40000, dstPort: 7, seq: 0, ack: 0, flags: TCP_SYN, window: 8192 });
  setU16(badTcp, 34 + 16, 0x1234);
  out.push({ name: 'tcp/bad-checksum', frame: badTcp });

  // ICMP: ping and its reply, errors quoting UDP, TCP and ICMP, a bad checksum.
  out.push({ name: 'icmp/ping', frame: icmpFrame(C, '10.0.2.2', { kind: 'echo-request', id: 0x1234, seq: 1, data: pingData(1_500_000) }) });
  out.push({ name: 'icmp/pong', frame: icmpFrame('10.0.2.2', C, { kind: 'echo-reply', id: 0x1234, seq: 1, data: pingData(1_500_000) }, SRV, 255) });
  const probe = udpFrame(C, S, 45001, 33435, new Uint8Array(32).fill(0x40)).subarray(14, 14 + 60);
  out.push({ name: 'icmp/ttl-exceeded-udp', frame: icmpFrame('10.0.2.2', C, { kind: 'time-exceeded', code: 0, original: icmpQuote(probe) }, SRV) });
  out.push({ name: 'icmp/port-unreachable', frame: icmpFrame(S, C, { kind: 'dest-unreachable', code: 3, original: icmpQuote(probe, 548) }, SRV) });
  const ping = icmpFrame(C, S, { kind: 'echo-request', id: 0x77, seq: 3, data: pingData(0) }).subarray(14, 14 + 84);
  out.push({ name: 'icmp/host-unreachable-ping', frame: icmpFrame('10.0.2.2', C, { kind: 'dest-unreachable', code: 1, original: icmpQuote(ping) }, SRV) });
  const syn = tcpFrame(C, S, linuxSyn).subarray(14, 14 + 60);
  out.push({ name: 'icmp/admin-prohibited-tcp', frame: icmpFrame('10.0.2.2', C, { kind: 'dest-unreachable', code: 13, original: icmpQuote(syn) }, SRV) });
  out.push({ name: 'icmp/host-unreachable-ping-full', frame: icmpFrame('10.0.2.2', C, { kind: 'dest-unreachable', code: 1, original: icmpQuote(ping, 548) }, SRV) });
  out.push({ name: 'icmp/admin-prohibited-tcp-full', frame: icmpFrame('10.0.2.2', C, { kind: 'dest-unreachable', code: 13, original: icmpQuote(syn, 548) }, SRV) });
  out.push({ name: 'icmp/redirect-host', frame: icmpFrame('10.0.2.1', C, { kind: 'redirect', code: 1, gateway: ip('10.0.2.254'), original: icmpQuote(probe) }, SRV) });
  const badPing = icmpFrame(C, '10.0.2.2', { kind: 'echo-request', id: 1, seq: 2, data: new Uint8Array(8) });
  setU16(badPing, 36, 0x1234);
  out.push({ name: 'icmp/bad-checksum', frame: badPing });

  // ARP as the lab's NAT network and VMware's show it.
  const who = arpRequest(VM1, ip(C), ip('10.0.2.2'));
  out.push({ name: 'arp/who-has-gateway', frame: arpFrame({ src: VM1, dst: BROADCAST }, (b, o) => emitArp(who, b, o)) });
  out.push({ name: 'arp/gateway-is-at', frame: arpFrame({ src: NAT_GW, dst: VM1 }, (b, o) => emitArp(arpReplyTo(who, NAT_GW), b, o)) });
  const vmw = arpRequest(VMWARE_VM, ip('192.168.80.128'), ip('192.168.80.2'));
  out.push({ name: 'arp/vmware', frame: arpFrame({ src: VMWARE_VM, dst: BROADCAST }, (b, o) => emitArp(vmw, b, o)) });
  out.push({ name: 'arp/vmware-reply', frame: arpFrame({ src: VMWARE_HOST, dst: VMWARE_VM }, (b, o) => emitArp(arpReplyTo(vmw, VMWARE_HOST), b, o)) });

  // UDP: a datagram to a port without a dissector, a bad checksum, no checksum; IPv4 header variants.
  out.push({ name: 'udp/echo-port-7', frame: udpFrame(C, '192.168.56.10', 40000, 7, asciiEncode('echo me back, pls!')) });
  out.push({ name: 'udp/port-9999', frame: udpFrame(C, '192.168.56.10', 40000, 9999, asciiEncode('hello there, udp!!')) });
  const badUdp = udpFrame(C, '192.168.56.10', 40000, 9999, asciiEncode('x'));
  setU16(badUdp, 40, 0x1234);
  out.push({ name: 'udp/bad-checksum', frame: badUdp });
  const badIp = udpFrame(C, '192.168.56.10', 40000, 9999, asciiEncode('x'));
  setU16(badIp, 24, 0x1234);
  out.push({ name: 'ipv4/bad-checksum', frame: badIp });
  out.push({
    name: 'ipv4/dscp-ef-ecn-ce',
    frame: ipFrame({ src: VM1, dst: NAT_GW }, { src: ip(C), dst: ip(S), protocol: IPPROTO_UDP, ttl: 3, ident: 7, dscpEcn: 0xbb }, 8, (b, o) =>
      emitUdp({ srcPort: 5004, dstPort: 5004, payloadLength: 0 }, b, o, ip(C), ip(S)),
    ),
  });
  out.push({
    name: 'ipv4/unknown-protocol',
    frame: ipFrame({ src: VM1, dst: NAT_GW }, { src: ip(C), dst: ip(S), protocol: 47, ttl: 64, ident: 8 }, 4, (b, o) => b.set([0, 0, 0x08, 0], o)),
  });

  // Ethernet: an unknown EtherType.
  out.push({ name: 'eth/unknown-type', frame: buildFrame({ src: VM1, dst: NAT_GW, ethertype: 0x1234 }, 46, () => undefined) });
  out.push(...malformed());
  return out;
}

/** A copy of `frame` with `edit` applied, for the malformed cases. */
function edited(frame: Uint8Array, edit: (b: Uint8Array) => void): Uint8Array {
  const b = frame.slice();
  edit(b);
  return b;
}

/** Frames cut short or with lying lengths at each layer. */
function malformed(): FrameCase[] {
  const query = udpFrame(C, '10.0.2.3', 41734, 53, encodeDns(dnsQuery(1, 'example.com', DNS_TYPE_A)));
  const syn = tcpFrame(C, S, { srcPort: 40000, dstPort: 80, seq: 0, ack: 0, flags: TCP_SYN, window: 8192 });
  const ipSum = (b: Uint8Array): void => {
    setU16(b, 24, 0);
    setU16(b, 24, internetChecksum(b, 14, 34));
  };
  const who = arpFrame({ src: VM1, dst: BROADCAST }, (b, o) => emitArp(arpRequest(VM1, ip(C), ip('10.0.2.2')), b, o));
  const discover = udpFrame('0.0.0.0', '255.255.255.255', 68, 67, hexFile('dhcp', 'discover-dhclient'), { src: DHCP_CLIENT, dst: BROADCAST });
  return [
    { name: 'bad/eth-10-bytes', frame: query.slice(0, 10) },
    { name: 'bad/eth-header-only', frame: query.slice(0, 14) },
    { name: 'bad/ipv4-cut', frame: query.slice(0, 24) },
    { name: 'bad/ipv4-header-length-12', frame: edited(query, (b) => (b[14] = 0x43)) },
    { name: 'bad/ipv4-total-below-header', frame: edited(query, (b) => setU16(b, 16, 16)) },
    { name: 'bad/ipv4-total-past-frame', frame: edited(query, (b) => { setU16(b, 16, 1500); ipSum(b); }) },
    { name: 'bad/udp-cut', frame: edited(query, (b) => { setU16(b, 16, 26); ipSum(b); }).slice(0, 40) },
    { name: 'bad/udp-length-past-ip', frame: edited(query, (b) => setU16(b, 38, 256)) },
    { name: 'bad/udp-length-4', frame: edited(query, (b) => setU16(b, 38, 4)) },
    { name: 'bad/dns-cut', frame: query.slice(0, 50) },
    { name: 'bad/dns-name-past-end', frame: udpFrame(C, '10.0.2.3', 41734, 53, Uint8Array.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7, 0x65, 0x78])) },
    { name: 'bad/tcp-data-offset-3', frame: edited(syn, (b) => (b[46] = 0x32)) },
    { name: 'bad/tcp-data-offset-15', frame: edited(syn, (b) => (b[46] = 0xf2)) },
    { name: 'bad/arp-cut', frame: who.slice(0, 24) },
    { name: 'bad/dhcp-cut', frame: edited(discover, (b) => { setU16(b, 16, 28 + 100); setU16(b, 38, 108); setU16(b, 40, 0); ipSum(b); }).slice(0, 42 + 100) },
    { name: 'bad/icmp-4-bytes', frame: icmpFrame(C, '10.0.2.2', { kind: 'echo-request', id: 1, seq: 1, data: new Uint8Array(0) }).slice(0, 38) },
    { name: 'bad/vlan-cut', frame: edited(query, (b) => setU16(b, 12, 0x8100)).slice(0, 15) },
  ];
}

/** Every frame the describer's tests compare with Wireshark, by name. */
export const FRAMES: readonly FrameCase[] = cases();

export function frameNamed(name: string): Uint8Array {
  const c = FRAMES.find((f) => f.name === name);
  if (!c) throw new Error(`no frame ${name}`);
  return c.frame;
}
