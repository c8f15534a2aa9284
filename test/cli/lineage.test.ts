import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { parse } from 'yaml';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/codeServer';
import { REPO, runCli, tempWorkspace } from '../helpers/runCli';

interface LineageJson {
  nodes: { key: string; kind: string; id: string; title?: string; file: string; line: number; column: number; selected?: boolean }[];
  edges: { from: string; to: string; how: string }[];
}

const SAMPLES = path.join(REPO, 'samples');

/** The edges of the samples, read from their YAML here (not through kpispec's model): metric ← source, KPI ← the ids its formula names, goal ← its KPIs. */
function expectedEdges(): Set<string> {
  const docs = ['webshop.kpi.yaml', 'sources.kpi.yaml'].map((f) => parse(fs.readFileSync(path.join(SAMPLES, f), 'utf8')) as Record<string, Record<string, Record<string, unknown>> | undefined>);
  const metrics = Object.assign({}, ...docs.map((d) => d.metrics ?? {})) as Record<string, { source: string }>;
  const kpis = Object.assign({}, ...docs.map((d) => d.kpis ?? {})) as Record<string, { formula: string }>;
  const goals = Object.assign({}, ...docs.map((d) => d.goals ?? {})) as Record<string, { kpis: string[] | Record<string, unknown> }>;
  const edges = new Set<string>();
  for (const [id, m] of Object.entries(metrics)) edges.add(`source:${m.source}>metric:${id}`);
  for (const [id, k] of Object.entries(kpis)) {
    // Names in the formula, not inside quotes (filters compare with text).
    for (const name of k.formula.replace(/"[^"]*"|'[^']*'/g, '').match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
      if (name in metrics) edges.add(`metric:${name}>kpi:${id}`);
      else if (name in kpis && name !== id) edges.add(`kpi:${name}>kpi:${id}`);
    }
  }
  // A goal lists its KPIs, or maps each to its weight and baseline.
  for (const [id, g] of Object.entries(goals)) for (const k of Array.isArray(g.kpis) ? g.kpis : Object.keys(g.kpis)) edges.add(`kpi:${k}>goal:${id}`);
  return edges;
}

function lineageJson(args: string[], cwd = REPO): LineageJson {
  const r = runCli(['lineage', ...args, '--format', 'json'], cwd);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as LineageJson;
}

