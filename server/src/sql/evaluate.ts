import { readTableFile } from '../data/readTable';
import type { Encoding } from '../data/encoding';
import { clip } from '../data/tally';
import { Utf8Copies } from './engines/utf8Copies';
import type { EvalResult } from '../engine/results';
import { resultsFromValues, type EvalOptions } from '../engine/run';
import { applyLikeForLike, kpisToCompare, likeForLikeRange } from '../engine/likeForLike';
import { dayText } from '../engine/periods';
import { todayIn } from '../engine/today';
import type { Problem } from '../language/problem';
import type { Workspace } from '../language/workspace';
import { compileSpec, type Compiled } from './compile';
import { DuckDbSession, runDuckDb } from './engines/duckdb';
import { runPostgres } from './engines/postgres';
import { hasDigitSeparator } from './engines/digitSeparators';
import { TYPED_READ_FAILED, TYPED_SCAN_REFUSED } from './groupedScan';
import { valuesFromRows, type ReadExamples, type SqlRow } from './read';
import type { Bindings } from './sources';
import type { LinesOf } from './relations/results';

export type SqlEngine = 'duckdb' | 'postgres';
export const SQL_ENGINES: readonly SqlEngine[] = ['duckdb', 'postgres'];

export interface SqlEvalOptions extends EvalOptions {
  engine: SqlEngine;
  /** Source id → table (a profile's `tables`). */
  tables?: Record<string, string>;
  /** PostgreSQL: the connection URL (else libpq's PG* environment variables). */
  url?: string;
  /** DuckDB: a database file holding the tables (default: in memory). */
  database?: string;
  /** The checker's problems for the file, when the caller has them. */
  checked?: Problem[];
}

/**
 * Evaluates a spec on a SQL engine: compiles it, runs the query, and builds the results with
 * the engine's own code, so targets, status, latest and goals are computed exactly as in process.
 */
export async function evaluateWithSql(ws: Workspace, file: string, options: SqlEvalOptions): Promise<{ result: EvalResult; compiled: Compiled }> {
  if (!ws.load(file).parsed) {
    // A spec that cannot be read (not UTF-8, too large) is one problem, as in process.
    const result = resultsFromValues(ws, file, options, { sources: new Map(), kpi: () => undefined }, options.checked);
    return { result, compiled: { sql: '', dialect: options.engine, grain: 'month', problems: [], sources: new Map() } };
  }
  const copies = new Utf8Copies();
  const duckdb = options.engine === 'duckdb' ? new DuckDbSession({ database: options.database }) : undefined;
  try {
    return await evaluateCompiled(ws, file, options, copies, duckdb);
  } finally {
    duckdb?.close();
    copies.dispose();
  }
}

async function evaluateCompiled(ws: Workspace, file: string, given: SqlEvalOptions, copies: Utf8Copies, duckdb?: DuckDbSession): Promise<{ result: EvalResult; compiled: Compiled }> {
  // Today is fixed once, so that the query and the results agree on it.
  const today = todayIn(ws.load(file).parsed?.spec.defaults.timezone ?? 'UTC', given.today);
  const options: SqlEvalOptions = { ...given, today: today === undefined ? given.today : dayText(today) };
  const utf8Copy = options.engine === 'duckdb' ? (f: string, e: Encoding) => copies.copy(f, e) : undefined;
  const bindings: Bindings = { utf8Copy };
  // DuckDB reading the spec's files: the measures of a file with no digit separator are read as numbers by its CSV reader.
  if (options.engine === 'duckdb' && !options.database) {
    const separated = new Map<string, boolean>();
    bindings.typedScans = (f) => {
      if (!separated.has(f)) separated.set(f, hasDigitSeparator(f));
      return !separated.get(f);
    };
  }
  const { compiled, rows } = await runCompiled(ws, file, options, bindings, duckdb);
  // A repeated key and unreadable values are named by their lines, as in process: the CSV file is read again for them (only then).
  const lines = new Map<string, Int32Array | undefined>();
  const linesOf: LinesOf = (csv) => {
    if (options.engine !== 'duckdb') return undefined;
    if (!lines.has(csv.path)) lines.set(csv.path, readTableFile(csv.path, { format: 'csv', delimiter: csv.delimiter, encoding: csv.encoding, timezone: 'UTC', wanted: [] }).table?.lines);
    return lines.get(csv.path);
  };
  const examples = options.engine === 'duckdb' ? await readExamples(compiled, rows, linesOf, options.database) : undefined;
  const result = resultsFromValues(ws, file, options, valuesFromRows(compiled, rows, linesOf, examples), options.checked);
  result.problems.push(...compiled.problems);
  // A partial latest period is compared with the same days of the previous one: one more query over those days.
  const range = likeForLikeRange(result);
  const ids = range && kpisToCompare(result);
  if (range && ids?.length) {
    const sameDays: SqlEvalOptions = { ...options, from: range.from, to: range.to, last: undefined, kpis: ids };
    const previous = await runCompiled(ws, file, sameDays, bindings, duckdb);
    applyLikeForLike(result, ws.scope(file), resultsFromValues(ws, file, sameDays, valuesFromRows(previous.compiled, previous.rows, linesOf), options.checked), range);
  }
  return { result, compiled };
}

