import type { BinaryOp, Expr, FormulaError, ParseResult, Token } from './ast';
import { backtickName, decodeString, invalidTokenMessage, numberValue, quoteText, scan } from './scanner';

/**
 * The formula parser: a Pratt parser that never throws. Errors are data, and after each one
 * parsing goes on so that independent mistakes in one formula are all reported, each once.
 *
 * Recursion is bounded by MAX_DEPTH: every call that descends passes `level` (the number of
 * nodes and parentheses above the current position), and a subexpression that would nest
 * deeper is skipped with a flat loop and becomes one ErrorExpr. Only the first MAX_TOKENS
 * tokens are parsed. So any input returns quickly and any recursive walker of the tree is safe.
 */

/** Most nesting levels in a formula: AST nodes plus parentheses, counted from the root. */
export const MAX_DEPTH = 200;
/** Most tokens in a formula that are parsed. */
export const MAX_TOKENS = 5000;

/** Binding powers, low to high. `not` binds its operand at CMP, unary minus at NEG. */
const OR = 1, AND = 2, CMP = 4, ADD = 5, MUL = 6, NEG = 7;
/** Two operands with no operator between (`a b`) are recovered as if joined at MUL. */
const JUXT = MUL;

const BINARY = new Map<string, [BinaryOp, number]>([
  ['or', ['or', OR]], ['and', ['and', AND]],
  ['==', ['==', CMP]], ['!=', ['!=', CMP]], ['<', ['<', CMP]], ['<=', ['<=', CMP]], ['>', ['>', CMP]], ['>=', ['>=', CMP]],
  ['+', ['+', ADD]], ['-', ['-', ADD]], ['*', ['*', MUL]], ['/', ['/', MUL]],
]);

/** Misspelt operators that still parse as what they surely mean, after their error. */
const MISSPELT = new Map<string, BinaryOp>([
  ['=', '=='], ['===', '=='], ['!==', '!='], ['<>', '!='], ['&&', 'and'], ['&', 'and'], ['||', 'or'], ['|', 'or'],
]);

/** A parsed subexpression, its height (levels it occupies) and its extent including parentheses. */
interface Parsed {
  e: Expr;
  h: number;
  start: number;
  end: number;
}

type Infix =
  | { kind: 'op'; op: BinaryOp; bp: number; misspelt: boolean }
  | { kind: 'juxt' | 'junk'; bp: number };

const end = (t: Token): number => t.span.offset + t.span.length;

function errorNode(start: number, stop: number): Parsed {
  return { e: { kind: 'error', span: { offset: start, length: stop - start } }, h: 1, start, end: stop };
}

/** An invalid token that is neither a misspelt operator nor `!`: stray characters or an unterminated string. */
function isJunk(t: Token): boolean {
  return t.kind === 'invalid' && t.text !== '!' && !MISSPELT.has(t.text);
}

/** Can this token begin an operand that directly follows another one (`a b`)? */
function startsValue(t: Token): boolean {
  switch (t.kind) {
    case 'number': case 'string': case 'name': case 'lparen':
      return true;
    case 'keyword':
      return t.text === 'not' || t.text === 'true' || t.text === 'false';
    default:
      return false;
  }
}

/** Can this token begin an operand where one is expected? */
function startsOperand(t: Token): boolean {
  return startsValue(t) || (t.kind === 'operator' && t.text === '-') || (t.kind === 'invalid' && t.text === '!');
}

class Parser {
  readonly errors: FormulaError[] = [];
  private pos = 0;
  /** Offsets that already have an error: one error per place, so one mistake is reported once. */
  private readonly errorAt = new Set<number>();
  private limitReported = false;
  /** A limit skip ran to the end: what is missing there (a `)`, a value) is not the user's fault. */
  private skippedToEnd = false;
  /** Index of the token parsing stops at: the eof, or the first token past MAX_TOKENS. */
  private readonly stop: number;
  private readonly stopToken: Token;
  readonly cut: boolean;

  constructor(private readonly tokens: Token[]) {
    const eof = tokens.length - 1;
    this.cut = eof > MAX_TOKENS;
    this.stop = this.cut ? MAX_TOKENS : eof;
    this.stopToken = this.cut
      ? { kind: 'eof', text: '', span: { offset: tokens[MAX_TOKENS].span.offset, length: 0 } }
      : tokens[eof];
  }

