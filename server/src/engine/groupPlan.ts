import type { GroupPlan } from '../data/table';
import { forEachNode } from '../language/analysis/references';
import type { MetricDef, SourceDef } from '../language/model';

/** Aggregates a group's sum, count, minimum and maximum answer as well as its rows. */
const MERGEABLE = new Set(['sum', 'count', 'avg', 'min', 'max']);

/**
 * How a source's rows may be merged as they are read (data/groupedCsv.ts): by its time, the
 * dimensions results are broken down by (`breakdowns`; all of them when undefined) and the
 * columns its metrics' filters test, adding up the columns they aggregate. Undefined when a
 * metric needs the rows themselves (distinct counts, first sightings) or aggregates a column
 * that also tells groups apart.
 */
export function groupPlan(src: SourceDef, metrics: MetricDef[], breakdowns: ReadonlySet<string> | undefined): GroupPlan | undefined {
  const keys = new Set<string>(src.dimensions.map((d) => d.value).filter((d) => !breakdowns || breakdowns.has(d)));
  if (src.time) keys.add(src.time.value);
  for (const m of metrics) if (m.where) forEachNode(m.where.expr, (e) => { if (e.kind === 'name') keys.add(e.name); });
  const measures = new Set<string>();
  const extremes = new Set<string>();
  for (const m of metrics) {
    const agg = m.agg?.value;
    if (!agg || !MERGEABLE.has(agg)) return undefined;
    const column = m.column?.value;
    if (column === undefined) continue;
    if (keys.has(column)) {
      if (agg !== 'count') return undefined;
    } else {
      measures.add(column);
      if (agg === 'min' || agg === 'max') extremes.add(column);
    }
  }
  return { keys: [...keys], measures: [...measures], extremes: [...extremes] };
}
