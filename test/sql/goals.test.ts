import * as assert from 'node:assert/strict';
import { GOAL_SERIES_CSV, goalSeriesSpec } from '../engine/goalSeries';
import { agree } from './engines';

/**
 * Goals on DuckDB: the SQL engine computes the cells and the shared run grades and projects the
 * key results, so its goals must be the in-process engine's, field by field (compare.ts). The
 * series is the one of test/engine/goals.test.ts, whose answers are worked out there.
 */
describe('SQL engines: goals graded and projected alike', function () {
  this.timeout(60_000);

  it('DuckDB gives the same attainment, scores, projections and tracks', async () => {
    const spec = goalSeriesSpec(`  paced:
    start: 2025-03
    due: 2025-09
    kpis: { revenue: { weight: 2 }, rate: {}, cost: {} }
  done:
    start: 2025-01
    due: 2025-04
    kpis: { revenue: {}, rate: { baseline: 1% } }
`);
    const { expected, results } = await agree({ 'a.kpi.yaml': spec, 's.csv': GOAL_SERIES_CSV }, { today: '2026-12-01' }, ['duckdb']);
    // The answers of test/engine/goals.test.ts: paced 0.44375 and off_track (revenue's run-rate
    // 140 below warn 150). done: revenue (130 - 100) / 100 = 0.3, rate (0.024 - 0.01) / 0.02 = 0.7
    // → 0.5, judged on April's actual values: both below their targets and warn → off_track.
    for (const r of [expected, results.duckdb.result]) {
      const [paced, done] = r.goals;
      assert.ok(Math.abs(paced!.attainment! - 0.44375) < 1e-9, `paced ${paced!.attainment}`);
      assert.equal(paced!.track, 'off_track');
      assert.deepEqual(paced!.kpis.map((k) => k.method), ['run_rate', 'trend', 'trend']);
      assert.ok(Math.abs(done!.attainment! - 0.5) < 1e-9, `done ${done!.attainment}`);
      assert.deepEqual(done!.kpis.map((k) => [k.method, k.track]), [['actual', 'off_track'], ['actual', 'off_track']]);
    }
  });
});
