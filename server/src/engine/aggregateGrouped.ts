import { matchColumn } from '../data/columnNames';
import type { Column, Table } from '../data/table';
import type { Agg } from '../language/model';
import type { CellLayout } from './aggregate';

/**
 * aggregate() over a table whose rows are groups of the file's rows (data/groupedCsv.ts): each
 * group adds its rows and its measure's sum, count, minimum and maximum, which gives what the
 * rows themselves give (sums added per group first).
 */
export function aggregateGrouped(table: Table, layout: CellLayout, agg: Agg, columnName: string | undefined, keep: ((row: number) => boolean) | undefined): Float64Array {
  const { weights, measures } = table.grouped!;
  const cells = layout.periods * layout.groups;
  const { period, group } = layout;
  const n = table.rowCount;
  const cellOf = (r: number) => (group ? period[r]! * layout.groups + group[r]! : period[r]!);
  const present = new Uint8Array(cells);
  for (let r = 0; r < n; r++) if (period[r]! >= 0) present[cellOf(r)] = 1;
  const name = columnName === undefined ? undefined : matchColumn(columnName, table.header);
  const measure = name === undefined ? undefined : measures.get(name);
  const key = name === undefined || measure ? undefined : table.columns.get(name);
  const out = new Float64Array(cells).fill(NaN);
  const acc = new Float64Array(cells);
  const count = new Float64Array(cells);
  const kept = new Float64Array(cells);
  if (agg === 'min') acc.fill(Infinity);
  if (agg === 'max') acc.fill(-Infinity);
  for (let r = 0; r < n; r++) {
    if (period[r]! < 0 || (keep && !keep(r))) continue;
    const c = cellOf(r);
    const w = weights[r]!;
    kept[c] += w;
    if (!measure && !key) { count[c] += w; continue; } // no such column: rows only
    if (!measure) {
      // A key column: its value is the group's; only counted (the plan sums no key).
      if (agg === 'count' && hasValue(key!, r)) count[c] += w;
      continue;
    }
    const k = measure.count[r]!;
    if (!k) continue;
    count[c] += k;
    if (agg === 'sum' || agg === 'avg') acc[c] += measure.sum[r]!;
    else if (agg === 'min') { if (measure.min[r]! < acc[c]!) acc[c] = measure.min[r]!; }
    else if (agg === 'max') { if (measure.max[r]! > acc[c]!) acc[c] = measure.max[r]!; }
  }
  for (let c = 0; c < cells; c++) {
    if (!present[c]) continue;
    if (agg === 'count') out[c] = count[c]!;
    // Rows kept whose values are all unreadable or empty are no data, never a zero.
    else if (agg === 'sum') out[c] = kept[c] && !count[c] ? NaN : acc[c]!;
    else out[c] = count[c] ? (agg === 'avg' ? acc[c]! / count[c]! : acc[c]!) : NaN;
  }
  return out;
}

function hasValue(col: Column, r: number): boolean {
  switch (col.type) {
    case 'string': return col.codes[r]! >= 0;
    case 'number': return !Number.isNaN(col.values[r]!);
    case 'date': return !Number.isNaN(col.days[r]!);
    case 'boolean': return col.values[r] !== -1;
  }
}
