import * as assert from 'node:assert/strict';
import { completions } from '../../server/src/services/completion';
import type { Completion } from '../../server/src/services/types';
import { atCaret, DATA, shop, slice, SHOP } from './completionFixture';

function complete(main: string, files: Record<string, string> = DATA): { items: Completion[]; labels: string[]; text: string; offset: number; get: (l: string) => Completion } {
  const { snap, offset } = atCaret(main, files);
  const items = completions(snap, offset);
  return {
    items, labels: items.map((i) => i.label), text: snap.text, offset,
    get: (l) => {
      const c = items.find((i) => i.label === l);
      assert.ok(c, `no completion ${l} in ${items.map((i) => i.label).join(', ')}`);
      return c;
    },
  };
}

/** The text after applying a completion (its insertText over its replace span). */
function apply(r: { text: string }, c: Completion): string {
  return r.text.slice(0, c.replace.offset) + (c.insertText ?? c.label) + r.text.slice(c.replace.offset + c.replace.length);
}

describe('completion: keys', () => {
  it('offers the KPI keys not yet written on a blank line under a KPI', () => {
    const r = complete(shop('    target: { max: 40% }\n', '    target: { max: 40% }\n    ^\n'));
    for (const k of ['description', 'owner', 'decimals', 'warn', 'by', 'horizon']) assert.ok(r.labels.includes(k), k);
    for (const k of ['title', 'formula', 'format', 'direction', 'target']) assert.ok(!r.labels.includes(k), k);
    const warn = r.get('warn');
    assert.equal(warn.kind, 'key');
    assert.equal(warn.insertText, 'warn: ');
    assert.equal(warn.detail, 'Warning level');
    assert.match(warn.documentation!, /at_risk/);
    assert.deepEqual(warn.replace, { offset: r.offset, length: 0 });
  });

  it('replaces the partial key before the cursor', () => {
    const r = complete(shop('    direction: down\n', '    direction: down\n    wa^\n'));
    const warn = r.get('warn');
    assert.equal(slice(r.text, warn.replace), 'wa');
    assert.ok(!r.labels.includes('direction'));
  });

  it('works out the mapping from indentation: a blank line at KPI-id depth is a new id, not a key', () => {
    const r = complete(shop('  aov:', '  ^\n  aov:'));
    assert.deepEqual(r.labels, []);
  });

  it('offers keys inside a flow mapping, minus those present', () => {
    const r = complete(shop('  aov: { formula: revenue / order_count, format: currency }', '  aov: { formula: revenue / order_count, format: currency, di^ }'));
    assert.ok(r.labels.includes('direction'));
    assert.ok(!r.labels.includes('formula') && !r.labels.includes('format'));
    assert.equal(slice(r.text, r.get('direction').replace), 'di');
  });

  it('offers top-level keys not yet written, and the version line first in an empty file', () => {
    const r = complete(SHOP + '^');
    assert.deepEqual(r.labels.sort(), ['description']);
    const empty = complete('^');
    assert.equal(empty.get('kpispec').insertText, 'kpispec: 1');
    assert.ok(empty.labels.includes('kpis'));
  });

  it('offers source keys with their schema documentation', () => {
    const r = complete(shop('  orders: { file: data/orders.csv, time: ordered_at, dimensions: [channel] }', '  orders:\n    file: data/orders.csv\n    ^'));
    assert.ok(r.labels.includes('time') && r.labels.includes('delimiter') && r.labels.includes('columns'));
    assert.ok(!r.labels.includes('file'));
    assert.match(r.get('time').documentation!, /places a row in time/);
  });

  it('offers the keys of a dated target step, after `- ` and on the step\'s next line', () => {
    const first = complete(shop('    target: { max: 40% }', '    target:\n      - ^'));
    assert.deepEqual(first.labels.sort(), ['from', 'max', 'min', 'per', 'value']);
    const next = complete(shop('    target: { max: 40% }', '    target:\n      - from: 2026-01\n        ^'));
    assert.deepEqual(next.labels.sort(), ['max', 'min', 'per', 'value']);
  });

  it('replaces a whole key when the cursor is inside one followed by a colon', () => {
    const r = complete(shop('    direction: down', '    direc^tion: down'));
    const c = r.get('direction');
    assert.equal(slice(r.text, c.replace), 'direction');
    assert.equal(c.insertText, 'direction');
  });

  it('goes back to the KPI\'s mapping on a blank line after a nested mapping', () => {
    const r = complete(shop('    target: { max: 40% }', '    target:\n      max: 40%\n\n    ^'));
    assert.ok(r.labels.includes('warn') && !r.labels.includes('target') && !r.labels.includes('max'));
    const nested = complete(shop('    target: { max: 40% }', '    target:\n      max: 40%\n      ^'));
    assert.deepEqual(nested.labels.sort(), ['min', 'per']);
  });

  it('offers defaults keys in a block mapping', () => {
    const r = complete(shop('defaults: { grain: month, currency: CNY, timezone: Asia/Shanghai }', 'defaults:\n  grain: month\n  ^'));
    assert.deepEqual(r.labels.sort(), ['currency', 'locale', 'timezone']);
  });

  it('reads CRLF line endings', () => {
    const r = complete(shop('    target: { max: 40% }\n', '    target: { max: 40% }\n    ^\n').replace(/\n/g, '\r\n'));
    assert.ok(r.labels.includes('warn') && !r.labels.includes('formula'));
    const f = complete(shop('    formula: bounces / sessions', '    formula: bounces / se^').replace(/\n/g, '\r\n'));
    assert.equal(slice(f.text, f.get('sessions').replace), 'se');
  });

  it('offers nothing in a comment', () => {
    assert.deepEqual(complete(shop('    direction: down', '    direction: down # lower is be^')).labels, []);
  });
});

