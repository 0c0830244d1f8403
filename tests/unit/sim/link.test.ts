import { describe, expect, it } from 'vitest';
import { Capture } from '../../../core/sim/capture';
import { Link, Port } from '../../../core/sim/link';
import { Scheduler } from '../../../core/sim/scheduler';
import { readPcap } from '../../../core/wire/pcap';

describe('links', () => {
  it('delivers a frame to the far port after the link delay, and a capture tap keeps a copy', () => {
    const s = new Scheduler();
    const a = new Port('pc1', 'eth0');
    const b = new Port('pc2', 'eth0');
    const link = new Link(s, a, b, { delayUs: 7, name: 'cable' });
    const cap = new Capture('cable');
    link.taps.push(cap);
    const got: Array<[number, number[]]> = [];
    b.onFrame = (f) => got.push([s.now, [...f]]);
    const frame = Uint8Array.from([1, 2, 3]);
    expect(a.send(frame)).toBe(true);
    frame[0] = 99; // the capture must not see later changes
    s.runUntilIdle();
    expect(got).toEqual([[7, [99, 2, 3]]]);
    const pcap = readPcap(cap.toPcap());
    expect(pcap?.linktype).toBe(1);
    expect(pcap?.records.map((r) => [...r.frame])).toEqual([[1, 2, 3]]);
    expect(cap.frame(1)?.from).toBe('pc1.eth0');
  });

  it('an unplugged cable drops frames and both ends lose carrier', () => {
    const s = new Scheduler();
    const a = new Port('vm1', 'eth0');
    const b = new Port('switch', '1');
    const changes: string[] = [];
    a.onCarrier = (up) => changes.push(`a:${up}`);
    b.onCarrier = (up) => changes.push(`b:${up}`);
    const link = new Link(s, a, b);
    expect(changes).toEqual(['a:true', 'b:true']);
    link.connected = false;
    expect(a.carrier).toBe(false);
    expect(a.send(new Uint8Array(60))).toBe(false);
    expect(a.drops).toBe(1);
    a.adminUp = false;
    link.connected = true;
    expect(a.carrier).toBe(false);
    expect(b.carrier).toBe(false);
    a.adminUp = true;
    expect(changes).toEqual(['a:true', 'b:true', 'a:false', 'b:false', 'a:true', 'b:true']);
  });
});

describe('a cable moved while a frame is on it', () => {
  it('the frame is lost with the old cable, not delivered to the port through its new cable', () => {
    const s = new Scheduler();
    const vm = new Port('vm1', 'eth0');
    const nat = new Port('nat', 'eth0');
    const real = new Port('tunnel', 'udp');
    const old = new Link(s, vm, nat, { delayUs: 50 });
    const got: string[] = [];
    nat.onFrame = () => got.push('nat');
    vm.send(new Uint8Array(60));
    // The NAT's port now takes a real machine's cable (it stands in vm1's place) before the frame arrives.
    old.unplug();
    new Link(s, real, nat, { delayUs: 50 });
    s.runUntilIdle();
    expect(got).toEqual([]);
    expect(nat.drops).toBe(1);
    real.send(new Uint8Array(60));
    s.runUntilIdle();
    expect(got).toEqual(['nat']);
  });
});
