import * as vscode from 'vscode';
import type { KpispecApi } from '../../client/src/extension';

export const EXTENSION_ID = 'kpispec.kpispec';

export function workspaceFile(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the extension host tests need a workspace folder (a copy of samples/)');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

/** Opens a spec in an editor; the extension activates on the kpispec language. */
export async function openSpec(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc);
}

export async function api(): Promise<KpispecApi> {
  const ext = vscode.extensions.getExtension<KpispecApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return ext.activate();
}

/**
 * Resolves with `check()`'s value once it is truthy, re-checking every 100 ms. The limit is
 * generous: a loaded machine is slow, and a check that never holds still fails, saying what it awaited.
 */
export async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A known state for every test: no unsaved edits in the workspace, no editor and no preview open. */
export async function closeEverything(): Promise<void> {
  // Workspace files only: the workbench keeps documents of its own (user settings) that it edits.
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && vscode.workspace.getWorkspaceFolder(d.uri))) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await until('every editor to close', () => vscode.window.tabGroups.all.every((g) => g.tabs.length === 0));
}

/** The position just after the first occurrence of `needle` (plus `delta` characters). */
export function after(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const at = doc.getText().indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" is not in ${doc.uri.fsPath}`);
  return doc.positionAt(at + needle.length + delta);
}
