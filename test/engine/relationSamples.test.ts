import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EvalResult, KpiResult } from '../../server/src/engine/results';
import { evaluateSamples, groupBy, kpiIn } from './samplesData';

/**
 * The relational KPIs of the shipped sample (sessions rolled up from hits, customers rolled up
 * from orders, leads looking up deals) computed here from the CSV rows with plain loops, per
 * month and per breakdown group, must equal the engine's to 1e-9, nulls included. Nothing of
 * the engine's readers or relation code is used to compute the expected values.
 */

const REPO = path.resolve(__dirname, '../..');
const DATA = path.join(REPO, 'samples/data');

type Row = Record<string, string>;

/** A small RFC 4180 reader: quoted cells, doubled quotes, CRLF or LF. */
function readCsv(name: string): Row[] {
  const text = fs.readFileSync(path.join(DATA, name), 'utf8');
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (text[i + 1] === '"') { cell += '"'; i++; }
      else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { record.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || record.length > 0) { record.push(cell); records.push(record); }
  const [head, ...body] = records;
  return body.map((cells) => Object.fromEntries(head!.map((c, i) => [c, cells[i] ?? ''])));
}

// The spec's time zone, Asia/Shanghai, is UTC+8 all year (no daylight saving since 1991).
const SHANGHAI_MS = 8 * 3600_000;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** The local calendar date of a date or date-time: one with an offset or `Z` is converted first. */
function localDate(value: string): string {
  const m = DATE_TIME.exec(value);
  assert.ok(m, `a date or date-time: ${value}`);
  if (!m[2]) return m[1]!;
  return new Date(Date.parse(value.replace(' ', 'T')) + SHANGHAI_MS).toISOString().slice(0, 10);
}
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const monthOf = (date: string) => date.slice(0, 7);

type Value = number | null;
/** Month → value; a month that is absent has no data. */
type Series = Map<string, Value>;

const ratio = (a: Value, b: Value): Value => (a === null || b === null || b === 0 ? null : a / b);
/** A sum over the kept rows' readable values: null when none is readable. */
function sumOf<T>(rows: T[], f: (r: T) => Value): Value {
  let s: Value = null;
  for (const r of rows) {
    const v = f(r);
    if (v !== null) s = (s ?? 0) + v;
  }
  return s;
}
function avgOf<T>(rows: T[], f: (r: T) => Value): Value {
  const vs = rows.map(f).filter((v): v is number => v !== null);
  return vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : null;
}

/** A metric per month over the months where its rows exist; other months have no data. */
const perMonth = <T>(rows: T[], month: (r: T) => string, f: (rs: T[]) => Value): Series =>
  new Map([...groupBy(rows, month)].map(([m, rs]) => [m, f(rs)]));
/** Two metrics' series combined month by month (a month missing in either is null). */
function combine(a: Series, b: Series, f: (x: Value, y: Value) => Value): Series {
  const out: Series = new Map();
  for (const m of new Set([...a.keys(), ...b.keys()])) out.set(m, f(a.get(m) ?? null, b.get(m) ?? null));
  return out;
}

const close = (actual: Value | undefined, expected: Value): boolean =>
  expected === null || actual === null || actual === undefined
    ? (actual ?? null) === expected
    : Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));

// ---------------------------------------------------------------------------------------
// The entities, computed from the rows

interface Hit { day: number; visitor: string; visit: string; channel: string; device: string; revenue: Value }
interface Session { started: number; channel: string | null; device: string | null; pageviews: number; revenue: Value; firstDay: { channel: number; device: number } }
interface Order { day: number; customer: string; channel: string; region: string; amount: number }
interface Customer { first: number; channel: string | null; channelDay: number; orders: number }
interface Lead { day: number; id: string; channel: string; segment: string }
interface Deal { leadId: string; day: number; amount: number; rep: string }

const num = (s: string): Value => (s === '' ? null : Number(s));
const isoOf = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
const month = (day: number) => monthOf(isoOf(day));

/** Sessions keyed by (visitor_id, visit_number): started = min day; channel and device = first non-empty by (day, file order). */
function rollUpSessions(hits: Hit[]): Session[] {
  const sessions = new Map<string, Session>();
  for (const h of hits) {
    const key = `${h.visitor}\u0000${h.visit}`;
    let s = sessions.get(key);
    if (!s) sessions.set(key, (s = { started: h.day, channel: null, device: null, pageviews: 0, revenue: null, firstDay: { channel: Infinity, device: Infinity } }));
    s.started = Math.min(s.started, h.day);
    s.pageviews++;
    if (h.revenue !== null) s.revenue = s.revenue === null ? h.revenue : Math.max(s.revenue, h.revenue);
    // File order within a day: only an earlier day replaces a value already taken.
    if (h.channel !== '' && h.day < s.firstDay.channel) { s.channel = h.channel; s.firstDay.channel = h.day; }
    if (h.device !== '' && h.day < s.firstDay.device) { s.device = h.device; s.firstDay.device = h.day; }
  }
  return [...sessions.values()];
}

