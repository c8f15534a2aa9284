import * as assert from 'node:assert/strict';
import { problemsOf } from '../helpers/memoryHost';

const ORDERS = 'ordered_at,customer_id,channel,amount\n2026-01-01,C1,email,10\n2026-01-02,C2,seo,20\n';

/** `rule "text under the span": message` for each problem of a spec over orders.csv. */
function check(spec: string): string[] {
  const text = `kpispec: 1\n${spec}`;
  return problemsOf({ 'a.kpi.yaml': text, 'orders.csv': ORDERS }).map((p) => `${p.rule} "${text.slice(p.span.offset, p.span.offset + p.span.length)}": ${p.message}`);
}

const COHORTS = `sources:
  orders:
    file: orders.csv
    time: ordered_at
    lookups: { customer: { source: customers, on: customer_id } }
    derive: { cohort: 'period(customer.first_order, month)', age: 'days_between(customer.first_order, ordered_at)' }
    dimensions: [channel, cohort]
  customers:
    from: orders
    key: customer_id
    time: first_order
    aggregate: { first_order: min(ordered_at), orders: count(), revenue: sum(amount), first_channel: first(channel) }
metrics:
  customers: { source: customers, agg: count }
  repeat: { source: customers, agg: count, where: 'orders >= 2 and first_channel == "email"' }
  revenue: { source: orders, agg: sum, column: amount }
  later: { source: orders, agg: count, where: 'age > 30 and customer.revenue > 100' }
kpis:
  repeat_rate: { formula: repeat / customers }
  revenue_by_cohort: { formula: revenue, by: [cohort] }
  later_orders: { formula: later }
`;

describe('checker: relations', () => {
  it('accepts the cohort pattern: a rollup of a source that looks the rollup up is no cycle', () => {
    assert.deepEqual(check(COHORTS), []);
  });

  it('spells out a column that depends on itself through a lookup and a rollup', () => {
    const spec = COHORTS.replace('first_order: min(ordered_at)', 'first_order: min(since)').replace("age: 'days_between", "since: 'customer.first_order'\n      age: 'days_between");
    const found = check(spec).filter((p) => p.startsWith('circular-definition'));
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found[0]!, /`orders\.since` → `orders\.customer\.first_order` → `customers\.first_order` → `orders\.since`|depends on itself/);
  });

  it('types columns through lookups, rollups and derived columns', () => {
    const spec = COHORTS
      .replace("'age > 30 and customer.revenue > 100'", "'cohort > 3 and customer.first_channel == 1'")
      .replace('revenue: sum(amount)', 'revenue: sum(channel)');
    assert.deepEqual(check(spec).map((p) => p.split(':')[0]), [
      'column-type "channel"',
      'column-type ">"',
      'column-type "=="',
    ]);
  });

  it('keeps row functions out of KPI formulas and checks their special arguments', () => {
    const spec = COHORTS
      .replace("period(customer.first_order, month)", "period(customer.first_order, fortnight)")
      .replace("'orders >= 2 and first_channel == \"email\"'", "'matched(custmer)'")
      .replace('formula: later }', "formula: 'days_between(later, later)' }");
    const rules = check(spec).map((p) => p.split(':')[0]);
    assert.deepEqual(rules, [
      'function-arguments "fortnight"',
      'unknown-reference "custmer"',
      'function-arguments "days_between"',
    ]);
  });

  it('says which source a looked-up column is missing from, with the closest name', () => {
    const problems = check(COHORTS.replace("customer.revenue > 100", "customer.revenu > 100"));
    assert.deepEqual(problems, ['unknown-column "customer.revenu": column `customer.revenu` is not a column of `orders.csv` (source `orders`) (did you mean `customer.revenue`?); `revenu` is not a column of `customers` (looked up as `customer`)']);
  });

  it('points a rollup without time, used beside a timed source, to a date column to give it', () => {
    const spec = COHORTS.replace('    time: first_order\n', '').replace('formula: repeat / customers', 'formula: revenue / customers');
    const found = check(spec).find((p) => p.startsWith('mixed-time-sources'))!;
    assert.match(found, /give the rollup `customers` a `time`, one of its date columns, such as `time: first_seen` with `first_seen: min\(ordered_at\)`/);
  });
});
