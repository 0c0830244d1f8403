// Seeded random and mutated requests for fuzzing the lab host: unknown names, wrong types, huge strings, deep nesting, prototype keys.
import { requests, requestNames, type RequestName } from '../../core/api/contract';
import { Random } from '../../core/sim/random';

export interface FuzzRequest {
  name: string;
  params: unknown;
}

/** Requests that must never succeed in a fuzz run: they write files, run the clock for long, or run shell lines. */
export const MUST_FAIL: ReadonlySet<string> = new Set<RequestName>(['file.save', 'file.saveAs', 'file.open', 'clock.play', 'clock.step', 'clock.setSpeed', 'matrix.compute', 'shell.run']);

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

function randomString(rng: Random): string {
  switch (rng.int(6)) {
    case 0:
      return '';
    case 1:
      return PROTO_KEYS[rng.int(PROTO_KEYS.length)];
    case 2:
      // Huge: most of a megabyte.
      return 'A'.repeat(rng.range(10_000, 900_000));
    case 3:
      return String.fromCharCode(...Array.from({ length: rng.int(40) }, () => rng.int(0x3000)));
    case 4:
      return ['vm1', 'vm2', 'host', 'router', 'vm1.eth0', 'eth0', 'default', '../../etc/passwd', '\u0000', 'nat'][rng.int(10)];
    default:
      return Array.from({ length: rng.int(20) }, () => 'abcdefghijklmnopqrstuvwxyz._-0123456789'[rng.int(39)]).join('');
  }
}

/** A value nested `depth` deep in arrays or objects. */
function deep(rng: Random, depth: number): unknown {
  let v: unknown = rng.int(2) === 0 ? 1 : 'x';
  const useObject = rng.int(2) === 0;
  for (let i = 0; i < depth; i++) v = useObject ? { a: v } : [v];
  return v;
}

function protoObject(rng: Random): unknown {
  // JSON.parse makes __proto__ an own key, exactly as a hostile client's message would arrive.
  const key = PROTO_KEYS[rng.int(PROTO_KEYS.length)];
  return JSON.parse(`{"${key}": {"polluted": true, "vm": "vm1"}, "vm": "vm1", "node": "vm1", "link": "vm1.eth0"}`) as unknown;
}

export function randomValue(rng: Random, depth = 0): unknown {
  const k = rng.int(depth > 3 ? 8 : 12);
  switch (k) {
    case 0:
      return null;
    case 1:
      return rng.int(2) === 0;
    case 2:
      return [0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, Number.MIN_VALUE, 65536, 4294967296][rng.int(9)];
    case 3:
      return rng.int(1_000_000);
    case 4:
    case 5:
      return randomString(rng);
    case 6:
      return undefined;
    case 7:
      return protoObject(rng);
    case 8:
      return Array.from({ length: rng.int(5) }, () => randomValue(rng, depth + 1));
    case 9: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(5); i > 0; i--) o[randomString(rng).slice(0, 30)] = randomValue(rng, depth + 1);
      return o;
    }
    case 10:
      return deep(rng, rng.range(20, 2000));
    default:
      return Array.from({ length: rng.range(1000, 20_000) }, (_, i) => i);
  }
}

/** Replaces, removes or adds one field somewhere in `value`. */
function mutate(rng: Random, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || rng.int(5) === 0) return randomValue(rng);
  const copy = structuredClone(value) as Record<string, unknown> | unknown[];
  const keys = Object.keys(copy);
  const action = rng.int(4);
  if (action === 0 || keys.length === 0) {
    // An extra field, often a prototype key.
    const key = rng.int(2) === 0 ? PROTO_KEYS[rng.int(PROTO_KEYS.length)] : randomString(rng).slice(0, 20);
    Object.defineProperty(copy, key, { value: randomValue(rng), enumerable: true, configurable: true, writable: true });
    return copy;
  }
  const key = keys[rng.int(keys.length)];
  const target = copy as Record<string, unknown>;
  if (action === 1) delete target[key];
  else if (action === 2) target[key] = randomValue(rng);
  else target[key] = mutate(rng, target[key]);
  return copy;
}

/**
 * `count` requests: a quarter with names that do not exist, the rest known names with random or mutated
 * parameters (from `samples`, valid parameters per name). Names in MUST_FAIL only ever get invalid ones.
 */
export function* fuzzRequests(seed: number, count: number, samples: Partial<Record<RequestName, unknown>>): Generator<FuzzRequest> {
  const rng = new Random(seed);
  for (let i = 0; i < count; i++) {
    let name: string;
    if (rng.int(4) === 0) {
      const known = requestNames[rng.int(requestNames.length)];
      name = [randomString(rng), PROTO_KEYS[rng.int(PROTO_KEYS.length)], known.toUpperCase(), `${known} `, known.slice(0, -1), `${known}.x`][rng.int(6)];
    } else name = requestNames[rng.int(requestNames.length)];
    const sample = samples[name as RequestName];
    // What arrives is what JSON keeps (an undefined field is dropped): judge the parameters by that.
    const wire = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
    let params = wire(sample !== undefined && rng.int(3) !== 0 ? mutate(rng, sample) : randomValue(rng));
    if (MUST_FAIL.has(name)) {
      const schema = requests[name as RequestName].params;
      // A mutation may happen to be valid: make it certainly wrong.
      for (let tries = 0; schema.is(params === undefined ? {} : params) && tries < 5; tries++) params = wire(mutate(rng, params));
      if (schema.is(params === undefined ? {} : params)) params = [params];
    }
    yield { name, params };
  }
}
