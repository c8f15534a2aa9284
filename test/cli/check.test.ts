import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/language/rules';
import { spec, WEB_CSV } from '../helpers/memoryHost';
import { REPO, runCli, tempWorkspace } from '../helpers/runCli';

const version = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;

describe('kpispec check (command line)', () => {
  it('passes the shipped samples with no problems at all', () => {
    const r = runCli(['check', 'samples']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.trim(), '✔ no problems');
  });

  it('finds every spec below the current folder, skipping node_modules and .git', () => {
    const dir = tempWorkspace({
      'a.kpi.yaml': 'kpispec: 1\nname: a\n',
      'sub/b.kpi.yml': 'kpispec: 1\nname: b\nkpis:\n  x: { formula: nope }\n',
      'node_modules/c.kpi.yaml': 'broken: [\n',
      '.git/d.kpi.yaml': 'broken: [\n',
      'notes.yaml': 'broken: [\n',
    });
    const r = runCli(['check', '--format', 'json'], dir);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.files.map((f: { file: string }) => f.file), ['a.kpi.yaml', 'sub/b.kpi.yml']);
    assert.equal(r.status, 1);
  });

  it('expands globs and reports arguments that match nothing as a usage error', () => {
    const dir = tempWorkspace({ 'x/a.kpi.yaml': 'kpispec: 1\n', 'x/y/b.kpi.yaml': 'kpispec: 1\n' });
    const r = runCli(['check', 'x/**/*.kpi.yaml', '--format', 'json'], dir);
    assert.deepEqual(JSON.parse(r.stdout).files.map((f: { file: string }) => f.file), ['x/a.kpi.yaml', 'x/y/b.kpi.yaml']);
    const missing = runCli(['check', 'nothing-here'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^kpispec: no spec files match "nothing-here"\n$/);
  });

  it('exits 0 with warnings under --max-warnings and 1 over it; --quiet hides them but still counts', () => {
    const text = spec({ kpis: '  br: { formula: bounces / sessions, format: percent, direction: down, target: 40 }' });
    const dir = tempWorkspace({ 'a.kpi.yaml': text, 'web.csv': WEB_CSV });
    assert.equal(runCli(['check'], dir).status, 0);
    const over = runCli(['check', '--max-warnings', '0'], dir);
    assert.equal(over.status, 1);
    assert.match(over.stderr, /1 warnings, more than --max-warnings 0/);
    const quiet = runCli(['check', '--quiet', '--max-warnings', '0'], dir);
    assert.equal(quiet.status, 1);
    assert.doesNotMatch(quiet.stdout, /percent-target/);
  });

  it('writes the report to a file with -o', () => {
    const dir = tempWorkspace({ 'a.kpi.yaml': 'kpispec: 1\nkpis:\n  x: { formula: y }\n' });
    const r = runCli(['check', '-o', 'out.sarif', '--format', 'sarif'], dir);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'out.sarif'), 'utf8'));
    assert.equal(sarif.runs[0].results[0].ruleId, 'unknown-reference');
  });

  it('prints help, version, and usage errors with exit code 2 and no stack trace', () => {
    const help = runCli(['check', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: kpispec check/);
    assert.equal(runCli(['--version']).stdout.trim(), version);
    for (const args of [['check', '--format', 'xml'], ['check', '--bogus'], ['frobnicate'], ['check', '--max-warnings', 'many'], []]) {
      const r = runCli(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.doesNotMatch(r.stderr + r.stdout, /\n\s+at /, 'no stack trace');
    }
  });

  it('produces each output format for a broken spec', () => {
    const line = '  x: { formula: sesions }';
    const col = line.indexOf('sesions') + 1;
    const dir = tempWorkspace({ 'a.kpi.yaml': `kpispec: 1\nkpis:\n${line}\n` });
    const github = runCli(['check', '--format', 'github'], dir).stdout;
    assert.ok(github.startsWith(`::error file=a.kpi.yaml,line=3,col=${col},endLine=3,endColumn=${col + 7},title=kpispec unknown-reference::unknown metric or KPI \`sesions\``), github);
    const junit = runCli(['check', '--format', 'junit'], dir).stdout;
    assert.ok(junit.includes(`<testcase classname="unknown-reference" name="3:${col} `), junit);
    const stylish = runCli(['check'], dir).stdout;
    assert.match(stylish, new RegExp(`3:${col}\\s+error\\s+unknown metric or KPI \`sesions\``));
  });

  it('names every rule in kebab case (the ids used in output, suppressions and SARIF)', () => {
    for (const id of RULES.keys()) assert.match(id, /^[a-z]+(-[a-z]+)*$/);
  });
});
