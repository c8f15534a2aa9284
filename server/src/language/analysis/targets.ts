import type { Definition, KpiDef, TargetDef, TargetStep } from '../model';
import { periodStart } from '../period';
import { Context } from './context';

/** target-steps, target-conflict, target-direction, percent-target, and valid periods. */
export function checkTargets(ctx: Context, defs: Iterable<Definition> = ctx.own): void {
  for (const def of defs) {
    if (def.kind !== 'kpi') continue;
    ctx.at(def);
    const target = def.target && checkBand(ctx, def, def.target, 'target');
    const warn = def.warn && checkBand(ctx, def, def.warn, 'warn');
    if (def.warn && !def.target) {
      ctx.report('target-conflict', def.warn.span, `KPI \`${def.id}\` has a \`warn\` band but no \`target\`; the warn band is the tolerance around a target`);
    }
    if (target && warn) checkWarnLooser(ctx, def, def.target!, def.warn!);
  }
}

/** Checks one band; returns whether its steps are usable for further comparison. */
function checkBand(ctx: Context, kpi: KpiDef, band: TargetDef, what: 'target' | 'warn'): boolean {
  let ok = true;
  let last: { day: number; text: string } | undefined;
  const direction = kpi.direction?.value ?? 'up';
  for (const step of band.steps) {
    if (step.from) {
      const day = periodStart(step.from.value);
      if (day === undefined) {
        ctx.report('invalid-value', step.from.span, `\`${step.from.value}\` is not a valid period; write \`2026\`, \`2026-07\`, \`2026-07-15\`, \`2026-Q3\` or \`2026-W05\``);
        ok = false;
      } else if (last && day <= last.day) {
        ctx.report('target-steps', step.from.span, `the ${what} step from \`${step.from.value}\` ${day === last.day ? 'repeats' : 'comes before'} the step from \`${last.text}\`; list dated steps in increasing order, each once`);
        ok = false;
      } else last = { day, text: step.from.value };
    }
    if (step.per && !step.min && !step.max) {
      ctx.report('invalid-value', step.per.span, `the ${what} of \`${kpi.id}\` says what period it is set for (\`per: ${step.per.value}\`) but gives no bound; add \`min\`, \`max\` or \`value\``);
      ok = false;
    }
    if (step.min && step.max && step.min.value > step.max.value) {
      ctx.report('target-conflict', step.min.span, `the ${what} of \`${kpi.id}\` has \`min\` ${show(step.min)} above \`max\` ${show(step.max)}: no value can meet it`);
      ok = false;
    }
    if (direction === 'up' && step.max && !step.min) {
      ctx.report('target-direction', step.max.span, `\`${kpi.id}\` goes up (higher is better), but its ${what} only sets a \`max\`; use \`min\`, or set \`direction: down\``);
    }
    if (direction === 'down' && step.min && !step.max) {
      ctx.report('target-direction', step.min.span, `\`${kpi.id}\` goes down (lower is better), but its ${what} only sets a \`min\`; use \`max\`, or set \`direction: up\``);
    }
    if (kpi.format?.value === 'percent') {
      for (const bound of [step.min, step.max]) {
        if (bound && !bound.percent && Math.abs(bound.value) > 1) {
          ctx.report('percent-target', bound.span, `\`${kpi.id}\` is a percent KPI, and ${bound.value} means ${show({ value: bound.value, percent: true })}; did you mean \`${bound.value}%\`?`, { data: { suggestion: `${bound.value}%` } });
        }
      }
    }
  }
  return ok;
}

/** The warn band must be looser than the target at every point where either changes. */
function checkWarnLooser(ctx: Context, kpi: KpiDef, target: TargetDef, warn: TargetDef): void {
  const points = new Set<number>([-Infinity]);
  for (const s of [...target.steps, ...warn.steps]) if (s.from) points.add(periodStart(s.from.value) ?? -Infinity);
  for (const day of [...points].sort((a, b) => a - b)) {
    const t = stepAt(target, day);
    const w = stepAt(warn, day);
    if (!t || !w) continue;
    if (t.min && w.min && w.min.value > t.min.value) {
      ctx.report('target-conflict', w.min.span, `the warn \`min\` of \`${kpi.id}\` (${show(w.min)}) is above its target \`min\` (${show(t.min)}); the warn band must be looser than the target`, {
        related: [{ file: kpi.file, span: t.min.span, message: 'the target' }],
      });
      return;
    }
    if (t.max && w.max && w.max.value < t.max.value) {
      ctx.report('target-conflict', w.max.span, `the warn \`max\` of \`${kpi.id}\` (${show(w.max)}) is below its target \`max\` (${show(t.max)}); the warn band must be looser than the target`, {
        related: [{ file: kpi.file, span: t.max.span, message: 'the target' }],
      });
      return;
    }
  }
}

/** The step in force on a day: the last one whose `from` is not after it; undated steps hold always. */
function stepAt(band: TargetDef, day: number): TargetStep | undefined {
  let found: TargetStep | undefined;
  for (const s of band.steps) {
    const start = s.from ? periodStart(s.from.value) : -Infinity;
    if (start !== undefined && start <= day) found = s;
  }
  return found;
}

function show(b: { value: number; percent: boolean }): string {
  return b.percent ? `${+(b.value * 100).toPrecision(12)}%` : String(b.value);
}
