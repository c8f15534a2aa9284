// Tests for schemas/kpispec.schema.json: strict compilation, a complete valid
// spec, small and well-placed error sets for typical mistakes, and the
// documentation invariants (every property has title, description, examples).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { parse } from 'yaml';

const SCHEMA_PATH = path.join(__dirname, '..', '..', 'schemas', 'kpispec.schema.json');
const SCHEMA_ID = 'https://kpispec.dev/schemas/kpispec.schema.json';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaNode = { [key: string]: Json };

const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as SchemaNode;

function newAjv(options: { verbose?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, ...options });
  ajv.addKeyword('x-message');
  return ajv;
}

// verbose: every error carries `parentSchema`, the schema node holding the failed
// keyword, which is where `x-message` lives. (`schemaPath` cannot be used for that:
// inside a $ref that Ajv compiles separately it is relative to the referenced $def.)
const ajv = newAjv({ verbose: true });
const validate: ValidateFunction = ajv.compile(schema);

function errorsOf(yamlText: string): ErrorObject[] {
  const ok = validate(parse(yamlText));
  return ok ? [] : [...(validate.errors ?? [])];
}

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The schema node a JSON pointer like `#/$defs/target/anyOf` points to. */
function nodeAt(pointer: string): Json | undefined {
  const parts = pointer.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
  let node: Json | undefined = schema;
  for (const raw of parts) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

function isUnder(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer + '/');
}

/** The `x-message` on the schema node an error comes from, if any. */
function xMessage(e: ErrorObject): string | undefined {
  const node = e.parentSchema as Json | undefined;
  return isObject(node) && typeof node['x-message'] === 'string' ? node['x-message'] : undefined;
}

/**
 * A model of how the editor maps Ajv errors to diagnostics:
 * - `if` and `propertyNames` errors only wrap the real error and are dropped;
 * - an `anyOf` whose node has `x-message` replaces its branch errors (Ajv emits
 *   them right before it, at or under its instancePath); but when exactly one
 *   branch accepts the value's type, that branch's own errors are kept instead
 *   ("detected by type first"), e.g. a malformed percent string.
 */
function reduce(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'propertyNames') continue;
    const owner = e.parentSchema as Json | undefined;
    if (e.keyword === 'anyOf' && isObject(owner) && Array.isArray(owner.anyOf) && xMessage(e) !== undefined) {
      const branches: ErrorObject[] = [];
      while (out.length > 0 && isUnder(out[out.length - 1]!.instancePath, e.instancePath)) {
        branches.unshift(out.pop()!);
      }
      const typeMisses = branches.filter((b) => b.keyword === 'type' && b.instancePath === e.instancePath);
      if (typeMisses.length === owner.anyOf.length - 1) {
        out.push(...branches.filter((b) => !typeMisses.includes(b)));
      } else {
        out.push(e);
      }
      continue;
    }
    out.push(e);
  }
  return out;
}

