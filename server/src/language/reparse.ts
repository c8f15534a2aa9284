import { buildDefinition } from './build';
import type { Expr } from './formula/ast';
import { formulasOf, type Definition, type Formula, type SpecFile } from './model';
import { assemble, detach, formulaProblems, parseStateOf, setParseState, withSpans, type Edit, type Entry, type ParsedSpec, type ParseState } from './parse';
import type { Problem } from './problem';
import { checkSchemaEntry } from './schema';
import type { Span } from './span';
import { lineStartAt } from './textLines';
import { timed } from './timing';
import { fastLoadEntry } from './yaml/fast';
import type { YMap, YNode, YPair } from './yaml/tree';

/** After this many edits a file is parsed whole again, so that the edit log stays small. */
const MAX_EDITS = 100_000;

/**
 * Parses a new text of a spec by re-reading only the definition entry an edit changed, when
 * the edit lies inside one entry of `sources:`, `metrics:`, `kpis:` or `goals:` after its id:
 * the entry is read alone (as the whole read would read it), checked against its part of the
 * schema, its definition rebuilt, and everything after it moved by the change in length. The
 * result equals parseSpec(file, text) (a differential test holds it to that). Undefined when
 * the edit is not of that kind (then parse the whole text).
 *
 * The tree and the definitions are shared with `prev` and moved in place: `prev` is out of date
 * afterwards, and only the newest parse of a chain can be reparsed (an older one is refused).
 * Problems never share spans with the tree (see detach), so problems kept from before stay put.
 */
export function reparseSpec(prev: ParsedSpec, text: string): ParsedSpec | undefined {
  if (text === prev.spec.text) return prev;
  const kept = parseStateOf(prev);
  if (!kept || kept.logLength !== kept.state.log.edits.length || kept.logLength >= MAX_EDITS) return undefined;
  return timed('reparse', () => splice(prev.spec, kept.state, text));
}

function splice(spec: SpecFile, state: ParseState, text: string): ParsedSpec | undefined {
  const old = spec.text;
  const root = spec.root;
  if (!root || isFlow(old, root)) return undefined;
  const { at, oldEnd, newEnd } = changedRange(old, text);
  const delta = newEnd - oldEnd;
  const i = entryBefore(state.entries, at);
  if (i < 0) return undefined;
  const entry = state.entries[i]!;
  const sectionMap = entry.sectionPair.value as YMap;
  if (isFlow(old, sectionMap)) return undefined;

  // The edit must lie after the entry's `key:` and end before the next content line after it.
  const key = entry.pair.key;
  let colon = key.span.offset + key.span.length;
  while (old.charCodeAt(colon) === 32) colon++;
  if (old[colon] !== ':' || at <= colon) return undefined;
  const end = entryEnd(old, root, entry);
  if (oldEnd > end) return undefined;
  // What the fast reader refuses anywhere in a text, in the part that is new.
  const added = text.slice(Math.max(0, at - 1), newEnd + 1);
  if (added.includes('\t') || /\r(?!\n)/.test(added)) return undefined;

  const read = fastLoadEntry(text, spec.file, key.span.offset, 2);
  if (!read || read.next !== end + delta) return undefined;
  const pair = read.pair;
  if (pair.key.value !== key.value || pair.key.quoted !== key.quoted || pair.key.span.offset !== key.span.offset || pair.key.span.length !== key.span.length) return undefined;

  // Problems from before, moved past the edit; any that straddles it means something is not as assumed.
  const change: Change = { at, oldEnd, delta };
  const yaml = shiftOutside(state.yaml, change, colon, end);
  const skeleton = shiftAll(state.skeleton, change);
  if (!yaml || !skeleton) return undefined;
  const entries = state.entries.slice();
  const formulas = state.formulas.slice();
  for (let j = i + 1; j < entries.length; j++) {
    const e = entries[j]!;
    if (e.schema?.length) {
      const moved = shiftAll(e.schema, change);
      if (!moved) return undefined;
      entries[j] = { ...e, schema: moved };
    }
    const f = e.def >= 0 ? formulas[e.def]! : [];
    if (f.length) {
      const moved = shiftAll(f, change);
      if (!moved) return undefined;
      formulas[e.def] = moved;
    }
  }

  // Nothing can fail from here on: splice the entry into the tree and move what follows it.
  const top = root.pairs.indexOf(entry.sectionPair);
  sectionMap.pairs[entry.index] = pair;
  for (let k = entry.index + 1; k < sectionMap.pairs.length; k++) shiftPair(sectionMap.pairs[k]!, delta);
  for (let k = top + 1; k < root.pairs.length; k++) shiftPair(root.pairs[k]!, delta);
  fitMap(sectionMap);
  fitPair(entry.sectionPair);
  fitMap(root);
  for (let j = i + 1; j < entries.length; j++) {
    const def = entries[j]!.def >= 0 ? spec.definitions[entries[j]!.def] : undefined;
    if (def) shiftFormulas(def, delta);
  }

  const definitions = spec.definitions.slice();
  const next: SpecFile = { ...spec, text, definitions };
  if (entry.def >= 0) {
    const before = definitions[entry.def]!;
    const def = buildDefinition(spec.file, text, entry.section, pair);
    definitions[entry.def] = def;
    const map = new Map<string, Definition>(sectionDefs(spec, entry.section));
    if (map.get(def.id) === before) map.set(def.id, def);
    (next as unknown as Record<string, Map<string, Definition>>)[entry.section] = map;
    formulas[entry.def] = formulaProblems(def, text, spec.file);
  }
  const schema = entry.schema && checkSchemaEntry(root, entry.section, pair, spec.file).map(detach);
  entries[i] = { ...entry, pair, schema };
  const innerYaml = read.problems.map(detach).sort((a, b) => a.span.offset - b.span.offset);
  const edit: Edit = { at, oldEnd, newEnd, def: entry.def };
  state.log.edits.push(edit);
  const nextState: ParseState = { yaml: [...yaml.before, ...innerYaml, ...yaml.after], skeleton, entries, formulas, log: state.log };
  const parsed: ParsedSpec = { spec: next, problems: assemble(nextState) };
  setParseState(parsed, nextState);
  return parsed;
}

