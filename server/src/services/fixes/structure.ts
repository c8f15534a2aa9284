import * as path from 'node:path';
import { matchColumn } from '../../data/columnNames';
import type { GoalDef, MetricDef, SourceDef } from '../../language/model';
import { spanEnd } from '../../language/span';
import { getPair } from '../../language/yaml/tree';
import { numericColumn, sourceColumns } from '../definitionColumns';
import { rename } from '../rename';
import { defWithId, freeId, idTaken } from './common';
import type { Fix, FixEnv, Fixer } from './types';
import { addPair, eol, pairWithKey, pairWithValue, removePair, replace, yamlString } from './yamlEdits';

/** duplicate-key: remove the later key (what the checker and engine read stays), or the earlier one. */
export const duplicateKey: Fixer = ({ snap }, p) => {
  const found = pairWithKey(snap.spec.root, p.span);
  if (!found) return [];
  const { pair, map } = found;
  const key = String(pair.key.value);
  const earlier = map.pairs.find((q) => q !== pair && String(q.key.value) === key && q.span.offset < pair.span.offset);
  // a whole section written twice: its entries are better moved than dropped, so not in "fix all"
  const section = map === snap.spec.root && pair.value?.kind === 'map';
  const out: Fix[] = [{ title: `Remove this \`${key}\` (keep the one above, which is what is read now)`, edits: [removePair(snap.text, snap.file, map, pair)], batch: !section }];
  if (earlier) out.push({ title: `Remove the \`${key}\` above (keep this one)`, edits: [removePair(snap.text, snap.file, map, earlier)] });
  return out;
};

/** duplicate-id: rename this definition to a free id; references keep resolving to what they resolve to now. */
export const duplicateId: Fixer = (env, p) => {
  const def = defWithId(env.snap, p.span);
  if (!def) return [];
  const id = freeId(env, def.id, def.kind === 'source', true);
  if (!id) return [];
  const kind = def.kind === 'kpi' ? 'KPI' : def.kind;
  return [{ title: `Rename this ${kind} to \`${id}\``, edits: [replace(env.snap.file, p.span, id)], batch: true }];
};

