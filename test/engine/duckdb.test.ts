import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import type { EvalResult } from '../../server/src/engine/results';
import { evaluateSpec } from '../../server/src/engine/run';
import { Workspace } from '../../server/src/language/workspace';
import { close } from './samplesData';

const REPO = path.resolve(__dirname, '../..');
const DATA = path.join(REPO, 'samples/data');
const csv = (name: string) => `read_csv('${path.join(DATA, name)}', header = true, all_varchar = false)`;
// Orders carry +08:00 offsets, so the first 7 characters are the Asia/Shanghai month.
const ORDERS = `(SELECT *, substr(CAST(ordered_at AS VARCHAR), 1, 7) AS month FROM read_csv('${path.join(DATA, 'orders.csv')}', header = true, types = {'ordered_at': 'VARCHAR', 'customer_id': 'VARCHAR'}))`;
const month = (col: string) => `strftime(${col}, '%Y-%m')`;

/** Month (and group) → value, as DuckDB computes it with SQL written here. */
const QUERIES: Record<string, { sql: string; dimension?: string }> = {
  bounce_rate: { sql: `SELECT ${month('date')} AS period, NULL AS grp, SUM(bounces) / NULLIF(SUM(sessions), 0) AS v FROM ${csv('web_sessions.csv')} GROUP BY 1` },
  bounce_rate_by_channel: { dimension: 'channel', sql: `SELECT ${month('date')} AS period, channel AS grp, SUM(bounces) / NULLIF(SUM(sessions), 0) AS v FROM ${csv('web_sessions.csv')} GROUP BY 1, 2` },
  conversion_rate: { sql: `WITH s AS (SELECT ${month('date')} AS period, SUM(sessions) AS sessions FROM ${csv('web_sessions.csv')} GROUP BY 1),
      o AS (SELECT month AS period, COUNT(*) AS orders FROM ${ORDERS} GROUP BY 1)
      SELECT s.period, NULL AS grp, COALESCE(o.orders, 0) / NULLIF(s.sessions, 0) AS v FROM s LEFT JOIN o USING (period)` },
  aov_by_region: { dimension: 'region', sql: `SELECT month AS period, region AS grp, SUM(amount) / NULLIF(COUNT(*), 0) AS v FROM ${ORDERS} GROUP BY 1, 2` },
  email_open_rate: { sql: `SELECT ${month('sent_at')} AS period, NULL AS grp, SUM(opens) / NULLIF(SUM(delivered), 0) AS v FROM ${csv('email.csv')} GROUP BY 1` },
  engagement_rate_by_platform: { dimension: 'platform', sql: `SELECT ${month('date')} AS period, platform AS grp, SUM(engagements) / NULLIF(SUM(reach), 0) AS v FROM ${csv('social.csv')} GROUP BY 1, 2` },
  ad_roi: { sql: `WITH a AS (SELECT ${month('date')} AS period, SUM(spend) AS spend FROM ${csv('ad_spend.csv')} GROUP BY 1),
      r AS (SELECT month AS period, SUM(amount) FILTER (WHERE channel IN ('paid_search', 'social')) AS paid FROM ${ORDERS} GROUP BY 1)
      SELECT a.period, NULL AS grp, (COALESCE(r.paid, 0) - a.spend) / NULLIF(a.spend, 0) AS v FROM a LEFT JOIN r USING (period)` },
  // Returning: an order on a later day than the customer's first order in the data.
  repurchase_rate: { sql: `WITH o AS (SELECT *, substr(ordered_at, 1, 10) AS day FROM ${ORDERS}), f AS (SELECT customer_id, MIN(day) AS first_day FROM o GROUP BY 1)
      SELECT month AS period, NULL AS grp, COUNT(DISTINCT customer_id) FILTER (WHERE day > first_day) / NULLIF(COUNT(DISTINCT customer_id), 0) AS v FROM o JOIN f USING (customer_id) GROUP BY 1` },
  // Sessions keyed by (visitor_id, visit_number), placed by their first hit's Asia/Shanghai day (hit times are UTC).
  session_bounce_rate_by_device: { dimension: 'device', sql: `WITH h AS (SELECT visitor_id, visit_number, device, CAST(CAST(replace(hit_time, 'Z', '') AS TIMESTAMP) + INTERVAL 8 HOUR AS DATE) AS day
        FROM read_csv('${path.join(DATA, 'hits.csv')}', header = true, types = {'hit_time': 'VARCHAR', 'visitor_id': 'VARCHAR', 'visit_number': 'VARCHAR'})),
      s AS (SELECT visitor_id, visit_number, MIN(day) AS started, arg_min(device, day) AS device, COUNT(*) AS pageviews FROM h GROUP BY 1, 2)
      SELECT ${month('started')} AS period, device AS grp, COUNT(*) FILTER (WHERE pageviews = 1) / NULLIF(COUNT(*), 0) AS v FROM s GROUP BY 1, 2` },
  // Leads left-joined to their deal (lead_id is unique in deals), counted in the lead's month.
  lead_to_deal_rate: { sql: `SELECT substr(l.first_contact, 1, 7) AS period, NULL AS grp, COUNT(d.lead_id) / NULLIF(COUNT(*), 0) AS v
      FROM read_csv('${path.join(DATA, 'crm_leads.csv')}', header = true, types = {'first_contact': 'VARCHAR', 'lead_id': 'VARCHAR'}) l
      LEFT JOIN read_csv('${path.join(DATA, 'deals.csv')}', header = true, types = {'lead_id': 'VARCHAR'}) d ON l.lead_id = d.lead_id GROUP BY 1` },
  traffic_growth: { sql: `WITH s AS (SELECT ${month('date')} AS period, SUM(sessions) AS sessions FROM ${csv('web_sessions.csv')} GROUP BY 1)
      SELECT period, NULL AS grp, sessions / NULLIF(LAG(sessions) OVER (ORDER BY period), 0) - 1 AS v FROM s` },
  revenue_3m: { sql: `WITH r AS (SELECT month AS period, SUM(amount) AS revenue FROM ${ORDERS} GROUP BY 1)
      SELECT period, NULL AS grp, CASE WHEN ROW_NUMBER() OVER (ORDER BY period) >= 3 THEN SUM(revenue) OVER (ORDER BY period ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) END AS v FROM r` },
  lead_qualification_rate_by_channel: { dimension: 'channel', sql: `SELECT ${month('date')} AS period, channel AS grp, SUM(qualified_leads) / NULLIF(SUM(leads), 0) AS v FROM ${csv('leads.csv')} GROUP BY 1, 2` },
  unsubscribe_rate: { sql: `SELECT ${month('sent_at')} AS period, NULL AS grp, SUM(unsubscribes) / NULLIF(SUM(delivered), 0) AS v FROM ${csv('email.csv')} GROUP BY 1` },
};

