import { fastNumber, trimEnd, trimStart } from './bytes';
import { cellText } from './csv';
import { ByteDict } from './dictionary';
import type { Column, ColumnKind } from './table';
import { Tally } from './tally';
import type { DayParser } from './timeValues';
import { chooseType, classifyText, emptyCounts, parseBooleanText, parseNumberText, type Decimal } from './values';

/**
 * Typed columns from the tokenizer's cell ranges, one tight loop per column. A column is
 * guessed from its first values, then read on the direct path for that type (numbers and
 * dates straight from bytes); if fewer than 90% of its values fit, it is re-read through the
 * dictionary, where each distinct value is classified once and the full rule decides.
 */

export interface CellRanges {
  bytes: Buffer;
  cells: Int32Array;
  stride: number;
  slot: number;
  rowCount: number;
  lines: Int32Array;
}

export interface ReadContext {
  decimal: Decimal;
  parseDay: DayParser;
}

export interface Built {
  column: Column;
  /** Non-empty values that did not read as the column's type (now null). */
  bad: Tally;
}

export function readCsvColumn(cr: CellRanges, name: string, kind: ColumnKind | 'infer', ctx: ReadContext): Built {
  if (kind === 'number') return numbers(cr, name, ctx.decimal, false)!;
  if (kind === 'date') return dates(cr, name, ctx.parseDay, false)!;
  if (kind !== 'infer') return viaDictionary(cr, name, kind, ctx);
  const guess = guessKind(cr, ctx.decimal);
  const direct = guess === 'number' ? numbers(cr, name, ctx.decimal, true) : guess === 'date' ? dates(cr, name, ctx.parseDay, true) : undefined;
  return direct ?? viaDictionary(cr, name, 'infer', ctx);
}

/** The class most of the first 100 non-empty cells have. */
function guessKind(cr: CellRanges, decimal: Decimal): ColumnKind {
  const counts = emptyCounts();
  let seen = 0;
  for (let r = 0, idx = cr.slot * 2; r < cr.rowCount && seen < 100; r++, idx += cr.stride) {
    const k = classifyText(cellText(cr.bytes, cr.cells[idx]!, cr.cells[idx + 1]!), decimal);
    if (k === 'empty') continue;
    counts[k]++;
    seen++;
  }
  return counts.number * 2 >= seen && seen ? 'number' : counts.date * 2 >= seen && seen ? 'date' : 'string';
}

/** Whether the direct path kept at least 90% of the non-empty values (the inference rule). */
function fits(bad: Tally, nonEmpty: number): boolean {
  return nonEmpty - bad.count >= nonEmpty * 0.9;
}

/** Gives up early once the column clearly is not of this type (the dictionary path decides). */
function hopeless(bad: Tally, r: number): boolean {
  return bad.count > 1000 && bad.count * 5 > r;
}

function numbers(cr: CellRanges, name: string, decimal: Decimal, inferring: boolean): Built | undefined {
  const { bytes, cells, stride, rowCount: n, lines } = cr;
  const values = new Float64Array(n);
  const bad = new Tally();
  const mark = decimal === ',' ? 44 : 46;
  let nonEmpty = 0;
  for (let r = 0, idx = cr.slot * 2; r < n; r++, idx += stride) {
    let s = cells[idx]!;
    let e = cells[idx + 1]!;
    if (s < 0) s = ~s;
    while (s < e && (bytes[s] === 32 || bytes[s] === 9)) s++;
    while (e > s && (bytes[e - 1] === 32 || bytes[e - 1] === 9)) e--;
    if (s === e) {
      values[r] = NaN;
      continue;
    }
    let v = fastNumber(bytes, s, e, mark);
    if (v !== v) {
      const text = bytes.toString('utf8', s, e).trim();
      if (text === '') {
        values[r] = NaN;
        continue;
      }
      v = parseNumberText(text, decimal);
      if (v !== v) {
        bad.add(lines[r]!, () => text);
        if (inferring && hopeless(bad, r)) return undefined;
      }
    }
    nonEmpty++;
    values[r] = v;
  }
  if (inferring && !fits(bad, nonEmpty)) return undefined;
  return { column: { name, type: 'number', values }, bad };
}

