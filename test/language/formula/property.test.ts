import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BinaryOp, Expr } from '../../../server/src/language/formula/ast';
import { MAX_DEPTH, parseFormula } from '../../../server/src/language/formula/parser';
import { printFormula } from '../../../server/src/language/formula/printer';
import { depth, nodes } from './marks';

const at = { offset: 0, length: 0 };

/** Number values a formula can hold: doubles in any magnitude, and percent literals `d%` = d / 100. */
const double = fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }).map(Math.abs);
const numberLit: fc.Arbitrary<Expr> = fc.oneof(
  fc.nat(1_000_000).map((value) => ({ kind: 'number', value, percent: false, span: at }) as Expr),
  double.map((value) => ({ kind: 'number', value, percent: false, span: at }) as Expr),
  fc.oneof(fc.nat(1000), double).map((d) => ({ kind: 'number', value: d / 100, percent: true, span: at }) as Expr),
);
const leaf: fc.Arbitrary<Expr> = fc.oneof(
  // Names that start like keywords, to catch a printer that glues them to an operator.
  fc.constantFrom('a', 'b', 'sessions', 'x_1', '_t', 'notes', 'android', 'order', 'true_rate')
    .map((name) => ({ kind: 'name', name, span: at }) as Expr),
  numberLit,
  fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 }), fc.constantFrom('"', "'", '\\', '\n\t'))
    .map((value) => ({ kind: 'string', value, span: at }) as Expr),
  fc.boolean().map((value) => ({ kind: 'bool', value, span: at }) as Expr),
);
const binaryOps: BinaryOp[] = ['+', '-', '*', '/', '==', '!=', '<', '<=', '>', '>=', 'and', 'or'];

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { maxDepth: 7, depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ op: fc.constantFrom('-' as const, 'not' as const), operand: tie('expr') })
      .map(({ op, operand }) => ({ kind: 'unary', op, operand, span: at }) as Expr),
    fc.record({ op: fc.constantFrom(...binaryOps), left: tie('expr'), right: tie('expr') })
      .map(({ op, left, right }) => ({ kind: 'binary', op, left, right, opSpan: at, span: at }) as Expr),
    fc.record({ callee: fc.constantFrom('prev', 'growth', 'if', 'coalesce', 'f'), args: fc.array(tie('expr'), { maxLength: 3 }) })
      .map(({ callee, args }) => ({ kind: 'call', callee, calleeSpan: at, args, span: at }) as Expr),
  ),
}));

/** The tree without spans, numbers compared with Object.is. */
function shape(e: Expr): unknown {
  switch (e.kind) {
    case 'number': return ['number', Object.is(e.value, -0) ? '-0' : e.value, e.percent];
    case 'string': return ['string', e.value];
    case 'bool': return ['bool', e.value];
    case 'name': return ['name', e.name];
    case 'unary': return ['unary', e.op, shape(e.operand)];
    case 'binary': return ['binary', e.op, shape(e.left), shape(e.right)];
    case 'call': return ['call', e.callee, e.args.map(shape)];
    case 'error': return ['error'];
  }
}

/** Pieces of formulas, right and wrong, so that random text reaches deep into the parser. */
const soup = fc
  .array(
    fc.constantFrom(
      'a', 'b1', 'f', '(', ')', ',', '+', '-', '*', '/', '==', '<', '>=', '!=', 'and', 'or', 'not', 'true',
      '1', '.5', '2e3', '40%', '"s"', "'q'", '"', "'", '\\', '=', '&&', '||', '!', '@', '%', '.', '日', '😀', ' ', '\n',
    ),
    { maxLength: 40 },
  )
  .chain((parts) => fc.constantFrom(parts.join(''), parts.join(' ')));

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary-ascii' }), soup);

/** What must hold for the result of any text at all. */
function checkInvariants(text: string): void {
  const r = parseFormula(text);
  const within = (s: { offset: number; length: number }) =>
    Number.isInteger(s.offset) && s.offset >= 0 && s.length >= 0 && s.offset + s.length <= text.length;
  for (const e of r.errors) assert.ok(within(e.span), `error span outside the text: ${JSON.stringify(e)}`);
  assert.equal(new Set(r.errors.map((e) => e.span.offset)).size, r.errors.length, 'two errors at one place');
  assert.ok(r.errors.filter((e) => e.kind === 'limit').length <= 1);
  const all = nodes(r.expr);
  for (const n of all) assert.ok(within(n.span), `node span outside the text: ${JSON.stringify(n.span)}`);
  assert.ok(depth(r.expr) <= MAX_DEPTH);
  if (all.some((n) => n.kind === 'error')) assert.ok(r.errors.length > 0, 'an ErrorExpr without an error');
  // Tokens are the text, in order, with only whitespace between them.
  let pos = 0;
  for (const t of r.tokens) {
    assert.ok(t.span.offset >= pos);
    assert.equal(text.slice(pos, t.span.offset).trim().replace(/\ufeff/g, ''), '');
    assert.equal(text.slice(t.span.offset, t.span.offset + t.span.length), t.text);
    pos = t.span.offset + t.span.length;
  }
  assert.equal(r.tokens[r.tokens.length - 1].kind, 'eof');
  assert.equal(pos, text.length);
  if (r.errors.length === 0) {
    const printed = printFormula(r.expr);
    const again = parseFormula(printed);
    assert.deepEqual(again.errors, []);
    assert.equal(printFormula(again.expr), printed);
    assert.deepEqual(shape(again.expr), shape(r.expr));
  }
}

describe('formula properties', () => {
  it('printing then parsing any tree gives the same tree and the same print', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const printed = printFormula(e);
        const r = parseFormula(printed);
        assert.deepEqual(r.errors, [], printed);
        assert.deepEqual(shape(r.expr), shape(e), printed);
        assert.equal(printFormula(r.expr), printed);
      }),
      { numRuns: 2000 },
    );
  });

  it('parses any text without throwing, within the text and the limits', () => {
    fc.assert(fc.property(anyText, checkInvariants), { numRuns: 3000 });
  });

  it('keeps the invariants on the edge cases found so far', () => {
    for (const text of ['', ' ', '(', ')', ',', '"', '\\', 'f(', 'f(,', '(,)', ')(', 'a)b', '!', '!!a', '= =', '@ @', '1%%', '\ufeffa', '\ud800', '"\\\ud83d\ude00"', 'BzKk!7h', 'a ! b', '!']) {
      checkInvariants(text);
    }
  });
});
