import type { EvalOptions } from '../engine/run';
import { GRAINS, type Grain } from '../language/model';
import { periodStart } from '../language/period';
import type { EvaluateParams } from '../protocol';
import { invalid, object, string } from './params';

const PERIOD = 'a period such as 2026, 2026-Q1, 2026-01, 2026-W05 or 2026-01-15';
/** Longer than any dimension name worth breaking down by. */
const MAX_BY = 200;

/** The params of `kpispec/evaluate`, checked; an absent or null field takes the spec's default. */
export function evaluateParams(raw: unknown): { uri: string; options: EvalOptions; known?: number } {
  const p = object(raw, 'params') as Partial<Record<keyof EvaluateParams, unknown>>;
  const uri = string(p.uri, 'uri');
  const options: EvalOptions = {};
  if (p.grain != null) {
    if (!GRAINS.includes(p.grain as Grain)) throw invalid('grain', `one of ${GRAINS.join(', ')}`);
    options.grain = p.grain as Grain;
  }
  for (const field of ['from', 'to'] as const) {
    const v = p[field];
    if (v == null) continue;
    if (typeof v !== 'string' || periodStart(v) === undefined) throw invalid(field, PERIOD);
    options[field] = v;
  }
  if (options.from && options.to && periodStart(options.from)! > periodStart(options.to)!) throw invalid('from', `a period not after to (${options.to})`);
  if (p.last != null) {
    if (!Number.isInteger(p.last) || (p.last as number) < 1) throw invalid('last', 'a whole number of periods, 1 or more');
    options.last = p.last as number;
  }
  if (p.by != null) {
    if (typeof p.by !== 'string' || !p.by.trim() || p.by.length > MAX_BY) throw invalid('by', `the name of a dimension (a string of 1 to ${MAX_BY} characters)`);
    options.by = p.by;
  }
  if (p.known != null && (!Number.isInteger(p.known) || (p.known as number) < 1)) throw invalid('known', 'the resultId of earlier results (a whole number, 1 or more)');
  return { uri, options, ...(p.known != null ? { known: p.known as number } : {}) };
}
