import type { Dialect } from '../dialect';
import type { SqlType } from '../expr';

/**
 * A value as the text keys are compared by, the engine's (engine/relations/columns.ts
 * textCodes): text as written, a date as `YYYY-MM-DD`, a condition as `true`/`false`, a whole
 * number without a decimal part (`7`, as JavaScript writes it, not `7.0`). Keys, join columns
 * and dimensions that are not text go through it, so `007` never meets `7`.
 */
export function keyText(d: Dialect, x: string, type: SqlType): string {
  switch (type) {
    case 'string':
      return x;
    case 'date':
      return d.periodKey(x, 'day');
    case 'bool':
      return `(CASE WHEN ${x} THEN 'true' WHEN NOT ${x} THEN 'false' END)`;
    case 'number':
      return `(CASE WHEN ${x} = FLOOR(${x}) AND ABS(${x}) < ${d.number(1e15)} THEN CAST(CAST(${x} AS ${d.bigint}) AS ${d.text}) ELSE CAST(${x} AS ${d.text}) END)`;
    default:
      return `CAST(${x} AS ${d.text})`;
  }
}

/** The SQL type a column of this kind is cast back to (Snowflake's ARRAY_AGG gives VARIANTs). */
export function sqlTypeName(d: Dialect, type: SqlType): string {
  return type === 'number' ? d.double : type === 'date' ? 'DATE' : type === 'bool' ? 'BOOLEAN' : d.text;
}
