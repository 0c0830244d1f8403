// The lab being edited: its running lab, its document with undo/redo history, the file it belongs to and whether it changed since.
import type { LabSnapshot } from '../../core/api/dto';
import type { LabDocument } from '../../core/lab/document';
import { RunningLab } from '../../core/lab/running-lab';
import { validateLab } from '../../core/lab/validate';
import { cloneDoc } from './edits';
import { HostError, plainProblems, refused } from './errors';

/** Undo keeps this many documents; older ones are forgotten. */
export const HISTORY_LIMIT = 200;

interface Entry {
  /** Never reused, so "saved" means this exact entry even after undo and a different change. */
  readonly id: number;
  readonly doc: LabDocument;
  /** The document as JSON, to tell a change from a no-op. */
  readonly json: string;
}

export interface SessionOptions {
  /** Run the clock until DHCP has settled before the lab is shown (default true), as a lab opens booted. */
  settle?: boolean;
}

let nextEntryId = 1;

function entry(doc: LabDocument): Entry {
  const copy = cloneDoc(doc);
  return { id: nextEntryId++, doc: copy, json: JSON.stringify(copy) };
}

export class LabSession {
  private history: Entry[];
  private index = 0;
  private savedId: number;
  /** Bumped on every change of document or lab, for cheap change detection. */
  generation = 0;

  private constructor(
    private running: RunningLab,
    first: Entry,
    public path: string | null,
  ) {
    this.history = [first];
    this.savedId = first.id;
  }

  /** Builds and boots the lab of `doc`; throws a HostError when it cannot run (the caller's lab is untouched). */
  static start(doc: LabDocument, path: string | null, options: SessionOptions = {}): LabSession {
    const checked = validateLab(doc);
    if (!checked.ok) throw refused(`the lab has ${checked.problems.length === 1 ? 'a problem' : `${checked.problems.length} problems`}`, plainProblems(checked.problems));
    let lab: RunningLab;
    try {
      lab = new RunningLab(doc);
      if (options.settle !== false) lab.settle();
    } catch (e) {
      throw new HostError('failed', `the lab could not be started: ${e instanceof Error ? e.message : String(e)}`);
    }
    return new LabSession(lab, entry(doc), path);
  }

  get lab(): RunningLab {
    return this.running;
  }

  get doc(): LabDocument {
    return this.history[this.index].doc;
  }

  get dirty(): boolean {
    return this.history[this.index].id !== this.savedId;
  }

  snapshot(): LabSnapshot {
    return {
      document: cloneDoc(this.doc),
      path: this.path,
      dirty: this.dirty,
      canUndo: this.index > 0,
      canRedo: this.index < this.history.length - 1,
      problems: [...this.running.problems],
    };
  }

  /** Checks `next`, applies it to the running lab as a difference and records it as one undo step; false when nothing changed. */
  change(next: LabDocument): boolean {
    const e = entry(next);
    if (e.json === this.history[this.index].json) return false;
    const checked = validateLab(e.doc);
    if (!checked.ok) throw refused(`the change was refused: ${checked.problems[0].message}`, plainProblems(checked.problems));
    this.applyToLab(e.doc);
    this.history = [...this.history.slice(0, this.index + 1), e];
    if (this.history.length > HISTORY_LIMIT) this.history = this.history.slice(this.history.length - HISTORY_LIMIT);
    this.index = this.history.length - 1;
    this.generation++;
    return true;
  }

  undo(): void {
    if (this.index === 0) throw refused('there is nothing to undo');
    this.applyToLab(this.history[this.index - 1].doc);
    this.index--;
    this.generation++;
  }

  redo(): void {
    if (this.index >= this.history.length - 1) throw refused('there is nothing to redo');
    this.applyToLab(this.history[this.index + 1].doc);
    this.index++;
    this.generation++;
  }

  /** Identifies the document as it is now, for `markSaved` after an asynchronous write. */
  get currentId(): number {
    return this.history[this.index].id;
  }

  /** The document `id` (as it was when the write began) is now in `path`. */
  markSaved(path: string, id: number): void {
    this.path = path;
    this.savedId = id;
    this.generation++;
  }

  /**
   * Takes in a change the lab made itself (VBoxManage typed in the host's terminal) as an undo step;
   * true when there was one.
   */
  adoptLabDocument(): boolean {
    const now = this.running.document();
    const e = entry(now);
    if (e.json === this.history[this.index].json) return false;
    this.history = [...this.history.slice(0, this.index + 1), e];
    if (this.history.length > HISTORY_LIMIT) this.history = this.history.slice(this.history.length - HISTORY_LIMIT);
    this.index = this.history.length - 1;
    this.generation++;
    return true;
  }

  private applyToLab(doc: LabDocument): void {
    const r = this.running.apply(cloneDoc(doc));
    if (!r.ok) throw refused(`the running lab refused the change: ${r.problems.join('; ')}`, r.problems.map((message) => ({ path: '$', message })));
  }
}
