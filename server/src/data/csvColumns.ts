import { trimEnd, trimStart } from './bytes';
import { decodeQuoted } from './csvCell';
import { ByteDict } from './dictionary';
import type { Column, ColumnType } from './table';
import { Tally } from './tally';
import type { DayParser } from './timeValues';
import { chooseType, classifyText, emptyCounts, parseBooleanText, parseNumberText, type NumberFormat } from './values';

/**
 * Typed columns from what the CSV pass kept: byte ranges (sampled or re-read columns, dates)
 * or interned values. Through the dictionary, each distinct value is classified and parsed
 * once, and the 90% rule is applied to the whole column.
 */

/** One column's cells as [start, end] pairs, encoded as described at RANGES in csv.ts. */
export interface CellRanges {
  bytes: Buffer;
  ranges: Int32Array;
  rowCount: number;
  lines: Int32Array;
}

export interface ReadContext {
  nf: NumberFormat;
  parseDay: DayParser;
}

export interface Built {
  column: Column;
  /** Non-empty values that did not read as the column's type (now null). */
  bad: Tally;
}

/** A cell as bytes: quoted cells as written (decoded if need be), others trimmed. */
export function cellBytes(cr: CellRanges, r: number): { buf: Buffer; s: number; e: number } {
  let s = cr.ranges[2 * r]!;
  let e = cr.ranges[2 * r + 1]!;
  if (e < 0) {
    const buf = decodeQuoted(cr.bytes, ~s, ~e);
    return { buf, s: 0, e: buf.length };
  }
  if (s < 0) s = ~s;
  else {
    s = trimStart(cr.bytes, s, e);
    e = trimEnd(cr.bytes, s, e);
  }
  return { buf: cr.bytes, s, e };
}

export function cellText(cr: CellRanges, r: number): string {
  const { buf, s, e } = cellBytes(cr, r);
  return buf.toString('utf8', s, e);
}

/**
 * The likely type of a column from its sampled cells, and how many distinct values they show.
 * Numbers or dates need 80% of the sample: close to the rule, so that a wrong guess (which
 * costs another scan) is rare; anything less goes through the dictionary, which decides exactly.
 */
export function sampleKind(cr: CellRanges, nf: NumberFormat): { kind: ColumnType; distinct: number; seen: number } {
  const counts = emptyCounts();
  const values = new Set<string>();
  for (let r = 0; r < cr.rowCount; r++) {
    const text = cellText(cr, r);
    const k = classifyText(text, nf);
    if (k === 'empty') continue;
    counts[k]++;
    values.add(text);
  }
  const seen = counts.number + counts.boolean + counts.date + counts.string;
  const kind: ColumnType = !seen ? 'string' : counts.number >= seen * 0.8 ? 'number' : counts.date >= seen * 0.8 ? 'date' : 'string';
  return { kind, distinct: values.size, seen };
}

/** Whether at least 90% of the non-empty values fit (the inference rule). */
export function fits(bad: Tally, nonEmpty: number): boolean {
  return nonEmpty - bad.count >= nonEmpty * 0.9;
}

