import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, ErrorCodes, type ResponseError } from 'vscode-languageserver-protocol';
import { LineageRequest, type LineageGraph } from '../../server/src/protocol';
import { REPO, runCli } from '../helpers/runCli';
import { TestClient } from './client';

const ROOT = path.join(REPO, 'samples');
const SPEC = path.join(ROOT, 'webshop.kpi.yaml');
const SOURCES = path.join(ROOT, 'sources.kpi.yaml');
const uriOf = (file: string) => `file://${file}`;

interface CliLineage {
  nodes: { key: string; kind: string; id: string; title?: string; file: string; line: number; column: number }[];
  edges: { from: string; to: string; how: string }[];
}

/** `kpispec lineage --format json` on a spec, run in the samples folder. */
function cliLineage(spec: string): CliLineage {
  const r = runCli(['lineage', spec, '--format', 'json'], ROOT);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as CliLineage;
}

/** The preview's Lineage view asks the server for a spec's lineage: `kpispec/lineage` over stdio. */
describe('kpispec/lineage over stdio (the samples)', function () {
  this.timeout(120_000);
  let client: TestClient;
  const texts = new Map<string, string>();
  const versions = new Map<string, number>();
  const lineage = (file: string) => client.connection.sendRequest(LineageRequest, { uri: uriOf(file) }) as Promise<LineageGraph | null>;
  const open = (file: string) => {
    texts.set(file, fs.readFileSync(file, 'utf8'));
    versions.set(file, 1);
    return client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(file), languageId: 'kpispec', version: 1, text: texts.get(file)! } });
  };
  /** Replaces the whole text of an open document (unsaved, as the editor holds it). */
  const edit = (file: string, text: string) => {
    texts.set(file, text);
    versions.set(file, versions.get(file)! + 1);
    return client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uriOf(file), version: versions.get(file)! }, contentChanges: [{ text }] });
  };

  before(async () => {
    client = new TestClient();
    await client.initialize(ROOT);
    await open(SPEC);
  });
  after(async () => client.stop());

  it('answers the same nodes and edges as `kpispec lineage --format json`, in the same order', async () => {
    const got = (await lineage(SPEC))!;
    const cli = cliLineage('webshop.kpi.yaml');
    assert.ok(got.nodes.length > 100 && got.edges.length > 150, `${got.nodes.length} nodes, ${got.edges.length} edges`);
    assert.deepEqual(got.edges, cli.edges);
    assert.deepEqual(
      got.nodes.map((n) => ({ key: n.key, kind: n.kind, id: n.id, ...(n.title ? { title: n.title } : {}), file: path.relative(ROOT, n.file), line: n.line, column: n.column })),
      cli.nodes,
    );
    // A source and a metric may share an id: their keys differ.
    assert.ok(got.nodes.some((n) => n.key === 'source:sessions') && got.nodes.some((n) => n.key === 'metric:sessions'));
  });

  it('places every node where its id is written: the offset, line and column agree with the file', async () => {
    const got = (await lineage(SPEC))!;
    const files = new Set(got.nodes.map((n) => n.file));
    assert.deepEqual([...files].sort(), [SOURCES, SPEC], 'the spec and the file it imports');
    for (const n of got.nodes) {
      const text = fs.readFileSync(n.file, 'utf8');
      assert.equal(text.slice(n.offset, n.offset + n.id.length), n.id, `${n.key} at its offset`);
      const line = text.split('\n')[n.line - 1]!;
      assert.equal(line.slice(n.column - 1, n.column - 1 + n.id.length), n.id, `${n.key} at its line and column`);
    }
  });

  it('follows unsaved edits of the spec and of the files it imports', async () => {
    const original = texts.get(SPEC)!;
    // A new KPI: a node and an edge from each metric its formula names.
    const added = original.replace('\nkpis:\n', '\nkpis:\n  lineage_probe: { formula: orders / pageviews }\n');
    assert.notEqual(added, original);
    await edit(SPEC, added);
    let got = (await lineage(SPEC))!;
    const probe = got.nodes.find((n) => n.key === 'kpi:lineage_probe');
    assert.ok(probe, 'the new KPI');
    assert.equal(added.slice(probe.offset, probe.offset + 'lineage_probe'.length), 'lineage_probe');
    assert.deepEqual(got.edges.filter((e) => e.to === 'kpi:lineage_probe'), [
      { from: 'metric:orders', to: 'kpi:lineage_probe', how: 'names' },
      { from: 'metric:pageviews', to: 'kpi:lineage_probe', how: 'names' },
    ]);
    await edit(SPEC, original);
    got = (await lineage(SPEC))!;
    assert.equal(got.nodes.some((n) => n.key === 'kpi:lineage_probe'), false, 'gone with the edit undone');
    assert.deepEqual(got.edges, cliLineage('webshop.kpi.yaml').edges);

    // An edit in the imported file (open, unsaved): a source's title and a relation change.
    await open(SOURCES);
    const sources = texts.get(SOURCES)!;
    const retitled = sources.replace('title: 广告投放 (ad spend per campaign and day)', 'title: Ads, retitled');
    assert.notEqual(retitled, sources);
    await edit(SOURCES, retitled);
    got = (await lineage(SPEC))!;
    assert.equal(got.nodes.find((n) => n.key === 'source:ads')?.title, 'Ads, retitled');
    await edit(SOURCES, sources);
    got = (await lineage(SPEC))!;
    assert.equal(got.nodes.find((n) => n.key === 'source:ads')?.title, '广告投放 (ad spend per campaign and day)');
  });

  it('answers the lineage of an imported file on its own (its scope only)', async () => {
    const got = (await lineage(SOURCES))!;
    assert.deepEqual(got.edges, cliLineage('sources.kpi.yaml').edges);
    assert.ok(got.nodes.every((n) => n.kind === 'source'), 'sources.kpi.yaml defines sources only');
  });

  it('answers null for a document that is not a spec, and refuses params without a uri', async () => {
    assert.equal(await lineage(path.join(ROOT, 'README.md')), null);
    assert.equal(await lineage(path.join(ROOT, 'missing.kpi.yaml')), null);
    const refused = await client.connection.sendRequest(LineageRequest, { uri: 42 } as unknown as { uri: string }).then(
      () => assert.fail('accepted a number as uri'),
      (e: ResponseError<unknown>) => e,
    );
    assert.equal(refused.code, ErrorCodes.InvalidParams);
    assert.equal(refused.message, 'uri must be a string');
  });
});
