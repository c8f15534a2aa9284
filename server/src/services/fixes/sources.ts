import * as path from 'node:path';
import { matchColumn } from '../../data/columnNames';
import { formatOf } from '../../data/shape';
import { targetKey } from '../../language/analysis/relations';
import { forEachNode } from '../../language/analysis/references';
import type { Binary } from '../../language/formula/ast';
import type { SourceDef } from '../../language/model';
import type { Problem } from '../../language/problem';
import { containsOffset, spanEnd } from '../../language/span';
import { get, getPair } from '../../language/yaml/tree';
import { sourceColumns } from '../definitionColumns';
import { defAt, metricWithWhereAt } from './common';
import type { Fix, FixEnv, Fixer } from './types';
import type { Edit } from '../types';
import { addPair, appendItem, removeItem, replace, sameSpan, seqWithItem, yamlString } from './yamlEdits';

/** The text of the file a definition is in: this one, or an imported one. */
function textOf(env: FixEnv, file: string): string | undefined {
  return file === env.snap.file ? env.snap.text : env.snap.ws.load(file).parsed?.spec.text;
}

function sourcesNamed(env: FixEnv, p: Problem): SourceDef[] | undefined {
  const ids = p.data?.sources;
  if (typeof ids !== 'string' || !ids) return undefined;
  const out: SourceDef[] = [];
  for (const id of ids.split(',')) {
    const src = env.snap.scope.sources.get(id);
    if (!src) return undefined;
    out.push(src);
  }
  return out;
}

// ---- breakdown-unavailable ------------------------------------------------------------------

/** The dimension written at the problem, if every source the problem names has a column of that name. */
function declarable(env: FixEnv, p: Problem): { dim: string; sources: SourceDef[] } | undefined {
  const sources = sourcesNamed(env, p);
  const dim = env.snap.text.slice(p.span.offset, spanEnd(p.span));
  if (!sources || !/^[\p{L}_][\p{L}\p{N}_ ]*$/u.test(dim)) return undefined;
  for (const src of sources) {
    if (src.node?.kind !== 'map' || src.from || matchColumn(dim, sourceColumns(env.snap.ws, src).map((c) => c.name)) === undefined) return undefined;
    const dims = getPair(src.node, 'dimensions');
    if (dims && dims.value?.kind !== 'seq') return undefined;
  }
  return { dim, sources };
}

/** Adds dimensions to a source's `dimensions` (created when absent). */
function declare(env: FixEnv, src: SourceDef, dims: string[]): Edit | undefined {
  const text = textOf(env, src.file);
  if (text === undefined || src.node?.kind !== 'map') return undefined;
  const list = getPair(src.node, 'dimensions')?.value;
  if (!list) return addPair(text, src.file, src.node, 'dimensions', `[${dims.map(yamlString).join(', ')}]`);
  if (list.kind !== 'seq') return undefined;
  const edits = dims.map((d) => appendItem(text, src.file, list, yamlString(d)));
  if (edits.some((e) => !e)) return undefined;
  // appends at one place: one edit
  return { ...edits[0]!, newText: edits.map((e) => e!.newText).join('') };
}

/**
 * breakdown-unavailable: declare the dimension on the sources that lack it, when their data has
 * that column ("fix all" declares every such dimension of a source at once); or drop it from `by`.
 */
export const breakdownUnavailable: Fixer = (env, p) => {
  const out: Fix[] = [];
  const can = declarable(env, p);
  if (can) {
    const edits: Edit[] = [];
    for (const src of can.sources) {
      // in "fix all", every dimension this request declares on the source, in the order of the problems
      const dims = env.batch
        ? [...new Set(env.problems.filter((q) => q.rule === 'breakdown-unavailable' && q.file === env.snap.file).flatMap((q) => {
          const d = declarable(env, q);
          return d && d.sources.includes(src) ? [d.dim] : [];
        }))]
        : [can.dim];
      const edit = declare(env, src, dims);
      if (!edit) return [];
      edits.push(edit);
    }
    const names = can.sources.map((s) => `\`${s.id}\``).join(', ');
    out.push({ title: `Declare \`${can.dim}\` in the \`dimensions\` of ${names}`, edits, batch: true });
  }
  const item = seqWithItem(env.snap.spec.root, p.span);
  if (item) out.push({ title: `Remove \`${env.snap.text.slice(p.span.offset, spanEnd(p.span))}\` from \`by\``, edits: [removeItem(env.snap.text, env.snap.file, item.seq, item.index)] });
  return out;
};

// ---- time -----------------------------------------------------------------------------------

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The one column of a source's data that holds dates, if there is exactly one. */
function dateColumn(env: FixEnv, src: SourceDef): string | undefined {
  if (src.from || src.table) return undefined;
  let dates: string[];
  if (src.rows) {
    const names = new Set(src.rows.value.flatMap((r) => Object.keys(r)));
    dates = [...names].filter((n) => {
      const values = src.rows!.value.map((r) => r[n]).filter((v) => v !== null && v !== undefined && v !== '');
      return values.length > 0 && values.every((v) => (typeof v === 'string' && ISO_DATE.test(v)) || v instanceof Date);
    });
  } else {
    if (!src.path) return undefined;
    const abs = path.resolve(path.dirname(src.file), src.path.value);
    const format = formatOf(abs, src.format?.value);
    if (!format || env.snap.ws.host.realpath(abs) === undefined) return undefined;
    const shape = env.snap.ws.host.dataShape(abs, { format, delimiter: src.delimiter?.value, decimal: src.decimal?.value });
    if (!shape.ok) return undefined;
    dates = shape.shape.columns.filter((c) => (src.columns.get(c)?.value ?? shape.shape.types.get(c)) === 'date');
  }
  return dates.length === 1 ? dates[0] : undefined;
}

