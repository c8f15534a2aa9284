import * as assert from 'node:assert/strict';
import type { PreviewState } from '../../client/src/preview/messages';
import { formatValue, STATUS_MARK, STATUS_TEXT } from '../../server/src/engine/format';
import type { EvalResult, KpiResult } from '../../server/src/engine/results';
import { withinBudget } from '../../server/src/lsp/budget';
import { deltaOf } from '../../server/src/engine/delta';
import { evaluate, Harness, resultsMessage } from './harness';

const HOSTILE = '<img src=x onerror="window.__xss=1">';
const HOSTILE_SCRIPT = '<script>window.__xss=2</script><svg onload="window.__xss=3">';

describe('webview: the preview bundle in headless Chromium', function () {
  this.timeout(30_000);
  const h = new Harness();
  let webshop: EvalResult;
  const kpi = (id: string): KpiResult => webshop.kpis.find((k) => k.id === id)!;

  before(async function () {
    this.timeout(60_000);
    webshop = evaluate('samples/webshop.kpi.yaml');
    await h.start();
  });
  after(() => h.stop());

  /** Fails on any CSP violation, console error or dialog seen so far. */
  async function assertClean(): Promise<void> {
    assert.deepEqual(await h.cspViolations(), [], 'CSP violations');
    assert.deepEqual(h.errors, [], 'console errors');
    assert.deepEqual(h.dialogs, [], 'dialogs');
  }

  it('posts ready without state on a fresh page, then shows every KPI with the formatted latest value and status in words', async () => {
    await h.open();
    assert.deepEqual(await h.posted(), [{ type: 'ready' }]);
    await h.send(resultsMessage(1, webshop));

    assert.equal(await h.page.textContent('h1'), webshop.spec.name);
    const rows = await h.page.$$eval('tr.kpi', (trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute('data-kpi'),
        value: tr.querySelector('.c-value')!.textContent,
        period: tr.querySelector('.c-period')!.textContent,
        status: tr.querySelector('.c-status')!.textContent,
        statusClass: tr.querySelector('.c-status .status')!.className,
        hasSpark: !!tr.querySelector('.c-trend svg path'),
      })),
    );
    assert.deepEqual(
      rows.map((r) => r.id),
      webshop.kpis.map((k) => k.id),
    );
    for (const r of rows) {
      const k = kpi(r.id!);
      assert.equal(r.value, formatValue(k.latest.value, k), `${k.id} latest value`);
      assert.equal(r.period, k.latest.period ?? '—');
      assert.equal(r.status, STATUS_MARK[k.latest.status] + STATUS_TEXT[k.latest.status], `${k.id} status as mark and words`);
      assert.match(r.statusClass, new RegExp(`\\bs-${k.latest.status}\\b`));
      assert.equal(r.hasSpark, true, `${k.id} sparkline`);
    }
    // The same numbers, formatted independently of the shared formatter.
    const cell = (id: string) => rows.find((r) => r.id === id)!.value;
    assert.equal(cell('bounce_rate'), `${(kpi('bounce_rate').latest.value! * 100).toFixed(1)}%`);
    assert.equal(cell('pv'), Math.round(kpi('pv').latest.value!).toLocaleString('en-US'));
    assert.equal(cell('aov'), `¥${kpi('aov').latest.value!.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);

    // Goals: one card each, attainment as a percentage.
    const goals = await h.page.$$eval('.goal', (cards) => cards.map((c) => ({ id: c.getAttribute('data-goal'), percent: c.querySelector('.percent')!.textContent })));
    assert.deepEqual(
      goals,
      webshop.goals.map((g) => ({ id: g.id, percent: g.attainment === null ? '—' : `${Math.round(g.attainment * 100)}%` })),
    );
    // Sources: id, file and row count.
    const sources = await h.texts('.source');
    for (const s of webshop.sources) assert.ok(sources.some((t) => t.includes(s.id) && t.includes(s.file) && t.includes(`${s.rows.toLocaleString('en-US')} rows`)), s.id);
    // Rollups and lookups say how their rows came about: entities of how many rows, matches.
    const rollup = webshop.sources.find((s) => s.rollup)!;
    const lookup = webshop.sources.find((s) => s.lookups?.length)!;
    assert.ok(rollup && lookup, 'the sample has a rollup and a lookup');
    assert.ok(sources.some((t) => t.includes(`one per key of ${rollup.rollup!.fromRows.toLocaleString('en-US')} rows of ${rollup.rollup!.from}`)), rollup.id);
    const l = lookup.lookups![0]!;
    assert.ok(sources.some((t) => t.includes(`lookup ${l.name}: ${l.matched.toLocaleString('en-US')} of ${(l.matched + l.unmatched).toLocaleString('en-US')} matched`)), lookup.id);
    await assertClean();
  });

  it('colours the change by direction: a rise is good for an up-KPI and bad for a down-KPI', async () => {
    const up = webshop.kpis.find((k) => k.direction === 'up' && (k.latest.change ?? 0) > 0)!;
    const down = webshop.kpis.find((k) => k.direction === 'down' && (k.latest.change ?? 0) < 0)!;
    const cls = (id: string) => h.page.getAttribute(`tr[data-kpi="${id}"] .change`, 'class');
    assert.match((await cls(up.id))!, /\bgood\b/);
    assert.match((await cls(down.id))!, /\bgood\b/);
    assert.match((await h.page.textContent(`tr[data-kpi="${up.id}"] .change`))!, /^↑/);
    assert.match((await h.page.textContent(`tr[data-kpi="${down.id}"] .change`))!, /^↓/);
    const worse = webshop.kpis.find((k) => (k.direction === 'up' ? (k.latest.change ?? 0) < 0 : (k.latest.change ?? 0) > 0))!;
    assert.match((await cls(worse.id))!, /\bbad\b/);
  });

  it('renders hostile text from the spec and data as text: no element, no script, no dialog', async () => {
    const hostile: EvalResult = structuredClone(webshop);
    hostile.spec.name = HOSTILE;
    hostile.kpis[0]!.title = HOSTILE;
    hostile.kpis[0]!.description = HOSTILE_SCRIPT;
    hostile.kpis[0]!.problems.push({ severity: 'error', message: HOSTILE_SCRIPT, file: hostile.kpis[0]!.file, line: 3, column: 4 });
    hostile.goals[0]!.title = HOSTILE;
    hostile.sources[0]!.id = HOSTILE;
    hostile.sources[0]!.dimensions = [HOSTILE];
    hostile.sources[0]!.problems.push({ severity: 'warning', message: HOSTILE, file: `/data/${HOSTILE}.csv` });
    hostile.problems.push({ severity: 'error', message: HOSTILE_SCRIPT, file: hostile.spec.file, line: 1, column: 1, offset: 0 });
    const k = hostile.kpis[0]!;
    k.breakdowns[0]!.rows[0]!.group = HOSTILE;
    k.breakdowns[0]!.dimension = HOSTILE_SCRIPT;
    await h.send(resultsMessage(2, hostile, { controls: {} }));
    await h.page.click(`tr[data-kpi="${k.id}"]`);

    assert.equal(await h.page.textContent('h1'), HOSTILE);
    assert.equal(await h.page.textContent(`tr[data-kpi="${k.id}"] .title`), HOSTILE);
    assert.equal(await h.page.getAttribute(`tr[data-kpi="${k.id}"]`, 'title'), HOSTILE_SCRIPT);
    assert.ok((await h.texts(`tr[data-problems-of="${k.id}"] .message`)).includes(HOSTILE_SCRIPT));
    assert.equal(await h.page.textContent(`.goal[data-goal="${hostile.goals[0]!.id}"] .goal-title`), HOSTILE);
    assert.ok((await h.texts('.source .id')).includes(HOSTILE));
    assert.ok((await h.texts('select[name="by"] option')).includes(HOSTILE));
    const problems = await h.texts('.spec-problems .message');
    assert.ok(problems.includes(HOSTILE) && problems.includes(HOSTILE_SCRIPT));
    assert.ok((await h.texts('.breakdown .c-group')).includes(HOSTILE));
    assert.ok((await h.texts('.breakdown h4')).includes(`by ${HOSTILE_SCRIPT}`));
    await h.send({ type: 'unavailable', seq: 3, title: HOSTILE, detail: HOSTILE_SCRIPT });
    assert.equal(await h.page.textContent('.unavailable h2'), HOSTILE);
    assert.equal(await h.page.textContent('.unavailable p'), HOSTILE_SCRIPT);

    // Nothing was parsed as markup, so nothing ran.
    assert.equal(await h.page.evaluate(() => document.querySelectorAll('img, script:not([nonce]), svg[onload], [onerror]').length), 0);
    assert.equal(await h.page.evaluate(() => window.__xss), undefined);
    await assertClean();
  });

  it('notices a CSP violation when there is one (so "none" above means none)', async () => {
    await h.page.evaluate(() => document.body.setAttribute('style', 'color: red'));
    await h.page.waitForFunction(() => window.__csp.length > 0);
    assert.match((await h.cspViolations())[0]!, /^style-src/);
    await h.page.evaluate(() => {
      document.body.removeAttribute('style');
      window.__csp.length = 0;
    });
    // Chromium also logs the violation on the console.
    assert.equal(h.errors.length, 1);
    assert.match(h.errors[0]!, /Content Security Policy/);
    h.errors.length = 0;
  });

  it('never lets an older result replace a newer one', async () => {
    await h.open();
    const newer: EvalResult = { ...structuredClone(webshop), spec: { ...webshop.spec, name: 'newer' } };
    const older: EvalResult = { ...structuredClone(webshop), spec: { ...webshop.spec, name: 'older' } };
    newer.kpis[0]!.latest.value = 1234;
    await h.send(resultsMessage(2, newer));
    await h.send(resultsMessage(1, older));
    assert.equal(await h.page.textContent('h1'), 'newer');
    assert.equal(await h.page.textContent(`tr[data-kpi="${newer.kpis[0]!.id}"] .c-value`), '1,234');
    // Same for busy and unavailable: stale ones are ignored, current ones dim or replace.
    await h.send({ type: 'busy', seq: 1 });
    assert.equal(await h.page.getAttribute('#app', 'class'), null);
    await h.send({ type: 'busy', seq: 3 });
    assert.equal(await h.page.getAttribute('#app', 'class'), 'busy');
    assert.equal(await h.page.textContent('.busy-note'), 'Computing…');
    await h.send({ type: 'unavailable', seq: 2, title: 'stale', detail: '' });
    assert.equal(await h.page.$('.unavailable'), null);
    await h.send(resultsMessage(3, older));
    assert.equal(await h.page.textContent('h1'), 'older');
    assert.equal(await h.page.getAttribute('#app', 'class'), '');
    await assertClean();
  });

  it('applies a delta to the results it shows, and asks for the results whole when it holds others', async () => {
    await h.open();
    const before = { ...structuredClone(webshop), resultId: 5 };
    await h.send(resultsMessage(1, before));
    const first = before.kpis[0]!;
    const changed: KpiResult = { ...first, latest: { ...first.latest, value: 4321 } };
    const after = { ...before, kpis: [changed, ...before.kpis.slice(1)] };
    const delta = deltaOf(new Map(before.kpis.map((k) => [k.id, k])), after, after.kpis, 5, 6);
    assert.equal(delta.kpis.length, 1, 'one KPI changed');
    const common = { uri: `file://${webshop.spec.file}`, fileName: 'webshop.kpi.yaml', controls: {}, locked: false };
    await h.send({ type: 'delta', seq: 2, ...common, delta });
    assert.equal(await h.page.textContent(`tr[data-kpi="${first.id}"] .c-value`), '4,321');
    const other = before.kpis[1]!;
    assert.equal(await h.page.textContent(`tr[data-kpi="${other.id}"] .c-value`), formatValue(other.latest.value, other));
    assert.equal(await h.page.$$eval('tr.kpi', (trs) => trs.length), webshop.kpis.length);
    // A delta on results the page does not show (after a reload, say): it keeps what it shows and asks.
    await h.send({ type: 'delta', seq: 3, ...common, delta: { ...delta, base: 99, epoch: 100 } });
    assert.deepEqual((await h.posted()).slice(-1), [{ type: 'resend' }]);
    assert.equal(await h.page.textContent(`tr[data-kpi="${first.id}"] .c-value`), '4,321');
    await assertClean();
  });

  it('shows an unavailable message (Restricted Mode) as its title and detail', async () => {
    await h.send({ type: 'unavailable', seq: 4, title: 'Data files are not read in Restricted Mode', detail: 'Trust this folder to see the values.' });
    assert.equal(await h.page.textContent('.unavailable h2'), 'Data files are not read in Restricted Mode');
    assert.equal(await h.page.textContent('.unavailable p'), 'Trust this folder to see the values.');
    assert.equal(await h.page.$('table.scorecard'), null);
  });

  it('says plainly when an answer was summarised, under the header, and not otherwise', async () => {
    await h.open();
    const summarised = withinBudget(evaluate('samples/webshop.kpi.yaml', { grain: 'day', by: 'channel' }));
    assert.ok(summarised.truncated);
    await h.send(resultsMessage(1, summarised));
    assert.deepEqual(await h.texts('[role="note"].truncated'), [`▲ ${summarised.truncated.reason}`]);
    assert.ok(await h.page.$('header.head + .truncated'), 'right under the header');
    const first = summarised.periods[0]!.key;
    assert.match((await h.page.textContent('.meta'))!, new RegExp(`^day · ${first} … 2026-10-31 ·`), 'the range shown is the range kept');
    assert.equal((await h.texts('tr.kpi')).length, summarised.kpis.length);
    await h.send(resultsMessage(2, webshop));
    assert.equal(await h.page.$('.truncated'), null);
    await assertClean();
  });

  it('posts controls, lock and export messages from the header', async () => {
    await h.open();
    await h.send(resultsMessage(1, webshop, { controls: {} }));
    await h.clearPosted();

    const dims = [...new Set(webshop.sources.flatMap((s) => s.dimensions ?? []))];
    assert.deepEqual((await h.page.$$eval('select[name="by"] option', (os) => os.map((o) => (o as HTMLOptionElement).value))).slice(1), dims);
    assert.deepEqual(await h.page.$$eval('select[name="grain"] option', (os) => os.map((o) => (o as HTMLOptionElement).value)), ['', 'day', 'week', 'month', 'quarter', 'year']);
    assert.deepEqual(await h.page.$$eval('select[name="last"] option', (os) => os.map((o) => (o as HTMLOptionElement).value)), ['', '3', '6', '12', '24']);

    await h.page.selectOption('select[name="grain"]', 'week');
    assert.deepEqual(await h.lastPosted(), { type: 'controls', controls: { grain: 'week' } });
    await h.page.selectOption('select[name="last"]', '6');
    assert.deepEqual(await h.lastPosted(), { type: 'controls', controls: { grain: 'week', last: 6 } });
    await h.page.selectOption('select[name="by"]', 'device');
    assert.deepEqual(await h.lastPosted(), { type: 'controls', controls: { grain: 'week', last: 6, by: 'device' } });
    await h.page.selectOption('select[name="grain"]', '');
    assert.deepEqual(await h.lastPosted(), { type: 'controls', controls: { last: 6, by: 'device' } });
    // The choice stays shown until the host's results confirm it.
    assert.equal(await h.page.inputValue('select[name="last"]'), '6');

    await h.page.click('button[data-key="lock"]');
    assert.deepEqual(await h.lastPosted(), { type: 'lock', locked: true });
    assert.equal(await h.page.getAttribute('button[data-key="lock"]', 'aria-pressed'), 'true');
    await h.send({ type: 'locked', locked: false });
    assert.equal(await h.page.getAttribute('button[data-key="lock"]', 'aria-pressed'), 'false');
    await h.page.click('button[data-key="export-csv"]');
    assert.deepEqual(await h.lastPosted(), { type: 'export', format: 'csv' });
    await h.page.click('button[data-key="export-markdown"]');
    assert.deepEqual(await h.lastPosted(), { type: 'export', format: 'markdown' });

    const saved: PreviewState = await h.page.evaluate(() => JSON.parse(sessionStorage.getItem('vscode-state')!));
    assert.deepEqual(saved.controls, { last: 6, by: 'device' });
    await assertClean();
  });

  it('selecting a KPI posts select and shows its chart with target lines and its breakdown tables', async () => {
    await h.open();
    await h.send(resultsMessage(1, webshop));
    await h.clearPosted();
    const k = kpi('bounce_rate');
    await h.page.click(`tr[data-kpi="${k.id}"]`);
    assert.deepEqual(await h.lastPosted(), { type: 'select', kpi: k.id });

    await h.page.waitForSelector(`[data-detail="${k.id}"] .uplot canvas`);
    const legend = await h.texts(`[data-detail="${k.id}"] .u-legend .u-label`);
    assert.deepEqual(legend.slice(0, 2), ['period', k.id]);
    assert.ok(legend.includes('target ≤') && legend.includes('warn ≤'), `legend: ${legend.join(', ')}`);
    // The canvas was drawn on (not blank).
    const painted = await h.page.$eval(`[data-detail="${k.id}"] .uplot canvas`, (c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
    assert.ok(painted > 1000, `painted pixels: ${painted}`);

    const tables = await h.page.$$eval(`[data-detail="${k.id}"] .breakdown`, (bs) =>
      bs.map((b) => ({ dimension: b.getAttribute('data-dimension'), groups: [...b.querySelectorAll('table > tbody > tr')].map((tr) => tr.querySelector('.c-group')!.textContent), values: [...b.querySelectorAll('table > tbody .c-value')].map((td) => td.textContent) })),
    );
    assert.deepEqual(
      tables.map((t) => t.dimension),
      k.breakdowns.map((b) => b.dimension),
    );
    for (const [i, b] of k.breakdowns.entries()) {
      assert.deepEqual(tables[i]!.groups, b.rows.map((r) => r.group ?? '(empty)'));
      assert.deepEqual(tables[i]!.values, b.rows.map((r) => formatValue(r.latest.value, k) + (r.latest.period && r.latest.period !== k.latest.period ? ` (${r.latest.period})` : '')));
    }

    // Clicking the row again clears the selection.
    await h.page.click(`tr[data-kpi="${k.id}"]`);
    assert.deepEqual(await h.lastPosted(), { type: 'select' });
    assert.equal(await h.page.$('.detail'), null);

    // Keyboard: rows take focus and Enter selects.
    await h.page.focus('tr[data-kpi="aov"]');
    await h.page.keyboard.press('Enter');
    assert.deepEqual(await h.lastPosted(), { type: 'select', kpi: 'aov' });
    await h.page.waitForSelector('[data-detail="aov"] .uplot canvas');
    assert.equal(await h.page.evaluate(() => document.activeElement?.getAttribute('data-kpi')), 'aov', 'focus stays on the row after re-rendering');

    // A goal's member selects that KPI.
    await h.page.click(`.goal button[data-key$="-roas"]`);
    assert.deepEqual(await h.lastPosted(), { type: 'select', kpi: 'roas' });
    await h.page.waitForSelector('[data-detail="roas"] .uplot canvas');
    await assertClean();
  });

  it('reveals a KPI, a goal and a problem where they are written, without selecting', async () => {
    await h.clearPosted();
    const k = kpi('pv');
    await h.page.click(`button[data-key="id-${k.id}"]`);
    assert.deepEqual(await h.posted(), [{ type: 'reveal', file: k.file, line: k.at!.line, column: k.at!.column, offset: k.at!.offset }]);

    const g = webshop.goals[1]!;
    await h.page.click(`.goal[data-goal="${g.id}"] .goal-title`);
    assert.deepEqual(await h.lastPosted(), { type: 'reveal', file: g.file, line: g.at!.line, column: g.at!.column, offset: g.at!.offset });

    // Problems from a spec with errors, as the engine reports them.
    const broken = evaluate('test/fixtures/broken/formula-syntax.kpi.yaml');
    const withProblem = broken.kpis.find((x) => x.problems.length)!;
    const p = withProblem.problems[0]!;
    await h.send(resultsMessage(2, broken));
    assert.equal(await h.page.textContent(`tr[data-kpi="${withProblem.id}"] .c-value`), '—');
    assert.equal(await h.page.textContent(`tr[data-problems-of="${withProblem.id}"] .message`), p.message);
    await h.clearPosted();
    await h.page.click(`tr[data-problems-of="${withProblem.id}"] button.where`);
    assert.deepEqual(await h.posted(), [{ type: 'reveal', file: p.file, line: p.line, column: p.column, offset: p.offset }]);
    assert.equal(await h.page.textContent('.spec-problems h2'), `Problems (${broken.problems.length + broken.sources.flatMap((s) => s.problems).length})`);
    await assertClean();
  });

  it('shows source problems with their count in the header and in the problems section', async () => {
    const missing = evaluate('test/fixtures/broken/data-file-missing.kpi.yaml');
    const source = missing.sources.find((s) => s.problems.length)!;
    await h.send(resultsMessage(3, missing));
    assert.equal(await h.page.textContent(`.source[data-source="${source.id}"] .problem-count`), `▲ ${source.problems.length} data problem${source.problems.length > 1 ? 's' : ''}`);
    assert.ok((await h.texts('.spec-problems .message')).includes(source.problems[0]!.message));
  });

  it('keeps its state across a reload (getState), and starts from the state in the page otherwise', async () => {
    await h.open();
    await h.send(resultsMessage(5, webshop, { controls: { grain: 'month', last: 12 }, locked: true }));
    await h.page.click('tr[data-kpi="cac"]');
    const expected: PreviewState = { uri: `file://${webshop.spec.file}`, locked: true, controls: { grain: 'month', last: 12 }, selected: 'cac' };

    await h.open({ keepState: true }); // a reload: VS Code hands the saved state back
    assert.deepEqual(await h.posted(), [{ type: 'ready', state: expected }]);
    await h.send(resultsMessage(1, webshop, { controls: { grain: 'month', last: 12 }, locked: true }));
    await h.page.waitForSelector('[data-detail="cac"] .uplot canvas');
    assert.equal(await h.page.inputValue('select[name="last"]'), '12');
    assert.equal(await h.page.getAttribute('button[data-key="lock"]', 'aria-pressed'), 'true');

    // Results for another spec drop the selection.
    await h.send(resultsMessage(2, { ...webshop, spec: { ...webshop.spec, file: '/elsewhere/other.kpi.yaml' } }));
    assert.equal(await h.page.$('.detail'), null);

    // After a window reload the serializer's state arrives in the page's data-state.
    await h.open({ state: expected });
    assert.deepEqual(await h.posted(), [{ type: 'ready', state: expected }]);
    await assertClean();
  });
});
