import type { DataShape } from '../../data/shape';
import { matchColumn } from '../../data/columnNames';
import type { Formula, MetricDef, SourceDef } from '../model';
import type { Span } from '../span';
import { closest } from '../suggest';
import { Context, KIND_NAMES } from './context';
import { inferRow, inferWhere, typeName } from './infer';
import { checkNumberValues, checkSeenValue } from './sampledValues';
import { checkCalls, forEachColumnName, forEachNode } from './references';
import { MAX_LOOKUP_DEPTH, Relations, spellChain, targetKey, type RelColumn } from './relations';

/**
 * The checks of one source's relations: what a rollup rolls up and how, its key, its lookups
 * and derived columns, their types and cycles. Columns of the data file itself are checked in
 * data.ts.
 */
export function checkRelations(ctx: Context, src: SourceDef, rel: Relations, shape: DataShape | undefined): void {
  const from = src.from ? sourceNamed(ctx, src.from.value, src.from.span, 'a rollup\'s `from`') : undefined;
  if (src.from && from === src) ctx.report('circular-definition', src.from.span, `source \`${src.id}\` rolls up itself`);
  if (from && from !== src) checkRollup(ctx, src, from, rel);
  if (!src.from && shape) checkUniqueInSample(ctx, src, shape);
  for (const lookup of src.lookups.values()) {
    const target = lookup.source ? sourceNamed(ctx, lookup.source.value, lookup.source.span, 'a lookup\'s `source`') : undefined;
    for (const o of lookup.on) expectRelColumn(ctx, rel, src, o.local.value, o.local.span, 'join column');
    if (!target || !lookup.source) continue;
    const key = targetKey(target);
    if (!key.length) {
      const guess = lookup.on.map((o) => o.remote?.value ?? o.local.value);
      const keyText = guess.length === 1 ? guess[0] : `[${guess.join(', ')}]`;
      ctx.report('lookup-without-key', lookup.source.span, `source \`${target.id}\` has no \`key\`, so a lookup onto it could match several rows and count them twice; declare the key it is unique on: \`key: ${keyText}\` (it is verified on the data), or look up a rollup`, { data: { suggestion: keyText ?? '' } });
      continue;
    }
    const onSpan = lookup.on[0]?.local.span ?? lookup.nameSpan;
    if (lookup.on.length !== key.length) {
      ctx.report('lookup-key-mismatch', onSpan, `\`${target.id}\` is keyed by ${list(key)}: \`on\` needs ${key.length === 1 ? 'one column' : `${key.length} columns`}, one per key column, but gives ${lookup.on.length}`);
      continue;
    }
    lookup.on.forEach((o, i) => {
      const remote = o.remote?.value ?? o.local.value;
      if (remote === key[i]) return;
      const fix = o.remote ? `\`${o.local.value}: ${key[i]}\`` : `\`on: { ${o.local.value}: ${key[i]} }\``;
      ctx.report('lookup-key-mismatch', o.remote?.span ?? o.local.span, `\`${target.id}\` is keyed by ${list(key)}, not \`${remote}\`; map this source's column to the key: ${fix}`);
    });
  }
  const conflicts = new Set<string>();
  for (const d of src.derive.values()) {
    if (!src.from && shape && matchColumn(d.name, shape.columns) === d.name) {
      conflicts.add(d.name);
      ctx.report('column-conflict', d.nameSpan, `derived column \`${d.name}\` has the name of a column of the data; rename it`);
    }
    if (src.from && (src.aggregate.has(d.name) || src.key.some((k) => k.value === d.name))) {
      ctx.report('column-conflict', d.nameSpan, `derived column \`${d.name}\` has the name of a column of the rollup; rename it`);
    }
    checkCalls(ctx, d.formula, 'derive');
    checkRowFormula(ctx, rel, src, d.formula);
    if (rowFormulaOk(rel, src, d.formula)) inferRow(ctx, d.formula.expr, (n) => rel.typeOf(src, n), true);
  }
  reportCycles(ctx, src, rel, conflicts);
}

