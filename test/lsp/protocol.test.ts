import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  CompletionRequest, DefinitionRequest, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, HoverRequest, RenameRequest,
  type CompletionList, type Hover, type Location, type PublishDiagnosticsParams, type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { EvaluateRequest } from '../../server/src/protocol';
import type { EvalResult } from '../../server/src/engine/results';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { LineIndex } from '../../server/src/language/lineIndex';
import { Workspace } from '../../server/src/language/workspace';
import { MemoryHost, WEB_CSV } from '../helpers/memoryHost';
import { REPO, runCli, tempWorkspace } from '../helpers/runCli';
import { generated } from '../language/generatedSpec';
import { TestClient } from './client';

const CSV = 'date,channel,sessions,bounces\n2026-01-05,email,100,30\n2026-02-05,email,120,30\n2026-02-06,organic,80,40\n';
const LIB = 'kpispec: 1\nsources:\n  web: { file: web.csv, time: date, dimensions: [channel] }\nmetrics:\n  sessions: { source: web, agg: sum, column: sessions }\n  bounces: { source: web, agg: sum, column: bounces }\n';
const MAIN = 'kpispec: 1\nimports: [lib.kpi.yaml]\nkpis:\n  bounce_rate: { formula: bounces / sesions, format: percent, direction: down, target: 40% }\n';

