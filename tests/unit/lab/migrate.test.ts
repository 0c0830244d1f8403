import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAB_VERSION } from '../../../core/lab/document';
import { migrateLab, MIGRATIONS, type MigrationStep } from '../../../core/lab/migrate';
import { validateLab } from '../../../core/lab/validate';

const current = JSON.parse(readFileSync('resources/labs/default.json', 'utf8')) as Record<string, unknown>;

/** The default lab as version 1 wrote it: rules as VBoxManage strings. */
function version1(): Record<string, unknown> {
  const doc = structuredClone(current) as { version: number; vms: Array<{ virtualbox: { adapters: Array<Record<string, unknown>> } }>; virtualbox: { natNetworks: unknown[] }; machines: Array<Record<string, unknown>> };
  doc.version = 1;
  doc.vms[0].virtualbox.adapters[0].portForwarding = ['guestssh,tcp,,2222,,22', 'web,tcp,127.0.0.1,8080,10.0.2.15,80'];
  doc.virtualbox.natNetworks = [{ name: 'NatNetwork', network: '10.0.2.0/24', enabled: true, dhcp: true, portForwarding: ['ssh:tcp:[]:1022:[10.0.2.4]:22'] }];
  doc.machines[1].portForwarding = ['rdp,tcp,,3389,192.168.1.100,3389'];
  return doc;
}

describe('lab migration', () => {
  it('rewrites version 1\'s VBoxManage rule strings as version 2 objects, and the result validates', () => {
    const v1 = version1();
    const before = JSON.stringify(v1);
    const r = migrateLab(v1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(JSON.stringify(v1)).toBe(before); // the input is left alone
    expect(r.from).toBe(1);
    expect(r.value.version).toBe(LAB_VERSION);
    const doc = r.value as ReturnType<typeof version1> & { vms: Array<{ virtualbox: { adapters: Array<{ portForwarding: unknown }> } }> };
    expect(doc.vms[0].virtualbox.adapters[0].portForwarding).toEqual([
      { name: 'guestssh', proto: 'tcp', hostIp: '', hostPort: 2222, guestIp: '', guestPort: 22 },
      { name: 'web', proto: 'tcp', hostIp: '127.0.0.1', hostPort: 8080, guestIp: '10.0.2.15', guestPort: 80 },
    ]);
    expect((r.value.virtualbox as { natNetworks: Array<{ portForwarding: unknown }> }).natNetworks[0].portForwarding).toEqual([{ name: 'ssh', proto: 'tcp', hostIp: '', hostPort: 1022, guestIp: '10.0.2.4', guestPort: 22 }]);
    expect(r.notes).toEqual(['migrated from format version 1 to 2; saving writes version 2', '4 port-forwarding rules rewritten from VBoxManage strings to objects']);
    expect(validateLab(r.value).ok).toBe(true);
  });

  it('keeps version 1 rules that were already objects', () => {
    const v1 = version1() as { vms: Array<{ virtualbox: { adapters: Array<Record<string, unknown>> } }> };
    const rule = { name: 'x', proto: 'udp', hostIp: '', hostPort: 5000, guestIp: '', guestPort: 5000 };
    v1.vms[0].virtualbox.adapters[0].portForwarding = [rule];
    const r = migrateLab(v1);
    expect(r.ok && (r.value.vms as typeof v1.vms)[0].virtualbox.adapters[0].portForwarding).toEqual([rule]);
  });

  it('refuses a rule string it cannot read, at its path, with the syntax to use', () => {
    const v1 = version1() as { vms: Array<{ virtualbox: { adapters: Array<Record<string, unknown>> } }> };
    v1.vms[0].virtualbox.adapters[0].portForwarding = ['guestssh,tcp,,2222,22'];
    expect(migrateLab(v1)).toEqual({
      ok: false,
      problems: [
        {
          path: '$.vms[0].virtualbox.adapters[0].portForwarding[0]',
          message: "malformed rule 'guestssh,tcp,,2222,22': expected 6 fields separated by commas (name,proto,hostip,hostport,guestip,guestport), found 5",
          hint: 'write it as name,proto,hostip,hostport,guestip,guestport, like "guestssh,tcp,,2222,,22"',
        },
      ],
    });
  });

  it('refuses a lab from a newer VM Net Lab in words', () => {
    expect(migrateLab({ ...current, version: 3 })).toEqual({
      ok: false,
      problems: [{ path: '$.version', message: 'this lab was written by a newer VM Net Lab (format version 3); this version reads up to 2', hint: 'update VM Net Lab to open it' }],
    });
  });

  it('refuses what is not a lab: no format tag, another format, a list, a bad version', () => {
    const first = (v: unknown) => {
      const r = migrateLab(v);
      return r.ok ? null : r.problems[0];
    };
    expect(first({ name: 'x', machines: [] })).toMatchObject({ path: '$', message: 'this file is not a VM Net Lab lab (it has no "format": "vmnetlab-lab")' });
    expect(first({ format: 'vmnetlab-lob', version: 2 })).toMatchObject({ path: '$.format', message: "this file is not a VM Net Lab lab: its format is 'vmnetlab-lob'", hint: "did you mean 'vmnetlab-lab'?" });
    expect(first([1, 2])).toMatchObject({ path: '$', message: 'this file is not a VM Net Lab lab: it holds a list, not an object' });
    expect(first({ format: 'vmnetlab-lab' })).toMatchObject({ path: '$.version', message: 'the lab has no format version' });
    expect(first({ format: 'vmnetlab-lab', version: '2' })).toMatchObject({ path: '$.version', hint: 'write the number without quotes: 2' });
    expect(first({ format: 'vmnetlab-lab', version: 0 })).toMatchObject({ path: '$.version', message: 'the format version must be a whole number from 1, got 0' });
  });

  it('applies the registry\'s steps in order, and says so when one is missing', () => {
    expect(MIGRATIONS.map((s) => s.from)).toEqual(Array.from({ length: LAB_VERSION - 1 }, (_, i) => i + 1));
    const seen: number[] = [];
    const step = (from: number): MigrationStep => ({ from, summary: '', apply: (doc) => void seen.push(from, doc.version as number) });
    const r = migrateLab({ format: 'vmnetlab-lab', version: 1 }, [step(2), step(1), step(3)], 4);
    expect(seen).toEqual([1, 1, 2, 2, 3, 3]);
    expect(r.ok && r.value.version).toBe(4);
    expect(migrateLab({ format: 'vmnetlab-lab', version: 1 }, [step(1)], 3)).toMatchObject({ ok: false, problems: [{ message: 'format version 2 cannot be read by this VM Net Lab (no migration from it)' }] });
  });
});
