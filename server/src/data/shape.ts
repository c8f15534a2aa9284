import * as fs from 'node:fs';
import { toUtf8, type Encoding } from './encoding';
import { nulByteProblem } from './nulBytes';
import { notAFile } from './regularFile';
import type { ColumnType, Thousands } from './table';
import { MISSING_MARKER, numberFormat, parseNumberText, type NumberFormat } from './values';

/** What the checker needs of a data file: its columns and their likely types. */
export interface DataShape {
  columns: string[];
  /** Inferred from the first rows; 'empty' when no sampled row has a value. */
  types: Map<string, ColumnType | 'empty'>;
  /** The header line as written (CSV), for go-to-definition. */
  headerText?: string;
  /** Per text column with few distinct values (a dimension, a status), every value the sampled rows hold. */
  values?: Map<string, ReadonlySet<string>>;
  /** The text encoding the file was read in, when not UTF-8 (declared, or UTF-16 by its byte-order mark). */
  encoding?: Encoding;
  /** The sampled rows, with the line (CSV, NDJSON) or record number (JSON, inline rows) of each. */
  sample?: { rows: Record<string, unknown>[]; lines: number[] };
}

/** A text column with more distinct values than this in the sample is an id or free text, not a dimension. */
const FEW_VALUES = 50;

/** The values of the text columns with few distinct values in the sampled rows (trimmed, non-empty). */
function fewValues(columns: string[], rows: Record<string, unknown>[], types: Map<string, ColumnType | 'empty'>): Map<string, ReadonlySet<string>> {
  const out = new Map<string, ReadonlySet<string>>();
  for (const c of columns) {
    if (types.get(c) !== 'string') continue;
    const seen = new Set<string>();
    for (const row of rows) {
      const v = row[c];
      if (typeof v === 'string' && v.trim() !== '') seen.add(v.trim());
      if (seen.size > FEW_VALUES) break;
    }
    if (seen.size <= FEW_VALUES) out.set(c, seen);
  }
  return out;
}

export type DataFormat = 'csv' | 'json' | 'ndjson';

/** `withheld`: the file was not read on purpose (an untrusted workspace), which is no problem of the spec. */
export type ShapeResult = { ok: true; shape: DataShape } | { ok: false; message: string; withheld?: boolean; encoding?: Encoding };

export interface ShapeOptions {
  format: DataFormat;
  delimiter?: string;
  decimal?: '.' | ',';
  thousands?: Thousands;
  encoding?: Encoding;
}

/** Bytes read to learn a file's shape: the header and enough rows to guess types. */
const SAMPLE_BYTES = 64 * 1024;
const SAMPLE_ROWS = 200;

export function formatOf(path: string, declared?: DataFormat): DataFormat | undefined {
  if (declared) return declared;
  if (path.endsWith('.csv')) return 'csv';
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.ndjson') || path.endsWith('.jsonl')) return 'ndjson';
  return undefined;
}

/** Reads only the start of the file. Never throws: errors come back as a message. */
export function readDataShape(path: string, options: ShapeOptions): ShapeResult {
  const refused = notAFile(path);
  if (refused) return { ok: false, message: refused };
  let head: string;
  let complete: boolean;
  let encoding: Encoding | undefined;
  try {
    const fd = fs.openSync(path, 'r');
    try {
      const buf = Buffer.alloc(SAMPLE_BYTES);
      const n = fs.readSync(fd, buf, 0, SAMPLE_BYTES, 0);
      complete = n < SAMPLE_BYTES;
      const utf8 = toUtf8(buf, n, options.encoding, complete);
      if ('problem' in utf8) return { ok: false, message: nulByteProblem(buf, n) ?? utf8.problem, ...(utf8.suggestion ? { encoding: utf8.suggestion } : {}) };
      const binary = nulByteProblem(utf8.bytes, utf8.len);
      if (binary) return { ok: false, message: binary };
      head = utf8.bytes.toString('utf8', 0, utf8.len);
      encoding = buf[0] === 0xff && buf[1] === 0xfe ? 'utf-16le' : buf[0] === 0xfe && buf[1] === 0xff ? 'utf-16be' : options.encoding;
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    return { ok: false, message: (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a folder, not a file' : `it cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const shaped = shapeFromText(head, complete, options);
  if (shaped.ok && encoding && encoding !== 'utf-8') shaped.shape.encoding = encoding;
  return shaped;
}

/** The shape of a file from its first bytes as text; `complete` when that is the whole file. */
export function shapeFromText(head: string, complete: boolean, options: ShapeOptions): ShapeResult {
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  if (options.format === 'csv') return csvShape(head, complete, options);
  return jsonShape(head, options.format, numberFormat(options));
}

function csvShape(head: string, complete: boolean, options: ShapeOptions): ShapeResult {
  const { records, starts, unclosedLine } = splitCsv(head, options.delimiter ?? ',', complete);
  // Only a whole file can tell: in a sample, the quote may close further down.
  if (complete && unclosedLine !== undefined) {
    return { ok: false, message: `a quote opened on line ${unclosedLine} is never closed, so its cell runs to the end of the file; close the quote, or double a quote inside a value (\`""\`)` };
  }
  const header = records[0];
  if (!header || (header.length === 1 && header[0]!.trim() === '')) return { ok: false, message: 'it has no header row' };
  const columns = header.map((h) => h.trim());
  const rows = records.slice(1, SAMPLE_ROWS + 1).map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? ''])));
  const newline = head.search(/\r?\n/);
  const types = inferTypes(columns, rows, numberFormat(options));
  const sample = { rows, lines: starts.slice(1, SAMPLE_ROWS + 1) };
  return { ok: true, shape: { columns, types, headerText: newline < 0 ? head : head.slice(0, newline), values: fewValues(columns, rows, types), sample } };
}

