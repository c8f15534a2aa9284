import type { TableResult } from '../data/readTable';
import { findColumn, type Table } from '../data/table';
import type { TableMemo } from '../data/tableMemo';
import type { SourceDef } from '../language/model';
import type { CellLayout } from './aggregate';
import type { Timeline } from './periods';

/** A breakdown axis: a dimension ('' for the total) and its groups, shared by the KPI's sources. */
export interface Axis {
  /** Identifies the group list: the dimension and the sources it was built from. */
  id: string;
  dimension: string;
  groups: (string | null)[];
}

export const TOTAL: Axis = { id: '', dimension: '', groups: [null] };

/**
 * Lays out the rows of each source on a timeline: a period index per row, and per breakdown
 * axis a group index per row. Metrics of several sources meet on (period, group) because the
 * groups of an axis are the union of the dimension's values over all of them, by text.
 */
export class Axes {
  private readonly axes = new Map<string, Axis>();
  /** Identifies the timeline in memo keys. */
  private readonly timelineKey: string;

  constructor(
    private readonly timeline: Timeline,
    private readonly tables: Map<SourceDef, TableResult>,
    private readonly memo: TableMemo,
  ) {
    this.timelineKey = `${timeline.grain}:${timeline.firstDay}:${timeline.lastDay}`;
  }

  axis(dimension: string, sources: SourceDef[]): Axis {
    const id = `${dimension}|${sources.map((s) => s.id).sort().join(',')}`;
    let axis = this.axes.get(id);
    if (axis) return axis;
    const values = new Set<string>();
    let hasNull = false;
    for (const s of sources) {
      const col = this.tables.get(s)?.table && findColumn(this.tables.get(s)!.table!, dimension);
      if (col?.type !== 'string') continue;
      const used = new Uint8Array(col.dict.length);
      for (const c of col.codes) if (c < 0) hasNull = true; else used[c] = 1;
      col.dict.forEach((v, i) => used[i] && values.add(v));
    }
    const groups: (string | null)[] = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (hasNull) groups.push(null);
    axis = { id, dimension, groups };
    this.axes.set(id, axis);
    return axis;
  }

  /** Period index per row of a source: -1 outside the timeline or without a readable time. */
  private periodsOf(src: SourceDef): Int32Array | undefined {
    const table = this.tables.get(src)?.table;
    if (!table) return undefined;
    return this.memo.get(table, `periods:${this.timelineKey}`, () => this.computePeriods(table));
  }

  private computePeriods(table: Table): Int32Array {
    const out = new Int32Array(table.rowCount);
    const time = table.time;
    // Rows outside the range (or without a readable time) are in no period; an untimed source has one.
    if (time) for (let r = 0; r < table.rowCount; r++) out[r] = Number.isNaN(time[r]!) ? -1 : this.timeline.indexOf(time[r]!);
    return out;
  }

  layout(src: SourceDef, axis: Axis): CellLayout | undefined {
    const table = this.tables.get(src)?.table;
    if (!table) return undefined;
    return this.memo.get(table, `layout:${this.timelineKey}:${axis.dimension}:${axis.groups.join('\u0001')}`, () => this.computeLayout(src, table, axis));
  }

  /** Identifies an axis and timeline in memo keys for metric aggregates. */
  key(axis: Axis): string {
    return `${this.timelineKey}:${axis.dimension}:${axis.groups.join('\u0001')}`;
  }

  private computeLayout(src: SourceDef, table: Table, axis: Axis): CellLayout | undefined {
    const period = this.periodsOf(src)!;
    let layout: CellLayout;
    if (!axis.dimension) layout = { periods: this.timeline.length, groups: 1, period };
    else {
      const col = findColumn(table, axis.dimension);
      if (col?.type !== 'string') return undefined;
      const index = new Map(axis.groups.map((g, i) => [g, i]));
      const remap = Int32Array.from(col.dict, (v) => index.get(v) ?? -1);
      const nullGroup = index.get(null) ?? -1;
      const group = new Int32Array(table.rowCount);
      const p = period.slice();
      for (let r = 0; r < table.rowCount; r++) {
        const c = col.codes[r]!;
        group[r] = c < 0 ? nullGroup : remap[c]!;
        if (group[r]! < 0) p[r] = -1;
      }
      layout = { periods: this.timeline.length, groups: axis.groups.length, period: p, group };
    }
    return layout;
  }
}
