import { describe, expect, it } from 'vitest';
import { DhcpServer, LowestFreeSet, type DhcpServerConfig } from '../../../core/devices/dhcp-server';
import { Random } from '../../../core/sim/random';
import { Scheduler } from '../../../core/sim/scheduler';
import { formatIpv4, IPV4_BROADCAST, MAC_BROADCAST, type Ipv4Addr, type MacAddr } from '../../../core/wire/address';
import { DHCP_FLAG_BROADCAST, DhcpMessageType, dhcpRepr, encodeDhcp, parseDhcp, type DhcpRepr } from '../../../core/wire/dhcp';
import { ip } from './harness';

const S = 1_000_000;

interface Reply {
  msg: DhcpRepr;
  dst: Ipv4Addr;
  mac: MacAddr;
}

function setup(config: Partial<DhcpServerConfig> = {}) {
  const sched = new Scheduler();
  const replies: Reply[] = [];
  const log: [string, string][] = [];
  const server = new DhcpServer(
    {
      get now() {
        return sched.now;
      },
      schedule: (d, fn) => sched.timer(d, (f: () => void) => f(), fn),
      cancel: (id) => sched.cancel(id),
      send: (bytes, dst, mac) => {
        const p = parseDhcp(bytes);
        if (!p.ok) throw new Error(p.error.message);
        replies.push({ msg: p.value, dst, mac });
      },
      log: (kind, message) => log.push([kind, message]),
    },
    {
      name: 'HostInterfaceNetworking-vboxnet0',
      serverIp: ip('192.168.56.100'),
      network: ip('192.168.56.0'),
      prefix: 24,
      pools: [{ start: ip('192.168.56.101'), end: ip('192.168.56.254') }],
      ...config,
    },
  );
  let xid = 1;
  const send = (type: number, mac: MacAddr, fields: Partial<DhcpRepr> = {}): Reply | undefined => {
    const before = replies.length;
    server.receive(encodeDhcp(dhcpRepr({ op: 1, xid: xid++, chaddr: mac, messageType: type, ...fields })));
    return replies.length > before ? replies[replies.length - 1] : undefined;
  };
  /** DISCOVER then REQUEST; returns the address acked, or null. */
  const lease = (mac: MacAddr, fields: Partial<DhcpRepr> = {}): string | null => {
    const offer = send(DhcpMessageType.Discover, mac, fields);
    if (offer === undefined) return null;
    const ack = send(DhcpMessageType.Request, mac, { ...fields, serverId: offer.msg.serverId, requestedIp: offer.msg.yiaddr });
    return ack?.msg.messageType === DhcpMessageType.Ack ? formatIpv4(ack.msg.yiaddr) : null;
  };
  return { sched, server, replies, log, send, lease };
}

const mac = (n: number): MacAddr => 0x080027000000 + n;

