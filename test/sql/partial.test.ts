import * as assert from 'node:assert/strict';
import { PARTIAL_CSV, PARTIAL_SPEC, PARTIAL_TODAY } from '../engine/partialFixture';
import { agree } from './engines';

/**
 * Converted targets and partial periods on DuckDB: the SQL engine computes the cells (cut at
 * today) and a second query the same days of the previous period; the shared run converts
 * targets, paces and compares. The answers are worked out in test/engine/partialPeriods.test.ts.
 */
describe('SQL engines: targets at another grain and partial periods alike', function () {
  this.timeout(60_000);

  for (const grain of ['month', 'quarter', 'year'] as const) {
    it(`DuckDB agrees with the in-process engine at ${grain} grain`, async () => {
      const { results } = await agree({ 'a.kpi.yaml': PARTIAL_SPEC, 's.csv': PARTIAL_CSV }, { today: PARTIAL_TODAY, grain }, ['duckdb']);
      const r = results.duckdb.result;
      const l = r.kpis.find((k) => k.id === 'revenue')!.latest;
      if (grain === 'month') assert.deepEqual([l.value, l.paceTarget, l.pace, l.previous, l.compared], [40, { min: 30 }, 'on_pace', 30, 'same_days']);
      if (grain === 'quarter') assert.deepEqual([l.value, l.target, l.paceTarget, l.previous], [170, { min: 270 }, { min: 210 }, 57]);
      // 2026 through June 10: 50 + 7 + 1000 + 130 + 40 = 1,227 against 90 × 5 + 30 = 480 of 1,080.
      if (grain === 'year') assert.deepEqual([l.value, l.target, l.paceTarget, l.through], [1227, { min: 1080 }, { min: 480 }, '2026-06-10']);
    });
  }
});
