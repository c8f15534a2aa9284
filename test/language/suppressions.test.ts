import * as assert from 'node:assert/strict';
import { problemsOf } from '../helpers/memoryHost';

const base = (kpis: string) => `kpispec: 1\nsources:\n  s: { rows: [ { d: 2026-01-01, n: 1 } ], time: d }\nmetrics:\n  n: { source: s, agg: sum, column: n }\nkpis:\n  ok: { formula: n }\n${kpis}`;
const rules = (kpis: string) => problemsOf({ 'a.kpi.yaml': base(kpis) }).map((p) => p.rule);

describe('suppressions', () => {
  it('silences the named rule on the next line only', () => {
    assert.deepEqual(rules('  # kpispec-disable-next-line unknown-reference\n  x: { formula: nope }\n  y: { formula: nope }\n'), ['unknown-reference']);
  });

  it('takes several rules and a reason after --', () => {
    const kpis = '  # kpispec-disable-next-line unknown-reference, percent-target -- legacy KPI, fixed in Q3\n  x: { formula: nope, format: percent, target: 40 }\n';
    assert.deepEqual(rules(kpis), []);
  });

  it('silences every rule when no rule is named', () => {
    assert.deepEqual(rules('  # kpispec-disable-next-line\n  x: { formula: nope, format: percent, target: 40 }\n'), []);
  });

  it('reports a suppression that silences nothing', () => {
    assert.deepEqual(rules('  # kpispec-disable-next-line unknown-reference\n  x: { formula: n }\n'), ['unused-suppression']);
    assert.deepEqual(rules('  # kpispec-disable-next-line\n  x: { formula: n }\n'), ['unused-suppression']);
  });

  it('reports an unknown rule name with a did-you-mean, and does not silence everything because of it', () => {
    const problems = problemsOf({ 'a.kpi.yaml': base('  # kpispec-disable-next-line unknown-refrence\n  x: { formula: nope }\n') });
    assert.deepEqual(problems.map((p) => p.rule), ['unknown-rule', 'unknown-reference']);
    assert.match(problems[0]!.message, /did you mean `unknown-reference`/);
  });

  it('cannot silence its own unused-suppression report', () => {
    const kpis = '  # kpispec-disable-next-line unused-suppression\n  # kpispec-disable-next-line unknown-reference\n  x: { formula: n }\n';
    assert.ok(rules(kpis).includes('unused-suppression'));
  });
});