function sectionDefs(spec: SpecFile, section: Entry['section']): Map<string, Definition> {
  return section === 'sources' ? spec.sources : section === 'metrics' ? spec.metrics : section === 'kpis' ? spec.kpis : spec.goals;
}

/** The stretch that differs: old [at, oldEnd) became new [at, newEnd). */
export function changedRange(old: string, text: string): { at: number; oldEnd: number; newEnd: number } {
  const max = Math.min(old.length, text.length);
  // Compares long stretches at once (the engine compares strings natively), halving the
  // stretch where they differ.
  let at = 0;
  for (let size = 1 << 16; size > 0;) {
    if (at + size <= max && old.slice(at, at + size) === text.slice(at, at + size)) at += size;
    else size >>= 1;
  }
  const room = max - at;
  let tail = 0;
  for (let size = 1 << 16; size > 0;) {
    if (tail + size <= room && old.slice(old.length - tail - size, old.length - tail) === text.slice(text.length - tail - size, text.length - tail)) tail += size;
    else size >>= 1;
  }
  return { at, oldEnd: old.length - tail, newEnd: text.length - tail };
}

/** The last entry whose key starts before `offset`, or -1. */
function entryBefore(entries: Entry[], offset: number): number {
  let lo = 0;
  let hi = entries.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.pair.key.span.offset < offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Where the next content line after an entry starts: the next key of its mapping or of the file, or the end. */
function entryEnd(text: string, root: YMap, entry: Entry): number {
  const next = (entry.sectionPair.value as YMap).pairs[entry.index + 1] ?? root.pairs[root.pairs.indexOf(entry.sectionPair) + 1];
  return next ? lineStartAt(text, next.key.span.offset) : text.length;
}

function isFlow(text: string, node: YNode): boolean {
  return text[node.span.offset] === '{' || text[node.span.offset] === '[';
}

interface Change {
  at: number;
  oldEnd: number;
  delta: number;
}

/** A span after the edit: moved if after it, grown if around it; undefined if it overlaps it partly. */
export function shiftSpan(s: Span, c: Change): Span | undefined {
  const end = s.offset + s.length;
  if (s.offset >= c.oldEnd) return { offset: s.offset + c.delta, length: s.length };
  if (end <= c.at) return { offset: s.offset, length: s.length };
  if (s.offset <= c.at && end >= c.oldEnd) return { offset: s.offset, length: s.length + c.delta };
  return undefined;
}

/**
 * A problem of this file after the edit (spans into other files stay), or undefined (see
 * shiftSpan). Problems are never changed once made, so one that does not move is kept as is.
 */
export function shiftProblem(p: Problem, c: Change): Problem | undefined {
  if (p.span.offset + p.span.length <= c.at && !p.related?.some((r) => r.file === p.file && r.span.offset + r.span.length > c.at)) return p;
  const span = shiftSpan(p.span, c);
  if (!span) return undefined;
  let related: Problem['related'];
  if (p.related) {
    related = [];
    for (const r of p.related) {
      const moved = r.file === p.file ? shiftSpan(r.span, c) : { offset: r.span.offset, length: r.span.length };
      if (!moved) return undefined;
      related.push({ file: r.file, span: moved, message: r.message });
    }
  }
  return withSpans(p, span, related);
}

export function shiftAll(problems: Problem[], c: Change): Problem[] | undefined {
  if (!problems.length) return problems;
  const out: Problem[] = [];
  for (const p of problems) {
    const moved = shiftProblem(p, c);
    if (!moved) return undefined;
    out.push(moved);
  }
  return out;
}

/** Reader problems before an entry's value and after the entry, moved; those inside it are dropped. */
function shiftOutside(problems: Problem[], c: Change, from: number, to: number): { before: Problem[]; after: Problem[] } | undefined {
  const before: Problem[] = [];
  const after: Problem[] = [];
  for (const p of problems) {
    if (p.span.offset > from && p.span.offset < to) continue;
    const moved = shiftProblem(p, c);
    if (!moved) return undefined;
    (p.span.offset <= from ? before : after).push(moved);
  }
  return { before, after };
}

/** Moves a pair and everything under it (the fast reader's trees share no nodes). */
function shiftPair(pair: YPair, delta: number): void {
  pair.span.offset += delta;
  pair.key.span.offset += delta;
  if (pair.value) shiftNode(pair.value, delta);
}

const nodes: YNode[] = [];

function shiftNode(node: YNode, delta: number): void {
  nodes.push(node);
  while (nodes.length) {
    const n = nodes.pop()!;
    n.span.offset += delta;
    if (n.kind === 'map') {
      for (const p of n.pairs) {
        p.span.offset += delta;
        p.key.span.offset += delta;
        if (p.value) nodes.push(p.value);
      }
    } else if (n.kind === 'seq') for (const item of n.items) nodes.push(item);
  }
}

/**
 * Moves the spans a definition has of its own: those of its formulas' syntax trees and errors.
 * Every other span of a definition is a node's span in the tree, moved with the tree (a test
 * walks the definitions to hold this).
 */
export function shiftFormulas(def: Definition, delta: number): void {
  for (const formula of formulasOf(def)) shiftFormula(formula, delta);
}

function shiftFormula(formula: Formula, delta: number): void {
  for (const e of formula.errors) e.span.offset += delta;
  exprs.push(formula.expr);
  while (exprs.length) {
    const e = exprs.pop()!;
    e.span.offset += delta;
    if (e.kind === 'binary') {
      e.opSpan.offset += delta;
      exprs.push(e.left, e.right);
    } else if (e.kind === 'unary') exprs.push(e.operand);
    else if (e.kind === 'call') {
      e.calleeSpan.offset += delta;
      for (const arg of e.args) exprs.push(arg);
    }
  }
}

const exprs: Expr[] = [];

/** A block mapping's span, from its first key to the end of its last value (as the fast reader makes it). */
function fitMap(map: YMap): void {
  const first = map.pairs[0]!;
  const last = map.pairs[map.pairs.length - 1]!;
  map.span.offset = first.span.offset;
  map.span.length = last.span.offset + last.span.length - first.span.offset;
}

function fitPair(pair: YPair): void {
  const v = pair.value;
  if (v) pair.span.length = v.span.offset + v.span.length - pair.span.offset;
}
