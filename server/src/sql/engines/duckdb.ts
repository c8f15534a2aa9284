import type * as DuckDb from '@duckdb/node-api';
import type { SqlRow } from '../read';
import { requireClient } from './load';

export interface DuckDbOptions {
  /** A DuckDB database file holding the tables (default: in memory, reading the spec's files). */
  database?: string;
}

/** Runs a compiled query on an embedded DuckDB and returns its rows. */
export async function runDuckDb(sql: string, options: DuckDbOptions = {}): Promise<SqlRow[]> {
  const api = requireClient<typeof DuckDb>('@duckdb/node-api', 'duckdb');
  const instance = await api.DuckDBInstance.create(options.database ?? ':memory:', options.database ? { access_mode: 'READ_ONLY' } : {});
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS() as unknown as SqlRow[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
