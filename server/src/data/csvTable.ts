import { DICT, NUMBER, RANGES, readHead, readRows, type CsvRows } from './csv';
import { dates, fits, fromDictionary, internRanges, sampleKind, type Built, type CellRanges } from './csvColumns';
import type { ColumnType } from './table';
import type { Tally } from './tally';
import type { DayParser } from './timeValues';
import type { NumberFormat } from './values';

/**
 * A CSV file read for the columns asked for. Each column's reader is picked from its first
 * 1,000 rows: numbers are parsed during the scan, text and low-cardinality dates are interned,
 * high-cardinality dates keep byte ranges. A guess the full column disproves (a "numeric"
 * column that turns out to be text) costs a second scan for that column, never a wrong type.
 */
export interface CsvSource {
  header: string[];
  rowCount: number;
  lines: Int32Array;
  ragged: Tally;
  unclosed?: CsvRows['unclosed'];
  read(index: number, kind: ColumnType | 'infer', parse: DayParser): Built;
}

const SAMPLE_ROWS = 1000;

export function openCsv(bytes: Buffer, len: number, delimiter: number, nf: NumberFormat, columnsFor: (header: string[]) => { index: number; kind: ColumnType | 'infer' }[]): CsvSource | { error: string } {
  const head = readHead(bytes, len, delimiter);
  if ('error' in head) return head;
  const { header } = head;
  const planned = columnsFor(header);
  const sampleKinds = new Uint8Array(header.length);
  for (const c of planned) sampleKinds[c.index] = RANGES;
  const sample = readRows(bytes, len, delimiter, head, sampleKinds, nf, SAMPLE_ROWS);

  const kinds = new Uint8Array(header.length);
  const guessed = new Map<number, ColumnType>();
  for (const { index, kind } of planned) {
    const seen = sampleKind(ranges(bytes, sample, index), nf);
    const k = kind === 'infer' ? seen.kind : kind;
    guessed.set(index, k);
    kinds[index] = k === 'number' ? NUMBER : k === 'date' && seen.distinct * 2 > seen.seen ? RANGES : DICT;
  }
  const rows = readRows(bytes, len, delimiter, head, kinds, nf);

  // Inferred number columns that the whole file disproves are scanned again, all in one pass.
  const wrong = planned.filter((c) => c.kind === 'infer' && kinds[c.index] === NUMBER && !fits(rows.numberBad[c.index]!, rows.nonEmpty[c.index]!));
  const again = new Map<number, CellRanges>();
  const rescan = (indexes: number[]) => {
    const only = new Uint8Array(header.length);
    for (const i of indexes) only[i] = RANGES;
    const more = readRows(bytes, len, delimiter, head, only, nf);
    for (const i of indexes) again.set(i, ranges(bytes, more, i));
  };
  if (wrong.length) rescan(wrong.map((c) => c.index));
  const reread = (index: number): CellRanges => {
    if (!again.has(index)) rescan([index]);
    return again.get(index)!;
  };
  const read = (index: number, kind: ColumnType | 'infer', parse: DayParser): Built => {
    const name = header[index]!;
    const ctx = { nf, parseDay: parse };
    const fromRanges = (cr: CellRanges): Built => {
      if (kind === 'date') return dates(cr, name, parse, false)!;
      const direct = kind === 'infer' && guessed.get(index) === 'date' ? dates(cr, name, parse, true) : undefined;
      if (direct) return direct;
      const { codes, dict } = internRanges(cr);
      return fromDictionary(name, codes, dict, kind, ctx, rows.lines);
    };
    switch (kinds[index]) {
      case NUMBER: {
        const bad = rows.numberBad[index]!;
        const ok = kind === 'number' || (kind === 'infer' && fits(bad, rows.nonEmpty[index]!));
        return ok ? { column: { name, type: 'number', values: rows.numbers[index]!.subarray(0, rows.rowCount) }, bad } : fromRanges(reread(index));
      }
      case DICT:
        return fromDictionary(name, rows.codes[index]!.subarray(0, rows.rowCount), rows.dicts[index]!, kind, ctx, rows.lines);
      default:
        return fromRanges(ranges(bytes, rows, index));
    }
  };
  return { header, rowCount: rows.rowCount, lines: rows.lines, ragged: rows.ragged, unclosed: rows.unclosed, read };
}

function ranges(bytes: Buffer, rows: CsvRows, index: number): CellRanges {
  return { bytes, ranges: rows.ranges[index]!, rowCount: rows.rowCount, lines: rows.lines };
}
