import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LabDocument } from '../../../core/lab/document';
import { formatProblem, loadLab, serializeLab } from '../../../core/lab/load';
import { validateLab } from '../../../core/lab/validate';
import { Random } from '../../../core/sim/random';

const LABS = ['default', 'vmware', 'company-nat'] as const;
const text = (name: string): string => readFileSync(`resources/labs/${name}.json`, 'utf8');

function loaded(t: string): LabDocument {
  const r = loadLab(t, 'lab.json');
  if (!r.ok) throw new Error(r.problems.map((p) => formatProblem('lab.json', p)).join('\n'));
  return r.doc;
}

describe('loading the bundled labs', () => {
  it.each(LABS)('%s.json loads with no problem and no warning', (name) => {
    const r = loadLab(text(name), `${name}.json`);
    expect(r).toMatchObject({ ok: true, warnings: [], migratedFrom: null, notes: [], source: `${name}.json` });
  });

  it('default.json is the seed\'s three modes side by side with VirtualBox', () => {
    const d = loaded(text('default'));
    expect(d.machines.map((m) => `${m.name}:${m.role}`)).toEqual(['host:host', 'router:router', 'pc:pc', 'dns:server', 'web:server']);
    expect(d.vms.map((v) => `${v.name} ${v.virtualbox?.adapters[0].attachment} ${v.virtualbox?.adapters[0].network ?? ''}`.trim())).toEqual(['vm1 nat', 'vm2 bridged eth0', 'vm3 hostonly vboxnet0']);
    for (const vm of d.vms) {
      expect(vm.guest.ifcfg.eth0).toBe('TYPE=Ethernet\nBOOTPROTO=dhcp\nONBOOT=yes\nDEVICE=eth0\nNAME=eth0\n');
      expect(vm.guest.service).toBe('network-scripts');
      expect(vm.virtualbox?.adapters[0]).toMatchObject({ type: '82540EM', promiscuous: 'deny' });
      expect(vm.virtualbox?.adapters[0].mac).toMatch(/^080027[0-9A-F]{6}$/);
    }
    expect(d.virtualbox?.hostOnly).toEqual([{ name: 'vboxnet0', address: '192.168.56.1/24', dhcp: { enabled: true, server: '192.168.56.100', lower: '192.168.56.101', upper: '192.168.56.254', leaseSeconds: 600 } }]);
    const router = d.machines[1];
    expect(router.services?.dhcp).toEqual([{ interface: 'lan', rangeStart: '192.168.1.100', rangeEnd: '192.168.1.199', leaseSeconds: 86400, router: '192.168.1.1', dns: ['192.168.1.1'] }]);
    expect(router.services?.dns?.forwarders).toEqual(['114.114.114.114']);
    expect(d.machines[3].services?.dns?.records).toMatchObject({ 'www.example.com': '93.184.216.34', 'example.com': '93.184.216.34' });
  });

  it('vmware.json puts the same VMs on VMnet8, VMnet0 and VMnet1 with generated MACs', () => {
    const d = loaded(text('vmware'));
    expect(d.vms.map((v) => v.vmware?.adapters[0].connectionType)).toEqual(['nat', 'bridged', 'hostonly']);
    for (const v of d.vms) expect(v.vmware?.adapters[0]).toMatchObject({ addressType: 'generated', mac: expect.stringMatching(/^00:0c:29:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/) });
    expect(d.vmware?.vmnets.map((v) => `${v.name} ${v.type} ${v.subnet ?? v.bridgedTo}`)).toEqual(['VMnet0 bridged eth0', 'VMnet1 hostonly 192.168.165.0/24', 'VMnet8 nat 172.16.162.0/24']);
    expect(d.vmware?.vmnets[2].nat?.gateway).toBe('172.16.162.2');
  });

  it('company-nat.json is the seed\'s company behind 114.114.114.114', () => {
    const d = loaded(text('company-nat'));
    const gw = d.machines.find((m) => m.role === 'router');
    expect(gw?.masquerade).toEqual(['wan']);
    expect(gw?.interfaces.find((i) => i.name === 'wan')?.config).toMatchObject({ address: '114.114.114.114/24' });
    expect(d.machines.find((m) => m.name === 'office1')?.interfaces[0].config).toMatchObject({ address: '192.168.111.111/24' });
    expect(d.machines.filter((m) => m.name.startsWith('office'))).toHaveLength(3);
    expect(d.vms).toEqual([]);
  });
});

describe('serializing labs', () => {
  it.each(LABS)('writes %s.json back byte for byte', (name) => {
    expect(serializeLab(loaded(text(name)))).toBe(text(name));
  });

  it('writes fields in a fixed order whatever order they were read in', () => {
    // Fields of objects get reversed; the entries of maps (DNS records, ifcfg files) are data and keep the author's order.
    const MAPS = new Set(['records', 'aliases', 'ifcfg']);
    const reverse = (v: unknown, key = ''): unknown => {
      if (Array.isArray(v)) return v.map((x) => reverse(x));
      if (v === null || typeof v !== 'object') return v;
      const entries = Object.entries(v).map(([k, x]) => [k, reverse(x, k)] as const);
      return Object.fromEntries(MAPS.has(key) ? entries : entries.reverse());
    };
    const shuffled = JSON.stringify(reverse(JSON.parse(text('default'))), null, 4);
    expect(shuffled).not.toBe(text('default'));
    const once = serializeLab(loaded(shuffled));
    expect(once).toBe(text('default'));
    expect(serializeLab(loaded(once))).toBe(once);
  });
});

