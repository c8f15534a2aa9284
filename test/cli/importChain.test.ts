import * as assert from 'node:assert/strict';
import type { EvalResult } from '../../server/src/engine/results';
import { runCli } from '../helpers/runCli';

// a.kpi.yaml → b.kpi.yaml → c.kpi.yaml → sources.kpi.yaml, which does not exist. The source
// `web` was defined there: b's and c's metrics over it are errors in their own files, and a's
// KPIs over those metrics can have no value.
const A = 'test/fixtures/importChain/a.kpi.yaml';
const CHAIN = 'a.kpi.yaml → b.kpi.yaml → c.kpi.yaml cannot import `sources.kpi.yaml`: the file does not exist';

describe('a three-file import chain with a missing file at the end', () => {
  it('check on the first file reports the chain and the imported files’ errors at its `imports:` entry', () => {
    const r = runCli(['check', A, '--format', 'json']);
    assert.equal(r.status, 1, r.stderr);
    const problems = JSON.parse(r.stdout).files[0].problems as { rule: string; line: number; column: number; message: string; related?: { file: string; line: number }[] }[];
    assert.deepEqual(problems.map((p) => `${p.line}:${p.column} ${p.rule}`), ['3:11 import-not-found', '3:11 imported-problems']);
    assert.match(problems[0]!.message, /^`b\.kpi\.yaml` is incomplete: b\.kpi\.yaml → c\.kpi\.yaml cannot import `sources\.kpi\.yaml`/);
    const summary = problems[1]!;
    assert.equal(summary.message, '`b.kpi.yaml` and the files it imports have 3 errors, the first at b.kpi.yaml:4:21: unknown source `web`; what is defined there with an error is not evaluated, nor what uses it here');
    assert.deepEqual(summary.related!.map((x) => `${x.file.replace(/^.*\//, '')}:${x.line}`), ['b.kpi.yaml:4', 'b.kpi.yaml:5', 'c.kpi.yaml:5']);
  });

  it('eval gives the reason for each KPI without a value, through KPIs that use them too', () => {
    const r = runCli(['eval', A, '--format', 'json']);
    assert.equal(r.status, 1, 'the spec has errors');
    const result = JSON.parse(r.stdout) as EvalResult;
    const reason = (id: string) => {
      const k = result.kpis.find((x) => x.id === id)!;
      assert.equal(k.latest.value, null, id);
      assert.equal(k.problems.length, 1, `${id}: ${JSON.stringify(k.problems)}`);
      return `${k.problems[0]!.severity} ${k.problems[0]!.line}:${k.problems[0]!.column} ${k.problems[0]!.message}`;
    };
    assert.equal(reason('conversion'), `error 5:3 \`conversion\` has no value: it reads the metric \`orders\` (b.kpi.yaml:4:21), whose source \`web\` no file in scope defines; ${CHAIN}`);
    assert.equal(reason('orders_per_visit'), `error 8:3 \`orders_per_visit\` has no value: it reads the metric \`orders\` (b.kpi.yaml:4:21), whose source \`web\` no file in scope defines; ${CHAIN}`);
    assert.equal(reason('doubled'), `error 10:3 \`doubled\` has no value: it reads the metric \`orders\` (b.kpi.yaml:4:21), whose source \`web\` no file in scope defines; ${CHAIN}`);
    const table = runCli(['eval', A]);
    assert.match(table.stdout, /error {2}test\/fixtures\/importChain\/a\.kpi\.yaml:5:3 {2}`conversion` has no value/);
  });

  it('a KPI reading a KPI that is not evaluated says so, with or without a value of its own', () => {
    const r = runCli(['eval', 'test/fixtures/importChain/dependent.kpi.yaml', '--format', 'json']);
    const result = JSON.parse(r.stdout) as EvalResult;
    const said = (id: string) => result.kpis.find((x) => x.id === id)!.problems.map((p) => `${p.severity} ${p.message}`);
    assert.equal(result.kpis.find((x) => x.id === 'uses_broken')!.latest.value, null);
    assert.deepEqual(said('uses_broken'), ['warning `uses_broken` is computed without `broken`, which is not evaluated']);
    // coalesce() gives a value around the missing input: shown, and flagged.
    assert.equal(result.kpis.find((x) => x.id === 'around_broken')!.latest.value, 3);
    assert.deepEqual(said('around_broken'), ['warning `around_broken` is computed without `broken`, which is not evaluated']);
    assert.equal(result.kpis.find((x) => x.id === 'fine')!.latest.value, 3);
    assert.deepEqual(said('fine'), []);
  });
});
