import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import type { Problem } from '../../server/src/language/problem';
import { RULES } from '../../server/src/language/rules';
import { Workspace } from '../../server/src/language/workspace';
import { codeActions, fixAllInFile } from '../../server/src/services/codeActions';
import { DATA_FIXES, FIXERS, NO_QUICK_FIX } from '../../server/src/services/fixes/index';
import type { CodeAction } from '../../server/src/services/types';
import { MemoryHost, ROOT } from '../helpers/memoryHost';
import { SHOP, SPEC, WEB } from './fixesSpec';
import { applyTo, fixture } from './referencesFixture';

const A = 'a.kpi.yaml';

const files = (spec: string, extra: Record<string, string> = {}) => ({ [A]: spec, 'web.csv': WEB, 'shop.csv': SHOP, ...extra });

function problemsIn(all: Record<string, string>, name = A): Problem[] {
  const ws = new Workspace(new MemoryHost(all), ROOT);
  return checkFiles(ws, [path.resolve(ROOT, name)])[0]!.problems;
}

const rules = (problems: Problem[]) => problems.map((p) => p.rule);

interface Scenario {
  actions: CodeAction[];
  titles: string[];
  problem: Problem;
  /** Applies the one action with this title and checks again: the new text of `name` and its problems. */
  apply(title: string | RegExp, name?: string): { text: string; problems: Problem[]; texts: Record<string, string> };
}

/** Checks the files, takes the problem of `rule` (at the caret if there is one), asks for the actions on its span (or at the caret). */
function scenario(all: Record<string, string>, rule: string, name = A): Scenario {
  const fx = fixture(all);
  const clean: Record<string, string> = {};
  for (const [file, content] of fx.host.files) clean[path.relative(ROOT, file)] = String(content);
  const problems = problemsIn(clean, name);
  const carets = fx.carets(name);
  const problem = problems.find((p) => p.rule === rule && (!carets.length || (carets[0]! >= p.span.offset && carets[0]! <= p.span.offset + p.span.length)));
  assert.ok(problem, `no ${rule} in ${rules(problems).join(', ')}`);
  const actions = codeActions(fx.snap(name), problems, carets.length ? { offset: carets[0]!, length: 0 } : problem.span);
  return {
    actions,
    titles: actions.map((a) => a.title),
    problem,
    apply(title, checked = name) {
      const chosen = actions.filter((a) => (typeof title === 'string' ? a.title === title : title.test(a.title)));
      assert.equal(chosen.length, 1, `actions: ${actions.map((a) => a.title).join(' | ')}`);
      const texts = { ...clean };
      for (const [rel, text] of Object.entries(clean)) {
        if (/\.kpi\.ya?ml$/.test(rel)) texts[rel] = applyTo(text, fx.abs(rel), chosen[0]!.edits);
      }
      return { text: texts[checked]!, problems: problemsIn(texts, checked), texts };
    },
  };
}

const fixTitles = (s: Scenario) => s.titles.filter((t) => !t.startsWith('Disable '));

describe('services: quick fixes — every rule is accounted for', () => {
  it('has fixes for a rule, or says why it has none; never both', () => {
    const withFixes = new Set([...Object.keys(FIXERS), ...DATA_FIXES]);
    for (const id of RULES.keys()) {
      assert.ok(withFixes.has(id) !== (id in NO_QUICK_FIX), `${id}: ${withFixes.has(id) ? 'has fixes and a reason for none' : 'neither fixes nor a reason'}`);
    }
    for (const id of [...withFixes, ...Object.keys(NO_QUICK_FIX)]) assert.ok(RULES.has(id), `${id} is not a rule`);
  });

  it('docs/rules.md gives each rule a quick-fix line that agrees', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
    const sections = doc.split(/^## /m).slice(1);
    const seen = new Set<string>();
    for (const section of sections) {
      const id = /^`([a-z-]+)`/.exec(section)?.[1];
      if (!id || !RULES.has(id)) continue;
      seen.add(id);
      const line = /^\*\*Quick fix(?:es)?:\*\* (.*)$/m.exec(section)?.[1];
      assert.ok(line, `rules.md: \`${id}\` has no **Quick fix:** line`);
      assert.equal(line.startsWith('none'), id in NO_QUICK_FIX, `rules.md: \`${id}\`: ${line}`);
    }
    assert.deepEqual([...RULES.keys()].filter((id) => !seen.has(id)), []);
    const table = /\| rule \| quick fixes \| fix all \|\n\|[-| ]+\|\n((?:\|.*\|\n)+)/.exec(doc)?.[1] ?? '';
    const listed = new Set([...table.matchAll(/^\| \[`([a-z-]+)`\]/gm)].map((m) => m[1]));
    assert.deepEqual([...RULES.keys()].filter((id) => !(id in NO_QUICK_FIX) && !listed.has(id)), [], 'the quick-fix table lists every rule with fixes');
  });
});

