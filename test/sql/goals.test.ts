import * as assert from 'node:assert/strict';
import { agree } from './engines';

/**
 * Goals on DuckDB: the SQL engine computes the cells and the shared run grades and projects the
 * key results, so its goals must be the in-process engine's, field by field (compare.ts). The
 * series is the one of test/engine/goals.test.ts, whose answers are worked out there.
 */
describe('SQL engines: goals graded and projected alike', function () {
  this.timeout(60_000);

  it('DuckDB gives the same attainment, scores, projections and tracks', async () => {
    const spec = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: s.csv, time: day }
metrics:
  amount: { source: s, agg: sum, column: amount }
  n: { source: s, agg: sum, column: n }
  c: { source: s, agg: sum, column: c }
  d: { source: s, agg: sum, column: d }
kpis:
  revenue: { formula: amount, target: 200, warn: 150 }
  rate: { formula: n / d, format: percent, target: 3% }
  cost: { formula: c / d, format: percent, direction: down, target: 3.6%, warn: 4% }
goals:
  paced:
    start: 2025-03
    due: 2025-09
    kpis: { revenue: { weight: 2 }, rate: {}, cost: {} }
  done:
    start: 2025-01
    due: 2025-04
    kpis: { revenue: {}, rate: { baseline: 1% } }
`;
    const csv = 'day,amount,n,c,d\n2025-01-31,100,20,50,1000\n2025-02-28,110,21,48,1000\n2025-03-31,120,22,46,1000\n2025-04-30,130,24,45,1000\n2025-05-31,140,25,44,1000\n2025-06-30,150,27,42,1000\n';
    const { expected, results } = await agree({ 'a.kpi.yaml': spec, 's.csv': csv }, { today: '2026-12-01' }, ['duckdb']);
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
