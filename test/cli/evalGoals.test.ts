import * as assert from 'node:assert/strict';
import type { EvalResult } from '../../server/src/engine/results';
import { runCli, tempWorkspace } from '../helpers/runCli';

/**
 * Goals in `kpispec eval`: graded attainment, share met, track, and each key result's progress
 * and pace, in text, Markdown and JSON. The series and its answers are those worked out in
 * test/engine/goals.test.ts (start 2025-03, due 2025-09, latest whole month 2025-06).
 */
const SPEC = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: s.csv, time: day }
metrics:
  amount: { source: s, agg: sum, column: amount }
  n: { source: s, agg: sum, column: n }
  d: { source: s, agg: sum, column: d }
kpis:
  revenue: { formula: amount, target: 200, warn: 150 }
  rate: { formula: n / d, format: percent, decimals: 1, target: 3% }
goals:
  paced:
    title: Grow
    horizon: short
    start: 2025-03
    due: 2025-09
    kpis: { revenue: { weight: 2 }, rate: {} }
`;
const CSV = 'day,amount,n,d\n2025-01-31,100,20,1000\n2025-02-28,110,21,1000\n2025-03-31,120,22,1000\n2025-04-30,130,24,1000\n2025-05-31,140,25,1000\n2025-06-30,150,27,1000\n';

describe('kpispec eval: goals', () => {
  const dir = tempWorkspace({ 'a.kpi.yaml': SPEC, 's.csv': CSV });

  it('prints attainment, dates, track and share met, then each key result\'s progress and pace', () => {
    const r = runCli(['eval', 'a.kpi.yaml', '--no-color'], dir);
    assert.equal(r.status, 0, r.stderr);
    // attainment = (2·0.375 + 0.625) / 3 = 1.375 / 3 = 45.8% → 46%; no KPI met → 0% met.
    // revenue: run-rate (130 + 140 + 150) / 3 = 140, below warn 150 → off track (the goal's track).
    // rate: trend 0.0312 (see the engine test) → 3.1% → on track.
    const lines = r.stdout.split('\n');
    const at = lines.indexOf('Goals');
    assert.deepEqual(lines.slice(at + 1, at + 4), [
      '  46%   Grow (short)  ✖ off track  2025-03-01 → 2025-09-30 · 0% met',
      '        ▲ revenue ×2   38%  150 in 2025-06, from 120 in 2025-03, toward ≥ 200 · projected 140 by run-rate → off track',
      '        ✖ rate         63%  2.7% in 2025-06, from 2.2% in 2025-03, toward ≥ 3.0% · projected 3.1% by trend → on track',
    ]);
  });

  it('writes a goals table and a key results table in Markdown, and the graded fields in JSON', () => {
    const md = runCli(['eval', 'a.kpi.yaml', '--format', 'markdown'], dir).stdout;
    assert.match(md, /\| Grow \| short \| 2025-09-30 \| 46% \| 0% \| ✖ off track \|/);
    assert.match(md, /\| `paced` \| `revenue` ×2 \| ▲ at risk \| 38% \| 150 in 2025-06, from 120 in 2025-03, toward ≥ 200 \| projected 140 by run-rate → off track \|/);
    const json = JSON.parse(runCli(['eval', 'a.kpi.yaml', '--format', 'json'], dir).stdout) as EvalResult;
    const g = json.goals[0]!;
    assert.deepEqual([g.start, g.due, g.track, g.met], ['2025-03-01', '2025-09-30', 'off_track', 0]);
    assert.ok(Math.abs(g.attainment! - 1.375 / 3) < 1e-12);
    assert.deepEqual(g.kpis.map((k) => [k.id, k.baselinePeriod, k.period, k.method, k.track]), [
      ['revenue', '2025-03', '2025-06', 'run_rate', 'off_track'],
      ['rate', '2025-03', '2025-06', 'trend', 'on_track'],
    ]);
  });
});
