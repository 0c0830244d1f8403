// A strict JSON (RFC 8259) reader for files people edit: errors with line, column and JSON path in words, duplicate keys found, nesting bounded.
import { formatPath, type PathSegment } from '../api/schema';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface JsonTextError {
  message: string;
  hint?: string;
  /** 1-based, counting UTF-16 code units as editors do. */
  line: number;
  column: number;
  offset: number;
  /** Where in the document the reader was: `$.vms[1].name`. */
  path: string;
}

export interface DuplicateKey {
  path: string;
  key: string;
  line: number;
  column: number;
}

/** Where the values of a parsed document start in its text (a field: where its name starts), found by JSON path. */
export class JsonPositions {
  constructor(
    readonly root: JsonValue,
    readonly rootOffset: number,
    /** Per container: offsets of its items, or of its fields by name. */
    private readonly byContainer: WeakMap<object, number[] | Map<string, number>>,
  ) {}

  /** The offset of the value at `path`, or of the deepest enclosing value that exists (a missing field: its object). */
  offsetOf(path: readonly PathSegment[]): number {
    let v: JsonValue | undefined = this.root;
    let offset = this.rootOffset;
    for (const seg of path) {
      if (v === null || typeof v !== 'object') break;
      const offs = this.byContainer.get(v);
      if (!offs) break;
      const next: number | undefined = Array.isArray(offs) ? (typeof seg === 'number' ? offs[seg] : undefined) : typeof seg === 'string' ? offs.get(seg) : undefined;
      if (next === undefined) break;
      offset = next;
      v = Array.isArray(v) ? v[seg as number] : (v as { [key: string]: JsonValue })[seg as string];
    }
    return offset;
  }
}

export type JsonTextResult = { ok: true; value: JsonValue; duplicates: DuplicateKey[]; positions: JsonPositions | null } | { ok: false; error: JsonTextError };

export interface JsonTextOptions {
  /** Deepest nesting accepted; default 128 (a lab file needs about 8). */
  maxDepth?: number;
  /** Record where each value starts (a field: its name), by JSON path, to point problems found later at a line. */
  positions?: boolean;
}

class Stop {
  constructor(
    readonly message: string,
    readonly offset: number,
    readonly hint?: string,
  ) {}
}

/** The character at `i` for a message: `'}'`, `end of file`, `a line break`. */
function what(text: string, i: number): string {
  if (i >= text.length) return 'the end of the file';
  const ch = text[i];
  if (ch === '\n' || ch === '\r') return 'a line break';
  const code = ch.charCodeAt(0);
  if (code < 0x20) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  const cp = text.codePointAt(i) ?? code;
  return `'${String.fromCodePoint(cp)}'`;
}

class Reader {
  pos = 0;
  readonly path: PathSegment[] = [];
  readonly duplicates: Array<{ path: string; key: string; offset: number }> = [];
  /** Offsets by container, when recording positions. */
  readonly containers = new WeakMap<object, number[] | Map<string, number>>();
  private depth = 0;

  constructor(
    readonly text: string,
    readonly maxDepth: number,
    readonly recordPositions: boolean,
  ) {}

  stop(message: string, hint?: string, at = this.pos): never {
    throw new Stop(message, at, hint);
  }

