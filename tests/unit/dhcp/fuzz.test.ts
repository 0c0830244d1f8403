import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DhcpServer } from '../../../core/devices/dhcp-server';
import { Random } from '../../../core/sim/random';
import { DhcpClient } from '../../../core/stack/dhcp-client';
import { fromHex, toHex } from '../../../core/wire/bytes';
import { DhcpView, encodeDhcp, parseDhcp } from '../../../core/wire/dhcp';
import { fuzzInputs } from '../../support/fuzz';

const DIR = join(__dirname, '../../fixtures/dhcp');
const seeds = readdirSync(DIR)
  .filter((f) => f.endsWith('.hex'))
  .map((f) => fromHex(readFileSync(join(DIR, f), 'utf8')));

describe('DHCP fuzzing', () => {
  it('parses 100,000 random and mutated messages without throwing, and what parses re-emits to a fixed point', () => {
    const v = new DhcpView();
    let parsed = 0;
    for (const input of fuzzInputs(0xd4c9, 100_000, seeds)) {
      v.wrap(input);
      if (v.check()) {
        void v.messageType;
        void v.xid;
        v.u32Option(54);
      }
      const p = parseDhcp(input);
      if (!p.ok) {
        expect(typeof p.error.message).toBe('string');
        continue;
      }
      parsed++;
      const again = parseDhcp(encodeDhcp(p.value));
      if (!again.ok) throw new Error(`re-emitted message does not parse: ${again.error.message} (${toHex(input)})`);
      expect(toHex(encodeDhcp(again.value))).toBe(toHex(encodeDhcp(p.value)));
    }
    // The mutations must reach the option decoder, not only the header checks.
    expect(parsed).toBeGreaterThan(10_000);
  });

  it('the client and the server drop 20,000 hostile messages without throwing', () => {
    const noop = (): void => {};
    let now = 0;
    const env = {
      get now() {
        return now;
      },
      schedule: () => 1,
      cancel: noop,
      log: noop,
    };
    const server = new DhcpServer({ ...env, now: 0, send: noop }, { name: 'fuzz', serverIp: 0xc0a80101, network: 0xc0a80100, prefix: 24, pools: [{ start: 0xc0a80164, end: 0xc0a801c7 }] });
    const client = new DhcpClient(
      { ...env, now: 0, random: new Random(3), sendBroadcast: noop, sendUnicast: noop, configure: noop, deconfigure: noop, arpProbe: (_ip, done) => done(false), log: noop },
      { mac: 0x0800273a5c11 },
    );
    client.start();
    for (const input of fuzzInputs(77, 20_000, seeds)) {
      now += 1000;
      server.receive(input);
      client.receive(input);
    }
    expect(server.counters.received).toBe(20_000);
  });
});
