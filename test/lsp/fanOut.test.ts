import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidOpenTextDocumentNotification, PublishDiagnosticsNotification, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { EvalResult } from '../../server/src/engine/results';
import { EvaluateRequest, type EvaluateParams, type EvaluateResult } from '../../server/src/protocol';
import { TestClient } from './client';

/**
 * A lookup onto a source whose key repeats: the language server says so where the sampled rows
 * show it, and the preview's values (kpispec/evaluate) show the error and no number, wherever
 * the repeat lies.
 */
describe('fan-out in the editor: a duplicate lookup key (over stdio)', function () {
  this.timeout(120_000);
  let dir: string;
  let client: TestClient;

  const SPEC = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  tiers: { file: TIERS, key: customer_id }
  orders:
    file: orders.csv
    time: day
    lookups: { tier: { source: tiers, on: customer_id } }
metrics:
  gold: { source: orders, agg: count, where: 'tier.tier == "gold"' }
  all_orders: { source: orders, agg: count }
kpis:
  gold_orders: { formula: gold }
  orders: { formula: all_orders }
`;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpispec-fanout-'));
    fs.writeFileSync(path.join(dir, 'orders.csv'), 'day,customer_id\n2026-01-01,C17\n2026-01-02,C2\n');
    fs.writeFileSync(path.join(dir, 'near.csv'), 'customer_id,tier\nC17,gold\nC2,silver\nC17,silver\n');
    const far = Array.from({ length: 6000 }, (_, i) => `C${i},${i % 2 ? 'gold' : 'silver'},${'x'.repeat(10)}`);
    fs.writeFileSync(path.join(dir, 'far.csv'), `customer_id,tier,note\n${far.join('\n')}\nC17,silver,again\n`);
    client = new TestClient();
    await client.initialize(dir);
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string, tiers: string): Promise<{ diagnostics: PublishDiagnosticsParams; result: EvalResult }> {
    const file = path.join(dir, name);
    const text = SPEC.replace('TIERS', tiers);
    fs.writeFileSync(file, text);
    const uri = `file://${file}`;
    const published = new Promise<PublishDiagnosticsParams>((resolve) => {
      const sub = client.connection.onNotification(PublishDiagnosticsNotification.type, (p) => { if (p.uri === uri) { sub.dispose(); resolve(p); } });
    });
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'kpispec', version: 1, text } });
    const diagnostics = await published;
    const result = (await client.connection.sendRequest(EvaluateRequest, { uri } as EvaluateParams)) as EvaluateResult | null;
    assert.ok(result, 'no evaluation');
    return { diagnostics, result };
  }

  const value = (r: EvalResult, id: string) => r.kpis.find((k) => k.id === id)!.series.find((p) => p.period === '2026-01')?.value ?? null;

  it('reports a repeat in the sampled rows as key-not-unique, and shows no value over the lookup', async () => {
    const { diagnostics, result } = await open('near.kpi.yaml', 'near.csv');
    const d = diagnostics.diagnostics.find((x) => x.code === 'key-not-unique');
    assert.ok(d, JSON.stringify(diagnostics.diagnostics));
    assert.match(String(d.message), /`C17` is on lines 2 and 4 of `near.csv`/);
    assert.equal(value(result, 'gold_orders'), null);
    assert.equal(value(result, 'orders'), null);
  });

  it('finds a repeat beyond the sample when computing: the error with both lines, and no value', async () => {
    const { diagnostics, result } = await open('far.kpi.yaml', 'far.csv');
    assert.equal(diagnostics.diagnostics.filter((x) => x.code === 'key-not-unique').length, 0);
    const problems = [...result.problems, ...result.sources.flatMap((s) => s.problems)];
    assert.ok(problems.some((p) => p.severity === 'error' && /`C17` is on lines 19 and 6002 of `far.csv`/.test(p.message)), JSON.stringify(problems));
    assert.equal(value(result, 'gold_orders'), null);
    assert.equal(value(result, 'orders'), null);
  });
});