  ws(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else if (c === 0x2f && (t[this.pos + 1] === '/' || t[this.pos + 1] === '*')) this.stop('JSON has no comments', 'remove the comment, or put the note in a "description" field');
      else break;
    }
  }

  value(): JsonValue {
    this.ws();
    const t = this.text;
    const c = t[this.pos];
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return this.string();
      case 't':
        return this.word('true', true);
      case 'f':
        return this.word('false', false);
      case 'n':
        return this.word('null', null);
      case "'":
        this.stop('strings in JSON use double quotes', 'write "text", not \'text\'');
        break;
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    }
    if (this.pos >= t.length) this.stop('the file ends where a value should be', 'the file looks cut short; check that it was saved completely');
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(this.pos, this.pos + 40));
    if (word) {
      const w = word[0];
      const hint = /^(True|TRUE|False|FALSE|Null|NULL|None)$/.test(w) ? `write ${w === 'None' ? 'null' : w.toLowerCase()} in lower case` : `put text in double quotes: "${w}"`;
      this.stop(`unexpected word '${w}' where a value should be`, hint);
    }
    this.stop(`unexpected ${what(t, this.pos)} where a value should be`);
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) this.stop(`nested more than ${this.maxDepth} levels deep`, 'a lab file is never this deep; is it the right file?');
  }

  private word<T extends JsonValue>(w: string, v: T): T {
    if (this.text.startsWith(w, this.pos)) {
      this.pos += w.length;
      return v;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos, this.pos + 40));
    const found = m ? m[0] : this.text[this.pos];
    // "nul" or "nulll" meant null; "nat" is text that lost its quotes.
    const near = found.length > 1 && (w.startsWith(found) || found.startsWith(w));
    this.stop(`unexpected word '${found}' where a value should be`, near ? `did you mean ${w}?` : `put text in double quotes: "${found}"`);
  }

  private number(): number {
    const t = this.text;
    const start = this.pos;
    let i = start;
    const digits = (): number => {
      const from = i;
      while (i < t.length && t.charCodeAt(i) >= 0x30 && t.charCodeAt(i) <= 0x39) i++;
      return i - from;
    };
    if (t[i] === '-') i++;
    const intStart = i;
    if (digits() === 0) this.stop(`unexpected ${what(t, i)} after '-'`, 'write a number such as -1', i);
    if (t[intStart] === '0' && i - intStart > 1) this.stop('numbers in JSON cannot start with 0', 'remove the leading zero (and quote addresses: "192.168.001.010" is text)', start);
    if (t[i] === '.') {
      i++;
      if (digits() === 0) this.stop(`expected a digit after the decimal point, found ${what(t, i)}`, 'write 1.0 or 1, not 1.', i);
    }
    if (t[i] === 'e' || t[i] === 'E') {
      i++;
      if (t[i] === '+' || t[i] === '-') i++;
      if (digits() === 0) this.stop(`expected the exponent's digits, found ${what(t, i)}`, 'write an exponent like 1e3', i);
    }
    const next = t[i];
    if (next !== undefined && /[0-9.eE+\-xXA-Za-z_]/.test(next)) {
      if (next === 'x' || next === 'X') this.stop('JSON has no hexadecimal numbers', 'write the number in decimal', i);
      this.stop(`unexpected ${what(t, i)} in a number`, 'put text in double quotes', i);
    }
    this.pos = i;
    return Number(t.slice(start, i));
  }

  private string(): string {
    const t = this.text;
    const start = this.pos;
    this.pos++;
    let out = '';
    let run = this.pos;
    while (true) {
      if (this.pos >= t.length) this.stop('this string is never closed', 'add the closing double quote', start);
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(run, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) {
        if (c === 0x0a || c === 0x0d) this.stop('this string is never closed on its line', 'add the closing double quote; write a line break inside text as \\n', start);
        this.stop(`${what(t, this.pos)} inside a string`, 'write it as an escape such as \\t');
      }
      if (c === 0x5c) {
        out += t.slice(run, this.pos);
        const e = t[this.pos + 1];
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = t.slice(this.pos + 2, this.pos + 6);
            if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.stop('\\u must be followed by four hex digits', 'write it like \\u00e9');
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          default:
            this.stop(`unknown escape '\\${e ?? ''}' in a string`, 'write a backslash itself as \\\\ (Windows paths too)');
        }
        this.pos += 2;
        run = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private array(): JsonValue[] {
    this.enter();
    this.pos++;
    const out: JsonValue[] = [];
    const offsets: number[] | null = this.recordPositions ? [] : null;
    if (offsets) this.containers.set(out, offsets);
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      this.depth--;
      return out;
    }
    while (true) {
      this.path.push(out.length);
      if (offsets) {
        this.ws();
        offsets.push(this.pos);
      }
      out.push(this.value());
      this.path.pop();
      this.ws();
      const c = this.text[this.pos];
      if (c === ']') {
        this.pos++;
        this.depth--;
        return out;
      }
      if (c !== ',') this.stop(`expected ',' or ']' after a list item, found ${what(this.text, this.pos)}`, this.pos >= this.text.length ? 'the list is never closed; add ]' : 'separate list items with commas');
      const comma = this.pos;
      this.pos++;
      this.ws();
      if (this.text[this.pos] === ']') this.stop('a comma before \']\' ends this list', 'JSON allows no comma after the last item; remove it', comma);
    }
  }

  private object(): { [key: string]: JsonValue } {
    this.enter();
    this.pos++;
    const out: { [key: string]: JsonValue } = {};
    const keys = new Set<string>();
    const offsets: Map<string, number> | null = this.recordPositions ? new Map() : null;
    if (offsets) this.containers.set(out, offsets);
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      this.depth--;
      return out;
    }
    while (true) {
      this.ws();
      const c = this.text[this.pos];
      if (c !== '"') {
        const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(this.text.slice(this.pos, this.pos + 64));
        if (word) this.stop(`field name '${word[0]}' is not in double quotes`, `write "${word[0]}"`);
        if (c === "'") this.stop('field names in JSON use double quotes', 'write "name", not \'name\'');
        this.stop(`expected a field name in double quotes, found ${what(this.text, this.pos)}`);
      }
      const keyAt = this.pos;
      const key = this.string();
      this.ws();
      if (this.text[this.pos] !== ':') this.stop(`expected ':' after field name "${key}", found ${what(this.text, this.pos)}`, 'write "field": value');
      this.pos++;
      this.path.push(key);
      if (offsets && !keys.has(key)) offsets.set(key, keyAt);
      const v = this.value();
      if (keys.has(key)) this.duplicates.push({ path: formatPath(this.path), key, offset: keyAt });
      this.path.pop();
      keys.add(key);
      // Object.defineProperty: a "__proto__" field stays a field, as JSON.parse keeps it.
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.ws();
      const d = this.text[this.pos];
      if (d === '}') {
        this.pos++;
        this.depth--;
        return out;
      }
      if (d !== ',') {
        const hint = d === '"' ? 'a comma is missing before this field' : this.pos >= this.text.length ? 'the object is never closed; add }' : 'separate fields with commas';
        this.stop(`expected ',' or '}' after the value of "${key}", found ${what(this.text, this.pos)}`, hint);
      }
      const comma = this.pos;
      this.pos++;
      this.ws();
      if (this.text[this.pos] === '}') this.stop('a comma before \'}\' ends this object', 'JSON allows no comma after the last field; remove it', comma);
    }
  }
}

