// A small schema library: checks unknown values (lab files, IPC payloads), reports every problem by JSON path with a hint, infers types, exports JSON Schema.

/** One thing wrong with a value: where (a JSON path such as `$.vms[2].virtualbox.adapters[0].attachment`), what, and what to do. */
export interface Problem {
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

export type PathSegment = string | number;

export interface ValidateOptions {
  /** Stop after this many problems (a hostile payload must not cost more than a bad lab file); default 100. */
  readonly maxProblems?: number;
  /** Refuse containers nested deeper than this; default 64. */
  readonly maxDepth?: number;
}

export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: Problem[] };

/** A JSON Schema (draft 2020-12) as a plain object. */
export interface JsonSchema {
  [keyword: string]: JsonSchemaValue;
}
export type JsonSchemaValue = string | number | boolean | null | JsonSchema | JsonSchemaValue[];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['vms', 2, 'name']` → `$.vms[2].name`; keys that are not identifiers are bracketed and quoted (`$.records["www.example.com"]`). */
export function formatPath(segments: readonly PathSegment[]): string {
  let s = '$';
  for (const seg of segments) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) s += `.${seg}`;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s;
}

/** `$.vms[2]["x.y"]` → `['vms', 2, 'x.y']`; null when the text is not a path `formatPath` writes. */
export function parsePath(path: string): PathSegment[] | null {
  if (!path.startsWith('$')) return null;
  const out: PathSegment[] = [];
  const token = /\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  token.lastIndex = 1;
  while (token.lastIndex < path.length) {
    const at = token.lastIndex;
    const m = token.exec(path);
    if (!m || m.index !== at) return null;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]) as string);
  }
  return out;
}

/** A user's text in a message: single-quoted, control characters escaped, cut short when long. */
export function quote(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return `'${JSON.stringify(cut).slice(1, -1).replace(/\\"/g, '"')}'`;
}

/** What a value is, in words, for "expected X, got Y". */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'string':
      return `the text ${quote(v)}`;
    case 'number':
      return Number.isFinite(v) ? `the number ${v}` : String(v);
    case 'boolean':
      return String(v);
    case 'object': {
      // IPC payloads can carry class instances (Map, Date) that no schema here accepts.
      const proto = Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null;
      const name = proto && proto !== Object.prototype ? proto.constructor?.name : undefined;
      return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
    }
    default:
      return `a ${typeof v}`;
  }
}

/** Optimal-string-alignment edit distance, giving up (returning limit + 1) once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** The candidate a person most likely meant by `input` (case-insensitive, by edit distance); undefined when none is close. */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  if (input.length === 0 || input.length > 64) return undefined;
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    if (cl === lower) return c;
    const limit = Math.max(1, Math.floor(Math.max(input.length, c.length) / 3));
    const d = editDistance(lower, cl, limit);
    if (d <= limit && d < bestDistance && d < Math.max(input.length, c.length)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** "did you mean 'nat'?" or undefined. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const m = closestMatch(input, candidates);
  return m === undefined ? undefined : `did you mean ${quote(m)}?`;
}

/** The state of one check: where we are, what was found, and the limits that keep a hostile input cheap. */
export class CheckContext {
  readonly path: PathSegment[] = [];
  readonly problems: Problem[] = [];
  depth = 0;
  /** Set once maxProblems were recorded: containers stop looking further. */
  full = false;

  constructor(
    readonly maxProblems = 100,
    readonly maxDepth = 64,
  ) {}

  /** Records a problem at the current path (plus `segment`, for a field that is missing or unknown). */
  report(message: string, hint?: string, segment?: PathSegment): void {
    if (this.full) return;
    if (this.problems.length >= this.maxProblems) {
      this.full = true;
      this.problems.push({ path: '$', message: `too many problems; only the first ${this.maxProblems} are shown` });
      return;
    }
    const path = formatPath(segment === undefined ? this.path : [...this.path, segment]);
    this.problems.push(hint === undefined ? { path, message } : { path, message, hint });
  }

