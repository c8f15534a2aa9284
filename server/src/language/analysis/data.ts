import * as path from 'node:path';
import { formatOf, rowsShape, type DataFormat, type DataShape } from '../../data/shape';
import { ambiguousColumn, matchColumn } from '../../data/columnNames';
import type { ColumnType } from '../../data/table';
import type { Expr, NameRef } from '../formula/ast';
import type { Definition, MetricDef, SourceDef } from '../model';
import type { Span } from '../span';
import { closest } from '../suggest';
import type { Workspace } from '../workspace';
import { Context } from './context';
import { inferWhere } from './infer';
import { suggestPath } from './paths';
import { checkNumberValues, checkSeenValue, checkTimeValues } from './sampledValues';
import { forEachColumnName, forEachNode } from './references';
import { checkMatched, checkRelationalMetric, checkRelations, expectRelColumn } from './relationChecks';
import { isRelational, Relations } from './relations';

/** A file's shape, or why it cannot be read (with a did-you-mean `data`, or an `option` that reads it). */
export type Access = { shape: DataShape } | { problem: { rule: string; message: string; data?: string; option?: string } } | { none: true };

/**
 * Data-aware checks: data files exist, lie inside the workspace and can be read, and every
 * column the spec names is in them with a fitting type. Reads only each file's start.
 */
export function checkData(ctx: Context, defs: Iterable<Definition> = ctx.own): Map<SourceDef, Access> {
  const shapes = new Map<SourceDef, Access>();
  const access = (src: SourceDef): Access => {
    let a = shapes.get(src);
    if (!a) shapes.set(src, (a = sourceAccess(ctx, src)));
    return a;
  };

  const fileShape = (src: SourceDef): DataShape | undefined => {
    if (src.from) return undefined;
    const a = access(src);
    return 'shape' in a ? a.shape : undefined;
  };
  const rel = new Relations(ctx, fileShape);

  for (const def of defs) {
    ctx.at(def);
    if (def.kind === 'source' && isRelational(def)) {
      if (!def.from) {
        const a = access(def);
        if ('problem' in a) reportAccess(ctx, def, a.problem);
        if ('shape' in a) {
          if (def.time && expectColumn(ctx, def, a.shape.columns, def.time.value, def.time.span, 'time column') !== undefined) checkTimeValues(ctx, def, a.shape);
          for (const [name, c] of def.columns) expectColumn(ctx, def, a.shape.columns, name, c.nameSpan, 'column');
        }
        if (!('problem' in a)) {
          for (const d of def.dimensions) expectRelColumn(ctx, rel, def, d.value, d.span, 'dimension');
          for (const k of def.key) expectRelColumn(ctx, rel, def, k.value, k.span, 'key column');
        }
      }
      checkRelations(ctx, def, rel, fileShape(def));
      continue;
    }
    if (def.kind === 'metric' && def.source) {
      const src = ctx.lookup(def.source.value, 'source');
      if (src && isRelational(src)) {
        const a = src.from ? undefined : access(src);
        if (!a || !('problem' in a)) checkRelationalMetric(ctx, def, src, rel, fileShape(src));
        continue;
      }
    }
    if (def.kind === 'source') {
      const a = access(def);
      if ('problem' in a) reportAccess(ctx, def, a.problem);
      if (!('shape' in a)) continue;
      const cols = a.shape.columns;
      if (def.time && expectColumn(ctx, def, cols, def.time.value, def.time.span, 'time column') !== undefined) checkTimeValues(ctx, def, a.shape);
      for (const d of def.dimensions) expectColumn(ctx, def, cols, d.value, d.span, 'dimension');
      for (const [name, c] of def.columns) expectColumn(ctx, def, cols, name, c.nameSpan, 'column');
    }
    if (def.kind === 'metric' && def.source) {
      const src = ctx.lookup(def.source.value, 'source');
      const a = src && access(src);
      if (!src || !a || !('shape' in a)) continue;
      checkMetricColumns(ctx, def, src, a.shape);
    }
  }
  return shapes;
}