/** A function giving the 1-based line and column of an offset in `text` (a CRLF counts as one line break). */
export function lineLocator(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) starts.push(i + 1);
  }
  return (offset) => {
    const o = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo] + 1 };
  };
}

/** Reads `text` as JSON; never throws. A leading byte-order mark is skipped. */
export function parseJsonText(text: string, options: JsonTextOptions = {}): JsonTextResult {
  const r = new Reader(text, options.maxDepth ?? 128, options.positions === true);
  if (text.charCodeAt(0) === 0xfeff) r.pos = 1;
  try {
    r.ws();
    const rootOffset = r.pos;
    const value = r.value();
    r.ws();
    if (r.pos < text.length) r.stop(`unexpected ${what(text, r.pos)} after the end of the document`, 'a lab file holds one object; remove what follows it');
    const locate = lineLocator(text);
    const positions = options.positions ? new JsonPositions(value, rootOffset, r.containers) : null;
    return { ok: true, value, duplicates: r.duplicates.map((d) => ({ path: d.path, key: d.key, ...locate(d.offset) })), positions };
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const at = lineLocator(text)(e.offset);
    const error: JsonTextError = { message: e.message, line: at.line, column: at.column, offset: e.offset, path: formatPath(r.path) };
    if (e.hint !== undefined) error.hint = e.hint;
    return { ok: false, error };
  }
}
