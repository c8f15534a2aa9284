import type { DataShape } from '../../data/shape';
import { matchColumn } from '../../data/columnNames';
import { DAY_MONTH_TWINS, formatsReadingAll, readsAsDate } from '../../data/timeFormats';
import type { SourceDef } from '../model';
import type { Span } from '../span';
import { closest } from '../suggest';
import type { Context } from './context';

/**
 * The sampled values of a source's time column, read with its `time_format` (ISO 8601 without
 * one). Unreadable values are reported when the format is to blame: none reads, or a common
 * format reads them all (then named; both day-first and month-first when the sample cannot
 * tell). A few stray rows (a `Total` line) are left to the engine, which counts them.
 */
export function checkTimeValues(ctx: Context, src: SourceDef, shape: DataShape): void {
  const col = matchColumn(src.time!.value, shape.columns);
  if (col === undefined || !shape.sample) return;
  const format = src.timeFormat?.value;
  const values: { line: number; value: string }[] = [];
  shape.sample.rows.forEach((row, i) => {
    const v = row[col];
    if (v !== null && v !== undefined && String(v).trim() !== '') values.push({ line: shape.sample!.lines[i]!, value: String(v).trim() });
  });
  const bad = values.filter((v) => readsAsDate(v.value, format) === false);
  if (!bad.length) return;
  const fits = formatsReadingAll(values.map((v) => v.value)).filter((f): f is string => f !== undefined && f !== format);
  if (bad.length < values.length && !fits.length) return;
  const twins = DAY_MONTH_TWINS.find(([a, b]) => fits.some((f) => f.startsWith(a)) && fits.some((f) => f.startsWith(b)));
  const fix = !fits.length ? `; write the dates as ISO 8601 (\`2026-01-31\`) or set \`time_format\``
    : twins ? `; both \`time_format: ${fits[0]}\` and \`time_format: ${fits[1]}\` read them all, and no sampled day is over 12: set the one your export uses`
    : `; \`time_format: ${fits[0]}\` reads them all`;
  const examples = bad.slice(0, 3).map((v) => `line ${v.line}: \`${v.value}\``).join(', ');
  const how = format ? `with \`time_format: ${format}\`` : 'as ISO 8601 dates';
  ctx.report('time-unreadable', src.timeFormat?.span ?? src.time!.span, `${bad.length} of ${values.length} sampled values of time column \`${src.time!.value}\` do not read ${how} (${examples})${fix}`, !twins && fits[0] ? { data: format ? { suggestion: fits[0] } : { timeFormat: fits[0] } } : undefined);
}

/** A text value compared with a column of few values, which no sampled row holds: most often a typo. */
export function checkSeenValue(ctx: Context, src: SourceDef, shape: DataShape, name: string, value: string, span: Span): void {
  const col = matchColumn(name, shape.columns);
  const seen = col === undefined ? undefined : shape.values?.get(col);
  if (!seen?.size || seen.has(value)) return;
  const values = [...seen].sort();
  const s = closest(value, values);
  const where = src.path ? `\`${src.path.value}\`` : `the rows of source \`${src.id}\``;
  const listed = values.length <= 12 ? values.map((v) => `\`${v}\``).join(', ') : `${values.slice(0, 12).map((v) => `\`${v}\``).join(', ')}, …`;
  ctx.report('where-value-unseen', span, `no sampled row of ${where} has \`${name}\` equal to \`"${value}"\`${s ? ` (did you mean \`"${s}"\`?)` : ''}; values seen: ${listed}`, s ? { data: { suggestion: s } } : undefined);
}
