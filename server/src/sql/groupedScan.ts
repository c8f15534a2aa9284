import type { Dialect } from './dialect';
import { indentSql } from './sqlText';

/**
 * The grouped scan of a CSV file on DuckDB. The file is read once; its rows are grouped by the
 * written text of the columns the spec reads as values (the time column, dimensions, columns in
 * filters, counted distinct), and the measures (number columns that are only summed, averaged,
 * counted or bounded) are cast per row with DuckDB's own double cast and summed per group. The
 * in-process reading of written text (trimming, dates, booleans, currency, `%`) then runs once
 * per group instead of once per row, and only the groups are held in memory: a month of daily
 * rows by channel is a few hundred groups whatever the file's size.
 *
 * DuckDB's cast is the engine's grammar for plain numbers but for infinities, NaN and digit
 * separators (`1_000`). A measure value the cast does not take (`1,234`, `3.5%`, `€12`, `n/a`), or
 * takes where the engine would not, makes the query fail with TYPED_READ_FAILED; the engine then
 * reads the file as text, value by value (sources.ts): numbers never differ silently.
 *
 * When the run allows it (evaluate.ts), the measures are read as numbers by DuckDB's CSV reader
 * itself, not cast from text: a third less work on a large file. That reader takes what the
 * cast takes, but for empty or blank cells, which it refuses (the query fails and runs again
 * reading text: TYPED_SCAN_REFUSED), and for digit separators, which it takes silently: a file
 * with a digit, `_` and a digit anywhere is never read this way.
 */
export const TYPED_READ_FAILED = 'kpispec: a measure holds values the typed reading does not take';

/** A number column summed per group: the aliases of its partial aggregates in the source's CTEs. */
export interface Measure {
  /** The header name. */
  column: string;
  sum: string;
  count: string;
  min: string;
  max: string;
  /** The partial aggregates the metrics read (the sum is always taken: it tells an infinity or NaN). */
  used: Set<'count' | 'min' | 'max'>;
}

export class Measures {
  private readonly byColumn = new Map<string, Measure>();

  get list(): Measure[] {
    return [...this.byColumn.values()];
  }

  of(column: string): Measure {
    let m = this.byColumn.get(column);
    if (!m) {
      const i = this.byColumn.size;
      m = { column, sum: `__s${i}`, count: `__c${i}`, min: `__lo${i}`, max: `__hi${i}`, used: new Set() };
      this.byColumn.set(column, m);
    }
    return m;
  }
}

/** A measure's partial aggregates that are taken: [alias, aggregate function]. */
function parts(m: Measure): [string, string][] {
  return [[m.sum, 'SUM'], ...(['count', 'min', 'max'] as const).filter((p) => m.used.has(p)).map((p): [string, string] => [m[p], p.toUpperCase()])];
}

/** The aliases a grouped source's CTEs carry beside its typed columns: the row count and the measures' partial aggregates. */
export function carried(measures: Measure[]): string[] {
  return ['__w', ...measures.flatMap((m) => parts(m).map(([alias]) => alias))];
}

/** How DuckDB says its CSV reader refused a value of a column read as a number. */
export const TYPED_SCAN_REFUSED = /Conversion Error: CSV Error/;

/**
 * The scan CTE's body: `keys` (scan identifiers) grouped, measures read by `ident` (their scan
 * identifiers), `notBlank` the filter leaving blank lines out. Groups never have no rows.
 * A `typed` measure is read as a number by `from` already; the others are cast from text.
 */
export function scanBody(d: Dialect, from: string, keys: string[], measures: { m: Measure; ident: string; typed?: boolean }[], notBlank: string): string {
  const inner = [
    ...keys.map((k) => `raw.${k}`),
    ...measures.flatMap(({ ident, typed }, i) => (typed ? [`raw.${ident} AS __v${i}`] : [`TRY_CAST(raw.${ident} AS DOUBLE) AS __v${i}`, `raw.${ident} AS __x${i}`])),
  ];
  // Written but not cast, or cast from a digit separator: the engine reads these otherwise.
  // The typed reader refuses the first and is not used where the second may be.
  const untaken = measures.flatMap(({ typed }, i) => (typed ? [] : [`(__x${i} <> '' AND __v${i} IS NULL) OR CONTAINS(__x${i}, '_')`]));
  const outer = [
    ...keys.map((k) => `raw.${k} AS ${k}`),
    'COUNT(*) AS __w',
    ...measures.flatMap(({ m }, i) => parts(m).map(([alias, f]) => `${f}(__v${i}) AS ${alias}`)),
    ...(untaken.length ? [`COUNT(CASE WHEN ${untaken.join(' OR ')} THEN 1 END) AS __untaken`] : measures.length ? ['0 AS __untaken'] : []),
  ];
  const scan = `SELECT\n${indentSql((inner.length ? inner : ['1 AS __one']).join(',\n'), 2, d)}\nFROM ${from} AS raw\nCROSS JOIN blank${notBlank}`;
  return `SELECT\n${indentSql(outer.join(',\n'), 2, d)}\nFROM (\n${indentSql(scan, 2, d)}\n) AS raw${keys.length ? `\nGROUP BY ${keys.map((k) => `raw.${k}`).join(', ')}` : ''}\nHAVING COUNT(*) > 0`;
}

/**
 * The output row that makes the query fail when a measure of the scan `scan` did not read as
 * the engine reads it: a value not cast, a digit separator, or an infinity or NaN (a sum that is
 * not finite; one that overflows is read as text too, where the engine's rule for it holds).
 */
export function guardRow(d: Dialect, scan: string, id: string, measures: Measure[]): string | undefined {
  if (!measures.length) return undefined;
  const bad = ['__untaken > 0', ...measures.map((m) => `NOT ISFINITE(COALESCE(${m.sum}, 0))`)].join(' OR ');
  return `SELECT 'typed', ${d.string(id)}, CAST(NULL AS ${d.text}), CAST(NULL AS ${d.text}), CAST(NULL AS ${d.text}), CAST(CASE WHEN COUNT(*) > 0 THEN error(${d.string(TYPED_READ_FAILED)}) END AS ${d.double}) FROM ${scan} WHERE ${bad}`;
}
