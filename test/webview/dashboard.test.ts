import * as assert from 'node:assert/strict';
import { formatBound, formatValue } from '../../server/src/engine/format';
import type { EvalResult, KpiResult } from '../../server/src/engine/results';
import { evaluate, Harness, markPartial, resultsMessage } from './harness';

/** The preview as a dashboard: breakdown rows, compact charts, partial periods, goals, following the cursor. */
describe('webview: the preview as a dashboard', function () {
  this.timeout(30_000);
  const h = new Harness();
  let month: EvalResult;
  let quarter: EvalResult;
  let byChannel: EvalResult;
  const kpi = (r: EvalResult, id: string): KpiResult => r.kpis.find((k) => k.id === id)!;

  before(async function () {
    this.timeout(60_000);
    month = evaluate('samples/webshop.kpi.yaml');
    quarter = evaluate('samples/webshop.kpi.yaml', { grain: 'quarter' });
    byChannel = evaluate('samples/webshop.kpi.yaml', { by: 'channel' });
    await h.start();
  });
  after(() => h.stop());

  async function assertClean(): Promise<void> {
    assert.deepEqual(await h.cspViolations(), [], 'CSP violations');
    assert.deepEqual(h.errors, [], 'console errors');
  }

  it('the Breakdown control puts one row per group under each KPI, with the group’s value, status and chart', async () => {
    await h.open();
    await h.send(resultsMessage(1, month));
    assert.equal(await h.page.locator('tr.group-row').count(), 0, 'no group rows with each KPI’s own breakdowns');

    await h.send(resultsMessage(2, byChannel, { controls: { by: 'channel' } }));
    assert.equal(await h.page.textContent('section.kpis h2'), 'KPIs by channel');
    const k = kpi(byChannel, 'total_revenue');
    const b = k.breakdowns.find((x) => x.dimension === 'channel')!;
    assert.ok(b.rows.length > 1, 'the sample has several channels');
    const rows = await h.page.$$eval(`tr.group-row[data-group-of="total_revenue"]`, (trs) =>
      trs.map((tr) => ({ group: tr.getAttribute('data-group'), value: tr.querySelector('.c-value')?.textContent, status: tr.querySelector('.c-status .status')?.className, chart: !!tr.querySelector('.c-trend svg .mc-line') })),
    );
    assert.deepEqual(rows.map((r) => r.group), b.rows.map((r) => r.group ?? '(empty)'));
    for (const [i, r] of b.rows.entries()) {
      assert.equal(rows[i]!.value, formatValue(r.latest.value, k), `${r.group} value`);
      assert.match(rows[i]!.status!, new RegExp(`\\bs-${r.latest.status}\\b`));
      assert.equal(rows[i]!.chart, true);
    }
    // The groups sit right under their KPI's row, before the next KPI.
    const order = await h.page.$$eval('table.scorecard > tbody > tr', (trs) => trs.map((tr) => tr.getAttribute('data-kpi') ?? tr.getAttribute('data-group-of') ?? ''));
    const at = order.indexOf('total_revenue');
    assert.deepEqual(order.slice(at + 1, at + 1 + b.rows.length), b.rows.map(() => 'total_revenue'));
    // A KPI whose sources lack the dimension has no group rows; its problem says why.
    const social = kpi(byChannel, 'engagement_rate');
    assert.equal(social.breakdowns.length, 0);
    assert.equal(await h.page.locator('tr.group-row[data-group-of="engagement_rate"]').count(), 0);
    assert.match((await h.page.textContent('tr[data-problems-of="engagement_rate"]'))!, /no breakdown by `channel`/);
    await assertClean();
  });

  it('draws a compact chart in every KPI row: the values, the target, the warn band and the same months a year before', async () => {
    await h.open();
    await h.send(resultsMessage(1, month));
    const k = kpi(month, 'bounce_rate'); // a max target with a warn band, 22 months of data
    const chart = await h.page.$eval(`tr[data-kpi="${k.id}"] .c-trend svg.mini`, (s) => ({
      line: s.querySelector('.mc-line')?.getAttribute('d') ?? '',
      target: s.querySelector('.mc-target')?.getAttribute('d') ?? '',
      bands: s.querySelectorAll('.mc-band').length,
      yoy: s.querySelector('.mc-yoy')?.getAttribute('d') ?? '',
      label: s.getAttribute('aria-label') ?? '',
      dot: s.querySelector('.mc-dot')?.getAttribute('class') ?? '',
    }));
    assert.equal((chart.line.match(/[ML]/g) ?? []).length, 12, 'the last 12 months');
    assert.equal((chart.target.match(/M/g) ?? []).length, 12, 'a target step per month');
    assert.equal(chart.bands, 12, 'the warn band in each month');
    // Nov 2024 and Dec 2024 have no data: the year-ago line covers Jan–Oct 2025, 10 points.
    assert.equal((chart.yoy.match(/[ML]/g) ?? []).length, 10);
    const last = k.series.at(-1)!;
    const ago = k.series.find((p) => p.period === '2025-10')!;
    assert.match(chart.label, new RegExp(`latest ${formatValue(last.value, k).replace('.', '\\.')} in 2026-10; target ${formatBound(k.latest.target, k).replace('.', '\\.')}; 2025-10: ${formatValue(ago.value, k).replace('.', '\\.')}`));
    assert.match(chart.dot, new RegExp(`s-${k.latest.status}`));
    // The key says what the marks are.
    assert.deepEqual(await h.page.$$eval('.chart-key .item', (items) => items.map((i) => i.getAttribute('data-key-item'))), ['value', 'target', 'warn', 'last-year']);

    // Six months shown: no year-ago line, and the key does not mention one.
    const six = evaluate('samples/webshop.kpi.yaml', { last: 6 });
    await h.send(resultsMessage(2, six));
    assert.equal(await h.page.locator(`tr[data-kpi="${k.id}"] .mc-yoy`).count(), 0);
    assert.equal(await h.page.locator('.chart-key [data-key-item="last-year"]').count(), 0);
    await assertClean();
  });

  it('marks a partial period: the marker with its last day, a hollow dashed last point, pace and the target to date', async () => {
    await h.open();
    const k = kpi(quarter, 'total_revenue');
    const partial = markPartial(quarter, '2026-10-31', { total_revenue: { paceTarget: { min: 36_000 }, pace: 'behind_pace' } });
    partial.kpis.find((x) => x.id === 'total_revenue')!.latest.compared = 'same_days';
    const conv = partial.kpis.find((x) => x.id === 'conversion_rate')!;
    Object.assign(conv.latest, { compared: 'none', comparedNote: 'the previous quarter has no data for its first 31 days', previous: null, change: null, changeRatio: null });
    await h.send(resultsMessage(1, partial));

    const row = `tr[data-kpi="total_revenue"]`;
    assert.equal(await h.page.textContent(`${row} .c-period`), '2026-Q4partial, to Oct 31');
    assert.match((await h.page.getAttribute(`${row} .partial-mark`, 'title'))!, /only through 2026-10-31/);
    assert.equal(await h.page.textContent(`${row} .c-target`), `${formatBound(k.latest.target, k)}to date ≥ ¥36,000`);
    assert.equal(await h.page.textContent(`${row} .c-status .pace`), 'behind pace');
    assert.match((await h.page.textContent(`${row} .c-change`))!, /same days$/);
    assert.equal(await h.page.textContent(`tr[data-kpi="conversion_rate"] .c-change`), '— no like-for-like');
    assert.equal(await h.page.getAttribute(`tr[data-kpi="conversion_rate"] .c-change .change`, 'title'), 'the previous quarter has no data for its first 31 days');
    const chart = await h.page.$eval(`${row} svg.mini`, (s) => ({
      dot: s.querySelector('.mc-dot')!.getAttribute('class'),
      dashed: s.querySelector('.mc-partial')?.getAttribute('d'),
      pace: s.querySelector('.mc-pace')?.getAttribute('d'),
      solid: s.querySelector('.mc-line')!.getAttribute('d')!,
      dotFill: getComputedStyle(s.querySelector('.mc-dot')!).fill,
      background: getComputedStyle(document.body).backgroundColor,
    }));
    assert.match(chart.dot!, /\bpartial\b/);
    assert.ok(chart.dashed, 'a dashed segment into the partial point');
    assert.ok(chart.pace, 'a tick at the target to date');
    assert.equal((chart.solid.match(/[ML]/g) ?? []).length, quarter.periods.length - 1, 'the solid line stops before the partial quarter');
    assert.equal(chart.dotFill, chart.background, 'the partial point is hollow');
    // Whole periods elsewhere: a KPI not marked partial keeps a solid line to its last point.
    assert.equal(await h.page.locator('.chart-key [data-key-item="partial"]').count(), 1);

    // The detail chart says so too: the period in its legend, the dashed series and its pace target.
    await h.page.click(row);
    await h.page.waitForSelector('[data-detail="total_revenue"] .uplot canvas');
    assert.match((await h.page.textContent('[data-detail="total_revenue"] .partial-note'))!, /^2026-Q4 is partial, to Oct 31: it is judged against the target pro-rated to those days\./);
    const legend = await h.page.$$eval('[data-detail="total_revenue"] .u-legend .u-series', (rows) => rows.map((r) => ({ label: r.querySelector('.u-label')?.textContent, value: r.querySelector('.u-value')?.textContent, shown: getComputedStyle(r).display !== 'none' })));
    assert.equal(legend[0]!.value, '2026-Q4 (partial, to Oct 31)');
    assert.equal(legend.find((l) => l.label === 'total_revenue')!.value, `${formatValue(k.latest.value, k)} so far`);
    assert.equal(legend.find((l) => l.label === 'total_revenue so far')!.shown, false, 'the dashed segment has no legend row of its own');
    assert.equal(legend.find((l) => l.label === 'target to date')!.value, '¥36,000');
    assert.ok(legend.some((l) => l.label === 'a year before' && l.shown), 'the year-ago series');
    await assertClean();
  });

  it('gives a change that shows as zero neither an arrow nor a colour', async () => {
    await h.open();
    const r = structuredClone(month);
    const pv = r.kpis.find((k) => k.id === 'pv')!;
    Object.assign(pv.latest, { change: 0, changeRatio: 0 });
    const rate = r.kpis.find((k) => k.id === 'bounce_rate')!;
    Object.assign(rate.latest, { change: 0.00001, changeRatio: 0.00003 }); // +0.001 pp: shows as ±0.0 pp
    await h.send(resultsMessage(1, r));
    for (const [id, text] of [['pv', '±0.0%'], ['bounce_rate', '±0.0 pp']]) {
      const change = await h.page.$eval(`tr[data-kpi="${id}"] .change`, (e) => ({ text: e.textContent, cls: e.className, colour: getComputedStyle(e).color, muted: getComputedStyle(document.querySelector('.meta')!).color }));
      assert.equal(change.text, text, `${id}: no arrow`);
      assert.equal(change.cls, 'change flat');
      assert.equal(change.colour, change.muted, `${id}: muted, neither green nor red`);
    }
    await assertClean();
  });

  it('says why a declared target gives no verdict at this grain', async () => {
    await h.open();
    const r = structuredClone(quarter);
    const k = r.kpis.find((x) => x.id === 'revenue_3m')!;
    Object.assign(k.latest, { status: 'no_target', target: undefined, warn: undefined, noTarget: 'a rolling sum has no honest quarterly target' });
    await h.send(resultsMessage(1, r));
    assert.equal(await h.page.textContent('tr[data-kpi="revenue_3m"] .c-target .no-target'), 'n/a at this grain');
    assert.equal(await h.page.getAttribute('tr[data-kpi="revenue_3m"] .c-target .no-target', 'title'), 'a rolling sum has no honest quarterly target');
    assert.equal(await h.page.textContent('tr[data-kpi="revenue_3m"] .c-target .sr'), ': a rolling sum has no honest quarterly target');
    await assertClean();
  });

  it('colours each goal’s bar by its track, else by its graded attainment, and shows key results with score and track', async () => {
    await h.open();
    const r = structuredClone(month);
    const [paid, convert, traffic] = r.goals;
    Object.assign(paid!, { attainment: 0.55, track: 'off_track' });
    paid!.kpis[0]!.score = 0.4;
    paid!.kpis[0]!.track = 'off_track';
    paid!.kpis[0]!.projected = 0.9;
    Object.assign(convert!, { attainment: 0.85, track: undefined });
    Object.assign(traffic!, { attainment: 0.2, track: undefined });
    await h.send(resultsMessage(1, r));
    const goal = (id: string) =>
      h.page.$eval(`.goal[data-goal="${id}"]`, (g) => ({ cls: g.className, fill: getComputedStyle(g.querySelector('.fill')!).backgroundColor, width: (g.querySelector('.fill') as HTMLElement).style.width }));
    const colour = (v: string) => h.page.evaluate((name) => {
      const probe = document.createElement('span');
      probe.style.color = `var(${name})`;
      document.body.append(probe);
      const c = getComputedStyle(probe).color;
      probe.remove();
      return c;
    }, v);
    const off = await goal(paid!.id);
    assert.match(off.cls, /\bt-off_track\b/);
    assert.equal(off.fill, await colour('--vscode-charts-red'));
    assert.equal(off.width, '55%');
    assert.equal(await h.page.textContent(`.goal[data-goal="${paid!.id}"] .attainment .track`), '✖off track');
    assert.equal((await goal(convert!.id)).fill, await colour('--vscode-charts-green'));
    assert.equal((await goal(traffic!.id)).fill, await colour('--vscode-charts-red'));
    const mid = structuredClone(r);
    mid.goals[1]!.attainment = 0.5;
    await h.send(resultsMessage(2, mid));
    assert.equal((await goal(convert!.id)).fill, await colour('--vscode-charts-yellow'));

    const kr = await h.page.$eval(`.goal[data-goal="${paid!.id}"] .key-result`, (li) => ({ score: li.querySelector('.score')!.textContent, track: li.querySelector('.track')!.className, title: li.getAttribute('title') }));
    assert.equal(kr.score, '40%');
    assert.match(kr.track, /t-off_track/);
    const roi = r.kpis.find((k) => k.id === paid!.kpis[0]!.id)!;
    assert.match(kr.title!, new RegExp(`score 40%.*projected ${formatValue(0.9, roi)} by .*off track`));
    await assertClean();
  });

  it('shows each goal over its horizon’s range (short: 6 months, long: 2 years) and lets the reader switch', async () => {
    await h.open();
    await h.send(resultsMessage(1, month));
    const short = month.goals.find((g) => g.horizon === 'short')!;
    const long = month.goals.find((g) => g.horizon === 'long')!;
    const periods = (id: string) => h.page.$eval(`.goal[data-goal="${id}"] .key-result svg.mini`, (s) => Number(/(\d+) periods/.exec(s.getAttribute('aria-label')!)?.[1]));
    assert.equal(await periods(short.id), 6);
    assert.equal(await h.page.textContent(`.goal[data-goal="${short.id}"] button.range`), 'last 6 months');
    // Two years of months, as far as the data goes (22 months).
    assert.equal(await periods(long.id), Math.min(24, month.periods.length));
    assert.equal(await h.page.textContent(`.goal[data-goal="${long.id}"] button.range`), 'last 2 years');

    await h.clearPosted();
    await h.page.click(`.goal[data-goal="${short.id}"] button.range`);
    assert.deepEqual(await h.lastPosted(), { type: 'goalRange', goal: short.id, range: 'long' });
    assert.equal(await periods(short.id), Math.min(24, month.periods.length));
    assert.equal(await h.page.textContent(`.goal[data-goal="${short.id}"] button.range`), 'last 2 years');
    // Kept across a reload, like the other choices.
    await h.open({ keepState: true });
    await h.send(resultsMessage(2, month));
    assert.equal(await h.page.textContent(`.goal[data-goal="${short.id}"] button.range`), 'last 2 years');
    await assertClean();
  });

  it('follows the editor’s cursor: scrolls to the KPI (or goal) under it, below the sticky header, and highlights it', async () => {
    await h.open();
    await h.send(resultsMessage(1, month));
    const last = month.kpis.at(-1)!.id;
    const place = (selector: string) =>
      h.page.$eval(selector, (e) => {
        const r = e.getBoundingClientRect();
        const head = document.querySelector('.scorecard > thead')!.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, headBottom: head.bottom, height: window.innerHeight, cursor: e.classList.contains('at-cursor') };
      });
    assert.ok((await place(`tr[data-kpi="${last}"]`)).top > 800, 'the last KPI starts out of view');

    await h.send({ type: 'cursor', kpi: last });
    let p = await place(`tr[data-kpi="${last}"]`);
    assert.equal(p.cursor, true);
    assert.ok(p.top >= p.headBottom && p.bottom <= p.height, `in view below the sticky header: ${JSON.stringify(p)}`);
    assert.equal(await h.page.locator('.at-cursor').count(), 1);

    // The highlight stays through new results; it does not select or post anything.
    await h.clearPosted();
    await h.send(resultsMessage(2, month));
    assert.equal((await place(`tr[data-kpi="${last}"]`)).cursor, true);
    assert.deepEqual(await h.posted(), []);

    const goal = month.goals[0]!.id;
    await h.send({ type: 'cursor', goal });
    p = await place(`.goal[data-goal="${goal}"]`);
    assert.equal(p.cursor, true);
    assert.ok(p.top >= 0 && p.bottom <= p.height, 'the goal card in view');
    assert.equal((await place(`tr[data-kpi="${last}"]`)).cursor, false);
    await h.send({ type: 'cursor' });
    assert.equal(await h.page.locator('.at-cursor').count(), 0);
    await assertClean();
  });

  it('never hides a KPI opened from a goal behind the sticky header', async () => {
    await h.open();
    await h.send(resultsMessage(1, month));
    const goal = month.goals.find((g) => g.kpis.some((k) => k.id === 'total_revenue'))!;
    const below = () => h.page.$eval('tr[data-kpi="total_revenue"]', (row) => ({ top: row.getBoundingClientRect().top, head: document.querySelector('.scorecard > thead')!.getBoundingClientRect().bottom, scrolled: window.scrollY }));
    // From the bottom of the page, the row is above the view: selecting scrolls up to it.
    await h.page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await h.page.$eval(`.goal button[data-key="member-${goal.id}-total_revenue"]`, (b) => (b as HTMLButtonElement).click());
    await h.page.waitForSelector('[data-detail="total_revenue"] .uplot canvas');
    const p = await below();
    assert.ok(p.scrolled > 0 && p.top >= p.head - 0.5, `the selected row starts below the sticky header: ${JSON.stringify(p)}`);
    // Focus from the keyboard scrolls the same way.
    await h.page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await h.page.$eval('tr[data-kpi="total_revenue"]', (row) => (row as HTMLElement).focus());
    const q = await below();
    assert.ok(q.top >= q.head - 0.5, `the focused row starts below the sticky header: ${JSON.stringify(q)}`);
    await assertClean();
  });
});
