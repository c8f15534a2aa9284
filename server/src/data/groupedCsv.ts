import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import { DICT, NUMBER, RANGES, readHead, readRows, RowStream, type CsvRows } from './csv';
import { fits, sampleKind } from './csvColumns';
import { rowProblems } from './csvProblems';
import { CsvWindows, lastRowEnd, type Window } from './csvWindows';
import { matchColumn } from './columnNames';
import { plan } from './columnPlan';
import { Groups } from './groups';
import { KeySightings, typeEntries, type TypedEntries } from './groupKeys';
import { readers, zoneProblems } from './readers';
import { unreadableTimeMessage, unreadableValuesMessage } from './readProblems';
import type { Column, DataProblem, GroupPlan, Measure, ReadOptions, Table, TableResult } from './table';
import type { NumberFormat } from './values';

/** Files smaller than this are read whole: fast anyway, and their sums are added row by row. */
export const GROUPED_MIN_BYTES = 16 * 1024 * 1024;
const WINDOW_BYTES = 4 * 1024 * 1024;
const SAMPLE_ROWS = 1000;
const SAMPLE_BYTES = 256 * 1024;
/** Past this many groups, rows that merge less than four to one are read row by row instead. */
const GROUP_LIMIT = 1 << 16;

/**
 * A CSV file read into groups instead of rows: rows with the same key cells (time, dimensions,
 * the columns filters test) become one row of the table, which says how many rows it stands
 * for and, per measure column, the sum, count, minimum and maximum of their readable values.
 * Sums, counts, averages, minimums and maximums over the groups are those over the rows (sums
 * added per group, then across groups), and neither the file nor its rows are held: it is read
 * in windows of a few MB, so memory follows the groups, not the file.
 *
 * Values, types, nulls and problems (with their lines) are those of the row-by-row reader. The
 * answer is undefined, and the file is read row by row, when grouping cannot give the same: a
 * measure column that is not numbers, timestamps or keys that do not merge, text that is not
 * UTF-8 or holds a NUL byte (the row-by-row reader says so), a declared encoding.
 */