/** A data file that cannot be read, at the source's `file`: with a did-you-mean, or the option that reads it as a quick fix. */
function reportAccess(ctx: Context, src: SourceDef, problem: { rule: string; message: string; data?: string; option?: string }): void {
  const at = src.path?.span ?? src.idSpan;
  const data: Record<string, string | number> | undefined = problem.data ? { suggestion: problem.data } : problem.option ? { sourceOption: problem.option, after: at.offset + at.length } : undefined;
  ctx.report(problem.rule, at, problem.message, data ? { data } : undefined);
}

/** Where a source's data file is, if it may be read: inside the workspace, links resolved, existing, of a known format. */
export type DataFile = { path: string; format: DataFormat } | { problem: { rule: string; message: string; data?: string } } | { none: true };

/** The checker and the engine read a data file only through this gate. */
export function locateDataFile(ws: Workspace, src: SourceDef): DataFile {
  if (!src.path) return { none: true };
  const abs = path.resolve(path.dirname(src.file), src.path.value);
  const written = src.path.value;
  if (outside(ws.root, abs)) {
    return { problem: { rule: 'data-file-outside-workspace', message: `\`${written}\` lies outside the workspace; data files must stay inside the workspace folder` } };
  }
  const real = ws.host.realpath(abs);
  if (real === undefined) {
    const s = suggestPath(ws.host, src.file, written, (n) => formatOf(n) !== undefined);
    return { problem: { rule: 'data-file-missing', message: `data file \`${written}\` does not exist${s ? ` (did you mean \`${s}\`?)` : ''}; paths are relative to this spec file`, data: s } };
  }
  const realRoot = ws.host.realpath(ws.root) ?? ws.root;
  if (outside(realRoot, real)) {
    return { problem: { rule: 'data-file-outside-workspace', message: `\`${written}\` is a link to a file outside the workspace; data files must stay inside the workspace folder` } };
  }
  const format = formatOf(abs, src.format?.value);
  if (!format) return { none: true }; // the schema reports the file name; without a format nothing can be read
  return { path: abs, format };
}

export function sourceAccess(ctx: Context, src: SourceDef): Access {
  if (src.rows) return { shape: rowsShape(src.rows.value) };
  const located = locateDataFile(ctx.ws, src);
  if (!('path' in located)) return located;
  const result = ctx.ws.host.dataShape(located.path, { format: located.format, delimiter: src.delimiter?.value, decimal: src.decimal?.value, thousands: src.thousands?.value, encoding: src.encoding?.value });
  if (!result.ok && result.withheld) return { none: true };
  if (!result.ok) return { problem: { rule: 'data-file-unreadable', message: `cannot read data file \`${src.path!.value}\`: ${result.message}`, ...(result.encoding && !src.encoding ? { option: `encoding: ${result.encoding}` } : {}) } };
  const sniffed = located.format === 'csv' && !src.delimiter ? otherDelimiter(result.shape.columns) : undefined;
  if (sniffed) {
    const header = result.shape.columns[0]!.replace(/\t/g, '\\t');
    return { problem: { rule: 'data-file-unreadable', message: `cannot read data file \`${src.path!.value}\` with commas: its header \`${header.length > 60 ? `${header.slice(0, 60)}…` : header}\` is one column; its values are separated by ${sniffed.name}: set \`delimiter: ${sniffed.yaml}\` on the source`, option: `delimiter: ${sniffed.yaml}` } };
  }
  return { shape: result.shape };
}

/** A header read as a single column that another common separator splits: a `;`, tab or `|` export read with commas. */
function otherDelimiter(columns: readonly string[]): { name: string; yaml: string } | undefined {
  if (columns.length !== 1) return undefined;
  const header = columns[0]!;
  const candidates = [{ char: ';', name: 'semicolons', yaml: "';'" }, { char: '\t', name: 'tabs', yaml: '"\\t"' }, { char: '|', name: 'bars', yaml: "'|'" }];
  return candidates.find((c) => header.split(c.char).filter((part) => part.trim() !== '').length > 1);
}

function outside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' ? false : rel.startsWith('..') || path.isAbsolute(rel);
}


