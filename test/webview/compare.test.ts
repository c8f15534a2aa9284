import * as assert from 'node:assert/strict';
import type { DiffResult } from '../../server/src/diff/result';
import { Harness } from './harness';

const HOSTILE = '<img src=x onerror="window.__xss=1">';

/** The compare view's bundle: old → new for what changed, titles with ids, unsaved edits said. */
describe('webview: the compare view', function () {
  this.timeout(30_000);
  const h = new Harness();
  before(() => h.start());
  after(() => h.stop());

  const diff: DiffResult = {
    version: 1,
    before: { label: 'HEAD', files: ['shop.kpi.yaml'], broken: false, problems: [] },
    after: { label: 'working tree with unsaved edits', files: ['shop.kpi.yaml'], broken: false, problems: [] },
    files: [{ path: 'shop.kpi.yaml', change: 'changed' }],
    entries: [
      {
        kind: 'kpi', id: 'organic_share', title: `自然流量占比 ${HOSTILE}`, change: 'changed', file: 'shop.kpi.yaml',
        changes: [{ aspect: 'target', before: 'min 23%', after: 'min 30%', items: [{ key: 'always', change: 'changed', before: 'min 23%', after: 'min 30%' }] }],
        impact: { before: { period: '2026-10', value: 0.231, text: '23.1%', status: 'met' }, after: { period: '2026-10', value: 0.231, text: '23.1%', status: 'at_risk' }, change: 0 },
      },
      {
        kind: 'kpi', id: 'aov', change: 'changed', file: 'shop.kpi.yaml',
        changes: [{ aspect: 'formula', before: 'revenue / orders', after: 'revenue / customers' }],
        impact: { before: { period: '2026-10', value: 210.5, text: '¥210.50', status: 'met' }, after: { period: '2026-10', value: 250, text: '¥250.00', status: 'met' }, change: 39.5 },
      },
    ],
    breaking: [],
    summary: { added: 0, removed: 0, renamed: 0, changed: 2, affected: 0, breaking: 0 },
  };

  it('shows each KPI by title and id, what changed as old → new, an unchanged value once, and the unsaved files', async () => {
    await h.open({ bundle: 'compare' });
    await h.send({ type: 'diff', base: 'HEAD', result: diff, unsaved: ['shop.kpi.yaml'] });
    assert.equal(await h.page.textContent('h1'), 'KPIs: working tree with unsaved edits vs HEAD');
    assert.equal(await h.page.textContent('.note.unsaved'), 'Compared as the editor holds them, unsaved: shop.kpi.yaml.');
    const row = (id: string) => `table.diff-table tr.kpi[data-kpi="${id}"]`;
    assert.equal(await h.page.textContent(`${row('organic_share')} .title`), `自然流量占比 ${HOSTILE}`);
    assert.equal(await h.page.textContent(`${row('organic_share')} .kpi-id`), 'organic_share');
    assert.equal(await h.page.textContent(`${row('organic_share')} [data-aspect="target"]`), 'target: min 23% → min 30%');
    assert.equal(await h.page.textContent(`${row('organic_share')} del.old`), 'min 23%');
    assert.equal(await h.page.textContent(`${row('organic_share')} ins.new`), 'min 30%');
    assert.equal(await h.page.textContent(`${row('organic_share')} td.num`), '23.1% unchanged');
    assert.equal(await h.page.textContent(`${row('organic_share')} .c-status`), '✔met → ▲at risk');
    assert.equal(await h.page.textContent(`${row('aov')} [data-aspect="formula"]`), 'formula: revenue / orders → revenue / customers');
    assert.equal(await h.page.textContent(`${row('aov')} td.num`), '¥210.50 → ¥250.00');
    assert.equal(await h.page.textContent(`${row('aov')} .c-status`), '✔met', 'an unchanged status once');
    // The titles in the details too; hostile text stays text.
    assert.match((await h.page.textContent('.details summary'))!, /^KPI 自然流量占比 .* · organic_share \(changed\)/);
    assert.equal(await h.page.evaluate(() => document.querySelectorAll('img').length), 0);
    assert.equal(await h.page.evaluate(() => window.__xss), undefined);

    await h.clearPosted();
    await h.page.click(`${row('aov')} .kpi-id`);
    assert.deepEqual(await h.lastPosted(), { type: 'open', file: 'shop.kpi.yaml', id: 'aov' });
    assert.deepEqual(await h.cspViolations(), []);
    assert.deepEqual(h.errors, []);
  });
});
