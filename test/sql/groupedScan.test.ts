import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import * as fc from 'fast-check';
import { NodeHost } from '../../server/src/data/nodeHost';
import { Workspace } from '../../server/src/language/workspace';
import { compileSpec } from '../../server/src/sql/compile';
import { tempWorkspace } from '../helpers/runCli';
import { bothEngines, sourceReport } from './bothEngines';
import { assertSameResults } from './compare';

/**
 * DuckDB reads a CSV source through a grouped scan (sql/groupedScan.ts): rows grouped by the
 * written text of the columns read as values, measures summed per group with DuckDB's cast. Its
 * numbers, counts and problems are the in-process engine's, for every kind of aggregate and
 * filter; a measure value the cast does not take as the engine does sends the source back to
 * the value-by-value reading, never to a different number.
 */

const SPEC = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: data.csv, time: date, dimensions: [ch, dev], columns: { ok: boolean } }
metrics:
  rows: { source: s, agg: count }
  total: { source: s, agg: sum, column: n }
  mean: { source: s, agg: avg, column: n }
  low: { source: s, agg: min, column: n }
  high: { source: s, agg: max, column: m }
  counted: { source: s, agg: count, column: n }
  named: { source: s, agg: count, column: ch }
  channels: { source: s, agg: count_distinct, column: ch }
  a_total: { source: s, agg: sum, column: n, where: 'ch == "a"' }
  oks: { source: s, agg: count, where: ok }
  ok_sum: { source: s, agg: sum, column: ok }
  big: { source: s, agg: sum, column: m, where: 'n > 2' }
  not_b_mean: { source: s, agg: avg, column: m, where: 'ch != "b" and dev == "x"' }
  ok_low: { source: s, agg: min, column: m, where: ok }
kpis:
${['rows', 'total', 'mean', 'low', 'high', 'counted', 'named', 'channels', 'a_total', 'oks', 'ok_sum', 'big', 'not_b_mean', 'ok_low'].map((m) => `  k_${m}: { formula: ${m}, by: [ch, dev] }`).join('\n')}
  ratio: { formula: a_total / total, by: [ch] }
