import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { marked } from 'marked';
import { REPO, runCli, tempWorkspace } from '../helpers/runCli';

/**
 * `kpispec diff --format markdown` is meant for a pull-request comment: render it as GitHub does
 * (marked, GitHub-flavoured) and check the HTML, not the markdown text: a real table with one row
 * per KPI, folded details, ids as inline code, nothing left unrendered, user text escaped.
 */

const render = (md: string) => marked.parse(md, { gfm: true, async: false }) as string;

interface Table {
  head: string[];
  rows: string[][];
}

function tables(html: string): Table[] {
  const cells = (tr: string) => [...tr.matchAll(/<t[hd](?: [^>]*)?>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1]!.trim());
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((t) => {
    const head = /<thead>([\s\S]*?)<\/thead>/.exec(t[1]!)?.[1] ?? '';
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(t[1]!)?.[1] ?? '';
    return { head: cells(head), rows: [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => cells(r[1]!)) };
  });
}

const HEADER = ['KPI', 'What changed', 'Before', 'After', 'Status'];

function diffMarkdown(before: string, after: string, cwd = REPO): string {
  const r = runCli(['diff', before, after, '--format', 'markdown'], cwd);
  assert.equal(r.status, 0, `exit ${r.status}; stderr: ${r.stderr}`);
  return r.stdout;
}

/** A small spec; `kpi` replaces the KPI's lines, `currency` the default currency. */
function spec(kpi: string, currency = 'CNY'): string {
  return [
    'kpispec: 1',
    'name: Shop',
    `defaults: { grain: month, currency: ${currency}, timezone: UTC }`,
    'sources:',
    '  web:',
    '    time: date',
    '    rows:',
    '      - { date: 2026-01-05, sessions: 100, orders: 3, revenue: 300 }',
    'metrics:',
    '  sessions: { source: web, agg: sum, column: sessions }',
    '  orders: { source: web, agg: sum, column: orders }',
    '  revenue: { source: web, agg: sum, column: revenue, unit: currency }',
    'kpis:',
    kpi,
    '',
  ].join('\n');
}

const CR = (title: string, description = 'Orders per session.') =>
  `  cr:\n    title: ${JSON.stringify(title)}\n    description: ${JSON.stringify(description)}\n    formula: orders / sessions\n    format: percent\n    target: 2.5%`;
const AOV = '  aov: { formula: revenue / orders, format: currency, target: 80 }';

