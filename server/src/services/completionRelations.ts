import type { Relations } from '../language/analysis/relations';
import { targetKey } from '../language/analysis/relations';
import { PERIOD_GRAINS } from '../language/formula/functions';
import type { SourceDef } from '../language/model';
import { TYPE_NAMES } from './completionData';
import type { FormulaCursor } from './completionContext';
import { escapeMarkdown } from './hoverMarkdown';
import { columnInfos, relationsOf, type RelColumnInfo } from './relationColumns';
import { rollupFunctions } from './relationHover';
import { openCall } from './signatureHelp';
import type { Snapshot } from './snapshot';
import type { Completion } from './types';

/**
 * Completion for relations: source ids in `from:` and a lookup's `source:`, key and join
 * columns in `key:` and `on:`, and the columns of a source with relations wherever its columns
 * are named. A column list is one level at a time: the source's own columns and its lookups'
 * names; after `deal.` the columns of the looked-up source (`deal.won_date`, chains too).
 */

export type Item = Omit<Completion, 'replace'>;

/** The definition of a source in this file, preferring the entry that holds the offset. */
function ownSource(snap: Snapshot, id: string | number | undefined, offset: number): SourceDef | undefined {
  let first: SourceDef | undefined;
  for (const d of snap.spec.definitions) {
    if (d.kind !== 'source' || d.id !== id) continue;
    if (offset >= d.span.offset && offset <= d.span.offset + d.span.length) return d;
    first ??= d;
  }
  return first;
}

/** Values of the relation keys of a source (`from`, a lookup's `source`, `key`, `on`), or undefined elsewhere. */
export function relationValues(snap: Snapshot, offset: number, p: readonly (string | number)[], typed: string): Item[] | undefined {
  if (p[0] !== 'sources' || p.length < 3) return undefined;
  const own = () => ownSource(snap, p[1], offset);
  if (p.length === 3 && p[2] === 'from') return sourceItems(snap, own(), true);
  if (p.length === 5 && p[2] === 'lookups' && p[4] === 'source') return sourceItems(snap, own(), false);
  const rel = relationsOf(snap);
  if (p[2] === 'key' && (p.length === 3 || (p.length === 4 && typeof p[3] === 'number'))) {
    const src = own();
    if (!src) return [];
    // A rollup groups by columns of the source it rolls up.
    const of = src.from ? rel.source(src.from.value) : src;
    const listed = src.key.filter((k) => !(offset >= k.span.offset && offset <= k.span.offset + k.span.length)).map((k) => k.value);
    return of ? columnItems(snap, rel, of, typed, listed, () => 0, false) : [];
  }
  if (p[2] === 'lookups' && p[4] === 'on' && (p.length === 5 || (p.length === 6 && typeof p[5] === 'number'))) {
    const src = own();
    const lookup = src?.lookups.get(String(p[3]));
    const listed = (lookup?.on ?? []).filter((o) => !(offset >= o.local.span.offset && offset <= o.local.span.offset + o.local.span.length)).map((o) => o.local.value);
    return src ? columnItems(snap, rel, src, typed, listed, () => 0, false) : [];
  }
  if (p[2] === 'lookups' && p.length === 6 && p[4] === 'on' && typeof p[5] === 'string') {
    // `on: { rep: rep_id }`: the looked-up source's key columns.
    const target = rel.source(own()?.lookups.get(String(p[3]))?.source?.value);
    if (!target) return [];
    return targetKey(target).map((k) => ({ label: k, kind: 'column' as const, detail: `key of ${target.id}` }));
  }
  return undefined;
}

/** Keys of `on: { … }`: this source's columns, each mapped to a key column of the looked-up source. */
export function onKeys(snap: Snapshot, offset: number, p: readonly (string | number)[], typed: string): Item[] | undefined {
  if (!(p.length === 5 && p[0] === 'sources' && p[2] === 'lookups' && p[4] === 'on')) return undefined;
  const src = ownSource(snap, p[1], offset);
  return src ? columnItems(snap, relationsOf(snap), src, typed, [], () => 0, false) : [];
}

function sourceItems(snap: Snapshot, own: SourceDef | undefined, excludeOwn: boolean): Item[] {
  const out: Item[] = [];
  for (const src of snap.scope.sources.values()) {
    if (excludeOwn && src === own) continue;
    const detail = src.path ? src.path.value : src.rows ? 'inline rows' : src.from ? `rollup of ${src.from.value}` : 'source';
    const key = src.key.length ? ` · key ${src.key.map((k) => k.value).join(', ')}` : '';
    out.push({ label: src.id, kind: 'source', detail: detail + key, sortRank: src === own ? 2 : src.file === snap.file ? 0 : 1, ...(src.title ? { documentation: escapeMarkdown(src.title) } : {}) });
  }
  return out;
}

