import * as assert from 'node:assert/strict';
import type { EvalResult, Point } from '../../server/src/engine/results';
import { close } from '../engine/samplesData';

/**
 * Asserts that two results hold the same numbers: the timeline, every KPI's series (value within
 * 1e-9 relative, nulls equal only to nulls, status, target) in total and in every breakdown
 * (same groups in the same order), the latest values, the sources' row counts and spans, and the
 * goals: attainment, share met, track, and each key result's grading and projection. Returns
 * how many values were compared.
 */
export function assertSameResults(actual: EvalResult, expected: EvalResult, label: string): number {
  let compared = 0;
  assert.deepEqual(actual.periods, expected.periods, `${label}: periods`);
  assert.deepEqual(actual.kpis.map((k) => k.id), expected.kpis.map((k) => k.id), `${label}: KPIs`);
  const series = (a: Point[], e: Point[], where: string) => {
    assert.deepEqual(a.map((p) => p.period), e.map((p) => p.period), `${where}: periods`);
    for (let i = 0; i < e.length; i++) {
      const x = a[i]!;
      const y = e[i]!;
      assert.ok(close(x.value, y.value), `${where} ${y.period}: ${x.value} instead of ${y.value}`);
      assert.equal(x.status, y.status, `${where} ${y.period}: status`);
      assert.deepEqual(x.target, y.target, `${where} ${y.period}: target`);
      compared++;
    }
  };
  for (const e of expected.kpis) {
    const a = actual.kpis.find((k) => k.id === e.id)!;
    series(a.series, e.series, `${label} ${e.id}`);
    assert.ok(close(a.latest.value, e.latest.value) && a.latest.period === e.latest.period && a.latest.status === e.latest.status, `${label} ${e.id}: latest`);
    assert.deepEqual(a.breakdowns.map((b) => b.dimension), e.breakdowns.map((b) => b.dimension), `${label} ${e.id}: breakdowns`);
    for (const eb of e.breakdowns) {
      const ab = a.breakdowns.find((b) => b.dimension === eb.dimension)!;
      assert.deepEqual(ab.rows.map((r) => r.group), eb.rows.map((r) => r.group), `${label} ${e.id} by ${eb.dimension}: groups`);
      for (let i = 0; i < eb.rows.length; i++) series(ab.rows[i]!.series, eb.rows[i]!.series, `${label} ${e.id} by ${eb.dimension}=${eb.rows[i]!.group}`);
    }
    assert.deepEqual(a.problems.map((p) => p.message), e.problems.map((p) => p.message), `${label} ${e.id}: problems`);
  }
  assert.deepEqual(actual.sources.map((s) => [s.id, s.rows, s.from, s.to]), expected.sources.map((s) => [s.id, s.rows, s.from, s.to]), `${label}: sources`);
  assert.deepEqual(actual.goals.map((g) => g.id), expected.goals.map((g) => g.id), `${label}: goals`);
  for (const e of expected.goals) {
    const a = actual.goals.find((g) => g.id === e.id)!;
    const where = `${label} goal ${e.id}`;
    assert.ok(close(a.attainment, e.attainment) && close(a.met, e.met), `${where}: attainment ${a.attainment} / met ${a.met} instead of ${e.attainment} / ${e.met}`);
    assert.deepEqual([a.track, a.start, a.due], [e.track, e.start, e.due], `${where}: track, start, due`);
    assert.deepEqual(a.kpis.map((k) => k.id), e.kpis.map((k) => k.id), `${where}: key results`);
    for (let i = 0; i < e.kpis.length; i++) {
      const x = a.kpis[i]!;
      const y = e.kpis[i]!;
      for (const n of ['score', 'baseline', 'value', 'target', 'projected'] as const) {
        assert.ok(close(x[n] ?? null, y[n] ?? null), `${where} ${y.id}: ${n} ${x[n]} instead of ${y[n]}`);
      }
      const facts = (k: typeof x) => [k.weight, k.status, k.scoreNote, k.baselinePeriod, k.period, k.track, k.method, k.projectedNote];
      assert.deepEqual(facts(x), facts(y), `${where} ${y.id}: weight, status, notes, periods, track, method`);
    }
  }
  return compared;
}
