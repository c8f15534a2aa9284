import { buildDefinition } from './build';
import type { Definition, SpecFile } from './model';
import { isFastModel, markFastModel, type ParsedSpec } from './parse';
import type { Problem } from './problem';
import { changedRange, shiftAll } from './reparse';
import { lineStartAt } from './textLines';
import { timed } from './timing';
import { fastLoadEntry } from './yaml/fast';

type Section = 'sources' | 'metrics' | 'kpis' | 'goals';
const SECTION: Record<Definition['kind'], Section> = { source: 'sources', metric: 'metrics', kpi: 'kpis', goal: 'goals' };

/**
 * reparseSpec for a model without its YAML tree (parseModel: the evaluation worker's). When an
 * edit lies inside one definition entry after its id, and another entry of the same section
 * follows it, only that entry is read again and its definition rebuilt; every definition after
 * it keeps its object and has its spans moved. The result equals parseModel(file, text) (a
 * differential test holds it to that); undefined when the edit is not of that kind.
 *
 * Definitions are moved in place: `prev` is out of date afterwards.
 */
export function remodelSpec(prev: ParsedSpec, text: string): ParsedSpec | undefined {
  if (text === prev.spec.text) return prev;
  if (!isFastModel(prev)) return undefined;
  const next = timed('reparse', () => splice(prev, text));
  if (next) markFastModel(next);
  return next;
}

function splice(prev: ParsedSpec, text: string): ParsedSpec | undefined {
  const spec = prev.spec;
  const old = spec.text;
  const { at, oldEnd, newEnd } = changedRange(old, text);
  const delta = newEnd - oldEnd;
  const defs = spec.definitions;
  const i = lastStartingBefore(defs, at);
  const def = defs[i];
  const next = defs[i + 1];
  if (!def || !next || next.kind !== def.kind) return undefined;
  // The edit must lie after the entry's `id:` and before the line of the next entry's id.
  let colon = def.idSpan.offset + def.idSpan.length;
  while (old.charCodeAt(colon) === 32) colon++;
  if (old[colon] !== ':' || at <= colon) return undefined;
  const end = lineStartAt(old, next.idSpan.offset);
  if (oldEnd > end) return undefined;
  const added = text.slice(Math.max(0, at - 1), newEnd + 1);
  if (added.includes('\t') || /\r(?!\n)/.test(added)) return undefined;

  const read = fastLoadEntry(text, spec.file, def.idSpan.offset, 2);
  if (!read || read.next !== end + delta) return undefined;
  const key = read.pair.key;
  if (key.value !== def.id || key.span.offset !== def.idSpan.offset || key.span.length !== def.idSpan.length) return undefined;

  // Problems of the file: those in the entry are read again, the others moved.
  const change = { at, oldEnd, delta };
  const inside = (p: Problem) => p.file === spec.file && p.span.offset > colon && p.span.offset < end;
  const moved = shiftAll(prev.problems.filter((p) => !inside(p)), change);
  if (!moved) return undefined;

  const rebuilt = buildDefinition(spec.file, text, SECTION[def.kind], read.pair);
  rebuilt.node = null;
  const shifted = new Set<object>();
  for (let j = i + 1; j < defs.length; j++) {
    shifted.clear();
    shiftSpans(defs[j]!, delta, shifted);
  }
  for (const imp of spec.imports) if (imp.span.offset >= oldEnd) shiftSpans(imp, delta, shifted);

  const definitions = defs.slice();
  definitions[i] = rebuilt;
  const next2: SpecFile = { ...spec, text, definitions };
  const section = SECTION[def.kind];
  const map = new Map<string, Definition>(spec[section] as Map<string, Definition>);
  if (map.get(def.id) === def) map.set(def.id, rebuilt);
  (next2 as unknown as Record<Section, Map<string, Definition>>)[section] = map;
  // As parseModel's: the reader's problems (formulas are checked where the tree is kept).
  const problems = [...moved, ...read.problems].sort((a, b) => a.span.offset - b.span.offset);
  return { spec: next2, problems };
}

/** The last definition whose entry starts before `offset` (definitions are in written order), or -1. */
function lastStartingBefore(defs: Definition[], offset: number): number {
  let lo = 0;
  let hi = defs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (defs[mid]!.idSpan.offset < offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Moves every span a definition holds: each `{ offset, length }` object below it (its entry's,
 * its values', its formulas' syntax trees), never what a value holds (inline rows are data).
 * A span may be held twice within a definition (an undated target and its one step): `moved`
 * holds those moved already; spans are never shared between definitions.
 */
function shiftSpans(v: unknown, delta: number, moved: Set<object>): void {
  if (typeof v !== 'object' || v === null) return;
  if (Array.isArray(v)) {
    for (const x of v) shiftSpans(x, delta, moved);
    return;
  }
  if (v instanceof Map) {
    for (const x of v.values()) shiftSpans(x, delta, moved);
    return;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.offset === 'number' && typeof o.length === 'number') {
    if (moved.has(o)) return;
    moved.add(o);
    o.offset += delta;
    return;
  }
  for (const k in o) if (k !== 'value') shiftSpans(o[k], delta, moved);
}
