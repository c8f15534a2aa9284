import type { Dialect } from './dialect';
import type { SqlExpr } from './expr';
import type { Measure } from './groupedScan';

/**
 * A metric's aggregate over a grouped source (groupedScan.ts), whose rows are groups of the
 * file's rows: `__w` rows each, a measure summed, counted and bounded per group. Each is the
 * aggregate over the file's rows it stands for: a count sums the weights, a sum sums the sums,
 * an average divides them, `min`/`max` bound the bounds. `cond(x)` keeps `x` for the rows the
 * metric's filter keeps (filters read only grouped columns, so a group is kept or not whole).
 */
export function weightedAggregate(
  d: Dialect,
  kind: 'count' | 'sum' | 'avg' | 'min' | 'max',
  on: { measure: Measure } | { column: SqlExpr; numeric: string } | undefined,
  cond: (x: string) => string,
  filtered: boolean,
): string | undefined {
  if (on && 'measure' in on) {
    if (kind === 'count' || kind === 'avg') on.measure.used.add('count');
    if (kind === 'min' || kind === 'max') on.measure.used.add(kind);
  }
  const count = (x: string) => `CAST(COALESCE(SUM(${x}), 0) AS ${d.double})`;
  if (kind === 'count') {
    if (!on) return filtered ? count(cond('__w')) : `CAST(SUM(__w) AS ${d.double})`;
    if ('measure' in on) return count(cond(on.measure.count));
    return count(cond(`CASE WHEN ${on.column.sql} IS NOT NULL THEN __w END`));
  }
  if (!on) return undefined;
  const m = 'measure' in on ? on.measure : undefined;
  const value = m ? m.sum : `${(on as { numeric: string }).numeric} * __w`;
  const values = m ? m.count : `CASE WHEN ${(on as { numeric: string }).numeric} IS NOT NULL THEN __w END`;
  switch (kind) {
    case 'sum':
      // Kept rows whose values are all unreadable are no data; no kept rows at all is 0.
      return filtered ? `CASE WHEN COUNT(${cond('1')}) = 0 THEN 0.0 ELSE SUM(${cond(value)}) END` : `SUM(${value})`;
    case 'avg':
      return `SUM(${cond(value)}) / NULLIF(SUM(${cond(values)}), 0)`;
    default: {
      const bound = m ? (kind === 'min' ? m.min : m.max) : (on as { numeric: string }).numeric;
      return `${kind.toUpperCase()}(${cond(bound)})`;
    }
  }
}
