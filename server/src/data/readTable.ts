import * as fs from 'node:fs';
import type { Built } from './csvColumns';
import { plan, type Plan } from './columnPlan';
import { openCsv } from './csvTable';
import { parseJsonArray, parseNdjson, type Records } from './json';
import type { Column, ColumnType, DataProblem, ReadOptions, Table, TableResult } from './table';
import { toUtf8 } from './encoding';
import { nulByteProblem } from './nulBytes';
import { notAFile } from './regularFile';
import { rowProblems } from './csvProblems';
import { GROUPED_MIN_BYTES, readGroupedCsv } from './groupedCsv';
import { plural, type Tally } from './tally';
import { unreadableTimeMessage, unreadableValuesMessage } from './readProblems';
import type { DayParser } from './timeValues';
import { readers, zoneProblems, type Readers } from './readers';
import { readValueColumn } from './valueColumns';
import { numberFormat } from './values';

/**
 * The evaluation engine's data layer: a CSV, JSON or NDJSON file (or inline `rows:`) becomes
 * typed columns. What a value means:
 *
 * - Empty cells, whitespace-only cells and JSON null are null, never 0. Unquoted CSV cells are
 *   trimmed (String.prototype.trim's whitespace); quoted ones are kept as written.
 * - A column's type: its pin, else text for dimensions (`stringColumns`), else dates for the
 *   time column, else the type at least 90% of its non-empty values have (the checker's rule,
 *   applied to every row), else text; a column with no values reads as numbers.
 * - Numbers: optional sign, digits with one decimal mark, optional exponent; exactly what
 *   Number() gives. The `thousands` separator only in groups of three (with decimal ',', `.`
 *   by default: `1.234.567,5`); a trailing `%` is a fraction; a currency symbol or code around
 *   an amount is read past (values.ts). `#N/A`, `-`, `n/a`, `Infinity`, hex are unreadable.
 * - Booleans: inferred from `true`/`false` (any case); a boolean column also reads yes/no, 1/0.
 * - Dates: ISO `YYYY-MM`, `YYYY-MM-DD`, date-times `YYYY-MM-DD[T ]HH:mm[:ss[.fff]]` with an
 *   optional `Z`/`±HH:MM`; with an offset they are instants moved into `timezone`, without one
 *   they are local already. The time column uses `timeFormat` when given (see timeValues.ts);
 *   other pinned date columns try it first, then ISO.
 * - Values that do not read as their column's type are null and counted per column with the
 *   first three examples (line numbers for CSV/NDJSON, record numbers for JSON and rows).
 */
export type { Column, DataProblem, ReadOptions, Table, TableResult } from './table';
export { findColumn } from './table';


