import type { Definition, KpiDef, SourceDef } from '../model';
import type { Span } from '../span';
import { Context } from './context';
import { forEachNode } from './references';

export interface Dependency {
  def: Definition;
  /** Where the formula names it. */
  span: Span;
}

/** The KPI → metric/KPI → source graph over everything in scope, computed lazily, silent. */
export class Graph {
  private readonly depsMemo = new Map<KpiDef, Dependency[]>();
  private readonly sourcesMemo = new Map<KpiDef, Set<SourceDef>>();

  constructor(private readonly ctx: Context) {}

  /** Metrics and KPIs a KPI's formula names directly, each once, in order. */
  deps(kpi: KpiDef): Dependency[] {
    let deps = this.depsMemo.get(kpi);
    if (deps) return deps;
    deps = [];
    const seen = new Set<string>();
    if (kpi.formula) {
      forEachNode(kpi.formula.expr, (e) => {
        if (e.kind !== 'name' || seen.has(e.name)) return;
        const def = this.ctx.scope.get(e.name);
        if (def && (def.kind === 'metric' || def.kind === 'kpi')) {
          seen.add(e.name);
          deps!.push({ def, span: e.span });
        }
      });
    }
    this.depsMemo.set(kpi, deps);
    return deps;
  }

  /** Every source a KPI reads through its metrics and KPIs, transitively (cycle-safe). */
  sources(kpi: KpiDef): Set<SourceDef> {
    const memo = this.sourcesMemo.get(kpi);
    if (memo) return memo;
    const out = new Set<SourceDef>();
    const seen = new Set<KpiDef>();
    const stack = [kpi];
    while (stack.length) {
      const k = stack.pop()!;
      if (seen.has(k)) continue;
      seen.add(k);
      for (const { def } of this.deps(k)) {
        if (def.kind === 'kpi') stack.push(def);
        else if (def.kind === 'metric' && def.source) {
          const src = this.ctx.lookup(def.source.value, 'source');
          if (src) out.add(src);
        }
      }
    }
    this.sourcesMemo.set(kpi, out);
    return out;
  }
}
