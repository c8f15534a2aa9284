import * as path from 'node:path';
import { rowsShape, type DataShape } from '../data/shape';
import { matchColumn } from '../data/columnNames';
import { numberFormat } from '../data/values';
import { locateDataFile } from '../language/analysis/data';
import type { ColumnType } from '../data/table';
import type { SourceDef } from '../language/model';
import type { Workspace } from '../language/workspace';
import type { Dialect } from './dialect';
import { sqlTypeOf, type SqlExpr, type SqlType } from './expr';
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
}

export type Resolved = { relation: SourceRelation } | { problem: string };

export interface Bindings {
  /** Source id → table, from a profile; wins over the spec. */
  tables?: Record<string, string>;
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
  const lit = d.string(file);
  if (located.format === 'parquet') return { relation: { from: `read_parquet(${lit})`, kind: 'native', shown: written } };
  if (located.format === 'json' || located.format === 'ndjson') {
    const shape = shapeOf();
    return { relation: { from: `read_json(${lit}, format = '${located.format === 'json' ? 'array' : 'newline_delimited'}')`, kind: 'native', shown: written, header: shape?.columns, guessed: shape?.types } };
  }
  const shape = shapeOf();
  if (!shape) return { problem: `cannot read data file \`${written}\`` };
  // Every column as text, named as in the header: the values are read by kpispec's rules below.
  const columns = shape.columns.map((c) => `${d.string(c)}: 'VARCHAR'`).join(', ');
  const delim = d.string(src.delimiter?.value ?? ',');
  const encoding = src.encoding?.value ?? shape.encoding;
  // DuckDB's CSV reader decodes UTF-8, UTF-16 and ISO-8859-1 itself; other encodings are not read, rather than read wrong.
  const duckEncoding = !encoding || encoding === 'utf-8' ? '' : encoding.startsWith('utf-16') ? ", encoding = 'utf-16'" : undefined;
  if (duckEncoding === undefined) {
    return { problem: `\`${written}\` is ${encoding} text, which DuckDB's CSV reader does not decode: evaluate it in process (kpispec eval), or save it as UTF-8` };
  }
  return {
    relation: {
      from: `read_csv(${lit}, header = true, auto_detect = false, delim = ${delim}, quote = '"', escape = '"', null_padding = true, strict_mode = false${duckEncoding}, columns = {${columns}})`,
      kind: 'text', shown: written, header: shape.columns, guessed: shape.types,
    },
  };
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
  ) {}

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
    return `CAST(NULL AS DATE)`;
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

  /** The header names of written text read so far, in order: the source's text CTE trims them. */
  readonly texts: string[] = [];

  private raw(key: string): string {
    if (this.rel.kind === 'text' && !this.texts.includes(key)) this.texts.push(key);
    return `raw.${this.d.ident(key)}`;
  }

  /** Written text trimmed once per value (a separate CTE: the typed reading uses each value several times). */
  textColumns(): string[] {
    return this.texts.map((key) => `${this.d.trim(`raw.${this.d.ident(key)}`, 'blank.chars')} AS ${this.d.ident(key)}`);
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
    if (!cols.length) cols.push('1 AS __one');
    const select = (list: string[]) => `SELECT\n${indentSql(list.join(',\n'), 2, d)}`;
    const cte: Cte = { name, comment: [`source ${this.src.id}: ${rel.shown}`], body: '', materialized: true };
    if (rel.kind !== 'text') {
      cte.body = `${select(cols)}\nFROM ${rel.from} AS raw`;
      return [cte];
    }
    // Written values: trimmed once in a CTE of their own, then read by kpispec's rules.
    const texts = this.textColumns();
    if (rel.ordinal) texts.unshift(`${rel.ordinal} AS __n`);
    const text: Cte = {
      name: `text_${tag}`, comment: [`source ${this.src.id}: the values as written, blanks trimmed`],
      body: `${select(texts.length ? texts : ['1 AS __one'])}\nFROM ${rel.from} AS raw\nCROSS JOIN blank`,
    };
    cte.body = `${select(cols)}\nFROM text_${tag} AS raw`;
    return [text, cte];
  }

  private project(key: string, type: SqlType, name: string): string {
    const d = this.d;
    // A column the data does not have (the checker reports it) holds no values.
    if (this.rel.header && !this.rel.header.includes(key)) return `CAST(NULL AS ${type === 'number' ? d.double : type === 'date' ? 'DATE' : type === 'bool' ? 'BOOLEAN' : d.text})`;
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

