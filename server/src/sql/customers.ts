import type { Grain } from '../language/model';
import type { Dialect } from './dialect';
import type { Cte } from './sqlText';

/** What the customer metrics read: the source's CTEs, the metric's ids and filter, the breakdown. */
export interface CustomerMetric {
  d: Dialect;
  grain: Grain;
  /** The source's tag: `src_<tag>`, `rows_<tag>`. */
  tag: string;
  /** The metric's id as it may appear in an identifier, and its column as written (comments). */
  id: string;
  column: string;
  /** The ids (SQL over the source's columns), the filter, and the dimension's groups (by: set). */
  ids: string;
  where?: string;
  group?: string;
  dimension: string;
  /** A unique CTE name from a base. */
  name(base: string): string;
}

/** `retained`: ids seen in a period and in the one before it, same group. Returns the CTEs and the one to join (`__p`, `__g`, `v`). */
export function retainedCtes(m: CustomerMetric): { ctes: Cte[]; name: string } {
  const g = m.group ? `${m.group} AS __g, ` : '';
  const ids = m.name(`ids_${m.id}${m.dimension ? '__by' : ''}`);
  const name = m.name(`retained_${m.id}${m.dimension ? '__by' : ''}`);
  const same = m.group ? ` AND ${m.d.same('b.__g', 'a.__g')}` : '';
  return {
    name,
    ctes: [
      {
        name: ids, comment: [`metric ${m.id}: the distinct ${m.column} per cell${m.dimension ? ` (by ${m.dimension})` : ''}`],
        body: `SELECT DISTINCT __p, ${g}${m.ids} AS id\nFROM rows_${m.tag}\nWHERE ${m.ids} IS NOT NULL${m.where ? ` AND ${m.where}` : ''}`,
      },
      {
        name, comment: [`metric ${m.id}: ids seen in this period and in the one before, same group`],
        body: `SELECT a.__p${m.group ? ', a.__g' : ''}, COUNT(*) AS v\nFROM ${ids} AS a\nJOIN ${ids} AS b ON b.__p = a.__p - 1 AND b.id = a.id${same}\nGROUP BY a.__p${m.group ? ', a.__g' : ''}`,
      },
    ],
  };
}

/** `first_seen`: ids whose first row (in the whole source, range or not) falls in each cell. */
export function firstSeenCtes(m: CustomerMetric): { ctes: Cte[]; name: string } {
  const firsts = m.name(`firsts_${m.id}${m.dimension ? '__by' : ''}`);
  const name = m.name(`first_seen_${m.id}${m.dimension ? '__by' : ''}`);
  const g = m.group;
  const id = m.ids;
  const where = m.where;
  const inRange = 'f.__day >= (SELECT lo FROM days) AND f.__day <= (SELECT hi FROM days)';
  const period = m.grain === 'all' ? '0 AS __p' : 'p.__p';
  const join = m.grain === 'all' ? '' : `\nJOIN periods AS p ON p.__start = ${m.d.periodStart('f.__day', m.grain)}`;
  return {
    name,
    ctes: [
      // The first row of each id in the whole source (range or not); its group is that row's.
      {
        name: firsts, comment: [`metric ${m.id}: the first day of each ${m.column}${g ? ', and its group' : ''}`],
        body: g
          ? `SELECT __day, __g\nFROM (\n  SELECT __day, ${g} AS __g, ROW_NUMBER() OVER (PARTITION BY ${id} ORDER BY __day, ${g}) AS __n\n  FROM src_${m.tag}\n  WHERE ${id} IS NOT NULL AND __day IS NOT NULL${where ? ` AND ${where}` : ''}\n) AS f\nWHERE __n = 1`
          : `SELECT MIN(__day) AS __day\nFROM src_${m.tag}\nWHERE ${id} IS NOT NULL AND __day IS NOT NULL${where ? ` AND ${where}` : ''}\nGROUP BY ${id}`,
      },
      {
        name, comment: [`metric ${m.id}: ids whose first row falls in each cell`],
        body: `SELECT ${period}${g ? ', f.__g' : ''}, COUNT(*) AS v\nFROM ${firsts} AS f${join}\nWHERE ${inRange}\nGROUP BY ${m.grain === 'all' ? '1' : 'p.__p'}${g ? ', f.__g' : ''}`,
      },
    ],
  };
}
