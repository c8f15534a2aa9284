import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol';
import { NodeHost } from '../../server/src/data/nodeHost';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { LineIndex } from '../../server/src/language/lineIndex';
import { Workspace } from '../../server/src/language/workspace';
import { REPO } from '../helpers/runCli';
import { TestClient } from './client';

/**
 * The data quirk fixtures (an unreadable date, amounts with thousands separators, a semicolon
 * file, an unclosed quote, a GB18030 export without `encoding`, a repeated header, a value typo
 * in a filter, a repeated key, an import with another time zone) give the editor the problems
 * `kpispec check` gives, at the same line and column.
 */
describe('language server: the data quirk fixtures, as check reports them (over stdio)', function () {
  this.timeout(120_000);
  const root = path.join(REPO, 'test/fixtures/broken');
  const QUIRKS = ['time-unreadable', 'number-unreadable', 'data-file-unreadable', 'ambiguous-column', 'where-value-unseen', 'key-not-unique', 'unknown-column', 'import-defaults'];
  let client: TestClient;
  before(async () => {
    client = new TestClient();
    await client.initialize(root);
  });
  after(async () => client.stop());

  for (const rule of QUIRKS) {
    it(rule, async () => {
      const file = path.join(root, `${rule}.kpi.yaml`);
      const text = fs.readFileSync(file, 'utf8');
      const lines = new LineIndex(text);
      const expected = checkFiles(new Workspace(new NodeHost(), root), [file])[0]!.problems
        .map((p) => ({ code: p.rule, start: lines.positionAt(p.span.offset), end: lines.positionAt(p.span.offset + p.span.length) }))
        .sort(byPosition);
      assert.ok(expected.some((p) => p.code === rule), `the fixture shows ${rule}`);
      const uri = `file://${file}`;
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'kpispec', version: 1, text } });
      const published = await client.diagnosticsFor(uri, (p) => p.diagnostics.length > 0);
      const got = published.diagnostics.map((d) => ({ code: String(d.code), start: d.range.start, end: d.range.end })).sort(byPosition);
      assert.deepEqual(got, expected);
    });
  }
});

function byPosition(a: { code: string; start: { line: number; character: number } }, b: typeof a): number {
  return a.start.line - b.start.line || a.start.character - b.start.character || a.code.localeCompare(b.code);
}
