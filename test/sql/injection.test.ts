import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Parser } from 'node-sql-parser';
import { NodeHost } from '../../server/src/data/nodeHost';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { Workspace } from '../../server/src/language/workspace';
import { compileSpec } from '../../server/src/sql/compile';
import { DIALECT } from '../../server/src/sql/dialect';
import { tempWorkspace } from '../helpers/runCli';
import { agree, breakdown, series } from './engines';
import { pgExec, postgres } from './postgres';
import { Client } from 'pg';

/**
 * Hostile names and values: column names that are SQL keywords or carry quotes, comment
 * markers and statements; table names likewise; text values in `where` that try to close the
 * literal. The SQL must run on DuckDB and PostgreSQL and return the right rows, and a canary
 * table must survive.
 */

const NAMES = {
  time: 'select',
  dim: 'x; DROP TABLE canary; --',
  quote: 'a"b',
  apostrophe: "it's",
  backtick: 'amount`s',
  comment: '/* c */ --',
  unicode: '渠道 名',
};

const VALUES = ["it's", "'; DROP TABLE canary; --", 'back\\slash', '"quoted"', 'line\nbreak', '/* not a comment */', '$$ dollar $$', "\\'; SELECT 1; --", '%s %d ?'];

/** A text literal in a formula. */
const lit = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
/** A column name in a formula. */
const col = (name: string) => `\`${name}\``;

function rowsFor(): Record<string, unknown>[] {
  // One row per hostile value, in two months; amount doubles so that sums tell rows apart.
  return VALUES.map((v, i) => ({
    [NAMES.time]: i < 5 ? `2026-01-0${i + 1}` : `2026-02-0${i - 4}`,
    [NAMES.dim]: v,
    [NAMES.quote]: VALUES[(i + 1) % VALUES.length],
    [NAMES.apostrophe]: i % 2 === 0 ? 'even' : 'odd',
    [NAMES.backtick]: 2 ** i,
    [NAMES.comment]: i,
    [NAMES.unicode]: v,
  }));
}

function specText(source: string): string {
  const where = (v: string) => JSON.stringify(`${col(NAMES.dim)} == ${lit(v)} or ${col(NAMES.unicode)} == ${lit(v)}`);
  return `kpispec: 1
${source}
metrics:
${VALUES.map((v, i) => `  m${i}: { source: s, agg: sum, column: ${JSON.stringify(NAMES.backtick)}, where: ${where(v)} }`).join('\n')}
  ordered: { source: s, agg: count, where: ${JSON.stringify(`${col(NAMES.quote)} > ${lit("'; DROP")} and ${col(NAMES.apostrophe)} != ${lit("it's")}`)} }
  counted: { source: s, agg: count_distinct, column: ${JSON.stringify(NAMES.quote)} }
  summed: { source: s, agg: sum, column: ${JSON.stringify(NAMES.comment)} }
kpis:
${VALUES.map((_, i) => `  k${i}: { formula: m${i} }`).join('\n')}
  k_ordered: { formula: ordered }
  k_counted: { formula: counted, by: [${JSON.stringify(NAMES.dim)}, ${JSON.stringify(NAMES.apostrophe)}] }
  k_summed: { formula: summed }
`;
}

function inlineSource(): string {
  return `sources:
  s:
    time: ${JSON.stringify(NAMES.time)}
    dimensions: [${[NAMES.dim, NAMES.quote, NAMES.apostrophe, NAMES.unicode].map((n) => JSON.stringify(n)).join(', ')}]
    columns: { ${JSON.stringify(NAMES.backtick)}: number, ${JSON.stringify(NAMES.comment)}: number }
    rows:
${rowsFor().map((r) => `      - ${JSON.stringify(r)}`).join('\n')}`;
}

function assertRightRows(result: Parameters<typeof series>[0]): void {
  // Each hostile value selects exactly its own row (amount 2^i), in its month.
  VALUES.forEach((_, i) => {
    const month = i < 5 ? 0 : 1;
    assert.equal(series(result, `k${i}`)[month]![1], 2 ** i, `k${i}`);
    assert.equal(series(result, `k${i}`)[1 - month]![1], 0, `k${i} in the other month`);
  });
  assert.deepEqual(series(result, 'k_summed').map((x) => x[1]), [0 + 1 + 2 + 3 + 4, 5 + 6 + 7 + 8]);
  assert.equal(Object.keys(breakdown(result, 'k_counted', NAMES.dim)).length, VALUES.length);
}

async function canaryStands(url: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(`SELECT COUNT(*) AS n FROM canary`);
    assert.equal(Number(r.rows[0].n), 1, 'the canary table is still there, with its row');
  } finally {
    await c.end();
  }
}

