import type { Definition, KpiDef, SourceDef } from '../model';
import type { Span } from '../span';
import { Context } from './context';
import { reachedFrom } from './components';
import { forEachNode } from './references';

export interface Dependency {
  def: Definition;
  /** Where the formula names it. */
  span: Span;
}

/** The KPI → metric/KPI → source graph over everything in scope, computed lazily, silent. */
export class Graph {
  private readonly depsMemo = new Map<KpiDef, Dependency[]>();
  private readonly sourcesMemo = new Map<KpiDef, ReadonlySet<SourceDef>>();

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

  /** Every source a KPI reads through its metrics and KPIs, transitively (cycle-safe, linear). */
  sources(kpi: KpiDef): ReadonlySet<SourceDef> {
    return reachedFrom(kpi, (k) => this.kpiDeps(k), (k) => this.ownSources(k), this.sourcesMemo);
  }

  private kpiDeps(kpi: KpiDef): KpiDef[] {
    return this.deps(kpi).flatMap((d) => (d.def.kind === 'kpi' ? [d.def] : []));
  }

  /** The sources of the metrics a KPI names itself. */
  private ownSources(kpi: KpiDef): SourceDef[] {
    return this.deps(kpi).flatMap(({ def }) => {
      const src = def.kind === 'metric' && def.source ? this.ctx.lookup(def.source.value, 'source') : undefined;
      return src ? [src] : [];
    });
  }
}
