import * as assert from 'node:assert/strict';
import type { EvalResult } from '../../server/src/engine/results';
import { runCli, tempWorkspace } from '../helpers/runCli';

/** Two whole months of a shop whose numbers are big enough for 万 and 亿. */
const SPEC = (locale: string) => `kpispec: 1
name: 网店
defaults: { grain: month, currency: CNY, timezone: Asia/Shanghai${locale ? `, locale: ${locale}` : ''} }
sources:
  shop:
    time: day
    rows:
      - { day: 2026-01-31, amount: 1000000, views: 150000000, visits: 400, buys: 16 }
      - { day: 2026-02-28, amount: 1234567, views: 250000000, visits: 500, buys: 25 }
metrics:
  revenue: { source: shop, agg: sum, column: amount, unit: currency }
  views: { source: shop, agg: sum, column: views }
  visits: { source: shop, agg: sum, column: visits }
  buys: { source: shop, agg: sum, column: buys }
kpis:
  total_revenue: { formula: revenue, format: currency, target: { min: 1100000 } }
  page_views: { formula: views }
  conversion: { formula: buys / visits, format: percent }
`;
const TODAY = ['--today', '2026-12-06'];

function evalIn(locale: string, format: string): string {
  const dir = tempWorkspace({ 'shop.kpi.yaml': SPEC(locale) });
  const r = runCli(['eval', 'shop.kpi.yaml', '--no-color', '--format', format, ...TODAY], dir);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** A KPI's line of the text scorecard, its cells split on runs of spaces. */
function cells(text: string, id: string): string[] {
  const line = text.split('\n').find((l) => l.trimStart().startsWith(`${id} `));
  assert.ok(line, `${id} in\n${text}`);
  return line.trim().split(/\s{2,}/);
}

describe('kpispec eval with defaults.locale', () => {
  it('writes zh-CN values in 万 and 亿 in the text scorecard', () => {
    const text = evalIn('zh-CN', 'table');
    // 1,234,567 = 123.4567万; the target 1,100,000 = 110万; the change 234,567 / 1,000,000 = 23.5%.
    assert.deepEqual(cells(text, 'total_revenue').slice(0, 6), ['total_revenue', '¥123.46万', '2026-02', '+23.5%', '≥ ¥110.00万', '✔ met']);
    // 250,000,000 = 2.5亿; 150M → 250M is +66.7%.
    assert.deepEqual(cells(text, 'page_views').slice(1, 4), ['2.50亿', '2026-02', '+66.7%']);
    // 25 / 500 = 5%; 16 / 400 = 4% before: +1.0 pp.
    assert.deepEqual(cells(text, 'conversion').slice(1, 4), ['5.00%', '2026-02', '+1.0 pp']);
  });

  it('writes the same in Markdown', () => {
    const md = evalIn('zh-CN', 'markdown');
    assert.match(md, /\| `total_revenue` {2}\| ¥123\.46万 \| 2026-02 \| \+23\.5% \| ≥ ¥110\.00万 \| ✔ met \|/);
    assert.match(md, /\| `page_views` {2}\| 2\.50亿 \|/);
  });

  it('keeps raw numbers in JSON and names the locale', () => {
    const result = JSON.parse(evalIn('zh-CN', 'json')) as EvalResult;
    assert.equal(result.locale, 'zh-CN');
    const revenue = result.kpis.find((k) => k.id === 'total_revenue')!;
    assert.equal(revenue.latest.value, 1234567);
    assert.deepEqual(revenue.latest.target, { min: 1100000 });
  });

  it('writes de-DE with decimal commas', () => {
    const text = evalIn('de-DE', 'table');
    assert.deepEqual(cells(text, 'total_revenue').slice(1, 5), ['1.234.567,00\u00a0¥', '2026-02', '+23,5\u00a0%', '≥ 1.100.000,00\u00a0¥']);
  });

  it('writes as before without a locale, and JSON has no locale key', () => {
    const text = evalIn('', 'table');
    assert.deepEqual(cells(text, 'total_revenue').slice(1, 5), ['¥1,234,567.00', '2026-02', '+23.5%', '≥ ¥1,100,000.00']);
    assert.deepEqual(cells(text, 'page_views').slice(1, 2), ['250,000,000']);
    assert.ok(!('locale' in (JSON.parse(evalIn('', 'json')) as EvalResult)));
  });
});
