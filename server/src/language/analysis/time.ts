import { FUNCTIONS } from '../formula/functions';
import { closest } from '../suggest';
import type { Definition, KpiDef, SourceDef } from '../model';
import { Context } from './context';
import { Graph } from './graph';
import { forEachNode } from './references';

/** mixed-time-sources, needs-time-column, breakdown-unavailable, invalid-timezone. */
export function checkTimeAndBreakdowns(ctx: Context, graph: Graph): void {
  checkTimezone(ctx);
  checkTimeOf(ctx, graph, ctx.own);
}

/** invalid-timezone: the file's `defaults.timezone`. */
export function checkTimezone(ctx: Context): void {
  const tz = ctx.spec.defaults;
  const canonical = tz.timezoneSpan && canonicalTimeZone(tz.timezone);
  if (tz.timezoneSpan && canonical !== tz.timezone) {
    // Suggest only a spelling fix: an abbreviation like CST is ambiguous (China? US Central?).
    const fix = canonical && canonical.toLowerCase() === tz.timezone.toLowerCase() ? canonical : tz.timezone.includes('/') ? closest(tz.timezone, Intl.supportedValuesOf('timeZone')) : undefined;
    const hint = fix ? ` (did you mean \`${fix}\`?)` : '; use a Region/City name such as `Asia/Shanghai`, `Europe/Berlin` or `UTC`';
    ctx.report('invalid-timezone', tz.timezoneSpan, `\`${tz.timezone}\` is not an IANA time zone name${hint}`, fix ? { data: { suggestion: fix } } : undefined);
  }
}

/** mixed-time-sources, needs-time-column and breakdown-unavailable of some definitions of the file. */
export function checkTimeOf(ctx: Context, graph: Graph, defs: Iterable<Definition>): void {
  for (const def of defs) {
    ctx.at(def);
    if (def.kind === 'metric' && (def.agg?.value === 'retained' || def.agg?.value === 'first_seen') && def.source) {
      const src = ctx.lookup(def.source.value, 'source');
      if (src && !src.time) {
        ctx.report('needs-time-column', def.agg.span, `\`${def.agg.value}\` compares periods, but source \`${src.id}\` has no \`time\` column`, { data: { sources: src.id } });
      }
    }
    if (def.kind === 'kpi' && ctx.scope.owns(def)) checkKpi(ctx, graph, def);
  }
}

function checkKpi(ctx: Context, graph: Graph, kpi: KpiDef): void {
  const sources = [...graph.sources(kpi)];
  const timed = sources.filter((s) => s.time);
  const untimed = sources.filter((s) => !s.time);
  if (kpi.formula && timed.length && untimed.length) {
    ctx.report('mixed-time-sources', kpi.formula.span,
      `KPI \`${kpi.id}\` mixes sources with a time column (${names(timed)}) and without one (${names(untimed)}); its periods cannot be matched${rollupHint(ctx, untimed)}`, { data: { sources: ids(untimed) } });
  } else if (kpi.formula && sources.length && !timed.length) {
    forEachNode(kpi.formula.expr, (e) => {
      if (e.kind === 'call' && FUNCTIONS.get(e.callee)?.time) {
        ctx.report('needs-time-column', e.calleeSpan, `\`${e.callee}\` works across periods, but the sources of \`${kpi.id}\` (${names(untimed)}) have no \`time\` column`, { data: { sources: ids(untimed) } });
      }
    });
  }
  for (const dim of kpi.by) {
    const lacking = sources.filter((s) => !s.dimensions.some((d) => d.value === dim.value));
    if (lacking.length) {
      ctx.report('breakdown-unavailable', dim.span,
        `cannot break \`${kpi.id}\` down by \`${dim.value}\`: source${lacking.length > 1 ? 's' : ''} ${names(lacking)} ${lacking.length > 1 ? 'do' : 'does'} not declare it in \`dimensions\``, { data: { sources: ids(lacking) } });
    }
  }
}

function names(list: { id: string }[]): string {
  return list.map((s) => `\`${s.id}\``).join(', ');
}

/** Source ids for a problem's `data` (the quick fixes edit those sources), comma-separated. */
function ids(list: { id: string }[]): string {
  return list.map((s) => s.id).join(',');
}

/**
 * The canonical IANA name Intl resolves a zone to, or undefined. Abbreviations and legacy
 * aliases (`CST`, `PRC`) resolve to something else and are refused: `CST` is not China time.
 */
const canonicalZones = new Map<string, string | undefined>();

function canonicalTimeZone(name: string): string | undefined {
  if (!canonicalZones.has(name)) canonicalZones.set(name, resolveTimeZone(name));
  return canonicalZones.get(name);
}

function resolveTimeZone(name: string): string | undefined {
  if (name === 'UTC' || name === 'Etc/UTC') return name;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
    return resolved === name && !name.includes('/') ? undefined : resolved;
  } catch {
    return undefined;
  }
}

/** A rollup without `time`: place its rows by one of its date columns, such as the first date of its entity. */
function rollupHint(ctx: Context, untimed: SourceDef[]): string {
  const rollup = untimed.find((s) => s.from);
  if (!rollup) return '';
  const from = ctx.scope.sources.get(rollup.from!.value);
  const date = from?.time?.value ?? 'date';
  return `; give the rollup \`${rollup.id}\` a \`time\`, one of its date columns, such as \`time: first_seen\` with \`first_seen: min(${date})\` in its \`aggregate\``;
}
