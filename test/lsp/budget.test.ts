import * as assert from 'node:assert/strict';
import type { EvalResult, KpiResult, Latest, Point } from '../../server/src/engine/results';
import { pointsOf, withinBudget } from '../../server/src/lsp/budget';
import { GROUPS_KEPT } from '../../server/src/protocol';

const PERIODS = Array.from({ length: 100 }, (_, i) => `2026-01-${String(i).padStart(3, '0')}`);
const series = (base: number): Point[] => PERIODS.map((period, i) => ({ period, value: base + i, status: 'no_target' }));
const latest = (value: number | null): Latest => ({ period: PERIODS.at(-1), value, status: 'no_target', previous: null, change: null, changeRatio: null });

function kpi(id: string, groups: (number | null)[]): KpiResult {
  return {
    id, file: '/w/a.kpi.yaml', format: 'number', direction: 'up', formula: 'x', unit: 'count', problems: [],
    series: series(0), latest: latest(99),
    breakdowns: [{ dimension: 'channel', rows: groups.map((v, i) => ({ group: `g${i}`, latest: latest(v), series: series(i) })) }],
  };
}

function result(kpis: KpiResult[]): EvalResult {
  return { version: 1, spec: { file: '/w/a.kpi.yaml' }, grain: 'day', timezone: 'UTC', currency: 'USD', periods: PERIODS.map((key) => ({ key })), sources: [], goals: [], kpis, problems: [] };
}

describe('evaluation answers within a budget', () => {
  it('leaves results within the budget as they are, without a note', () => {
    const r = result([kpi('a', [1, 2, 3])]);
    const before = JSON.stringify(r);
    const out = withinBudget(r, pointsOf(r));
    assert.equal(out.truncated, undefined);
    assert.equal(JSON.stringify(out), before);
  });

  it('keeps the groups with the largest latest values first, in their order, and says how many were left out', () => {
    // 15 groups: values 0..13 and one without a value; 16 series of 100 periods.
    const values = [5, null, -50, 3, 12, 0, 7, 13, 1, 9, 2, 11, 6, 4, 8];
    const r = withinBudget(result([kpi('a', values)]), 1_100);
    const kept = r.kpis[0]!.breakdowns[0]!.rows;
    assert.equal(kept.length, GROUPS_KEPT);
    // |-50|, 13, 12, 11, 9, 8, 7, 6, 5, 4: in the order the engine gave them.
    assert.deepEqual(kept.map((row) => row.latest.value), [5, -50, 12, 7, 13, 9, 11, 6, 4, 8]);
    assert.equal(r.truncated!.total, 1_600);
    assert.equal(r.truncated!.kept, 1_100);
    assert.match(r.truncated!.reason, /10 groups with the largest latest values \(5 groups left out\)/);
    assert.equal(r.periods.length, 100, 'the groups alone brought it within budget');
  });

  it('then keeps the last periods of every series, the same ones, and the latest values of the full results', () => {
    const r = withinBudget(result([kpi('a', [1, 2, 3]), kpi('b', [4])]), 120);
    // 2 KPIs + 4 groups = 6 series: 20 periods each.
    assert.deepEqual(r.periods.map((p) => p.key), PERIODS.slice(-20));
    for (const k of r.kpis) {
      assert.deepEqual(k.series.map((p) => p.period), PERIODS.slice(-20));
      for (const row of k.breakdowns[0]!.rows) assert.deepEqual(row.series.map((p) => p.period), PERIODS.slice(-20));
      assert.equal(k.latest.value, 99);
    }
    assert.deepEqual({ kept: r.truncated!.kept, total: r.truncated!.total }, { kept: 120, total: 600 });
    assert.match(r.truncated!.reason, /every series shows its last 20 of 100 periods/);
    assert.ok(pointsOf(r) <= 120);
  });

  it('keeps at least the last period, however many series there are', () => {
    const r = withinBudget(result([kpi('a', [1, 2, 3])]), 2);
    assert.deepEqual(r.periods.map((p) => p.key), PERIODS.slice(-1));
    assert.equal(r.truncated!.kept, 4);
  });
});
