import assert from 'node:assert/strict';
import type { ParseResult } from '../../../server/src/language/formula/ast';
import { MAX_DEPTH, MAX_TOKENS, parseFormula } from '../../../server/src/language/formula/parser';
import { depth } from './marks';

/** Parse, returning the fastest of three runs' time (the first one also warms up the JIT). */
function timed(text: string): { r: ParseResult; ms: number } {
  let best = Infinity;
  let r!: ParseResult;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    r = parseFormula(text);
    best = Math.min(best, performance.now() - start);
  }
  return { r, ms: best };
}

function limitErrors(r: ParseResult) {
  return r.errors.filter((e) => e.kind === 'limit');
}

describe('formula parser: limits', () => {
  it('accepts a tree exactly MAX_DEPTH levels deep and refuses one level more', () => {
    const ok = parseFormula('-'.repeat(MAX_DEPTH - 1) + 'a');
    assert.deepEqual(ok.errors, []);
    assert.equal(depth(ok.expr), MAX_DEPTH);
    const over = parseFormula('-'.repeat(MAX_DEPTH) + 'a');
    assert.equal(over.errors.length, 1);
    assert.equal(over.errors[0].kind, 'limit');
    assert.match(over.errors[0].message, /more than 200 levels/);
    // The limit is reported at the token that goes too deep.
    assert.deepEqual(over.errors[0].span, { offset: MAX_DEPTH - 1, length: 1 });
  });

  it('counts left-associative chains as nesting', () => {
    const ok = parseFormula('a' + '+a'.repeat(MAX_DEPTH - 1));
    assert.deepEqual(ok.errors, []);
    assert.equal(depth(ok.expr), MAX_DEPTH);
    const over = parseFormula('a' + '+a'.repeat(MAX_DEPTH));
    assert.deepEqual(over.errors.map((e) => e.kind), ['limit']);
    assert.ok(depth(over.expr) <= MAX_DEPTH);
  });

  it('counts parentheses as nesting', () => {
    const n = MAX_DEPTH - 1;
    assert.deepEqual(parseFormula('('.repeat(n) + 'a' + ')'.repeat(n)).errors, []);
    const over = parseFormula('('.repeat(n + 1) + 'a' + ')'.repeat(n + 1));
    assert.deepEqual(over.errors.map((e) => e.kind), ['limit']);
  });

  it('keeps the parts that fit and stands an ErrorExpr for the excess', () => {
    const deep = '('.repeat(300) + 'a' + ')'.repeat(300);
    const r = parseFormula(`f(x, ${deep}, y)`);
    assert.deepEqual(r.errors.map((e) => e.kind), ['limit']);
    assert.equal(r.expr.kind, 'call');
    assert.deepEqual(r.expr.kind === 'call' && r.expr.args.map((a) => a.kind), ['name', 'error', 'name']);
    // The limit is reported at the first `(` too deep; parentheses count as levels.
    assert.deepEqual(r.errors[0].span, { offset: 5 + MAX_DEPTH - 2, length: 1 });
    // Another deep part after the first: still one limit error.
    assert.deepEqual(parseFormula(`${deep} * ${deep}`).errors.map((e) => e.kind), ['limit']);
  });

  it('counts the parentheses of a deep operand against the whole formula', () => {
    // 199 levels of parentheses leave no room for a `+` above them.
    const deep = '('.repeat(MAX_DEPTH - 1) + 'a' + ')'.repeat(MAX_DEPTH - 1);
    assert.deepEqual(parseFormula(deep).errors, []);
    const r = parseFormula(`${deep} + y`);
    assert.deepEqual(r.errors.map((e) => e.kind), ['limit']);
    assert.equal(r.expr.kind, 'error');
  });

  it('accepts MAX_TOKENS tokens and refuses more, with one limit error over the excess', () => {
    const args = (n: number) => `f(${Array(n).fill('a').join(',')})`; // 2n + 2 tokens
    const ok = parseFormula(args((MAX_TOKENS - 2) / 2));
    assert.equal(ok.tokens.length - 1, MAX_TOKENS);
    assert.deepEqual(ok.errors, []);
    const text = args((MAX_TOKENS - 2) / 2 + 1);
    const over = parseFormula(text);
    assert.equal(over.errors.length, 1);
    assert.equal(over.errors[0].kind, 'limit');
    assert.match(over.errors[0].message, /more than 5000 tokens/);
    const first = over.tokens[MAX_TOKENS].span.offset;
    assert.deepEqual(over.errors[0].span, { offset: first, length: text.length - first });
    assert.equal(over.expr.kind, 'error');
  });

  it('does not report the syntax of a formula cut at the token limit', () => {
    // Cut in the middle of `(a +`: no "missing `)`", no "expected a value".
    const r = parseFormula('f(' + 'a+'.repeat(MAX_TOKENS));
    assert.deepEqual(r.errors.map((e) => e.kind), ['limit']);
  });

  const huge: [string, string][] = [
    ['open parentheses', '('.repeat(100_000)],
    ['balanced parentheses', '('.repeat(49_999) + 'ab' + ')'.repeat(49_999)],
    ['a chain of +', 'a' + '+a'.repeat(49_999) + '+'],
    ['a chain of unary minus', '-'.repeat(99_999) + 'a'],
    ['a chain of not', 'not '.repeat(25_000)],
    ['nested calls', 'f('.repeat(50_000)],
    ['a long call', 'f(' + 'a,'.repeat(49_999)],
    ['invalid characters', '@ '.repeat(50_000)],
  ];
  for (const [name, text] of huge) {
    it(`returns quickly with one limit error on 100,000 characters of ${name}`, () => {
      assert.equal(text.length, 100_000);
      const { r, ms } = timed(text);
      assert.ok(ms < 100, `took ${ms.toFixed(1)} ms`);
      assert.equal(limitErrors(r).length, 1);
      assert.ok(depth(r.expr) <= MAX_DEPTH);
      if (name !== 'invalid characters') assert.equal(r.errors.length, 1, JSON.stringify(r.errors.slice(0, 3)));
      // Past the token limit the rest of the text is not even scanned.
      assert.ok(r.tokens.length <= MAX_TOKENS + 2);
      assert.equal(r.tokens[r.tokens.length - 1].span.offset, text.length);
    });
  }
});
