import type { Token, TokenKind } from './ast';

/**
 * The formula scanner: text in, tokens out, never throws. One pass over the characters with
 * no regular expressions, so its time is linear in the text whatever the input.
 *
 * Mistakes are tokens too: a misspelt operator (`=`, `&&`, `||`, `!`, ...), an unterminated
 * string and each run of characters that start no token become one 'invalid' token;
 * `invalidTokenMessage` says what is wrong with it.
 */

const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false']);

const SPACE = 0x20, TAB = 0x09, LF = 0x0a, VT = 0x0b, FF = 0x0c, CR = 0x0d, NBSP = 0xa0, BOM = 0xfeff;
const DOT = 0x2e, PERCENT = 0x25, QUOTE = 0x22, APOS = 0x27, BACKSLASH = 0x5c, UNDERSCORE = 0x5f;
const PLUS = 0x2b, MINUS = 0x2d;

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR || c === VT || c === FF || c === NBSP || c === BOM;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

const LETTER = /\p{L}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u;
const BACKTICK = 0x60;

/** Names may use any letters, so a `where` can name a column like `渠道`. */
function isIdentStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === UNDERSCORE || (c >= 0x80 && LETTER.test(String.fromCharCode(c)));
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || (c >= 0x80 && LETTER_OR_DIGIT.test(String.fromCharCode(c)));
}

/** A name in backticks (`` `order date` ``) for a column whose name is not a plain word. */
export function backtickName(tokenText: string): string {
  return tokenText.startsWith('`') ? tokenText.slice(1, -1) : tokenText;
}

/**
 * The punctuation or operator at i: its length and kind. Misspelt operators (`=`, `===`, `!==`,
 * `<>`, `&&`, `&`, `||`, `|`, `!`) scan as one 'invalid' token so that they get one clear error.
 */
function punctuationAt(text: string, i: number): [number, TokenKind] | undefined {
  const next = text.charCodeAt(i + 1);
  const EQ = 0x3d;
  switch (text[i]) {
    case '(': return [1, 'lparen'];
    case ')': return [1, 'rparen'];
    case ',': return [1, 'comma'];
    case '+': case '-': case '*': case '/': return [1, 'operator'];
    case '<': return next === EQ ? [2, 'operator'] : next === 0x3e ? [2, 'invalid'] : [1, 'operator'];
    case '>': return next === EQ ? [2, 'operator'] : [1, 'operator'];
    case '=': case '!': {
      if (next !== EQ) return [1, 'invalid'];
      return text.charCodeAt(i + 2) === EQ ? [3, 'invalid'] : [2, 'operator'];
    }
    case '&': case '|': return [next === text.charCodeAt(i) ? 2 : 1, 'invalid'];
    default: return undefined;
  }
}

/** Does a token other than 'invalid' start at i? Ends a run of invalid characters. */
function startsToken(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (
    isSpace(c) ||
    isDigit(c) ||
    (c === DOT && isDigit(text.charCodeAt(i + 1))) ||
    isIdentStart(c) ||
    c === BACKTICK ||
    c === QUOTE ||
    c === APOS ||
    punctuationAt(text, i) !== undefined
  );
}

/** `12`, `1.5`, `.5`, `2e3`, `1.5E-2`, each optionally followed directly by `%`. Returns the end. */
function scanNumber(text: string, i: number): number {
  while (isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === DOT && isDigit(text.charCodeAt(i + 1))) {
    i++;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    const sign = text.charCodeAt(i + 1);
    const digitAt = sign === PLUS || sign === MINUS ? i + 2 : i + 1;
    if (isDigit(text.charCodeAt(digitAt))) {
      i = digitAt;
      while (isDigit(text.charCodeAt(i))) i++;
    }
  }
  if (text.charCodeAt(i) === PERCENT) i++;
  return i;
}

/** From an opening quote: the end of the string and whether its closing quote was found. */
function scanString(text: string, i: number): { end: number; closed: boolean } {
  const quote = text.charCodeAt(i);
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === quote) return { end: j + 1, closed: true };
  }
  return { end: text.length, closed: false };
}

/**
 * The tokens of text, ending with an 'eof' token at text.length. With maxTokens, scanning stops
 * after that many tokens (the eof then follows directly): a caller that reads no further need
 * not pay for 100,000 tokens.
 */
