import * as assert from 'node:assert/strict';
import { DuckDbSession } from '../../server/src/sql/engines/duckdb';
import { compileSpec } from '../../server/src/sql/compile';
import { Workspace } from '../../server/src/language/workspace';
import { NodeHost } from '../../server/src/data/nodeHost';
import { tempWorkspace } from '../helpers/runCli';
import { PARTIAL_CSV, PARTIAL_SPEC, PARTIAL_TODAY } from '../engine/partialFixture';
import * as path from 'node:path';

/**
 * On DuckDB a CSV source's grouped scan is a table of the evaluation's session: the range and
 * the same days of the previous period (two queries) read the file once between them.
 */
describe('SQL engines: a grouped scan read once per evaluation', function () {
  this.timeout(60_000);

  it('compiles each grouped scan as a query of its own and the query over it as over a table', () => {
    const dir = tempWorkspace({ 'a.kpi.yaml': PARTIAL_SPEC, 's.csv': PARTIAL_CSV });
    const ws = new Workspace(new NodeHost(), dir);
    const compiled = compileSpec(ws, path.join(dir, 'a.kpi.yaml'), { dialect: 'duckdb', today: PARTIAL_TODAY });
    const scans = compiled.scans!;
    assert.deepEqual(scans.tables.map((t) => t.name), ['scan_s']);
    assert.match(scans.tables[0]!.sql, /read_csv\(/);
    assert.doesNotMatch(scans.sql, /read_csv\(|scan_s AS (MATERIALIZED )?\(/, 'the query reads the table, not the file');
    assert.match(scans.sql, /FROM scan_s\b/);
    assert.ok(!compileSpec(ws, path.join(dir, 'a.kpi.yaml'), { dialect: 'postgres', today: PARTIAL_TODAY }).scans, 'PostgreSQL queries stay whole');
  });

  it('makes a table once, and again only when the query making it changes', async () => {
    const session = new DuckDbSession();
    try {
      const count = async (made: string) => (await session.run('SELECT COUNT(*)::INTEGER AS n FROM t', [{ name: 't', sql: made }]))[0] as unknown as { n: number };
      assert.equal((await count('SELECT * FROM range(3)')).n, 3);
      // The same query: the table is kept (a row added to it stays).
      await session.run('INSERT INTO t VALUES (99)');
      assert.equal((await count('SELECT * FROM range(3)')).n, 4);
      // Another query: the table is made again from it.
      assert.equal((await count('SELECT * FROM range(5)')).n, 5);
    } finally {
      session.close();
    }
  });
});