/** Dates parsed from bytes; a run of equal cells is parsed once. Undefined when inferring and < 90% fit. */
export function dates(cr: CellRanges, name: string, parse: DayParser, inferring: boolean): Built | undefined {
  const { bytes, ranges, rowCount: n, lines } = cr;
  const days = new Float64Array(n);
  const bad = new Tally();
  let nonEmpty = 0;
  let ps = 0;
  let pe = 0;
  let pv = NaN;
  for (let r = 0; r < n; r++) {
    let s = ranges[2 * r]!;
    const e = ranges[2 * r + 1]!;
    if (s < 0) s = ~s;
    if (s === e) {
      days[r] = NaN;
      continue;
    }
    let v: number;
    if (e < 0) {
      const c = cellBytes(cr, r);
      const text = c.buf.toString('utf8', c.s, c.e).trim();
      v = parse(c.buf, c.s, c.e);
      if (text === '') {
        days[r] = NaN;
        continue;
      }
      if (v !== v) bad.add(lines[r]!, () => text);
    } else if (e - s === pe - ps && sameBytes(bytes, s, ps, e - s)) v = pv;
    else {
      v = parse(bytes, s, e);
      ps = s;
      pe = e;
      pv = v;
    }
    if (v !== v && e >= 0) {
      const text = bytes.toString('utf8', s, e).trim();
      if (text === '') {
        days[r] = NaN;
        continue;
      }
      bad.add(lines[r]!, () => text);
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

/** Interns every cell of a ranges column. */
export function internRanges(cr: CellRanges): { codes: Int32Array; dict: ByteDict } {
  const { bytes, ranges, rowCount: n } = cr;
  const dict = new ByteDict();
  const codes = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let s = ranges[2 * r]!;
    let e = ranges[2 * r + 1]!;
    if (e < 0) {
      const c = cellBytes(cr, r);
      codes[r] = c.s === c.e ? -1 : dict.intern(c.buf, c.s, c.e);
      continue;
    }
    if (s < 0) s = ~s;
    else {
      s = trimStart(bytes, s, e);
      e = trimEnd(bytes, s, e);
    }
    codes[r] = s === e ? -1 : dict.intern(bytes, s, e);
  }
  return { codes, dict };
}

/** The typed column of interned values: the type decided over all rows, each distinct value parsed once. */
export function fromDictionary(name: string, codes: Int32Array, dict: ByteDict, kind: ColumnType | 'infer', ctx: ReadContext, lines: Int32Array): Built {
  if (kind === 'date') return datesFromDictionary(name, codes, dict, ctx.parseDay, lines);
  const n = codes.length;
  const texts = dict.strings();
  let type: ColumnType = kind === 'infer' ? 'string' : kind;
  if (kind === 'infer') {
    const freq = new Int32Array(texts.length);
    for (let r = 0; r < n; r++) if (codes[r]! >= 0) freq[codes[r]!]!++;
    const counts = emptyCounts();
    texts.forEach((t, k) => {
      const c = classifyText(t, ctx.nf);
      if (c !== 'empty') counts[c] += freq[k]!;
    });
    type = chooseType(counts);
  }
  if (type === 'string') return { column: textColumn(name, codes, texts), bad: new Tally() };
  const parsed = new Float64Array(texts.length);
  texts.forEach((t, k) => {
    parsed[k] = type === 'number' ? parseNumberText(t, ctx.nf) : type === 'boolean' ? boolToNumber(parseBooleanText(t)) : ctx.parseDay(dict.bytes(k), 0, dict.bytes(k).length);
  });
  const empty = texts.map((t) => t.trim() === '');
  const out = new Float64Array(n);
  const bad = new Tally();
  for (let r = 0; r < n; r++) {
    const k = codes[r]!;
    const v = k < 0 ? NaN : parsed[k]!;
    out[r] = v;
    if (v !== v && k >= 0 && !empty[k]) bad.add(lines[r]!, () => texts[k]!.trim());
  }
  if (type === 'number') return { column: { name, type, values: out }, bad };
  if (type === 'date') return { column: { name, type, days: out }, bad };
  return { column: { name, type, values: Int8Array.from(out, (x) => (x !== x ? -1 : x)) }, bad };
}

/** Dates straight from the entries' bytes: a million distinct timestamps make no strings. */
function datesFromDictionary(name: string, codes: Int32Array, dict: ByteDict, parse: DayParser, lines: Int32Array): Built {
  const text = (k: number) => dict.bytes(k).toString('utf8').trim();
  const parsed = new Float64Array(dict.size);
  const unreadable = new Uint8Array(dict.size); // not a date and not blank (a quoted "  " is blank)
  for (let k = 0; k < dict.size; k++) {
    const b = dict.bytes(k);
    parsed[k] = parse(b, 0, b.length);
    if (Number.isNaN(parsed[k]) && text(k) !== '') unreadable[k] = 1;
  }
  const days = new Float64Array(codes.length);
  const bad = new Tally();
  for (let r = 0; r < codes.length; r++) {
    const k = codes[r]!;
    days[r] = k < 0 ? NaN : parsed[k]!;
    if (k >= 0 && unreadable[k]) bad.add(lines[r]!, () => text(k));
  }
  return { column: { name, type: 'date', days }, bad };
}

function boolToNumber(b: number): number {
  return b < 0 ? NaN : b;
}

/** A text column; quoted values that are only whitespace are null, like empty cells. */
function textColumn(name: string, codes: Int32Array, texts: string[]): Column {
  if (!texts.some((t) => t.trim() === '')) return { name, type: 'string', codes, dict: texts };
  const remap = new Int32Array(texts.length);
  const dict: string[] = [];
  texts.forEach((t, k) => (remap[k] = t.trim() === '' ? -1 : dict.push(t) - 1));
  const out = Int32Array.from(codes, (k) => (k < 0 ? -1 : remap[k]!)); // a copy: the codes may be read again
  return { name, type: 'string', codes: out, dict };
}