export function scan(text: string, maxTokens = Infinity): Token[] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number): void => {
    tokens.push({ kind, text: text.slice(start, end), span: { offset: start, length: end - start } });
  };
  let i = 0;
  while (i < text.length && tokens.length < maxTokens) {
    const c = text.charCodeAt(i);
    const start = i;
    if (isSpace(c)) {
      i++;
    } else if (isDigit(c) || (c === DOT && isDigit(text.charCodeAt(i + 1)))) {
      i = scanNumber(text, i);
      push('number', start, i);
    } else if (isIdentStart(c)) {
      while (i < text.length && isIdentPart(text.charCodeAt(i))) i++;
      const keyword = KEYWORDS.has(text.slice(start, i));
      // A looked-up column: `deal.won_date`, `deal.owner.team` (one name, dots inside).
      while (!keyword && text.charCodeAt(i) === DOT && isIdentStart(text.charCodeAt(i + 1))) {
        i++;
        while (i < text.length && isIdentPart(text.charCodeAt(i))) i++;
      }
      push(keyword ? 'keyword' : 'name', start, i);
    } else if (c === BACKTICK) {
      const close = text.indexOf('`', i + 1);
      const nl = text.indexOf('\n', i + 1);
      const closed = close > i + 1 && (nl < 0 || close < nl);
      i = closed ? close + 1 : nl < 0 ? text.length : nl;
      push(closed ? 'name' : 'invalid', start, i);
    } else if (c === QUOTE || c === APOS) {
      const s = scanString(text, i);
      i = s.end;
      push(s.closed ? 'string' : 'invalid', start, i);
    } else {
      const p = punctuationAt(text, i);
      if (p) {
        i += p[0];
        push(p[1], start, i);
      } else {
        i++;
        while (i < text.length && !startsToken(text, i)) i++;
        push('invalid', start, i);
      }
    }
  }
  tokens.push({ kind: 'eof', text: '', span: { offset: text.length, length: 0 } });
  return tokens;
}

/** The value of a 'number' token; `40%` is 40/100, computed as a division so it equals 0.4 exactly. */
export function numberValue(tokenText: string): { value: number; percent: boolean } {
  const percent = tokenText.endsWith('%');
  const value = Number(percent ? tokenText.slice(0, -1) : tokenText);
  return { value: percent ? value / 100 : value, percent };
}

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', n: '\n', t: '\t' };

/**
 * The value of a 'string' token, escapes resolved. Unknown escapes (`\d`) are kept as written and
 * listed (offsets relative to the token) so the parser can report them: a silently dropped
 * backslash would change a `where` filter's meaning.
 */
export function decodeString(tokenText: string): { value: string; badEscapes: { offset: number; length: number }[] } {
  let value = '';
  const badEscapes: { offset: number; length: number }[] = [];
  const last = tokenText.length - 1; // the closing quote
  for (let i = 1; i < last; i++) {
    const ch = tokenText[i];
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const next = tokenText[i + 1];
    if (Object.prototype.hasOwnProperty.call(ESCAPES, next)) {
      value += ESCAPES[next];
      i++;
    } else {
      // The escaped character may be a surrogate pair: keep it whole.
      const width = isHighSurrogate(next.charCodeAt(0)) && i + 2 < last ? 2 : 1;
      badEscapes.push({ offset: i, length: 1 + width });
      value += tokenText.slice(i, i + 1 + width);
      i += width;
    }
  }
  return { value, badEscapes };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

const SUGGESTIONS: Record<string, string> = {
  '=': '`=` is not a comparison; use `==`',
  '===': 'use `==` to compare',
  '!==': 'use `!=` to compare',
  '<>': 'use `!=` for "not equal"',
  '&&': 'use `and` instead of `&&`',
  '&': 'use `and` instead of `&`',
  '||': 'use `or` instead of `||`',
  '|': 'use `or` instead of `|`',
  '!': 'use `not` instead of `!`',
};

/** What is wrong with an 'invalid' token, in words for the user. */
export function invalidTokenMessage(token: Token): string {
  const t = token.text;
  if (Object.prototype.hasOwnProperty.call(SUGGESTIONS, t)) return SUGGESTIONS[t];
  if (t.startsWith('"') || t.startsWith("'")) return `unterminated string: add the closing ${t[0]}`;
  if (t.startsWith('`')) return 'unterminated name: add the closing `';
  if (t === '%') return '`%` must directly follow a number, as in `40%`';
  return `${t.length === 1 ? 'unexpected character' : 'unexpected characters'} ${quoteText(t)}`;
}

/** Token text for a message: in backticks, shortened, control characters made visible. */
export function quoteText(text: string): string {
  const short = text.length > 24 ? text.slice(0, 20) + '…' : text;
  let out = '';
  for (const ch of short) {
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || c === 0x7f ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
  }
  return '`' + out + '`';
}
