// GNU sed's common uses: s/RE/REPL/FLAGS (any delimiter), d and p with /RE/, N and $ addresses, -i, -n, -e, -E; POSIX basic regexes translated to JavaScript.
import type { Command, CommandContext } from '../command';

type Address = { kind: 'line'; n: number } | { kind: 'last' } | { kind: 're'; re: RegExp };

type SedCommand =
  | { op: 's'; addr: Address | null; re: RegExp; replacement: string; global: boolean; nth: number; print: boolean }
  | { op: 'd' | 'p'; addr: Address | null };

type ParseResult = { ok: true; commands: SedCommand[] } | { ok: false; error: string };

const BRE_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
};

/** Translates a POSIX regex (basic, or extended with `ere`) into JavaScript source. */
export function posixToJs(re: string, ere: boolean): string {
  let out = '';
  let i = 0;
  let atStart = true;
  while (i < re.length) {
    const c = re[i];
    if (c === '[') {
      // Bracket expression: copied, with [:class:] expanded and a literal ] first kept literal.
      let j = i + 1;
      let body = '';
      if (re[j] === '^') {
        body += '^';
        j++;
      }
      if (re[j] === ']') {
        body += '\\]';
        j++;
      }
      while (j < re.length && re[j] !== ']') {
        if (re[j] === '[' && re[j + 1] === ':') {
          const close = re.indexOf(':]', j + 2);
          if (close > 0) {
            body += BRE_CLASSES[re.slice(j + 2, close)] ?? '';
            j = close + 2;
            continue;
          }
        }
        if (re[j] === '\\') body += '\\\\';
        else body += re[j];
        j++;
      }
      out += `[${body}]`;
      i = j + 1;
      atStart = false;
      continue;
    }
    if (c === '\\' && i + 1 < re.length) {
      const d = re[i + 1];
      i += 2;
      if (!ere && '(){}+?|'.includes(d)) {
        out += d;
        atStart = d === '(' || d === '|';
        continue;
      }
      if (d === 'n') out += '\\n';
      else if (d === 't') out += '\\t';
      else if (d === '<' || d === '>') out += '\\b';
      else if ('wWsSb'.includes(d)) out += `\\${d}`;
      else if (/[0-9]/.test(d)) out += `\\${d}`;
      else out += /[\\^$.*+?()[\]{}|/]/.test(d) ? `\\${d}` : d;
      atStart = false;
      continue;
    }
    if (!ere && '(){}+?|'.includes(c)) {
      out += `\\${c}`;
    } else if (c === '*' && atStart) {
      out += '\\*';
    } else if (c === '/') {
      out += '\\/';
    } else out += c;
    atStart = c === '^' || (ere && (c === '(' || c === '|'));
    i++;
  }
  return out;
}

/** Compiles one sed script (one -e expression); never throws, errors come back in sed's words. */
export function parseSedScript(script: string, ere: boolean, exprIndex: number): ParseResult {
  const commands: SedCommand[] = [];
  let i = 0;
  const err = (msg: string, at = i): ParseResult => ({ ok: false, error: `sed: -e expression #${exprIndex}, char ${at}: ${msg}\n` });
  /** Reads up to the unescaped delimiter; returns the raw text and the index after the delimiter, or null. */
  const until = (delim: string): { text: string; next: number } | null => {
    let text = '';
    let j = i;
    while (j < script.length) {
      const c = script[j];
      if (c === '\\' && j + 1 < script.length) {
        text += script[j + 1] === delim && delim !== '\\' ? delim : c + script[j + 1];
        j += 2;
        continue;
      }
      if (c === '\n' && delim !== '\n') return null;
      if (c === delim) return { text, next: j + 1 };
      text += c;
      j++;
    }
    return null;
  };
  const compile = (src: string, flags: string): RegExp | null => {
    try {
      return new RegExp(posixToJs(src, ere), flags);
    } catch {
      return null;
    }
  };
  while (i < script.length) {
    while (i < script.length && /[\s;]/.test(script[i])) i++;
    if (i >= script.length) break;
    let addr: Address | null = null;
    if (/[0-9]/.test(script[i])) {
      const m = /^[0-9]+/.exec(script.slice(i)) as RegExpExecArray;
      addr = { kind: 'line', n: Number(m[0]) };
      i += m[0].length;
    } else if (script[i] === '$') {
      addr = { kind: 'last' };
      i++;
    } else if (script[i] === '/' || script[i] === '\\') {
      let delim = '/';
      if (script[i] === '\\') {
        delim = script[i + 1] ?? '/';
        i++;
      }
      i++;
      const r = until(delim);
      if (r === null) return err('unterminated address regex', script.length);
      const re = compile(r.text, '');
      if (re === null) return err('Invalid preceding regular expression', r.next);
      addr = { kind: 're', re };
      i = r.next;
    }
    while (i < script.length && script[i] === ' ') i++;
    const op = script[i];
    if (op === undefined) return err('missing command', script.length);
    i++;
    if (op === 'd' || op === 'p') {
      commands.push({ op, addr });
      continue;
    }
    if (op !== 's') return err(`unknown command: \`${op}'`, i);
    const delim = script[i];
    if (delim === undefined || delim === '\n' || delim === '\\') return err("unterminated `s' command", script.length);
    i++;
    const pat = until(delim);
    if (pat === null) return err("unterminated `s' command", script.length);
    i = pat.next;
    const rep = until(delim);
    if (rep === null) return err("unterminated `s' command", script.length);
    i = rep.next;
    let global = false;
    let nth = 1;
    let print = false;
    let insensitive = false;
    while (i < script.length && !/[\s;}]/.test(script[i])) {
      const f = script[i];
      if (f === 'g') global = true;
      else if (f === 'p') print = true;
      else if (f === 'i' || f === 'I') insensitive = true;
      else if (/[0-9]/.test(f)) {
        const m = /^[0-9]+/.exec(script.slice(i)) as RegExpExecArray;
        nth = Number(m[0]);
        i += m[0].length;
        continue;
      } else return err("unknown option to `s'", i + 1);
      i++;
    }
    const re = compile(pat.text, insensitive ? 'gi' : 'g');
    if (re === null) return err('Invalid preceding regular expression', i);
    commands.push({ op: 's', addr, re, replacement: rep.text, global, nth, print });
  }
  return { ok: true, commands };
}

