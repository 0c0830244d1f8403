import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../../../core/wire/address';
import { fromHex, setU32, toHex } from '../../../core/wire/bytes';
import {
  BOOTP_MIN_LENGTH,
  clientIdFromMac,
  DhcpMessageType,
  DhcpOption,
  dhcpLength,
  dhcpRepr,
  DhcpView,
  emitDhcp,
  encodeDhcp,
  formatClientId,
  parseDhcp,
  type DhcpRepr,
} from '../../../core/wire/dhcp';
import { asciiDecode } from '../../../core/wire/text';

const DIR = join(__dirname, '../../fixtures/dhcp');

interface ScapyView {
  op: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  chaddr: string;
  length: number;
  options: [number, unknown][];
}

const scapy = JSON.parse(readFileSync(join(DIR, 'scapy.json'), 'utf8')) as Record<string, ScapyView>;
const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.hex'))
  .map((f) => f.slice(0, -4))
  .sort();

export function fixture(name: string): Uint8Array {
  return fromHex(readFileSync(join(DIR, `${name}.hex`), 'utf8'));
}

/** Our repr's options in the shape scapy.json uses: [code, value] with addresses dotted and text as latin-1. */
function ourOptions(r: DhcpRepr): [number, unknown][] {
  const one = (v: unknown[]): unknown => (v.length === 1 ? v[0] : v);
  const out: [number, unknown][] = [];
  for (const code of r.order ?? []) {
    switch (code) {
      case DhcpOption.MessageType:
        out.push([code, r.messageType]);
        break;
      case DhcpOption.SubnetMask:
      case DhcpOption.BroadcastAddress:
      case DhcpOption.RequestedIp:
      case DhcpOption.ServerId: {
        const v = code === 1 ? r.subnetMask : code === 28 ? r.broadcastAddress : code === 50 ? r.requestedIp : r.serverId;
        out.push([code, formatIpv4(v as number)]);
        break;
      }
      case DhcpOption.Router:
        out.push([code, one((r.routers ?? []).map(formatIpv4))]);
        break;
      case DhcpOption.DnsServers:
        out.push([code, one((r.dnsServers ?? []).map(formatIpv4))]);
        break;
      case DhcpOption.LeaseTime:
        out.push([code, r.leaseTime]);
        break;
      case DhcpOption.RenewalTime:
        out.push([code, r.renewalTime]);
        break;
      case DhcpOption.RebindingTime:
        out.push([code, r.rebindingTime]);
        break;
      case DhcpOption.HostName:
        out.push([code, r.hostName]);
        break;
      case DhcpOption.DomainName:
        out.push([code, r.domainName]);
        break;
      case DhcpOption.Message:
        out.push([code, r.message]);
        break;
      case DhcpOption.ParameterRequestList:
        out.push([code, r.parameterRequestList]);
        break;
      case DhcpOption.ClientId:
        out.push([code, asciiDecode(r.clientId as Uint8Array)]);
        break;
      default: {
        const raw = r.other.find((o) => o.code === code)?.data ?? new Uint8Array(0);
        // scapy reads option 57 as a 16-bit number.
        out.push([code, code === 57 ? (raw[0] << 8) | raw[1] : asciiDecode(raw)]);
      }
    }
  }
  return out;
}

