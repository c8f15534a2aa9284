import type { Encoding } from '../data/encoding';
import * as path from 'node:path';
import { rowsShape, type DataShape } from '../data/shape';
import { matchColumn } from '../data/columnNames';
import { missingColumnMessage } from '../data/columnPlan';
import { numberFormat } from '../data/values';
import { locateDataFile } from '../language/analysis/data';
import type { ColumnType } from '../data/table';
import type { SourceDef } from '../language/model';
import type { Workspace } from '../language/workspace';
import type { Dialect } from './dialect';
import { sqlTypeOf, type SqlExpr, type SqlType } from './expr';
import { carried, guardRow, Measures, scanBody, type Measure } from './groupedScan';
import { indentSql, type Cte } from './sqlText';

/**
 * Where a source's rows are for one SQL engine, and how its columns become typed values.
 *
 * - `text` relations hold what was written (CSV read as text by DuckDB, inline `rows:`): every
 *   value is read the way the in-process engine reads it (numbers by its grammar, dates in the
 *   spec's time zone, empty cells null).
 * - `native` relations are typed by the database (tables, Parquet, JSON read by DuckDB): numbers
 *   are cast to doubles, dimensions to text, and time columns go through their text form, which
 *   works for DATE, TIMESTAMP, TIMESTAMPTZ and text columns alike.
 */
export interface SourceRelation {
  /** The FROM item, e.g. `read_csv(...)` or `"analytics"."web_sessions"`. */
  from: string;
  kind: 'text' | 'native';
  /** As shown in results: the file as written, `rows`, or the table name. */
  shown: string;
  /** The header, when known (files, rows): names are matched against it like the checker does. */
  header?: string[];
  /** Column types guessed from the file's first rows (the checker's rule). */
  guessed?: DataShape['types'];
  /** A warning to report with the source (e.g. a file source assumed to be a table). */
  warning?: string;
  /**
   * When asked for: each row's place in the file (1, 2, ...), over `raw`, for `first`/`last` and
   * duplicate-key messages. A scan keeps the file's order (DuckDB preserves insertion order);
   * a table has no order but the one it is scanned in.
   */
  ordinal?: string;
  /**
   * A CSV line holding only blanks, over `raw` and `blank`: such lines are no rows (as in
   * process), but DuckDB's scan gives one for each. Empty cells are scanned as '' (never null),
   * so a null second cell means the line had a single cell.
   */
  blankLine?: string;
  /** Header name → the scan's name for it, where they differ (see scanNames). */
  scanNames?: Map<string, string>;
  /** The data file read, when the source reads one. */
  file?: string;
  /** A CSV file read as text: where it is, to find the lines of rows named by their place. */
  csv?: { path: string; delimiter?: string; encoding?: Encoding };
  /**
   * The same scan with the columns named (scan names) read as DOUBLE by DuckDB's CSV reader,
   * when the run allows it (Bindings.typedScans): see groupedScan.ts for when it reads as kpispec does.
   */
  typedFrom?: (doubles: ReadonlySet<string>) => string;
}

export type Resolved = { relation: SourceRelation } | { problem: string };

export interface Bindings {
  /** Source id → table, from a profile; wins over the spec. */
  tables?: Record<string, string>;
  /**
   * CSV files are scanned by one thread: DuckDB's parallel scanner refuses a quoted line break
   * together with padding short rows, which only the whole file can show (see evaluate.ts).
   */
  serialCsv?: boolean;
  /**
   * CSV files on DuckDB are read value by value, as text, instead of through a grouped scan
   * (groupedScan.ts): when a measure held a value the scan's cast does not take as the engine does.
   */
  textReads?: boolean;
  /**
   * Whether a UTF-8 CSV file's measures may be read as numbers by DuckDB's CSV reader in a grouped
   * scan (groupedScan.ts); absent when the SQL is printed, which reads every value as text.
   */
  typedScans?: (file: string) => boolean;
  /** A UTF-8 copy of a data file in an encoding DuckDB does not decode (when running, not printing, the SQL). */
  utf8Copy?: (file: string, encoding: Encoding) => string;
  /** How file paths are written into the SQL: absolute (to run it), or relative to this folder (to print it). */
  relativeTo?: string;
}

