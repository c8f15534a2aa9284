import assert from 'node:assert/strict';
import type { Expr } from '../../../server/src/language/formula/ast';
import { parseFormula } from '../../../server/src/language/formula/parser';
import { children, forEachName } from '../../../server/src/language/formula/walk';

function names(text: string): string[] {
  const out: string[] = [];
  forEachName(parseFormula(text).expr, (n) => out.push(n.name));
  return out;
}

describe('formula walk', () => {
  it('lists the children of each node kind in source order', () => {
    const e = parseFormula('f(a, -b) + 1').expr;
    assert.equal(e.kind, 'binary');
    const [call, one] = children(e);
    assert.deepEqual([call.kind, one.kind], ['call', 'number']);
    const [a, neg] = children(call);
    assert.deepEqual([a.kind, neg.kind], ['name', 'unary']);
    assert.deepEqual(children(neg).map((c) => c.kind), ['name']);
    assert.deepEqual(children(one), []);
  });

  it('visits every name reference in source order, but not callees', () => {
    assert.deepEqual(names('growth(sessions) + prev(x, n) * (y - not z) / "s"'), ['sessions', 'x', 'n', 'y', 'z']);
    assert.deepEqual(names('f()'), []);
  });

  it('is safe on trees deeper than any recursion could go', () => {
    let e: Expr = { kind: 'name', name: 'leaf', span: { offset: 0, length: 4 } };
    for (let i = 0; i < 200_000; i++) e = { kind: 'unary', op: '-', operand: e, span: e.span };
    const seen: string[] = [];
    forEachName(e, (n) => seen.push(n.name));
    assert.deepEqual(seen, ['leaf']);
  });
});