describe('services: quick fixes — unit-mismatch', () => {
  it('offers the ratio for a sum of money and a count, money on top, and the other operand of the matching unit', () => {
    const spec = SPEC.replace('revenue - cost', 'orders + revenue');
    const s = scenario(files(spec), 'unit-mismatch');
    assert.deepEqual(s.problem.data, { left: 'count', right: 'CNY' });
    assert.deepEqual(fixTitles(s), [
      'Change to `revenue / orders` (a ratio: CNY per count)',
      'Change `revenue` to `sessions` (count)',
      'Change `revenue` to `bounces` (count)',
    ]);
    assert.ok(!s.actions.some((a) => a.preferred), 'what was meant is the author\'s call: none preferred');
    const ratio = s.apply(/^Change to `revenue \/ orders`/);
    assert.ok(ratio.text.includes('margin: { formula: revenue / orders, format: currency }'));
    assert.deepEqual(rules(ratio.problems), ['unused-metric']); // `cost` is no longer used
  });

  it('replaces the right operand of `revenue - sessions` with a money metric in scope (cost)', () => {
    const spec = SPEC.replace('revenue - cost', 'revenue - sessions');
    const s = scenario(files(spec), 'unit-mismatch');
    assert.deepEqual(fixTitles(s), ['Change to `revenue / sessions` (a ratio: CNY per count)', 'Change `sessions` to `cost` (CNY)']);
    const out = s.apply('Change `sessions` to `cost` (CNY)');
    assert.equal(out.text, SPEC);
    assert.deepEqual(rules(out.problems), []);
  });

  it('keeps operands whole: parentheses around a sum, none added twice', () => {
    const spec = SPEC.replace('revenue - cost', '(revenue + cost) - orders');
    const s = scenario(files(spec), 'unit-mismatch');
    const out = s.apply(/^Change to `\(revenue \+ cost\) \/ orders`/);
    assert.ok(out.text.includes('formula: (revenue + cost) / orders,'), out.text);
    assert.deepEqual(rules(out.problems), []);
    const right = SPEC.replace('revenue - cost', 'revenue - orders * 2');
    const r = scenario(files(right), 'unit-mismatch').apply(/^Change to `revenue \/ \(orders \* 2\)`/);
    assert.deepEqual(rules(r.problems), ['unused-metric']); // `cost`
  });

  it('offers no ratio for a comparison nor for money in two currencies; rewrites the differing argument of a call', () => {
    const cmp = scenario(files(SPEC.replace("margin: { formula: revenue - cost, format: currency }", "margin: { formula: 'if(revenue > orders, 1, 0)' }")), 'unit-mismatch');
    assert.deepEqual(fixTitles(cmp), ['Change `orders` to `cost` (CNY)']);
    assert.deepEqual(rules(cmp.apply('Change `orders` to `cost` (CNY)').problems), []);
    const usd = SPEC.replace('  cost: { source: shop, agg: sum, column: cost, unit: currency }', '  cost: { source: shop, agg: sum, column: cost, currency: USD }');
    assert.deepEqual(fixTitles(scenario(files(usd), 'unit-mismatch')), []);
    const call = scenario(files(SPEC.replace("margin: { formula: revenue - cost, format: currency }", "margin: { formula: 'max(revenue, orders)', format: currency }")), 'unit-mismatch');
    assert.deepEqual(call.problem.data, { left: 'CNY', right: 'count', arg: 1 });
    const out = call.apply('Change `orders` to `cost` (CNY)');
    assert.ok(out.text.includes("'max(revenue, cost)'"));
    assert.deepEqual(rules(out.problems), []);
  });
});

