import * as assert from 'node:assert/strict';
import {
  CodeActionRequest, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification,
  type CodeAction, type Diagnostic, type PublishDiagnosticsParams, type TextEdit,
} from 'vscode-languageserver-protocol';
import { LineIndex } from '../../server/src/language/lineIndex';
import { tempWorkspace } from '../helpers/runCli';
import { SHOP, SPEC, WEB } from '../services/fixesSpec';
import { TestClient } from './client';

/**
 * Code actions over a real stdio connection: the client sends the diagnostics it was given in
 * the request's context, gets quick fixes (and, when `only` asks, `source.fixAll.kpispec`),
 * applies the workspace edit and sees the diagnostics change.
 */

const CRM = 'signed_on,segment,customers\n2026-01-05,new,12\n2026-02-05,new,14\n';

/** Applies LSP text edits to a text (last first). */
function applyTextEdits(text: string, edits: TextEdit[]): string {
  const index = new LineIndex(text);
  const spans = edits.map((e) => ({ from: index.offsetAt(e.range.start), to: index.offsetAt(e.range.end), text: e.newText }));
  let out = text;
  for (const s of spans.sort((a, b) => b.from - a.from)) out = out.slice(0, s.from) + s.text + out.slice(s.to);
  return out;
}

describe('language server over stdio: code actions (quick fixes, fix all, source.fixAll)', function () {
  this.timeout(60_000);
  let client: TestClient;
  let dir: string;
  let n = 0;

  before(async () => {
    dir = tempWorkspace({ 'web.csv': WEB, 'shop.csv': SHOP, 'crm.csv': CRM, 'main.kpi.yaml': SPEC });
    client = new TestClient();
    await client.initialize(dir);
  });
  after(async () => client.stop());

  /** Opens a new document and waits for its diagnostics. */
  async function open(text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = `file://${dir}/doc${n++}.kpi.yaml`;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'kpispec', version: 1, text } });
    const published = await client.diagnosticsFor(uri, (p) => p.version === 1);
    return { uri, diagnostics: published.diagnostics };
  }

  /** The actions at a diagnostic of `rule` (the n-th), with that diagnostic in the context, as an editor asks. */
  async function actionsAt(uri: string, diagnostics: Diagnostic[], rule: string, nth = 0, only?: string[]): Promise<{ diagnostic: Diagnostic; actions: CodeAction[] }> {
    const diagnostic = diagnostics.filter((d) => d.code === rule)[nth];
    assert.ok(diagnostic, `no ${rule} among ${diagnostics.map((d) => d.code).join(', ')}`);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], ...(only ? { only } : {}) },
    })) as CodeAction[];
    return { diagnostic, actions };
  }

  /** Applies an action's edit to the document (as version 2) and returns the new text and its diagnostics. */
  async function apply(uri: string, text: string, action: CodeAction, version = 2): Promise<{ text: string; diagnostics: Diagnostic[] }> {
    const changes = action.edit?.changes ?? {};
    assert.deepEqual(Object.keys(changes), [uri], 'edits this document only');
    const next = applyTextEdits(text, changes[uri]!);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text: next }] });
    const published: PublishDiagnosticsParams = await client.diagnosticsFor(uri, (p) => p.version === version);
    return { text: next, diagnostics: published.diagnostics };
  }

  const codes = (d: Diagnostic[]) => d.map((x) => x.code);

  it('offers the unit-mismatch rewrites, none preferred, each with its diagnostic; the ratio then checks clean', async () => {
    const text = SPEC.replace('revenue - cost', 'orders + revenue');
    const { uri, diagnostics } = await open(text);
    const { diagnostic, actions } = await actionsAt(uri, diagnostics, 'unit-mismatch');
    const fixes = actions.filter((a) => !a.title.startsWith('Disable'));
    assert.deepEqual(fixes.map((a) => [a.title, a.kind, a.isPreferred]), [
      ['Change to `revenue / orders` (a ratio: CNY per count)', 'quickfix', undefined],
      ['Change `revenue` to `sessions` (count)', 'quickfix', undefined],
      ['Change `revenue` to `bounces` (count)', 'quickfix', undefined],
    ]);
    for (const a of fixes) assert.deepEqual(a.diagnostics, [diagnostic]);
    const ratio = await apply(uri, text, fixes[0]!);
    assert.ok(ratio.text.includes('margin: { formula: revenue / orders, format: currency }'));
    assert.deepEqual(codes(ratio.diagnostics), ['unused-metric']); // `cost` is no longer used
  });

  it('replaces the operand of `revenue - sessions` with a money metric in scope', async () => {
    const text = SPEC.replace('revenue - cost', 'revenue - sessions');
    const { uri, diagnostics } = await open(text);
    const { actions } = await actionsAt(uri, diagnostics, 'unit-mismatch');
    const cost = actions.find((a) => a.title === 'Change `sessions` to `cost` (CNY)');
    assert.ok(cost, actions.map((a) => a.title).join(' | '));
    const after = await apply(uri, text, cost);
    assert.equal(after.text, SPEC);
    assert.deepEqual(after.diagnostics, []);
  });

  it('offers "Fix all <rule> problems in this file" beside one of several, and it fixes them all', async () => {
    const text = SPEC.replace('format: percent }\n  conversion: { formula: orders / sessions, format: percent }', 'format: currency }\n  conversion: { formula: orders / sessions, format: duration }');
    const { uri, diagnostics } = await open(text);
    assert.deepEqual(codes(diagnostics), ['format-mismatch', 'format-mismatch']);
    const { actions } = await actionsAt(uri, diagnostics, 'format-mismatch', 1);
    assert.deepEqual(actions.map((a) => [a.title, a.isPreferred]), [
      ['Change to `percent`', true],
      ['Fix all format-mismatch problems in this file', undefined],
      ['Disable format-mismatch for this line', undefined],
    ]);
    const after = await apply(uri, text, actions[1]!);
    assert.equal(after.text, SPEC);
    assert.deepEqual(after.diagnostics, []);
  });

  it('answers `only: [source.fixAll]` with source.fixAll.kpispec (the preferred fixes of the file), and nothing else', async () => {
    const text = SPEC.replace('bounces / sessions', 'bounces / sesions').replace('format: currency }\n  aov', 'format: percent }\n  aov').replace('  bounce_rate:', '  # kpispec-disable-next-line unit-mismatch\n  bounce_rate:');
    const { uri, diagnostics } = await open(text);
    assert.deepEqual(codes(diagnostics).sort(), ['format-mismatch', 'unknown-reference', 'unused-suppression']);
    // without `only`, or asking for quick fixes, no source action
    assert.ok(!(await actionsAt(uri, diagnostics, 'unknown-reference')).actions.some((a) => a.kind === 'source.fixAll.kpispec'));
    const quick = (await actionsAt(uri, diagnostics, 'unknown-reference', 0, ['quickfix'])).actions;
    assert.ok(quick.length > 0 && quick.every((a) => a.kind === 'quickfix'));
    for (const only of [['source'], ['source.fixAll'], ['source.fixAll.kpispec']]) {
      const { actions } = await actionsAt(uri, diagnostics, 'unknown-reference', 0, only);
      assert.deepEqual(actions.map((a) => [a.title, a.kind]), [['Fix all auto-fixable kpispec problems in this file', 'source.fixAll.kpispec']], only[0]);
    }
    const { actions } = await actionsAt(uri, diagnostics, 'unknown-reference', 0, ['source.fixAll']);
    const after = await apply(uri, text, actions[0]!);
    assert.equal(after.text, SPEC);
    assert.deepEqual(after.diagnostics, []);
  });

  it('declares the capability', async () => {
    // initialize was answered in before(); ask a second server for its capabilities
    const other = new TestClient();
    try {
      const { capabilities } = await other.initialize(dir);
      assert.deepEqual((capabilities.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', 'source.fixAll.kpispec']);
    } finally {
      await other.stop();
    }
  });

  /** One scenario per kind of fix: the text, the rule, the action's title; after it, the rule's diagnostics are fewer and no new error appears. */
  const SCENARIOS: [string, string, string, string][] = [
    ['duplicate-key', SPEC.replace('format: percent }', 'format: percent, format: number }'), 'duplicate-key', 'Remove this `format` (keep the one above, which is what is read now)'],
    ['unsupported-version', SPEC.replace('kpispec: 1\n', ''), 'unsupported-version', 'Add `kpispec: 1`'],
    ['missing-key', SPEC.replace('sessions: { source: web, agg: sum, column: sessions }', 'sessions: { source: web, column: sessions }'), 'missing-key', 'Add `agg: sum` (`sessions` is numeric)'],
    ['unknown-key (remove)', SPEC.replace('format: percent }', 'format: percent, dashboard: x }'), 'unknown-key', 'Remove `dashboard`'],
    ['invalid-value', SPEC.replace('currency: CNY', 'currency: cny'), 'invalid-value', 'Change to `CNY`'],
    ['invalid-id', SPEC.replace('aov:', 'AvgOrder:'), 'invalid-id', 'Rename to `avg_order`'],
    ['duplicate-id', SPEC.replace('kpis:\n', 'kpis:\n  orders: { formula: orders * 1 }\n'), 'duplicate-id', 'Rename this KPI to `orders_2`'],
    ['formula-syntax', SPEC.replace('orders: { source: shop, agg: count }', `orders: { source: shop, agg: count, where: 'channel = "email"' }`), 'formula-syntax', 'Change `=` to `==`'],
    ['wrong-reference-kind', SPEC.replace('bounces: { source: web,', 'bounces: { source: sessions,'), 'wrong-reference-kind', 'Change to `web` (the source of `sessions`)'],
    ['needs-time-column', SPEC.replace('sources:\n', 'sources:\n  crm: { file: crm.csv }\n').replace('metrics:\n', 'metrics:\n  customers: { source: crm, agg: sum, column: customers }\n').replace('kpis:\n', 'kpis:\n  growth_rate: { formula: growth(customers), format: percent }\n'), 'needs-time-column', 'Add `time: signed_on` to `crm`'],
    ['mixed-time-sources', SPEC.replace('sources:\n', 'sources:\n  crm: { file: crm.csv }\n').replace('metrics:\n', 'metrics:\n  customers: { source: crm, agg: sum, column: customers }\n').replace('kpis:\n', 'kpis:\n  per_session: { formula: customers / sessions }\n'), 'mixed-time-sources', 'Add `time: signed_on` to `crm`'],
    ['target-conflict', SPEC.replace('format: percent }', 'format: percent, target: { min: 6%, max: 4% } }'), 'target-conflict', 'Swap `min` and `max` (6% and 4%)'],
    ['target-direction', SPEC.replace('format: percent }', 'format: percent, target: { max: 40% } }'), 'target-direction', 'Set `direction: down` (lower is better)'],
    ['target-steps', SPEC.replace('format: percent }', 'format: percent, target: [{ from: 2026-07, min: 4% }, { from: 2026-01, min: 3% }] }'), 'target-steps', 'Sort the target steps by `from`'],
    ['empty-goal', `${SPEC}goals:\n  brand: { kpis: {} }\n`, 'empty-goal', 'Add KPI `bounce_rate` to goal `brand`'],
    ['breakdown-unavailable', SPEC.replace('format: percent }', 'format: percent, by: [device] }'), 'breakdown-unavailable', 'Declare `device` in the `dimensions` of `web`'],
    ['column-type', SPEC.replace('orders: { source: shop, agg: count }', `orders: { source: shop, agg: count, where: 'amount > "10"' }`), 'column-type', 'Change `"10"` to `10`'],
    ['invalid-aggregate', SPEC.replace('  shop: {', '  chans: { from: shop, key: channel, aggregate: { n: count(order_id) } }\n  shop: {').replace('kpis:\n', 'kpis:\n  c: { formula: chan_count }\n').replace('metrics:\n', 'metrics:\n  chan_count: { source: chans, agg: count }\n'), 'invalid-aggregate', 'Change to `count()` (rows)'],
    ['lookup-without-key', SPEC.replace('  shop: { file: shop.csv, time: ordered_at, dimensions: [channel] }', '  tiers: { rows: [{ channel: email, tier: a }] }\n  shop: { file: shop.csv, time: ordered_at, dimensions: [channel], lookups: { t: { source: tiers, on: channel } } }'), 'lookup-without-key', 'Declare `key: channel` on source `tiers`'],
    ['lookup-key-mismatch', SPEC.replace('  shop: { file: shop.csv, time: ordered_at, dimensions: [channel] }', '  tiers: { rows: [{ ch: email, tier: a }], key: ch }\n  shop: { file: shop.csv, time: ordered_at, dimensions: [channel], lookups: { t: { source: tiers, on: channel } } }'), 'lookup-key-mismatch', 'Map to the key: `on: { channel: ch }`'],
    ['unused-metric', SPEC.replace('  cost: {', '  refunds: { source: shop, agg: count }\n  cost: {'), 'unused-metric', 'Remove unused metric `refunds`'],
    ['unused-suppression', SPEC.replace('  margin:', '  # kpispec-disable-next-line unit-mismatch\n  margin:'), 'unused-suppression', 'Remove the suppression comment'],
    ['unknown-rule', SPEC.replace('  margin:', '  # kpispec-disable-next-line no-magic-numbers\n  margin:'), 'unknown-rule', 'Remove the suppression comment'],
  ];

  for (const [name, text, rule, title] of SCENARIOS) {
    it(`applies a quick fix for ${name}: ${title}`, async () => {
      const { uri, diagnostics } = await open(text);
      const { actions } = await actionsAt(uri, diagnostics, rule);
      const action = actions.find((a) => a.title === title);
      assert.ok(action, `${title} not among: ${actions.map((a) => a.title).join(' | ')}`);
      assert.equal(action.kind, 'quickfix');
      const after = await apply(uri, text, action);
      const count = (list: Diagnostic[], code: string, errorsOnly = false) => list.filter((d) => d.code === code && (!errorsOnly || d.severity === 1)).length;
      assert.ok(count(after.diagnostics, rule) < count(diagnostics, rule), `${rule} still there: ${after.text}`);
      for (const code of new Set(codes(after.diagnostics))) {
        assert.ok(count(after.diagnostics, String(code), true) <= count(diagnostics, String(code), true), `a new ${code} error: ${JSON.stringify(after.diagnostics)}`);
      }
    });
  }
});