/** Where a source's rows are for this dialect; `ordinal`: number its rows (see SourceRelation.ordinal). */
export function resolveSource(ws: Workspace, src: SourceDef, d: Dialect, bindings: Bindings, ordinal = false): Resolved {
  const resolved = locate(ws, src, d, bindings, ordinal);
  if (ordinal && 'relation' in resolved) resolved.relation.ordinal = src.rows && resolved.relation.kind === 'text' ? 'raw.__n' : 'ROW_NUMBER() OVER ()';
  return resolved;
}

function locate(ws: Workspace, src: SourceDef, d: Dialect, bindings: Bindings, ordinal: boolean): Resolved {
  const mapped = bindings.tables?.[src.id];
  const shapeOf = (): DataShape | undefined => {
    if (src.rows) return rowsShape(src.rows.value);
    const located = locateDataFile(ws, src);
    if (!('path' in located)) return undefined;
    const r = ws.host.dataShape(located.path, { format: located.format, delimiter: src.delimiter?.value, decimal: src.decimal?.value, thousands: src.thousands?.value, encoding: src.encoding?.value });
    return r.ok ? r.shape : undefined;
  };
  if (mapped !== undefined || src.table) {
    const name = mapped ?? src.table!.value;
    // The file's first rows still say what the columns hold, when the spec has one.
    const shape = src.path || src.rows ? shapeOf() : undefined;
    return { relation: { from: d.table(name), kind: 'native', shown: name, header: shape?.columns, guessed: shape?.types } };
  }
  if (src.rows) {
    const shape = rowsShape(src.rows.value);
    return { relation: { from: `(${inlineRows(d, shape.columns, src.rows.value, ordinal)})`, kind: 'text', shown: 'rows', header: shape.columns, guessed: shape.types } };
  }
  if (!src.path) return { problem: `source \`${src.id}\` has no \`file\`, \`rows\` or \`table\`` };
  const written = src.path.value;
  const parquet = /\.parquet$/i.test(written);
  if (d.name !== 'duckdb') {
    // Files are read by DuckDB only; elsewhere the source must be a table.
    const shape = parquet ? undefined : shapeOf();
    return {
      relation: {
        from: d.table(src.id), kind: 'native', shown: src.id, header: shape?.columns, guessed: shape?.types,
        warning: `source \`${src.id}\` reads \`${written}\`, but ${d.title} reads tables: the SQL assumes a table \`${src.id}\`; give the source a \`table:\` or map it in kpispec.profiles.yaml`,
      },
    };
  }
  const located = parquet ? locateParquet(ws, src) : locateDataFile(ws, src);
  if ('problem' in located) return { problem: located.problem.message };
  if (!('path' in located)) return { problem: `cannot tell the format of \`${written}\`; set \`format\`` };
  const file = bindings.relativeTo ? path.relative(bindings.relativeTo, located.path).split(path.sep).join('/') : located.path;
  let lit = d.string(file);
  if (located.format === 'parquet') return { relation: { from: `read_parquet(${lit})`, kind: 'native', shown: written, file: located.path } };
  if (located.format === 'json' || located.format === 'ndjson') {
    const shape = shapeOf();
    return { relation: { from: `read_json(${lit}, format = '${located.format === 'json' ? 'array' : 'newline_delimited'}')`, kind: 'native', shown: written, header: shape?.columns, guessed: shape?.types, file: located.path } };
  }
  const shape = shapeOf();
  if (!shape) return { problem: `cannot read data file \`${written}\`` };
  // Every column as text, named as in the header: the values are read by kpispec's rules below.
  const names = scanNames(shape.columns);
  const columnsOf = (doubles: ReadonlySet<string>) => names.map((c) => `${d.string(c)}: '${doubles.has(c) ? 'DOUBLE' : 'VARCHAR'}'`).join(', ');
  const first = `raw.${d.ident(names[0]!)}`;
  // The second cell's absence first: it is the cheap test, and rare.
  const blankLine = `${names.length > 1 ? `raw.${d.ident(names[1]!)} IS NULL AND ` : ''}${first} <> '' AND ${d.trim(first, 'blank.chars')} = ''`;
  const renamed = new Map<string, string>();
  shape.columns.forEach((h, i) => { if (names[i] !== h && !renamed.has(h) && shape.columns.indexOf(h) === i) renamed.set(h, names[i]!); });
  const delim = d.string(src.delimiter?.value ?? ',');
  const encoding = src.encoding?.value ?? shape.encoding;
  // DuckDB's CSV reader decodes UTF-8, UTF-16 and ISO-8859-1 itself; other encodings are not read, rather than read wrong.
  let duckEncoding = !encoding || encoding === 'utf-8' ? '' : encoding.startsWith('utf-16') ? ", encoding = 'utf-16'" : undefined;
  if (duckEncoding === undefined && encoding && bindings.utf8Copy) {
    lit = d.string(bindings.utf8Copy(located.path, encoding));
    duckEncoding = '';
  }
  if (duckEncoding === undefined) {
    return { problem: `\`${written}\` is ${encoding} text, which DuckDB's CSV reader does not decode: \`kpispec eval --engine duckdb\` reads a UTF-8 copy of it; to run this SQL yourself, save the file as UTF-8` };
  }
  // 4 MB buffers: DuckDB's default (16 times its 2 MB line limit, per thread) held about 100 MB
  // more on a 626 MB file, for no speed.
  const readCsv = (doubles: ReadonlySet<string>) =>
    `read_csv(${lit}, header = true, auto_detect = false, delim = ${delim}, quote = '"', escape = '"', null_padding = true, nullstr = chr(1), strict_mode = false, buffer_size = 4194304${bindings.serialCsv ? ', parallel = false' : ''}${duckEncoding}, columns = {${columnsOf(doubles)}})`;
  const typed = !encoding || encoding === 'utf-8' ? bindings.typedScans?.(located.path) : false;
  return {
    relation: {
      from: readCsv(new Set()),
      ...(typed ? { typedFrom: readCsv } : {}),
      kind: 'text', shown: written, header: shape.columns, guessed: shape.types,
      file: located.path, csv: { path: located.path, delimiter: src.delimiter?.value, encoding },
      blankLine, ...(renamed.size ? { scanNames: renamed } : {}),
    },
  };
}

