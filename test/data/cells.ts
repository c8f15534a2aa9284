import * as path from 'node:path';
import { findColumn, readTableFile, type ReadOptions, type Table, type TableResult } from '../../server/src/data/readTable';

export const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'data');

export function fixture(name: string, options: Partial<ReadOptions> = {}): TableResult {
  return readTableFile(path.join(FIXTURES, name), { format: 'csv', timezone: 'UTC', ...options });
}

/** A column as plain JS values: numbers, strings, booleans, dates as YYYY-MM-DD; null for no value. */
export function cells(table: Table | undefined, name: string): unknown[] {
  if (!table) throw new Error('no table');
  const col = findColumn(table, name);
  if (!col) throw new Error(`no column ${name} in ${table.header.join(', ')}`);
  const out: unknown[] = [];
  for (let r = 0; r < table.rowCount; r++) {
    if (col.type === 'number') out.push(Number.isNaN(col.values[r]) ? null : col.values[r]);
    else if (col.type === 'string') out.push(col.codes[r]! < 0 ? null : col.dict[col.codes[r]!]);
    else if (col.type === 'boolean') out.push(col.values[r] === -1 ? null : col.values[r] === 1);
    else out.push(dayText(col.days[r]!));
  }
  return out;
}

export function dayText(day: number): string | null {
  return Number.isNaN(day) ? null : new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function times(table: Table | undefined): (string | null)[] {
  if (!table?.time) throw new Error('no time column');
  return [...table.time].map(dayText);
}

export function typeOf(table: Table | undefined, name: string): string | undefined {
  return table && findColumn(table, name)?.type;
}
