import type { Workspace } from '../workspace';
import { Context } from './context';
import { forEachNode } from './references';

/** Names used by any KPI formula of the given files and their imports. */
export function usedNames(ws: Workspace, files: Iterable<string>): Set<string> {
  const used = new Set<string>();
  const seen = new Set<string>();
  for (const file of files) {
    for (const parsed of ws.closure(file)) {
      if (seen.has(parsed.spec.file)) continue;
      seen.add(parsed.spec.file);
      for (const kpi of parsed.spec.kpis.values()) {
        if (kpi.formula) forEachNode(kpi.formula.expr, (e) => { if (e.kind === 'name') used.add(e.name); });
      }
    }
  }
  return used;
}

/** unused-metric: a metric no KPI of the workspace uses. */
export function checkUnusedMetrics(ctx: Context, used: Set<string>): void {
  for (const def of ctx.own) {
    if (def.kind === 'metric' && !used.has(def.id) && ctx.scope.owns(def)) {
      ctx.report('unused-metric', def.idSpan, `metric \`${def.id}\` is not used by any KPI; use it in a formula or remove it`);
    }
  }
}
