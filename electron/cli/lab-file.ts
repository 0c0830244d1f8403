// Reads and loads a lab file for a CLI command, printing what is wrong with it the way `vmnetlab check` does.
import type { LabDocument } from '../../core/lab/document';
import { formatProblem, loadLab } from '../../core/lab/load';
import { readLabText } from './check';
import type { CliIo } from './io';

/** The lab in `file`, or null after printing why not (the caller exits 2). */
export async function openLab(file: string, io: CliIo): Promise<LabDocument | null> {
  const read = await readLabText(file);
  if (!read.ok) {
    io.err(`${file}: ${read.error}`);
    return null;
  }
  const loaded = loadLab(read.text, file);
  if (!loaded.ok) {
    for (const p of loaded.problems) io.err(formatProblem(file, p));
    return null;
  }
  for (const w of loaded.warnings) io.err(formatProblem(file, w, 'warning'));
  return loaded.doc;
}

/** Parses `--name VALUE` options; positional arguments keep their order. Unknown options are reported. */
export function parseOptions(args: readonly string[], withValue: readonly string[], flags: readonly string[]): { positional: string[]; values: Map<string, string>; flags: Set<string>; error: string | null } {
  const positional: string[] = [];
  const values = new Map<string, string>();
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-' || !a.startsWith('-')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (withValue.includes(name)) {
      const v = inline ?? args[++i];
      if (v === undefined) return { positional, values, flags: seen, error: `${name} needs a value` };
      values.set(name, v);
    } else if (flags.includes(name)) seen.add(name);
    else return { positional, values, flags: seen, error: `unknown option '${a}'` };
  }
  return { positional, values, flags: seen, error: null };
}
