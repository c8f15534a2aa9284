import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HostMessage, WebviewMessage } from '../../client/src/preview/messages';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import type { EvalResult } from '../../server/src/engine/results';
import { evaluateSpec, type EvalOptions } from '../../server/src/engine/run';
import { formatDelta } from '../../server/src/explain/wording';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { Workspace } from '../../server/src/language/workspace';
import { explainAnswer, type ExplainAsk } from '../../server/src/lsp/explainWork';
import type { ExplainResult } from '../../server/src/protocol';
import { evaluate, Harness, REPO, resultsMessage } from './harness';

const FILE = path.join(REPO, 'samples/webshop.kpi.yaml');
const SHOTS = path.join(REPO, 'screenshots');
const HOSTILE = '<img src=x onerror="window.__xss=1">';

/** What the host answers to `explain`: `kpispec/explain` as the language server computes it, in process. */
const ws = new Workspace(new NodeHost(), REPO);
const cache = new TableCache();
function explained(kpi: string, options: EvalOptions = {}, ask: Partial<ExplainAsk> = {}): ExplainResult {
  const data = { file: cache.file.bind(cache), memo: cache.memo, keysAsKept: true };
  const asked = { ...options, kpis: [kpi] };
  const results = evaluateSpec(ws, FILE, asked, data, checkFiles(ws, [FILE]).flatMap((r) => r.problems));
  return explainAnswer(ws, FILE, results, asked, data, { kpi, ...ask })!;
}

type Explain = Extract<WebviewMessage, { type: 'explain' }>;

