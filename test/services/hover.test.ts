import * as assert from 'node:assert/strict';
import { hover } from '../../server/src/services/hover';
import { evalText } from '../engine/evalText';
import { atCaret, DATA, shop, slice, SHOP } from './completionFixture';

function hoverAt(main: string, files: Record<string, string> = DATA, withResults = false) {
  const { snap, offset } = atCaret(main, files);
  const results = withResults ? evalText(snap.text, files) : undefined;
  const h = hover(snap, offset, results);
  return { h, text: snap.text, md: h?.markdown ?? '' };
}

describe('hover: KPIs', () => {
  it('on a KPI id: title, formula, dependencies one level deep, unit, direction, target', () => {
    const { h, md, text } = hoverAt(shop('  bounce_rate:', '  bounce^_rate:'));
    assert.ok(h);
    assert.equal(slice(text, h.span), 'bounce_rate');
    assert.match(md, /^\*\*KPI\*\* `bounce_rate` · 跳出率 \\\(bounce rate\\\)/);
    assert.match(md, /```text\nbounces \/ sessions\n```/);
    assert.match(md, /- `bounces`: metric · `count · web·sum·bounces`/);
    assert.match(md, /- `sessions`: metric · `count · web·sum·sessions`/);
    assert.match(md, /Unit: `ratio` · format: percent · direction: down \(lower is better\)/);
    assert.match(md, /Target: `≤ 40\.00%`/);
    assert.doesNotMatch(md, /Latest/);
  });

  it('with results: the latest value formatted, its period, status and change', () => {
    const { md } = hoverAt(shop('  bounce_rate:', '  ^bounce_rate:'), DATA, true);
    // The data ends on 2026-02-04: February is partial, compared with January 1 … 4.
    assert.match(md, /\*\*Latest \(`2026-02`, data through 2026-02-04\): `25\.00%`\*\* · met · −5\.0 pp vs the same days of the previous period/);
    const aov = hoverAt(shop('  aov:', '  aov^:'), DATA, true).md;
    assert.match(aov, /\*\*Latest \(`2026-02`, data through 2026-02-04\): `¥80\.00`\*\* · no target · −20\.4% vs the same days of the previous period/);
    assert.match(aov, /Unit: `CNY per count`/);
  });

  it('on a KPI reference in another KPI\'s formula and in a goal', () => {
    const inFormula = hoverAt(shop('  aov: { formula: revenue / order_count, format: currency }', '  aov: { formula: revenue / order_count, format: currency }\n  x: { formula: aov^ * 2 }'));
    assert.equal(slice(inFormula.text, inFormula.h!.span), 'aov');
    assert.match(inFormula.md, /^\*\*KPI\*\* `aov`/);
    assert.match(inFormula.md, /- `revenue`: metric · `CNY · orders·sum·amount`/);
    const inGoal = hoverAt(shop('    kpis: { bounce_rate: {} }', '    kpis: { bounce_^rate: {} }'));
    assert.match(inGoal.md, /^\*\*KPI\*\* `bounce_rate`/);
  });

  it('on a KPI of an imported file: its formula resolved in its own file, and where it is defined', () => {
    const r = hoverAt(shop('  aov: { formula: revenue / order_count, format: currency }', '  aov: { formula: revenue / order_count, format: currency }\n  y: { formula: c^pc }'));
    assert.match(r.md, /^\*\*KPI\*\* `cpc` · Cost per click/);
    assert.match(r.md, /- `ad_spend`: metric · `USD · ads·sum·cost`/);
    assert.match(r.md, /Unit: `USD per count`/);
    assert.match(r.md, /Defined in `shared\.kpi\.yaml`/);
  });

  it('expands KPIs used in a formula with their own formula and unit; names not defined say so', () => {
    const r = hoverAt(shop('  aov: { formula: revenue / order_count, format: currency }', '  aov: { formula: revenue / order_count, format: currency }\n  z^: { formula: aov + nothing }'));
    assert.match(r.md, /- `aov`: KPI · `CNY per count · revenue \/ order_count`/);
    assert.match(r.md, /- `nothing`: not defined/);
  });

  it('formats dated targets with their periods', () => {
    const r = hoverAt(shop('    target: { max: 40% }', '    target: [ { from: 2026-01, value: 45% }, { from: 2026-Q2, max: 40% } ]\n    warn: 50%').replace('  bounce_rate:', '  bounce_rate^:'));
    assert.match(r.md, /Target: from `2026-01` `≤ 45\.00%`, from `2026-Q2` `≤ 40\.00%` · warn: `≤ 50\.00%`/);
  });

  it('escapes spec text so it renders as text', () => {
    const r = hoverAt(shop('    title: 跳出率 (bounce rate)', '    title: "*bold* <img src=x> [link](http://x) `tick`"').replace('  bounce_rate:', '  bounce_rate^:'));
    assert.match(r.md, /\\\*bold\\\* \\<img src=x\\> \\\[link\\\]\\\(http:\/\/x\\\) \\`tick\\`/);
    assert.doesNotMatch(r.md, /[^\\]<img/);
  });
});

