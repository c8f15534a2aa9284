import * as path from 'node:path';
import { formatOf } from '../data/shape';
import { Context } from '../language/analysis/context';
import { KpiInference, metricUnit } from '../language/analysis/infer';
import type { Token } from '../language/formula/ast';
import { FUNCTIONS } from '../language/formula/functions';
import { scan } from '../language/formula/scanner';
import type { Definition, KpiDef, MetricDef, SourceDef } from '../language/model';
import type { Span } from '../language/span';
import { describeUnit } from '../language/units';
import type { YNode, YPair } from '../language/yaml/tree';
import { formulaCursor, yamlCursor, type FormulaCursor, type YamlCursor } from './completionContext';
import { columnsOf, kpiSources, OrderedInference, TYPE_NAMES } from './completionData';
import { columnItems, onKeys, relationValues, rowFormulaItems } from './completionRelations';
import { relationsOf } from './relationColumns';
import { escapeMarkdown } from './hoverMarkdown';
import { isListAt, isMappingOnlyAt, keysAt, propertyAt, propertyDoc, valuesAt } from './completionSchema';
import { COMMON_LOCALES } from '../language/locale';
import { localeExample } from '../engine/format';
import type { Snapshot } from './snapshot';
import type { Completion } from './types';

/**
 * Completion at an offset: schema keys, allowed values, ids, columns, functions and paths, each
 * where it fits. It reads the snapshot (model, scope) and the text around the cursor; it runs no
 * analysis but the unit inference of KPIs offered in a formula, and reads data files only
 * through the host's shape cache.
 */
export function completions(snap: Snapshot, offset: number): Completion[] {
  if (offset < 0 || offset > snap.text.length) return [];
  const cur = yamlCursor(snap.text, offset);
  const formula = formulaCursor(snap, offset, cur ?? null);
  if (formula) return formulaCompletions(snap, offset, formula);
  if (!cur) return [];
  if (cur.role === 'key') return keyCompletions(snap, offset, cur);
  // After `- ` in a block list of mappings (dated target steps), a mapping's first key goes.
  if (!cur.flow && !cur.quote && typeof cur.path[cur.path.length - 1] === 'number' && isMappingOnlyAt(cur.path)) return keyCompletions(snap, offset, { ...cur, role: 'key' });
  return valueCompletions(snap, offset, cur, cur.needsSpace ? ' ' : '');
}

// ---- keys -------------------------------------------------------------------------------------

function keyCompletions(snap: Snapshot, offset: number, cur: YamlCursor): Completion[] {
  const typed = snap.text.slice(cur.start, offset);
  if (!/^[\p{L}\p{N}_-]*$/u.test(typed)) return [];
  const p = cur.path;
  const replace: Span = { offset: cur.start, length: (cur.keyEnd ?? offset) - cur.start };
  if (p.length === 3 && p[0] === 'goals' && p[2] === 'kpis') return goalMembers(snap, offset, cur, replace);
  if (p.length === 3 && p[0] === 'sources' && p[2] === 'columns') return pinnableColumns(snap, offset, cur, replace);
  const joinColumns = onKeys(snap, offset, p, typed);
  if (joinColumns) return joinColumns.map((c) => ({ ...c, replace, insertText: cur.keyEnd !== undefined ? c.label : `${yamlKey(c.label)}: ` }));
  if (!cur.flow && isListAt(p)) {
    // A line under a list's key: offer the list's items, each starting a new `- ` item.
    return valueCompletions(snap, offset, { ...cur, role: 'value', path: [...p, itemCount(snap, p)] }, '- ');
  }
  const present = presentKeys(snap.spec.root, p, offset);
  const out: Completion[] = [];
  for (const [key, node] of keysAt(p)) {
    if (present.has(key)) continue;
    const value = node.const !== undefined ? String(node.const) : '';
    const c: Completion = { label: key, kind: 'key', replace, insertText: cur.keyEnd !== undefined ? key : `${key}: ${value}` };
    if (node.title) c.detail = node.title;
    const doc = propertyDoc(node);
    if (doc) c.documentation = doc;
    out.push(c);
  }
  return out;
}

