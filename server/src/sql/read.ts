import type { ComputedValues } from '../engine/run';
import type { SourceResult } from '../engine/results';
import { Timeline } from '../engine/periods';
import { periodStart } from '../language/period';
import { undatedReasons, unreadableTimeMessage, unreadableValuesMessage, withExamples } from '../data/readProblems';
import type { DataProblem } from '../data/table';
import type { Compiled } from './compile';
import { applyRelationRows, type LinesOf } from './relations/results';

/** One row of a compiled query's result (see compile.ts). */
export interface SqlRow {
  kind: string | null;
  kpi: string | null;
  dimension: string | null;
  grp: string | null;
  period: string | null;
  value: number | string | bigint | null;
}

/** Per source id and read check (its index), the first values that did not read, with their lines. */
export type ReadExamples = Map<string, Map<number, DataProblem['examples']>>;

/**
 * The rows of a compiled query → the values the engine builds results from: the timeline
 * (from the range row, as the engine would have cut it), the sources' summaries, and per KPI
 * and axis its groups (ordered as the engine orders them) and cells over the timeline.
 */
export function valuesFromRows(compiled: Compiled, rows: SqlRow[], linesOf?: LinesOf, examples?: ReadExamples): ComputedValues {
  const range = rows.find((r) => r.kind === 'range');
  const lo = range?.grp ? periodStart(range.grp) : undefined;
  const hi = range?.period ? periodStart(range.period) : undefined;
  const timeline = lo !== undefined && hi !== undefined && lo <= hi ? new Timeline(compiled.grain, lo, hi) : undefined;

  const sources = new Map<string, SourceResult>();
  for (const [id, s] of compiled.sources) sources.set(id, { id, file: s.file, rows: 0, dimensions: s.dimensions, problems: s.problems });
  for (const r of rows) {
    if (r.kind !== 'source' || !r.kpi) continue;
    const s = sources.get(r.kpi);
    if (!s) continue;
    s.rows = Number(r.value ?? 0);
    if (r.grp) s.from = r.grp;
    if (r.period) s.to = r.period;
  }
  if (compiled.relations) applyRelationRows(compiled.relations, rows, sources, linesOf);
  applyReadRows(compiled, rows, sources, examples);

  const index = new Map<string, number>();
  if (timeline) for (let i = 0; i < timeline.length; i++) index.set(timeline.period(i).key, i);
  const byAxis = new Map<string, SqlRow[]>();
  for (const r of rows) {
    if (r.kind !== 'value' || !r.kpi) continue;
    const key = `${r.kpi}\u0000${r.dimension ?? ''}`;
    let list = byAxis.get(key);
    if (!list) byAxis.set(key, (list = []));
    list.push(r);
  }
  const cells = new Map<string, { groups: (string | null)[]; cells: Float64Array }>();
  for (const [key, list] of byAxis) {
    // Groups as the engine orders them: by text (code units), the empty group last.
    const values = new Set<string>();
    let hasNull = false;
    for (const r of list) if (r.grp === null) hasNull = true; else values.add(String(r.grp));
    const dimension = key.slice(key.indexOf('\u0000') + 1);
    const groups: (string | null)[] = dimension ? [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : [null];
    if (dimension && hasNull) groups.push(null);
    const untimed = compiled.grain !== 'all' && list.some((r) => r.period === 'all');
    const periods = untimed ? 1 : timeline?.length ?? 0;
    const out = new Float64Array(periods * groups.length).fill(NaN);
    const g = new Map(groups.map((x, i) => [x, i]));
    for (const r of list) {
      const p = untimed ? 0 : index.get(String(r.period));
      if (p === undefined) throw new Error(`internal: the SQL engine returned period \`${r.period}\` for \`${r.kpi}\`, which is not on the timeline (${timeline ? `${timeline.period(0).key} to ${timeline.period(timeline.length - 1).key}` : 'no data in range'})`);
      const v = r.value === null ? NaN : Number(r.value);
      out[p * groups.length + g.get(dimension ? (r.grp === null ? null : String(r.grp)) : null)!] = Number.isFinite(v) ? v : NaN;
    }
    cells.set(key, { groups, cells: out });
  }
  return { timeline, sources, kpi: (id, dimension) => cells.get(`${id}\u0000${dimension}`) };
}

/**
 * The `unreadable` and `undated` rows → each source's problems and skipped rows, worded as the
 * in-process reader words them: per column, the count and the first examples (when found).
 */
function applyReadRows(compiled: Compiled, rows: SqlRow[], sources: Map<string, SourceResult>, examples?: ReadExamples): void {
  const undated = new Map<string, number>();
  const badTime = new Map<string, number>();
  const problems = new Map<string, { at: number; problem: SourceResult['problems'][number] }[]>();
  for (const r of rows) {
    if (r.kind === 'undated' && r.kpi) undated.set(r.kpi, Number(r.value ?? 0));
    if (r.kind !== 'unreadable' || !r.kpi) continue;
    const reads = compiled.sources.get(r.kpi)?.reads;
    const count = Number(r.value ?? 0);
    const at = reads?.checks.findIndex((c) => c.column === r.dimension && c.kind === r.grp) ?? -1;
    if (!reads || at < 0 || !count) continue;
    const check = reads.checks[at]!;
    if (check.kind === 'time') badTime.set(r.kpi, count);
    const found = examples?.get(r.kpi)?.get(at) ?? [];
    const message = check.kind === 'time' ? unreadableTimeMessage(check.column, count, reads.timeFormat) : unreadableValuesMessage(check.column, count, check.type === 'bool' ? 'boolean' : check.type === 'date' ? 'date' : 'number');
    const list = problems.get(r.kpi) ?? [];
    // As the reader lists them: columns first, the time last.
    list.push({ at: check.kind === 'time' ? Infinity : at, problem: { severity: 'warning', message: withExamples(message, found), file: reads.file, ...(found[0] ? { line: found[0].line, column: 1 } : {}) } });
    problems.set(r.kpi, list);
  }
  for (const [id, s] of sources) {
    for (const { problem } of (problems.get(id) ?? []).sort((a, b) => a.at - b.at)) s.problems.push(problem);
    const time = compiled.sources.get(id)?.time;
    const skipped = time !== undefined ? undatedReasons(time, undated.get(id) ?? 0, badTime.get(id) ?? 0) : [];
    if (s.rollup?.unkeyed) skipped.push({ reason: `an empty key in \`${s.rollup.from}\``, rows: s.rollup.unkeyed });
    if (skipped.length) s.skipped = skipped;
  }
}
