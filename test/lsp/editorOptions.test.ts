import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { CodeLensRequest, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol';
import { EvaluateRequest, type EvaluateResult } from '../../server/src/protocol';
import { REPO } from '../helpers/runCli';
import { TestClient } from './client';

/** The options the VS Code client passes at initialize: Restricted Mode and the data and spec size limits. */
describe('language server: the editor’s initialization options', function () {
  this.timeout(30_000);
  const broken = path.join(REPO, 'test/fixtures/broken');
  const samples = path.join(REPO, 'samples');
  let client: TestClient | undefined;

  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  async function open(root: string, file: string, options: Record<string, unknown>): Promise<string> {
    client = new TestClient();
    await client.initialize(root, options);
    const uri = `file://${path.join(root, file)}`;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'kpispec', version: 1, text: readFileSync(path.join(root, file), 'utf8') },
    });
    return uri;
  }

  it('with readData: false (an untrusted workspace) checks the spec but never reads its data', async () => {
    const uri = await open(broken, 'unknown-column.kpi.yaml', { readData: false });
    const published = await client!.diagnosticsFor(uri);
    const columns = published.diagnostics.filter((d) => d.code === 'unknown-column').map((d) => (typeof d.message === 'string' ? d.message : d.message.value));
    // Inline rows are spec text and still checked; columns of data files cannot be.
    assert.ok(columns.length > 0 && columns.every((m) => m.includes('the rows of source')), columns.join('\n'));
    await assert.rejects(client!.connection.sendRequest(EvaluateRequest, { uri }), /not read in an untrusted workspace/);
  });

  it('reads the data as usual without options', async () => {
    const uri = await open(broken, 'unknown-column.kpi.yaml', {});
    const published = await client!.diagnosticsFor(uri, (p) => p.diagnostics.some((d) => d.code === 'unknown-column'));
    const marked = readFileSync(path.join(broken, 'unknown-column.kpi.yaml'), 'utf8').match(/\^+ unknown-column/g)!.length;
    assert.equal(published.diagnostics.filter((d) => d.code === 'unknown-column').length, marked);
  });

  it('does not read data files over the size limit and says which setting sets it', async () => {
    const uri = await open(samples, 'webshop.kpi.yaml', { maxDataFileSizeMb: 0.5 });
    const result = (await client!.connection.sendRequest(EvaluateRequest, { uri })) as EvaluateResult | null;
    const web = result!.sources.find((s) => s.id === 'web')!;
    assert.equal(web.rows, 0);
    assert.match(web.problems[0]!.message, /over the editor's 512 KB limit .*kpispec\.data\.maxFileSizeMB/);
    const email = result!.sources.find((s) => s.id === 'email')!;
    assert.ok(email.rows > 0, 'a small file is still read');
  });

  it('refuses specs over the spec size limit, open or on disk, and says which setting sets it', async () => {
    // webshop.kpi.yaml (28 KB) is open; sources.kpi.yaml (5 KB), which it imports, is read from disk.
    const uri = await open(samples, 'webshop.kpi.yaml', { maxSpecFileSizeMb: 0.004 });
    // The open document's own diagnostics (version 1), not the workspace scan's of the file on disk that may come first.
    const web = await client!.diagnosticsFor(uri, (p) => p.version === 1);
    assert.deepEqual(web.diagnostics.map((d) => d.code), ['file-too-large']);
    assert.match(messageOf(web.diagnostics[0]!), /^the document is 28\.\d KB, over the editor's 4\.1 KB limit for specs; .*raise the setting kpispec\.spec\.maxFileSizeMB$/);
    const sources = await client!.diagnosticsFor(`file://${path.join(samples, 'sources.kpi.yaml')}`);
    assert.deepEqual(sources.diagnostics.map((d) => d.code), ['file-too-large']);
    assert.match(messageOf(sources.diagnostics[0]!), /^the file is 5\.\d KB, over the editor's 4\.1 KB limit for specs; .*kpispec\.spec\.maxFileSizeMB$/);
  });

  it('checks specs up to a raised spec size limit', async () => {
    const uri = await open(samples, 'webshop.kpi.yaml', { maxSpecFileSizeMb: 0.05 });
    const web = await client!.diagnosticsFor(uri);
    assert.ok(!web.diagnostics.some((d) => d.code === 'file-too-large'), JSON.stringify(web.diagnostics));
    const result = (await client!.connection.sendRequest(EvaluateRequest, { uri })) as EvaluateResult | null;
    assert.ok(result && result.kpis.length > 0, 'the evaluation worker reads it too');
  });

  it('shows values in the editor’s locale (kpispec.locale) in results and code lenses, though the spec sets none', async () => {
    const uri = await open(samples, 'webshop.kpi.yaml', { locale: 'zh-CN' });
    const result = (await client!.connection.sendRequest(EvaluateRequest, { uri })) as EvaluateResult | null;
    assert.equal(result?.locale, 'zh-CN');
    const revenue = result!.kpis.find((k) => k.id === 'total_revenue')!.latest.value!;
    const lenses = (await client!.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
    const titles = lenses.map((l) => l.command?.title ?? '');
    // The sample's monthly revenue in 万 with two decimals, worked out here: e.g. 136,906.22 → ¥13.69万.
    const wan = `¥${(revenue / 1e4).toFixed(2)}万`;
    assert.ok(titles.some((t) => t.startsWith(wan)), `${wan} in ${titles.join(' | ')}`);
  });
});

function messageOf(d: { message: string | { value: string } }): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}
