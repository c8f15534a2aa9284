import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HostMessage, PreviewState, WebviewMessage } from '../../client/src/preview/messages';
import { NodeHost } from '../../server/src/data/nodeHost';
import type { EvalResult } from '../../server/src/engine/results';
import { around, lineageOf } from '../../server/src/language/lineage';
import { lineageGraph, type LineageGraph } from '../../server/src/language/lineageGraph';
import { Workspace } from '../../server/src/language/workspace';
import { evaluate, Harness, REPO, resultsMessage } from './harness';
import { syntheticLineage } from './lineageFixtures';

const SHOTS = path.join(REPO, 'screenshots');
const SPEC = path.join(REPO, 'samples', 'webshop.kpi.yaml');
const HOSTILE = '<img src=x onerror="window.__xss=1">';

/** The preview's Lineage view in headless Chromium: the real bundle, the sample's lineage as the server computes it. */
describe('webview: the Lineage view', function () {
  this.timeout(30_000);
  const h = new Harness();
  let webshop: EvalResult;
  let graph: LineageGraph;
  let uri: string;
  const ws = new Workspace(new NodeHost(), REPO);
  const lineageMessage = (lineage: LineageGraph | null, extra: Partial<Extract<HostMessage, { type: 'lineage' }>> = {}): HostMessage => ({ type: 'lineage', uri, lineage, ...extra });
  /** The keys of the drawn nodes matching a selector. */
  const keys = (selector = 'g.lin-node') => h.page.$$eval(selector, (gs) => gs.map((g) => g.getAttribute('data-lineage')!));

  before(async function () {
    this.timeout(60_000);
    webshop = evaluate('samples/webshop.kpi.yaml');
    graph = lineageGraph(ws, SPEC);
    uri = `file://${webshop.spec.file}`;
    await h.start();
  });
  after(() => h.stop());

  async function assertClean(): Promise<void> {
    assert.deepEqual(await h.cspViolations(), [], 'CSP violations');
    assert.deepEqual(h.errors, [], 'console errors');
    assert.deepEqual(h.dialogs, [], 'dialogs');
  }

  /** A page showing the sample's results, switched to the Lineage view, with the lineage delivered. */
  async function openLineage(lineage: LineageGraph | null = graph): Promise<void> {
    await h.open();
    await h.send(resultsMessage(1, webshop));
    await h.page.click('[data-key="view-lineage"]');
    await h.send(lineageMessage(lineage));
  }

  it('the View switch shows the lineage instead of the goals and scorecard, and asks the host for it', async () => {
    await h.open();
    await h.send(resultsMessage(1, webshop));
    assert.equal(await h.page.getAttribute('[data-key="view-scorecard"]', 'aria-pressed'), 'true');
    await h.clearPosted();
    await h.page.click('[data-key="view-lineage"]');
    assert.deepEqual(await h.posted(), [{ type: 'view', view: 'lineage' }]);
    assert.equal(await h.page.getAttribute('[data-key="view-lineage"]', 'aria-pressed'), 'true');
    assert.equal(await h.page.locator('table.scorecard, section.goals').count(), 0, 'no scorecard, no goals');
    assert.equal(await h.page.textContent('section.lineage .lineage-body'), 'Loading the lineage…');
    // The scorecard's pickers do nothing here: hidden; the lock stays.
    assert.equal(await h.page.isVisible('select[name="grain"]'), false);
    assert.equal(await h.page.isVisible('[data-key="lock"]'), true);
    const state = await h.page.evaluate(() => JSON.parse(sessionStorage.getItem('vscode-state')!) as PreviewState);
    assert.equal(state.view, 'lineage', 'the view is kept with the state');
    // Back to the scorecard.
    await h.page.click('[data-key="view-scorecard"]');
    assert.deepEqual((await h.posted()).at(-1), { type: 'view', view: 'scorecard' });
    assert.equal(await h.page.locator('table.scorecard').count(), 1);
    await assertClean();
  });

  it('draws every node and edge of the lineage in four columns, sources to goals, none overlapping', async () => {
    await openLineage();
    assert.deepEqual((await keys()).sort(), graph.nodes.map((n) => n.key).sort());
    assert.equal(await h.page.locator('path.lin-edge').count(), graph.edges.length);
    const edges = await h.page.$$eval('path.lin-edge', (ps) => ps.map((p) => `${p.getAttribute('data-from')}>${p.getAttribute('data-to')}`));
    assert.deepEqual(edges.sort(), graph.edges.map((e) => `${e.from}>${e.to}`).sort());
    const count = (kind: string) => graph.nodes.filter((n) => n.kind === kind).length;
    assert.deepEqual(await h.texts('text.lin-head'), [`Sources${count('source')}`, `Metrics${count('metric')}`, `KPIs${count('kpi')}`, `Goals${count('goal')}`]);
    const boxes = await h.page.$$eval('g.lin-node', (gs) => gs.map((g) => ({ key: g.getAttribute('data-lineage')!, ...g.getBoundingClientRect().toJSON() as DOMRect })));
    const left = (kind: string) => Math.max(...boxes.filter((b) => b.key.startsWith(`${kind}:`)).map((b) => b.left));
    const right = (kind: string) => Math.min(...boxes.filter((b) => b.key.startsWith(`${kind}:`)).map((b) => b.left));
    assert.ok(left('source') < right('metric') && left('metric') < right('kpi') && left('kpi') < right('goal'), 'columns from left to right');
    for (const a of boxes) for (const b of boxes) {
      if (a.key >= b.key) continue;
      const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      assert.ok(!overlap, `${a.key} and ${b.key} overlap`);
    }
    // Ids as written, titles where there is room; the full label in the tooltip.
    assert.equal(await h.page.textContent('g[data-lineage="metric:sessions"] .lin-id'), 'sessions');
    assert.match((await h.page.textContent('g[data-lineage="metric:sessions"] > title'))!, /^metric sessions \(会话数\)\nwebshop\.kpi\.yaml:\d+$/);
    assert.equal(await h.page.locator('svg.lineage-graph.has-focus').count(), 0, 'nothing highlighted without a cursor');
    assert.match((await h.page.textContent('.lineage-summary'))!, /^11 sources → 46 metrics → 48 KPIs → 6 goals · 161 links\./);
    await assertClean();
  });

  it('highlights the KPI under the cursor, what it depends on and what depends on it; the rest dims', async () => {
    await openLineage();
    await h.send({ type: 'cursor', kpi: 'conversion_rate' });
    const expected = around(lineageOf(ws.scope(SPEC)), ['kpi:conversion_rate']);
    assert.deepEqual(await keys('g.lin-node.focus'), ['kpi:conversion_rate']);
    assert.deepEqual((await keys('g.lin-node.lit')).sort(), expected.nodes.map((n) => n.key).sort());
    assert.deepEqual((await keys('g.lin-node.up')).sort(), ['metric:orders', 'metric:sessions', 'source:customers', 'source:order_log', 'source:web']);
    assert.ok((await keys('g.lin-node.down')).every((k) => k.startsWith('goal:')), 'goals grade it');
    const lit = await h.page.$$eval('path.lin-edge.lit', (ps) => ps.map((p) => `${p.getAttribute('data-from')}>${p.getAttribute('data-to')}`));
    assert.deepEqual(lit.sort(), expected.edges.map((e) => `${e.from}>${e.to}`).sort());
    const opacity = (key: string) => h.page.$eval(`g[data-lineage="${key}"]`, (g) => getComputedStyle(g).opacity);
    assert.equal(await opacity('kpi:conversion_rate'), '1');
    assert.equal(await opacity('metric:orders'), '1');
    assert.equal(await opacity('kpi:bounce_rate'), '0.3', 'an unrelated KPI dims');

    // A metric: its source upstream, the KPIs that name it (and theirs) downstream.
    await h.send({ type: 'cursor', metric: 'ad_spend' });
    assert.deepEqual(await keys('g.lin-node.focus'), ['metric:ad_spend']);
    assert.deepEqual(await keys('g.lin-node.up'), ['source:ads']);
    assert.deepEqual((await keys('g.lin-node.lit')).sort(), around(lineageOf(ws.scope(SPEC)), ['metric:ad_spend']).nodes.map((n) => n.key).sort());
    // Off every definition: nothing highlighted, nothing dimmed.
    await h.send({ type: 'cursor' });
    assert.equal(await h.page.locator('g.lin-node.lit').count(), 0);
    assert.equal(await opacity('kpi:bounce_rate'), '1');
    // The KPI open in the scorecard is highlighted when the cursor is on none.
    await h.page.click('[data-key="view-scorecard"]');
    await h.page.click('tr.kpi[data-kpi="aov"]');
    await h.page.click('[data-key="view-lineage"]');
    await h.send(lineageMessage(graph));
    assert.deepEqual(await keys('g.lin-node.focus'), ['kpi:aov']);
    await assertClean();
  });

  it('clicking a node (or Enter on it) posts reveal with the place of its id', async () => {
    await openLineage();
    await h.clearPosted();
    const sessions = graph.nodes.find((n) => n.key === 'metric:sessions')!;
    await h.page.click('g[data-lineage="metric:sessions"]');
    assert.deepEqual(await h.posted(), [{ type: 'reveal', file: sessions.file, line: sessions.line, column: sessions.column, offset: sessions.offset }]);
    const web = graph.nodes.find((n) => n.key === 'source:web')!;
    assert.ok(web.file.endsWith('sources.kpi.yaml'), 'a source of the imported file');
    await h.page.focus('g[data-lineage="source:web"]');
    await h.page.keyboard.press('Enter');
    assert.deepEqual((await h.posted()).at(-1), { type: 'reveal', file: web.file, line: web.line, column: web.column, offset: web.offset });
    // The lineage again (after an edit): the keyboard stays on that box.
    await h.send(lineageMessage(structuredClone(graph)));
    assert.equal(await h.page.evaluate(() => document.activeElement?.getAttribute('data-lineage')), 'source:web');
    // Each edge says what it is in its tooltip.
    assert.equal(await h.page.textContent('path.lin-edge[data-from="source:hits"][data-to="source:sessions"] > title'), 'hits → sessions (rolls up)');
    await assertClean();
  });

  it('over 150 definitions: the neighbourhood of the cursor’s KPI with a note saying so; without one, a picker', async () => {
    const big = syntheticLineage(150, 300);
    await openLineage(big);
    assert.equal(await h.page.locator('svg.lineage-graph').count(), 0, 'nothing drawn without a focus');
    assert.match((await h.page.textContent('.lineage-note'))!, new RegExp(`This spec has ${big.nodes.length} definitions, more than the 150 drawn at once\\. Put the editor’s cursor on a KPI`));
    await h.page.selectOption('select[name="lineage-focus"]', 'kpi:k7');
    const expected = around({ nodes: big.nodes.map((n) => ({ ...n, span: { offset: 0, length: 0 } })), edges: big.edges.map((e) => ({ ...e, at: { offset: 0, length: 0 } })) }, ['kpi:k7']);
    assert.deepEqual((await keys()).sort(), expected.nodes.map((n) => n.key).sort());
    assert.match((await h.page.textContent('.lineage-note'))!, new RegExp(`shown is what KPI k7 depends on and what depends on it \\(${expected.nodes.length} definitions\\)`));
    assert.deepEqual(await keys('g.lin-node.focus'), ['kpi:k7']);
    // The cursor moves: the view follows it.
    await h.send({ type: 'cursor', kpi: 'k42' });
    assert.deepEqual(await keys('g.lin-node.focus'), ['kpi:k42']);
    assert.ok((await keys()).includes('goal:g4'));
    assert.equal(await h.page.inputValue('select[name="lineage-focus"]'), 'kpi:k42');
    fs.mkdirSync(SHOTS, { recursive: true });
    await h.page.screenshot({ path: path.join(SHOTS, 'webview-lineage-neighbourhood.png'), fullPage: true });
    // A neighbourhood over 150 (a source feeding 200 KPIs): the nearest 150.
    await h.send(lineageMessage(syntheticLineage(150, 1500)));
    await h.send({ type: 'cursor', source: 's0' });
    assert.equal(await h.page.locator('g.lin-node').count(), 150);
    assert.match((await h.page.textContent('.lineage-note'))!, /the 150 nearest of \d+/);
    await assertClean();
  });

  it('shows hostile ids and titles as text: no element is made from them, no script runs', async () => {
    const hostile: LineageGraph = {
      nodes: [
        { key: 'source:s', kind: 'source', id: 's', title: HOSTILE, file: '/ws/x.kpi.yaml', offset: 0, line: 1, column: 1 },
        { key: `metric:${HOSTILE}`, kind: 'metric', id: HOSTILE, title: '<script>window.__xss=2</script>', file: '/ws/x.kpi.yaml', offset: 5, line: 2, column: 3 },
      ],
      edges: [{ from: 'source:s', to: `metric:${HOSTILE}`, how: 'reads' }],
    };
    await openLineage(hostile);
    assert.equal(await h.page.locator('#app img, #app script').count(), 0);
    assert.match((await h.page.textContent('g.lin-node.k-metric > title'))!, /^metric <img src=x onerror="window.__xss=1"> \(<script>window.__xss=2<\/script>\)/);
    assert.equal(await h.page.evaluate(() => window.__xss), undefined);
    await assertClean();
  });

  it('keeps the Lineage view across a reload; ignores the lineage of another spec; says why there is none', async () => {
    await openLineage();
    await h.open({ keepState: true });
    const ready = (await h.posted()).find((m) => m.type === 'ready') as Extract<WebviewMessage, { type: 'ready' }>;
    assert.equal(ready.state?.view, 'lineage');
    await h.send(resultsMessage(2, webshop));
    assert.equal(await h.page.getAttribute('[data-key="view-lineage"]', 'aria-pressed'), 'true');
    await h.send(lineageMessage(graph, { uri: 'file:///elsewhere/other.kpi.yaml' }));
    assert.equal(await h.page.textContent('section.lineage .lineage-body'), 'Loading the lineage…');
    await h.send(lineageMessage(null, { error: 'the kpispec language server is not running' }));
    assert.equal(await h.page.textContent('.lineage-error'), 'The lineage could not be shown: the kpispec language server is not running');
    await h.send(lineageMessage(graph));
    assert.equal(await h.page.locator('g.lin-node').count(), graph.nodes.length);
    await assertClean();
  });

  it('reads in light and dark themes (screenshots)', async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    // Beside the editor (520 px) in the light theme, wide in the dark one.
    await h.page.setViewportSize({ width: 520, height: 800 });
    await openLineage();
    await h.send({ type: 'cursor', kpi: 'conversion_rate' });
    // Narrow: ids are cut (whole in the tooltip), never shorter than 8 characters; no sideways scrolling.
    const narrow = await h.texts('g.lin-node .lin-id');
    for (const id of narrow) assert.ok(!id.endsWith('…') || id.length >= 9, `${id} cut too short`);
    assert.ok(await h.page.$eval('svg.lineage-graph', (s) => s.getBoundingClientRect().right <= window.innerWidth), 'no sideways scrolling at 520 px');
    await h.page.screenshot({ path: path.join(SHOTS, 'webview-lineage-light.png'), fullPage: true });
    await h.page.setViewportSize({ width: 900, height: 800 });
    await h.page.waitForFunction(() => !document.querySelector('g.lin-node .lin-id')?.textContent?.endsWith('…') && document.querySelector('svg.lineage-graph')!.getBoundingClientRect().width > 800);
    // Wide: every id whole, drawn again for the new width.
    assert.deepEqual((await h.texts('g.lin-node .lin-id')).filter((id) => id.endsWith('…')), []);
    await h.theme('dark');
    const stroke = await h.page.$eval('g.lin-node.focus .lin-box', (r) => getComputedStyle(r).stroke);
    assert.equal(stroke, 'rgb(0, 120, 212)', 'the focus border is the dark theme’s');
    await h.page.screenshot({ path: path.join(SHOTS, 'webview-lineage-dark.png'), fullPage: true });
    await assertClean();
  });
});
