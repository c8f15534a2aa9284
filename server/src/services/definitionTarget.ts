import type { Definition, KpiDef, SourceDef } from '../language/model';
import type { Span } from '../language/span';
import { containsOffset } from '../language/span';
import { forEachNode } from '../language/analysis/references';
import type { Workspace } from '../language/workspace';
import { definitionAt, referenceAt, referencesOf, type Reference } from './references';
import type { Snapshot } from './snapshot';

/**
 * What sits at an offset, for definition, references and rename: a definition (named by its
 * id or by a reference to it), a column, a function, a path, or a name that resolves to nothing.
 */
export type Target =
  | { kind: 'definition'; def: Definition; /** The exact name at the cursor (quotes and backticks excluded). */ span: Span; ref?: Reference }
  | { kind: 'column'; ref: Reference; span: Span }
  | { kind: 'function'; ref: Reference; span: Span }
  | { kind: 'path'; ref: Reference; span: Span }
  | { kind: 'unresolved'; ref: Reference; span: Span };

export function targetAt(snap: Snapshot, offset: number, refs: Reference[] = referencesOf(snap)): Target | undefined {
  const ref = referenceAt(refs, offset);
  if (ref) {
    const span = nameSpan(snap.text, ref.span, ref.name);
    if (ref.kind === 'column') return { kind: 'column', ref, span };
    if (ref.kind === 'function') return { kind: 'function', ref, span };
    if (ref.kind === 'path') return { kind: 'path', ref, span };
    if (ref.target) return { kind: 'definition', def: ref.target, span, ref };
    return { kind: 'unresolved', ref, span };
  }
  const def = definitionAt(snap, offset);
  if (def) return { kind: 'definition', def, span: nameSpan(snap.text, def.idSpan, def.id) };
  return undefined;
}

/**
 * The exact stretch holding `name` within a written span: the span itself for a plain name,
 * the inside of quotes (`"web"`) or backticks (`` `order date` ``) otherwise.
 */
export function nameSpan(text: string, span: Span, name: string): Span {
  const written = text.slice(span.offset, span.offset + span.length);
  if (written === name) return span;
  const at = written.indexOf(name);
  return at < 0 ? span : { offset: span.offset + at, length: name.length };
}

/** The references written in a file that resolve to exactly this definition. */
export function referencesTo(snap: Snapshot, def: Definition): Reference[] {
  return referencesOf(snap).filter((r) => r.target === def && (r.kind === 'formula' || r.kind === 'source' || r.kind === 'goal-member'));
}

/** The sources a KPI reads, through the metrics and KPIs of its formula (each resolved in its own file). */
export function sourcesOfKpi(ws: Workspace, kpi: KpiDef): SourceDef[] {
  const out: SourceDef[] = [];
  const seen = new Set<Definition>();
  const stack: Definition[] = [kpi];
  while (stack.length) {
    const def = stack.pop()!;
    if (seen.has(def)) continue;
    seen.add(def);
    const scope = ws.scope(def.file);
    if (def.kind === 'metric' && def.source) {
      const src = scope.sources.get(def.source.value);
      if (src && !out.includes(src)) out.push(src);
    } else if (def.kind === 'kpi' && def.formula) {
      forEachNode(def.formula.expr, (e) => {
        if (e.kind !== 'name') return;
        const t = scope.names.get(e.name);
        if (t && (t.kind === 'metric' || t.kind === 'kpi')) stack.push(t);
      });
    }
  }
  return out;
}

/** The KPI whose `by:` list holds the offset. */
export function kpiOfBy(snap: Snapshot, offset: number): KpiDef | undefined {
  for (const def of snap.spec.definitions) if (def.kind === 'kpi' && def.by.some((b) => containsOffset(b.span, offset))) return def;
  return undefined;
}