/** sed's replacement: & is the match, \1-\9 groups, \n a newline. */
function expandReplacement(rep: string, match: string, groups: readonly (string | undefined)[]): string {
  let out = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i];
    if (c === '&') out += match;
    else if (c === '\\' && i + 1 < rep.length) {
      const d = rep[++i];
      if (/[0-9]/.test(d)) out += d === '0' ? match : (groups[Number(d) - 1] ?? '');
      else if (d === 'n') out += '\n';
      else if (d === 't') out += '\t';
      else out += d;
    } else out += c;
  }
  return out;
}

function matchesAddr(addr: Address | null, line: string, n: number, last: boolean): boolean {
  if (addr === null) return true;
  if (addr.kind === 'line') return addr.n === n;
  if (addr.kind === 'last') return last;
  addr.re.lastIndex = 0;
  return addr.re.test(line);
}

/** Runs a sed program over text; returns the output text. */
export function runSed(commands: readonly SedCommand[], text: string, quiet: boolean): string {
  const endsWithNewline = text.endsWith('\n');
  const input = text === '' ? [] : (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  const out: string[] = [];
  input.forEach((original, idx) => {
    let line = original;
    let deleted = false;
    const last = idx === input.length - 1;
    for (const c of commands) {
      if (!matchesAddr(c.addr, line, idx + 1, last)) continue;
      if (c.op !== 's') {
        if (c.op === 'd') {
          deleted = true;
          break;
        }
        out.push(line);
        continue;
      }
      let count = 0;
      let changed = false;
      c.re.lastIndex = 0;
      line = line.replace(c.re, (match: string, ...rest: unknown[]) => {
        count++;
        if (count < c.nth || (!c.global && count > c.nth)) return match;
        changed = true;
        const groups = rest.slice(0, -2) as (string | undefined)[];
        return expandReplacement(c.replacement, match, groups);
      });
      if (changed && c.print) out.push(line);
    }
    if (!deleted && !quiet) out.push(line);
  });
  if (out.length === 0) return '';
  return out.join('\n') + (endsWithNewline || input.length === 0 ? '\n' : '');
}

export const sed: Command = (ctx: CommandContext) => {
  const args = ctx.argv.slice(1);
  const scripts: string[] = [];
  const files: string[] = [];
  let inPlace = false;
  let quiet = false;
  let ere = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-e' || a === '--expression') {
      const s = args[++i];
      if (s === undefined) {
        ctx.io.err("sed: option requires an argument -- 'e'\n");
        return ctx.exit(1);
      }
      scripts.push(s);
    } else if (a.startsWith('--expression=')) scripts.push(a.slice(13));
    else if (a === '--in-place' || a.startsWith('--in-place=')) inPlace = true;
    else if (a === '-n' || a === '--quiet' || a === '--silent') quiet = true;
    else if (a === '-E' || a === '-r' || a === '--regexp-extended') ere = true;
    else if (/^-[inEr]+/.test(a) && a.length > 1 && !a.startsWith('--')) {
      // -i may carry a backup suffix (-i.bak); grouped flags like -ni.
      for (const c of a.slice(1)) {
        if (c === 'i') {
          inPlace = true;
          break;
        }
        if (c === 'n') quiet = true;
        else if (c === 'E' || c === 'r') ere = true;
      }
    } else if (a.startsWith('-') && a !== '-') {
      ctx.io.err(`sed: invalid option -- '${a[1]}'\nUsage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n`);
      return ctx.exit(1);
    } else if (scripts.length === 0 && !args.slice(0, i).some((x) => x === '-e' || x.startsWith('--expression'))) scripts.push(a);
    else files.push(a);
  }
  if (scripts.length === 0) {
    ctx.io.err('Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n');
    return ctx.exit(1);
  }
  const commands: SedCommand[] = [];
  for (let k = 0; k < scripts.length; k++) {
    const p = parseSedScript(scripts[k], ere, k + 1);
    if (!p.ok) {
      ctx.io.err(p.error);
      return ctx.exit(1);
    }
    commands.push(...p.commands);
  }
  if (files.length === 0) {
    if (inPlace) {
      ctx.io.err('sed: no input files\n');
      return ctx.exit(1);
    }
    ctx.io.out(runSed(commands, ctx.stdin ?? '', quiet));
    return ctx.exit(0);
  }
  let status = 0;
  let combined = '';
  for (const f of files) {
    const path = ctx.resolve(f);
    if (ctx.os.files.isDirectory(path)) {
      ctx.io.err(inPlace ? `sed: couldn't edit ${f}: not a regular file\n` : `sed: read error on ${f}: Is a directory\n`);
      status = inPlace ? 4 : 2;
      continue;
    }
    const text = ctx.os.files.read(path);
    if (text === null) {
      ctx.io.err(`sed: can't read ${f}: No such file or directory\n`);
      status = 2;
      continue;
    }
    if (inPlace) ctx.os.files.write(path, runSed(commands, text, quiet));
    else combined += text;
  }
  if (!inPlace) ctx.io.out(runSed(commands, combined, quiet));
  ctx.exit(status);
};
