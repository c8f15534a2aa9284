import assert from 'node:assert/strict';
import type { Expr } from '../../../server/src/language/formula/ast';
import { parseFormula } from '../../../server/src/language/formula/parser';
import { printFormula } from '../../../server/src/language/formula/printer';

const at = { offset: 0, length: 0 };
const num = (value: number, percent = false): Expr => ({ kind: 'number', value, percent, span: at });
const name = (n: string): Expr => ({ kind: 'name', name: n, span: at });

/** Normalized print of a formula; parsing the print again gives the same print. */
function normal(text: string): string {
  const r = parseFormula(text);
  assert.deepEqual(r.errors, [], text);
  const printed = printFormula(r.expr);
  assert.equal(printFormula(parseFormula(printed).expr), printed, `not idempotent: ${text}`);
  return printed;
}

describe('formula printer', () => {
  it('puts single spaces around binary operators and none inside calls', () => {
    assert.equal(normal('a+b*c'), 'a + b * c');
    assert.equal(normal('  f( a ,b )  '), 'f(a, b)');
    assert.equal(normal('x>=1and y<2'), 'x >= 1 and y < 2');
    assert.equal(normal('not(a)'), 'not a');
    assert.equal(normal('- x'), '-x');
  });

  it('keeps only the parentheses that precedence and associativity need', () => {
    assert.equal(normal('(a + b) + c'), 'a + b + c');
    assert.equal(normal('a + (b + c)'), 'a + (b + c)');
    assert.equal(normal('a - (b - c)'), 'a - (b - c)');
    assert.equal(normal('(a * b) / c'), 'a * b / c');
    assert.equal(normal('a / (b * c)'), 'a / (b * c)');
    assert.equal(normal('(a * b) + (c / d)'), 'a * b + c / d');
    assert.equal(normal('(a + b) * (c - d)'), '(a + b) * (c - d)');
    assert.equal(normal('((a))'), 'a');
    assert.equal(normal('f((a + b))'), 'f(a + b)');
  });

  it('parenthesizes around prefix operators only where needed', () => {
    assert.equal(normal('-(a * b)'), '-(a * b)');
    assert.equal(normal('(-a) * b'), '-a * b');
    assert.equal(normal('-(-a)'), '-(-a)');
    assert.equal(normal('--a'), '-(-a)');
    assert.equal(normal('a - (-b)'), 'a - -b');
    assert.equal(normal('not (a == b)'), 'not a == b');
    assert.equal(normal('not (a and b)'), 'not (a and b)');
    assert.equal(normal('(not a) and b'), 'not a and b');
    assert.equal(normal('(not a) == b'), '(not a) == b');
    assert.equal(normal('a + (not b)'), 'a + (not b)');
    assert.equal(normal('a and (not b)'), 'a and not b');
    assert.equal(normal('not not a'), 'not not a');
  });

  it('keeps parentheses that stop comparisons from chaining', () => {
    assert.equal(normal('(a < b) == c'), '(a < b) == c');
    assert.equal(normal('a == (b < c)'), 'a == (b < c)');
    assert.equal(normal('(a or b) and c'), '(a or b) and c');
    assert.equal(normal('a or (b and c)'), 'a or b and c');
  });

  it('prints numbers canonically and percent literals as percentages', () => {
    assert.equal(normal('1.50'), '1.5');
    assert.equal(normal('2e3'), '2000');
    assert.equal(normal('1.5E-2'), '0.015');
    assert.equal(normal('.5'), '0.5');
    assert.equal(normal('007'), '7');
    assert.equal(normal('1e21'), '1e+21');
    assert.equal(normal('40%'), '40%');
    assert.equal(normal('7%'), '7%'); // 7/100 * 100 is 7.000000000000001
    assert.equal(normal('1.50%'), '1.5%');
    assert.equal(normal('0.07%'), '0.07%');
    assert.equal(normal('150%'), '150%');
    assert.equal(normal('1e3%'), '1000%');
  });

  it('prints numbers built by code, including negative ones', () => {
    assert.equal(printFormula(num(-2)), '-2');
    assert.equal(printFormula(num(-0.4, true)), '-40%');
    assert.equal(printFormula(num(-0)), '-0');
    assert.equal(printFormula({ kind: 'unary', op: '-', operand: num(-2), span: at }), '-(-2)');
    assert.equal(printFormula({ kind: 'binary', op: '*', left: num(-2), right: name('a'), opSpan: at, span: at }), '-2 * a');
    // A value that no percent literal gives is printed as a plain number, keeping its value.
    assert.equal(printFormula(num(7.761709589825729, true)), '7.761709589825729');
    assert.equal(printFormula(num(Infinity)), '1e999');
  });

  it('prints strings in double quotes with escapes', () => {
    assert.equal(normal(`'it\\'s "x"'`), '"it\'s \\"x\\""');
    assert.equal(normal('"a\\\\b\\n\\t"'), '"a\\\\b\\n\\t"');
    assert.equal(normal('"日本語 😀"'), '"日本語 😀"');
  });

  it('prints booleans, names, calls and errors', () => {
    assert.equal(normal('true or false'), 'true or false');
    assert.equal(normal('if(a,b,c)'), 'if(a, b, c)');
    assert.equal(normal('f()'), 'f()');
    assert.equal(printFormula(parseFormula('a +').expr), 'a + <error>');
  });
});
