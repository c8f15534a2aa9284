import * as path from 'node:path';
import type { Expr } from '../language/formula/ast';
import { printFormula } from '../language/formula/printer';
import { Context } from '../language/analysis/context';
import { KpiInference, metricUnit } from '../language/analysis/infer';
import type { Definition, Formula, TargetDef, TargetStep } from '../language/model';
import { describeUnit } from '../language/units';
import type { Workspace } from '../language/workspace';

/**
 * One comparable property of a definition: `key` decides equality (normalized: formulas
 * printed, defaults filled in, lists sorted), `text` is shown. `items` break a list-like aspect
 * into keyed parts so a change can be reported item by item (target steps, goal KPIs, ...).
 */
export interface Aspect {
  key: string;
  text: string;
  items?: Map<string, { key: string; text: string }>;
}

export type Aspects = Map<string, Aspect>;

/** Ids as they are named on the other side: renames map before-ids to after-ids. */
export interface Renames {
  names: Map<string, string>;
  sources: Map<string, string>;
}

export const NO_RENAMES: Renames = { names: new Map(), sources: new Map() };

/** Aspect order in reports. */
export const ASPECT_ORDER = ['formula', 'unit', 'format', 'direction', 'target', 'warn', 'by', 'decimals', 'kpis', 'horizon', 'start', 'due',
  'source', 'agg', 'column', 'where', 'currency', 'file', 'rows', 'from', 'key', 'aggregate', 'lookups', 'derive', 'options', 'title', 'description'];

function plain(text: string): Aspect {
  return { key: text, text };
}

function renameExpr(e: Expr, names: Map<string, string>): Expr {
  switch (e.kind) {
    case 'name':
      return names.has(e.name) ? { ...e, name: names.get(e.name)! } : e;
    case 'unary':
      return { ...e, operand: renameExpr(e.operand, names) };
    case 'binary':
      return { ...e, left: renameExpr(e.left, names), right: renameExpr(e.right, names) };
    case 'call':
      return { ...e, args: e.args.map((a) => renameExpr(a, names)) };
    default:
      return e;
  }
}

function formulaText(f: Formula, names?: Map<string, string>): string {
  return printFormula(names && names.size ? renameExpr(f.expr, names) : f.expr);
}

function num(n: { value: number; percent: boolean }): { key: string; text: string } {
  const text = n.percent ? `${+(n.value * 100).toPrecision(12)}%` : String(n.value);
  return { key: String(n.value), text };
}

/** A step's bounds and the period they are set for: `per` left out means the spec's grain, and compares as it. */
function stepBounds(s: TargetStep, grain: string): { key: string; text: string } {
  const parts: { key: string; text: string }[] = [];
  if (s.min) { const n = num(s.min); parts.push({ key: `min ${n.key}`, text: `min ${n.text}` }); }
  if (s.max) { const n = num(s.max); parts.push({ key: `max ${n.key}`, text: `max ${n.text}` }); }
  parts.push({ key: `per ${s.per?.value ?? grain}`, text: s.per ? `per ${s.per.value}` : '' });
  return { key: parts.map((p) => p.key).join(', '), text: parts.map((p) => p.text).filter(Boolean).join(', ') };
}

function target(t: TargetDef, grain: string): Aspect {
  const items = new Map<string, { key: string; text: string }>();
  for (const s of t.steps) items.set(t.dated ? (s.from?.value ?? '?') : 'always', stepBounds(s, grain));
  const list = [...items].map(([k, v]) => ({ key: `${k}: ${v.key}`, text: t.dated ? `from ${k}: ${v.text}` : v.text }));
  return { key: list.map((l) => l.key).join('; '), text: list.map((l) => l.text).join('; '), items };
}

function setAspect(values: string[]): Aspect {
  const sorted = [...new Set(values)].sort();
  return { key: sorted.join(', '), text: sorted.join(', '), items: new Map(sorted.map((v) => [v, { key: v, text: v }])) };
}

/** Computes the aspects of definitions of one workspace (units need its scopes). */
export class AspectReader {
  private readonly inference = new Map<string, { ctx: Context; kpis: KpiInference }>();

  constructor(private readonly ws: Workspace) {}

  private unitCtx(file: string) {
    let u = this.inference.get(file);
    if (!u) {
      const ctx = new Context(this.ws, this.ws.load(file).parsed!.spec, this.ws.scope(file));
      u = { ctx, kpis: new KpiInference(ctx) };
      this.inference.set(file, u);
    }
    return u;
  }

