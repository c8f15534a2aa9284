import * as assert from 'node:assert/strict';
import { boundAt, statusOf } from '../../server/src/engine/status';
import { evalText } from './evalText';

const spec = (kpis: string, goals = '') => `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s:
    time: day
    rows:
      - { day: 2026-01-10, n: 30, d: 100 }
      - { day: 2026-02-10, n: 45, d: 100 }
      - { day: 2026-07-10, n: 55, d: 100 }
metrics:
  n: { source: s, agg: sum, column: n }
  d: { source: s, agg: sum, column: d }
kpis:
${kpis}
${goals}`;

describe('engine: targets, status and goals', () => {
  it('statusOf: met inside the target, at risk inside the warn band, missed beyond', () => {
    assert.equal(statusOf(null, { min: 1 }, undefined), 'no_data');
    assert.equal(statusOf(5, undefined, undefined), 'no_target');
    assert.equal(statusOf(0.5, { min: 0.4 }, { min: 0.3 }), 'met');
    assert.equal(statusOf(0.35, { min: 0.4 }, { min: 0.3 }), 'at_risk');
    assert.equal(statusOf(0.2, { min: 0.4 }, { min: 0.3 }), 'missed');
    assert.equal(statusOf(0.45, { max: 0.4 }, undefined), 'missed');
    assert.equal(statusOf(0.4, { min: 0.4, max: 0.4 }, undefined), 'met', 'bounds are inclusive');
  });

  it('dated targets step up from their period; an up KPI reads a bare number as a minimum', () => {
    const result = evalText(spec(`  rate:
    formula: n / d
    format: percent
    target:
      - { from: 2026-01, min: 40% }
      - { from: 2026-07, min: 60% }
    warn: { min: 25% }`));
    const series = result.kpis[0]!.series;
    assert.deepEqual(series.map((p) => [p.period, p.target?.min, p.status]), [
      ['2026-01', 0.4, 'at_risk'],
      ['2026-02', 0.4, 'met'],
      ['2026-03', 0.4, 'no_data'],
      ['2026-04', 0.4, 'no_data'],
      ['2026-05', 0.4, 'no_data'],
      ['2026-06', 0.4, 'no_data'],
      ['2026-07', 0.6, 'at_risk'],
    ]);
    const latest = result.kpis[0]!.latest;
    assert.equal(latest.period, '2026-07');
    assert.equal(latest.previous, null, 'June has no data');
  });

  it('a down KPI reads a bare number as a maximum', () => {
    const result = evalText(spec(`  cost: { formula: n / d, direction: down, target: 0.5 }`));
    assert.deepEqual(result.kpis[0]!.series.filter((p) => p.value !== null).map((p) => p.status), ['met', 'met', 'missed']);
  });

  it('change vs previous period on the latest value', () => {
    const result = evalText(spec(`  rate: { formula: n / d }`), {}, { to: '2026-02' });
    const latest = result.kpis[0]!.latest;
    assert.equal(latest.period, '2026-02');
    assert.ok(Math.abs(latest.change! - 0.15) < 1e-12);
    assert.ok(Math.abs(latest.changeRatio! - 0.5) < 1e-12);
  });

  it('goal met is the weighted share of KPIs met, attainment the weighted mean of graded scores; KPIs without a target do not count', () => {
    // n / d: Jan 0.30 (the baseline: first value), Feb 0.45, Jul 0.55 (latest).
    // good (≥ 10%, weight 3): met; its baseline already met it and 0.55 still does → score 1.
    // bad (≥ 90%): missed; score (0.55 - 0.30) / (0.90 - 0.30) = 0.25 / 0.6 = 5/12.
    // free: no target → not graded, not counted.
    // met = 3 / (3 + 1) = 0.75; attainment = (3·1 + 1·5/12) / 4 = 41/48.
    const result = evalText(spec(`  good: { formula: n / d, target: 10% }
  bad: { formula: n / d, target: 90% }
  free: { formula: n }`, `goals:
  g: { kpis: { good: { weight: 3 }, bad: {}, free: {} } }`));
    const g = result.goals[0]!;
    assert.equal(g.met, 0.75);
    assert.ok(Math.abs(g.attainment! - 41 / 48) < 1e-12, `attainment ${g.attainment}`);
    assert.deepEqual(g.kpis.map((k) => k.score === null ? null : +k.score.toFixed(12)), [1, +(5 / 12).toFixed(12), null]);
    assert.equal(g.kpis[2]!.scoreNote, 'the KPI has no target');
    assert.deepEqual(g.kpis.map((k) => [k.id, k.weight, k.status]), [['good', 3, 'met'], ['bad', 1, 'missed'], ['free', 1, 'no_target']]);
  });

  it('boundAt picks the last step not after the day', () => {
    const band = { span: { offset: 0, length: 0 }, dated: true, steps: [
      { from: { value: '2026-01', span: { offset: 0, length: 0 } }, min: { value: 1, span: { offset: 0, length: 0 }, percent: false }, span: { offset: 0, length: 0 } },
      { from: { value: '2026-Q3', span: { offset: 0, length: 0 } }, min: { value: 2, span: { offset: 0, length: 0 }, percent: false }, span: { offset: 0, length: 0 } },
    ] };
    const day = (s: string) => Date.parse(s) / 86_400_000;
    assert.equal(boundAt(band, day('2025-12-31')), undefined);
    assert.equal(boundAt(band, day('2026-06-30'))?.min, 1);
    assert.equal(boundAt(band, day('2026-07-01'))?.min, 2);
  });

  it('a range limits the periods; --last keeps the last n', () => {
    assert.deepEqual(evalText(spec(`  rate: { formula: n / d }`), {}, { from: '2026-02', to: '2026-03' }).periods.map((p) => p.key), ['2026-02', '2026-03']);
    assert.deepEqual(evalText(spec(`  rate: { formula: n / d }`), {}, { last: 2 }).periods.map((p) => p.key), ['2026-06', '2026-07']);
    assert.deepEqual(evalText(spec(`  rate: { formula: n / d }`), {}, { grain: 'quarter' }).periods.map((p) => p.key), ['2026-Q1', '2026-Q2', '2026-Q3']);
  });
});