describe('services: quick fixes — targets', () => {
  /** `bounce_rate` in block style, with more lines (each ending in a newline). */
  const kpi = (extra: string) => SPEC.replace('  bounce_rate: { formula: bounces / sessions, format: percent }\n', `  bounce_rate:\n    formula: bounces / sessions\n    format: percent\n${extra}`);

  it('target-direction: flips the bound, or sets the direction the bound asks for', () => {
    const spec = kpi('    target: { max: 40% }\n');
    const s = scenario(files(spec), 'target-direction');
    assert.deepEqual(fixTitles(s), ['Change `max` to `min`', 'Set `direction: down` (lower is better)']);
    const flip = s.apply('Change `max` to `min`');
    assert.ok(flip.text.includes('target: { min: 40% }'));
    assert.deepEqual(rules(flip.problems), []);
    const dir = s.apply(/^Set `direction: down`/);
    assert.ok(dir.text.includes('    target: { max: 40% }\n    direction: down\n  conversion:'), dir.text);
    assert.deepEqual(rules(dir.problems), []);
  });

  it('target-direction: offers nothing that would trade it for a conflict', () => {
    // down, target max 45%; warn min 30%: as a max (30%) the warn band would be tighter than the target; going up contradicts the target
    const s = scenario(files(kpi('    direction: down\n    target: { max: 45% }\n    warn: { min: 30% }\n')), 'target-direction');
    assert.deepEqual(fixTitles(s), []);
  });

  it('target-conflict: swaps min and max, the target\'s and the warn band\'s bound; makes a lone warn band the target', () => {
    const minMax = scenario(files(kpi('    target: { min: 6%, max: 4% }\n')), 'target-conflict');
    const swapped = minMax.apply('Swap `min` and `max` (6% and 4%)');
    assert.ok(swapped.text.includes('target: { min: 4%, max: 6% }'));
    assert.deepEqual(rules(swapped.problems), []);

    const tighter = scenario(files(kpi('    direction: down\n    target: { max: 40% }\n    warn: { max: 35% }\n')), 'target-conflict');
    const both = tighter.apply(/^Swap the target's and the warn band's `max`/);
    assert.ok(both.text.includes('target: { max: 35% }\n    warn: { max: 40% }'), both.text);
    assert.deepEqual(rules(both.problems), []);

    const lone = scenario(files(kpi('    warn: { min: 1% }\n')), 'target-conflict');
    assert.deepEqual(fixTitles(lone), ['Make the `warn` band the `target`', 'Remove the `warn` band']);
    assert.deepEqual(rules(lone.apply('Make the `warn` band the `target`').problems), []);
    const removed = lone.apply('Remove the `warn` band');
    assert.equal(removed.text, kpi(''));
    assert.deepEqual(rules(removed.problems), []);
  });

  it('target-steps: sorts dated steps by `from` in place; not when a period repeats', () => {
    const spec = kpi('    target:\n      - { from: 2026-07, min: 4% }\n      # ramp-up\n      - { from: 2026-01, min: 3% }\n');
    const out = scenario(files(spec), 'target-steps').apply('Sort the target steps by `from`');
    assert.ok(out.text.includes('      - { from: 2026-01, min: 3% }\n      # ramp-up\n      - { from: 2026-07, min: 4% }\n'), out.text);
    assert.deepEqual(rules(out.problems), []);
    const repeated = kpi('    target:\n      - { from: 2026-07, min: 4% }\n      - { from: 2026-07, min: 3% }\n');
    assert.deepEqual(fixTitles(scenario(files(repeated), 'target-steps')), []);
  });
});