/**
 * The names the scan gives the header's columns. DuckDB needs names distinct ignoring case; the
 * header may repeat one (the spec reads the first, as in process), differ only in case, or
 * leave one empty: those are renamed `column 3` (and so on), the first of each name kept.
 */
function scanNames(header: string[]): string[] {
  const taken = new Set<string>();
  return header.map((h, i) => {
    let name = h;
    if (h === '' || taken.has(h.toLowerCase())) {
      name = `column ${i + 1}`;
      for (let k = 2; taken.has(name.toLowerCase()) || header.includes(name); k++) name = `column ${i + 1} (${k})`;
    }
    taken.add(name.toLowerCase());
    return name;
  });
}

/** Parquet files pass the same gate as other data files: inside the workspace, existing. */
function locateParquet(ws: Workspace, src: SourceDef): ReturnType<typeof locateDataFile> | { path: string; format: 'parquet' } {
  const located = locateDataFile(ws, { ...src, format: { value: 'csv', span: src.path!.span } });
  return 'path' in located ? { path: located.path, format: 'parquet' } : located;
}

/**
 * Inline rows as a query of text literals: `SELECT 'a' AS "x" UNION ALL SELECT ...`; with
 * `ordinal`, each row's number as `__n` (a UNION ALL has no order of its own).
 */
function inlineRows(d: Dialect, columns: string[], rows: Record<string, unknown>[], ordinal: boolean): string {
  const nul = `CAST(NULL AS ${d.text})`;
  const value = (v: unknown) => (v === null || v === undefined || v === '' ? nul : d.string(typeof v === 'string' ? v : String(v)));
  const n = (i: number) => (ordinal ? `${i} AS __n, ` : '');
  if (!columns.length) return `SELECT ${n(0)}${nul} AS ${d.ident('_')} WHERE 1 = 0`;
  if (!rows.length) return `SELECT ${n(0)}${columns.map((c) => `${nul} AS ${d.ident(c)}`).join(', ')} WHERE 1 = 0`;
  return rows.map((r, i) => `SELECT ${n(i + 1)}${columns.map((c) => `${value(r[c])} AS ${d.ident(c)}`).join(', ')}`).join(' UNION ALL ');
}