  formula(): Parsed {
    let r = this.expr(0, 0);
    for (let t = this.peek(); t.kind !== 'eof'; t = this.peek()) {
      // Only `)` and `,` end an expression early; report them and carry on with what follows.
      this.advance();
      if (t.kind === 'rparen') {
        this.error('unmatched `)`', t);
        r = this.infix(r, 0, 0);
      } else {
        r = this.extraItems(r, t, 0, 'unexpected `,` outside a function call');
      }
    }
    return r;
  }

  limit(message: string, offset: number, length: number): void {
    if (this.limitReported) return;
    this.limitReported = true;
    this.errorAt.add(offset);
    this.errors.push({ message, span: { offset, length }, kind: 'limit' });
  }

  private peek(ahead = 0): Token {
    const i = this.pos + ahead;
    return i < this.stop ? this.tokens[i] : this.stopToken;
  }

  private advance(): Token {
    const t = this.peek();
    if (this.pos < this.stop) this.pos++;
    return t;
  }

  private previous(): Token {
    return this.tokens[this.pos - 1];
  }

  private error(message: string, at: Token | { offset: number; length: number }): void {
    const span = 'span' in at ? at.span : at;
    if (this.errorAt.has(span.offset)) return;
    this.errorAt.add(span.offset);
    this.errors.push({ message, span: { offset: span.offset, length: span.length }, kind: 'syntax' });
  }

  /** Errors about the end of the formula are noise once the parser stopped early for a limit. */
  private quietAtEnd(): boolean {
    return this.skippedToEnd || (this.cut && this.pos >= this.stop);
  }

  private expr(minBp: number, level: number): Parsed {
    return this.infix(this.prefix(level), minBp, level);
  }

  /** Does the token at the cursor begin a node with children (which needs two more levels)? */
  private opensNode(t: Token): boolean {
    if (t.kind === 'lparen' || (t.kind === 'invalid' && t.text === '!')) return true;
    if (t.kind === 'keyword') return t.text === 'not';
    if (t.kind === 'operator') return t.text === '-';
    return t.kind === 'name' && this.peek(1).kind === 'lparen';
  }

  private prefix(level: number): Parsed {
    const t = this.peek();
    if (level + 2 > MAX_DEPTH && this.opensNode(t)) return this.tooDeep(t, t.span.offset);
    switch (t.kind) {
      case 'number':
        return this.number();
      case 'string':
        return this.string();
      case 'name':
        if (this.peek(1).kind === 'lparen') return this.call(level);
        this.advance();
        return { e: { kind: 'name', name: backtickName(t.text), span: t.span }, h: 1, start: t.span.offset, end: end(t) };
      case 'keyword':
        if (t.text === 'true' || t.text === 'false') {
          this.advance();
          return { e: { kind: 'bool', value: t.text === 'true', span: t.span }, h: 1, start: t.span.offset, end: end(t) };
        }
        return t.text === 'not' ? this.unary(level) : this.missingValue(t);
      case 'operator':
        return t.text === '-' ? this.unary(level) : this.missingValue(t);
      case 'lparen':
        return this.group(level);
      case 'invalid':
        if (t.text === '!') {
          this.error(invalidTokenMessage(t), t);
          return this.unary(level);
        }
        // A misspelt operator is left for the infix loop, which parses it as an operator.
        return MISSPELT.has(t.text) ? this.missingValue(t) : this.junkValue(level);
      default:
        return this.missingValue(t);
    }
  }

  private number(): Parsed {
    const t = this.advance();
    const { value, percent } = numberValue(t.text);
    if (!Number.isFinite(value)) this.error('number is too large', t);
    return { e: { kind: 'number', value, percent, span: t.span }, h: 1, start: t.span.offset, end: end(t) };
  }

  private string(): Parsed {
    const t = this.advance();
    const { value, badEscapes } = decodeString(t.text);
    for (const b of badEscapes) {
      const text = t.text.slice(b.offset, b.offset + b.length);
      this.error(`unknown escape ${quoteText(text)} in a string; write \`\\\\\` for a backslash`, {
        offset: t.span.offset + b.offset,
        length: b.length,
      });
    }
    return { e: { kind: 'string', value, span: t.span }, h: 1, start: t.span.offset, end: end(t) };
  }