describe('services: quick fixes — shape', () => {
  it('missing-key: adds `agg` (sum over a numeric column, count_distinct over text, count without a column), a lone `source`', () => {
    const sum = scenario(files(SPEC.replace('sessions: { source: web, agg: sum, column: sessions }', 'sessions: { source: web, column: sessions }')), 'missing-key');
    const out = sum.apply('Add `agg: sum` (`sessions` is numeric)');
    assert.equal(out.text, SPEC.replace('sessions: { source: web, agg: sum, column: sessions }', 'sessions: { source: web, column: sessions, agg: sum }'));
    assert.deepEqual(rules(out.problems), []);
    const text = scenario(files(SPEC.replace("aov: { formula: revenue / orders, format: currency }", "aov: { formula: revenue / buyers, format: currency }").replace('metrics:\n', 'metrics:\n  buyers: { source: shop, column: order_id }\n')), 'missing-key');
    assert.deepEqual(rules(text.apply('Add `agg: count_distinct` (`order_id` is not numeric)').problems), []);
    const count = scenario(files(SPEC.replace('orders: { source: shop, agg: count }', 'orders:\n    source: shop')), 'missing-key');
    const c = count.apply('Add `agg: count` (count the rows)');
    assert.ok(c.text.includes('  orders:\n    source: shop\n    agg: count\n'), c.text);
    assert.deepEqual(rules(c.problems), []);
    const lone = 'kpispec: 1\nsources:\n  web: { file: web.csv, time: date }\nmetrics:\n  visits: { agg: sum, column: sessions }\nkpis:\n  k: { formula: visits }\n';
    assert.deepEqual(rules(scenario(files(lone), 'missing-key').apply('Add `source: web`').problems), []);
  });

  it('missing-key: adds the column named as the metric; offers nothing for a KPI without a formula', () => {
    const spec = SPEC.replace('cost: { source: shop, agg: sum, column: cost, unit: currency }', 'cost: { source: shop, agg: sum, unit: currency }');
    const out = scenario(files(spec), 'missing-key').apply('Add `column: cost`');
    assert.equal(out.text, SPEC.replace('cost: { source: shop, agg: sum, column: cost, unit: currency }', 'cost: { source: shop, agg: sum, unit: currency, column: cost }'));
    const noFormula = scenario(files(SPEC.replace('aov: { formula: revenue / orders, format: currency }', 'aov: { format: currency }')), 'missing-key');
    assert.deepEqual(fixTitles(noFormula), []);
  });

  it('unknown-key: removes the key, in flow and block style (respelling it is the preferred fix)', () => {
    const flow = scenario(files(SPEC.replace('format: percent }', 'format: percent, dashboard: marketing }')), 'unknown-key');
    const out = flow.apply('Remove `dashboard`');
    assert.equal(out.text, SPEC);
    const block = SPEC.replace('  bounce_rate: { formula: bounces / sessions, format: percent }', '  bounce_rate:\n    formula: bounces / sessions\n    dashboard: marketing\n    format: percent');
    const b = scenario(files(block), 'unknown-key').apply('Remove `dashboard`');
    assert.equal(b.text, block.replace('    dashboard: marketing\n', ''));
  });

  it('duplicate-key: removes the later key, or the earlier one; in a flow mapping with its comma', () => {
    const spec = SPEC.replace('format: percent }', 'format: percent, format: number }');
    const s = scenario(files(spec), 'duplicate-key');
    const later = s.apply('Remove this `format` (keep the one above, which is what is read now)');
    assert.equal(later.text, SPEC);
    const earlier = s.apply('Remove the `format` above (keep this one)');
    assert.ok(earlier.text.includes('bounce_rate: { formula: bounces / sessions, format: number }'));
    assert.deepEqual(rules(later.problems), []);
  });

  it('duplicate-id: renames to a free id, and "fix all" never gives two the same', () => {
    const spec = SPEC.replace('kpis:\n', 'kpis:\n  orders: { formula: orders * 1 }\n  cost: { formula: cost }\n').replace('goals', 'goals') + 'goals:\n  orders: { kpis: { conversion: {} } }\n';
    const s = scenario(files(spec.replace('  orders: { formula', '  ^orders: { formula')), 'duplicate-id');
    assert.deepEqual(fixTitles(s).slice(0, 1), ['Rename this KPI to `orders_2`']);
    const all = s.apply('Fix all duplicate-id problems in this file');
    assert.ok(all.text.includes('  orders_2: { formula: orders * 1 }\n  cost_2: { formula: cost }'), all.text);
    assert.ok(all.text.includes('  orders_3: { kpis: { conversion: {} } }'), all.text);
    assert.deepEqual(rules(all.problems), []);
  });

  it('invalid-id: renames to lower_snake_case with the references; not an id starting with a digit', () => {
    const spec = SPEC.replace('  web: {', '  WebSessions: {').replaceAll('source: web,', 'source: WebSessions,').replace('bounce_rate:', 'Bounce-Rate:');
    const s = scenario(files(spec.replace('  WebSessions: {', '  ^WebSessions: {')), 'invalid-id');
    const out = s.apply('Rename to `web_sessions` (and its references)');
    assert.equal(out.text, SPEC.replace('  web: {', '  web_sessions: {').replaceAll('source: web,', 'source: web_sessions,').replace('bounce_rate:', 'Bounce-Rate:'));
    assert.deepEqual(rules(out.problems), ['invalid-id']);
    const digit = scenario(files(SPEC.replace('aov:', '7_day_aov:')), 'invalid-id');
    assert.deepEqual(fixTitles(digit), []);
  });

  it('invalid-value: a currency in capitals, a percent without the space, one item as a list', () => {
    for (const [from, to, title] of [
      ['currency: CNY', 'currency: cny', 'Change to `CNY`'],
      ["dimensions: [channel] }\n  shop", "dimensions: channel }\n  shop", 'Make it a list: `[channel]`'],
    ] as const) {
      const out = scenario(files(SPEC.replace(from, to)), 'invalid-value').apply(title);
      assert.equal(out.text, SPEC);
    }
    const pct = SPEC.replace('format: percent }', 'format: percent, target: { min: 40 % } }');
    const out = scenario(files(pct), 'invalid-value').apply('Change to `40%`');
    assert.ok(out.text.includes('target: { min: 40% }'));
    assert.deepEqual(rules(out.problems), []);
  });

  it('unsupported-version: sets `kpispec: 1`, or adds it first (preferred)', () => {
    const two = scenario(files(SPEC.replace('kpispec: 1', 'kpispec: 2')), 'unsupported-version').apply('Set `kpispec: 1` (the version this checker reads)');
    assert.equal(two.text, SPEC);
    const none = scenario(files(SPEC.replace('kpispec: 1\n', '')), 'unsupported-version');
    assert.ok(none.actions[0]?.preferred);
    assert.equal(none.apply('Add `kpispec: 1`').text, SPEC);
  });
});