const VALID_SPEC = `
kpispec: 1
name: Web shop scorecard
description: KPIs the growth team reviews every Monday.
imports: [shared/traffic.kpi.yaml, ../finance/ad_spend.kpi.yml]
defaults: { grain: month, currency: CNY, timezone: Asia/Shanghai }

sources:
  web:
    title: Web sessions
    description: Daily sessions per channel and device.
    file: data/web_sessions.csv
    time: date
    time_format: YYYY-MM-DD
    dimensions: [channel, device, region]
    delimiter: ";"
    decimal: ","
    columns: { region: string, sessions: number }
  orders: { file: data/orders.ndjson, time: ordered_at, dimensions: [channel] }
  export: { file: data/export.txt, format: csv }
  tiny:
    time: day
    rows:
      - { day: 2026-01-01, visits: 10, channel: email, paid: true, note: null }
      - { day: 2026-01-02, visits: 12.5, channel: seo, paid: false, note: first }

metrics:
  sessions:      { source: web, agg: sum, column: sessions }
  bounces:       { source: web, agg: sum, column: bounces }
  visitors:      { source: web, agg: count_distinct, column: visitor_id }
  orders:        { source: orders, agg: count }
  revenue:       { source: orders, agg: sum, column: amount, unit: currency }
  usd_revenue:   { source: orders, agg: sum, column: amount_usd, currency: USD }
  customers:     { source: orders, agg: count_distinct, column: customer_id }
  new_customers:
    title: New customers
    description: Customers placing their first order.
    source: orders
    agg: count_distinct
    column: customer_id
    where: 'is_first_order and channel == "email"'
  returning:     { source: orders, agg: retained, column: customer_id }
  first_buyers:  { source: orders, agg: first_seen, column: customer_id }
  visits:        { source: tiny, agg: sum, column: visits }

kpis:
  bounce_rate:
    title: 跳出率 (bounce rate)
    description: Share of sessions that left after one page.
    owner: growth-team
    formula: bounces / sessions
    format: percent
    decimals: 1
    direction: down
    target: { max: 40% }
    warn:   { max: 50% }
    by: [channel, device]
    horizon: short
  ad_roi:
    formula: (revenue - ad_spend) / ad_spend
    format: percent
    target:
      - { from: 2026-01, min: 100% }
      - { from: 2026-Q3, min: 150% }
      - { from: 2027, value: 2 }
      - { from: 2027-W10, min: 1.5, max: 3 }
    warn: 80%
  traffic_growth: { formula: growth(sessions), format: percent, target: -5%, warn: -.5% }
  retention_rate: { formula: returning / prev(customers), format: percent, target: 0.3 }
  magic_number:   { formula: 42 }

goals:
  profitable_growth:
    title: 提升广告投资回报
    description: Spend less per customer while keeping growth.
    owner: marketing-lead
    horizon: short
    due: 2026-Q4
    kpis: { ad_roi: { weight: 2 }, bounce_rate: {}, retention_rate: , traffic_growth: { weight: 0.5 } }
`;

interface Case {
  name: string;
  yaml: string;
  /** Expected errors after `reduce`: [instancePath, keyword]. */
  expect: Array<[string, string]>;
  /** For errors not involving a union: the raw Ajv error count is already small. */
  rawAtMost?: number;
  /** Text the explanatory message (Ajv's or x-message) should contain. */
  says?: string;
}

const HEAD = 'kpispec: 1\n';

