import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { diffSpecs } from '../../server/src/diff/diffSpecs';
import type { DiffResult } from '../../server/src/diff/result';
import { Workspace } from '../../server/src/language/workspace';
import { MemoryHost, ROOT } from '../helpers/memoryHost';

const HEAD = `kpispec: 1
sources:
  web: { file: web.csv, time: date, dimensions: [channel, device] }
metrics:
  sessions: { source: web, agg: sum, column: sessions }
  orders: { source: web, agg: sum, column: orders }
  revenue: { source: web, agg: sum, column: revenue, unit: currency }
`;

function side(files: Record<string, string>) {
  const host = new MemoryHost(files);
  return { ws: new Workspace(host, ROOT), root: ROOT, files: Object.keys(files).filter((f) => f.endsWith('.kpi.yaml')).map((f) => path.resolve(ROOT, f)) };
}

function diff(before: string, after: string, extraBefore: Record<string, string> = {}, extraAfter: Record<string, string> = {}): DiffResult {
  return diffSpecs(side({ 'a.kpi.yaml': before, ...extraBefore }), side({ 'a.kpi.yaml': after, ...extraAfter }));
}

const brief = (r: DiffResult) => r.entries.map((e) => `${e.kind} ${e.oldId ? e.oldId + '→' : ''}${e.id} ${e.change}${e.changes.length ? ' [' + e.changes.map((c) => c.aspect).join(',') + ']' : ''}`);

