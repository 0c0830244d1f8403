import { describe, expect, it } from 'vitest';
import { apacheSite, exampleDotCom, HttpServer } from '../../core/devices/http-server';
import { masquerade } from '../../core/devices/masquerade';
import { curl, type CurlResult } from '../../core/stack/http-client';
import { attachTcp } from '../../core/stack/tcp-on-host';
import { NatEngine } from '../../core/devices/nat-engine';
import { startDhcpClient, startDhcpServer } from '../../core/stack/dhcp-on-host';
import type { Host } from '../../core/stack/host';
import type { NetInterface } from '../../core/stack/interface';
import { formatIpv4 } from '../../core/wire/address';
import { ip, pingOnce, World } from '../support/world';

/** A home network: router 192.168.1.1 with DHCP on the LAN and masquerade to 203.0.113.2, an outside host 198.51.100.7. */
function home(leaseS = 600) {
  const w = new World(7);
  const lan = w.switch('lan');
  const wan = w.switch('wan');
  const router = w.host('router');
  const rl = router.addInterface('lan', w.nextMac());
  const rw = router.addInterface('wan', w.nextMac());
  w.cable(rl.port!, lan.addPort());
  w.cable(rw.port!, wan.addPort());
  router.addAddress(rl, ip('192.168.1.1'), 24);
  router.addAddress(rw, ip('203.0.113.2'), 24);
  router.setForwarding(true);
  const nat = new NatEngine('router', { log: (k, m) => router.log(k, m) });
  masquerade(router, rw, nat);
  const dhcp = startDhcpServer(router, rl, {
    name: 'router',
    serverIp: ip('192.168.1.1'),
    network: ip('192.168.1.0'),
    prefix: 24,
    pools: [{ start: ip('192.168.1.100'), end: ip('192.168.1.199') }],
    router: ip('192.168.1.1'),
    dnsServers: [ip('192.168.1.1')],
    leaseTimeS: leaseS,
  })!;
  const outside = w.hostOn('outside', wan.addPort(), '198.51.100.7/24');
  // The outside host's network and the router's WAN meet on one wire; each routes to the other directly.
  outside.host.addAddress(outside.eth0, ip('203.0.113.7'), 24);
  router.addRoute({ dst: 0, prefix: 0, gateway: ip('203.0.113.7'), iface: rw, metric: 0, proto: 'static', src: 0 });
  const pc = w.hostOn('pc', lan.addPort());
  const client = dhcpClientOn(pc.host, pc.eth0);
  return { w, router, nat, dhcp, outside, pc, client };
}

function dhcpClientOn(host: Host, iface: NetInterface) {
  return startDhcpClient(host, iface, { hostName: host.name }, {
    configure: (lease) => {
      if (!iface.hasAddress(lease.address)) host.addAddress(iface, lease.address, lease.prefix, 'dhcp', lease.expiresUs);
      if (lease.router !== null && !host.routes.defaultRoute()) host.addRoute({ dst: 0, prefix: 0, gateway: lease.router, iface, metric: 100, proto: 'dhcp', src: 0 });
    },
    deconfigure: (lease) => {
      host.removeAddress(iface, lease.address);
    },
  })!.client;
}

describe('DHCP on a home LAN', () => {
  it('a client gets the first address of the pool and the lease shows on the server', () => {
    const h = home();
    h.client.start();
    h.w.run(5);
    expect(h.client.state).toBe('BOUND');
    expect(h.pc.eth0.addresses.map((a) => `${formatIpv4(a.address)}/${a.prefix}`)).toEqual(['192.168.1.100/24']);
    const rows = h.dhcp.server.leases();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ip: ip('192.168.1.100'), mac: h.pc.eth0.mac, hostname: 'pc', state: 'bound' });
  });

  it('the client renews at T1 (half the lease) and the server extends the lease', () => {
    const h = home(600);
    h.client.start();
    h.w.run(5);
    const firstExpiry = h.client.lease!.expiresUs;
    h.w.run(290); // just before T1 = 300 s
    expect(h.client.state).toBe('BOUND');
    h.w.run(10);
    expect(h.client.state).toBe('BOUND');
    expect(h.client.lease!.expiresUs).toBeGreaterThan(firstExpiry + 290_000_000);
    expect(h.dhcp.server.leases()[0].expiresInS).toBeGreaterThan(590);
  });

  it('a lease expires when the clock passes it: the server marks it expired and the client loses the address', () => {
    const h = home(600);
    h.client.start();
    h.w.run(5);
    h.dhcp.socket.close(); // the server goes away
    h.w.run(610);
    expect(h.dhcp.server.leases()[0].state).toBe('expired');
    expect(h.pc.eth0.addresses).toHaveLength(0);
    expect(h.w.log.entries.some((e) => e.node === 'pc' && e.kind === 'dhcp-expired')).toBe(true);
  });
});

