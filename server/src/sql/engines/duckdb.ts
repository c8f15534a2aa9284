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

/**
 * One embedded DuckDB kept open for the queries of one evaluation, so that they share the tables
 * made for them: a grouped scan of a data file is made a temporary table once, and each query
 * reads it (the range, then the same days of the previous period).
 */
export class DuckDbSession {
  private connection?: DuckDb.DuckDBConnection;
  private instance?: DuckDb.DuckDBInstance;
  /** Each temporary table made, with the query it was made by. */
  private readonly tables = new Map<string, string>();

  constructor(private readonly options: DuckDbOptions = {}) {}

  /** Runs a query over the given tables, making those not made yet (or made by another query). */
  async run(sql: string, tables: { name: string; sql: string }[] = []): Promise<SqlRow[]> {
    const connection = await this.connect();
    for (const t of tables) {
      if (this.tables.get(t.name) === t.sql) continue;
      this.tables.delete(t.name);
      await connection.run(`CREATE OR REPLACE TEMP TABLE ${t.name} AS\n${t.sql}`);
      this.tables.set(t.name, t.sql);
    }
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS() as unknown as SqlRow[];
  }

  close(): void {
    this.connection?.closeSync();
    this.instance?.closeSync();
    this.connection = this.instance = undefined;
  }

  private async connect(): Promise<DuckDb.DuckDBConnection> {
    if (this.connection) return this.connection;
    const api = requireClient<typeof DuckDb>('@duckdb/node-api', 'duckdb');
    const o = this.options;
    this.instance = await api.DuckDBInstance.create(o.database ?? ':memory:', o.database ? { access_mode: 'READ_ONLY' } : {});
    this.connection = await this.instance.connect();
    return this.connection;
  }
}
