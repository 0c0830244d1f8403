// File and text commands of a minimal CentOS: cat, ls, touch, hostname, grep, head, tail, wc, plus uname, whoami, sleep, clear.
import { formatIpv4 } from '../../../wire/address';
import { type Command, type CommandContext, getopt, lines, SIGINT_STATUS } from '../command';
import { posixToJs } from './sed';

/** Reads each named file (or stdin when none), reporting missing ones in `tool`'s words; returns the texts and the failure status. */
function readInputs(ctx: CommandContext, tool: string, names: readonly string[]): { texts: Array<{ name: string; text: string }>; failed: boolean } {
  if (names.length === 0) return { texts: [{ name: '(standard input)', text: ctx.stdin ?? '' }], failed: false };
  const texts: Array<{ name: string; text: string }> = [];
  let failed = false;
  for (const n of names) {
    if (n === '-') {
      texts.push({ name: '(standard input)', text: ctx.stdin ?? '' });
      continue;
    }
    const path = ctx.resolve(n);
    if (ctx.os.files.isDirectory(path)) {
      ctx.io.err(`${tool}: ${n}: Is a directory\n`);
      failed = true;
      continue;
    }
    const text = path === '/dev/null' ? '' : ctx.os.files.read(path);
    if (text === null) {
      ctx.io.err(`${tool}: ${n}: No such file or directory\n`);
      failed = true;
      continue;
    }
    texts.push({ name: n, text });
  }
  return { texts, failed };
}

export const cat: Command = (ctx) => {
  const names = ctx.argv.slice(1).filter((a) => !/^-[A-Za-z]+$/.test(a));
  const r = readInputs(ctx, 'cat', names);
  for (const t of r.texts) ctx.io.out(t.text);
  ctx.exit(r.failed ? 1 : 0);
};

export const ls: Command = (ctx) => {
  const names = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  const all = ctx.argv.slice(1).some((a) => /^-[A-Za-z]*a/.test(a));
  const files = ctx.os.files;
  const targets = names.length === 0 ? ['.'] : names;
  let status = 0;
  const plain: string[] = [];
  const dirs: string[] = [];
  for (const t of targets) {
    const path = ctx.resolve(t);
    if (!files.exists(path)) {
      ctx.io.err(`ls: cannot access ${t}: No such file or directory\n`);
      status = 2;
    } else if (files.isDirectory(path)) dirs.push(t);
    else plain.push(t);
  }
  const row = (entries: string[]): string => (entries.length === 0 ? '' : entries.join('  ') + '\n');
  let out = row(plain);
  dirs.forEach((d, i) => {
    const entries = files.list(ctx.resolve(d)).filter((e) => all || !e.startsWith('.'));
    if (all) entries.unshift('.', '..');
    if (targets.length > 1) out += `${out !== '' || i > 0 ? '\n' : ''}${d}:\n`;
    out += row(entries);
  });
  ctx.io.out(out);
  ctx.exit(status);
};

export const touch: Command = (ctx) => {
  let status = 0;
  for (const n of ctx.argv.slice(1).filter((a) => !a.startsWith('-'))) {
    const path = ctx.resolve(n);
    if (ctx.os.files.exists(path)) continue;
    if (!ctx.os.files.write(path, '')) {
      ctx.io.err(`touch: cannot touch '${n}': No such file or directory\n`);
      status = 1;
    }
  }
  ctx.exit(status);
};

