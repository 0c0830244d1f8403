import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { labSchemaText, LAB_SCHEMA_PATH } from '../../../tools/make-schema';

const LABS = ['default', 'vmware', 'company-nat'];

/** Validates each document against the committed schema with Ajv (Draft 2020-12, an independent validator): the count of errors of each. */
function ajvErrors(docs: unknown[]): number[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(JSON.parse(readFileSync(LAB_SCHEMA_PATH, 'utf8')) as object);
  return docs.map((d) => (validate(d) ? 0 : (validate.errors?.length ?? 1)));
}

describe('the published JSON Schema (resources/lab.schema.json)', () => {
  it('is exactly what tools/make-schema.ts makes (run it after changing the schema)', () => {
    expect(readFileSync(LAB_SCHEMA_PATH, 'utf8')).toBe(labSchemaText());
  });

  it('is a valid draft 2020-12 schema that accepts the bundled labs and refuses shape mistakes, by Ajv', () => {
    const good = LABS.map((n) => JSON.parse(readFileSync(`resources/labs/${n}.json`, 'utf8')) as { vms: Array<{ virtualbox: { adapters: Array<Record<string, unknown>> } }> });
    const bad = (change: (d: (typeof good)[number]) => void) => {
      const d = structuredClone(good[0]);
      change(d);
      return d;
    };
    const errors = ajvErrors([
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
