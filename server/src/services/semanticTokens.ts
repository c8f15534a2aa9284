import type { Token } from '../language/formula/ast';
import { MAX_TOKENS } from '../language/formula/parser';
import { backtickName, scan } from '../language/formula/scanner';
import type { Formula } from '../language/model';
import { scalarSpans } from '../language/yaml/scalarOffsets';
import type { Snapshot } from './snapshot';
import type { SemanticToken, SemanticTokenType } from './types';

/**
 * Semantic tokens inside every formula of a file (KPI formulas and metric `where` filters):
 * metrics, KPIs, functions, numbers (percents too), operators (`and`, `or`, `not` too), strings,
 * columns and `true`/`false`. Spans are document offsets, sorted, never overlapping.
 */
export function semanticTokens(snap: Snapshot): SemanticToken[] {
  const out: SemanticToken[] = [];
  for (const def of snap.spec.definitions) {
    if (def.kind === 'kpi' && def.formula) formulaTokens(snap, def.formula, 'kpi', out);
    else if (def.kind === 'metric' && def.where) formulaTokens(snap, def.where, 'where', out);
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

function formulaTokens(snap: Snapshot, f: Formula, kind: 'kpi' | 'where', out: SemanticToken[]): void {
  const move = scalarSpans(snap.text, f.span, f.text);
  const tokens = scan(f.text, MAX_TOKENS);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = typeOf(snap, t, tokens[i + 1], kind);
    if (!type) continue;
    const span = move(t.span);
    if (span.length > 0) out.push({ span, type });
  }
}

function typeOf(snap: Snapshot, t: Token, next: Token | undefined, kind: 'kpi' | 'where'): SemanticTokenType | undefined {
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
      if (kind === 'where') return 'column';
      const def = snap.scope.names.get(backtickName(t.text));
      return def?.kind === 'metric' ? 'metric' : def?.kind === 'kpi' ? 'kpi' : undefined;
    }
    default:
      return undefined;
  }
}