describe('completion: enum values', () => {
  it('offers the allowed values after format:, direction:, agg:, unit:, grain: and horizon:', () => {
    assert.deepEqual(complete(shop('    format: percent', '    format: ^')).labels, ['number', 'percent', 'currency', 'duration']);
    assert.deepEqual(complete(shop('    direction: down', '    direction: d^')).labels, ['up', 'down']);
    assert.ok(complete(shop('agg: count }', 'agg: ^ }')).labels.includes('count_distinct'));
    assert.deepEqual(complete(shop('unit: currency }', 'unit: cu^ }')).labels, ['count', 'currency', 'seconds', 'ratio']);
    assert.deepEqual(complete(shop('grain: month', 'grain: ^')).labels, ['day', 'week', 'month', 'quarter', 'year', 'all']);
    assert.deepEqual(complete(shop('    kpis: { bounce_rate: {} }', '    horizon: ^\n    kpis: { bounce_rate: {} }')).labels, ['short', 'long']);
  });

  it('documents a value with its property and replaces what is typed', () => {
    const r = complete(shop('    direction: down', '    direction: do^'));
    const down = r.get('down');
    assert.equal(down.kind, 'value');
    assert.equal(slice(r.text, down.replace), 'do');
    assert.match(down.documentation!, /Which way is better/);
  });

  it('adds the missing space right after `key:`', () => {
    const r = complete(shop('    format: percent', '    format:^'));
    assert.equal(apply(r, r.get('percent')).split('\n')[16], '    format: percent');
  });

  it('distinguishes a source\'s format from a KPI\'s', () => {
    assert.deepEqual(complete(shop('time: ordered_at,', 'time: ordered_at, format: ^,')).labels, ['csv', 'json', 'ndjson']);
  });

  it('quotes values that cannot be plain YAML', () => {
    const r = complete(shop('time: ordered_at,', 'time: ordered_at, decimal: ^,'));
    assert.equal(r.get(',').insertText, "','");
    assert.equal(r.get('.').insertText, '.');
  });
});

