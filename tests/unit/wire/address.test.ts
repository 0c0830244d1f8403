import { describe, expect, it } from 'vitest';
import {
  broadcastOf,
  formatCidr,
  formatIpv4,
  formatMac,
  inSubnet,
  isMulticastMac,
  isPrivateIpv4,
  MAC_BROADCAST,
  maskToPrefix,
  networkOf,
  parseCidr,
  parseIpv4,
  parseMac,
  prefixToMask,
} from '../../../core/wire/address';

describe('addresses', () => {
  it('reads MACs as ip link, Windows and VirtualBox write them, and prints them as ip link does', () => {
    const m = 0x080027aabbcc;
    expect(parseMac('08:00:27:AA:BB:CC')).toBe(m);
    expect(parseMac('08-00-27-aa-bb-cc')).toBe(m);
    expect(parseMac('080027AABBCC')).toBe(m);
    expect(parseMac(' 8:0:27:aa:bb:cc ')).toBe(m);
    expect(formatMac(m)).toBe('08:00:27:aa:bb:cc');
    expect(formatMac(MAC_BROADCAST)).toBe('ff:ff:ff:ff:ff:ff');
    expect(formatMac(0)).toBe('00:00:00:00:00:00');
    for (const bad of ['08:00:27:aa:bb', '08:00:27:aa:bb:cc:dd', '08:00-27:aa:bb:cc', '08:00:27:aa:bb:cg', '080027AABBC', '']) expect(parseMac(bad), bad).toBeNull();
  });

  it('tells multicast MACs by the group bit of the first byte', () => {
    expect(isMulticastMac(MAC_BROADCAST)).toBe(true);
    expect(isMulticastMac(parseMac('01:00:5e:00:00:16')!)).toBe(true);
    expect(isMulticastMac(parseMac('08:00:27:aa:bb:cc')!)).toBe(false);
    expect(isMulticastMac(parseMac('0a:00:27:00:00:00')!)).toBe(false);
  });

  it('reads and prints dotted quads, refusing what ip addr would refuse', () => {
    expect(parseIpv4('192.168.56.1')).toBe(0xc0a83801);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(formatIpv4(0xc0a83801)).toBe('192.168.56.1');
    expect(formatIpv4(0xffffffff)).toBe('255.255.255.255');
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '10.0.2.x', '1..2.3', '']) expect(parseIpv4(bad), bad).toBeNull();
  });

  it('converts prefixes and masks, and refuses masks with holes', () => {
    expect(prefixToMask(24)).toBe(0xffffff00);
    expect(prefixToMask(0)).toBe(0);
    expect(prefixToMask(32)).toBe(0xffffffff);
    expect(prefixToMask(1)).toBe(0x80000000);
    for (let p = 0; p <= 32; p++) expect(maskToPrefix(prefixToMask(p))).toBe(p);
    expect(maskToPrefix(0xff00ff00)).toBeNull();
  });

  it('computes networks and broadcasts as ipcalc does', () => {
    const a = parseIpv4('10.0.2.15')!;
    expect(formatIpv4(networkOf(a, 24))).toBe('10.0.2.0');
    expect(formatIpv4(broadcastOf(a, 24))).toBe('10.0.2.255');
    expect(formatIpv4(broadcastOf(parseIpv4('172.16.5.4')!, 12))).toBe('172.31.255.255');
    expect(formatIpv4(broadcastOf(a, 0))).toBe('255.255.255.255');
    expect(inSubnet(a, parseIpv4('10.0.2.0')!, 24)).toBe(true);
    expect(inSubnet(parseIpv4('10.0.3.1')!, parseIpv4('10.0.2.0')!, 24)).toBe(false);
    expect(inSubnet(parseIpv4('200.1.1.1')!, 0, 0)).toBe(true);
  });

  it('reads CIDR notation, with a default prefix for a bare address', () => {
    expect(parseCidr('192.168.56.1/24')).toEqual({ address: 0xc0a83801, prefix: 24 });
    expect(parseCidr('192.168.56.1')).toEqual({ address: 0xc0a83801, prefix: 32 });
    expect(parseCidr('192.168.56.1', 24)?.prefix).toBe(24);
    expect(formatCidr({ address: 0x0a00020f, prefix: 24 })).toBe('10.0.2.15/24');
    for (const bad of ['1.2.3.4/33', '1.2.3.4/', '1.2.3.4/24/1', '1.2.3.4/x', 'a/24']) expect(parseCidr(bad), bad).toBeNull();
  });

  it('knows the RFC 1918 ranges', () => {
    for (const a of ['10.0.2.15', '172.16.0.1', '172.31.255.255', '192.168.56.1']) expect(isPrivateIpv4(parseIpv4(a)!), a).toBe(true);
    for (const a of ['8.8.8.8', '172.32.0.1', '192.169.0.1', '11.0.0.1']) expect(isPrivateIpv4(parseIpv4(a)!), a).toBe(false);
  });
});
