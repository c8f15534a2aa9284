import * as assert from 'node:assert/strict';
import type { EvalResult, KpiResult } from '../../server/src/engine/results';
import { close, distinct, evaluateSamples, groupBy, kpiIn, ratio, readSampleCsv, sum } from './samplesData';

const num = (s: string) => Number(s);
const month = (s: string) => s.slice(0, 7);
const PAID = new Set(['paid_search', 'social']);

/**
 * Golden values: a dozen sample KPIs computed here from the CSV rows with plain loops,
 * independently of the engine, per month and per channel, must equal the engine's.
 */
describe('engine: golden values on the samples', () => {
  let result: EvalResult;
  const web = readSampleCsv('web_sessions.csv');
  const orders = readSampleCsv('orders.csv');
  const ads = readSampleCsv('ad_spend.csv');
  const email = readSampleCsv('email.csv');
  const social = readSampleCsv('social.csv');
  const leads = readSampleCsv('leads.csv');

  before(() => {
    // Orders carry +08:00 offsets: their date part is already the Asia/Shanghai local date.
    assert.ok(orders.every((o) => o.ordered_at!.endsWith('+08:00')));
    result = evaluateSamples();
  });

  const kpi = (id: string): KpiResult => kpiIn(result, id);

  function expectSeries(id: string, expected: Map<string, number | null>, dimension?: string, group?: string) {
    const k = kpi(id);
    const series = dimension ? k.breakdowns.find((b) => b.dimension === dimension)?.rows.find((r) => r.group === group)?.series : k.series;
    assert.ok(series, `${id} has ${dimension ? `a breakdown by ${dimension} with ${group}` : 'a series'}`);
    assert.ok(series.length >= 18, `${id}: at least 18 months`);
    let compared = 0;
    for (const p of series) {
      const want = expected.has(p.period) ? expected.get(p.period)! : null;
      assert.ok(close(p.value, want), `${id}${group ? ` [${group}]` : ''} ${p.period}: engine ${p.value}, expected ${want}`);
      compared++;
    }
    assert.equal(compared, series.length);
  }

  const perMonth = <T>(rows: T[], date: (r: T) => string, f: (rows: T[]) => number | null) =>
    new Map([...groupBy(rows, (r) => month(date(r)))].map(([m, rs]) => [m, f(rs)]));

  it('bounce rate = Σ bounces / Σ sessions, total and per channel', () => {
    expectSeries('bounce_rate', perMonth(web, (r) => r.date!, (rs) => ratio(sum(rs, (r) => num(r.bounces!)), sum(rs, (r) => num(r.sessions!)))));
    for (const ch of ['organic', 'email', 'paid_search']) {
      const rows = web.filter((r) => r.channel === ch);
      expectSeries('bounce_rate', perMonth(rows, (r) => r.date!, (rs) => ratio(sum(rs, (r) => num(r.bounces!)), sum(rs, (r) => num(r.sessions!)))), 'channel', ch);
    }
  });

  it('conversion rate = orders / sessions across two sources, total and per channel', () => {
    const sessions = perMonth(web, (r) => r.date!, (rs) => sum(rs, (r) => num(r.sessions!)));
    const count = perMonth(orders, (r) => r.ordered_at!, (rs) => rs.length);
    expectSeries('conversion_rate', new Map([...sessions].map(([m, s]) => [m, ratio(count.get(m) ?? 0, s!)])));
    for (const ch of ['email', 'social']) {
      const s = perMonth(web.filter((r) => r.channel === ch), (r) => r.date!, (rs) => sum(rs, (r) => num(r.sessions!)));
      const c = perMonth(orders.filter((r) => r.channel === ch), (r) => r.ordered_at!, (rs) => rs.length);
      expectSeries('conversion_rate', new Map([...s].map(([m, v]) => [m, c.has(m) ? ratio(c.get(m)!, v!) : null])), 'channel', ch);
    }
  });

  it('average order value, total and per region (CJK group keys)', () => {
    const aov = (rs: typeof orders) => ratio(sum(rs, (r) => num(r.amount!)), rs.length);
    expectSeries('aov', perMonth(orders, (r) => r.ordered_at!, aov));
    expectSeries('aov', perMonth(orders.filter((r) => r.region === '华东'), (r) => r.ordered_at!, aov), 'region', '华东');
  });

  it('e-mail open rate and social engagement rate', () => {
    expectSeries('email_open_rate', perMonth(email, (r) => r.sent_at!, (rs) => ratio(sum(rs, (r) => num(r.opens!)), sum(rs, (r) => num(r.delivered!)))));
    expectSeries('engagement_rate', perMonth(social, (r) => r.date!, (rs) => ratio(sum(rs, (r) => num(r.engagements!)), sum(rs, (r) => num(r.reach!)))));
  });

  // A customer's first order in the data (orders are in time order); the +08:00 date part is the local day.
  const firstDay = new Map<string, string>();
  for (const o of orders) if (!firstDay.has(o.customer_id!)) firstDay.set(o.customer_id!, o.ordered_at!.slice(0, 10));

  it('ad ROI = (paid revenue - ad spend) / ad spend, and CAC = spend / first-time buyers', () => {
    const spend = perMonth(ads, (r) => r.date!, (rs) => sum(rs, (r) => num(r.spend!)));
    const paidRevenue = perMonth(orders.filter((o) => PAID.has(o.channel!)), (r) => r.ordered_at!, (rs) => sum(rs, (r) => num(r.amount!)));
    expectSeries('ad_roi', new Map([...spend].map(([m, s]) => [m, ratio((paidRevenue.get(m) ?? 0) - s!, s!)])));
    const firstBuyers = perMonth([...firstDay.values()], (d) => d, (rs) => rs.length);
    expectSeries('cac', new Map([...spend].map(([m, s]) => [m, firstBuyers.has(m) ? ratio(s!, firstBuyers.get(m)!) : null])));
  });

  it('repurchase rate, retention (retained / previous customers) and new customers (first seen)', () => {
    const byMonth = groupBy(orders, (r) => month(r.ordered_at!));
    const months = [...byMonth.keys()].sort();
    const customers = new Map(months.map((m) => [m, distinct(byMonth.get(m)!, (r) => r.customer_id!)]));
    const returning = (r: (typeof orders)[number]) => r.ordered_at!.slice(0, 10) > firstDay.get(r.customer_id!)!;
    expectSeries('repurchase_rate', new Map(months.map((m) => [m, ratio(distinct(byMonth.get(m)!.filter(returning), (r) => r.customer_id!).size, customers.get(m)!.size)])));
    expectSeries('retention_rate', new Map(months.map((m, i) => {
      if (i === 0) return [m, null];
      const before = customers.get(months[i - 1]!)!;
      const kept = [...customers.get(m)!].filter((c) => before.has(c)).length;
      return [m, ratio(kept, before.size)];
    })));
    const firstMonth = new Map<string, string>();
    for (const o of [...orders].sort((a, b) => a.ordered_at!.localeCompare(b.ordered_at!))) if (!firstMonth.has(o.customer_id!)) firstMonth.set(o.customer_id!, month(o.ordered_at!));
    const counts = new Map(months.map((m) => [m, 0]));
    for (const m of firstMonth.values()) counts.set(m, counts.get(m)! + 1);
    expectSeries('new_customer_count', counts);
  });

  it('traffic growth, rolling 3-month revenue and cumulative revenue (time functions)', () => {
    const sessions = perMonth(web, (r) => r.date!, (rs) => sum(rs, (r) => num(r.sessions!)));
    const months = [...sessions.keys()].sort();
    expectSeries('traffic_growth', new Map(months.map((m, i) => [m, i === 0 ? null : sessions.get(m)! / sessions.get(months[i - 1]!)! - 1])));
    const revenue = perMonth(orders, (r) => r.ordered_at!, (rs) => sum(rs, (r) => num(r.amount!)));
    const rm = [...revenue.keys()].sort();
    expectSeries('revenue_3m', new Map(rm.map((m, i) => [m, i < 2 ? null : revenue.get(rm[i - 2]!)! + revenue.get(rm[i - 1]!)! + revenue.get(m)!])));
    let running = 0;
    expectSeries('cumulative_revenue', new Map(rm.map((m) => [m, (running += revenue.get(m)!)])));
  });

  it('lead qualification rate per channel', () => {
    const f = (rs: typeof leads) => ratio(sum(rs, (r) => num(r.qualified_leads!)), sum(rs, (r) => num(r.leads!)));
    expectSeries('lead_qualification_rate', perMonth(leads, (r) => r.date!, f));
    expectSeries('lead_qualification_rate', perMonth(leads.filter((r) => r.channel === 'organic'), (r) => r.date!, f), 'channel', 'organic');
  });

  it('computes every KPI of the samples with values and statuses, and goal attainment', () => {
    assert.equal(result.kpis.length, 48);
    for (const k of result.kpis) assert.notEqual(k.latest.value, null, `${k.id} has a latest value`);
    assert.ok(result.kpis.some((k) => k.latest.status === 'met'));
    assert.ok(result.kpis.flatMap((k) => k.series).some((p) => p.status === 'missed'), 'the bad month misses targets');
    for (const g of result.goals) assert.ok(g.attainment === null || (g.attainment >= 0 && g.attainment <= 1));
    assert.deepEqual(result.problems, []);
  });
});