/** Dates (or the time column) parsed from bytes; a run of equal cells is parsed once. */
export function dates(cr: CellRanges, name: string, parse: DayParser, inferring: boolean): Built | undefined {
  const { bytes, cells, stride, rowCount: n, lines } = cr;
  const days = new Float64Array(n);
  const bad = new Tally();
  let nonEmpty = 0;
  let ps = 0;
  let pe = 0;
  let pv = NaN;
  for (let r = 0, idx = cr.slot * 2; r < n; r++, idx += stride) {
    let s = cells[idx]!;
    let e = cells[idx + 1]!;
    if (s < 0) s = ~s;
    if (s === e) {
      days[r] = NaN;
      continue;
    }
    let v: number;
    if (e - s === pe - ps && sameBytes(bytes, s, ps, e - s)) v = pv;
    else {
      v = parse(bytes, s, e);
      ps = s;
      pe = e;
      pv = v;
    }
    if (v !== v) {
      const text = bytes.toString('utf8', s, e).trim();
      if (text === '') {
        days[r] = NaN;
        continue;
      }
      bad.add(lines[r]!, () => text);
      if (inferring && hopeless(bad, r)) return undefined;
    }
    nonEmpty++;
    days[r] = v;
  }
  if (inferring && !fits(bad, nonEmpty)) return undefined;
  return { column: { name, type: 'date', days }, bad };
}

function sameBytes(bytes: Buffer, a: number, b: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (bytes[a + k] !== bytes[b + k]) return false;
  return true;
}

/** Every cell interned; types are decided and values parsed per distinct value. */
function viaDictionary(cr: CellRanges, name: string, kind: Exclude<ColumnKind, 'number' | 'date'> | 'infer', ctx: ReadContext): Built {
  const { bytes, cells, stride, rowCount: n } = cr;
  const dict = new ByteDict();
  const codes = new Int32Array(n);
  for (let r = 0, idx = cr.slot * 2; r < n; r++, idx += stride) {
    let s = cells[idx]!;
    let e = cells[idx + 1]!;
    if (s < 0) s = ~s;
    else {
      // Trim unquoted cells; whitespace is ASCII nearly always, so test that inline first.
      while (s < e && (bytes[s] === 32 || bytes[s] === 9)) s++;
      while (e > s && (bytes[e - 1] === 32 || bytes[e - 1] === 9)) e--;
      if (s < e && (bytes[s]! >= 0x80 || bytes[s]! < 32)) s = trimStart(bytes, s, e);
      if (s < e && (bytes[e - 1]! >= 0x80 || bytes[e - 1]! < 32)) e = trimEnd(bytes, s, e);
    }
    codes[r] = s === e ? -1 : dict.intern(bytes, s, e);
  }
  const texts = dict.strings();
  let type: ColumnKind = kind === 'infer' ? 'string' : kind;
  if (kind === 'infer') {
    const freq = new Int32Array(texts.length);
    for (let r = 0; r < n; r++) if (codes[r]! >= 0) freq[codes[r]!]!++;
    const counts = emptyCounts();
    texts.forEach((t, k) => {
      const c = classifyText(t, ctx.decimal);
      if (c !== 'empty') counts[c] += freq[k]!;
    });
    type = chooseType(counts);
  }
  if (type === 'string') return { column: textColumn(name, codes, texts), bad: new Tally() };
  // Parse each distinct value once, then spread to rows.
  const parsed = texts.map((t, k) => (type === 'number' ? parseNumberText(t, ctx.decimal) : type === 'boolean' ? boolToNumber(parseBooleanText(t)) : parseDayBytes(ctx.parseDay, dict.bytes(k))));
  const empty = texts.map((t) => t.trim() === '');
  const out = new Float64Array(n);
  const bad = new Tally();
  for (let r = 0; r < n; r++) {
    const k = codes[r]!;
    const v = k < 0 ? NaN : parsed[k]!;
    out[r] = v;
    if (v !== v && k >= 0 && !empty[k]) bad.add(cr.lines[r]!, () => texts[k]!.trim());
  }
  if (type === 'number') return { column: { name, type, values: out }, bad };
  if (type === 'date') return { column: { name, type, days: out }, bad };
  const values = new Int8Array(n);
  for (let r = 0; r < n; r++) values[r] = out[r]! !== out[r]! ? -1 : out[r]!;
  return { column: { name, type: 'boolean', values }, bad };
}

function boolToNumber(b: number): number {
  return b < 0 ? NaN : b;
}

function parseDayBytes(parse: DayParser, bytes: Buffer): number {
  return parse(bytes, 0, bytes.length);
}

/** A text column; quoted values that are only whitespace are null, like empty cells. */
export function textColumn(name: string, codes: Int32Array, texts: string[]): Column {
  if (!texts.some((t) => t.trim() === '')) return { name, type: 'string', codes, dict: texts };
  const remap = new Int32Array(texts.length);
  const dict: string[] = [];
  texts.forEach((t, k) => (remap[k] = t.trim() === '' ? -1 : dict.push(t) - 1));
  for (let r = 0; r < codes.length; r++) if (codes[r]! >= 0) codes[r] = remap[codes[r]!]!;
  return { name, type: 'string', codes, dict };
}
