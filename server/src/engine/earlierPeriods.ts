import { FUNCTIONS } from '../language/formula/functions';
import { forEachNode } from '../language/analysis/references';
import { dependenciesFirst, kpisNamedBy } from '../language/analysis/order';
import type { KpiDef } from '../language/model';
import type { Scope } from '../language/workspace';

/**
 * How a KPI's value in a period depends on the periods before it, if it does: a time function
 * (prev, growth, rolling; cumulative when `cumulative`) or a `retained` metric, in its formula or
 * in a KPI it names. Such a value sets a partial period against whole ones.
 */
export function readsEarlierPeriods(kpi: KpiDef, scope: Scope, cumulative: boolean): string | undefined {
  for (const k of dependenciesFirst(kpi, (x) => kpisNamedBy(x, scope))) {
    let found: string | undefined;
    if (k.formula) forEachNode(k.formula.expr, (e) => {
      if (found) return;
      if (e.kind === 'call' && FUNCTIONS.get(e.callee)?.time && (cumulative || e.callee !== 'cumulative')) found = `uses ${e.callee}()`;
      const d = e.kind === 'name' ? scope.names.get(e.name) : undefined;
      if (d?.kind === 'metric' && d.agg?.value === 'retained') found = `counts retained ids (metric \`${d.id}\`)`;
    });
    if (found) return k === kpi ? found : `${found} (in \`${k.id}\`)`;
  }
  return undefined;
}
