import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, EXTENSION_ID, openSpec, until, workspaceFile } from './util';

describe('the extension in the extension host', () => {
  const spec = () => workspaceFile('webshop.kpi.yaml');

  it('activates when a spec is opened, and only then', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.ok(ext, 'the extension is installed');
    assert.equal(ext.isActive, false, 'nothing activated it before a spec was opened');
    const editor = await openSpec(spec());
    assert.equal(editor.document.languageId, 'kpispec');
    await until('activation', () => ext.isActive);
    const a = await api();
    assert.ok(a.activationMs > 0 && a.activationMs < 5000, `activation took ${a.activationMs} ms`);
    console.log(`      activation: ${a.activationMs.toFixed(1)} ms (bundle load to end of activate)`);
  });

  it('registers every command it contributes', async () => {
    const declared = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(declared.length >= 7);
    for (const id of declared) assert.ok(registered.has(id), `${id} is registered`);
  });

  it('starts the language server over IPC and answers the evaluate request', async () => {
    const a = await api();
    assert.ok(await a.client(), 'the client started');
    const result = await a.evaluate({ uri: spec().toString() });
    assert.ok(result, 'a results model');
    assert.ok(result.kpis.length > 20, `${result.kpis.length} KPIs`);
    const roi = result.kpis.find((k) => k.id === 'ad_roi');
    assert.ok(roi && typeof roi.latest.value === 'number', 'ad_roi has a latest value');
    const monthly = await a.evaluate({ uri: spec().toString(), grain: 'quarter', last: 2 });
    assert.equal(monthly?.grain, 'quarter');
    assert.equal(monthly?.periods.length, 2);
  });

  it('shows the KPI and problem counts of the active spec in the status bar', async () => {
    await openSpec(spec());
    const a = await api();
    const text = await until('the status bar text', () => (a.status.text?.includes('KPIs') ? a.status.text : undefined));
    const kpis = Number(/(\d+) KPIs/.exec(text)?.[1]);
    const result = await a.evaluate({ uri: spec().toString() });
    assert.equal(kpis, result!.kpis.length, `status bar: ${text}`);
    assert.match(text, /\$\(check\)/, 'the sample spec has no problems');
  });

  it('exports the results as CSV and Markdown, as `kpispec eval` prints them', async () => {
    await openSpec(spec());
    const csv = workspaceFile('out', 'results.csv');
    const md = workspaceFile('out', 'results.md');
    await vscode.commands.executeCommand('kpispec.exportCsv', csv);
    await vscode.commands.executeCommand('kpispec.exportMarkdown', md);
    const csvText = new TextDecoder().decode(await vscode.workspace.fs.readFile(csv));
    const mdText = new TextDecoder().decode(await vscode.workspace.fs.readFile(md));
    assert.match(csvText.split('\n')[0]!, /kpi/);
    assert.ok(csvText.includes('conversion_rate'));
    assert.match(mdText, /\| *KPI *\|/i);
  });

  it('restarts the language server on command and keeps serving', async () => {
    const a = await api();
    const before = await a.client();
    await vscode.commands.executeCommand('kpispec.restartServer');
    const after = await a.client();
    assert.ok(after && after !== before, 'a new client');
    const result = await a.evaluate({ uri: spec().toString() });
    assert.ok(result && result.kpis.length > 20);
  });
});
