import assert from 'node:assert/strict';
import type { Expr } from '../../../server/src/language/formula/ast';
import { parseFormula } from '../../../server/src/language/formula/parser';
import { printFormula } from '../../../server/src/language/formula/printer';
import { mark, nodes } from './marks';

/** The normalized print of a formula that must parse without errors. */
function print(text: string): string {
  const r = parseFormula(text);
  assert.deepEqual(r.errors, [], text);
  return printFormula(r.expr);
}

/** The formula's AST in full parenthesization, to state grouping without trusting the printer. */
function grouping(text: string): string {
  const show = (e: Expr): string => {
    switch (e.kind) {
      case 'binary': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
      case 'unary': return `(${e.op === 'not' ? 'not ' : '-'}${show(e.operand)})`;
      case 'call': return `${e.callee}(${e.args.map(show).join(', ')})`;
      default: return printFormula(e);
    }
  };
  const r = parseFormula(text);
  assert.deepEqual(r.errors, [], text);
  return show(r.expr);
}

/** Some node of the kind has exactly the span marked under the text. */
function hasNode(text: string, marker: string, kind: Expr['kind']): Expr {
  const want = mark(marker);
  const found = nodes(parseFormula(text).expr).filter((n) => n.kind === kind);
  const hit = found.find((n) => n.span.offset === want.offset && n.span.length === want.length);
  assert.ok(hit, `no ${kind} at ${JSON.stringify(want)} in ${JSON.stringify(text)}; found ${JSON.stringify(found.map((n) => n.span))}`);
  return hit;
}

describe('formula parser: precedence', () => {
  it('orders or < and < not < comparisons < + - < * / < unary minus < calls', () => {
    assert.equal(grouping('a or b and c'), '(a or (b and c))');
    assert.equal(grouping('not a and b'), '((not a) and b)');
    assert.equal(grouping('not a == b'), '(not (a == b))');
    assert.equal(grouping('a == b + c'), '(a == (b + c))');
    assert.equal(grouping('a + b * c'), '(a + (b * c))');
    assert.equal(grouping('-a * b'), '((-a) * b)');
    assert.equal(grouping('-f(a) / 2'), '((-f(a)) / 2)');
    assert.equal(grouping('a < b and c >= d or not e'), '(((a < b) and (c >= d)) or (not e))');
  });

  it('is left-associative for binary operators', () => {
    assert.equal(grouping('a - b - c'), '((a - b) - c)');
    assert.equal(grouping('a / b * c'), '((a / b) * c)');
    assert.equal(grouping('a or b or c'), '((a or b) or c)');
    assert.equal(grouping('a and b and c'), '((a and b) and c)');
  });

  it('nests prefix operators', () => {
    assert.equal(grouping('--a'), '(-(-a))');
    assert.equal(grouping('not not a'), '(not (not a))');
    assert.equal(grouping('not -a < b'), '(not ((-a) < b))');
    assert.equal(grouping('a - -b'), '(a - (-b))');
    assert.equal(grouping('a and not b'), '(a and (not b))');
  });

  it('lets parentheses override precedence', () => {
    assert.equal(grouping('(a + b) * c'), '((a + b) * c)');
    assert.equal(grouping('a - (b - c)'), '(a - (b - c))');
    assert.equal(grouping('(a < b) == (c < d)'), '((a < b) == (c < d))');
  });

  it('parses the formulas of the language reference', () => {
    assert.equal(print('bounces / sessions'), 'bounces / sessions');
    assert.equal(print('(revenue - ad_spend) / ad_spend'), '(revenue - ad_spend) / ad_spend');
    assert.equal(print('growth(sessions)'), 'growth(sessions)');
    assert.equal(print('returning / prev(customers)'), 'returning / prev(customers)');
    assert.equal(print("channel == 'email' and amount > 0"), 'channel == "email" and amount > 0');
    assert.equal(print('if(orders > 0, revenue / orders, 0)'), 'if(orders > 0, revenue / orders, 0)');
    assert.equal(print('round(coalesce(a, b, 0), 2)'), 'round(coalesce(a, b, 0), 2)');
  });

  it('accepts calls with no arguments (arity is checked elsewhere)', () => {
    const r = parseFormula('f()');
    assert.deepEqual(r.errors, []);
    assert.equal(r.expr.kind === 'call' && r.expr.args.length, 0);
  });

  it('accepts formulas over several lines', () => {
    assert.equal(print('if(a > 0,\n   b,\n\tc)'), 'if(a > 0, b, c)');
  });

  it('reads literal values', () => {
    const [n, p, s, t, f] = ['1.50', '40%', '"a\\"b"', 'true', 'false'].map((x) => parseFormula(x).expr);
    assert.deepEqual(n, { kind: 'number', value: 1.5, percent: false, span: { offset: 0, length: 4 } });
    assert.deepEqual(p, { kind: 'number', value: 0.4, percent: true, span: { offset: 0, length: 3 } });
    assert.deepEqual(s, { kind: 'string', value: 'a"b', span: { offset: 0, length: 6 } });
    assert.equal(t.kind === 'bool' && t.value, true);
    assert.equal(f.kind === 'bool' && f.value, false);
  });

  it('keeps unicode in strings', () => {
    const r = parseFormula('region == "华东 🚀" or name == \'Zoë\'');
    assert.deepEqual(r.errors, []);
    const strings = nodes(r.expr).flatMap((n) => (n.kind === 'string' ? [n.value] : []));
    assert.deepEqual(strings, ['华东 🚀', 'Zoë']);
    assert.equal(printFormula(r.expr), 'region == "华东 🚀" or name == "Zoë"');
  });

  it('returns every scanned token', () => {
    const r = parseFormula('a + @');
    assert.deepEqual(r.tokens.map((t) => t.kind), ['name', 'operator', 'invalid', 'eof']);
  });
});

