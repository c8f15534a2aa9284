import * as assert from 'node:assert/strict';
import { gradeKeyResult, trackOf } from '../../server/src/engine/keyResult';
import { distanceToBand, progressScore } from '../../server/src/engine/grading';
import { runRate, trend } from '../../server/src/engine/projection';
import type { GoalResult, KeyResult, KpiResult, Period } from '../../server/src/engine/results';
import type { KpiDef } from '../../server/src/language/model';
import { evalText } from './evalText';
import { GOAL_SERIES_CSV, goalSeriesSpec } from './goalSeries';

/**
 * Graded attainment and pace (docs/evaluation.md, "Goals"), on a hand-made monthly series whose
 * answers are worked out below (the series: goalSeries.ts). Rows fall on each month's last day, so every month is whole.
 *
 *   month     x  amount (sum)  n/d (rate)  c/d (cost, down)
 *   2025-01   0      100         0.020        0.050
 *   2025-02   1      110         0.021        0.048
 *   2025-03   2      120         0.022        0.046
 *   2025-04   3      130         0.024        0.045
 *   2025-05   4      140         0.025        0.044
 *   2025-06   5      150         0.027        0.042
 */
const DATA = { 's.csv': GOAL_SERIES_CSV };
const spec = goalSeriesSpec;