/**
 * needs-time-column, mixed-time-sources: give each untimed source the problem names its `time`,
 * when its data has exactly one column of dates.
 */
export const addTime: Fixer = (env, p) => {
  const sources = sourcesNamed(env, p);
  if (!sources) return [];
  const edits: Edit[] = [];
  const parts: string[] = [];
  for (const src of sources) {
    const column = dateColumn(env, src);
    const text = textOf(env, src.file);
    if (!column || text === undefined || src.node?.kind !== 'map' || src.time) return [];
    edits.push(addPair(text, src.file, src.node, 'time', yamlString(column)));
    parts.push(`\`time: ${column}\` to \`${src.id}\``);
  }
  return [{ title: `Add ${parts.join(', ')}`, edits, batch: true }];
};

// ---- relations ------------------------------------------------------------------------------

function lookupAt(env: FixEnv, offset: number) {
  const src = defAt(env.snap, offset);
  if (src?.kind !== 'source') return undefined;
  for (const lookup of src.lookups.values()) if (containsOffset(lookup.span, offset)) return { src, lookup };
  return undefined;
}

/** lookup-without-key: declare on the target the key the lookup joins on (verified on the data). */
export const lookupWithoutKey: Fixer = (env, p) => {
  const at = lookupAt(env, p.span.offset);
  const keyText = p.data?.suggestion;
  if (!at?.lookup.source || typeof keyText !== 'string' || !keyText) return [];
  const target = env.snap.scope.sources.get(at.lookup.source.value);
  const text = target && textOf(env, target.file);
  if (!target || text === undefined || target.node?.kind !== 'map' || getPair(target.node, 'key')) return [];
  // not preferred: it states a fact about the data (checked, but not known yet), maybe in another file
  return [{ title: `Declare \`key: ${keyText}\` on source \`${target.id}\``, edits: [addPair(text, target.file, target.node, 'key', keyText)], batch: true }];
};

/** lookup-key-mismatch: map each `on` column to the target's key column, in order, when there are as many. */
export const lookupKeyMismatch: Fixer = (env, p) => {
  const at = lookupAt(env, p.span.offset);
  const target = at?.lookup.source && env.snap.scope.sources.get(at.lookup.source.value);
  if (!at || !target) return [];
  const key = targetKey(target);
  const on = at.lookup.on;
  if (!key.length || on.length !== key.length) return [];
  const lookupNode = findLookupNode(at.src, at.lookup.name);
  const onPair = getPair(lookupNode, 'on');
  if (!onPair?.value) return [];
  const mapping = `{ ${on.map((o, i) => `${yamlString(o.local.value)}: ${yamlString(key[i]!)}`).join(', ')} }`;
  return [{ title: `Map to the key: \`on: ${mapping}\``, edits: [replace(env.snap.file, onPair.value.span, mapping)], preferred: true, batch: true }];
};

function findLookupNode(src: SourceDef, name: string) {
  return get(get(src.node, 'lookups'), name);
}

// ---- column types -----------------------------------------------------------------------------

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * column-type: a `where` comparing a numeric column with a number written as text (`amount >
 * "100"`) gets the number; a sum, average, minimum or maximum over a text column can count its
 * distinct values instead.
 */
export const columnType: Fixer = (env, p) => {
  const { snap } = env;
  const at = defAt(snap, p.span.offset);
  const metric = at?.kind === 'metric' && at.column && sameSpan(at.column.span, p.span) ? at : undefined;
  if (metric?.agg && ['sum', 'avg', 'min', 'max'].includes(metric.agg.value)) {
    return [{ title: `Change to \`agg: count_distinct\` (count the distinct values of \`${metric.column!.value}\`)`, edits: [replace(snap.file, metric.agg.span, 'count_distinct')] }];
  }
  const where = metricWithWhereAt(snap, p.span.offset);
  if (!where?.where) return [];
  let node: Binary | undefined;
  forEachNode(where.where.expr, (e) => {
    if (e.kind === 'binary' && e.opSpan.offset === p.span.offset) node = e;
  });
  if (!node) return [];
  const [str, other] = node.right.kind === 'string' ? [node.right, node.left] : node.left.kind === 'string' ? [node.left, node.right] : [];
  if (!str || str.kind !== 'string' || other?.kind !== 'name' || !NUMBER.test(str.value)) return [];
  return [{ title: `Change \`${snap.text.slice(str.span.offset, spanEnd(str.span))}\` to \`${str.value}\``, edits: [replace(snap.file, str.span, str.value)], preferred: true, batch: true }];
};

/** invalid-aggregate: `count(x)` counts rows, or distinct values: `count()` or `count_distinct(x)`. */
export const invalidAggregate: Fixer = ({ snap }, p) => {
  const written = snap.text.slice(p.span.offset, spanEnd(p.span));
  const m = /count\s*\(\s*([\p{L}_][\p{L}\p{N}_]*)\s*\)/u.exec(written);
  if (!m || written.slice(0, m.index).trim().replace(/^['"]/, '') !== '' || written.slice(m.index + m[0].length).trim().replace(/['"]$/, '') !== '') return [];
  const span = { offset: p.span.offset + m.index, length: m[0].length };
  return [
    { title: `Change to \`count_distinct(${m[1]})\` (distinct values)`, edits: [replace(snap.file, span, `count_distinct(${m[1]})`)] },
    { title: 'Change to `count()` (rows)', edits: [replace(snap.file, span, 'count()')] },
  ];
};
