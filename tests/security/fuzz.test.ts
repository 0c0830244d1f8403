// Fuzz of the lab host over both transports: thousands of random and mutated requests, each answered with a typed answer, the lab consistent after.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Answer, LabClient, RequestName } from '../../core/api/contract';
import type { LabDocument } from '../../core/lab/document';
import { LabHost } from '../../electron/host/lab-host';
import { connectInProcess } from '../../electron/transport/in-process';
import { buildCli, connectAsPage, ROOT, type ServeProcess, startServe } from '../contract/serve-process';
import { fuzzRequests, MUST_FAIL } from './request-fuzz';

const COUNT = 3000;
const CODES = ['bad-request', 'not-found', 'refused', 'failed', 'internal'];
const doc = JSON.parse(readFileSync(resolve(ROOT, 'resources/labs/default.json'), 'utf8')) as LabDocument;

/** Valid parameters per request, for the mutations to start from. */
const samples: Partial<Record<RequestName, unknown>> = {
  'lab.get': {},
  'vm.setVirtualBoxAdapter': { vm: 'vm1', adapter: doc.vms[0].virtualbox!.adapters[0] },
  'vm.setVmwareAdapter': { vm: 'vm1', adapter: { slot: 0, present: true, connectionType: 'nat', connected: true, startConnected: true, virtualDev: 'e1000', mac: '00:0c:29:00:00:01', addressType: 'generated' } },
  'vm.setGuest': { vm: 'vm2', guest: doc.vms[1].guest },
  'vm.setRunning': { vm: 'vm3', running: false },
  'host.setVirtualBox': { virtualbox: doc.virtualbox },
  'host.setVmware': { vmware: { vmnets: [], lanSegments: [] } },
  'file.open': { path: '/nonexistent/lab.json' },
  'file.openBundled': { name: 'default' },
  'file.saveAs': { path: '/nonexistent/lab.json' },
  'shell.run': { node: 'vm1', line: 'ip addr' },
  'shell.interrupt': { node: 'vm1' },
  'shell.prompt': { node: 'vm1' },
  'tables.leases': { server: 'router' },
  'tables.nat': { engine: 'router' },
  'tables.arp': { node: 'vm1' },
  'tables.routes': { node: 'vm1' },
  'tables.events': { since: 1 },
  'capture.start': { link: 'vm1.eth0' },
  'capture.stop': { link: 'vm1.eth0' },
  'capture.clear': { link: 'vm1.eth0' },
  'capture.frames': { link: 'vm1.eth0', from: 1, limit: 10 },
  'capture.frame': { link: 'vm1.eth0', number: 1 },
  'capture.export': { link: 'vm1.eth0' },
  'clock.step': { us: 1000 },
  'clock.setSpeed': { speed: 2 },
};

function expectTyped(a: Answer<unknown>, what: string): void {
  expect(typeof a, what).toBe('object');
  if (a.ok) return;
  expect(CODES, what).toContain(a.error.code);
  expect(typeof a.error.message, what).toBe('string');
  expect(a.error.code, `${what}: ${a.error.message}`).not.toBe('internal');
}

async function documentOf(client: LabClient): Promise<string> {
  const a = await client.request('lab.get', {});
  if (!a.ok) throw new Error(`lab.get failed: ${a.error.message}`);
  return JSON.stringify(a.result.document);
}

const isClosed = (a: Answer<unknown>): boolean => !a.ok && a.error.code === 'failed' && /connection to the lab (is )?closed/.test(a.error.message);

/** Sends the fuzz; after every refused request the document must be what it was. Returns how many were accepted. */
async function fuzz(first: LabClient, seed: number, reconnect?: () => Promise<LabClient>): Promise<{ accepted: number; reconnects: number; codes: Set<string> }> {
  const codes = new Set<string>();
  let client = first;
  await client.request('clock.pause', {});
  let expected = await documentOf(client);
  let accepted = 0;
  let reconnects = 0;
  let i = 0;
  for (const r of fuzzRequests(seed, COUNT, samples)) {
    i++;
    const what = `request ${i}: ${r.name.slice(0, 40)} ${String(JSON.stringify(r.params) ?? 'undefined').slice(0, 120)}`;
    const a = await client.request(r.name as RequestName, r.params as never);
    if (reconnect && isClosed(a)) {
      // Only a message above the size limit closes the connection; the server goes on.
      client = await reconnect();
      reconnects++;
      expect(await documentOf(client)).toBe(expected);
      continue;
    }
    expectTyped(a, what);
    codes.add(a.ok ? 'ok' : a.error.code);
    if (a.ok) {
      expect(MUST_FAIL.has(r.name), what).toBe(false);
      accepted++;
      expected = await documentOf(client);
    } else {
      expect(await documentOf(client), what).toBe(expected);
    }
  }
  // Still answering, consistently.
  expect(await documentOf(client)).toBe(expected);
  expect(await documentOf(client)).toBe(expected);
  const machines = await client.request('lab.machines', {});
  expect(machines.ok).toBe(true);
  // Every kind of answer came up: accepted, malformed, unknown targets, refused changes.
  expect([...codes].sort()).toEqual(['bad-request', 'not-found', 'ok', 'refused']);
  return { accepted, reconnects, codes };
}

