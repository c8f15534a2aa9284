import type { Definition } from '../language/model';
import type { Workspace } from '../language/workspace';
import { nameSpan, referencesTo, targetAt } from './definitionTarget';
import { referencesOf } from './references';
import { relationsOf } from './relationColumns';
import { declarationOf, namedBy, namedLocations } from './relationRename';
import { relationTargetAt } from './relationTarget';
import { snapshotsOf, type Snapshot } from './snapshot';
import type { Location } from './types';

/**
 * Every reference to the metric, KPI, source or goal at the cursor (named by its id or by a
 * reference) across the workspace files, resolved through each file's scope: a name counts
 * only where it resolves to this very definition, not to another one of the same id. The
 * declaration (the id) comes first when asked for. Likewise for a lookup and a derived or
 * aggregate column (relationRename.ts). Empty elsewhere (data columns, functions, paths,
 * unresolved names).
 */
export function findReferences(ws: Workspace, files: string[], snap: Snapshot, offset: number, includeDeclaration: boolean): Location[] {
  const refs = referencesOf(snap);
  const rel = relationsOf(snap);
  const rt = relationTargetAt(snap, offset, refs, rel);
  if (rt) {
    const named = namedBy(rt, rel);
    if ('error' in named) return [];
    const all = namedLocations(ws, files, snap, named);
    return includeDeclaration ? [declarationOf(ws, named), ...all] : all;
  }
  const t = targetAt(snap, offset, refs);
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
