import type { Definition } from '../language/model';
import type { Workspace } from '../language/workspace';
import { nameSpan, referencesTo, targetAt } from './definitionTarget';
import { snapshotOf, type Snapshot } from './snapshot';
import type { Location } from './types';

/**
 * Every reference to the metric, KPI, source or goal at the cursor (named by its id or by a
 * reference) across the workspace files, resolved through each file's scope: a name counts
 * only where it resolves to this very definition, not to another one of the same id. The
 * declaration (the id) comes first when asked for. Empty elsewhere (columns, functions, paths,
 * unresolved names).
 */
export function findReferences(ws: Workspace, files: string[], snap: Snapshot, offset: number, includeDeclaration: boolean): Location[] {
  const t = targetAt(snap, offset);
  if (t?.kind !== 'definition') return [];
  return locationsOf(ws, files, snap, t.def, includeDeclaration);
}

/** The declaration (if asked) and every reference to a definition, in file order. */
export function locationsOf(ws: Workspace, files: string[], snap: Snapshot, def: Definition, includeDeclaration: boolean): Location[] {
  const out: Location[] = [];
  if (includeDeclaration) {
    const text = ws.load(def.file).parsed?.spec.text;
    out.push({ file: def.file, span: text === undefined ? def.idSpan : nameSpan(text, def.idSpan, def.id) });
  }
  for (const s of snapshotsOf(ws, [...files, def.file], snap)) {
    for (const r of referencesTo(s, def)) out.push({ file: s.file, span: nameSpan(s.text, r.span, r.name) });
  }
  return out;
}

/** Snapshots of the given files, the current one (as given) included once. */
export function snapshotsOf(ws: Workspace, files: string[], snap: Snapshot): Snapshot[] {
  const out: Snapshot[] = [snap];
  const seen = new Set([snap.file]);
  for (const f of files) {
    if (seen.has(f)) continue;
    seen.add(f);
    const s = snapshotOf(ws, f);
    if (s) out.push(s);
  }
  return out;
}
