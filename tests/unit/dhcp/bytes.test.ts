import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DhcpServer, type DhcpServerConfig } from '../../../core/devices/dhcp-server';
import { Random } from '../../../core/sim/random';
import { Scheduler } from '../../../core/sim/scheduler';
import { DhcpClient, type DhcpClientOptions } from '../../../core/stack/dhcp-client';
import { IPV4_BROADCAST, MAC_BROADCAST, type Ipv4Addr, type MacAddr } from '../../../core/wire/address';
import { fromHex, getU32, setU32, toHex } from '../../../core/wire/bytes';
import { ip } from './harness';

const DIR = join(__dirname, '../../fixtures/dhcp');
const S = 1_000_000;
const fixture = (name: string): Uint8Array => fromHex(readFileSync(join(DIR, `${name}.hex`), 'utf8'));
const withXid = (b: Uint8Array, xid: number): Uint8Array => {
  const c = b.slice();
  setU32(c, 4, xid);
  return c;
};
const xidOf = (b: Uint8Array): number => getU32(b, 4);

interface Out {
  bytes: Uint8Array;
  dst: Ipv4Addr;
  mac?: MacAddr;
  src?: Ipv4Addr;
}

function soloClient(options: DhcpClientOptions) {
  const sched = new Scheduler();
  const out: Out[] = [];
  const client = new DhcpClient(
    {
      get now() {
        return sched.now;
      },
      schedule: (d, fn) => sched.timer(d, (f: () => void) => f(), fn),
      cancel: (id) => sched.cancel(id),
      random: new Random(42),
      sendBroadcast: (bytes, src) => out.push({ bytes, dst: IPV4_BROADCAST, src }),
      sendUnicast: (dst, bytes) => out.push({ bytes, dst }),
      configure: () => {},
      deconfigure: () => {},
      arpProbe: (_ip, done) => done(false),
      log: () => {},
    },
    options,
  );
  return { sched, out, client };
}

function soloServer(config: DhcpServerConfig) {
  const sched = new Scheduler();
  const out: Out[] = [];
  const server = new DhcpServer(
    {
      get now() {
        return sched.now;
      },
      schedule: (d, fn) => sched.timer(d, (f: () => void) => f(), fn),
      cancel: (id) => sched.cancel(id),
      send: (bytes, dst, mac) => out.push({ bytes, dst, mac }),
      log: () => {},
    },
    config,
  );
  return { sched, out, server };
}

// The setting of the fixtures: dnsmasq on a home router at 192.168.1.1.
const DNSMASQ: DhcpServerConfig = {
  name: 'dnsmasq',
  serverIp: ip('192.168.1.1'),
  network: ip('192.168.1.0'),
  prefix: 24,
  pools: [{ start: ip('192.168.1.100'), end: ip('192.168.1.199') }],
  router: ip('192.168.1.1'),
  dnsServers: [ip('192.168.1.1')],
  domain: 'lan',
  leaseTimeS: 43200,
};
const DHCLIENT: DhcpClientOptions = { mac: 0x0800273a5c11, hostName: 'ubuntu-vm', clientId: null };

