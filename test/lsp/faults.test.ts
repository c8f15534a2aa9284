import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  CompletionRequest, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, ErrorCodes, ExitNotification, HoverRequest, ShutdownRequest,
  type CompletionList, type Hover, type PublishDiagnosticsParams, type ResponseError,
} from 'vscode-languageserver-protocol';
import { tempWorkspace } from '../helpers/runCli';
import { TestClient } from './client';

const CSV = 'date,channel,sessions,bounces\n2026-01-05,email,100,30\n2026-02-05,email,120,30\n';
const GOOD = 'kpispec: 1\nsources:\n  web: { file: web.csv, time: date }\nmetrics:\n  sessions: { source: web, agg: sum, column: sessions }\n  bounces: { source: web, agg: sum, column: bounces }\nkpis:\n  traffic: { formula: sessions }\n';
const BAD = 'kpispec: 1\nkpis:\n  broken: { formula: 1 }\n';

const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code));

describe('language server: a file whose analysis throws (KPISPEC_TEST_FAULT)', function () {
  this.timeout(60_000);
  let client: TestClient;
  let dir: string;
  const uri = (name: string) => `file://${dir}/${name}`;

  before(async () => {
    dir = tempWorkspace({ 'web.csv': CSV, 'good.kpi.yaml': GOOD, 'bad.kpi.yaml': BAD });
    client = new TestClient(['--stdio'], { KPISPEC_TEST_FAULT: 'analyse:bad.kpi.yaml' });
    await client.initialize(dir);
  });
  after(async () => client.stop());

  it('shows the failure on that file, at line 1, and logs it with its stack', async () => {
    const bad = await client.diagnosticsFor(uri('bad.kpi.yaml'));
    assert.deepEqual(bad.diagnostics.map((d) => [d.code, d.severity, d.range, d.message]), [
      ['internal-error', 1, { start: { line: 0, character: 0 }, end: { line: 0, character: 10 } }, 'kpispec could not analyse this file: injected fault analysing bad.kpi.yaml (KPISPEC_TEST_FAULT)'],
    ]);
    const logged = client.logs.find((l) => l.includes(`checking ${dir}/bad.kpi.yaml failed`));
    assert.ok(logged, client.logs.join('\n'));
    assert.match(logged, /\n\s+at /, 'with the stack');
  });

  it('keeps checking the other files, with their unused-metric hints', async () => {
    assert.deepEqual(codes(await client.diagnosticsFor(uri('good.kpi.yaml'))), ['unused-metric']);
  });

  it('goes on while the file is opened and edited, and answers its requests with InternalError', async () => {
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri('bad.kpi.yaml'), languageId: 'kpispec', version: 1, text: BAD } });
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri('bad.kpi.yaml'), version: 2 }, contentChanges: [{ text: `${BAD}# more\n` }] });
    assert.deepEqual(codes(await client.diagnosticsFor(uri('bad.kpi.yaml'), (p) => p.version === 2)), ['internal-error']);
    const error = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri('bad.kpi.yaml') }, position: { line: 2, character: 4 } }).then(
      () => assert.fail('answered'),
      (e: ResponseError<unknown>) => e,
    ));
    assert.equal(error.code, ErrorCodes.InternalError);
    assert.equal(error.message, 'kpispec could not analyse bad.kpi.yaml: injected fault analysing bad.kpi.yaml (KPISPEC_TEST_FAULT)');
    assert.ok(client.alive);
  });

  it('still answers hover and completion on another file', async () => {
    const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri('good.kpi.yaml') }, position: { line: 7, character: 4 } })) as Hover;
    assert.match(JSON.stringify(h.contents), /Latest \(`2026-02`[,)]/);
    const list = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: uri('good.kpi.yaml') }, position: { line: 7, character: 22 } })) as CompletionList;
    assert.ok(list.items.some((i) => i.label === 'bounces'), JSON.stringify(list.items.map((i) => i.label)));
  });

  it('exits only when asked: after shutdown and exit, with code 0', async () => {
    await client.connection.sendRequest(ShutdownRequest.type);
    assert.ok(client.alive, 'shutdown alone does not end it');
    await client.connection.sendNotification(ExitNotification.type);
    assert.equal(await client.exited(), 0);
  });
});

describe('language server: an exception no handler catches', function () {
  this.timeout(60_000);

  it('is logged, and the server goes on serving', async () => {
    const dir = tempWorkspace({ 'web.csv': CSV, 'good.kpi.yaml': GOOD });
    const client = new TestClient(['--stdio'], { NODE_OPTIONS: `--require ${path.join(__dirname, 'throwsUnhandled.cjs')}` });
    try {
      await client.initialize(dir);
      assert.match(await client.logged(/uncaught exception/), /^kpispec: uncaught exception, the server goes on: Error: an exception nobody catches\n\s+at /);
      assert.match(await client.logged(/unhandled rejection/), /^kpispec: unhandled rejection, the server goes on: Error: a rejection nobody handles/);
      const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: `file://${dir}/good.kpi.yaml` }, position: { line: 7, character: 4 } })) as Hover;
      assert.match(JSON.stringify(h.contents), /Latest \(`2026-02`[,)]/);
      assert.ok(client.alive);
    } finally {
      await client.stop();
    }
  });
});
