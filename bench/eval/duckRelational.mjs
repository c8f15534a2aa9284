// DuckDB, single-threaded, computing the relational case's KPIs from the same CSV files: sessions
// grouped by (visitor_id, visit_number) with the first channel by day then file order, and the
// hits left-joined to customers. Prints one JSON line: { ms, rows, maxRssMB, values }.
import { DuckDBInstance } from '@duckdb/node-api';

const [hits, customers] = process.argv.slice(2);
const start = performance.now();
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run('SET threads = 1');
const sql = `
WITH h AS (
  SELECT *, row_number() OVER () AS rn FROM read_csv('${hits}', header = true,
    types = { 'visitor_id': 'VARCHAR', 'visit_number': 'VARCHAR', 'customer_id': 'VARCHAR', 'date': 'DATE' })
), s AS (
  SELECT min(date) AS started, arg_min(channel, (date, rn)) AS channel, count(*) AS pageviews, max(session_revenue) AS revenue
  FROM h WHERE visitor_id IS NOT NULL AND visit_number IS NOT NULL GROUP BY visitor_id, visit_number
), by_channel AS (
  SELECT strftime(started, '%Y-%m') AS period, channel, count(*) AS sessions, count(*) FILTER (WHERE pageviews = 1) AS bounced,
    sum(pageviews) AS pageviews, sum(revenue) AS revenue, count(*) FILTER (WHERE revenue > 0) AS buying
  FROM s GROUP BY ALL
), c AS (
  SELECT * FROM read_csv('${customers}', header = true, types = { 'customer_id': 'VARCHAR' })
), dup AS (
  SELECT count(*) AS n FROM (SELECT customer_id FROM c GROUP BY customer_id HAVING count(*) > 1)
), by_segment AS (
  SELECT strftime(h.date, '%Y-%m') AS period, c.segment, count(*) AS hits, count(c.customer_id) AS known
  FROM h LEFT JOIN c ON h.customer_id = c.customer_id GROUP BY ALL
)
SELECT 'channel' AS axis, period, channel AS grp,
  bounced / sessions AS bounce_rate, pageviews / sessions AS pages_per_session, revenue / sessions AS revenue_per_session,
  buying / sessions AS session_conversion, sessions AS session_count, NULL AS known_customer_share, (SELECT n FROM dup) AS duplicates
FROM by_channel
UNION ALL
SELECT 'segment', period, segment, NULL, NULL, NULL, NULL, NULL, known / hits, (SELECT n FROM dup) FROM by_segment
ORDER BY 1, 2, 3`;
const rows = (await c.runAndReadAll(sql)).getRowObjectsJson();
const ms = performance.now() - start;
console.log(JSON.stringify({ ms, rows: rows.length, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), values: rows }));
