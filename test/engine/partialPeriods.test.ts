import * as assert from 'node:assert/strict';
import type { EvalResult, KpiResult } from '../../server/src/engine/results';
import { evalText } from './evalText';
import { PARTIAL_CSV, PARTIAL_SPEC, PARTIAL_TODAY } from './partialFixture';


function kpi(r: EvalResult, id: string): KpiResult {
  const k = r.kpis.find((x) => x.id === id);
  assert.ok(k, id);
  return k;
}

describe('engine: partial periods', () => {
  const month = evalText(PARTIAL_SPEC, { 's.csv': PARTIAL_CSV }, { today: PARTIAL_TODAY });
  const quarter = evalText(PARTIAL_SPEC, { 's.csv': PARTIAL_CSV }, { today: PARTIAL_TODAY, grain: 'quarter' });

  it('the period holding today is partial, and later rows are not counted', () => {
    assert.deepEqual(month.periods.at(-1), { key: '2026-06', start: '2026-06-01', end: '2026-06-30', through: '2026-06-10' });
    assert.equal(month.periods.filter((p) => p.through).length, 1, 'only the last period is partial');
    const l = kpi(month, 'revenue').latest;
    assert.equal(l.period, '2026-06');
    assert.equal(l.value, 40, '15 + 25; the 999 of 2026-06-25 is after today');
    assert.equal(l.through, '2026-06-10');
  });

  it('a partial month of a sum is judged against the target pro-rated by days, and says its pace', () => {
    // revenue: 90 a month → 90 × 10/30 = 30 for June 1 … 10; 40 ≥ 30 → met, on pace.
    const r = kpi(month, 'revenue').latest;
    assert.deepEqual(r.target, { min: 90 });
    assert.deepEqual(r.paceTarget, { min: 30 });
    assert.equal(r.status, 'met');
    assert.equal(r.pace, 'on_pace');
    // stretch: 150 → pace 50, warn 120 → pace 40: 40 < 50 but ≥ 40 → at risk, behind pace.
    const s = kpi(month, 'stretch').latest;
    assert.deepEqual([s.paceTarget, s.paceWarn, s.status, s.pace], [{ min: 50 }, { min: 40 }, 'at_risk', 'behind_pace']);
  });

  it('vs prev on a partial month compares the same days of the previous month', () => {
    // May 1 … 10: 10 + 20 = 30 (not the whole May, 130). Change 40 - 30 = +10, ratio 10/30.
    const l = kpi(month, 'revenue').latest;
    assert.equal(l.compared, 'same_days');
    assert.equal(l.previous, 30);
    assert.equal(l.change, 10);
    assert.ok(Math.abs(l.changeRatio! - 1 / 3) < 1e-12);
    assert.match(l.comparedNote!, /2026-05-01 … 2026-05-10/);
    // By channel: web June 15 vs May 1 … 10 web 10; mail 25 vs 20.
    const rows = kpi(month, 'revenue').breakdowns[0]!.rows;
    assert.deepEqual(rows.map((x) => [x.group, x.latest.value, x.latest.previous, x.latest.compared]).sort(), [['mail', 25, 20, 'same_days'], ['web', 15, 10, 'same_days']]);
  });

  it('a ratio keeps its bound on a partial period, with no pace, and compares like for like too', () => {
    // June: 40 / 2 orders = 20 ≥ 5 → met. May 1 … 10: 30 / 2 = 15 → change +5.
    const l = kpi(month, 'per_order').latest;
    assert.deepEqual([l.value, l.target, l.paceTarget, l.pace, l.status], [20, { min: 5 }, undefined, undefined, 'met']);
    assert.deepEqual([l.previous, l.change, l.compared], [15, 5, 'same_days']);
  });

  it('a distinct count or a growth rate on a partial period gives no verdict and no change, and says why', () => {
    const c = kpi(month, 'customers').latest;
    assert.equal(c.status, 'no_target');
    assert.match(c.noTarget!, /partial \(data through 2026-06-10\).*distinct values.*cannot be pro-rated/);
    const g = kpi(month, 'growth_rate').latest;
    assert.equal(g.status, 'no_target');
    assert.match(g.noTarget!, /uses growth\(\), setting part of a period against a whole one/);
    assert.deepEqual([g.compared, g.previous, g.change], ['none', null, null]);
    assert.match(g.comparedNote!, /uses growth\(\)/);
  });

  it('a partial quarter: pace over the months and days covered, vs prev over as many days of the previous quarter', () => {
    // Q2 target 3 × 90 = 270; covered April 1 … June 10: 90 + 90 + 30 = 210. Q2 value
    // May 130 + June 40 = 170 < 210 → missed (no warn band), behind pace.
    const l = kpi(quarter, 'revenue').latest;
    assert.deepEqual([l.period, l.through, l.value, l.target, l.paceTarget, l.status, l.pace], ['2026-Q2', '2026-06-10', 170, { min: 270 }, { min: 210 }, 'missed', 'behind_pace']);
    // April 1 … June 10 is 30 + 31 + 10 = 71 days; Q1's first 71 days end on 2026-03-12
    // (31 + 28 + 12): 50 + 7 = 57 (the 1000 of 2026-03-13 is outside). Change 170 - 57 = 113.
    assert.deepEqual([l.previous, l.change, l.compared], [57, 113, 'same_days']);
    assert.match(l.comparedNote!, /2026-01-01 … 2026-03-12/);
  });

  it('a whole latest period compares with the whole previous one', () => {
    // With --to 2026-05 the range ends on May 31: May is whole. May 130 vs April, which has
    // no rows (no value) → compared whole, previous null.
    const r = evalText(PARTIAL_SPEC, { 's.csv': PARTIAL_CSV }, { today: '2026-12-31', grain: 'month', to: '2026-05' });
    const l = kpi(r, 'revenue').latest;
    assert.deepEqual([l.period, l.through, l.compared, l.previous], ['2026-05', undefined, 'whole', null]);
    const byData = evalText(PARTIAL_SPEC, { 's.csv': PARTIAL_CSV }, { today: '2026-12-31' });
    // Today after the data: the sources' last day (2026-06-25) makes June partial.
    assert.equal(byData.periods.at(-1)!.through, '2026-06-25');
  });
});
