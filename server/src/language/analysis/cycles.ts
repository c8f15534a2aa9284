import type { KpiDef } from '../model';
import { stronglyConnected } from './components';
import { Context } from './context';
import { Graph } from './graph';

/** KPIs spelled out in one message; longer cycles are cut with "…" and their length given. */
const SHOWN = 10;
/** Steps of a cut cycle linked as related locations. */
const LINKED = 3;
/** Up to this size, each KPI of a component gets its own shortest cycle (one search each). */
const EXACT = 64;

/** A cycle through a KPI: its first KPIs, starting with the KPI itself, and its length. */
interface Cycle {
  head: KpiDef[];
  length: number;
}

/**
 * circular-definition: finds strongly connected KPIs and reports, on each KPI of this file in
 * a cycle, the reference that leads into it, with the cycle spelled out. The work and the
 * output stay linear in the number of KPIs: a ring of 100,000 KPIs is searched once, and
 * each message shows at most SHOWN of them.
 */
export function checkCycles(ctx: Context, graph: Graph): void {
  const own = ctx.own.filter((d): d is KpiDef => d.kind === 'kpi' && ctx.scope.owns(d));
  if (!own.length) return;
  const kpiDeps = (k: KpiDef) => graph.deps(k).flatMap((d) => (d.def.kind === 'kpi' ? [d.def] : []));
  const componentOf = new Map<KpiDef, Set<KpiDef>>();
  for (const members of stronglyConnected(own, kpiDeps)) {
    if (members.length === 1 && !kpiDeps(members[0]!).includes(members[0]!)) continue;
    const component = new Set(members);
    for (const k of members) componentOf.set(k, component);
  }
  const shared = new Map<Set<KpiDef>, (kpi: KpiDef) => Cycle | undefined>();
  for (const kpi of own) {
    const component = componentOf.get(kpi);
    if (!component) continue;
    let cycle: Cycle | undefined;
    if (component.size <= EXACT) cycle = headOf(shortestCycle(kpi, component, graph)!);
    else {
      if (!shared.has(component)) shared.set(component, sharedCycle(kpi, component, graph));
      cycle = shared.get(component)!(kpi);
    }
    if (cycle) reportCycle(ctx, graph, kpi, cycle);
    else reportMember(ctx, graph, kpi, component);
  }
}

function reportCycle(ctx: Context, graph: Graph, kpi: KpiDef, { head, length }: Cycle): void {
  const closed = length <= SHOWN;
  const nextOf = (i: number) => head[i + 1] ?? (closed ? kpi : undefined);
  // A cut cycle's message already names SHOWN KPIs; its first few steps are linked.
  const linked = closed ? head : head.slice(0, LINKED + 1);
  const related = linked.slice(1).flatMap((k, i) => {
    const next = nextOf(i + 1);
    return next ? [{ file: k.file, span: spanOf(graph, k, next), message: `\`${k.id}\` uses \`${next.id}\`` }] : [];
  });
  const spelled = [...head, kpi].map((k) => k.id).join(' → ');
  const message = closed
    ? `circular definition: ${spelled}`
    : `circular definition: ${head.map((k) => k.id).join(' → ')} → … → ${kpi.id} (a cycle of ${length.toLocaleString('en-US')} KPIs)`;
  ctx.at(kpi);
  ctx.report('circular-definition', spanOf(graph, kpi, nextOf(0)!), message, { related });
}

/** A KPI of a large component off its shared cycle: named with its first step into the component. */
function reportMember(ctx: Context, graph: Graph, kpi: KpiDef, component: Set<KpiDef>): void {
  const step = graph.deps(kpi).find((d) => d.def.kind === 'kpi' && component.has(d.def))!;
  ctx.at(kpi);
  ctx.report('circular-definition', step.span, `circular definition: ${kpi.id} → ${step.def.id} → … → ${kpi.id} (one of ${component.size.toLocaleString('en-US')} KPIs that depend on one another)`);
}

function spanOf(graph: Graph, from: KpiDef, to: KpiDef) {
  return graph.deps(from).find((d) => d.def === to)!.span;
}

function headOf(path: KpiDef[]): Cycle {
  return { head: path.slice(0, Math.min(SHOWN, path.length - 1)), length: path.length - 1 };
}

/** One shortest cycle of a large component, read from each of its KPIs' place on it. */
function sharedCycle(start: KpiDef, component: Set<KpiDef>, graph: Graph): (kpi: KpiDef) => Cycle | undefined {
  const ring = shortestCycle(start, component, graph)!.slice(0, -1);
  const place = new Map(ring.map((k, i) => [k, i]));
  return (kpi) => {
    const at = place.get(kpi);
    if (at === undefined) return undefined;
    const head: KpiDef[] = [];
    for (let i = 0; i < Math.min(SHOWN, ring.length); i++) head.push(ring[(at + i) % ring.length]!);
    return { head, length: ring.length };
  };
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
        for (let at: KpiDef | undefined = k; at && at !== kpi; at = parent.get(at)) path.push(at);
        path.push(kpi);
        return path.reverse();
      }
      if (!parent.has(def)) {
        parent.set(def, k);
        queue.push(def);
      }
    }
  }
  return undefined;
}