/** unknown-key: remove the key (its rename to the closest known key is the did-you-mean fix). */
export const unknownKey: Fixer = ({ snap }, p) => {
  const found = pairWithKey(snap.spec.root, p.span);
  if (!found) return [];
  const written = snap.text.slice(found.pair.span.offset, found.pair.span.offset + found.pair.span.length);
  if (/(^|[\s[{,:])&[^\s,[\]{}]/.test(written)) return []; // an anchor other places may alias
  return [{ title: `Remove \`${String(found.pair.key.value)}\``, edits: [removePair(snap.text, snap.file, found.map, found.pair)] }];
};

/** unused-metric: remove the metric. */
export const unusedMetric: Fixer = ({ snap }, p) => {
  const def = defWithId(snap, p.span);
  const found = pairWithKey(snap.spec.root, p.span);
  if (def?.kind !== 'metric' || !found) return [];
  return [{ title: `Remove unused metric \`${def.id}\``, edits: [removePair(snap.text, snap.file, found.map, found.pair)], batch: true }];
};

/** unsupported-version: set `kpispec: 1`, or add it at the top. */
export const unsupportedVersion: Fixer = ({ snap }, p) => {
  const { text, file } = snap;
  const root = snap.spec.root;
  const version = getPair(root, 'kpispec');
  if (version && (!version.value || version.value.span.length === 0)) {
    // `kpispec:` with nothing after it
    const colon = text.indexOf(':', spanEnd(version.key.span));
    return [{ title: 'Set `kpispec: 1`', edits: [{ file, span: { offset: colon + 1, length: 0 }, newText: ' 1' }], preferred: true }];
  }
  if (version?.value && p.span.offset === version.value.span.offset) {
    return [{ title: 'Set `kpispec: 1` (the version this checker reads)', edits: [replace(file, version.value.span, '1')] }];
  }
  if (version || (root && root.kind !== 'map')) return [];
  // after a `%YAML` directive or a `---` line, if any
  const head = /^(?:%[^\n]*\n)*(?:---[ \t]*\r?\n)?/.exec(text)![0];
  return [{ title: 'Add `kpispec: 1`', edits: [{ file, span: { offset: head.length, length: 0 }, newText: `kpispec: 1${eol(text)}` }], preferred: true, batch: true }];
};

/** invalid-id: rename to the lower_snake_case spelling of the same words, with its references. */
export const invalidId: Fixer = (env, p) => {
  const { snap } = env;
  const def = defWithId(snap, p.span);
  if (!def) return [];
  const written = snap.text.slice(p.span.offset, p.span.offset + p.span.length);
  if (written !== def.id) return []; // quoted, or a key YAML reads as a number or true/false
  const id = snakeCase(def.id);
  if (!id || id === def.id || idTaken(env, id, def.kind === 'source')) return [];
  const result = rename(snap.ws, [snap.file], snap, p.span.offset, id);
  if ('error' in result) return [];
  env.taken.add(`${def.kind === 'source' ? 'source:' : ''}${id}`);
  // not preferred: files that import this one may name the id too, and fix on save must not break them
  return [{ title: `Rename to \`${id}\`${result.edits.length > 1 ? ' (and its references)' : ''}`, edits: result.edits, batch: true }];
};

/** `ShopOrders` → `shop_orders`, `bounce-rate` → `bounce_rate`, `a__b` → `a_b`; undefined when that is no id (a leading digit). */
export function snakeCase(s: string): string | undefined {
  const out = s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  return /^[a-z][a-z0-9_]*$/.test(out) && !['and', 'or', 'not', 'true', 'false', 'null'].includes(out) ? out : undefined;
}

const LIST_KEYS = new Set(['dimensions', 'by', 'imports']);

/**
 * invalid-value, where the value is unambiguous: a lowercase currency code in capitals, a
 * percent written with a space (`40 %`) without it, a single item where a list belongs in `[…]`.
 * Enum values with a close allowed value are the did-you-mean fix.
 */
export const invalidValue: Fixer = ({ snap }, p) => {
  const found = pairWithValue(snap.spec.root, p.span);
  const node = found?.pair.value;
  if (!found || node?.kind !== 'scalar') return [];
  const key = String(found.pair.key.value);
  const written = snap.text.slice(node.span.offset, node.span.offset + node.span.length);
  const fix = (text: string, title = `Change to \`${text}\``): Fix[] => [{ title, edits: [replace(snap.file, node.span, text)], preferred: true, batch: true }];
  if (key === 'currency' && typeof node.value === 'string' && /^[a-z]{3}$/i.test(node.value) && node.value !== node.value.toUpperCase()) {
    const code = node.value.toUpperCase();
    if (Intl.supportedValuesOf('currency').includes(code)) return fix(code);
  }
  const percent = /^(-?\d+(?:\.\d+)?)\s+%$/.exec(typeof node.value === 'string' ? node.value.trim() : '');
  if (percent && !node.quoted) return fix(`${percent[1]}%`);
  if (LIST_KEYS.has(key) && node.value !== null && written === String(node.value) && !node.quoted) return fix(`[${written}]`, `Make it a list: \`[${written}]\``);
  return [];
};

/** missing-key: add the key with a value that checks, where the spec determines one. */
export const missingKey: Fixer = ({ snap }, p) => {
  const missing = p.data?.missing;
  const def = defWithId(snap, p.span);
  const map = def?.node;
  if (!def || map?.kind !== 'map' || typeof missing !== 'string') return [];
  const add = (key: string, value: string, why: string): Fix[] => [{ title: `Add \`${key}: ${value}\`${why}`, edits: [addPair(snap.text, snap.file, map, key, value)] }];
  if (def.kind === 'metric') {
    if (missing === 'agg') {
      const agg = aggFor(snap, def);
      return agg ? add('agg', agg.agg, agg.why) : [];
    }
    if (missing === 'source') {
      const source = sourceFor(snap, def);
      return source ? add('source', source, '') : [];
    }
    if (missing === 'column') {
      const column = columnFor(snap, def);
      return column ? add('column', yamlString(column), '') : [];
    }
  }
  if (def.kind === 'source' && missing === 'file') {
    const file = dataFileFor(snap, def);
    return file ? add('file', yamlString(file), '') : [];
  }
  return [];
};

function sourceOf(snap: FixEnv['snap'], metric: MetricDef): SourceDef | undefined {
  return metric.source ? snap.scope.sources.get(metric.source.value) : undefined;
}

/** `count` without a column; `sum` over a numeric column; `count_distinct` over another column of the data. */
function aggFor(snap: FixEnv['snap'], metric: MetricDef): { agg: string; why: string } | undefined {
  if (!metric.column) return { agg: 'count', why: ' (count the rows)' };
  const src = sourceOf(snap, metric);
  if (!src) return undefined;
  if (numericColumn(snap.ws, src, metric.column.value) !== undefined) return { agg: 'sum', why: ` (\`${metric.column.value}\` is numeric)` };
  const cols = sourceColumns(snap.ws, src).map((c) => c.name);
  return matchColumn(metric.column.value, cols) !== undefined ? { agg: 'count_distinct', why: ` (\`${metric.column.value}\` is not numeric)` } : undefined;
}

/** The one source in scope, or the one source whose data has the metric's column. */
function sourceFor(snap: FixEnv['snap'], metric: MetricDef): string | undefined {
  const sources = [...snap.scope.sources.values()];
  if (sources.length === 1) return sources[0]!.id;
  if (!metric.column) return undefined;
  const having = sources.filter((s) => matchColumn(metric.column!.value, sourceColumns(snap.ws, s).map((c) => c.name)) !== undefined);
  return having.length === 1 ? having[0]!.id : undefined;
}

/** A column of the source's data named as the metric (numeric for sum, avg, min, max). */
function columnFor(snap: FixEnv['snap'], metric: MetricDef): string | undefined {
  const src = sourceOf(snap, metric);
  const agg = metric.agg?.value;
  if (!src || !agg || agg === 'count') return undefined;
  if (agg === 'sum' || agg === 'avg' || agg === 'min' || agg === 'max') return numericColumn(snap.ws, src, metric.id);
  return matchColumn(metric.id, sourceColumns(snap.ws, src).map((c) => c.name));
}

const DATA_EXTENSIONS = ['.csv', '.json', '.ndjson', '.jsonl'];

/** A data file named as the source, next to the spec or in its `data/` folder; only when there is one. */
function dataFileFor(snap: FixEnv['snap'], src: SourceDef): string | undefined {
  const dir = path.dirname(snap.file);
  const found: string[] = [];
  for (const sub of ['', 'data']) {
    const names = snap.ws.host.listDir(sub ? path.join(dir, sub) : dir);
    for (const ext of DATA_EXTENSIONS) if (names.includes(src.id + ext)) found.push(sub ? `${sub}/${src.id}${ext}` : src.id + ext);
  }
  return found.length === 1 ? found[0] : undefined;
}

/** empty-goal: add one of this file's KPIs as its key result (one action each, the first five not yet in a goal first), or remove the goal. */
export const emptyGoal: Fixer = ({ snap }, p) => {
  const goal = defWithId(snap, p.span);
  if (goal?.kind !== 'goal') return [];
  const out: Fix[] = [];
  const kpis = getPair(goal.node, 'kpis');
  if (kpis?.value?.kind === 'map' && !kpis.value.pairs.length) {
    const inGoals = new Set(snap.spec.definitions.flatMap((d) => (d.kind === 'goal' ? (d as GoalDef).members.map((m) => m.kpi) : [])));
    const candidates = snap.spec.definitions.filter((d) => d.kind === 'kpi' && snap.scope.owns(d));
    const ranked = [...candidates.filter((k) => !inGoals.has(k.id)), ...candidates.filter((k) => inGoals.has(k.id))].slice(0, 5);
    for (const k of ranked) out.push({ title: `Add KPI \`${k.id}\` to goal \`${goal.id}\``, edits: [replace(snap.file, kpis.value.span, `{ ${k.id}: {} }`)] });
  }
  const found = pairWithKey(snap.spec.root, p.span);
  if (found) out.push({ title: `Remove goal \`${goal.id}\``, edits: [removePair(snap.text, snap.file, found.map, found.pair)] });
  return out;
};
