import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempWorkspace } from '../helpers/runCli';
import { bothEngines, sourceReport } from './bothEngines';
import { assertSameResults } from './compare';
import { agree } from './engines';

/**
 * The SQL engines report what the in-process reader reports about a data file: unreadable values
 * and dates counted per column with the first lines that hold them, rows in no period by reason,
 * columns the data lacks; and the numbers stay the same.
 */
describe('SQL engines: data problems are reported as in process', function () {
  this.timeout(120_000);
  const broken = path.join(REPO, 'test/fixtures/broken');
  const QUIRKS: Record<string, RegExp> = {
    'time-unreadable': /^warning time column `date`: 3 values cannot be read as ISO 8601 \(YYYY-MM-DD\) dates; those rows fall in no period \(e\.g\. line 2: `05\/01\/2026`/,
    'number-unreadable': /^error `revenue` is not evaluated: 3 of 5 sampled values of `amount` do not read as numbers/,
    'data-file-unreadable': /./,
    'ambiguous-column': /./,
    'where-value-unseen': /^warning column `paid_search` is not in the data/,
    'key-not-unique': /./,
    'unknown-column': /^warning time column `order_date` is not in the data/,
  };
  for (const [fixture, shows] of Object.entries(QUIRKS)) {
    it(`${fixture}: the same numbers, counts and problems on DuckDB`, async () => {
      const { inProcess, duckdb } = await bothEngines(broken, `${fixture}.kpi.yaml`);
      assertSameResults(duckdb, inProcess, 'duckdb');
      assert.deepEqual(sourceReport(duckdb), sourceReport(inProcess));
      const all = [...duckdb.sources.flatMap((s) => s.problems), ...duckdb.problems].map((p) => `${p.severity} ${p.message}`);
      assert.ok(all.some((m) => shows.test(m)), `the fixture shows its problem: ${JSON.stringify(all)}`);
    });
  }

  it('data-file-unreadable: GB18030 and UTF-16 exports with Chinese headers give the counts written, on both engines', async () => {
    const { inProcess, duckdb } = await bothEngines(broken, 'data-file-unreadable.kpi.yaml');
    for (const [r, engine] of [[inProcess, 'in process'], [duckdb, 'duckdb']] as const) {
      for (const kpi of ['cn_lead_count', 'wide_lead_count']) {
        const by = r.kpis.find((k) => k.id === kpi)!.breakdowns.find((b) => b.dimension === '渠道')!;
        assert.deepEqual(by.rows.map((row) => [row.group, row.series.map((p) => p.value)]), [['微信', [2, 1]], ['抖音', [1, null]], ['百度', [null, 1]]], `${engine}: ${kpi}`);
      }
    }
  });

  it('names the lines of unreadable values past a quoted line break, in a UTF-16 file, with a header repeating a name in another case', async () => {
    const rows = 'date,Amount,amount,ok\n2026-01-01,"1\n000",5,true\n2026-01-32,2,x,maybe\n2026-02-01,n/a,7,false\n   \n2026-02-02,4,8,true\n,5,9,true\n';
    const dir = tempWorkspace({
      'a.kpi.yaml': `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: wide.csv, time: date, columns: { ok: boolean, Amount: number } }
metrics:
  big: { source: s, agg: sum, column: Amount }
  small: { source: s, agg: sum, column: amount }
  oks: { source: s, agg: count, where: ok }
kpis:
  big_total: { formula: big }
  small_total: { formula: small }
  ok_rows: { formula: oks }
`,
    });
    fs.writeFileSync(path.join(dir, 'wide.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows, 'utf16le')]));
    const { inProcess, duckdb } = await bothEngines(dir, 'a.kpi.yaml');
    assertSameResults(duckdb, inProcess, 'duckdb');
    const report = sourceReport(duckdb) as { skipped: unknown; problems: string[] }[];
    assert.deepEqual(report, sourceReport(inProcess));
    // Lines, not rows: the quoted line break puts every later row one line down.
    assert.deepEqual(report[0]!.problems, [
      'warning column `Amount`: 2 values cannot be read as numbers and count as no data (e.g. line 2: `1\n000`, 5: `n/a`) @2',
      'warning column `ok`: 1 value cannot be read as true/false and count as no data (e.g. line 4: `maybe`) @4',
      'warning time column `date`: 1 value cannot be read as ISO 8601 (YYYY-MM-DD) dates; those rows fall in no period (e.g. line 4: `2026-01-32`) @4',
    ]);
    assert.deepEqual(report[0]!.skipped, [{ reason: 'an empty `date`', rows: 1 }, { reason: 'an unreadable `date`', rows: 1 }]);
  });

  it('PostgreSQL counts unreadable values and dates of inline rows as in process (without lines: a table has none)', async () => {
    const spec = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s:
    time: date
    columns: { n: number }
    rows:
      - { date: 2026-01-05, n: 1 }
      - { date: 'not a day', n: 2 }
      - { date: 2026-01-07, n: 'n/a' }
      - { date: '', n: 4 }
      - { date: 2026-02-01, n: 5 }
metrics:
  total: { source: s, agg: sum, column: n }
kpis:
  k: { formula: total }
`;
    const { expected, results } = await agree({ 'a.kpi.yaml': spec });
    const inProcess = sourceReport(expected, false);
    assert.deepEqual(sourceReport(results.postgres.result, false), inProcess);
    assert.deepEqual(sourceReport(results.duckdb.result, false), inProcess);
    assert.deepEqual((inProcess as { skipped: unknown }[])[0]!.skipped, [{ reason: 'an empty `date`', rows: 1 }, { reason: 'an unreadable `date`', rows: 1 }]);
    assert.equal((inProcess as { problems: string[] }[])[0]!.problems.length, 2);
  });
});
