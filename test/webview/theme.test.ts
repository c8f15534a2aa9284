import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EvalResult } from '../../server/src/engine/results';
import { evaluate, Harness, REPO, resultsMessage } from './harness';

const SHOTS = path.join(REPO, 'screenshots');

describe('webview: themes, the narrow panel and screenshots', function () {
  this.timeout(30_000);
  const h = new Harness();
  let webshop: EvalResult;

  before(async function () {
    this.timeout(60_000);
    webshop = evaluate('samples/webshop.kpi.yaml');
    // About the width of a preview beside the editor.
    await h.start({ width: 520, height: 1000 });
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(() => h.stop());

  /** A full-page screenshot from the top (a scrolled page would show the sticky table header mid-way). */
  async function shoot(name: string): Promise<void> {
    await h.page.evaluate(() => window.scrollTo(0, 0));
    await h.page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
  }

  it('fits a narrow panel in the light theme (no sideways scrolling), with the chart open', async () => {
    await h.open({ theme: 'light' });
    await h.send(resultsMessage(1, webshop));
    await h.page.click('tr[data-kpi="conversion_rate"]');
    await h.page.waitForSelector('[data-detail="conversion_rate"] .uplot canvas');
    const overflow = await h.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the panel`);
    assert.equal(await h.page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
    await shoot('webview-light.png');
    assert.deepEqual(await h.cspViolations(), []);
    assert.deepEqual(h.errors, []);
  });

  it('redraws the chart in the new colours when VS Code switches to a dark theme', async () => {
    await h.page.setViewportSize({ width: 900, height: 1000 });
    await h.page.evaluate(() => {
      (window as unknown as { __plot: Element | null }).__plot = document.querySelector('.uplot');
    });
    await h.theme('dark');
    // uPlot draws on a canvas with colours read at draw time, so a theme change must replace it.
    await h.page.waitForFunction(() => {
      const plot = document.querySelector('.uplot');
      return plot !== null && plot !== (window as unknown as { __plot: Element | null }).__plot;
    });
    assert.equal(await h.page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(31, 31, 31)');
    // The chart follows the wider panel.
    const width = await h.page.$eval('.uplot', (e) => e.getBoundingClientRect().width);
    assert.ok(width > 700, `chart width ${width}`);
    await shoot('webview-dark.png');
    assert.deepEqual(await h.cspViolations(), []);
    assert.deepEqual(h.errors, []);
  });
});
