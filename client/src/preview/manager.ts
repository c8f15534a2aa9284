import * as vscode from 'vscode';
import type { EvaluateResult } from '../../../server/src/protocol';
import { previewDefaults } from '../settings';
import { DefinitionFinder } from './cursor';
import type { PreviewState } from './messages';
import { PREVIEW_VIEW_TYPE, PreviewPanel, type Evaluate, type Explain, type Lineage, type PreviewHost } from './panel';

const isSpec = (doc: vscode.TextDocument | undefined): doc is vscode.TextDocument => doc?.languageId === 'kpispec';

/**
 * The open preview panels. Like the Markdown preview: an unlocked panel follows the active spec
 * editor, a locked one stays on its spec; panels survive a window reload through the serializer.
 */
export class PreviewManager implements vscode.Disposable {
  private readonly panels = new Set<PreviewPanel>();
  private active?: PreviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly host: PreviewHost;
  private readonly definitions = new DefinitionFinder();
  private cursorTimer?: NodeJS.Timeout;

  constructor(
    extensionUri: vscode.Uri,
    evaluate: Evaluate,
    exportResults: (result: EvaluateResult, format: 'csv' | 'markdown') => Promise<void>,
    log: vscode.LogOutputChannel,
    lineage?: Lineage,
    explain?: Explain,
  ) {
    this.host = { evaluate, lineage, explain, extensionUri, exportResults, log, onDidDispose: (p) => this.forget(p) };
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: PreviewState | undefined) => {
          const uri = state?.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
          if (!uri) {
            panel.dispose();
            return;
          }
          this.track(new PreviewPanel(panel, { uri, locked: !!state?.locked, controls: state?.controls ?? previewDefaults(), selected: state?.selected }, this.host), panel);
        },
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (!isSpec(editor?.document)) return;
        for (const p of this.panels) if (!p.locked) p.followEditor(editor.document.uri);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshAll()),
      // Like the Markdown preview: the preview follows the definition under the editor's cursor.
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (isSpec(e.textEditor.document)) this.followCursor(e.textEditor);
      }),
    );
  }

  /** Tells each panel that shows this file which KPI or goal the cursor is in (after the cursor rests 80 ms). */
  private followCursor(editor: vscode.TextEditor): void {
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(async () => {
      this.cursorTimer = undefined;
      const panels = [...this.panels].filter((p) => p.shows(editor.document.uri));
      if (!panels.length) return;
      const at = await this.definitions.at(editor.document, editor.selection.active);
      for (const p of panels) p.follow(at);
    }, 80);
  }

  /** The server says a spec's results may have changed: panels showing it ask again. */
  resultsChanged(uri: string): void {
    for (const p of this.panels) if (p.uri.toString() === uri) p.refresh();
  }

  /** Opens (or reveals) a preview of `uri`: in the active column, or beside the editor. */
  open(uri: vscode.Uri, side: boolean): PreviewPanel {
    const column = side ? vscode.ViewColumn.Beside : (vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.Active);
    const existing = [...this.panels].find((p) => p.uri.toString() === uri.toString()) ?? [...this.panels].find((p) => !p.locked);
    if (existing) {
      existing.show(uri);
      existing.panel.reveal(side ? existing.panel.viewColumn : column, side);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, 'KPIs', { viewColumn: column, preserveFocus: side }, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.host.extensionUri, 'dist', 'webview')],
    });
    return this.track(new PreviewPanel(panel, { uri: uri.toString(), locked: false, controls: previewDefaults() }, this.host), panel);
  }

  /** The panel the reader looks at, else the only one. */
  current(): PreviewPanel | undefined {
    return this.active ?? (this.panels.size === 1 ? [...this.panels][0] : undefined);
  }

  refreshAll(): void {
    for (const p of this.panels) p.refresh(0);
  }

  private track(preview: PreviewPanel, panel: vscode.WebviewPanel): PreviewPanel {
    this.panels.add(preview);
    this.active = preview;
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.active = preview;
      void vscode.commands.executeCommand('setContext', 'kpispec.previewFocused', e.webviewPanel.active);
    });
    void vscode.commands.executeCommand('setContext', 'kpispec.previewFocused', true);
    return preview;
  }

  private forget(preview: PreviewPanel): void {
    this.panels.delete(preview);
    if (this.active === preview) this.active = undefined;
  }

  dispose(): void {
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    for (const p of [...this.panels]) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
