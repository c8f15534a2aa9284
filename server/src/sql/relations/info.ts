import { locateDataFile } from '../../language/analysis/data';
import type { Workspace } from '../../language/workspace';
import type { Emitted } from './emit';
import type { RelationalPlan } from './plan';

/** What the `rollup`, `lookup` and `duplicate` rows of a query are about (read.ts turns them into results). */
export interface RelationsInfo {
  /** Rollups read by metrics: their rolled-up source and key, for the empty-key warning. */
  rollups: Map<string, { from: string; key: string[] }>;
  /** Per source read by metrics, its lookups in the order written, with their targets. */
  lookups: Map<string, { name: string; source: string }[]>;
  /** Sources whose key is checked unique: how their rows are numbered, for the message. */
  checked: Map<string, { key: string[]; shown: string; rows: boolean; csv?: { path: string; delimiter?: string } }>;
  /** Per source read by metrics, the checked sources whose repeated keys leave it without rows, and the source looking each up. */
  failing: Map<string, { target: string; from: string }[]>;
  /** The spec file defining each source, for the problems' `file`. */
  files: Map<string, string>;
}

export function relationsInfo(ws: Workspace, plan: RelationalPlan, emitted: Emitted): RelationsInfo {
  const info: RelationsInfo = { rollups: new Map(), lookups: new Map(), checked: new Map(), failing: new Map(), files: new Map() };
  for (const w of plan.sources.values()) {
    info.files.set(w.def.id, w.def.file);
    if (w.used && w.from) info.rollups.set(w.def.id, { from: w.from.def.id, key: w.def.key.map((k) => k.value) });
    if (w.used) info.lookups.set(w.def.id, [...w.def.lookups.values()].map((l) => ({ name: l.name, source: l.source?.value ?? '' })));
    if (!w.checked) continue;
    const located = w.relation?.kind === 'text' && w.def.path ? locateDataFile(ws, w.def) : undefined;
    // DuckDB numbers a CSV file's rows as the engine reads them: their lines can be found again.
    const csv = located && 'path' in located && located.format === 'csv' ? { path: located.path, delimiter: w.def.delimiter?.value } : undefined;
    info.checked.set(w.def.id, { key: w.def.key.map((k) => k.value), shown: w.def.path?.value ?? w.relation?.shown ?? '', rows: !!w.def.rows, ...(csv ? { csv } : {}) });
  }
  for (const [w, fails] of emitted.failing) {
    const list = fails.filter((f) => !f.failure).map((f) => {
      // The message names a source that looks the target up: this one when it does.
      const direct = [...w.links.values()].some((l) => l.target === f);
      const from = direct ? w : [...plan.sources.values()].find((s) => [...s.links.values()].some((l) => l.target === f)) ?? w;
      return { target: f.def.id, from: from.def.id };
    });
    if (list.length) info.failing.set(w.def.id, list);
  }
  return info;
}
