// The shell's command-line grammar: words with quotes, backslashes and $VARIABLES, redirections, pipes, ; && || and comments.

/** A piece of a word: literal text, a variable to expand when the command runs, or a leading ~. */
export type WordPart = { kind: 'text'; text: string; quoted: boolean } | { kind: 'var'; name: string; quoted: boolean } | { kind: 'tilde' };

export interface Word {
  parts: WordPart[];
}

export type Redirect =
  | { fd: 1 | 2; kind: 'write' | 'append'; target: Word }
  | { fd: 0; kind: 'read'; target: Word }
  /** `2>&1` / `1>&2`: fd becomes a copy of `to`. */
  | { fd: 1 | 2; kind: 'dup'; to: 1 | 2 };

export interface SimpleCommand {
  words: Word[];
  redirects: Redirect[];
}

export interface Pipeline {
  commands: SimpleCommand[];
}

/** One pipeline of a list and the operator that decides whether it runs after the previous one. */
export interface ListItem {
  /** null for the first; `;` also stands for a `&` the lab runs in the foreground. */
  after: ';' | '&&' | '||' | null;
  pipeline: Pipeline;
}

export type ParseResult = { ok: true; list: ListItem[] } | { ok: false; error: string };

type Token = { t: 'word'; word: Word } | { t: 'op'; op: string };

const OPERATOR_CHARS = ';&|<>';

function tokenize(line: string): { ok: true; tokens: Token[] } | { ok: false; error: string } {
  const tokens: Token[] = [];
  let parts: WordPart[] = [];
  let inWord = false;
  const pushText = (text: string, quoted: boolean): void => {
    const last = parts[parts.length - 1];
    if (last !== undefined && last.kind === 'text' && last.quoted === quoted) last.text += text;
    else parts.push({ kind: 'text', text, quoted });
    inWord = true;
  };
  const endWord = (): void => {
    if (inWord) tokens.push({ t: 'word', word: { parts } });
    parts = [];
    inWord = false;
  };
  /** Reads $NAME, ${NAME} or $? at i (line[i] === '$'); returns the index after it. */
  const readVar = (i: number, quoted: boolean): number => {
    const next = line[i + 1];
    if (next === '?' || next === '$' || next === '#' || (next !== undefined && /[0-9]/.test(next))) {
      parts.push({ kind: 'var', name: next, quoted });
      inWord = true;
      return i + 2;
    }
    if (next === '{') {
      const close = line.indexOf('}', i + 2);
      if (close > i + 2) {
        parts.push({ kind: 'var', name: line.slice(i + 2, close), quoted });
        inWord = true;
        return close + 1;
      }
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i + 1));
    if (m) {
      parts.push({ kind: 'var', name: m[0], quoted });
      inWord = true;
      return i + 1 + m[0].length;
    }
    pushText('$', quoted);
    return i + 1;
  };
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      endWord();
      i++;
      continue;
    }
    if (c === '#' && !inWord) break;
    if (c === '\\') {
      if (i + 1 < line.length) pushText(line[i + 1], true);
      i += 2;
      continue;
    }
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) return { ok: false, error: "bash: unexpected EOF while looking for matching `''\nbash: syntax error: unexpected end of file\n" };
      pushText(line.slice(i + 1, close), true);
      i = close + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let closed = false;
      inWord = true;
      while (j < line.length) {
        const d = line[j];
        if (d === '"') {
          closed = true;
          break;
        }
        if (d === '\\' && j + 1 < line.length && '$`"\\'.includes(line[j + 1])) {
          pushText(line[j + 1], true);
          j += 2;
          continue;
        }
        if (d === '$') {
          j = readVar(j, true);
          continue;
        }
        pushText(d, true);
        j++;
      }
      if (!closed) return { ok: false, error: 'bash: unexpected EOF while looking for matching `"\'\nbash: syntax error: unexpected end of file\n' };
      i = j + 1;
      continue;
    }
    if (c === '$') {
      i = readVar(i, false);
      continue;
    }
    if (c === '~' && !inWord && (i + 1 >= line.length || line[i + 1] === '/' || ' \t;&|<>'.includes(line[i + 1]))) {
      parts.push({ kind: 'tilde' });
      inWord = true;
      i++;
      continue;
    }
    if (OPERATOR_CHARS.includes(c)) {
      // A lone digit before > or < names the file descriptor (2>, 1>>).
      let fdPrefix = '';
      if ((c === '>' || c === '<') && inWord && parts.length === 1 && parts[0].kind === 'text' && !parts[0].quoted && /^[012]$/.test(parts[0].text)) {
        fdPrefix = parts[0].text;
        parts = [];
        inWord = false;
      }
      endWord();
      const two = line.slice(i, i + 2);
      let op: string;
      if (two === '&&' || two === '||' || two === '>>' || two === '&>') op = two;
      else if (two === '>&' && /[12]/.test(line[i + 2] ?? '')) op = `>&${line[i + 2]}`;
      else op = c;
      i += op.length;
      tokens.push({ t: 'op', op: fdPrefix + op });
      continue;
    }
    pushText(c, false);
    i++;
  }
  endWord();
  return { ok: true, tokens };
}

