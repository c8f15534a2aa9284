import { THOUSANDS, type ColumnType } from '../data/table';
import { ENCODINGS } from '../data/encoding';
import { parseFormula } from './formula/parser';
import type { Expr } from './formula/ast';
import { children } from './formula/walk';
import type {
  Agg, Defaults, Definition, Direction, Format, Formula, GoalDef, GoalMember, Grain, KpiDef,
  Located, LookupDef, MetricDef, RollupColumn, RollupFn, SourceDef, SpecFile, TargetDef, TargetStep, UnitName,
} from './model';
import { AGGS, GRAINS, ROLLUP_FNS, TARGET_GRAINS } from './model';
import type { Span } from './span';
import { scalarSpans } from './yaml/scalarOffsets';
import type { YMap, YNode, YPair, YScalar } from './yaml/tree';
import { get, getPair } from './yaml/tree';

/**
 * Builds the typed model from the YAML tree, taking what is well formed and leaving out the
 * rest: the schema check reports shape errors, so this never reports and never throws.
 * `built`: definitions already built from some of the pairs (by buildDefinition).
 */
export function buildSpec(file: string, text: string, root: YNode | null, built?: Map<YPair, Definition>): SpecFile {
  const spec: SpecFile = {
    file, text, root: root?.kind === 'map' ? root : null,
    defaults: { grain: 'month', currency: 'USD', timezone: 'UTC' },
    imports: [], sources: new Map(), metrics: new Map(), kpis: new Map(), goals: new Map(), definitions: [],
  };
  const top = spec.root;
  if (!top) return spec;
  const b = new Builder(file, text);

  const version = getPair(top, 'kpispec');
  if (version?.value?.kind === 'scalar') spec.version = { value: version.value.value, span: version.value.span };
  spec.name = b.string(get(top, 'name'))?.value;
  spec.defaults = b.defaults(get(top, 'defaults'));
  const imports = get(top, 'imports');
  if (imports?.kind === 'seq') for (const item of imports.items) { const s = b.string(item); if (s) spec.imports.push(s); }

  const section = <T extends Definition>(key: string, make: (pair: YPair, base: DefBase) => T, into: Map<string, T>) => {
    const map = get(top, key);
    if (map?.kind !== 'map') return;
    for (const pair of map.pairs) {
      if (typeof pair.key.value !== 'string') continue;
      const def = (built?.get(pair) as T | undefined) ?? make(pair, b.base(pair));
      spec.definitions.push(def);
      if (!into.has(def.id)) into.set(def.id, def);
    }
  };
  section('sources', (p, base) => b.source(p, base), spec.sources);
  section('metrics', (p, base) => b.metric(p, base), spec.metrics);
  section('kpis', (p, base) => b.kpi(p, base), spec.kpis);
  section('goals', (p, base) => b.goal(p, base), spec.goals);
  return spec;
}

/**
 * The definition of one entry of a section (a pair with a text key), exactly as buildSpec
 * builds it: an edit inside one entry rebuilds that definition only (see reparse.ts).
 */
export function buildDefinition(file: string, text: string, section: 'sources' | 'metrics' | 'kpis' | 'goals', pair: YPair): Definition {
  const b = new Builder(file, text);
  const base = b.base(pair);
  if (section === 'sources') return b.source(pair, base);
  if (section === 'metrics') return b.metric(pair, base);
  if (section === 'kpis') return b.kpi(pair, base);
  return b.goal(pair, base);
}

type DefBase = Omit<Definition, 'kind' | 'by' | 'dimensions' | 'columns' | 'members'> & { node: YNode | null };

const PERCENT = /^(-?(?:\d+(?:\.\d*)?|\.\d+))%$/;

class Builder {
  constructor(private readonly file: string, private readonly text: string) {}