function checkRollup(ctx: Context, src: SourceDef, from: SourceDef, rel: Relations): void {
  for (const k of src.key) expectRelColumn(ctx, rel, from, k.value, k.span, 'key column');
  for (const agg of src.aggregate.values()) {
    if (src.key.some((k) => k.value === agg.name)) ctx.report('column-conflict', agg.nameSpan, `\`${agg.name}\` is a key column of the rollup; name the aggregate otherwise`);
    if (!agg.fn) {
      if (agg.formula.errors.length) continue;
      ctx.report('invalid-aggregate', agg.formula.span, `\`${agg.formula.text}\` is not one aggregate of one column: write \`fn(column)\` with fn one of sum, avg, min, max, count_distinct, first, last, or \`count()\`; compute an expression in \`derive\` on \`${from.id}\` first`);
      continue;
    }
    const column = agg.column;
    if (!column) continue;
    const col = expectRelColumn(ctx, rel, from, column.value, column.span, 'column');
    const t = col && rel.type(col);
    const fn = agg.fn.value;
    const numeric = fn === 'sum' || fn === 'avg';
    if (t && ((numeric && t !== 'number') || ((fn === 'min' || fn === 'max') && t !== 'number' && t !== 'date'))) {
      ctx.report('column-type', column.span, `\`${fn}\` needs ${numeric ? 'a numeric column' : 'a numeric or date column'}, but \`${column.value}\` holds ${typeName(t === 'boolean' ? 'bool' : t)}; use \`count_distinct\`, \`first\` or \`last\`, or pin its type on \`${from.id}\` with \`columns\``);
    }
  }
  if (src.time) {
    const col = expectRelColumn(ctx, rel, src, src.time.value, src.time.span, 'time column');
    const t = col && rel.type(col);
    if (t && t !== 'date') ctx.report('column-type', src.time.span, `the time of a rollup must be one of its date columns, but \`${src.time.value}\` holds ${typeName(t === 'boolean' ? 'bool' : t)}; for instance \`first_seen: min(${from.time?.value ?? 'date'})\``);
  }
  for (const d of src.dimensions) expectRelColumn(ctx, rel, src, d.value, d.span, 'dimension');
}

/** unknown-column and `matched(lookup)` in a row formula of src. */
function checkRowFormula(ctx: Context, rel: Relations, src: SourceDef, formula: Formula): void {
  forEachColumnName(formula.expr, (e) => { expectRelColumn(ctx, rel, src, e.name, e.span, 'column'); });
  checkMatched(ctx, src, formula);
}

/** `matched(x)` names a lookup of the source. */
export function checkMatched(ctx: Context, src: SourceDef, formula: Formula): void {
  forEachNode(formula.expr, (e) => {
    if (e.kind !== 'call' || e.callee !== 'matched' || e.args[0]?.kind !== 'name') return;
    const name = e.args[0].name;
    if (src.lookups.has(name)) return;
    const s = closest(name, src.lookups.keys());
    const known = src.lookups.size ? `; its lookups are ${list([...src.lookups.keys()])}` : '; it has no `lookups`';
    ctx.report('unknown-reference', e.args[0].span, `\`${name}\` is not a lookup of source \`${src.id}\`${s ? ` (did you mean \`${s}\`?)` : known}`, s ? { data: { suggestion: s } } : undefined);
  });
}

function rowFormulaOk(rel: Relations, src: SourceDef, formula: Formula): boolean {
  let ok = formula.errors.length === 0;
  forEachColumnName(formula.expr, (e) => { if (!rel.column(src, e.name)) ok = false; });
  return ok;
}

/** The column a name means in src, or unknown-column with the closest name and the reason. */
export function expectRelColumn(ctx: Context, rel: Relations, src: SourceDef, name: string, span: Span, what: string): RelColumn | undefined {
  const col = rel.column(src, name);
  if (col) return col;
  const names = rel.columnNames(src) ?? [];
  const s = closest(name, names);
  let why = '';
  const dot = name.indexOf('.');
  const lookup = dot > 0 ? src.lookups.get(name.slice(0, dot)) : undefined;
  if (lookup) {
    const depth = name.split('.').length - 1;
    why = depth > MAX_LOOKUP_DEPTH ? `; lookups chain at most ${MAX_LOOKUP_DEPTH} deep` : `; \`${name.slice(dot + 1)}\` is not a column of \`${lookup.source?.value ?? '?'}\` (looked up as \`${lookup.name}\`)`;
  }
  const where = src.from ? `rollup \`${src.id}\`` : src.path ? `\`${src.path.value}\` (source \`${src.id}\`)` : `source \`${src.id}\``;
  const listed = !s && !why && names.length && names.length <= 12 ? `; its columns are ${list(names)}` : '';
  ctx.report('unknown-column', span, `${what} \`${name}\` is not a column of ${where}${s ? ` (did you mean \`${s}\`?)` : ''}${why}${listed}`, s ? { data: { suggestion: s } } : undefined);
  return undefined;
}

function sourceNamed(ctx: Context, id: string, span: Span, what: string): SourceDef | undefined {
  const src = ctx.scope.sources.get(id);
  if (src) return src;
  const other = ctx.scope.names.get(id);
  if (other) {
    ctx.report('wrong-reference-kind', span, `\`${id}\` is a ${KIND_NAMES[other.kind]}, but ${what} must name a source`);
    return undefined;
  }
  const s = closest(id, ctx.idsOf('source'));
  ctx.report('unknown-reference', span, `unknown source \`${id}\`${s ? ` (did you mean \`${s}\`?)` : ''}`, s ? { data: { suggestion: s } } : undefined);
  return undefined;
}

/** key-not-unique, as far as the sampled rows show. */
function checkUniqueInSample(ctx: Context, src: SourceDef, shape: DataShape): void {
  if (!src.key.length || !shape.sample) return;
  const names = src.key.map((k) => matchColumn(k.value, shape.columns));
  if (names.some((n) => n === undefined)) return;
  const seen = new Map<string, number>();
  const { rows, lines } = shape.sample;
  for (let i = 0; i < rows.length; i++) {
    const values = names.map((n) => cellText(rows[i]![n!]));
    if (values.some((v) => v === '')) continue;
    const key = values.join('\u0000');
    const before = seen.get(key);
    if (before === undefined) { seen.set(key, lines[i]!); continue; }
    const where = src.path ? `of \`${src.path.value}\`` : 'of its rows';
    const value = values.length === 1 ? `\`${values[0]}\`` : `(${values.map((v) => `\`${v}\``).join(', ')})`;
    const span = src.key[0]!.span;
    ctx.report('key-not-unique', src.key.length === 1 ? span : { offset: span.offset, length: src.key[src.key.length - 1]!.span.offset + src.key[src.key.length - 1]!.span.length - span.offset }, `key ${list(src.key.map((k) => k.value))} of source \`${src.id}\` is not unique: ${value} is on ${src.rows ? 'rows' : 'lines'} ${before} and ${lines[i]} ${where}; a lookup onto it would count rows twice`);
    return;
  }
}

