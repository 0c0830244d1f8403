import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  array,
  boolean,
  closestMatch,
  discriminatedUnion,
  editDistance,
  enumOf,
  formatPath,
  integer,
  literal,
  named,
  nullable,
  number,
  object,
  optional,
  record,
  string,
  toJsonSchema,
  union,
  unknown,
  type Infer,
  type Problem,
  type Schema,
} from '../../../core/api/schema';

const adapter = object({
  slot: integer({ min: 1, max: 8 }),
  attachment: enumOf(['none', 'null', 'nat', 'natnetwork', 'bridged', 'intnet', 'hostonly']),
  network: optional(string({ minLength: 1 })),
  cable: boolean(),
});
const lab = object({ name: string(), vms: array(object({ name: string(), virtualbox: optional(object({ adapters: array(adapter) })) })) });

function problems(schema: Schema<unknown>, value: unknown): Problem[] {
  const r = schema.validate(value);
  return r.ok ? [] : r.problems;
}

const goodAdapter = { slot: 1, attachment: 'nat', cable: true };

describe('schema: problems by JSON path', () => {
  it('names an unknown attachment with its full path, the choices, and the closest one', () => {
    const doc = { name: 'x', vms: [{ name: 'a' }, { name: 'b' }, { name: 'c', virtualbox: { adapters: [{ ...goodAdapter, attachment: 'natt' }] } }] };
    expect(problems(lab, doc)).toEqual([
      {
        path: '$.vms[2].virtualbox.adapters[0].attachment',
        message: "unknown attachment 'natt'; expected one of none, null, nat, natnetwork, bridged, intnet, hostonly",
        hint: "did you mean 'nat'?",
      },
    ]);
  });

  it('reports every problem, not just the first', () => {
    const doc = { name: 5, vms: [{ name: 'a', virtualbox: { adapters: [{ slot: 0, attachment: 'hostonly', cable: 'yes', network: '' }] } }] };
    expect(problems(lab, doc).map((p) => p.path)).toEqual([
      '$.name',
      '$.vms[0].virtualbox.adapters[0].slot',
      '$.vms[0].virtualbox.adapters[0].network',
      '$.vms[0].virtualbox.adapters[0].cable',
    ]);
  });

  it('says what was expected and what was found, with a hint to fix quoting mistakes', () => {
    const p = problems(lab, { name: 'x', vms: [{ name: 'a', virtualbox: { adapters: [{ ...goodAdapter, slot: '2', cable: 'true' }] } }] });
    expect(p[0]).toEqual({ path: '$.vms[0].virtualbox.adapters[0].slot', message: "expected an integer from 1 to 8, got the text '2'", hint: 'write the number without quotes: 2' });
    expect(p[1]).toEqual({ path: '$.vms[0].virtualbox.adapters[0].cable', message: "expected true or false, got the text 'true'", hint: 'write true without quotes' });
    expect(problems(string(), 42)[0]).toMatchObject({ message: 'expected a string, got the number 42', hint: 'write it in double quotes: "42"' });
  });

  it('reports a missing field at the field\'s path, and an unknown one with the field it resembles', () => {
    const p = problems(adapter, { slot: 1, attachment: 'nat', cabel: true });
    expect(p).toEqual([
      { path: '$.cable', message: "missing required field 'cable'", hint: 'add "cable": true or false' },
      { path: '$.cabel', message: "unknown field 'cabel'", hint: "did you mean 'cable'?" },
    ]);
    expect(problems(object({ a: string() }), { zzzz: 1, a: 'x' })[0].hint).toBe('the fields here are a');
  });

  it('checks ranges, lengths, patterns and list sizes', () => {
    expect(problems(integer({ min: 1, max: 65535 }), 70000)[0].message).toBe('must be from 1 to 65535, got 70000');
    expect(problems(integer(), 1.5)[0]).toMatchObject({ message: 'expected an integer, got 1.5', hint: 'write a whole number, e.g. 2' });
    expect(problems(number({ min: 0 }), -1)[0].message).toBe('must be at least 0, got -1');
    expect(problems(number(), Number.NaN)[0].message).toBe('expected a number, got NaN');
    expect(problems(string({ minLength: 1 }), '')[0].message).toBe('must not be empty');
    expect(problems(string({ pattern: /^eth\d$/, patternMessage: 'is not a device' }), 'wlan0')[0].message).toBe("'wlan0' is not a device");
    expect(problems(array(integer(), { maxItems: 2 }), [1, 2, 3])[0].message).toBe('has 3 items; at most 2 allowed');
    expect(problems(array(integer()), { 0: 1 })[0].message).toBe('expected a list, got an object');
  });

  it('tells a discriminated union\'s variants apart by their tag', () => {
    const config = discriminatedUnion('mode', [object({ mode: literal('dhcp') }), object({ mode: literal('static'), address: string() }), object({ mode: literal('none') })]);
    expect(config.validate({ mode: 'static', address: '10.0.0.1/8' }).ok).toBe(true);
    expect(problems(config, { mode: 'static' })).toEqual([{ path: '$.address', message: "missing required field 'address'", hint: 'add "address": a string' }]);
    expect(problems(config, { mode: 'Static', address: 'x' })).toEqual([{ path: '$.mode', message: "unknown mode 'Static'; expected one of dhcp, static, none", hint: "did you mean 'static'?" }]);
    expect(problems(config, {})[0]).toMatchObject({ path: '$.mode', message: "missing required field 'mode'" });
    // The DHCP variant takes no address.
    expect(problems(config, { mode: 'dhcp', address: 'x' })[0]).toMatchObject({ path: '$.address', message: "unknown field 'address'" });
  });

  it('blames the closest variant of a plain union', () => {
    const s = union([integer({ min: 0 }), object({ from: integer(), to: integer() })]);
    expect(s.validate(3).ok).toBe(true);
    expect(problems(s, { from: 1, to: 'x' })).toEqual([{ path: '$.to', message: "expected an integer, got the text 'x'" }]);
    expect(problems(s, 'x')[0].message).toBe("expected an integer at least 0 or an object, got the text 'x'");
    expect(nullable(integer()).validate(null).ok).toBe(true);
    expect(problems(nullable(integer()), true)[0].message).toBe('expected an integer or null, got true');
  });

  it('checks a record\'s keys and values, quoting keys that are not identifiers', () => {
    const s = record(string({ pattern: /^\d+\.\d+\.\d+\.\d+$/, patternMessage: 'is not an address' }), { key: string({ pattern: /^[a-z.]+$/, patternMessage: 'is not a name' }) });
    expect(problems(s, { 'www.example.com': '1.2.3', 'Bad Name': '1.2.3.4' })).toEqual([
      { path: '$["www.example.com"]', message: "'1.2.3' is not an address" },
      { path: '$["Bad Name"]', message: "'Bad Name' is not a name" },
    ]);
  });

  it('formats paths as JSON paths', () => {
    expect(formatPath(['vms', 2, 'virtualbox', 'adapters', 0, 'attachment'])).toBe('$.vms[2].virtualbox.adapters[0].attachment');
    expect(formatPath(['records', 'a"b', 3])).toBe('$.records["a\\"b"][3]');
    expect(formatPath([])).toBe('$');
  });
});