describe('services: quick fixes — references and formulas', () => {
  it('wrong-reference-kind: a metric as a source gets that metric\'s source', () => {
    const spec = SPEC.replace('bounces: { source: web,', 'bounces: { source: sessions,');
    const out = scenario(files(spec), 'wrong-reference-kind').apply('Change to `web` (the source of `sessions`)');
    assert.equal(out.text, SPEC);
  });

  it('wrong-reference-kind: a source in a formula gets a metric counting its rows', () => {
    const spec = SPEC.replace('orders / sessions', 'shop / sessions');
    const out = scenario(files(spec), 'wrong-reference-kind').apply('Count the rows of `shop` in a new metric `shop_count`');
    assert.ok(out.text.includes('  cost: { source: shop, agg: sum, column: cost, unit: currency }\n  shop_count: { source: shop, agg: count }\nkpis:'), out.text);
    assert.ok(out.text.includes('conversion: { formula: shop_count / sessions'));
    assert.deepEqual(rules(out.problems), []);
  });

  it('wrong-reference-kind: a metric among a goal\'s KPIs: the KPI that is just that metric (preferred), or a new one', () => {
    const spec = SPEC + 'goals:\n  grow: { kpis: { sessions: {} } }\n';
    const s = scenario(files(spec), 'wrong-reference-kind');
    assert.deepEqual(fixTitles(s), ['Create KPI `sessions_kpi` with `formula: sessions` and name it here']);
    const out = s.apply(/^Create KPI/);
    assert.ok(out.text.includes('  aov: { formula: revenue / orders, format: currency }\n  sessions_kpi: { formula: sessions }\ngoals:\n  grow: { kpis: { sessions_kpi: {} } }'), out.text);
    assert.deepEqual(rules(out.problems), []);
    const existing = scenario(files(spec.replace('kpis:\n', 'kpis:\n  traffic: { formula: sessions }\n')), 'wrong-reference-kind');
    assert.ok(existing.actions[0]!.preferred);
    assert.equal(existing.titles[0], 'Change to KPI `traffic` (`formula: sessions`)');
    assert.deepEqual(rules(existing.apply(existing.titles[0]!).problems), []);
  });

  it('formula-syntax: operators of other languages, written the kpispec way', () => {
    const where = SPEC.replace('orders: { source: shop, agg: count }', `orders: { source: shop, agg: count, where: 'channel = "email"&&amount > 1' }`);
    const eq = scenario(files(where), 'formula-syntax');
    assert.ok(eq.actions[0]!.preferred);
    const out = eq.apply('Fix all formula-syntax problems in this file');
    assert.ok(out.text.includes(`where: 'channel == "email" and amount > 1'`), out.text);
    assert.deepEqual(rules(out.problems), []);
  });
});

