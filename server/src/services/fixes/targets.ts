import { Context } from '../../language/analysis/context';
import { checkTargets } from '../../language/analysis/targets';
import type { KpiDef, TargetDef, TargetStep } from '../../language/model';
import { parseModel } from '../../language/parse';
import { periodStart } from '../../language/period';
import type { Problem } from '../../language/problem';
import type { Span } from '../../language/span';
import { spanEnd } from '../../language/span';
import { defAt } from './common';
import { afterLine, columnOf, pairWithValue, removePair, replace, sameSpan, setPair, trimmed } from './yamlEdits';
import type { Fix, FixEnv, Fixer } from './types';
import type { Edit } from '../types';

/** The KPI of this file whose entry holds the offset. */
function kpiAt(env: FixEnv, offset: number): KpiDef | undefined {
  const def = defAt(env.snap, offset);
  return def?.kind === 'kpi' ? def : undefined;
}

/** The band and step a bound written at `span` belongs to, and which bound it is. */
function boundAt(kpi: KpiDef, span: Span): { band: 'target' | 'warn'; step: TargetStep; bound: 'min' | 'max' } | undefined {
  for (const band of ['target', 'warn'] as const) {
    for (const step of kpi[band]?.steps ?? []) {
      if (step.min && sameSpan(step.min.span, span)) return { band, step, bound: 'min' };
      if (step.max && sameSpan(step.max.span, span)) return { band, step, bound: 'max' };
    }
  }
  return undefined;
}

/**
 * The target problems of the KPI once `edits` (inside its entry) are applied: its entry parsed
 * again on its own and its targets checked, so that a fix is offered only when it makes the
 * targets consistent, and never trades one target problem for another.
 */
function recheck(env: FixEnv, kpi: KpiDef, edits: Edit[]): Problem[] | undefined {
  const { text } = env.snap;
  const start = kpi.span.offset;
  // through the end of its last line: a key added in block style goes on a line of its own after it
  const end = afterLine(text, spanEnd(kpi.span)).offset;
  if (edits.some((e) => e.file !== env.snap.file || e.span.offset < start || spanEnd(e.span) > end)) return undefined;
  let entry = text.slice(start, end);
  for (const e of [...edits].sort((a, b) => b.span.offset - a.span.offset)) {
    entry = entry.slice(0, e.span.offset - start) + e.newText + entry.slice(spanEnd(e.span) - start);
  }
  const mini = `kpispec: 1\nkpis:\n${' '.repeat(Math.max(1, columnOf(text, start)))}${entry.trimEnd()}\n`;
  const parsed = parseModel(env.snap.file, mini); // the model alone: no schema problems needed
  const again = parsed.spec.kpis.get(kpi.id);
  if (!again) return undefined;
  const ctx = new Context(env.snap.ws, parsed.spec, env.snap.scope);
  checkTargets(ctx, [again]);
  return ctx.problems.filter((p) => p.rule === 'target-conflict' || p.rule === 'target-direction' || p.rule === 'target-steps');
}

/** Offered only when the targets then check without a conflict or a step out of order, and with fewer direction warnings. */
function consistent(env: FixEnv, kpi: KpiDef, edits: Edit[]): boolean {
  const key = `targets-before:${kpi.span.offset}`;
  if (!env.memo.has(key)) env.memo.set(key, recheck(env, kpi, []));
  const before = env.memo.get(key) as Problem[] | undefined;
  const after = recheck(env, kpi, edits);
  if (!before || !after) return false;
  const count = (list: Problem[], rule: string) => list.filter((p) => p.rule === rule).length;
  return count(after, 'target-conflict') === 0 && count(after, 'target-steps') === 0 && count(after, 'target-direction') <= count(before, 'target-direction') && after.length < before.length;
}

const text = (env: FixEnv, s: Span) => env.snap.text.slice(s.offset, spanEnd(s));

/**
 * target-direction: flip the bound (`max` → `min`), or set the direction the bounds say — each
 * only when the targets are then consistent. Flipping the bound is what "fix all" applies.
 */
