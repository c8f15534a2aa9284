/// <reference lib="dom" />
// Loads the preview's real bundle in headless Chromium under the page's real CSP, with a fake
// `acquireVsCodeApi` that records what the webview posts and saves. One browser per test file.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeNonce, previewHtml } from '../../client/src/preview/html';
import type { CompareHostMessage, HostMessage, PreviewState, WebviewMessage } from '../../client/src/preview/messages';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import type { EvalResult } from '../../server/src/engine/results';
import { evaluateSpec, type EvalOptions } from '../../server/src/engine/run';
import { Workspace } from '../../server/src/language/workspace';

export const REPO = path.resolve(__dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';

let built: Promise<string> | undefined;

/** Builds the `webview` and `compare` targets as esbuild.mjs does (once per process), into a temporary folder. */
export function buildBundle(): Promise<string> {
  built ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpispec-webview-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    await esbuild.build({
      absWorkingDir: REPO,
      // The preview and the compare view, as esbuild.mjs builds them (each with its stylesheet).
      entryPoints: { preview: 'client/src/webview/main.ts', compare: 'client/src/webview/compare.ts' },
      outdir: dir,
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      minify: true,
      keepNames: true,
      sourcemap: true,
      logLevel: 'error',
    });
    return dir;
  })();
  return built;
}

/** The spec evaluated in process, the way `kpispec eval` does it (check first, then evaluate). */
export function evaluate(spec: string, options: EvalOptions = {}): EvalResult {
  const file = path.join(REPO, spec);
  const ws = new Workspace(new NodeHost(), REPO);
  const problems = checkFiles(ws, [file]).flatMap((r) => r.problems);
  return evaluateSpec(ws, file, options, new TableCache(), problems);
}

/** VS Code's theme as the webview sees it: a body class and variables on `<html style>`. */
export const THEMES = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-font-family': '"Noto Sans", "Noto Sans CJK SC", system-ui, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"DejaVu Sans Mono", monospace',
      '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-editor-background': '#ffffff',
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-red': '#e51400',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-textLink-foreground': '#005fb8',
      '--vscode-textLink-activeForeground': '#005fb8',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-foreground': '#3b3b3b',
      '--vscode-dropdown-border': '#cecece',
      '--vscode-list-hoverBackground': '#f2f2f2',
      '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
      '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-progressBar-background': '#005fb8',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-textCodeBlock-background': '#f8f8f8',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-font-family': '"Noto Sans", "Noto Sans CJK SC", system-ui, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"DejaVu Sans Mono", monospace',
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-textLink-activeForeground': '#4daafc',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-dropdown-background': '#313131',
      '--vscode-dropdown-foreground': '#cccccc',
      '--vscode-dropdown-border': '#3c3c3c',
      '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-list-inactiveSelectionBackground': '#37373d',
      '--vscode-editorWidget-background': '#202020',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-progressBar-background': '#0078d4',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-textCodeBlock-background': '#2b2b2b',
    },
  },
} as const;
export type ThemeName = keyof typeof THEMES;

/**
 * Runs in the page before the bundle: the fake VS Code API (state kept in sessionStorage, so a
 * reload gets it back as VS Code's getState does), and recorders for CSP violations and XSS.
 */
const INIT_SCRIPT = `(() => {
  window.__posted = [];
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: (m) => { window.__posted.push(JSON.parse(JSON.stringify(m))); },
      getState: () => { const s = sessionStorage.getItem('vscode-state'); return s === null ? undefined : JSON.parse(s); },
      setState: (s) => { sessionStorage.setItem('vscode-state', JSON.stringify(s)); return s; },
    });
  };
})();`;

declare global {
  interface Window {
    __posted: WebviewMessage[];
    __csp: string[];
    __xss?: unknown;
  }
}

/** A browser, the bundle served from one origin and the page from another (as in VS Code). */
export class Harness {
  browser!: Browser;
  page!: Page;
  /** Console errors, uncaught exceptions and dialogs seen so far. */
  errors: string[] = [];
  dialogs: string[] = [];
  private html = '';
  private servers: http.Server[] = [];
  private pageOrigin = '';
  private assetOrigin = '';

