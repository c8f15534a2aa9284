import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CodeServer, launchBrowser, waitForWorkbench } from './codeServer';
import { quickOpen, runCommand, see, WAIT } from './drive';
import { copySamples, REPO } from './workspace';

const SHOTS = join(REPO, 'screenshots');
const MESSY = readFileSync(join(REPO, 'test/fixtures/format/messy.yaml'), 'utf8');
const CANONICAL = readFileSync(join(REPO, 'test/fixtures/format/messy.formatted.yaml'), 'utf8');

/**
 * Format Document in a real VS Code (code-server + Chromium) with the packaged extension: a
 * badly formatted spec becomes the canonical one (docs/format.md), as `kpispec fmt` writes it.
 */
describe('Format Document in a real VS Code (code-server + Chromium)', function () {
  this.timeout(300_000);
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let workspace: ReturnType<typeof copySamples>;

  before(async () => {
    // Fails here, never skips, when code-server or Chromium is missing.
    server = new CodeServer({ settings: { 'workbench.colorTheme': 'Default Light Modern', 'files.autoSave': 'off' } });
    const vsix = join(REPO, 'out', 'e2e', 'kpispec-format.vsix');
    execFileSync(process.execPath, [join(REPO, 'scripts', 'package.mjs'), '--out', vsix], { cwd: REPO, stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
    workspace = copySamples();
    writeFileSync(join(workspace.dir, 'messy.kpi.yaml'), MESSY);
    assert.match(server.installExtension(vsix), /kpispec.*successfully installed/i);
    await server.start();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url(workspace.dir));
    await waitForWorkbench(page);
    await see(page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'messy.kpi.yaml' }), 'the explorer to list messy.kpi.yaml');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `e2e-failed-format-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}.png`) }).catch(() => undefined);
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    workspace?.remove();
  });

  it('changes a badly formatted spec to the canonical one; saved, the file is what kpispec fmt writes', async () => {
    await quickOpen(page, 'messy.kpi.yaml');
    // The language server is up once the status bar counts the spec's KPIs.
    await see(page.locator('.statusbar-item', { hasText: /\d+ KPIs?/ }), 'the language server to check the spec');
    await runCommand(page, 'Format Document');
    await see(page.locator('.tabs-container .tab.active.dirty', { hasText: 'messy.kpi.yaml' }), 'the document changed by the formatter');
    await page.keyboard.press('Control+S');
    await see(page.locator('.tabs-container .tab.active.dirty'), 'the document saved', 'detached');
    const deadline = Date.now() + WAIT;
    while (readFileSync(join(workspace.dir, 'messy.kpi.yaml'), 'utf8') !== CANONICAL && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.equal(readFileSync(join(workspace.dir, 'messy.kpi.yaml'), 'utf8'), CANONICAL);
    // The command line agrees: nothing left to format.
    const check = (() => {
      try {
        return execFileSync(process.execPath, [join(REPO, 'dist', 'cli.js'), 'fmt', '--check', 'messy.kpi.yaml'], { cwd: workspace.dir, encoding: 'utf8' });
      } catch (e) {
        return `exit ${(e as { status: number }).status}: ${(e as { stdout: string }).stdout}`;
      }
    })();
    assert.doesNotMatch(check, /^exit/, check);
  });
});
