// Benchmark: DHCP clients brought from INIT to BOUND per wall second, through the real engines and bytes on the Scheduler.
import { DhcpServer } from '../../core/devices/dhcp-server';
import { Random } from '../../core/sim/random';
import { Scheduler } from '../../core/sim/scheduler';
import { DhcpClient, type DhcpClientEnv } from '../../core/stack/dhcp-client';
import { MAC_BROADCAST, parseIpv4 } from '../../core/wire/address';

const US = 1_000_000;
const DELIVERY_US = 100;
const callIt = (f: () => void): void => f();

/**
 * One DHCP server (10.0.0.0/16, a 65,000-address pool) and `clients` DhcpClients, each sending real
 * DHCP bytes: DISCOVER, OFFER, REQUEST, ACK, an ARP probe answered after 1 ms, then configure. Messages
 * travel as scheduler events 100 µs later, without Ethernet/IP framing or a switch: a broadcast reaches
 * the server, a reply reaches the client whose MAC it is addressed to (on a real switch every client
 * would also see each other's broadcasts and drop them, which measures the switch, not DHCP).
 * Clients start 10 µs apart. Returns `{ clientsPerS, bound }`.
 */
function run(clients: number): { clientsPerS: number; bound: number } {
  const t0 = performance.now();
  const sched = new Scheduler();
  const byMac = new Map<number, DhcpClient>();
  const deliverToServer = (payload: Uint8Array): void => server.receive(payload);
  const deliverToClient = (arg: { payload: Uint8Array; mac: number }): void => {
    if (arg.mac === MAC_BROADCAST) {
      // Only NAKs are broadcast in this run; hand them to every client as a switch would flood them.
      for (const c of byMac.values()) c.receive(arg.payload);
    } else byMac.get(arg.mac)?.receive(arg.payload);
  };
  const server = new DhcpServer(
    {
      get now() {
        return sched.now;
      },
      schedule: (d, fn) => sched.timer(d, callIt, fn),
      cancel: (id) => sched.cancel(id),
      send: (payload, _dstIp, mac) => sched.schedule(DELIVERY_US, deliverToClient, { payload, mac }),
      log: () => {},
    },
    {
      name: 'bench',
      serverIp: parseIpv4('10.0.0.1') as number,
      network: parseIpv4('10.0.0.0') as number,
      prefix: 16,
      pools: [{ start: parseIpv4('10.0.0.10') as number, end: parseIpv4('10.0.255.250') as number }],
      router: parseIpv4('10.0.0.1') as number,
      dnsServers: [parseIpv4('10.0.0.1') as number],
      domain: 'bench.lab',
      leaseTimeS: 86400,
    },
  );
  let bound = 0;
  const probeDone = (done: (inUse: boolean) => void): void => done(false);
  // One environment serves every client: replies find their client by MAC, not by environment.
  const env: DhcpClientEnv = {
    get now() {
      return sched.now;
    },
    schedule: (d, fn) => sched.timer(d, callIt, fn),
    cancel: (id) => sched.cancel(id),
    random: new Random(2131),
    sendBroadcast: (payload) => sched.schedule(DELIVERY_US, deliverToServer, payload),
    sendUnicast: (_ip, payload) => sched.schedule(DELIVERY_US, deliverToServer, payload),
    configure: () => {
      bound++;
    },
    deconfigure: () => {},
    arpProbe: (_ip, done) => sched.schedule(1000, probeDone, done),
    log: () => {},
  };
  for (let i = 0; i < clients; i++) {
    const mac = 0x080027000000 + i + 1;
    const c = new DhcpClient(env, { mac, hostName: `vm${i}` });
    byMac.set(mac, c);
    sched.schedule(i * 10, (cl: DhcpClient) => cl.start(), c);
  }
  sched.runUntil(clients * 10 + 10 * US);
  const wallS = (performance.now() - t0) / 1000;
  if (bound !== clients) throw new Error(`only ${bound} of ${clients} clients were bound`);
  const rows = server.leases();
  if (rows.length !== clients || rows.some((r) => r.state !== 'bound')) throw new Error('the server lease table does not show every client bound');
  return { clientsPerS: clients / wallS, bound };
}

/** Clients from INIT to BOUND per wall second, for 10,000 clients (after a warm-up run of 5,000). */
export async function dhcpClientsPerS(): Promise<number> {
  run(5000);
  return run(10_000).clientsPerS;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (let i = 0; i < 3; i++) console.log(`dhcp_clients_per_s ${Math.round(await dhcpClientsPerS())}`);
}
