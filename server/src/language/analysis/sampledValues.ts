import type { DataShape } from '../../data/shape';
import type { Thousands } from '../../data/table';
import { MISSING_MARKER, numberFormat, parseNumberText, type Decimal } from '../../data/values';
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

/** Number formats a source may declare, tried in this order when the sampled values do not read. */
const NUMBER_OPTIONS: { options: { decimal?: Decimal; thousands?: Thousands }; yaml: string }[] = [
  { options: { thousands: ',' }, yaml: "thousands: ','" },
  { options: { decimal: ',' }, yaml: "decimal: ','" },
  { options: { decimal: ',', thousands: ' ' }, yaml: "decimal: ',', thousands: ' '" },
  { options: { thousands: ' ' }, yaml: "thousands: ' '" },
  { options: { thousands: "'" }, yaml: `thousands: "'"` },
];

/**
 * The sampled values of a column a metric reads as numbers, read with the source's number format:
 * values that do not read are reported, with the option that reads them all when one does
 * (`1,647.43` → `thousands: ','`). Spreadsheet markers (`#N/A`) are left to the engine's count.
 */
export function checkNumberValues(ctx: Context, src: SourceDef, shape: DataShape, name: string, span: Span): boolean {
  const col = matchColumn(name, shape.columns);
  if (col === undefined || !shape.sample || src.columns.get(col)?.value === 'string') return false;
  const values: { line: number; value: string }[] = [];
  shape.sample.rows.forEach((row, i) => {
    const v = row[col];
    if (typeof v === 'string' && v.trim() !== '' && !MISSING_MARKER.test(v.trim())) values.push({ line: shape.sample!.lines[i]!, value: v.trim() });
  });
  const own = numberFormat({ decimal: src.decimal?.value, thousands: src.thousands?.value });
  const bad = values.filter((v) => Number.isNaN(parseNumberText(v.value, own)));
  if (!bad.length) return false;
  const fit = NUMBER_OPTIONS.find((o) => values.every((v) => !Number.isNaN(parseNumberText(v.value, numberFormat(o.options)))));
  // A stray value no option reads (a `Total` row, an `x`) is the engine's to count; mostly text
  // (a name, an id) is a column-type problem.
  if (!fit) return false;
  const examples = bad.slice(0, 3).map((v) => `line ${v.line}: \`${v.value}\``).join(', ');
  const how = src.decimal || src.thousands ? ` with ${[src.decimal && `\`decimal: '${src.decimal.value}'\``, src.thousands && `\`thousands: '${src.thousands.value}'\``].filter(Boolean).join(' and ')}` : '';
  const fix = `; \`${fit.yaml}\` on source \`${src.id}\` reads them all`;
  const data = src.file === ctx.file && !src.decimal && !src.thousands && (src.path ?? src.rows) ? { sourceOption: fit.yaml, after: (src.path ?? src.rows)!.span.offset + (src.path ?? src.rows)!.span.length } : undefined;
  ctx.report('number-unreadable', span, `${bad.length} of ${values.length} sampled values of \`${name}\` do not read as numbers${how} (${examples}), so the KPIs over them would leave those rows out${fix}`, data ? { data } : undefined);
  return true;
}