/**
 * The columns of a source to offer for what is typed: its own columns and lookup names, or
 * after `deal.` (`deal.wo`) the columns through that lookup. `listed` are left out.
 */
export function columnItems(snap: Snapshot, rel: Relations, src: SourceDef, typed: string, listed: readonly string[], rank: (c: RelColumnInfo) => number, lookups = true): Item[] {
  const cols = columnInfos(snap, rel, src);
  if (!cols) return [];
  const dot = typed.lastIndexOf('.');
  const prefix = dot < 0 ? '' : typed.slice(0, dot + 1);
  const out: Item[] = [];
  for (const c of cols) {
    if (listed.includes(c.name)) continue;
    if (prefix ? !c.name.startsWith(prefix) : c.name.includes('.') && src.lookups.has(c.name.slice(0, c.name.indexOf('.')))) continue;
    const type = c.type ? TYPE_NAMES[c.type] : 'column';
    out.push({ label: c.name, kind: 'column', sortRank: rank(c), detail: `${type} · ${c.origin ?? src.id}` });
  }
  if (!prefix && lookups) out.push(...lookupItems(rel, src));
  return out;
}

function lookupItems(rel: Relations, src: SourceDef): Item[] {
  return [...src.lookups.values()].map((l) => {
    const target = rel.source(l.source?.value);
    return {
      label: l.name, kind: 'lookup' as const, sortRank: 1, detail: `lookup → ${l.source?.value ?? '?'}`,
      documentation: `Type \`${l.name}.\` for the columns of \`${target?.id ?? l.source?.value ?? '?'}\`, looked up on ${l.on.map((o) => `\`${o.local.value}\``).join(', ') || '?'}`,
    };
  });
}

/**
 * Names in a row formula (`where`, `derive`, `aggregate`): the columns of the source whose rows
 * it reads (a rollup's aggregates read the rolled-up source), the lookups in `matched(…)`, the
 * grains in `period(date, …)`, and in `aggregate` the rollup functions. Undefined for KPI
 * formulas; `functions` says whether the row functions go with them.
 */
export function rowFormulaItems(snap: Snapshot, offset: number, fc: FormulaCursor, typed: string): { items: Item[]; functions: boolean } | undefined {
  if (fc.kind === 'kpi') return undefined;
  const rel = relationsOf(snap);
  let src: SourceDef | undefined;
  let self: string | undefined;
  if (fc.kind === 'where') {
    const metric = snap.spec.definitions.find((d) => d.kind === 'metric' && d.id === fc.owner && offset >= d.span.offset && offset <= d.span.offset + d.span.length)
      ?? snap.spec.definitions.find((d) => d.kind === 'metric' && d.id === fc.owner);
    src = metric?.kind === 'metric' && metric.source ? snap.scope.sources.get(metric.source.value) : undefined;
  } else {
    const own = ownSource(snap, fc.owner, offset);
    src = fc.kind === 'aggregate' ? rel.source(own?.from?.value) : own;
    if (fc.kind === 'derive') self = fc.column;
  }
  const call = openCall(fc.prefix);
  if (fc.kind === 'aggregate' && !call) {
    if (typed.includes('.')) return { items: [], functions: false };
    return {
      functions: false,
      items: rollupFunctions().map((f) => ({
        label: f.name, kind: 'function' as const, detail: f.signature, documentation: `In a rollup's \`aggregate\`: ${f.doc}`,
        insertText: f.name === 'count' ? 'count()' : `${f.name}($1)`, snippet: f.name !== 'count',
      })),
    };
  }
  if (call?.name === 'matched' && call.commas === 0) {
    const own = src ?? (fc.kind !== 'where' ? ownSource(snap, fc.owner, offset) : undefined);
    return { items: own ? lookupItems(rel, own) : [], functions: false };
  }
  if (call?.name === 'period' && call.commas === 1) {
    return { items: PERIOD_GRAINS.map((g) => ({ label: g, kind: 'value' as const, detail: 'grain' })), functions: false };
  }
  const items = src ? columnItems(snap, rel, src, typed, self ? [self] : [], () => 0) : [];
  return { items, functions: !typed.includes('.') && fc.kind !== 'aggregate' };
}