function jsonShape(head: string, format: DataFormat, nf: NumberFormat): ShapeResult {
  const records: unknown[] = [];
  if (format === 'ndjson') {
    const lines = head.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, SAMPLE_ROWS);
    if (!lines.length) return { ok: false, message: 'it has no records' };
    for (const [i, line] of lines.entries()) {
      try { records.push(JSON.parse(line)); } catch { if (i < lines.length - 1 || !records.length) return { ok: false, message: `line ${i + 1} is not a JSON object` }; }
    }
  } else {
    const start = head.search(/\S/);
    if (head[start] !== '[') return { ok: false, message: 'a JSON source must be an array of objects' };
    if (/^\[\s*\]/.test(head.slice(start))) return { ok: true, shape: { columns: [], types: new Map() } };
    for (let at = start + 1; records.length < SAMPLE_ROWS; ) {
      const found = nextObject(head, at);
      if (!found) break;
      try { records.push(JSON.parse(found.text)); } catch { return { ok: false, message: `record ${records.length + 1} is not valid JSON` }; }
      at = found.end;
    }
    if (!records.length) return { ok: false, message: 'its first record could not be read within the first 64 KB' };
  }
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    if (!r || typeof r !== 'object' || Array.isArray(r)) return { ok: false, message: 'its records must be JSON objects' };
    for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); columns.push(k); }
  }
  const rows = records as Record<string, unknown>[];
  const types = inferTypes(columns, rows, nf);
  return { ok: true, shape: { columns, types, values: fewValues(columns, rows, types), sample: { rows, lines: rows.map((_, i) => i + 1) } } };
}

/** The next complete top-level `{...}` at or after `from`, or undefined. */
function nextObject(text: string, from: number): { text: string; end: number } | undefined {
  const start = text.indexOf('{', from);
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (--depth === 0) return { text: text.slice(start, i + 1), end: i + 1 };
    }
  }
  return undefined;
}

/**
 * Splits CSV text into records (RFC 4180 quotes); drops a cut-off last record unless complete.
 * `starts`: the line each record starts on; `unclosedLine`: the line of a quote still open at
 * the end of the text.
 */
export function splitCsv(text: string, delimiter: string, complete: boolean): { records: string[][]; starts: number[]; unclosedLine?: number } {
  const records: string[][] = [];
  const starts: number[] = [];
  let start = 1;
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else {
        field += c;
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
      }
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      quoteLine = line;
      field = '';
    } else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      record.push(field);
      records.push(record);
      starts.push(start);
      start = line;
      record = [];
      field = '';
    } else field += c;
  }
  if (complete && (field !== '' || record.length)) {
    record.push(field);
    records.push(record);
    starts.push(start);
  }
  return quoted ? { records, starts, unclosedLine: quoteLine } : { records, starts };
}

const DATE = /^\d{4}-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?$/;

/** A column's type is the one at least 90% of its sampled values have; a stray `#N/A` does not make numbers text. */
function inferTypes(columns: string[], rows: Record<string, unknown>[], nf: NumberFormat): Map<string, ColumnType | 'empty'> {
  const types = new Map<string, ColumnType | 'empty'>();
  for (const c of columns) {
    const counts = new Map<ColumnType, number>();
    let total = 0;
    for (const row of rows) {
      const t = valueType(row[c], nf);
      if (t === 'empty') continue;
      counts.set(t, (counts.get(t) ?? 0) + 1);
      total++;
    }
    let type: ColumnType | 'empty' = total ? 'string' : 'empty';
    for (const [t, n] of counts) if (n >= total * 0.9) type = t;
    types.set(c, type);
  }
  return types;
}

function valueType(v: unknown, nf: NumberFormat): ColumnType | 'empty' {
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v !== 'string') return 'string';
  const s = v.trim();
  if (s === '' || MISSING_MARKER.test(s)) return 'empty'; // `#N/A` says nothing about the type
  if (/^(true|false)$/i.test(s)) return 'boolean';
  if (!Number.isNaN(parseNumberText(s, nf))) return 'number'; // as the reader reads it
  if (DATE.test(s)) return 'date';
  return 'string';
}

/** The columns and value types of inline `rows:`. */
export function rowsShape(rows: Record<string, unknown>[]): DataShape {
  const types = new Map<string, ColumnType | 'empty'>();
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      const t: ColumnType | 'empty' = v === null || v === '' ? 'empty' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : /^\d{4}-\d{2}(-\d{2})?/.test(String(v)) ? 'date' : 'string';
      const prev = types.get(k);
      types.set(k, prev === undefined || prev === 'empty' ? t : t === 'empty' || t === prev ? prev : 'string');
    }
  }
  const columns = [...types.keys()];
  return { columns, types, values: fewValues(columns, rows, types), sample: { rows, lines: rows.map((_, i) => i + 1) } };
}
