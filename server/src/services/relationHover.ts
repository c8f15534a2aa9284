import * as path from 'node:path';
import type { EvalResult } from '../engine/results';
import type { Relations, RelColumn } from '../language/analysis/relations';
import { targetKey } from '../language/analysis/relations';
import type { LookupDef, RollupFn, SourceDef } from '../language/model';
import { TYPE_NAMES } from './completionData';
import { code, fenced } from './hoverMarkdown';
import { hopsOf } from './relationColumns';
import type { RelTarget } from './relationTarget';
import type { Snapshot } from './snapshot';

/** Hovers for relations: lookups, looked-up, derived, aggregate and key columns, rollup functions. */

export function relationHover(snap: Snapshot, t: RelTarget, rel: Relations, results: EvalResult | undefined): string {
  return t.kind === 'lookup' ? lookupHover(t.source, t.lookup, rel, results) : columnHover(snap, t.col, t.end, rel);
}

function lookupHover(src: SourceDef, lookup: LookupDef, rel: Relations, results: EvalResult | undefined): string {
  const parts = [`**lookup** ${code(lookup.name)} of source ${code(src.id)}`];
  const lines: string[] = [];
  const target = rel.source(lookup.source?.value);
  if (!lookup.source) lines.push('- No `source` yet');
  else if (!target) lines.push(`- Source ${code(lookup.source.value)}: not defined`);
  else {
    const key = targetKey(target);
    lines.push(`- Looks up one row of source ${code(target.id)}${where(target)}${key.length ? ` by its key ${key.map(code).join(', ')}` : ', which has no `key`'}`);
  }
  if (lookup.on.length) lines.push(`- On: ${lookup.on.map((o) => (o.remote ? `${code(o.local.value)} → ${code(o.remote.value)}` : code(o.local.value))).join(', ')}`);
  const names = target ? rel.columnNames(target) : undefined;
  if (names?.length) {
    const MAX = 20;
    const list = names.slice(0, MAX).map((n) => code(`${lookup.name}.${n}`)).join(', ');
    lines.push(`- Columns: ${list}${names.length > MAX ? `, … ${names.length - MAX} more` : ''}`);
  }
  const counts = results?.sources.find((s) => s.id === src.id)?.lookups?.find((l) => l.name === lookup.name);
  if (counts) lines.push(`- Matched: ${counts.matched.toLocaleString('en-US')} of ${(counts.matched + counts.unmatched).toLocaleString('en-US')} rows`);
  parts.push(lines.join('\n'));
  parts.push(`Each row finds at most one row (a left join that cannot fan out); ${code(`matched(${lookup.name})`)} is true on the rows that found theirs.`);
  return parts.join('\n\n');
}

function columnHover(snap: Snapshot, col: RelColumn, end: RelColumn, rel: Relations): string {
  const type = rel.type(col);
  const typeText = type ? TYPE_NAMES[type] : 'type unknown';
  const hops = hopsOf(col);
  const what = hops.length ? 'looked-up column' : end.origin === 'derive' ? 'derived column' : end.origin === 'aggregate' ? 'aggregate' : end.origin === 'key' ? 'key column' : 'column';
  const parts = [`**${what}** ${code(col.name)} · ${typeText}`];
  const lines = hops.map((h) => `- Through lookup ${code(h.lookup.name)} of ${code(h.source.id)} → source ${code(h.target.id)}`);
  const src = end.source;
  switch (end.origin) {
    case 'data':
      lines.push(`- Column ${code(end.name)} of ${src.path ? `${code(src.path.value)} (source ${code(src.id)})` : `source ${code(src.id)}`}`);
      break;
    case 'key': {
      const from = rel.source(src.from?.value);
      lines.push(`- Key column of rollup ${code(src.id)}: one row per distinct value of ${code(end.name)}${from ? ` in ${code(from.id)}` : ''}`);
      break;
    }
    case 'aggregate':
      lines.push(`- Aggregate ${code(end.def.formula.text)} of rollup ${code(src.id)}, over the rows of each key (${src.key.map((k) => code(k.value)).join(', ') || 'no key'})${src.from ? ` of ${code(src.from.value)}` : ''}`);
      break;
    case 'derive':
      lines.push(`- Derived column of source ${code(src.id)}, computed on each row`);
      break;
  }
  parts.push(lines.join('\n'));
  if (end.origin === 'derive') parts.push(fenced(end.def.formula.text));
  if (src.file !== snap.file) parts.push(`Defined in ${code(path.relative(path.dirname(snap.file), src.file).split(path.sep).join('/'))}`);
  return parts.join('\n\n');
}

