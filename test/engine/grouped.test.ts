import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readGroupedCsv } from '../../server/src/data/groupedCsv';
import { NodeHost } from '../../server/src/data/nodeHost';
import { readTableFile, type ReadOptions, type TableResult } from '../../server/src/data/readTable';
import { TableCache } from '../../server/src/data/tableCache';
import type { EvalResult } from '../../server/src/engine/results';
import { evaluateSpec, type DataAccess, type EvalOptions } from '../../server/src/engine/run';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { KpiReuse } from '../../server/src/engine/reuse';
import { Workspace } from '../../server/src/language/workspace';
import { REPO } from '../helpers/runCli';
import { assertSameResults } from '../sql/compare';

/** Every file the engine lets merge is read in groups, whatever its size, through small windows. */
class GroupedReads implements DataAccess {
  readonly grouped: string[] = [];

  file(file: string, options: ReadOptions): TableResult {
    if (options.group && options.format === 'csv' && fs.existsSync(file)) {
      const fd = fs.openSync(file, 'r');
      try {
        const g = readGroupedCsv(fd, fs.fstatSync(fd).size, options, options.group, 512);
        if (g) {
          this.grouped.push(path.basename(file));
          return g;
        }
      } finally {
        fs.closeSync(fd);
      }
    }
    return readTableFile(file, options);
  }
}

function sourceReport(r: EvalResult): unknown {
  return r.sources.map((s) => ({ id: s.id, rows: s.rows, from: s.from, to: s.to, skipped: s.skipped ?? [], problems: s.problems.map((p) => `${p.severity} ${p.message} @${p.line}`) }));
}

function bothWays(dir: string, spec: string, options: EvalOptions = {}): { rows: EvalResult; groups: EvalResult; grouped: string[] } {
  const ws = new Workspace(new NodeHost(), dir);
  const file = path.join(dir, spec);
  const checked = checkFiles(ws, [file]).flatMap((r) => r.problems);
  const access = new GroupedReads();
  const groups = evaluateSpec(ws, file, options, access, checked);
  return { rows: evaluateSpec(ws, file, options, new TableCache(), checked), groups, grouped: access.grouped };
}

/**
 * Sources read in groups (data/groupedCsv.ts, used for large files) give the results of the same
 * sources read row by row: values, status, breakdowns, rows, skipped rows and problems.
 */
describe('engine: sources read in groups', () => {
  it('the shipped scorecard, by month, by week and by each dimension', () => {
    const merged = new Set<string>();
    for (const options of [{ grain: 'month' }, { grain: 'week' }, { grain: 'day', last: 20 }, { by: 'channel' }] as EvalOptions[]) {
      const { rows, groups, grouped } = bothWays(REPO, 'samples/webshop.kpi.yaml', options);
      assert.ok(assertSameResults(groups, rows, JSON.stringify(options)) > 100, 'values compared');
      assert.deepEqual(sourceReport(groups), sourceReport(rows));
      grouped.forEach((g) => merged.add(g));
    }
    assert.ok(merged.size >= 3, `several sample files merge: ${[...merged].join(', ')}`);
  });

  const broken = path.join(REPO, 'test/fixtures/broken');
  for (const spec of fs.readdirSync(broken).filter((f) => f.endsWith('.kpi.yaml'))) {
    it(`${spec}: the same results and problems`, () => {
      const { rows, groups } = bothWays(broken, spec);
      assertSameResults(groups, rows, spec);
      assert.deepEqual(sourceReport(groups), sourceReport(rows));
    });
  }

  it('merges sums, counts, averages and extremes under filters, and counts a key column', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpispec-grouped-'));
    try {
      const lines = ['date,channel,status,visits,revenue,device'];
      for (let i = 0; i < 500; i++) lines.push(`2026-0${1 + (i % 3)}-${String(1 + (i % 27)).padStart(2, '0')},${['email', 'social', ''][i % 3]},${i % 4 ? 'won' : 'lost'},${i % 17 ? i % 50 : 'x'},${(i * 1.37).toFixed(2)},${['mobile', 'desktop'][i % 2]}`);
      lines.push('bad date,email,won,1,1,mobile', ',email,won,1,1,"  "');
      fs.writeFileSync(path.join(dir, 'd.csv'), lines.join('\n'));
      fs.writeFileSync(path.join(dir, 'g.kpi.yaml'), `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: d.csv, time: date, dimensions: [channel, device] }
metrics:
  visits: { source: s, agg: sum, column: visits }
  won_revenue: { source: s, agg: sum, column: revenue, where: 'status == "won"' }
  avg_visits: { source: s, agg: avg, column: visits }
  top: { source: s, agg: max, column: revenue }
  low: { source: s, agg: min, column: visits, where: 'channel == "email"' }
  rows: { source: s, agg: count }
  counted: { source: s, agg: count, column: visits }
  with_channel: { source: s, agg: count, column: channel }
kpis:
  a: { formula: visits / rows, by: [channel] }
  b: { formula: won_revenue / top, by: [channel] }
  c: { formula: avg_visits + low, by: [channel] }
  d: { formula: counted / with_channel, by: [channel] }
`);
      // `device` is broken down by only when asked for (--by): the groups leave it out otherwise.
      for (const options of [{}, { by: 'device' }]) {
        const { rows, groups, grouped } = bothWays(dir, 'g.kpi.yaml', options);
        // The data ends inside its last month: the run over the same days of the month before
        // (like for like) reads the file again, as this access keeps no cache.
        assert.deepEqual([...new Set(grouped)], ['d.csv']);
        assert.ok(assertSameResults(groups, rows, 'filters') > 30);
        assert.deepEqual(sourceReport(groups), sourceReport(rows));
      }
      // Where results are kept across evaluations (the editor), every dimension is a key, so
      // that a `by:` edit finds the table read already.
      const ws = new Workspace(new NodeHost(), dir);
      const file = path.join(dir, 'g.kpi.yaml');
      const options: ReadOptions[] = [];
      const access: DataAccess = { file: (f, o) => (options.push(o), new GroupedReads().file(f, o)), reuse: new KpiReuse() };
      evaluateSpec(ws, file, {}, access);
      evaluateSpec(ws, file, {}, { file: (f, o) => (options.push(o), new GroupedReads().file(f, o)) });
      // Each run reads twice (the second time for like for like), with its own run's plan.
      assert.deepEqual(options.map((o) => o.group?.keys.sort()), [['channel', 'date', 'device', 'status'], ['channel', 'date', 'device', 'status'], ['channel', 'date', 'status'], ['channel', 'date', 'status']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
