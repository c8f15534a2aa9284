import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCodes, HoverRequest, type Hover, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { tempWorkspace } from '../helpers/runCli';
import { TestClient } from './client';

const CSV = 'date,channel,sessions,bounces\n2026-01-05,email,100,30\n2026-02-05,email,120,30\n2026-02-06,organic,80,40\n';
const LIB = 'kpispec: 1\nsources:\n  web: { file: web.csv, time: date, dimensions: [channel] }\nmetrics:\n  sessions: { source: web, agg: sum, column: sessions }\n  bounces: { source: web, agg: sum, column: bounces }\n';
const MAIN = 'kpispec: 1\nimports: [lib.kpi.yaml]\nkpis:\n  bounce_rate: { formula: bounces / sessions, format: percent, direction: down, target: 40% }\n';
/** Over the 10 MB limit for a spec. */
const HUGE = `kpispec: 1\nkpis:\n${'  # padding padding padding padding padding padding padding padding padding padding\n'.repeat(130_000)}`;

const at = (line: number, character: number) => ({ line, character });
const everywhere = { start: at(0, 0), end: at(0, 0) };
type Outcome = { result: unknown } | { error: number; message: string };

describe('language server: a hostile client', function () {
  this.timeout(60_000);

  it('survives a burst of malformed and unexpected messages, answers each sensibly, then hovers correctly', async () => {
    const dir = tempWorkspace({ 'web.csv': CSV, 'lib.kpi.yaml': LIB, 'main.kpi.yaml': MAIN });
    fs.mkdirSync(path.join(dir, 'folder.kpi.yaml'));
    const uri = (name: string) => `file://${dir}/${name}`;
    const client = new TestClient();
    try {
      await client.initialize(dir);
      await client.diagnosticsFor(uri('main.kpi.yaml'));
      const c = client.connection;
      const notify = (method: string, params: unknown) => void c.sendNotification(method, params as object);
      const open = (name: string, text: unknown, version = 1) => notify('textDocument/didOpen', { textDocument: { uri: uri(name), languageId: 'kpispec', version, text } });
      const change = (name: string, version: unknown, contentChanges: unknown) => notify('textDocument/didChange', { textDocument: { uri: uri(name), version }, contentChanges });

      // Documents: odd texts, edits to documents never opened, ranges that are not ranges or lie
      // past the end, versions missing, a document far over the size limit.
      open('typed.kpi.yaml', 42);
      notify('textDocument/didOpen', { textDocument: null });
      notify('textDocument/didOpen', null);
      notify('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'kpispec', version: 1, text: LIB } });
      change('never-opened.kpi.yaml', 2, [{ text: 'kpispec: 1\n' }]);
      notify('textDocument/didClose', { textDocument: { uri: uri('never-opened.kpi.yaml') } });
      notify('textDocument/didClose', { textDocument: 'x' });
      notify('textDocument/didSave', { textDocument: { uri: 5 } });
      open('edited.kpi.yaml', LIB);
      change('edited.kpi.yaml', 2, [{ range: { start: at(-1, -5), end: at(0, 3) }, text: 'x' }]);
      change('edited.kpi.yaml', 3, [{ range: { start: { line: 'a' }, end: null }, text: 'x' }]);
      change('edited.kpi.yaml', null, [{ text: 'x' }]);
      change('edited.kpi.yaml', 4, null);
      change('edited.kpi.yaml', 5, [{ range: { start: at(900, 0), end: at(800, 50) }, text: '# appended past the end\n' }]);
      open('huge.kpi.yaml', HUGE);
      // Files and folders: events that are not events, URIs that are not file URIs, a burst of data changes.
      notify('workspace/didChangeWatchedFiles', { changes: 'nope' });
      notify('workspace/didChangeWatchedFiles', { changes: [{ uri: 5, type: 1 }, null] });
      notify('workspace/didChangeWatchedFiles', { changes: [{ uri: 'untitled:x.kpi.yaml', type: 1 }, { uri: 'http://example.com/web.csv', type: 2 }] });
      notify('workspace/didChangeWatchedFiles', { changes: Array.from({ length: 2000 }, () => ({ uri: uri('web.csv'), type: 2 })) });
      notify('workspace/didChangeWatchedFiles', null);
      notify('workspace/didChangeConfiguration', null);
      notify('workspace/didChangeWorkspaceFolders', { event: null });
      notify('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: 5 }], removed: 'x' } });
      notify('$/cancelRequest', { id: 'never-sent' });
      notify('kpispec/unknownNotification', { x: 1 });

      const requests: [string, string, unknown, (o: Outcome) => void][] = [
        ['a non-file URI', 'textDocument/hover', { textDocument: { uri: 'untitled:Untitled-1' }, position: at(0, 0) }, (o) => assert.deepEqual(o, { result: null })],
        ['an unparseable URI', 'textDocument/hover', { textDocument: { uri: '%%%' }, position: at(0, 0) }, (o) => assert.deepEqual(o, { result: null })],
        ['a spec never opened that does not exist', 'textDocument/completion', { textDocument: { uri: uri('nowhere/x.kpi.yaml') }, position: at(0, 0) }, (o) => assert.deepEqual(o, { result: [] })],
        ['a folder named like a spec', 'textDocument/hover', { textDocument: { uri: uri('folder.kpi.yaml') }, position: at(0, 0) }, (o) => assert.deepEqual(o, { result: null })],
        ['a position far past the end', 'textDocument/hover', { textDocument: { uri: uri('main.kpi.yaml') }, position: at(1e6, 1e6) }, (o) => assert.deepEqual(o, { result: null })],
        ['a position past the end of a line', 'textDocument/definition', { textDocument: { uri: uri('main.kpi.yaml') }, position: at(3, 1e6) }, (o) => assert.deepEqual(o, { result: [] })],
        ['a negative position', 'textDocument/hover', { textDocument: { uri: uri('main.kpi.yaml') }, position: at(-1, -5) }, invalid(/^position\.line must be a whole number/)],
        ['a position that is not numbers', 'textDocument/completion', { textDocument: { uri: uri('main.kpi.yaml') }, position: { line: '1', character: null } }, invalid(/^position\.line must be/)],
        ['no textDocument', 'textDocument/definition', { position: at(0, 0) }, invalid(/^textDocument must be an object$/)],
        ['no range', 'textDocument/codeAction', { textDocument: { uri: uri('main.kpi.yaml') }, range: null, context: { diagnostics: [] } }, invalid(/^range must be an object$/)],
        ['a diagnostic without a range', 'textDocument/codeAction', { textDocument: { uri: uri('main.kpi.yaml') }, range: everywhere, context: { diagnostics: [{ code: 'x' }] } }, invalid(/^context\.diagnostics\[0\]\.range must be an object$/)],
        ['no reference context', 'textDocument/references', { textDocument: { uri: uri('main.kpi.yaml') }, position: at(3, 4) }, invalid(/^context must be an object$/)],
        ['a new name that is not a string', 'textDocument/rename', { textDocument: { uri: uri('main.kpi.yaml') }, position: at(3, 4), newName: 5 }, invalid(/^newName must be a string$/)],
        ['a query that is not a string', 'workspace/symbol', { query: null }, invalid(/^query must be a string$/)],
        ['a document over the size limit', 'textDocument/semanticTokens/full', { textDocument: { uri: uri('huge.kpi.yaml') } }, (o) => assert.deepEqual(o, { result: { data: [] } })],
        ['evaluating a folder', 'kpispec/evaluate', { uri: uri('folder.kpi.yaml') }, (o) => assert.deepEqual(o, { result: null })],
        ['evaluating a data file', 'kpispec/evaluate', { uri: uri('web.csv') }, (o) => assert.deepEqual(o, { result: null })],
        ['evaluating a document over the size limit', 'kpispec/evaluate', { uri: uri('huge.kpi.yaml') }, (o) => assert.deepEqual(o, { result: null })],
        ['an unknown method', 'kpispec/unknownMethod', {}, (o) => assert.equal((o as { error: number }).error, ErrorCodes.MethodNotFound)],
      ];
      const outcomes = await Promise.all(requests.map(([, method, params]) => c.sendRequest(method, params as object).then(
        (result): Outcome => ({ result }),
        (e: { code: number; message: string }): Outcome => ({ error: e.code, message: e.message }),
      )));
      requests.forEach(([what, , , check], i) => {
        try {
          check(outcomes[i]!);
        } catch (e) {
          assert.fail(`${what}: ${(e as Error).message}\nanswered ${JSON.stringify(outcomes[i])}`);
        }
      });

      assert.ok(client.alive, `the server is running; stderr: ${client.stderr}`);
      // The well-formed edit past the end appended its text; the malformed ones were dropped.
      const edited = await client.diagnosticsFor(uri('edited.kpi.yaml'), (p) => p.version === 5);
      assert.deepEqual(edited.diagnostics.map((d) => d.code), ['unused-metric', 'unused-metric']);
      const huge = await client.diagnosticsFor(uri('huge.kpi.yaml'));
      assert.deepEqual(codes(huge), ['file-too-large']);
      assert.equal(client.logs.filter((l) => /failed: /.test(l)).length, 0, `nothing failed inside the server:\n${client.logs.join('\n')}`);
      assert.ok(client.logs.some((l) => l.includes('ignored textDocument/didOpen: textDocument.text must be a string')), client.logs.join('\n'));

      const h = (await c.sendRequest(HoverRequest.type, { textDocument: { uri: uri('main.kpi.yaml') }, position: at(3, 4) })) as Hover;
      assert.match(JSON.stringify(h.contents).replace(/\\\\/g, ''), /35\.00%/, 'February: (30 + 40) / (120 + 80)');
    } finally {
      await client.stop();
    }
  });

  it('refuses a named pipe as a data file at once, and goes on answering', async () => {
    const dir = tempWorkspace({ 'lib.kpi.yaml': LIB, 'main.kpi.yaml': MAIN });
    execFileSync('mkfifo', [path.join(dir, 'web.csv')]); // opening it for reading would wait for a writer forever
    const uri = (name: string) => `file://${dir}/${name}`;
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const lib = await client.diagnosticsFor(uri('lib.kpi.yaml'), (p) => p.diagnostics.length > 0);
      assert.deepEqual(lib.diagnostics.map((d) => [d.code, d.message, d.range.start.line]), [
        ['data-file-unreadable', 'cannot read data file `web.csv`: it is a named pipe (FIFO), not a regular file', 2],
      ]);
      const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri('main.kpi.yaml') }, position: at(3, 4) })) as Hover;
      assert.match(JSON.stringify(h.contents), /bounce_rate/);
      assert.ok(client.alive);
    } finally {
      await client.stop();
    }
  });

  it('refuses a 2 GB (sparse) data file by its first bytes and size, at once, and goes on answering', async () => {
    const dir = tempWorkspace({ 'lib.kpi.yaml': LIB, 'main.kpi.yaml': MAIN });
    const big = path.join(dir, 'web.csv');
    fs.writeFileSync(big, 'date,channel,sessions,bounces\n2026-01-01,email,10,3\n');
    fs.truncateSync(big, 2 ** 31 + 1024); // no disk space used: the rest reads as zero bytes
    const uri = (name: string) => `file://${dir}/${name}`;
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const started = performance.now();
      const lib = await client.diagnosticsFor(uri('lib.kpi.yaml'), (p) => p.diagnostics.length > 0);
      assert.deepEqual(lib.diagnostics.map((d) => d.code), ['data-file-unreadable']);
      assert.match(String(lib.diagnostics[0]!.message), /it looks like a binary file/);
      const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri('main.kpi.yaml') }, position: at(3, 4) })) as Hover;
      assert.match(JSON.stringify(h.contents), /bounce_rate/);
      assert.ok(performance.now() - started < 10_000, 'answered at once');
      assert.ok(client.alive);
    } finally {
      await client.stop();
    }
  });
});

function invalid(message: RegExp): (o: Outcome) => void {
  return (o) => {
    assert.ok('error' in o, 'an error');
    assert.equal(o.error, ErrorCodes.InvalidParams);
    assert.match(o.message, message);
  };
}

function codes(p: PublishDiagnosticsParams): string[] {
  return p.diagnostics.map((d) => String(d.code));
}