/** Position of the n-th occurrence of `needle` (plus `delta` characters) in text, 0-based. */
function pos(text: string, needle: string, delta = 0, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} in text`);
  const before = text.slice(0, at + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

describe('language server over stdio (protocol)', function () {
  this.timeout(60_000);
  let client: TestClient;
  let dir: string;
  let mainUri: string;

  before(async () => {
    dir = tempWorkspace({ 'web.csv': CSV, 'lib.kpi.yaml': LIB, 'main.kpi.yaml': MAIN });
    mainUri = `file://${dir}/main.kpi.yaml`;
    client = new TestClient();
  });
  after(async () => client.stop());

  it('initializes with the features it serves', async () => {
    const { capabilities } = await client.initialize(dir);
    for (const c of ['completionProvider', 'hoverProvider', 'definitionProvider', 'referencesProvider', 'renameProvider', 'documentSymbolProvider', 'codeActionProvider', 'codeLensProvider', 'semanticTokensProvider', 'signatureHelpProvider', 'documentLinkProvider', 'workspaceSymbolProvider'] as const) {
      assert.ok(capabilities[c], c);
    }
  });

  it('publishes diagnostics after didOpen, then after didChange', async () => {
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: mainUri, languageId: 'kpispec', version: 1, text: MAIN } });
    const first = await client.diagnosticsFor(mainUri, (p) => p.version === 1);
    assert.deepEqual(first.diagnostics.map((d) => [d.code, d.range.start, d.message]), [
      ['unknown-reference', pos(MAIN, 'sesions'), 'unknown metric or KPI `sesions` (did you mean `sessions`?)'],
    ]);
    const fixed = MAIN.replace('sesions', 'sessions');
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: mainUri, version: 2 }, contentChanges: [{ text: fixed }] });
    const second = await client.diagnosticsFor(mainUri, (p) => p.version === 2);
    assert.deepEqual(second.diagnostics, []);
  });

  it('completes metric ids inside a formula', async () => {
    const text = MAIN.replace('sesions', 'sessions');
    const list = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: mainUri }, position: pos(text, 'bounces /', 1) })) as CompletionList;
    const labels = list.items.map((i) => i.label);
    assert.ok(labels.includes('bounces') && labels.includes('sessions'), labels.join(', '));
  });

  it('ranks completions by fit to what is typed: prefix, then a word of the id, then letters in order', async () => {
    const text = 'kpispec: 1\nsources:\n  web: { file: web.csv, time: date }\nmetrics:\n  paid_revenue: { source: web, agg: sum, column: sessions }\n  orders: { source: web, agg: sum, column: sessions }\n  revenue: { source: web, agg: sum, column: sessions }\n  r_e_v: { source: web, agg: sum, column: sessions }\nkpis:\n  k: { formula: rev }\n';
    const uri = `file://${dir}/ranked.kpi.yaml`;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'kpispec', version: 1, text } });
    const list = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: pos(text, 'rev }', 3) })) as CompletionList;
    const ids = list.items.filter((i) => ['paid_revenue', 'orders', 'revenue', 'r_e_v'].includes(i.label)).sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((i) => i.label);
    assert.deepEqual(ids, ['revenue', 'paid_revenue', 'r_e_v', 'orders']);
  });

  it('hovers a KPI with its latest value from the sample data', async () => {
    const text = MAIN.replace('sesions', 'sessions');
    const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: mainUri }, position: pos(text, 'bounce_rate', 3) })) as Hover;
    const markdown = typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : JSON.stringify(h.contents);
    const value = markdown.replace(/\\(.)/g, '$1'); // as rendered: Markdown escapes removed
    assert.match(value, /bounces \/ sessions/);
    assert.match(value, /35\.00%/, `February: (30 + 40) / (120 + 80); hover: ${value}`);
  });

  it('goes to the definition of a metric in the imported file', async () => {
    const text = MAIN.replace('sesions', 'sessions');
    const locs = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: mainUri }, position: pos(text, 'sessions', 2) })) as Location[];
    assert.equal(locs.length, 1);
    assert.equal(locs[0]!.uri, `file://${dir}/lib.kpi.yaml`);
    assert.deepEqual(locs[0]!.range.start, pos(LIB, 'sessions:'));
  });

  it('renames a metric across files', async () => {
    const text = MAIN.replace('sesions', 'sessions');
    const edit = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: mainUri }, position: pos(text, 'sessions', 1), newName: 'visits' })) as WorkspaceEdit;
    const files = Object.keys(edit.changes ?? {}).sort();
    assert.deepEqual(files, [`file://${dir}/lib.kpi.yaml`, mainUri].sort());
    assert.ok(edit.changes![mainUri]!.every((e) => e.newText === 'visits'));
  });

  it('answers the custom evaluate request with the results model', async () => {
    const result = (await client.connection.sendRequest(EvaluateRequest, { uri: mainUri, grain: 'month' })) as EvalResult;
    assert.equal(result.version, 1);
    const k = result.kpis.find((x) => x.id === 'bounce_rate')!;
    assert.deepEqual(k.series.map((p) => p.value), [0.3, 70 / 200]);
    assert.equal(k.latest.status, 'met');
  });

  it('sends the best matches of what is typed when thousands of ids would complete', async () => {
    const metrics = Array.from({ length: 800 }, (_, i) => `  m_${i}: { source: web, agg: sum, column: sessions }`).join('\n');
    const text = `kpispec: 1\nsources:\n  web: { file: web.csv, time: date }\nmetrics:\n${metrics}\nkpis:\n  k: { formula: m_12 }\n`;
    const uri = `file://${dir}/many.kpi.yaml`;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'kpispec', version: 1, text } });
    const list = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: pos(text, 'm_12 }', 4) })) as CompletionList;
    assert.equal(list.isIncomplete, true);
    assert.ok(list.items.length <= 500 && list.items.length >= 11, `${list.items.length} items`);
    assert.equal(list.items[0]!.label, 'm_12');
    assert.ok(list.items.every((i) => i.label.includes('m_12') || /m.*_.*1.*2/.test(i.label)));
  });

  it('survives a burst of malformed requests and keeps serving', async () => {
    const bad: Promise<unknown>[] = [];
    const far = { line: 10_000, character: 10_000 };
    for (let i = 0; i < 20; i++) {
      bad.push(client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: mainUri }, position: far }).catch((e) => e));
      bad.push(client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: 'file:///nowhere/x.kpi.yaml' }, position: { line: 0, character: 0 } }).catch((e) => e));
      bad.push(client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: 'untitled:notes.txt' }, position: { line: -1, character: -5 } }).catch((e) => e));
      bad.push(client.connection.sendRequest(EvaluateRequest, { uri: 'file:///etc/passwd' }).catch((e) => e));
      bad.push(client.connection.sendRequest('textDocument/hover', { nonsense: true }).catch((e) => e));
      bad.push(client.connection.sendRequest('kpispec/unknownMethod', {}).catch((e) => e));
    }
    await Promise.all(bad);
    assert.ok(client.alive, 'the server is still running');
    const list = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: mainUri }, position: pos(MAIN, 'bounces /', 1) })) as CompletionList;
    assert.ok(list.items.length > 0, 'and still answers');
  });
});

describe('language server and kpispec check agree', function () {
  this.timeout(120_000);

  for (const folder of ['test/fixtures', 'samples']) {
    it(`publishes the same problems as \`kpispec check\` for every spec under ${folder}`, async () => {
      const root = path.join(REPO, folder);
      const cli = JSON.parse(runCli(['check', '--format', 'json'], root).stdout);
      assert.ok(cli.files.length > 0);
      const client = new TestClient();
      try {
        await client.initialize(root);
        for (const f of cli.files as { file: string; problems: { rule: string; line: number; column: number; message: string }[] }[]) {
          const published = await client.diagnosticsFor(`file://${path.resolve(root, f.file)}`);
          const got = published.diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).sort();
          const want = f.problems.map((p) => `${p.rule}@${p.line}:${p.column} ${p.message}`).sort();
          assert.deepEqual(got, want, f.file);
        }
      } finally {
        await client.stop();
      }
    });
  }
});