describe('DHCP server address choice', () => {
  it('hands out the lowest free address first: VirtualBox host-only gives .101, .102, …', () => {
    const t = setup();
    expect([t.lease(mac(1)), t.lease(mac(2)), t.lease(mac(3))]).toEqual(['192.168.56.101', '192.168.56.102', '192.168.56.103']);
  });

  it('skips its own address, the router, resolvers and the subnet ends when they fall inside a pool', () => {
    const t = setup({ pools: [{ start: ip('192.168.56.0'), end: ip('192.168.56.255') }], serverIp: ip('192.168.56.2'), router: ip('192.168.56.1'), dnsServers: [ip('192.168.56.3')] });
    expect([t.lease(mac(1)), t.lease(mac(2))]).toEqual(['192.168.56.4', '192.168.56.5']);
    expect(t.server.freeCount).toBe(256 - 5 - 2);
  });

  it('gives a reservation by MAC or by client id, and never gives a reserved address to anyone else', () => {
    const cid = Uint8Array.of(0xff, 1, 2, 3, 4);
    const t = setup({
      reservations: [
        { ip: ip('192.168.56.101'), mac: mac(9), hostName: 'db' },
        { ip: ip('192.168.56.150'), clientId: cid },
      ],
    });
    expect(t.lease(mac(1))).toBe('192.168.56.102');
    expect(t.lease(mac(9))).toBe('192.168.56.101');
    expect(t.lease(mac(2), { clientId: cid })).toBe('192.168.56.150');
    expect(t.server.leases().find((r) => r.ip === ip('192.168.56.101'))?.hostname).toBe('db');
    // Another client asking for a reserved address is offered something else, and NAKed if it insists.
    expect(formatIpv4(t.send(DhcpMessageType.Discover, mac(3), { requestedIp: ip('192.168.56.150') })?.msg.yiaddr ?? 0)).toBe('192.168.56.103');
    expect(t.send(DhcpMessageType.Request, mac(4), { requestedIp: ip('192.168.56.150') })?.msg.messageType).toBe(DhcpMessageType.Nak);
  });

  it("gives a client its existing lease again, by client id when it sends one, else by chaddr", () => {
    const t = setup();
    expect(t.lease(mac(1))).toBe('192.168.56.101');
    expect(t.lease(mac(2), { clientId: Uint8Array.of(1, 2, 3) })).toBe('192.168.56.102');
    expect(t.lease(mac(1))).toBe('192.168.56.101');
    // The same client id from a new MAC (a clone) is the same client.
    expect(t.lease(mac(7), { clientId: Uint8Array.of(1, 2, 3) })).toBe('192.168.56.102');
    expect(t.lease(mac(8))).toBe('192.168.56.103');
  });

  it('offers the requested address when it is free, and the lowest free one when it is not', () => {
    const t = setup();
    expect(t.lease(mac(1), { requestedIp: ip('192.168.56.200') })).toBe('192.168.56.200');
    expect(t.lease(mac(2), { requestedIp: ip('192.168.56.200') })).toBe('192.168.56.101');
    expect(t.lease(mac(3), { requestedIp: ip('10.0.0.5') })).toBe('192.168.56.102');
  });

  it('holds an offered address for its client for 60 s, then returns it to the pool', () => {
    const t = setup();
    const offer = t.send(DhcpMessageType.Discover, mac(1));
    expect(formatIpv4(offer?.msg.yiaddr ?? 0)).toBe('192.168.56.101');
    expect(t.server.leases()[0]).toMatchObject({ state: 'offered', expiresInS: 60 });
    expect(formatIpv4(t.send(DhcpMessageType.Discover, mac(2))?.msg.yiaddr ?? 0)).toBe('192.168.56.102');
    t.sched.runFor(61 * S);
    expect(t.server.leases()).toEqual([]);
    expect(t.lease(mac(3))).toBe('192.168.56.101');
  });

  it('frees its offer when the client chooses another server', () => {
    const t = setup();
    t.send(DhcpMessageType.Discover, mac(1));
    t.send(DhcpMessageType.Request, mac(1), { serverId: ip('192.168.56.2'), requestedIp: ip('192.168.56.77') });
    expect(t.server.leases()).toEqual([]);
    expect(t.server.freeCount).toBe(154);
  });

  it('with every address taken it sends no OFFER and logs the exhaustion', () => {
    const t = setup({ pools: [{ start: ip('192.168.56.101'), end: ip('192.168.56.102') }] });
    expect([t.lease(mac(1)), t.lease(mac(2)), t.lease(mac(3))]).toEqual(['192.168.56.101', '192.168.56.102', null]);
    expect(t.server.counters.exhausted).toBe(1);
    expect(t.log[t.log.length - 1]).toEqual(['error', 'HostInterfaceNetworking-vboxnet0: DHCPDISCOVER from 08:00:27:00:00:03: no address available, the pool is exhausted']);
  });

  it('covers several pools in address order with one free structure', () => {
    const t = setup({ pools: [{ start: ip('192.168.56.200'), end: ip('192.168.56.201') }, { start: ip('192.168.56.10'), end: ip('192.168.56.10') }] });
    expect([t.lease(mac(1)), t.lease(mac(2)), t.lease(mac(3)), t.lease(mac(4))]).toEqual(['192.168.56.10', '192.168.56.200', '192.168.56.201', null]);
  });
});

