import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, DidOpenTextDocumentNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { tempWorkspace } from '../helpers/runCli';
import { TestClient } from './client';

const A = 'kpispec: 1\nimports: [b.kpi.yaml]\nkpis:\n  cr: { formula: visits }\n';
const B = 'kpispec: 1\nimports: [c.kpi.yaml]\n';
const C = 'kpispec: 1\nsources:\n  web: { rows: [{ day: 2026-01-01, n: 1 }], time: day }\nmetrics:\n  visits: { source: web, agg: sum, column: n }\n';

/** The editor says when a file deep in the import chain goes missing, and stops saying it when it is back. */
describe('language server: a file missing deep in the import chain (over stdio)', function () {
  this.timeout(60_000);
  let client: TestClient;
  let dir: string;
  const uri = (f: string) => `file://${dir}/${f}`;
  const codes = (p: { diagnostics: { code?: unknown }[] }) => p.diagnostics.map((d) => d.code);

  before(async () => {
    dir = tempWorkspace({ 'a.kpi.yaml': A, 'b.kpi.yaml': B, 'c.kpi.yaml': C });
    client = new TestClient();
    await client.initialize(dir);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri('a.kpi.yaml'), languageId: 'kpispec', version: 1, text: A } });
    await client.diagnosticsFor(uri('a.kpi.yaml'), (p) => p.version === 1 && p.diagnostics.length === 0);
  });
  after(async () => client.stop());

  it('reports the open file’s import entry when a file two imports away is deleted, and clears it when the file is back', async () => {
    fs.rmSync(path.join(dir, 'c.kpi.yaml'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('c.kpi.yaml'), type: FileChangeType.Deleted }] });
    const broken = await client.diagnosticsFor(uri('a.kpi.yaml'), (p) => codes(p).includes('import-not-found'));
    assert.match(String(broken.diagnostics.find((d) => d.code === 'import-not-found')!.message), /^`b\.kpi\.yaml` is incomplete: b\.kpi\.yaml cannot import `c\.kpi\.yaml`/);
    fs.writeFileSync(path.join(dir, 'c.kpi.yaml'), C);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('c.kpi.yaml'), type: FileChangeType.Created }] });
    await client.diagnosticsFor(uri('a.kpi.yaml'), (p) => p.diagnostics.length === 0);
  });
});
