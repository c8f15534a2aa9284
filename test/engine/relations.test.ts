import * as assert from 'node:assert/strict';
import { evalText, valueAt } from './evalText';

const HITS = `date,visitor,visit,channel,rev
2026-01-01,a,1,email,10
2026-01-01,a,1,seo,10
2026-01-02,a,2,,0
2026-01-02,b,1,seo,
2026-02-02,b,1,ads,5
2026-02-03,,1,seo,5
2026-02-03,c,1,seo,7
`;

const SESSIONS = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  hits: { file: hits.csv, time: date }
  sessions:
    from: hits
    key: [visitor, visit]
    time: started
    aggregate:
      started: min(date)
      hits: count()
      revenue: max(rev)
      first_channel: first(channel)
      last_channel: last(channel)
      channels: count_distinct(channel)
    derive: { bounced: 'hits == 1' }
    dimensions: [first_channel]
metrics:
  sessions: { source: sessions, agg: count }
  bounces: { source: sessions, agg: count, where: bounced }
  session_revenue: { source: sessions, agg: sum, column: revenue }
  hit_count: { source: sessions, agg: sum, column: hits }
  channel_count: { source: sessions, agg: sum, column: channels }
  last_seo: { source: sessions, agg: count, where: 'last_channel == "seo"' }
kpis:
  session_count: { formula: sessions, by: [first_channel] }
  bounce_rate: { formula: bounces / sessions }
  revenue_per_session: { formula: session_revenue / sessions }
  pages_per_session: { formula: hit_count / sessions }
  channels: { formula: channel_count }
  ending_in_seo: { formula: last_seo }
