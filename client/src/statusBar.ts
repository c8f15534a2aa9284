import * as vscode from 'vscode';

/**
 * A status bar item for the active spec: its KPI count (from the server's outline) and its
 * problem counts; clicking it opens the Problems panel. The outline is asked for when the
 * editor changes or the spec is saved, not on every keystroke's diagnostics: a large spec's
 * outline is a large answer.
 */
export class SpecStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kpispec.status', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [];
  private timer?: NodeJS.Timeout;
  private generation = 0;
  /** The KPI count of the spec last outlined. */
  private counted?: { uri: string; kpis: number | undefined };

  /** Call `schedule` once the language server runs: the outline comes from it. */
  constructor() {
    this.item.name = 'kpispec';
    this.item.command = 'workbench.actions.view.problems';
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(0)),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (doc === vscode.window.activeTextEditor?.document) this.schedule(0);
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (e.uris.some((u) => u.toString() === active)) this.schedule(100, false);
      }),
    );
  }

  /** The text shown, for tests: e.g. `12 KPIs · 1 error · 2 warnings`. */
  get text(): string | undefined {
    return this.item.text;
  }

  /** Updates after `delayMs`; `recount`: ask the server's outline for the KPI count again. */
  schedule(delayMs: number, recount = true): void {
    if (this.timer) clearTimeout(this.timer);
    if (recount) this.counted = undefined;
    this.timer = setTimeout(() => void this.update(), delayMs);
  }

  private async update(): Promise<void> {
    const generation = ++this.generation;
    const doc = vscode.window.activeTextEditor?.document;
    if (doc?.languageId !== 'kpispec') {
      this.item.hide();
      return;
    }
    const diagnostics = vscode.languages.getDiagnostics(doc.uri);
    const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    const warnings = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
    const uri = doc.uri.toString();
    if (this.counted?.uri !== uri) {
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', doc.uri).then((s) => s, () => undefined);
      if (generation !== this.generation) return;
      this.counted = { uri, kpis: symbols ? countKpis(symbols) : undefined };
    }
    const kpis = this.counted.kpis;
    const parts = [
      kpis === undefined ? '$(graph) kpispec' : `$(graph) ${plural(kpis, 'KPI')}`,
      errors ? `$(error) ${errors}` : '',
      warnings ? `$(warning) ${warnings}` : '',
      !errors && !warnings ? '$(check)' : '',
    ].filter(Boolean);
    this.item.text = parts.join(' ');
    this.item.tooltip = `${kpis === undefined ? '' : `${plural(kpis, 'KPI')} in this spec\n`}${plural(errors, 'error')}, ${plural(warnings, 'warning')}: click to open the Problems panel`;
    this.item.accessibilityInformation = { label: `kpispec: ${kpis === undefined ? '' : `${plural(kpis, 'KPI')}, `}${plural(errors, 'error')}, ${plural(warnings, 'warning')}` };
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/** KPIs are the outline's Field symbols (the server's mapping of KPI definitions). */
function countKpis(symbols: vscode.DocumentSymbol[]): number {
  let n = 0;
  for (const s of symbols) n += (s.kind === vscode.SymbolKind.Field ? 1 : 0) + countKpis(s.children ?? []);
  return n;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
