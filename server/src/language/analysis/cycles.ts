import type { KpiDef } from '../model';
import { Context } from './context';
import { Graph } from './graph';

/**
 * circular-definition: finds strongly connected KPIs (Tarjan, iterative) and reports, on each
 * KPI of this file in a cycle, the reference that leads into it, with the cycle spelled out.
 */
export function checkCycles(ctx: Context, graph: Graph): void {
  const own = ctx.own.filter((d): d is KpiDef => d.kind === 'kpi' && ctx.scope.owns(d));
  if (!own.length) return;
  const component = stronglyConnected(own, (k) => graph.deps(k).flatMap((d) => (d.def.kind === 'kpi' ? [d.def] : [])));
  for (const kpi of own) {
    const members = component.get(kpi);
    if (!members) continue;
    const path = shortestCycle(kpi, members, graph);
    if (!path) continue;
    const first = graph.deps(kpi).find((d) => d.def === path[1])!;
    ctx.at(kpi);
    const related = path.slice(1, -1).map((k, i) => {
      const next = path[i + 2]!;
      return { file: k.file, span: graph.deps(k).find((d) => d.def === next)!.span, message: `\`${k.id}\` uses \`${next.id}\`` };
    });
    ctx.report('circular-definition', first.span, `circular definition: ${path.map((k) => k.id).join(' → ')}`, { related });
  }
}

/** For each KPI on a cycle (including a self-reference), the set of KPIs of its component. */
function stronglyConnected(starts: KpiDef[], next: (k: KpiDef) => KpiDef[]): Map<KpiDef, Set<KpiDef>> {
  const index = new Map<KpiDef, number>();
  const low = new Map<KpiDef, number>();
  const onStack = new Set<KpiDef>();
  const stack: KpiDef[] = [];
  const result = new Map<KpiDef, Set<KpiDef>>();
  let counter = 0;
  for (const start of starts) {
    if (index.has(start)) continue;
    const work: { node: KpiDef; edges: KpiDef[]; i: number }[] = [];
    const enter = (node: KpiDef) => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, edges: next(node), i: 0 });
    };
    enter(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      if (top.i < top.edges.length) {
        const w = top.edges[top.i++]!;
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const members = new Set<KpiDef>();
        let w: KpiDef;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          members.add(w);
        } while (w !== top.node);
        const cyclic = members.size > 1 || next(top.node).includes(top.node);
        if (cyclic) for (const m of members) result.set(m, members);
      }
    }
  }
  return result;
}

/** The shortest path kpi → … → kpi within its component (breadth first). */
function shortestCycle(kpi: KpiDef, members: Set<KpiDef>, graph: Graph): KpiDef[] | undefined {
  const parent = new Map<KpiDef, KpiDef>();
  const queue: KpiDef[] = [kpi];
  for (let q = 0; q < queue.length; q++) {
    const k = queue[q]!;
    for (const { def } of graph.deps(k)) {
      if (def.kind !== 'kpi' || !members.has(def)) continue;
      if (def === kpi) {
        const path = [kpi];
        for (let at: KpiDef | undefined = k; at && at !== kpi; at = parent.get(at)) path.unshift(at);
        path.unshift(kpi);
        return path;
      }
      if (!parent.has(def)) {
        parent.set(def, k);
        queue.push(def);
      }
    }
  }
  return undefined;
}