function rollUpCustomers(orders: Order[]): Map<string, Customer> {
  const customers = new Map<string, Customer>();
  for (const o of orders) {
    let c = customers.get(o.customer);
    if (!c) customers.set(o.customer, (c = { first: o.day, channel: null, channelDay: Infinity, orders: 0 }));
    c.first = Math.min(c.first, o.day);
    c.orders++;
    if (o.channel !== '' && o.day < c.channelDay) { c.channel = o.channel; c.channelDay = o.day; }
  }
  return customers;
}

describe('engine: the relational KPIs of the samples', function () {
  this.timeout(120_000);
  let result: EvalResult;

  const hitRows = readCsv('hits.csv');
  const orderRows = readCsv('orders.csv');
  const leadRows = readCsv('crm_leads.csv');
  const dealRows = readCsv('deals.csv');
  const adRows = readCsv('ad_spend.csv');

  const hits: Hit[] = hitRows.map((r) => ({ day: dayNumber(localDate(r.hit_time!)), visitor: r.visitor_id!, visit: r.visit_number!, channel: r.channel!, device: r.device!, revenue: num(r.session_revenue!) }));
  const sessions = rollUpSessions(hits);
  const orders: Order[] = orderRows.map((r) => ({ day: dayNumber(localDate(r.ordered_at!)), customer: r.customer_id!, channel: r.channel!, region: r.region!, amount: Number(r.amount) }));
  const customers = rollUpCustomers(orders);
  const customerList = [...customers.values()];
  const cohortOf = (o: Order) => month(customers.get(o.customer)!.first);
  const returning = (o: Order) => o.day > customers.get(o.customer)!.first;
  const leads: Lead[] = leadRows.map((r) => ({ day: dayNumber(localDate(r.first_contact!)), id: r.lead_id!, channel: r.channel!, segment: r.segment! }));
  const deals: Deal[] = dealRows.map((r) => ({ leadId: r.lead_id!, day: dayNumber(localDate(r.won_date!)), amount: Number(r.amount), rep: r.sales_rep! }));
  const dealOf = new Map(deals.map((d) => [d.leadId, d]));

  before(() => { result = evaluateSamples(); });

  const kpi = (id: string): KpiResult => kpiIn(result, id);

  /** Every period of the engine's series equals the expected value (absent = null). */
  function expectSeries(label: string, series: { period: string; value: Value }[], expected: Series) {
    assert.equal(series.length, result.periods.length, `${label}: one value per period`);
    for (const p of series) {
      const want = expected.get(p.period) ?? null;
      assert.ok(close(p.value, want), `${label} ${p.period}: engine ${p.value}, expected ${want}`);
    }
    for (const m of expected.keys()) assert.ok(series.some((p) => p.period === m), `${label}: period ${m} is in the timeline`);
  }

  /** The total and, per dimension, every group: the engine has exactly the expected groups. */
  function expectKpi(id: string, total: Series, by: Record<string, Map<string, Series>> = {}) {
    const k = kpi(id);
    assert.deepEqual(k.problems, [], `${id} has no problems`);
    expectSeries(id, k.series, total);
    assert.deepEqual(k.breakdowns.map((b) => b.dimension).sort(), Object.keys(by).sort(), `${id}: breakdowns`);
    for (const [dimension, groups] of Object.entries(by)) {
      const rows = k.breakdowns.find((b) => b.dimension === dimension)!.rows;
      assert.deepEqual(rows.map((r) => r.group).sort(), [...groups.keys()].sort(), `${id} by ${dimension}: groups`);
      for (const [group, series] of groups) expectSeries(`${id} [${dimension} = ${group}]`, rows.find((r) => r.group === group)!.series, series);
    }
  }

  /** One series per value of a dimension, each over the rows holding that value. */
  function perGroup<T>(rows: T[], dim: (r: T) => string | null, series: (rs: T[]) => Series): Map<string, Series> {
    const groups = new Map<string, T[]>();
    for (const r of rows) {
      const g = dim(r);
      assert.ok(g !== null && g !== '', 'no empty group in these samples');
      const list = groups.get(g);
      if (list) list.push(r);
      else groups.set(g, [r]);
    }
    return new Map([...groups].map(([g, rs]) => [g, series(rs)]));
  }

  it('the data: a hit sample with shared visit numbers and UTC times, deals won months after the lead', () => {
    assert.ok(hitRows.length > 20_000 && hitRows.length <= 40_000, `hits.csv is a sample: ${hitRows.length} rows`);
    assert.ok(hitRows.every((r) => r.hit_time!.endsWith('Z')), 'hit times are UTC');
    // Visit numbers alone do not identify sessions: most sessions share theirs with others.
    assert.ok(new Set(hits.map((h) => h.visit)).size * 100 < sessions.length);
    // Some sessions start in another month in Shanghai than in UTC: the time zone matters.
    const shifted = new Set(hitRows.filter((r) => monthOf(r.hit_time!) !== monthOf(localDate(r.hit_time!))).map((r) => `${r.visitor_id}\u0000${r.visit_number}`));
    assert.ok(shifted.size >= 10, `sessions whose UTC month is not their local month: ${shifted.size}`);
    // A session's revenue is repeated on each of its hits.
    assert.ok(sessions.some((s) => s.revenue! > 0 && s.pageviews >= 4));
    // Lead ids are unique in both exports; many deals close in a later month than the lead's first contact.
    assert.equal(new Set(leads.map((l) => l.id)).size, leads.length);
    assert.equal(dealOf.size, deals.length);
    const matched = leads.filter((l) => dealOf.has(l.id));
    const later = matched.filter((l) => month(dealOf.get(l.id)!.day) !== month(l.day));
    assert.ok(later.length * 2 > matched.length, `${later.length} of ${matched.length} deals won in a later month`);
    assert.ok(deals.length > matched.length, 'some deals come from leads before the CRM export');
    // `returning` compares days: no customer orders twice on one day, so it means "ordered before".
    assert.equal(new Set(orders.map((o) => `${o.customer}\u0000${o.day}`)).size, orders.length);
    assert.ok(!orderRows.some((r) => 'is_first_order' in r), 'the order log has no precomputed first-order flag');
  });

  it('the CRM export holds the daily lead counts of leads.csv one by one', () => {
    const key = (date: string, channel: string) => `${date} ${channel}`;
    const daily = new Map(readCsv('leads.csv').filter((r) => r.leads !== '0').map((r) => [key(r.date!, r.channel!), [Number(r.leads), Number(r.qualified_leads)]]));
    const crm = new Map<string, number[]>();
    for (const r of leadRows) {
      const k = key(localDate(r.first_contact!), r.channel!);
      const [n, q] = crm.get(k) ?? [0, 0];
      crm.set(k, [n! + 1, q! + (r.qualified === 'true' ? 1 : 0)]);
    }
    assert.deepEqual(crm, daily);
  });

  it('rollup and lookup counts per source', () => {
    const source = (id: string) => result.sources.find((s) => s.id === id)!;
    assert.equal(source('sessions').rows, sessions.length);
    assert.deepEqual(source('sessions').rollup, { from: 'hits', fromRows: hits.length, unkeyed: 0 });
    assert.equal(source('customers').rows, customers.size);
    assert.deepEqual(source('customers').rollup, { from: 'order_log', fromRows: orders.length, unkeyed: 0 });
    assert.deepEqual(source('order_log').lookups, [{ name: 'customer', source: 'customers', matched: orders.length, unmatched: 0 }]);
    const matched = leads.filter((l) => dealOf.has(l.id)).length;
    assert.deepEqual(source('crm_leads').lookups, [{ name: 'deal', source: 'deals', matched, unmatched: leads.length - matched }]);
    assert.deepEqual(result.problems, []);
  });

  // --- sessions from hits -------------------------------------------------------------
  const sessionMonth = (s: Session) => month(s.started);
  const sessionKpi = (f: (rs: Session[]) => Value) => (rs: Session[]) => perMonth(rs, sessionMonth, f);
  const bySessionDims = (f: (rs: Session[]) => Value) => ({
    channel: perGroup(sessions, (s) => s.channel, sessionKpi(f)),
    device: perGroup(sessions, (s) => s.device, sessionKpi(f)),
  });

  it('bounce rate from hits = sessions with one page view / sessions, by the month of the first hit', () => {
    const f = (rs: Session[]) => ratio(rs.filter((s) => s.pageviews === 1).length, rs.length);
    expectKpi('session_bounce_rate', sessionKpi(f)(sessions), bySessionDims(f));
  });

  it('pages per session from hits', () => {
    const f = (rs: Session[]) => ratio(sumOf(rs, (s) => s.pageviews), rs.length);
    expectKpi('session_pages', sessionKpi(f)(sessions), bySessionDims(f));
  });

  it('revenue per session takes the repeated session revenue once', () => {
    const f = (rs: Session[]) => ratio(sumOf(rs, (s) => s.revenue), rs.length);
    expectKpi('revenue_per_session', sessionKpi(f)(sessions), bySessionDims(f));
  });

  // --- customers and cohorts ----------------------------------------------------------
  const customerMonth = (c: Customer) => month(c.first);
  const firstTimeBuyers = (rs: Customer[]) => perMonth(rs, customerMonth, (cs) => cs.length);

  it('repeat-purchase rate of the month\'s new customers, by acquisition channel', () => {
    const f = (rs: Customer[]) => perMonth(rs, customerMonth, (cs) => ratio(cs.filter((c) => c.orders >= 2).length, cs.length));
    expectKpi('repeat_purchase_rate', f(customerList), { channel: perGroup(customerList, (c) => c.channel, f) });
  });

  it('new customers (first_seen) equal the customers rollup\'s rows per month', () => {
    // first_seen puts a customer in the month, and the group, of their first order.
    const firstOrder = new Map<string, Order>();
    for (const o of orders) if (!firstOrder.has(o.customer) || o.day < firstOrder.get(o.customer)!.day) firstOrder.set(o.customer, o);
    const f = (rs: Order[]) => perMonth(rs, (o) => month(o.day), (os) => os.filter((o) => firstOrder.get(o.customer) === o).length);
    assert.deepEqual(f(orders), firstTimeBuyers(customerList));
    expectKpi('new_customer_count', firstTimeBuyers(customerList), { region: perGroup(orders, (o) => o.region, f) });
  });

  it('repurchase rate: the month\'s customers with an order after their first, by region', () => {
    const f = (rs: Order[]) => perMonth(rs, (o) => month(o.day), (os) => ratio(new Set(os.filter(returning).map((o) => o.customer)).size, new Set(os.map((o) => o.customer)).size));
    expectKpi('repurchase_rate', f(orders), { region: perGroup(orders, (o) => o.region, f) });
  });

  it('revenue by acquisition cohort (a derived column through a lookup, as a dimension)', () => {
    const f = (rs: Order[]) => perMonth(rs, (o) => month(o.day), (os) => sumOf(os, (o) => o.amount));
    const byCohort = perGroup(orders, cohortOf, f);
    assert.ok(byCohort.size === result.periods.length, 'one cohort per month');
    expectKpi('revenue_by_cohort', f(orders), { cohort: byCohort });
  });

  it('CAC, CLV and CLV/CAC over the first-time buyers of the customers rollup', () => {
    const spendOf = (rs: Row[]) => perMonth(rs, (r) => monthOf(r.date!), (xs) => sumOf(xs, (r) => Number(r.spend)));
    const cac = (ads: Row[], cs: Customer[]) => combine(spendOf(ads), firstTimeBuyers(cs), ratio);
    const channels = new Set([...adRows.map((r) => r.channel!), ...customerList.map((c) => c.channel!)]);
    expectKpi('cac', cac(adRows, customerList), {
      channel: new Map([...channels].map((ch) => [ch, cac(adRows.filter((r) => r.channel === ch), customerList.filter((c) => c.channel === ch))])),
    });

    const months = result.periods.map((p) => p.key);
    const revenue = perMonth(orders, (o) => month(o.day), (os) => sumOf(os, (o) => o.amount));
    const buyers = firstTimeBuyers(customerList);
    // rolling(x, 12): null until the window holds 12 periods of the range.
    const rolling = (s: Series): Series => new Map(months.map((m, i) => [m, i < 11 ? null : sumOf(months.slice(i - 11, i + 1), (x) => s.get(x) ?? null)]));
    const clv = combine(rolling(revenue), rolling(buyers), (r, b) => (ratio(r, b) === null ? null : ratio(r, b)! * 0.4));
    expectKpi('clv', clv);
    expectKpi('clv_cac_ratio', combine(clv, cac(adRows, customerList), ratio));
  });

  // --- leads and deals ----------------------------------------------------------------
  const leadMonth = (l: Lead) => month(l.day);

  it('lead-to-deal conversion by the month of the lead\'s first contact', () => {
    const f = (rs: Lead[]) => perMonth(rs, leadMonth, (ls) => ratio(ls.filter((l) => dealOf.has(l.id)).length, ls.length));
    expectKpi('lead_to_deal_rate', f(leads), { channel: perGroup(leads, (l) => l.channel, f), segment: perGroup(leads, (l) => l.segment, f) });
  });

  it('days to close: calendar days from first contact to the won date, averaged over the won leads', () => {
    const days = (l: Lead): Value => (dealOf.has(l.id) ? dealOf.get(l.id)!.day - l.day : null);
    const f = (rs: Lead[]) => perMonth(rs, leadMonth, (ls) => avgOf(ls, days));
    expectKpi('days_to_close', f(leads), { segment: perGroup(leads, (l) => l.segment, f) });
  });

  it('deal value by the month the deal was won, by sales rep', () => {
    const f = (rs: Deal[]) => perMonth(rs, (d) => month(d.day), (ds) => sumOf(ds, (d) => d.amount));
    expectKpi('won_deal_value', f(deals), { sales_rep: perGroup(deals, (d) => d.rep, f) });
  });
});
