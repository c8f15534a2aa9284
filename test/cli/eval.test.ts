import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EvalResult } from '../../server/src/engine/results';
import { REPO, runCli, tempWorkspace } from '../helpers/runCli';

const BASELINE = path.join(REPO, 'test/baselines/eval-samples.table.txt');
const QUARTER_BASELINE = path.join(REPO, 'test/baselines/eval-samples.quarter.table.txt');
const SAMPLE = 'samples/webshop.kpi.yaml';
/** The samples' data ends on 2026-10-31; a fixed today keeps the baselines off the clock. */
const TODAY = ['--today', '2026-12-06'];

describe('kpispec eval (command line)', () => {
  it('prints a readable scorecard of the samples (reviewed text baseline)', () => {
    const r = runCli(['eval', SAMPLE, '--no-color', ...TODAY]);
    assert.equal(r.status, 0, r.stderr);
    if (process.env.KPISPEC_ACCEPT) fs.writeFileSync(BASELINE, r.stdout);
    assert.equal(r.stdout, fs.readFileSync(BASELINE, 'utf8'), 'differs from test/baselines/eval-samples.table.txt (npm run accept-baselines)');
  });

  it('prints the samples by quarter with converted targets and the partial last quarter (reviewed text baseline)', () => {
    const r = runCli(['eval', SAMPLE, '--no-color', '--grain', 'quarter', ...TODAY]);
    assert.equal(r.status, 0, r.stderr);
    if (process.env.KPISPEC_ACCEPT) fs.writeFileSync(QUARTER_BASELINE, r.stdout);
    assert.equal(r.stdout, fs.readFileSync(QUARTER_BASELINE, 'utf8'), 'differs from test/baselines/eval-samples.quarter.table.txt (npm run accept-baselines)');
    // pv's target is 60,000 a month in 2026: 180,000 a quarter; 2026-Q4 holds October only,
    // so it is judged against October's 60,000.
    assert.match(r.stdout, /pv .* 2026-Q4 ◔ .* ≥ 180,000 \(pace ≥ 60,000\)\s+✔ on pace/);
    assert.match(r.stdout, /◔ 2026-Q4 is partial: data through 2026-10-31\./);
  });

  it('--today ends the range: later rows are not counted and the month holding today is partial', () => {
    const r = runCli(['eval', SAMPLE, '--format', 'json', '--kpi', 'total_revenue', '--today', '2026-10-15']);
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout) as EvalResult;
    assert.deepEqual(result.periods.at(-1), { key: '2026-10', start: '2026-10-01', end: '2026-10-31', through: '2026-10-15' });
    const latest = result.kpis[0]!.latest;
    assert.equal(latest.through, '2026-10-15');
    // The target in force is ¥110,000 a month: 15 of October's 31 days pro-rate it to 110000 × 15 / 31.
    assert.deepEqual(latest.target, { min: 110000 });
    assert.ok(Math.abs(latest.paceTarget!.min! - (110000 * 15) / 31) < 1e-6);
    assert.equal(latest.compared, 'same_days');
    assert.match(latest.comparedNote!, /2026-09-01 … 2026-09-15/);
    const bad = runCli(['eval', SAMPLE, '--today', '2026-02-30']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--today needs a day such as 2026-10-15; got "2026-02-30"/);
  });

  it('writes JSON that round-trips through the results model', () => {
    const r = runCli(['eval', SAMPLE, '--format', 'json', '--kpi', 'bounce_rate', '--kpi', 'aov', ...TODAY]);
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout) as EvalResult;
    assert.equal(result.version, 1);
    assert.deepEqual(result.kpis.map((k) => k.id), ['bounce_rate', 'aov']);
    assert.equal(JSON.stringify(result, null, 2) + '\n', r.stdout);
    const k = result.kpis[0]!;
    assert.equal(k.format, 'percent');
    assert.ok(k.series.length >= 18 && k.breakdowns.some((b) => b.dimension === 'channel'));
  });

  it('writes CSV and Markdown', () => {
    const csv = runCli(['eval', SAMPLE, '--format', 'csv', '--kpi', 'bounce_rate', '--last', '2', ...TODAY]).stdout.split('\n');
    assert.equal(csv[0], 'kpi,dimension,group,period,value,target_min,target_max,status,through,pace_target_min,pace_target_max,pace,no_target');
    assert.match(csv[1]!, /^bounce_rate,,,2026-09,0\.\d+,,0\.\d+,(met|missed|at_risk),,,,,$/);
    const md = runCli(['eval', SAMPLE, '--format', 'markdown', '--kpi', 'aov', ...TODAY]).stdout;
    assert.match(md, /^## 网店营销记分卡 Web shop scorecard\n/);
    assert.match(md, /\| `aov` .* \| ¥\d{3}\.\d\d \| 2026-10 \|/);
  });

  it('exits 1 with --fail-on missed when a latest target is missed, and 1 for a spec with errors', () => {
    // The data ends on 2026-01-01, so January is partial: n = 1 is judged against 1 of 31 days
    // of the monthly target 62, i.e. 62 / 31 = 2 → missed.
    const dir = tempWorkspace({
      'a.kpi.yaml': 'kpispec: 1\nsources:\n  s: { time: d, rows: [ { d: 2026-01-01, n: 1 } ] }\nmetrics:\n  n: { source: s, agg: sum, column: n }\nkpis:\n  k: { formula: n, target: 62 }\n',
      'b.kpi.yaml': 'kpispec: 1\nsources:\n  s: { time: d, rows: [ { d: 2026-01-01, n: 1 } ] }\nmetrics:\n  n: { source: s, agg: sum, column: n }\nkpis:\n  k: { formula: n }\n  broken: { formula: nope }\n',
    });
    assert.equal(runCli(['eval', 'a.kpi.yaml'], dir).status, 0);
    const failed = runCli(['eval', 'a.kpi.yaml', '--fail-on', 'missed'], dir);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /missed target: k/);
    const broken = runCli(['eval', 'b.kpi.yaml', '--format', 'json'], dir);
    assert.equal(broken.status, 1);
    const result = JSON.parse(broken.stdout) as EvalResult;
    assert.equal(result.kpis.find((k) => k.id === 'k')!.latest.value, 1, 'the healthy KPI is still computed');
    assert.match(result.kpis.find((k) => k.id === 'broken')!.problems[0]!.message, /`broken` is not evaluated: unknown metric or KPI `nope`/);
  });

  it('lists each problem once: a KPI\'s own error, and a source that lacks a --by dimension under every KPI that reads it', () => {
    const dir = tempWorkspace({
      'a.kpi.yaml': 'kpispec: 1\nsources:\n  s: { time: d, rows: [ { d: 2026-01-01, n: 1 } ] }\n  t: { time: d, dimensions: [channel], rows: [ { d: 2026-01-01, channel: web, n: 1 } ] }\nmetrics:\n  n: { source: s, agg: sum, column: n }\n  m: { source: t, agg: sum, column: n }\nkpis:\n  k: { formula: n }\n  j: { formula: n * 2 }\n  c: { formula: m }\n  broken: { formula: nope }\n',
    });
    const problems = (args: string[]) => runCli(['eval', 'a.kpi.yaml', ...args], dir).stdout.split('\nProblems\n')[1]?.trimEnd().split('\n') ?? [];
    const broken = '  error  a.kpi.yaml:12:22  `broken` is not evaluated: unknown metric or KPI `nope`';
    assert.deepEqual(problems([]), [broken]);
    assert.deepEqual(problems(['--by', 'channel']), [broken, '  warning  a.kpi.yaml  no breakdown by `channel`: source `s` does not declare it']);
  });

  it('exits 1 when rows of a data file were lost to a quote never closed further down than check reads', () => {
    // Over the 64 KB the checker reads, so only the engine sees the quote.
    const rows = Array.from({ length: 6000 }, (_, i) => `2026-01-${String((i % 28) + 1).padStart(2, '0')},email,1`);
    rows[5000] = '2026-01-05,"ads,1';
    const spec = 'kpispec: 1\ndefaults: { timezone: UTC }\nsources:\n  web: { file: web.csv, time: date }\nmetrics:\n  visits: { source: web, agg: sum, column: visits }\nkpis:\n  v: { formula: visits }\n';
    const dir = tempWorkspace({ 'a.kpi.yaml': spec, 'web.csv': `date,channel,visits\n${rows.join('\n')}\n` });
    const r = runCli(['eval', 'a.kpi.yaml', '--no-color'], dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /error {2}web\.csv {2}a quote opened on line 5002 is never closed, so its cell runs to the end of the file: the 999 lines after it are not read as rows/);
    assert.equal(r.stderr, 'kpispec: data of `web` could not be read whole; see its problems above\n');
  });

  it('rejects bad options with exit code 2', () => {
    for (const args of [['eval'], ['eval', SAMPLE, '--grain', 'hourly'], ['eval', SAMPLE, '--from', 'June'], ['eval', SAMPLE, '--last', '0'], ['eval', 'nope.kpi.yaml'], ['eval', SAMPLE, '--format', 'xml']]) {
      const r = runCli(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /^kpispec: /);
    }
  });
});