describe('completion: formulas', () => {
  it('offers metrics and KPIs in scope (imported too), never the KPI being edited, and functions', () => {
    const r = complete(shop('    formula: bounces / sessions', '    formula: bounces / ^'));
    for (const id of ['sessions', 'bounces', 'revenue', 'order_count', 'aov', 'ad_spend', 'clicks', 'cpc']) assert.ok(r.labels.includes(id), id);
    assert.ok(!r.labels.includes('bounce_rate'));
    assert.ok(!r.labels.includes('web') && !r.labels.includes('grow'), 'no sources or goals');
    assert.equal(r.get('sessions').kind, 'metric');
    assert.equal(r.get('aov').kind, 'kpi');
    assert.equal(r.get('sessions').detail, 'count · web·sum·sessions');
    assert.equal(r.get('aov').detail, 'CNY per count · revenue / order_count');
    assert.equal(r.get('cpc').detail, 'USD per count · ad_spend / clicks');
    assert.equal(r.get('revenue').detail, 'CNY · orders·sum·amount');
    const growth = r.get('growth');
    assert.equal(growth.kind, 'function');
    assert.equal(growth.insertText, 'growth($1)');
    assert.equal(growth.snippet, true);
    assert.equal(growth.detail, 'growth(x)');
  });

  it('ranks same-file ids before imported ones, and functions after ids', () => {
    const r = complete(shop('    formula: bounces / sessions', '    formula: ^'));
    assert.ok(r.get('sessions').sortRank! < r.get('ad_spend').sortRank!);
    assert.ok(r.get('cpc').sortRank! < r.get('prev').sortRank!);
  });

  it('replaces the partial id before the cursor, also at the end of a word', () => {
    const mid = complete(shop('    formula: bounces / sessions', '    formula: bounces / ses^'));
    assert.equal(slice(mid.text, mid.get('sessions').replace), 'ses');
    const end = complete(shop('    formula: bounces / sessions', '    formula: bounces^ / sessions'));
    assert.equal(slice(end.text, end.get('bounces').replace), 'bounces');
  });

  it('offers ids at the start of an empty or written formula', () => {
    const empty = complete(shop('    formula: bounces / sessions', '    formula: ^'));
    assert.deepEqual(empty.get('sessions').replace, { offset: empty.offset, length: 0 });
    const start = complete(shop('    formula: bounces / sessions', '    formula: ^bounces / sessions'));
    assert.deepEqual(start.get('sessions').replace, { offset: start.offset, length: 0 });
  });

  it('offers nothing where an operator goes, in a string or after a number', () => {
    assert.deepEqual(complete(shop('    formula: bounces / sessions', '    formula: bounces ^')).labels, []);
    assert.deepEqual(complete(shop('    formula: bounces / sessions', '    formula: bounces / 40^')).labels, []);
    assert.deepEqual(complete(shop('column: sessions }', "column: sessions, where: 'channel == \"em^\"' }")).labels, []);
  });

  it('completes inside a quoted formula in a flow mapping', () => {
    const r = complete(shop('  aov: { formula: revenue / order_count, format: currency }', "  aov: { formula: 'rolling(rev^, 3)', format: currency }"));
    const c = r.get('revenue');
    assert.equal(slice(r.text, c.replace), 'rev');
    assert.ok(!r.labels.includes('aov'));
  });

  it('completes in a formula whose quote is not closed yet (broken YAML)', () => {
    const r = complete(shop('  aov: { formula: revenue / order_count, format: currency }', "  aov:\n    formula: 'revenue / ord^\n    format: currency"));
    assert.equal(slice(r.text, r.get('order_count').replace), 'ord');
  });

  it('completes in a block scalar formula', () => {
    const r = complete(shop('    formula: bounces / sessions', '    formula: |\n      bounces /\n      sess^'));
    assert.ok(r.labels.includes('sessions'));
  });

  it('keeps offsets right with CJK text before the cursor on the same line', () => {
    const r = complete(shop('  aov: { formula: revenue / order_count, format: currency }', '  aov: { title: 客单价（平均）, formula: rev^ }'));
    const c = r.get('revenue');
    assert.equal(slice(r.text, c.replace), 'rev');
    assert.equal(apply(r, c).split('\n')[19], '  aov: { title: 客单价（平均）, formula: revenue }');
  });

  it('does not add a second parenthesis when one follows', () => {
    const r = complete(shop('    formula: bounces / sessions', '    formula: gro^(sessions)'));
    assert.equal(r.get('growth').insertText, undefined);
    assert.ok(!r.get('growth').snippet);
  });
});

