import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { fit, layout, NODE_LIMIT, onPath, reach, shownPart, SIZES } from '../../client/src/webview/lineageLayout';
import { NodeHost } from '../../server/src/data/nodeHost';
import { around, lineageOf } from '../../server/src/language/lineage';
import { lineageGraph } from '../../server/src/language/lineageGraph';
import { Workspace } from '../../server/src/language/workspace';
import { REPO } from './harness';
import { syntheticLineage } from './lineageFixtures';

const SPEC = path.join(REPO, 'samples', 'webshop.kpi.yaml');

describe('webview: the Lineage view’s graph work (lineageLayout.ts)', () => {
  const ws = new Workspace(new NodeHost(), REPO);
  const graph = lineageGraph(ws, SPEC);
  const lineage = lineageOf(ws.scope(SPEC));

  it('reaches what a KPI depends on and what depends on it, as `around` (the CLI’s --kpi) does', () => {
    for (const key of ['kpi:conversion_rate', 'kpi:clv', 'metric:sessions', 'source:order_log', 'goal:profitable_paid_growth']) {
      const r = reach(graph, key);
      const expected = around(lineage, [key]);
      assert.deepEqual(new Set([key, ...r.up.keys(), ...r.down.keys()]), new Set(expected.nodes.map((n) => n.key)), key);
      // The edges on a path through it are among those `around` keeps (it also keeps the ones
      // that bypass it, from something upstream straight to something downstream).
      const lit = graph.edges.filter((e) => onPath(e, key, r)).map((e) => `${e.from}>${e.to}`);
      const kept = new Set(expected.edges.map((e) => `${e.from}>${e.to}`));
      for (const e of lit) assert.ok(kept.has(e), `${key}: ${e}`);
    }
    const r = reach(graph, 'kpi:clv');
    assert.equal(r.down.get('kpi:clv_cac_ratio'), 1, 'a KPI that names clv is one step down');
    assert.ok(r.up.has('source:order_log'));
  });

  it('draws the whole sample (fewer than 150 definitions)', () => {
    assert.ok(graph.nodes.length <= NODE_LIMIT);
    const part = shownPart(graph, undefined);
    assert.equal(part.whole, true);
    assert.equal(part.graph, graph);
  });

  it('over 150 definitions: the neighbourhood of the focus, nearest first, at most 150; nothing without a focus', () => {
    const big = syntheticLineage(150, 300);
    assert.ok(big.nodes.length > NODE_LIMIT);
    const none = shownPart(big, undefined);
    assert.deepEqual([none.whole, none.graph.nodes.length], [false, 0]);
    const part = shownPart(big, 'kpi:k5');
    const r = reach(big, 'kpi:k5');
    assert.equal(part.around, 'kpi:k5');
    assert.equal(part.neighbourhood, 1 + r.up.size + r.down.size);
    assert.deepEqual(new Set(part.graph.nodes.map((n) => n.key)), new Set(['kpi:k5', ...r.up.keys(), ...r.down.keys()]));
    for (const e of part.graph.edges) assert.ok(part.graph.nodes.some((n) => n.key === e.from) && part.graph.nodes.some((n) => n.key === e.to));
    // A source feeds 10 metrics, each feeding KPIs, each a goal: more than 150, the nearest kept.
    const wide = shownPart(syntheticLineage(150, 1500), 'source:s0');
    assert.equal(wide.graph.nodes.length, NODE_LIMIT);
    assert.ok(wide.neighbourhood! > NODE_LIMIT);
    const kept = new Set(wide.graph.nodes.map((n) => n.key));
    for (let i = 0; i < 10; i++) assert.ok(kept.has(`metric:m${i}`), `metric m${i}, one step away`);
  });

  it('lays the sample out in four columns, upstream first, no two boxes overlapping', () => {
    for (const width of [400, 520, 900, 1600]) {
      const lay = layout(graph, width);
      // As wide as the panel; a little wider where the narrowest boxes would be too narrow.
      assert.ok(lay.width >= width && lay.width - Math.max(SIZES.minWidth, width) < SIZES.minBox, `${lay.width} for ${width}`);
      assert.equal(lay.nodes.length, graph.nodes.length);
      assert.equal(lay.edges.length, graph.edges.length);
      const x = (kind: string) => new Set(lay.nodes.filter((p) => p.node.kind === kind).map((p) => p.x));
      const xs = ['source', 'metric', 'kpi', 'goal'].map((k) => [...x(k)]);
      for (const one of xs) assert.equal(one.length, 1, 'one x per column');
      assert.ok(xs[0]![0]! < xs[1]![0]! && xs[1]![0]! < xs[2]![0]! && xs[2]![0]! < xs[3]![0]!, 'sources, metrics, KPIs, goals from left to right');
      for (const p of lay.nodes) assert.ok(p.x + p.w <= lay.width && p.y + p.h <= lay.height && p.y >= SIZES.head, `${p.node.key} inside`);
      for (let c = 0; c < 4; c++) {
        const ys = lay.nodes.filter((p) => p.column === c).map((p) => p.y).sort((a, b) => a - b);
        for (let i = 1; i < ys.length; i++) assert.ok(ys[i]! - ys[i - 1]! >= SIZES.node, `column ${c}: boxes ${ys[i - 1]} and ${ys[i]} overlap`);
      }
      assert.equal(lay.edges.filter((e) => e.sameColumn).length, 6, 'four relations between sources and two KPIs naming KPIs');
    }
  });

  it('keeps each column near what it connects to: edges are shorter than in written order', () => {
    const lay = layout(graph, 900);
    const y = new Map(lay.nodes.map((p) => [p.node.key, p.y]));
    const length = (at: Map<string, number>) => graph.edges.reduce((sum, e) => sum + Math.abs(at.get(e.from)! - at.get(e.to)!), 0);
    // The same columns in the order written, evenly spaced.
    const written = new Map<string, number>();
    for (const kind of ['source', 'metric', 'kpi', 'goal']) graph.nodes.filter((n) => n.kind === kind).forEach((n, i) => written.set(n.key, SIZES.pad + SIZES.head + i * SIZES.pitch));
    assert.ok(length(y) < length(written) * 0.8, `${length(y)} vs ${length(written)} written`);
  });

  it('cuts text to fit with an ellipsis', () => {
    const measure = (s: string) => [...s].length * 10;
    assert.equal(fit('sessions', 80, measure), 'sessions');
    assert.equal(fit('conversion_rate', 80, measure), 'convers…');
    assert.equal(fit('会话数 (sessions)', 50, measure), '会话数…');
    assert.equal(fit('abc', 5, measure), '');
  });
});