/** The node at a path in the tree; where an entry holds the offset, that one (repeated keys, miscounted items). */
function nodeAt(root: YNode | null, p: readonly (string | number)[], offset: number): YNode | null | undefined {
  let n: YNode | null | undefined = root;
  const holds = (s: Span) => offset >= s.offset && offset <= s.offset + s.length;
  for (const seg of p) {
    if (!n) return undefined;
    if (typeof seg === 'number') {
      if (n.kind !== 'seq') return undefined;
      n = n.items.find((i) => holds(i.span)) ?? n.items[seg];
    } else {
      if (n.kind !== 'map') return undefined;
      const pairs: YPair[] = n.pairs.filter((x) => String(x.key.value) === seg);
      const pair: YPair | undefined = pairs.find((x) => holds(x.span)) ?? pairs[0];
      n = pair?.value;
    }
  }
  return n;
}

/** Keys written in the mapping at a path, but for the one being typed at the offset. */
function presentKeys(root: YNode | null, p: readonly (string | number)[], offset: number): Set<string> {
  const out = new Set<string>();
  const n = nodeAt(root, p, offset);
  if (n?.kind !== 'map') return out;
  for (const pair of n.pairs) {
    const k = pair.key.span;
    if (offset >= k.offset && offset <= k.offset + k.length) continue;
    out.add(String(pair.key.value));
  }
  return out;
}

function itemCount(snap: Snapshot, p: readonly (string | number)[]): number {
  const n = nodeAt(snap.spec.root, p, -1);
  return n?.kind === 'seq' ? n.items.length : 0;
}

/** The definition of an id in this file, preferring the entry that holds the offset. */
function ownDef<K extends Definition['kind']>(snap: Snapshot, kind: K, id: string | number | undefined, offset: number): Extract<Definition, { kind: K }> | undefined {
  let first: Definition | undefined;
  for (const d of snap.spec.definitions) {
    if (d.kind !== kind || d.id !== id) continue;
    if (offset >= d.span.offset && offset <= d.span.offset + d.span.length) return d as Extract<Definition, { kind: K }>;
    first ??= d;
  }
  return first as Extract<Definition, { kind: K }> | undefined;
}

function goalMembers(snap: Snapshot, offset: number, cur: YamlCursor, replace: Span): Completion[] {
  const goal = ownDef(snap, 'goal', cur.path[1], offset);
  const listed = new Set((goal?.members ?? []).filter((m) => !(offset >= m.span.offset && offset <= m.span.offset + m.span.length)).map((m) => m.kpi));
  const out: Completion[] = [];
  for (const def of snap.scope.names.values()) {
    if (def.kind !== 'kpi' || listed.has(def.id)) continue;
    const c: Completion = {
      label: def.id, kind: 'kpi', replace, sortRank: def.file === snap.file ? 0 : 1,
      insertText: cur.keyEnd !== undefined ? def.id : cur.flow ? `${def.id}: {}` : `${def.id}:`,
    };
    const detail = def.title ?? def.formula?.text;
    if (detail) c.detail = oneLine(detail);
    out.push(c);
  }
  return out;
}

function pinnableColumns(snap: Snapshot, offset: number, cur: YamlCursor, replace: Span): Completion[] {
  const src = ownDef(snap, 'source', cur.path[1], offset);
  const cols = src ? columnsOf(snap.ws, src) : undefined;
  if (!src || !cols) return [];
  const pinned = presentKeys(snap.spec.root, cur.path, offset);
  return cols.filter((c) => !pinned.has(c.name)).map((c) => ({
    label: c.name, kind: 'column' as const, replace, insertText: cur.keyEnd !== undefined ? c.name : `${yamlKey(c.name)}: `,
    detail: c.type ? `guessed: ${TYPE_NAMES[c.type]}` : 'column',
  }));
}

