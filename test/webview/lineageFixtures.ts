import type { LineageGraph, LineageGraphNode } from '../../server/src/language/lineageGraph';

/** A made-up lineage of `n` KPIs each reading two of `m` metrics, one source per 10 metrics, a goal per 10 KPIs. */
export function syntheticLineage(m: number, n: number): LineageGraph {
  const node = (kind: LineageGraphNode['kind'], id: string): LineageGraphNode => ({ key: `${kind}:${id}`, kind, id, file: '/ws/big.kpi.yaml', offset: 0, line: 1, column: 1 });
  const nodes: LineageGraphNode[] = [];
  const edges: LineageGraph['edges'] = [];
  for (let s = 0; s < Math.ceil(m / 10); s++) nodes.push(node('source', `s${s}`));
  for (let i = 0; i < m; i++) {
    nodes.push(node('metric', `m${i}`));
    edges.push({ from: `source:s${Math.floor(i / 10)}`, to: `metric:m${i}`, how: 'reads' });
  }
  for (let k = 0; k < n; k++) {
    nodes.push(node('kpi', `k${k}`));
    for (const i of new Set([k % m, (k * 7 + 3) % m])) edges.push({ from: `metric:m${i}`, to: `kpi:k${k}`, how: 'names' });
  }
  for (let g = 0; g < Math.ceil(n / 10); g++) {
    nodes.push(node('goal', `g${g}`));
    for (let k = g * 10; k < Math.min(n, g * 10 + 10); k++) edges.push({ from: `kpi:k${k}`, to: `goal:g${g}`, how: 'key result' });
  }
  return { nodes, edges };
}
