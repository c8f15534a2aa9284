import type { Grain } from '../language/model';
import { dayText } from '../engine/periods';
import type { NumberFormat } from '../data/values';
import { numberCases } from './numbers';

/**
 * What differs between the SQL engines kpispec compiles to: quoting, literals, types, dates,
 * the period series, and a few functions. Everything a user wrote (column and table names,
 * text values, time zones, file paths) reaches SQL only through `ident`, `table` or `string`,
 * which quote and escape by the engine's rules. Names kpispec makes up itself (`src_web`,
 * `m_sessions`, `__p`) are plain lower-case identifiers with a prefix, never reserved words.
 */
export type DialectName = 'duckdb' | 'postgres' | 'bigquery' | 'snowflake';
export const DIALECTS: readonly DialectName[] = ['duckdb', 'postgres', 'bigquery', 'snowflake'];

export interface Dialect {
  name: DialectName;
  title: string;
  /** A user's identifier (a column), quoted. */
  ident(name: string): string;
  /** A table name as written (`analytics.web_sessions`), each dotted part quoted. */
  table(name: string): string;
  /** A text literal. */
  string(value: string): string;
  /** A number literal that is never integer-typed (`100 / 3` must not be integer division). */
  number(value: number): string;
  date(day: number): string;
  double: string;
  text: string;
  /** Blanks trimmed off a text, by the engine's rule (what JavaScript's trim removes); `chars` holds them (see `blanks`). */
  trim(text: string, chars: string): string;
  /** An expression holding every character JavaScript's trim removes. */
  blanks: string;
  /** Trimmed text → number, or null when the text is not a number (the engine's grammar, sql/numbers.ts). */
  toNumber(text: string, nf: NumberFormat): string;
  /**
   * Text → the local DATE in `timezone` (ISO 8601; with an offset, the instant moved into the
   * zone), or null. `native`: the text is a database's rendering of a DATE or TIMESTAMP, whose
   * offsets may be bare hours (`+08`) or follow a space; written text follows the engine's rule.
   */
  localDay(text: string, timezone: string, format?: string, native?: boolean): string;
  /** A DATE → the first day of its period (a DATE). */
  periodStart(day: string, grain: Exclude<Grain, 'all'>): string;
  /** A SELECT of the period starts `p` (DATE) from the period holding `b.lo` up to `b.hi`, over `bounds` aliased `b`. */
  periodSeries(bounds: string, grain: Exclude<Grain, 'all'>): string;
  /** A period's key text (`2026-01`, `2026-W05`, ...) from its first day. */
  periodKey(start: string, grain: Exclude<Grain, 'all'>): string;
  /** `a` equals `b`, nulls equal. */
  same(a: string, b: string): string;
  /** Text ordering by code points, whatever the database's collation. */
  ordered(text: string): string;
  /** Round half away from zero on the decimal digits. */
  round(x: string, digits: number): string;
  /** ` MATERIALIZED` where the engine honours it for CTEs read more than once. */
  materialized: string;
  /** Regular expression test (the pattern is a literal). */
  matches(text: string, pattern: string): string;
  /** The set union without duplicates (BigQuery spells it out). */
  union: string;
  /** Whole days from DATE `a` to DATE `b` (negative when b is earlier), as a double. */
  daysBetween(a: string, b: string): string;
  /**
   * An aggregate: the first (or last) non-null `x` by `day` (a DATE, nulls after every day;
   * absent: no time) then `n` (a whole number: the row's place in its file).
   */
  firstValue(x: string, order: { day?: string; n: string }, last: boolean): string;
  /** A whole number as an integer type (for its text without a decimal part). */
  bigint: string;
}

const DAY_TEXT = (day: number) => dayText(day);

/** The ORDER BY of first/last: by day (rows without one after every day), then by place in the file. */
function orderBy(order: { day?: string; n: string }, last: boolean): string {
  if (last) return `${order.day ? `${order.day} DESC NULLS FIRST, ` : ''}${order.n} DESC`;
  return `${order.day ? `${order.day} NULLS LAST, ` : ''}${order.n}`;
}

/**
 * The same order as one whole number, for MIN_BY/MAX_BY (which skip a null key): the day
 * number (a missing day after every day) times 10^10, plus the row's place (< 10^10 rows).
 */
