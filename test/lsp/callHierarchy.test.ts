import * as assert from 'node:assert/strict';
import {
  CallHierarchyIncomingCallsRequest, CallHierarchyOutgoingCallsRequest, CallHierarchyPrepareRequest, DidOpenTextDocumentNotification, SymbolKind,
  type CallHierarchyIncomingCall, type CallHierarchyItem, type CallHierarchyOutgoingCall, type Range,
} from 'vscode-languageserver-protocol';
import { tempWorkspace } from '../helpers/runCli';
import { TestClient } from './client';

const CSV = 'date,channel,sessions,bounces\n2026-01-05,email,100,30\n';
const LIB = 'kpispec: 1\nsources:\n  web: { file: web.csv, time: date, dimensions: [channel] }\nmetrics:\n  sessions: { source: web, agg: sum, column: sessions }\n  bounces: { source: web, agg: sum, column: bounces }\n';
const MAIN = 'kpispec: 1\nimports: [lib.kpi.yaml]\nkpis:\n  bounce_rate: { formula: bounces / sessions, format: percent, direction: down, target: 40% }\n  traffic: { formula: sessions }\ngoals:\n  engage: { kpis: { bounce_rate: {} } }\n';

/** The range of the n-th `needle` in text (0-based lines and characters). */
function rangeOf(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} in text`);
  const before = text.slice(0, at).split('\n');
  const line = before.length - 1;
  const character = before[line]!.length;
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

/** Call hierarchy over stdio: incoming = what uses a definition, outgoing = what it uses, across imports. */
describe('language server: lineage as a call hierarchy', function () {
  this.timeout(60_000);
  let client: TestClient;
  let dir: string;
  const uri = (name: string) => `file://${dir}/${name}`;

  before(async () => {
    dir = tempWorkspace({ 'web.csv': CSV, 'lib.kpi.yaml': LIB, 'main.kpi.yaml': MAIN });
    client = new TestClient();
    const { capabilities } = await client.initialize(dir);
    assert.ok(capabilities.callHierarchyProvider, 'callHierarchyProvider');
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri('main.kpi.yaml'), languageId: 'kpispec', version: 1, text: MAIN } });
  });
  after(async () => client.stop());

  const prepare = async (file: string, text: string, needle: string, nth = 0) =>
    (await client.connection.sendRequest(CallHierarchyPrepareRequest.type, { textDocument: { uri: uri(file) }, position: rangeOf(text, needle, nth).start })) as CallHierarchyItem[] | null;

  it('prepares the definition a formula name refers to, in the file that defines it', async () => {
    const items = await prepare('main.kpi.yaml', MAIN, 'sessions');
    assert.equal(items?.length, 1);
    const [item] = items!;
    assert.equal(item!.name, 'sessions');
    assert.equal(item!.kind, SymbolKind.Variable);
    assert.equal(item!.uri, uri('lib.kpi.yaml'));
    assert.deepEqual(item!.selectionRange, rangeOf(LIB, 'sessions'));
    assert.deepEqual(await prepare('main.kpi.yaml', MAIN, 'percent'), [], 'nothing on a format');
  });

  it('incoming: the KPIs that name a metric, each with where its formula names it', async () => {
    const [item] = (await prepare('main.kpi.yaml', MAIN, 'sessions'))!;
    const calls = (await client.connection.sendRequest(CallHierarchyIncomingCallsRequest.type, { item: item! })) as CallHierarchyIncomingCall[];
    assert.deepEqual(calls.map((c) => [c.from.name, c.from.uri, c.fromRanges]).sort(), [
      ['bounce_rate', uri('main.kpi.yaml'), [rangeOf(MAIN, 'sessions')]],
      ['traffic', uri('main.kpi.yaml'), [rangeOf(MAIN, 'sessions', 1)]],
    ]);
  });

  it('incoming: the metrics that read a source, at their `source:`', async () => {
    const [item] = (await prepare('lib.kpi.yaml', LIB, 'web'))!;
    assert.equal(item!.kind, SymbolKind.Module);
    const calls = (await client.connection.sendRequest(CallHierarchyIncomingCallsRequest.type, { item: item! })) as CallHierarchyIncomingCall[];
    assert.deepEqual(calls.map((c) => [c.from.name, c.fromRanges]).sort(), [
      // The first `web` is the source's id, the second its file's name.
      ['bounces', [rangeOf(LIB, 'web', 3)]],
      ['sessions', [rangeOf(LIB, 'web', 2)]],
    ]);
  });

  it('outgoing: what a KPI uses, and a goal its KPIs', async () => {
    const [kpi] = (await prepare('main.kpi.yaml', MAIN, 'bounce_rate'))!;
    const uses = (await client.connection.sendRequest(CallHierarchyOutgoingCallsRequest.type, { item: kpi! })) as CallHierarchyOutgoingCall[];
    assert.deepEqual(uses.map((c) => [c.to.name, c.to.uri, c.fromRanges]), [
      ['bounces', uri('lib.kpi.yaml'), [rangeOf(MAIN, 'bounces')]],
      ['sessions', uri('lib.kpi.yaml'), [rangeOf(MAIN, 'sessions')]],
    ]);
    const [goal] = (await prepare('main.kpi.yaml', MAIN, 'engage'))!;
    const graded = (await client.connection.sendRequest(CallHierarchyOutgoingCallsRequest.type, { item: goal! })) as CallHierarchyOutgoingCall[];
    assert.deepEqual(graded.map((c) => [c.to.name, c.fromRanges]), [['bounce_rate', [rangeOf(MAIN, 'bounce_rate', 1)]]]);
    const served = (await client.connection.sendRequest(CallHierarchyIncomingCallsRequest.type, { item: kpi! })) as CallHierarchyIncomingCall[];
    assert.deepEqual(served.map((c) => c.from.name), ['engage']);
  });

  it('answers an item it did not make with InvalidParams, and keeps serving', async () => {
    await assert.rejects(client.connection.sendRequest(CallHierarchyIncomingCallsRequest.type, { item: { name: 'x', kind: SymbolKind.Field, uri: uri('main.kpi.yaml'), range: rangeOf(MAIN, 'traffic'), selectionRange: rangeOf(MAIN, 'traffic') } }), /item\.data/);
    assert.equal((await prepare('main.kpi.yaml', MAIN, 'traffic'))?.[0]?.name, 'traffic');
  });
});
