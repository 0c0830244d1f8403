// Benchmark: frames per second one learning switch forwards between hosts, on the real Scheduler and Links.
import { Switch } from '../../core/devices/switch';
import { Link, Port } from '../../core/sim/link';
import { Scheduler } from '../../core/sim/scheduler';
import { emitEthernetHeader, ETHERTYPE_IPV4, ETHERNET_MIN_FRAME, ETHERTYPE_ARP } from '../../core/wire/ethernet';
import { MAC_BROADCAST } from '../../core/wire/address';

const HOSTS = 8;
/** Frames each host keeps in flight: every frame a host receives makes it send the next one. */
const WINDOW = 4;

function frameTo(dst: number, src: number, ethertype: number): Uint8Array {
  const f = new Uint8Array(ETHERNET_MIN_FRAME);
  emitEthernetHeader({ dst, src, ethertype }, f);
  return f;
}

/**
 * Eight minimal hosts (a Port each, no stack) on one switch. Host i sends pre-built 60-byte unicast
 * frames to host i+1; each frame received makes the receiver send its next one, so the number in
 * flight stays constant. After a learning round (one broadcast from each host) every frame is
 * known unicast, which is the switch's steady state. Returns frames forwarded per second of wall time.
 */
export async function switchFps(durationMs = 1500): Promise<number> {
  const sched = new Scheduler();
  const sw = new Switch('bench', sched);
  const mac = (i: number): number => 0x080027000000 + i + 1;
  const hosts: Port[] = [];
  let received = 0;
  for (let i = 0; i < HOSTS; i++) {
    const h = new Port(`h${i}`, 'eth0');
    new Link(sched, h, sw.addPort());
    const next = frameTo(mac((i + 1) % HOSTS), mac(i), ETHERTYPE_IPV4);
    h.onFrame = (): void => {
      received++;
      h.send(next);
    };
    hosts.push(h);
  }
  // Learning round: broadcasts teach the switch every MAC; hosts do not answer them.
  const answer = hosts.map((h) => h.onFrame);
  for (const h of hosts) h.onFrame = (): void => {};
  for (let i = 0; i < HOSTS; i++) hosts[i].send(frameTo(MAC_BROADCAST, mac(i), ETHERTYPE_ARP));
  sched.runUntilIdle();
  hosts.forEach((h, i) => (h.onFrame = answer[i]));
  for (let i = 0; i < HOSTS; i++) for (let k = 0; k < WINDOW; k++) hosts[i].send(frameTo(mac((i + 1) % HOSTS), mac(i), ETHERTYPE_IPV4));

  // Warm-up so the optimising compiler has run, then timed slices of a fixed number of events.
  sched.runUntilIdle(2_000_000);
  const floodsBefore = sw.portStats().reduce((n, p) => n + p.floods, 0);
  received = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    sched.runUntilIdle(1_000_000);
    elapsed = performance.now() - t0;
  }
  const floods = sw.portStats().reduce((n, p) => n + p.floods, 0) - floodsBefore;
  if (floods !== 0) throw new Error(`benchmark flooded ${floods} frames: the MAC table did not hold`);
  return received / (elapsed / 1000);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (let i = 0; i < 3; i++) console.log(`switch_fps ${Math.round(await switchFps())}`);
}