describe('schema: hostile input', () => {
  it('never throws, on anything', () => {
    const values: unknown[] = [undefined, null, 0, -0, Infinity, '', [], {}, [[[]]], Symbol('x'), () => 1, 10n, new Date(0), new Map(), Object.create(null), new Uint8Array(4)];
    for (const v of values) expect(() => lab.validate(v)).not.toThrow();
    expect(problems(lab, new Map())[0].message).toBe('expected an object, got a Map');
    expect(problems(lab, Object.create(null))[0]).toMatchObject({ path: '$.name', message: "missing required field 'name'" });
  });

  it('turns a throwing getter into a problem', () => {
    const evil = { name: 'x' } as Record<string, unknown>;
    Object.defineProperty(evil, 'vms', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(problems(lab, evil)).toEqual([{ path: '$.vms', message: 'could not be read (boom)' }]);
  });

  it('bounds deep nesting of a recursive schema and of a cyclic value', () => {
    type Tree = { children: Tree[] };
    const tree: Schema<Tree> = named('Tree', () => object({ children: array(tree) }));
    let deep: Tree = { children: [] };
    for (let i = 0; i < 10_000; i++) deep = { children: [deep] };
    const r = tree.validate(deep);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0].message).toMatch(/^nested too deeply \(more than 64 levels\)$/);
    const cyclic: Tree = { children: [] };
    cyclic.children.push(cyclic);
    expect(tree.validate(cyclic).ok).toBe(false);
    expect(tree.validate({ children: [{ children: [] }] }).ok).toBe(true);
  });

  it('stops after maxProblems and says so, cheaply', () => {
    const huge = Array.from({ length: 1_000_000 }, () => 'x');
    const t0 = performance.now();
    const r = array(integer()).validate(huge, { maxProblems: 10 });
    expect(performance.now() - t0).toBeLessThan(200);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toHaveLength(11);
      expect(r.problems[10].message).toBe('too many problems; only the first 10 are shown');
    }
  });
});

