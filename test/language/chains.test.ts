import * as assert from 'node:assert/strict';
import { check } from '../helpers/memoryHost';
import { evalText, valueAt } from '../engine/evalText';

/** 3,000 KPIs, each the next one plus one, written last first: deep chains must not overflow. */
function chainSpec(n: number): string {
  const lines = ['kpispec: 1', 'sources:', '  s: { time: d, rows: [ { d: 2026-01-01, v: 1 } ] }', 'metrics:', '  v: { source: s, agg: sum, column: v }', 'kpis:'];
  for (let i = n - 1; i >= 0; i--) lines.push(`  k${i}: { formula: ${i === n - 1 ? 'v' : `k${i + 1} + 1`} }`);
  return lines.join('\n') + '\n';
}

describe('long chains of KPIs', () => {
  it('are checked without a stack overflow', () => {
    const [result] = check({ 'a.kpi.yaml': chainSpec(3000) });
    assert.deepEqual(result!.problems, []);
  });

  it('are evaluated without a stack overflow, with the right value', () => {
    const result = evalText(chainSpec(3000), {}, { kpis: ['k0'] });
    assert.equal(valueAt(result, 'k0', '2026-01'), 3000);
  });
});