const unexpected = (tok: string): ParseResult => ({ ok: false, error: `bash: syntax error near unexpected token \`${tok}'\n` });

/** Parses one command line; the result is expanded command by command when it runs. */
export function parseLine(line: string): ParseResult {
  const tk = tokenize(line);
  if (!tk.ok) return tk;
  const tokens = tk.tokens;
  const list: ListItem[] = [];
  let pipeline: Pipeline = { commands: [] };
  let command: SimpleCommand = { words: [], redirects: [] };
  let after: ListItem['after'] = null;
  const commandEmpty = (): boolean => command.words.length === 0 && command.redirects.length === 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok.t === 'word') {
      command.words.push(tok.word);
      continue;
    }
    const op = tok.op;
    const m = /^([012]?)(>>|>|<|&>|>&[12])$/.exec(op);
    if (m) {
      const fdText = m[1];
      const kind = m[2];
      if (kind.startsWith('>&')) {
        const fd = fdText === '' ? 1 : Number(fdText);
        if (fd === 0) return unexpected(op);
        command.redirects.push({ fd: fd as 1 | 2, kind: 'dup', to: Number(kind[2]) as 1 | 2 });
        continue;
      }
      const next = tokens[i + 1];
      if (next === undefined) return unexpected('newline');
      if (next.t !== 'word') return unexpected(next.op);
      i++;
      if (kind === '<') {
        command.redirects.push({ fd: 0, kind: 'read', target: next.word });
      } else if (kind === '&>') {
        command.redirects.push({ fd: 1, kind: 'write', target: next.word }, { fd: 2, kind: 'dup', to: 1 });
      } else {
        const fd = fdText === '' ? 1 : Number(fdText);
        if (fd === 0) return unexpected(op);
        command.redirects.push({ fd: fd as 1 | 2, kind: kind === '>>' ? 'append' : 'write', target: next.word });
      }
      continue;
    }
    if (op === '|') {
      if (commandEmpty()) return unexpected(op);
      pipeline.commands.push(command);
      command = { words: [], redirects: [] };
      continue;
    }
    if (op === ';' || op === '&' || op === '&&' || op === '||') {
      if (commandEmpty()) return unexpected(op);
      pipeline.commands.push(command);
      list.push({ after, pipeline });
      pipeline = { commands: [] };
      command = { words: [], redirects: [] };
      after = op === '&' ? ';' : (op as ListItem['after']);
      continue;
    }
    return unexpected(op);
  }
  if (!commandEmpty()) {
    pipeline.commands.push(command);
    list.push({ after, pipeline });
  } else if (pipeline.commands.length > 0 || after === '&&' || after === '||') {
    // `a |`, `a &&`: bash would ask for more input; a one-line terminal cannot.
    return { ok: false, error: 'bash: syntax error: unexpected end of file\n' };
  }
  return { ok: true, list };
}

/** Expands a word with the shell's variables; null for an unquoted expansion that came out empty (the word vanishes). */
export function expandWord(word: Word, vars: (name: string) => string, home: string): string | null {
  let s = '';
  let quoted = false;
  for (const p of word.parts) {
    if (p.kind === 'tilde') s += home;
    else if (p.kind === 'text') {
      s += p.text;
      if (p.quoted || p.text !== '') quoted = quoted || p.quoted || p.text !== '';
    } else {
      s += vars(p.name);
      if (p.quoted) quoted = true;
    }
  }
  return s === '' && !quoted ? null : s;
}
