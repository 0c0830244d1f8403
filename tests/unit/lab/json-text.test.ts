import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lineLocator, parseJsonText } from '../../../core/lab/json-text';
import { utf8Decode, utf8Encode } from '../../../core/wire/text';
import { fuzzInputs } from '../../support/fuzz';

function errorOf(text: string) {
  const r = parseJsonText(text);
  if (r.ok) throw new Error('expected a syntax error');
  return r.error;
}

describe('JSON text: syntax errors a person can act on', () => {
  it('points a trailing comma at its line and column, with the path being read', () => {
    const e = errorOf('{\n  "vms": [\n    {"name": "vm1"},\n  ]\n}');
    expect(e).toMatchObject({ line: 3, column: 20, path: '$.vms', message: "a comma before ']' ends this list", hint: 'JSON allows no comma after the last item; remove it' });
    expect(errorOf('{"a": 1,\n}')).toMatchObject({ line: 1, column: 8, message: "a comma before '}' ends this object" });
  });

  it('names a missing comma between fields', () => {
    const e = errorOf('{\n  "name": "lab"\n  "seed": 1\n}');
    expect(e).toMatchObject({ line: 3, column: 3, path: '$', message: 'expected \',\' or \'}\' after the value of "name", found \'"\'', hint: 'a comma is missing before this field' });
  });

  it('explains the usual mistakes of hand-written JSON', () => {
    expect(errorOf("{'a': 1}")).toMatchObject({ message: 'field names in JSON use double quotes' });
    expect(errorOf('{a: 1}')).toMatchObject({ message: "field name 'a' is not in double quotes", hint: 'write "a"' });
    expect(errorOf('{"a": True}')).toMatchObject({ path: '$.a', message: "unexpected word 'True' where a value should be", hint: 'write true in lower case' });
    expect(errorOf('{"a": nat}')).toMatchObject({ message: "unexpected word 'nat' where a value should be", hint: 'put text in double quotes: "nat"' });
    expect(errorOf('{"a": 1} // note')).toMatchObject({ message: 'JSON has no comments' });
    expect(errorOf('{"a": 010}')).toMatchObject({ message: 'numbers in JSON cannot start with 0' });
    expect(errorOf('{"a": 0x10}')).toMatchObject({ message: 'JSON has no hexadecimal numbers' });
    expect(errorOf('{"a": "C:\\Users"}')).toMatchObject({ message: "unknown escape '\\U' in a string" });
    expect(errorOf('{"a": "one\ntwo"}')).toMatchObject({ line: 1, column: 7, message: 'this string is never closed on its line' });
    expect(errorOf('{"a": [1, 2')).toMatchObject({ message: "expected ',' or ']' after a list item, found the end of the file", hint: 'the list is never closed; add ]' });
    expect(errorOf('')).toMatchObject({ line: 1, column: 1, message: 'the file ends where a value should be' });
    expect(errorOf('{} {}')).toMatchObject({ column: 4, message: "unexpected '{' after the end of the document" });
  });

  it('counts CRLF and CR line ends as one line break each', () => {
    expect(errorOf('{\r\n"a": 1,\r\n}')).toMatchObject({ line: 2, column: 7 });
    expect(errorOf('{"a": nul}')).toMatchObject({ hint: 'did you mean null?' });
    const at = lineLocator('a\rb\r\nc\nd');
    expect([at(0), at(2), at(5), at(7)]).toEqual([
      { line: 1, column: 1 },
      { line: 2, column: 1 },
      { line: 3, column: 1 },
      { line: 4, column: 1 },
    ]);
  });

  it('bounds nesting instead of overflowing the stack', () => {
    expect(errorOf('['.repeat(100_000))).toMatchObject({ message: 'nested more than 128 levels deep' });
    expect(parseJsonText('['.repeat(100) + ']'.repeat(100)).ok).toBe(true);
  });
});

describe('JSON text: values', () => {
  it('finds duplicate field names, which JSON.parse silently drops', () => {
    const r = parseJsonText('{"vms": [{"name": "a",\n "name": "b"}]}');
    expect(r.ok && r.duplicates).toEqual([{ path: '$.vms[0].name', key: 'name', line: 2, column: 2 }]);
    expect(r.ok && r.value).toEqual({ vms: [{ name: 'b' }] });
  });

  it('keeps "__proto__" as an ordinary field and skips a byte-order mark', () => {
    const r = parseJsonText('\ufeff{"__proto__": {"x": 1}}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(v).toEqual(JSON.parse('{"__proto__": {"x": 1}}'));
  });

  it('records where each value starts, for pointing later problems at a line', () => {
    const t = '{\n  "vms": [\n    {"name": "x"}\n  ]\n}';
    const r = parseJsonText(t, { positions: true });
    if (!r.ok || !r.positions) throw new Error('parse');
    const at = lineLocator(t);
    expect(at(r.positions.offsetOf(['vms', 0, 'name']))).toEqual({ line: 3, column: 6 });
    expect(at(r.positions.offsetOf(['vms']))).toEqual({ line: 2, column: 3 });
    expect(at(r.positions.offsetOf(['vms', 0]))).toEqual({ line: 3, column: 5 });
    // A missing field: its object.
    expect(at(r.positions.offsetOf(['vms', 0, 'mac']))).toEqual({ line: 3, column: 5 });
    expect(r.positions.offsetOf([])).toBe(0);
    expect(parseJsonText(t).ok && parseJsonText(t)).toMatchObject({ positions: null });
  });

  it('reads every bundled lab exactly as JSON.parse does', () => {
    for (const name of ['default', 'vmware', 'company-nat']) {
      const text = readFileSync(`resources/labs/${name}.json`, 'utf8');
      const r = parseJsonText(text);
      expect(r.ok && r.value).toEqual(JSON.parse(text));
    }
  });

  it('agrees with JSON.parse on 100,000 random and mutated texts, and never throws', () => {
    const seeds: Uint8Array[] = ['default', 'company-nat'].map((n) => readFileSync(`resources/labs/${n}.json`));
    seeds.push(utf8Encode('{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n\\"x\\"",{}],"b":{"c":[]}}'));
    let accepted = 0;
    for (const bytes of fuzzInputs(0x15a, 100_000, seeds)) {
      const text = utf8Decode(bytes);
      let expected: unknown;
      let valid = true;
      try {
        expected = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      } catch {
        valid = false;
      }
      const r = parseJsonText(text);
      if (r.ok !== valid) throw new Error(`disagreement with JSON.parse on ${JSON.stringify(text.slice(0, 200))}`);
      if (r.ok) {
        accepted++;
        expect(r.value).toEqual(expected);
      } else {
        expect(r.error.line).toBeGreaterThanOrEqual(1);
        expect(r.error.column).toBeGreaterThanOrEqual(1);
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });
});