describe('engine: cross-check against DuckDB', () => {
  let result: EvalResult;
  let connection: Awaited<ReturnType<DuckDBInstance['connect']>>;

  before(async () => {
    const ws = new Workspace(new NodeHost(), REPO);
    result = evaluateSpec(ws, path.join(REPO, 'samples/webshop.kpi.yaml'), { grain: 'month' }, new TableCache());
    const db = await DuckDBInstance.create(':memory:');
    connection = await db.connect();
  });

  for (const [name, query] of Object.entries(QUERIES)) {
    it(`${name}: every month agrees within 1e-9, nulls included`, async () => {
      const id = name.replace(/_by_\w+$/, '');
      const kpi = result.kpis.find((k) => k.id === id);
      assert.ok(kpi, `KPI ${id}`);
      const rows = (await connection.runAndReadAll(query.sql)).getRowObjects();
      assert.ok(rows.length >= 18, `${name}: DuckDB returned ${rows.length} rows`);
      let compared = 0;
      for (const row of rows) {
        const period = String(row.period);
        const group = row.grp === null ? undefined : String(row.grp);
        const series = query.dimension ? kpi.breakdowns.find((b) => b.dimension === query.dimension)?.rows.find((r) => r.group === group)?.series : kpi.series;
        assert.ok(series, `${name}: engine has ${query.dimension ? `group ${group}` : 'a series'}`);
        const point = series.find((p) => p.period === period);
        const expected = row.v === null ? null : Number(row.v);
        assert.ok(close(point?.value ?? null, expected), `${name} ${period}${group ? ` [${group}]` : ''}: engine ${point?.value}, DuckDB ${expected}`);
        compared++;
      }
      assert.equal(compared, rows.length);
    });
  }
});