describe('diff: diffSpecs', () => {
  it('finds nothing in identical specs, or after redundant parentheses and spacing', () => {
    const a = HEAD + 'kpis:\n  cr: { formula: orders / sessions, format: percent }\n';
    const b = HEAD + 'kpis:\n  cr: { formula: "((orders))/sessions", format: percent }\n';
    assert.deepEqual(brief(diff(a, a)), []);
    assert.deepEqual(brief(diff(a, b)), []);
  });

  it('treats default values as written and unwritten alike', () => {
    const a = HEAD + 'kpis:\n  cr: { formula: orders / sessions }\n';
    const b = HEAD + 'kpis:\n  cr: { formula: orders / sessions, format: number, direction: up }\n';
    assert.deepEqual(brief(diff(a, b)), []);
  });

  it('reports a changed formula with the normalized old and new text', () => {
    const r = diff(HEAD + 'kpis:\n  k: { formula: orders/sessions }\n', HEAD + 'kpis:\n  k: { formula: (orders + 1) / sessions }\n');
    assert.deepEqual(r.entries[0]!.changes, [{ aspect: 'formula', before: 'orders / sessions', after: '(orders + 1) / sessions' }]);
  });

  it('reports a rename, and a rename under a renamed metric, not a removal and an addition', () => {
    const a = HEAD + 'kpis:\n  cr: { formula: orders / sessions }\n  cr2: { formula: cr * 2 }\n';
    const b = HEAD.replace('  orders:', '  order_count:') + 'kpis:\n  conv: { formula: order_count / sessions }\n  conv2: { formula: conv * 2 }\n';
    assert.deepEqual(brief(diff(a, b)), ['kpi cr→conv renamed', 'kpi cr2→conv2 renamed', 'metric orders→order_count renamed']);
  });

  it('reports added and removed definitions', () => {
    const a = HEAD + 'kpis:\n  a: { formula: orders }\n';
    const b = HEAD + 'kpis:\n  b: { formula: sessions }\n';
    assert.deepEqual(brief(diff(a, b)), ['kpi a removed', 'kpi b added']);
  });

  it('lists affected KPIs with the path to the change, through other KPIs and sources', () => {
    const a = HEAD + 'kpis:\n  cr: { formula: orders / sessions }\n  double: { formula: cr * 2 }\n';
    const b = a.replace('file: web.csv', 'file: web2.csv');
    const r = diff(a, b);
    assert.deepEqual(brief(r), ['kpi cr affected', 'kpi double affected', 'source web changed [file]']);
    assert.equal(r.entries.find((e) => e.id === 'double')!.because, 'double ← cr ← orders ← source web (file changed)');
  });

  it('reports target steps added, removed and changed', () => {
    const a = HEAD + 'kpis:\n  k:\n    formula: orders\n    target: [{ from: 2026-01, min: 10 }, { from: 2026-03, min: 12 }]\n';
    const b = HEAD + 'kpis:\n  k:\n    formula: orders\n    target: [{ from: 2026-01, min: 11 }, { from: 2026-06, min: 15 }]\n';
    assert.deepEqual(diff(a, b).entries[0]!.changes[0]!.items, [
      { key: '2026-01', change: 'changed', before: 'min 10', after: 'min 11' },
      { key: '2026-03', change: 'removed', before: 'min 12' },
      { key: '2026-06', change: 'added', after: 'min 15' },
    ]);
  });

  it('reports the period a target is set for: `per` written as the spec\'s grain is no change, another grain is', () => {
    const a = HEAD + 'kpis:\n  k: { formula: orders, target: { min: 100 } }\n';
    assert.deepEqual(brief(diff(a, a.replace('min: 100', 'min: 100, per: month'))), [], 'month is the default grain');
    assert.deepEqual(diff(a, a.replace('min: 100', 'min: 100, per: quarter')).entries[0]!.changes[0]!.items, [
      { key: 'always', change: 'changed', before: 'min 100', after: 'min 100, per quarter' },
    ]);
  });

  it('reports a goal\'s start and a key result\'s baseline', () => {
    const a = HEAD + 'kpis:\n  k: { formula: orders / sessions, target: 40% }\ngoals:\n  g: { start: 2026-01, due: 2026-12, kpis: { k: {} } }\n';
    const b = a.replace('start: 2026-01', 'start: 2026-04').replace('k: {} }', 'k: { baseline: 30% } }');
    const g = diff(a, b).entries.find((e) => e.id === 'g')!;
    assert.deepEqual(g.changes.map((c) => [c.aspect, c.before, c.after]).filter(([aspect]) => aspect === 'start'), [['start', '2026-01', '2026-04']]);
    assert.deepEqual(g.changes.find((c) => c.aspect === 'kpis')!.items, [{ key: 'k', change: 'changed', before: 'weight 1', after: 'weight 1, baseline 30%' }]);
  });

  it('compares percent and plain bounds by value, `by` as a set, goal weights', () => {
    const a = HEAD + 'kpis:\n  k: { formula: orders / sessions, target: 40%, by: [channel, device] }\ngoals:\n  g: { kpis: { k: {} } }\n';
    const b = HEAD + 'kpis:\n  k: { formula: orders / sessions, target: 0.4, by: [device, channel] }\ngoals:\n  g: { kpis: { k: { weight: 1 } } }\n';
    assert.deepEqual(brief(diff(a, b)), []);
    const c = b.replace('weight: 1', 'weight: 3');
    assert.deepEqual(diff(a, c).entries[0]!.changes[0]!.items, [{ key: 'k', change: 'changed', before: 'weight 1', after: 'weight 3' }]);
  });

  it('flags breaking changes: unit, direction, a removed KPI still in a goal', () => {
    const a = HEAD + 'kpis:\n  k: { formula: revenue / orders }\n  d: { formula: orders }\n  gone: { formula: sessions }\ngoals:\n  g: { kpis: { gone: {} } }\n';
    const b = HEAD.replace('unit: currency', 'currency: EUR') + 'kpis:\n  k: { formula: revenue / orders }\n  d: { formula: orders, direction: down }\ngoals:\n  g: { kpis: { gone: {} } }\n';
    const r = diff(a, b);
    assert.deepEqual(r.breaking.map((x) => `${x.reason} ${x.id}`), ['direction-flip d', 'removed-kpi-in-goal gone', 'unit-change k', 'unit-change revenue']);
  });

  it('matches definitions across files: moving one to another file is no change', () => {
    const main = 'kpispec: 1\nimports: [m.kpi.yaml]\nkpis:\n  k: { formula: orders }\n';
    const r = diffSpecs(
      side({ 'a.kpi.yaml': main, 'm.kpi.yaml': HEAD }),
      side({ 'a.kpi.yaml': main.replace('kpis:\n  k: { formula: orders }\n', ''), 'm.kpi.yaml': HEAD + 'kpis:\n  k: { formula: orders }\n' }),
    );
    assert.deepEqual(brief(r), []);
  });

  it('reports a side that does not parse, with its problems, and compares nothing', () => {
    const r = diff(HEAD, HEAD + 'kpis:\n  k: { formula: orders\n');
    assert.equal(r.after.broken, true);
    assert.equal(r.before.broken, false);
    assert.equal(r.after.problems[0]!.rule, 'yaml-syntax');
    assert.deepEqual(r.entries, []);
  });

  it('reports files only on one side', () => {
    const r = diffSpecs(side({ 'a.kpi.yaml': HEAD }), side({ 'a.kpi.yaml': HEAD, 'b.kpi.yaml': 'kpispec: 1\n' }));
    assert.deepEqual(r.files, [{ path: 'a.kpi.yaml', change: 'unchanged' }, { path: 'b.kpi.yaml', change: 'added' }]);
  });

  it('is JSON-serialisable', () => {
    const r = diff(HEAD + 'kpis:\n  k: { formula: orders }\n', HEAD + 'kpis:\n  k: { formula: sessions }\n');
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
  });
});

describe('diff: long chains', () => {
  const chain = (n: number, last: string) => ['kpispec: 1', 'kpis:', ...Array.from({ length: n }, (_, i) => `  k${i}: { formula: k${i + 1} }`), `  k${n}: { formula: ${last} }`, ''].join('\n');

  it('explains every KPI of a 20,000-KPI chain without a stack overflow, the path cut to its ends', () => {
    const r = diff(chain(20_000, '1'), chain(20_000, '2'));
    assert.equal(r.summary.affected, 20_000);
    const k0 = r.entries.find((e) => e.id === 'k0')!;
    assert.equal(k0.because, 'k0 ← k1 ← k2 ← k3 ← k4 ← k5 ← k6 ← k7 ← k8 ← k9 ← … 19990 more ← k20000 (formula changed)');
    assert.equal(r.entries.find((e) => e.id === 'k19990')!.because, 'k19990 ← k19991 ← k19992 ← k19993 ← k19994 ← k19995 ← k19996 ← k19997 ← k19998 ← k19999 ← k20000 (formula changed)');
  });
});