describe('services: quick fixes — sources and data', () => {
  it('breakdown-unavailable: declares the dimension where the data has the column, or drops it from `by`', () => {
    const spec = SPEC.replace('bounce_rate: { formula: bounces / sessions, format: percent }', 'bounce_rate: { formula: bounces / sessions, format: percent, by: [channel, device] }');
    const s = scenario(files(spec), 'breakdown-unavailable');
    assert.deepEqual(s.problem.data, { sources: 'web' });
    const declared = s.apply('Declare `device` in the `dimensions` of `web`');
    assert.ok(declared.text.includes('web: { file: web.csv, time: date, dimensions: [channel, device] }'));
    assert.deepEqual(rules(declared.problems), []);
    const dropped = s.apply('Remove `device` from `by`');
    assert.ok(dropped.text.includes('by: [channel] }'));
    assert.deepEqual(rules(dropped.problems), []);
    const none = scenario(files(spec.replace('[channel, device]', '[channel, region]')), 'breakdown-unavailable');
    assert.deepEqual(fixTitles(none), ['Remove `region` from `by`']);
  });

  it('breakdown-unavailable, fix all: every dimension of a source declared at once, by a KPI of either source', () => {
    const web = 'date,channel,device,region,sessions,bounces\n2026-01-01,email,mobile,north,10,3\n';
    const spec = SPEC.replace('bounce_rate: { formula: bounces / sessions, format: percent }', 'bounce_rate: { formula: bounces / sessions, format: percent, by: [device, region] }\n  traffic: { formula: sessions, by: [device] }');
    const out = scenario(files(spec, { 'web.csv': web }), 'breakdown-unavailable').apply('Fix all breakdown-unavailable problems in this file');
    assert.ok(out.text.includes('dimensions: [channel, device, region] }'), out.text);
    assert.deepEqual(rules(out.problems), []);
  });

  it('needs-time-column and mixed-time-sources: the time column, when the data has one column of dates', () => {
    const crm = 'signed_on,segment,customers\n2026-01-05,new,12\n2026-02-05,new,14\n';
    const spec = SPEC.replace('sources:\n', 'sources:\n  crm: { file: crm.csv }\n').replace('metrics:\n', 'metrics:\n  customers: { source: crm, agg: sum, column: customers }\n')
      .replace('kpis:\n', 'kpis:\n  growth_rate: { formula: growth(customers), format: percent }\n  per_session: { formula: customers / sessions }\n');
    const needs = scenario(files(spec, { 'crm.csv': crm }), 'needs-time-column');
    assert.deepEqual(needs.problem.data, { sources: 'crm' });
    const out = needs.apply('Add `time: signed_on` to `crm`');
    assert.ok(out.text.includes('crm: { file: crm.csv, time: signed_on }'));
    assert.deepEqual(rules(out.problems), []);
    const mixed = scenario(files(spec, { 'crm.csv': crm }), 'mixed-time-sources');
    assert.deepEqual(rules(mixed.apply('Add `time: signed_on` to `crm`').problems), []);
    const noDates = scenario(files(spec, { 'crm.csv': 'segment,customers\nnew,12\n' }), 'mixed-time-sources');
    assert.deepEqual(fixTitles(noDates), []);
  });

  it('lookup-without-key declares the key on the target (no longer replaces the source name); lookup-key-mismatch maps `on` to the key', () => {
    const tiers = 'kpispec: 1\nsources:\n  tiers: { rows: [{ channel: email, tier: a }, { channel: ads, tier: b }] }\n  shop: { file: shop.csv, time: ordered_at, lookups: { t: { source: tiers, on: channel } } }\nmetrics:\n  orders: { source: shop, agg: count, where: \'t.tier == "a"\' }\nkpis:\n  k: { formula: orders }\n';
    const s = scenario(files(tiers), 'lookup-without-key');
    assert.deepEqual(fixTitles(s), ['Declare `key: channel` on source `tiers`']);
    const out = s.apply('Declare `key: channel` on source `tiers`');
    assert.ok(out.text.includes("tier: b }], key: channel }"), out.text);
    assert.deepEqual(rules(out.problems), []);
    const keyed = tiers.replace('tier: b }] }', 'tier: b }], key: ch }').replaceAll('{ channel:', '{ ch:');
    const m = scenario(files(keyed), 'lookup-key-mismatch').apply('Map to the key: `on: { channel: ch }`');
    assert.ok(m.text.includes('on: { channel: ch } }'), m.text);
    assert.deepEqual(rules(m.problems), []);
  });

  it('column-type: a number written as text in `where`, a distinct count over text', () => {
    const where = SPEC.replace('orders: { source: shop, agg: count }', `orders: { source: shop, agg: count, where: 'amount > "10"' }`);
    const w = scenario(files(where), 'column-type').apply('Change `"10"` to `10`');
    assert.ok(w.text.includes(`where: 'amount > 10'`));
    assert.deepEqual(rules(w.problems), []);
    const agg = scenario(files(SPEC.replace('orders: { source: shop, agg: count }', 'orders: { source: shop, agg: sum, column: order_id }')), 'column-type');
    assert.deepEqual(rules(agg.apply(/^Change to `agg: count_distinct`/).problems), []);
  });

  it('ambiguous-column: one action per header name that names one column', () => {
    const csv = 'date,Sessions,sessions,bounces\n2026-01-01,1,2,3\n';
    const spec = SPEC.replace('column: sessions }', 'column: SESSIONS }');
    const s = scenario(files(spec, { 'web.csv': csv }), 'ambiguous-column');
    assert.deepEqual(fixTitles(s), ['Change to `Sessions`', 'Change to `sessions`']);
    assert.deepEqual(rules(s.apply('Change to `sessions`').problems).filter((r) => r === 'ambiguous-column'), []);
  });

  it('invalid-aggregate: `count(x)` as distinct values or rows', () => {
    const spec = 'kpispec: 1\nsources:\n  shop: { file: shop.csv, time: ordered_at }\n  chans: { from: shop, key: channel, aggregate: { n: count(order_id) } }\nmetrics:\n  c: { source: chans, agg: count }\nkpis:\n  k: { formula: c }\n';
    const s = scenario(files(spec), 'invalid-aggregate');
    assert.deepEqual(fixTitles(s), ['Change to `count_distinct(order_id)` (distinct values)', 'Change to `count()` (rows)']);
    assert.deepEqual(rules(s.apply('Change to `count()` (rows)').problems), []);
  });
});

