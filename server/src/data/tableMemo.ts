import type { Table } from './table';

/**
 * Work derived from a table (period indexes, group layouts, metric aggregates), kept as long
 * as the table itself: the table cache hands out the same Table object until its file
 * changes, so a formula edit re-evaluates formulas over cached aggregates.
 */
export class TableMemo {
  private readonly byTable = new WeakMap<Table, Map<string, unknown>>();

  get<T>(table: Table, key: string, make: () => T): T {
    let map = this.byTable.get(table);
    if (!map) this.byTable.set(table, (map = new Map()));
    if (map.has(key)) return map.get(key) as T;
    const value = make();
    map.set(key, value);
    return value;
  }
}
