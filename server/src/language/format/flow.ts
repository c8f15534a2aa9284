/**
 * Flow collections (`{ ... }`, `[ ... ]`): read from the CST, rendered on one line with the
 * canonical spacing (`{ a: 1, b: 2 }`, `[a, b]`, `{}`, `[]`), or turned into block style when
 * written over several lines. Collections with comments, anchors, tags, `?` keys or pairs in
 * sequences inside are not taken apart (undefined): they are kept as written.
 */
import type { CST } from 'yaml';
import type { BlockMap, BlockSeq, Entry, Flow, FlowItem, Item, Value } from './layout';
import { childRole, mapRole, ordered, type Role } from './order';
import { unquoted } from './quoting';

const SCALARS = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'alias']);

export function readFlow(fc: CST.FlowCollection, role: Role | undefined): Flow | undefined {
  const isMap = fc.start.type === 'flow-map-start';
  const own = isMap ? mapRole(role) : role;
  let multiline = false;
  /** Spaces, commas and newlines only. */
  const blank = (tokens: readonly CST.SourceToken[] | undefined): boolean => {
    for (const t of tokens ?? []) {
      if (t.type === 'newline') multiline = true;
      else if (t.type !== 'space' && t.type !== 'comma') return false;
    }
    return true;
  };
  const items: FlowItem[] = [];
  for (const item of fc.items) {
    if (!blank(item.start)) return undefined;
    // Spaces, or a trailing comma: nothing.
    if ((item.key === undefined || item.key === null) && !item.sep && !item.value) continue;
    const out: FlowItem = {};
    if (item.key !== undefined && item.key !== null) {
      if (!isMap || !isOneLineScalar(item.key) || item.key.type === 'alias' || !blank(item.key.end)) return undefined;
      out.key = item.key.source;
      out.name = keyName(item.key);
    } else if (isMap) return undefined; // `{ : v }` or a value without a key
    if (item.sep) {
      let colon = false;
      for (const t of item.sep) {
        if (t.type === 'map-value-ind') colon = true;
        else if (t.type === 'newline') multiline = true;
        else if (t.type !== 'space') return undefined;
      }
      if (!colon) return undefined;
    }
    // `{ a:, b }`: an empty scalar is no value.
    const v = item.value && !(item.value.type === 'scalar' && item.value.source === '') ? item.value : undefined;
    if (v) {
      if (v.type === 'flow-collection') {
        const inner = readFlow(v, childRole(own, out.name));
        if (!inner || !blank(v.end.slice(1))) return undefined;
        multiline ||= inner.multiline;
        out.value = inner;
      } else if (isOneLineScalar(v)) {
        if (!blank(v.end)) return undefined;
        out.token = v;
        out.value = (isFormula(own, out.name) ? unquoted(v, true) : undefined) ?? v.source;
      } else return undefined;
    } else if (out.key === undefined) return undefined; // an empty item: `[a, , b]`, a trailing comma
    items.push(out);
  }
  // The closing bracket comes first in `end`: the spaces and newlines before it belong to the last item.
  if (fc.end[0]?.type !== (isMap ? 'flow-map-end' : 'flow-seq-end')) return undefined;
  return { kind: isMap ? 'flow-map' : 'flow-seq', items, role: own, multiline };
}

/** Where a scalar is a KPI formula: quoted only where YAML needs it. */
export function isFormula(role: Role | undefined, key: string | undefined): boolean {
  return role === 'kpi' && key === 'formula';
}

function isOneLineScalar(t: CST.Token): t is CST.FlowScalar {
  return SCALARS.has(t.type) && !(t as CST.FlowScalar).source.includes('\n');
}

/** The text of a key for ordering (quotes removed), undefined if it has none. */
export function keyName(t: CST.FlowScalar): string | undefined {
  if (t.type === 'scalar') return t.source;
  if (t.type === 'single-quoted-scalar') return t.source.slice(1, -1).replace(/''/g, "'");
  if (t.type === 'double-quoted-scalar' && !t.source.includes('\\')) return t.source.slice(1, -1);
  return undefined;
}

/** One line: `{ a: 1, b: [x, y] }`, keys in canonical order. */
export function renderFlow(flow: Flow): string {
  const items = flow.kind === 'flow-map' ? ordered(flow.items, flow.role, true) : flow.items;
  const parts = items.map((item) => {
    const value = item.value === undefined ? undefined : typeof item.value === 'string' ? item.value : renderFlow(item.value);
    // A key without a value is written without `:` (`{ a }` is `a: null`, like `{ a: }`).
    if (item.key === undefined) return value!;
    return value === undefined ? item.key : `${item.key}: ${value}`;
  });
  if (flow.kind === 'flow-map') return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  return `[${parts.join(', ')}]`;
}

/**
 * A flow collection as a block mapping or sequence (one spread over lines, and the sections,
 * which are always block mappings). Collections inside stay on one line where they were
 * written on one, and empty ones stay `{}` and `[]`. Formulas lose the quotes block style does
 * not need.
 */
export function toBlock(flow: Flow): BlockMap | BlockSeq {
  const valueOf = (item: FlowItem): Value => {
    const v = item.value;
    if (v === undefined) return { kind: 'empty' };
    if (typeof v === 'string') {
      const text = item.token && isFormula(flow.role, item.name) ? unquoted(item.token, false) ?? item.token.source : item.token?.source ?? v;
      return { kind: 'text', lines: [text] };
    }
    if (v.items.length && v.multiline) {
      const block = toBlock(v);
      return block.kind === 'map' ? { kind: 'map', map: block } : { kind: 'seq', seq: block };
    }
    return { kind: 'flow', flow: v };
  };
  if (flow.kind === 'flow-map') {
    const entries: Entry[] = flow.items.map((item) => ({ lead: [], key: item.key!, name: item.name, col: 0, gap: ' ', value: valueOf(item), eol: '' }));
    return { kind: 'map', entries, tail: [], role: flow.role };
  }
  const items: Item[] = flow.items.map((item) => ({ lead: [], col: 0, gap: ' ', value: valueOf(item), eol: '' }));
  return { kind: 'seq', items, tail: [], role: flow.role };
}