  /** The name of what is being checked, for messages: the last field name on the path. */
  noun(fallback = 'value'): string {
    for (let i = this.path.length - 1; i >= 0; i--) {
      const seg = this.path[i];
      if (typeof seg === 'string') return seg;
    }
    return fallback;
  }

  /** Enters a container; false (with a problem) when that would nest too deep. */
  enter(): boolean {
    if (this.depth >= this.maxDepth) {
      this.report(`nested too deeply (more than ${this.maxDepth} levels)`);
      return false;
    }
    this.depth++;
    return true;
  }

  leave(): void {
    this.depth--;
  }
}

/** Where JSON Schema export collects the definitions of named schemas. */
export interface JsonSchemaContext {
  readonly defs: Map<string, JsonSchema>;
}

export abstract class Schema<T> {
  /** The type a valid value has; only for `Infer`. */
  declare readonly __type: T;
  readonly isOptional: boolean = false;
  description: string | undefined = undefined;

  /** What a valid value is, in words: "a string", "an integer from 1 to 8". */
  abstract get expected(): string;
  /** Checks `value` at `ctx.path`, recording every problem; true when there is none. */
  abstract check(value: unknown, ctx: CheckContext): boolean;
  /** Whether `value` is of the JavaScript kind this schema is about (to pick the variant of a union to blame). */
  abstract acceptsType(value: unknown): boolean;
  protected abstract toJson(ctx: JsonSchemaContext): JsonSchema;

  jsonSchema(ctx: JsonSchemaContext): JsonSchema {
    const body = this.toJson(ctx);
    return this.description === undefined ? body : { description: this.description, ...body };
  }

  /** The same value with object fields in declared order and undefined fields left out, for stable output. */
  normalize(value: T): T {
    return value;
  }

  /** A copy of this schema carrying a description (shown by editors through the JSON Schema). */
  describe(text: string): this {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(copy, this);
    copy.description = text;
    return copy;
  }

  /** Checks `value`, never throwing; on success the value itself, typed. */
  validate(value: unknown, options: ValidateOptions = {}): Validated<T> {
    const ctx = new CheckContext(options.maxProblems ?? 100, options.maxDepth ?? 64);
    let ok: boolean;
    try {
      ok = this.check(value, ctx);
    } catch (e) {
      // Only a hostile object (a throwing getter or proxy) gets here; JSON and structured clones never do.
      ctx.report(`could not be read (${e instanceof Error ? e.message : 'unknown error'})`);
      ok = false;
    }
    if (ok && ctx.problems.length === 0) return { ok: true, value: value as T };
    return { ok: false, problems: ctx.problems };
  }