/**
 * A column whose written values the typed reading may leave without a value (numbers, dates,
 * true/false, and the time column): `flag`, over `raw`, holds for such a value. The source's CTE
 * carries the flag as `alias`, so the query counts them as the in-process reader does.
 */
export interface ReadCheck {
  /** The header name. */
  column: string;
  kind: 'time' | 'value';
  type: SqlType;
  alias: string;
  flag: string;
}

/** A projected column of a source: its alias in the source's CTE and its type. */
export interface ProjectedColumn {
  alias: string;
  type: SqlType;
  /** The projection, over `raw`. */
  sql: string;
}

/**
 * The typed columns of a source: the spec names them (time, dimensions, metric columns, names
 * in `where`); each becomes one aliased, typed column of the source's CTE.
 */
export class Projection {
  readonly columns = new Map<string, ProjectedColumn>();
  private readonly aliases = new Set<string>(['__day', '__n']);

  constructor(
    private readonly d: Dialect,
    private readonly src: SourceDef,
    private readonly rel: SourceRelation,
    private readonly timezone: string,
    /** Columns read as text whatever they hold: the keys and join columns of relations. */
    private readonly isText?: (name: string) => boolean,
    /** Read a CSV file through a grouped scan (groupedScan.ts): rows carry a weight `__w` and measures. */
    grouped = false,
  ) {
    this.measures = grouped && rel.kind === 'text' && rel.from.startsWith('read_csv(') ? new Measures() : undefined;
  }

  /** The measures of a grouped scan; absent when each row of the source is a row of the file. */
  readonly measures?: Measures;

  /** The column holding how many rows of the file a row of the source's CTE stands for, when grouped. */
  get weight(): string | undefined {
    return this.measures ? '__w' : undefined;
  }

  /** A number column of a grouped scan, summed per group; undefined when it must be read as a value. */
  measure(name: string): Measure | undefined {
    const key = this.headerName(name);
    if (!this.measures || key === undefined || this.typeOf(name, key, true) !== 'number') return undefined;
    return this.measures.of(key);
  }

  /** The output row failing the query when a measure did not read as the engine reads it (see groupedScan.ts). */
  guard(id: string): string | undefined {
    return this.measures && this.scan ? guardRow(this.d, this.scan, id, this.measures.list) : undefined;
  }

  private scan?: string;

  /** The column a spec name refers to, typed; `numeric`: it is summed or averaged. */
  column(name: string, numeric = false): SqlExpr {
    const key = this.headerName(name) ?? name;
    let c = this.columns.get(key);
    if (!c) {
      const type = this.typeOf(name, key, numeric);
      c = { alias: this.aliasFor(key), type, sql: this.project(key, type, name) };
      this.columns.set(key, c);
    }
    return { sql: c.alias, type: c.type };
  }

  /** Whether the data has the column (always, when the header is not known: the database will say). */
  has(name: string): boolean {
    return !this.rel.header || this.headerName(name) !== undefined;
  }

  /** The time column as a local DATE. */
  day(): string {
    const name = this.src.time!.value;
    const key = this.headerName(name) ?? name;
    if (!this.rel.header || this.rel.header.includes(key)) return this.dateOf(this.raw(key), this.src.timeFormat?.value);
    this.absent.add(`\u0000${name}`);
    return `CAST(NULL AS DATE)`;
  }

  /** Names the spec reads that the data does not have (the time column marked by a leading NUL). */
  private readonly absent = new Set<string>();

  /** A name the spec reads from the source (by any metric, compiled or not): noted when the data lacks it. */
  note(name: string): void {
    if (this.rel.header && this.headerName(name) === undefined && name !== this.src.time?.value) this.absent.add(name);
  }

  /** Whether the data has the time column (or its header is not known). */
  hasTime(): boolean {
    return !!this.src.time && !this.absent.has(`\u0000${this.src.time.value}`);
  }

  /** What the data lacks, worded as the in-process reader words it: the time column first. */
  missingColumns(): string[] {
    const header = this.rel.header ?? [];
    const names = [...this.absent];
    return [
      ...names.filter((n) => n.startsWith('\u0000')).map((n) => missingColumnMessage('time column', n.slice(1), header)),
      ...names.filter((n) => !n.startsWith('\u0000')).map((n) => missingColumnMessage('column', n, header)),
    ];
  }