describe('NAT on a home router', () => {
  it('a host behind the NAT pings the outside; the NAT table shows the translation until the ICMP timeout', () => {
    const h = home();
    h.client.start();
    h.w.run(5);
    expect(pingOnce(h.w, h.pc.host, '198.51.100.7')).toEqual({ reply: true, from: '198.51.100.7', ttl: 63 });
    const rows = h.nat.rows(h.w.scheduler.now);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ proto: 'icmp', insideIp: ip('192.168.1.100'), outsideIp: ip('203.0.113.2'), remoteIp: ip('198.51.100.7') });
    expect(rows[0].expiresInS).toBeGreaterThan(25);
    h.w.run(31);
    expect(h.nat.rows(h.w.scheduler.now)).toHaveLength(0);
  });

  it('the outside cannot reach a LAN host; the router answers for itself', () => {
    const h = home();
    h.client.start();
    h.w.run(5);
    h.outside.host.addRoute({ dst: ip('192.168.1.0'), prefix: 24, gateway: ip('203.0.113.2'), iface: h.outside.eth0, metric: 0, proto: 'static', src: 0 });
    expect(pingOnce(h.w, h.outside.host, '192.168.1.100').reply).toBe(false);
    expect(pingOnce(h.w, h.outside.host, '203.0.113.2').reply).toBe(true);
  });
});

const tcpOf = new Map<Host, ReturnType<typeof attachTcp>>();
function fetch(w: World, from: Host, url: string, seconds = 5): CurlResult | null {
  const tcp = tcpOf.get(from) ?? attachTcp(from);
  tcpOf.set(from, tcp);
  let result: CurlResult | null = null;
  curl(['-s', url], { tcp, resolve: (_name, done) => done({ ok: false }) }, (r) => (result = r));
  w.run(seconds);
  return result;
}

describe('TCP through the home router', () => {
  it('a LAN host fetches a page from the outside through the NAT, and the NAT table shows the TCP connection', () => {
    const h = home();
    h.client.start();
    h.w.run(5);
    new HttpServer(attachTcp(h.outside.host), exampleDotCom()).start();
    const r = fetch(h.w, h.pc.host, 'http://198.51.100.7/');
    expect(r?.exitCode).toBe(0);
    expect(r?.stdout).toContain('Example Domain');
    const tcpRows = h.nat.rows(h.w.scheduler.now).filter((row) => row.proto === 'tcp');
    expect(tcpRows).toHaveLength(1);
    expect(tcpRows[0]).toMatchObject({ insideIp: ip('192.168.1.100'), outsideIp: ip('203.0.113.2'), remoteIp: ip('198.51.100.7'), remotePort: 80 });
  });

  it('the outside cannot start a connection in without a port-forwarding rule, and can with one', () => {
    const h = home();
    h.client.start();
    h.w.run(5);
    attachTcp(h.router);
    new HttpServer(attachTcp(h.pc.host), apacheSite('pc')).start();
    const refused = fetch(h.w, h.outside.host, 'http://203.0.113.2:8080/');
    expect(refused?.exitCode).toBe(7);
    expect(h.nat.addRule({ name: 'web', proto: 'tcp', hostIp: 0, hostPort: 8080, guestIp: ip('192.168.1.100'), guestPort: 80 })).toBeNull();
    const ok = fetch(h.w, h.outside.host, 'http://203.0.113.2:8080/');
    expect(ok?.exitCode).toBe(0);
    expect(ok?.stdout).toContain('<h1>Welcome to pc</h1>');
  });
});