  is(value: unknown): value is T {
    return this.validate(value, { maxProblems: 1 }).ok;
  }
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function typeHint(expected: 'string' | 'number' | 'boolean' | 'array' | 'object', v: unknown): string | undefined {
  if (expected === 'string' && (typeof v === 'number' || typeof v === 'boolean')) return `write it in double quotes: "${String(v)}"`;
  if (expected === 'number' && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return `write the number without quotes: ${v.trim()}`;
  if (expected === 'boolean' && typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return `write ${v.trim().toLowerCase()} without quotes`;
  if (expected === 'boolean' && typeof v === 'string' && /^(yes|on)$/i.test(v.trim())) return 'write true without quotes';
  if (expected === 'boolean' && typeof v === 'string' && /^(no|off)$/i.test(v.trim())) return 'write false without quotes';
  if (expected === 'array' && v !== null && typeof v !== 'object') return 'write a list in square brackets: [ … ]';
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

// ---- strings ----

/** A named check on a string beyond its pattern (an IPv4 address, a MAC), with its own words. */
export interface StringFormat {
  /** JSON Schema's `format` keyword, when the format has one (ipv4). */
  readonly jsonFormat?: string;
  /** For JSON Schema; should accept what `test` accepts. */
  readonly pattern?: RegExp;
  test(s: string): boolean;
  /** Why `s` is wrong, e.g. "'192.168.1.300' is not an IPv4 address". */
  message(s: string): string;
  hint?: string | ((s: string) => string | undefined);
}

export interface StringOptions {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: RegExp;
  /** What a value that misses the pattern is, e.g. "has spaces at its ends". */
  readonly patternMessage?: string;
  readonly patternHint?: string;
  readonly format?: StringFormat;
}

class StringSchema extends Schema<string> {
  constructor(readonly options: StringOptions) {
    super();
  }

  get expected(): string {
    return 'a string';
  }

  acceptsType(v: unknown): boolean {
    return typeof v === 'string';
  }

  check(v: unknown, ctx: CheckContext): boolean {
    if (typeof v !== 'string') {
      ctx.report(`expected ${this.expected}, got ${describeValue(v)}`, typeHint('string', v));
      return false;
    }
    const o = this.options;
    if (o.minLength !== undefined && v.length < o.minLength) {
      ctx.report(o.minLength === 1 ? 'must not be empty' : `must be at least ${o.minLength} characters long`);
      return false;
    }
    if (o.maxLength !== undefined && v.length > o.maxLength) {
      ctx.report(`is ${v.length} characters long; at most ${o.maxLength} allowed`);
      return false;
    }
    if (o.pattern && !o.pattern.test(v)) {
      ctx.report(`${quote(v)} ${o.patternMessage ?? `does not match the pattern ${o.pattern.source}`}`, o.patternHint);
      return false;
    }
    const f = o.format;
    if (f && !f.test(v)) {
      ctx.report(f.message(v), typeof f.hint === 'function' ? f.hint(v) : f.hint);
      return false;
    }
    return true;
  }

  protected toJson(): JsonSchema {
    const o = this.options;
    const s: JsonSchema = { type: 'string' };
    if (o.minLength !== undefined) s.minLength = o.minLength;
    if (o.maxLength !== undefined) s.maxLength = o.maxLength;
    const patterns = [o.pattern, o.format?.pattern].filter((p): p is RegExp => p !== undefined);
    if (patterns.length === 1) s.pattern = patterns[0].source;
    else if (patterns.length > 1) s.allOf = patterns.map((p) => ({ pattern: p.source }));
    if (o.format?.jsonFormat) s.format = o.format.jsonFormat;
    return s;
  }
}

export function string(options: StringOptions = {}): Schema<string> {
  return new StringSchema(options);
}

export interface EnumOptions {
  /** What a value is called in messages ("unknown attachment 'natt'"); default: the field's name. */
  readonly noun?: string;
}

class EnumSchema<T extends string> extends Schema<T> {
  private readonly set: ReadonlySet<string>;

  constructor(
    readonly values: readonly T[],
    readonly options: EnumOptions,
  ) {
    super();
    this.set = new Set(values);
  }

  get expected(): string {
    return `one of ${this.values.join(', ')}`;
  }

  acceptsType(v: unknown): boolean {
    return typeof v === 'string';
  }

  check(v: unknown, ctx: CheckContext): boolean {
    if (typeof v === 'string' && this.set.has(v)) return true;
    if (typeof v !== 'string') {
      ctx.report(`expected ${this.expected}, got ${describeValue(v)}`, typeof v === 'number' || typeof v === 'boolean' ? typeHint('string', v) : undefined);
      return false;
    }
    const noun = this.options.noun ?? ctx.noun();
    ctx.report(`unknown ${noun} ${quote(v)}; expected ${this.expected}`, didYouMean(v, this.values));
    return false;
  }

  protected toJson(): JsonSchema {
    return { type: 'string', enum: [...this.values] };
  }
}

/** A string that is one of `values`. */
export function enumOf<const T extends readonly string[]>(values: T, options: EnumOptions = {}): Schema<T[number]> {
  return new EnumSchema<T[number]>(values, options);
}

// ---- numbers and booleans ----

export interface NumberOptions {
  readonly min?: number;
  readonly max?: number;
}

class NumberSchema extends Schema<number> {
  constructor(
    readonly integer: boolean,
    readonly options: NumberOptions,
  ) {
    super();
  }

  private get range(): string {
    const { min, max } = this.options;
    if (min !== undefined && max !== undefined) return `from ${min} to ${max}`;
    if (min !== undefined) return `at least ${min}`;
    if (max !== undefined) return `at most ${max}`;
    return '';
  }

  get expected(): string {
    const r = this.range;
    return `${this.integer ? 'an integer' : 'a number'}${r ? ` ${r}` : ''}`;
  }

  acceptsType(v: unknown): boolean {
    return typeof v === 'number';
  }

  check(v: unknown, ctx: CheckContext): boolean {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      ctx.report(`expected ${this.expected}, got ${describeValue(v)}`, typeHint('number', v));
      return false;
    }
    if (this.integer && !Number.isInteger(v)) {
      ctx.report(`expected ${this.expected}, got ${v}`, `write a whole number, e.g. ${Math.round(v)}`);
      return false;
    }
    const { min, max } = this.options;
    if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
      ctx.report(`must be ${this.range}, got ${v}`);
      return false;
    }
    return true;
  }

  protected toJson(): JsonSchema {
    const s: JsonSchema = { type: this.integer ? 'integer' : 'number' };
    if (this.options.min !== undefined) s.minimum = this.options.min;
    if (this.options.max !== undefined) s.maximum = this.options.max;
    return s;
  }
}

export function integer(options: NumberOptions = {}): Schema<number> {
  return new NumberSchema(true, options);
}

export function number(options: NumberOptions = {}): Schema<number> {
  return new NumberSchema(false, options);
}

class BooleanSchema extends Schema<boolean> {
  get expected(): string {
    return 'true or false';
  }

  acceptsType(v: unknown): boolean {
    return typeof v === 'boolean';
  }

  check(v: unknown, ctx: CheckContext): boolean {
    if (typeof v === 'boolean') return true;
    ctx.report(`expected ${this.expected}, got ${describeValue(v)}`, typeHint('boolean', v));
    return false;
  }

  protected toJson(): JsonSchema {
    return { type: 'boolean' };
  }
}

export function boolean(): Schema<boolean> {
  return new BooleanSchema();
}

type LiteralValue = string | number | boolean | null;

class LiteralSchema<T extends LiteralValue> extends Schema<T> {
  constructor(readonly value: T) {
    super();
  }

  get expected(): string {
    return JSON.stringify(this.value);
  }

  acceptsType(v: unknown): boolean {
    return this.value === null ? v === null : typeof v === typeof this.value;
  }

  check(v: unknown, ctx: CheckContext): boolean {
    if (v === this.value) return true;
    const hint = typeof v === 'string' && typeof this.value === 'string' ? didYouMean(v, [this.value]) : undefined;
    ctx.report(`expected ${this.expected}, got ${describeValue(v)}`, hint);
    return false;
  }

  protected toJson(): JsonSchema {
    return { const: this.value };
  }
}

export function literal<const T extends LiteralValue>(value: T): Schema<T> {
  return new LiteralSchema(value);
}

class UnknownSchema extends Schema<unknown> {
  get expected(): string {
    return 'any value';
  }

  acceptsType(): boolean {
    return true;
  }

  check(): boolean {
    return true;
  }

  protected toJson(): JsonSchema {
    return {};
  }
}

/** Anything (checked elsewhere, or opaque). */
export function unknown(): Schema<unknown> {
  return new UnknownSchema();
}

// ---- wrappers ----

class OptionalSchema<T> extends Schema<T | undefined> {
  override readonly isOptional = true as const;

  constructor(readonly inner: Schema<T>) {
    super();
  }

  get expected(): string {
    return this.inner.expected;
  }

  acceptsType(v: unknown): boolean {
    return v === undefined || this.inner.acceptsType(v);
  }

  check(v: unknown, ctx: CheckContext): boolean {
    return v === undefined || this.inner.check(v, ctx);
  }

  override normalize(v: T | undefined): T | undefined {
    return v === undefined ? undefined : this.inner.normalize(v);
  }

  protected toJson(ctx: JsonSchemaContext): JsonSchema {
    return this.inner.jsonSchema(ctx);
  }
}

export interface OptionalMarker {
  readonly isOptional: true;
}

/** A field that may be left out of its object. */
export function optional<T>(inner: Schema<T>): Schema<T | undefined> & OptionalMarker {
  return new OptionalSchema(inner);
}

class NamedSchema<T> extends Schema<T> {
  private resolved: Schema<T> | undefined;

  constructor(
    readonly name: string,
    private readonly source: Schema<T> | (() => Schema<T>),
  ) {
    super();
  }

  get inner(): Schema<T> {
    if (!this.resolved) this.resolved = typeof this.source === 'function' ? this.source() : this.source;
    return this.resolved;
  }

  get expected(): string {
    return this.inner.expected;
  }

  acceptsType(v: unknown): boolean {
    return this.inner.acceptsType(v);
  }

  check(v: unknown, ctx: CheckContext): boolean {
    // A recursive schema recurses here: the depth limit bounds it.
    if (!ctx.enter()) return false;
    try {
      return this.inner.check(v, ctx);
    } finally {
      ctx.leave();
    }
  }

  override normalize(v: T): T {
    return this.inner.normalize(v);
  }

  protected toJson(ctx: JsonSchemaContext): JsonSchema {
    if (!ctx.defs.has(this.name)) {
      ctx.defs.set(this.name, {}); // a placeholder first, so a recursive schema refers to itself
      ctx.defs.set(this.name, this.inner.jsonSchema(ctx));
    }
    return { $ref: `#/$defs/${this.name}` };
  }
}

/** A schema with a name: exported once under `$defs` and referred to; a function allows recursion. */
export function named<T>(name: string, schema: Schema<T> | (() => Schema<T>)): Schema<T> {
  return new NamedSchema(name, schema);
}

// ---- containers ----

export interface ArrayOptions {
  readonly minItems?: number;
  readonly maxItems?: number;
}

class ArraySchema<T> extends Schema<T[]> {
  constructor(
    readonly item: Schema<T>,
    readonly options: ArrayOptions,
  ) {
    super();
  }

  get expected(): string {
    return 'a list';
  }

  acceptsType(v: unknown): boolean {
    return Array.isArray(v);
  }

  check(v: unknown, ctx: CheckContext): boolean {
    if (!Array.isArray(v)) {
      ctx.report(`expected ${this.expected}, got ${describeValue(v)}`, typeHint('array', v));
      return false;
    }
    const { minItems, maxItems } = this.options;
    if (maxItems !== undefined && v.length > maxItems) {
      ctx.report(`has ${v.length} items; at most ${maxItems} allowed`);
      return false;
    }
    let ok = true;
    if (minItems !== undefined && v.length < minItems) {
      ctx.report(minItems === 1 ? 'must not be empty' : `has ${v.length} items; at least ${minItems} needed`);
      ok = false;
    }
    if (!ctx.enter()) return false;
    try {
      for (let i = 0; i < v.length && !ctx.full; i++) {
        ctx.path.push(i);
        if (!this.item.check(v[i], ctx)) ok = false;
        ctx.path.pop();
      }
    } finally {
      ctx.leave();
    }
    return ok;
  }

  override normalize(v: T[]): T[] {
    return v.map((x) => this.item.normalize(x));
  }

  protected toJson(ctx: JsonSchemaContext): JsonSchema {
    const s: JsonSchema = { type: 'array', items: this.item.jsonSchema(ctx) };
    if (this.options.minItems !== undefined) s.minItems = this.options.minItems;
    if (this.options.maxItems !== undefined) s.maxItems = this.options.maxItems;
    return s;
  }
}

export function array<T>(item: Schema<T>, options: ArrayOptions = {}): Schema<T[]> {
  return new ArraySchema(item, options);
}

// Every Schema<T> is assignable to Schema<unknown> (its type appears only in covariant places and method parameters).
type Fields = Record<string, Schema<unknown>>;
type OptionalKeys<F> = { [K in keyof F]: F[K] extends OptionalMarker ? K : never }[keyof F];
type RequiredKeys<F> = Exclude<keyof F, OptionalKeys<F>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOutput<F> = Simplify<{ [K in RequiredKeys<F>]: Infer<F[K]> } & { [K in OptionalKeys<F>]?: Exclude<Infer<F[K]>, undefined> }>;

export interface ObjectOptions {
  /** Accept fields not declared (default: each is a problem, "unknown field"). */
  readonly allowUnknown?: boolean;
}

export class ObjectSchema<F extends Fields> extends Schema<ObjectOutput<F>> {
  private readonly entries: ReadonlyArray<readonly [string, Schema<unknown>]>;
  private readonly known: ReadonlySet<string>;

  constructor(
    readonly fields: F,
    readonly options: ObjectOptions,
  ) {
    super();
    this.entries = Object.entries(fields) as unknown as ReadonlyArray<readonly [string, Schema<unknown>]>;
    this.known = new Set(Object.keys(fields));
  }

  get expected(): string {
    return 'an object';
  }

  acceptsType(v: unknown): boolean {
    return isPlainObject(v);
  }

  check(v: unknown, ctx: CheckContext): boolean {
    if (!isPlainObject(v)) {
      ctx.report(`expected ${this.expected}, got ${describeValue(v)}`, Array.isArray(v) ? 'write an object in braces: { … }' : undefined);
      return false;
    }
    if (!ctx.enter()) return false;
    let ok = true;
    try {
      for (const [key, schema] of this.entries) {
        if (ctx.full) break;
        if (!hasOwn(v, key)) {
          if (!schema.isOptional) {
            ctx.report(`missing required field '${key}'`, `add "${key}": ${schema.expected}`, key);
            ok = false;
          }
          continue;
        }
        ctx.path.push(key);
        if (!schema.check(v[key], ctx)) ok = false;
        ctx.path.pop();
      }
      if (!this.options.allowUnknown) {
        for (const key of Object.keys(v)) {
          if (ctx.full) break;
          if (this.known.has(key)) continue;
          const hint = didYouMean(key, this.known) ?? (this.known.size > 0 ? `the fields here are ${[...this.known].join(', ')}` : 'this object takes no fields');
          ctx.report(`unknown field ${quote(key)}`, hint, key);
          ok = false;
        }
      }
    } finally {
      ctx.leave();
    }
    return ok;
  }

  override normalize(v: ObjectOutput<F>): ObjectOutput<F> {
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, schema] of this.entries) {
      const x = src[key];
      if (x !== undefined) out[key] = schema.normalize(x);
    }
    if (this.options.allowUnknown) for (const key of Object.keys(src)) if (!this.known.has(key) && src[key] !== undefined) out[key] = src[key];
    return out as ObjectOutput<F>;
  }