`;

describe('engine: relations', () => {
  it('rolls hits up into sessions by a composite key, placed by their first hit', () => {
    const r = evalText(SESSIONS, { 'hits.csv': HITS });
    // January: (a,1) two hits, (a,2) one, (b,1) starts 01-02 and has a hit in February too.
    assert.equal(valueAt(r, 'session_count', '2026-01'), 3);
    assert.equal(valueAt(r, 'session_count', '2026-02'), 1); // (c,1); the row without a visitor is in no session
    assert.equal(valueAt(r, 'bounce_rate', '2026-01'), 1 / 3);
    // max(rev) per session, empty values skipped: 10 + 0 + 5 in January.
    assert.equal(valueAt(r, 'revenue_per_session', '2026-01'), 15 / 3);
    assert.equal(valueAt(r, 'pages_per_session', '2026-01'), 5 / 3);
    // count_distinct skips empty values: (a,1) 2, (a,2) 0, (b,1) 2.
    assert.equal(valueAt(r, 'channels', '2026-01'), 4);
    const sessions = r.sources.find((s) => s.id === 'sessions')!;
    assert.deepEqual(sessions.rollup, { from: 'hits', fromRows: 7, unkeyed: 1 });
    assert.equal(sessions.rows, 4);
    assert.match(sessions.problems[0]!.message, /1 row of `hits` has an empty key \(`visitor`, `visit`\)/);
  });

  it('takes first and last non-empty values by day, then file order', () => {
    const r = evalText(SESSIONS, { 'hits.csv': HITS });
    // (a,1): two hits on one day, email first in the file; (a,2): no channel at all; (b,1): seo then ads.
    assert.equal(valueAt(r, 'session_count', '2026-01', 'first_channel', 'email'), 1);
    assert.equal(valueAt(r, 'session_count', '2026-01', 'first_channel', 'seo'), 1);
    assert.equal(valueAt(r, 'session_count', '2026-01', 'first_channel', null), 1);
    assert.equal(valueAt(r, 'ending_in_seo', '2026-01'), 1); // (a,1) ends in seo; (b,1) in ads
    // The hits of (b,1) out of order in the file: the day decides, not the line.
    const swapped = HITS.replace('2026-01-02,b,1,seo,\n', '').replace('2026-02-02,b,1,ads,5\n', '2026-02-02,b,1,ads,5\n2026-01-02,b,1,seo,\n');
    const r2 = evalText(SESSIONS, { 'hits.csv': swapped });
    assert.equal(valueAt(r2, 'session_count', '2026-01', 'first_channel', 'seo'), 1);
    assert.equal(valueAt(r2, 'ending_in_seo', '2026-01'), 1);
  });

  it('looks deals up by lead and counts them in the lead\'s month', () => {
    const spec = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  deals: { file: deals.csv, key: lead_id, time: won_date }
  leads:
    file: leads.csv
    time: first_contact
    lookups: { deal: { source: deals, on: lead_id } }
    derive:
      days_to_close: days_between(first_contact, deal.won_date)
      quarter: period(first_contact, quarter)
    dimensions: [origin, quarter, deal.segment]
metrics:
  leads: { source: leads, agg: count }
  won: { source: leads, agg: count, where: matched(deal) }
  days: { source: leads, agg: avg, column: days_to_close }
  deal_amount: { source: leads, agg: sum, column: deal.amount }
kpis:
  conversion: { formula: won / leads, by: [origin, quarter, deal.segment] }
  days_to_close: { formula: days }
  won_amount: { formula: deal_amount }
`;
    const r = evalText(spec, {
      'leads.csv': 'lead_id,first_contact,origin\nL1,2026-01-03,web\nL2,2026-01-20,fair\nL3,2026-02-01,web\n007,2026-02-05,web\n',
      'deals.csv': 'lead_id,won_date,amount,segment\nL1,2026-03-01,500,smb\nL2,2026-01-25,900,ent\n7,2026-02-06,100,smb\n',
    });
    assert.equal(valueAt(r, 'conversion', '2026-01'), 1);
    assert.equal(valueAt(r, 'conversion', '2026-02'), 0); // `007` is not `7`: keys match as written
    assert.equal(valueAt(r, 'days_to_close', '2026-01'), (57 + 5) / 2);
    assert.equal(valueAt(r, 'won_amount', '2026-01'), 1400);
    assert.equal(valueAt(r, 'conversion', '2026-01', 'quarter', '2026-Q1'), 1);
    assert.equal(valueAt(r, 'conversion', '2026-01', 'deal.segment', 'ent'), 1);
    assert.equal(valueAt(r, 'conversion', '2026-02', 'deal.segment', null), 0);
    assert.deepEqual(r.sources.find((s) => s.id === 'leads')!.lookups, [{ name: 'deal', source: 'deals', matched: 2, unmatched: 2 }]);
  });

  it('computes the cohort pattern: customers roll up orders, orders look their customer up', () => {
    const spec = `kpispec: 1
defaults: { grain: month, timezone: Asia/Shanghai }
sources:
  orders:
    file: orders.csv
    time: ordered_at
    lookups: { customer: { source: customers, on: customer_id } }
    derive: { cohort: 'period(customer.first_order, month)' }
    dimensions: [cohort]
  customers:
    from: orders
    key: customer_id
    time: first_order
    aggregate: { first_order: min(ordered_at), orders: count() }
metrics:
  customers: { source: customers, agg: count }
  repeat: { source: customers, agg: count, where: 'orders >= 2' }
  revenue: { source: orders, agg: sum, column: amount }
kpis:
  repeat_rate: { formula: repeat / customers }
  revenue_by_cohort: { formula: revenue, by: [cohort] }
`;
    // 2026-01-31T20:00Z is February 1st in Shanghai.
    const orders = 'ordered_at,customer_id,amount\n2026-01-05T10:00:00+08:00,C1,100\n2026-01-31T20:00:00Z,C2,50\n2026-02-10T10:00:00+08:00,C1,30\n2026-03-01T10:00:00+08:00,C3,20\n';
    const r = evalText(spec, { 'orders.csv': orders });
    assert.equal(valueAt(r, 'repeat_rate', '2026-01'), 1);
    assert.equal(valueAt(r, 'repeat_rate', '2026-02'), 0);
    assert.equal(valueAt(r, 'revenue_by_cohort', '2026-02', 'cohort', '2026-01'), 30);
    assert.equal(valueAt(r, 'revenue_by_cohort', '2026-02', 'cohort', '2026-02'), 50);
    assert.equal(r.problems.filter((p) => p.severity === 'error').length, 0);
  });

  it('refuses a duplicate key found beyond the checker\'s sample: an error with both lines, and no value', () => {
    const spec = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  tiers: { file: tiers.csv, key: customer_id }
  orders:
    file: orders.csv
    time: day
    lookups: { tier: { source: tiers, on: customer_id } }
  plain: { file: orders.csv, time: day }
metrics:
  gold: { source: orders, agg: count, where: 'tier.tier == "gold"' }
  all_orders: { source: orders, agg: count }
  plain_count: { source: plain, agg: count }
kpis:
  gold_orders: { formula: gold }
  orders: { formula: all_orders }
  plain_orders: { formula: plain_count }
`;
    const rows = Array.from({ length: 6000 }, (_, i) => `C${i},${i % 2 ? 'gold' : 'silver'},${'x'.repeat(10)}`);
    rows.push('C17,silver,again');
    const tiers = `customer_id,tier,note\n${rows.join('\n')}\n`;
    assert.ok(tiers.length > 64 * 1024);
    const r = evalText(spec, { 'tiers.csv': tiers, 'orders.csv': 'day,customer_id\n2026-01-01,C17\n2026-01-02,C2\n' });
    const orders = r.sources.find((s) => s.id === 'orders')!;
    const problem = orders.problems.find((p) => p.severity === 'error')!;
    assert.match(problem.message, /key `customer_id` of source `tiers` is not unique: `C17` is on lines 19 and 6002 of `tiers.csv`/);
    assert.equal(valueAt(r, 'gold_orders', '2026-01'), null);
    assert.equal(valueAt(r, 'orders', '2026-01'), null); // every KPI over the looking-up source
    assert.equal(valueAt(r, 'plain_orders', '2026-01'), 2);
  });

  it('says why, instead of failing, when the whole data types a rolled-up column otherwise than the sample', () => {
    const spec = `kpispec: 1
defaults: { grain: all, timezone: UTC }
sources:
  orders: { file: orders.csv }
  customers:
    from: orders
    key: customer_id
    aggregate: { revenue: sum(amount) }
metrics:
  customers: { source: customers, agg: count }
  revenue: { source: customers, agg: sum, column: revenue }
kpis:
  customer_count: { formula: customers }
  revenue_per_customer: { formula: revenue / customers }
`;
    // Numbers in the checker's first rows, mostly text past them.
    const orders = `customer_id,amount\n${'C1,10\n'.repeat(300)}${'C2,pending\n'.repeat(3000)}`;
    const r = evalText(spec, { 'orders.csv': orders });
    assert.equal(valueAt(r, 'revenue_per_customer', 'all'), null);
    const problems = r.sources.flatMap((s) => s.problems).map((p) => p.message);
    assert.ok(problems.some((m) => /`sum` needs numbers, but `amount` of `orders` reads as text over the whole data/.test(m)), problems.join('\n'));
  });

  it('never changes the row count of the looking-up source', () => {
    const spec = `kpispec: 1
defaults: { grain: all, timezone: UTC }
sources:
  customers: { rows: [{ id: C1, tier: gold }, { id: C2, tier: silver }], key: id }
  orders:
    rows: [{ c: C1 }, { c: C1 }, { c: C3 }, { c: '' }, { c: C2 }]
    lookups: { customer: { source: customers, on: { c: id } } }
  raw: { rows: [{ c: C1 }, { c: C1 }, { c: C3 }, { c: '' }, { c: C2 }] }
metrics:
  looked_up: { source: orders, agg: count }
  raw_rows: { source: raw, agg: count }
  gold_rows: { source: orders, agg: count, where: 'customer.tier == "gold"' }
kpis:
  looked: { formula: looked_up }
  raw: { formula: raw_rows }
  gold: { formula: gold_rows }
`;
    const r = evalText(spec);
    assert.equal(valueAt(r, 'looked', 'all'), 5);
    assert.equal(valueAt(r, 'raw', 'all'), 5);
    assert.equal(valueAt(r, 'gold', 'all'), 2);
    assert.deepEqual(r.sources.find((s) => s.id === 'orders')!.lookups, [{ name: 'customer', source: 'customers', matched: 3, unmatched: 2 }]);
  });
});
