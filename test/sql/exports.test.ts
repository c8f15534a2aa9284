import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import { evaluateSpec } from '../../server/src/engine/run';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { Workspace } from '../../server/src/language/workspace';
import { compileSpec } from '../../server/src/sql/compile';
import { evaluateWithSql } from '../../server/src/sql/evaluate';
import { assertSameResults } from './compare';

/**
 * Exports as spreadsheets and ad platforms write them read the same on DuckDB as in process:
 * thousands separators, percents, currency marks, a decimal comma, UTF-16 with a byte-order
 * mark, GB18030 (read through a UTF-8 copy when the engine runs; the printed SQL says it cannot).
 */
describe('SQL engines: messy exports give the in-process numbers on DuckDB', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpispec-exports-'));
    fs.writeFileSync(path.join(dir, 'shop.csv'), 'date,channel,amount,rate,fee\n2026-01-05,email,"1,647.43",3.5%,€1.50\n2026-01-06,seo,212.50,12 %,¥2\n2026-02-01,email,"12,000.00",0.5%,3.25 EUR\n2026-02-02,seo,99.90,,5元\n');
    fs.writeFileSync(path.join(dir, 'de.csv'), 'Datum;Kanal;Umsatz\n05.01.2026;email;1.234,56\n06.01.2026;seo;12,5\n01.02.2026;email;1.000.000,00\n');
    fs.writeFileSync(path.join(dir, 'wide.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('date,渠道,n\n2026-01-01,微信,3\n2026-02-01,抖音,4\n', 'utf16le')]));
    fs.writeFileSync(path.join(dir, 'a.kpi.yaml'), `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  shop: { file: shop.csv, thousands: ',', time: date, dimensions: [channel] }
  de: { file: de.csv, delimiter: ';', decimal: ',', time: Datum, time_format: DD.MM.YYYY, dimensions: [Kanal] }
  wide: { file: wide.csv, time: date, dimensions: [渠道] }
metrics:
  revenue: { source: shop, agg: sum, column: amount, unit: currency }
  avg_rate: { source: shop, agg: avg, column: rate, unit: ratio }
  fees: { source: shop, agg: sum, column: fee, unit: currency }
  umsatz: { source: de, agg: sum, column: Umsatz, unit: currency }
  wide_n: { source: wide, agg: sum, column: n }
kpis:
  revenue_total: { formula: revenue, by: [channel] }
  rate: { formula: avg_rate, format: percent }
  fee_total: { formula: fees }
  umsatz_total: { formula: umsatz, by: [Kanal] }
  wide_total: { formula: wide_n, by: [渠道] }
`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads thousands, percents, currency marks, a decimal comma and UTF-16 as the engine does', async () => {
    const ws = new Workspace(new NodeHost(), dir);
    const spec = path.join(dir, 'a.kpi.yaml');
    const checked = checkFiles(ws, [spec]).flatMap((r) => r.problems);
    assert.deepEqual(checked.filter((p) => p.severity === 'error').map((p) => p.message), []);
    const inProcess = evaluateSpec(ws, spec, {}, new TableCache(), checked);
    const value = (id: string, period: string) => inProcess.kpis.find((k) => k.id === id)!.series.find((p) => p.period === period)!.value;
    assert.equal(value('revenue_total', '2026-01'), 1647.43 + 212.5);
    assert.equal(value('rate', '2026-01'), (3.5 / 100 + 12 / 100) / 2);
    assert.equal(value('umsatz_total', '2026-02'), 1000000);
    assert.equal(value('wide_total', '2026-02'), 4);
    const { result } = await evaluateWithSql(ws, spec, { engine: 'duckdb', checked });
    assertSameResults(result, inProcess, 'duckdb');
  });

  it('reads a GB18030 (GBK) export with Chinese headers and values on DuckDB through a UTF-8 copy, as in process', async () => {
    // "date,渠道,n" then rows with 微信 and 抖音, as Excel saves CSV on Chinese Windows.
    const text = 'date,渠道,n\n2026-01-01,微信,3\n2026-01-02,抖音,4\n2026-02-01,微信,5\n';
    const gb = new Map([['渠', [0xc7, 0xfe]], ['道', [0xb5, 0xc0]], ['微', [0xce, 0xa2]], ['信', [0xd0, 0xc5]], ['抖', [0xb6, 0xb6]], ['音', [0xd2, 0xf4]]]);
    fs.writeFileSync(path.join(dir, 'gbk.csv'), Buffer.from([...text].flatMap((ch) => gb.get(ch) ?? [ch.charCodeAt(0)])));
    const spec = path.join(dir, 'gbk.kpi.yaml');
    fs.writeFileSync(spec, 'kpispec: 1\ndefaults: { grain: month, timezone: UTC }\nsources:\n  cn: { file: gbk.csv, encoding: gb18030, time: date, dimensions: [渠道] }\nmetrics:\n  n: { source: cn, agg: sum, column: n }\nkpis:\n  total: { formula: n, by: [渠道] }\n');
    const ws = new Workspace(new NodeHost(), dir);
    const checked = checkFiles(ws, [spec]).flatMap((r) => r.problems);
    assert.deepEqual(checked.map((p) => p.message), []);
    const copies = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('kpispec-utf8-'));
    const before = copies();
    const inProcess = evaluateSpec(ws, spec, {}, new TableCache(), checked);
    const { result } = await evaluateWithSql(ws, spec, { engine: 'duckdb', checked });
    assertSameResults(result, inProcess, 'duckdb');
    const by = result.kpis[0]!.breakdowns[0]!;
    assert.deepEqual(by.rows.map((r) => [r.group, r.series.map((p) => p.value)]), [['微信', [3, 5]], ['抖音', [4, null]]]);
    assert.deepEqual(copies(), before, 'the copy is removed');
  });

  it('the printed SQL does not read an encoding DuckDB cannot decode, and says so', () => {
    const ws = new Workspace(new NodeHost(), dir);
    const spec = path.join(dir, 'gbk.kpi.yaml');
    const compiled = compileSpec(ws, spec, { dialect: 'duckdb', checked: checkFiles(ws, [spec]).flatMap((r) => r.problems) });
    const problems = [...compiled.sources.values()].flatMap((s) => s.problems).map((p) => p.message);
    assert.deepEqual(problems, ["`gbk.csv` is gb18030 text, which DuckDB's CSV reader does not decode: `kpispec eval --engine duckdb` reads a UTF-8 copy of it; to run this SQL yourself, save the file as UTF-8"]);
  });
});
