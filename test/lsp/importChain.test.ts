import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeLensRequest, DidChangeWatchedFilesNotification, DidOpenTextDocumentNotification, FileChangeType, HoverRequest, type Hover } from 'vscode-languageserver-protocol';
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

/** The fixture of test/cli/importChain.test.ts in the editor: each KPI without a value says why, in its hover and code lens. */
describe('language server: why KPIs over a broken import chain have no value (over stdio)', function () {
  this.timeout(60_000);
  let client: TestClient;
  let dir: string;
  const fixture = path.join(__dirname, '../fixtures/importChain');
  const text = fs.readFileSync(path.join(fixture, 'a.kpi.yaml'), 'utf8');
  const uri = () => `file://${dir}/a.kpi.yaml`;

  before(async () => {
    dir = tempWorkspace(Object.fromEntries(['a', 'b', 'c'].map((n) => [`${n}.kpi.yaml`, fs.readFileSync(path.join(fixture, `${n}.kpi.yaml`), 'utf8')])));
    client = new TestClient();
    await client.initialize(dir);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(), languageId: 'kpispec', version: 1, text } });
    await client.diagnosticsFor(uri(), (p) => p.version === 1 && p.diagnostics.some((d) => d.code === 'imported-problems'));
  });
  after(async () => client.stop());

  it('the hover on a KPI without a value gives the reason, with the failing import', async () => {
    const at = text.indexOf('conversion:');
    const line = text.slice(0, at).split('\n').length - 1;
    const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri() }, position: { line, character: 4 } })) as Hover;
    const value = typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value.replace(/\\(.)/g, '$1') : '';
    assert.match(value, /\*\*Not computed:\*\* `conversion` has no value: it reads the metric `orders` \(b\.kpi\.yaml:4:21\), whose source `web` no file in scope defines; a\.kpi\.yaml → b\.kpi\.yaml → c\.kpi\.yaml cannot import `sources\.kpi\.yaml`/, value);
  });

  it('the code lens says not computed, and why', async () => {
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uri() } })) ?? [];
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.equal(titles.length, 3);
    for (const t of titles) {
      assert.match(t, /^not computed: it reads the metric orders \(b\.kpi\.yaml:4:21\), whose source web no file in scope defines; [^…]*…$/, t);
      assert.ok(t.length <= 'not computed: '.length + 100, 'the hover has the rest');
    }
  });
});
