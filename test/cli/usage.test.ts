import * as assert from 'node:assert/strict';
import { runCli, tempWorkspace, type CliResult } from '../helpers/runCli';

const SAMPLE = 'samples/webshop.kpi.yaml';
const SPEC = 'kpispec: 1\nsources:\n  s: { time: d, dimensions: [channel], rows: [ { d: 2026-01-01, channel: web, n: 1 } ] }\nmetrics:\n  n: { source: s, agg: sum, column: n }\nkpis:\n  k: { formula: n, target: 5 }\n';

/** A usage error: exit 2, nothing on standard output, exactly this one line on standard error. */
function assertUsage(r: CliResult, message: string | RegExp, what: string): void {
  assert.equal(r.status, 2, `${what}: exit ${r.status}; ${r.stderr}`);
  assert.equal(r.stdout, '', `${what}: prints nothing else`);
  assert.match(r.stderr, /^kpispec: [^\n]+\n$/, `${what}: one line`);
  if (typeof message === 'string') assert.equal(r.stderr, `kpispec: ${message}\n`, what);
  else assert.match(r.stderr, message, what);
}

describe('kpispec usage errors (exit 2)', () => {
  it('an unknown --kpi is a usage error with a suggestion, even with --fail-on missed (eval and sql)', () => {
    const message = 'unknown KPI `bounce_rat` in --kpi (did you mean `bounce_rate`?)';
    assertUsage(runCli(['eval', SAMPLE, '--kpi', 'bounce_rat', '--fail-on', 'missed']), message, 'eval');
    assertUsage(runCli(['sql', SAMPLE, '--dialect', 'duckdb', '--kpi', 'bounce_rat']), message, 'sql');
    assertUsage(runCli(['eval', SAMPLE, '--kpi', 'aov', '--kpi', 'zzzzzz']), 'unknown KPI `zzzzzz` in --kpi', 'no close id');
  });

  it('an unknown --by dimension is one usage error with a suggestion among the sources\' dimensions (eval and sql)', () => {
    const message = 'unknown dimension `chanel` in --by (did you mean `channel`?)';
    assertUsage(runCli(['eval', SAMPLE, '--by', 'chanel']), message, 'eval');
    assertUsage(runCli(['sql', SAMPLE, '--dialect', 'duckdb', '--by', 'chanel']), message, 'sql');
    const dir = tempWorkspace({ 'a.kpi.yaml': SPEC });
    assertUsage(runCli(['eval', 'a.kpi.yaml', '--by', 'zzz'], dir), 'unknown dimension `zzz` in --by; the sources declare `channel`', 'no close dimension');
    const ok = runCli(['eval', 'a.kpi.yaml', '--by', 'channel', '--format', 'json'], dir);
    assert.equal(ok.status, 0, ok.stderr);
  });

  it('eval, sql and diff refuse a folder, a data file or a missing path where a spec is expected; two folders still diff', () => {
    const dir = tempWorkspace({ 'a.kpi.yaml': SPEC, 'data.csv': 'd,n\n2026-01-01,1\n', 'old/a.kpi.yaml': SPEC, 'new/a.kpi.yaml': SPEC.replace('target: 5', 'target: 1'), 'empty/x.txt': '' });
    const spec = '(*.kpi.yaml or *.kpi.yml)';
    for (const cmd of [['eval'], ['sql', '--dialect', 'duckdb']]) {
      const takes = `${cmd[0]} takes one spec file ${spec}`;
      assertUsage(runCli([...cmd, '.'], dir), `. is a folder; ${takes}`, `${cmd[0]} .`);
      assertUsage(runCli([...cmd, 'data.csv'], dir), `data.csv is not a spec file; ${takes}`, `${cmd[0]} data.csv`);
      assertUsage(runCli([...cmd, 'nope.kpi.yaml'], dir), `no such file: nope.kpi.yaml; ${takes}`, `${cmd[0]} nope.kpi.yaml`);
    }
    const takes = `diff takes two spec files ${spec} or two folders`;
    assertUsage(runCli(['diff', 'data.csv', 'a.kpi.yaml'], dir), `data.csv is not a spec file; ${takes}`, 'diff data.csv');
    assertUsage(runCli(['diff', 'a.kpi.yaml', 'nope.kpi.yaml'], dir), `no such file or folder: nope.kpi.yaml; ${takes}`, 'diff nope');
    assertUsage(runCli(['diff', 'empty', 'empty'], dir), 'no spec files in empty or empty', 'diff of folders without specs');
    assertUsage(runCli(['check', 'data.csv'], dir), `data.csv is not a spec file; check takes spec files ${spec}, folders or globs`, 'check data.csv');
    const folders = runCli(['diff', 'old', 'new', '--format', 'json'], dir);
    assert.equal(folders.status, 0, folders.stderr);
    assert.equal(JSON.parse(folders.stdout).summary.changed, 1);
  });

  it('an output file that cannot be written names the path and the reason (check, eval, sql, diff)', () => {
    const dir = tempWorkspace({ 'a.kpi.yaml': SPEC, 'b.kpi.yaml': SPEC, 'out/keep.txt': '' });
    for (const cmd of [['check'], ['eval', 'a.kpi.yaml'], ['sql', 'a.kpi.yaml', '-d', 'duckdb'], ['diff', 'a.kpi.yaml', 'b.kpi.yaml']]) {
      assertUsage(runCli([...cmd, '-o', 'missing-folder/x.txt'], dir), 'cannot write missing-folder/x.txt: no such folder', `${cmd[0]} -o missing-folder`);
      assertUsage(runCli([...cmd, '--output', 'out'], dir), 'cannot write out: it is a folder', `${cmd[0]} -o a folder`);
    }
    assertUsage(runCli(['eval', 'a.kpi.yaml', '-o', 'a.kpi.yaml'], dir), 'cannot write a.kpi.yaml: the output would be taken for a spec (*.kpi.yaml, *.kpi.yml)', 'eval over its spec');
  });

  it('unknown options, missing values, values for switches and extra words read well (one message per case)', () => {
    const help = 'run "kpispec eval --help"';
    assertUsage(runCli(['eval', SAMPLE, '--watch']), `unknown option "--watch"; ${help}`, 'unknown option');
    assertUsage(runCli(['eval', SAMPLE, '--fromm', '2026']), `unknown option "--fromm" (did you mean "--from"?); ${help}`, 'misspelt option');
    assertUsage(runCli(['eval', SAMPLE, '--grain']), `--grain needs a value; ${help}`, 'missing value at the end');
    assertUsage(runCli(['eval', SAMPLE, '--grain', '--last', '2']), `--grain needs a value, got the option "--last"; ${help}`, 'missing value before an option');
    assertUsage(runCli(['eval', SAMPLE, '--kpi=']), `--kpi needs a value; ${help}`, 'empty value');
    assertUsage(runCli(['eval', SAMPLE, '--color=yes']), `--color takes no value; ${help}`, 'value for a switch');
    assertUsage(runCli(['eval', SAMPLE, '--by', 'channel', '--by', 'device']), '--by is given twice; it takes one value', 'repeated option');
    assertUsage(runCli(['eval', SAMPLE, 'extra.kpi.yaml']), `unexpected argument "extra.kpi.yaml": eval takes one spec file; ${help}`, 'extra word');
    assertUsage(runCli(['sql', SAMPLE, '-d', 'duckdb', '--format', 'json']), 'unknown option "--format"; run "kpispec sql --help"', 'sql');
    assertUsage(runCli(['check', '--max-warnings']), '--max-warnings needs a value; run "kpispec check --help"', 'check');
    assertUsage(runCli(['diff', 'a', 'b', 'c']), 'unexpected argument "c": diff takes two spec files or folders, old then new; run "kpispec diff --help"', 'diff');
    assertUsage(runCli(['evl', SAMPLE]), 'unknown command "evl" (did you mean "eval"?); run "kpispec --help"', 'command');
    assertUsage(runCli(['--verbose']), 'unknown option "--verbose"; run "kpispec --help"', 'global option');
    assertUsage(runCli(['lsp', '--stdoi']), 'unknown option "--stdoi" (did you mean "--stdio"?); run "kpispec lsp --help"', 'lsp option');
    assertUsage(runCli(['lsp', 'samples']), 'unexpected argument "samples": lsp takes no arguments; run "kpispec lsp --help"', 'lsp argument');
    const help2 = runCli(['eval', '--watch', '--help']);
    assert.equal(help2.status, 0, 'help wins over a mistake next to it');
    assert.match(help2.stdout, /^Usage: kpispec eval/);
  });

  it('bad option values are usage errors: numbers, grains, periods, ranges, formats, --root', () => {
    const cases: [string[], string][] = [
      [['eval', SAMPLE, '--from', '2026-06', '--to', '2026-01'], '--from 2026-06 is after --to 2026-01'],
      [['eval', SAMPLE, '--grain', 'weekly'], 'unknown grain "weekly" (did you mean "week"?); use one of day, week, month, quarter, year, all'],
      [['eval', SAMPLE, '--from', '2026-13'], '--from needs a period such as 2026-01, 2026-Q1, 2026-W05 or 2026; got "2026-13"'],
      [['sql', SAMPLE, '-d', 'duckdb', '--from', '2026-Q3', '--to', '2026-02'], '--from 2026-Q3 is after --to 2026-02'],
      [['eval', SAMPLE, '--last', '1e1'], '--last needs a positive whole number, got "1e1"'],
      [['eval', SAMPLE, '--last', '-2'], '--last needs a positive whole number, got "-2"'],
      [['eval', SAMPLE, '--format', 'jsn'], 'unknown format "jsn" (did you mean "json"?); use one of table, json, csv, markdown'],
      [['eval', SAMPLE, '--engine', 'duckd'], 'unknown engine "duckd" (did you mean "duckdb"?); use one of in-process, duckdb, postgres'],
      [['eval', SAMPLE, '--root', 'nope'], '--root: no such folder: nope'],
      [['eval', SAMPLE, '--root', 'package.json'], '--root: package.json is a file, not a folder'],
      [['sql', SAMPLE, '-d', 'postgress'], 'unknown dialect "postgress" (did you mean "postgres"?); use one of duckdb, postgres, bigquery, snowflake'],
      [['check', 'samples', '--max-warnings', '1.5'], '--max-warnings needs a whole number, got "1.5"'],
      [['check', 'samples', '--max-warnings', '-1'], '--max-warnings needs a whole number, got "-1"'],
      [['check', 'samples', '--max-file-size', '0'], '--max-file-size needs a number above 0, got "0"'],
      [['check', 'samples', '--root', 'nope'], '--root: no such folder: nope'],
      [['check', 'samples', '--format', 'sarf'], 'unknown format "sarf" (did you mean "sarif"?); use one of stylish, json, sarif, github, junit'],
    ];
    for (const [args, message] of cases) assertUsage(runCli(args), message, args.join(' '));
    const within = runCli(['eval', SAMPLE, '--from', '2026-01-15', '--to', '2026-01', '--kpi', 'aov']);
    assert.equal(within.status, 0, 'a day inside the --to month is a range');
  });
});