  protected toJson(ctx: JsonSchemaContext): JsonSchema {
    const properties: JsonSchema = {};
    const required: string[] = [];
    for (const [key, schema] of this.entries) {
      properties[key] = schema.jsonSchema(ctx);
      if (!schema.isOptional) required.push(key);
    }
    const s: JsonSchema = { type: 'object', properties };
    if (required.length > 0) s.required = required;
    if (!this.options.allowUnknown) s.additionalProperties = false;
    return s;
  }
}

export function object<F extends Fields>(fields: F, options: ObjectOptions = {}): ObjectSchema<F> {
  return new ObjectSchema(fields, options);
}

export interface RecordOptions {
  /** Each key is checked as this string schema (a host name, a device name). */
  readonly key?: Schema<string>;
  readonly maxEntries?: number;
}

class RecordSchema<V> extends Schema<Record<string, V>> {
  constructor(
    readonly value: Schema<V>,
    readonly options: RecordOptions,
  ) {
    super();
  }

  get expected(): string {
    return 'an object';
  }

  acceptsType(v: unknown): boolean {
    return isPlainObject(v);
  }

  check(v: unknown, ctx: CheckContext): boolean {
    if (!isPlainObject(v)) {
      ctx.report(`expected ${this.expected}, got ${describeValue(v)}`);
      return false;
    }
    const keys = Object.keys(v);
    const max = this.options.maxEntries;
    if (max !== undefined && keys.length > max) {
      ctx.report(`has ${keys.length} entries; at most ${max} allowed`);
      return false;
    }
    if (!ctx.enter()) return false;
    let ok = true;
    try {
      for (const key of keys) {
        if (ctx.full) break;
        ctx.path.push(key);
        if (this.options.key && !this.options.key.check(key, ctx)) ok = false;
        if (!this.value.check(v[key], ctx)) ok = false;
        ctx.path.pop();
      }
    } finally {
      ctx.leave();
    }
    return ok;
  }