  private headerName(name: string): string | undefined {
    return this.rel.header ? matchColumn(name, this.rel.header) : undefined;
  }

  private typeOf(name: string, key: string, numeric: boolean): SqlType {
    const pinned: ColumnType | undefined = this.src.columns.get(name)?.value ?? this.src.columns.get(key)?.value;
    if (pinned) return sqlTypeOf(pinned);
    if (this.src.dimensions.some((x) => x.value === name || x.value === key) || this.isText?.(key)) return 'string';
    if (this.src.time && (this.src.time.value === name || this.src.time.value === key)) return 'date';
    const guessed = this.rel.guessed?.get(key);
    if (guessed && guessed !== 'empty') return sqlTypeOf(guessed);
    if (guessed === 'empty' || numeric) return 'number';
    return 'native';
  }

  /** A new alias in the source's CTEs: `prefix` and the name when it is plain, else a number. */
  aliasFor(key: string, prefix = 'c'): string {
    const base = /^[A-Za-z0-9_]{1,40}$/.test(key) ? `${prefix}_${key.toLowerCase()}` : `${prefix}_${this.aliases.size}`;
    let alias = base;
    for (let i = 2; this.aliases.has(alias); i++) alias = `${base}_${i}`;
    this.aliases.add(alias);
    return alias;
  }

  /** The read checks, once the source's CTEs are written; `cte`: the CTE that carries their flags. */
  checked?: { cte: string; checks: ReadCheck[] };

  /** The columns whose written values may not read (see ReadCheck); the time column once, as the time. */
  private readChecks(): ReadCheck[] {
    const out: ReadCheck[] = [];
    const timeKey = this.src.time ? this.headerName(this.src.time.value) ?? this.src.time.value : undefined;
    const has = (key: string) => !this.rel.header || this.rel.header.includes(key);
    if (timeKey !== undefined && has(timeKey)) out.push({ column: timeKey, kind: 'time', type: 'date', alias: '__u_time', flag: this.unread(timeKey, this.day()) });
    for (const [key, c] of this.columns) {
      if (key === timeKey || !has(key) || (c.type !== 'number' && c.type !== 'date' && c.type !== 'bool')) continue;
      out.push({ column: key, kind: 'value', type: c.type, alias: `__u_${c.alias}`, flag: this.unread(key, c.sql) });
    }
    return out;
  }

  /** Something is written (not blank) and the typed reading gives no value. */
  private unread(key: string, typed: string): string {
    return `(${this.textOf(key)} <> '' AND (${typed}) IS NULL)`;
  }

  /** A column's value as text, over `raw`. */
  private textOf(key: string): string {
    const raw = this.raw(key);
    return this.rel.kind === 'text' ? raw : `CAST(${raw} AS ${this.d.text})`;
  }

  /**
   * The first few values of each check that did not read, with their row's place in the file
   * (`i`: the check's index, `n`, `v`), for a CSV file read as text; run only when some did not.
   */
  examplesQuery(limit = 3): string | undefined {
    const checks = this.checked?.checks;
    if (this.rel.kind !== 'text' || !this.rel.from.startsWith('read_csv(') || !checks?.length) return undefined;
    const d = this.d;
    const texts = ['ROW_NUMBER() OVER () AS __n', ...this.textColumns()];
    const parts = checks.map((c, i) => `SELECT * FROM (SELECT ${i} AS i, __n AS n, raw.${this.scanIdent(c.column)} AS v FROM written AS raw WHERE ${c.flag} ORDER BY __n LIMIT ${limit}) AS e${i}`);
    return [
      `WITH blank AS (SELECT ${d.blanks} AS chars),`,
      `written AS${d.materialized} (SELECT ${texts.join(', ')} FROM ${this.rel.from} AS raw CROSS JOIN blank${this.notBlank()})`,
      parts.join('\nUNION ALL\n'),
    ].join('\n');
  }

  /** The header names of written text read so far, in order: the source's text CTE trims them. */
  readonly texts: string[] = [];

