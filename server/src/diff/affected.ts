import { forEachNode } from '../language/analysis/references';
import type { Definition } from '../language/model';
import type { SideIndex } from './side';

/**
 * Why a definition whose own text did not change computes something else now: the chain of
 * definitions it uses (after side) down to one that changed, e.g.
 * `["conversion_rate", "orders (where changed)"]`. `changedAspects` says what changed in a
 * definition itself (undefined or empty: nothing). Cycle-safe; the first dependency in
 * formula order that explains it wins.
 */
export class AffectedFinder {
  private readonly memo = new Map<Definition, string[] | null>();
  private readonly active = new Set<Definition>();

  constructor(private readonly after: SideIndex, private readonly changedAspects: (def: Definition) => string[] | undefined) {}

  /** The path below `def` (excluding def), or null when nothing it uses changed. */
  why(def: Definition): string[] | null {
    if (this.memo.has(def)) return this.memo.get(def)!;
    if (this.active.has(def)) return null;
    this.active.add(def);
    let found: string[] | null = null;
    for (const dep of this.deps(def)) {
      const own = this.changedAspects(dep);
      const label = dep.kind === 'source' ? `source ${dep.id}` : dep.id;
      if (own?.length) { found = [`${label} (${own.join(', ')} changed)`]; break; }
      const below = this.why(dep);
      if (below) { found = [label, ...below]; break; }
    }
    this.active.delete(def);
    this.memo.set(def, found);
    return found;
  }

  private deps(def: Definition): Definition[] {
    const out: Definition[] = [];
    if (def.kind === 'kpi' && def.formula) {
      const seen = new Set<string>();
      forEachNode(def.formula.expr, (e) => {
        if (e.kind !== 'name' || seen.has(e.name)) return;
        seen.add(e.name);
        const d = this.after.defs.metric.get(e.name) ?? this.after.defs.kpi.get(e.name);
        if (d) out.push(d);
      });
    } else if (def.kind === 'metric' && def.source) {
      const s = this.after.defs.source.get(def.source.value);
      if (s) out.push(s);
    }
    return out;
  }
}