describe('hover: metrics, sources, goals', () => {
  it('on a metric: source, aggregate, column, where, unit', () => {
    const r = hoverAt(shop('    formula: bounces / sessions', '    formula: bounces / sessions^'));
    assert.match(r.md, /^\*\*metric\*\* `sessions`/);
    assert.match(r.md, /- Source: `web` \(`data\/web\.csv`\)/);
    assert.match(r.md, /- Aggregate: `sum` of `sessions`/);
    assert.match(r.md, /- Unit: `count`/);
    const w = hoverAt(shop('  order_count: { source: orders, agg: count }', "  order^_count: { source: orders, agg: count, where: 'channel == \"email\"' }"));
    assert.match(w.md, /- Where: `channel == "email"`/);
  });

  it('on a metric with results: the value of a KPI that is just that metric', () => {
    const r = hoverAt(shop('  aov: {', '  all_sessions: { formula: sessions }\n  aov: {').replace('  sessions: {', '  sess^ions: {'), DATA, true);
    assert.match(r.md, /\*\*Latest \(`2026-02`, data through 2026-02-04\): `20`\*\* · no target .*\(as KPI `all_sessions`\)/);
  });

  it('on a source id and on a metric\'s `source:`: file, time, dimensions, columns with types, rows when known', () => {
    const r = hoverAt(shop('  sessions: { source: web,', '  sessions: { source: w^eb,'), DATA, true);
    assert.match(r.md, /^\*\*source\*\* `web`/);
    assert.match(r.md, /- File: `data\/web\.csv` \(CSV\)/);
    assert.match(r.md, /- Time column: `date`/);
    assert.match(r.md, /- Dimensions: `channel`, `device`/);
    assert.match(r.md, /- Columns \(7\): `date` date, `channel` text, `device` text, `sessions` number, `bounces` number, `order date` date, `seconds` number/);
    assert.match(r.md, /- Rows: 2, `2026-01-01` to `2026-02-01`/);
  });

  it('on a source with results: the rows no KPI counts, by reason, as eval and the preview say', () => {
    const data = { ...DATA, 'data/web.csv': `${DATA['data/web.csv']!.trimEnd()}\n,email,mobile,5,1,,9\n` };
    const r = hoverAt(shop('  sessions: { source: web,', '  sessions: { source: w^eb,'), data, true);
    assert.match(r.md, /- Rows: 3, 1 left out \(1 with an empty `date`\), `2026-01-01` to `2026-02-01`/);
  });

  it('on an imported source', () => {
    const r = hoverAt(shop('  order_count: { source: orders, agg: count }', '  order_count: { source: a^ds, agg: count }'));
    assert.match(r.md, /^\*\*source\*\* `ads`/);
    assert.match(r.md, /Defined in `shared\.kpi\.yaml`/);
  });

  it('on a goal id: horizon and dates, key results; with results, attainment, track and each key result\'s progress and pace', () => {
    const goal = '  gr^ow:\n    horizon: short\n    start: 2026-01\n    due: 2026-06\n    kpis: { bounce_rate: {}, aov: { weight: 2 } }';
    const plain = hoverAt(shop('  grow:\n    kpis: { bounce_rate: {} }', goal)).md;
    assert.match(plain, /^\*\*goal\*\* `grow`/);
    assert.match(plain, /Horizon: short · from `2026-01` · due `2026-06`/);
    assert.match(plain, /Key results: `bounce_rate`, `aov` ×2/);
    // bounce_rate (≤ 40%): 30% in 2026-01 (the start: already met), 25% in 2026-02 → score 1.
    // aov has no target: not graded, so attainment is bounce_rate's 100%, and 1 of 1 with a
    // target is met. Two months are too few for a trend: 25% is held to 2026-06 → on track.
    const r = hoverAt(shop('  grow:\n    kpis: { bounce_rate: {} }', goal), DATA, true).md;
    assert.match(r, /\*\*Attainment: 100%\*\* · 100% met · ✔ on track for `2026-06-30`/);
    assert.match(r, /\| `bounce_rate` \| ✔ met \| 100% \| 25\\\.00% in 2026\\-02, from 30\\\.00% in 2026\\-01, toward ≤ 40\\\.00% \| projected 25\\\.00% by trend → on track /);
    assert.match(r, /\| `aov` ×2 \| · no target \| — \| .*: the KPI has no target \|/);
  });
});

