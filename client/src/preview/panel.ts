import * as vscode from 'vscode';
import type { EvaluateDelta, EvaluateParams, EvaluateResult, ExplainParams, ExplainResult, LineageGraph, LineageParams } from '../../../server/src/protocol';
import { applyDelta } from '../../../server/src/engine/delta';
import type { DefinitionAt } from './cursor';
import { makeNonce, previewHtml } from './html';
import type { HostMessage, PreviewState, WebviewMessage } from './messages';

export const PREVIEW_VIEW_TYPE = 'kpispec.preview';

/** Evaluates through the language server (rejects when it is not running). */
export type Evaluate = (params: EvaluateParams, token?: vscode.CancellationToken) => Promise<EvaluateResult | EvaluateDelta | null>;

/** A spec's lineage from the language server (`kpispec/lineage`; rejects when it is not running). */
export type Lineage = (params: LineageParams) => Promise<LineageGraph | null>;

/** Why a KPI moved, from the language server (`kpispec/explain`; rejects when it is not running). */
export type Explain = (params: ExplainParams) => Promise<ExplainResult | null>;

/** What a panel needs from the extension: the language server's evaluation and where the bundle is. */
export interface PreviewHost {
  evaluate: Evaluate;
  /** For the Lineage view; without it the view says the lineage is not available. */
  lineage?: Lineage;
  /** For the driver charts; without it they say explanations are not available. */
  explain?: Explain;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  exportResults(result: EvaluateResult, format: 'csv' | 'markdown'): Promise<void>;
  onDidDispose(panel: PreviewPanel): void;
}

/**
 * One preview panel: shows one spec's results, evaluated by the language server, and asks
 * again when the server says the results changed or the reader changes a control. Every
 * evaluation gets a sequence number; a result is posted only if no newer one was posted before.
 */