  override normalize(v: Record<string, V>): Record<string, V> {
    const out: Record<string, V> = {};
    for (const key of Object.keys(v)) {
      const x = v[key];
      if (x !== undefined) out[key] = this.value.normalize(x);
    }
    return out;
  }

  protected toJson(ctx: JsonSchemaContext): JsonSchema {
    const s: JsonSchema = { type: 'object', additionalProperties: this.value.jsonSchema(ctx) };
    if (this.options.key) s.propertyNames = this.options.key.jsonSchema(ctx);
    if (this.options.maxEntries !== undefined) s.maxProperties = this.options.maxEntries;
    return s;
  }
}

/** An object used as a map from string keys to values of one schema. */
export function record<V>(value: Schema<V>, options: RecordOptions = {}): Schema<Record<string, V>> {
  return new RecordSchema(value, options);
}

// ---- unions ----

class UnionSchema<T> extends Schema<T> {
  constructor(readonly variants: ReadonlyArray<Schema<T>>) {
    super();
  }

  get expected(): string {
    return [...new Set(this.variants.map((s) => s.expected))].join(' or ');
  }

  acceptsType(v: unknown): boolean {
    return this.variants.some((s) => s.acceptsType(v));
  }

  check(v: unknown, ctx: CheckContext): boolean {
    let best: { schema: Schema<T>; count: number } | undefined;
    let candidates = 0;
    for (const s of this.variants) {
      if (!s.acceptsType(v)) continue;
      candidates++;
      const trial = new CheckContext(ctx.maxProblems, ctx.maxDepth - ctx.depth);
      trial.path.push(...ctx.path);
      if (s.check(v, trial)) return true;
      if (!best || trial.problems.length < best.count) best = { schema: s, count: trial.problems.length };
    }
    if (!best || candidates === 0) {
      ctx.report(`expected ${this.expected}, got ${describeValue(v)}`);
      return false;
    }
    // Blame the variant that came closest, with its own precise problems.
    best.schema.check(v, ctx);
    return false;
  }

