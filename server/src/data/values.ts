import type { ColumnType } from './table';
import { isIsoDateText } from './timeValues';

/**
 * What a single written value is, and the rule that turns a column's values into one type.
 * These are the exact (slow) definitions; the byte-level fast paths must agree with them.
 */

export type ValueClass = ColumnType | 'empty';
export type Decimal = '.' | ',';

const NUMBER_DOT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const NUMBER_COMMA = /^[+-]?(\d+(,\d*)?|,\d+)([eE][+-]?\d+)?$/;
/** With decimal comma, `.` may group thousands, but only in real groups: `1.234.567,5`. */
const GROUPED_COMMA = /^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$/;
const BOOLEAN = /^(true|false)$/i;

/**
 * The number a cell holds, or NaN. Exactly Number(text.trim()) for the accepted grammar
 * (sign, digits, one decimal mark, exponent); `Infinity`, hex, `1,234` (decimal '.') and
 * `#N/A` are not numbers. With decimal ',' the comma is the mark and `.` groups thousands.
 */
export function parseNumberText(text: string, decimal: Decimal): number {
  const t = text.trim();
  if (decimal === '.') return NUMBER_DOT.test(t) ? Number(t) : NaN;
  if (NUMBER_COMMA.test(t)) return Number(t.replace(',', '.'));
  if (GROUPED_COMMA.test(t)) return Number(t.replace(/\./g, '').replace(',', '.'));
  return NaN;
}

/** 1, 0, or -1 when unreadable. Inference only sees true/false; a boolean column also reads yes/no and 1/0. */
export function parseBooleanText(text: string): number {
  switch (text.trim().toLowerCase()) {
    case 'true': case 'yes': case '1': return 1;
    case 'false': case 'no': case '0': return 0;
    default: return -1;
  }
}

/**
 * Spreadsheet markers for a missing or failed value. They say nothing about a column's type:
 * a numeric column with a few `#N/A` stays numeric (and the markers are reported as unreadable).
 */
export const MISSING_MARKER = /^(#N\/A|N\/A|#DIV\/0!|#VALUE!|#REF!|#NULL!|#NUM!|#NAME\?)$/i;

/** The class of one cell, in the checker's order: boolean, number, ISO date, else text. */
export function classifyText(text: string, decimal: Decimal): ValueClass {
  const t = text.trim();
  if (t === '' || MISSING_MARKER.test(t)) return 'empty';
  if (BOOLEAN.test(t)) return 'boolean';
  if (!Number.isNaN(parseNumberText(t, decimal))) return 'number';
  if (isIsoDateText(t)) return 'date';
  return 'string';
}

export interface ClassCounts {
  number: number;
  boolean: number;
  date: number;
  string: number;
}

export function emptyCounts(): ClassCounts {
  return { number: 0, boolean: 0, date: 0, string: 0 };
}

/**
 * The column type: the class at least 90% of non-empty values have (a stray `#N/A` does not
 * make numbers text), else text. A column with no values at all reads as numbers (all null).
 */
export function chooseType(counts: ClassCounts): ColumnType {
  const total = counts.number + counts.boolean + counts.date + counts.string;
  if (total === 0) return 'number';
  for (const t of ['number', 'date', 'boolean'] as const) if (counts[t] >= total * 0.9) return t;
  return 'string';
}