describe('schema: types, order and JSON Schema', () => {
  it('infers the validated value\'s type', () => {
    type Adapter = Infer<typeof adapter>;
    expectTypeOf<Adapter>().toEqualTypeOf<{ slot: number; attachment: 'none' | 'null' | 'nat' | 'natnetwork' | 'bridged' | 'intnet' | 'hostonly'; network?: string; cable: boolean }>();
    const r = adapter.validate(JSON.parse('{"slot":1,"attachment":"nat","cable":true}'));
    if (r.ok) expectTypeOf(r.value.attachment).toEqualTypeOf<Adapter['attachment']>();
    expectTypeOf<Infer<ReturnType<typeof nullable<number>>>>().toEqualTypeOf<number | null>();
  });

  it('normalizes field order to the declared order, dropping undefined fields', () => {
    const v = { cable: true, network: undefined, attachment: 'nat', slot: 1 } as Infer<typeof adapter>;
    expect(Object.keys(adapter.normalize(v))).toEqual(['slot', 'attachment', 'cable']);
    const dm = discriminatedUnion('mode', [object({ mode: literal('static'), address: string(), gateway: optional(string()) })]);
    expect(JSON.stringify(dm.normalize({ gateway: 'g', address: 'a', mode: 'static' }))).toBe('{"mode":"static","address":"a","gateway":"g"}');
  });

  it('exports draft 2020-12 JSON Schema with $defs for named schemas', () => {
    const rule = named('Rule', object({ proto: enumOf(['tcp', 'udp']), port: integer({ min: 1, max: 65535 }).describe('The port.') }));
    const s = toJsonSchema(object({ rules: array(rule), other: optional(rule), n: nullable(boolean()), any: optional(unknown()) }), { title: 'T' });
    expect(s).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'T',
      type: 'object',
      properties: {
        rules: { type: 'array', items: { $ref: '#/$defs/Rule' } },
        other: { $ref: '#/$defs/Rule' },
        n: { anyOf: [{ type: 'boolean' }, { const: null }] },
        any: {},
      },
      required: ['rules', 'n'],
      additionalProperties: false,
      $defs: {
        Rule: {
          type: 'object',
          properties: { proto: { type: 'string', enum: ['tcp', 'udp'] }, port: { description: 'The port.', type: 'integer', minimum: 1, maximum: 65535 } },
          required: ['proto', 'port'],
          additionalProperties: false,
        },
      },
    });
  });
});

describe('did you mean', () => {
  it('finds near misses by edit distance, case-insensitively, and nothing for far ones', () => {
    expect(closestMatch('natt', ['nat', 'natnetwork', 'none'])).toBe('nat');
    expect(closestMatch('HOSTONLY', ['bridged', 'hostonly'])).toBe('hostonly');
    expect(closestMatch('brigded', ['bridged', 'intnet'])).toBe('bridged');
    expect(closestMatch('xyz', ['nat', 'bridged'])).toBeUndefined();
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('ab', 'ba')).toBe(1);
  });
});
