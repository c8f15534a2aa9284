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

/** n KPIs in a ring: k0 uses k1, …, the last uses k0. */
function ringSpec(n: number): string {
  const lines = ['kpispec: 1', 'kpis:'];
  for (let i = 0; i < n; i++) lines.push(`  k${i}: { formula: k${(i + 1) % n} + 1 }`);
  return lines.join('\n') + '\n';
}

describe('rings of KPIs', () => {
  it('are reported once per KPI with the cycle cut short, not with every KPI of it', () => {
    const [result] = check({ 'a.kpi.yaml': ringSpec(3000) });
    const problems = result!.problems;
    assert.equal(problems.length, 3000);
    assert.ok(problems.every((p) => p.rule === 'circular-definition'), problems.find((p) => p.rule !== 'circular-definition')?.message);
    const k7 = problems.find((p) => p.message.includes('definition: k7 →'))!;
    assert.equal(k7.message, 'circular definition: k7 → k8 → k9 → k10 → k11 → k12 → k13 → k14 → k15 → k16 → … → k7 (a cycle of 3,000 KPIs)');
    assert.deepEqual(k7.related!.map((r) => r.message), ['`k8` uses `k9`', '`k9` uses `k10`', '`k10` uses `k11`']);
  });

  it('spell out short cycles whole, with every step linked', () => {
    const [result] = check({ 'a.kpi.yaml': ringSpec(10) });
    const k0 = result!.problems.find((p) => p.message.includes('definition: k0 →'))!;
    assert.equal(k0.message, 'circular definition: k0 → k1 → k2 → k3 → k4 → k5 → k6 → k7 → k8 → k9 → k0');
    assert.equal(k0.related!.length, 9);
  });

  it('name, in a large tangle, a cycle through each KPI, or the tangle it belongs to', () => {
    // A ring of 100 with a spur: x uses k0 and k50 uses x, so x is in the component but off the ring.
    const text = ringSpec(100).replace('  k50: { formula: k51 + 1 }', '  k50: { formula: k51 + x }') + '  x: { formula: k0 }\n';
    const problems = check({ 'a.kpi.yaml': text })[0]!.problems;
    assert.equal(problems.length, 101);
    const x = problems.find((p) => p.message.includes('definition: x →'))!;
    assert.match(x.message, /^circular definition: x → k0 → (… → x \(one of 101 KPIs that depend on one another\)|.* → x)/);
  });

  it('are evaluated without a stack overflow: every KPI of the ring is left without a value', () => {
    const result = evalText(ringSpec(3000), {}, { kpis: ['k0'] });
    assert.equal(valueAt(result, 'k0', '2026-01'), undefined);
    assert.ok(result.problems.some((p) => /circular/.test(p.message)), result.problems.map((p) => p.message).join('\n'));
  });
});