describe('kpispec lineage', function () {
  this.timeout(120_000);

  it('links every metric to its source, every KPI to what its formula names and every goal to its KPIs (the samples)', () => {
    const lineage = lineageJson(['samples/webshop.kpi.yaml']);
    const expected = expectedEdges();
    const got = new Set(lineage.edges.filter((e) => e.how !== 'rolls up' && e.how !== 'looks up').map((e) => `${e.from}>${e.to}`));
    assert.deepEqual([...got].sort(), [...expected].sort());
    assert.ok(expected.size > 100, `${expected.size} edges`);
    // Relations between sources: sessions are rolled up from hits; leads look deals up.
    assert.ok(lineage.edges.some((e) => e.from === 'source:hits' && e.to === 'source:sessions' && e.how === 'rolls up'));
    assert.ok(lineage.edges.some((e) => e.from === 'source:deals' && e.to === 'source:crm_leads' && e.how === 'looks up'));
    // Each node says where it is defined, for an editor or a link.
    const web = lineage.nodes.find((n) => n.key === 'source:web')!;
    const lines = fs.readFileSync(path.join(SAMPLES, 'sources.kpi.yaml'), 'utf8').split('\n');
    assert.equal(web.file, 'samples/sources.kpi.yaml');
    assert.equal(lines[web.line - 1]!.slice(web.column - 1, web.column - 1 + 'web'.length), 'web');
  });

  it('--kpi keeps what feeds the KPI and what it feeds, and nothing else', () => {
    const whole = lineageJson(['samples/webshop.kpi.yaml']);
    const part = lineageJson(['samples/webshop.kpi.yaml', '--kpi', 'ad_roi']);
    const keys = new Set(part.nodes.map((n) => n.key));
    // Upstream and downstream, worked out from the whole graph's edges.
    const reach = (start: string, next: (e: LineageJson['edges'][number]) => [string, string]) => {
      const seen = new Set([start]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const e of whole.edges) {
          const [a, b] = next(e);
          if (seen.has(a) && !seen.has(b)) seen.add(b), (grew = true);
        }
      }
      return seen;
    };
    const expected = new Set([...reach('kpi:ad_roi', (e) => [e.to, e.from]), ...reach('kpi:ad_roi', (e) => [e.from, e.to])]);
    assert.deepEqual([...keys].sort(), [...expected].sort());
    assert.ok(keys.has('metric:ad_spend') && keys.has('source:ads'), 'its inputs');
    assert.ok([...keys].some((k) => k.startsWith('goal:')), 'the goal it is a key result of');
    assert.ok(!keys.has('kpi:bounce_rate'), 'an unrelated KPI is left out');
    assert.deepEqual(part.nodes.filter((n) => n.selected).map((n) => n.key), ['kpi:ad_roi']);
  });

  it('without a spec, takes the one below the current folder that no other imports', () => {
    const r = runCli(['lineage'], SAMPLES);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^KPIs$/m);
    assert.match(r.stdout, /^ {2}ad_roi +.*← paid_revenue, ad_spend$/m);
  });

  it('says what is wrong: an unknown id with a suggestion, several specs, a spec with errors', () => {
    const unknown = runCli(['lineage', 'samples/webshop.kpi.yaml', '--kpi', 'ad_ro']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no KPI, metric, goal or source `ad_ro`.*did you mean `ad_roi`/);
    const dir = tempWorkspace({
      'a.kpi.yaml': 'kpispec: 1\nmetrics:\n  m: { source: s, agg: count }\nkpis:\n  k: { formula: m / nope }\n',
      'b.kpi.yaml': 'kpispec: 1\nkpis:\n  x: { formula: 1 }\n',
    });
    const several = runCli(['lineage'], dir);
    assert.equal(several.status, 2);
    assert.match(several.stderr, /several specs here \(a\.kpi\.yaml, b\.kpi\.yaml\); name one/);
    const broken = runCli(['lineage', 'a.kpi.yaml'], dir);
    assert.equal(broken.status, 1, 'printed, with errors');
    assert.match(broken.stdout, /^ {2}k +← m$/m);
    assert.match(broken.stderr, /the spec has \d+ errors?; what does not resolve is left out/);
  });

  it('writes Graphviz with one node per definition and one edge per link', () => {
    const json = lineageJson(['samples/webshop.kpi.yaml', '--kpi', 'conversion_rate']);
    const r = runCli(['lineage', 'samples/webshop.kpi.yaml', '--kpi', 'conversion_rate', '--format', 'dot']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^digraph lineage \{\n {2}rankdir=LR;/);
    assert.equal(r.stdout.match(/^ {2}"[a-z]+:[^"]+" \[label=/gm)?.length, json.nodes.length);
    assert.equal(r.stdout.match(/ -> /g)?.length, json.edges.length);
    assert.match(r.stdout, /"kpi:conversion_rate" \[label="conversion_rate\\n[^"]*", shape=ellipse, penwidth=3\]/);
  });

  it('writes Mermaid that Mermaid itself renders in a browser: every definition a node, every link an edge, titles as text', async () => {
    const hostile = tempWorkspace({
      'a.kpi.yaml': 'kpispec: 1\nsources:\n  s: { rows: [{ date: 2026-01-01, n: 1 }], time: date }\nmetrics:\n  m: { source: s, agg: sum, column: n, title: \'"quoted" <b>bold</b> & #1\' }\nkpis:\n  k: { formula: m * 2, title: "<img src=x onerror=alert(1)>" }\n',
    });
    const cases: [string[], string][] = [[['samples/webshop.kpi.yaml'], REPO], [['a.kpi.yaml'], hostile]];
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.setContent('<!doctype html><meta charset="utf-8"><body></body>');
      await page.addScriptTag({ path: path.join(REPO, 'node_modules/mermaid/dist/mermaid.min.js') });
      for (const [args, cwd] of cases) {
        const json = lineageJson(args, cwd);
        const r = runCli(['lineage', ...args, '--format', 'mermaid'], cwd);
        assert.equal(r.status, 0, r.stderr);
        const drawn = await page.evaluate(async (text) => {
          const m = (globalThis as unknown as { mermaid: { initialize(o: object): void; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
          m.initialize({ startOnLoad: false, securityLevel: 'strict' });
          const { svg } = await m.render(`g${Math.random().toString(36).slice(2)}`, text);
          const host = document.createElement('div');
          host.innerHTML = svg;
          return { nodes: host.querySelectorAll('g.node').length, edges: host.querySelectorAll('.edgePaths path, path.flowchart-link').length, text: host.textContent ?? '', images: host.querySelectorAll('img').length };
        }, r.stdout);
        assert.equal(drawn.nodes, json.nodes.length, `${args[0]}: a node per definition`);
        assert.equal(drawn.edges, json.edges.length, `${args[0]}: an edge per link`);
        for (const n of json.nodes) assert.ok(drawn.text.includes(n.id), `${n.id} is drawn`);
        if (cwd === hostile) {
          assert.ok(drawn.text.includes('"quoted" <b>bold</b> & #1'), `the title as written: ${drawn.text}`);
          assert.ok(drawn.text.includes('<img src=x onerror=alert(1)>'), 'markup stays text');
          assert.equal(drawn.images, 0, 'no element made from a title');
        }
      }
    } finally {
      await browser.close();
    }
  });
});