function expectColumn(ctx: Context, src: SourceDef, columns: readonly string[], name: string, span: Span, what: string, hint = ''): string | undefined {
  const where = src.path ? `\`${src.path.value}\`` : `the rows of source \`${src.id}\``;
  const ambiguous = ambiguousColumn(name, columns);
  if (ambiguous) {
    const named = ambiguous.map((i) => `\`${columns[i - 1]}\``);
    const same = new Set(named).size === 1;
    // data: the header names among them that the header holds once, each of which names one column exactly (quick fixes)
    const once = [...new Set(ambiguous.map((i) => columns[i - 1]!))].filter((c) => columns.filter((x) => x === c).length === 1);
    ctx.report('ambiguous-column', span, `${what} \`${name}\` could be any of ${ambiguous.length} columns of ${where}: ${same ? `the header repeats ${named[0]} (columns ${ambiguous.join(', ')})` : `${named.join(', ')} (columns ${ambiguous.join(', ')})`}; rename all but one in the file`, once.length ? { data: { choices: once.join('\n') } } : undefined);
    return undefined;
  }
  const found = matchColumn(name, columns);
  if (found !== undefined) return found;
  const s = closest(name, columns);
  const list = !columns.length ? '; it has no columns' : columns.length <= 12 ? `; its columns are ${columns.map((c) => `\`${c}\``).join(', ')}` : '';
  ctx.report('unknown-column', span, `${what} \`${name}\` is not in ${where}${s ? ` (did you mean \`${s}\`?)` : list}${hint}`, s ? { data: { suggestion: s } } : undefined);
  return undefined;
}

const NUMERIC_AGGS = new Set(['sum', 'avg', 'min', 'max']);

function checkMetricColumns(ctx: Context, metric: MetricDef, src: SourceDef, shape: DataShape): void {
  const typeOf = (name: string): ColumnType | undefined => {
    const col = matchColumn(name, shape.columns);
    if (col === undefined) return undefined;
    const pinned = src.columns.get(col)?.value;
    const t = pinned ?? shape.types.get(col);
    return t === 'empty' ? undefined : t;
  };
  if (metric.column) {
    const col = expectColumn(ctx, src, shape.columns, metric.column.value, metric.column.span, 'column');
    const t = col !== undefined ? typeOf(col) : undefined;
    const numeric = !!metric.agg && NUMERIC_AGGS.has(metric.agg.value);
    // Numbers written another way (`1,647.43`): the option that reads them, not a type error.
    const misread = numeric && col !== undefined && (t === 'number' || t === 'string') && checkNumberValues(ctx, src, shape, col, metric.column.span);
    if (t && t !== 'number' && numeric && !misread) {
      ctx.report('column-type', metric.column.span, `\`${metric.agg!.value}\` needs a numeric column, but \`${metric.column.value}\` holds ${t === 'string' ? 'text' : t === 'boolean' ? 'true/false values' : 'dates'}; use \`count\` or \`count_distinct\`, or pin its type with \`columns\``);
    }
  }
  if (metric.where) {
    // Each side of an equality, with the other side: a bare word compared with a column is
    // likely a value left unquoted, and a text value is looked for in the sampled rows.
    const other = new Map<Expr, Expr>();
    forEachNode(metric.where.expr, (e) => {
      if (e.kind === 'binary' && (e.op === '==' || e.op === '!=')) other.set(e.left, e.right).set(e.right, e.left);
    });
    const isColumn = (e: Expr | undefined) => e?.kind === 'name' && matchColumn(e.name, shape.columns) !== undefined;
    let allKnown = true;
    checkMatched(ctx, src, metric.where);
    forEachColumnName(metric.where.expr, (e) => {
      const hint = isColumn(other.get(e)) ? `; if \`${e.name}\` is a value, quote it: \`${(other.get(e) as NameRef).name} == "${e.name}"\`` : '';
      if (expectColumn(ctx, src, shape.columns, e.name, e.span, 'column', hint) === undefined) allKnown = false;
    });
    if (allKnown) {
      inferWhere(ctx, metric, typeOf);
      for (const [side, value] of other) if (side.kind === 'name' && value.kind === 'string') checkSeenValue(ctx, src, shape, side.name, value.value, value.span);
    }
  }
}
