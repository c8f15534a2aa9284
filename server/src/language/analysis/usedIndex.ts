import type { Definition, KpiDef } from '../model';
import type { ParsedSpec } from '../parse';
import type { Scope, Workspace } from '../workspace';
import { namesUsedBy } from './unused';

/** What one spec file adds to the index. */
interface FileUses {
  parsed: ParsedSpec;
  scope: Scope;
  /** The file's KPIs and definitions as last counted: the next parse is compared with them. */
  kpis: KpiDef[];
  defs: Definition[];
  /** The names each KPI's formula uses (walked once per KPI object). */
  names: Map<KpiDef, string[]>;
  /** Name → how many uses the file's KPIs make of it. */
  uses: Map<string, number>;
  /** Name → the definition its uses are counted for, and how many were counted. */
  counted: Map<string, { def: Definition; n: number }>;
}

/**
 * The metrics and KPIs some KPI of the workspace uses (what unused-metric asks), kept up to date
 * across edits: each call compares every file's parse with the one counted last and walks only
 * the formulas of KPIs that are new objects (an edit inside a definition rebuilds that definition
 * alone), then resolves again only the names whose definitions changed. The answer is always
 * `usedDefinitions(ws, files)`; a differential test holds it to that.
 */
export class UsedIndex {
  private readonly files = new Map<string, FileUses>();
  /** Definition → how many uses resolve to it, over every file counted. */
  private readonly counts = new Map<Definition, number>();
  /** The definitions counted at least once: the answer, kept and changed in place. */
  private readonly used = new Set<Definition>();
  /** How many KPI formulas the last update walked (what an edit costs; for tests and benchmarks). */
  walked = 0;

  constructor(readonly ws: Workspace) {}

  /** `usedDefinitions(ws, files)` now. After a failure, the next call counts everything again. */
  update(files: Iterable<string>): Set<Definition> {
    try {
      this.bringUpToDate(files);
    } catch (e) {
      this.files.clear();
      this.counts.clear();
      this.used.clear();
      throw e;
    }
    return this.used;
  }

  private bringUpToDate(files: Iterable<string>): void {
    this.walked = 0;
    // The files counted: those given and what they import, each once.
    const reach = new Map<string, ParsedSpec>();
    for (const file of files) for (const parsed of this.ws.closure(file)) if (!reach.has(parsed.spec.file)) reach.set(parsed.spec.file, parsed);
    // Scopes after every read: reading a file may replace definitions in scopes, or drop them all.
    const scopes = new Map<string, Scope>();
    for (const file of reach.keys()) scopes.set(file, this.ws.scope(file));

    for (const [file, entry] of this.files) {
      if (reach.has(file)) continue;
      for (const [name, c] of entry.counted) this.uncount(entry, name, c);
      this.files.delete(file);
    }

    // What each file's KPIs use now, and the ids whose definitions were rebuilt.
    const changedIds = new Set<string>();
    const touched = new Map<FileUses, Set<string>>();
    for (const [file, parsed] of reach) {
      let entry = this.files.get(file);
      const counted = !!entry;
      if (!entry) {
        entry = { parsed, scope: scopes.get(file)!, kpis: [], defs: [], names: new Map(), uses: new Map(), counted: new Map() };
        this.files.set(file, entry);
      } else if (entry.parsed === parsed) continue;
      const kpis = [...parsed.spec.kpis.values()];
      const [gone, come] = differing(entry.kpis, kpis);
      const names = new Set<string>();
      for (const kpi of gone) {
        for (const name of entry.names.get(kpi)!) {
          names.add(name);
          const n = entry.uses.get(name)! - 1;
          if (n) entry.uses.set(name, n);
          else entry.uses.delete(name);
        }
        entry.names.delete(kpi);
      }
      for (const kpi of come) {
        const used = namesUsedBy(kpi);
        this.walked++;
        entry.names.set(kpi, used);
        for (const name of used) {
          names.add(name);
          entry.uses.set(name, (entry.uses.get(name) ?? 0) + 1);
        }
      }
      touched.set(entry, names);
      if (counted) {
        // A file new to the index sits in no scope already counted: those scopes are new too.
        const [before, after] = differing(entry.defs, parsed.spec.definitions);
        for (const def of before) changedIds.add(def.id);
        for (const def of after) changedIds.add(def.id);
      }
      entry.parsed = parsed;
      entry.kpis = kpis;
      entry.defs = parsed.spec.definitions;
    }

    // Resolve again the names that may resolve otherwise: all of a file whose scope was built
    // anew, else those its KPIs' edits touched and those of rebuilt definitions.
    for (const [file, entry] of this.files) {
      const scope = scopes.get(file)!;
      let names: Iterable<string>;
      if (entry.scope !== scope) {
        entry.scope = scope;
        names = new Set([...entry.uses.keys(), ...entry.counted.keys()]);
      } else {
        const some = new Set(touched.get(entry));
        for (const id of changedIds) if (entry.uses.has(id) || entry.counted.has(id)) some.add(id);
        names = some;
      }
      for (const name of names) this.resolve(entry, name);
    }
  }

  /** Counts a name's uses in a file for the definition it resolves to now. */
  private resolve(entry: FileUses, name: string): void {
    const n = entry.uses.get(name) ?? 0;
    const def = n ? entry.scope.names.get(name) : undefined;
    const before = entry.counted.get(name);
    if (before && before.def === def && before.n === n) return;
    if (before) this.uncount(entry, name, before);
    if (!def) return;
    entry.counted.set(name, { def, n });
    const count = this.counts.get(def) ?? 0;
    this.counts.set(def, count + n);
    if (!count) this.used.add(def);
  }

  private uncount(entry: FileUses, name: string, c: { def: Definition; n: number }): void {
    entry.counted.delete(name);
    const left = this.counts.get(c.def)! - c.n;
    if (left > 0) this.counts.set(c.def, left);
    else {
      this.counts.delete(c.def);
      this.used.delete(c.def);
    }
  }
}

/** The items of `before` not in `after`, and those of `after` not in `before` (by identity). */
function differing<T>(before: readonly T[], after: readonly T[]): [T[], T[]] {
  const gone: T[] = [];
  const come: T[] = [];
  if (before.length === after.length) {
    // An edit inside definitions keeps every other one in its place: compare place by place.
    const changed: number[] = [];
    for (let i = 0; i < after.length; i++) if (before[i] !== after[i]) changed.push(i);
    if (!changed.length) return [gone, come];
    if (changed.length < 64) {
      const now = new Set(changed.map((i) => after[i]!));
      const then = new Set(changed.map((i) => before[i]!));
      for (const i of changed) {
        if (!now.has(before[i]!)) gone.push(before[i]!);
        if (!then.has(after[i]!)) come.push(after[i]!);
      }
      return [gone, come];
    }
  }
  const now = new Set(after);
  const then = new Set(before);
  for (const x of before) if (!now.has(x)) gone.push(x);
  for (const x of after) if (!then.has(x)) come.push(x);
  return [gone, come];
}
