import type { Expr } from '../formula/ast';
import { FUNCTIONS, PERIOD_GRAINS, isColumnArg } from '../formula/functions';
import type { Definition, Formula } from '../model';
import { closest } from '../suggest';
import { Context, KIND_NAMES } from './context';

/** Walks a formula's nodes; depth is bounded by the parser's limit. */
export function forEachNode(expr: Expr, visit: (e: Expr) => void): void {
  const stack = [expr];
  while (stack.length) {
    const e = stack.pop()!;
    visit(e);
    // The children (formula/walk.ts), last first, without making an array per node.
    if (e.kind === 'binary') stack.push(e.right, e.left);
    else if (e.kind === 'unary') stack.push(e.operand);
    else if (e.kind === 'call') for (let i = e.args.length - 1; i >= 0; i--) stack.push(e.args[i]!);
  }
}

/** The names of a row formula that stand for columns (not a lookup in `matched`, nor a grain in `period`). */
export function forEachColumnName(expr: Expr, visit: (e: Extract<Expr, { kind: 'name' }>) => void): void {
  const skip = new Set<Expr>();
  forEachNode(expr, (e) => {
    if (e.kind === 'call') e.args.forEach((a, i) => { if (!isColumnArg(e.callee, i)) skip.add(a); });
    else if (e.kind === 'name' && !skip.has(e)) visit(e);
  });
}

/**
 * unknown-reference and wrong-reference-kind for every name in this file: formula names,
 * `source:` of metrics and goal members. Returns each KPI's resolved direct dependencies.
 */
export function checkReferences(ctx: Context, defs: Iterable<Definition> = ctx.own): Map<string, Definition[]> {
  const deps = new Map<string, Definition[]>();
  for (const def of defs) {
    ctx.at(def);
    if (def.kind === 'metric' && def.source) {
      const target = ctx.scope.sources.get(def.source.value) ?? ctx.scope.names.get(def.source.value);
      if (!target) {
        const s = closest(def.source.value, ctx.idsOf('source'));
        ctx.report('unknown-reference', def.source.span, `unknown source \`${def.source.value}\`${s ? ` (did you mean \`${s}\`?)` : ''}`, s ? { data: { suggestion: s } } : undefined);
      } else if (target.kind !== 'source') {
        ctx.report('wrong-reference-kind', def.source.span, `\`${def.source.value}\` is a ${KIND_NAMES[target.kind]}, but a metric's \`source\` must name a source`);
      }
    }
    if (def.kind === 'metric' && def.where) checkCalls(ctx, def.where, 'where');
    if (def.kind === 'kpi' && def.formula) {
      checkCalls(ctx, def.formula, 'kpi');
      deps.set(def.id, resolveFormula(ctx, def.formula));
    }
    if (def.kind === 'goal') {
      for (const m of def.members) {
        const target = ctx.scope.get(m.kpi);
        if (!target) {
          const s = closest(m.kpi, ctx.idsOf('kpi'));
          ctx.report('unknown-reference', m.span, `goal \`${def.id}\` names \`${m.kpi}\`, which is not a KPI in scope${s ? ` (did you mean \`${s}\`?)` : ''}`, s ? { data: { suggestion: s } } : undefined);
        } else if (target.kind !== 'kpi') {
          ctx.report('wrong-reference-kind', m.span, `\`${m.kpi}\` is a ${KIND_NAMES[target.kind]}; a goal's key results are KPIs (define a KPI with \`formula: ${m.kpi}\`)`);
        }
      }
    }
  }
  return deps;
}

/** Resolves a KPI formula's names to metrics and KPIs, reporting the rest. */
function resolveFormula(ctx: Context, formula: Formula): Definition[] {
  const found: Definition[] = [];
  forEachNode(formula.expr, (e) => {
    if (e.kind !== 'name') return;
    const target = ctx.scope.get(e.name);
    if (!target && e.name.includes('.')) {
      // `sessions.count`: there is no property access; dotted names are looked-up columns of row formulas.
      ctx.report('unknown-reference', e.span, `\`${e.name}\` is not a metric or KPI: a KPI formula names metrics and KPIs by their ids; \`lookup.column\` names a looked-up column in a source's \`derive\` or a metric's \`where\``);
    } else if (!target) {
      const s = closest(e.name, ctx.idsOf('metric', 'kpi'));
      ctx.report('unknown-reference', e.span, `unknown metric or KPI \`${e.name}\`${s ? ` (did you mean \`${s}\`?)` : ''}`, s ? { data: { suggestion: s } } : undefined);
    } else if (target.kind === 'source' || target.kind === 'goal') {
      const hint = target.kind === 'source' ? '; aggregate it in a metric first (e.g. `agg: count`)' : '';
      ctx.report('wrong-reference-kind', e.span, `\`${e.name}\` is a ${KIND_NAMES[target.kind]}, but formulas combine metrics and KPIs${hint}`);
    } else if (!found.includes(target)) found.push(target);
  });
  return found;
}

/** unknown-function and function-arguments. */
export function checkCalls(ctx: Context, formula: Formula, where: 'kpi' | 'where' | 'derive'): void {
  forEachNode(formula.expr, (e) => {
    if (e.kind !== 'call') return;
    const fn = FUNCTIONS.get(e.callee);
    if (!fn) {
      const s = closest(e.callee, FUNCTIONS.keys());
      ctx.report('unknown-function', e.calleeSpan, `unknown function \`${e.callee}\`${s ? ` (did you mean \`${s}\`?)` : `; the functions are ${[...FUNCTIONS.keys()].join(', ')}`}`, s ? { data: { suggestion: s } } : undefined);
      return;
    }
    if (where !== 'kpi' && fn.time) {
      ctx.report('function-arguments', e.calleeSpan, `\`${fn.name}\` works across periods and cannot be used in \`${where}\`, which ${where === 'where' ? 'filters' : 'computes'} single rows`);
      return;
    }
    if (where === 'kpi' && fn.row) {
      ctx.report('function-arguments', e.calleeSpan, `\`${fn.name}\` works on one row: use it in a source's \`derive\` or a metric's \`where\`, not in a KPI formula`);
      return;
    }
    const n = e.args.length;
    if (n < fn.minArgs || n > fn.maxArgs) {
      const expected = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : fn.maxArgs >= 100 ? `at least ${fn.minArgs}` : `${fn.minArgs} or ${fn.maxArgs}`;
      ctx.report('function-arguments', e.span, `\`${fn.name}\` takes ${expected} argument${expected === '1' ? '' : 's'}, given ${n}: ${fn.signature}`);
      return;
    }
    const word = fn.name === 'period' ? e.args[1] : fn.name === 'matched' ? e.args[0] : undefined;
    if (word && (word.kind !== 'name' || (fn.name === 'period' && !PERIOD_GRAINS.includes(word.name)))) {
      const what = fn.name === 'period' ? `the second argument of \`period\` is the grain, one of ${PERIOD_GRAINS.join(', ')}` : 'the argument of `matched` is the name of one of the source\'s lookups';
      ctx.report('function-arguments', word.span, `${what}, written as a bare word: ${fn.signature}`);
      return;
    }
    const lit = fn.literalArg;
    const arg = lit ? e.args[lit.index] : undefined;
    if (lit && arg) {
      const ok = arg.kind === 'number' && !arg.percent && Number.isInteger(arg.value) && arg.value >= lit.min && arg.value <= lit.max;
      if (!ok) ctx.report('function-arguments', arg.span, `${lit.what} in \`${fn.name}\` must be a whole number from ${lit.min} to ${lit.max}, written as a number: ${fn.signature}`);
    }
  });
}