  override normalize(v: T): T {
    for (const s of this.variants) if (s.is(v)) return s.normalize(v);
    return v;
  }

  protected toJson(ctx: JsonSchemaContext): JsonSchema {
    return { anyOf: this.variants.map((s) => s.jsonSchema(ctx)) };
  }
}

/** A value valid against any one of `variants` (problems are those of the closest one). */
export function union<const S extends readonly Schema<unknown>[]>(variants: S): Schema<Infer<S[number]>> {
  return new UnionSchema(variants as unknown as ReadonlyArray<Schema<Infer<S[number]>>>);
}

/** `inner`, or null. */
export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return new UnionSchema<T | null>([inner, literal(null)]);
}

class DiscriminatedUnionSchema<T> extends Schema<T> {
  private readonly byTag = new Map<string | number | boolean, ObjectSchema<Fields>>();

  constructor(
    readonly tag: string,
    readonly variants: ReadonlyArray<ObjectSchema<Fields>>,
  ) {
    super();
    for (const v of variants) {
      const t = v.fields[tag] as unknown;
      if (!(t instanceof LiteralSchema) || t.value === null) throw new Error(`discriminatedUnion: every variant needs a literal '${tag}' field`);
      this.byTag.set(t.value as string | number | boolean, v);
    }
  }