describe('completion: where filters', () => {
  const where = (w: string) => complete(shop('  order_count: { source: orders, agg: count }', `  order_count:\n    source: orders\n    agg: count\n    where: ${w}`));

  it('offers the source\'s data columns and functions that are not time functions', () => {
    const r = where("'ch^'");
    for (const c of ['ordered_at', 'channel', 'amount', 'customer_id', '渠道']) assert.ok(r.labels.includes(c), c);
    assert.equal(r.get('channel').kind, 'column');
    assert.equal(r.get('amount').detail, 'number · orders');
    assert.ok(r.labels.includes('round') && r.labels.includes('coalesce'));
    for (const f of ['prev', 'growth', 'rolling', 'cumulative']) assert.ok(!r.labels.includes(f), f);
    assert.ok(!r.labels.includes('sessions'), 'no metrics in where');
    assert.equal(slice(r.text, r.get('channel').replace), 'ch');
  });

  it('inserts names that are not plain words in backticks, and completes inside backticks', () => {
    const web = complete(shop('  sessions: { source: web, agg: sum, column: sessions }', "  sessions: { source: web, agg: sum, column: sessions, where: 'channel == \"email\" and ^' }"));
    assert.equal(web.get('order date').insertText, '`order date`');
    assert.equal(web.get('channel').insertText, 'channel');
    const tick = complete(shop('  sessions: { source: web, agg: sum, column: sessions }', "  sessions: { source: web, agg: sum, column: sessions, where: '`ord^' }"));
    const c = tick.get('order date');
    assert.equal(slice(tick.text, c.replace), '`ord');
    assert.equal(c.insertText, '`order date`');
  });

  it('completes a CJK column name after CJK text', () => {
    const r = where("'渠道 == \"邮件\" and 渠^'");
    const c = r.get('渠道');
    assert.equal(slice(r.text, c.replace), '渠');
    assert.equal(c.insertText, '渠道');
  });
});

describe('completion: ids, columns and dimensions', () => {
  it('offers source ids after `source:`, same-file first', () => {
    const r = complete(shop('  order_count: { source: orders, agg: count }', '  order_count: { source: ^, agg: count }'));
    assert.deepEqual(r.labels.sort(), ['ads', 'orders', 'web']);
    assert.equal(r.get('web').kind, 'source');
    assert.equal(r.get('web').detail, 'data/web.csv');
    assert.ok(r.get('web').sortRank! < r.get('ads').sortRank!);
  });

  it('offers the source\'s columns after `column:`, numeric ones first for sum', () => {
    const r = complete(shop('  revenue: { source: orders, agg: sum, column: amount, unit: currency }', '  revenue: { source: orders, agg: sum, column: a^, unit: currency }'));
    assert.deepEqual(r.labels, ['ordered_at', 'channel', 'amount', 'customer_id', '渠道']);
    assert.equal(r.get('amount').sortRank, 0);
    assert.equal(r.get('channel').sortRank, 1);
    assert.equal(slice(r.text, r.get('amount').replace), 'a');
  });

  it('offers columns for a source\'s time and dimensions, minus dimensions listed', () => {
    const time = complete(shop('time: ordered_at, dimensions: [channel] }', 'time: ^, dimensions: [channel] }'));
    assert.equal(time.get('ordered_at').sortRank, 0);
    const dims = complete(shop('dimensions: [channel] }', 'dimensions: [channel, ^] }'));
    assert.ok(!dims.labels.includes('channel'));
    assert.ok(dims.labels.includes('customer_id'));
  });

  it('offers the dimensions the KPI\'s sources declare after `by:`', () => {
    const r = complete(shop('    target: { max: 40% }', '    target: { max: 40% }\n    by: [channel, ^]'));
    assert.deepEqual(r.labels, ['device']);
    const both = complete(shop('  aov: { formula: revenue / order_count, format: currency }', '  aov: { formula: revenue / sessions, by: [^] }'));
    assert.deepEqual(both.labels, ['channel'], 'a breakdown must be in every source');
    assert.match(both.get('channel').detail!, /orders, web|web, orders/);
  });

  it('starts a list item on a blank line under `by:`', () => {
    const r = complete(shop('    target: { max: 40% }', '    target: { max: 40% }\n    by:\n      ^'));
    assert.deepEqual(r.labels.sort(), ['channel', 'device']);
    assert.equal(r.get('channel').insertText, '- channel');
  });

  it('offers KPIs in scope not yet listed under a goal\'s kpis', () => {
    const flow = complete(shop('    kpis: { bounce_rate: {} }', '    kpis: { bounce_rate: {}, ^ }'));
    assert.deepEqual(flow.labels.sort(), ['aov', 'cpc']);
    assert.equal(flow.get('aov').insertText, 'aov: {}');
    assert.equal(flow.get('cpc').detail, 'Cost per click');
    assert.ok(flow.get('aov').sortRank! < flow.get('cpc').sortRank!);
    const block = complete(shop('    kpis: { bounce_rate: {} }', '    kpis:\n      bounce_rate:\n      a^'));
    assert.deepEqual(block.labels.sort(), ['aov', 'cpc']);
    assert.equal(block.get('aov').insertText, 'aov:');
  });

  it('offers data columns not yet pinned under a source\'s columns', () => {
    const r = complete(shop('  orders: { file: data/orders.csv, time: ordered_at, dimensions: [channel] }', '  orders:\n    file: data/orders.csv\n    columns:\n      amount: number\n      ^'));
    assert.ok(r.labels.includes('customer_id') && !r.labels.includes('amount'));
    assert.equal(r.get('customer_id').insertText, 'customer_id: ');
  });

  it('reads the columns of an imported source', () => {
    const r = complete(shop('  order_count: { source: orders, agg: count }', '  clicks_email: { source: ads, agg: sum, column: ^ }'));
    assert.deepEqual(r.labels, ['day', 'channel', 'cost', 'clicks']);
    assert.equal(r.get('cost').detail, 'number · ads');
    const w = complete(shop('  order_count: { source: orders, agg: count }', "  clicks_email: { source: ads, agg: sum, column: clicks, where: 'co^' }"));
    assert.ok(w.labels.includes('cost'));
  });

  it('offers columns as items of a block `dimensions:` list', () => {
    const r = complete(shop('  orders: { file: data/orders.csv, time: ordered_at, dimensions: [channel] }', '  orders:\n    file: data/orders.csv\n    dimensions:\n      - channel\n      - ^'));
    assert.ok(r.labels.includes('渠道') && !r.labels.includes('channel'));
    assert.equal(r.get('渠道').insertText, '渠道');
  });

  it('offers no columns when the data file is missing', () => {
    const files = { ...DATA };
    delete files['data/orders.csv'];
    assert.deepEqual(complete(shop('column: amount,', 'column: ^,'), files).labels, []);
  });
});

