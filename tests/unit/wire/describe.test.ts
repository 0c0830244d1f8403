// The describer without tshark: the columns and tree lines a user reads for the lab's frames, written out.
import { describe, expect, it } from 'vitest';
import type { DecodeNode } from '../../../core/api/dto';
import { fromHex, toHex } from '../../../core/wire/bytes';
import { dissect, frameDetail, frameSummary, summarize } from '../../../core/wire/describe';
import { frameNamed } from './describe-frames';

/** The labels of a tree, indented two spaces a level, as Wireshark's -V prints them. */
function text(nodes: readonly DecodeNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${'  '.repeat(depth)}${n.label}`, ...text(n.children ?? [], depth + 1)]);
}

function find(nodes: readonly DecodeNode[], label: string): DecodeNode {
  for (const n of nodes) {
    if (n.label === label) return n;
    const inner = n.children ? findOrNull(n.children, label) : null;
    if (inner) return inner;
  }
  throw new Error(`no node "${label}" in\n${text(nodes).join('\n')}`);
}

function findOrNull(nodes: readonly DecodeNode[], label: string): DecodeNode | null {
  try {
    return find(nodes, label);
  } catch {
    return null;
  }
}

/** The frame's bytes under a node, as hex. */
function bytesOf(frame: Uint8Array, n: DecodeNode): string {
  const [s, e] = n.range as [number, number];
  return toHex(frame.subarray(s, e));
}

describe('the packet list shows what Wireshark shows', () => {
  it('an ARP request from a VirtualBox guest asks who has the NAT gateway, from PcsCompu_… to Broadcast', () => {
    expect(summarize(frameNamed('arp/who-has-gateway'))).toEqual({
      source: 'PcsCompu_c3:a1:e1',
      destination: 'Broadcast',
      protocol: 'ARP',
      info: 'Who has 10.0.2.2? Tell 10.0.2.15',
    });
  });

  it("the NAT gateway's reply gives its MAC plainly in Info and by vendor in the columns", () => {
    expect(summarize(frameNamed('arp/gateway-is-at'))).toEqual({
      source: 'RealtekU_12:35:02',
      destination: 'PcsCompu_c3:a1:e1',
      protocol: 'ARP',
      info: '10.0.2.2 is at 52:54:00:12:35:02',
    });
  });

  it("names VMware's MACs VMware_…, and leaves the host-only adapter's 0a:00:27 unnamed", () => {
    expect(summarize(frameNamed('arp/vmware-reply'))).toMatchObject({ source: 'VMware_c0:00:08', destination: 'VMware_4f:8e:35' });
    expect(summarize(frameNamed('wire/arp-reply'))).toMatchObject({ source: '0a:00:27:00:00:00', info: '192.168.56.1 is at 0a:00:27:00:00:00' });
  });

  it('tells ARP probes and announcements apart from requests', () => {
    expect(summarize(frameNamed('wire/arp-probe')).info).toBe('Who has 192.168.56.102? (ARP Probe)');
    expect(summarize(frameNamed('wire/arp-gratuitous')).info).toBe('ARP Announcement for 192.168.56.102');
  });

  it('a ping shows id, sequence in both byte orders and the TTL, between IP addresses', () => {
    expect(summarize(frameNamed('icmp/ping'))).toEqual({
      source: '10.0.2.15',
      destination: '10.0.2.2',
      protocol: 'ICMP',
      info: 'Echo (ping) request  id=0x1234, seq=1/256, ttl=64',
    });
    // No "(reply in N)": that needs the rest of the capture.
    expect(summarize(frameNamed('icmp/pong')).info).toBe('Echo (ping) reply    id=0x1234, seq=1/256, ttl=255');
  });

  it('ICMP errors read as the error and its code', () => {
    expect(summarize(frameNamed('icmp/port-unreachable')).info).toBe('Destination unreachable (Port unreachable)');
    expect(summarize(frameNamed('icmp/ttl-exceeded-udp')).info).toBe('Time-to-live exceeded (Time to live exceeded in transit)');
    expect(summarize(frameNamed('wire/icmp-frag-needed')).info).toBe('Destination unreachable (Fragmentation needed)');
    expect(summarize(frameNamed('icmp/redirect-host')).info).toBe('Redirect             (Redirect for host)');
  });

  it('DHCP shows the message type and the transaction id', () => {
    expect(summarize(frameNamed('dhcp/discover-dhclient'))).toEqual({
      source: '0.0.0.0',
      destination: '255.255.255.255',
      protocol: 'DHCP',
      info: 'DHCP Discover - Transaction ID 0x3903f326',
    });
    expect(summarize(frameNamed('dhcp/ack-dnsmasq')).info).toBe('DHCP ACK      - Transaction ID 0x3903f326');
  });

  it('DNS shows the query, then every answer with its data, and the error of a failed lookup', () => {
    expect(summarize(frameNamed('dns/query-www-example-com-a'))).toMatchObject({ protocol: 'DNS', info: 'Standard query 0x1a2b A www.example.com' });
    expect(summarize(frameNamed('dns/response-cname-a')).info).toBe('Standard query response 0x1a2b A www.example.com CNAME example.com A 93.184.216.34');
    expect(summarize(frameNamed('dns/response-nxdomain')).info).toBe('Standard query response 0x4242 No such name A nosuch.example.com');
    expect(summarize(frameNamed('dns/response-nxdomain-soa')).info).toBe('Standard query response 0x5e1d No such name A nosuch.example.com SOA ns.icann.org');
  });

  it('TCP shows ports, flags, raw sequence numbers, window, length and the options of a SYN', () => {
    expect(summarize(frameNamed('tcp/linux-syn'))).toEqual({
      source: '10.0.2.15',
      destination: '93.184.216.34',
      protocol: 'TCP',
      info: '45758 → 80 [SYN] Seq=2587823121 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=1200 TSecr=0 WS=128',
    });
    expect(summarize(frameNamed('tcp/syn-ack')).info).toBe(
      '80 → 45678 [SYN, ACK] Seq=3237998081 Ack=439041102 Win=65160 Len=0 MSS=1460 SACK_PERM TSval=1117733905 TSecr=2840013585 WS=128',
    );
    expect(summarize(frameNamed('tcp/bad-checksum')).info).toBe('40000 → 7 [SYN] Seq=0 Win=8192 [TCP CHECKSUM INCORRECT] Len=0');
  });

  it('HTTP shows the request line and the status line with the type of the page (Wireshark ends both with a space)', () => {
    expect(summarize(frameNamed('http/get'))).toMatchObject({ protocol: 'HTTP', info: 'GET / HTTP/1.1 ' });
    expect(summarize(frameNamed('http/200')).info).toBe('HTTP/1.1 200 OK  (text/html)');
    expect(summarize(frameNamed('http/404')).info).toBe('HTTP/1.1 404 Not Found ');
    // A segment of page without the head is plain TCP: segments are not reassembled.
    expect(summarize(frameNamed('http/continuation')).protocol).toBe('TCP');
  });

  it('UDP to a port without a decoder shows ports and length (Wireshark would say ECHO for port 7)', () => {
    expect(summarize(frameNamed('udp/echo-port-7'))).toEqual({ source: '10.0.2.15', destination: '192.168.56.10', protocol: 'UDP', info: '40000 → 7 Len=18' });
  });

  it('IPv4 fragments are named, not reassembled', () => {
    expect(summarize(frameNamed('wire/ipv4-fragment-last')).info).toBe('Fragmented IP protocol (proto=ICMP 1, off=1480, ID=abcd)');
  });

  it('a frame that is not IPv4 or ARP keeps MAC addresses and names its EtherType', () => {
    expect(summarize(frameNamed('eth/unknown-type'))).toEqual({ source: 'PcsCompu_c3:a1:e1', destination: 'RealtekU_12:35:02', protocol: '0x1234', info: 'Ethernet II' });
    const ipv6 = fromHex('333300000001080027c3a1e186dd' + '60000000000011ff' + '00'.repeat(32));
    expect(summarize(ipv6)).toMatchObject({ source: 'PcsCompu_c3:a1:e1', destination: 'IPv6mcast_01', protocol: 'IPv6' });
  });
});

describe('malformed frames never throw: the last layer that parsed, and what is wrong', () => {
  it('names the layer the bytes ran out in', () => {
    expect(summarize(frameNamed('bad/eth-10-bytes'))).toEqual({ source: '', destination: 'RealtekU_12:35:02', protocol: 'Ethernet', info: '[Malformed Packet]' });
    expect(summarize(frameNamed('bad/ipv4-cut'))).toMatchObject({ protocol: 'IPv4', info: '[Malformed Packet]' });
    expect(summarize(frameNamed('bad/dns-cut'))).toMatchObject({ protocol: 'DNS', info: 'Standard query 0x0001[Malformed Packet]' });
    expect(summarize(new Uint8Array(0))).toEqual({ source: '', destination: '', protocol: 'Ethernet', info: '[Malformed Packet]' });
  });

  it('says what a lying length field claims', () => {
    expect(summarize(frameNamed('bad/ipv4-header-length-12')).info).toBe('Bogus IP header length (12, must be at least 20)');
    expect(summarize(frameNamed('bad/udp-length-4')).info).toBe('41734 → 53 [BAD UDP LENGTH 4 < 8]');
    expect(summarize(frameNamed('bad/tcp-data-offset-3')).info).toBe('40000 → 80 [SYN, Reserved] Seq=0 Win=8192, bogus TCP header length (12, must be at least 20)');
  });

  it('keeps the tree of the layers that parsed and marks the rest', () => {
    const tree = dissect(frameNamed('bad/dns-name-past-end'));
    expect(tree.map((n) => n.label)).toEqual([
      'Ethernet II, Src: PcsCompu_c3:a1:e1 (08:00:27:c3:a1:e1), Dst: RealtekU_12:35:02 (52:54:00:12:35:02)',
      'Internet Protocol Version 4, Src: 10.0.2.15, Dst: 10.0.2.3',
      'User Datagram Protocol, Src Port: 41734, Dst Port: 53',
      'Domain Name System (query)',
      '[Malformed Packet: DNS]',
    ]);
  });
});

describe('the decode tree', () => {
  it('has one node per layer and the header fields under each, as Wireshark prints them', () => {
    const lines = text(dissect(frameNamed('arp/who-has-gateway')));
    expect(lines).toEqual([
      'Ethernet II, Src: PcsCompu_c3:a1:e1 (08:00:27:c3:a1:e1), Dst: Broadcast (ff:ff:ff:ff:ff:ff)',
      '  Destination: Broadcast (ff:ff:ff:ff:ff:ff)',
      '    Address: Broadcast (ff:ff:ff:ff:ff:ff)',
      '    .... ..1. .... .... .... .... = LG bit: Locally administered address (this is NOT the factory default)',
      '    .... ...1 .... .... .... .... = IG bit: Group address (multicast/broadcast)',
      '  Source: PcsCompu_c3:a1:e1 (08:00:27:c3:a1:e1)',
      '    Address: PcsCompu_c3:a1:e1 (08:00:27:c3:a1:e1)',
      '    .... ..0. .... .... .... .... = LG bit: Globally unique address (factory default)',
      '    .... ...0 .... .... .... .... = IG bit: Individual address (unicast)',
      '  Type: ARP (0x0806)',
      '  Padding: 000000000000000000000000000000000000',
      'Address Resolution Protocol (request)',
      '  Hardware type: Ethernet (1)',
      '  Protocol type: IPv4 (0x0800)',
      '  Hardware size: 6',
      '  Protocol size: 4',
      '  Opcode: request (1)',
      '  Sender MAC address: PcsCompu_c3:a1:e1 (08:00:27:c3:a1:e1)',
      '  Sender IP address: 10.0.2.15',
      '  Target MAC address: 00:00:00_00:00:00 (00:00:00:00:00:00)',
      '  Target IP address: 10.0.2.2',
    ]);
  });

  it('gives each line the bytes it was read from, for the hex view', () => {
    const frame = frameNamed('icmp/ping');
    const tree = dissect(frame);
    expect(bytesOf(frame, find(tree, 'Source Address: 10.0.2.15'))).toBe('0a00020f');
    expect(bytesOf(frame, find(tree, 'Type: IPv4 (0x0800)'))).toBe('0800');
    expect(bytesOf(frame, find(tree, 'Identifier (BE): 4660 (0x1234)'))).toBe('1234');
    expect(find(tree, 'Internet Protocol Version 4, Src: 10.0.2.15, Dst: 10.0.2.2').range).toEqual([14, 34]);
    expect(find(tree, 'Internet Control Message Protocol').range).toEqual([34, 98]);
  });

  it('verifies checksums and shows what a wrong one should have been', () => {
    const good = dissect(frameNamed('icmp/ping'));
    expect(find(good, 'Header Checksum: 0xe777 [correct]').range).toEqual([24, 26]);
    expect(find(good, '[Header checksum status: Good]').range).toEqual([24, 24]);
    const bad = dissect(frameNamed('ipv4/bad-checksum'));
    expect(text(bad).some((l) => /Header Checksum: 0x1234 incorrect, should be 0x[0-9a-f]{4}/.test(l))).toBe(true);
  });

  it('lists every TCP flag bit and option', () => {
    const tree = dissect(frameNamed('tcp/linux-syn'));
    const flags = find(tree, 'Flags: 0x002 (SYN)');
    expect(flags.children?.map((n) => n.label)).toContain('.... .... ..1. = Syn: Set');
    expect(flags.children?.map((n) => n.label)).toContain('.... ...0 .... = Acknowledgment: Not set');
    expect(find(tree, 'TCP Option - Window scale: 7 (multiply by 128)').children?.map((n) => n.label)).toEqual([
      'Kind: Window Scale (3)',
      'Length: 3',
      'Shift count: 7',
      '[Multiplier: 128]',
    ]);
  });

  it('shows each DHCP option with its value', () => {
    const tree = dissect(frameNamed('dhcp/discover-dhclient'));
    expect(text([find(tree, 'Option: (53) DHCP Message Type (Discover)')])).toEqual(['Option: (53) DHCP Message Type (Discover)', '  Length: 1', '  DHCP: Discover (1)']);
    expect(find(tree, 'Host Name: ubuntu-vm').range).toEqual([287, 296]);
    expect(find(tree, 'Parameter Request List Item: (121) Classless Static Route')).toBeDefined();
  });

  it('shows DNS queries and answers', () => {
    const tree = dissect(frameNamed('dns/response-cname-a'));
    expect(text([find(tree, 'example.com: type A, class IN, addr 93.184.216.34')])).toEqual([
      'example.com: type A, class IN, addr 93.184.216.34',
      '  Name: example.com',
      '  Type: A (Host Address) (1)',
      '  Class: IN (0x0001)',
      '  Time to live: 3600 (1 hour)',
      '  Data length: 4',
      '  Address: 93.184.216.34',
    ]);
  });

  it('shows the HTTP request line split into method, URI and version, and each header', () => {
    const frame = frameNamed('http/get');
    const http = find(dissect(frame), 'Hypertext Transfer Protocol');
    expect(text([http])).toEqual([
      'Hypertext Transfer Protocol',
      '  GET / HTTP/1.1\\r\\n',
      '    Request Method: GET',
      '    Request URI: /',
      '    Request Version: HTTP/1.1',
      '  Host: example.com\\r\\n',
      '  User-Agent: curl/7.88.1\\r\\n',
      '  Accept: */*\\r\\n',
      '  \\r\\n',
      '  [Full request URI: http://example.com/]',
    ]);
    expect(bytesOf(frame, find([http], 'Request Method: GET'))).toBe('474554');
  });

  it('shows an 802.1Q tag between Ethernet and IPv4', () => {
    const tree = dissect(frameNamed('wire/vlan-udp'));
    expect(tree.map((n) => n.label)).toEqual([
      'Ethernet II, Src: PcsCompu_aa:bb:cc (08:00:27:aa:bb:cc), Dst: PcsCompu_11:22:33 (08:00:27:11:22:33)',
      '802.1Q Virtual LAN, PRI: 5, DEI: 0, ID: 100',
      'Internet Protocol Version 4, Src: 192.168.100.10, Dst: 192.168.100.20',
      'User Datagram Protocol, Src Port: 40000, Dst Port: 5000',
      'Data (6 bytes)',
    ]);
    expect(text([tree[1]])).toEqual([
      '802.1Q Virtual LAN, PRI: 5, DEI: 0, ID: 100',
      '  101. .... .... .... = Priority: Voice, < 10ms latency and jitter (5)',
      '  ...0 .... .... .... = DEI: Ineligible',
      '  .... 0000 0110 0100 = ID: 100',
      '  Type: IPv4 (0x0800)',
      '  Padding: 0000000000000000',
    ]);
  });

  it("reads the send time Linux's ping puts in its data when it knows the capture time", () => {
    const frame = frameNamed('icmp/ping');
    const timed = text(dissect(frame, 1.5));
    expect(timed).toContain('  Timestamp from icmp data: Jan  1, 1970 00:00:01.000000000 UTC');
    expect(timed).toContain('  [Timestamp from icmp data (relative): 0.500000000 seconds]');
    expect(timed).toContain('  Data (48 bytes)');
    expect(text(dissect(frame))).toContain('  Data (56 bytes)');
  });
});

describe('frameSummary and frameDetail fill the contract DTOs', () => {
  it('copies number, time and link, and counts the bytes', () => {
    const frame = frameNamed('arp/who-has-gateway');
    expect(frameSummary(7, 1.25, 'vboxnet0', frame)).toEqual({
      number: 7,
      timeS: 1.25,
      link: 'vboxnet0',
      source: 'PcsCompu_c3:a1:e1',
      destination: 'Broadcast',
      protocol: 'ARP',
      length: 60,
      info: 'Who has 10.0.2.2? Tell 10.0.2.15',
    });
  });

  it('adds the bytes as lowercase hex without separators, and the tree', () => {
    const frame = frameNamed('icmp/ping');
    const d = frameDetail(3, 2, 'NatNetwork', frame);
    expect(d.hex).toBe(toHex(frame));
    expect(d.hex).toMatch(/^[0-9a-f]+$/);
    expect(d.hex.length).toBe(frame.length * 2);
    expect(d).toMatchObject(frameSummary(3, 2, 'NatNetwork', frame));
    expect(d.tree).toEqual(dissect(frame, 2));
  });
});