describe('load problems', () => {
  it('reports a JSON syntax error with its line and column and no stack trace', () => {
    const t = text('default').replace('"name": "vm2"', '"name": "vm2",,');
    const r = loadLab(t, 'default.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    const line = t.split('\n').findIndex((l) => l.includes('"vm2",,')) + 1;
    expect(r.problems[0]).toMatchObject({ path: '$.vms[1]', line, message: expect.stringMatching(new RegExp(`^line ${line}, column \\d+: expected a field name in double quotes, found ','$`)) });
    expect(formatProblem('default.json', r.problems[0])).toMatch(/^default\.json: \$\.vms\[1\]: line \d+, column \d+: /);
  });

  it('refuses duplicate fields, which JSON.parse would silently merge', () => {
    const t = text('default').replace('"mac": "080027C3A1E1",', '"mac": "080027C3A1E1",\n            "mac": "080027C3A1E2",');
    const r = loadLab(t, 'x');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ path: '$.vms[0].virtualbox.adapters[0].mac', message: expect.stringMatching(/^line \d+, column 13: field 'mac' appears twice in this object$/) });
  });

  it('points each validation problem at the line of its field, or of its object when the field is missing', () => {
    const t = text('default').replace('"attachment": "nat"', '"attachment": "natt"').replace('"cable": true,\n            "promiscuous": "deny"\n          }\n        ]\n      },\n      "guest": {\n        "hostname": "vm2"', '"promiscuous": "deny"\n          }\n        ]\n      },\n      "guest": {\n        "hostname": "vm2"');
    const r = loadLab(t, 'x');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = t.split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    const adapterObject = t.lastIndexOf('{', t.indexOf('"mac": "0800274F7B2C"'));
    expect(r.problems.map((p) => [p.path, p.line])).toEqual([
      ['$.vms[0].virtualbox.adapters[0].attachment', lineOf('"natt"')],
      ['$.vms[1].virtualbox.adapters[0].cable', t.slice(0, adapterObject).split('\n').length],
    ]);
  });

  it('migrates a version 1 file and saves it as version 2', () => {
    const v1 = JSON.parse(text('default')) as { version: number; vms: Array<{ virtualbox: { adapters: Array<Record<string, unknown>> } }> };
    v1.version = 1;
    v1.vms[0].virtualbox.adapters[0].portForwarding = ['guestssh,tcp,,2222,,22'];
    const r = loadLab(JSON.stringify(v1), 'old.json');
    expect(r).toMatchObject({ ok: true, migratedFrom: 1, notes: ['migrated from format version 1 to 2; saving writes version 2', '1 port-forwarding rule rewritten from VBoxManage strings to objects'] });
    if (!r.ok) return;
    const saved = JSON.parse(serializeLab(r.doc)) as typeof v1;
    expect(saved.version).toBe(2);
    expect(saved.vms[0].virtualbox.adapters[0].portForwarding).toEqual([{ name: 'guestssh', proto: 'tcp', hostIp: '', hostPort: 2222, guestIp: '', guestPort: 22 }]);
  });

  it('never throws on 100,000 well-formed documents with random changes, and what loads saves stably', () => {
    const texts = LABS.map(text);
    // Every place in each lab, and values of every kind found in them: swaps often keep the shape and so reach the semantic checks.
    const places: Array<Array<Array<string | number>>> = [];
    const pool: unknown[] = [];
    for (const t of texts) {
      const list: Array<Array<string | number>> = [];
      const walk = (v: unknown, path: Array<string | number>): void => {
        pool.push(v);
        if (path.length > 0) list.push(path);
        if (Array.isArray(v)) v.forEach((x, k) => walk(x, [...path, k]));
        else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      };
      walk(JSON.parse(t), []);
      places.push(list);
    }
    const junk: unknown[] = [null, true, 0, -1, 1.5, 65536, '', 'x', '10.0.2.0/24', '192.168.56.1', '08:00:27:00:00:01', [], {}, [[]], { a: 1 }];
    const rng = new Random(0x1ab);
    let loadedCount = 0;
    for (let i = 0; i < 100_000; i++) {
      const which = rng.int(texts.length);
      const doc = JSON.parse(texts[which]) as Record<string | number, unknown>;
      const changes = 1 + rng.int(3);
      for (let c = 0; c < changes; c++) {
        const path = places[which][rng.int(places[which].length)];
        let parent = doc;
        for (const seg of path.slice(0, -1)) parent = (parent?.[seg] ?? null) as Record<string | number, unknown>;
        if (parent === null || typeof parent !== 'object') continue;
        const key = path[path.length - 1];
        if (rng.int(8) === 0 && !Array.isArray(parent)) delete parent[key];
        else parent[key] = structuredClone(rng.int(3) === 0 ? junk[rng.int(junk.length)] : pool[rng.int(pool.length)]);
      }
      // Most go straight to the validator (the text reader has its own fuzz); every tenth goes through the whole load.
      const r = i % 10 === 0 ? loadLab(JSON.stringify(doc), 'fuzz.json') : validateLab(doc);
      if (r.ok) {
        loadedCount++;
        const saved = serializeLab(r.doc);
        const again = loadLab(saved, 'fuzz.json');
        if (!again.ok || serializeLab(again.doc) !== saved) throw new Error(`unstable save of ${saved}`);
      } else {
        for (const p of r.problems) if (!p.path.startsWith('$') || p.message === '') throw new Error(`bad problem ${JSON.stringify(p)}`);
      }
    }
    expect(loadedCount).toBeGreaterThan(1000);
  });
});