`;

const plainNumber = fc.oneof(fc.integer({ min: -500, max: 500 }).map(String), fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x.toFixed(3)), fc.constantFrom('', '+5', '.5', '5.', '1e3', '00012', '-0', ' 7 '));
const row = fc.record({
  // Few distinct dates and `n` (grouped: it is filtered on), so that rows share groups.
  date: fc.oneof(fc.integer({ min: 1, max: 3 }).chain((d) => fc.constantFrom(`2026-01-0${d}`, `2026-03-0${d}`, ` 2026-02-0${d}`)), fc.constantFrom('', '2026-13-01', '2026-02-30', 'soon', '2026-02-03T23:00:00+08:00')),
  ch: fc.constantFrom('a', 'b', ' a', 'a ', '', 'ç', '"a"', '\u00a0b'),
  dev: fc.constantFrom('x', 'y', ''),
  ok: fc.constantFrom('true', 'false', 'yes', '0', '', 'maybe'),
  n: fc.constantFrom('1', '2', '3', '', ' 3 ', '2.5', '-4'),
  m: fc.array(plainNumber, { minLength: 1, maxLength: 3 }),
});
/** A row per value of `m`: rows that differ only in a measure share a group. */
const csvOf = (rows: { date: string; ch: string; dev: string; ok: string; n: string; m: string[] }[]) =>
  `date,ch,dev,ok,n,m\n${rows.flatMap((r) => r.m.map((m) => [r.date, r.ch, r.dev, r.ok, r.n, m].join(','))).join('\n')}\n`;

/** A file whose measure `m` holds `value` once, among enough plain values that it stays a number column (the checker's 90% rule). */
function withMeasureValue(value: string): string {
  const plain = Array.from({ length: 12 }, (_, i) => `2026-0${1 + (i % 3)}-0${1 + (i % 9)},${'ab'[i % 2]},x,true,${i},${i * 1.5}`);
  return `date,ch,dev,ok,n,m\n${plain.join('\n')}\n2026-02-01,a,x,yes,4,"${value}"\n`;
}

describe('SQL engines: the grouped scan of a CSV file on DuckDB', function () {
  this.timeout(120_000);

  it('gives the in-process numbers, counts and problems for every aggregate and filter (generated files)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 30 }), async (rows) => {
      const dir = tempWorkspace({ 'a.kpi.yaml': SPEC, 'data.csv': csvOf(rows) });
      const { inProcess, duckdb, compiled } = await bothEngines(dir, 'a.kpi.yaml');
      assert.match(compiled.sql, /scan_s AS MATERIALIZED/, 'plain numbers are read by the grouped scan');
      assertSameResults(duckdb, inProcess, 'duckdb');
      assert.deepEqual(sourceReport(duckdb), sourceReport(inProcess));
    }), { numRuns: 25 });
  });

  // Each value once among plain ones: `scan` says whether the grouped scan reads it as the engine
  // does, `typed` whether DuckDB's CSV reader reads the measures as numbers (else as text, cast).
  const VALUES: [string, boolean, boolean][] = [
    ['+5', true, true], ['.5', true, true], ['5.', true, true], ['1e3', true, true], ['00012', true, true], ['12', true, true],
    [' 7 ', true, true], ['', true, false], ['1_000', false, false], ['inf', false, false], ['-Infinity', false, false],
    ['NaN', false, false], ['1e400', false, false], ['3.5%', false, false], ['€12', false, false], ['12 EUR', false, false],
    ['#N/A', false, false], ['n/a', false, false], ['\u00a08', false, false], ['0x1A', false, false],
  ];
  for (const [value, scan, typed] of VALUES) {
    it(`a measure value ${JSON.stringify(value)}: ${scan ? `read by the grouped scan${typed ? ', as a number by the CSV reader' : ', cast from text'}` : 'the source is read again value by value'}, the same numbers and problems`, async () => {
      const dir = tempWorkspace({ 'a.kpi.yaml': SPEC, 'data.csv': withMeasureValue(value) });
      const { inProcess, duckdb, compiled } = await bothEngines(dir, 'a.kpi.yaml');
      assert.equal(/scan_s AS MATERIALIZED/.test(compiled.sql), scan);
      assert.equal(/'m': 'DOUBLE'/.test(compiled.sql), typed);
      assertSameResults(duckdb, inProcess, 'duckdb');
      assert.deepEqual(sourceReport(duckdb), sourceReport(inProcess));
    });
  }

  it('never reads a file with a digit separator anywhere through the CSV reader’s numbers, which would take `1_000`', async () => {
    // `1_000` in a dimension: the file is read as text and cast, where `_` is looked at per value.
    const csv = withMeasureValue('7').replace(',a,x,yes,', ',a_1_0,x,yes,');
    const dir = tempWorkspace({ 'a.kpi.yaml': SPEC, 'data.csv': csv });
    const { inProcess, duckdb, compiled } = await bothEngines(dir, 'a.kpi.yaml');
    assert.match(compiled.sql, /scan_s AS MATERIALIZED/);
    assert.doesNotMatch(compiled.sql, /'DOUBLE'/);
    assertSameResults(duckdb, inProcess, 'duckdb');
  });

  it('groups by the columns read as values only: a dimension no KPI breaks down by is not grouped, one the data lacks is said', async () => {
    const spec = SPEC.replace('dimensions: [ch, dev]', 'dimensions: [ch, dev, region, absent]');
    const csv = 'date,ch,dev,region,ok,n,m\n2026-01-02,a,x,north,true,1,2\n2026-01-03,b,y,south,false,2,3\n';
    const dir = tempWorkspace({ 'a.kpi.yaml': spec, 'data.csv': csv });
    const { inProcess, duckdb, compiled } = await bothEngines(dir, 'a.kpi.yaml');
    const scan = /scan_s AS MATERIALIZED \(([\s\S]*?)\n\),/.exec(compiled.sql)![1]!;
    const grouped = /GROUP BY (.*)/.exec(scan)![1]!.split(', ').sort();
    assert.deepEqual(grouped, ['raw."ch"', 'raw."date"', 'raw."dev"', 'raw."n"', 'raw."ok"']);
    assertSameResults(duckdb, inProcess, 'duckdb');
    assert.deepEqual(sourceReport(duckdb), sourceReport(inProcess));
    assert.ok((sourceReport(duckdb) as { problems: string[] }[])[0]!.problems.some((p) => p.includes('column `absent` is not in the data')));
  });

  it('the printed SQL fails loudly, not with other numbers, when a measure holds a value the scan does not take', async () => {
    const dir = tempWorkspace({ 'a.kpi.yaml': SPEC, 'data.csv': withMeasureValue('1_000') });
    const { compiled } = await bothEngines(dir, 'a.kpi.yaml');
    assert.doesNotMatch(compiled.sql, /scan_s AS MATERIALIZED/, 'evaluated value by value');
    const printed = compileSpec(new Workspace(new NodeHost(), dir), path.join(dir, 'a.kpi.yaml'), { dialect: 'duckdb' }).sql;
    assert.match(printed, /scan_s AS MATERIALIZED/);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await assert.rejects(c.runAndReadAll(printed), /a measure holds values the typed reading does not take/);
    c.closeSync();
    db.closeSync();
  });
});
