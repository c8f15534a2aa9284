import { readTableFile } from '../data/readTable';
import type { EvalResult } from '../engine/results';
import { resultsFromValues, type EvalOptions } from '../engine/run';
import type { Problem } from '../language/problem';
import type { Workspace } from '../language/workspace';
import { compileSpec, type Compiled } from './compile';
import { runDuckDb } from './engines/duckdb';
import { runPostgres } from './engines/postgres';
import { valuesFromRows } from './read';

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
  const compiled = compileSpec(ws, file, { ...options, dialect: options.engine });
  const rows = options.engine === 'duckdb' ? await runDuckDb(compiled.sql, { database: options.database }) : await runPostgres(compiled.sql, options.url);
  // A repeated key is named by its lines, as in process: the CSV file is read again for them (only then).
  const linesOf = (csv: { path: string; delimiter?: string }) => (options.engine === 'duckdb' ? readTableFile(csv.path, { format: 'csv', delimiter: csv.delimiter, timezone: 'UTC', wanted: [] }).table?.lines : undefined);
  const result = resultsFromValues(ws, file, options, valuesFromRows(compiled, rows, linesOf), options.checked);
  result.problems.push(...compiled.problems);
  return { result, compiled };
}