  private get tags(): string[] {
    return [...this.byTag.keys()].map(String);
  }

  get expected(): string {
    return `an object with "${this.tag}": one of ${this.tags.join(', ')}`;
  }

  acceptsType(v: unknown): boolean {
    return isPlainObject(v);
  }

  private variantOf(v: Record<string, unknown>): ObjectSchema<Fields> | undefined {
    const t = v[this.tag];
    return typeof t === 'string' || typeof t === 'number' || typeof t === 'boolean' ? this.byTag.get(t) : undefined;
  }

  check(v: unknown, ctx: CheckContext): boolean {
    if (!isPlainObject(v)) {
      ctx.report(`expected ${this.expected}, got ${describeValue(v)}`);
      return false;
    }
    if (!hasOwn(v, this.tag)) {
      ctx.report(`missing required field '${this.tag}'`, `add "${this.tag}": one of ${this.tags.join(', ')}`, this.tag);
      return false;
    }
    const variant = this.variantOf(v);
    if (!variant) {
      const t = v[this.tag];
      const msg = typeof t === 'string' ? `unknown ${this.tag} ${quote(t)}; expected one of ${this.tags.join(', ')}` : `expected one of ${this.tags.join(', ')}, got ${describeValue(t)}`;
      ctx.report(msg, typeof t === 'string' ? didYouMean(t, this.tags) : undefined, this.tag);
      return false;
    }
    return variant.check(v, ctx);
  }

