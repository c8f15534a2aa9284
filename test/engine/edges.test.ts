import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { tableFromText, type ReadOptions, type TableResult } from '../../server/src/data/readTable';
import { TableMemo } from '../../server/src/data/tableMemo';
import { evaluateSpec, type EvalOptions } from '../../server/src/engine/run';
import type { EvalResult } from '../../server/src/engine/results';
import { Workspace } from '../../server/src/language/workspace';
import { MemoryHost, ROOT } from '../helpers/memoryHost';
import { evalText, valueAt } from './evalText';
import { roundHalfAway } from '../../server/src/engine/rowFilter';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';

/**
 * Like evalText, but the tables and the memo live across evaluations, the way the language
 * server's TableCache keeps them (same Table object until the file changes, one TableMemo).
 */
function session(spec: string, data: Record<string, string>): (options: EvalOptions) => EvalResult {
  const files: Record<string, string> = { 'a.kpi.yaml': spec, ...data };
  const tables = new Map<string, TableResult>();
  const memo = new TableMemo();
  const access = {
    memo,
    file: (p: string, o: ReadOptions) => {
      const key = `${p}:${JSON.stringify(o)}`;
      if (!tables.has(key)) tables.set(key, tableFromText(files[path.relative(ROOT, p)]!, p, o));
      return tables.get(key)!;
    },
  };
  return (options) => evaluateSpec(new Workspace(new MemoryHost(files), ROOT), path.join(ROOT, 'a.kpi.yaml'), options, access);
}

const kpi = (r: EvalResult, id: string) => r.kpis.find((k) => k.id === id)!;