describe('our client writes the bytes a Linux dhclient writes', () => {
  it('DISCOVER, REQUEST after an OFFER 3 s later, the renewal at T1, and the RELEASE', () => {
    const { sched, out, client } = soloClient(DHCLIENT);
    client.start();
    const discover = out[0].bytes;
    expect(toHex(discover)).toBe(toHex(withXid(fixture('discover-dhclient'), xidOf(discover))));
    sched.runFor(3 * S);
    client.receive(withXid(fixture('offer-dnsmasq'), xidOf(discover)));
    const request = out[1].bytes;
    expect(toHex(request)).toBe(toHex(withXid(fixture('request-dhclient'), xidOf(discover))));
    client.receive(withXid(fixture('ack-dnsmasq'), xidOf(discover)));
    expect(client.state).toBe('BOUND');
    sched.runFor(21600 * S);
    expect(client.state).toBe('RENEWING');
    const renew = out[2];
    expect(renew.dst).toBe(ip('192.168.1.1'));
    expect(toHex(renew.bytes)).toBe(toHex(withXid(fixture('request-renew'), xidOf(renew.bytes))));
    client.receive(withXid(fixture('ack-dnsmasq'), xidOf(renew.bytes)));
    expect(client.state).toBe('BOUND');
    client.release();
    const release = out[3];
    expect(release.dst).toBe(ip('192.168.1.1'));
    expect(toHex(release.bytes)).toBe(toHex(withXid(fixture('release-dhclient'), xidOf(release.bytes))));
  });

  it('DISCOVER asking for the previous address, and DECLINE', () => {
    const probe: ((inUse: boolean) => void)[] = [];
    const sched = new Scheduler();
    const out: Uint8Array[] = [];
    const client = new DhcpClient(
      {
        get now() {
          return sched.now;
        },
        schedule: (d, fn) => sched.timer(d, (f: () => void) => f(), fn),
        cancel: (id) => sched.cancel(id),
        random: new Random(9),
        sendBroadcast: (b) => out.push(b),
        sendUnicast: (_d, b) => out.push(b),
        configure: () => {},
        deconfigure: () => {},
        arpProbe: (_ip, done) => probe.push(done),
        log: () => {},
      },
      DHCLIENT,
    );
    client.start();
    sched.runFor(3 * S);
    client.receive(withXid(fixture('offer-dnsmasq'), xidOf(out[0])));
    client.receive(withXid(fixture('ack-dnsmasq'), xidOf(out[0])));
    expect(client.state).toBe('REQUESTING');
    expect(probe).toHaveLength(1);
    probe[0](true);
    expect(toHex(out[2])).toBe(toHex(withXid(fixture('decline-dhclient'), xidOf(out[2]))));
    // A new DISCOVER after a decline does not ask for the declined address; after a release it asks for the old one.
    sched.runFor(10 * S);
    expect(toHex(out[3])).toBe(toHex(withXid(fixture('discover-dhclient'), xidOf(out[3]))));
    sched.runFor(3 * S);
    client.receive(withXid(fixture('offer-dnsmasq'), xidOf(out[3])));
    client.receive(withXid(fixture('ack-dnsmasq'), xidOf(out[3])));
    probe[1](false);
    expect(client.state).toBe('BOUND');
    client.release();
    client.start();
    const again = out[out.length - 1];
    expect(toHex(again)).toBe(toHex(withXid(fixture('discover-dhclient-previous'), xidOf(again))));
  });

  it('INIT-REBOOT with a remembered lease', () => {
    const lease = {
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
    const { out, client } = soloClient({ ...DHCLIENT, lease });
    client.start();
    expect(client.state).toBe('REBOOTING');
    expect(toHex(out[0].bytes)).toBe(toHex(withXid(fixture('request-init-reboot'), xidOf(out[0].bytes))));
    client.receive(withXid(fixture('nak-dnsmasq'), xidOf(out[0].bytes)));
    expect(client.state).toBe('SELECTING');
  });
});

describe('our server writes the bytes dnsmasq writes', () => {
  it('OFFER to a DISCOVER and ACK to the REQUEST, sent to the offered address at the MAC', () => {
    const { out, server } = soloServer(DNSMASQ);
    server.receive(fixture('discover-dhclient'));
    expect(toHex(out[0].bytes)).toBe(toHex(fixture('offer-dnsmasq')));
    expect([out[0].dst, out[0].mac]).toEqual([ip('192.168.1.100'), 0x0800273a5c11]);
    server.receive(fixture('request-dhclient'));
    expect(toHex(out[1].bytes)).toBe(toHex(fixture('ack-dnsmasq')));
  });

  it('NAK, broadcast, to an INIT-REBOOT for an address of another network', () => {
    const { out, server } = soloServer(DNSMASQ);
    server.receive(fixture('request-init-reboot'));
    expect(toHex(out[0].bytes)).toBe(toHex(fixture('nak-dnsmasq')));
    expect([out[0].dst, out[0].mac]).toEqual([IPV4_BROADCAST, MAC_BROADCAST]);
  });

  it('an ACK with options only to an INFORM, sent to ciaddr', () => {
    const { out, server } = soloServer({ ...DNSMASQ, dnsServers: [ip('192.168.1.1'), ip('1.1.1.1')] });
    server.receive(fixture('inform-dhclient'));
    expect(toHex(out[0].bytes)).toBe(toHex(fixture('ack-inform-dnsmasq')));
    expect([out[0].dst, out[0].mac]).toEqual([ip('192.168.1.100'), 0x0800273a5c11]);
    expect(server.leases()).toEqual([]);
  });
});