  /**
   * What every definition has; each kind adds its own with Object.assign, not a spread
   * (`{ ...base, kind }`): V8 gave the spread copies a hidden class each, 20,000 of them in a
   * 10,000-KPI spec, which cost memory and made every property access slow.
   */
  base(pair: YPair): DefBase {
    const v = pair.value;
    return {
      id: String(pair.key.value), file: this.file, idSpan: pair.key.span, span: pair.span, node: v,
      title: this.string(get(v, 'title'))?.value,
      description: this.string(get(v, 'description'))?.value,
    };
  }

  string(node: YNode | null | undefined): Located<string> | undefined {
    if (node?.kind !== 'scalar' || node.value === null || typeof node.value === 'boolean') return undefined;
    return { value: String(node.value), span: node.span };
  }

  oneOf<T extends string>(node: YNode | null | undefined, allowed: readonly T[]): Located<T> | undefined {
    const s = this.string(node);
    return s && (allowed as readonly string[]).includes(s.value) ? (s as Located<T>) : undefined;
  }

  number(node: YNode | null | undefined): (Located<number> & { percent: boolean }) | undefined {
    if (node?.kind !== 'scalar') return undefined;
    if (typeof node.value === 'number' && Number.isFinite(node.value)) return { value: node.value, span: node.span, percent: false };
    if (typeof node.value === 'string') {
      const m = PERCENT.exec(node.value.trim());
      if (m) return { value: Number(m[1]) / 100, span: node.span, percent: true };
    }
    return undefined;
  }

  strings(node: YNode | null | undefined): Located<string>[] {
    if (node?.kind !== 'seq') return [];
    const out: Located<string>[] = [];
    for (const item of node.items) { const s = this.string(item); if (s) out.push(s); }
    return out;
  }

  defaults(node: YNode | null | undefined): Defaults {
    const tzNode = get(node, 'timezone');
    const tz = tzNode?.kind === 'scalar' && typeof tzNode.value === 'string' ? { value: tzNode.value, span: tzNode.span } : undefined;
    const currency = this.string(get(node, 'currency'));
    const locale = this.string(get(node, 'locale'));
    return {
      grain: this.oneOf<Grain>(get(node, 'grain'), GRAINS)?.value ?? 'month',
      currency: currency?.value ?? 'USD',
      timezone: tz?.value ?? 'UTC',
      timezoneSpan: tz?.span,
      currencySpan: currency?.span,
      ...(locale ? { locale: locale.value, localeSpan: locale.span } : {}),
    };
  }

  /** A formula; `where` filters are text only (a number there is a shape error, not a formula). */
  formula(node: YNode | null | undefined, textOnly = false): Formula | undefined {
    if (node?.kind !== 'scalar' || node.value === null || typeof node.value === 'boolean') return undefined;
    if (textOnly && typeof node.value !== 'string') return undefined;
    // A number formula (`formula: 1.5e3`) is read as written, so its spans match the source.
    const text = typeof node.value === 'number' ? this.text.slice(node.span.offset, node.span.offset + node.span.length) : String(node.value);
    const parsed = parseFormula(text);
    const move = scalarSpans(this.text, node.span, text);
    remapSpans(parsed.expr, move);
    for (const e of parsed.errors) e.span = move(e.span);
    return { text, span: node.span, expr: parsed.expr, errors: parsed.errors };
  }

