import type { BinaryOp, Expr } from './ast';

/**
 * The normalized text of a formula, used to compare formulas: single spaces around binary
 * operators, canonical numbers, double-quoted strings and only the parentheses that precedence
 * and associativity require. Parsing the output gives the same tree, so printing is idempotent.
 */

/** Printing precedence, low to high; mirrors the parser's binding powers. */
const OR = 1, AND = 2, NOT = 3, CMP = 4, NEG = 7, ATOM = 8;

const PRECEDENCE: Record<BinaryOp, number> = {
  or: OR, and: AND,
  '==': CMP, '!=': CMP, '<': CMP, '<=': CMP, '>': CMP, '>=': CMP,
  '+': 5, '-': 5, '*': 6, '/': 6,
};

function isNegative(n: number): boolean {
  return n < 0 || Object.is(n, -0);
}

function precedence(e: Expr): number {
  switch (e.kind) {
    case 'binary':
      return PRECEDENCE[e.op];
    case 'unary':
      return e.op === 'not' ? NOT : NEG;
    case 'number':
      return isNegative(e.value) ? NEG : ATOM; // printed with a leading `-`
    default:
      return ATOM;
  }
}

export function printFormula(expr: Expr): string {
  switch (expr.kind) {
    case 'number':
      return printNumber(expr.value, expr.percent);
    case 'string':
      return printString(expr.value);
    case 'bool':
      return expr.value ? 'true' : 'false';
    case 'name':
      return /^[\p{L}_][\p{L}\p{N}\p{M}_]*$/u.test(expr.name) ? expr.name : `\`${expr.name}\``;
    case 'call':
      return `${expr.callee}(${expr.args.map(printFormula).join(', ')})`;
    case 'error':
      return '<error>';
    case 'unary': {
      const inner = precedence(expr.operand);
      if (expr.op === 'not') return `not ${wrap(expr.operand, inner < NOT)}`;
      // `-(-x)` rather than `--x`, which reads like a decrement.
      return `-${wrap(expr.operand, inner <= NEG)}`;
    }
    case 'binary': {
      const p = PRECEDENCE[expr.op];
      const l = precedence(expr.left);
      // Left-associative, and comparisons do not chain: `(a < b) < c` keeps its parentheses.
      const left = wrap(expr.left, l < p || (p === CMP && l === CMP));
      const right = wrap(expr.right, precedence(expr.right) <= p);
      return `${left} ${expr.op} ${right}`;
    }
  }
}

function wrap(e: Expr, parenthesize: boolean): string {
  return parenthesize ? `(${printFormula(e)})` : printFormula(e);
}

function printNumber(value: number, percent: boolean): string {
  if (isNegative(value)) return '-' + printNumber(-value, percent);
  // Out of range of a double: `1e999` reads back as the same Infinity (with its error).
  if (!Number.isFinite(value)) return '1e999';
  if (percent) {
    const digits = percentDigits(value);
    if (digits !== undefined) return digits + '%';
  }
  return String(value);
}

/**
 * The shortest number text d with Number(d) / 100 === value, as the scanner computes `d%`.
 * value * 100 can be off by an ulp or two (0.4 * 100 is 40.00000000000001), so the doubles
 * next to it are tried too. Undefined if none fits (a value no percent literal produces).
 */
function percentDigits(value: number): string | undefined {
  let best: string | undefined;
  for (const candidate of neighbours(value * 100, 4)) {
    if (candidate / 100 !== value) continue;
    const s = String(candidate);
    if (best === undefined || s.length < best.length) best = s;
  }
  return best;
}

/** x and up to `count` adjacent doubles on each side (x finite and not negative). */
function neighbours(x: number, count: number): number[] {
  const buffer = new DataView(new ArrayBuffer(8));
  buffer.setFloat64(0, x);
  const bits = buffer.getBigUint64(0);
  const out: number[] = [];
  for (let k = -count; k <= count; k++) {
    const b = bits + BigInt(k);
    if (b < 0n || b >= 0x7ff0000000000000n) continue; // below +0 or not finite
    buffer.setBigUint64(0, b);
    out.push(buffer.getFloat64(0));
  }
  return out;
}

const STRING_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t' };

function printString(value: string): string {
  let out = '"';
  for (const ch of value) out += Object.prototype.hasOwnProperty.call(STRING_ESCAPES, ch) ? STRING_ESCAPES[ch] : ch;
  return out + '"';
}
