import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DefinitionRequest, DidChangeTextDocumentNotification, DidChangeWatchedFilesNotification, DidChangeWorkspaceFoldersNotification, DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification, FileChangeType, HoverRequest, WorkspaceSymbolRequest,
  type Location, type PublishDiagnosticsParams, type SymbolInformation,
} from 'vscode-languageserver-protocol';
import { tempWorkspace } from '../helpers/runCli';
import { TestClient } from './client';

const CSV = 'date,channel,sessions,bounces\n2026-01-05,email,100,30\n2026-02-05,email,120,30\n2026-02-06,organic,80,40\n';
const LIB = 'kpispec: 1\nsources:\n  web: { file: web.csv, time: date, dimensions: [channel] }\nmetrics:\n  sessions: { source: web, agg: sum, column: sessions }\n  bounces: { source: web, agg: sum, column: bounces }\n';
const MAIN = 'kpispec: 1\nimports: [lib.kpi.yaml]\nkpis:\n  bounce_rate: { formula: bounces / sessions, format: percent, direction: down, target: 40% }\n';

function pos(text: string, needle: string, delta = 0) {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} in text`);
  const before = text.slice(0, at + delta).split(/\r\n|\r|\n/);
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

const rules = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code));
const QUICK = 3_000;

async function roundTrip(client: TestClient, uri: string): Promise<void> {
  // Any request: notifications the server sent before answering it have arrived by then.
  await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } });
}

function latest(client: TestClient, uri: string): PublishDiagnosticsParams | undefined {
  const list = (client as unknown as { diagnostics: Map<string, PublishDiagnosticsParams[]> }).diagnostics.get(uri) ?? [];
  return list[list.length - 1];
}

describe('language server: document lifecycle, file changes and folders', function () {
  this.timeout(60_000);
  let client: TestClient;
  afterEach(async () => client?.stop());

  async function start(files: Record<string, string>): Promise<{ dir: string; uri: (name: string) => string }> {
    const dir = tempWorkspace(files);
    client = new TestClient();
    await client.initialize(dir);
    const uri = (name: string) => `file://${dir}/${name}`;
    for (const name of Object.keys(files).filter((n) => n.endsWith('.kpi.yaml'))) await client.diagnosticsFor(uri(name));
    return { dir, uri };
  }

  it('republishes the importers of a document closed with unsaved edits (disk text wins again)', async () => {
    const { uri } = await start({ 'web.csv': CSV, 'lib.kpi.yaml': LIB, 'main.kpi.yaml': MAIN });
    assert.deepEqual(rules(await client.diagnosticsFor(uri('main.kpi.yaml'))), []);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri('lib.kpi.yaml'), languageId: 'kpispec', version: 1, text: LIB } });
    const edited = LIB.replace('  sessions: { source: web, agg: sum, column: sessions }\n', '');
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri('lib.kpi.yaml'), version: 2 }, contentChanges: [{ text: edited }] });
    await client.diagnosticsFor(uri('main.kpi.yaml'), (p) => rules(p).includes('unknown-reference'));
    client.clearDiagnostics();
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uri('lib.kpi.yaml') } });
    const after = await client.diagnosticsFor(uri('main.kpi.yaml'), () => true, QUICK);
    assert.deepEqual(rules(after), []);
  });

  it('publishes no diagnostics for a non-spec document when it is closed', async () => {
    const { dir, uri } = await start({ 'web.csv': CSV, 'lib.kpi.yaml': LIB, 'main.kpi.yaml': MAIN, 'compose.yaml': 'services:\n  web:\n    image: nginx\n' });
    for (const name of ['web.csv', 'compose.yaml']) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(name), languageId: 'plaintext', version: 1, text } });
      await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uri(name) } });
    }
    await roundTrip(client, uri('main.kpi.yaml'));
    assert.equal(latest(client, uri('web.csv')), undefined, `diagnostics for web.csv: ${JSON.stringify(latest(client, uri('web.csv')))}`);
    assert.equal(latest(client, uri('compose.yaml')), undefined, `diagnostics for compose.yaml: ${JSON.stringify(latest(client, uri('compose.yaml')))}`);
  });

  it('republishes an imported file whose metrics an edit stopped using (import removed)', async () => {
    const { uri } = await start({ 'web.csv': CSV, 'lib.kpi.yaml': LIB, 'main.kpi.yaml': MAIN });
    assert.deepEqual(rules(await client.diagnosticsFor(uri('lib.kpi.yaml'))), []);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri('main.kpi.yaml'), languageId: 'kpispec', version: 1, text: MAIN } });
    await client.diagnosticsFor(uri('main.kpi.yaml'), (p) => p.version === 1);
    const edited = MAIN.replace('imports: [lib.kpi.yaml]\n', '');
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri('main.kpi.yaml'), version: 2 }, contentChanges: [{ text: edited }] });
    await client.diagnosticsFor(uri('main.kpi.yaml'), (p) => p.version === 2);
    const lib = await client.diagnosticsFor(uri('lib.kpi.yaml'), (p) => rules(p).includes('unused-metric'), QUICK);
    assert.deepEqual(rules(lib), ['unused-metric', 'unused-metric']);
  });

  it('republishes the files a spec changed on disk imports (their unused metrics)', async () => {
    const only = MAIN.replace('bounces / sessions', 'sessions');
    const { dir, uri } = await start({ 'web.csv': CSV, 'lib.kpi.yaml': LIB, 'main.kpi.yaml': only });
    assert.deepEqual(rules(await client.diagnosticsFor(uri('lib.kpi.yaml'))), ['unused-metric']);
    fs.writeFileSync(path.join(dir, 'main.kpi.yaml'), MAIN);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('main.kpi.yaml'), type: FileChangeType.Changed }] });
    const lib = await client.diagnosticsFor(uri('lib.kpi.yaml'), (p) => p.diagnostics.length === 0, QUICK);
    assert.deepEqual(rules(lib), []);
  });

  it('keeps the diagnostics of an open document whose file is deleted on disk', async () => {
    const bad = MAIN.replace('sessions', 'sesions');
    const { dir, uri } = await start({ 'web.csv': CSV, 'lib.kpi.yaml': LIB, 'main.kpi.yaml': bad });
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri('main.kpi.yaml'), languageId: 'kpispec', version: 1, text: bad } });
    await client.diagnosticsFor(uri('main.kpi.yaml'), (p) => p.version === 1 && rules(p).includes('unknown-reference'));
    fs.unlinkSync(path.join(dir, 'main.kpi.yaml'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('main.kpi.yaml'), type: FileChangeType.Deleted }] });
    await roundTrip(client, uri('main.kpi.yaml'));
    assert.deepEqual(rules(latest(client, uri('main.kpi.yaml'))!), ['unknown-reference'], 'the editor still shows the text with the misspelt id');
    const symbols = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'bounce_rate' })) as SymbolInformation[];
    assert.deepEqual(symbols.map((s) => s.name), ['bounce_rate'], 'the open document is still part of the workspace');
  });

  it('goes to a CSV column where it is now, after the data file changed on disk', async () => {
    const { dir, uri } = await start({ 'web.csv': 'bounces,date,sessions\n30,2026-01-05,100\n', 'lib.kpi.yaml': LIB, 'main.kpi.yaml': MAIN });
    const at = pos(LIB, 'column: bounces', 9);
    const first = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: uri('lib.kpi.yaml') }, position: at })) as Location[];
    assert.deepEqual(first.map((l) => [l.uri, l.range.start]), [[uri('web.csv'), { line: 0, character: 0 }]]);
    fs.writeFileSync(path.join(dir, 'web.csv'), CSV);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('web.csv'), type: FileChangeType.Changed }] });
    const second = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: uri('lib.kpi.yaml') }, position: at })) as Location[];
    assert.deepEqual(second.map((l) => [l.uri, l.range]), [[uri('web.csv'), { start: { line: 0, character: 22 }, end: { line: 0, character: 29 } }]]);
  });

  it('checks the specs of a workspace folder added after start', async () => {
    const { uri } = await start({ 'web.csv': CSV, 'lib.kpi.yaml': LIB, 'main.kpi.yaml': MAIN });
    void uri;
    const other = tempWorkspace({ 'web.csv': CSV, 'more.kpi.yaml': LIB.replace('sessions:', 'sesions:') + 'kpis:\n  later_kpi: { formula: sesions + bounces }\n' });
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [{ uri: `file://${other}`, name: 'other' }], removed: [] } });
    const symbols = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'later_kpi' })) as SymbolInformation[];
    assert.deepEqual(symbols.map((s) => s.name), ['later_kpi']);
  });
});
