import type { ColumnType, Thousands } from './table';
import { isIsoDateText } from './timeValues';

/**
 * What a single written value is, and the rule that turns a column's values into one type.
 * These are the exact (slow) definitions; the byte-level fast paths must agree with them.
 */

export type ValueClass = ColumnType | 'empty';
export type Decimal = '.' | ',';

const NUMBER_DOT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const NUMBER_COMMA = /^[+-]?(\d+(,\d*)?|,\d+)([eE][+-]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;

/** How a source writes numbers: its decimal mark and, when declared, its thousands separator. */
export interface NumberFormat {
  decimal: Decimal;
  thousands?: Thousands;
}

export function numberFormat(options: { decimal?: Decimal; thousands?: Thousands }): NumberFormat {
  const decimal = options.decimal ?? '.';
  // With a decimal comma, `.` groups thousands as it always has (`1.234,5`).
  const thousands = options.thousands ?? (decimal === ',' ? '.' : undefined);
  return thousands ? { decimal, thousands } : { decimal };
}

/**
 * A currency written with an amount: a symbol or an ISO code before it (`¥1,234`, `€12.50`,
 * `US$5`, `CNY 12.50`) or after it (`12,50 €`, `1234元`, `12.50 EUR`). The amount is read in the
 * metric's currency; the checker compares the symbol with it.
 */
export const CURRENCY_CODES: readonly string[] = ['USD', 'EUR', 'CNY', 'RMB', 'JPY', 'GBP', 'HKD', 'TWD', 'KRW', 'INR', 'AUD', 'CAD', 'SGD', 'CHF', 'SEK', 'NOK', 'DKK', 'NZD', 'BRL', 'MXN', 'RUB', 'ZAR', 'THB', 'MYR', 'IDR', 'PHP', 'VND', 'AED', 'SAR', 'TRY', 'PLN', 'CZK', 'HUF', 'ILS'];
export const CURRENCY_SYMBOLS_BEFORE: readonly string[] = ['US$', 'HK$', 'NT$', 'A$', 'C$', 'S$', 'R$', '$', '€', '£', '¥', '￥', '₩', '₹'];
export const CURRENCY_SYMBOLS_AFTER: readonly string[] = ['€', '£', '¥', '￥', '₩', '₹', '元'];
const reAlt = (list: readonly string[]) => list.map((x) => x.replace(/\$/g, '\\$')).join('|');
const CURRENCY_BEFORE = new RegExp(`^([+-]?)\\s*(${reAlt(CURRENCY_SYMBOLS_BEFORE)}|(?:${CURRENCY_CODES.join('|')})(?=[\\s\\d.,]))\\s*(?=[\\d.,])`);
const CURRENCY_AFTER = new RegExp(`(?<=[\\d.,])\\s*(${reAlt(CURRENCY_SYMBOLS_AFTER)}|${CURRENCY_CODES.join('|')})$`);

/** The currency symbol or code a written amount carries, if any. */
export function currencyMark(text: string): string | undefined {
  const t = text.trim();
  return CURRENCY_BEFORE.exec(t)?.[2] ?? CURRENCY_AFTER.exec(t)?.[1];
}

/**
 * The number a cell holds, or NaN. Exactly Number() of the digits for the accepted grammar:
 * sign, digits, one decimal mark, exponent; the thousands separator only in real groups of three
 * (`1,647.43`, `1.234.567,5`); a currency symbol or code around an amount; a trailing `%` reads
 * a fraction (`3.5%` = 0.035). `Infinity`, hex, `1,234` with decimal '.' and no thousands
 * separator, and `#N/A` are not numbers.
 */
export function parseNumberText(text: string, nf: NumberFormat): number {
  let t = text.trim();
  let sign = '';
  const before = CURRENCY_BEFORE.exec(t);
  if (before) { sign = before[1]!; t = t.slice(before[0].length); } else t = t.replace(CURRENCY_AFTER, '');
  let scale = 1;
  if (t.endsWith('%')) { scale = 100; t = t.slice(0, -1).trimEnd(); }
  t = sign + t;
  const sep = nf.thousands === nf.decimal ? undefined : nf.thousands;
  if (sep && t.includes(sep)) {
    const mark = nf.decimal === '.' ? '\\.' : ',';
    const grouped = new RegExp(`^[+-]?\\d{1,3}(${sep === '.' ? '\\.' : sep}\\d{3})+(${mark}\\d*)?$`);
    if (!grouped.test(t)) return NaN;
    t = t.split(sep).join('');
  }
  const v = nf.decimal === '.' ? (NUMBER_DOT.test(t) ? Number(t) : NaN) : NUMBER_COMMA.test(t) ? Number(t.replace(',', '.')) : NaN;
  return scale === 1 ? v : v / scale;
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
export function classifyText(text: string, nf: NumberFormat): ValueClass {
  const t = text.trim();
  if (t === '' || MISSING_MARKER.test(t)) return 'empty';
  if (BOOLEAN.test(t)) return 'boolean';
  if (!Number.isNaN(parseNumberText(t, nf))) return 'number';
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