export const targetDirection: Fixer = (env, p) => {
  const kpi = kpiAt(env, p.span.offset);
  const at = kpi && boundAt(kpi, p.span);
  if (!kpi || !at) return [];
  const out: Fix[] = [];
  const found = pairWithValue(kpi.node, p.span);
  const other = at.bound === 'max' ? 'min' : 'max';
  if (found && found.pair.key.value === at.bound && !found.map.pairs.some((q) => q.key.value === other)) {
    const edits = [replace(env.snap.file, found.pair.key.span, other)];
    if (consistent(env, kpi, edits)) out.push({ title: `Change \`${at.bound}\` to \`${other}\``, edits, batch: true });
  }
  const direction = at.bound === 'max' ? 'down' : 'up';
  if (kpi.node?.kind === 'map' && !env.batch) {
    const edits = [setPair(env.snap.text, env.snap.file, kpi.node, 'direction', direction)];
    if (consistent(env, kpi, edits)) out.push({ title: `Set \`direction: ${direction}\` (${direction === 'down' ? 'lower' : 'higher'} is better)`, edits });
  }
  return out;
};

/**
 * target-conflict: swap `min` and `max` when min is above max; swap the target's and the warn
 * band's bound when the warn band is the tighter one; a `warn` without a target becomes the
 * target, or goes. Each only when the targets are then consistent.
 */
export const targetConflict: Fixer = (env, p) => {
  const kpi = kpiAt(env, p.span.offset);
  if (!kpi) return [];
  const file = env.snap.file;
  const out: Fix[] = [];
  if (kpi.warn && !kpi.target && sameSpan(kpi.warn.span, p.span)) {
    if (env.batch) return [];
    const found = pairWithValue(kpi.node, kpi.warn.span);
    if (!found) return [];
    const rename = [replace(file, found.pair.key.span, 'target')];
    if (consistent(env, kpi, rename)) out.push({ title: 'Make the `warn` band the `target`', edits: rename });
    out.push({ title: 'Remove the `warn` band', edits: [removePair(env.snap.text, file, found.map, found.pair)] });
    return out;
  }
  const at = boundAt(kpi, p.span);
  if (!at) return [];
  if (at.bound === 'min' && at.step.max && at.step.min && at.step.min.value > at.step.max.value) {
    const min = at.step.min.span;
    const max = at.step.max.span;
    const edits = [replace(file, min, text(env, max)), replace(file, max, text(env, min))];
    if (consistent(env, kpi, edits)) out.push({ title: `Swap \`min\` and \`max\` (${text(env, min)} and ${text(env, max)})`, edits, batch: true });
    return out;
  }
  const target = p.related?.find((r) => r.file === file && r.message === 'the target')?.span;
  if (at.band === 'warn' && target) {
    const edits = [replace(file, target, text(env, p.span)), replace(file, p.span, text(env, target))];
    if (consistent(env, kpi, edits)) out.push({ title: `Swap the target's and the warn band's \`${at.bound}\` (${text(env, target)} and ${text(env, p.span)})`, edits, batch: true });
  }
  return out;
};

/** target-steps: dated steps out of order (none repeated) sorted by `from`, in place. */
export const targetSteps: Fixer = (env, p) => {
  const kpi = kpiAt(env, p.span.offset);
  if (!kpi) return [];
  const band = (['target', 'warn'] as const).find((b) => kpi[b]?.steps.some((s) => s.from && sameSpan(s.from.span, p.span)));
  const def: TargetDef | undefined = band && kpi[band];
  if (!band || !def) return [];
  const found = pairWithValue(kpi.node, def.span);
  const seq = found?.pair.value;
  if (seq?.kind !== 'seq' || seq.items.length !== def.steps.length) return [];
  const starts = def.steps.map((s) => (s.from ? periodStart(s.from.value) : undefined));
  if (starts.some((d) => d === undefined) || new Set(starts).size !== starts.length) return [];
  const order = starts.map((d, i) => ({ d: d!, i })).sort((a, b) => a.d - b.d).map((x) => x.i);
  const edits: Edit[] = [];
  order.forEach((from, to) => {
    if (from === to) return;
    edits.push(replace(env.snap.file, trimmed(env.snap.text, seq.items[to]!.span), text(env, trimmed(env.snap.text, seq.items[from]!.span))));
  });
  if (!edits.length) return [];
  return [{ title: `Sort the ${band} steps by \`from\``, edits, batch: true }];
};
