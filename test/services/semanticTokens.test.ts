import * as assert from 'node:assert/strict';
import { semanticTokens } from '../../server/src/services/semanticTokens';
import { DATA, shop, slice, snapshot } from './completionFixture';

/** `text:type` for each token in the KPI or metric line holding `marker`. */
function tokensOn(main: string, marker: string): string[] {
  const snap = snapshot(main, DATA);
  const lineStart = snap.text.indexOf(marker);
  assert.ok(lineStart >= 0, marker);
  const lineEnd = snap.text.indexOf('\n', lineStart);
  return semanticTokens(snap).filter((t) => t.span.offset >= lineStart && t.span.offset < lineEnd).map((t) => `${slice(snap.text, t.span)}:${t.type}`);
}

describe('semantic tokens', () => {
  it('marks metrics and operators in a plain formula', () => {
    assert.deepEqual(tokensOn(shop('', ''), '    formula: bounces'), ['bounces:metric', '/:operator', 'sessions:metric']);
  });

  it('marks KPIs, imported ids, functions, numbers and percent literals in a quoted formula', () => {
    const main = shop('  aov: { formula: revenue / order_count, format: currency }', "  aov: { formula: 'round(revenue / order_count, 2) + cpc * 10% - rolling(aov2, 3)', format: currency }\n  aov2: { formula: 1.5e3 }");
    assert.deepEqual(tokensOn(main, '  aov: {'), [
      'round:function', 'revenue:metric', '/:operator', 'order_count:metric', '2:number', '+:operator', 'cpc:kpi', '*:operator', '10%:number',
      '-:operator', 'rolling:function', 'aov2:kpi', '3:number',
    ]);
    assert.deepEqual(tokensOn(main, '  aov2:'), ['1.5e3:number']);
  });

  it('marks columns, strings, comparisons, and/or/not as operators and true/false as keywords in `where`', () => {
    const main = shop('  order_count: { source: orders, agg: count }', "  order_count: { source: orders, agg: count, where: 'not (渠道 == \"邮件\" or `customer_id` != \"\") and amount >= 1 and abs(amount) < 5 or true' }");
    assert.deepEqual(tokensOn(main, '  order_count:'), [
      'not:operator', '渠道:column', '==:operator', '"邮件":string', 'or:operator', '`customer_id`:column', '!=:operator', '"":string',
      'and:operator', 'amount:column', '>=:operator', '1:number', 'and:operator', 'abs:function', 'amount:column', '<:operator', '5:number', 'or:operator', 'true:keyword',
    ]);
  });

  it('maps double-quoted formulas with escapes into document offsets', () => {
    const main = shop('  order_count: { source: orders, agg: count }', '  order_count: { source: orders, agg: count, where: "channel == \\"email\\" and amount > 0" }');
    assert.deepEqual(tokensOn(main, '  order_count:'), ['channel:column', '==:operator', '\\"email\\":string', 'and:operator', 'amount:column', '>:operator', '0:number']);
  });

  it('maps block scalar formulas line by line', () => {
    const main = shop('    formula: bounces / sessions', '    formula: |\n      bounces /\n        sessions');
    const snap = snapshot(main, DATA);
    const start = snap.text.indexOf('formula: |');
    const got = semanticTokens(snap).filter((t) => t.span.offset > start && t.span.offset < start + 50).map((t) => `${slice(snap.text, t.span)}:${t.type}`);
    assert.deepEqual(got, ['bounces:metric', '/:operator', 'sessions:metric']);
  });

  it('leaves unknown names, sources and goals unmarked, but marks unknown function calls', () => {
    const main = shop('    formula: bounces / sessions', '    formula: nothing + web + grow + nofn(bounces)');
    assert.deepEqual(tokensOn(main, '    formula: nothing'), ['+:operator', '+:operator', '+:operator', 'nofn:function', 'bounces:metric']);
  });

  it('returns tokens in document order without overlaps, also for aliased formulas', () => {
    const main = shop('  aov: { formula: revenue / order_count, format: currency }', '  aov: { formula: &f revenue / order_count, format: currency }\n  aov_again: { formula: *f }');
    const snap = snapshot(main, DATA);
    const tokens = semanticTokens(snap);
    assert.ok(tokens.length > 0);
    for (let i = 1; i < tokens.length; i++) assert.ok(tokens[i]!.span.offset >= tokens[i - 1]!.span.offset + tokens[i - 1]!.span.length, `token ${i} overlaps`);
    assert.deepEqual(tokensOn(main, '  aov: {'), ['revenue:metric', '/:operator', 'order_count:metric']);
  });

  it('gives nothing for a file without formulas', () => {
    assert.deepEqual(semanticTokens(snapshot('kpispec: 1\nname: 空\n', {})), []);
  });
});