/** A column name as a YAML key: quoted when it is not a plain word. */
function yamlKey(name: string): string {
  return /^[\p{L}_][\p{L}\p{N}_ -]*$/u.test(name) && !/\s$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

// ---- values -----------------------------------------------------------------------------------

function valueCompletions(snap: Snapshot, offset: number, cur: YamlCursor, lead: string): Completion[] {
  const p = cur.path;
  if (p.length === 2 && p[0] === 'imports' && typeof p[1] === 'number') return pathCompletions(snap, offset, cur, 'spec', lead);
  if (p.length === 3 && p[0] === 'sources' && p[2] === 'file') return pathCompletions(snap, offset, cur, 'data', lead);
  const typed = snap.text.slice(cur.start, offset);
  if (/\s/.test(typed)) return [];
  const replace: Span = { offset: cur.start, length: offset - cur.start };
  const quote = (v: string) => (cur.quote || /^(?:[\p{L}\p{N}_][\p{L}\p{N}_.\-/]*|\.)$/u.test(v) ? v : `'${v.replace(/'/g, "''")}'`);
  const item = (c: Omit<Completion, 'replace'>): Completion => ({ ...c, replace, insertText: lead + quote(c.insertText ?? c.label) });
  const relational = relationValues(snap, offset, p, typed);
  if (relational) return relational.map(item);

  if (p.length === 3 && p[0] === 'metrics' && p[2] === 'source') {
    return [...snap.scope.sources.values()].map((src) => item({
      label: src.id, kind: 'source', detail: src.path ? src.path.value : src.rows ? 'inline rows' : 'source',
      ...(src.title ? { documentation: escapeMarkdown(src.title) } : {}), sortRank: src.file === snap.file ? 0 : 1,
    }));
  }
  if (p.length === 3 && p[0] === 'metrics' && p[2] === 'column') {
    const metric = ownDef(snap, 'metric', p[1], offset);
    const src = metric?.source ? snap.scope.sources.get(metric.source.value) : undefined;
    const numeric = ['sum', 'avg', 'min', 'max'].includes(metric?.agg?.value ?? '');
    return src ? columnItems(snap, relationsOf(snap), src, typed, [], (c) => (numeric && c.type !== 'number' ? 1 : 0)).map(item) : [];
  }
  if (p.length === 3 && p[0] === 'sources' && p[2] === 'time') {
    const src = ownDef(snap, 'source', p[1], offset);
    return src ? columnItems(snap, relationsOf(snap), src, typed, [], (c) => (c.type === 'date' ? 0 : 1), false).map(item) : [];
  }
  if (p.length === 4 && p[0] === 'sources' && p[2] === 'dimensions') {
    const src = ownDef(snap, 'source', p[1], offset);
    const listed = (src?.dimensions ?? []).filter((d) => !holds(d.span, offset)).map((d) => d.value);
    return src ? columnItems(snap, relationsOf(snap), src, typed, listed, (c) => (c.type === 'string' ? 0 : 1)).map(item) : [];
  }
  if (p.length === 4 && p[0] === 'kpis' && p[2] === 'by') {
    const kpi = ownDef(snap, 'kpi', p[1], offset);
    if (!kpi) return [];
    const listed = new Set(kpi.by.filter((b) => !holds(b.span, offset)).map((b) => b.value));
    return breakdowns(snap, kpi).filter(([d]) => !listed.has(d)).map(([d, sources]) => item({ label: d, kind: 'column', detail: `dimension of ${sources.map((s) => s.id).join(', ')}` }));
  }
  if (p.length === 2 && p[0] === 'defaults' && p[1] === 'locale') {
    return COMMON_LOCALES.map((tag) => item({ label: tag, kind: 'value', detail: localeExample(tag) }));
  }
  const mapPath = p.slice(0, -1);
  const key = p[p.length - 1];
  const prop = typeof key === 'string' ? propertyAt(mapPath, key) : undefined;
  return valuesAt(p).map(({ value, node }) => {
    const doc = propertyDoc(prop ?? node);
    return item({ label: value, kind: 'value', ...(prop?.title ? { detail: prop.title } : {}), ...(doc ? { documentation: doc } : {}) });
  });
}

function holds(s: Span, offset: number): boolean {
  return offset >= s.offset && offset <= s.offset + s.length;
}

/** Dimensions every source of the KPI declares (a breakdown needs all of them), with those sources. */
function breakdowns(snap: Snapshot, kpi: KpiDef): [string, SourceDef[]][] {
  const sources = kpiSources(snap.ws.scope(kpi.file), kpi);
  if (!sources.length) return [];
  const [first, ...rest] = sources;
  return first!.dimensions
    .map((d) => d.value)
    .filter((d, i, all) => all.indexOf(d) === i && rest.every((s) => s.dimensions.some((x) => x.value === d)))
    .map((d) => [d, sources]);
}

// ---- paths ------------------------------------------------------------------------------------

const SPEC_FILE = /\.kpi\.ya?ml$/;
const MAX_FOLDER_PROBES = 100;

function pathCompletions(snap: Snapshot, offset: number, cur: YamlCursor, what: 'data' | 'spec', lead: string): Completion[] {
  const typed = snap.text.slice(cur.start, offset);
  if (/[\n\r]/.test(typed) || (!cur.quote && /[,\]}#]/.test(typed))) return [];
  const slash = typed.lastIndexOf('/');
  const dirPart = typed.slice(0, slash + 1);
  const seg = typed.slice(slash + 1);
  if (path.isAbsolute(dirPart) || /^[A-Za-z]:/.test(dirPart) || dirPart.includes('\\')) return [];
  const base = path.dirname(snap.file);
  const dir = path.resolve(base, dirPart || '.');
  const { host, root } = snap.ws;
  const within = (p: string) => { const rel = path.relative(root, p); return !rel.startsWith('..') && !path.isAbsolute(rel); };
  if (within(snap.file) && !within(dir)) return [];
  const replace: Span = { offset: offset - seg.length, length: seg.length };
  const prefix = slash < 0 ? lead : '';
  const src = what === 'data' ? ownDef(snap, 'source', cur.path[1], offset) : undefined;
  const imported = new Set(snap.spec.imports.map((i) => path.resolve(base, i.value)));
  const names = [...host.listDir(dir)].sort((a, b) => a.localeCompare(b));
  const out: Completion[] = [];
  const others: string[] = [];
  for (const name of names) {
    if (name.startsWith('.') && !seg.startsWith('.')) continue;
    const abs = path.join(dir, name);
    const isSpec = SPEC_FILE.test(name);
    const wanted = what === 'spec' ? isSpec && abs !== snap.file && !imported.has(abs) : !isSpec && (formatOf(name) !== undefined || !!src?.format);
    if (wanted) out.push({ label: name, kind: 'file', detail: what === 'spec' ? 'spec file' : `${formatOf(name, src?.format?.value) ?? 'data'} file`, replace, insertText: prefix + name, sortRank: 0 });
    else if (!isSpec && name !== 'node_modules') others.push(name);
  }
  // Folders: the host lists names only, so a name is a folder when it lists something itself.
  others.sort((a, b) => Number(a.includes('.')) - Number(b.includes('.')));
  for (const name of others.slice(0, MAX_FOLDER_PROBES)) {
    const abs = path.join(dir, name);
    if (!within(abs) && within(snap.file)) continue;
    if (host.listDir(abs).length) out.push({ label: `${name}/`, kind: 'file', detail: 'folder', replace, insertText: `${prefix}${name}/`, sortRank: 1 });
  }
  return out;
}

// ---- formulas ---------------------------------------------------------------------------------

const OPERAND_END = new Set(['name', 'number', 'string', 'rparen']);

function endsOperand(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'keyword') return t.text === 'true' || t.text === 'false';
  return OPERAND_END.has(t.kind);
}

/** `deal.` or `deal.owner.` at the end of a formula's text: the looked-up columns go next. */
const DOTTED = /(?:^|[^\p{L}\p{N}\p{M}_.`])((?:[\p{L}_][\p{L}\p{N}\p{M}_]*\.)+)$/u;

function formulaCompletions(snap: Snapshot, offset: number, fc: FormulaCursor): Completion[] {
  let word = '';
  let backtick = false;
  const dotted = DOTTED.exec(fc.prefix);
  if (dotted) {
    if (fc.kind === 'kpi') return [];
    word = dotted[1]!;
  } else {
    const tokens = scan(fc.prefix);
    tokens.pop(); // eof
    const last = tokens[tokens.length - 1];
    let prevIndex = tokens.length - 1;
    if (last && last.span.offset + last.span.length === fc.prefix.length) {
      if ((last.kind === 'name' && !last.text.startsWith('`')) || last.kind === 'keyword') word = last.text;
      else if (last.kind === 'invalid' && last.text.startsWith('`')) { word = last.text; backtick = true; }
      else if (last.kind === 'invalid' && (last.text.startsWith('"') || last.text.startsWith("'"))) return []; // in a string
      else if (last.kind === 'number' || last.kind === 'string' || last.kind === 'name') return []; // right after a value
      if (word) prevIndex--;
    } else if (last?.kind === 'invalid' && (last.text.startsWith('"') || last.text.startsWith("'"))) return [];
    if (!word && endsOperand(tokens[prevIndex])) return []; // an operator goes here, not a name
  }
  const replace: Span = snap.text.slice(offset - word.length, offset) === word ? { offset: offset - word.length, length: word.length } : { offset, length: 0 };
  const out: Completion[] = [];
  const nextIsParen = /^\s*\(/.test(snap.text.slice(offset, offset + 20));
  const name = (n: string) => (backtick || !isPlainName(n) ? '`' + n + '`' : n);

  if (fc.kind === 'kpi') {
    const units = unitsOf(snap);
    // In a big workspace, leave out early what the typed word cannot match, before building details.
    const matches = snap.scope.names.size > 1000 && word ? subsequenceOf(word.replace(/`/g, '').toLowerCase()) : () => true;
    for (const def of snap.scope.names.values()) {
      if (def.kind !== 'metric' && def.kind !== 'kpi') continue;
      if (def.kind === 'kpi' && def.id === fc.owner) continue;
      if (!matches(def.id)) continue;
      const c: Completion = { label: def.id, kind: def.kind, replace, sortRank: def.file === snap.file ? 0 : 1, detail: definitionLine(def, units(def)) };
      if (backtick) c.insertText = name(def.id);
      const doc = [def.title, def.description].filter((x): x is string => !!x).map(escapeMarkdown).join('\n\n');
      if (doc) c.documentation = doc;
      out.push(c);
    }
  } else {
    const row = rowFormulaItems(snap, offset, fc, word.replace(/^`/, ''));
    for (const c of row?.items ?? []) {
      if (c.label.includes('`') || /[\n\r]/.test(c.label)) continue;
      if (c.kind === 'column') out.push({ ...c, replace, insertText: name(c.label) });
      else if (backtick) continue;
      else if (c.snippet && nextIsParen) out.push({ ...c, replace, insertText: c.label, snippet: false });
      else out.push({ ...c, replace });
    }
    if (!row?.functions) return out;
  }
  for (const fn of FUNCTIONS.values()) {
    // Functions over periods go in KPI formulas only, row functions in row formulas only.
    if (fc.kind === 'kpi' ? fn.row : fn.time) continue;
    const c: Completion = {
      label: fn.name, kind: 'function', detail: fn.signature, replace, sortRank: 2,
      documentation: fn.doc + (fn.time ? '\n\nWorks across periods: KPI formulas only, over sources with a `time` column.' : ''),
    };
    if (!nextIsParen && !backtick) {
      c.insertText = `${fn.name}($1)`;
      c.snippet = true;
    }
    if (!backtick) out.push(c);
  }
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false']);

/** A name the formula scanner reads as one name token, without backticks (`deal.won_date` too). */
function isPlainName(n: string): boolean {
  return n.split('.').every((part) => /^[\p{L}_][\p{L}\p{N}\p{M}_]*$/u.test(part) && !KEYWORDS.has(part));
}

/** `count · web·sum·sessions` for a metric, `ratio · bounces / sessions` for a KPI. */
export function definitionLine(def: MetricDef | KpiDef, unit: string | undefined): string {
  const what = def.kind === 'metric'
    ? [def.source?.value ?? '?', def.agg?.value ?? '?', ...(def.column ? [def.column.value] : [])].join('·') + (def.where ? ` where ${def.where.text}` : '')
    : def.formula?.text ?? '';
  return oneLine(unit ? `${unit} · ${what}` : what);
}

/** Beyond this many KPIs in scope, KPI completions show their formula without inferring its unit: typing stays fast. */
const MAX_KPIS_WITH_UNITS = 3000;

/** Units of metrics and KPIs, inferred once per call, each KPI once. */
function unitsOf(snap: Snapshot): (def: MetricDef | KpiDef) => string | undefined {
  let ctx: Context | undefined;
  let inference: OrderedInference | undefined;
  let kpis = 0;
  for (const d of snap.scope.names.values()) if (d.kind === 'kpi') kpis++;
  return (def) => {
    ctx ??= new Context(snap.ws, snap.spec, snap.scope);
    if (def.kind === 'metric') return describeUnit(metricUnit(ctx, def));
    if (kpis > MAX_KPIS_WITH_UNITS) return undefined;
    inference ??= new OrderedInference(new KpiInference(ctx), snap.scope);
    const unit = inference.kpi(def).unit;
    return unit === undefined ? undefined : describeUnit(unit);
  };
}

function oneLine(s: string, max = 80): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

/** Whether a name holds the typed characters in order (case-insensitive). */
function subsequenceOf(typed: string): (name: string) => boolean {
  return (name) => {
    const n = name.toLowerCase();
    let i = 0;
    for (let j = 0; j < n.length && i < typed.length; j++) if (n[j] === typed[i]) i++;
    return i === typed.length;
  };
}