describe('kpispec diff markdown renders', () => {
  before(function () {
    this.timeout(120_000);
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`node esbuild.mjs failed:\n${r.stderr}${r.stdout}`);
  });

  describe('fixture test/fixtures/diff/affected', () => {
    const dir = 'test/fixtures/diff/affected';
    let md: string;
    let html: string;
    let kpiIds: string[];
    before(() => {
      md = diffMarkdown(`${dir}/before`, `${dir}/after`);
      html = render(md);
      const json = runCli(['diff', `${dir}/before`, `${dir}/after`, '--format', 'json']);
      assert.equal(json.status, 0, json.stderr);
      kpiIds = (JSON.parse(json.stdout) as { entries: { kind: string; id: string }[] }).entries.filter((e) => e.kind === 'kpi').map((e) => e.id);
    });

    it('renders one table with the header row KPI, What changed, Before, After, Status', () => {
      const t = tables(html);
      assert.equal(t.length, 1, html);
      assert.deepEqual(t[0]!.head, HEADER);
    });

    it('has one <tr> per changed KPI, in order, with the right cells', () => {
      const rows = tables(html)[0]!.rows;
      assert.equal(rows.length, kpiIds.length);
      assert.deepEqual(rows.map((r) => r[0]), kpiIds.map((id) => `<code>${id}</code>`));
      assert.deepEqual(rows, [
        ['<code>aov</code>', 'via orders (where changed)', '¥102.00', '¥127.50', 'met'],
        ['<code>conversion_rate</code>', 'via orders (where changed)', '2.50%', '2.00%', 'met → missed'],
      ]);
      // Before and After are right-aligned numbers.
      assert.match(html, /<th align="right">Before<\/th>/);
      assert.match(html, /<th align="right">After<\/th>/);
    });

    it('folds details in <details> with a <summary>, ids as inline code', () => {
      const details = [...html.matchAll(/<details><summary>([^<]*)<\/summary>([\s\S]*?)<\/details>/g)];
      assert.deepEqual(details.map((d) => d[1]), ['What moves the numbers (1)', 'KPIs (2)', 'Metrics (1)', 'Lineage of the changed KPIs']);
      // The lineage is a Mermaid code block, which GitHub and GitLab draw: the metric feeding both KPIs.
      assert.match(details[0]![2]!, /<li><code>conversion_rate<\/code><ul>\s*<li>the edit moves most: channel <code>social<\/code> 1\.25% → 0\.00% \(−1\.3 pp\); 1 other group unchanged<\/li>/);
      assert.match(details[3]![2]!, /<pre><code class="language-mermaid">flowchart LR\n[\s\S]*n\d\[&quot;orders&quot;\][\s\S]*<\/code><\/pre>/);
      assert.match(details[1]![2]!, /<li>KPI <code>aov<\/code> affected: aov ← orders \(where changed\) \(<code>shop\.kpi\.yaml<\/code>\)<\/li>/);
      assert.match(details[2]![2]!, /<li>metric <code>orders<\/code> changed \(<code>shop\.kpi\.yaml<\/code>\)<ul>\s*<li>where: \(none\) → <code>channel == &quot;email&quot;<\/code><\/li>/);
    });

    it('renders the summary and breaking changes: bold as <strong>, a list', () => {
      assert.match(html, /^<p><strong>kpispec diff<\/strong>: 1 changed, 2 affected/);
      assert.match(html, /<p><strong>Breaking changes<\/strong><\/p>\s*<ul>\s*<li><code>conversion_rate<\/code> goes from met to missed/);
    });

    it('leaves no raw markdown in the HTML (no | or **)', () => {
      assert.ok(md.includes('|') && md.includes('**'));
      assert.ok(!html.includes('|'), html);
      assert.ok(!html.includes('**'), html);
      assert.ok(!/\bsummary&gt;|&lt;details/.test(html), 'the <details> HTML is escaped instead of passed through');
    });
  });

  describe('escaping user text', () => {
    it('a title with HTML, | and ** stays inline code and leaves the table whole', () => {
      const ws = tempWorkspace({
        'before/shop.kpi.yaml': spec(CR('Conversion rate')),
        'after/shop.kpi.yaml': spec(CR('<img src=x onerror=alert(1)> a | b ** c')),
      });
      const html = render(diffMarkdown('before', 'after', ws));
      assert.ok(!html.includes('<img'), html);
      const t = tables(html);
      assert.equal(t.length, 1);
      assert.deepEqual(t[0]!.head, HEADER);
      assert.deepEqual(t[0]!.rows, [['<code>cr</code>', 'title', '3.00%', '3.00%', 'met']]);
      assert.ok(html.includes('<li>title: <code>Conversion rate</code> → <code>&lt;img src=x onerror=alert(1)&gt; a | b ** c</code></li>'), html);
    });

    it('a | in a value cell (a currency code) is escaped and keeps five cells', () => {
      // An invalid currency code still parses, and reaches the Before/After cells as text.
      const ws = tempWorkspace({
        'before/shop.kpi.yaml': spec(AOV, '"A|B"'),
        'after/shop.kpi.yaml': spec(AOV.replace('target: 80', 'target: 90'), '"A|B"'),
      });
      const md = diffMarkdown('before', 'after', ws);
      assert.ok(md.includes('A\\|B 100.00'), md);
      const t = tables(render(md));
      assert.equal(t.length, 1);
      assert.deepEqual(t[0]!.rows, [['<code>aov</code>', 'target', 'A|B 100.00', 'A|B 100.00', 'met']]);
    });

    // Known bug (pending until fixed): markdown.ts `cell()` escapes `\`, `|` and newlines but not
    // HTML, and the Before/After value text embeds the spec's currency code verbatim when it has no
    // symbol, so `currency: "<img src=x onerror=alert(1)>"` (schema-invalid, but it parses) puts a
    // raw <img> tag into the PR comment.
    it('HTML in a value cell (a currency code) is escaped, not passed through', () => {
      const cur = '"<img src=x onerror=alert(1)>"';
      const ws = tempWorkspace({
        'before/shop.kpi.yaml': spec(AOV, cur),
        'after/shop.kpi.yaml': spec(AOV.replace('target: 80', 'target: 90'), cur),
      });
      const html = render(diffMarkdown('before', 'after', ws));
      assert.ok(!html.includes('<img'), html);
      assert.equal(tables(html)[0]!.rows[0]!.length, 5);
    });

    // Known bug (pending until fixed): markdown.ts `code()` wraps text containing a backtick in
    // double backticks, which a run of two backticks inside the text closes early.
    it('a value with a run of backticks renders as one inline code span', () => {
      const ws = tempWorkspace({
        'before/shop.kpi.yaml': spec(CR('Conversion rate', 'plain')),
        'after/shop.kpi.yaml': spec(CR('Conversion rate', 'use ``orders`` here')),
      });
      const html = render(diffMarkdown('before', 'after', ws));
      assert.ok(html.includes('<li>description: <code>plain</code> → <code>use ``orders`` here</code></li>'), html);
    });
  });
});
