import { isRelational, type Relations } from '../language/analysis/relations';
import type { Expr, Token } from '../language/formula/ast';
import { isColumnArg } from '../language/formula/functions';
import { MAX_TOKENS } from '../language/formula/parser';
import { backtickName, scan } from '../language/formula/scanner';
import { forEachNode } from '../language/analysis/references';
import type { Formula, SourceDef } from '../language/model';
import type { Span } from '../language/span';
import { scalarSpans } from '../language/yaml/scalarOffsets';
import { kpiSources } from './completionData';
import { endOf, hopsOf, relationsOf, segmentSpans } from './relationColumns';
import type { Snapshot } from './snapshot';
import type { SemanticToken, SemanticTokenType } from './types';

/**
 * Semantic tokens inside every formula of a file (KPI formulas, metric `where` filters, derived
 * columns and rollup aggregates): metrics, KPIs, functions, numbers (percents too), operators
 * (`and`, `or`, `not` too), strings, columns, derived and aggregate columns, lookups (the `deal`
 * of `deal.won_date` and of `matched(deal)`) and `true`/`false` (and the grain of `period`).
 * Outside formulas, the lookups of looked-up names in `column:`, `dimensions:` and `by:`.
 * Spans are document offsets, sorted, never overlapping.
 */
export function semanticTokens(snap: Snapshot): SemanticToken[] {
  const out: SemanticToken[] = [];
  let rel: Relations | undefined;
  const row = (f: Formula, src: SourceDef | undefined) => formulaTokens(snap, f, { src, rel: (rel ??= relationsOf(snap)) }, out);
  for (const def of snap.spec.definitions) {
    if (def.kind === 'kpi') {
      if (def.formula) formulaTokens(snap, def.formula, undefined, out);
      if (def.by.some((b) => b.value.includes('.'))) {
        rel ??= relationsOf(snap);
        const sources = kpiSources(snap.scope, def);
        for (const b of def.by) lookupPrefix(snap, b.value, b.span, sources, rel, out);
      }
    } else if (def.kind === 'metric') {
      const src = def.source ? snap.scope.sources.get(def.source.value) : undefined;
      if (def.where) row(def.where, src);
      if (src && def.column?.value.includes('.')) lookupPrefix(snap, def.column.value, def.column.span, [src], (rel ??= relationsOf(snap)), out);
    } else if (def.kind === 'source') {
      for (const d of def.derive.values()) row(d.formula, def);
      if (def.aggregate.size) {
        const from = def.from ? (rel ??= relationsOf(snap)).source(def.from.value) : undefined;
        for (const a of def.aggregate.values()) row(a.formula, from);
      }
      for (const d of def.dimensions) if (d.value.includes('.')) lookupPrefix(snap, d.value, d.span, [def], (rel ??= relationsOf(snap)), out);
    }
  }
  out.sort((a, b) => a.span.offset - b.span.offset);
  // An aliased formula (`formula: *f`) is the anchored node itself: keep its tokens once.
  const tokens: SemanticToken[] = [];
  let end = -1;
  for (const t of out) {
    if (t.span.offset < end) continue;
    tokens.push(t);
    end = t.span.offset + t.span.length;
  }
  return tokens;
}

interface RowContext {
  /** The source whose columns the formula names; undefined when unknown (names are columns then). */
  src: SourceDef | undefined;
  rel: Relations;
}

function formulaTokens(snap: Snapshot, f: Formula, row: RowContext | undefined, out: SemanticToken[]): void {
  const move = scalarSpans(snap.text, f.span, f.text);
  const tokens = scan(f.text, MAX_TOKENS);
  const roles = row ? argRoles(f) : undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const span = move(t.span);
    if (span.length <= 0) continue;
    if (row && t.kind === 'name' && tokens[i + 1]?.kind !== 'lparen') {
      nameTokens(snap, t, span, row, roles!.get(span.offset), out);
      continue;
    }
    const type = typeOf(snap, t, tokens[i + 1], !!row);
    if (type) out.push({ span, type });
  }
}

/** The document offsets of the names that are no columns: the lookup of `matched(deal)`, the grain of `period(date, month)`. */
function argRoles(f: Formula): Map<number, 'lookup' | 'grain'> {
  const roles = new Map<number, 'lookup' | 'grain'>();
  forEachNode(f.expr, (e: Expr) => {
    if (e.kind !== 'call') return;
    e.args.forEach((a, i) => { if (a.kind === 'name' && !isColumnArg(e.callee, i)) roles.set(a.span.offset, e.callee === 'matched' ? 'lookup' : 'grain'); });
  });
  return roles;
}

/** A column name in a row formula: its lookups, then the column (derived and aggregate ones told apart). */
function nameTokens(snap: Snapshot, t: Token, span: Span, row: RowContext, role: 'lookup' | 'grain' | undefined, out: SemanticToken[]): void {
  if (role) {
    out.push({ span, type: role === 'lookup' ? 'lookup' : 'keyword' });
    return;
  }
  const name = backtickName(t.text);
  // A source without relations has data columns only: nothing to resolve (and no data to read).
  const col = row.src && isRelational(row.src) ? row.rel.column(row.src, name) : undefined;
  if (!col) {
    out.push({ span, type: 'column' });
    return;
  }
  const end = endOf(col);
  const type: SemanticTokenType = end.origin === 'derive' || end.origin === 'aggregate' ? 'derived' : 'column';
  const hops = hopsOf(col).length;
  const parts = hops ? segmentSpans(snap.text, span, name) : [];
  if (parts.length <= hops) {
    out.push({ span, type });
    return;
  }
  for (let i = 0; i < hops; i++) out.push({ span: parts[i]!, type: 'lookup' });
  const last = parts[parts.length - 1]!;
  out.push({ span: { offset: parts[hops]!.offset, length: last.offset + last.length - parts[hops]!.offset }, type });
}

/** The lookups of a looked-up name written as a YAML value (`deal.segment`), as lookup tokens. */
function lookupPrefix(snap: Snapshot, name: string, written: Span, sources: SourceDef[], rel: Relations, out: SemanticToken[]): void {
  for (const src of sources) {
    const col = rel.column(src, name);
    const hops = col ? hopsOf(col).length : 0;
    if (!hops) continue;
    const parts = segmentSpans(snap.text, written, name);
    for (let i = 0; i < hops && i < parts.length; i++) out.push({ span: parts[i]!, type: 'lookup' });
    return;
  }
}

function typeOf(snap: Snapshot, t: Token, next: Token | undefined, row: boolean): SemanticTokenType | undefined {
  switch (t.kind) {
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'operator':
      return 'operator';
    case 'keyword':
      return t.text === 'true' || t.text === 'false' ? 'keyword' : 'operator';
    case 'name': {
      if (next?.kind === 'lparen' && !t.text.startsWith('`')) return 'function';
      if (row) return 'column';
      const def = snap.scope.names.get(backtickName(t.text));
      return def?.kind === 'metric' ? 'metric' : def?.kind === 'kpi' ? 'kpi' : undefined;
    }
    default:
      return undefined;
  }
}