describe('formula parser: spans', () => {
  it('spans leaves', () => {
    hasNode('x + 12.5 * 40%',
            '^', 'name');
    hasNode('x + 12.5 * 40%',
            '    ^^^^', 'number');
    hasNode('x + 12.5 * 40%',
            '           ^^^', 'number');
    // (No escapes in marked fixtures: `\\` in the source would shift the marker by one.)
    hasNode('a == "q s" or true',
            '     ^^^^^', 'string');
    hasNode('a == "q s" or true',
            '              ^^^^', 'bool');
  });

  it('spans binary nodes from the first to the last token of their operands, with the operator', () => {
    const e = hasNode('a + b * c',
                      '    ^^^^^', 'binary');
    assert.deepEqual(e.kind === 'binary' && e.opSpan,
                     mark('      ^'));
    hasNode('a + b * c',
            '^^^^^^^^^', 'binary');
    // Parentheses around an operand are part of the enclosing node's span ...
    hasNode('(a + b) * c',
            '^^^^^^^^^^^', 'binary');
    hasNode('x / (y - z)',
            '^^^^^^^^^^^', 'binary');
    // ... but a parenthesized expression has no node of its own: it keeps the inner span.
    hasNode('(a + b) * c',
            ' ^^^^^', 'binary');
    hasNode('((a))',
            '  ^', 'name');
  });

  it('spans unary nodes from the operator', () => {
    hasNode('x * -y',
            '    ^^', 'unary');
    hasNode('not (a or b)',
            '^^^^^^^^^^^^', 'unary');
  });

  it('spans calls to the closing parenthesis, with the callee', () => {
    const e = hasNode('1 + prev(customers, 2)',
                      '    ^^^^^^^^^^^^^^^^^^', 'call');
    assert.deepEqual(e.kind === 'call' && e.calleeSpan,
                     mark('    ^^^^'));
    hasNode('f ( )',
            '^^^^^', 'call');
  });

  it('spans error nodes where the value is missing', () => {
    hasNode('a + * b',
            '    |', 'error');
    hasNode('a +',
            '   |', 'error');
    hasNode('a + @ b',
            '    ^^^', 'error');
  });
});
