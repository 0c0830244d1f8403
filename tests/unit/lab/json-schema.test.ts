import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labSchemaText, LAB_SCHEMA_PATH } from '../../../tools/make-schema';

const LABS = ['default', 'vmware', 'company-nat'];

/** Validates each document against the committed schema with Python's jsonschema (Draft 2020-12): the count of errors of each. */
function pythonErrors(docs: unknown[]): number[] {
  const script = [
    'import json, sys, jsonschema',
    'schema = json.load(open(sys.argv[1]))',
    'jsonschema.Draft202012Validator.check_schema(schema)',
    'v = jsonschema.Draft202012Validator(schema)',
    'print(json.dumps([len(list(v.iter_errors(d))) for d in json.load(sys.stdin)]))',
  ].join('\n');
  const r = spawnSync('python3', ['-c', script, LAB_SCHEMA_PATH], { input: JSON.stringify(docs), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as number[];
}

describe('the published JSON Schema (resources/lab.schema.json)', () => {
  it('is exactly what tools/make-schema.ts makes (run it after changing the schema)', () => {
    expect(readFileSync(LAB_SCHEMA_PATH, 'utf8')).toBe(labSchemaText());
  });

  it('is a valid draft 2020-12 schema that accepts the bundled labs and refuses shape mistakes, by Python\'s jsonschema', () => {
    const good = LABS.map((n) => JSON.parse(readFileSync(`resources/labs/${n}.json`, 'utf8')) as { vms: Array<{ virtualbox: { adapters: Array<Record<string, unknown>> } }> });
    const bad = (change: (d: (typeof good)[number]) => void) => {
      const d = structuredClone(good[0]);
      change(d);
      return d;
    };
    const errors = pythonErrors([
      ...good,
      bad((d) => (d.vms[0].virtualbox.adapters[0].attachment = 'natt')),
      bad((d) => (d.vms[0].virtualbox.adapters[0].slot = '1')),
      bad((d) => (d.vms[0].virtualbox.adapters[0].slot = 9)),
      bad((d) => (d.vms[0].virtualbox.adapters[0].mac = '08-00-27-00-00-01')),
      bad((d) => (d.vms[0].virtualbox.adapters[0].adaptor = 'x')),
      bad((d) => ((d as unknown as { version: number }).version = 1)),
      bad((d) => ((d as unknown as { machines: Array<{ interfaces: Array<{ config: unknown }> }> }).machines[0].interfaces[0].config = { mode: 'static', address: '10.0.0.300/8' })),
    ]);
    expect(errors.slice(0, LABS.length)).toEqual([0, 0, 0]);
    for (const n of errors.slice(LABS.length)) expect(n).toBeGreaterThan(0);
  });
});
