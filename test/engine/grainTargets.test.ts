import * as assert from 'node:assert/strict';
import type { EvalResult, Point } from '../../server/src/engine/results';
import { evalText } from './evalText';

/**
 * Targets set for one grain, read at another (docs/evaluation.md). The data covers every day of
 * 2026-01-01 … 2026-06-30 (rows on the first and last day), and today is pinned after it, so no
 * period is partial except where a test says so.
 */
const spec = (kpis: string) => `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: s.csv, time: day }
metrics:
  amount: { source: s, agg: sum, column: amount }
  orders: { source: s, agg: count }
  buyers: { source: s, agg: count_distinct, column: who }
kpis:
${kpis}`;
const CSV = 'day,amount,who\n2026-01-01,100,a\n2026-02-10,100,b\n2026-04-20,100,a\n2026-06-30,100,c\n';
const TODAY = { today: '2026-12-31' };

function point(r: EvalResult, kpi: string, period: string): Point {
  const p = r.kpis.find((k) => k.id === kpi)?.series.find((x) => x.period === period);
  assert.ok(p, `${kpi} ${period}`);
  return p;
}

describe('engine: targets at another grain', () => {
  const steps = `  revenue:
    formula: amount
    target:
      - { from: 2026-01, min: 100 }
      - { from: 2026-02, min: 130 }
    warn: { min: 50 }
  rate:
    formula: amount / orders
    target: { min: 90, per: month }
`;

  it('a monthly target of a sum adds up over a quarter, each month taking the step in force then', () => {
    const r = evalText(spec(steps), { 's.csv': CSV }, { ...TODAY, grain: 'quarter' });
    // Q1: January 100 + February 130 + March 130 = 360 (the step changes inside the quarter);
    // Q2: 3 × 130 = 390. The warn band likewise: 3 × 50 = 150.
    assert.deepEqual(point(r, 'revenue', '2026-Q1').target, { min: 360 });
    assert.deepEqual(point(r, 'revenue', '2026-Q1').warn, { min: 150 });
    assert.deepEqual(point(r, 'revenue', '2026-Q2').target, { min: 390 });
    // Q1 revenue = 100 + 100 = 200 < 360, ≥ 150 → at risk.
    assert.equal(point(r, 'revenue', '2026-Q1').status, 'at_risk');
  });

  it('a ratio keeps its bound at every grain', () => {
    for (const grain of ['quarter', 'year', 'all'] as const) {
      const r = evalText(spec(steps), { 's.csv': CSV }, { ...TODAY, grain });
      const p = r.kpis.find((k) => k.id === 'rate')!.series.at(-1)!;
      assert.deepEqual(p.target, { min: 90 }, grain);
      // Every row has amount 100: 100 per order ≥ 90 → met.
      assert.equal(p.status, 'met', grain);
    }
  });

  it('at year grain the months add up, and a year the data covers in part is paced by days', () => {
    const r = evalText(spec(steps), { 's.csv': CSV }, { ...TODAY, grain: 'year' });
    // 2026 target: 100 + 11 × 130 = 1,530. The data ends on 2026-06-30: the year is partial, its
    // pace target January … June = 100 + 5 × 130 = 750; the value 400 is below it, above the
    // warn band's pace 6 × 50 = 300 → at risk, behind pace.
    const p = point(r, 'revenue', '2026');
    assert.deepEqual(p.target, { min: 1530 });
    assert.deepEqual(p.paceTarget, { min: 750 });
    assert.deepEqual(p.paceWarn, { min: 300 });
    assert.equal(p.value, 400);
    assert.equal(p.status, 'at_risk');
    assert.equal(p.pace, 'behind_pace');
    assert.deepEqual(r.periods.at(-1), { key: '2026', start: '2026-01-01', end: '2026-12-31', through: '2026-06-30' });
  });

  it('a quarterly target gives each month its share by days', () => {
    const r = evalText(spec(`  revenue:
    formula: amount
    target: { min: 900, per: quarter }
`), { 's.csv': CSV }, TODAY);
    // Q1 has 90 days: January 900 × 31/90 = 310, February 900 × 28/90 = 280, March 310.
    assert.deepEqual(point(r, 'revenue', '2026-01').target, { min: 310 });
    assert.deepEqual(point(r, 'revenue', '2026-02').target, { min: 280 });
    assert.deepEqual(point(r, 'revenue', '2026-03').target, { min: 310 });
    // Q2 has 91 days: April 900 × 30/91 = 296.703296703…
    assert.ok(Math.abs(point(r, 'revenue', '2026-04').target!.min! - (900 * 30) / 91) < 1e-6);
    // January 100 < 310 → missed (no warn band).
    assert.equal(point(r, 'revenue', '2026-01').status, 'missed');
  });

  it('dated steps across a quarter boundary, with different periods, hold at month and quarter grain', () => {
    const kpi = `  revenue:
    formula: amount
    target:
      - { from: 2026-01, min: 100 }
      - { from: 2026-04, min: 200, per: quarter }
`;
    const months = evalText(spec(kpi), { 's.csv': CSV }, TODAY);
    // Q1 months: 100 each (per month). From April the target is 200 a quarter (91 days):
    // April 200 × 30/91, May 200 × 31/91, June 200 × 30/91.
    assert.deepEqual(point(months, 'revenue', '2026-03').target, { min: 100 });
    assert.ok(Math.abs(point(months, 'revenue', '2026-05').target!.min! - (200 * 31) / 91) < 1e-6);
    const quarters = evalText(spec(kpi), { 's.csv': CSV }, { ...TODAY, grain: 'quarter' });
    assert.deepEqual(point(quarters, 'revenue', '2026-Q1').target, { min: 300 });
    assert.deepEqual(point(quarters, 'revenue', '2026-Q2').target, { min: 200 });
  });

  it('a target that starts inside a period, or a distinct count at another grain, gives no verdict and says why', () => {
    const r = evalText(spec(`  revenue:
    formula: amount
    target:
      - { from: 2026-02, min: 100 }
  customers:
    formula: buyers
    target: { min: 2, per: month }
`), { 's.csv': CSV }, { ...TODAY, grain: 'quarter' });
    const q1 = point(r, 'revenue', '2026-Q1');
    assert.equal(q1.status, 'no_target');
    assert.equal(q1.target, undefined);
    assert.match(q1.noTarget!, /the target starts on 2026-02-01, inside this period/);
    const c = point(r, 'customers', '2026-Q2');
    assert.equal(c.status, 'no_target');
    assert.match(c.noTarget!, /set per month, and `customers` counts distinct values \(metric `buyers`\).*no honest value per quarter/);
    // At its own grain the distinct count is judged: 2026-04 has one buyer (a) < 2 → missed.
    const months = evalText(spec(`  customers:
    formula: buyers
    target: { min: 2, per: month }
`), { 's.csv': CSV }, TODAY);
    assert.equal(point(months, 'customers', '2026-04').status, 'missed');
  });

  it('at grain all a sum takes the targets over the days of the range', () => {
    const r = evalText(spec(`  revenue:
    formula: amount
    target: { min: 100, per: month }
`), { 's.csv': CSV }, { ...TODAY, grain: 'all' });
    // 2026-01-01 … 2026-06-30: six whole months × 100 = 600; value 400 → missed.
    assert.deepEqual(point(r, 'revenue', 'all').target, { min: 600 });
    assert.equal(point(r, 'revenue', 'all').status, 'missed');
  });
});
