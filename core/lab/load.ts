// Loading and writing lab files: JSON text → migrated → validated document (or every problem, with where), and the document → stable, pretty JSON.
import { parsePath, type Problem } from '../api/schema';
import type { LabDocument } from './document';
import { lineLocator, parseJsonText } from './json-text';
import { migrateLab } from './migrate';
import { labDocumentSchema, validateLab } from './validate';

/** A problem of a lab file; `line` and `column` (1-based) when the text shows where. */
export interface LabProblem extends Problem {
  readonly line?: number;
  readonly column?: number;
}

export type LoadResult =
  | {
      ok: true;
      doc: LabDocument;
      /** Things the running lab will also show (e.g. a host-only address outside VirtualBox's allowed ranges); the lab loads anyway. */
      warnings: LabProblem[];
      /** The version the file was written with, when it was migrated; null when it is current. */
      migratedFrom: number | null;
      /** What migration changed, in words. */
      notes: string[];
      source: string;
    }
  | { ok: false; problems: LabProblem[]; warnings: LabProblem[]; source: string };

/** Reads a lab file's text (from `sourceName`, named in problems): parse, migrate, validate. Never throws. */
export function loadLab(text: string, sourceName: string): LoadResult {
  const source = sourceName;
  const parsed = parseJsonText(text, { positions: true });
  if (!parsed.ok) {
    const e = parsed.error;
    const p: LabProblem = { path: e.path, message: `line ${e.line}, column ${e.column}: ${e.message}`, line: e.line, column: e.column, ...(e.hint === undefined ? {} : { hint: e.hint }) };
    return { ok: false, problems: [p], warnings: [], source };
  }
  const locate = lineLocator(text);
  // Points a problem at the line of its value, or of the nearest enclosing one (a missing field: its object).
  const place = (p: Problem): LabProblem => {
    const segments = parsePath(p.path);
    return segments && parsed.positions ? { ...p, ...locate(parsed.positions.offsetOf(segments)) } : p;
  };
  const problems: LabProblem[] = parsed.duplicates.map((d) => ({
    path: d.path,
    message: `line ${d.line}, column ${d.column}: field '${d.key}' appears twice in this object`,
    hint: 'JSON keeps only the last one; remove the other',
    line: d.line,
    column: d.column,
  }));
  const migrated = migrateLab(parsed.value);
  if (!migrated.ok) return { ok: false, problems: [...problems, ...migrated.problems.map(place)], warnings: [], source };
  const v = validateLab(migrated.value);
  const warnings = v.warnings.map(place);
  if (!v.ok) return { ok: false, problems: [...problems, ...v.problems.map(place)], warnings, source };
  if (problems.length > 0) return { ok: false, problems, warnings, source };
  return { ok: true, doc: v.doc, warnings, migratedFrom: migrated.from === v.doc.version ? null : migrated.from, notes: migrated.notes, source };
}

/** The document as a lab file: fields in the schema's order, 2-space indent, a final newline; serializeLab(load(x)) is stable. */
export function serializeLab(doc: LabDocument): string {
  return `${JSON.stringify(labDocumentSchema.normalize(doc), null, 2)}\n`;
}

/** One problem as the CLI prints it: `LAB: $.path: message (hint)`. */
export function formatProblem(source: string, p: Problem, severity: 'error' | 'warning' = 'error'): string {
  return `${source}: ${severity === 'warning' ? 'warning: ' : ''}${p.path}: ${p.message}${p.hint === undefined ? '' : ` (${p.hint})`}`;
}