describe('DHCP wire format against scapy fixtures', () => {
  it('has the fixtures the script makes', () => {
    expect(names).toEqual(Object.keys(scapy).sort());
    expect(names.length).toBeGreaterThanOrEqual(13);
  });

  for (const name of names) {
    it(`reads ${name} as scapy does and writes it back byte for byte`, () => {
      const bytes = fixture(name);
      const want = scapy[name];
      const p = parseDhcp(bytes);
      if (!p.ok) throw new Error(p.error.message);
      const r = p.value;
      expect({
        op: r.op,
        xid: r.xid,
        secs: r.secs,
        flags: r.flags,
        ciaddr: formatIpv4(r.ciaddr),
        yiaddr: formatIpv4(r.yiaddr),
        siaddr: formatIpv4(r.siaddr),
        giaddr: formatIpv4(r.giaddr),
        chaddr: r.chaddr.toString(16).padStart(12, '0'),
        length: bytes.length,
        options: ourOptions(r),
      }).toEqual(want);
      expect(dhcpLength(r)).toBe(bytes.length);
      expect(toHex(encodeDhcp(r))).toBe(toHex(bytes));
    });
  }

  it('writes dhclient and dnsmasq messages in their option order even without the parsed order', () => {
    for (const name of names.filter((n) => n !== 'discover-networkd')) {
      const p = parseDhcp(fixture(name));
      if (!p.ok) throw new Error(p.error.message);
      delete p.value.order;
      expect(toHex(encodeDhcp(p.value)), name).toBe(toHex(fixture(name)));
    }
  });

  it('keeps unknown options as raw bytes, in their place', () => {
    const p = parseDhcp(fixture('discover-networkd'));
    if (!p.ok) throw new Error(p.error.message);
    expect(p.value.other).toEqual([{ code: 57, data: Uint8Array.of(2, 64) }]);
    expect(p.value.order).toEqual([53, 61, 57, 55, 12]);
    expect(formatClientId(p.value.clientId as Uint8Array)).toBe('ff:5c:3a:27:11:00:04:d9:a6:f3:c1:e0:7b:4c:4f:9a:2b:5e:7d:13:c8:a0:f4');
  });
});

describe('DHCP view', () => {
  it('reads the header and looks options up in place', () => {
    const bytes = fixture('offer-dnsmasq');
    const frame = new Uint8Array(42 + bytes.length);
    frame.set(bytes, 42);
    const v = new DhcpView().wrap(frame, 42, bytes.length);
    expect(v.check()).toBe(true);
    expect(v.op).toBe(2);
    expect(v.xid).toBe(0x3903f326);
    expect(v.messageType).toBe(DhcpMessageType.Offer);
    expect(formatIpv4(v.yiaddr)).toBe('192.168.1.100');
    expect(formatIpv4(v.siaddr)).toBe('192.168.1.1');
    expect(v.chaddr).toBe(0x0800273a5c11);
    expect(formatIpv4(v.u32Option(DhcpOption.ServerId))).toBe('192.168.1.1');
    expect(v.u32Option(DhcpOption.LeaseTime)).toBe(43200);
    expect(v.u32Option(DhcpOption.RequestedIp)).toBe(-1);
    const dom = v.findOption(DhcpOption.DomainName);
    expect(asciiDecode(frame, dom, dom + v.optionLength(dom))).toBe('lan');
    expect(v.broadcast).toBe(false);
    expect(new DhcpView().wrap(fixture('nak-dnsmasq')).broadcast).toBe(true);
  });

  it('reports no message type for a short or malformed option area instead of reading past the end', () => {
    const bytes = fixture('discover-dhclient').slice(0, 242); // option 53 cut after its length byte
    const v = new DhcpView().wrap(bytes);
    expect(v.check()).toBe(true);
    expect(v.messageType).toBe(0);
    expect(new DhcpView().wrap(bytes.subarray(0, 100)).check()).toBe(false);
  });
});

