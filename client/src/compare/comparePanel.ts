import * as path from 'node:path';
import * as vscode from 'vscode';
import { makeNonce, previewHtml } from '../preview/html';
import type { CompareHostMessage, CompareWebviewMessage } from '../preview/messages';
import { gitDiff } from './gitDiff';

/**
 * The "Compare KPIs with Git" view: the semantic diff of the specs in a workspace folder between
 * a git revision and the working tree, with each changed KPI's value and status before and after.
 */
export class ComparePanel {
  private static current?: ComparePanel;
  private ready = false;
  private run = 0;
  private timer?: NodeJS.Timeout;

  static show(extensionUri: vscode.Uri, folder: vscode.WorkspaceFolder, base: string): ComparePanel {
    const existing = ComparePanel.current;
    if (existing) {
      existing.folder = folder;
      existing.base = base;
      existing.panel.reveal(undefined, false);
      void existing.compare();
      return existing;
    }
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel('kpispec.compare', 'KPI changes', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [root] });
    return (ComparePanel.current = new ComparePanel(panel, extensionUri, folder, base));
  }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly extensionUri: vscode.Uri, private folder: vscode.WorkspaceFolder, private base: string) {
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.webview.html = previewHtml({
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'compare.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'compare.css')).toString(),
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
    });
    panel.webview.onDidReceiveMessage((m: CompareWebviewMessage) => void this.received(m));
    // The comparison includes unsaved edits, so it follows them: again a second after typing stops.
    const edits = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.languageId !== 'kpispec' || !e.contentChanges.length || vscode.workspace.getWorkspaceFolder(e.document.uri) !== this.folder) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.compare(), 1000);
    });
    panel.onDidDispose(() => {
      edits.dispose();
      if (this.timer) clearTimeout(this.timer);
      if (ComparePanel.current === this) ComparePanel.current = undefined;
    });
  }

  private async received(m: CompareWebviewMessage): Promise<void> {
    if (m.type === 'ready') {
      this.ready = true;
      await this.compare();
    } else if (m.type === 'refresh') await this.compare();
    else if (m.type === 'open') await this.open(m.file, m.id);
  }

  /** Compares and shows the report; a newer comparison wins over one still running. */
  async compare(): Promise<void> {
    if (!this.ready) return;
    const run = ++this.run;
    this.panel.title = `KPI changes vs ${this.base}`;
    this.post({ type: 'busy', base: this.base });
    // Unsaved edits are compared too: the editor's text, not the file on disk.
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file' && d.languageId === 'kpispec' && vscode.workspace.getWorkspaceFolder(d.uri) === this.folder);
    const unsaved = dirty.map((d) => vscode.workspace.asRelativePath(d.uri, false));
    try {
      const result = await gitDiff(vscode.Uri.joinPath(this.extensionUri, 'dist', 'cli.js').fsPath, this.folder.uri.fsPath, this.base, new Map(dirty.map((d) => [d.uri.fsPath, d.getText()])));
      if (run === this.run) this.post({ type: 'diff', base: this.base, result, unsaved });
    } catch (e) {
      if (run === this.run) this.post({ type: 'unavailable', title: `Cannot compare with ${this.base}`, detail: (e as Error).message });
    }
  }

  /** Opens a definition: the file is relative to the folder and must stay inside it. */
  private async open(file: string, id: string): Promise<void> {
    const abs = path.resolve(this.folder.uri.fsPath, file);
    if (path.relative(this.folder.uri.fsPath, abs).startsWith('..')) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(abs));
    const at = new RegExp(`^\\s*${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`, 'm').exec(doc.getText());
    const pos = doc.positionAt(at ? at.index + at[0].indexOf(id) : 0);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(pos, pos.translate(0, at ? id.length : 0)) });
  }

  private post(message: CompareHostMessage): void {
    void this.panel.webview.postMessage(message);
  }
}