describe('language server while typing in a large spec', function () {
  this.timeout(120_000);

  it('publishes after every edit what a fresh check of the same text finds', async () => {
    const text0 = generated(400);
    const dir = tempWorkspace({ 'web.csv': WEB_CSV, 'big.kpi.yaml': text0 });
    const file = path.join(dir, 'big.kpi.yaml');
    const uri = `file://${file}`;
    /** A fresh workspace's check of the text, as the server would publish it. */
    const expected = (text: string) => {
      const host = new MemoryHost({});
      host.files.set(file, text);
      host.files.set(path.join(dir, 'web.csv'), WEB_CSV);
      const [check] = checkFiles(new Workspace(host, dir), [file]);
      const lines = new LineIndex(text);
      const range = (s: { offset: number; length: number }) => ({ start: lines.positionAt(s.offset), end: lines.positionAt(s.offset + s.length) });
      return check!.problems.map((p) => ({ code: p.rule, range: range(p.span), message: p.message, related: p.related?.map((r) => range(r.span)) ?? [] }));
    };
    const got = (d: PublishDiagnosticsParams) => d.diagnostics.map((x) => ({ code: x.code, range: x.range, message: x.message, related: x.relatedInformation?.map((r) => r.location.range) ?? [] }));
    const client = new TestClient();
    try {
      await client.initialize(dir);
      let version = 1;
      let text = text0;
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'kpispec', version, text } });
      assert.deepEqual(got(await client.diagnosticsFor(uri, (p) => p.version === version, 60_000)), expected(text));
      // Each edit as an editor sends it: a range of the current text and what replaces it.
      const edits: [string, number, number, string][] = [
        ['title: KPI 200 ', 14, 0, 'x'], // typing in a title
        ['formula: (m_a_20 ', 17, 0, '+ 1 '], // in a formula
        ['formula: (m_a_20 ', 10, 6, 'm_a_22'], // a metric of another unit
        ['min: 15%', 5, 3, '150'], // a percent target written as a number
        ['title: KPI 200x', 15, 0, ' {'], // broken YAML
        ['title: KPI 200x {', 15, 2, ''], // mended
        ['  kpi_a_30:', 2, 8, 'kpi_b_30'], // a renamed id
        ['  m_a_5: {', 2, 5, 'm_a_55'], // a metric renamed onto another's id
      ];
      for (const [needle, delta, remove, insert] of edits) {
        const at = text.indexOf(needle);
        assert.ok(at >= 0, needle);
        const start = pos(text, needle, delta);
        const end = pos(text, needle, delta + remove);
        text = text.slice(0, at + delta) + insert + text.slice(at + delta + remove);
        version++;
        await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range: { start, end }, text: insert }] });
        const published = await client.diagnosticsFor(uri, (p) => p.version === version, 60_000);
        assert.deepEqual(got(published), expected(text), `after ${JSON.stringify([needle, insert])}`);
      }
    } finally {
      await client.stop();
    }
  });
});

describe('language server over Node IPC', function () {
  this.timeout(60_000);

  it('serves diagnostics to a client connected through IPC (as the VS Code client starts it)', async () => {
    const { fork } = await import('node:child_process');
    const { createProtocolConnection, IPCMessageReader, IPCMessageWriter } = await import('vscode-languageserver-protocol/node');
    const { InitializeRequest, InitializedNotification, PublishDiagnosticsNotification } = await import('vscode-languageserver-protocol');
    const dir = tempWorkspace({ 'a.kpi.yaml': 'kpispec: 1\nkpis:\n  k: { formula: nope }\n' });
    const child = fork(path.join(REPO, 'dist/server.js'), ['--node-ipc'], { silent: true });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    try {
      const published = new Promise<{ uri: string; diagnostics: { code?: string | number }[] }>((resolve) => {
        connection.onNotification(PublishDiagnosticsNotification.type, (p) => { if (p.uri.endsWith('a.kpi.yaml')) resolve(p); });
      });
      connection.listen();
      await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: `file://${dir}`, capabilities: {}, workspaceFolders: null });
      await connection.sendNotification(InitializedNotification.type, {});
      const p = await published;
      assert.deepEqual(p.diagnostics.map((d) => d.code), ['unknown-reference']);
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