function orderKey(order: { day?: string; n: string }, dayNumber: (day: string) => string): string {
  return order.day ? `(COALESCE(${dayNumber(order.day)}, 3000000) * 10000000000 + ${order.n})` : order.n;
}

/** What String.prototype.trim removes: ASCII whitespace, NBSP, the Unicode space separators, line and paragraph separators, BOM. */
const BLANKS = [32, 9, 10, 11, 12, 13, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279];
const chrList = BLANKS.map((c) => `CHR(${c})`).join(' || ');

/** A number literal with a decimal point or an exponent, so that it is never an integer. */
function floatLiteral(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`internal: non-finite literal ${v}`);
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

function doubleQuote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function splitTable(name: string): string[] {
  return name.split('.');
}

/** SQL-standard literal: quotes doubled; backslashes are plain characters. */
function standardString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Time-format tokens (the engine's `time_format`) → a strptime-style format. */
function strftimeFormat(format: string): string {
  let out = '';
  for (const [token, literal] of tokens(format)) {
    if (literal !== undefined) { out += literal.replace(/%/g, '%%'); continue; }
    out += { YYYY: '%Y', MM: '%m', M: '%-m', DD: '%d', D: '%-d', HH: '%H', H: '%-H', mm: '%M', ss: '%S', S: '%g', Z: '%z' }[token]!;
  }
  return out;
}

/** The text a time format takes, as the engine reads it (data/timeValues.ts): fields of their width, literals as written. */
function formatShape(format: string): string {
  const field: Record<string, string> = { YYYY: '[0-9]{4}', MM: '[0-9]{2}', DD: '[0-9]{2}', HH: '[0-9]{2}', mm: '[0-9]{2}', ss: '[0-9]{2}', M: '[0-9]{1,2}', D: '[0-9]{1,2}', H: '[0-9]{1,2}', S: '[0-9]+', Z: '(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)' };
  return `^${tokens(format).map(([token, literal]) => (literal !== undefined ? literal.replace(/[$.^|?*+()[\]{}\\]/g, (c) => `\\${c}`) : field[token]!)).join('')}$`;
}

/** Splits a time format into tokens (YYYY, MM, ...) and literal text, like the engine does. */
export function tokens(format: string): [string, string | undefined][] {
  const out: [string, string | undefined][] = [];
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    let j = i + 1;
    while (j < format.length && format[j] === c) j++;
    const run = format.slice(i, j);
    if (/^S+$/.test(run)) out.push(['S', undefined]);
    else if (['YYYY', 'MM', 'M', 'DD', 'D', 'HH', 'H', 'mm', 'ss'].includes(run)) out.push([run, undefined]);
    else if (run === 'Z' || run === 'ZZ') out.push(['Z', undefined]);
    else out.push(['', run]);
    i = j;
  }
  return out;
}

// Fields in range, as the engine checks them (only a day past the month's end, 2026-02-30, gets through to the cast).
const YMD = '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])';
const HMS = '([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?';
const ISO_DAY = `^${YMD}$`;
const ISO_LOCAL = `^${YMD}[T ]${HMS}$`;
const ISO_OFFSET = `^${YMD}[T ]${HMS}(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])$`;
const ISO_OFFSET_NATIVE = `^${YMD}[T ]${HMS} ?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$`;
const ISO_MONTH = '^[0-9]{4}-(0[1-9]|1[0-2])$';

/**
 * ISO 8601 text → the local DATE, as the engine reads it: a date or a local date-time is local
 * already; a date-time with an offset is an instant moved into the zone; `YYYY-MM` is its first
 * day. The plain date comes first: it is what most time columns hold.
 */
function isoCases(d: Dialect, t: string, date: (text: string) => string, instant: string, native = false): string {
  return `CASE\n  WHEN ${d.matches(t, ISO_DAY)} THEN ${date(t)}`
    + `\n  WHEN ${d.matches(t, ISO_LOCAL)} THEN ${date(`SUBSTR(${t}, 1, 10)`)}`
    + `\n  WHEN ${d.matches(t, native ? ISO_OFFSET_NATIVE : ISO_OFFSET)} THEN ${instant}`
    + `\n  WHEN ${d.matches(t, ISO_MONTH)} THEN ${date(`${t} || '-01'`)}\nEND`;
}