const INVALID: Case[] = [
  {
    name: 'unknown top-level key',
    yaml: HEAD + 'titel: Scorecard\n',
    expect: [['', 'additionalProperties']],
    rawAtMost: 1,
  },
  {
    name: 'unknown key in a KPI (typo of target)',
    yaml: HEAD + 'kpis:\n  bounce_rate: { formula: bounces / sessions, tagret: 40% }\n',
    expect: [['/kpis/bounce_rate', 'additionalProperties']],
    rawAtMost: 1,
  },
  {
    name: 'week_start is not supported in defaults',
    yaml: HEAD + 'defaults: { grain: week, week_start: sunday }\n',
    expect: [['/defaults', 'additionalProperties']],
    rawAtMost: 1,
  },
  {
    name: 'bad id (uppercase and dash)',
    yaml: HEAD + 'kpis:\n  Bounce-Rate: { formula: bounces / sessions }\n',
    expect: [['/kpis', 'pattern']],
    rawAtMost: 2,
    says: 'lowercase letter',
  },
  {
    name: 'id with a double underscore',
    yaml: HEAD + 'metrics:\n  orders__channel: { source: orders, agg: count }\n',
    expect: [['/metrics', 'pattern']],
    rawAtMost: 2,
    says: '__',
  },
  {
    name: 'wrong enum value for agg',
    yaml: HEAD + 'metrics:\n  revenue: { source: orders, agg: total, column: amount }\n',
    expect: [['/metrics/revenue/agg', 'enum']],
    rawAtMost: 1,
  },
  {
    name: 'sum metric without a column',
    yaml: HEAD + 'metrics:\n  revenue: { source: orders, agg: sum }\n',
    expect: [['/metrics/revenue', 'required']],
    rawAtMost: 2,
    says: 'column',
  },
  {
    name: 'metric with a currency but another unit',
    yaml: HEAD + 'metrics:\n  revenue: { source: orders, agg: sum, column: amount, currency: EUR, unit: count }\n',
    expect: [['/metrics/revenue/unit', 'const']],
    rawAtMost: 1,
    says: 'currency',
  },
  {
    name: 'source with both file and rows',
    yaml: HEAD + 'sources:\n  tiny: { file: data/a.csv, rows: [{ day: 2026-01-01 }] }\n',
    expect: [['/sources/tiny/file', 'not']],
    rawAtMost: 2,
    says: 'not both',
  },
  {
    name: 'source with neither file nor rows',
    yaml: HEAD + 'sources:\n  web: { time: date }\n',
    expect: [['/sources/web', 'required']],
    rawAtMost: 2,
    says: 'rows',
  },
  {
    name: 'data file with an unknown extension and no format',
    yaml: HEAD + 'sources:\n  web: { file: data/web.xlsx }\n',
    expect: [['/sources/web/file', 'pattern']],
    rawAtMost: 2,
    says: '.csv',
  },
  {
    name: 'bad percent string in a range',
    yaml: HEAD + 'kpis:\n  bounce_rate: { formula: b / s, direction: down, warn: { max: 50 % } }\n',
    expect: [['/kpis/bounce_rate/warn/max', 'pattern']],
    says: '`40%`',
  },
  {
    name: 'bad percent string as a target',
    yaml: HEAD + 'kpis:\n  ctr: { formula: clicks / views, target: 2 percent }\n',
    expect: [['/kpis/ctr/target', 'pattern']],
    says: '`40%`',
  },
  {
    name: 'bad period in a dated target',
    yaml: HEAD + 'kpis:\n  ad_roi:\n    formula: r / s\n    target:\n      - { from: 2026-13, min: 100% }\n',
    expect: [['/kpis/ad_roi/target/0/from', 'pattern']],
    says: 'YYYY-Qn',
  },
  {
    name: 'bad due period on a goal',
    yaml: HEAD + 'goals:\n  grow: { due: Q4 2026, kpis: { ad_roi: } }\n',
    expect: [['/goals/grow/due', 'pattern']],
    says: 'YYYY-Www',
  },
  {
    name: 'target of the wrong type',
    yaml: HEAD + 'kpis:\n  ctr: { formula: clicks / views, target: true }\n',
    expect: [['/kpis/ctr/target', 'anyOf']],
    says: 'dated list',
  },
  {
    name: 'dated step without a bound',
    yaml: HEAD + 'kpis:\n  ctr:\n    formula: c / v\n    target: [{ from: 2026-01 }]\n',
    expect: [['/kpis/ctr/target/0', 'minProperties']],
    says: 'at least one',
  },
  {
    name: 'weight given as a string',
    yaml: HEAD + 'goals:\n  grow: { kpis: { ad_roi: { weight: "2" } } }\n',
    expect: [['/goals/grow/kpis/ad_roi/weight', 'type']],
    rawAtMost: 1,
  },
  {
    name: 'bad currency code',
    yaml: HEAD + 'defaults: { currency: usd }\n',
    expect: [['/defaults/currency', 'pattern']],
    rawAtMost: 1,
    says: 'ISO 4217',
  },
  {
    name: 'missing kpispec',
    yaml: 'name: Scorecard\n',
    expect: [['', 'required']],
    rawAtMost: 1,
  },
  {
    name: 'kpispec: 2',
    yaml: 'kpispec: 2\n',
    expect: [['/kpispec', 'const']],
    rawAtMost: 1,
  },
];

const SUBSCHEMA_MAPS = ['properties', '$defs', 'dependentSchemas', 'patternProperties'];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMA_SINGLE = ['items', 'additionalProperties', 'propertyNames', 'not', 'if', 'then', 'else', 'contains'];