describe('hover: functions, columns, keys, paths', () => {
  it('on a function: signature and documentation', () => {
    const r = hoverAt(shop('    formula: bounces / sessions', '    formula: grow^th(sessions)'));
    assert.equal(slice(r.text, r.h!.span), 'growth');
    assert.match(r.md, /```text\ngrowth\(x\)\n```/);
    assert.match(r.md, /Change against the previous period/);
    assert.match(r.md, /Works across periods/);
    assert.equal(hoverAt(shop('    formula: bounces / sessions', '    formula: grwth^(sessions)')).h, undefined);
  });

  it('on a column in `where`: its source and inferred type (CJK names too)', () => {
    const r = hoverAt(shop('  order_count: { source: orders, agg: count }', "  order_count: { source: orders, agg: count, where: 'amount > 0 and 渠^道 == \"邮件\"' }"));
    assert.equal(slice(r.text, r.h!.span), '渠道');
    assert.match(r.md, /^\*\*column\*\* `渠道`/);
    assert.match(r.md, /- source `orders` \(`data\/orders\.csv`\): text/);
    const amount = hoverAt(shop('  order_count: { source: orders, agg: count }', "  order_count: { source: orders, agg: count, where: 'amount^ > 0' }"));
    assert.match(amount.md, /: number$/m);
  });

  it('on `column:`, a pinned type wins; a missing column says so', () => {
    const pinned = hoverAt(shop('  orders: { file: data/orders.csv, time: ordered_at, dimensions: [channel] }', '  orders: { file: data/orders.csv, time: ordered_at, dimensions: [channel], columns: { customer_id: number } }')
      .replace('column: amount', 'column: customer_id^'));
    assert.match(pinned.md, /: number \(pinned\)/);
    const missing = hoverAt(shop('column: amount', 'column: amountt^'));
    assert.match(missing.md, /not in the data/);
  });

  it('on a `by:` entry: a dimension of the KPI\'s sources', () => {
    const r = hoverAt(shop('    target: { max: 40% }', '    target: { max: 40% }\n    by: [dev^ice]'));
    assert.match(r.md, /^\*\*dimension\*\* `device`/);
    assert.match(r.md, /- source `web` \(`data\/web\.csv`\): text/);
  });

  it('on a schema key: title, description and allowed values', () => {
    const r = hoverAt(shop('    direction: down', '    dire^ction: down'));
    assert.equal(slice(r.text, r.h!.span), 'direction');
    assert.match(r.md, /^\*\*`direction`\*\* · Direction/);
    assert.match(r.md, /Which way is better/);
    assert.match(r.md, /Allowed: `up`, `down` \(default `up`\)/);
    const section = hoverAt(SHOP.replace('metrics:', 'metr^ics:'));
    assert.match(section.md, /Metrics/);
    const agg = hoverAt(shop('agg: count }', 'ag^g: count }'));
    assert.match(agg.md, /`count_distinct`/);
  });

  it('on an import path: the imported spec\'s name and counts', () => {
    const r = hoverAt(SHOP.replace('imports: [shared.kpi.yaml]', 'imports: [shared^.kpi.yaml]'));
    assert.match(r.md, /\*\*spec file\*\* `shared\.kpi\.yaml` · Shared ads/);
    assert.match(r.md, /1 source · 2 metrics · 1 KPI · 0 goals/);
  });

  it('on a data file path: the source it belongs to', () => {
    const r = hoverAt(shop('{ file: data/web.csv,', '{ file: data/we^b.csv,'));
    assert.match(r.md, /^\*\*source\*\* `web`/);
  });

  it('nothing on values that are no names, blank space or comments', () => {
    assert.equal(hoverAt(shop('    format: percent', '    format: perc^ent')).h, undefined);
    assert.equal(hoverAt(shop('    formula: bounces / sessions', '    formula: bounces /^ sessions')).h, undefined);
    assert.equal(hoverAt(SHOP + '# a comm^ent\n').h, undefined);
  });

  it('works at both ends of a word', () => {
    const start = hoverAt(shop('    formula: bounces / sessions', '    formula: ^bounces / sessions'));
    assert.match(start.md, /`bounces`/);
    const end = hoverAt(shop('    formula: bounces / sessions', '    formula: bounces / sessions^'));
    assert.match(end.md, /`sessions`/);
  });
});

describe('hover: deep and circular definitions', () => {
  it('infers a KPI at the end of a long chain written in reverse order without deep recursion', () => {
    const N = 3000;
    const lines = ['kpispec: 1', 'sources:', '  web: { file: data/web.csv, time: date }', 'metrics:', '  m: { source: web, agg: sum, column: sessions }', 'kpis:'];
    lines.push(`  k^0: { formula: k1 + 1 }`);
    for (let i = 1; i < N; i++) lines.push(`  k${i}: { formula: k${i + 1} + 1 }`);
    lines.push(`  k${N}: { formula: m }`);
    const r = hoverAt(lines.join('\n') + '\n', { 'data/web.csv': 'date,sessions\n2026-01-01,1\n' });
    assert.match(r.md, /- `k1`: KPI · `count · k2 \+ 1`/);
    assert.match(r.md, /Unit: `count`/);
  });

  it('shows KPIs in a cycle with an unknown unit and does not hang', () => {
    const r = hoverAt(shop('  aov: { formula: revenue / order_count, format: currency }', '  a^ov: { formula: loop + 1 }\n  loop: { formula: aov * 2 }'));
    assert.match(r.md, /- `loop`: KPI · `aov \* 2`/);
    assert.match(r.md, /Unit: unknown/);
  });
});
