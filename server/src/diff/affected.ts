import { forEachNode } from '../language/analysis/references';
import type { Definition } from '../language/model';
import type { SideIndex } from './side';

/** Paths longer than this are shown with their middle cut to `…`. */
const SHOWN = 10;

/** A path down to a changed definition; paths of a chain share their tails. */
interface Step {
  label: string;
  below: Step | null;
  /** Steps in this path, this one included. */
  length: number;
  /** The label of the last step: the definition that changed. */
  last: string;
}

/**
 * Why a definition whose own text did not change computes something else now: the chain of
 * definitions it uses (after side) down to one that changed, e.g.
 * `["conversion_rate", "orders (where changed)"]`. `changedAspects` says what changed in a
 * definition itself (undefined or empty: nothing). Cycle-safe and without recursion (a chain
 * of 100,000 KPIs is walked once); the first dependency in formula order that explains it wins.
 */
export class AffectedFinder {
  private readonly memo = new Map<Definition, Step | null>();

  constructor(private readonly after: SideIndex, private readonly changedAspects: (def: Definition) => string[] | undefined) {}

  /** The path below `def` (excluding def), or null when nothing it uses changed. */
  why(def: Definition): string[] | null {
    const step = this.find(def);
    if (!step) return null;
    const labels: string[] = [];
    for (let s: Step | null = step; s && labels.length < SHOWN - 1; s = s.below) labels.push(s.label);
    if (step.length > SHOWN) labels.push(`… ${step.length - SHOWN} more`, step.last);
    else if (step.length === SHOWN) labels.push(step.last);
    return labels;
  }

  private find(start: Definition): Step | null {
    if (this.memo.has(start)) return this.memo.get(start)!;
    const active = new Set<Definition>([start]);
    const frames: { def: Definition; deps: Definition[]; i: number }[] = [{ def: start, deps: this.deps(start), i: 0 }];
    let returned: Step | null | undefined; // what the frame just popped found
    while (frames.length) {
      const top = frames[frames.length - 1]!;
      let found: Step | null | undefined;
      if (returned !== undefined) {
        if (returned) found = stepOn(labelOf(top.deps[top.i]!), returned);
        else top.i++;
        returned = undefined;
      }
      while (found === undefined && top.i < top.deps.length) {
        const dep = top.deps[top.i]!;
        const own = this.changedAspects(dep);
        if (own?.length) found = stepOn(`${labelOf(dep)} (${own.join(', ')} changed)`, null);
        else if (this.memo.has(dep)) {
          const below = this.memo.get(dep)!;
          if (below) found = stepOn(labelOf(dep), below);
          else top.i++;
        } else if (active.has(dep)) top.i++;
        else break;
      }
      if (found === undefined && top.i < top.deps.length) {
        const dep = top.deps[top.i]!;
        active.add(dep);
        frames.push({ def: dep, deps: this.deps(dep), i: 0 });
        continue;
      }
      frames.pop();
      active.delete(top.def);
      this.memo.set(top.def, found ?? null);
      returned = found ?? null;
    }
    return this.memo.get(start)!;
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
    } else if (def.kind === 'source') {
      // What a source reads: the source it rolls up and those it looks up.
      for (const id of [def.from?.value, ...[...def.lookups.values()].map((l) => l.source?.value)]) {
        const s = id === undefined ? undefined : this.after.defs.source.get(id);
        if (s && !out.includes(s)) out.push(s);
      }
    }
    return out;
  }
}

function labelOf(def: Definition): string {
  return def.kind === 'source' ? `source ${def.id}` : def.id;
}

function stepOn(label: string, below: Step | null): Step {
  return { label, below, length: 1 + (below?.length ?? 0), last: below ? below.last : label };
}