describe('DHCP server REQUEST handling (RFC 2131 4.3.2)', () => {
  it('NAKs an INIT-REBOOT for an address bound to another client, ACKs the owner', () => {
    const t = setup();
    t.lease(mac(1));
    const nak = t.send(DhcpMessageType.Request, mac(2), { requestedIp: ip('192.168.56.101') });
    expect([nak?.msg.messageType, nak?.msg.message, nak?.dst, nak?.mac]).toEqual([DhcpMessageType.Nak, 'address in use by another client', IPV4_BROADCAST, MAC_BROADCAST]);
    expect(t.send(DhcpMessageType.Request, mac(1), { requestedIp: ip('192.168.56.101') })?.msg.messageType).toBe(DhcpMessageType.Ack);
  });

  it('ACKs an INIT-REBOOT for a free pool address it has no record of, and NAKs one outside its pools', () => {
    const t = setup();
    const ack = t.send(DhcpMessageType.Request, mac(1), { requestedIp: ip('192.168.56.180') });
    expect(ack?.msg.messageType).toBe(DhcpMessageType.Ack);
    expect(t.server.leases().map((r) => [formatIpv4(r.ip), r.state])).toEqual([['192.168.56.180', 'bound']]);
    expect(t.send(DhcpMessageType.Request, mac(2), { requestedIp: ip('192.168.56.100') })?.msg.message).toBe('address not available');
    expect(t.send(DhcpMessageType.Request, mac(2), { requestedIp: ip('10.0.2.15') })?.msg.message).toBe('wrong network');
  });

  it('extends a lease on a RENEWING request and answers at ciaddr; NAKs renewing someone else’s address', () => {
    const t = setup({ leaseTimeS: 600 });
    t.lease(mac(1));
    t.sched.runFor(300 * S);
    expect(t.server.leases()[0].expiresInS).toBe(300);
    const ack = t.send(DhcpMessageType.Request, mac(1), { ciaddr: ip('192.168.56.101') });
    expect([ack?.msg.messageType, ack?.dst, ack?.mac, ack?.msg.ciaddr]).toEqual([DhcpMessageType.Ack, ip('192.168.56.101'), mac(1), ip('192.168.56.101')]);
    expect(t.server.leases()[0].expiresInS).toBe(600);
    expect(t.send(DhcpMessageType.Request, mac(2), { ciaddr: ip('192.168.56.101') })?.msg.messageType).toBe(DhcpMessageType.Nak);
  });

  it('broadcasts its replies when the client sets the broadcast flag', () => {
    const t = setup();
    const offer = t.send(DhcpMessageType.Discover, mac(1), { flags: DHCP_FLAG_BROADCAST });
    expect([offer?.dst, offer?.mac, offer?.msg.flags]).toEqual([IPV4_BROADCAST, MAC_BROADCAST, DHCP_FLAG_BROADCAST]);
  });

  it('VMware-like limits: a 30 min default lease, at most 2 h when a client asks for more', () => {
    const t = setup({ leaseTimeS: 1800, maxLeaseTimeS: 7200 });
    const plain = t.send(DhcpMessageType.Discover, mac(1));
    expect([plain?.msg.leaseTime, plain?.msg.renewalTime, plain?.msg.rebindingTime]).toEqual([1800, 900, 1575]);
    const greedy = t.send(DhcpMessageType.Discover, mac(2), { leaseTime: 86400 });
    expect([greedy?.msg.leaseTime, greedy?.msg.renewalTime, greedy?.msg.rebindingTime]).toEqual([7200, 3600, 6300]);
  });

  it('configured T1 and T2 are sent as they are', () => {
    const t = setup({ leaseTimeS: 86400, t1S: 1000, t2S: 2000 });
    const offer = t.send(DhcpMessageType.Discover, mac(1));
    expect([offer?.msg.renewalTime, offer?.msg.rebindingTime]).toEqual([1000, 2000]);
  });
});

