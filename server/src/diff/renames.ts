import type { Definition, DefKind } from '../language/model';
import { AspectReader, sameAspects, type Renames } from './aspects';
import type { SideIndex } from './side';

/**
 * Pairs definitions removed under one id and added under another whose definitions are equal
 * in everything but the id (references to renamed definitions count as equal). Kinds are paired
 * in dependency order (sources, metrics, KPIs, goals) so a renamed metric lets the KPIs over it
 * match; KPIs are paired until no new pair appears, for KPIs over renamed KPIs. Ties go by id.
 */
export function findRenames(before: SideIndex, after: SideIndex, readBefore: AspectReader, readAfter: AspectReader): Renames {
  const renames: Renames = { names: new Map(), sources: new Map() };
  for (const kind of ['source', 'metric', 'kpi', 'goal'] as DefKind[]) {
    const map = kind === 'source' ? renames.sources : renames.names;
    for (;;) {
      const paired = new Set(map.values());
      const gone = [...before.defs[kind].keys()].filter((id) => !after.defs[kind].has(id) && !map.has(id)).sort();
      const fresh = [...after.defs[kind].keys()].filter((id) => !before.defs[kind].has(id) && !paired.has(id)).sort();
      let found = false;
      const freshAspects = fresh.map((id) => ({ id, aspects: readAfter.read(after.defs[kind].get(id) as Definition) }));
      for (const id of gone) {
        const old = readBefore.read(before.defs[kind].get(id) as Definition, renames);
        const match = freshAspects.find((f) => !paired.has(f.id) && sameAspects(old, f.aspects));
        if (!match) continue;
        map.set(id, match.id);
        paired.add(match.id);
        found = true;
      }
      if (!found || kind !== 'kpi') break;
    }
  }
  return renames;
}
