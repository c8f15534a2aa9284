import * as fs from 'node:fs';
import { matchColumn } from '../language/analysis/data';
import { scanCsv } from './csv';
import { dates, readCsvColumn, type Built, type CellRanges } from './csvColumns';
import { parseJsonArray, parseNdjson, type Records } from './json';
import type { Column, ColumnKind, DataProblem, Table, TableResult } from './table';
import { plural, type Tally } from './tally';
import { dayParser, type DayParser } from './timeValues';
import { readValueColumn } from './valueColumns';
import type { Decimal } from './values';
import { ZoneClock } from './zone';

export type { Column, DataProblem, Table, TableResult } from './table';
export { findColumn } from './table';

export interface ReadOptions {
  format: 'csv' | 'json' | 'ndjson';
  /** CSV, default ','. One ASCII character. */
  delimiter?: string;
  /** Default '.'. With ',', `1234,5` and `1.234,5` read 1234.5 (`.` only in groups of three). */
  decimal?: '.' | ',';
  /** The source's `time` column. */
  timeColumn?: string;
  /** e.g. 'DD/MM/YYYY', 'YYYYMMDD', 'YYYY-MM-DD HH:mm:ss'; default ISO 8601 dates and date-times. */
  timeFormat?: string;
  /** IANA zone; values with an offset (or Z) are moved into it; others are local already. */
  timezone: string;
  /** Always text (dimensions, ids): `00123` and `2.81772E+18` stay as written. */
  stringColumns?: string[];
  /** The source's `columns:` pins; they win over everything. */
  pinned?: Record<string, ColumnKind>;
  /** Only these columns (and the time column) are materialised; undefined = all. */
  wanted?: string[];
}

/** Reads a data file. Never throws: a missing, unreadable or binary file is a problem. */
export function readTableFile(path: string, options: ReadOptions): TableResult {
  let bytes: Buffer;
  try {
    if (fs.statSync(path).isDirectory()) return fileProblem('it is a folder, not a file');
    bytes = fs.readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fileProblem(code === 'ENOENT' ? 'the file does not exist' : `it cannot be read (${code ?? 'error'})`);
  }
  return fromBytes(bytes, options);
}

/** The same from text (tests, unsaved buffers); `file` names it in nothing but is kept for symmetry. */
export function tableFromText(text: string, _file: string, options: ReadOptions): TableResult {
  return fromBytes(Buffer.from(text, 'utf8'), options);
}

/** Inline `rows:` of a source. */
export function tableFromRows(rows: Record<string, unknown>[], options: ReadOptions): TableResult {
  return fromRecords({ records: rows.filter((r) => typeof r === 'object' && r !== null), bad: undefined }, options, []);
}

function fileProblem(message: string): TableResult {
  return { problems: [{ kind: 'unreadable-file', message, count: 1, examples: [] }] };
}

function fromBytes(bytes: Buffer, options: ReadOptions): TableResult {
  if (bytes.indexOf(0) >= 0) return fileProblem(bytes[0] === 0xff || bytes[0] === 0xfe ? 'it is UTF-16 text; save it as UTF-8' : 'it looks like a binary file, not text');
  if (options.format === 'csv') return fromCsv(bytes, options);
  const text = bytes.toString('utf8');
  if (options.format === 'ndjson') return fromRecords(parseNdjson(text), options, []);
  const parsed = parseJsonArray(text);
  return 'error' in parsed ? fileProblem(parsed.error) : fromRecords(parsed, options, []);
}

// ---- which columns, as what ------------------------------------------------------------------

interface Plan {
  /** Header positions to materialise, with their kind. */
  columns: { index: number; kind: ColumnKind | 'infer' }[];
  time: number;
  problems: DataProblem[];
}

function plan(header: string[], options: ReadOptions): Plan {
  const problems: DataProblem[] = [];
  const indexOf = (name: string) => {
    const found = matchColumn(name, header);
    return found === undefined ? -1 : header.indexOf(found);
  };
  const missing = (name: string, what: string) =>
    problems.push({ kind: 'missing-column', message: `${what} \`${name}\` is not in the data${header.length ? `; its columns are ${header.map((h) => `\`${h}\``).join(', ')}` : ''}`, column: name, count: 1, examples: [] });
  const kinds = new Map<number, ColumnKind | 'infer'>();
  const time = options.timeColumn === undefined ? -1 : indexOf(options.timeColumn);
  if (options.timeColumn !== undefined && time < 0) missing(options.timeColumn, 'time column');
  // Priority, lowest first: inferred, the time column as dates, text columns, pins.
  if (time >= 0) kinds.set(time, 'date');
  for (const name of options.stringColumns ?? []) if (indexOf(name) >= 0) kinds.set(indexOf(name), 'string');
  for (const [name, kind] of Object.entries(options.pinned ?? {})) if (indexOf(name) >= 0) kinds.set(indexOf(name), kind);
  let wanted: number[];
  if (options.wanted === undefined) {
    // Every named column once; a repeated or empty header name is skipped.
    wanted = header.map((h, i) => (h !== '' && header.indexOf(h) === i ? i : -1)).filter((i) => i >= 0);
  } else {
    wanted = [];
    for (const name of options.wanted) {
      const i = indexOf(name);
      if (i < 0) missing(name, 'column');
      else if (!wanted.includes(i)) wanted.push(i);
    }
  }
  if (time >= 0 && !wanted.includes(time)) wanted.push(time);
  wanted.sort((a, b) => a - b);
  return { columns: wanted.map((index) => ({ index, kind: kinds.get(index) ?? 'infer' })), time, problems };
}

