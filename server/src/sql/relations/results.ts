import type { Encoding } from '../../data/encoding';
import type { SourceResult } from '../../engine/results';
import type { SqlRow } from '../read';
import type { RelationsInfo } from './info';

/** The lines where a CSV file's rows start (1-based row → line), when the file can be read. */
export type LinesOf = (csv: { path: string; delimiter?: string; encoding?: Encoding }) => Int32Array | undefined;

/**
 * The `rollup`, `lookup` and `duplicate` rows of a query → the results' counts and problems,
 * worded as the in-process engine words them (engine/relations/tables.ts).
 */
export function applyRelationRows(info: RelationsInfo, rows: SqlRow[], sources: Map<string, SourceResult>, linesOf?: LinesOf): void {
  const num = (v: SqlRow['value']) => Number(v ?? 0);
  const rollups = new Map<string, { rows?: number; unkeyed?: number }>();
  const lookups = new Map<string, { matched?: number; unmatched?: number }>();
  const dups = new Map<string, { values: string[]; a: number; b: number }>();
  for (const r of rows) {
    if (r.kind === 'rollup' && r.kpi) {
      const c = rollups.get(r.kpi) ?? {};
      if (r.dimension === 'rows') c.rows = num(r.value);
      else c.unkeyed = num(r.value);
      rollups.set(r.kpi, c);
    } else if (r.kind === 'lookup' && r.kpi && r.dimension) {
      const key = `${r.kpi}\u0000${r.dimension}`;
      const c = lookups.get(key) ?? {};
      if (r.grp === 'matched') c.matched = num(r.value);
      else c.unmatched = num(r.value);
      lookups.set(key, c);
    } else if (r.kind === 'duplicate' && r.kpi) {
      const d = dups.get(r.kpi) ?? { values: [], a: Number(r.period), b: num(r.value) };
      d.values[Number(r.dimension)] = String(r.grp ?? '');
      dups.set(r.kpi, d);
    }
  }
  for (const [id, { from, key }] of info.rollups) {
    const s = sources.get(id);
    const c = rollups.get(id);
    if (!s || c?.rows === undefined || c.unkeyed === undefined) continue;
    s.rollup = { from, fromRows: c.rows, unkeyed: c.unkeyed };
    const n = c.unkeyed;
    if (n) s.problems.push({ severity: 'warning', file: info.files.get(id) ?? '', message: `${n} row${n === 1 ? '' : 's'} of \`${from}\` ${n === 1 ? 'has' : 'have'} an empty key (${key.map((k) => `\`${k}\``).join(', ')}) and ${n === 1 ? 'is' : 'are'} in no row of \`${id}\`` });
  }
  for (const [id, list] of info.lookups) {
    const s = sources.get(id);
    if (!s) continue;
    for (const l of list) {
      const c = lookups.get(`${id}\u0000${l.name}`);
      if (c?.matched === undefined || c.unmatched === undefined) continue;
      (s.lookups ??= []).push({ name: l.name, source: l.source, matched: c.matched, unmatched: c.unmatched });
    }
  }
  for (const [id, list] of info.failing) {
    const s = sources.get(id);
    if (!s) continue;
    for (const { target, from } of list) {
      const d = dups.get(target);
      const checked = info.checked.get(target);
      if (!d || !checked) continue;
      const lines = checked.csv && linesOf?.(checked.csv);
      const la = lines?.[d.a - 1];
      const lb = lines?.[d.b - 1];
      const where = la !== undefined && lb !== undefined ? `lines ${la} and ${lb} of \`${checked.shown}\`` : checked.rows ? `rows ${d.a} and ${d.b} of its rows` : `rows ${d.a} and ${d.b}`;
      const value = d.values.length === 1 ? `\`${d.values[0]}\`` : `(${d.values.map((v) => `\`${v}\``).join(', ')})`;
      const message = `key ${checked.key.map((k) => `\`${k}\``).join(', ')} of source \`${target}\` is not unique: ${value} is on ${where}; the KPIs over a source that looks it up (\`${from}\`) show no data rather than rows counted twice`;
      if (!s.problems.some((p) => p.message === message)) s.problems.push({ severity: 'error', message, file: checked.csv?.path ?? info.files.get(target) ?? '', ...(lb !== undefined ? { line: lb, column: 1 } : {}) });
    }
  }
}
