import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser } from 'node-sql-parser';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import type { EvalResult } from '../../server/src/engine/results';
import { evaluateSpec, type EvalOptions } from '../../server/src/engine/run';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import type { Grain } from '../../server/src/language/model';
import type { Problem } from '../../server/src/language/problem';
import { Workspace } from '../../server/src/language/workspace';
import { compileSpec } from '../../server/src/sql/compile';
import { evaluateWithSql, SQL_ENGINES, type SqlEngine } from '../../server/src/sql/evaluate';
import { assertSameResults } from './compare';
import { agree, breakdown, series } from './engines';
import { pgExec, pgInsert, postgres } from './postgres';

/**
 * Rollups, lookups and derived columns on DuckDB and PostgreSQL give the in-process engine's
 * results (1e-9, nulls equal) per period and per breakdown, with the same rollup and lookup
 * counts, over test/fixtures/relations: hits → sessions (a composite key) → visitors, leads →
 * deals → reps (chained lookups), orders ↔ customers (the cohort pattern), and a key repeated
 * beyond the checker's sample. DuckDB reads the CSV files; PostgreSQL the same rows loaded
 * into typed tables, in file order.
 */

const FIXTURE = path.resolve(__dirname, '../fixtures/relations');
const SPEC = path.join(FIXTURE, 'relations.kpi.yaml');
const DUPLICATE = path.join(FIXTURE, 'duplicate.kpi.yaml');

/** The fixture's files as PostgreSQL tables (source id → table and typed columns). */
const TABLES: Record<string, { file: string; columns: Record<string, string> }> = {
  hits: { file: 'hits.csv', columns: { visitor_id: 'TEXT', visit_number: 'INTEGER', hit_time: 'TIMESTAMPTZ', channel: 'TEXT', page: 'TEXT', session_revenue: 'NUMERIC(12, 2)' } },
  leads: { file: 'leads.csv', columns: { lead_id: 'TEXT', first_contact: 'DATE', origin: 'TEXT' } },
  deals: { file: 'deals.csv', columns: { lead_id: 'TEXT', won_date: 'DATE', amount: 'NUMERIC(12, 2)', segment: 'TEXT', rep: 'TEXT' } },
  reps: { file: 'reps.csv', columns: { rep_id: 'TEXT', name: 'TEXT', team: 'TEXT' } },
  orders: { file: 'orders.csv', columns: { order_id: 'TEXT', customer_id: 'TEXT', ordered_at: 'TIMESTAMPTZ', channel: 'TEXT', amount: 'NUMERIC(12, 2)', refund: 'NUMERIC(12, 2)' } },
  tiers: { file: 'tiers.csv', columns: { customer_id: 'TEXT', tier: 'TEXT' } },
  dup_orders: { file: 'dup_orders.csv', columns: { day: 'DATE', customer_id: 'TEXT', amount: 'NUMERIC(12, 2)' } },
};

/** Loads the fixture's CSV files into a schema of their own, row by row in file order. */
async function loadTables(url: string): Promise<Record<string, string>> {
  await pgExec(url, ['DROP SCHEMA IF EXISTS rel CASCADE', 'CREATE SCHEMA rel']);
  const out: Record<string, string> = {};
  for (const [id, t] of Object.entries(TABLES)) {
    const cols = Object.entries(t.columns);
    const table = `rel.${id}`;
    await pgExec(url, [`CREATE TABLE ${table} (${cols.map(([c, type]) => `"${c}" ${type}`).join(', ')})`]);
    const [header, ...lines] = fs.readFileSync(path.join(FIXTURE, t.file), 'utf8').trim().split('\n').map((l) => l.split(','));
    const rows = lines.map((cells) => cols.map(([c]) => cells[header!.indexOf(c)] ?? ''));
    await pgInsert(url, table, cols.map(([c]) => c), rows);
    out[id] = table;
  }
  return out;
}

