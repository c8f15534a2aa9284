import type { Column, Table } from '../data/table';
import { findColumn } from '../data/table';
import type { Agg } from '../language/model';
import { aggregateGrouped } from './aggregateGrouped';
import { cellsOf, CellTotals } from './cellTotals';
import { presence } from './presence';

/** How the rows of a table fall into cells: a period index and a group code per row. */
export interface CellLayout {
  periods: number;
  groups: number;
  /** Period index per row, -1 = outside the range (or no readable time). */
  period: Int32Array;
  /** Group per row (0 for the total), or undefined for the total. */
  group?: Int32Array;
}

/**
 * Aggregates one metric into cells (period × group), NaN standing for no data. A cell has data
 * when the source has any row in it, filter or not: then a sum over no matching rows is 0 and
 * a count is 0, while avg/min/max stay null; a cell without rows is null.
 */
export function aggregate(table: Table, layout: CellLayout, agg: Agg, columnName: string | undefined, keep: ((row: number) => boolean) | undefined): Float64Array {
  if (table.grouped) return aggregateGrouped(table, layout, agg, columnName, keep);
  const cells = layout.periods * layout.groups;
  const { period } = layout;
  const n = table.rowCount;
  const { present, cellOf } = cellsOf(layout, n);
  const column = columnName === undefined ? undefined : findColumn(table, columnName);

  if (agg === 'sum' || agg === 'avg' || agg === 'min' || agg === 'max' || agg === 'count') {
    const values = column ? (agg === 'count' ? presence(column) : numeric(column)) : undefined;
    const totals = new CellTotals(cells, agg);
    const { count, kept } = totals;
    for (let r = 0; r < n; r++) {
      if (period[r]! < 0 || (keep && !keep(r))) continue;
      const c = cellOf(r);
      kept[c]++;
      if (!values) { count[c]++; continue; }
      const v = values(r);
      if (Number.isNaN(v)) continue;
      count[c]++;
      totals.add(c, v);
    }
    return totals.values(present);
  }
  const out = new Float64Array(cells).fill(NaN);

  // Customer aggregates over ids: count_distinct, retained, first_seen.
  const ids = column ? idReader(column) : undefined;
  if (!ids) return out;
  if (agg === 'first_seen') return firstSeen(table, layout, ids, keep, present, out);
  const sets: (Set<number | string> | undefined)[] = new Array(cells);
  for (let r = 0; r < n; r++) {
    if (period[r]! < 0 || (keep && !keep(r))) continue;
    const id = ids(r);
    if (id === null) continue;
    const c = cellOf(r);
    (sets[c] ??= new Set()).add(id);
  }
  for (let c = 0; c < cells; c++) {
    if (!present[c]) continue;
    const here = sets[c];
    if (agg === 'count_distinct') out[c] = here?.size ?? 0;
    else {
      // retained: ids seen in this period and in the previous one, same group.
      const prevCell = c - layout.groups;
      if (prevCell < 0) continue; // the first period in range has no previous one
      const before = sets[prevCell];
      let k = 0;
      if (here && before) for (const id of here) if (before.has(id)) k++;
      out[c] = k;
    }
  }
  return out;
}

/** Distinct ids whose first row (in the whole source, range or not) falls in each cell. */
function firstSeen(table: Table, layout: CellLayout, ids: (r: number) => number | string | null, keep: ((row: number) => boolean) | undefined,
  present: Uint8Array, out: Float64Array): Float64Array {
  const time = table.time;
  const first = new Map<number | string, number>();
  for (let r = 0; r < table.rowCount; r++) {
    if (keep && !keep(r)) continue;
    const id = ids(r);
    if (id === null) continue;
    const t = time ? time[r]! : 0;
    if (Number.isNaN(t)) continue;
    const seen = first.get(id);
    if (seen === undefined || t < (time ? time[seen]! : 0)) first.set(id, r);
  }
  for (let c = 0; c < out.length; c++) if (present[c]) out[c] = 0;
  for (const r of first.values()) {
    const p = layout.period[r]!;
    if (p < 0) continue;
    const c = layout.group ? p * layout.groups + layout.group[r]! : p;
    out[c] = out[c]! + 1;
  }
  return out;
}

function numeric(col: Column): (r: number) => number {
  if (col.type === 'number') { const v = col.values; return (r) => v[r]!; }
  if (col.type === 'boolean') { const v = col.values; return (r) => (v[r] === -1 ? NaN : v[r]!); }
  return () => NaN;
}

function idReader(col: Column): (r: number) => number | string | null {
  switch (col.type) {
    case 'string': { const c = col.codes; return (r) => (c[r]! < 0 ? null : c[r]!); }
    case 'number': { const v = col.values; return (r) => (Number.isNaN(v[r]!) ? null : v[r]!); }
    case 'date': { const v = col.days; return (r) => (Number.isNaN(v[r]!) ? null : v[r]!); }
    case 'boolean': { const v = col.values; return (r) => (v[r] === -1 ? null : v[r]!); }
  }
}
