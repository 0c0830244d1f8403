import { describe, expect, it } from 'vitest';
import type { DhcpServerConfig } from '../../../core/devices/dhcp-server';
import { formatIpv4, IPV4_ANY, IPV4_BROADCAST, MAC_BROADCAST } from '../../../core/wire/address';
import { DhcpMessageType } from '../../../core/wire/dhcp';
import { ip, Net } from './harness';

const S = 1_000_000;

function homeRouter(over: Partial<DhcpServerConfig> = {}): DhcpServerConfig {
  return {
    name: 'home-router',
    serverIp: ip('192.168.1.1'),
    network: ip('192.168.1.0'),
    prefix: 24,
    pools: [{ start: ip('192.168.1.100'), end: ip('192.168.1.199') }],
    router: ip('192.168.1.1'),
    dnsServers: [ip('192.168.1.1')],
    domain: 'lan',
    leaseTimeS: 3600,
    ...over,
  };
}

const MAC1 = 0x0800273a5c11;
const MAC2 = 0x0800273a5c22;
const MAC3 = 0x0800273a5c33;

describe('a DHCP client and server exchanging real bytes', () => {
  it('a client goes from INIT to BOUND through DISCOVER, OFFER, REQUEST and ACK', () => {
    const net = new Net();
    const server = net.addServer('router', homeRouter());
    const vm = net.addClient('vm1', { mac: MAC1, hostName: 'ubuntu-vm' });
    expect(vm.state).toBe('STOPPED');
    vm.start();
    expect(vm.state).toBe('SELECTING');
    net.runFor(5);
    expect(net.trace()).toEqual(['vm1:DISCOVER', 'router:OFFER', 'vm1:REQUEST', 'router:ACK']);
    expect(vm.state).toBe('BOUND');
    const lease = vm.lease;
    expect(lease && [formatIpv4(lease.address), lease.prefix, formatIpv4(lease.router ?? 0), lease.dnsServers.map(formatIpv4), lease.domain]).toEqual([
      '192.168.1.100',
      24,
      '192.168.1.1',
      ['192.168.1.1'],
      'lan',
    ]);
    expect(lease && [lease.leaseTimeS, (lease.t1Us - lease.startUs) / S, (lease.t2Us - lease.startUs) / S]).toEqual([3600, 1800, 3150]);
    expect(net.addressOf('vm1')).toBe(ip('192.168.1.100'));
    // The DISCOVER and REQUEST go to the broadcast address from 0.0.0.0; the OFFER and ACK to the offered address at the client's MAC.
    const [discover, offer, request, ack] = net.wire;
    expect([discover.srcIp, discover.dstIp, discover.dstMac]).toEqual([IPV4_ANY, IPV4_BROADCAST, MAC_BROADCAST]);
    expect([offer.dstIp, offer.dstMac]).toEqual([ip('192.168.1.100'), MAC1]);
    expect([request.msg.serverId, request.msg.requestedIp]).toEqual([ip('192.168.1.1'), ip('192.168.1.100')]);
    expect(ack.msg.yiaddr).toBe(ip('192.168.1.100'));
    expect(discover.msg.parameterRequestList).toEqual([1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42]);
    expect(discover.msg.clientId && [...discover.msg.clientId]).toEqual([1, 8, 0, 0x27, 0x3a, 0x5c, 0x11]);
    expect(discover.msg.hostName).toBe('ubuntu-vm');
    expect(server.leases()).toEqual([
      { server: 'home-router', ip: ip('192.168.1.100'), mac: MAC1, hostname: 'ubuntu-vm', clientId: '01:08:00:27:3a:5c:11', state: 'bound', expiresInS: 3596 },
    ]);
    expect(net.log.filter((e) => e.node === 'vm1').map((e) => [e.kind, e.message])).toEqual([['dhcp-bound', 'bound to 192.168.1.100/24 from 192.168.1.1 -- renewal in 1799 seconds']]);
  });

  it('renews at T1 by unicast to the server, which extends the lease', () => {
    const net = new Net();
    const server = net.addServer('router', homeRouter());
    const vm = net.addClient('vm1', { mac: MAC1 });
    vm.start();
    net.runFor(5);
    const first = vm.lease;
    if (first === null) throw new Error('not bound');
    const mark = net.sched.now;
    net.sched.runUntil(first.t1Us + 1000);
    expect(net.trace(mark)).toEqual(['vm1:REQUEST', 'router:ACK']);
    const [request, ack] = net.wire.filter((s) => s.time >= mark);
    expect(request.time).toBe(first.t1Us);
    expect([request.srcIp, request.dstIp, request.msg.ciaddr, request.msg.serverId, request.msg.requestedIp]).toEqual([
      ip('192.168.1.100'),
      ip('192.168.1.1'),
      ip('192.168.1.100'),
      undefined,
      undefined,
    ]);
    // The ACK to a client that has an address goes to that address.
    expect([ack.dstIp, ack.dstMac]).toEqual([ip('192.168.1.100'), MAC1]);
    expect(vm.state).toBe('BOUND');
    const renewed = vm.lease;
    expect(renewed?.expiresUs).toBe(first.t1Us + 3600 * S);
    expect(server.leases()[0]).toMatchObject({ state: 'bound', expiresInS: 3600 });
    expect(net.log.filter((e) => e.node === 'vm1').map((e) => e.message)[1]).toMatch(/^renewed 192\.168\.1\.100\/24/);
    // Two hours on, it is still bound: it keeps renewing.
    net.runFor(7200);
    expect(vm.state).toBe('BOUND');
    expect(net.addressOf('vm1')).toBe(ip('192.168.1.100'));
  });

  it('rebinds by broadcast at T2 when the server is gone, and another server may answer', () => {
    const net = new Net();
    net.addServer('router', homeRouter());
    const vm = net.addClient('vm1', { mac: MAC1 });
    vm.start();
    net.runFor(5);
    const lease = vm.lease;
    if (lease === null) throw new Error('not bound');
    net.downServers.add('router');
    net.sched.runUntil(lease.t1Us);
    expect(vm.state).toBe('RENEWING');
    net.sched.runUntil(lease.t2Us - 1);
    const renewals = net.wire.filter((s) => s.from === 'vm1' && s.time >= lease.t1Us);
    // RFC 2131 4.4.5: retransmit after half the time left to T2, no sooner than 60 s.
    expect(renewals.map((s) => Math.round((s.time - lease.t1Us) / S))).toEqual([0, 675, 1013, 1181, 1266, 1326]);
    expect(renewals.every((s) => s.dstIp === ip('192.168.1.1'))).toBe(true);
    net.sched.runUntil(lease.t2Us);
    expect(vm.state).toBe('REBINDING');
    const rebind = net.wire[net.wire.length - 1];
    expect([rebind.time, rebind.srcIp, rebind.dstIp, rebind.dstMac, rebind.msg.ciaddr]).toEqual([
      lease.t2Us,
      ip('192.168.1.100'),
      IPV4_BROADCAST,
      MAC_BROADCAST,
      ip('192.168.1.100'),
    ]);
    expect(net.addressOf('vm1')).toBe(ip('192.168.1.100'));
    // A second server on the network with a pool covering the address takes the client over.
    net.addServer('backup', homeRouter({ name: 'backup', serverIp: ip('192.168.1.2') }));
    net.runFor(400);
    expect(vm.state).toBe('BOUND');
    expect(vm.lease?.serverId).toBe(ip('192.168.1.2'));
    expect(net.addressOf('vm1')).toBe(ip('192.168.1.100'));
  });

  it('when the lease expires the address is removed and the client starts again from INIT', () => {
    const net = new Net();
    const server = net.addServer('router', homeRouter());
    const vm = net.addClient('vm1', { mac: MAC1 });
    vm.start();
    net.runFor(5);
    const lease = vm.lease;
    if (lease === null) throw new Error('not bound');
    net.downServers.add('router');
    net.sched.runUntil(lease.expiresUs - 1);
    expect(net.addressOf('vm1')).toBe(ip('192.168.1.100'));
    net.sched.runUntil(lease.expiresUs);
    expect(net.addressOf('vm1')).toBeNull();
    expect(vm.lease).toBeNull();
    expect(vm.state).toBe('SELECTING');
    const last = net.wire[net.wire.length - 1];
    expect([last.msg.messageType, last.srcIp, last.msg.requestedIp]).toEqual([DhcpMessageType.Discover, IPV4_ANY, ip('192.168.1.100')]);
    expect(net.log.filter((e) => e.node === 'vm1').map((e) => e.kind)).toEqual(['dhcp-bound', 'dhcp-expired']);
    // The server counts from its ACK, sent 100 µs after the client's REQUEST: a moment later its row says
    // expired and the address is back in the pool.
    expect(server.leases()[0]).toMatchObject({ state: 'bound', expiresInS: 1 });
    net.runFor(1);
    expect(server.leases()[0]).toMatchObject({ state: 'expired', expiresInS: 0 });
    expect(server.freeCount).toBe(100);
    // The server comes back: the client asks for its old address and gets it again.
    net.downServers.delete('router');
    net.runFor(130);
    expect(vm.state).toBe('BOUND');
    expect(net.addressOf('vm1')).toBe(ip('192.168.1.100'));
  });

  it('INIT-REBOOT with a lease from another network gets a NAK, and the client starts over from INIT', () => {
    const net = new Net();
    net.addServer('router', homeRouter());
    // A VM moved from VirtualBox NAT (10.0.2.15) to a bridged LAN remembers its old lease.
    const old = {
      address: ip('10.0.2.15'),
      prefix: 24,
      subnetMask: ip('255.255.255.0'),
      router: ip('10.0.2.2'),
      routers: [ip('10.0.2.2')],
      dnsServers: [ip('10.0.2.3')],
      domain: null,
      broadcast: ip('10.0.2.255'),
      serverId: ip('10.0.2.2'),
      leaseTimeS: 86400,
      startUs: 0,
      t1Us: 43200 * S,
      t2Us: 75600 * S,
      expiresUs: 86400 * S,
    };
    const vm = net.addClient('vm1', { mac: MAC1, lease: old });
    vm.start();
    expect(vm.state).toBe('REBOOTING');
    net.runFor(5);
    expect(net.trace()).toEqual(['vm1:REQUEST', 'router:NAK', 'vm1:DISCOVER', 'router:OFFER', 'vm1:REQUEST', 'router:ACK']);
    const [reboot, nak] = net.wire;
    expect([reboot.msg.requestedIp, reboot.msg.serverId, reboot.msg.ciaddr, reboot.dstIp]).toEqual([ip('10.0.2.15'), undefined, 0, IPV4_BROADCAST]);
    expect([nak.dstIp, nak.dstMac, nak.msg.message]).toEqual([IPV4_BROADCAST, MAC_BROADCAST, 'wrong network']);
    // After a NAK the client does not ask for the refused address again.
    expect(net.wire[2].msg.requestedIp).toBeUndefined();
    expect(net.log.filter((e) => e.node === 'vm1').map((e) => [e.kind, e.message])).toEqual([
      ['dhcp-nak', 'DHCPNAK from 192.168.1.1 for 10.0.2.15 (wrong network); restarting from INIT'],
      ['dhcp-bound', 'bound to 192.168.1.100/24 from 192.168.1.1 -- renewal in 1799 seconds'],
    ]);
    expect(vm.state).toBe('BOUND');
  });

  it('a link that comes back with an unexpired lease verifies it with INIT-REBOOT and keeps the address', () => {
    const net = new Net();
    net.addServer('router', homeRouter());
    const vm = net.addClient('vm1', { mac: MAC1 });
    vm.start();
    net.runFor(5);
    vm.linkDown();
    expect(vm.state).toBe('STOPPED');
    net.runFor(600);
    expect(net.addressOf('vm1')).toBe(ip('192.168.1.100'));
    const mark = net.sched.now;
    vm.linkUp();
    net.runFor(1);
    expect(net.trace(mark)).toEqual(['vm1:REQUEST', 'router:ACK']);
    expect(net.wire[net.wire.length - 2].msg.requestedIp).toBe(ip('192.168.1.100'));
    expect(vm.state).toBe('BOUND');
    expect(net.addressOf('vm1')).toBe(ip('192.168.1.100'));
  });

  it('declines an address another machine answers ARP for, waits 10 s, and gets another one', () => {
    const net = new Net();
    const server = net.addServer('router', homeRouter());
    net.staticHosts.add(ip('192.168.1.100')); // someone configured .100 by hand
    const vm = net.addClient('vm1', { mac: MAC1 });
    vm.start();
    net.runFor(2);
    expect(net.trace()).toEqual(['vm1:DISCOVER', 'router:OFFER', 'vm1:REQUEST', 'router:ACK', 'vm1:DECLINE']);
    const decline = net.wire[4];
    expect([decline.msg.requestedIp, decline.msg.serverId, decline.msg.ciaddr, decline.dstIp]).toEqual([ip('192.168.1.100'), ip('192.168.1.1'), 0, IPV4_BROADCAST]);
    expect(net.addressOf('vm1')).toBeNull();
    expect(vm.state).toBe('INIT');
    expect(net.log.filter((e) => e.node === 'vm1').map((e) => e.kind)).toEqual(['dhcp-declined']);
    expect(net.log.filter((e) => e.node === 'router' && e.kind === 'dhcp-declined')).toHaveLength(1);
    const declinedAt = decline.time;
    net.runFor(12);
    expect(net.wire[5].time - declinedAt).toBe(10 * S);
    expect(net.trace(declinedAt + 1)).toEqual(['vm1:DISCOVER', 'router:OFFER', 'vm1:REQUEST', 'router:ACK']);
    expect(vm.state).toBe('BOUND');
    expect(net.addressOf('vm1')).toBe(ip('192.168.1.101'));
    expect(server.leases().map((r) => [formatIpv4(r.ip), r.state])).toEqual([
      ['192.168.1.100', 'declined'],
      ['192.168.1.101', 'bound'],
    ]);
  });

  it('two clones with the same client identifier get the same address (REFERENCE confusion 7)', () => {
    const net = new Net();
    const server = net.addServer('router', homeRouter());
    // systemd-networkd derives option 61 from /etc/machine-id, which a clone keeps; the MACs differ.
    const machineId = Uint8Array.from([0xff, 0x5c, 0x3a, 0x27, 0x11, 0x00, 0x04, ...Array.from({ length: 16 }, (_, i) => i * 17)]);
    const original = net.addClient('original', { mac: MAC1, clientId: machineId, arpCheck: false });
    const clone = net.addClient('clone', { mac: MAC2, clientId: machineId, arpCheck: false });
    const other = net.addClient('other', { mac: MAC3 });
    original.start();
    net.runFor(5);
    clone.start();
    net.runFor(5);
    other.start();
    net.runFor(5);
    expect(net.addressOf('original')).toBe(ip('192.168.1.100'));
    expect(net.addressOf('clone')).toBe(ip('192.168.1.100'));
    expect(net.addressOf('other')).toBe(ip('192.168.1.101'));
    // The server sees one client that changed its MAC.
    expect(server.leases().map((r) => [formatIpv4(r.ip), r.mac, r.state])).toEqual([
      ['192.168.1.100', MAC2, 'bound'],
      ['192.168.1.101', MAC3, 'bound'],
    ]);
  });

  it('with its ARP check a clone notices the conflict, declines, and ends up on another address', () => {
    const net = new Net();
    net.addServer('router', homeRouter());
    const machineId = Uint8Array.from([0xff, 1, 2, 3, 4, 0, 4, 9, 9, 9]);
    net.addClient('original', { mac: MAC1, clientId: machineId }).start();
    net.runFor(5);
    net.addClient('clone', { mac: MAC2, clientId: machineId }).start();
    net.runFor(20);
    expect(net.addressOf('original')).toBe(ip('192.168.1.100'));
    expect(net.addressOf('clone')).toBe(ip('192.168.1.101'));
    expect(net.log.filter((e) => e.node === 'clone').map((e) => e.kind)).toEqual(['dhcp-declined', 'dhcp-bound']);
  });

  it('when the pool is exhausted the server sends no OFFER and logs it, and the client keeps trying', () => {
    const net = new Net();
    const server = net.addServer('router', homeRouter({ pools: [{ start: ip('192.168.1.100'), end: ip('192.168.1.101') }] }));
    const a = net.addClient('a', { mac: MAC1 });
    const b = net.addClient('b', { mac: MAC2 });
    const c = net.addClient('c', { mac: MAC3 });
    for (const x of [a, b, c]) x.start();
    net.runFor(30);
    expect([a.state, b.state, c.state]).toEqual(['BOUND', 'BOUND', 'SELECTING']);
    expect(net.wire.filter((s) => s.from === 'router' && s.msg.chaddr === MAC3)).toEqual([]);
    expect(net.wire.filter((s) => s.from === 'c').length).toBeGreaterThanOrEqual(3);
    expect(server.counters.exhausted).toBeGreaterThanOrEqual(3);
    const exhausted = net.log.filter((e) => e.node === 'router' && e.kind === 'error');
    expect(exhausted[0].message).toBe('home-router: DHCPDISCOVER from 08:00:27:3a:5c:33: no address available, the pool is exhausted');
    // One client releases its lease: the waiting one gets the address at its next retransmission.
    a.release();
    net.runFor(70);
    expect(c.state).toBe('BOUND');
    expect(net.addressOf('c')).toBe(ip('192.168.1.100'));
  });

  it('dhclient -r sends a RELEASE, removes the address, and the server frees it', () => {
    const net = new Net();
    const server = net.addServer('router', homeRouter());
    const vm = net.addClient('vm1', { mac: MAC1 });
    vm.start();
    net.runFor(5);
    const mark = net.sched.now;
    vm.release();
    net.runFor(1);
    expect(net.trace(mark)).toEqual(['vm1:RELEASE']);
    const rel = net.wire[net.wire.length - 1];
    expect([rel.dstIp, rel.srcIp, rel.msg.ciaddr, rel.msg.serverId]).toEqual([ip('192.168.1.1'), ip('192.168.1.100'), ip('192.168.1.100'), ip('192.168.1.1')]);
    expect(vm.state).toBe('STOPPED');
    expect(vm.lease).toBeNull();
    expect(net.addressOf('vm1')).toBeNull();
    expect(net.log.filter((e) => e.node === 'vm1').map((e) => [e.kind, e.message])[1]).toEqual(['dhcp-released', 'DHCPRELEASE of 192.168.1.100 to 192.168.1.1']);
    expect(server.leases()[0]).toMatchObject({ state: 'released', expiresInS: 0 });
    expect(server.freeCount).toBe(100);
    // Nothing more is sent: a released client stays quiet.
    net.runFor(3600);
    expect(net.trace(mark)).toEqual(['vm1:RELEASE']);
    // Run again, it asks for its old address in the DISCOVER, as dhclient does from its lease file.
    vm.start();
    net.runFor(2);
    expect(net.wire[net.wire.length - 4].msg.requestedIp).toBe(ip('192.168.1.100'));
    expect(net.addressOf('vm1')).toBe(ip('192.168.1.100'));
  });

  it('retransmits a DISCOVER after 4, 8, 16, 32 and then 64 s, each within ±1 s, keeping the xid and counting secs', () => {
    const net = new Net();
    const vm = net.addClient('vm1', { mac: MAC1 });
    vm.start();
    net.runFor(400);
    const sent = net.wire.filter((s) => s.from === 'vm1');
    const gaps = sent.slice(1).map((s, i) => (s.time - sent[i].time) / S);
    const bases = [4, 8, 16, 32, 64, 64, 64];
    expect(gaps.length).toBeGreaterThanOrEqual(bases.length);
    bases.forEach((b, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(b - 1);
      expect(gaps[i]).toBeLessThanOrEqual(b + 1);
    });
    // Randomized: not every gap is exactly the base.
    expect(gaps.slice(0, 7).some((g, i) => g !== bases[i])).toBe(true);
    expect(new Set(sent.map((s) => s.msg.xid)).size).toBe(1);
    expect(sent.map((s) => s.msg.secs)).toEqual(sent.map((s) => Math.floor((s.time - sent[0].time) / S)));
    expect(vm.state).toBe('SELECTING');
  });

  it('renew() while bound (dhclient run again, ipconfig /renew) sends a unicast REQUEST at once', () => {
    const net = new Net();
    net.addServer('router', homeRouter());
    const vm = net.addClient('vm1', { mac: MAC1 });
    vm.start();
    net.runFor(5);
    const mark = net.sched.now;
    vm.renew();
    expect(vm.state).toBe('RENEWING');
    net.runFor(1);
    expect(net.trace(mark)).toEqual(['vm1:REQUEST', 'router:ACK']);
    expect(net.wire[net.wire.length - 2].dstIp).toBe(ip('192.168.1.1'));
    expect(vm.state).toBe('BOUND');
  });

  it('ignores replies meant for another client or another exchange', () => {
    const net = new Net();
    net.addServer('router', homeRouter());
    const vm = net.addClient('vm1', { mac: MAC1 });
    vm.start();
    net.runFor(0.00015); // the OFFER is in flight
    const offer = net.wire.find((s) => s.msg.messageType === DhcpMessageType.Offer);
    if (offer === undefined) throw new Error('no offer');
    const other = offer.bytes.slice();
    other[28 + 5] ^= 1; // another chaddr
    vm.receive(other);
    const stale = offer.bytes.slice();
    stale[7] ^= 1; // another xid
    vm.receive(stale);
    expect(vm.state).toBe('SELECTING');
    vm.receive(offer.bytes);
    expect(vm.state).toBe('REQUESTING');
  });

  it('gives up REQUESTING after five unanswered REQUESTs and starts over with a DISCOVER', () => {
    const net = new Net();
    net.addServer('router', homeRouter());
    const vm = net.addClient('vm1', { mac: MAC1 });
    vm.start();
    net.runFor(0.00025); // OFFER delivered, REQUEST sent
    net.downServers.add('router');
    net.runFor(200);
    const mine = net.wire.filter((s) => s.from === 'vm1');
    expect(mine.map((s) => s.msg.messageType).slice(0, 7)).toEqual([1, 3, 3, 3, 3, 3, 1]);
    // Waits of 4, 8, 16, 32 and 64 s (±1) after each REQUEST; the last one ends in a fresh DISCOVER.
    [4, 8, 16, 32, 64].forEach((g, i) => expect(Math.abs((mine[i + 2].time - mine[i + 1].time) / S - g)).toBeLessThanOrEqual(1));
    expect(mine[6].msg.xid).not.toBe(mine[1].msg.xid);
    expect(vm.state).toBe('SELECTING');
  });

  it('the same seed gives the same bytes', () => {
    const run = (): string[] => {
      const net = new Net();
      net.addServer('router', homeRouter());
      net.addClient('vm1', { mac: MAC1, hostName: 'a' }).start();
      net.addClient('vm2', { mac: MAC2, hostName: 'b' }).start();
      net.runFor(4000);
      return net.wire.map((s) => `${s.time}:${Buffer.from(s.bytes).toString('hex')}`);
    };
    expect(run()).toEqual(run());
  });
});
