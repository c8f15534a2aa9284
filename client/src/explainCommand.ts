import * as vscode from 'vscode';
import { DefinitionFinder } from './preview/cursor';
import type { PreviewManager } from './preview/manager';

export const EXPLAIN_COMMAND = 'kpispec.explainKpi';

/** Code lens titles of KPIs with nothing to explain (server/src/services/codeLens.ts): no value. */
const NO_VALUE = /^(not computed|no data)\b/;

/**
 * "Explain this change" (`kpispec.explainKpi`): opens the preview beside the spec on a KPI's
 * driver chart (why it moved in its latest complete period). With arguments (the code lens),
 * the spec's URI and the KPI's id; without, the KPI under the cursor of the active spec editor,
 * else one picked from the spec's KPIs.
 */
export async function explainKpi(previews: PreviewManager, finder: DefinitionFinder, uriArg?: unknown, kpiArg?: unknown): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const uri = uriArg instanceof vscode.Uri ? uriArg : typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : editor?.document.languageId === 'kpispec' ? editor.document.uri : previews.current()?.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('kpispec: open a *.kpi.yaml spec first.');
    return;
  }
  let kpi = typeof kpiArg === 'string' ? kpiArg : undefined;
  if (!kpi && editor && editor.document.uri.toString() === uri.toString()) kpi = (await finder.at(editor.document, editor.selection.active)).kpi;
  if (!kpi) kpi = await pickKpi(uri);
  if (!kpi) return;
  previews.open(uri, true).showDrivers(kpi);
}

/** A KPI of the spec, picked from its outline; undefined when the reader dismisses the picker. */
async function pickKpi(uri: vscode.Uri): Promise<string | undefined> {
  const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', uri).then((s) => s ?? [], () => []);
  const kpis = symbols.find((s) => 'children' in s && s.name === 'KPIs')?.children ?? [];
  if (!kpis.length) {
    void vscode.window.showInformationMessage('kpispec: this spec defines no KPIs to explain.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(kpis.map((k) => ({ label: k.name, description: k.detail })), { title: 'Explain why a KPI moved', placeHolder: 'a KPI of the spec' });
  return picked?.label;
}

/**
 * Adds "Explain this change" beside the language server's code lens on each KPI that has a
 * value (the server's lens sits on the KPI's id, so its text is the id).
 */
export function withExplainLenses(document: vscode.TextDocument, lenses: vscode.CodeLens[] | null | undefined): vscode.CodeLens[] | null | undefined {
  if (!lenses) return lenses;
  const out: vscode.CodeLens[] = [];
  for (const lens of lenses) {
    out.push(lens);
    const kpi = document.getText(lens.range);
    if (!lens.command || NO_VALUE.test(lens.command.title) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(kpi)) continue;
    out.push(new vscode.CodeLens(lens.range, { title: 'Explain this change', command: EXPLAIN_COMMAND, arguments: [document.uri, kpi], tooltip: `Why ${kpi} moved: its change split by group, in the preview` }));
  }
  return out;
}
