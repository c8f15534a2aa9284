#!/usr/bin/env node
// Renders `kpispec diff` Markdown as GitHub would show it in a pull-request comment and takes a
// screenshot with headless Chromium, for a person to look at (not a test; kept out of git).
// Usage: node scripts/screenshot-diff.mjs OLD NEW [out.png]   (default out: screenshots/diff.png)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [oldSide, newSide, out = path.join(repo, 'screenshots/diff.png')] = process.argv.slice(2);
if (!oldSide || !newSide) {
  console.error('usage: node scripts/screenshot-diff.mjs OLD NEW [out.png]');
  process.exit(2);
}
const r = spawnSync(process.execPath, [path.join(repo, 'dist/cli.js'), 'diff', oldSide, newSide, '--format', 'markdown'], { encoding: 'utf8' });
if (r.status !== 0 && r.status !== 1) {
  console.error(r.stderr);
  process.exit(2);
}
const css = `body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; color: #1f2328; max-width: 860px; margin: 24px; }
table { border-collapse: collapse; margin: 12px 0; } th, td { border: 1px solid #d1d9e0; padding: 6px 13px; } th { background: #f6f8fa; }
code { background: #eff1f3; padding: .2em .4em; border-radius: 6px; font-size: 85%; } details { margin: 8px 0; } summary { cursor: pointer; font-weight: 600; }`;
const html = `<!doctype html><meta charset="utf-8"><style>${css}</style><body>${marked.parse(r.stdout, { gfm: true })}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 920, height: 600 } });
await page.setContent(html);
await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
fs.mkdirSync(path.dirname(out), { recursive: true });
await page.screenshot({ path: out, fullPage: true });
await browser.close();
console.log(`wrote ${path.relative(process.cwd(), out)}`);
