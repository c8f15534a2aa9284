import type { KpiDef } from '../model';
import type { Scope } from '../workspace';
import { forEachNode } from './references';

/**
 * `start` and everything it depends on, dependencies first, each once, without recursion
 * (a chain of 10,000 KPIs must not overflow the stack). Cycles are cut where they close.
 */
export function dependenciesFirst<T>(start: T, deps: (t: T) => T[]): T[] {
  const out: T[] = [];
  const state = new Map<T, 'open' | 'done'>();
  const stack: { node: T; next: T[]; i: number }[] = [{ node: start, next: deps(start), i: 0 }];
  state.set(start, 'open');
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i < top.next.length) {
      const d = top.next[top.i++]!;
      if (!state.has(d)) {
        state.set(d, 'open');
        stack.push({ node: d, next: deps(d), i: 0 });
      }
      continue;
    }
    stack.pop();
    state.set(top.node, 'done');
    out.push(top.node);
  }
  return out;
}

/** The KPIs a KPI's formula names, resolved in a scope (in written order, repeats kept). */
export function kpisNamedBy(kpi: KpiDef, scope: Scope): KpiDef[] {
  const out: KpiDef[] = [];
  if (kpi.formula) forEachNode(kpi.formula.expr, (e) => {
    const d = e.kind === 'name' ? scope.names.get(e.name) : undefined;
    if (d?.kind === 'kpi') out.push(d);
  });
  return out;
}
