import type { Grain } from '../language/model';
import { periodEnd, periodStart } from '../language/period';
import type { Dialect } from './dialect';
import { indentSql, type Cte } from './sqlText';

/**
 * The timeline CTEs: `extent` (first and last day with data over the timed sources, whose
 * CTEs are `src_<tag>`), `bounds` (cut to --from/--to), the periods with their index `__p` and
 * key (--last keeps the last N), and `days`, the days counted.
 */
export function timelineCtes(d: Dialect, grain: Grain, range: { from?: string; to?: string; last?: number; today?: string }, tags: string[]): Cte[] {
  const ctes: Cte[] = [];
  const parts = tags.map((t) => `SELECT MIN(__day) AS lo, MAX(__day) AS hi FROM src_${t}`);
  if (!parts.length) parts.push('SELECT CAST(NULL AS DATE) AS lo, CAST(NULL AS DATE) AS hi');
  ctes.push({
    name: 'extent', comment: ['the first and last day with data over the timed sources'],
    body: `SELECT MIN(lo) AS lo, MAX(hi) AS hi\nFROM (\n${indentSql(parts.join('\nUNION ALL\n'), 2, d)}\n) AS e`,
  });
  const from = range.from !== undefined ? periodStart(range.from) : undefined;
  // Rows dated after today (when given: kpispec eval passes it) are not counted yet.
  const today = range.today !== undefined ? periodStart(range.today) : undefined;
  const periodTo = range.to !== undefined ? periodEnd(range.to) : undefined;
  const to = today !== undefined && (periodTo === undefined || today < periodTo) ? today : periodTo;
  const lo = from === undefined ? 'lo' : `CASE WHEN lo < ${d.date(from)} THEN ${d.date(from)} ELSE lo END`;
  const hi = to === undefined ? 'hi' : `CASE WHEN hi > ${d.date(to)} THEN ${d.date(to)} ELSE hi END`;
  const shown = [from !== undefined ? `from ${range.from}` : '', to !== undefined ? `to ${to === periodTo ? range.to : range.today}` : ''].filter(Boolean).join(' ');
  ctes.push({ name: 'bounds', comment: [`the range${shown ? ` (${shown})` : ''}`], body: `SELECT ${lo} AS lo, ${hi} AS hi FROM extent` });
  const last = range.last;
  if (grain === 'all') {
    ctes.push({ name: 'periods', comment: ['one period: all'], body: `SELECT CAST(NULL AS DATE) AS __start, 0 AS __p, 'all' AS __key FROM bounds WHERE lo <= hi` });
    ctes.push({ name: 'days', comment: ['the days counted'], body: 'SELECT lo, hi FROM bounds' });
    return ctes;
  }
  ctes.push({ name: 'period_starts', comment: [`every ${grain} from the first to the last day, gaps included`], body: d.periodSeries('bounds', grain) });
  const kept = last !== undefined && last > 0 ? `\nWHERE p IN (SELECT p FROM period_starts ORDER BY p DESC LIMIT ${Math.floor(last)})` : '';
  ctes.push({
    name: 'periods', comment: [`the timeline: index, first day and key of each period${kept ? ` (the last ${last})` : ''}`],
    body: `SELECT p AS __start, ROW_NUMBER() OVER (ORDER BY p) - 1 AS __p, ${d.periodKey('p', grain)} AS __key\nFROM period_starts${kept}`,
  });
  // With --last, rows count from the first period kept.
  ctes.push({
    name: 'days', comment: ['the days counted'],
    body: kept
      ? `SELECT CASE WHEN (SELECT MIN(__start) FROM periods) > lo THEN (SELECT MIN(__start) FROM periods) ELSE lo END AS lo, hi FROM bounds`
      : 'SELECT lo, hi FROM bounds',
  });
  return ctes;
}

/** A source's rows in range with their period index `__p` (untimed: all rows, one period). */
export function rowsCte(d: Dialect, grain: Grain, tag: string, id: string, timed: boolean): Cte {
  const name = `rows_${tag}`;
  if (!timed) return { name, comment: [`rows of ${id} (no time column: one period)`], body: `SELECT s.*, 0 AS __p FROM src_${tag} AS s` };
  const inRange = 's.__day >= (SELECT lo FROM days) AND s.__day <= (SELECT hi FROM days)';
  const body = grain === 'all'
    ? `SELECT s.*, 0 AS __p FROM src_${tag} AS s\nWHERE ${inRange}`
    : `SELECT s.*, p.__p\nFROM src_${tag} AS s\nJOIN periods AS p ON p.__start = ${d.periodStart('s.__day', grain)}\nWHERE ${inRange}`;
  return { name, comment: [`rows of ${id} in range, with their period`], body };
}