/** Reads a data file. Never throws: a missing, unreadable or binary file is a problem. */
export function readTableFile(path: string, options: ReadOptions): TableResult {
  const refused = notAFile(path);
  if (refused) return fileProblem(refused);
  let bytes: Buffer;
  let len = 0;
  try {
    const fd = fs.openSync(path, 'r');
    try {
      const stat = fs.fstatSync(fd);
      // Cell offsets are 32-bit.
      if (stat.size >= 2 ** 31 - 1) return fileProblem(`it is ${(stat.size / 2 ** 30).toFixed(1)} GB; data files must stay under 2 GB`);
      if (options.group && options.format === 'csv' && stat.size >= GROUPED_MIN_BYTES) {
        const grouped = readGroupedCsv(fd, stat.size, options, options.group);
        if (grouped) return grouped;
      }
      // One spare byte for the scanner's sentinel; no copy of the file.
      bytes = Buffer.allocUnsafe(stat.size + 1);
      for (let n; len < stat.size && (n = fs.readSync(fd, bytes, len, stat.size - len, len)) > 0; ) len += n;
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fileProblem(code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'it is a folder, not a file' : `it cannot be read (${code ?? 'error'})`);
  }
  return fromBytes(bytes, len, options);
}

/** The same from text (tests, unsaved buffers); `_file` is accepted for symmetry with readTableFile. */
export function tableFromText(text: string, _file: string, options: ReadOptions): TableResult {
  const len = Buffer.byteLength(text, 'utf8');
  const bytes = Buffer.allocUnsafe(len + 1);
  bytes.write(text, 0, 'utf8');
  return fromBytes(bytes, len, options);
}

/** Inline `rows:` of a source. */
export function tableFromRows(rows: Record<string, unknown>[], options: ReadOptions): TableResult {
  return fromRecords({ records: rows.filter((r) => typeof r === 'object' && r !== null), bad: undefined }, options, []);
}

function fileProblem(message: string): TableResult {
  return { problems: [{ kind: 'unreadable-file', message, count: 1, examples: [] }] };
}

/** `bytes` has one spare byte after `len`, where the CSV scanner puts its sentinel. */
function fromBytes(raw: Buffer, rawLen: number, options: ReadOptions): TableResult {
  const utf8 = toUtf8(raw, rawLen, options.encoding);
  // Bytes that are not text at all say so before they are called another encoding.
  if ('problem' in utf8) return fileProblem(nulByteProblem(raw, rawLen) ?? utf8.problem);
  const { bytes, len } = utf8;
  const binary = nulByteProblem(bytes, len);
  if (binary) return fileProblem(binary);
  bytes[len] = 10;
  if (options.format === 'csv') return fromCsv(bytes, len, options);
  const text = bytes.toString('utf8', 0, len);
  if (options.format === 'ndjson') return fromRecords(parseNdjson(text), options, []);
  const parsed = parseJsonArray(text);
  return 'error' in parsed ? fileProblem(parsed.error) : fromRecords(parsed, options, []);
}

// ---- shared assembly ---------------------------------------------------------------------------

/** Builds the table from per-column readers; the time column's bad values are 'bad-time'. */
function assemble(header: string[], rowCount: number, p: Plan, rd: Readers, options: ReadOptions, read: (index: number, kind: ColumnType | 'infer', parse: DayParser) => Built, extra: DataProblem[], lines?: Int32Array): TableResult {
  const columns = new Map<string, Column>();
  const problems = [...extra, ...rd.problems, ...p.problems];
  let time: Float64Array | undefined;
  let timeBad: Tally | undefined;
  for (const { index, kind } of p.columns) {
    const isTime = index === p.time;
    const built = read(index, kind, isTime ? rd.timeParse : rd.dateParse);
    columns.set(header[index]!, built.column);
    if (isTime && built.column.type === 'date') {
      time = built.column.days;
      timeBad = built.bad;
      continue;
    }
    const t = built.column.type;
    const pb = built.bad.problem('unreadable-values', unreadableValuesMessage(header[index]!, built.bad.count, t), header[index]);
    if (pb) problems.push(pb);
    if (isTime) {
      const days = read(index, 'date', rd.timeParse);
      time = (days.column as Extract<Column, { type: 'date' }>).days;
      timeBad = days.bad;
    }
  }
  if (timeBad && !rd.problems.length) {
    const pb = timeBad.problem('bad-time', unreadableTimeMessage(header[p.time]!, timeBad.count, options.timeFormat), header[p.time]);
    if (pb) problems.push(pb);
  }
  problems.push(...zoneProblems(rd, options.timezone));
  const table: Table = { rowCount, columns, header };
  if (time) table.time = time;
  if (lines) table.lines = lines;
  return { table, problems };
}

// ---- formats -------------------------------------------------------------------------------------

function fromCsv(bytes: Buffer, len: number, options: ReadOptions): TableResult {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || /["\r\n]/.test(delimiter)) {
    return fileProblem(`the delimiter \`${delimiter}\` cannot be used; it must be one ASCII character other than a quote or line break`);
  }
  let p: Plan | undefined;
  const csv = openCsv(bytes, len, delimiter.charCodeAt(0), numberFormat(options), (header) => (p = plan(header, options)).columns);
  if ('error' in csv) return fileProblem(csv.error);
  const extra = rowProblems(csv.header.length, csv.ragged, csv.unclosed);
  return assemble(csv.header, csv.rowCount, p!, readers(options, csv.rowCount), options, csv.read, extra, csv.lines);
}

function fromRecords(recs: Omit<Records, 'bad'> & { bad: Tally | undefined }, options: ReadOptions, extra: DataProblem[]): TableResult {
  const { records, lines } = recs;
  const header: string[] = [];
  const seen = new Set<string>();
  for (const rec of records) for (const k in rec) if (!seen.has(k)) { seen.add(k); header.push(k); }
  const p = plan(header, options);
  const rd = readers(options, records.length);
  const bad = recs.bad?.problem('unreadable-values', `${plural(recs.bad.count, lines ? 'line is' : 'record is', lines ? 'lines are' : 'records are')} not JSON objects and ${recs.bad.count === 1 ? 'was' : 'were'} skipped`);
  const all = bad ? [bad, ...extra] : extra;
  const lineOf = lines ? (r: number) => lines[r]! : (r: number) => r + 1;
  const read = (index: number, kind: ColumnType | 'infer', parse: DayParser): Built => {
    const key = header[index]!;
    const values = records.map((rec) => rec[key]);
    return readValueColumn(values, key, kind, { nf: rd.nf, parseDay: parse, clock: rd.clock }, lineOf);
  };
  return assemble(header, records.length, p, rd, options, read, all, lines);
}
