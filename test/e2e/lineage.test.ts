import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol';
import type { Browser, Frame, Page } from 'playwright-core';
import { LineageRequest, type LineageGraph } from '../../server/src/protocol';
import { TestClient } from '../lsp/client';
import { CodeServer, launchBrowser, waitForWorkbench } from './codeServer';
import { frameWith, goTo, quickOpen, runCommand, see, WAIT } from './drive';
import { copySamples, REPO } from './workspace';

const SHOTS = join(REPO, 'screenshots');
const IMAGE = join(REPO, 'images', 'lineage.png');

/**
 * The preview's Lineage view in a real VS Code (code-server + Chromium), with the packaged
 * extension: the graph drawn has the nodes and edges `kpispec/lineage` answers, it follows the
 * editor's cursor, and clicking a node reveals its definition in the editor.
 */
describe('the Lineage view in a real VS Code (code-server + Chromium)', function () {
  this.timeout(300_000);
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let workspace: ReturnType<typeof copySamples>;
  let graph: LineageGraph;
  const lineOf = (file: string, needle: string) => {
    const lines = readFileSync(join(workspace.dir, file), 'utf8').split('\n');
    const i = lines.findIndex((l) => l.startsWith(needle));
    assert.ok(i >= 0, `"${needle}" is in ${file}`);
    return i + 1;
  };
  const cursorAt = (line: number) => page.locator('[id="status.editor.selection"]', { hasText: `Ln ${line},` });

  before(async () => {
    // Fails here, never skips, when code-server or Chromium is missing.
    server = new CodeServer({ settings: { 'workbench.colorTheme': 'Default Light Modern' } });
    const vsix = join(REPO, 'out', 'e2e', 'kpispec-lineage.vsix');
    execFileSync(process.execPath, [join(REPO, 'scripts', 'package.mjs'), '--out', vsix], { cwd: REPO, stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
    workspace = copySamples();
    // What the language server answers for the spec: the view must draw exactly this.
    const client = new TestClient();
    try {
      await client.initialize(workspace.dir);
      const uri = `file://${join(workspace.dir, 'webshop.kpi.yaml')}`;
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'kpispec', version: 1, text: readFileSync(join(workspace.dir, 'webshop.kpi.yaml'), 'utf8') } });
      graph = (await client.connection.sendRequest(LineageRequest, { uri }))!;
    } finally {
      await client.stop();
    }
    assert.ok(graph.nodes.length > 100, 'the sample’s lineage');
    assert.match(server.installExtension(vsix), /kpispec.*successfully installed/i);
    await server.start();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    await page.goto(server.url(workspace.dir));
    await waitForWorkbench(page);
    await see(page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'webshop.kpi.yaml' }), 'the explorer to list webshop.kpi.yaml');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `e2e-failed-lineage-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}.png`) }).catch(() => undefined);
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    workspace?.remove();
  });

  let frame: Frame;

  it('switches the preview to Lineage: the nodes and edges drawn are those the server answers', async () => {
    await quickOpen(page, 'webshop.kpi.yaml');
    await runCommand(page, 'kpispec: Open Preview to the Side');
    frame = await frameWith(page, 'table.scorecard', 'a preview showing a scorecard');
    await frame.locator('[data-key="view-lineage"]').click();
    await see(frame.locator('svg.lineage-graph'), 'the lineage graph');
    const nodes = frame.locator('svg.lineage-graph g.lin-node');
    assert.equal(await nodes.count(), graph.nodes.length, 'a node per definition');
    assert.equal(await frame.locator('svg.lineage-graph path.lin-edge').count(), graph.edges.length, 'an edge per link');
    assert.deepEqual((await nodes.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-lineage')!))).sort(), graph.nodes.map((n) => n.key).sort());
    const edges = await frame.locator('path.lin-edge').evaluateAll((ps) => ps.map((p) => `${p.getAttribute('data-from')}>${p.getAttribute('data-to')}`));
    assert.deepEqual(edges.sort(), graph.edges.map((e) => `${e.from}>${e.to}`).sort());
    assert.equal(await frame.locator('table.scorecard').count(), 0, 'the scorecard makes way');
  });

  it('highlights the KPI under the editor’s cursor with what it depends on and what depends on it', async () => {
    await goTo(page, lineOf('webshop.kpi.yaml', '  conversion_rate:') + 2, 5);
    await see(frame.locator('g.lin-node.focus[data-lineage="kpi:conversion_rate"]'), 'conversion_rate highlighted in the lineage');
    const lit = await frame.locator('g.lin-node.lit').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-lineage')!));
    for (const key of ['metric:orders', 'metric:sessions', 'source:order_log', 'source:web', 'goal:convert_more_visitors']) assert.ok(lit.includes(key), `${key} lit`);
    assert.ok(!lit.includes('kpi:bounce_rate'), 'an unrelated KPI is not');
    assert.equal(await frame.locator('g[data-lineage="kpi:bounce_rate"]').evaluate((g) => getComputedStyle(g).opacity), '0.3', 'and dims');
    assert.ok((await frame.locator('path.lin-edge.lit').count()) >= 6, 'the edges on its paths');
    mkdirSync(join(REPO, 'images'), { recursive: true });
    await page.screenshot({ path: IMAGE });
  });

  it('clicking a metric node reveals its definition in the editor, and the highlight follows', async () => {
    const line = lineOf('webshop.kpi.yaml', '  ad_spend:');
    await frame.locator('g[data-lineage="metric:ad_spend"]').click();
    await see(cursorAt(line), `the cursor on ad_spend (line ${line}) in the editor`);
    await see(page.locator('.tabs-container .tab.active', { hasText: /^webshop\.kpi\.yaml/ }), 'webshop.kpi.yaml active in the editor');
    await see(frame.locator('g.lin-node.focus[data-lineage="metric:ad_spend"]'), 'ad_spend highlighted in the lineage');
  });

  it('clicking a source of the imported file opens it there; the preview stays on the spec’s lineage', async () => {
    const line = lineOf('sources.kpi.yaml', '  web:');
    await frame.locator('g[data-lineage="source:web"]').click();
    await see(page.locator('.tabs-container .tab.active', { hasText: 'sources.kpi.yaml' }), 'sources.kpi.yaml opened');
    await see(cursorAt(line), `the cursor on web (line ${line}) in sources.kpi.yaml`);
    await see(frame.locator('g.lin-node.focus[data-lineage="source:web"]'), 'web highlighted in the lineage');
    assert.equal(await frame.locator('g.lin-node').count(), graph.nodes.length, 'still the whole lineage of webshop.kpi.yaml');
    assert.match((await page.locator('.tabs-container .tab', { hasText: 'KPIs:' }).first().textContent()) ?? '', /KPIs: webshop\.kpi\.yaml/);
    // Within the wait: the view is still there after the editor settled.
    await frame.waitForFunction(() => document.querySelector('g.lin-node.focus')?.getAttribute('data-lineage') === 'source:web', undefined, { timeout: WAIT });
  });
});