  /** `-x`, `not x`, and `!x` recovered as `not x`. */
  private unary(level: number): Parsed {
    const t = this.advance();
    const op = t.text === '-' ? '-' : 'not';
    const operand = this.expr(op === '-' ? NEG : CMP, level + 1);
    const span = { offset: t.span.offset, length: operand.end - t.span.offset };
    return { e: { kind: 'unary', op, operand: operand.e, span }, h: operand.h + 1, start: t.span.offset, end: operand.end };
  }

  /** `( expr )`: no node of its own, but it counts as a level. */
  private group(level: number): Parsed {
    const open = this.advance();
    let inner = this.expr(0, level + 1);
    if (this.peek().kind === 'comma') {
      inner = this.extraItems(inner, this.advance(), level + 1, 'unexpected `,`: only a function call takes a list of values');
    }
    let stop = inner.end;
    if (this.peek().kind === 'rparen') stop = end(this.advance());
    else if (!this.quietAtEnd()) this.error('missing `)` to close `(`', open);
    return { e: inner.e, h: inner.h + 1, start: open.span.offset, end: stop };
  }

  /** `name(args, ...)`; arity is checked later, by the analysis. */
  private call(level: number): Parsed {
    const name = this.advance();
    const open = this.advance();
    const args: Expr[] = [];
    let h = 0;
    let stop = end(open);
    if (this.peek().kind === 'rparen') {
      stop = end(this.advance());
    } else {
      for (;;) {
        const arg = this.expr(0, level + 1);
        args.push(arg.e);
        h = Math.max(h, arg.h);
        stop = arg.end;
        const t = this.peek();
        if (t.kind === 'comma') {
          stop = end(this.advance());
          if (this.peek().kind !== 'rparen') continue;
          this.error('trailing comma: remove it or add an argument', t);
          stop = end(this.advance());
        } else if (t.kind === 'rparen') {
          stop = end(this.advance());
        } else if (!this.quietAtEnd()) {
          this.error(`missing \`)\` to close \`${name.text}(\``, open);
        }
        break;
      }
    }
    const span = { offset: name.span.offset, length: stop - name.span.offset };
    return {
      e: { kind: 'call', callee: name.text, calleeSpan: name.span, args, span },
      h: h + 1,
      start: name.span.offset,
      end: stop,
    };
  }

  /** A value was expected but `t` (an operator, `)`, `,` or the end) came: an empty ErrorExpr, nothing consumed. */
  private missingValue(t: Token): Parsed {
    if (t.kind !== 'eof') {
      this.error(`expected a value, found ${quoteText(t.text)}`, t);
      return errorNode(t.span.offset, t.span.offset);
    }
    const before = this.previous();
    if (!this.quietAtEnd()) this.error(`expected a value after ${quoteText(before.text)}`, before);
    return errorNode(end(before), end(before));
  }

  /** Stray characters where a value belongs: report them; an operand right after them joins the ErrorExpr. */
  private junkValue(level: number): Parsed {
    const first = this.advance();
    this.error(invalidTokenMessage(first), first);
    let stop = end(first);
    while (isJunk(this.peek())) {
      const t = this.advance();
      this.error(invalidTokenMessage(t), t);
      stop = end(t);
    }
    if (startsOperand(this.peek())) stop = this.prefix(level).end;
    return errorNode(first.span.offset, stop);
  }

  /** After a stray `,` (already consumed): parse the items that follow, all into one ErrorExpr. */
  private extraItems(first: Parsed, comma: Token, level: number, message: string): Parsed {
    this.error(message, comma);
    let stop = end(comma);
    for (;;) {
      if (startsOperand(this.peek())) stop = this.expr(0, level).end;
      if (this.peek().kind !== 'comma') break;
      stop = end(this.advance());
    }
    return errorNode(first.start, stop);
  }

