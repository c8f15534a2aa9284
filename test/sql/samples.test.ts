import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import type { EvalResult } from '../../server/src/engine/results';
import { evaluateSpec } from '../../server/src/engine/run';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import type { Grain } from '../../server/src/language/model';
import { Workspace } from '../../server/src/language/workspace';
import { evaluateWithSql } from '../../server/src/sql/evaluate';
import { assertSameResults } from './compare';
import { postgres } from './postgres';
import { loadSampleTables } from './sampleTables';

const REPO = path.resolve(__dirname, '../..');
const SPEC = path.join(REPO, 'samples/webshop.kpi.yaml');

describe('SQL engines: every sample KPI gives the same numbers in process, on DuckDB and on PostgreSQL', function () {
  this.timeout(120_000);
  const ws = new Workspace(new NodeHost(), REPO);
  const checked = checkFiles(ws, [SPEC]).flatMap((r) => r.problems);
  let pg: { url: string; tables: Record<string, string> };

  before(async () => {
    const server = await postgres();
    pg = { url: server.url, tables: await loadSampleTables(server.url) };
  });

  for (const grain of ['month', 'week'] as Grain[]) {
    let expected: EvalResult;
    before(() => {
      expected = evaluateSpec(ws, SPEC, { grain }, new TableCache(), checked);
      assert.equal(expected.kpis.length, 48);
    });

    it(`${grain}: DuckDB running the compiled SQL over the CSV files equals the in-process engine (every KPI, total and each breakdown)`, async () => {
      const { result, compiled } = await evaluateWithSql(ws, SPEC, { engine: 'duckdb', grain, checked });
      assert.deepEqual(compiled.problems, []);
      const n = assertSameResults(result, expected, `duckdb ${grain}`);
      assert.ok(n > (grain === 'week' ? 30_000 : 8_000), `${n} values compared`);
    });

    it(`${grain}: PostgreSQL running the compiled SQL over typed tables equals the in-process engine (every KPI, total and each breakdown)`, async () => {
      const { result, compiled } = await evaluateWithSql(ws, SPEC, { engine: 'postgres', grain, checked, url: pg.url, tables: pg.tables });
      assert.deepEqual(compiled.problems, []);
      const n = assertSameResults(result, expected, `postgres ${grain}`);
      assert.ok(n > (grain === 'week' ? 30_000 : 8_000), `${n} values compared`);
    });
  }
});