describe('DHCP parse errors', () => {
  const good = (): Uint8Array => fixture('discover-dhclient').slice();

  it('a message shorter than the header and cookie is truncated', () => {
    const p = parseDhcp(good().subarray(0, 239));
    expect(p.ok ? null : p.error.kind).toBe('truncated');
  });

  it('a wrong magic cookie is refused', () => {
    const b = good();
    setU32(b, 236, 0x63825364);
    const p = parseDhcp(b);
    expect(p.ok ? null : [p.error.kind, p.error.message]).toEqual(['bad-value', 'magic cookie 0x63825364 is not 0x63825363']);
  });

  it('an option that runs past the end of the message is refused', () => {
    const b = good();
    const cut = b.subarray(0, 240 + 3 + 2 + 4); // 53, then host name claiming 9 bytes with 4 left
    const p = parseDhcp(cut);
    expect(p.ok ? null : p.error.kind).toBe('bad-option');
  });

  it('options of the wrong length are refused', () => {
    const r = dhcpRepr({ op: 2, xid: 1, chaddr: 1, messageType: DhcpMessageType.Offer });
    r.other.push({ code: 1, data: Uint8Array.of(255, 255, 255) });
    let p = parseDhcp(encodeDhcp(r));
    expect(p.ok ? null : [p.error.kind, p.error.message]).toEqual(['bad-length', 'option 1 has length 3, expected 4']);
    r.other = [{ code: 3, data: new Uint8Array(6) }];
    p = parseDhcp(encodeDhcp(r));
    expect(p.ok ? null : p.error.kind).toBe('bad-length');
    r.other = [{ code: 61, data: Uint8Array.of(1) }];
    p = parseDhcp(encodeDhcp(r));
    expect(p.ok ? null : p.error.kind).toBe('bad-length');
  });

  it('option overload is reported as unsupported', () => {
    const r = dhcpRepr({ op: 1, xid: 1, chaddr: 1, messageType: 1 });
    r.other.push({ code: 52, data: Uint8Array.of(3) });
    const p = parseDhcp(encodeDhcp(r));
    expect(p.ok ? null : p.error.kind).toBe('unsupported');
  });

  it('an op other than request or reply is refused', () => {
    const b = good();
    b[0] = 3;
    const p = parseDhcp(b);
    expect(p.ok ? null : p.error.kind).toBe('bad-value');
  });
});

describe('DHCP emit', () => {
  it('pads short messages to the 300-byte BOOTP minimum and leaves longer ones as they are', () => {
    const r = dhcpRepr({ op: 1, xid: 7, chaddr: 0x080027000001, messageType: DhcpMessageType.Release });
    expect(encodeDhcp(r).length).toBe(BOOTP_MIN_LENGTH);
    r.hostName = 'x'.repeat(100);
    r.clientId = clientIdFromMac(0x080027000001);
    const bytes = encodeDhcp(r);
    expect(bytes.length).toBe(240 + 3 + 9 + 102 + 1);
    expect(bytes[bytes.length - 1]).toBe(255);
  });

  it('splits an option longer than 255 bytes and joins it again on parse (RFC 3396)', () => {
    const r = dhcpRepr({ op: 1, xid: 7, chaddr: 1, messageType: DhcpMessageType.Discover });
    r.hostName = 'h'.repeat(300);
    const bytes = encodeDhcp(r);
    expect(bytes[243]).toBe(12);
    expect(bytes[244]).toBe(255);
    expect(bytes[243 + 257]).toBe(12);
    expect(bytes[243 + 258]).toBe(45);
    const p = parseDhcp(bytes);
    expect(p.ok && p.value.hostName).toBe('h'.repeat(300));
  });

  it('writes at an offset inside a larger buffer and overwrites stale bytes', () => {
    const r = dhcpRepr({ op: 2, xid: 0xdeadbeef, chaddr: 0x0a0b0c0d0e0f, messageType: DhcpMessageType.Ack });
    r.yiaddr = 0x0a00020f;
    r.sname = 'srv';
    const buf = new Uint8Array(400).fill(0xee);
    const n = emitDhcp(r, buf, 50);
    expect(n).toBe(300);
    expect(buf[49]).toBe(0xee);
    expect(buf[350]).toBe(0xee);
    expect(toHex(buf.subarray(50, 350))).toBe(toHex(encodeDhcp(r)));
    const p = parseDhcp(buf.subarray(50, 350));
    expect(p.ok && [p.value.xid, p.value.yiaddr, p.value.sname, p.value.chaddr]).toEqual([0xdeadbeef, 0x0a00020f, 'srv', 0x0a0b0c0d0e0f]);
  });
});
