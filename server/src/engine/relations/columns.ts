import type { Column, ColumnType } from '../../data/table';
import { dayText } from '../periods';
import { columnReader, type RowFn } from '../rowFilter';

/** A column's values as text codes: keys and joins compare values as written, on every engine. */
export interface TextCodes {
  codes: Int32Array; // -1 = null
  dict: string[];
}

export function textCodes(col: Column): TextCodes {
  if (col.type === 'string') return { codes: col.codes, dict: col.dict };
  const read = columnReader(col);
  const n = col.type === 'boolean' ? col.values.length : col.type === 'number' ? col.values.length : col.days.length;
  const codes = new Int32Array(n);
  const dict: string[] = [];
  const index = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    const v = read(r);
    if (v === null) { codes[r] = -1; continue; }
    const text = col.type === 'date' ? dayText(v as number) : String(v);
    let code = index.get(text);
    if (code === undefined) { code = dict.length; dict.push(text); index.set(text, code); }
    codes[r] = code;
  }
  return { codes, dict };
}

/** The rows an index names (-1: null), as a column: a looked-up column, a rollup's first or last value. */
export function gather(col: Column, index: Int32Array, name: string): Column {
  const n = index.length;
  switch (col.type) {
    case 'number': {
      const values = new Float64Array(n);
      for (let r = 0; r < n; r++) values[r] = index[r]! < 0 ? NaN : col.values[index[r]!]!;
      return { name, type: 'number', values };
    }
    case 'date': {
      const days = new Float64Array(n);
      for (let r = 0; r < n; r++) days[r] = index[r]! < 0 ? NaN : col.days[index[r]!]!;
      return { name, type: 'date', days };
    }
    case 'boolean': {
      const values = new Int8Array(n);
      for (let r = 0; r < n; r++) values[r] = index[r]! < 0 ? -1 : col.values[index[r]!]!;
      return { name, type: 'boolean', values };
    }
    case 'string': {
      const codes = new Int32Array(n);
      for (let r = 0; r < n; r++) codes[r] = index[r]! < 0 ? -1 : col.codes[index[r]!]!;
      return { name, type: 'string', codes, dict: col.dict };
    }
  }
}

/** A column of the given type from a row function (a derived column); values of another type are null. */
export function columnFrom(name: string, type: ColumnType, n: number, value: RowFn): Column {
  switch (type) {
    case 'number':
    case 'date': {
      const values = new Float64Array(n);
      for (let r = 0; r < n; r++) { const v = value(r); values[r] = typeof v === 'number' && Number.isFinite(v) ? v : NaN; }
      return type === 'number' ? { name, type, values } : { name, type, days: values };
    }
    case 'boolean': {
      const values = new Int8Array(n);
      for (let r = 0; r < n; r++) { const v = value(r); values[r] = typeof v === 'boolean' ? (v ? 1 : 0) : -1; }
      return { name, type, values };
    }
    case 'string': {
      const codes = new Int32Array(n);
      const dict: string[] = [];
      const index = new Map<string, number>();
      for (let r = 0; r < n; r++) {
        const v = value(r);
        if (typeof v !== 'string') { codes[r] = -1; continue; }
        let code = index.get(v);
        if (code === undefined) { code = dict.length; dict.push(v); index.set(v, code); }
        codes[r] = code;
      }
      return { name, type, codes, dict };
    }
  }
}

/** A column as text, for a dimension: its groups are text values. */
export function asText(col: Column, name: string): Column {
  if (col.type === 'string') return col.name === name ? col : { ...col, name };
  const { codes, dict } = textCodes(col);
  return { name, type: 'string', codes, dict };
}

export function rowCountOf(col: Column): number {
  return col.type === 'date' ? col.days.length : col.type === 'string' ? col.codes.length : col.values.length;
}
