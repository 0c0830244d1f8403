import { describe, expect, it } from 'vitest';
import { parseIpv4 as ip, parseMac as mac } from '../../../core/wire/address';
import {
  ARP_LEN,
  ArpView,
  arpAnnouncement,
  arpLength,
  arpProbe,
  arpReplyTo,
  arpRequest,
  emitArp,
  isArpProbe,
  isGratuitousArp,
  parseArp,
  type ArpRepr,
} from '../../../core/wire/arp';
import { toHex } from '../../../core/wire/bytes';
import { buildFrame, ETHERTYPE_ARP, parseEthernet } from '../../../core/wire/ethernet';
import { wireFixture } from '../../fixtures/wire/fixtures';

const VM1 = mac('08:00:27:aa:bb:cc')!;
const VM2 = mac('08:00:27:11:22:33')!;
const HOSTONLY = mac('0a:00:27:00:00:00')!;

function arpOf(name: string): ArpRepr {
  const eth = parseEthernet(wireFixture(name));
  if (!eth.ok) throw new Error(eth.error.message);
  expect(eth.value.header.ethertype).toBe(ETHERTYPE_ARP);
  const arp = parseArp(eth.value.payload);
  if (!arp.ok) throw new Error(arp.error.message);
  return arp.value;
}

describe('ARP', () => {
  it('reads a who-has request from a VirtualBox guest (scapy fixture)', () => {
    expect(arpOf('arp-request')).toEqual({ operation: 1, senderMac: VM1, senderIp: ip('192.168.56.101'), targetMac: 0, targetIp: ip('192.168.56.1') });
  });

  it('reads the host-only adapter\'s reply', () => {
    expect(arpOf('arp-reply')).toEqual({ operation: 2, senderMac: HOSTONLY, senderIp: ip('192.168.56.1'), targetMac: VM1, targetIp: ip('192.168.56.101') });
  });

  it('re-emits every fixture byte for byte, padded to 60 bytes as on the wire', () => {
    for (const name of ['arp-request', 'arp-reply', 'arp-gratuitous', 'arp-probe']) {
      const bytes = wireFixture(name);
      const eth = parseEthernet(bytes);
      if (!eth.ok) throw new Error(name);
      const repr = arpOf(name);
      const frame = buildFrame(eth.value.header, arpLength(repr), (b, o) => {
        expect(emitArp(repr, b, o)).toBe(ARP_LEN);
      });
      expect(toHex(frame), name).toBe(toHex(bytes));
    }
  });

  it('tells a gratuitous ARP, a probe and an ordinary request apart (RFC 5227)', () => {
    const kinds = (n: string): [boolean, boolean] => [isGratuitousArp(arpOf(n)), isArpProbe(arpOf(n))];
    expect(kinds('arp-request')).toEqual([false, false]);
    expect(kinds('arp-reply')).toEqual([false, false]);
    expect(kinds('arp-gratuitous')).toEqual([true, false]);
    expect(kinds('arp-probe')).toEqual([false, true]);
    // A gratuitous reply (arping -A) is gratuitous too; a reply with sender IP 0 is no probe.
    expect(isGratuitousArp({ ...arpOf('arp-gratuitous'), operation: 2 })).toBe(true);
    expect(isArpProbe({ ...arpOf('arp-probe'), operation: 2 })).toBe(false);
  });

  it('builds requests, replies, probes and announcements equal to what real tools send', () => {
    expect(arpRequest(VM1, ip('192.168.56.101')!, ip('192.168.56.1')!)).toEqual(arpOf('arp-request'));
    expect(arpReplyTo(arpOf('arp-request'), HOSTONLY)).toEqual(arpOf('arp-reply'));
    expect(arpProbe(VM2, ip('192.168.56.102')!)).toEqual(arpOf('arp-probe'));
    expect(arpAnnouncement(VM2, ip('192.168.56.102')!)).toEqual(arpOf('arp-gratuitous'));
  });

  it('refuses what is not Ethernet/IPv4 ARP, with the reason', () => {
    const good = wireFixture('arp-request').subarray(14, 14 + 28);
    const bad = (patch: (b: Uint8Array) => void): string => {
      const b = good.slice();
      patch(b);
      const r = parseArp(b);
      return r.ok ? 'ok' : `${r.error.kind}: ${r.error.message}`;
    };
    expect(bad(() => {})).toBe('ok');
    expect(bad((b) => (b[1] = 6))).toBe('unsupported: hardware type 6 is not Ethernet (1)');
    expect(bad((b) => (b[2] = 0x86))).toMatch(/^unsupported: protocol type 0x8600/);
    expect(bad((b) => (b[4] = 8))).toBe('bad-length: hardware address length 8 is not 6');
    expect(bad((b) => (b[5] = 16))).toBe('bad-length: protocol address length 16 is not 4');
    expect(bad((b) => (b[7] = 3))).toBe('unsupported: operation 3 is neither request (1) nor reply (2)');
    const short = parseArp(good.subarray(0, 27));
    expect(short.ok ? '' : short.error.kind).toBe('truncated');
    expect(parseArp(new Uint8Array(0)).ok).toBe(false);
  });

  it('the view reads fields in place at an offset and checks what parse checks', () => {
    const frame = wireFixture('arp-reply');
    const v = new ArpView().wrap(frame, 14);
    expect(v.check()).toBe(true);
    expect([v.htype, v.ptype, v.hlen, v.plen, v.operation]).toEqual([1, 0x0800, 6, 4, 2]);
    expect([v.senderMac, v.senderIp, v.targetMac, v.targetIp]).toEqual([HOSTONLY, ip('192.168.56.1'), VM1, ip('192.168.56.101')]);
    expect(new ArpView().wrap(frame, 40).check()).toBe(false);
    const rarp = frame.slice();
    rarp[14 + 7] = 4;
    expect(new ArpView().wrap(rarp, 14).check()).toBe(false);
  });
});