/** Calls `visit` on every schema object in the tree with its JSON pointer and the keywords leading to it. */
function walk(node: Json, visit: (n: SchemaNode, pointer: string, via: string[]) => void, pointer = '#', via: string[] = []): void {
  if (!isObject(node)) return;
  visit(node, pointer, via);
  for (const [kw, value] of Object.entries(node)) {
    if (SUBSCHEMA_MAPS.includes(kw) && isObject(value)) {
      for (const [k, sub] of Object.entries(value)) walk(sub, visit, `${pointer}/${kw}/${k}`, [...via, kw]);
    } else if (SUBSCHEMA_LISTS.includes(kw) && Array.isArray(value)) {
      value.forEach((sub, i) => walk(sub, visit, `${pointer}/${kw}/${i}`, [...via, kw]));
    } else if (SUBSCHEMA_SINGLE.includes(kw)) {
      walk(value, visit, `${pointer}/${kw}`, [...via, kw]);
    }
  }
}

/** Conditions and their branches restate properties only to constrain them; they are not where properties are documented. */
const CONDITIONAL = ['if', 'then', 'else', 'not', 'dependentSchemas'];

describe('kpispec.schema.json', () => {
  it('is a draft 2020-12 schema with the published $id', () => {
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema.$id, SCHEMA_ID);
  });

  it('compiles with Ajv in strict mode (x-message is the only custom keyword)', () => {
    assert.equal(typeof validate, 'function');
    // Without registering x-message, strict mode must reject it: proves strict mode is on.
    assert.throws(() => new Ajv2020({ strict: true }).compile(schema), /x-message/);
  });

  it('accepts a complete valid spec', () => {
    const errors = errorsOf(VALID_SPEC);
    assert.deepEqual(errors, []);
  });

  it('types the items of every uniqueItems array in place, so Ajv never deep-compares objects', () => {
    // The checker hands Ajv prototype-less objects, which Ajv's deep equality cannot compare;
    // with a scalar item type in place, Ajv compares scalars only and reports the rest as type errors.
    const untyped: string[] = [];
    const walk = (node: Json, where: string): void => {
      if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}/${i}`));
      if (!isObject(node)) return;
      if (node.uniqueItems === true && !(isObject(node.items) && typeof node.items.type === 'string' && node.items.type !== 'object' && node.items.type !== 'array')) untyped.push(where);
      for (const [k, v] of Object.entries(node)) walk(v, `${where}/${k}`);
    };
    walk(schema, '#');
    assert.deepEqual(untyped, []);
  });

  it('accepts the smallest spec', () => {
    assert.deepEqual(errorsOf('kpispec: 1\n'), []);
  });

  it('leaves non-positive weights to the checker (rule invalid-weight)', () => {
    assert.deepEqual(errorsOf(HEAD + 'goals:\n  g: { kpis: { a: { weight: 0 }, b: { weight: -1 } } }\n'), []);
  });

  it('lets a count metric omit its column', () => {
    assert.deepEqual(errorsOf(HEAD + 'metrics:\n  orders: { source: orders, agg: count }\n'), []);
  });

  describe('reports a small, well-placed error set for', () => {
    for (const c of INVALID) {
      it(c.name, () => {
        const raw = errorsOf(c.yaml);
        assert.ok(raw.length > 0, 'expected the spec to be invalid');
        if (c.rawAtMost !== undefined) {
          assert.ok(raw.length <= c.rawAtMost, `expected at most ${c.rawAtMost} raw errors, got ${JSON.stringify(raw, null, 2)}`);
        }
        const shown = reduce(raw);
        assert.ok(shown.length <= 2, `expected at most 2 errors, got ${JSON.stringify(shown, null, 2)}`);
        assert.deepEqual(
          shown.map((e) => [e.instancePath, e.keyword]),
          c.expect,
          `raw errors: ${JSON.stringify(raw, null, 2)}`,
        );
        if (c.says !== undefined) {
          const text = shown.map((e) => xMessage(e) ?? e.message ?? '').join(' | ');
          assert.ok(text.includes(c.says), `expected the message to mention ${c.says}: ${text}`);
        }
      });
    }
  });

  it('names the offending key for a bad id', () => {
    const [e] = reduce(errorsOf(HEAD + 'sources:\n  Web: { file: a.csv }\n'));
    assert.equal(e?.propertyName, 'Web');
  });

  it('documents every property with a title, a description and examples', () => {
    const missing: string[] = [];
    walk(schema, (node, pointer, via) => {
      if (via.some((kw) => CONDITIONAL.includes(kw))) return;
      const props = node.properties;
      if (!isObject(props)) return;
      for (const [name, sub] of Object.entries(props)) {
        if (!isObject(sub)) {
          missing.push(`${pointer}/properties/${name}: not an object schema`);
          continue;
        }
        for (const kw of ['title', 'description'] as const) {
          const v = sub[kw];
          if (typeof v !== 'string' || v.trim() === '') missing.push(`${pointer}/properties/${name}: ${kw}`);
        }
        const ex = sub.examples;
        if (!Array.isArray(ex) || ex.length === 0) missing.push(`${pointer}/properties/${name}: examples`);
      }
    });
    assert.deepEqual(missing, []);
  });

  it('documents every $defs entry with a title and a description', () => {
    const defs = schema.$defs;
    assert.ok(isObject(defs));
    for (const [name, def] of Object.entries(defs)) {
      assert.ok(isObject(def), name);
      assert.equal(typeof def.title, 'string', `${name}: title`);
      assert.equal(typeof def.description, 'string', `${name}: description`);
    }
  });

  it('describes every enum value in the description of its property', () => {
    const undocumented: string[] = [];
    walk(schema, (node, pointer, via) => {
      if (via.some((kw) => CONDITIONAL.includes(kw))) return;
      const props = node.properties;
      if (!isObject(props)) return;
      for (const [name, sub] of Object.entries(props)) {
        if (!isObject(sub)) continue;
        const values = Array.isArray(sub.enum)
          ? sub.enum
          : isObject(sub.additionalProperties) && Array.isArray(sub.additionalProperties.enum)
            ? sub.additionalProperties.enum
            : [];
        const description = typeof sub.description === 'string' ? sub.description : '';
        for (const v of values) {
          if (!description.includes('`' + String(v) + '`')) undocumented.push(`${pointer}/properties/${name}: ${String(v)}`);
        }
      }
    });
    assert.deepEqual(undocumented, []);
  });

  it('has examples and defaults that are themselves valid', () => {
    const bad: string[] = [];
    const checker = newAjv();
    checker.addSchema(schema);
    walk(schema, (node, pointer) => {
      const samples: Json[] = [...(Array.isArray(node.examples) ? node.examples : [])];
      if ('default' in node) samples.push(node.default!);
      if (samples.length === 0) return;
      const check = checker.compile({ $ref: SCHEMA_ID + pointer });
      for (const sample of samples) {
        if (!check(sample)) bad.push(`${pointer}: ${JSON.stringify(sample)} -> ${checker.errorsText(check.errors)}`);
      }
    });
    assert.deepEqual(bad, []);
  });

  it('puts an x-message on every anyOf, and gives every anyOf branch its own type', () => {
    const problems: string[] = [];
    walk(schema, (node, pointer) => {
      if (!Array.isArray(node.anyOf)) return;
      if (typeof node['x-message'] !== 'string') problems.push(`${pointer}: no x-message`);
      const types = node.anyOf.map((b) => {
        let branch: Json | undefined = b;
        while (isObject(branch) && typeof branch.$ref === 'string') branch = nodeAt(branch.$ref);
        return isObject(branch) ? branch.type : undefined;
      });
      if (types.some((t) => typeof t !== 'string')) problems.push(`${pointer}: a branch without a single type`);
      if (new Set(types).size !== types.length) problems.push(`${pointer}: two branches share a type`);
    });
    assert.deepEqual(problems, []);
  });

  it('gives every pattern an x-message', () => {
    const problems: string[] = [];
    walk(schema, (node, pointer) => {
      if (typeof node.pattern === 'string' && typeof node['x-message'] !== 'string') problems.push(pointer);
    });
    assert.deepEqual(problems, []);
  });
});