describe('engine: ranges, targets of the all period, goals and odd columns', () => {
  it('count with a text column counts its non-null values', () => {
    // docs/evaluation.md: "`count` counts kept rows, or non-null values of `column` when one is given".
    // January: customer = alice, (empty), bob → 2 non-null values.
    const r = evalText(`kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: s.csv, time: day }
metrics:
  n: { source: s, agg: count, column: customer }
kpis:
  k: { formula: n }
`, { 's.csv': 'day,customer\n2026-01-01,alice\n2026-01-02,\n2026-01-03,bob\n' });
    assert.equal(valueAt(r, 'k', '2026-01'), 2);
  });

  it('grain all honours --from: only rows in the range make the one period', () => {
    // Rows: Jan 1, Feb 10, Mar 100. --from 2026-02 keeps Feb + Mar → 110 (not 111).
    const r = evalText(`kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: s.csv, time: day }
metrics:
  v: { source: s, agg: sum, column: v }
kpis:
  k: { formula: v }
`, { 's.csv': 'day,v\n2026-01-10,1\n2026-02-10,10\n2026-03-10,100\n' }, { grain: 'all', from: '2026-02' });
    assert.equal(valueAt(r, 'k', 'all'), 110);
  });

  it('grain all uses the target step in force on the last day of the range', () => {
    // Data runs 2026-01-10..2026-03-10. On 2026-03-10 the step `from: 2026-01, min: 10` is in
    // force (the 2027-01 step is not yet). Value 111 ≥ 10 → met, target {min: 10}.
    const r = evalText(`kpispec: 1
defaults: { grain: all, timezone: UTC }
sources:
  s: { file: s.csv, time: day }
metrics:
  v: { source: s, agg: sum, column: v }
kpis:
  k:
    formula: v
    target:
      - { from: 2026-01, min: 10 }
      - { from: 2027-01, min: 1000 }
`, { 's.csv': 'day,v\n2026-01-10,1\n2026-02-10,10\n2026-03-10,100\n' });
    const p = kpi(r, 'k').series[0]!;
    assert.deepEqual(p.target, { min: 10 });
    assert.equal(p.status, 'met');
  });

  it('an untimed KPI takes the target step in force on the last day of the range, not the last period\'s first day', () => {
    // The timed source's range ends on 2026-03-20; the step `from: 2026-03-15, min: 100` is in
    // force then. x = 5 < 100 → missed, target {min: 100}.
    const r = evalText(`kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: s.csv, time: day }
  u: { rows: [ { x: 5 } ] }
metrics:
  v: { source: s, agg: sum, column: v }
  x: { source: u, agg: sum, column: x }
kpis:
  a: { formula: v }
  b:
    formula: x
    target:
      - { from: 2026-01, min: 1 }
      - { from: 2026-03-15, min: 100 }
`, { 's.csv': 'day,v\n2026-01-10,1\n2026-03-20,2\n' });
    const p = kpi(r, 'b').series[0]!;
    assert.deepEqual(p.target, { min: 100 });
    assert.equal(p.status, 'missed');
  });

  it('cached aggregates are not reused after --to cuts the range inside a period', () => {
    // Rows: Jan 1+10, Mar 10: 100, Mar 25: 1000.
    // Whole range: 2026-03 = 1100. With --to 2026-03-15: 2026-03 = 100.
    const spec = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: s.csv, time: day }
metrics:
  v: { source: s, agg: sum, column: v }
kpis:
  k: { formula: v }
`;
    const data = { 's.csv': 'day,v\n2026-01-05,1\n2026-01-20,10\n2026-03-10,100\n2026-03-25,1000\n' };
    const run = session(spec, data);
    assert.equal(valueAt(run({}), 'k', '2026-03'), 1100);
    assert.equal(valueAt(run({ to: '2026-03-15' }), 'k', '2026-03'), 100, 'stale aggregate after --to');
    const run2 = session(spec, data);
    assert.equal(valueAt(run2({ to: '2026-03-15' }), 'k', '2026-03'), 100);
    assert.equal(valueAt(run2({}), 'k', '2026-03'), 1100, 'stale aggregate after dropping --to');
  });

  it('a goal ignores a KPI without a target even when it has no data', () => {
    // a: target min 1, latest (2026-02) = 2 → met; graded from its first value (2026-01: 1, which
    // already meets the target) to 2, still met → score 1. b: no target, v / z is null everywhere
    // (z = 0) → not graded, not counted. Attainment = 1 (the mean of a's score alone, not 1/2);
    // met = 1/1.
    const r = evalText(`kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: s.csv, time: day }
metrics:
  v: { source: s, agg: sum, column: v }
  z: { source: s, agg: sum, column: z }
kpis:
  a: { formula: v, target: 1 }
  b: { formula: v / z }
goals:
  g: { kpis: { a: {}, b: {} } }
`, { 's.csv': 'day,v,z\n2026-01-10,1,0\n2026-02-10,2,0\n' });
    assert.equal(kpi(r, 'a').latest.status, 'met');
    assert.equal(r.goals[0]!.attainment, 1);
    assert.equal(r.goals[0]!.met, 1);
    assert.deepEqual(r.goals[0]!.kpis.map((k) => k.score), [1, null]);
  });

  it('a goal whose only KPI has neither target nor data has no attainment', () => {
    // docs: a goal none of whose key results can be graded has no attainment (null), and one
    // none of whose KPIs has a target has no share met either.
    const r = evalText(`kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: s.csv, time: day }
metrics:
  v: { source: s, agg: sum, column: v }
  z: { source: s, agg: sum, column: z }
kpis:
  b: { formula: v / z }
goals:
  g: { kpis: { b: {} } }
`, { 's.csv': 'day,v,z\n2026-01-10,1,0\n' });
    assert.equal(r.goals[0]!.attainment, null);
    assert.equal(r.goals[0]!.met, null);
  });

  it('an error in a source does not stop a metric that merely shares its id', () => {
    // Source `web` has an unknown key (an error inside its entry). Metric `web` reads source
    // `shop`, which is fine: shop_total = sum(v) over shop = 3 in 2026-01.
    const r = evalText(`kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  web: { file: w.csv, time: day, colour: red }
  shop: { file: s.csv, time: day }
metrics:
  web: { source: shop, agg: sum, column: v }
kpis:
  shop_total: { formula: web }
`, { 's.csv': 'day,v\n2026-01-01,3\n', 'w.csv': 'day,v\n2026-01-01,5\n' });
    assert.equal(valueAt(r, 'shop_total', '2026-01'), 3);
  });

  it('JSON numbers in the time column read with time_format YYYYMMDD', () => {
    // {"day": 20260110} with time_format YYYYMMDD is 2026-01-10: 2026-01 = 1, 2026-02 = 2.
    const r = evalText(`kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: s.json, time: day, time_format: YYYYMMDD }
metrics:
  v: { source: s, agg: sum, column: v }
kpis:
  a: { formula: v }
`, { 's.json': '[{"day":20260110,"v":1},{"day":20260210,"v":2}]' });
    assert.equal(valueAt(r, 'a', '2026-01'), 1);
    assert.equal(valueAt(r, 'a', '2026-02'), 2);
  });

  it('retained in a group without rows in the previous period is 0, not no data', () => {
    // Jan: web ids {1,2}; no email rows. Feb: web {1}, email {2,3}.
    // email in Feb has rows (the cell has data); ids seen in email both in Jan and Feb: none → 0.
    // (Total in Feb: {1,2} ∩ {1,2,3} = 2; web in Feb: {1,2} ∩ {1} = 1.)
    const r = evalText(`kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  o: { file: o.csv, time: day, dimensions: [channel] }
metrics:
  ret: { source: o, agg: retained, column: cust }
kpis:
  a: { formula: ret, by: [channel] }