  private raw(key: string): string {
    if (this.rel.kind === 'text' && !this.texts.includes(key)) this.texts.push(key);
    return `raw.${this.scanIdent(key)}`;
  }

  /** Written text trimmed once per value (a separate CTE: the typed reading uses each value several times). */
  textColumns(): string[] {
    return this.texts.map((key) => `${this.d.trim(`raw.${this.scanIdent(key)}`, 'blank.chars')} AS ${this.scanIdent(key)}`);
  }

  /** The filter leaving out blank lines, when the scan gives them (see SourceRelation.blankLine). */
  private notBlank(): string {
    return this.rel.blankLine ? `\nWHERE NOT (${this.rel.blankLine})` : '';
  }

  /** A header name as the scan names it (see SourceRelation.scanNames). */
  private scanIdent(key: string): string {
    return this.d.ident(this.rel.scanNames?.get(key) ?? key);
  }

  /**
   * The source's CTE `name` (`head`: leading columns such as `__day`), and for written text the
   * CTE before it that trims each value once (`text_<tag>`). The row ordinal, when asked for,
   * is taken in the first CTE over the scan, before anything could reorder rows.
   */
  ctes(name: string, tag: string, head: string[]): Cte[] {
    const d = this.d;
    const rel = this.rel;
    const cols = [...head];
    if (rel.ordinal) cols.push(rel.kind === 'text' ? 'raw.__n AS __n' : `${rel.ordinal} AS __n`);
    for (const c of this.columns.values()) cols.push(`${c.sql} AS ${c.alias}`);
    const checks = this.readChecks();
    this.checked = { cte: name, checks };
    if (!cols.length) cols.push('1 AS __one');
    const select = (list: string[]) => `SELECT\n${indentSql(list.join(',\n'), 2, d)}`;
    const cte: Cte = { name, comment: [`source ${this.src.id}: ${rel.shown}`], body: '', materialized: true };
    // With checks, the typed values are read once in a sub-select, and each flag compares a
    // typed value with its text there (a flag over `raw` alone would read the value twice).
    const from = (scan: string) => {
      const aliases = cols.map((c) => /\bAS (\S+)$/.exec(c)![1]!);
      const typed = checks.map((c) => (c.kind === 'time' ? (aliases.includes('__day') ? '__day' : undefined) : this.columns.get(c.column)?.alias));
      if (typed.some((t) => t === undefined)) return `${select([...cols, ...checks.map((c) => `${c.flag} AS ${c.alias}`)])}\nFROM ${scan} AS raw`;
      if (!checks.length) return `${select(cols)}\nFROM ${scan} AS raw`;
      const inner = [...cols, ...checks.map((c, i) => `${this.textOf(c.column)} AS __t${i}`)];
      const flags = checks.map((c, i) => `(__t${i} <> '' AND ${typed[i]} IS NULL) AS ${c.alias}`);
      return `${select([...aliases, ...flags])}\nFROM (\n${indentSql(`${select(inner)}\nFROM ${scan} AS raw`, 2, d)}\n) AS typed`;
    };
    if (rel.kind !== 'text') {
      cte.body = from(rel.from);
      return [cte];
    }
    // Written values: trimmed once in a CTE of their own, then read by kpispec's rules.
    const texts = this.textColumns();
    if (rel.ordinal) texts.unshift(`${rel.ordinal} AS __n`);
    if (this.measures) return this.groupedCtes(cte, tag, texts, cols, from);
    const text: Cte = {
      name: `text_${tag}`, comment: [`source ${this.src.id}: the values as written, blanks trimmed`],
      body: `${select(texts.length ? texts : ['1 AS __one'])}\nFROM ${rel.from} AS raw\nCROSS JOIN blank${this.notBlank()}`,
    };
    cte.body = from(`text_${tag}`);
    return [text, cte];
  }

