import { matchColumn } from './columnNames';
import type { ReadOptions } from './table';
import type { ColumnType, DataProblem } from './table';

/**
 * Which header columns to read and as what. Names from the spec (wanted columns, the time
 * column, dimensions, pins) match header names like the checker's: exactly, else ignoring
 * case and surrounding spaces when only one header name fits.
 */
export interface Plan {
  /** Header positions to materialise, with their kind. */
  columns: { index: number; kind: ColumnType | 'infer' }[];
  time: number;
  problems: DataProblem[];
}

export function plan(header: string[], options: ReadOptions): Plan {
  const problems: DataProblem[] = [];
  const indexOf = (name: string) => {
    const found = matchColumn(name, header);
    return found === undefined ? -1 : header.indexOf(found);
  };
  const missing = (name: string, what: 'column' | 'time column') =>
    problems.push({ kind: 'missing-column', message: missingColumnMessage(what, name, header), column: name, count: 1, examples: [] });
  const kinds = new Map<number, ColumnType | 'infer'>();
  const time = options.timeColumn === undefined ? -1 : indexOf(options.timeColumn);
  if (options.timeColumn !== undefined && time < 0) missing(options.timeColumn, 'time column');
  // Priority, lowest first: inferred, the time column as dates, text columns, pins.
  if (time >= 0) kinds.set(time, 'date');
  for (const name of options.stringColumns ?? []) if (indexOf(name) >= 0) kinds.set(indexOf(name), 'string');
  for (const [name, kind] of Object.entries(options.pinned ?? {})) if (indexOf(name) >= 0) kinds.set(indexOf(name), kind);
  let wanted: number[];
  if (options.wanted === undefined) {
    // Every named column once; a repeated or empty header name is skipped.
    wanted = header.map((h, i) => (h !== '' && header.indexOf(h) === i ? i : -1)).filter((i) => i >= 0);
  } else {
    wanted = [];
    for (const name of options.wanted) {
      const i = indexOf(name);
      // A missing time column is said once, as the time column.
      if (i < 0) { if (name !== options.timeColumn) missing(name, 'column'); }
      else if (!wanted.includes(i)) wanted.push(i);
    }
  }
  if (time >= 0 && !wanted.includes(time)) wanted.push(time);
  wanted.sort((a, b) => a - b);
  return { columns: wanted.map((index) => ({ index, kind: kinds.get(index) ?? 'infer' })), time, problems };
}

export function missingColumnMessage(what: 'column' | 'time column', name: string, header: string[]): string {
  return `${what} \`${name}\` is not in the data${header.length ? `; its columns are ${header.map((h) => `\`${h}\``).join(', ')}` : ''}`;
}