describe('completion: paths', () => {
  it('offers data files and folders after `file:`', () => {
    const top = complete(shop('{ file: data/web.csv,', '{ file: ^,'));
    assert.ok(top.labels.includes('data/'), top.labels.join());
    assert.equal(top.get('data/').detail, 'folder');
    assert.ok(!top.labels.includes('a.kpi.yaml') && !top.labels.includes('shared.kpi.yaml'));
    const inData = complete(shop('{ file: data/web.csv,', '{ file: data/w^,'));
    assert.deepEqual(inData.labels, ['ads.csv', 'orders.csv', 'web.csv']);
    const c = inData.get('web.csv');
    assert.equal(slice(inData.text, c.replace), 'w');
    assert.equal(c.detail, 'csv file');
  });

  it('offers spec files not yet imported after `imports:`, never the file itself', () => {
    const files = { ...DATA, 'more/extra.kpi.yaml': 'kpispec: 1\n', 'notes.txt': 'x' };
    const r = complete(shop('imports: [shared.kpi.yaml]', 'imports: [shared.kpi.yaml, ^]'), files);
    assert.deepEqual(r.labels.sort(), ['data/', 'more/']);
    const inMore = complete(shop('imports: [shared.kpi.yaml]', 'imports:\n  - shared.kpi.yaml\n  - more/^'), files);
    assert.deepEqual(inMore.labels, ['extra.kpi.yaml']);
  });
});

describe('completion: large scopes', () => {
  it('details KPI units along a long chain written in reverse order without deep recursion', () => {
    const N = 2500;
    const lines = ['kpispec: 1', 'sources:', '  web: { file: data/web.csv, time: date }', 'metrics:', '  m: { source: web, agg: sum, column: sessions, unit: seconds }', 'kpis:'];
    for (let i = 0; i < N; i++) lines.push(`  k${i}: { formula: k${i + 1} + 1 }`);
    lines.push(`  k${N}: { formula: m }`, '  last: { formula: k^ }');
    const r = complete(lines.join('\n') + '\n', { 'data/web.csv': 'date,sessions\n2026-01-01,1\n' });
    assert.equal(r.items.filter((c) => c.kind === 'kpi').length, N + 1);
    assert.equal(r.get('k0').detail, 'seconds · k1 + 1');
  });
});
