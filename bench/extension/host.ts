import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KpispecApi } from '../../client/src/extension';

/** A built-in language client extension of a similar size (a 460 KB bundle; ours is ~500 KB), idle until activated. */
const REFERENCE = 'vscode.css-language-features';

/**
 * The extension host side of bench/extension/run.mjs, loaded as `extensionTestsPath` (run.mjs
 * bundles it). Opens webshop.kpi.yaml, which activates kpispec, and prints one line
 * `KPISPEC_BENCH {json}` with:
 * - `activationMs`: the extension's own figure (its bundle's first line to the end of `activate`);
 * - `emptyMs`: `require()` + `activate()` of an empty extension written to a temp folder, a floor;
 * - `vscode`: VS Code's own activation times (its "Startup Performance" view) for kpispec and for
 *   REFERENCE, activated here from cold once kpispec's server runs: load code (the whole
 *   `require`, reading and compiling the file included), call activate, finish activate (until
 *   activate's promise resolved; for REFERENCE that includes starting its server) and the event.
 */
export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<KpispecApi>('kpispec.kpispec');
  if (!ext) throw new Error('kpispec is not loaded (extensionDevelopmentPath)');
  if (ext.isActive) throw new Error('kpispec was active before a spec was opened');
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'webshop.kpi.yaml')));
  const api = await ext.activate(); // the activation the opened spec started
  await api.client(); // let the language server start, so it does not run during what follows
  await new Promise((r) => setTimeout(r, 500));

  const dir = mkdtempSync(join(tmpdir(), 'empty-extension-'));
  writeFileSync(join(dir, 'extension.js'), 'exports.activate = function (context) { return {}; };\nexports.deactivate = function () {};\n');
  const t = performance.now();
  require(join(dir, 'extension.js')).activate({ subscriptions: [] });
  const emptyMs = performance.now() - t;

  const reference = vscode.extensions.getExtension(REFERENCE);
  const referenceWasActive = reference?.isActive;
  await reference?.activate();

  await vscode.commands.executeCommand('perfview.show');
  const perf = (await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'perf', path: 'Startup Performance' }))).getText();
  const row = (id: string) => {
    const cells = perf.split('\n').find((l) => l.startsWith(`| ${id} `))?.split('|').map((c) => c.trim());
    return cells && { loadCode: Number(cells[3]), callActivate: Number(cells[4]), finishActivate: Number(cells[5]), event: cells[6] };
  };
  const result = { version: vscode.version, activationMs: api.activationMs, emptyMs, referenceWasActive, vscode: { kpispec: row('kpispec.kpispec'), reference: row(REFERENCE) } };
  console.log(`KPISPEC_BENCH ${JSON.stringify(result)}`);
}
