// Turns the dialogs' issues (message keys with parameters) into text in the window's language.
import type { Issue } from './types';

export type Translate = (key: string, named: Record<string, unknown>) => string;

/** Rule-table issues name their column by key; it is shown by the column's own title. */
export function issueText(t: Translate, issue: Issue): string {
  const params: Record<string, unknown> = { ...(issue.params ?? {}) };
  if (typeof params.column === 'string') params.column = t(`settings.vbox.rules.${params.column}`, {});
  return t(`settings.${issue.key}`, params);
}
