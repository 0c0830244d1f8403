// Reads lab files of earlier format versions: a registry of steps (version N to N+1) applied in order; newer files and non-labs are refused in words.
import { didYouMean, formatPath, quote, type PathSegment, type Problem } from '../api/schema';
import { LAB_FORMAT, LAB_VERSION } from './document';
import { NAT_NETWORK_RULE_FORM, parseNatNetworkRule, parseVBoxRule, VBOX_RULE_FORM } from './vbox-rule';

type JsonObject = Record<string, unknown>;

export interface MigrationContext {
  /** Something the step could not read: the load fails with it. */
  problem(at: readonly PathSegment[], message: string, hint?: string): void;
  /** What the step changed, for the person loading the file. */
  note(text: string): void;
}

export interface MigrationStep {
  /** The version this step reads; it writes `from + 1`. */
  readonly from: number;
  readonly summary: string;
  /** Rewrites `doc` (a private copy) in place. */
  apply(doc: JsonObject, ctx: MigrationContext): void;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function items(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Rewrites each string rule of `list` (at `at`) into an object with `parse`; leaves objects (and other mistakes, for the validator) alone. */
function rewriteRules(list: unknown, at: readonly PathSegment[], ctx: MigrationContext, parse: (s: string) => ReturnType<typeof parseVBoxRule>, form: string, example: string): number {
  if (!Array.isArray(list)) return 0;
  let n = 0;
  list.forEach((r, i) => {
    if (typeof r !== 'string') return;
    const parsed = parse(r);
    if (!parsed.ok) {
      ctx.problem([...at, i], parsed.error.message, `write it as ${form}, like "${example}"`);
      return;
    }
    list[i] = { ...parsed.value };
    n++;
  });
  return n;
}

const natNetworkRule = (s: string): ReturnType<typeof parseVBoxRule> =>
  // Version 1 files sometimes carried the NAT syntax here too; the brackets tell them apart.
  !s.includes('[') && s.split(',').length === 6 ? parseVBoxRule(s) : parseNatNetworkRule(s);

/** Version 1 wrote port-forwarding rules as VBoxManage strings ("guestssh,tcp,,2222,,22"); version 2 writes objects. */
const v1ToV2: MigrationStep = {
  from: 1,
  summary: 'port-forwarding rules become objects',
  apply(doc, ctx) {
    let n = 0;
    items(doc.vms).forEach((vm, vi) => {
      if (!isObject(vm) || !isObject(vm.virtualbox)) return;
      items(vm.virtualbox.adapters).forEach((a, ai) => {
        if (isObject(a)) n += rewriteRules(a.portForwarding, ['vms', vi, 'virtualbox', 'adapters', ai, 'portForwarding'], ctx, parseVBoxRule, VBOX_RULE_FORM, 'guestssh,tcp,,2222,,22');
      });
    });
    items(doc.machines).forEach((m, mi) => {
      if (isObject(m)) n += rewriteRules(m.portForwarding, ['machines', mi, 'portForwarding'], ctx, parseVBoxRule, VBOX_RULE_FORM, 'web,tcp,,8080,192.168.1.10,80');
    });
    if (isObject(doc.virtualbox)) {
      items(doc.virtualbox.natNetworks).forEach((nn, i) => {
        if (isObject(nn)) n += rewriteRules(nn.portForwarding, ['virtualbox', 'natNetworks', i, 'portForwarding'], ctx, natNetworkRule, NAT_NETWORK_RULE_FORM, 'ssh:tcp:[]:1022:[10.0.2.4]:22');
      });
    }
    if (isObject(doc.vmware)) {
      items(doc.vmware.vmnets).forEach((v, i) => {
        if (isObject(v) && isObject(v.nat)) n += rewriteRules(v.nat.portForwarding, ['vmware', 'vmnets', i, 'nat', 'portForwarding'], ctx, parseVBoxRule, VBOX_RULE_FORM, 'ssh,tcp,,2222,172.16.162.128,22');
      });
    }
    if (n > 0) ctx.note(`${n} port-forwarding rule${n === 1 ? '' : 's'} rewritten from VBoxManage strings to objects`);
  },
};

/** Every step, in order; the last one's `from + 1` is LAB_VERSION. */
export const MIGRATIONS: readonly MigrationStep[] = [v1ToV2];

export type Migrated = { ok: true; value: JsonObject; from: number; notes: string[] } | { ok: false; problems: Problem[] };

/** A deep copy of JSON data; deeper than `depth` is shared (parsed JSON never gets there). */
function cloneJson(v: unknown, depth = 256): unknown {
  if (depth <= 0 || typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map((x) => cloneJson(x, depth - 1));
  const out: JsonObject = {};
  for (const k of Object.keys(v)) {
    const x = cloneJson((v as JsonObject)[k], depth - 1);
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}

const NOT_A_LAB_HINT = `a lab file is a JSON object that starts {"format": "${LAB_FORMAT}", "version": ${LAB_VERSION}, …}`;

function refuse(path: string, message: string, hint?: string): Migrated {
  return { ok: false, problems: [hint === undefined ? { path, message } : { path, message, hint }] };
}

/** Brings a parsed lab file to the current format version, or says why it cannot be read. The input is not changed. */
export function migrateLab(value: unknown, steps: readonly MigrationStep[] = MIGRATIONS, current: number = LAB_VERSION): Migrated {
  if (!isObject(value)) return refuse('$', `this file is not a VM Net Lab lab: it holds ${Array.isArray(value) ? 'a list' : 'a single value'}, not an object`, NOT_A_LAB_HINT);
  if (!Object.prototype.hasOwnProperty.call(value, 'format')) return refuse('$', `this file is not a VM Net Lab lab (it has no "format": "${LAB_FORMAT}")`, NOT_A_LAB_HINT);
  const format = value.format;
  if (format !== LAB_FORMAT) {
    const what = typeof format === 'string' ? `its format is ${quote(format)}` : 'its "format" is not text';
    return refuse('$.format', `this file is not a VM Net Lab lab: ${what}`, (typeof format === 'string' ? didYouMean(format, [LAB_FORMAT]) : undefined) ?? NOT_A_LAB_HINT);
  }
  const version = value.version;
  if (version === undefined) return refuse('$.version', 'the lab has no format version', `add "version": ${current} (or the version the file was written with)`);
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return refuse('$.version', `the format version must be a whole number from 1, got ${typeof version === 'string' ? quote(version) : String(version)}`, typeof version === 'string' && /^\d+$/.test(version) ? `write the number without quotes: ${version}` : undefined);
  }
  if (version > current) {
    return refuse('$.version', `this lab was written by a newer VM Net Lab (format version ${version}); this version reads up to ${current}`, 'update VM Net Lab to open it');
  }
  if (version === current) return { ok: true, value, from: version, notes: [] };
  const doc = cloneJson(value) as JsonObject;
  const problems: Problem[] = [];
  const notes: string[] = [];
  const ctx: MigrationContext = {
    problem: (at, message, hint) => problems.push(hint === undefined ? { path: formatPath(at), message } : { path: formatPath(at), message, hint }),
    note: (text) => notes.push(text),
  };
  for (let v = version; v < current; v++) {
    const step = steps.find((s) => s.from === v);
    if (!step) return refuse('$.version', `format version ${v} cannot be read by this VM Net Lab (no migration from it)`, 'open it with the VM Net Lab that wrote it and save it again');
    step.apply(doc, ctx);
    doc.version = v + 1;
  }
  if (problems.length > 0) return { ok: false, problems };
  notes.unshift(`migrated from format version ${version} to ${current}; saving writes version ${current}`);
  return { ok: true, value: doc, from: version, notes };
}
