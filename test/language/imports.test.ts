import * as assert from 'node:assert/strict';
import { check, problemsOf } from '../helpers/memoryHost';

const SOURCES = 'kpispec: 1\nsources:\n  web: { rows: [ { day: 2026-01-01, visits: 10, orders: 1 } ], time: day }\n';
const METRICS = 'kpispec: 1\nimports: [sources.kpi.yaml]\nmetrics:\n  visits: { source: web, agg: sum, column: visits }\n  orders: { source: web, agg: sum, column: orders }\n';

describe('imports', () => {
  it('brings sources, metrics and KPIs of imported files into scope, transitively, relative to the file', () => {
    const problems = problemsOf({
      'specs/main.kpi.yaml': 'kpispec: 1\nimports: [lib/metrics.kpi.yaml]\nkpis:\n  cr: { formula: orders / visits, format: percent }\n',
      'specs/lib/metrics.kpi.yaml': METRICS,
      'specs/lib/sources.kpi.yaml': SOURCES,
    });
    assert.deepEqual(problems, []);
  });

  it('reports a missing import at its path, and a non-spec import as a bad value', () => {
    const text = 'kpispec: 1\nimports: [nope.kpi.yaml, data.csv]\n';
    const problems = problemsOf({ 'a.kpi.yaml': text });
    assert.deepEqual(problems.map((p) => [p.rule, text.slice(p.span.offset, p.span.offset + p.span.length)]), [
      ['import-not-found', 'nope.kpi.yaml'],
      ['invalid-value', 'data.csv'],
    ]);
  });

  it('reports at the import entry a file whose own imports cannot be read, however deep (a chain of three files, the last missing)', () => {
    const files = {
      'a.kpi.yaml': 'kpispec: 1\nimports: [b.kpi.yaml]\nkpis:\n  cr: { formula: orders / visits }\n',
      'b.kpi.yaml': 'kpispec: 1\nimports: [c.kpi.yaml]\n',
      'c.kpi.yaml': METRICS.replace('sources.kpi.yaml', 'missing.kpi.yaml'),
    };
    const [a, b, c] = check(files, Object.keys(files));
    const first = a!.problems.find((p) => p.rule === 'import-not-found')!;
    assert.equal(files['a.kpi.yaml'].slice(first.span.offset, first.span.offset + first.span.length), 'b.kpi.yaml');
    assert.match(first.message, /^`b\.kpi\.yaml` is incomplete: b\.kpi\.yaml → c\.kpi\.yaml cannot import `missing\.kpi\.yaml`: .+; what it defines over that file is missing here too$/);
    assert.equal(first.severity, 'error');
    assert.equal(first.related?.[0]?.file, '/ws/c.kpi.yaml');
    assert.equal(files['c.kpi.yaml'].slice(first.related![0]!.span.offset, first.related![0]!.span.offset + first.related![0]!.span.length), 'missing.kpi.yaml');
    assert.deepEqual(b!.problems.filter((p) => p.rule === 'import-not-found').map((p) => p.message.split(':')[0]), ['`c.kpi.yaml` is incomplete']);
    assert.deepEqual(c!.problems.filter((p) => p.rule === 'import-not-found').map((p) => p.message.split(':')[0]), ['cannot import `missing.kpi.yaml`']);
  });

  it('says a missing file once, at the entry that names it, when this file imports it too', () => {
    const text = 'kpispec: 1\nimports: [b.kpi.yaml, gone.kpi.yaml]\n';
    const problems = problemsOf({ 'a.kpi.yaml': text, 'b.kpi.yaml': 'kpispec: 1\nimports: [gone.kpi.yaml]\n' });
    assert.deepEqual(problems.map((p) => [p.rule, text.slice(p.span.offset, p.span.offset + p.span.length)]), [['import-not-found', 'gone.kpi.yaml']]);
  });

  it('reports an import cycle with each step, in every file of the cycle, without hanging', () => {
    const files = {
      'a.kpi.yaml': 'kpispec: 1\nimports: [b.kpi.yaml]\n',
      'b.kpi.yaml': 'kpispec: 1\nimports: [c.kpi.yaml]\n',
      'c.kpi.yaml': 'kpispec: 1\nimports: [a.kpi.yaml]\n',
    };
    const results = check(files, Object.keys(files));
    const messages = results.map((r) => r.problems.map((p) => `${p.rule}: ${p.message}`));
    assert.deepEqual(messages, [
      ['import-cycle: import cycle: a.kpi.yaml → b.kpi.yaml → c.kpi.yaml → a.kpi.yaml'],
      ['import-cycle: import cycle: b.kpi.yaml → c.kpi.yaml → a.kpi.yaml → b.kpi.yaml'],
      ['import-cycle: import cycle: c.kpi.yaml → a.kpi.yaml → b.kpi.yaml → c.kpi.yaml'],
    ]);
    assert.equal(results[0]!.problems[0]!.related?.length, 2);
  });

  it('reports an id defined both here and in an import, pointing at the other definition', () => {
    const problems = problemsOf({
      'a.kpi.yaml': 'kpispec: 1\nimports: [lib.kpi.yaml]\nkpis:\n  visits: { formula: orders }\n',
      'lib.kpi.yaml': METRICS.replace('imports: [sources.kpi.yaml]\n', SOURCES.replace('kpispec: 1\n', '')),
    });
    const dup = problems.find((p) => p.rule === 'duplicate-id');
    assert.ok(dup);
    assert.match(dup.message, /`visits` is also defined as a metric in lib\.kpi\.yaml/);
    assert.equal(dup.related?.[0]?.file, '/ws/lib.kpi.yaml');
  });

  it('lets a source and a metric share a name (sources have their own ids)', () => {
    const problems = problemsOf({
      'a.kpi.yaml': 'kpispec: 1\nsources:\n  orders: { rows: [ { d: 2026-01-01, n: 1 } ], time: d }\nmetrics:\n  orders: { source: orders, agg: count }\nkpis:\n  k: { formula: orders }\n',
    });
    assert.deepEqual(problems, []);
  });

  it('counts a metric as used when a KPI in an importing file uses it', () => {
    const files = {
      'main.kpi.yaml': 'kpispec: 1\nimports: [metrics.kpi.yaml]\nkpis:\n  cr: { formula: orders / visits }\n',
      'metrics.kpi.yaml': METRICS,
      'sources.kpi.yaml': SOURCES,
    };
    const results = check(files, Object.keys(files));
    assert.deepEqual(results.flatMap((r) => r.problems), []);
    const alone = check(files, ['metrics.kpi.yaml']);
    assert.deepEqual(alone[0]!.problems.map((p) => p.rule), ['unused-metric', 'unused-metric']);
  });
});
