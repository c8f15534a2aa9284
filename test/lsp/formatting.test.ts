import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, DocumentFormattingRequest, DocumentRangeFormattingRequest, type TextEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { REPO, tempWorkspace } from '../helpers/runCli';
import { TestClient } from './client';

const MESSY = fs.readFileSync(path.join(REPO, 'test/fixtures/format/messy.yaml'), 'utf8');
const FORMATTED = fs.readFileSync(path.join(REPO, 'test/fixtures/format/messy.formatted.yaml'), 'utf8');
const OPTIONS = { tabSize: 4, insertSpaces: true };

/** Formatting and range formatting over stdio: the canonical layout, as small edits. */
describe('language server: formatting', function () {
  this.timeout(60_000);
  let client: TestClient;
  let dir: string;
  const uri = (name: string) => `file://${dir}/${name}`;
  let version = 1;

  before(async () => {
    dir = tempWorkspace({ 'messy.kpi.yaml': MESSY });
    client = new TestClient();
    const { capabilities } = await client.initialize(dir);
    assert.equal(capabilities.documentFormattingProvider, true);
    assert.equal(capabilities.documentRangeFormattingProvider, true);
  });
  after(async () => client.stop());

  const open = async (name: string, text: string) => {
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(name), languageId: 'kpispec', version: version++, text } });
  };
  const format = async (name: string) =>
    (await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: uri(name) }, options: OPTIONS })) as TextEdit[];

  it('formats a document to the canonical text, with edits that leave unchanged lines alone', async () => {
    await open('messy.kpi.yaml', MESSY);
    const edits = await format('messy.kpi.yaml');
    const doc = TextDocument.create(uri('messy.kpi.yaml'), 'kpispec', 1, MESSY);
    assert.equal(TextDocument.applyEdits(doc, edits), FORMATTED);
    assert.ok(edits.length > 1, 'a diff, not one replacement of the whole document');
    // Lines the layout keeps are not inside any edit.
    const untouched = (line: number) => edits.every((e) => e.range.end.line < line || (e.range.end.line === line && e.range.end.character === 0) || e.range.start.line > line);
    assert.ok(untouched(0), 'the first line');
    assert.ok(untouched(MESSY.split('\n').indexOf('  grow:')), 'the goal');
    assert.ok(untouched(MESSY.split('\n').indexOf('# end of the spec')), 'the last comment');
  });

  it('formats what the editor holds, not the file on disk', async () => {
    const edited = FORMATTED.replace('    title: Grow\n', '    title:    Grow\n');
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri('messy.kpi.yaml'), version: version++ }, contentChanges: [{ text: edited }] });
    const edits = await format('messy.kpi.yaml');
    assert.equal(edits.length, 1);
    assert.equal(TextDocument.applyEdits(TextDocument.create(uri('messy.kpi.yaml'), 'kpispec', 1, edited), edits), FORMATTED);
    assert.deepEqual(edits[0]!.range.start.line, edited.split('\n').indexOf('    title:    Grow'));
  });

  it('range formatting formats the top-level definitions the range touches, nothing else', async () => {
    const text = 'kpispec: 1\nkpis:\n  a:\n      title:   A\n      formula: x\n  b:\n      formula: y\n      title: B\n  c:   { formula: z }\n';
    await open('range.kpi.yaml', text);
    const line = text.split('\n').indexOf('      formula: y');
    const edits = (await client.connection.sendRequest(DocumentRangeFormattingRequest.type, {
      textDocument: { uri: uri('range.kpi.yaml') }, range: { start: { line, character: 0 }, end: { line, character: 4 } }, options: OPTIONS,
    })) as TextEdit[];
    const after = TextDocument.applyEdits(TextDocument.create(uri('range.kpi.yaml'), 'kpispec', 1, text), edits);
    assert.equal(after, 'kpispec: 1\nkpis:\n  a:\n      title:   A\n      formula: x\n  b:\n    title: B\n    formula: y\n  c:   { formula: z }\n');
  });

  it('gives no edits for a document with YAML syntax errors, nor for one already formatted', async () => {
    await open('broken.kpi.yaml', 'kpispec: 1\nkpis:\n    k: { formula: x\n');
    assert.deepEqual(await format('broken.kpi.yaml'), []);
    await open('clean.kpi.yaml', FORMATTED);
    assert.deepEqual(await format('clean.kpi.yaml'), []);
  });
});
