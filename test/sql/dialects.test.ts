import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser } from 'node-sql-parser';
import { NodeHost } from '../../server/src/data/nodeHost';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import type { Grain } from '../../server/src/language/model';
import { Workspace } from '../../server/src/language/workspace';
import { compileSpec } from '../../server/src/sql/compile';

/**
 * BigQuery and Snowflake are not run here: their SQL is kept as reviewed baseline files
 * (test/baselines/sql-samples.*.sql; KPISPEC_ACCEPT=1 rewrites them, then read the diff) and
 * parsed by node-sql-parser, which knows both dialects, at every grain and with a range.
 */

const REPO = path.resolve(__dirname, '../..');
const SPEC = path.join(REPO, 'samples/webshop.kpi.yaml');
const BASELINES = path.join(REPO, 'test/baselines');
const TABLES = { web: 'shop.web_sessions', order_log: 'shop.orders', ads: 'shop.ad_spend', social: 'shop.social', email: 'shop.email', lead_log: 'shop.leads', hits: 'shop.hits', crm_leads: 'shop.crm_leads', deals: 'shop.deals' };

describe('SQL dialects: BigQuery and Snowflake output (reviewed baselines, parsed)', () => {
  const ws = new Workspace(new NodeHost(), REPO);
  const checked = checkFiles(ws, [SPEC]).flatMap((r) => r.problems);
  const compile = (dialect: 'bigquery' | 'snowflake', options: { grain?: Grain; from?: string; to?: string; last?: number; by?: string } = {}) =>
    compileSpec(ws, SPEC, { dialect, checked, tables: TABLES, title: 'samples/webshop.kpi.yaml', ...options });

  for (const dialect of ['bigquery', 'snowflake'] as const) {
    it(`${dialect}: the samples' SQL equals its reviewed baseline (test/baselines/sql-samples.${dialect}.sql)`, () => {
      const { sql, problems } = compile(dialect);
      assert.deepEqual(problems, []);
      const file = path.join(BASELINES, `sql-samples.${dialect}.sql`);
      if (process.env.KPISPEC_ACCEPT) fs.writeFileSync(file, sql);
      assert.equal(sql, fs.readFileSync(file, 'utf8'), `differs from ${path.relative(REPO, file)} (KPISPEC_ACCEPT=1 rewrites it; read the diff)`);
    });

    it(`${dialect}: node-sql-parser parses the SQL at every grain, with --from/--to, --last and --by`, () => {
      const parser = new Parser();
      const runs: Parameters<typeof compile>[1][] = [
        ...(['day', 'week', 'month', 'quarter', 'year', 'all'] as Grain[]).map((grain) => ({ grain })),
        { grain: 'month', from: '2025-06', to: '2026-Q1' }, { grain: 'week', last: 8 }, { grain: 'month', by: 'channel' },
      ];
      for (const options of runs) {
        const { sql } = compile(dialect, options);
        const ast = parser.astify(sql, { database: dialect });
        const statements = Array.isArray(ast) ? ast : [ast];
        assert.equal(statements.length, 1, `${dialect} ${JSON.stringify(options)}: one statement`);
        const select = statements[0] as { type: string; with?: unknown[] };
        assert.equal(select.type, 'select');
        // Every CTE the text declares is in the parse tree: nothing was skipped.
        const declared = sql.match(/^[a-z_0-9]+ AS \(/gm)?.length ?? 0;
        assert.equal(select.with?.length, declared, `${dialect} ${JSON.stringify(options)}: ${declared} CTEs`);
      }
    });
  }

  it('the file sources of the samples are assumed to be tables named like the sources, with a warning, when no table is given', () => {
    const { sql, sources } = compileSpec(ws, SPEC, { dialect: 'snowflake', checked, kpis: ['aov'] });
    assert.match(sql, /FROM "order_log" AS raw/);
    assert.match(sources.get('order_log')!.problems[0]!.message, /source `order_log` reads `data\/orders\.csv`, but Snowflake reads tables: the SQL assumes a table `order_log`/);
  });
});