describe('SQL engines: hostile names and values are quoted, never executed', function () {
  this.timeout(60_000);
  let url: string;

  before(async () => {
    url = (await postgres()).url;
    await pgExec(url, ['DROP TABLE IF EXISTS canary', 'CREATE TABLE canary (x INTEGER)', 'INSERT INTO canary VALUES (1)']);
  });

  it('hostile column names and text values in `where` (inline rows): DuckDB and PostgreSQL return the right rows', async () => {
    const { expected, results } = await agree({ 'a.kpi.yaml': specText(inlineSource()) });
    assertRightRows(expected);
    assertRightRows(results.postgres.result);
    assert.ok(series(expected, 'k_ordered')[0]![1]! > 0);
    await canaryStands(url);
  });

  it('hostile column names and values in a CSV file read by DuckDB', async () => {
    const header = Object.values(NAMES).map((n) => `"${n.replace(/"/g, '""')}"`);
    const keys = Object.values(NAMES);
    const csv = [header.join(','), ...rowsFor().map((r) => keys.map((k) => `"${String(r[k]).replace(/"/g, '""')}"`).join(','))].join('\n') + '\n';
    const source = `sources:
  s:
    file: data/hostile.csv
    time: ${JSON.stringify(NAMES.time)}
    dimensions: [${[NAMES.dim, NAMES.quote, NAMES.apostrophe, NAMES.unicode].map((n) => JSON.stringify(n)).join(', ')}]`;
    const { expected, results } = await agree({ 'a.kpi.yaml': specText(source), 'data/hostile.csv': csv }, {}, ['duckdb']);
    assertRightRows(expected);
    assertRightRows(results.duckdb.result);
  });

  it('hostile table and column names in PostgreSQL tables: the right rows, the canary stands', async () => {
    const table = `we"ird; DROP TABLE canary; --`;
    const schema = `sch'ema`;
    const q = (n: string) => `"${n.replace(/"/g, '""')}"`;
    const cols = Object.values(NAMES);
    const types: Record<string, string> = { [NAMES.time]: 'DATE', [NAMES.backtick]: 'DOUBLE PRECISION', [NAMES.comment]: 'INTEGER' };
    const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
    await pgExec(url, [
      `DROP SCHEMA IF EXISTS ${q(schema)} CASCADE`, `CREATE SCHEMA ${q(schema)}`,
      `CREATE TABLE ${q(schema)}.${q(table)} (${cols.map((c) => `${q(c)} ${types[c] ?? 'TEXT'}`).join(', ')})`,
      ...rowsFor().map((r) => `INSERT INTO ${q(schema)}.${q(table)} VALUES (${cols.map((c) => literal(r[c])).join(', ')})`),
    ]);
    const spec = specText(inlineSource());
    const { expected, results } = await agree({ 'a.kpi.yaml': spec }, {}, ['postgres'], { s: `${schema}.${table}` });
    assert.equal(results.postgres.compiled.sources.get('s')!.file, `${schema}.${table}`);
    assert.match(results.postgres.compiled.sql, /FROM "sch'ema"\."we""ird; DROP TABLE canary; --" AS raw/);
    assertRightRows(expected);
    assertRightRows(results.postgres.result);
    await canaryStands(url);
  });

  it('BigQuery and Snowflake: the SQL with hostile names and values parses as one statement, the values as literals', () => {
    for (const dialect of ['bigquery', 'snowflake'] as const) {
      // node-sql-parser does not know an escaped backtick in a BigQuery identifier (`a\`b`) nor a
      // doubled quote in a Snowflake one ("a""b"), which the databases read: that quoting is
      // checked on its own below, and those two names are left out here.
      let text = specText(inlineSource());
      if (dialect === 'bigquery') text = text.split(NAMES.backtick).join('amount s');
      if (dialect === 'snowflake') text = text.split(JSON.stringify(NAMES.quote)).join(JSON.stringify('a b'));
      const dir = tempWorkspace({ 'a.kpi.yaml': text });
      const ws = new Workspace(new NodeHost(), dir);
      const file = path.join(dir, 'a.kpi.yaml');
      const checked = checkFiles(ws, [file]).flatMap((r) => r.problems);
      const { sql, problems } = compileSpec(ws, file, { dialect, checked, tables: { s: dialect === 'bigquery' ? "proj.data set.t'able" : "proj.data`set.t'able;--" } });
      assert.deepEqual(problems, []);
      const ast = new Parser().astify(sql, { database: dialect });
      assert.ok(!Array.isArray(ast) || ast.length === 1, `${dialect}: one statement`);
      // Every hostile value appears only as a literal: as written in the dialect's quoting.
      for (const v of VALUES) assert.ok(sql.includes(dialect === 'bigquery' ? bigqueryLiteral(v) : snowflakeLiteral(v)), `${dialect}: ${v}`);
    }
  });

  it('quoting by each dialect\'s rules: identifiers, dotted table names, literals', () => {
    assert.equal(DIALECT.duckdb.ident('a"b'), '"a""b"');
    assert.equal(DIALECT.postgres.table('sch"ema.t.x'), '"sch""ema"."t"."x"');
    assert.equal(DIALECT.bigquery.ident('a`b\\c'), '`a\\`b\\\\c`');
    assert.equal(DIALECT.bigquery.table('p.d.t`x'), '`p`.`d`.`t\\`x`');
    assert.equal(DIALECT.snowflake.ident('a"b'), '"a""b"');
    assert.equal(DIALECT.duckdb.string("it's \\ \n"), "'it''s \\ \n'");
    assert.equal(DIALECT.postgres.string("it's"), "'it''s'");
    assert.equal(DIALECT.postgres.string("a\\b'c"), "E'a\\\\b\\'c'");
    assert.equal(DIALECT.bigquery.string("it's\\\n"), "'it\\'s\\\\\\n'");
    assert.equal(DIALECT.snowflake.string("it's\\"), "'it''s\\\\'");
  });
});

function bigqueryLiteral(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function snowflakeLiteral(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
