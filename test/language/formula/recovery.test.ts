import assert from 'node:assert/strict';
import { parseFormula } from '../../../server/src/language/formula/parser';
import { printFormula } from '../../../server/src/language/formula/printer';
import { marks } from './marks';

/**
 * The formula reports exactly these syntax errors, at the spans marked under it (one marker
 * run per error, in order; `|` is an empty span), and its tree prints as `printed` if given.
 */
function errors(text: string, marker: string, messages: string[], printed?: string): void {
  const r = parseFormula(text);
  const spans = marks(marker);
  assert.equal(spans.length, messages.length, 'fixture: one marker run per message');
  assert.deepEqual(
    r.errors.map((e) => ({ message: e.message, span: e.span, kind: e.kind })),
    messages.map((message, i) => ({ message, span: spans[i], kind: 'syntax' })),
  );
  if (printed !== undefined) assert.equal(printFormula(r.expr), printed);
}

describe('formula parser: errors and recovery', () => {
  it('reports an empty formula', () => {
    errors('',
           '|', ['empty formula'], '<error>');
    errors('  \n ',
           '^^^^', ['empty formula']);
  });

  it('reports a missing value at the token found instead', () => {
    errors('a + * b',
           '    ^', ['expected a value, found `*`'], 'a + <error> * b');
    errors('a + (b * )',
           '         ^', ['expected a value, found `)`'], 'a + b * <error>');
    errors('()',
           ' ^', ['expected a value, found `)`']);
    errors('and b',
           '^^^', ['expected a value, found `and`'], '<error> and b');
  });

  it('reports a missing value at the end on the last token', () => {
    errors('a +',
           '  ^', ['expected a value after `+`'], 'a + <error>');
    errors('not',
           '^^^', ['expected a value after `not`']);
  });

  it('reports a missing `)` at the `(` it would close', () => {
    errors('(a + b',
           '^', ['missing `)` to close `(`'], 'a + b');
    errors('((a + b) * (c - d)',
           '^', ['missing `)` to close `(`'], '(a + b) * (c - d)');
    errors('2 * prev(x, 2',
           '        ^', ['missing `)` to close `prev(`'], '2 * prev(x, 2)');
  });

  it('reports two operands without an operator, and keeps parsing', () => {
    errors('a b',
           '  ^', ['expected an operator between `a` and `b`'], '<error>');
    errors('a b + * c',
           '  ^   ~', ['expected an operator between `a` and `b`', 'expected a value, found `*`'], '<error> + <error> * c');
    errors('f(x) (y)',
           '     ^', ['expected an operator between `)` and `(`']);
    errors('x + 1 true',
           '      ^^^^', ['expected an operator between `1` and `true`'], 'x + <error>');
  });

  it('reports a stray `)` and parses what follows it', () => {
    errors('a + b) * c',
           '     ^', ['unmatched `)`'], '(a + b) * c');
    errors('f(a)) + 1)',
           '    ^    ~', ['unmatched `)`', 'unmatched `)`'], 'f(a) + 1');
  });

  it('reports a trailing comma and keeps the call', () => {
    errors('round(x, 2, )',
           '          ^', ['trailing comma: remove it or add an argument'], 'round(x, 2)');
    errors('f(, a)',
           '  ^', ['expected a value, found `,`'], 'f(<error>, a)');
    errors('f(a, , b)',
           '     ^', ['expected a value, found `,`'], 'f(a, <error>, b)');
  });

  it('reports commas outside a call once', () => {
    errors('a, b, c',
           ' ^', ['unexpected `,` outside a function call'], '<error>');
    errors('(a, b) + c',
           '  ^', ['unexpected `,`: only a function call takes a list of values'], '<error> + c');
  });

  it('reports each run of invalid characters once, without follow-up errors', () => {
    errors('a @ b + c #$ d',
           '  ^       ~~', ['unexpected character `@`', 'unexpected characters `#$`'], '<error> + <error>');
    errors('@ a + b',
           '^', ['unexpected character `@`'], '<error> + b');
    errors('a @ + b',
           '  ^', ['unexpected character `@`'], 'a + b');
    errors('sessions .count',
           '         ^', ['unexpected character `.`']);
    errors('§¶ / 2',
           '^^', ['unexpected characters `§¶`'], '<error> / 2');
  });

  it('suggests the right operator and parses as if it had been written', () => {
    errors('a = b && c || !d',
           '  ^   ~~   ^^ ~',
           ['`=` is not a comparison; use `==`', 'use `and` instead of `&&`', 'use `or` instead of `||`', 'use `not` instead of `!`'],
           'a == b and c or not d');
    errors('a === b or a !== c or a <> d',
           '  ^^^        ~~~        ^^', ['use `==` to compare', 'use `!=` to compare', 'use `!=` for "not equal"'],
           'a == b or a != c or a != d');
    errors('a & b | c',
           '  ^   ~', ['use `and` instead of `&`', 'use `or` instead of `|`'], 'a and b or c');
  });

  it('reports a misspelt operator where a value belongs once', () => {
    errors('a + = b',
           '    ^', ['expected a value, found `=`'], 'a + <error> == b');
  });

  it('refuses chained comparisons, once per extra comparison', () => {
    errors('0 < x < 1',
           '      ^', ['comparisons cannot be chained; use `and`'], '(0 < x) < 1');
    errors('a == b != c == d',
           '       ^^   ~~', ['comparisons cannot be chained; use `and`', 'comparisons cannot be chained; use `and`']);
    errors('a < b and b < c',
           '', []);
    errors('(a < b) == c',
           '', []);
  });

  it('reports an unterminated string once', () => {
    errors('channel == "email and x > 1',
           '           ^^^^^^^^^^^^^^^^', ['unterminated string: add the closing "'], 'channel == <error>');
    errors("a 'b",
           '  ^^', ["unterminated string: add the closing '"], 'a');
  });

  it('reports unknown escapes in strings at the escape', () => {
    errors('path == "C:\\dir"',
           '           ^^', ['unknown escape `\\d` in a string; write `\\\\` for a backslash']);
  });

  it('reports numbers too large for a double', () => {
    errors('x * 1e999',
           '    ^^^^^', ['number is too large']);
  });

  it('reports several independent errors in one formula, in order', () => {
    errors('f(a,, b) + (c * ) + d e + 7 @',
           '    ^           ~     ^     ~',
           ['expected a value, found `,`', 'expected a value, found `)`', 'expected an operator between `d` and `e`', 'unexpected character `@`']);
    errors('(a +',
           '^  ~', ['missing `)` to close `(`', 'expected a value after `+`']);
  });

  it('never reports two errors at one place', () => {
    errors('(',
           '^', ['expected a value after `(`']);
  });
});