describe('services: quick fixes — hygiene', () => {
  it('unused-metric: removes the metric (block, flow, and the only one)', () => {
    const spec = SPEC.replace('  cost: { source: shop, agg: sum, column: cost, unit: currency }\n', '  cost: { source: shop, agg: sum, column: cost, unit: currency }\n  refunds: { source: shop, agg: sum, column: amount }\n');
    const out = scenario(files(spec), 'unused-metric').apply('Remove unused metric `refunds`');
    assert.equal(out.text, SPEC);
    const flow = 'kpispec: 1\nsources: { web: { file: web.csv, time: date } }\nmetrics: { s: { source: web, agg: count }, t: { source: web, agg: count } }\nkpis: { k: { formula: t } }\n';
    assert.ok(scenario(files(flow), 'unused-metric').apply('Remove unused metric `s`').text.includes('metrics: { t: { source: web, agg: count } }'));
  });

  it('unused-suppression: removes the rule, or the comment; "fix all" drops every unused name of a comment at once', () => {
    const one = SPEC.replace('  conversion:', '  # kpispec-disable-next-line format-mismatch, unit-mismatch -- old\n  conversion:');
    const s = scenario(files(one.replace('format-mismatch, unit', 'format-mismatch, ^unit')), 'unused-suppression');
    assert.ok(s.actions[0]!.preferred);
    const out = s.apply('Remove `unit-mismatch` from the suppression');
    assert.ok(out.text.includes('  # kpispec-disable-next-line format-mismatch -- old\n'), out.text);
    const all = s.apply('Fix all unused-suppression problems in this file');
    assert.equal(all.text, SPEC);
    assert.deepEqual(rules(all.problems), []);
    const bare = scenario(files(SPEC.replace('  conversion:', '  # kpispec-disable-next-line\n  conversion:')), 'unused-suppression').apply('Remove the suppression comment');
    assert.equal(bare.text, SPEC);
  });

  it('unknown-rule: removes a rule of another tool from the comment (respelling is the preferred fix)', () => {
    const spec = SPEC.replace('format: percent }', 'format: currency }').replace('  bounce_rate:', '  # kpispec-disable-next-line format-mismatch, no-magic-numbers\n  bounce_rate:');
    const out = scenario(files(spec), 'unknown-rule').apply('Remove `no-magic-numbers` from the suppression');
    assert.ok(out.text.includes('# kpispec-disable-next-line format-mismatch\n'));
    assert.deepEqual(rules(out.problems), []);
  });

  it('empty-goal: adds one of the file\'s KPIs, or removes the goal', () => {
    const spec = SPEC + 'goals:\n  g: { kpis: { conversion: {} } }\n  brand: { title: Brand, kpis: {} }\n';
    const s = scenario(files(spec), 'empty-goal');
    assert.deepEqual(fixTitles(s), ['Add KPI `bounce_rate` to goal `brand`', 'Add KPI `margin` to goal `brand`', 'Add KPI `aov` to goal `brand`', 'Add KPI `conversion` to goal `brand`', 'Remove goal `brand`']);
    assert.ok(s.apply('Add KPI `margin` to goal `brand`').text.includes('brand: { title: Brand, kpis: { margin: {} } }'));
    assert.equal(s.apply('Remove goal `brand`').text, SPEC + 'goals:\n  g: { kpis: { conversion: {} } }\n');
  });
});

