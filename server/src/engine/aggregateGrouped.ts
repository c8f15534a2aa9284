import { matchColumn } from '../data/columnNames';
import type { Table } from '../data/table';
import type { Agg } from '../language/model';
import type { CellLayout } from './aggregate';
import { cellsOf, CellTotals } from './cellTotals';
import { presence } from './presence';

/**
 * aggregate() over a table whose rows are groups of the file's rows (data/groupedCsv.ts): each
 * group adds its rows and its measure's sum, count, minimum and maximum, which gives what the
 * rows themselves give (sums added per group first).
 */
export function aggregateGrouped(table: Table, layout: CellLayout, agg: Agg, columnName: string | undefined, keep: ((row: number) => boolean) | undefined): Float64Array {
  const { weights, measures } = table.grouped!;
  const { period } = layout;
  const n = table.rowCount;
  const { present, cellOf } = cellsOf(layout, n);
  const name = columnName === undefined ? undefined : matchColumn(columnName, table.header);
  const measure = name === undefined ? undefined : measures.get(name);
  const key = name === undefined || measure ? undefined : table.columns.get(name);
  const valued = key && presence(key);
  const totals = new CellTotals(layout.periods * layout.groups, agg);
  const { count, kept } = totals;
  // The figure a group adds: its sum, or its minimum or maximum.
  const figure = !measure ? undefined : agg === 'min' ? measure.min : agg === 'max' ? measure.max : measure.sum;
  for (let r = 0; r < n; r++) {
    if (period[r]! < 0 || (keep && !keep(r))) continue;
    const c = cellOf(r);
    const w = weights[r]!;
    kept[c] += w;
    if (!measure && !key) { count[c] += w; continue; } // no such column: rows only
    if (!measure) {
      // A key column: its value is the group's; only counted (the plan sums no key).
      if (agg === 'count' && valued!(r) === 1) count[c] += w;
      continue;
    }
    const k = measure.count[r]!;
    if (!k) continue;
    count[c] += k;
    if (agg !== 'count') totals.add(c, figure![r]!);
  }
  return totals.values(present);
}