`, { 'o.csv': 'day,channel,cust\n2026-01-03,web,1\n2026-01-04,web,2\n2026-02-03,web,1\n2026-02-04,email,2\n2026-02-05,email,3\n' });
    assert.equal(valueAt(r, 'a', '2026-02'), 2);
    assert.equal(valueAt(r, 'a', '2026-02', 'channel', 'web'), 1);
    assert.equal(valueAt(r, 'a', '2026-02', 'channel', 'email'), 0);
  });

  it('evaluating only some KPIs does not count the goal\'s other KPIs as missed', () => {
    // a = 2 ≥ 1 met, b = 3 ≥ 1 met, each its own baseline (one month) already met → scores 1,
    // attainment 1 with every KPI; with --kpi a, b is not evaluated (score null, "not evaluated"),
    // and the goal should not report 0.5 as if b were missed.
    const spec = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: s.csv, time: day }
metrics:
  v: { source: s, agg: sum, column: v }
  w: { source: s, agg: sum, column: w }
kpis:
  a: { formula: v, target: 1 }
  b: { formula: w, target: 1 }
goals:
  g: { kpis: { a: {}, b: {} } }
`;
    // The row is on 31 January, so that January is whole (a sum's partial month is not graded).
    const data = { 's.csv': 'day,v,w\n2026-01-31,2,3\n' };
    assert.equal(evalText(spec, data).goals[0]!.attainment, 1);
    const partial = evalText(spec, data, { kpis: ['a'] }).goals[0]!;
    assert.equal(partial.attainment, 1);
    assert.equal(partial.met, 1);
    assert.deepEqual(partial.kpis.map((k) => [k.id, k.score, k.scoreNote]), [['a', 1, undefined], ['b', null, 'not evaluated']]);
  });
});

describe('engine: rounding and step budgets', () => {
  it('rounds half away from zero on the digits as written', () => {
    assert.equal(roundHalfAway(1.005, 2), 1.01);
    assert.equal(roundHalfAway(0.285, 2), 0.29);
    assert.equal(roundHalfAway(-2.5, 0), -3);
    assert.equal(roundHalfAway(1.23e21, 2), 1.23e21);
    assert.equal(roundHalfAway(1e-7, 2), 0);
  });

  it('a KPI over its step budget is reported and the other KPIs are still computed', () => {
    const days = Array.from({ length: 400 }, (_, i) => `${new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10)},${i % 60},1`).join('\n');
    const spec = `kpispec: 1
defaults: { grain: day, timezone: UTC }
sources:
  s: { file: s.csv, time: d, dimensions: [g] }
metrics:
  v: { source: s, agg: sum, column: v }
kpis:
  heavy: { formula: 'cumulative(cumulative(cumulative(v)))', by: [g] }
  light: { formula: v }
`;
    const result = evalText(spec, { 's.csv': 'd,g,v\n' + days + '\n' });
    const heavy = result.kpis.find((k) => k.id === 'heavy')!;
    assert.match(heavy.problems[0]?.message ?? '', /`heavy` is not evaluated: evaluation stopped after 20,000,000 steps/);
    assert.equal(valueAt(result, 'light', '2025-01-02'), 1);
  });
});

describe('engine: data files stay inside the workspace', () => {
  it('does not read a data file through a link that leaves the workspace', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'kpispec-outside-'));
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'kpispec-ws-'));
    fs.writeFileSync(path.join(outside, 'secret.csv'), 'd,v\n2026-01-01,42\n');
    fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(ws, 'data.csv'));
    fs.writeFileSync(path.join(ws, 'a.kpi.yaml'), 'kpispec: 1\nsources:\n  s: { file: data.csv, time: d }\nmetrics:\n  v: { source: s, agg: sum, column: v }\nkpis:\n  k: { formula: v }\n');
    const result = evaluateSpec(new Workspace(new NodeHost(), ws), path.join(ws, 'a.kpi.yaml'), {}, new TableCache());
    assert.equal(result.kpis[0]!.latest.value, null, 'the linked file was not read');
    assert.match(result.sources[0]!.problems[0]!.message, /link to a file outside the workspace/);
  });
});

describe('engine: unreadable values are never zero', () => {
  it('a period whose values are all unreadable has no data; a #N/A does not make a numeric column text', () => {
    const spec = 'kpispec: 1\ndefaults: { grain: month, timezone: UTC }\nsources:\n  s: { file: s.csv, time: d }\nmetrics:\n  v: { source: s, agg: sum, column: v }\nkpis:\n  k: { formula: v }\n';
    const result = evalText(spec, { 's.csv': 'd,v\n2026-01-05,10\n2026-02-05,#N/A\n2026-03-05,4\n' });
    assert.deepEqual(result.kpis[0]!.series.map((p) => p.value), [10, null, 4]);
    assert.match(result.sources[0]!.problems[0]!.message, /column `v`: 1 value cannot be read as numbers/);
  });
});
