import type { Frame, Locator, Page } from 'playwright-core';
import { setTimeout as pause } from 'node:timers/promises';

/**
 * Driving the workbench as a user does (keyboard, command palette, Quick Open, Go to Line) and
 * finding the preview's webview frame: the steps every end-to-end test takes.
 */

/** How long any one thing may take to appear: seconds when idle, much longer on a loaded machine. */
export const WAIT = 60_000;

/** Waits until `locator` reaches `state`; fails saying what was awaited. */
export async function see(locator: Locator, what: string, state: 'visible' | 'hidden' | 'attached' | 'detached' = 'visible'): Promise<void> {
  try {
    await locator.waitFor({ state, timeout: WAIT });
  } catch (e) {
    throw new Error(`waited ${WAIT / 1000} s for ${what}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Repeats `act` until `locator` shows: a request sent before the server was ready is not asked again. */
export async function retry(locator: Locator, what: string, act: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + WAIT;
  for (;;) {
    await act();
    try {
      await locator.waitFor({ timeout: Math.max(1000, Math.min(15_000, deadline - Date.now())) });
      return;
    } catch (e) {
      if (Date.now() >= deadline) throw new Error(`waited ${WAIT / 1000} s for ${what}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
}

/** Runs a command from the command palette by its title; `picks`: the command opens a quick pick of its own. */
export async function runCommand(page: Page, title: string, picks = false): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await see(input, 'the command palette');
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await see(row, `the command "${title}" in the palette`);
  await row.click();
  if (!picks) await see(page.locator('.quick-input-widget'), `the palette to close after "${title}"`, 'hidden');
}

/** Opens a workspace file through Quick Open. */
export async function quickOpen(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+1'); // into the editor group, not the preview's
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await see(input, 'Quick Open');
  await input.fill(name);
  // Clicked, not Enter: until the list is filtered, Enter opens the most recent file.
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await see(row, `${name} in Quick Open`);
  await row.click();
  // The tab named so (the preview's, `KPIs: name`, is another).
  const label = page.locator('.tabs-container .tab.active', { hasText: name }).filter({ hasNotText: 'KPIs:' });
  await see(label.first(), `the editor tab of ${name}`);
}

/** Moves the cursor of the active editor to a 1-based line and column. */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.locator('.editor-instance .view-lines').first().click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await see(input, 'Go to Line');
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await see(page.locator('.quick-input-widget'), 'Go to Line to close', 'hidden');
}

/** The first frame (webviews nest two iframes) that has `selector`. */
export async function frameWith(page: Page, selector: string, what: string): Promise<Frame> {
  for (const deadline = Date.now() + WAIT; Date.now() < deadline; await pause(100)) {
    for (const f of page.frames()) if (await f.locator(selector).count().catch(() => 0)) return f;
  }
  throw new Error(`waited ${WAIT / 1000} s for ${what}`);
}
