import type { Span } from '../language/span';

/**
 * What editor features return: plain data with offsets. The language server (lsp/) turns
 * offsets into LSP positions; nothing here knows LSP.
 */

/** A text replacement in a file. */
export interface Edit {
  file: string;
  span: Span;
  newText: string;
}

export type CompletionKind = 'key' | 'value' | 'metric' | 'kpi' | 'source' | 'function' | 'column' | 'lookup' | 'file' | 'goal';

export interface Completion {
  label: string;
  kind: CompletionKind;
  /** One line shown beside the label, e.g. a metric's unit and formula. */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Replaces `replace` (the word being typed); defaults to the label. */
  insertText?: string;
  /** insertText is a snippet with $1 placeholders. */
  snippet?: boolean;
  replace: Span;
  /** Sorts before others when lower (e.g. same-file ids first). */
  sortRank?: number;
}

export interface Hover {
  /** Markdown. */
  markdown: string;
  span: Span;
}

export interface Location {
  file: string;
  span: Span;
}

export interface SymbolNode {
  name: string;
  kind: 'goal' | 'kpi' | 'metric' | 'source' | 'section';
  detail?: string;
  span: Span;
  selection: Span;
  children: SymbolNode[];
}

export interface WorkspaceSymbol {
  name: string;
  kind: 'goal' | 'kpi' | 'metric' | 'source' | 'column';
  file: string;
  span: Span;
  container?: string;
}

export interface CodeAction {
  title: string;
  kind: 'quickfix';
  /** The problem it fixes (rule and span), so the client can attach it. */
  rule: string;
  problemSpan: Span;
  edits: Edit[];
  preferred?: boolean;
}

/** `derived`: a derived or aggregate column; `lookup`: the lookup of a looked-up column (`deal` in `deal.won_date`). */
export type SemanticTokenType = 'metric' | 'kpi' | 'function' | 'number' | 'operator' | 'string' | 'column' | 'keyword' | 'derived' | 'lookup';

export interface SemanticToken {
  span: Span;
  type: SemanticTokenType;
}

export interface SignatureHelp {
  label: string;
  documentation: string;
  /** Each parameter's span within `label` (start, end). */
  parameters: [number, number][];
  active: number;
}

export interface Lens {
  span: Span;
  kpi: string;
  title: string;
}

export interface Link {
  span: Span;
  target: string;
}

export type RenameResult = { edits: Edit[] } | { error: string };
