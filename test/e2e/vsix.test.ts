import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { formatValue } from '../../server/src/engine/format';
import type { EvalResult } from '../../server/src/engine/results';
import { CodeServer, launchBrowser, waitForWorkbench } from './codeServer';
import { copySamples, REPO } from './workspace';

/**
 * The packaged extension in a real VS Code, driven like a user drives it: keyboard, command
 * palette, Problems panel, hovers, completion and the preview webview, in code-server opened in
 * headless Chromium. Values are checked against `kpispec eval --format json` on the same files.
 */

const XSS_TITLE = '<img src=x onerror=alert(1)>';
const SHOTS = join(REPO, 'screenshots');

describe('the packaged extension in a real VS Code (code-server + Chromium)', function () {
  this.timeout(120_000);
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let workspace: ReturnType<typeof copySamples>;
  let expected: EvalResult;
  let installLog: string;
  const dialogs: string[] = [];
  const spec = () => join(workspace.dir, 'webshop.kpi.yaml');
  const lineOf = (needle: string) => {
    const lines = readFileSync(spec(), 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes(needle));
    assert.ok(i >= 0, `"${needle}" is in the sample spec`);
    return i + 1;
  };

  before(async function () {
    this.timeout(300_000);
    const vsix = join(REPO, 'out', 'e2e', 'kpispec.vsix');
    execFileSync(process.execPath, [join(REPO, 'scripts', 'package.mjs'), '--out', vsix], { cwd: REPO, stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
    workspace = copySamples();
    writeFileSync(join(workspace.dir, 'broken.kpi.yaml'), 'kpispec: 1\nimports: [webshop.kpi.yaml]\nkpis:\n  broken_rate:\n    formula: orders / sesions\n    format: percent\n');
    writeFileSync(join(workspace.dir, 'xss.kpi.yaml'), `kpispec: 1\nname: <script>window.__xss = 1</script>\nimports: [webshop.kpi.yaml]\nkpis:\n  xss_rate:\n    title: ${XSS_TITLE}\n    formula: orders / sessions\n    format: percent\n`);
    // A git repository, so "Compare KPIs with Git HEAD" has a HEAD to compare with.
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=kpispec', '-c', 'user.email=kpispec@example.com', ...args], { cwd: workspace.dir, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'samples');
    // From the workspace folder: data files must lie inside the workspace the command runs in.
    expected = JSON.parse(execFileSync(process.execPath, [join(REPO, 'dist', 'cli.js'), 'eval', 'webshop.kpi.yaml', '--format', 'json'], { cwd: workspace.dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
    assert.ok(expected.kpis.some((k) => k.latest.value !== null), 'the CLI computed values');
    server = new CodeServer({ settings: { 'workbench.colorTheme': 'Default Light Modern' } });
    installLog = server.installExtension(vsix);
    await server.start();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });

  afterEach(async function () {
    // A failed step leaves a picture of the workbench to look at.
    if (this.currentTest?.state === 'failed' && page) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `e2e-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}.png`) }).catch(() => undefined);
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    workspace?.remove();
  });

  it('installs the packaged VSIX', () => {
    assert.match(installLog, /kpispec.*successfully installed/i, installLog);
  });

  it('activates when a sample spec is opened: the language mode and the status bar item appear', async () => {
    // Opened as a user opens it (Quick Open), so the editor holds the file's own document.
    await page.goto(server.url(workspace.dir));
    await waitForWorkbench(page);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'webshop.kpi.yaml' }).waitFor({ timeout: 60_000 });
    await quickOpen(page, 'webshop.kpi.yaml');
    await page.locator('[id="status.editor.mode"]', { hasText: 'kpispec' }).waitFor({ timeout: 60_000 });
    const kpis = page.locator('.statusbar-item', { hasText: /\d+ KPIs/ });
    await kpis.first().waitFor({ timeout: 60_000 });
    assert.match((await kpis.first().textContent()) ?? '', new RegExp(`${expected.kpis.length} KPIs`));
  });

  it('offers metric ids when completing inside a formula', async () => {
    await goTo(page, lineOf('formula: orders / sessions'), 1);
    await page.keyboard.press('End');
    await page.keyboard.type(' + ad_');
    // The server's items carry the variable icon (word-based guesses would show `abc`).
    const row = page.locator('.suggest-widget .monaco-list-row', { hasText: 'ad_spend' }).filter({ has: page.locator('.codicon-symbol-variable') });
    for (let attempt = 0; ; attempt++) {
      await page.keyboard.press('Control+Space');
      try {
        await row.first().waitFor({ timeout: 10_000 });
        break;
      } catch (e) {
        if (attempt === 2) throw e;
        await page.keyboard.press('Escape');
      }
    }
    await page.keyboard.press('Escape');
    await runCommand(page, 'File: Revert File');
    await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('shows a KPI’s latest value in its hover', async () => {
    const kpi = expected.kpis.find((k) => k.id === 'conversion_rate')!;
    await goTo(page, lineOf('  conversion_rate:'), 5);
    const hover = page.locator('.monaco-hover', { hasText: formatValue(kpi.latest.value, kpi) });
    for (let attempt = 0; ; attempt++) {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      try {
        await hover.first().waitFor({ timeout: 10_000 });
        break;
      } catch (e) {
        if (attempt === 2) throw e;
      }
    }
    await page.keyboard.press('Escape');
  });

  it('opens the preview with the scorecard: latest values equal `kpispec eval`', async () => {
    await runCommand(page, 'kpispec: Open Preview to the Side');
    const frame = await previewFrame(page);
    for (const id of ['conversion_rate', 'ad_roi', 'bounce_rate', 'clv']) {
      const kpi = expected.kpis.find((k) => k.id === id)!;
      const row = frame.locator(`tr.kpi[data-kpi="${id}"]`);
      await row.waitFor({ timeout: 30_000 });
      assert.equal((await row.locator('.c-value').textContent())?.trim(), formatValue(kpi.latest.value, kpi), `${id}'s latest value`);
    }
  });

  it('looks right in light and dark themes (screenshots)', async () => {
    mkdirSync(SHOTS, { recursive: true });
    await page.keyboard.press('Control+1');
    await runCommand(page, 'File: Revert File');
    await goTo(page, lineOf('  conversion_rate:'), 1); // the editor scrolled back to the left
    const frame = await previewFrame(page);
    await frame.locator('tr.kpi[data-kpi="conversion_rate"]').click();
    await frame.locator('.detail-row canvas').first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(SHOTS, 'preview-light.png') });
    await runCommand(page, 'Preferences: Color Theme', true);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Light Modern' }).first().waitFor({ timeout: 10_000 });
    await page.locator('.quick-input-widget input').fill('Dark Modern');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dark Modern' }).first().click();
    await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1000); // the webview repaints with the new theme's variables
    await page.screenshot({ path: join(SHOTS, 'preview-dark.png') });
  });

  it('updates the preview’s status within 2 s of editing a target in the editor', async () => {
    const frame = await previewFrame(page);
    const status = frame.locator('tr.kpi[data-kpi="organic_share"] .c-status');
    assert.match((await status.textContent()) ?? '', /met/);
    await goTo(page, lineOf('target: { min: 23% }'), 1);
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('target: { min: 99% }');
    const t = Date.now();
    await frame.locator('tr.kpi[data-kpi="organic_share"] .c-status', { hasText: 'at risk' }).waitFor({ timeout: 10_000 });
    const ms = Date.now() - t;
    console.log(`      preview updated ${ms} ms after the edit`);
    assert.ok(ms < 2000, `the preview took ${ms} ms`);
    await runCommand(page, 'File: Revert File');
  });

  it('lists a broken spec’s problems in the Problems panel', async () => {
    await quickOpen(page, 'broken.kpi.yaml');
    await runCommand(page, 'View: Focus Problems');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'sesions' });
    await row.first().waitFor({ timeout: 30_000 });
    assert.match((await row.first().textContent()) ?? '', /unknown metric or KPI/);
  });

  it('renders a hostile KPI title as text; no script runs', async () => {
    await quickOpen(page, 'xss.kpi.yaml');
    const frame = await previewFrame(page, 'xss_rate');
    const title = frame.locator('tr.kpi[data-kpi="xss_rate"] .title');
    await title.waitFor({ timeout: 30_000 });
    assert.equal(await title.textContent(), XSS_TITLE);
    assert.equal(await frame.locator('#app img').count(), 0, 'no img element');
    assert.ok((await frame.locator('#app').textContent())?.includes('<script>window.__xss = 1</script>'), 'the name shows as text');
    assert.equal(await frame.evaluate(() => (globalThis as { __xss?: unknown }).__xss), undefined);
    assert.deepEqual(dialogs, [], 'no dialog opened');
  });

  it('compares the specs with git HEAD: a moved target with its status before and after', async () => {
    writeFileSync(spec(), readFileSync(spec(), 'utf8').replace('target: { min: 23% }', 'target: { min: 30% }'));
    await page.keyboard.press('Control+1');
    await runCommand(page, 'kpispec: Compare KPIs with Git HEAD');
    let frame: Frame | undefined;
    for (const deadline = Date.now() + 60_000; !frame && Date.now() < deadline; await page.waitForTimeout(200)) {
      for (const f of page.frames()) if (await f.locator('table.diff-table').count().catch(() => 0)) frame = f;
    }
    assert.ok(frame, 'the compare view shows a table of changed KPIs');
    const row = frame.locator('table.diff-table tr.kpi', { hasText: 'organic_share' });
    const kpi = expected.kpis.find((k) => k.id === 'organic_share')!;
    assert.match((await row.textContent()) ?? '', new RegExp(`target.*${formatValue(kpi.latest.value, kpi).replace('.', '\\.')}.*met.*(at risk|missed)`));
    assert.match((await frame.locator('h1').textContent()) ?? '', /working tree vs HEAD/);
    await page.screenshot({ path: join(SHOTS, 'compare.png') });
  });
});

/** Runs a command from the command palette by its title; `picks`: the command opens a quick pick of its own. */
async function runCommand(page: Page, title: string, picks = false): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  if (!picks) await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Opens a workspace file through Quick Open. */
async function quickOpen(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+1'); // into the editor group, not the preview's
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 10_000 });
}

/** Moves the cursor of the active editor to a 1-based line and column. */
async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.locator('.editor-instance .view-lines').first().click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
}

/** The preview's inner frame (webviews nest two iframes), once it shows a scorecard (with `kpi`, if given). */
async function previewFrame(page: Page, kpi?: string): Promise<Frame> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      const found = await f.locator(kpi ? `tr.kpi[data-kpi="${kpi}"]` : 'table.scorecard').count().catch(() => 0);
      if (found) return f;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`no preview frame${kpi ? ` showing ${kpi}` : ''} within 30 s`);
}