  private infixOf(t: Token): Infix | undefined {
    switch (t.kind) {
      case 'operator':
      case 'keyword': {
        const b = BINARY.get(t.text);
        if (b) return { kind: 'op', op: b[0], bp: b[1], misspelt: false };
        return { kind: 'juxt', bp: JUXT }; // not, true, false
      }
      case 'invalid': {
        const op = MISSPELT.get(t.text);
        if (op) return { kind: 'op', op, bp: BINARY.get(op)![1], misspelt: true };
        return { kind: 'junk', bp: JUXT };
      }
      case 'name': case 'number': case 'string': case 'lparen':
        return { kind: 'juxt', bp: JUXT };
      default:
        return undefined; // `)`, `,`, end: the expression is over
    }
  }

  private infix(left: Parsed, minBp: number, level: number): Parsed {
    let afterComparison = false;
    for (;;) {
      const t = this.peek();
      const info = this.infixOf(t);
      if (!info || info.bp < minBp) return left;
      // The new node sits at `level` above a left operand of height left.h.
      if (level + 1 + left.h > MAX_DEPTH) return this.tooDeep(t, left.start);
      if (info.kind === 'op') {
        this.advance();
        if (info.misspelt) this.error(invalidTokenMessage(t), t);
        const comparison = info.bp === CMP;
        if (comparison && afterComparison) this.error('comparisons cannot be chained; use `and`', t);
        // Left-associative: the right operand takes only tighter operators.
        const right = this.expr(info.bp + 1, level + 1);
        const span = { offset: left.start, length: right.end - left.start };
        left = {
          e: { kind: 'binary', op: info.op, left: left.e, right: right.e, opSpan: t.span, span },
          h: Math.max(left.h, right.h) + 1,
          start: left.start,
          end: right.end,
        };
        afterComparison = comparison;
      } else if (info.kind === 'juxt') {
        this.error(`expected an operator between ${quoteText(this.previous().text)} and ${quoteText(t.text)}`, t);
        left = errorNode(left.start, this.expr(JUXT + 1, level + 1).end);
        afterComparison = false;
      } else {
        // Stray characters, or `!`, where an operator belongs. Always consume `t`: progress.
        this.advance();
        this.error(invalidTokenMessage(t), t);
        while (isJunk(this.peek())) {
          const j = this.advance();
          this.error(invalidTokenMessage(j), j);
        }
        // `a @ b`: one error (for `@`), and `a @ b` becomes one ErrorExpr.
        if (startsValue(this.peek())) {
          left = errorNode(left.start, this.expr(JUXT + 1, level + 1).end);
          afterComparison = false;
        }
      }
    }
  }

  /**
   * Too deep: report the limit (once per formula) at `t`, then skip without recursion to the end
   * of the enclosing group or argument, and stand one ErrorExpr from `start` for all of it.
   */
  private tooDeep(t: Token, start: number): Parsed {
    this.limit(`formula is nested too deeply (more than ${MAX_DEPTH} levels); split it into intermediate KPIs`, t.span.offset, t.span.length);
    let depth = 0;
    let stop = t.span.offset;
    for (;;) {
      const u = this.peek();
      if (u.kind === 'eof') {
        this.skippedToEnd = true;
        break;
      }
      if (u.kind === 'rparen') {
        if (depth === 0) break;
        depth--;
      } else if (u.kind === 'lparen') {
        depth++;
      } else if (u.kind === 'comma' && depth === 0) {
        break;
      }
      stop = end(this.advance());
    }
    return errorNode(start, stop);
  }
}

/**
 * Parses a formula. `tokens` are the tokens scanned: all of them, or, past the token limit, the
 * first MAX_TOKENS + 1 and the eof (the rest is never read, so it is not scanned).
 */
export function parseFormula(text: string): ParseResult {
  const tokens = scan(text, MAX_TOKENS + 1);
  const whole = { offset: 0, length: text.length };
  if (tokens.length === 1) {
    return { expr: { kind: 'error', span: whole }, errors: [{ message: 'empty formula', span: whole, kind: 'syntax' }], tokens };
  }
  const parser = new Parser(tokens);
  let expr = parser.formula().e;
  if (parser.cut) {
    // The tree of a truncated formula would mean something else than the formula: drop it.
    const first = tokens[MAX_TOKENS].span.offset;
    parser.limit(`formula is too long (more than ${MAX_TOKENS} tokens); split it into intermediate KPIs`, first, text.length - first);
    expr = { kind: 'error', span: whole };
  }
  const errors = parser.errors.sort((a, b) => a.span.offset - b.span.offset);
  return { expr, errors, tokens };
}
