import * as assert from 'node:assert/strict';
import type { EvalResult, KpiResult } from '../../server/src/engine/results';
import type { Explanation } from '../../server/src/explain';
import { runCli, tempWorkspace, type CliResult } from '../helpers/runCli';

const SAMPLE = 'samples/webshop.kpi.yaml';
/** The samples' data ends on 2026-10-31: a fixed today keeps the output off the clock. */
const TODAY = ['--today', '2026-12-06'];

interface ExplainJson {
  version: 1;
  spec: { file: string; name?: string };
  grain: string;
  explanation: Explanation;
}

function json(args: string[]): ExplainJson {
  const r = runCli(['explain', ...args, '--format', 'json', ...TODAY]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ExplainJson;
}

/** A usage error: exit 2, nothing on standard output, exactly this one line on standard error. */
function assertUsage(r: CliResult, message: string, what: string): void {
  assert.equal(r.status, 2, `${what}: exit ${r.status}; ${r.stderr}`);
  assert.equal(r.stdout, '', `${what}: prints nothing else`);
  assert.equal(r.stderr, `kpispec: ${message}\n`, what);
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('kpispec explain (command line)', () => {
  it('prints the change, the sentence naming the top drivers and a table per breakdown (table)', () => {
    const r = runCli(['explain', SAMPLE, 'conversion_rate', '--no-color', ...TODAY]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'conversion_rate  转化率 (conversion rate)');
    assert.equal(lines[1], '2026-10 vs 2026-09 (the period before): 2.86% → 2.51% (−0.36 pp)');
    assert.match(lines[2]!, /^A ratio of sums, \(orders\) \/ \(sessions\): each group's part is a rate effect/);
    assert.match(r.stdout, /^−0\.36 pp: mobile conversion rate fell from 2\.61% to 2\.11% \(−0\.32 pp\); paid_search conversion rate fell from 3\.08% to 2\.26% \(−0\.20 pp\)/m);
    assert.ok(lines.includes('By channel') && lines.includes('By device'), 'a table per breakdown of the KPI');
    assert.match(r.stdout, /^ {2}group +share of sessions +conversion_rate +rate effect +mix effect +part$/m);
    assert.match(r.stdout, /^ {2}mobile +65\.1% → 65\.1% +2\.61% → 2\.11% +−0\.32 pp +±0\.00 pp +−0\.32 pp$/m);
    assert.match(r.stdout, /^ {2}total +2\.86% → 2\.51% +−0\.\d\d pp +[+−±]0\.\d\d pp +−0\.36 pp$/m);
  });

  it('writes the explanation as JSON: parts that add up to the change, ranked, and the drivers', () => {
    const { version, spec, grain, explanation: e } = json([SAMPLE, 'conversion_rate']);
    assert.deepEqual([version, spec.file, grain], [1, SAMPLE, 'month']);
    assert.deepEqual([e.kpi, e.kind, e.method, e.period, e.base, e.vs], ['conversion_rate', 'ratio', 'shift_share', '2026-10', '2026-09', 'prev']);
    assert.ok(near(e.change!, e.value! - e.baseValue!));
    for (const d of e.dimensions) {
      const total = d.groups.reduce((s, g) => s + g.contribution, 0);
      assert.ok(near(total + d.residual, e.change!), `${d.dimension}: parts + residual = change`);
      assert.ok(Math.abs(d.residual) < 1e-12, `${d.dimension}: no residual`);
      for (const g of d.groups) assert.ok(near(g.rate! + g.mix!, g.contribution), 'rate + mix = part');
    }
    const sizes = e.drivers.map((x) => Math.abs(x.contribution));
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), 'drivers ranked');
    assert.equal(e.summary.split(': ')[0], '−0.36 pp');
    assert.ok(e.summary.includes(e.drivers[0]!.text));
    // --by keeps one dimension.
    assert.deepEqual(json([SAMPLE, 'conversion_rate', '--by', 'device']).explanation.dimensions.map((d) => d.dimension), ['device']);
  });

  it('writes Markdown: the sentence in bold and a table per breakdown', () => {
    const r = runCli(['explain', SAMPLE, 'total_revenue', '--format', 'markdown', '--by', 'region', ...TODAY]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^## `total_revenue` 销售额 \(revenue\)\n\n2026-10 vs 2026-09 \(the period before\): ¥122,209 → ¥136,906 \(\+¥14,697\)\n/);
    assert.match(r.stdout, /^\*\*\+¥14,697: 华东 total revenue rose from ¥48,127 to ¥56,516 \(\+¥8,389\);/m);
    assert.match(r.stdout, /^### By region\n\n\| group \| 2026-09 \| 2026-10 \| part \|\n\|---\|---:\|---:\|---:\|\n\| 华东 \| ¥48,127 \| ¥56,516 \| \+¥8,389 \|$/m);
    assert.match(r.stdout, /^\| \*\*total\*\* \| \*\*¥122,209\*\* \| \*\*¥136,906\*\* \| \*\*\+¥14,697\*\* \|$/m);
  });

  it('compares with the same period a year before, or any period; --period picks the period explained', () => {
    const yoy = json([SAMPLE, 'total_revenue', '--vs', 'yoy']).explanation;
    assert.deepEqual([yoy.period, yoy.base, yoy.vs], ['2026-10', '2025-10', 'yoy']);
    const named = json([SAMPLE, 'total_revenue', '--period', '2026-06', '--vs', '2026-01']).explanation;
    assert.deepEqual([named.period, named.base, named.vs], ['2026-06', '2026-01', 'period']);
    const quarter = json([SAMPLE, 'conversion_rate', '--grain', 'quarter']).explanation;
    assert.deepEqual([quarter.period, quarter.base], ['2026-Q3', '2026-Q2'], 'the partial 2026-Q4 is skipped');
    assert.match(quarter.notes.join('\n'), /2026-Q4 is partial \(data through 2026-10-31\): the latest complete period, 2026-Q3, is explained/);
  });

  it('splits a derived KPI over its formula\'s inputs (Shapley values)', () => {
    const e = json([SAMPLE, 'clv_cac_ratio']).explanation;
    assert.deepEqual([e.kind, e.method, e.dimensions.length], ['derived', 'shapley', 0]);
    assert.deepEqual(e.inputs!.inputs.map((i) => [i.input, i.kind]), [['cac', 'kpi'], ['clv', 'kpi']]);
    assert.ok(near(e.inputs!.inputs.reduce((s, i) => s + i.contribution!, 0) + e.inputs!.residual, e.change!));
    assert.match(e.summary, /^−0\.7: cac rose from ¥44\.76 to ¥58\.12 \(−0\.7\)/);
    const table = runCli(['explain', SAMPLE, 'clv_cac_ratio', ...TODAY]).stdout;
    assert.match(table, /^By input\n {2}input +2026-09 +2026-10 +part\n {2}cac +¥44\.76 +¥58\.12 +−0\.7$/m);
  });

  it('kpispec eval --format json --explain adds each KPI\'s explanation of its latest change', () => {
    const r = runCli(['eval', SAMPLE, '--format', 'json', '--explain', '--kpi', 'conversion_rate', '--kpi', 'total_revenue', '--kpi', 'clv_cac_ratio', ...TODAY]);
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout) as Omit<EvalResult, 'kpis'> & { kpis: (KpiResult & { explanation?: Explanation })[] };
    assert.deepEqual(result.kpis.map((k) => [k.id, k.explanation?.kind]), [['conversion_rate', 'ratio'], ['total_revenue', 'additive'], ['clv_cac_ratio', 'derived']]);
    for (const k of result.kpis) {
      assert.deepEqual(k.explanation, json([SAMPLE, k.id]).explanation, `${k.id}: the same as kpispec explain's`);
      assert.equal(k.explanation!.period, k.latest.period);
      assert.ok(near(k.explanation!.change!, k.latest.change!));
    }
    const plain = runCli(['eval', SAMPLE, '--format', 'json', '--kpi', 'aov', ...TODAY]);
    assert.ok(!('explanation' in (JSON.parse(plain.stdout) as EvalResult).kpis[0]!), 'only with --explain');
  });

  it('usage errors: unknown KPI (with the close ids), arguments, periods, formats, dimensions (exit 2)', () => {
    const help = 'run "kpispec explain --help"';
    const cases: [string[], string][] = [
      [[SAMPLE, 'conversion_rat'], `unknown KPI \`conversion_rat\` in ${SAMPLE} (did you mean \`conversion_rate\`?)`],
      [[SAMPLE, 'zzzzzz'], `unknown KPI \`zzzzzz\` in ${SAMPLE}`],
      [['samples/sources.kpi.yaml', 'aov'], 'unknown KPI `aov` in samples/sources.kpi.yaml; it defines no KPIs'],
      [[SAMPLE], `explain takes a spec file and a KPI id; ${help}`],
      [[SAMPLE, 'aov', 'roas'], `unexpected argument "roas": explain takes a spec file and a KPI id; ${help}`],
      [['samples', 'aov'], 'samples is a folder; explain takes a spec file (*.kpi.yaml or *.kpi.yml) and a KPI id'],
      [[SAMPLE, 'aov', '--vs', 'last'], '--vs needs prev, yoy or a period such as 2026-10, 2026-Q3, 2026-W05 or 2026; got "last"'],
      [[SAMPLE, 'aov', '--period', '2026-13'], '--period needs a period such as 2026-10, 2026-Q3, 2026-W05 or 2026; got "2026-13"'],
      [[SAMPLE, 'aov', '--period', '2030-01'], 'period "2030-01" is not in the results (2025-01 … 2026-10, by month)'],
      [[SAMPLE, 'aov', '--period', '2026-Q3'], 'period "2026-Q3" is not in the results (2025-01 … 2026-10, by month); at month grain a period is written like 2026-10'],
      [[SAMPLE, 'aov', '--period', '2025-01'], 'no period before 2025-01 in the results (2025-01 … 2026-10, by month)'],
      [[SAMPLE, 'aov', '--period', '2025-06', '--vs', 'yoy'], 'no period a year before 2025-06 in the results: 2024-06 is not in 2025-01 … 2026-10, by month'],
      [[SAMPLE, 'aov', '--period', '2026-06', '--vs', '2026-06'], '2026-06 would be compared with itself; name another period with --vs'],
      [[SAMPLE, 'aov', '--format', 'jsn'], 'unknown format "jsn" (did you mean "json"?); use one of table, json, markdown'],
      [[SAMPLE, 'aov', '--by', 'chanel'], 'unknown dimension `chanel` in --by (did you mean `channel`?)'],
      [[SAMPLE, 'aov', '--grain', 'all'], 'explain compares two periods: --grain all has one; use day, week, month, quarter or year'],
      [[SAMPLE, 'aov', '--explain'], `unknown option "--explain"; ${help}`],
    ];
    for (const [args, message] of cases) assertUsage(runCli(['explain', ...args, ...TODAY]), message, args.join(' '));
    const dir = tempWorkspace({
      'a.kpi.yaml': 'kpispec: 1\nimports: [b.kpi.yaml]\n',
      'b.kpi.yaml': 'kpispec: 1\nsources:\n  s: { time: d, rows: [ { d: 2026-01-01, n: 1 } ] }\nmetrics:\n  n: { source: s, agg: sum, column: n }\nkpis:\n  k: { formula: n }\n',
    });
    assertUsage(runCli(['explain', 'a.kpi.yaml', 'k'], dir), 'KPI `k` is defined in b.kpi.yaml, which a.kpi.yaml imports: explain it there', 'an imported KPI');
    assertUsage(runCli(['eval', SAMPLE, '--explain']), '--explain adds to the JSON output: use it with --format json (or run kpispec explain)', 'eval --explain without JSON');
  });

  it('documents itself in --help and is listed in the main help', () => {
    const help = runCli(['explain', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: kpispec explain <spec> <kpi> \[options\]/);
    for (const option of ['--period', '--vs', '--by', '--format']) assert.ok(help.stdout.includes(option), option);
    assert.match(runCli(['--help']).stdout, /^ {2}explain <spec> <kpi>$/m);
    assert.match(runCli(['eval', '--help']).stdout, /--explain/);
  });
});