const truncUnit: Record<Exclude<Grain, 'all'>, string> = { day: 'day', week: 'week', month: 'month', quarter: 'quarter', year: 'year' };
const stepInterval: Record<Exclude<Grain, 'all'>, string> = { day: '1 day', week: '7 days', month: '1 month', quarter: '3 months', year: '1 year' };

const duckdb: Dialect = {
  name: 'duckdb',
  // TRIM with a set of characters is slow in DuckDB: only a value that starts or ends with one is trimmed.
  trim: (text, chars) => `CASE WHEN CONTAINS(${chars}, ${text}[1]) OR CONTAINS(${chars}, ${text}[-1]) THEN TRIM(${text}, ${chars}) ELSE ${text} END`,
  blanks: chrList,
  title: 'DuckDB',
  ident: doubleQuote,
  table: (name) => splitTable(name).map(doubleQuote).join('.'),
  string: standardString,
  number: floatLiteral,
  date: (day) => `DATE '${DAY_TEXT(day)}'`,
  double: 'DOUBLE',
  text: 'VARCHAR',
  toNumber(text, nf) {
    // DuckDB's own reading of a double is the engine's grammar for plain numbers but for
    // infinities, NaN and digit separators (`1_000`): those are ruled out, which is cheaper than
    // a pattern; the rest (`1,647.43`, `3.5%`, `€12`) takes the patterns.
    const t = text;
    const rest = numberCases(this, text, nf, (x) => `TRY_CAST(${x} AS DOUBLE)`);
    if (nf.decimal === '.') return `CASE WHEN ISFINITE(TRY_CAST(${t} AS DOUBLE)) AND NOT CONTAINS(${t}, '_') THEN TRY_CAST(${t} AS DOUBLE) ELSE ${rest} END`;
    return rest;
  },
  localDay(text, timezone, format, native) {
    const t = text;
    if (format) {
      const f = strftimeFormat(format);
      const zoned = tokens(format).some(([k]) => k === 'Z');
      const ts = `TRY_STRPTIME(${t}, ${standardString(f)})`;
      const day = zoned ? `CAST(timezone(${standardString(timezone)}, CAST(${ts} AS TIMESTAMPTZ)) AS DATE)` : `CAST(${ts} AS DATE)`;
      // strptime takes fewer digits than a field's width (`2026013` as YYYYMMDD): the shape is the engine's.
      return `CASE WHEN ${this.matches(t, formatShape(format))} THEN ${day} END`;
    }
    // DuckDB reads an offset only after seconds and as ±HH:MM: the minute and the offset are
    // rewritten that way (seconds never move an instant across a midnight, zones shift by minutes).
    const offset = (group: number) => `REGEXP_EXTRACT(${t}, '([+-][0-9]{2}):?([0-9]{2})?$', ${group})`;
    const instant = `SUBSTR(${t}, 1, 10) || ' ' || SUBSTR(${t}, 12, 5) || ':00' || CASE WHEN ${t} LIKE '%Z' THEN '+00:00' ELSE ${offset(1)} || ':' || COALESCE(NULLIF(${offset(2)}, ''), '00') END`;
    return isoCases(this, t, (x) => `TRY_CAST(${x} AS DATE)`, `CAST(timezone(${standardString(timezone)}, TRY_CAST(${instant} AS TIMESTAMPTZ)) AS DATE)`, native);
  },
  periodStart: (day, grain) => (grain === 'day' ? day : `CAST(DATE_TRUNC('${truncUnit[grain]}', ${day}) AS DATE)`),
  periodSeries: (bounds, grain) =>
    `SELECT CAST(UNNEST(GENERATE_SERIES(CAST(DATE_TRUNC('${truncUnit[grain]}', b.lo) AS TIMESTAMP), CAST(b.hi AS TIMESTAMP), INTERVAL '${stepInterval[grain]}')) AS DATE) AS p FROM ${bounds} AS b WHERE b.lo <= b.hi`,
  periodKey(start, grain) {
    const f = { day: '%Y-%m-%d', week: '%G-W%V', month: '%Y-%m', quarter: '', year: '%Y' }[grain];
    if (grain === 'quarter') return `STRFTIME(${start}, '%Y') || '-Q' || CAST(QUARTER(${start}) AS VARCHAR)`;
    return `STRFTIME(${start}, '${f}')`;
  },
  same: (a, b) => `${a} IS NOT DISTINCT FROM ${b}`,
  ordered: (text) => text,
  round: (x, digits) => `CAST(ROUND(CAST(${x} AS DECIMAL(38, 12)), ${digits}) AS DOUBLE)`,
  materialized: ' MATERIALIZED',
  matches: (text, pattern) => `REGEXP_FULL_MATCH(${text}, ${standardString(pattern)})`,
  union: 'UNION',
  daysBetween: (a, b) => `CAST(${b} - ${a} AS DOUBLE)`,
  firstValue: (x, order, last) => `(ARRAY_AGG(${x} ORDER BY ${orderBy(order, last)}) FILTER (WHERE ${x} IS NOT NULL))[1]`,
  bigint: 'BIGINT',
};