// ---- shared assembly ---------------------------------------------------------------------------

interface Readers {
  clock: ZoneClock;
  decimal: Decimal;
  iso: DayParser;
  /** For the time column: timeFormat, else ISO. */
  timeParse: DayParser;
  /** For other date columns: timeFormat when given, with ISO as the fallback. */
  dateParse: DayParser;
  problems: DataProblem[];
}

function readers(options: ReadOptions, rowCount: number): Readers {
  const clock = new ZoneClock(options.timezone);
  const iso = dayParser(undefined, clock) as DayParser;
  const custom = dayParser(options.timeFormat, clock);
  const problems: DataProblem[] = [];
  if ('error' in custom) {
    problems.push({ kind: 'bad-time', message: `time format \`${options.timeFormat}\` cannot be used: ${custom.error}`, column: options.timeColumn, count: rowCount, examples: [] });
    return { clock, decimal: options.decimal ?? '.', iso, timeParse: () => NaN, dateParse: iso, problems };
  }
  const dateParse: DayParser = !options.timeFormat ? iso : (b, s, e) => {
    const v = custom(b, s, e);
    return v === v ? v : iso(b, s, e);
  };
  return { clock, decimal: options.decimal ?? '.', iso, timeParse: custom, dateParse, problems };
}

const TYPE_WORDS: Record<ColumnKind, string> = { number: 'numbers', date: 'dates', boolean: 'true/false', string: 'text' };

/** Builds the table from per-column readers; the time column's bad values are 'bad-time'. */
function assemble(header: string[], rowCount: number, p: Plan, rd: Readers, options: ReadOptions, read: (index: number, kind: ColumnKind | 'infer', parse: DayParser) => Built, extra: DataProblem[], lines?: Int32Array): TableResult {
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
    const pb = built.bad.problem('unreadable-values', `column \`${header[index]}\`: ${plural(built.bad.count, 'value')} cannot be read as ${TYPE_WORDS[t]} and count as no data`, header[index]);
    if (pb) problems.push(pb);
    if (isTime) {
      const days = read(index, 'date', rd.timeParse);
      time = (days.column as Extract<Column, { type: 'date' }>).days;
      timeBad = days.bad;
    }
  }
  if (timeBad && !rd.problems.length) {
    const format = options.timeFormat ? `\`${options.timeFormat}\`` : 'ISO 8601 (YYYY-MM-DD)';
    const pb = timeBad.problem('bad-time', `time column \`${header[p.time]}\`: ${plural(timeBad.count, 'value')} cannot be read as ${format} dates; those rows fall in no period`, header[p.time]);
    if (pb) problems.push(pb);
  }
  if (rd.clock.invalid) problems.push({ kind: 'bad-time', message: `time zone \`${options.timezone}\` is unknown; timestamps with an offset were read as UTC`, count: 1, examples: [] });
  const table: Table = { rowCount, columns, header };
  if (time) table.time = time;
  if (lines) table.lines = lines;
  return { table, problems };
}

// ---- formats -------------------------------------------------------------------------------------

function fromCsv(bytes: Buffer, options: ReadOptions): TableResult {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || /["\r\n]/.test(delimiter)) {
    return fileProblem(`the delimiter \`${delimiter}\` cannot be used; it must be one ASCII character other than a quote or line break`);
  }
  let p: Plan | undefined;
  const scan = scanCsv(bytes, delimiter.charCodeAt(0), (header) => {
    p = plan(header, options);
    const slots = new Int32Array(header.length).fill(-1);
    p.columns.forEach((c, slot) => (slots[c.index] = slot));
    return slots;
  });
  if ('error' in scan) return fileProblem(scan.error);
  const rd = readers(options, scan.rowCount);
  const extra: DataProblem[] = [];
  const ragged = scan.ragged.problem('ragged-row', `${plural(scan.ragged.count, 'row')} ${scan.ragged.count === 1 ? 'has' : 'have'} a different number of cells than the header (${scan.header.length}); missing cells are empty and extra cells are ignored`);
  if (ragged) extra.push(ragged);
  const slotOf = new Map(p!.columns.map((c, slot) => [c.index, slot]));
  const ranges = (index: number): CellRanges => ({ bytes, cells: scan.cells, stride: scan.stride, slot: slotOf.get(index)!, rowCount: scan.rowCount, lines: scan.lines });
  const ctx = (parse: DayParser) => ({ decimal: rd.decimal, parseDay: parse });
  const read = (index: number, kind: ColumnKind | 'infer', parse: DayParser): Built =>
    kind === 'date' ? dates(ranges(index), scan.header[index]!, parse, false)! : readCsvColumn(ranges(index), scan.header[index]!, kind, ctx(parse));
  return assemble(scan.header, scan.rowCount, p!, rd, options, read, extra, scan.lines);
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
  const read = (index: number, kind: ColumnKind | 'infer', parse: DayParser): Built => {
    const key = header[index]!;
    const values = records.map((rec) => rec[key]);
    return readValueColumn(values, key, kind, { decimal: rd.decimal, parseDay: parse, clock: rd.clock }, lineOf);
  };
  return assemble(header, records.length, p, rd, options, read, all, lines);
}
