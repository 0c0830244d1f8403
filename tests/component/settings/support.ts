// Helpers for the settings dialogs' tests: a fake lab on the VMware lab file, and finding controls the way a person (or a screen reader) does, by their labels.
import type { DOMWrapper, VueWrapper } from '@vue/test-utils';
import vmwareLab from '../../../resources/labs/vmware.json';
import type { LabSnapshot } from '../../../core/api/dto';
import { FakeLabClient, defaultLab } from '../fake-client';

/** A fake lab host whose document is the bundled VMware lab. */
export function vmwareClient(): FakeLabClient {
  const data = defaultLab();
  data.snapshot = { ...data.snapshot, document: structuredClone(vmwareLab) as unknown as LabSnapshot['document'] };
  return new FakeLabClient(data);
}

type Wrapper = VueWrapper | DOMWrapper<Element>;

/** The control a visible <label> names (by `for`, or the control inside it). */
export function byLabel(w: Wrapper, text: string): DOMWrapper<HTMLInputElement> {
  const label = w.findAll('label').find((l) => l.text().trim() === text);
  if (!label) throw new Error(`no label "${text}"; labels: ${w.findAll('label').map((l) => l.text().trim()).join(' | ')}`);
  const f = label.attributes('for');
  const el = f ? w.find<HTMLInputElement>(`[id="${f}"]`) : label.find<HTMLInputElement>('input, select, textarea');
  if (!el.exists()) throw new Error(`label "${text}" names no control`);
  return el;
}

/** The control whose aria-label is `text`. */
export function byAria(w: Wrapper, text: string): DOMWrapper<HTMLInputElement> {
  const el = w.find<HTMLInputElement>(`[aria-label="${text}"]`);
  if (!el.exists()) throw new Error(`nothing is labelled "${text}"`);
  return el;
}

/** A <select>'s chosen option as shown. */
export function shownOption(el: DOMWrapper<HTMLInputElement>): string {
  const s = el.element as unknown as HTMLSelectElement;
  return s.options[s.selectedIndex]?.text.trim() ?? '';
}

export function optionTexts(el: DOMWrapper<HTMLInputElement>): string[] {
  return [...(el.element as unknown as HTMLSelectElement).options].map((o) => o.text.trim());
}

/** Chooses the option shown as `text`. */
export async function choose(el: DOMWrapper<HTMLInputElement>, text: string): Promise<void> {
  const s = el.element as unknown as HTMLSelectElement;
  const o = [...s.options].find((x) => x.text.trim() === text);
  if (!o) throw new Error(`no option "${text}"; options: ${optionTexts(el).join(' | ')}`);
  await el.setValue(o.value);
}

export function button(w: Wrapper, text: string): DOMWrapper<HTMLButtonElement> {
  const b = w.findAll<HTMLButtonElement>('button').find((x) => x.text().trim() === text || x.attributes('aria-label') === text);
  if (!b) throw new Error(`no button "${text}"; buttons: ${w.findAll('button').map((x) => x.text().trim() || x.attributes('aria-label')).join(' | ')}`);
  return b;
}
