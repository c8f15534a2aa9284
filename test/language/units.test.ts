import * as assert from 'node:assert/strict';
import { baseUnit, describeUnit, divide, multiply, RATIO } from '../../server/src/language/units';
import { problemsOf, spec, WEB_CSV } from '../helpers/memoryHost';

/** `rule on "text under the span" in line "…"`, for the problems of a spec with these KPIs. */
const run = (kpis: string) => {
  const text = spec({ kpis });
  return problemsOf({ 'a.kpi.yaml': text, 'web.csv': WEB_CSV }).map((p) => {
    const lineStart = text.lastIndexOf('\n', p.span.offset) + 1;
    return `${p.rule} ${text.slice(p.span.offset, p.span.offset + p.span.length)} ${text.slice(lineStart, p.span.offset).trim()}`;
  });
};

describe('units', () => {
  it('describes composed units', () => {
    assert.equal(describeUnit(divide(baseUnit('CNY'), baseUnit('count'))), 'CNY per count');
    assert.equal(describeUnit(divide(baseUnit('count'), baseUnit('count'))), 'ratio');
    assert.equal(describeUnit(multiply(baseUnit('count'), baseUnit('count'))), 'count^2');
    assert.equal(describeUnit(RATIO), 'ratio');
    assert.equal(describeUnit(null), 'number');
  });

  it('accepts like units and ratios of anything', () => {
    assert.deepEqual(run([
      '  a: { formula: (revenue - revenue) / revenue, format: percent }',
      '  b: { formula: bounces / sessions, format: percent, target: 40% }',
      '  c: { formula: revenue / sessions * 2, format: currency }',
      '  d: { formula: 1 - bounces / sessions, format: percent }',
      '  e: { formula: growth(revenue), format: percent }',
      "  f: { formula: 'if(revenue > 100, revenue, 0)', format: currency }",
      "  g: { formula: 'coalesce(revenue, 0) + prev(revenue)', format: currency }",
    ].join('\n')), []);
  });

  it('reports adding money to counts at the operator', () => {
    const problems = problemsOf({ 'a.kpi.yaml': spec({ kpis: '  x: { formula: revenue + sessions }' }), 'web.csv': WEB_CSV });
    const p = problems.find((q) => q.rule === 'unit-mismatch');
    assert.ok(p, 'unit-mismatch reported');
    assert.match(p.message, /cannot add `revenue` \(CNY\) and `sessions` \(count\)/);
  });

  it('tells two currencies apart', () => {
    assert.deepEqual(run('  x: { formula: revenue - spend, format: currency }'), ['unit-mismatch - x: { formula: revenue']);
  });

  it('checks comparisons and the arguments of min/max/coalesce', () => {
    assert.deepEqual(run("  x: { formula: 'if(revenue > sessions, 1, 0)' }"), ["unit-mismatch > x: { formula: 'if(revenue"]);
    assert.deepEqual(run("  x: { formula: 'max(revenue, seconds)' }"), ["unit-mismatch max x: { formula: '"]);
  });

  it('takes a percent literal as a ratio', () => {
    assert.deepEqual(run('  x: { formula: revenue + 10% }'), ['unit-mismatch + x: { formula: revenue']);
    assert.deepEqual(run('  x: { formula: revenue * 10%, format: currency }'), []);
  });

  it('infers through KPIs that use KPIs', () => {
    assert.deepEqual(run('  aov: { formula: revenue / sessions }\n  y: { formula: aov + revenue }'), ['unit-mismatch + y: { formula: aov']);
  });

  it('warns when the format does not fit the unit, and accepts money per count as currency', () => {
    assert.deepEqual(run('  x: { formula: bounces / sessions, format: currency }'), ['format-mismatch currency x: { formula: bounces / sessions, format:']);
    assert.deepEqual(run('  x: { formula: revenue, format: percent }'), ['format-mismatch percent x: { formula: revenue, format:']);
    assert.deepEqual(run('  x: { formula: seconds / sessions, format: duration }'), []);
  });

  it('flags a percent target written as a whole number', () => {
    const problems = problemsOf({ 'a.kpi.yaml': spec({ kpis: '  x: { formula: bounces / sessions, format: percent, direction: down, target: 40 }' }), 'web.csv': WEB_CSV });
    const p = problems.find((q) => q.rule === 'percent-target');
    assert.equal(p?.data?.suggestion, '40%');
    assert.deepEqual(run('  x: { formula: bounces / sessions, format: percent, direction: down, target: 0.4 }'), []);
  });
});

describe('formulas in flow mappings', () => {
  it('explains that a comma ends an unquoted formula inside { }', () => {
    const problems = problemsOf({ 'a.kpi.yaml': spec({ kpis: '  x: { formula: max(revenue, 1) }' }), 'web.csv': WEB_CSV });
    const p = problems.find((q) => q.rule === 'formula-syntax');
    assert.match(p?.message ?? '', /quote the formula/);
  });
});
