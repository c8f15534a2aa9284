import { matchColumn } from './columnNames';
import type { Encoding } from './encoding';

/** The thousands separators a source may declare (`thousands:`). */
export type Thousands = ',' | '.' | ' ' | "'";
export const THOUSANDS: readonly Thousands[] = [',', '.', ' ', "'"];

/** One typed column; nulls are NaN / -1 so a column is a few flat arrays, not a million objects. */
export type Column =
  | { name: string; type: 'number'; values: Float64Array } // NaN = null
  | { name: string; type: 'string'; codes: Int32Array; dict: string[] } // -1 = null; dictionary-encoded
  | { name: string; type: 'boolean'; values: Int8Array } // 1, 0, -1 = null
  | { name: string; type: 'date'; days: Float64Array }; // local day number (days since 1970-01-01 in the local calendar), NaN = null

/** A column's type, in the data and in the spec language alike. */
export type ColumnType = Column['type'];

export interface Table {
  rowCount: number;
  /** Keyed by the header name as written (trimmed); only the columns asked for are here. */
  columns: Map<string, Column>;
  /** Header names as written, trimmed (CSV); for JSON, the keys in order of first appearance. */
  header: string[];
  /** The time column as local day numbers (NaN = unreadable/empty), when timeColumn is given and found. */
  time?: Float64Array;
  /** 1-based source line where each row starts (CSV/NDJSON), for messages. */
  lines?: Int32Array;
  /** Per lookup of the source, the matched row of its target for each row (-1: none), for `matched(lookup)`. */
  matches?: Map<string, Int32Array>;
  /** Set when rows were merged as they were read (ReadOptions.group): then each row is a group. */
  grouped?: Grouped;
}

/**
 * Rows of the file merged by their key columns (groupedCsv.ts): the key columns are columns as
 * usual, one value per group; the measure columns are per-group sums, counts, minimums and
 * maximums of their readable values.
 */
export interface Grouped {
  /** Rows of the file. */
  rows: number;
  /** Rows of the file per group. */
  weights: Float64Array;
  /** By header name. A group without a readable value has count 0, sum 0, min +Infinity, max -Infinity. */
  measures: Map<string, Measure>;
}

export interface Measure {
  sum: Float64Array;
  count: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

/** Which columns to merge rows by and which to add up, for ReadOptions.group. */
export interface GroupPlan {
  /** Columns whose values tell groups apart: the time column, dimensions, columns filters test. */
  keys: string[];
  /** Number columns summed, counted, or taken the minimum or maximum of. */
  measures: string[];
  /** The measures whose minimum or maximum is taken (others keep only their sum and count). */
  extremes: string[];
}

export interface DataProblem {
  kind: 'unreadable-values' | 'ragged-row' | 'unreadable-file' | 'missing-column' | 'bad-time' | 'unclosed-quote'
    // Relations (engine/relations): a lookup target repeating a key; a column that cannot be computed; rows in no entity of a rollup.
    | 'key-not-unique' | 'unavailable' | 'unkeyed-rows';
  /** Plain sentence without the examples: callers append those. */
  message: string;
  column?: string;
  count: number;
  /** First few, 1-based: the source line (CSV/NDJSON) or the record number (JSON array, inline rows). */
  examples: { line: number; value: string }[];
}

export interface TableResult {
  table?: Table;
  problems: DataProblem[];
}

/** The column a spec name refers to, matched like the checker does (exact, else unique case-insensitive). */
export function findColumn(table: Table, name: string): Column | undefined {
  const found = matchColumn(name, table.header);
  return found === undefined ? undefined : table.columns.get(found);
}

/** How to read a data file: its format and the source's reading options. */
export interface ReadOptions {
  format: 'csv' | 'json' | 'ndjson';
  /** CSV, default ','. One ASCII character. */
  delimiter?: string;
  /** Default '.'. With ',', `1234,5` and `1.234,5` read 1234.5 (`.` only in groups of three). */
  decimal?: '.' | ',';
  /** The thousands separator, read only in groups of three: `1,647.43` with ','. Default none. */
  thousands?: Thousands;
  /** The file's text encoding; default UTF-8 (UTF-16 with a byte-order mark is recognised). */
  encoding?: Encoding;
  /** The source's `time` column. */
  timeColumn?: string;
  /** e.g. 'DD/MM/YYYY', 'YYYYMMDD', 'YYYY-MM-DD HH:mm:ss'; default ISO 8601 dates and date-times. */
  timeFormat?: string;
  /** IANA zone; values with an offset (or Z) are moved into it; others are local already. */
  timezone: string;
  /** Always text (dimensions, ids): `00123` and `2.81772E+18` stay as written. */
  stringColumns?: string[];
  /** The source's `columns:` pins; they win over everything. */
  pinned?: Record<string, ColumnType>;
  /** Only these columns (and the time column) are materialised; undefined = all. */
  wanted?: string[];
  /**
   * Merge rows by these keys as they are read, when the file is large enough to gain and its
   * columns allow (groupedCsv.ts); `wanted` must name the same columns.
   */
  group?: GroupPlan;
}
