import * as assert from 'node:assert/strict';
import { DidOpenTextDocumentNotification, HoverRequest, type Hover } from 'vscode-languageserver-protocol';
import { tempWorkspace } from '../helpers/runCli';
import { TestClient } from './client';

const CSV = 'date,channel,sessions\n2026-01-05,email,100\n2026-02-05,email,120\n2026-02-06,organic,80\n';
const LIB = 'kpispec: 1\nsources:\n  web: { file: web.csv, time: date, dimensions: [channel] }\nmetrics:\n  sessions: { source: web, agg: sum, column: sessions }\nkpis:\n  traffic: { formula: sessions, target: 150 }\n';
const MAIN = 'kpispec: 1\nimports: [lib.kpi.yaml]\nkpis:\n  doubled: { formula: traffic * 2 }\ngoals:\n  grow: { kpis: { traffic: {} } }\n';

function position(text: string, needle: string, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  const before = text.slice(0, at + 1).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** A hover on a KPI defined in an imported file shows its value, computed from that file. */
describe('language server: hover on a KPI of an imported file (over stdio)', function () {
  this.timeout(60_000);
  let client: TestClient;
  let dir: string;

  before(async () => {
    dir = tempWorkspace({ 'web.csv': CSV, 'lib.kpi.yaml': LIB, 'main.kpi.yaml': MAIN });
    client = new TestClient();
    await client.initialize(dir);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: `file://${dir}/main.kpi.yaml`, languageId: 'kpispec', version: 1, text: MAIN } });
  });
  after(async () => client.stop());

  const hoverAt = async (needle: string, nth = 0) => {
    const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: `file://${dir}/main.kpi.yaml` }, position: position(MAIN, needle, nth) })) as Hover;
    return typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value.replace(/\\(.)/g, '$1') : '';
  };

  it('in a formula: the imported KPI’s latest value and status', async () => {
    const text = await hoverAt('traffic');
    // February: 120 + 80, against its target of 150.
    assert.match(text, /\*\*KPI\*\* `traffic`/);
    assert.match(text, /\b200\b/, text);
    assert.match(text, /met/, text);
  });

  it('in a goal: the same value', async () => {
    assert.match(await hoverAt('traffic', 1), /\b200\b/);
  });

  it('on a KPI of this file: its own value, as before', async () => {
    assert.match(await hoverAt('doubled'), /\b400\b/);
  });
});
