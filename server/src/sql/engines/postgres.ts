import type * as Pg from 'pg';
import type { SqlRow } from '../read';
import { requireClient } from './load';

/** Runs a compiled query on PostgreSQL (read only, in one transaction) and returns its rows. */
export async function runPostgres(sql: string, url: string | undefined): Promise<SqlRow[]> {
  const pg = requireClient<typeof Pg>('pg', 'postgres');
  const client = new pg.Client(url ? { connectionString: url } : {});
  await client.connect();
  try {
    await client.query('BEGIN READ ONLY');
    // The query is many small expressions over aggregates: JIT compiling them (seconds) costs far
    // more than it saves. Scans of big tables are not what JIT speeds up much either.
    await client.query('SET LOCAL jit = off');
    const r = await client.query(sql);
    await client.query('COMMIT');
    return r.rows as SqlRow[];
  } finally {
    await client.end();
  }
}
