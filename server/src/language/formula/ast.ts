import type { Span } from '../span';

/**
 * The formula AST. Spans are relative to the start of the formula text (offset 0 = its
 * first character); the caller maps them into the document.
 */
export type Expr =
  | NumberLit
  | StringLit
  | BoolLit
  | NameRef
  | Unary
  | Binary
  | Call
  | ErrorExpr;

/** `12`, `1.5`, `2e3`, `40%` (value 0.4, percent true). */
export interface NumberLit {
  kind: 'number';
  value: number;
  percent: boolean;
  span: Span;
}

/** `"email"` or `'email'`; value has escapes resolved. */
export interface StringLit {
  kind: 'string';
  value: string;
  span: Span;
}

/** `true` / `false`. */
export interface BoolLit {
  kind: 'bool';
  value: boolean;
  span: Span;
}

/** A reference to a metric, KPI or (in `where`) a column. */
export interface NameRef {
  kind: 'name';
  name: string;
  span: Span;
}

export type UnaryOp = '-' | 'not';

export interface Unary {
  kind: 'unary';
  op: UnaryOp;
  operand: Expr;
  span: Span;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export interface Binary {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  /** The operator token. */
  opSpan: Span;
  span: Span;
}

export interface Call {
  kind: 'call';
  callee: string;
  calleeSpan: Span;
  args: Expr[];
  span: Span;
}

/** Stands where parsing failed; an error was recorded for it. */
export interface ErrorExpr {
  kind: 'error';
  span: Span;
}

export interface FormulaError {
  message: string;
  span: Span;
  /** 'syntax' for formula-syntax, 'limit' for formula-too-complex. */
  kind: 'syntax' | 'limit';
}

export type TokenKind =
  | 'number'
  | 'string'
  | 'name'
  | 'keyword' // and, or, not, true, false
  | 'operator' // + - * / == != < <= > >=
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'invalid'
  | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  span: Span;
}

export interface ParseResult {
  /** Always present: an ErrorExpr when nothing parsed. */
  expr: Expr;
  errors: FormulaError[];
  tokens: Token[];
}
