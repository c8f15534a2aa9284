import * as assert from 'node:assert/strict';
import {
  CompletionRequest, CompletionTriggerKind, DefinitionRequest, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, HoverRequest,
  PrepareRenameRequest, ReferencesRequest, RenameRequest, SemanticTokensRequest,
  type CompletionList, type Hover, type InitializeResult, type Location, type SemanticTokens, type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { tempWorkspace } from '../helpers/runCli';
import { BASE, DATA, MAIN } from '../services/relationsFixture';
import { TestClient } from './client';

/** Position of the n-th occurrence of `needle` (plus `delta` characters) in text, 0-based. */
function pos(text: string, needle: string, delta = 0, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} in text`);
  const before = text.slice(0, at + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

function markdownOf(h: Hover | null): string {
  assert.ok(h, 'a hover');
  const md = typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : JSON.stringify(h.contents);
  return md.replace(/\\(.)/g, '$1'); // as rendered: Markdown escapes removed
}

describe('language server over stdio: relations', function () {
  this.timeout(60_000);
  let client: TestClient;
  let dir: string;
  let mainUri: string;
  let baseUri: string;
  let init: InitializeResult;
  const textDocument = () => ({ uri: mainUri });

  before(async () => {
    dir = tempWorkspace({ ...DATA, 'base.kpi.yaml': BASE, 'main.kpi.yaml': MAIN });
    mainUri = `file://${dir}/main.kpi.yaml`;
    baseUri = `file://${dir}/base.kpi.yaml`;
    client = new TestClient();
    init = await client.initialize(dir);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: mainUri, languageId: 'kpispec', version: 1, text: MAIN } });
    const first = await client.diagnosticsFor(mainUri, (p) => p.version === 1);
    assert.deepEqual(first.diagnostics, [], 'the fixture checks clean');
  });
  after(async () => client.stop());

  it('hovers a looked-up column with its type and where it comes from', async () => {
    const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: textDocument(), position: pos(MAIN, 'deal.won_date', 6) })) as Hover;
    const md = markdownOf(h);
    assert.match(md, /\*\*looked-up column\*\* `deal.won_date` · date/);
    assert.match(md, /Through lookup `deal` of `leads` → source `deals`/);
    assert.match(md, /Column `won_date` of `data\/deals.csv`/);
    assert.deepEqual(h.range, { start: pos(MAIN, 'won_date)'), end: pos(MAIN, 'won_date)', 'won_date'.length) });
  });

  it('hovers a derived column with its formula', async () => {
    const md = markdownOf((await client.connection.sendRequest(HoverRequest.type, { textDocument: textDocument(), position: pos(MAIN, 'column: days_to_close', 10) })) as Hover);
    assert.match(md, /\*\*derived column\*\* `days_to_close` · number/);
    assert.match(md, /days_between\(first_contact, deal.won_date\)/);
  });

  it('goes from a looked-up column to the lookup and the CSV header, and from a chain\'s lookup into the imported file', async () => {
    const locs = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: textDocument(), position: pos(MAIN, 'column: deal.amount', 'column: deal.am'.length) })) as Location[];
    assert.deepEqual(locs.map((l) => [l.uri, l.range.start]), [
      [mainUri, pos(MAIN, 'deal: {')],
      [`file://${dir}/data/deals.csv`, { line: 0, character: 'lead_id,won_date,'.length }],
    ]);
    const owner = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: textDocument(), position: pos(MAIN, 'deal.owner.team', 'deal.ow'.length) })) as Location[];
    assert.deepEqual(owner.map((l) => [l.uri, l.range.start]), [[baseUri, pos(BASE, 'owner: {')]]);
  });

  it('finds the references of a lookup', async () => {
    const locs = (await client.connection.sendRequest(ReferencesRequest.type, { textDocument: textDocument(), position: pos(MAIN, 'matched(deal', 'matched(d'.length), context: { includeDeclaration: false } })) as Location[];
    assert.equal(locs.length, 10);
    assert.ok(locs.every((l) => l.uri === mainUri && l.range.end.character - l.range.start.character === 'deal'.length));
  });

  it('prepares and renames a lookup from the `deal` of a looked-up column', async () => {
    const position = pos(MAIN, 'big: deal.amount', 'big: de'.length);
    const prep = (await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: textDocument(), position })) as { range: unknown; placeholder: string };
    assert.equal(prep.placeholder, 'deal');
    assert.deepEqual(prep.range, { start: pos(MAIN, 'deal.amount >= 200'), end: pos(MAIN, 'deal.amount >= 200', 4) });
    const edit = (await client.connection.sendRequest(RenameRequest.type, { textDocument: textDocument(), position, newName: 'won' })) as WorkspaceEdit;
    assert.deepEqual(Object.keys(edit.changes ?? {}), [mainUri]);
    assert.equal(edit.changes![mainUri]!.length, 11);
    assert.ok(edit.changes![mainUri]!.every((e) => e.newText === 'won'));
  });

  it('renames a derived column of the imported file from a looked-up use, in both files', async () => {
    const edit = (await client.connection.sendRequest(RenameRequest.type, { textDocument: textDocument(), position: pos(MAIN, 'column: deal.net', 'column: deal.n'.length), newName: 'net_amount' })) as WorkspaceEdit;
    assert.deepEqual(Object.keys(edit.changes ?? {}).sort(), [baseUri, mainUri].sort());
    assert.equal(edit.changes![baseUri]!.length, 2);
    assert.deepEqual(edit.changes![mainUri]!.map((e) => e.range.start), [pos(MAIN, 'net, unit', 0)]);
  });

  it('refuses to rename a looked-up data column, with the reason', async () => {
    const err = await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: textDocument(), position: pos(MAIN, 'deal.won_date', 'deal.wo'.length) }).then(() => undefined, (e: Error) => e);
    assert.ok(err, 'an error');
    assert.match(err.message, /`won_date` is a column of the data of `data\/deals.csv`/);
  });

  it('completes the columns of the looked-up source after `deal.`, `.` being a trigger character', async () => {
    assert.ok(init.capabilities.completionProvider?.triggerCharacters?.includes('.'));
    const text = MAIN.replace("where: 'matched(deal) and deal.amount > 0'", "where: 'matched(deal) and deal.'");
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: mainUri, version: 2 }, contentChanges: [{ text }] });
    const position = pos(text, "deal.'", 'deal.'.length);
    const list = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: textDocument(), position, context: { triggerKind: CompletionTriggerKind.TriggerCharacter, triggerCharacter: '.' } })) as CompletionList;
    const labels = list.items.map((i) => i.label);
    assert.deepEqual(labels, ['deal.lead_id', 'deal.won_date', 'deal.amount', 'deal.segment', 'deal.rep', 'deal.net', 'deal.owner.rep_id', 'deal.owner.team']);
    const amount = list.items.find((i) => i.label === 'deal.amount')!;
    assert.equal(amount.detail, 'number · lookup deal → deals');
    assert.deepEqual(amount.textEdit, { range: { start: pos(text, "deal.'"), end: position }, newText: 'deal.amount' });
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: mainUri, version: 3 }, contentChanges: [{ text: MAIN }] });
  });

  it('marks lookups and derived columns with their own semantic token types', async () => {
    const legend = init.capabilities.semanticTokensProvider!.legend.tokenTypes;
    const tokens = (await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: textDocument() })) as SemanticTokens;
    const found: string[] = [];
    let line = 0;
    let char = 0;
    const lines = MAIN.split('\n');
    for (let i = 0; i < tokens.data.length; i += 5) {
      const [dl, dc, len, type] = tokens.data.slice(i, i + 4) as [number, number, number, number];
      line += dl;
      char = dl ? dc : char + dc;
      if (line === pos(MAIN, 'slowest:').line || line === pos(MAIN, '  lead_net:').line) found.push(`${lines[line]!.slice(char, char + len)}:${legend[type]}`);
    }
    assert.deepEqual(found, ['max:function', 'days_to_close:enumMember', 'deal:namespace']);
  });
});
