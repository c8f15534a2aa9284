import type { Built } from './csvColumns';
import type { Column, ColumnType } from './table';
import { Tally, clip } from './tally';
import { dayOfText, type DayParser } from './timeValues';
import { chooseType, classifyText, emptyCounts, parseBooleanText, parseNumberText, type NumberFormat, type ValueClass } from './values';
import type { Clock } from './zone';

/**
 * Typed columns from JS values (JSON, NDJSON, inline `rows:`), by the same rules as CSV text:
 * strings are classified and parsed like cells, JSON numbers and booleans are taken as they
 * are, and nested objects or arrays are unreadable in any column.
 */

export interface ValueContext {
  nf: NumberFormat;
  parseDay: DayParser;
  clock: Clock;
}

const DAY = 86_400_000;

export function readValueColumn(values: unknown[], name: string, kind: ColumnType | 'infer', ctx: ValueContext, lineOf: (row: number) => number): Built {
  const type = kind === 'infer' ? inferType(values, ctx.nf) : kind;
  const bad = new Tally();
  const n = values.length;
  if (type === 'string') {
    const codes = new Int32Array(n);
    const index = new Map<string, number>();
    const dict: string[] = [];
    for (let r = 0; r < n; r++) {
      const t = asText(values[r]);
      if (t === undefined) {
        codes[r] = -1;
        if (isNested(values[r])) bad.add(lineOf(r), () => shown(values[r]));
        continue;
      }
      let k = index.get(t);
      if (k === undefined) index.set(t, (k = dict.push(t) - 1));
      codes[r] = k;
    }
    return { column: { name, type, codes, dict }, bad };
  }
  const out = new Float64Array(n);
  const convert = type === 'number' ? (v: unknown) => asNumber(v, ctx.nf) : type === 'boolean' ? asBoolean : (v: unknown) => asDay(v, ctx);
  for (let r = 0; r < n; r++) {
    const v = values[r];
    const x = convert(v);
    out[r] = x;
    if (x !== x && !isEmpty(v)) bad.add(lineOf(r), () => shown(v));
  }
  let column: Column;
  if (type === 'number') column = { name, type, values: out };
  else if (type === 'date') column = { name, type, days: out };
  else column = { name, type, values: Int8Array.from(out, (x) => (x !== x ? -1 : x)) };
  return { column, bad };
}

function inferType(values: unknown[], nf: NumberFormat): ColumnType {
  const counts = emptyCounts();
  const seen = new Map<string, ValueClass>();
  for (const v of values) {
    let c: ValueClass;
    if (typeof v === 'string') {
      const known = seen.get(v);
      c = known ?? classifyText(v, nf);
      if (known === undefined && seen.size < 10_000) seen.set(v, c);
    } else c = classOf(v);
    if (c !== 'empty') counts[c]++;
  }
  return chooseType(counts);
}

function classOf(v: unknown): ValueClass {
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'number') return Number.isFinite(v) ? 'number' : 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof Date) return 'date';
  return 'string';
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

function isNested(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !(v instanceof Date);
}

function shown(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  return isNested(v) ? clip(JSON.stringify(v) ?? String(v)) : String(v);
}

/** Text as written; whitespace-only strings and nested values are not text. */
function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  return undefined;
}

function asNumber(v: unknown, nf: NumberFormat): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  return typeof v === 'string' ? parseNumberText(v, nf) : NaN;
}

function asBoolean(v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === 0 || v === 1) return v;
  const b = typeof v === 'string' ? parseBooleanText(v) : -1;
  return b < 0 ? NaN : b;
}

/** A Date at midnight UTC is a calendar date (YAML `2026-01-01`); any other Date is an instant. */
function asDay(v: unknown, ctx: ValueContext): number {
  if (typeof v === 'string') return dayOfText(ctx.parseDay, v);
  // A whole number such as 20260110 is a date written without separators (`time_format: YYYYMMDD`).
  if (typeof v === 'number' && Number.isInteger(v)) return dayOfText(ctx.parseDay, String(v));
  if (!(v instanceof Date)) return NaN;
  const ms = v.getTime();
  if (Number.isNaN(ms)) return NaN;
  return ms % DAY === 0 ? ms / DAY : Math.floor(ctx.clock.localMs(ms) / DAY);
}
