// A line editor for a line-based shell in xterm.js: typing, cursor keys, backspace, history with the arrows, Enter and Ctrl-C.

export type LineAction = { kind: 'submit'; line: string } | { kind: 'interrupt' } | { kind: 'clear' };

export interface FeedResult {
  /** What to write to the terminal so the screen shows the edit. */
  echo: string;
  actions: LineAction[];
  /** Input after an Enter or Ctrl-C, not yet handled: typed ahead of the command's end (a paste of several lines). */
  rest: string;
}

const ESC = '\x1b';

/** Splits terminal input into keys: escape sequences whole, other characters one by one (by code point). */
function keys(data: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < data.length) {
    if (data[i] === ESC) {
      // CSI (ESC [ digits; final) or SS3 (ESC O x): the sequences arrow, Home, End and Delete keys send.
      let len = 1;
      const isFinal = (c: string | undefined): boolean => c !== undefined && c >= '@' && c <= '~';
      if (data[i + 1] === '[') {
        let j = i + 2;
        while (j < data.length && ((data[j] >= '0' && data[j] <= '9') || data[j] === ';')) j++;
        if (isFinal(data[j])) len = j + 1 - i;
      } else if (data[i + 1] === 'O' && isFinal(data[i + 2])) len = 3;
      out.push(data.slice(i, i + len));
      i += len;
      continue;
    }
    const cp = data.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    out.push(ch);
    i += ch.length;
  }
  return out;
}

/** Columns of a string on a terminal, counting wide East Asian characters as two. */
export function columns(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    n += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) ? 2 : 1;
  }
  return n;
}

const left = (n: number): string => (n > 0 ? `${ESC}[${n}D` : '');
const right = (n: number): string => (n > 0 ? `${ESC}[${n}C` : '');

export class LineEditor {
  /** The line as characters (code points), so the cursor never splits one. */
  private chars: string[] = [];
  private cursor = 0;
  /** Position in `history` while browsing with the arrows; null at the line being typed (history may grow meanwhile). */
  private browse: number | null = null;
  private draft: string[] = [];

  constructor(private readonly history: () => readonly string[]) {
    this.reset();
  }

  get line(): string {
    return this.chars.join('');
  }

  get cursorIndex(): number {
    return this.cursor;
  }

  /** Forgets the line (after Enter or Ctrl-C) and starts browsing history from its end. */
  reset(): void {
    this.chars = [];
    this.cursor = 0;
    this.browse = null;
    this.draft = [];
  }

  /** Handles what xterm's onData gives: returns what to draw and what the user asked for. */
  feed(data: string): FeedResult {
    let echo = '';
    const actions: LineAction[] = [];
    const all = keys(data);
    for (let ki = 0; ki < all.length; ki++) {
      const k = all[ki];
      if (actions.some((a) => a.kind !== 'clear')) return { echo, actions, rest: all.slice(ki).join('') };
      switch (k) {
        case '\r':
        case '\n': {
          actions.push({ kind: 'submit', line: this.line });
          echo += right(columns(this.chars.slice(this.cursor).join(''))) + '\r\n';
          this.reset();
          break;
        }
        case '\x03': // Ctrl-C
          actions.push({ kind: 'interrupt' });
          echo += right(columns(this.chars.slice(this.cursor).join('')));
          this.reset();
          break;
        case '\x0c': // Ctrl-L
          actions.push({ kind: 'clear' });
          break;
        case '\x7f':
        case '\b':
          if (this.cursor > 0) echo += this.replace(this.cursor - 1, this.cursor, [], this.cursor - 1);
          break;
        case `${ESC}[3~`: // Delete
        case '\x04': // Ctrl-D on a non-empty line deletes forward
          if (this.cursor < this.chars.length) echo += this.replace(this.cursor, this.cursor + 1, [], this.cursor);
          break;
        case `${ESC}[D`:
        case `${ESC}OD`:
        case '\x02': // Ctrl-B
          if (this.cursor > 0) {
            echo += left(columns(this.chars[this.cursor - 1]));
            this.cursor--;
          }
          break;
        case `${ESC}[C`:
        case `${ESC}OC`:
        case '\x06': // Ctrl-F
          if (this.cursor < this.chars.length) {
            echo += right(columns(this.chars[this.cursor]));
            this.cursor++;
          }
          break;
        case `${ESC}[H`:
        case `${ESC}OH`:
        case `${ESC}[1~`:
        case '\x01': // Ctrl-A
          echo += left(columns(this.chars.slice(0, this.cursor).join('')));
          this.cursor = 0;
          break;
        case `${ESC}[F`:
        case `${ESC}OF`:
        case `${ESC}[4~`:
        case '\x05': // Ctrl-E
          echo += right(columns(this.chars.slice(this.cursor).join('')));
          this.cursor = this.chars.length;
          break;
        case '\x15': // Ctrl-U: kill to the start
          echo += this.replace(0, this.cursor, [], 0);
          break;
        case '\x0b': // Ctrl-K: kill to the end
          echo += this.replace(this.cursor, this.chars.length, [], this.cursor);
          break;
        case `${ESC}[A`:
        case `${ESC}OA`:
        case '\x10': // Ctrl-P
          echo += this.recall(-1);
          break;
        case `${ESC}[B`:
        case `${ESC}OB`:
        case '\x0e': // Ctrl-N
          echo += this.recall(1);
          break;
        case '\t':
          // No completion in a line-based shell: a tab becomes a space rather than a control character.
          echo += this.replace(this.cursor, this.cursor, [' '], this.cursor + 1);
          break;
        default: {
          // Printable text only; other control keys and unknown sequences do nothing.
          if (k.startsWith(ESC) || (k.length === 1 && (k.charCodeAt(0) < 0x20 || k.charCodeAt(0) === 0x7f))) break;
          echo += this.replace(this.cursor, this.cursor, [k], this.cursor + 1);
        }
      }
    }
    return { echo, actions, rest: '' };
  }

  /** Replaces chars [from, to) with `ins`, puts the cursor at `at`, and returns the redraw from the old cursor. */
  private replace(from: number, to: number, ins: string[], at: number): string {
    const old = this.chars;
    const next = [...old.slice(0, from), ...ins, ...old.slice(to)];
    if (from === old.length && to === from && this.cursor === from && at === next.length) {
      // Typing at the end of the line: the characters are the whole redraw.
      this.chars = next;
      this.cursor = at;
      return ins.join('');
    }
    const startCol = columns(old.slice(0, from).join(''));
    const cursorCol = columns(old.slice(0, this.cursor).join(''));
    let out = startCol < cursorCol ? left(cursorCol - startCol) : right(startCol - cursorCol);
    const tail = next.slice(from).join('');
    out += tail + `${ESC}[K`;
    const endCol = startCol + columns(tail);
    const atCol = columns(next.slice(0, at).join(''));
    out += left(endCol - atCol);
    this.chars = next;
    this.cursor = at;
    return out;
  }

  private recall(dir: -1 | 1): string {
    const h = this.history();
    const at = this.browse === null ? h.length : Math.min(this.browse, h.length);
    const to = at + dir;
    if (to < 0 || to > h.length || to === at) return '';
    if (this.browse === null) this.draft = this.chars;
    this.browse = to === h.length ? null : to;
    const text = this.browse === null ? this.draft : [...h[to]];
    return this.replace(0, this.chars.length, [...text], text.length);
  }
}