  override normalize(v: T): T {
    const variant = isPlainObject(v) ? this.variantOf(v) : undefined;
    return variant ? (variant.normalize(v as never) as T) : v;
  }

  protected toJson(ctx: JsonSchemaContext): JsonSchema {
    return { type: 'object', required: [this.tag], oneOf: this.variants.map((s) => s.jsonSchema(ctx)) };
  }
}

/** One of several object shapes told apart by the literal value of field `tag` (`{"mode": "static", …}`). */
export function discriminatedUnion<const S extends readonly ObjectSchema<Fields>[]>(tag: string, variants: S): Schema<Infer<S[number]>> {
  return new DiscriminatedUnionSchema<Infer<S[number]>>(tag, variants as unknown as ReadonlyArray<ObjectSchema<Fields>>);
}

// ---- export ----

export interface JsonSchemaDocumentOptions {
  readonly id?: string;
  readonly title?: string;
  readonly description?: string;
}

/** The whole JSON Schema (draft 2020-12) document for `root`, with named schemas under `$defs` (sorted, for a stable file). */
export function toJsonSchema(root: Schema<unknown>, options: JsonSchemaDocumentOptions = {}): JsonSchema {
  const ctx: JsonSchemaContext = { defs: new Map() };
  const body = root.jsonSchema(ctx);
  const doc: JsonSchema = { $schema: 'https://json-schema.org/draft/2020-12/schema' };
  if (options.id !== undefined) doc.$id = options.id;
  if (options.title !== undefined) doc.title = options.title;
  if (options.description !== undefined) doc.description = options.description;
  Object.assign(doc, body);
  if (ctx.defs.size > 0) {
    const defs: JsonSchema = {};
    for (const name of [...ctx.defs.keys()].sort()) defs[name] = ctx.defs.get(name) as JsonSchema;
    doc.$defs = defs;
  }
  return doc;
}