export class PreviewPanel {
  private seq = 0;
  private posted = 0;
  private pending?: vscode.CancellationTokenSource;
  private timer?: NodeJS.Timeout;
  private ready = false;
  private lastResult?: EvaluateResult;
  /** The request the last results answer (spec and controls), for deltas on them. */
  private lastKey?: string;
  /** The resultId of the results the webview shows, which a delta may be posted on. */
  private webviewHolds?: number;
  private readonly disposables: vscode.Disposable[] = [];
  /** The definition under the editor's cursor, last posted (the webview keeps it across results). */
  private cursor: DefinitionAt = {};
  /** Lineage requests made; an answer is posted only if no newer one was asked for. */
  private lineageAsked = 0;
  /** The files the lineage shown comes from (the spec and its imports): the panel may reveal them. */
  private lineageFiles = new Set<string>();
  /** A driver chart asked for before the webview was ready ("Explain this change"). */
  private pendingDrivers?: HostMessage;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private state: PreviewState,
    private readonly host: PreviewHost,
  ) {
    const root = vscode.Uri.joinPath(host.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    panel.webview.html = previewHtml({
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'preview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'preview.css')).toString(),
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      state,
    });
    this.updateTitle();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: WebviewMessage) => void this.received(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get uri(): vscode.Uri {
    return vscode.Uri.parse(this.state.uri);
  }

  get locked(): boolean {
    return this.state.locked;
  }

  get result(): EvaluateResult | undefined {
    return this.lastResult;
  }

  /** Whether this panel shows a file: its spec, or a file its results come from (an import). */
  shows(uri: vscode.Uri): boolean {
    return uri.toString() === this.state.uri || this.knownFiles().has(uri.fsPath);
  }

  /** Highlights the KPI or goal under the editor's cursor; posted only when it changed. */
  follow(at: DefinitionAt): void {
    if (at.kpi === this.cursor.kpi && at.goal === this.cursor.goal && at.metric === this.cursor.metric && at.source === this.cursor.source) return;
    this.cursor = at;
    if (this.ready) this.post({ type: 'cursor', ...at });
  }

  /**
   * An unlocked panel follows the active spec editor; on the Lineage view it stays on its spec
   * when the editor shows a file that spec imports (the lineage shows that file's definitions).
   */
  followEditor(uri: vscode.Uri): void {
    if (this.state.view === 'lineage' && uri.toString() !== this.state.uri && this.lineageFiles.has(uri.fsPath)) return;
    this.show(uri);
  }

  /** Opens a KPI's driver chart ("Explain this change"): the webview selects the KPI and scrolls to it. */
  showDrivers(kpi: string): void {
    const message: HostMessage = { type: 'showDrivers', uri: this.state.uri, kpi };
    if (this.ready) this.post(message);
    else this.pendingDrivers = message;
  }

  /** Answers a driver chart's `explain`: the KPI explained at the controls' grain and breakdown. */
  private async explain(m: Extract<WebviewMessage, { type: 'explain' }>): Promise<void> {
    const uri = this.state.uri;
    const { grain, by } = this.state.controls;
    let message: HostMessage;
    try {
      if (!this.host.explain) throw new Error('explanations are not available here');
      const answer = await this.host.explain({ uri, kpi: m.kpi, ...(grain ? { grain } : {}), ...(by ? { by } : {}), ...(m.period ? { period: m.period } : {}), ...(m.vs ? { vs: m.vs } : {}) });
      message = { type: 'explanation', id: m.id, answer };
    } catch (e) {
      message = { type: 'explanation', id: m.id, answer: null, error: (e as Error)?.message ?? String(e) };
    }
    if (uri === this.state.uri) this.post(message);
  }

  /** Shows another spec (an unlocked panel follows the active editor). */
  show(uri: vscode.Uri): void {
    if (uri.toString() === this.state.uri) return;
    this.cursor = {};
    this.state = { ...this.state, uri: uri.toString(), selected: undefined, goalRanges: undefined };
    this.lastResult = undefined;
    this.lineageFiles = new Set();
    this.updateTitle();
    this.refresh(0);
  }

  setLocked(locked: boolean): void {
    this.state = { ...this.state, locked };
    this.updateTitle();
    this.post({ type: 'locked', locked });
  }

  /** Evaluates again after `delayMs`; calls within the delay collapse into one evaluation. */
  refresh(delayMs = 50): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.evaluate(), delayMs);
  }

  private async evaluate(): Promise<void> {
    this.timer = undefined;
    if (!this.ready) return; // `ready` triggers the first evaluation
    if (this.state.view === 'lineage') void this.sendLineage();
    const seq = ++this.seq;
    if (!vscode.workspace.isTrusted) {
      this.post({ type: 'unavailable', seq, title: 'Data files are not read in Restricted Mode', detail: 'kpispec checks this spec, but computes KPIs only from the sample data of a trusted workspace. Trust this folder (Manage Workspace Trust) to see the values.' });
      return;
    }
    this.pending?.cancel();
    const cts = (this.pending = new vscode.CancellationTokenSource());
    this.post({ type: 'busy', seq });
    const params: EvaluateParams = { uri: this.state.uri, ...this.state.controls };
    // The server answers what changed since the results shown, when they are for the same spec and controls.
    const key = JSON.stringify(params);
    const shown = this.lastResult?.resultId !== undefined && this.lastKey === key ? this.lastResult : undefined;
    if (shown) params.known = shown.resultId;
    const t0 = performance.now();
    try {
      const answer = await this.host.evaluate(params, cts.token);
      const result = answer && 'delta' in answer ? (shown && answer.delta.base === shown.resultId ? { ...applyDelta(shown, answer.delta), resultId: answer.delta.epoch } : undefined) : answer;
      if (answer && !result) throw new Error('internal: the server answered a delta on results the preview does not hold');
      this.host.log.trace(`preview: evaluation ${seq} of ${this.fileName()} answered in ${Math.round(performance.now() - t0)} ms${cts.token.isCancellationRequested || seq < this.posted ? ' (outdated, dropped)' : ''}`);
      if (cts.token.isCancellationRequested || seq < this.posted) return;
      if (!result) {
        this.post({ type: 'unavailable', seq, title: 'Nothing to preview', detail: `${this.fileName()} is not a kpispec spec, or it cannot be read.` });
        return;
      }
      this.lastResult = result;
      this.lastKey = key;
      const common = { seq, uri: this.state.uri, fileName: this.fileName(), controls: this.state.controls, locked: this.state.locked };
      // The webview gets what changed when it shows the results the delta is on.
      if (answer && 'delta' in answer && this.webviewHolds === answer.delta.base) this.post({ type: 'delta', ...common, delta: answer.delta });
      else this.post({ type: 'results', ...common, result });
      this.webviewHolds = result.resultId;
    } catch (e) {
      this.host.log.trace(`preview: evaluation ${seq} failed after ${Math.round(performance.now() - t0)} ms: ${(e as Error)?.message}`);
      if (cts.token.isCancellationRequested || seq < this.posted) return;
      const message = (e as Error)?.message ?? String(e);
      const stopped = /not running/.test(message);
      this.post({
        type: 'unavailable', seq,
        title: stopped ? 'The kpispec language server is not running' : 'The KPIs could not be computed',
        detail: stopped ? 'Run “kpispec: Restart Language Server”, or see “kpispec: Show Output” for what went wrong.' : message,
      });
    }
  }

  private async received(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.webviewHolds = undefined;
        if (m.state && m.state.uri === this.state.uri) this.state = { ...m.state, locked: this.state.locked };
        this.post({ type: 'locked', locked: this.state.locked });
        if (this.cursor.kpi || this.cursor.goal) this.post({ type: 'cursor', ...this.cursor });
        if (this.pendingDrivers) this.post(this.pendingDrivers);
        this.pendingDrivers = undefined;
        this.refresh(0);
        return;
      case 'explain':
        await this.explain(m);
        return;
      case 'resend':
        this.webviewHolds = undefined;
        if (this.lastResult) {
          this.post({ type: 'results', seq: this.posted, uri: this.state.uri, fileName: this.fileName(), result: this.lastResult, controls: this.state.controls, locked: this.state.locked });
          this.webviewHolds = this.lastResult.resultId;
        }
        return;
      case 'controls':
        this.state = { ...this.state, controls: m.controls };
        this.refresh(0);
        return;
      case 'select':
        this.state = { ...this.state, selected: m.kpi };
        return;
      case 'goalRange':
        this.state = { ...this.state, goalRanges: { ...this.state.goalRanges, [m.goal]: m.range } };
        return;
      case 'lock':
        this.setLocked(m.locked);
        return;
      case 'view':
        this.state = { ...this.state, view: m.view };
        if (m.view === 'lineage') void this.sendLineage();
        return;
      case 'reveal':
        await this.reveal(m.file, m.line, m.column, m.offset);
        return;
      case 'export':
        if (this.lastResult) await this.host.exportResults(this.lastResult, m.format);
        return;
    }
  }

  /** Opens a place the results point at, beside the preview; only files the results name. */
  private async reveal(file: string, line?: number, column?: number, offset?: number): Promise<void> {
    if (!this.knownFiles().has(file)) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const at = offset !== undefined ? doc.positionAt(offset) : new vscode.Position(Math.max(0, (line ?? 1) - 1), Math.max(0, (column ?? 1) - 1));
    const word = doc.getWordRangeAtPosition(at, /[A-Za-z_][A-Za-z0-9_]*/);
    const selection = word ?? new vscode.Range(at, at);
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString());
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, selection, preserveFocus: false });
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** Posts the spec's lineage (the Lineage view); an answer a newer request overtook is dropped. */
  private async sendLineage(): Promise<void> {
    const asked = ++this.lineageAsked;
    const uri = this.state.uri;
    let message: HostMessage;
    try {
      const lineage = this.host.lineage ? await this.host.lineage({ uri }) : null;
      message = lineage
        ? { type: 'lineage', uri, lineage }
        : { type: 'lineage', uri, lineage: null, error: this.host.lineage ? `${this.fileName()} is not a kpispec spec, or it cannot be read.` : 'The lineage is not available here.' };
    } catch (e) {
      message = { type: 'lineage', uri, lineage: null, error: (e as Error)?.message ?? String(e) };
    }
    if (asked !== this.lineageAsked || uri !== this.state.uri) return;
    this.lineageFiles = new Set(message.type === 'lineage' && message.lineage ? message.lineage.nodes.map((n) => n.file) : []);
    this.post(message);
  }

  private knownFiles(): Set<string> {
    const files = new Set<string>([this.uri.fsPath, ...this.lineageFiles]);
    const r = this.lastResult;
    if (!r) return files;
    files.add(r.spec.file);
    for (const k of r.kpis) {
      files.add(k.file);
      for (const p of k.problems) files.add(p.file);
    }
    for (const g of r.goals) if (g.file) files.add(g.file);
    for (const p of r.problems) files.add(p.file);
    for (const s of r.sources) for (const p of s.problems) files.add(p.file);
    return files;
  }

  private post(message: HostMessage): void {
    if ('seq' in message) this.posted = Math.max(this.posted, message.seq);
    if (message.type === 'unavailable') this.webviewHolds = undefined;
    void this.panel.webview.postMessage(message);
  }

  private fileName(): string {
    return this.uri.path.split('/').pop() ?? this.state.uri;
  }

  private updateTitle(): void {
    this.panel.title = `${this.state.locked ? '[Locked] ' : ''}KPIs: ${this.fileName()}`;
  }

  /** The state to keep when VS Code reloads the window (the serializer restores it). */
  get persisted(): PreviewState {
    return this.state;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.pending?.cancel();
    for (const d of this.disposables) d.dispose();
    this.host.onDidDispose(this);
  }
}