/** PostgreSQL: a backslash in a literal is written in an E'' string, whatever standard_conforming_strings says. */
function postgresString(value: string): string {
  if (!value.includes('\\')) return standardString(value);
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function pgFormat(format: string): { fmt: string; zoned: boolean } {
  let fmt = '';
  let zoned = false;
  for (const [token, literal] of tokens(format)) {
    if (literal !== undefined) { fmt += `"${literal.replace(/["\\]/g, (c) => `\\${c}`)}"`; continue; }
    if (token === 'Z') zoned = true;
    fmt += { YYYY: 'YYYY', MM: 'MM', M: 'FMMM', DD: 'DD', D: 'FMDD', HH: 'HH24', H: 'FMHH24', mm: 'MI', ss: 'SS', S: 'MS', Z: 'TZH:TZM' }[token]!;
  }
  return { fmt, zoned };
}

const postgres: Dialect = {
  name: 'postgres',
  trim: (text, chars) => `BTRIM(${text}, ${chars})`,
  blanks: chrList,
  title: 'PostgreSQL',
  ident: doubleQuote,
  table: (name) => splitTable(name).map(doubleQuote).join('.'),
  string: postgresString,
  number: floatLiteral,
  date: (day) => `DATE '${DAY_TEXT(day)}'`,
  double: 'DOUBLE PRECISION',
  text: 'TEXT',
  toNumber(text, nf) {
    return numberCases(this, text, nf, (t) => `CAST(${t} AS DOUBLE PRECISION)`);
  },
  localDay(text, timezone, format, native) {
    const t = text;
    const tz = postgresString(timezone);
    if (format) {
      const { fmt, zoned } = pgFormat(format);
      const ts = `TO_TIMESTAMP(${t}, ${postgresString(fmt)})`;
      return zoned ? `CAST(${ts} AT TIME ZONE ${tz} AS DATE)` : `CAST(CAST(${ts} AS TIMESTAMP) AS DATE)`;
    }
    return isoCases(this, t, (x) => `CAST(${x} AS DATE)`, `CAST(CAST(${t} AS TIMESTAMPTZ) AT TIME ZONE ${tz} AS DATE)`, native);
  },
  periodStart: (day, grain) => (grain === 'day' ? day : `CAST(DATE_TRUNC('${truncUnit[grain]}', CAST(${day} AS TIMESTAMP)) AS DATE)`),
  periodSeries: (bounds, grain) =>
    `SELECT CAST(GENERATE_SERIES(DATE_TRUNC('${truncUnit[grain]}', CAST(b.lo AS TIMESTAMP)), CAST(b.hi AS TIMESTAMP), INTERVAL '${stepInterval[grain]}') AS DATE) AS p FROM ${bounds} AS b WHERE b.lo <= b.hi`,
  periodKey(start, grain) {
    const f = { day: 'YYYY-MM-DD', week: 'IYYY-"W"IW', month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY' }[grain];
    return `TO_CHAR(CAST(${start} AS TIMESTAMP), '${f}')`;
  },
  same: (a, b) => `${a} IS NOT DISTINCT FROM ${b}`,
  ordered: (text) => `${text} COLLATE "C"`,
  round: (x, digits) => `CAST(ROUND(CAST(${x} AS NUMERIC), ${digits}) AS DOUBLE PRECISION)`,
  materialized: ' MATERIALIZED',
  matches: (text, pattern) => `${text} ~ ${postgresString(pattern)}`,
  union: 'UNION',
  daysBetween: (a, b) => `CAST(${b} - ${a} AS DOUBLE PRECISION)`,
  firstValue: (x, order, last) => `(ARRAY_AGG(${x} ORDER BY ${orderBy(order, last)}) FILTER (WHERE ${x} IS NOT NULL))[1]`,
  bigint: 'BIGINT',
};

/** BigQuery literals: backslash escapes (a doubled quote is not an escape there). */
function bigqueryString(value: string): string {
  return `'${value.replace(/[\\'\n\r\t]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!)}'`;
}

function backtick(name: string): string {
  return `\`${name.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
}

const bqPart: Record<Exclude<Grain, 'all'>, string> = { day: 'DAY', week: 'ISOWEEK', month: 'MONTH', quarter: 'QUARTER', year: 'YEAR' };
const bqStep: Record<Exclude<Grain, 'all'>, string> = { day: 'INTERVAL 1 DAY', week: 'INTERVAL 7 DAY', month: 'INTERVAL 1 MONTH', quarter: 'INTERVAL 3 MONTH', year: 'INTERVAL 1 YEAR' };

const bigquery: Dialect = {
  name: 'bigquery',
  trim: (text, chars) => `TRIM(${text}, ${chars})`,
  blanks: `CODE_POINTS_TO_STRING([${BLANKS.join(', ')}])`,
  title: 'BigQuery',
  ident: backtick,
  table: (name) => splitTable(name).map(backtick).join('.'),
  string: bigqueryString,
  number: floatLiteral,
  date: (day) => `DATE '${DAY_TEXT(day)}'`,
  double: 'FLOAT64',
  text: 'STRING',
  toNumber(text, nf) {
    return numberCases(this, text, nf, (t) => `SAFE_CAST(${t} AS FLOAT64)`);
  },
  localDay(text, timezone, format, native) {
    const t = text;
    const tz = bigqueryString(timezone);
    if (format) {
      const f = strftimeFormat(format).replace(/%-/g, '%').replace(/%g/g, '%E*S');
      const zoned = tokens(format).some(([k]) => k === 'Z');
      return zoned ? `DATE(SAFE.PARSE_TIMESTAMP(${bigqueryString(f)}, ${t}), ${tz})` : `DATE(SAFE.PARSE_DATETIME(${bigqueryString(f)}, ${t}))`;
    }
    return isoCases(this, t, (x) => `SAFE_CAST(${x} AS DATE)`, `DATE(SAFE_CAST(${t} AS TIMESTAMP), ${tz})`, native);
  },
  periodStart: (day, grain) => (grain === 'day' ? day : `DATE_TRUNC(${day}, ${bqPart[grain]})`),
  periodSeries: (bounds, grain) =>
    `SELECT p FROM ${bounds} AS b, UNNEST(GENERATE_DATE_ARRAY(DATE_TRUNC(b.lo, ${bqPart[grain]}), b.hi, ${bqStep[grain]})) AS p WHERE b.lo <= b.hi`,
  periodKey(start, grain) {
    const f = { day: '%Y-%m-%d', week: '%G-W%V', month: '%Y-%m', quarter: '%Y-Q%Q', year: '%Y' }[grain];
    return `FORMAT_DATE('${f}', ${start})`;
  },
  same: (a, b) => `(${a} = ${b} OR (${a} IS NULL AND ${b} IS NULL))`,
  ordered: (text) => text,
  round: (x, digits) => `CAST(ROUND(CAST(${x} AS BIGNUMERIC), ${digits}) AS FLOAT64)`,
  materialized: '',
  matches: (text, pattern) => `REGEXP_CONTAINS(${text}, ${bigqueryString(pattern)})`,
  union: 'UNION DISTINCT',
  daysBetween: (a, b) => `CAST(DATE_DIFF(${b}, ${a}, DAY) AS FLOAT64)`,
  firstValue: (x, order, last) => `${last ? 'MAX_BY' : 'MIN_BY'}(${x}, CASE WHEN ${x} IS NOT NULL THEN ${orderKey(order, (day) => `UNIX_DATE(${day})`)} END)`,
  bigint: 'INT64',
};

/** Snowflake reads backslash escapes in literals, so backslashes are doubled too. */
function snowflakeString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

function sfFormat(format: string): { fmt: string; zoned: boolean } {
  let fmt = '';
  let zoned = false;
  for (const [token, literal] of tokens(format)) {
    if (literal !== undefined) { fmt += `"${literal.replace(/"/g, '')}"`; continue; }
    if (token === 'Z') zoned = true;
    fmt += { YYYY: 'YYYY', MM: 'MM', M: 'MM', DD: 'DD', D: 'DD', HH: 'HH24', H: 'HH24', mm: 'MI', ss: 'SS', S: 'FF', Z: 'TZH:TZM' }[token]!;
  }
  return { fmt, zoned };
}