  source(pair: YPair, base: DefBase): SourceDef {
    const v = pair.value;
    const columns = new Map<string, Located<ColumnType> & { nameSpan: Span }>();
    const cols = get(v, 'columns');
    if (cols?.kind === 'map') {
      for (const p of cols.pairs) {
        const t = this.oneOf<ColumnType>(p.value, ['string', 'number', 'date', 'boolean']);
        if (t) columns.set(String(p.key.value), { ...t, nameSpan: p.key.span });
      }
    }
    const rowsNode = get(v, 'rows');
    return Object.assign(base, {
      kind: 'source' as const,
      path: this.string(get(v, 'file')),
      table: this.string(get(v, 'table')),
      rows: rowsNode?.kind === 'seq' ? { value: rowsNode.items.filter((r): r is YMap => r.kind === 'map').map(rowObject), span: rowsNode.span } : undefined,
      time: this.string(get(v, 'time')),
      timeFormat: this.string(get(v, 'time_format')),
      dimensions: this.strings(get(v, 'dimensions')),
      format: this.oneOf(get(v, 'format'), ['csv', 'json', 'ndjson'] as const),
      delimiter: this.string(get(v, 'delimiter')),
      decimal: this.oneOf(get(v, 'decimal'), ['.', ','] as const),
      thousands: this.oneOf(get(v, 'thousands'), THOUSANDS),
      encoding: this.oneOf(get(v, 'encoding'), ENCODINGS),
      columns,
      from: this.string(get(v, 'from')),
      key: this.stringOrStrings(get(v, 'key')),
      aggregate: this.entries(get(v, 'aggregate'), (name, nameSpan, node) => this.rollupColumn(name, nameSpan, node)),
      lookups: this.entries(get(v, 'lookups'), (name, nameSpan, node, span) => this.lookup(name, nameSpan, node, span)),
      derive: this.entries(get(v, 'derive'), (name, nameSpan, node) => {
        const formula = this.formula(node, true);
        return formula ? { name, nameSpan, formula } : undefined;
      }),
    });
  }

  /** The entries of a mapping with text keys, each made by `make` (undefined: left out). */
  entries<T>(node: YNode | null | undefined, make: (name: string, nameSpan: Span, value: YNode | null, span: Span) => T | undefined): Map<string, T> {
    const out = new Map<string, T>();
    if (node?.kind !== 'map') return out;
    for (const p of node.pairs) {
      if (typeof p.key.value !== 'string' || out.has(p.key.value)) continue;
      const made = make(p.key.value, p.key.span, p.value, p.span);
      if (made !== undefined) out.set(p.key.value, made);
    }
    return out;
  }

  stringOrStrings(node: YNode | null | undefined): Located<string>[] {
    const one = this.string(node);
    return one ? [one] : this.strings(node);
  }

  /** `fn(column)` or `count()`; the checker reports any other shape (invalid-aggregate). */
  rollupColumn(name: string, nameSpan: Span, node: YNode | null): RollupColumn | undefined {
    const formula = this.formula(node, true);
    if (!formula) return undefined;
    const out: RollupColumn = { name, nameSpan, formula };
    const e = formula.expr;
    if (e.kind === 'call' && (ROLLUP_FNS as readonly string[]).includes(e.callee)) {
      const arg = e.args[0];
      if (e.callee === 'count' ? e.args.length === 0 : e.args.length === 1 && arg?.kind === 'name') {
        out.fn = { value: e.callee as RollupFn, span: e.calleeSpan };
        if (arg?.kind === 'name') out.column = { value: arg.name, span: arg.span };
      }
    }
    return out;
  }

  lookup(name: string, nameSpan: Span, node: YNode | null, span: Span): LookupDef {
    const on: LookupDef['on'] = [];
    const onNode = get(node, 'on');
    if (onNode?.kind === 'map') {
      for (const p of onNode.pairs) {
        const local = this.string(p.key);
        const remote = this.string(p.value);
        if (local && remote) on.push({ local, remote });
      }
    } else for (const local of this.stringOrStrings(onNode)) on.push({ local });
    return { name, nameSpan, span, source: this.string(get(node, 'source')), on };
  }

  metric(pair: YPair, base: DefBase): MetricDef {
    const v = pair.value;
    return Object.assign(base, {
      kind: 'metric' as const,
      source: this.string(get(v, 'source')),
      agg: this.oneOf<Agg>(get(v, 'agg'), AGGS),
      column: this.string(get(v, 'column')),
      where: this.formula(get(v, 'where'), true),
      unit: this.oneOf<UnitName>(get(v, 'unit'), ['count', 'currency', 'seconds', 'ratio']),
      currency: this.string(get(v, 'currency')),
    });
  }

