import * as assert from 'node:assert/strict';
import { signatureHelp } from '../../server/src/services/signatureHelp';
import type { SignatureHelp } from '../../server/src/services/types';
import { atCaret, DATA, shop } from './completionFixture';

function sigAt(main: string): SignatureHelp | undefined {
  const { snap, offset } = atCaret(main, DATA);
  return signatureHelp(snap, offset);
}

const formula = (f: string) => shop('    formula: bounces / sessions', `    formula: ${f}`);
const params = (s: SignatureHelp) => s.parameters.map(([a, b]) => s.label.slice(a, b));

describe('signature help', () => {
  it('shows the signature, its parameters and the active one in a quoted formula', () => {
    const s = sigAt(shop('  aov: { formula: revenue / order_count, format: currency }', "  aov: { formula: 'rolling(revenue, ^)', format: currency }"));
    assert.ok(s);
    assert.equal(s.label, 'rolling(x, n)');
    assert.deepEqual(params(s), ['x', 'n']);
    assert.equal(s.active, 1);
    assert.match(s.documentation, /Sum of x over this period/);
  });

  it('counts the first parameter right after the parenthesis and on the name\'s argument', () => {
    assert.equal(sigAt(formula('prev(^sessions)'))!.active, 0);
    assert.equal(sigAt(formula('prev(sess^ions, 2)'))!.active, 0);
    assert.equal(sigAt(formula('prev(sessions, 2^)'))!.active, 1);
    assert.deepEqual(params(sigAt(formula('prev(^)'))!), ['x', 'n = 1']);
  });

  it('takes the innermost call and counts only its top-level commas', () => {
    const inner = sigAt(formula('prev(max(bounces, ^sessions), 2)'))!;
    assert.equal(inner.label, 'max(a, b, ...)');
    assert.equal(inner.active, 1);
    const outer = sigAt(formula('if((bounces > 1), max(bounces, sessions), ^)'))!;
    assert.equal(outer.label, 'if(condition, then, else)');
    assert.equal(outer.active, 2);
    const grouped = sigAt(formula('round((bounces + ^sessions) / 2, 1)'))!;
    assert.equal(grouped.label, 'round(x, digits = 0)');
    assert.equal(grouped.active, 0);
  });

  it('keeps the last parameter active in variadic calls', () => {
    const s = sigAt(formula('coalesce(bounces, sessions, 1, ^)'))!;
    assert.deepEqual(params(s), ['a', 'b', '...']);
    assert.equal(s.active, 2);
  });

  it('works in an unclosed call while typing (plain and unterminated quoted formulas)', () => {
    assert.equal(sigAt(formula('growth(prev(sessions, ^'))!.label, 'prev(x, n = 1)');
    const s = sigAt(shop('  aov: { formula: revenue / order_count, format: currency }', "  aov:\n    formula: 'rolling(revenue, ^\n    format: currency"))!;
    assert.equal(s.label, 'rolling(x, n)');
    assert.equal(s.active, 1);
  });

  it('ignores commas in strings and works in `where` after CJK text', () => {
    const s = sigAt(shop('  order_count: { source: orders, agg: count }', "  order_count:\n    source: orders\n    agg: count\n    where: 'if(渠道 == \"邮件,短信\", round(amount, ^), 0) > 1'"))!;
    assert.equal(s.label, 'round(x, digits = 0)');
    assert.equal(s.active, 1);
    const str = sigAt(shop('  order_count: { source: orders, agg: count }', "  order_count: { source: orders, agg: count, where: 'if(channel == \",\", ^true, false)' }"))!;
    assert.equal(str.active, 1);
  });

  it('nothing outside a call, after it closes, in an unknown function or outside formulas', () => {
    assert.equal(sigAt(formula('bounces / ^sessions')), undefined);
    assert.equal(sigAt(formula('prev(sessions)^ + 1')), undefined);
    assert.equal(sigAt(formula('pre^v(sessions)')), undefined);
    assert.equal(sigAt(formula('prevv(sessions, ^)')), undefined);
    assert.equal(sigAt(shop('    format: percent', '    format: per^cent')), undefined);
    assert.equal(sigAt(shop('    title: 跳出率 (bounce rate)', '    title: 跳出率 (bounce ^rate)')), undefined);
  });

  it('uses the scalar\'s offsets for double-quoted formulas with escapes', () => {
    const s = sigAt(shop('  order_count: { source: orders, agg: count }', '  order_count: { source: orders, agg: count, where: "if(channel == \\"a\\", ^true, false)" }'))!;
    assert.equal(s.label, 'if(condition, then, else)');
    assert.equal(s.active, 1);
  });
});
