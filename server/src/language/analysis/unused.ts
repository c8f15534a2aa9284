import type { Definition, KpiDef } from '../model';
import type { Workspace } from '../workspace';
import { Context } from './context';
import { forEachNode } from './references';

/** The metrics and KPIs that some KPI formula of these files (or their imports) resolves to. */
export function usedDefinitions(ws: Workspace, files: Iterable<string>): Set<Definition> {
  const used = new Set<Definition>();
  const seen = new Set<string>();
  for (const file of files) {
    for (const parsed of ws.closure(file)) {
      if (seen.has(parsed.spec.file)) continue;
      seen.add(parsed.spec.file);
      const scope = ws.scope(parsed.spec.file);
      for (const kpi of parsed.spec.kpis.values()) {
        for (const name of namesUsedBy(kpi)) {
          const def = scope.names.get(name);
          if (def) used.add(def);
        }
      }
    }
  }
  return used;
}

/**
 * The names a KPI's formula uses, resolved in its file's scope by the callers. A formula with a
 * syntax error lost part of its tree: its words still name what it uses.
 */
export function namesUsedBy(kpi: KpiDef): string[] {
  const names: string[] = [];
  if (!kpi.formula) return names;
  forEachNode(kpi.formula.expr, (e) => {
    if (e.kind === 'name') names.push(e.name);
  });
  if (kpi.formula.errors.length) for (const word of kpi.formula.text.match(/[\p{L}_][\p{L}\p{N}_]*/gu) ?? []) names.push(word);
  return names;
}

/** unused-metric: a metric no KPI of the workspace uses. */
export function checkUnusedMetrics(ctx: Context, used: Set<Definition>, defs: Iterable<Definition> = ctx.own): void {
  for (const def of defs) {
    if (isUnused(ctx, def, used)) {
      ctx.at(def);
      ctx.report('unused-metric', def.idSpan, `metric \`${def.id}\` is not used by any KPI; use it in a formula or remove it`);
    }
  }
}

/** Whether unused-metric reports this definition. */
export function isUnused(ctx: Context, def: Definition, used: Set<Definition>): boolean {
  return def.kind === 'metric' && !used.has(def) && ctx.scope.owns(def);
}
