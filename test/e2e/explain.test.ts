import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Explanation } from '../../server/src/explain';
import { CodeServer, launchBrowser, waitForWorkbench } from './codeServer';
import { frameWith, goTo, quickOpen, retry, runCommand, see } from './drive';
import { copySamples, REPO } from './workspace';

/**
 * "Why did it move" in a real VS Code (code-server + Chromium), driven like a user: a KPI's
 * hover says why it moved, "Explain this change" (the command and the code lens) opens the
 * preview on the KPI's driver chart. The sentences are checked against `kpispec explain` on the
 * same files. Saves images/explain-drivers.png (the workbench in its default theme).
 */

const SHOTS = join(REPO, 'screenshots');
const IMAGE = join(REPO, 'images', 'explain-drivers.png');

describe('why a KPI moved, in a real VS Code (code-server + Chromium)', function () {
  this.timeout(300_000);
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let workspace: ReturnType<typeof copySamples>;
  const spec = () => join(workspace.dir, 'webshop.kpi.yaml');
  /** `kpispec explain webshop.kpi.yaml <kpi> --format json`, in the workspace folder. */
  const explain = (kpi: string): Explanation =>
    JSON.parse(execFileSync(process.execPath, [join(REPO, 'dist', 'cli.js'), 'explain', 'webshop.kpi.yaml', kpi, '--format', 'json'], { cwd: workspace.dir, encoding: 'utf8' })).explanation;
  const lineOf = (needle: string) => {
    const i = readFileSync(spec(), 'utf8').split('\n').findIndex((l) => l === needle);
    assert.ok(i >= 0, `"${needle}" is a line of the sample spec`);
    return i + 1;
  };

  before(async () => {
    // The extension as users get it: packaged (every bundle built), then installed.
    const vsix = join(REPO, 'out', 'e2e-explain', 'kpispec.vsix');
    execFileSync(process.execPath, [join(REPO, 'scripts', 'package.mjs'), '--out', vsix], { cwd: REPO, stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
    workspace = copySamples();
    // The workbench's own default theme: no colour theme set.
    server = new CodeServer();
    const log = server.installExtension(vsix);
    assert.match(log, /kpispec.*successfully installed/i, log);
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
      await page.screenshot({ path: join(SHOTS, `e2e-explain-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}.png`) }).catch(() => undefined);
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    workspace?.remove();
  });

  it('a KPI’s hover says why it moved: the sentence `kpispec explain` gives, for the latest complete month', async () => {
    const x = explain('conversion_rate');
    assert.match(x.summary, /mobile conversion rate fell/);
    await quickOpen(page, 'webshop.kpi.yaml');
    await goTo(page, lineOf('  conversion_rate:'), 5);
    const hover = page.locator('.monaco-hover', { hasText: `Why (${x.period} vs ${x.base}):` }).filter({ hasText: x.summary });
    // Asked again until it shows: the first hover may come before the server is up, or before
    // the explanation is worked out (a hover never waits long for it).
    await retry(hover.first(), `a hover on conversion_rate saying “${x.summary}”`, async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
    });
    // Focused, the hover scrolls to its end, where the sentence is (for the picture).
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await page.keyboard.press('End');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'explain-hover.png') });
    await page.keyboard.press('Escape');
  });

  it('“Explain This Change” opens the preview on the KPI’s driver chart: a ranked bar per group of each dimension', async () => {
    const x = explain('conversion_rate');
    await quickOpen(page, 'webshop.kpi.yaml');
    await goTo(page, lineOf('  conversion_rate:'), 5);
    await runCommand(page, 'kpispec: Explain This Change');
    const chart = '[data-drivers="conversion_rate"]';
    const frame = await frameWith(page, `${chart} .driver-chart`, 'the driver chart of conversion_rate in the preview');
    assert.equal(await frame.locator(`${chart} .drivers-summary`).textContent(), x.summary);
    assert.deepEqual(await frame.locator(`${chart} .driver-chart`).evaluateAll((cs) => cs.map((c) => c.getAttribute('data-dimension'))), x.dimensions.map((d) => d.dimension));
    for (const d of x.dimensions) {
      const rows = frame.locator(`${chart} .driver-chart[data-dimension="${d.dimension}"] tr.driver-row[data-group]`);
      const groups = d.groups.filter((g) => g.before !== null || g.after !== null || g.contribution !== 0).map((g) => g.group ?? '(empty)');
      assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-group'))), groups, `${d.dimension}: the groups, largest part first`);
      // Each group's bar is drawn: a rate effect, and a mix effect where its share moved.
      assert.ok((await rows.locator('.bar.rate').count()) >= groups.length - 1, `${d.dimension}: rate bars`);
    }
    // The chart is in view, under the KPI's row, which is selected.
    await see(frame.locator('tr.kpi.selected[data-kpi="conversion_rate"]'), 'conversion_rate selected in the preview');
    const top = await frame.locator(chart).evaluate((s) => s.getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 300, `the driver chart near the top of the preview: ${top}`);
    mkdirSync(join(REPO, 'images'), { recursive: true });
    await page.screenshot({ path: IMAGE });
  });

  it('the code lens “Explain this change” above a KPI opens its driver chart', async () => {
    const x = explain('total_revenue');
    await quickOpen(page, 'webshop.kpi.yaml');
    const line = lineOf('  total_revenue:');
    await goTo(page, line, 3);
    // The lens above the KPI's line (its tooltip names the KPI); lenses off screen are hidden.
    const lens = page.locator('.codelens-decoration a', { hasText: 'Explain this change' }).and(page.locator('[title^="Why total_revenue moved"]'));
    await see(lens, 'the “Explain this change” code lens above total_revenue');
    await lens.click();
    const frame = await frameWith(page, '[data-drivers="total_revenue"] .driver-chart', 'the driver chart of total_revenue in the preview');
    assert.equal(await frame.locator('[data-drivers="total_revenue"] .drivers-summary').textContent(), x.summary);
    await see(frame.locator('tr.kpi.selected[data-kpi="total_revenue"]'), 'total_revenue selected in the preview');
  });
});
