import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LabDocument } from '../../core/lab/document';
import { RunningLab } from '../../core/lab/running-lab';
import { curl } from '../../core/stack/http-client';
import { parseIpv4 } from '../../core/wire/address';

function defaultLab(): LabDocument {
  return JSON.parse(readFileSync(new URL('../../resources/labs/default.json', import.meta.url), 'utf8')) as LabDocument;
}

/** Boots the default lab with every link captured, then pings and fetches a page from vm1; returns every capture. */
function session(seed?: number): Map<string, Uint8Array> {
  const lab = new RunningLab(defaultLab(), { capture: true, seed });
  lab.settle();
  const vm1 = lab.node('vm1')!;
  const id = vm1.host.newEchoId();
  vm1.host.openEcho(id, { onReply: () => {}, onError: () => {} });
  for (let seq = 1; seq <= 3; seq++) {
    vm1.host.sendEcho(parseIpv4('114.114.114.114')!, id, seq, new Uint8Array(56));
    lab.scheduler.runFor(1_000_000);
  }
  const os = vm1.os!;
  curl(['-s', 'http://www.example.com/'], { tcp: os.tcp, resolve: (name, done) => os.resolver().lookup(name, (r) => done(r.ok ? { ok: true, addresses: [...r.addresses] } : { ok: false })) }, () => {});
  lab.scheduler.runFor(10_000_000);
  const out = new Map<string, Uint8Array>();
  for (const [name, cap] of lab.captures) out.set(name, cap.toPcap());
  return out;
}

describe('determinism', () => {
  it('the same lab, seed and actions give the same capture on every link, byte for byte', () => {
    const a = session();
    const b = session();
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    let frames = 0;
    for (const [name, bytes] of a) {
      expect(Buffer.from(b.get(name)!).equals(Buffer.from(bytes)), `capture of ${name} differs`).toBe(true);
      frames += bytes.length;
    }
    // The session really moved traffic over vm1's cable and the router's WAN.
    expect(a.get('vm1.eth0')!.length).toBeGreaterThan(2000);
    expect(a.get('router.wan')!.length).toBeGreaterThan(2000);
    expect(frames).toBeGreaterThan(10_000);
  });

  it('another seed gives other bytes (MAC-independent fields such as DHCP transaction ids change)', () => {
    const a = session(1);
    const b = session(2);
    expect(Buffer.from(a.get('vm1.eth0')!).equals(Buffer.from(b.get('vm1.eth0')!))).toBe(false);
  });
});