describe('SQL engines: rollups, lookups and derived columns give the in-process results', function () {
  this.timeout(120_000);
  const ws = new Workspace(new NodeHost(), FIXTURE);
  const checked = new Map<string, Problem[]>();
  let pg: { url: string; tables: Record<string, string> };

  const checkedOf = (spec: string): Problem[] => {
    let c = checked.get(spec);
    if (!c) checked.set(spec, (c = checkFiles(ws, [spec]).flatMap((r) => r.problems)));
    return c;
  };
  const tablesFor = (spec: string): Record<string, string> => {
    const t = pg.tables;
    if (spec === DUPLICATE) return { tiers: t['tiers']!, orders: t['dup_orders']!, plain: t['dup_orders']! };
    return { hits: t['hits']!, leads: t['leads']!, deals: t['deals']!, reps: t['reps']!, orders: t['orders']! };
  };
  const inProcess = (spec: string, options: EvalOptions = {}): EvalResult => evaluateSpec(ws, spec, options, new TableCache(), checkedOf(spec));
  const onEngine = async (engine: SqlEngine, spec: string, options: EvalOptions = {}): Promise<EvalResult> => {
    const pgOptions = engine === 'postgres' ? { url: pg.url, tables: tablesFor(spec) } : {};
    const { result, compiled } = await evaluateWithSql(ws, spec, { ...options, engine, checked: checkedOf(spec), ...pgOptions });
    assert.deepEqual(compiled.problems, [], `${engine}: compiled without problems`);
    return result;
  };

  before(async () => {
    const server = await postgres();
    pg = { url: server.url, tables: await loadTables(server.url) };
  });

  it('the fixture is clean for the checker', () => {
    for (const spec of [SPEC, DUPLICATE]) {
      assert.deepEqual(checkedOf(spec).filter((p) => p.severity === 'error').map((p) => `${p.rule}: ${p.message}`), [], path.basename(spec));
    }
  });

  for (const grain of ['month', 'week', 'day', 'quarter', 'all'] as Grain[]) {
    for (const engine of SQL_ENGINES) {
      it(`${grain}: ${engine} equals the in-process engine on every KPI, in total and by every breakdown, with the same rollup and lookup counts`, async () => {
        const expected = inProcess(SPEC, { grain });
        const actual = await onEngine(engine, SPEC, { grain });
        const n = assertSameResults(actual, expected, `${engine} ${grain}`);
        assert.ok(n > (grain === 'all' ? 60 : 130), `${n} values compared`);
        for (const e of expected.sources) {
          const a = actual.sources.find((s) => s.id === e.id)!;
          assert.deepEqual([a.rollup, a.lookups], [e.rollup, e.lookups], `${engine} ${grain}: source ${e.id}`);
          // PostgreSQL reads tables; DuckDB the same files.
          if (engine === 'duckdb' || e.rollup) assert.equal(a.file, e.file, `${engine}: source ${e.id}`);
        }
      });
    }
  }

  it('with --by, --from/--to and --last, a looked-up and a derived dimension', async () => {
    for (const options of [{ by: 'cohort' }, { by: 'deal.owner.team' }, { from: '2026-02', to: '2026-03' }, { grain: 'week', last: 4 }] as EvalOptions[]) {
      const expected = inProcess(SPEC, options);
      for (const engine of SQL_ENGINES) assertSameResults(await onEngine(engine, SPEC, options), expected, `${engine} ${JSON.stringify(options)}`);
    }
  });

  it('the values, worked out by hand', async () => {
    for (const engine of SQL_ENGINES) {
      const r = await onEngine(engine, SPEC);
      const at = (kpi: string, period: string, dimension?: string, group?: string | null) => {
        const k = r.kpis.find((x) => x.id === kpi)!;
        const series = dimension ? k.breakdowns.find((b) => b.dimension === dimension)!.rows.find((x) => x.group === group)?.series : k.series;
        return series?.find((p) => p.period === period)?.value;
      };
      // Sessions by their first hit's local day (Asia/Shanghai): (v1,1) January; (v2,1) starts 2026-01-31T20:00Z,
      // February 1st in Shanghai; (v2,2), (v1,2), (v3,1) February; (v4,1), (v3,2) March; (v5,1) April.
      assert.deepEqual(['2026-01', '2026-02', '2026-03', '2026-04'].map((p) => at('session_count', p)), [1, 4, 2, 1], engine);
      // first(channel): the first non-empty value by day, then file order: (v1,1) email (09:00 seo is the same day, later
      // in the file); (v4,1) ads (03-01, before 03-02; the 23:00 email hit is later in the file); (v1,2) email, from
      // the hit without a time (after every timed hit, but the only channel).
      assert.equal(at('session_count', '2026-01', 'entry', 'email'), 1, engine);
      assert.equal(at('session_count', '2026-03', 'entry', 'ads'), 1, engine);
      assert.equal(at('session_count', '2026-02', 'entry', 'email'), 2, engine);
      // last(channel): (v1,1) ends on seo (its last hit has no channel); (v5,1) on ads, though its ads hit is the earlier one.
      assert.equal(at('k_seo_exits', '2026-01'), 1, engine);
      assert.equal(at('k_seo_exits', '2026-04'), 0, engine);
      // Two hits have an empty key: in no session.
      const sessions = r.sources.find((s) => s.id === 'sessions')!;
      assert.deepEqual(sessions.rollup, { from: 'hits', fromRows: 17, unkeyed: 2 }, engine);
      // Leads by first contact: L1, L2 won in January; `007` does not match `7`; the lead without an id matches nothing.
      assert.deepEqual(['2026-01', '2026-02', '2026-03'].map((p) => at('conversion', p)), [1, 0, 1], engine);
      assert.equal(at('k_days_to_close', '2026-01'), (57 + 5) / 2, engine);
      assert.equal(at('conversion', '2026-01', 'deal.owner.team', 'north'), 1, engine);
      assert.equal(at('conversion', '2026-03', 'deal.owner.team', null), 1, engine);
      assert.deepEqual(r.sources.find((s) => s.id === 'leads')!.lookups, [{ name: 'deal', source: 'deals', matched: 4, unmatched: 3 }], engine);
      // The cohort of an order is its customer's first month: C1's April order is January's cohort; C2's first
      // order is February in Shanghai.
      assert.equal(at('revenue_by_cohort', '2026-04', 'cohort', '2026-01'), 25, engine);
      assert.equal(at('revenue_by_cohort', '2026-03', 'cohort', '2026-02'), 70, engine);
      assert.equal(at('revenue_by_cohort', '2026-03', 'cohort', null), 15, engine);
      assert.equal(at('repeat_rate', '2026-01'), 1, engine);
      // C4's two orders on one day: first(channel) is the earlier line of the file (app), not the earlier time.
      assert.equal(at('customer_count', '2026-03', 'first_channel', 'app'), 1, engine);
      assert.equal(at('buyers_per_cohort', 'all'), 4 / 3, engine);
    }
  });

  it('a key repeated beyond the checker\'s sample: an error naming the value and where, and no value over the looking-up source', async () => {
    const expected = inProcess(DUPLICATE);
    for (const engine of SQL_ENGINES) {
      const r = await onEngine(engine, DUPLICATE);
      assertSameResults(r, expected, engine);
      const orders = r.sources.find((s) => s.id === 'orders')!;
      const where = engine === 'duckdb' ? 'lines 19 and 302 of `tiers.csv`' : 'rows 18 and 301';
      assert.deepEqual(orders.problems.filter((p) => p.severity === 'error').map((p) => p.message), [
        `key \`customer_id\` of source \`tiers\` is not unique: \`C17\` is on ${where}; the KPIs over a source that looks it up (\`orders\`) show no data rather than rows counted twice`,
      ], engine);
      for (const kpi of ['k_gold_orders', 'k_orders', 'k_buyers', 'gold_share', 'mixed']) {
        assert.ok(r.kpis.find((k) => k.id === kpi)!.series.every((p) => p.value === null), `${engine} ${kpi}: no value`);
      }
      assert.deepEqual(r.kpis.find((k) => k.id === 'k_plain_orders')!.series.map((p) => p.value), [3, 2], engine);
      // Customers by their first order: C17 (10 + 40), C2, C3 in January; the order without a customer is in no row.
      assert.deepEqual(r.kpis.find((k) => k.id === 'k_spenders')!.series.map((p) => p.value), [100, null], engine);
      assert.equal(orders.rows, 0, engine);
    }
    const message = expected.sources.find((s) => s.id === 'orders')!.problems.find((p) => p.severity === 'error')!.message;
    assert.match(message, /`C17` is on lines 19 and 302 of `tiers.csv`/);
  });

  it('inline rows: a composite lookup onto a rollup, rollups keyed by a looked-up and a derived column, dimensions that are not text', async () => {
    const visits = [
      { d: '2026-01-02', v: 'a', n: 1, ch: 'x', amt: 120 }, { d: '2026-01-02', v: 'a', n: 1, ch: 'y', amt: 80 },
      { d: '2026-01-01', v: 'a', n: 1, ch: null, amt: 10 }, { d: '2026-02-05', v: 'b', n: 1, ch: 'z', amt: 250 },
      { d: null, v: 'b', n: 1, ch: 'q', amt: 5 }, { d: '2026-02-06', v: 'c', n: 2, ch: 'x', amt: 99 },
    ];
    const spec = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  visits:
    time: d
    rows: ${JSON.stringify(visits)}
    lookups: { sess: { source: sessions, on: [v, n] } }
    derive: { bucket: 'round(amt / 100)', big: 'amt >= 100' }
    dimensions: [bucket, big, sess.first_ch]
  sessions:
    from: visits
    key: [v, n]
    time: start
    aggregate: { start: min(d), first_ch: first(ch), last_ch: last(ch), total: sum(amt) }
  buckets:
    from: visits
    key: bucket
    aggregate: { visits: count(), firsts: count_distinct(sess.first_ch), top: max(amt), first_v: first(v) }
  by_first:
    from: visits
    key: sess.first_ch
    aggregate: { n: count() }
metrics:
  visits: { source: visits, agg: count }
  matched: { source: visits, agg: count, where: 'matched(sess) and sess.total > 100' }
  firsts: { source: buckets, agg: sum, column: firsts }
  tops: { source: buckets, agg: sum, column: top }
  firsts_a: { source: buckets, agg: count, where: 'first_v == "a"' }
  by_first: { source: by_first, agg: sum, column: n }
  lasts: { source: sessions, agg: count, where: 'last_ch == "q"' }
kpis:
  k_visits: { formula: visits, by: [bucket, big, sess.first_ch] }
  k_matched: { formula: matched }
  k_buckets: { formula: firsts + tops + firsts_a }
  k_by_first: { formula: by_first }
  k_lasts: { formula: lasts }
`;
    const { expected } = await agree({ 'a.kpi.yaml': spec });
    // (a,1) starts 01-01 on a row without a channel: first(ch) is x (01-02, first in the rows), last(ch) y;
    // (b,1) ends on the row without a day (after every day): q.
    assert.deepEqual(series(expected, 'k_lasts'), [['2026-01', 0], ['2026-02', 1]]);
    assert.deepEqual(series(expected, 'k_matched'), [['2026-01', 3], ['2026-02', 1]]);
    // round(amt / 100) as text, as the engine writes numbers: 0, 1, 3 (2.5 rounds away from zero).
    assert.deepEqual(breakdown(expected, 'k_visits', 'bucket'), { 0: [1, null], 1: [2, 1], 3: [null, 1] });
    assert.deepEqual(breakdown(expected, 'k_visits', 'big'), { false: [2, 1], true: [1, 1] });
    assert.deepEqual(breakdown(expected, 'k_visits', 'sess.first_ch'), { x: [3, 1], z: [null, 1] });
    // Buckets 0 (x, z), 1 (x), 3 (z): 4 first channels; tops 10 + 120 + 250; buckets 0 and 1 start with a.
    assert.deepEqual(series(expected, 'k_buckets'), [['all', 4 + 380 + 2]]);
    assert.deepEqual(series(expected, 'k_by_first'), [['all', 6]]);
  });

  it('a key repeated within the sample: the target is not evaluated, and the source looking it up shows no data on both engines', async () => {
    const spec = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  tiers: { key: id, rows: [{ id: C1, t: g }, { id: C1, t: s }] }
  orders:
    time: d
    rows: [{ d: '2026-01-01', c: C1 }, { d: '2026-01-02', c: C2 }]
    lookups: { tier: { source: tiers, on: { c: id } } }
metrics:
  orders: { source: orders, agg: count }
kpis:
  k_orders: { formula: orders }
`;
    const { results } = await agree({ 'a.kpi.yaml': spec }, {}, [...SQL_ENGINES], undefined, true);
    for (const engine of SQL_ENGINES) {
      const orders = results[engine].result.sources.find((s) => s.id === 'orders')!;
      assert.equal(orders.rows, 0, engine);
      assert.match(orders.problems[0]!.message, /^`tiers` is not evaluated: key `id` of source `tiers` is not unique: `C1` is on rows 1 and 2/, engine);
    }
  });

  it('BigQuery and Snowflake: the same query, parsed by node-sql-parser', () => {
    const parser = new Parser();
    for (const dialect of ['bigquery', 'snowflake'] as const) {
      for (const spec of [SPEC, DUPLICATE]) {
        const { sql, problems } = compileSpec(ws, spec, { dialect, checked: checkedOf(spec), tables: { hits: 'a.hits', leads: 'a.leads', deals: 'a.deals', reps: 'a.reps', orders: 'a.orders', tiers: 'a.tiers', plain: 'a.orders2' } });
        assert.deepEqual(problems, []);
        const ast = parser.astify(sql, { database: dialect });
        const statements = Array.isArray(ast) ? ast : [ast];
        assert.equal(statements.length, 1, `${dialect} ${path.basename(spec)}: one statement`);
        const declared = sql.match(/^[a-z_0-9]+ AS \(/gm)?.length ?? 0;
        assert.equal((statements[0] as { with?: unknown[] }).with?.length, declared, `${dialect}: every CTE parsed`);
        assert.match(sql, /LEFT JOIN/);
        assert.match(sql, /GROUP BY/);
      }
    }
  });
});