/** The driver chart of the preview's KPI detail: asked of the host, drawn per dimension, periods picked. */
describe('webview: why a KPI moved (the driver chart)', function () {
  this.timeout(30_000);
  const h = new Harness();
  let month: EvalResult;

  before(async function () {
    this.timeout(60_000);
    month = evaluate('samples/webshop.kpi.yaml');
    await h.start({ width: 900, height: 900 });
  });
  after(() => h.stop());

  async function assertClean(): Promise<void> {
    assert.deepEqual(await h.cspViolations(), [], 'CSP violations');
    assert.deepEqual(h.errors, [], 'console errors');
    assert.deepEqual(h.dialogs, [], 'dialogs');
  }

  /** The `explain` messages posted so far. */
  async function asked(): Promise<Explain[]> {
    return (await h.posted()).filter((m): m is Explain => m.type === 'explain');
  }

  async function answer(id: number, a: ExplainResult | null, error?: string): Promise<void> {
    await h.send({ type: 'explanation', id, answer: a, ...(error !== undefined ? { error } : {}) } as HostMessage);
  }

  it('selecting a KPI asks the host why it moved, then draws a ranked bar per group for each dimension, rate and mix apart', async () => {
    await h.open();
    await h.send(resultsMessage(1, month));
    await h.clearPosted();
    await h.page.click('tr[data-kpi="conversion_rate"]');
    const [ask, ...more] = await asked();
    assert.deepEqual(ask, { type: 'explain', id: ask!.id, kpi: 'conversion_rate' }, 'the default periods: nothing more asked');
    assert.deepEqual(more, []);
    assert.equal(await h.page.textContent('[data-drivers="conversion_rate"] .drivers-loading'), 'Working out why it moved…');

    const a = explained('conversion_rate');
    const x = a.explanation;
    await answer(ask!.id, a);
    const section = '[data-drivers="conversion_rate"]';
    assert.equal(await h.page.textContent(`${section} .drivers-summary`), x.summary);
    assert.match((await h.page.textContent(`${section} .drivers-change`))!, new RegExp(`^${x.period} vs ${x.base}: 2\\.86% → 2\\.51% −0\\.36 pp$`));
    assert.match((await h.page.textContent(`${section} .drivers-method`))!, /^A ratio, \(orders\) \/ \(sessions\)/);
    // One chart per dimension, in the explanation's order; groups ranked by their part.
    const charts = await h.page.$$eval(`${section} .driver-chart`, (cs) => cs.map((c) => c.getAttribute('data-dimension')));
    assert.deepEqual(charts, x.dimensions.map((d) => d.dimension));
    const scale = Math.max(Math.abs(x.value!), Math.abs(x.baseValue!));
    for (const d of x.dimensions) {
      const rows = await h.page.$$eval(`${section} .driver-chart[data-dimension="${d.dimension}"] tr.driver-row[data-group]`, (trs) =>
        trs.map((tr) => ({ group: tr.getAttribute('data-group'), part: tr.querySelector('.part')!.textContent, rate: tr.querySelectorAll('.bar.rate').length, mix: tr.querySelectorAll('.bar.mix').length, title: tr.getAttribute('title') })),
      );
      const shown = d.groups.filter((g) => g.before !== null || g.after !== null || g.contribution !== 0);
      assert.deepEqual(rows.map((r) => r.group), shown.map((g) => g.group ?? '(empty)'), `${d.dimension}: groups ranked`);
      for (const [i, g] of shown.entries()) {
        assert.equal(rows[i]!.part, formatDelta(g.contribution, a.kpi, undefined, scale), `${d.dimension} ${g.group}: its part`);
        assert.match(rows[i]!.title!, new RegExp(`rate ${escape(formatDelta(g.rate!, a.kpi, undefined, scale))} · mix ${escape(formatDelta(g.mix!, a.kpi, undefined, scale))}`), 'rate and mix in words');
        assert.equal(rows[i]!.rate, g.rate !== 0 ? 1 : 0, `${g.group}: a rate bar`);
      }
      const total = await h.page.textContent(`${section} .driver-chart[data-dimension="${d.dimension}"] tr.driver-row.total .part`);
      assert.equal(total, formatDelta(x.change!, a.kpi, undefined, scale));
    }
    // Mobile's part (−0.32 pp, the largest) is a red bar left of the zero line, the widest of its chart.
    const device = `${section} .driver-chart[data-dimension="device"]`;
    const geometry = await h.page.$$eval(`${device} tr.driver-row[data-group]`, (trs) =>
      trs.map((tr) => {
        const zero = tr.querySelector('.bar-zero')!.getBoundingClientRect().left;
        const rate = tr.querySelector('.bar.rate')!.getBoundingClientRect();
        return { group: tr.getAttribute('data-group'), left: rate.left, right: rate.right, width: rate.width, zero, bad: tr.querySelector('.bar.rate')!.classList.contains('bad') };
      }),
    );
    const mobile = geometry.find((g) => g.group === 'mobile')!;
    assert.ok(mobile.right <= mobile.zero + 1 && mobile.left < mobile.zero - 50, `mobile's bar runs left of zero: ${JSON.stringify(mobile)}`);
    assert.equal(mobile.bad, true, 'a fall of a KPI that should go up is red');
    assert.ok(geometry.every((g) => g.width <= mobile.width + 0.5), 'mobile has the widest bar');
    // Mix is drawn apart from rate: striped, and its tick marks the sum where both move.
    assert.ok(await h.page.$(`${section} .drivers-legend .swatch.mix`));
    await assertClean();
  });

  it('the period pickers ask for another period and a year before, and keep the choice', async () => {
    await h.open();
    await h.send(resultsMessage(1, month));
    await h.page.click('tr[data-kpi="total_revenue"]');
    const [first] = await asked();
    const a = explained('total_revenue');
    await answer(first!.id, a);
    const periods = await h.page.$$eval('select[name="drivers-period"] option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(periods, ['', ...a.periods.map((p) => p.key).reverse()], 'the default, then every period with a value, newest first');
    assert.equal((await h.texts('select[name="drivers-period"] option'))[0], `${a.explanation.period} (latest complete)`);

    await h.clearPosted();
    await h.page.selectOption('select[name="drivers-period"]', '2026-09');
    assert.deepEqual((await asked()).map(({ id: _, ...m }) => m), [{ type: 'explain', kpi: 'total_revenue', period: '2026-09' }]);
    // Meanwhile the last explanation stays on show, dimmed.
    assert.ok(await h.page.$('[data-drivers="total_revenue"] .drivers-body.stale'));
    await h.clearPosted();
    await h.page.selectOption('select[name="drivers-vs"]', 'yoy');
    const [yoy] = await asked();
    assert.deepEqual({ ...yoy, id: 0 }, { type: 'explain', id: 0, kpi: 'total_revenue', period: '2026-09', vs: 'yoy' });
    const b = explained('total_revenue', {}, { period: '2026-09', vs: 'yoy' });
    await answer(yoy!.id, b);
    assert.match((await h.page.textContent('[data-drivers="total_revenue"] .drivers-change .periods'))!, /^2026-09 vs 2025-09 \(a year before\): $/);
    assert.equal(await h.page.$('[data-drivers="total_revenue"] .drivers-body.stale'), null);
    assert.equal(await h.page.inputValue('select[name="drivers-vs"]'), 'yoy');

    // An answer to a question no longer asked (the 2026-09 vs prev one) changes nothing.
    await answer(first!.id + 1, a);
    assert.match((await h.page.textContent('[data-drivers="total_revenue"] .drivers-change'))!, /^2026-09 vs 2025-09/);
    // Kept across a reload, with the KPI selected.
    const state = await h.page.evaluate(() => JSON.parse(sessionStorage.getItem('vscode-state')!));
    assert.deepEqual(state.drivers, { grain: '', vs: 'yoy', period: '2026-09' });
    await h.page.reload();
    await h.page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
    await h.send(resultsMessage(2, month));
    assert.deepEqual((await asked()).map(({ id: _, ...m }) => m), [{ type: 'explain', kpi: 'total_revenue', period: '2026-09', vs: 'yoy' }]);
    await assertClean();
  });

  it('new results ask again, showing the last explanation dimmed until the new one comes', async () => {
    await h.open();
    await h.send(resultsMessage(1, month));
    await h.page.click('tr[data-kpi="conversion_rate"]');
    const [one] = await asked();
    await answer(one!.id, explained('conversion_rate'));
    await h.clearPosted();
    await h.send(resultsMessage(2, month));
    const [two] = await asked();
    assert.ok(two && two.id > one!.id, 'asked again');
    assert.ok(await h.page.$('[data-drivers="conversion_rate"] .drivers-body.stale .driver-chart'), 'the last chart, dimmed');
    await answer(two.id, explained('conversion_rate'));
    assert.equal(await h.page.$('[data-drivers="conversion_rate"] .drivers-body.stale'), null);
    // An error says so, as text.
    await h.clearPosted();
    await h.send(resultsMessage(3, month));
    const [three] = await asked();
    await answer(three!.id, null, 'the kpispec language server is not running');
    assert.equal(await h.page.textContent('[data-drivers="conversion_rate"] .drivers-error'), 'The change could not be explained: the kpispec language server is not running');
    await assertClean();
  });

  it('splits a derived KPI over its formula’s inputs', async () => {
    await h.open();
    await h.send(resultsMessage(1, month));
    await h.page.click('tr[data-kpi="clv_cac_ratio"]');
    const [ask] = await asked();
    const a = explained('clv_cac_ratio');
    await answer(ask!.id, a);
    const rows = await h.page.$$eval('[data-drivers="clv_cac_ratio"] .driver-chart[data-inputs] tr.driver-row[data-group]', (trs) => trs.map((tr) => tr.getAttribute('data-group')));
    assert.deepEqual(rows, a.explanation.inputs!.inputs.map((i) => i.input));
    assert.match((await h.page.textContent('[data-drivers="clv_cac_ratio"] .drivers-method'))!, /Shapley/);
    await assertClean();
  });

  it('shows hostile group names and sentences as text; no element is made from them and no script runs', async () => {
    await h.open();
    await h.send(resultsMessage(1, month));
    await h.page.click('tr[data-kpi="conversion_rate"]');
    const [ask] = await asked();
    const a = structuredClone(explained('conversion_rate'));
    a.explanation.summary = `${HOSTILE} fell`;
    a.explanation.dimensions[0]!.groups[0]!.group = HOSTILE;
    a.explanation.dimensions[0]!.dimension = `<b>${HOSTILE}</b>`;
    a.explanation.notes = [HOSTILE];
    await answer(ask!.id, a);
    assert.equal(await h.page.textContent('.drivers-summary'), `${HOSTILE} fell`);
    assert.equal(await h.page.getAttribute('.driver-chart tr.driver-row[data-group]', 'data-group'), HOSTILE);
    assert.equal(await h.page.textContent('.driver-chart h5 code'), `<b>${HOSTILE}</b>`);
    assert.equal(await h.page.locator('#app img, #app b').count(), 0);
    assert.equal(await h.page.evaluate(() => window.__xss), undefined);
    await assertClean();
  });

  it('“Explain this change” (showDrivers) selects the KPI once its spec’s results show, and scrolls to its chart', async () => {
    await h.open();
    await h.send({ type: 'showDrivers', uri: `file://${month.spec.file}`, kpi: 'won_deal_value' });
    await h.send(resultsMessage(1, month));
    const posted = await h.posted();
    assert.deepEqual(posted.filter((m) => m.type === 'select'), [{ type: 'select', kpi: 'won_deal_value' }]);
    const [ask] = await asked();
    assert.equal(ask!.kpi, 'won_deal_value');
    await answer(ask!.id, explained('won_deal_value'));
    // The scorecard's last KPI: its chart in the upper half of the panel (the page ends below it).
    const top = await h.page.$eval('[data-drivers="won_deal_value"]', (s) => s.getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 450, `the chart in view: ${top}`);
    assert.ok(await h.page.evaluate(() => window.scrollY > 0));
    await assertClean();
  });

  it('reads in light and dark themes at the panel’s width (screenshots)', async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await h.page.setViewportSize({ width: 560, height: 1100 });
    for (const theme of ['light', 'dark'] as const) {
      await h.open({ theme });
      await h.send(resultsMessage(1, month));
      await h.send({ type: 'showDrivers', uri: `file://${month.spec.file}`, kpi: 'conversion_rate' });
      const [ask] = await asked();
      await answer(ask!.id, explained('conversion_rate'));
      await h.page.$eval('[data-drivers="conversion_rate"]', (s) => s.scrollIntoView({ block: 'start' }));
      await h.page.screenshot({ path: path.join(SHOTS, `webview-drivers-${theme}.png`) });
      // Nothing overflows the narrow panel.
      assert.ok(await h.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no horizontal scroll');
    }
    await h.page.setViewportSize({ width: 900, height: 900 });
    await assertClean();
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