  /**
   * A grouped scan's CTEs: `scan_<tag>` groups the file's rows by the written text of the
   * columns read as values (the only CTE over the file, and the only one held in memory), then
   * `text_<tag>` and the source's CTE read each group's text as they would read a row's,
   * carrying the weight and the measures' partial aggregates.
   */
  private groupedCtes(cte: Cte, tag: string, texts: string[], cols: string[], from: (scan: string) => string): Cte[] {
    const d = this.d;
    const measures = this.measures!.list;
    this.scan = `scan_${tag}`;
    const typed = this.typedMeasures(measures);
    const measured = measures.map((m) => ({ m, ident: this.scanIdent(m.column), typed: typed.has(this.scanName(m.column)) }));
    const scan: Cte = {
      name: this.scan, comment: [`source ${this.src.id}: its rows grouped by the values as written, with the sums of its measures`], materialized: true,
      body: scanBody(d, typed.size ? this.rel.typedFrom!(typed) : this.rel.from, this.texts.map((k) => this.scanIdent(k)), measured, this.notBlank()),
    };
    const pass = carried(measures);
    const text: Cte = {
      name: `text_${tag}`, comment: [`source ${this.src.id}: the values as written, blanks trimmed, per group`],
      body: `SELECT\n${indentSql([...texts, ...pass.map((a) => `raw.${a} AS ${a}`)].join(',\n'), 2, d)}\nFROM ${this.scan} AS raw\nCROSS JOIN blank`,
    };
    cols.push(...pass.map((a) => `raw.${a} AS ${a}`));
    // Small (one row per group), read by every aggregate: computed once.
    cte.body = from(`text_${tag}`);
    return [scan, text, cte];
  }

  /**
   * The measures (scan names) DuckDB's CSV reader reads as numbers, when the relation offers it:
   * those not also read as text, as a key or as one of the two first columns (a blank line's test).
   */
  private typedMeasures(measures: Measure[]): Set<string> {
    if (!this.rel.typedFrom) return new Set();
    const asText = new Set([...this.texts, ...(this.rel.header ?? []).slice(0, 2)].map((c) => this.scanName(c)));
    return new Set(measures.map((m) => this.scanName(m.column)).filter((c) => !asText.has(c)));
  }

  private scanName(column: string): string {
    return this.rel.scanNames?.get(column) ?? column;
  }

  private project(key: string, type: SqlType, name: string): string {
    const d = this.d;
    // A column the data does not have (the checker reports it) holds no values.
    if (this.rel.header && !this.rel.header.includes(key)) {
      this.note(name);
      return `CAST(NULL AS ${type === 'number' ? d.double : type === 'date' ? 'DATE' : type === 'bool' ? 'BOOLEAN' : d.text})`;
    }
    const raw = this.raw(key);
    const text = this.rel.kind === 'text' ? raw : `CAST(${raw} AS ${d.text})`;
    switch (type) {
      case 'string':
        return this.rel.kind === 'text' ? `NULLIF(${raw}, '')` : text;
      case 'number':
        if (this.rel.kind === 'text') return d.toNumber(raw, numberFormat({ decimal: this.src.decimal?.value, thousands: this.src.thousands?.value }));
        return d.name === 'duckdb' ? `TRY_CAST(${raw} AS DOUBLE)` : d.name === 'bigquery' ? `SAFE_CAST(${raw} AS FLOAT64)` : `CAST(${raw} AS ${d.double})`;
      case 'bool':
        return `(CASE LOWER(${text}) WHEN 'true' THEN TRUE WHEN 'yes' THEN TRUE WHEN '1' THEN TRUE WHEN 'false' THEN FALSE WHEN 'no' THEN FALSE WHEN '0' THEN FALSE END)`;
      case 'date': {
        const isTime = this.src.time && (this.src.time.value === name || this.src.time.value === key);
        const format = this.src.timeFormat?.value;
        if (isTime || !format) return this.dateOf(raw, isTime ? format : undefined);
        // Other date columns try the time format first, then ISO 8601 (as the engine does).
        return `COALESCE(${this.dateOf(raw, format)}, ${this.dateOf(raw, undefined)})`;
      }
      default:
        return raw;
    }
  }

  private dateOf(raw: string, format: string | undefined): string {
    // Written text is trimmed already; a database's rendering of a date has no blanks.
    const text = this.rel.kind === 'text' ? raw : `CAST(${raw} AS ${this.d.text})`;
    return this.d.localDay(text, this.timezone, format && !/^ISO( ?8601)?$/i.test(format) ? format : undefined, this.rel.kind === 'native');
  }
}

