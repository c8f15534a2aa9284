import * as vscode from 'vscode';
import { csvFormat } from '../../server/src/cli/evalFormat/csv';
import { markdownFormat } from '../../server/src/cli/evalFormat/markdown';
import type { EvalResult } from '../../server/src/engine/results';

/** Saves results as `kpispec eval --format csv|markdown` would print them, where the reader chooses. */
export async function exportResults(result: EvalResult, format: 'csv' | 'markdown'): Promise<vscode.Uri | undefined> {
  const ext = format === 'csv' ? 'csv' : 'md';
  const base = result.spec.file.replace(/\.kpi\.ya?ml$/, '');
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(`${base}.results.${ext}`),
    filters: format === 'csv' ? { CSV: ['csv'] } : { Markdown: ['md'] },
    saveLabel: `Export ${format === 'csv' ? 'CSV' : 'Markdown'}`,
  });
  if (!target) return undefined;
  await writeResults(result, format, target);
  void vscode.window.showInformationMessage(`KPI results saved to ${vscode.workspace.asRelativePath(target)}`);
  return target;
}

export async function writeResults(result: EvalResult, format: 'csv' | 'markdown', target: vscode.Uri): Promise<void> {
  const text = format === 'csv' ? csvFormat(result) : markdownFormat(result);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
}
