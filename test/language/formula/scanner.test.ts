import assert from 'node:assert/strict';
import { decodeString, invalidTokenMessage, numberValue, scan } from '../../../server/src/language/formula/scanner';
import { marks } from './marks';

/** [kind, text] of every token but the final eof. */
function kinds(text: string): [string, string][] {
  return scan(text).slice(0, -1).map((t) => [t.kind, t.text]);
}

/** The tokens of text (but the eof) have exactly the spans marked under it. */
function spans(text: string, marker: string): void {
  assert.deepEqual(scan(text).slice(0, -1).map((t) => t.span), marks(marker));
}

describe('formula scanner', () => {
  it('ends with one eof token at the end of the text', () => {
    assert.deepEqual(scan(''), [{ kind: 'eof', text: '', span: { offset: 0, length: 0 } }]);
    const tokens = scan('a + 1  ');
    assert.deepEqual(tokens[tokens.length - 1], { kind: 'eof', text: '', span: { offset: 7, length: 0 } });
  });

  it('gives each token its exact span', () => {
    // Each run of one marker character is the span of one token.
    spans('growth(sessions) * 40% >= .5 or "x"',
          '^^^^^^~^^^^^^^^~ ^ ~~~ ^^ ~~ ^^ ~~~');
    spans("f(a,b)<=c!='q'",
          '^~^~^~^^~^^~~~');
  });

  it('skips spaces, tabs, newlines, no-break spaces and a byte order mark', () => {
    const tokens = scan('\ufeff a\n\t+\r\n\u00a0b ');
    assert.deepEqual(tokens.map((t) => [t.kind, t.text, t.span.offset]), [
      ['name', 'a', 2], ['operator', '+', 5], ['name', 'b', 9], ['eof', '', 11],
    ]);
  });

  it('scans numbers in every written form', () => {
    assert.deepEqual(kinds('12 1.5 .5 2e3 1.5E-2 1e+3 40% 0.5%'), [
      ['number', '12'], ['number', '1.5'], ['number', '.5'], ['number', '2e3'],
      ['number', '1.5E-2'], ['number', '1e+3'], ['number', '40%'], ['number', '0.5%'],
    ]);
  });

  it('leaves what is not part of a number to the next token', () => {
    // `1.` has no fraction digits, `1e` no exponent digits, and `%` after a space is not a percent.
    assert.deepEqual(kinds('1. 1e 1.5.3 40 %'), [
      ['number', '1'], ['invalid', '.'], ['number', '1'], ['name', 'e'],
      ['number', '1.5'], ['number', '.3'], ['number', '40'], ['invalid', '%'],
    ]);
  });

  it('computes percent values by dividing by 100, exactly like a literal', () => {
    assert.deepEqual(numberValue('40%'), { value: 0.4, percent: true });
    assert.equal(numberValue('7%').value, 0.07);
    assert.equal(numberValue('150%').value, 1.5);
    assert.deepEqual(numberValue('2e3'), { value: 2000, percent: false });
  });

  it('scans identifiers and lowercase keywords', () => {
    assert.deepEqual(kinds('and or not true false And TRUE _x a1_b'), [
      ['keyword', 'and'], ['keyword', 'or'], ['keyword', 'not'], ['keyword', 'true'], ['keyword', 'false'],
      ['name', 'And'], ['name', 'TRUE'], ['name', '_x'], ['name', 'a1_b'],
    ]);
    assert.deepEqual(kinds('notes android'), [['name', 'notes'], ['name', 'android']]);
  });

  it('scans every operator, longest match first', () => {
    assert.deepEqual(
      kinds('+ - * / == != < <= > >= ( ) ,').map((k) => k[0]),
      ['operator', 'operator', 'operator', 'operator', 'operator', 'operator', 'operator', 'operator',
        'operator', 'operator', 'lparen', 'rparen', 'comma'],
    );
    assert.deepEqual(kinds('a<=b'), [['name', 'a'], ['operator', '<='], ['name', 'b']]);
  });

  it('scans misspelt operators as single invalid tokens with a suggestion', () => {
    const cases: [string, RegExp][] = [
      ['=', /use `==`/], ['===', /use `==`/], ['!==', /use `!=`/], ['<>', /use `!=`/],
      ['&&', /use `and`/], ['&', /use `and`/], ['||', /use `or`/], ['|', /use `or`/], ['!', /use `not`/],
    ];
    for (const [op, message] of cases) {
      const tokens = scan(`a ${op} b`);
      assert.deepEqual(tokens[1], { kind: 'invalid', text: op, span: { offset: 2, length: op.length } }, op);
      assert.match(invalidTokenMessage(tokens[1]), message, op);
    }
  });

  it('scans strings in both quotes with escapes', () => {
    const tokens = scan(`"say \\"hi\\"" 'it\\'s' "a\\\\b\\n\\t"`);
    assert.deepEqual(tokens.slice(0, -1).map((t) => t.kind), ['string', 'string', 'string']);
    assert.deepEqual(tokens.slice(0, -1).map((t) => decodeString(t.text).value), ['say "hi"', "it's", 'a\\b\n\t']);
    assert.deepEqual(decodeString(`"a'b"`).value, "a'b");
  });

  it('keeps unicode in strings and counts spans in UTF-16 code units', () => {
    spans('"naïve café" == x',
          '^^^^^^^^^^^^ ~~ ^');
    // An emoji is two code units: the string ends one unit later than it looks.
    const tokens = scan('"😀" == x');
    assert.deepEqual(tokens.map((t) => t.span.offset), [0, 5, 8, 9]);
    assert.equal(decodeString(tokens[0].text).value, '😀');
    assert.equal(decodeString(scan('"跳出率 é"')[0].text).value, '跳出率 é');
  });

  it('lists unknown escapes, keeping them as written', () => {
    assert.deepEqual(decodeString('"C:\\dir"'), { value: 'C:\\dir', badEscapes: [{ offset: 3, length: 2 }] });
  });

  it('makes an unterminated string one invalid token to the end of the text', () => {
    const tokens = scan(`channel == "email and x`);
    assert.deepEqual(tokens.slice(2, -1).map((t) => [t.kind, t.text]), [['invalid', '"email and x']]);
    assert.match(invalidTokenMessage(tokens[2]), /unterminated string: add the closing "/);
    // A backslash escapes the would-be closing quote.
    assert.deepEqual(kinds(`'ab\\'`), [['invalid', `'ab\\'`]]);
  });

  it('makes one invalid token per run of characters that start no token', () => {
    const text = 'a @#$ b .c ~ §¶';
    const tokens = scan(text).slice(0, -1);
    assert.deepEqual(tokens.map((t) => [t.kind, t.text]), [
      ['name', 'a'], ['invalid', '@#$'], ['name', 'b'], ['invalid', '.'], ['name', 'c'], ['invalid', '~'], ['invalid', '§¶'],
    ]);
    // A looked-up column is one name, dots inside; a dot not followed by a name is not part of it.
    assert.deepEqual(scan('deal.won_date + deal.owner.team - x. + 1.5').slice(0, -1).map((t) => [t.kind, t.text]), [
      ['name', 'deal.won_date'], ['operator', '+'], ['name', 'deal.owner.team'], ['operator', '-'], ['name', 'x'], ['invalid', '.'], ['operator', '+'], ['number', '1.5'],
    ]);
    assert.equal(invalidTokenMessage(tokens[1]), 'unexpected characters `@#$`');
    assert.equal(invalidTokenMessage(tokens[5]), 'unexpected character `~`');
  });

  it('shows control characters visibly in messages', () => {
    const [t] = scan('\u0001');
    assert.equal(invalidTokenMessage(t), 'unexpected character `\\u0001`');
  });

  it('scans 100,000 characters in linear time', () => {
    for (const text of ['@'.repeat(100_000), '"' + '\\'.repeat(99_999), '1'.repeat(100_000) + 'e', 'a+'.repeat(50_000)]) {
      const start = performance.now();
      scan(text);
      assert.ok(performance.now() - start < 1000);
    }
  });
});

describe('scanner: names beyond ASCII', () => {
  it('scans CJK names and backtick-quoted names as names', () => {
    const tokens = scan('渠道 == "email" and `order date` > "2026-01-01"');
    const names = tokens.filter((t) => t.kind === 'name').map((t) => t.text);
    assert.deepEqual(names, ['渠道', '`order date`']);
  });

  it('reports an unterminated backtick name', () => {
    const tokens = scan('`order date == 1');
    assert.equal(tokens[0]!.kind, 'invalid');
  });
});
