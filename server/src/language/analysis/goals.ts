import type { Definition } from '../model';
import { periodStart } from '../period';
import { Context } from './context';

/** invalid-weight (non-positive; the schema reports non-numbers), empty-goal, and a valid `due`. */
export function checkGoals(ctx: Context, defs: Iterable<Definition> = ctx.own): void {
  for (const def of defs) {
    if (def.kind !== 'goal') continue;
    ctx.at(def);
    if (def.due && periodStart(def.due.value) === undefined) {
      ctx.report('invalid-value', def.due.span, `\`${def.due.value}\` is not a valid period; write \`2026\`, \`2026-07\`, \`2026-07-15\`, \`2026-Q3\` or \`2026-W05\``);
    }
    if (!def.members.length && def.membersSpan === undefined) continue; // missing `kpis`: a schema error
    if (!def.members.length) {
      ctx.report('empty-goal', def.idSpan, `goal \`${def.id}\` has no KPIs; list its key results under \`kpis\``);
    }
    for (const m of def.members) {
      const w = m.weight?.value;
      if (typeof w === 'number' && !(w > 0 && Number.isFinite(w))) {
        ctx.report('invalid-weight', m.weight!.span, `the weight of \`${m.kpi}\` in goal \`${def.id}\` is ${w}; weights are positive numbers (default 1)`);
      }
    }
  }
}