const sfPart: Record<Exclude<Grain, 'all'>, string> = { day: 'DAY', week: 'WEEK', month: 'MONTH', quarter: 'QUARTER', year: 'YEAR' };

const snowflake: Dialect = {
  name: 'snowflake',
  trim: (text, chars) => `TRIM(${text}, ${chars})`,
  blanks: chrList,
  title: 'Snowflake',
  ident: doubleQuote,
  table: (name) => splitTable(name).map(doubleQuote).join('.'),
  string: snowflakeString,
  number: floatLiteral,
  date: (day) => `DATE '${DAY_TEXT(day)}'`,
  double: 'DOUBLE',
  text: 'VARCHAR',
  toNumber(text, nf) {
    return numberCases(this, text, nf, (t) => `TRY_CAST(${t} AS DOUBLE)`);
  },
  localDay(text, timezone, format, native) {
    const t = text;
    const tz = snowflakeString(timezone);
    if (format) {
      const { fmt, zoned } = sfFormat(format);
      return zoned
        ? `CAST(CONVERT_TIMEZONE(${tz}, TRY_TO_TIMESTAMP_TZ(${t}, ${snowflakeString(fmt)})) AS DATE)`
        : `CAST(TRY_TO_TIMESTAMP_NTZ(${t}, ${snowflakeString(fmt)}) AS DATE)`;
    }
    return isoCases(this, t, (x) => `TRY_TO_DATE(${x})`, `CAST(CONVERT_TIMEZONE(${tz}, TRY_TO_TIMESTAMP_TZ(${t})) AS DATE)`, native);
  },
  periodStart: (day, grain) => (grain === 'day' ? day : `CAST(DATE_TRUNC('${sfPart[grain]}', ${day}) AS DATE)`),
  periodSeries: (bounds, grain) => {
    const unit = sfPart[grain];
    const first = `CAST(DATE_TRUNC('${unit}', b.lo) AS DATE)`;
    return `SELECT DATEADD(${unit}, f.index, ${first}) AS p FROM ${bounds} AS b, LATERAL FLATTEN(input => ARRAY_GENERATE_RANGE(0, DATEDIFF(${unit}, ${first}, b.hi) + 1)) AS f WHERE b.lo <= b.hi`;
  },
  periodKey(start, grain) {
    if (grain === 'week') return `YEAROFWEEKISO(${start}) || '-W' || LPAD(WEEKISO(${start}), 2, '0')`;
    if (grain === 'quarter') return `TO_VARCHAR(${start}, 'YYYY') || '-Q' || QUARTER(${start})`;
    const f = { day: 'YYYY-MM-DD', month: 'YYYY-MM', year: 'YYYY' }[grain];
    return `TO_VARCHAR(${start}, '${f}')`;
  },
  same: (a, b) => `(${a} = ${b} OR (${a} IS NULL AND ${b} IS NULL))`,
  ordered: (text) => text,
  round: (x, digits) => `CAST(ROUND(CAST(${x} AS NUMBER(38, 12)), ${digits}) AS DOUBLE)`,
  materialized: '',
  matches: (text, pattern) => `REGEXP_LIKE(${text}, ${snowflakeString(pattern)})`,
  union: 'UNION',
  daysBetween: (a, b) => `CAST(DATEDIFF(day, ${a}, ${b}) AS DOUBLE)`,
  firstValue: (x, order, last) => `${last ? 'MAX_BY' : 'MIN_BY'}(${x}, CASE WHEN ${x} IS NOT NULL THEN ${orderKey(order, (day) => `DATEDIFF(day, DATE '1970-01-01', ${day})`)} END)`,
  bigint: 'BIGINT',
};

export const DIALECT: Record<DialectName, Dialect> = { duckdb, postgres, bigquery, snowflake };
