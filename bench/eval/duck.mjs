// DuckDB (single-threaded unless --threads N) computing the benchmark's KPIs per month × channel from the same CSV.
// Prints one JSON line: { ms, rows, maxRssMB, cpuMs } (CPU: the whole process, every thread).
import { DuckDBInstance } from '@duckdb/node-api';

const csv = process.argv[2];
const start = performance.now();
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
// Single-threaded unless `--threads N` (0: DuckDB's default, one per core) says otherwise.
const threads = process.argv.includes('--threads') ? Number(process.argv[process.argv.indexOf('--threads') + 1]) : 1;
if (threads > 0) await c.run(`SET threads = ${threads}`);
const sql = `
WITH base AS (
  SELECT strftime(date, '%Y-%m') AS period, channel,
    SUM(sessions) AS sessions, SUM(bounces) AS bounces, SUM(pageviews) AS pageviews, SUM(orders) AS orders,
    SUM(revenue) AS revenue, SUM(ad_spend) AS ad_spend, SUM(new_customers) AS new_customers,
    SUM(sessions) FILTER (WHERE channel IN ('paid_search', 'social')) AS paid_sessions,
    SUM(sessions) FILTER (WHERE device = 'mobile') AS mobile_sessions, COUNT(*) AS n
  FROM read_csv('${csv}', header = true) GROUP BY ALL
), kpis AS (
  SELECT period, channel,
    bounces / NULLIF(sessions, 0) AS bounce_rate, orders / NULLIF(sessions, 0) AS conversion_rate,
    revenue / NULLIF(orders, 0) AS aov, (revenue - ad_spend) / NULLIF(ad_spend, 0) AS roi, revenue / NULLIF(ad_spend, 0) AS roas,
    ad_spend / NULLIF(new_customers, 0) AS cac, pageviews / NULLIF(sessions, 0) AS pages_per_session,
    COALESCE(paid_sessions, 0) / NULLIF(sessions, 0) AS paid_share, COALESCE(mobile_sessions, 0) / NULLIF(sessions, 0) AS mobile_share,
    sessions / NULLIF(LAG(sessions) OVER w, 0) - 1 AS traffic_growth, revenue / NULLIF(LAG(revenue) OVER w, 0) - 1 AS revenue_growth,
    SUM(revenue) OVER (w ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS revenue_3m, SUM(revenue) OVER (w ROWS UNBOUNDED PRECEDING) AS revenue_ytd,
    orders / NULLIF(n, 0) AS orders_per_row, sessions, revenue, ad_spend, new_customers, LAG(orders) OVER w AS prev_orders, revenue - ad_spend AS net_revenue
  FROM base WINDOW w AS (PARTITION BY channel ORDER BY period)
)
SELECT * FROM kpis ORDER BY period, channel`;
const rows = (await c.runAndReadAll(sql)).getRows();
const ms = performance.now() - start;
const use = process.resourceUsage();
console.log(JSON.stringify({ ms, rows: rows.length, maxRssMB: Math.round(use.maxRSS / 1024), cpuMs: Math.round((use.userCPUTime + use.systemCPUTime) / 1000) }));