function cellText(v: unknown): string {
  return v === null || v === undefined ? '' : String(v).trim();
}

/** circular-definition, once per cycle through this source (not for a derived column named like the data column it reads: that is column-conflict). */
function reportCycles(ctx: Context, src: SourceDef, rel: Relations, conflicts: Set<string>): void {
  for (const name of [...src.derive.keys(), ...src.aggregate.keys()]) {
    const col = rel.column(src, name);
    if (col) rel.type(col);
  }
  for (const chain of rel.cycles) {
    const own = chain.find((c) => c.source === src && (c.origin === 'derive' || c.origin === 'aggregate'));
    if (!own || (own.origin !== 'derive' && own.origin !== 'aggregate') || (chain.length === 1 && conflicts.has(own.name))) continue;
    ctx.report('circular-definition', own.def.nameSpan, `column \`${own.name}\` of source \`${src.id}\` depends on itself: ${spellChain(chain.slice(chain.indexOf(own)).concat(chain.slice(0, chain.indexOf(own))))}`);
  }
}

function list(names: string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}

/** A metric over a source with relations: its column and filter through the source's columns. */
export function checkRelationalMetric(ctx: Context, metric: MetricDef, src: SourceDef, rel: Relations, shape: DataShape | undefined): void {
  if (metric.column) {
    const col = expectRelColumn(ctx, rel, src, metric.column.value, metric.column.span, 'column');
    const t = col && rel.type(col);
    const numeric = !!metric.agg && NUMERIC_AGGS.has(metric.agg.value);
    const misread = numeric && col?.origin === 'data' && !!shape && (t === 'number' || t === 'string') && checkNumberValues(ctx, src, shape, col.name, metric.column.span);
    if (t && t !== 'number' && numeric && !misread) {
      ctx.report('column-type', metric.column.span, `\`${metric.agg!.value}\` needs a numeric column, but \`${metric.column.value}\` holds ${typeName(t === 'boolean' ? 'bool' : t)}; use \`count\` or \`count_distinct\`, or pin its type with \`columns\``);
    }
  }
  if (!metric.where) return;
  checkRowFormula(ctx, rel, src, metric.where);
  if (!rowFormulaOk(rel, src, metric.where)) return;
  inferWhere(ctx, metric, (n) => rel.typeOf(src, n));
  if (!shape) return;
  forEachNode(metric.where.expr, (e) => {
    if (e.kind !== 'binary' || (e.op !== '==' && e.op !== '!=')) return;
    for (const [side, value] of [[e.left, e.right], [e.right, e.left]] as const) {
      if (side.kind === 'name' && value.kind === 'string' && rel.column(src, side.name)?.origin === 'data') checkSeenValue(ctx, src, shape, side.name, value.value, value.span);
    }
  });
}

const NUMERIC_AGGS = new Set(['sum', 'avg', 'min', 'max']);