const TODAY = { today: '2026-12-01' };
const near = (actual: number | null | undefined, expected: number, what: string) =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} instead of ${expected}`);
const goal = (spec: string, id = 'g'): GoalResult => evalText(spec, DATA, TODAY).goals.find((g) => g.id === id)!;
const kr = (g: GoalResult, id: string): KeyResult => g.kpis.find((k) => k.id === id)!;

describe('engine: graded attainment and pace of goals', () => {
  it('grades each key result from its value at the start toward its target at the due date, and weighs the scores', () => {
    const g = goal(spec(`  g:
    start: 2025-03
    due: 2025-09
    kpis: { revenue: { weight: 2 }, rate: {}, cost: {} }`));
    // Baselines are the values of 2025-03 (the start); the graded value is 2025-06's (latest whole).
    // revenue: (150 - 120) / (200 - 120) = 30 / 80 = 0.375
    // rate:    (0.027 - 0.022) / (0.030 - 0.022) = 0.005 / 0.008 = 0.625
    // cost (down, ≤ 3.6%): (0.046 - 0.042) / (0.046 - 0.036) = 0.004 / 0.010 = 0.4
    // attainment = (2·0.375 + 0.625 + 0.4) / 4 = 1.775 / 4 = 0.44375
    // met: revenue 150 is at risk (≥ 150 warn, < 200), rate and cost missed → 0 of 4 weight.
    for (const [id, base, score] of [['revenue', 120, 0.375], ['rate', 0.022, 0.625], ['cost', 0.046, 0.4]] as const) {
      near(kr(g, id).baseline, base, `${id} baseline`);
      assert.equal(kr(g, id).baselinePeriod, '2025-03');
      assert.equal(kr(g, id).period, '2025-06');
      near(kr(g, id).score, score, `${id} score`);
    }
    near(kr(g, 'cost').target, 0.036, 'cost target');
    near(g.attainment, 0.44375, 'attainment');
    assert.equal(g.met, 0);
    assert.deepEqual([g.start, g.due], ['2025-03-01', '2025-09-30']);
  });

  it('projects by run-rate for a sum and by a Theil–Sen trend for ratios, and takes the worst track', () => {
    const g = goal(spec(`  g:
    start: 2025-03
    due: 2025-09
    kpis: { revenue: { weight: 2 }, rate: {}, cost: {} }`));
    // Due 2025-09 is x = 8 (three months after 2025-06, x = 5).
    // revenue (a sum): run-rate = mean of the last 3 months = (130 + 140 + 150) / 3 = 140;
    //   below the warn band (≥ 150) → off_track.
    // rate: pairwise slopes (in thousandths) of 20, 21, 22, 24, 25, 27 over x = 0..5, sorted:
    //   1, 1, 1, 1, 1.25, 1.33, 1.33, 1.4, 1.5, 1.5, 1.5, 1.5, 1.67, 2, 2 → median (8th of 15) 1.4;
    //   from the latest 27, 3 periods ahead: 27 + 3·1.4 = 31.2 → 0.0312 ≥ 3% → on_track (within
    //   the clamp 20 - 7 .. 27 + 7).
    // cost: slopes of 50, 48, 46, 45, 44, 42, sorted: -2, -2, -2, -2, -1.67, -1.6, -1.5, -1.5,
    //   -1.5, -1.5, -1.33, -1.33, -1, -1, -1 → median -1.5; 42 - 3·1.5 = 37.5 → 0.0375: past
    //   ≤ 3.6%, inside warn ≤ 4% → at_risk.
    // The goal takes its worst key result's track: off_track.
    assert.deepEqual([kr(g, 'revenue').method, kr(g, 'rate').method, kr(g, 'cost').method], ['run_rate', 'trend', 'trend']);
    near(kr(g, 'revenue').projected, 140, 'revenue projected');
    near(kr(g, 'rate').projected, 0.0312, 'rate projected');
    near(kr(g, 'cost').projected, 0.0375, 'cost projected');
    assert.deepEqual(g.kpis.map((k) => k.track), ['off_track', 'on_track', 'at_risk']);
    assert.equal(g.track, 'off_track');
  });

  it('a trend is carried at most as many periods ahead as its window spans', () => {
    // Due 2025-12 is x = 11, 6 periods after the latest; the window spans 5 (x = 0..5), so the
    // slope is carried 5 periods: rate 27 + 5·1.4 = 34 → 0.034; cost 42 - 5·1.5 = 34.5 → 0.0345.
    // Both meet their targets (≥ 3%, ≤ 3.6%) → on_track.
    const g = goal(spec(`  g:
    due: 2025-12
    kpis: { rate: {}, cost: {} }`));
    near(kr(g, 'rate').projected, 0.034, 'rate projected');
    near(kr(g, 'cost').projected, 0.0345, 'cost projected');
    assert.deepEqual(g.kpis.map((k) => k.track), ['on_track', 'on_track']);
  });

  it('a declared baseline wins; without a start the first value in range is the baseline; no due, no projection', () => {
    const g = goal(spec(`  g:
    kpis: { rate: { baseline: 1% }, revenue: {} }`));
    // rate: (0.027 - 0.01) / (0.03 - 0.01) = 0.017 / 0.02 = 0.85 (declared baseline, no period).
    // revenue: baseline 2025-01 = 100 → (150 - 100) / (200 - 100) = 0.5.
    // attainment = (0.85 + 0.5) / 2 = 0.675. No due: no projection and no track.
    near(kr(g, 'rate').score, 0.85, 'rate score');
    assert.equal(kr(g, 'rate').baselinePeriod, undefined);
    near(kr(g, 'revenue').baseline, 100, 'revenue baseline');
    assert.equal(kr(g, 'revenue').baselinePeriod, '2025-01');
    near(kr(g, 'revenue').score, 0.5, 'revenue score');
    near(g.attainment, 0.675, 'attainment');
    assert.equal(g.track, undefined);
    assert.equal(kr(g, 'rate').projected, undefined);
  });

  it('once the data reaches the due period, the actual value is graded and judged, not a projection', () => {
    const g = goal(spec(`  g:
    start: 2025-01
    due: 2025-04
    kpis: { revenue: {}, rate: {} }`));
    // Graded at 2025-04: revenue (130 - 100) / (200 - 100) = 0.3; rate (0.024 - 0.020) / (0.030 - 0.020) = 0.4.
    // Judged on the actual values: 130 < warn 150 → off_track; 0.024 < 3% without warn → off_track.
    assert.deepEqual(g.kpis.map((k) => [k.period, k.method]), [['2025-04', 'actual'], ['2025-04', 'actual']]);
    near(kr(g, 'revenue').score, 0.3, 'revenue score');
    near(kr(g, 'rate').score, 0.4, 'rate score');
    near(kr(g, 'revenue').projected, 130, 'revenue actual');
    assert.equal(g.track, 'off_track');
  });

  it('judges a projection on the target\'s edge as on track, and just past it as at risk', () => {
    // The run-rate is 140 (see above). A target of ≥ 140 is met exactly → on_track; ≥ 140.5
    // with warn ≥ 130 → at_risk; ≥ 141 with warn ≥ 140.5 → off_track.
    const track = (target: string, warn: string) =>
      kr(goal(spec(`  g:\n    due: 2025-09\n    kpis: { revenue: {} }`, { revenue: target, revenueWarn: warn, rate: '3%' })), 'revenue').track;
    assert.equal(track('140', '130'), 'on_track');
    assert.equal(track('140.5', '130'), 'at_risk');
    assert.equal(track('141', '140.5'), 'off_track');
    assert.equal(trackOf(0.036, { max: 0.036 }, { max: 0.04 }), 'on_track');
    assert.equal(trackOf(0.0361, { max: 0.036 }, { max: 0.04 }), 'at_risk');
    assert.equal(trackOf(0.0401, { max: 0.036 }, { max: 0.04 }), 'off_track');
    assert.equal(trackOf(null, { max: 0.036 }, undefined), undefined);
  });

  it('grades a range target toward the edge the value is short of, and says why a key result is not graded', () => {
    const g = goal(spec(`  g:
    kpis: { rate: { baseline: 1% }, rate_free: {} }`, { revenue: '200', revenueWarn: '150', rate: '{ min: 2%, max: 2.5% }' }));
    // rate: baseline 1% is 0.01 below the range; 2025-06's 0.027 is 0.002 above it → 1 - 0.002 / 0.01 = 0.8.
    near(kr(g, 'rate').score, 0.8, 'range score');
    assert.deepEqual([kr(g, 'rate').target, kr(g, 'rate').targetBound], [0.02, { min: 0.02, max: 0.025 }]);
    assert.deepEqual([kr(g, 'rate_free').score, kr(g, 'rate_free').scoreNote], [null, 'the KPI has no target']);
    near(g.attainment, 0.8, 'attainment of the graded key result alone');
  });

  it('a due date before the range grades nothing', () => {
    const g = goal(spec(`  g:
    due: 2024-12
    kpis: { revenue: {} }`));
    assert.deepEqual([kr(g, 'revenue').score, kr(g, 'revenue').scoreNote, g.attainment], [null, 'the goal is due in 2024-12, before the range evaluated', null]);
  });
});

describe('engine: the grading and projection rules', () => {
  it('scores the share of the baseline\'s distance to the band that is closed, clamped to 0..1', () => {
    assert.equal(distanceToBand(5, { min: 2, max: 4 }), 1);
    assert.equal(distanceToBand(3, { min: 2, max: 4 }), 0);
    assert.equal(progressScore(150, 100, { min: 200 }), 0.5); // (150 - 100) / (200 - 100)
    assert.equal(progressScore(90, 100, { min: 200 }), 0); // went the wrong way: clamped
    assert.equal(progressScore(250, 100, { min: 200 }), 1); // past the target: clamped
    assert.equal(progressScore(0.3, 0.5, { max: 0.4 }), 1);
    assert.equal(progressScore(0.45, 0.5, { max: 0.4 }), 0.5); // down: (0.5 - 0.45) / (0.5 - 0.4)
    assert.equal(progressScore(210, 220, { min: 200 }), 1, 'a baseline already met: a met value scores 1');
    assert.equal(progressScore(190, 220, { min: 200 }), 0, 'a baseline already met: falling short scores 0');
  });

  it('a run-rate is the mean of the last three periods; a trend ignores one outlier', () => {
    assert.deepEqual(runRate([{ x: 0, y: 9 }, { x: 1, y: 3 }, { x: 2, y: 6 }, { x: 3, y: 9 }]), { value: 6, method: 'run_rate' });
    assert.deepEqual(runRate([{ x: 0, y: 4 }]), { value: 4, method: 'run_rate', note: 'run-rate of 1 period only' });
    // y = 1, 2, 3, 100, 5, 6 over x = 0..5: of the 15 pairwise slopes, 10 are 1, and -95, -47,
    // 33, 49, 97 → median 1; from the latest 6, two periods ahead (x = 7): 8.
    const points = [1, 2, 3, 100, 5, 6].map((y, x) => ({ x, y }));
    assert.deepEqual(trend(points, 7), { value: 8, method: 'trend' });
    // y = 6, 5, ..., 1: slope -1; 5 periods ahead (the window's span) gives 1 - 5 = -4, floored
    // at 0 since no value in the window is negative.
    assert.deepEqual(trend([6, 5, 4, 3, 2, 1].map((y, x) => ({ x, y })), 10), { value: 0, method: 'trend' });
    // Two points: no trend, the latest value is held.
    assert.deepEqual(trend([{ x: 0, y: 1 }, { x: 1, y: 2 }], 5), { value: 2, method: 'trend', note: '2 periods with a value: too few for a trend, the latest value is held' });
  });

  it('leaves an additive KPI\'s partial period out of grading and projection, not a ratio\'s', () => {
    // 2025-03 is partial (data through the 10th): the graded value is 2025-02's 110, and the
    // run-rate is the mean of 100 and 110 = 105 (two whole months only). Due 2025-06 lies beyond
    // the range: its target is the undated ≥ 200, converted like 2025-03's (unchanged).
    const periods: Period[] = [
      { key: '2025-01', start: '2025-01-01', end: '2025-01-31' },
      { key: '2025-02', start: '2025-02-01', end: '2025-02-28' },
      { key: '2025-03', start: '2025-03-01', end: '2025-03-31', through: '2025-03-10' },
    ];
    const kpi = {
      id: 'revenue', series: [100, 110, 40].map((value, i) => ({ period: periods[i]!.key, value, status: 'missed' as const, target: { min: 200 } })),
    } as KpiResult;
    const k: KeyResult = { id: 'revenue', weight: 1, status: 'missed', score: null };
    const dueDay = Date.UTC(2025, 5, 30) / 86_400_000;
    const span = { offset: 0, length: 0 };
    const def = { target: { span, dated: false, steps: [{ span, min: { value: 200, span, percent: false } }] } } as KpiDef;
    gradeKeyResult(k, { kpi: 'revenue', span }, kpi, def, true, {
      grain: 'month', periods, hasDue: true, due: { index: 5, key: '2025-06', start: dueDay - 29, reached: false, beforeRange: false },
    });
    // Score: baseline 2025-01 = 100 → (110 - 100) / (200 - 100) = 0.1.
    assert.deepEqual([k.period, k.value, k.projected, k.method, k.projectedNote], ['2025-02', 110, 105, 'run_rate', 'run-rate of 2 periods only']);
    near(k.score, 0.1, 'score');
    // A ratio's partial period is a rate already: read like the others. Graded 2025-03 = 40, below
    // its baseline 100 → 0. Trend of 100, 110, 40 at x = 0..2: slopes 10, -30, -70 → median -30;
    // carried 2 periods (the window's span) from 40: -20, floored at 0 (no value is negative).
    const r: KeyResult = { id: 'revenue', weight: 1, status: 'missed', score: null };
    gradeKeyResult(r, { kpi: 'revenue', span }, kpi, def, false, {
      grain: 'month', periods, hasDue: true, due: { index: 5, key: '2025-06', start: dueDay - 29, reached: false, beforeRange: false },
    });
    assert.deepEqual([r.period, r.score, r.projected, r.method], ['2025-03', 0, 0, 'trend']);
  });
});