/**
 * Compiles and runs the query, compiling again the way DuckDB needs when a first read fails. On
 * DuckDB (reading files) the grouped scans become tables of the session, kept for its next query.
 */
async function runCompiled(ws: Workspace, file: string, options: SqlEvalOptions, bindings: Bindings, duckdb?: DuckDbSession): Promise<{ compiled: Compiled; rows: SqlRow[] }> {
  let compiled = compileSpec(ws, file, { ...options, dialect: options.engine, ...bindings });
  let rows: SqlRow[] | undefined;
  while (!rows) {
    try {
      if (duckdb) rows = compiled.scans && !options.database ? await duckdb.run(compiled.scans.sql, compiled.scans.tables) : await duckdb.run(compiled.sql);
      else rows = options.engine === 'duckdb' ? await runDuckDb(compiled.sql, { database: options.database }) : await runPostgres(compiled.sql, options.url);
    } catch (e) {
      const message = (e as Error).message;
      if (options.engine !== 'duckdb') throw e;
      // A quoted line break in a CSV file: DuckDB reads it on one thread only.
      if (/quoted new ?lines/i.test(message) && !bindings.serialCsv) bindings.serialCsv = true;
      // A measure value DuckDB's CSV reader refuses as a number (an empty cell, blanks, `3.5%`): the files are read as text.
      else if (TYPED_SCAN_REFUSED.test(message) && bindings.typedScans) bindings.typedScans = undefined;
      // A measure the grouped scan could not read as the engine does: the files are read value by value.
      else if (message.includes(TYPED_READ_FAILED) && !bindings.textReads) bindings.textReads = true;
      else throw e;
      compiled = compileSpec(ws, file, { ...options, dialect: options.engine, ...bindings });
    }
  }
  return { compiled, rows };
}

/**
 * The first values of each column that did not read on DuckDB, with their lines: one more query
 * per CSV source with such values (none when every value reads), its rows' places mapped to lines.
 */
async function readExamples(compiled: Compiled, rows: SqlRow[], linesOf: LinesOf, database?: string): Promise<ReadExamples> {
  const out: ReadExamples = new Map();
  const failing = new Set(rows.filter((r) => r.kind === 'unreadable' && r.kpi && Number(r.value ?? 0) > 0).map((r) => r.kpi!));
  for (const id of failing) {
    const reads = compiled.sources.get(id)?.reads;
    if (!reads?.examples || !reads.csv) continue;
    const found = await runDuckDb(reads.examples, { database }) as unknown as { i: number; n: number | bigint; v: string | null }[];
    const lines = linesOf(reads.csv);
    const byCheck = new Map<number, { line: number; value: string }[]>();
    for (const r of found.sort((a, b) => Number(a.i) - Number(b.i) || Number(a.n) - Number(b.n))) {
      const line = lines?.[Number(r.n) - 1];
      if (line === undefined) continue;
      const list = byCheck.get(Number(r.i)) ?? [];
      list.push({ line, value: clip(r.v ?? '') });
      byCheck.set(Number(r.i), list);
    }
    out.set(id, byCheck);
  }
  return out;
}