  kpi(pair: YPair, base: DefBase): KpiDef {
    const v = pair.value;
    const direction = this.oneOf<Direction>(get(v, 'direction'), ['up', 'down']);
    const dir = direction?.value ?? 'up';
    const decimals = get(v, 'decimals');
    return Object.assign(base, {
      kind: 'kpi' as const,
      formula: this.formula(get(v, 'formula')),
      format: this.oneOf<Format>(get(v, 'format'), ['number', 'percent', 'currency', 'duration']),
      direction,
      target: this.target(get(v, 'target'), dir),
      warn: this.target(get(v, 'warn'), dir),
      by: this.strings(get(v, 'by')),
      decimals: decimals?.kind === 'scalar' && typeof decimals.value === 'number' ? { value: decimals.value, span: decimals.span } : undefined,
    });
  }

  target(node: YNode | null | undefined, direction: Direction): TargetDef | undefined {
    if (!node) return undefined;
    if (node.kind === 'seq') {
      const steps = node.items.flatMap((item) => { const s = this.step(item, direction); return s ? [s] : []; });
      return { span: node.span, dated: true, steps };
    }
    const step = this.step(node, direction);
    return step ? { span: node.span, dated: false, steps: [step] } : undefined;
  }

  step(node: YNode, direction: Direction): TargetStep | undefined {
    if (node.kind === 'scalar') {
      const n = this.number(node);
      if (!n) return undefined;
      return direction === 'up' ? { min: n, span: node.span } : { max: n, span: node.span };
    }
    if (node.kind !== 'map') return undefined;
    const step: TargetStep = { span: node.span };
    const from = this.string(get(node, 'from'));
    if (from) step.from = from;
    const per = this.oneOf(get(node, 'per'), TARGET_GRAINS);
    if (per) step.per = per;
    const min = this.number(get(node, 'min'));
    const max = this.number(get(node, 'max'));
    const value = this.number(get(node, 'value'));
    if (min) step.min = min;
    if (max) step.max = max;
    if (value) {
      if (direction === 'up') step.min ??= value;
      else step.max ??= value;
    }
    return step;
  }

  goal(pair: YPair, base: DefBase): GoalDef {
    const v = pair.value;
    const members: GoalMember[] = [];
    const kpis = get(v, 'kpis');
    if (kpis?.kind === 'map') {
      for (const p of kpis.pairs) {
        const w = getPair(p.value, 'weight');
        const member: GoalMember = { kpi: String(p.key.value), span: p.key.span };
        if (w) member.weight = { value: w.value?.kind === 'scalar' ? w.value.value : w.value, span: w.value?.span ?? w.key.span };
        const baseline = this.number(get(p.value, 'baseline'));
        if (baseline) member.baseline = baseline;
        members.push(member);
      }
    }
    return Object.assign(base, {
      kind: 'goal' as const,
      horizon: this.oneOf(get(v, 'horizon'), ['short', 'long'] as const),
      start: this.string(get(v, 'start')),
      due: this.string(get(v, 'due')),
      members,
      membersSpan: getPair(v, 'kpis')?.key.span,
    });
  }
}

function rowObject(map: YMap): Record<string, unknown> {
  const row: Record<string, unknown> = Object.create(null);
  for (const p of map.pairs) row[String(p.key.value)] = p.value?.kind === 'scalar' ? (p.value as YScalar).value : null;
  return row;
}

/** Moves every span of a parsed formula into document offsets. Depth is bounded by the parser. */
function remapSpans(expr: Expr, move: (s: Span) => Span): void {
  const stack: Expr[] = [expr];
  while (stack.length) {
    const e = stack.pop()!;
    e.span = move(e.span);
    if (e.kind === 'binary') e.opSpan = move(e.opSpan);
    if (e.kind === 'call') e.calleeSpan = move(e.calleeSpan);
    stack.push(...children(e));
  }
}