describe('fuzzing the lab host', () => {
  it(`answers ${COUNT} random and mutated requests over the in-process pair, and stays consistent`, async () => {
    const logs: string[] = [];
    const host = new LabHost({ labsDir: resolve(ROOT, 'resources/labs'), log: (m) => logs.push(m), play: false });
    const errors: string[] = [];
    const client = connectInProcess(host, { onError: (m) => errors.push(m) });
    const { accepted } = await fuzz(client, 1, undefined);
    expect(accepted).toBeGreaterThan(50);
    expect(logs.filter((l) => /internal error/.test(l))).toEqual([]);
    expect(logs.some((l) => /bad-request/.test(l))).toBe(true);
    expect(errors).toEqual([]);
    // No prototype was polluted along the way.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    client.close();
    host.close();
  });

  describe('over a WebSocket to vmnetlab serve', () => {
    let serve: ServeProcess;

    beforeAll(async () => {
      await buildCli();
      serve = await startServe();
    });

    afterAll(async () => {
      expect(await serve.stop()).toBe(0);
    });

    it(`answers ${COUNT} random and mutated requests, and stays consistent`, async () => {
      const connect = async (): Promise<LabClient> => {
        const c = connectAsPage(serve);
        await c.ready;
        return c;
      };
      const { accepted } = await fuzz(await connect(), 2, connect);
      expect(accepted).toBeGreaterThan(50);
      expect(serve.stderr()).not.toMatch(/internal error/);
    });

    it('answers malformed messages with an error or closes with a reason, and keeps serving', async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${serve.port}/ws`, ['vmnetlab.v1', `vmnetlab.token.${serve.token}`], { origin: serve.origin });
      const answers: Array<Record<string, unknown>> = [];
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString()) as Record<string, unknown>;
        if (!('event' in m)) answers.push(m);
      });
      await new Promise((r, j) => {
        ws.once('open', r);
        ws.once('error', j);
      });
      const bad: Array<string | Buffer> = [
        'not json',
        '',
        '[]',
        '42',
        'null',
        '"lab.get"',
        '{}',
        '{"id": {"x": 1}, "name": "lab.get"}',
        `{"id": "${'9'.repeat(500)}", "name": "lab.get"}`,
        '{"id": 1}',
        '{"id": 2, "name": 7}',
        '{"id": 3, "name": "lab.get", "params": {"__proto__": {"x": 1}}}',
        '{"id": 4, "name": "__proto__", "params": {}}',
        '{"id": 5, "name": "constructor"}',
        '{"id": 6, "name": "lab.get", "params": [1, 2]}',
        Buffer.from([0, 1, 2, 255]),
        '{"id": 7, "name": "lab.get"}',
      ];
      for (const m of bad) ws.send(m, { binary: Buffer.isBuffer(m) });
      const deadline = Date.now() + 10_000;
      while (answers.length < bad.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(answers.length).toBe(bad.length);
      // Answers to requests the host looked at come later than those refused at the door: match by id.
      expect(answers.filter((a) => a.id !== 7).every((a) => a.ok === false && (a.error as { code: string }).code === 'bad-request')).toBe(true);
      expect(answers.find((a) => a.id === 7)).toMatchObject({ ok: true });
      // A frame over the size limit: closed with 1009, "Message Too Big".
      const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
      ws.send(JSON.stringify({ id: 8, name: 'lab.get', params: { x: 'x'.repeat(9 * 1024 * 1024) } }));
      const c = await closed;
      expect(c.code).toBe(1009);
      // The server goes on serving.
      const again = connectAsPage(serve);
      await again.ready;
      expect((await again.request('lab.get', {})).ok).toBe(true);
      again.close();
    });
  });
});
