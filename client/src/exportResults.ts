import * as vscode from 'vscode';
import { csvFormat } from '../../server/src/cli/evalFormat/csv';
import { markdownFormat } from '../../server/src/cli/evalFormat/markdown';
import type { EvaluateResult } from '../../server/src/protocol';

/** Saves results as `kpispec eval --format csv|markdown` would print them, where the reader chooses. */
export async function exportResults(result: EvaluateResult, format: 'csv' | 'markdown'): Promise<vscode.Uri | undefined> {
  const ext = format === 'csv' ? 'csv' : 'md';
  const base = result.spec.file.replace(/\.kpi\.ya?ml$/, '');
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(`${base}.results.${ext}`),
    filters: format === 'csv' ? { CSV: ['csv'] } : { Markdown: ['md'] },
    saveLabel: `Export ${format === 'csv' ? 'CSV' : 'Markdown'}`,
  });
  if (!target) return undefined;
  await writeResults(result, format, target);
  const saved = `KPI results saved to ${vscode.workspace.asRelativePath(target)}`;
  // What was left out of a summarised answer is left out of the file too: say so where it is seen.
  if (result.truncated) void vscode.window.showWarningMessage(`${saved}. ${result.truncated.reason}`);
  else void vscode.window.showInformationMessage(saved);
  return target;
}

export async function writeResults(result: EvaluateResult, format: 'csv' | 'markdown', target: vscode.Uri): Promise<void> {
  const text = format === 'csv' ? csvFormat(result) : markdownFormat(result);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
}