export function readGroupedCsv(fd: number, size: number, options: ReadOptions, group: GroupPlan, windowBytes = WINDOW_BYTES): TableResult | undefined {
  const delimiter = options.delimiter ?? ',';
  if ((options.encoding && options.encoding !== 'utf-8') || delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || /["\r\n]/.test(delimiter)) return undefined;
  const delim = delimiter.charCodeAt(0);
  const windows = new CsvWindows(fd, size, delim, windowBytes);
  const first = windows.next();
  if (!first || !isText(first) || (first.bytes[0] === 0xff && first.bytes[1] === 0xfe) || (first.bytes[0] === 0xfe && first.bytes[1] === 0xff)) return undefined;
  const head = readHead(first.bytes, first.len, delim);
  if ('error' in head) return undefined;
  const rd = readers(options, 0);
  const p = plan(head.header, options);
  const named = (list: string[], i: number) => list.some((m) => matchColumn(m, head.header) === head.header[i]);
  const role = (i: number) => {
    const key = named(group.keys, i);
    const measure = named(group.measures, i);
    return key === measure ? undefined : key ? 'key' : 'measure';
  };
  // Text columns the plan does not name (dimensions no result is broken down by) are not read:
  // as text they have no unreadable values, so the table says the same without them.
  const columns = p.columns.map((c) => ({ ...c, role: role(c.index) })).filter((c) => c.role || c.kind !== 'string');
  if (columns.some((c) => !c.role) || (p.time >= 0 && columns.find((c) => c.index === p.time)!.kind !== 'date')) return undefined;

  // Measures must be numbers, by pin or by the sampled rows; a time column of many distinct
  // values (timestamps) would make a group per row.
  const sampled = sampleOf(fd, size, delim, head.header.length, columns.map((c) => c.index), rd.nf);
  if (!sampled) return undefined;
  const ranges = (i: number) => ({ bytes: sampled.bytes, ranges: sampled.rows.ranges[i]!, rowCount: sampled.rows.rowCount, lines: sampled.rows.lines });
  for (const c of columns) {
    if (c.role === 'measure' && c.kind !== 'number' && (c.kind !== 'infer' || sampleKind(ranges(c.index), rd.nf).kind !== 'number')) return undefined;
    if (c.index === p.time) {
      const seen = sampleKind(ranges(c.index), rd.nf);
      if (seen.seen >= SAMPLE_ROWS / 2 && seen.distinct * 2 > seen.seen) return undefined;
    }
  }

  const kinds = new Uint8Array(head.header.length);
  for (const c of columns) kinds[c.index] = c.role === 'key' ? DICT : NUMBER;
  const keys = columns.filter((c) => c.role === 'key');
  const measures = columns.filter((c) => c.role === 'measure');
  // Where a key's values may not read (all but text), how often each occurs and on which lines.
  const sightings = new Map(keys.filter((c) => c.kind !== 'string').map((c) => [c.index, new KeySightings()]));
  const groups = new Groups(keys.length, measures.length, measures.map((c) => named(group.extremes, c.index)));
  let rows = 0;
  let tooMany = false;
  const stream = new RowStream(head, kinds, rd.nf, delim, (batch: CsvRows) => {
    for (const [i, seen] of sightings) {
      const codes = batch.codes[i]!;
      for (let r = 0; r < batch.rowCount; r++) if (codes[r]! >= 0) seen.see(codes[r]!, batch.lines[r]!);
    }
    groups.add(batch.rowCount, keys.map((c) => batch.codes[c.index]!), measures.map((c) => batch.numbers[c.index]!), keys.map((c) => batch.dicts[c.index]!.size));
    rows += batch.rowCount;
    if (groups.tooWide || (groups.count > GROUP_LIMIT && groups.count * 4 > rows)) tooMany = true;
  });
  stream.window(first.bytes, head.bodyStart, first.len);
  for (let w = first; !w.final && !tooMany; ) {
    const next = windows.next();
    if (!next) break;
    if (!isText(next)) return undefined;
    stream.window(next.bytes, 0, next.len);
    w = next;
  }
  if (tooMany) return undefined;
  const read = stream.end();
  if (measures.some((c) => c.kind === 'infer' && !fits(read.numberBad[c.index]!, read.nonEmpty[c.index]!))) return undefined;

  // The table: one row per group, in the order groups first appear (as values first appear).
  const { problems: readProblems } = readers(options, rows);
  const problems: DataProblem[] = [...rowProblems(head.header.length, read.ragged, read.unclosed), ...readProblems, ...p.problems];
  const byName = new Map<string, Column>();
  const measured = new Map<string, Measure>();
  const finished = groups.measureStats();
  let time: Float64Array | undefined;
  let timeBad: TypedEntries['bad'] | undefined;
  for (const c of columns) {
    const name = head.header[c.index]!;
    if (c.role === 'measure') {
      measured.set(name, finished[measures.indexOf(c)]!);
      const pb = read.numberBad[c.index]!.problem('unreadable-values', unreadableValuesMessage(name, read.numberBad[c.index]!.count, 'number'), name);
      if (pb) problems.push(pb);
      continue;
    }
    const isTime = c.index === p.time;
    const typed = typeEntries(read.dicts[c.index]!, sightings.get(c.index), c.kind, rd.nf, isTime ? rd.timeParse : rd.dateParse);
    const column = groupColumn(name, typed, groups, keys.indexOf(c));
    byName.set(name, column);
    if (isTime && column.type === 'date') {
      time = column.days;
      timeBad = typed.bad;
      continue;
    }
    const pb = typed.bad.problem('unreadable-values', unreadableValuesMessage(name, typed.bad.count, typed.type), name);
    if (pb) problems.push(pb);
  }
  if (timeBad && !readProblems.length) {
    const pb = timeBad.problem('bad-time', unreadableTimeMessage(head.header[p.time]!, timeBad.count, options.timeFormat), head.header[p.time]);
    if (pb) problems.push(pb);
  }
  problems.push(...zoneProblems(rd, options.timezone));
  const table: Table = {
    rowCount: groups.count, columns: byName, header: head.header,
    grouped: { rows, weights: groups.weights(), measures: measured },
  };
  if (time) table.time = time;
  return { table, problems };
}

/** The first rows of the file, kept as byte ranges, to tell what its columns hold. */
function sampleOf(fd: number, size: number, delimiter: number, width: number, wanted: number[], nf: NumberFormat): { bytes: Buffer; rows: CsvRows } | undefined {
  const bytes = Buffer.allocUnsafe(Math.min(size, SAMPLE_BYTES) + 1);
  let len = 0;
  for (let n; len < bytes.length - 1 && (n = fs.readSync(fd, bytes, len, bytes.length - 1 - len, len)) > 0; ) len += n;
  if (len < size) len = lastRowEnd(bytes, len, delimiter);
  bytes[len] = 10; // the scanner's sentinel
  const head = readHead(bytes, len, delimiter);
  if ('error' in head || head.header.length !== width) return undefined;
  const kinds = new Uint8Array(width);
  for (const i of wanted) kinds[i] = RANGES;
  return { bytes, rows: readRows(bytes, len, delimiter, head, kinds, nf, SAMPLE_ROWS) };
}

/** Text the row-by-row reader would read: UTF-8 without NUL bytes (it reports anything else). */
function isText(w: Window): boolean {
  const bytes = w.bytes.subarray(0, w.len);
  return bytes.indexOf(0) < 0 && isUtf8(bytes);
}

/** A key column with one value per group. */
function groupColumn(name: string, typed: TypedEntries, groups: Groups, j: number): Column {
  const n = groups.count;
  if (typed.type === 'string') {
    const dict: string[] = [];
    const remap = typed.texts.map((t) => (t === null ? -1 : dict.push(t) - 1));
    const codes = new Int32Array(n);
    for (let g = 0; g < n; g++) {
      const k = groups.key(g, j);
      codes[g] = k < 0 ? -1 : remap[k]!;
    }
    return { name, type: 'string', codes, dict };
  }
  const values = new Float64Array(n);
  for (let g = 0; g < n; g++) {
    const k = groups.key(g, j);
    values[g] = k < 0 ? NaN : typed.values[k]!;
  }
  if (typed.type === 'number') return { name, type: 'number', values };
  if (typed.type === 'date') return { name, type: 'date', days: values };
  return { name, type: 'boolean', values: Int8Array.from(values, (x) => (x !== x ? -1 : x)) };
}