export const hostname: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length === 0 || args[0] === '-f' || args[0] === '--fqdn' || args[0] === '--long') {
    ctx.io.out(ctx.os.hostname + '\n');
    return ctx.exit(0);
  }
  if (args[0] === '-s' || args[0] === '--short') {
    ctx.io.out(ctx.os.hostname.split('.')[0] + '\n');
    return ctx.exit(0);
  }
  if (args[0] === '-I' || args[0] === '--all-ip-addresses') {
    const addrs = ctx.os.host.interfaces.filter((i) => !i.isLoopback && i.up).flatMap((i) => i.addresses.map((a) => formatIpv4(a.address)));
    ctx.io.out(addrs.map((a) => a + ' ').join('') + '\n');
    return ctx.exit(0);
  }
  if (args[0] === '-i' || args[0] === '--ip-address') {
    const own = ctx.os.host.interfaces.find((i) => !i.isLoopback && i.addresses.length > 0)?.addresses[0];
    ctx.io.out((own !== undefined ? formatIpv4(own.address) : '127.0.0.1') + '\n');
    return ctx.exit(0);
  }
  if (args[0].startsWith('-')) {
    ctx.io.err(`hostname: invalid option -- '${args[0].slice(1, 2)}'\nUsage: hostname [-b] {hostname|-F file}         set host name (from file)\n`);
    return ctx.exit(1);
  }
  if (!/^[A-Za-z0-9]([A-Za-z0-9-.]*[A-Za-z0-9])?$/.test(args[0]) || args[0].length > 64) {
    ctx.io.err('hostname: the specified hostname is invalid\n');
    return ctx.exit(1);
  }
  ctx.os.hostname = args[0];
  ctx.exit(0);
};

export const grep: Command = (ctx) => {
  const g = getopt(ctx.argv.slice(1), 'ivncEwqhHe:lo');
  if (g.error !== null) {
    ctx.io.err(`grep: ${g.error}\nUsage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.\n`);
    return ctx.exit(2);
  }
  const has = (c: string): boolean => g.options.some((o) => o.name === c);
  const operands = [...g.operands];
  const pattern = g.options.find((o) => o.name === 'e')?.value ?? operands.shift();
  if (pattern === undefined) {
    ctx.io.err("Usage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.\n");
    return ctx.exit(2);
  }
  let src = posixToJs(pattern, has('E'));
  if (has('w')) src = `\\b(?:${src})\\b`;
  let re: RegExp;
  try {
    re = new RegExp(src, has('i') ? 'i' : '');
  } catch {
    ctx.io.err('grep: Unmatched ( or \\(\n');
    return ctx.exit(2);
  }
  const r = readInputs(ctx, 'grep', operands);
  const prefixNames = (operands.length > 1 && !has('h')) || has('H');
  let matched = 0;
  for (const { name, text } of r.texts) {
    let count = 0;
    lines(text).forEach((l, i) => {
      if (re.test(l) === has('v')) return;
      count++;
      matched++;
      if (has('q') || has('c') || has('l')) return;
      const shown = has('o') && !has('v') ? (re.exec(l)?.[0] ?? l) : l;
      ctx.io.out(`${prefixNames ? name + ':' : ''}${has('n') ? `${i + 1}:` : ''}${shown}\n`);
    });
    if (has('c')) ctx.io.out(`${prefixNames ? name + ':' : ''}${count}\n`);
    if (has('l') && count > 0) ctx.io.out(name + '\n');
  }
  ctx.exit(r.failed && !has('q') ? 2 : matched > 0 ? 0 : 1);
};

function countOption(ctx: CommandContext, tool: string): { n: number; names: string[] } | null {
  const args = ctx.argv.slice(1);
  let n = 10;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let v: string | null = null;
    if (a === '-n') v = args[++i] ?? '';
    else if (/^-n.+/.test(a)) v = a.slice(2);
    else if (/^-\d+$/.test(a)) v = a.slice(1);
    else if (a.startsWith('-') && a !== '-') {
      ctx.io.err(`${tool}: invalid option -- '${a[1]}'\n`);
      return null;
    } else names.push(a);
    if (v !== null) {
      if (!/^\d+$/.test(v)) {
        ctx.io.err(`${tool}: invalid number of lines: '${v}'\n`);
        return null;
      }
      n = Number(v);
    }
  }
  return { n, names };
}