  async start(viewport = { width: 900, height: 800 }): Promise<void> {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the webview tests need Debian's chromium (apt-get install chromium)`);
    const dir = await buildBundle();
    const assets = http.createServer((req, res) => {
      const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname);
      const file = path.join(dir, name);
      if (!/^(preview|compare)\.(js|css)(\.map)?$/.test(name) || !fs.existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': name.endsWith('.css') ? 'text/css' : name.endsWith('.js') ? 'text/javascript' : 'application/json' }).end(fs.readFileSync(file));
    });
    const pages = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(this.html));
    this.assetOrigin = await listen(assets);
    this.pageOrigin = await listen(pages);
    this.servers = [assets, pages];
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    this.page = await this.browser.newPage({ viewport });
    await this.page.addInitScript({ content: INIT_SCRIPT });
    this.page.on('console', (m) => {
      if (m.type() === 'error') this.errors.push(m.text());
    });
    this.page.on('pageerror', (e) => this.errors.push(String(e)));
    this.page.on('dialog', (d) => {
      this.dialogs.push(d.message());
      void d.dismiss();
    });
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    for (const s of this.servers) s.close();
  }

  /** Opens a fresh preview (or compare) page (state kept by the fake API is cleared unless `keepState`). */
  async open(options: { state?: PreviewState; keepState?: boolean; theme?: ThemeName; bundle?: 'preview' | 'compare' } = {}): Promise<void> {
    const bundle = options.bundle ?? 'preview';
    this.html = previewHtml({
      scriptUri: `${this.assetOrigin}/${bundle}.js`,
      styleUri: `${this.assetOrigin}/${bundle}.css`,
      cspSource: this.assetOrigin,
      nonce: makeNonce(),
      state: options.state,
    });
    if (!options.keepState && this.page.url().startsWith(this.pageOrigin)) await this.page.evaluate(() => sessionStorage.clear());
    await this.page.goto(`${this.pageOrigin}/`);
    await this.page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
    await this.theme(options.theme ?? 'light');
  }

  /** Sets the theme as VS Code does: a body class and the variables on `<html style>` (through the CSSOM). */
  async theme(name: ThemeName): Promise<void> {
    const { bodyClass, vars } = THEMES[name];
    await this.page.evaluate(
      ([cls, v]) => {
        document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
        document.body.classList.add(cls);
        for (const [k, value] of Object.entries(v)) document.documentElement.style.setProperty(k, value);
      },
      [bodyClass, vars] as const,
    );
  }

  /**
   * Delivers a host message. Dispatched synchronously, so the page has handled it when this
   * returns; passed as JSON text (a result is megabytes, and strings cross over fastest).
   */
  async send(message: HostMessage | CompareHostMessage): Promise<void> {
    await this.page.evaluate((json) => window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(json) })), JSON.stringify(message));
  }

  /** What the webview posted since the page opened (or since the last `clearPosted`). */
  posted(): Promise<WebviewMessage[]> {
    return this.page.evaluate(() => window.__posted);
  }

  async clearPosted(): Promise<void> {
    await this.page.evaluate(() => {
      window.__posted.length = 0;
    });
  }

  async lastPosted(): Promise<WebviewMessage | undefined> {
    return (await this.posted()).at(-1);
  }

  /** CSP violations reported in the page. */
  cspViolations(): Promise<string[]> {
    return this.page.evaluate(() => window.__csp);
  }

  /** The text of every element matching `selector`. */
  texts(selector: string): Promise<string[]> {
    return this.page.$$eval(selector, (els) => els.map((e) => e.textContent ?? ''));
  }
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** A `results` message as the panel sends it. */
export function resultsMessage(seq: number, result: EvalResult, extra: Partial<Extract<HostMessage, { type: 'results' }>> = {}): HostMessage {
  return { type: 'results', seq, uri: `file://${result.spec.file}`, fileName: path.basename(result.spec.file), result, controls: {}, locked: false, ...extra };
}

/**
 * The results as the engine gives them once the last period is partial: the period and each
 * KPI's latest (and last point) marked through `through`; an additive KPI's pace fields where
 * given. A hand-made stand-in for the engine's own marking, with the same fields.
 */
export function markPartial(result: EvalResult, through: string, pace: Record<string, { paceTarget: { min?: number; max?: number }; pace: 'on_pace' | 'behind_pace' }> = {}): EvalResult {
  const r = structuredClone(result);
  const last = r.periods.at(-1)!;
  last.through = through;
  for (const k of r.kpis) {
    if (k.latest.period !== last.key) continue;
    k.latest.through = through;
    const p = pace[k.id];
    if (p) {
      Object.assign(k.latest, p);
      Object.assign(k.series.at(-1)!, p);
    }
  }
  return r;
}
