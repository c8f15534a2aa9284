import * as assert from 'node:assert/strict';
import type { EvalResult } from '../../server/src/engine/results';
import { evaluate, Harness, resultsMessage } from './harness';

/** Ten-thousands (万) with two decimals, written out by hand: 1,234,567 → 123.46万. */
function wan(v: number): string {
  return `${(v / 1e4).toFixed(2)}万`;
}

/** The preview shows values in the results' locale, with the same formatter as eval and hover. */
describe('webview: values in a locale', function () {
  this.timeout(30_000);
  const h = new Harness();
  let zh: EvalResult;
  let plain: EvalResult;

  before(async function () {
    this.timeout(60_000);
    // The locale as the editor setting gives it (EvalOptions.locale): the samples set none.
    zh = evaluate('samples/webshop.kpi.yaml', { locale: 'zh-CN' });
    plain = evaluate('samples/webshop.kpi.yaml');
    await h.start();
  });
  after(() => h.stop());

  const cell = (id: string, cls: string) => h.page.textContent(`tr[data-kpi="${id}"] .${cls}`);

  it('writes a zh-CN revenue in 万 (two decimals whatever the KPI\'s decimals) and its target too', async () => {
    assert.equal(zh.locale, 'zh-CN');
    const k = zh.kpis.find((x) => x.id === 'total_revenue')!;
    const value = k.latest.value!;
    assert.ok(value >= 1e4 && value < 1e8, `the sample's monthly revenue is in the 万 range: ${value}`);
    await h.open();
    await h.send(resultsMessage(1, zh));
    assert.equal(await cell('total_revenue', 'c-value'), `¥${wan(value)}`);
    const min = k.latest.target?.min;
    assert.ok(min !== undefined && min >= 1e4, 'a minimum in 万');
    assert.match((await cell('total_revenue', 'c-target'))!, new RegExp(`^≥ ¥${wan(min).replace('.', '\\.')}`));
    assert.deepEqual(h.errors, [], 'console errors');
  });

  it('writes the same results as before without a locale', async () => {
    assert.equal(plain.locale, undefined);
    const k = plain.kpis.find((x) => x.id === 'total_revenue')!;
    const value = k.latest.value!;
    await h.open();
    await h.send(resultsMessage(1, plain));
    const grouped = value.toFixed(k.decimals ?? 2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    assert.equal(await cell('total_revenue', 'c-value'), `¥${grouped}`);
  });
});