describe('DHCP server lease life', () => {
  it('expires a lease on the virtual clock: the row says expired and the address returns to the pool', () => {
    const t = setup({ leaseTimeS: 120 });
    t.lease(mac(1), { hostName: 'vm1' });
    expect(t.server.leases()).toEqual([
      { server: 'HostInterfaceNetworking-vboxnet0', ip: ip('192.168.56.101'), mac: mac(1), hostname: 'vm1', clientId: null, state: 'bound', expiresInS: 120 },
    ]);
    t.sched.runFor(119 * S);
    expect(t.server.leases()[0]).toMatchObject({ state: 'bound', expiresInS: 1 });
    t.sched.runFor(1 * S);
    expect(t.server.leases()[0]).toMatchObject({ state: 'expired', expiresInS: 0 });
    expect(t.log[t.log.length - 1]).toEqual(['dhcp-expired', 'HostInterfaceNetworking-vboxnet0: lease of 192.168.56.101 to 08:00:27:00:00:01 expired']);
    expect(t.server.freeCount).toBe(154);
    // The same client comes back and gets its old address; had another come first, it would have taken it.
    expect(t.lease(mac(1))).toBe('192.168.56.101');
  });

  it('a renewed lease does not expire at the old time', () => {
    const t = setup({ leaseTimeS: 100 });
    t.lease(mac(1));
    t.sched.runFor(60 * S);
    t.send(DhcpMessageType.Request, mac(1), { ciaddr: ip('192.168.56.101') });
    t.sched.runFor(50 * S);
    expect(t.server.leases()[0]).toMatchObject({ state: 'bound', expiresInS: 50 });
    t.sched.runFor(50 * S);
    expect(t.server.leases()[0].state).toBe('expired');
  });

  it('a RELEASE frees the address at once', () => {
    const t = setup();
    t.lease(mac(1));
    t.send(DhcpMessageType.Release, mac(1), { ciaddr: ip('192.168.56.101'), serverId: ip('192.168.56.100') });
    expect(t.server.leases()[0]).toMatchObject({ state: 'released', expiresInS: 0 });
    expect(t.lease(mac(2))).toBe('192.168.56.101');
    expect(t.server.leases().map((r) => [r.mac, r.state])).toEqual([[mac(2), 'bound']]);
  });

  it('a RELEASE from another client changes nothing', () => {
    const t = setup();
    t.lease(mac(1));
    t.send(DhcpMessageType.Release, mac(2), { ciaddr: ip('192.168.56.101'), serverId: ip('192.168.56.100') });
    expect(t.server.leases()[0].state).toBe('bound');
  });

  it('a DECLINE keeps the address out of the pool for a while, logs it, and the client gets another one', () => {
    const t = setup({ declineHoldS: 300 });
    t.lease(mac(1));
    t.send(DhcpMessageType.Decline, mac(1), { requestedIp: ip('192.168.56.101'), serverId: ip('192.168.56.100') });
    expect(t.server.leases()[0]).toMatchObject({ state: 'declined', expiresInS: 300 });
    expect(t.log[t.log.length - 1][0]).toBe('dhcp-declined');
    expect(t.lease(mac(1))).toBe('192.168.56.102');
    expect(t.lease(mac(2))).toBe('192.168.56.103');
    t.sched.runFor(300 * S);
    expect(t.server.leases().map((r) => formatIpv4(r.ip))).toEqual(['192.168.56.102', '192.168.56.103']);
    expect(t.lease(mac(3))).toBe('192.168.56.101');
  });

  it('answers an INFORM with options only and records no lease', () => {
    const t = setup({ router: ip('192.168.56.1'), dnsServers: [ip('192.168.56.1')], domain: 'lab' });
    const ack = t.send(DhcpMessageType.Inform, mac(1), { ciaddr: ip('192.168.56.20') });
    expect([ack?.msg.messageType, ack?.msg.yiaddr, ack?.msg.leaseTime, ack?.msg.routers, ack?.msg.domainName, ack?.dst]).toEqual([
      DhcpMessageType.Ack,
      0,
      undefined,
      [ip('192.168.56.1')],
      'lab',
      ip('192.168.56.20'),
    ]);
    expect(t.server.leases()).toEqual([]);
  });

  it('drops malformed messages and replies from other servers, counting them', () => {
    const t = setup();
    t.server.receive(new Uint8Array(100));
    t.server.receive(encodeDhcp(dhcpRepr({ op: 2, xid: 1, chaddr: mac(1), messageType: DhcpMessageType.Offer })));
    expect(t.server.counters.malformed).toBe(2);
    expect(t.replies).toEqual([]);
  });
});

describe('LowestFreeSet', () => {
  it('always agrees with a naive sorted set', () => {
    const rng = new Random(5);
    const n = 40_000;
    const set = new LowestFreeSet(n);
    const naive = new Uint8Array(n);
    for (let step = 0; step < 50_000; step++) {
      const i = rng.int(n);
      if (rng.int(3) === 0) {
        set.delete(i);
        naive[i] = 0;
      } else {
        set.add(i);
        naive[i] = 1;
      }
      if (step % 97 === 0) {
        const low = set.lowest();
        const want = naive.indexOf(1);
        expect(low).toBe(want);
        if (low >= 0) {
          set.delete(low);
          naive[low] = 0;
        }
      }
    }
    expect(set.size).toBe(naive.reduce((a, b) => a + b, 0));
  });

  it('reports -1 when empty and handles the last index', () => {
    const set = new LowestFreeSet(1025);
    expect(set.lowest()).toBe(-1);
    set.add(1024);
    expect(set.lowest()).toBe(1024);
    set.add(31);
    expect(set.lowest()).toBe(31);
    set.delete(31);
    set.delete(1024);
    expect([set.lowest(), set.size]).toEqual([-1, 0]);
  });
});
