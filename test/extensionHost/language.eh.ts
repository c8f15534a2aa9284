import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { after, openSpec, until, workspaceFile } from './util';

/** A spec with a misspelt metric, written to the workspace. */
async function brokenSpec(): Promise<vscode.Uri> {
  const uri = workspaceFile('broken.kpi.yaml');
  const text = 'kpispec: 1\nimports: [webshop.kpi.yaml]\nkpis:\n  broken_rate:\n    formula: orders / sesions\n    format: percent\n';
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

const misspelt = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).some((d) => d.message.includes('sesions'));

describe('language features through the client', () => {
  it('publishes the checker’s problems for a broken spec, at the right place', async () => {
    const uri = await brokenSpec();
    const editor = await openSpec(uri);
    const diagnostics = await until('diagnostics of broken.kpi.yaml', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length ? d : undefined;
    });
    const unknown = diagnostics.find((d) => d.message.includes('sesions'));
    assert.ok(unknown, diagnostics.map((d) => d.message).join('\n'));
    assert.equal(unknown.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(unknown.source, 'kpispec');
    assert.deepEqual(unknown.range.start, after(editor.document, 'orders / '));
    assert.match(unknown.message, /did you mean `sessions`/);
  });

  it('updates the problems while typing (no save)', async () => {
    const uri = await brokenSpec();
    const editor = await openSpec(uri);
    await until('the problem with `sesions`', () => misspelt(uri));
    const at = editor.document.getText().indexOf('sesions');
    await editor.edit((e) => e.replace(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + 'sesions'.length)), 'sessions'));
    await until('the problem with `sesions` to go away', () => !misspelt(uri));
  });

  it('completes metric ids inside a formula', async () => {
    const editor = await openSpec(workspaceFile('webshop.kpi.yaml'));
    const position = after(editor.document, 'formula: orders / ');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const id of ['sessions', 'orders', 'ad_spend']) assert.ok(labels.includes(id), `${id} offered among ${labels.slice(0, 20).join(', ')}…`);
  });

  it('completes what is typed right after an edit, from the server (not word guesses)', async () => {
    const editor = await openSpec(workspaceFile('webshop.kpi.yaml'));
    const end = after(editor.document, 'formula: orders / sessions');
    await editor.edit((e) => e.insert(end, ' + ad_'));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, end.translate(0, 6));
    const spend = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'ad_spend');
    assert.ok(spend, 'ad_spend offered');
    assert.equal(spend.kind, vscode.CompletionItemKind.Variable);
    assert.deepEqual((spend.range as vscode.Range).start, end.translate(0, 3), 'replaces the typed `ad_`');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('hovers a KPI with its latest value and status', async () => {
    const editor = await openSpec(workspaceFile('webshop.kpi.yaml'));
    const position = after(editor.document, '\n  conversion_rate', -3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /转化率/);
    assert.match(text, /\d+\.\d\d%/, text);
    assert.match(text, /met|missed|at risk/, text);
  });

  it('goes from a metric in a formula to its definition', async () => {
    const editor = await openSpec(workspaceFile('webshop.kpi.yaml'));
    const position = after(editor.document, 'formula: orders / ', 2);
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', editor.document.uri, position);
    assert.equal(locations.length, 1);
    const target = 'targetUri' in locations[0]! ? locations[0].targetUri : locations[0]!.uri;
    const doc = await vscode.workspace.openTextDocument(target);
    const range = 'targetRange' in locations[0]! ? locations[0].targetRange : locations[0]!.range;
    assert.match(doc.lineAt(range.start.line).text, /^\s*sessions\s*:/);
  });
});
