import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, openSpec, until, workspaceFile } from './util';

const previewTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('kpispec.preview'));

describe('the preview panel', () => {
  it('opens beside the spec and computes its results through the server', async () => {
    await openSpec(workspaceFile('webshop.kpi.yaml'));
    await vscode.commands.executeCommand('kpispec.openPreviewToSide');
    await until('a preview tab', () => previewTabs().length === 1);
    const a = await api();
    const result = await until('the preview’s results', () => a.previews.current()?.result);
    assert.ok(result.kpis.length > 20);
    assert.equal(previewTabs()[0]!.label, 'KPIs: webshop.kpi.yaml');
  });

  it('follows the active spec editor unless locked', async () => {
    const a = await api();
    await openSpec(workspaceFile('webshop.kpi.yaml'));
    await vscode.commands.executeCommand('kpispec.openPreviewToSide');
    await until('a preview of webshop.kpi.yaml', () => a.previews.current()?.uri.path.endsWith('webshop.kpi.yaml'));
    await openSpec(workspaceFile('sources.kpi.yaml'));
    await until('the preview to follow', () => a.previews.current()?.uri.path.endsWith('sources.kpi.yaml'));
    await vscode.commands.executeCommand('kpispec.togglePreviewLock');
    assert.equal(a.previews.current()?.locked, true);
    await openSpec(workspaceFile('webshop.kpi.yaml'));
    // The preview follows on the same event that makes webshop.kpi.yaml the active editor here.
    await until('webshop.kpi.yaml to be the active editor', () => vscode.window.activeTextEditor?.document.uri.path.endsWith('webshop.kpi.yaml'));
    assert.ok(a.previews.current()?.uri.path.endsWith('sources.kpi.yaml'), 'a locked preview stays');
    await vscode.commands.executeCommand('kpispec.togglePreviewLock');
    assert.equal(a.previews.current()?.locked, false);
    await openSpec(workspaceFile('sources.kpi.yaml'));
    await until('the unlocked preview to follow', () => a.previews.current()?.uri.path.endsWith('sources.kpi.yaml'));
  });

  it('recomputes when the spec is edited', async () => {
    const a = await api();
    const editor = await openSpec(workspaceFile('webshop.kpi.yaml'));
    await vscode.commands.executeCommand('kpispec.openPreviewToSide');
    await until('results', () => a.previews.current()?.result);
    const at = editor.document.getText().indexOf('target: { min: 23% }');
    assert.ok(at > 0);
    await editor.edit((e) => e.replace(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + 'target: { min: 23% }'.length)), 'target: { min: 99% }'));
    const share = await until('organic_share to miss its new target', () => {
      const k = a.previews.current()?.result?.kpis.find((x) => x.id === 'organic_share');
      return k?.latest.target?.min === 0.99 ? k : undefined;
    });
    // 23.x% is far below the new 99% target but above the unchanged warn band (min 21%).
    assert.equal(share.latest.status, 'at_risk');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('recomputes while typing, keystroke by keystroke (auto-closed brackets included)', async () => {
    const a = await api();
    const editor = await openSpec(workspaceFile('webshop.kpi.yaml'));
    await vscode.commands.executeCommand('kpispec.openPreviewToSide');
    await until('results', () => a.previews.current()?.result);
    const old = 'target: { min: 23% }';
    const at = editor.document.getText().indexOf(old);
    editor.selection = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + old.length));
    for (const ch of 'target: { min: 98% }') {
      await vscode.commands.executeCommand('type', { text: ch });
      await new Promise((r) => setTimeout(r, 20)); // a typist's pace: keystrokes, not one paste
    }
    assert.ok(editor.document.getText().includes('target: { min: 98% }'), editor.document.lineAt(editor.selection.active.line).text);
    const t = Date.now();
    await until('organic_share to show the typed target', () => a.previews.current()?.result?.kpis.find((x) => x.id === 'organic_share')?.latest.target?.min === 0.98);
    console.log(`      preview results followed the typing ${Date.now() - t} ms after the last keystroke`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
