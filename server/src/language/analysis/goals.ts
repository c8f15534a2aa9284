import type { Definition, GoalDef } from '../model';
import { periodEnd, periodStart } from '../period';
import { Context } from './context';

const PERIOD_FORMS = 'write `2026`, `2026-07`, `2026-07-15`, `2026-Q3` or `2026-W05`';

/**
 * invalid-weight (non-positive; the schema reports non-numbers), empty-goal, valid `start` and
 * `due` with the start not after the due, and percent-target on a percent KPI's baseline.
 */
export function checkGoals(ctx: Context, defs: Iterable<Definition> = ctx.own): void {
  for (const def of defs) {
    if (def.kind !== 'goal') continue;
    ctx.at(def);
    checkDates(ctx, def);
    if (!def.members.length && def.membersSpan === undefined) continue; // missing `kpis`: a schema error
    if (!def.members.length) {
      ctx.report('empty-goal', def.idSpan, `goal \`${def.id}\` has no KPIs; list its key results under \`kpis\``);
    }
    for (const m of def.members) {
      const w = m.weight?.value;
      if (typeof w === 'number' && !(w > 0 && Number.isFinite(w))) {
        ctx.report('invalid-weight', m.weight!.span, `the weight of \`${m.kpi}\` in goal \`${def.id}\` is ${w}; weights are positive numbers (default 1)`);
      }
      const b = m.baseline;
      // The same slip as a target's: on a percent KPI, `12` is 1200%, not 12%.
      if (b && !b.percent && Math.abs(b.value) > 1 && ctx.lookup(m.kpi, 'kpi')?.format?.value === 'percent') {
        ctx.report('percent-target', b.span, `\`${m.kpi}\` is a percent KPI, and a baseline of ${b.value} means ${+(b.value * 100).toPrecision(12)}%; did you mean \`${b.value}%\`?`, { data: { suggestion: `${b.value}%` } });
      }
    }
  }
}

function checkDates(ctx: Context, def: GoalDef): void {
  const start = def.start && periodStart(def.start.value);
  const due = def.due && periodEnd(def.due.value);
  if (def.start && start === undefined) ctx.report('invalid-value', def.start.span, `\`${def.start.value}\` is not a valid period; ${PERIOD_FORMS}`);
  if (def.due && due === undefined) ctx.report('invalid-value', def.due.span, `\`${def.due.value}\` is not a valid period; ${PERIOD_FORMS}`);
  if (start !== undefined && due !== undefined && start > due) {
    ctx.report('invalid-value', def.start!.span, `goal \`${def.id}\` starts in \`${def.start!.value}\`, after it is due (\`${def.due!.value}\`); the start comes first`);
  }
}