  read(def: Definition, renames: Renames = NO_RENAMES): Aspects {
    const a: Aspects = new Map();
    const set = (name: string, aspect: Aspect | undefined) => { if (aspect) a.set(name, aspect); };
    switch (def.kind) {
      case 'kpi': {
        if (def.formula) set('formula', plain(formulaText(def.formula, renames.names)));
        const { kpis } = this.unitCtx(def.file);
        const unit = kpis.kpi(def).unit;
        set('unit', plain(unit === undefined ? 'unknown' : describeUnit(unit)));
        set('format', plain(def.format?.value ?? 'number'));
        set('direction', plain(def.direction?.value ?? 'up'));
        const grain = this.ws.load(def.file).parsed?.spec.defaults.grain ?? 'month';
        if (def.target) set('target', target(def.target, grain));
        if (def.warn) set('warn', target(def.warn, grain));
        if (def.by.length) set('by', setAspect(def.by.map((b) => b.value)));
        if (def.decimals) set('decimals', plain(String(def.decimals.value)));
        break;
      }
      case 'metric': {
        if (def.source) set('source', plain(renames.sources.get(def.source.value) ?? def.source.value));
        if (def.agg) set('agg', plain(def.agg.value));
        if (def.column) set('column', plain(def.column.value));
        if (def.where) set('where', plain(formulaText(def.where)));
        set('unit', plain(describeUnit(metricUnit(this.unitCtx(def.file).ctx, def))));
        break;
      }
      case 'source': {
        if (def.path) set('file', plain(path.posix.normalize(def.path.value.replace(/\\/g, '/'))));
        if (def.rows) set('rows', plain(JSON.stringify(def.rows.value)));
        const opts: [string, string | undefined][] = [
          ['time', def.time?.value], ['time_format', def.timeFormat?.value], ['format', def.format?.value],
          ['delimiter', def.delimiter?.value], ['decimal', def.decimal?.value], ['thousands', def.thousands?.value], ['encoding', def.encoding?.value],
          ['dimensions', def.dimensions.length ? [...new Set(def.dimensions.map((d) => d.value))].sort().join(', ') : undefined],
          ['columns', def.columns.size ? [...def.columns].map(([k, v]) => `${k}: ${v.value}`).sort().join(', ') : undefined],
        ];
        const renamed = (id: string) => renames.sources.get(id) ?? id;
        if (def.from) set('from', plain(renamed(def.from.value)));
        if (def.key.length) set('key', plain(def.key.map((k) => k.value).join(', ')));
        const entries = (name: string, list: [string, string][]) => {
          if (!list.length) return;
          const sorted = list.sort(([x], [y]) => x.localeCompare(y));
          const text = sorted.map(([k, v]) => `${k}: ${v}`).join('; ');
          set(name, { key: text, text, items: new Map(sorted.map(([k, v]) => [k, { key: v, text: v }])) });
        };
        entries('aggregate', [...def.aggregate.values()].map((c) => [c.name, formulaText(c.formula)]));
        entries('derive', [...def.derive.values()].map((c) => [c.name, formulaText(c.formula)]));
        entries('lookups', [...def.lookups.values()].map((l) => [l.name, `${renamed(l.source?.value ?? '')} on ${l.on.map((o) => (o.remote ? `${o.local.value} → ${o.remote.value}` : o.local.value)).join(', ')}`]));
        const items = new Map<string, { key: string; text: string }>();
        for (const [k, v] of opts) if (v !== undefined) items.set(k, { key: v, text: v });
        if (items.size) {
          const text = [...items].map(([k, v]) => `${k}: ${v.text}`).join('; ');
          set('options', { key: text, text, items });
        }
        break;
      }
      case 'goal': {
        const items = new Map<string, { key: string; text: string }>();
        for (const m of def.members) {
          const w = m.weight?.value;
          const weight = typeof w === 'number' ? w : typeof w === 'string' && w.trim() !== '' && Number.isFinite(Number(w)) ? Number(w) : 1;
          const id = renames.names.get(m.kpi) ?? m.kpi;
          const baseline = m.baseline && num(m.baseline);
          if (!items.has(id)) items.set(id, baseline ? { key: `${weight} from ${baseline.key}`, text: `weight ${weight}, baseline ${baseline.text}` } : { key: String(weight), text: `weight ${weight}` });
        }
        const sorted = [...items].sort(([x], [y]) => x.localeCompare(y));
        const text = sorted.map(([k, v]) => `${k} (${v.text})`).join(', ');
        set('kpis', { key: text, text, items: new Map(sorted) });
        if (def.horizon) set('horizon', plain(def.horizon.value));
        if (def.start) set('start', plain(def.start.value));
        if (def.due) set('due', plain(def.due.value));
        break;
      }
    }
    if (def.title !== undefined) set('title', plain(def.title));
    if (def.description !== undefined) set('description', plain(def.description.replace(/\s+/g, ' ').trim()));
    return a;
  }
}

/** Whether two aspect sets are equal (every key). */
export function sameAspects(x: Aspects, y: Aspects): boolean {
  if (x.size !== y.size) return false;
  for (const [k, v] of x) if (y.get(k)?.key !== v.key) return false;
  return true;
}
