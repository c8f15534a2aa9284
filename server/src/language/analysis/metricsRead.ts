import type { KpiDef, MetricDef } from '../model';
import type { Scope } from '../workspace';
import { reachedFrom } from './components';
import { kpisNamedBy } from './order';
import { forEachNode } from './references';

/** The metrics each KPI reads, through the KPIs it uses; memoized, so linear along a chain. */
export class MetricsRead {
  private readonly memo = new Map<KpiDef, ReadonlySet<MetricDef>>();

  constructor(private readonly scope: Scope) {}

  of(kpi: KpiDef): ReadonlySet<MetricDef> {
    return reachedFrom(kpi, (k) => kpisNamedBy(k, this.scope), (k) => this.named(k), this.memo);
  }

  /** The metrics a KPI's formula names itself, in written order. */
  private named(k: KpiDef): MetricDef[] {
    const out: MetricDef[] = [];
    if (k.formula) forEachNode(k.formula.expr, (e) => {
      const def = e.kind === 'name' ? this.scope.names.get(e.name) : undefined;
      if (def?.kind === 'metric') out.push(def);
    });
    return out;
  }
}