export const head: Command = (ctx) => {
  const o = countOption(ctx, 'head');
  if (o === null) return ctx.exit(1);
  const r = readInputs(ctx, 'head', o.names);
  for (const t of r.texts) for (const l of lines(t.text).slice(0, o.n)) ctx.io.out(l + '\n');
  ctx.exit(r.failed ? 1 : 0);
};

export const tail: Command = (ctx) => {
  const o = countOption(ctx, 'tail');
  if (o === null) return ctx.exit(1);
  const r = readInputs(ctx, 'tail', o.names);
  for (const t of r.texts) for (const l of o.n === 0 ? [] : lines(t.text).slice(-o.n)) ctx.io.out(l + '\n');
  ctx.exit(r.failed ? 1 : 0);
};

export const wc: Command = (ctx) => {
  const flags = ctx.argv.slice(1).filter((a) => /^-[lwc]+$/.test(a)).join('');
  const names = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  const want = flags === '' ? 'lwc' : flags;
  const r = readInputs(ctx, 'wc', names);
  for (const t of r.texts) {
    const counts: number[] = [];
    if (want.includes('l')) counts.push((t.text.match(/\n/g) ?? []).length);
    if (want.includes('w')) counts.push(t.text.split(/\s+/).filter((w) => w !== '').length);
    if (want.includes('c')) counts.push(t.text.length);
    const stdin = names.length === 0;
    if (stdin && counts.length === 1) ctx.io.out(`${counts[0]}\n`);
    else ctx.io.out(counts.map((c) => String(c).padStart(stdin ? 7 : 1)).join(' ') + (stdin ? '' : ` ${t.name}`) + '\n');
  }
  ctx.exit(r.failed ? 1 : 0);
};

export const uname: Command = (ctx) => {
  const a = ctx.argv[1];
  const kernel = ctx.shell.flavor === 'debian' ? '6.1.0-18-amd64' : '3.10.0-1160.el7.x86_64';
  if (a === '-r') ctx.io.out(kernel + '\n');
  else if (a === '-n') ctx.io.out(ctx.os.hostname + '\n');
  else if (a === '-m') ctx.io.out('x86_64\n');
  else if (a === '-a') {
    const version = ctx.shell.flavor === 'debian' ? '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64' : '#1 SMP Mon Oct 19 16:18:59 UTC 2020 x86_64 x86_64 x86_64';
    ctx.io.out(`Linux ${ctx.os.hostname} ${kernel} ${version} GNU/Linux\n`);
  } else ctx.io.out('Linux\n');
  ctx.exit(0);
};

export const whoami: Command = (ctx) => {
  ctx.io.out('root\n');
  ctx.exit(0);
};

export const sleep: Command = (ctx) => {
  const v = ctx.argv[1];
  const m = v === undefined ? null : /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(v);
  if (m === null) {
    ctx.io.err(v === undefined ? "sleep: missing operand\nTry 'sleep --help' for more information.\n" : `sleep: invalid time interval '${v}'\nTry 'sleep --help' for more information.\n`);
    return ctx.exit(1);
  }
  const factor = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]] ?? 1;
  const clock = ctx.os.clock;
  const id = clock.timer(Math.round(Number(m[1]) * factor * 1_000_000), ctx.guard(() => ctx.exit(0)), undefined);
  return {
    interrupt: () => {
      clock.cancel(id);
      ctx.exit(SIGINT_STATUS);
    },
  };
};

export const clear: Command = (ctx) => {
  ctx.io.out('\x1b[H\x1b[2J\x1b[3J');
  ctx.exit(0);
};

/** Full-screen editors need a terminal the lab's command runner does not emulate; say how to edit instead. */
export const editor: Command = (ctx) => {
  ctx.io.err(`${ctx.argv[0]}: full-screen editors are not available in the lab's terminal; edit files with sed -i 's/OLD/NEW/' FILE or echo LINE >> FILE\n`);
  ctx.exit(1);
};