describe('services: quick fixes — fix all', () => {
  const many = SPEC.replace('format: percent }\n  conversion: { formula: orders / sessions, format: percent }', 'format: currency }\n  conversion: { formula: orders / sessions, format: duration }');

  it('is offered beside a problem when others of its kind are elsewhere in the file, and applies the preferred fix of each', () => {
    const s = scenario(files(many), 'format-mismatch');
    const all = s.actions.find((a) => a.title === 'Fix all format-mismatch problems in this file');
    assert.ok(all && !all.preferred && all.kind === 'quickfix');
    const out = s.apply('Fix all format-mismatch problems in this file');
    assert.equal(out.text, SPEC);
  });

  it('is not offered for a single problem, nor for a rule without a fix for every problem (unit-mismatch)', () => {
    const one = scenario(files(SPEC.replace('format: percent }', 'format: currency }')), 'format-mismatch');
    assert.ok(!one.titles.some((t) => t.startsWith('Fix all')));
    const units = SPEC.replace('revenue - cost', 'revenue - orders').replace('revenue / orders', 'revenue + orders');
    assert.ok(!scenario(files(units), 'unit-mismatch').titles.some((t) => t.startsWith('Fix all')));
  });

  it('takes the fixes whose edits do not overlap the ones before', () => {
    // two duplicate keys side by side in one flow mapping: removing each takes the comma before it
    const spec = SPEC.replace('format: percent }', 'format: percent, format: number, format: currency }');
    const out = scenario(files(spec.replace('number, format', 'number, ^format')), 'duplicate-key').apply('Fix all duplicate-key problems in this file');
    assert.equal(out.text, SPEC);
  });

  it('source.fixAll: the preferred fixes of the whole file, not the merely safe ones', () => {
    const spec = many.replace('revenue / orders', 'revenue / ordrs').replace('  cost: { source', '  refunds: { source: shop, agg: count }\n  cost: { source');
    const fx = fixture(files(spec));
    const problems = problemsIn(files(spec));
    const all = fixAllInFile(fx.snap(A), problems)!;
    assert.equal(all.fixed, 3);
    const text = applyTo(spec, fx.abs(A), all.edits);
    assert.equal(text, SPEC.replace('  cost: { source', '  refunds: { source: shop, agg: count }\n  cost: { source'));
    assert.deepEqual(rules(problemsIn(files(text))), ['unused-metric']);
    assert.equal(fixAllInFile(fixture(files(SPEC)).snap(A), problemsIn(files(SPEC))), undefined);
  });
});
