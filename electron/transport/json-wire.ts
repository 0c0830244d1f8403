// What may cross a transport: plain JSON values only, checked so that a result Electron IPC or a WebSocket would mangle is caught.

/** Where `value` stops being plain JSON (`$.rows[3].at: a Date`), or null when it is plain JSON all the way down. */
export function jsonProblem(value: unknown, path = '$', depth = 0): string | null {
  if (depth > 256) return `${path}: nested too deeply`;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path}: ${value} is not a JSON number`;
  if (typeof value !== 'object') return `${path}: a ${typeof value} is not JSON`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || value[i] === undefined) return `${path}[${i}]: undefined in a list becomes null in JSON`;
      const p = jsonProblem(value[i], `${path}[${i}]`, depth + 1);
      if (p !== null) return p;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    return `${path}: a ${name} is not plain JSON`;
  }
  for (const [k, v] of Object.entries(value)) {
    // An undefined field is dropped by JSON and kept by structured clone: either way the reader sees undefined.
    if (v === undefined) continue;
    const p = jsonProblem(v, `${path}.${k}`, depth + 1);
    if (p !== null) return p;
  }
  return null;
}

/** A copy made the way a transport makes one (through JSON text); throws with where, when `value` is not plain JSON. */
export function throughJson<T>(value: T): T {
  const problem = jsonProblem(value);
  if (problem !== null) throw new TypeError(`cannot cross a transport: ${problem}`);
  return JSON.parse(JSON.stringify(value)) as T;
}
