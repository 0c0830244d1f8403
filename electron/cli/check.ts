// `vmnetlab check LAB…`: loads each lab file and prints "LAB: ok (N machines, M VMs)" or every problem, by path, with a hint.
import { readFile, stat } from 'node:fs/promises';
import { formatProblem, loadLab } from '../../core/lab/load';
import type { CliIo } from './io';

/** Lab files larger than this are refused unread: a lab is kilobytes, and the whole file is held in memory. */
const MAX_LAB_BYTES = 32 * 1024 * 1024;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Why a file cannot be read, in words (never a stack trace). */
export function readErrorText(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied; the file cannot be read';
    case 'EISDIR':
      return 'is a directory, not a lab file';
    case 'ENOTDIR':
      return 'no such file (a part of the path is not a directory)';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return `cannot be read (${e instanceof Error ? e.message : String(e)})`;
  }
}

/** The text of a lab file, or why there is none. */
export async function readLabText(file: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  try {
    const st = await stat(file);
    if (st.isDirectory()) return { ok: false, error: 'is a directory, not a lab file' };
    if (st.size > MAX_LAB_BYTES) return { ok: false, error: `is ${Math.round(st.size / 1048576)} MB; a lab file is far smaller — is it the right file?` };
    const bytes = await readFile(file);
    try {
      return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      return { ok: false, error: 'is not UTF-8 text; save the lab file as UTF-8' };
    }
  } catch (e) {
    return { ok: false, error: readErrorText(e) };
  }
}

export const CHECK_USAGE = `Usage: vmnetlab check LAB [LAB…]

Checks lab files: prints "LAB: ok (N machines, M VMs)" for a good one, and
every problem of a bad one as "LAB: $.path: message (hint)". Warnings and
migration notes go to standard error. Exit status: 0 when every file is good,
2 when one is not (or cannot be read).`;

/** Runs `vmnetlab check`; returns the exit code. */
export async function runCheck(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.out(CHECK_USAGE);
    return 0;
  }
  const files: string[] = [];
  let optionsDone = false;
  for (const a of args) {
    if (!optionsDone && a === '--') optionsDone = true;
    else if (!optionsDone && a.startsWith('-') && a !== '-') {
      io.err(`vmnetlab check: unknown option '${a}'`);
      io.err(CHECK_USAGE);
      return 2;
    } else files.push(a);
  }
  if (files.length === 0) {
    io.err('vmnetlab check: which lab file?');
    io.err(CHECK_USAGE);
    return 2;
  }
  let code = 0;
  for (const file of files) {
    const read = await readLabText(file);
    if (!read.ok) {
      io.err(`${file}: ${read.error}`);
      code = 2;
      continue;
    }
    const r = loadLab(read.text, file);
    for (const w of r.warnings) io.err(formatProblem(file, w, 'warning'));
    if (!r.ok) {
      for (const p of r.problems) io.out(formatProblem(file, p));
      code = 2;
      continue;
    }
    for (const n of r.notes) io.err(`${file}: note: ${n}`);
    io.out(`${file}: ok (${plural(r.doc.machines.length, 'machine', 'machines')}, ${plural(r.doc.vms.length, 'VM', 'VMs')})`);
  }
  return code;
}