const ROLLUP_DOCS: Record<RollupFn, [string, string]> = {
  count: ['count()', 'the number of rows of the key.'],
  sum: ['sum(column)', 'the sum of the key\'s rows (numbers).'],
  avg: ['avg(column)', 'the mean of the key\'s rows (numbers).'],
  min: ['min(column)', 'the smallest number or earliest date of the key\'s rows.'],
  max: ['max(column)', 'the largest number or latest date of the key\'s rows.'],
  count_distinct: ['count_distinct(column)', 'how many different non-empty values the key\'s rows hold.'],
  first: ['first(column)', 'the first non-empty value, in the order of the rolled-up source\'s `time` (by day, then file order).'],
  last: ['last(column)', 'the last non-empty value, in the order of the rolled-up source\'s `time` (by day, then file order).'],
};

/** The rollup functions of `aggregate`, with their signature and meaning. */
export function rollupFunctions(): { name: RollupFn; signature: string; doc: string }[] {
  return (Object.keys(ROLLUP_DOCS) as RollupFn[]).map((name) => ({ name, signature: ROLLUP_DOCS[name][0], doc: ROLLUP_DOCS[name][1] }));
}

/** Hover of a function in a rollup's `aggregate`, or undefined when it is none. */
export function rollupFunctionHover(name: string): string | undefined {
  const doc = (ROLLUP_DOCS as Record<string, [string, string] | undefined>)[name];
  return doc ? `${fenced(doc[0])}\n\nIn a rollup's \`aggregate\`: ${doc[1]} Empty values are skipped.` : undefined;
}

/** Lines on a source's relations for its hover: what it rolls up, its key, lookups and derived columns. */
export function relationLines(src: SourceDef, results: EvalResult | undefined): string[] {
  const lines: string[] = [];
  const sr = results?.sources.find((s) => s.id === src.id);
  if (src.from) {
    const counts = sr?.rollup ? ` (${sr.rollup.fromRows.toLocaleString('en-US')} rows${sr.rollup.unkeyed ? `, ${sr.rollup.unkeyed.toLocaleString('en-US')} with an empty key` : ''})` : '';
    lines.push(`- Rolls up ${code(src.from.value)}${counts}: one row per ${src.key.map((k) => code(k.value)).join(', ') || '(no key)'}`);
    if (src.aggregate.size) lines.push(`- Aggregates: ${[...src.aggregate.values()].map((a) => `${code(a.name)} ${code(a.formula.text)}`).join(', ')}`);
  } else if (src.key.length) lines.push(`- Key: ${src.key.map((k) => code(k.value)).join(', ')} (unique: other sources may look it up)`);
  for (const l of src.lookups.values()) lines.push(`- Lookup ${code(l.name)} → ${code(l.source?.value ?? '?')} on ${l.on.map((o) => code(o.local.value)).join(', ') || '?'}`);
  if (src.derive.size) lines.push(`- Derived: ${[...src.derive.keys()].map(code).join(', ')}`);
  return lines;
}

function where(src: SourceDef): string {
  if (src.path) return ` (${code(src.path.value)})`;
  if (src.from) return ` (a rollup of ${code(src.from.value)})`;
  return src.rows ? ' (inline rows)' : '';
}
