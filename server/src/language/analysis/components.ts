/**
 * The strongly connected components of the graph reachable from `starts` (Tarjan, without
 * recursion: a chain of 100,000 KPIs must not overflow the stack), each listed once, in the
 * order they complete: a component comes after every component it reaches.
 */
export function stronglyConnected<T>(starts: Iterable<T>, next: (t: T) => readonly T[]): T[][] {
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const onStack = new Set<T>();
  const stack: T[] = [];
  const components: T[][] = [];
  for (const start of starts) {
    if (index.has(start)) continue;
    const work: { node: T; edges: readonly T[]; i: number }[] = [];
    const enter = (node: T) => {
      index.set(node, index.size);
      low.set(node, index.get(node)!);
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
      if (low.get(top.node) !== index.get(top.node)) continue;
      const members: T[] = [];
      let w: T;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        members.push(w);
      } while (w !== top.node);
      components.push(members);
    }
  }
  return components;
}

/**
 * Everything `start` reaches: `own` of each node reachable from it, each once, what its
 * dependencies reach first. Answers are kept in `memo` per node, so that asking along a chain
 * of N nodes costs N steps, not N²; the nodes of one cycle share one answer, and a node that
 * adds nothing to its only dependency shares that one's.
 */
export function reachedFrom<T, V>(start: T, next: (t: T) => readonly T[], own: (t: T) => Iterable<V>, memo: Map<T, ReadonlySet<V>>): ReadonlySet<V> {
  const known = memo.get(start);
  if (known) return known;
  for (const members of stronglyConnected([start], (t) => next(t).filter((d) => !memo.has(d)))) {
    const below = new Set<ReadonlySet<V>>();
    for (const t of members) for (const d of next(t)) if (memo.has(d)) below.add(memo.get(d)!);
    const found = new Set<V>();
    for (const set of below) for (const v of set) found.add(v);
    const before = found.size;
    for (const t of members) for (const v of own(t)) found.add(v);
    const answer = below.size === 1 && found.size === before ? [...below][0]! : found;
    for (const t of members) memo.set(t, answer);
  }
  return memo.get(start)!;
}
