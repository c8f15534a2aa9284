import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import type * as Sarif from 'sarif';
import schema from '../../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';
import { sarif } from '../../../server/src/cli/format/sarif';
import type { FileReport } from '../../../server/src/cli/report';
import { A, cwd, options, reports } from './fixtures';

/**
 * The jest-sarif schema is draft-04, which ajv 8 does not know: drop `$schema` (and draft-04's
 * `id`) and compile it as draft-07, which reads the keywords it uses the same way. One `language`
 * pattern is not valid with the `u` flag, hence unicodeRegExp: false. ajv-formats is not installed,
 * so the formats the schema uses are defined here, strictly enough to catch unencoded URIs.
 */
function validator() {
  const { $schema: _s, id: _id, ...draft } = schema as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:[\x21-\x7e]*$/i.test(s) && URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => /^[\x21-\x7e]*$/.test(s) && URL.canParse(s, 'file:///'));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(draft);
}
const validate = validator();

function run(input: FileReport[]): { log: Sarif.Log; run: Sarif.Run } {
  const text = sarif(input, options);
  const log = JSON.parse(text) as Sarif.Log;
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  assert.ok(text.endsWith('}\n'));
  return { log, run: log.runs[0]! };
}

describe('format/sarif', () => {
  it('validates against the SARIF 2.1.0 schema, and the validator does reject bad logs', () => {
    run(reports());
    run([]);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'k', informationUri: 'not a uri' } } }] }), false);
  });

  it('describes the log, the tool and the column unit', () => {
    const { log, run: r } = run(reports());
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    assert.equal(r.columnKind, 'utf16CodeUnits');
    assert.deepEqual(r.originalUriBaseIds, { '%SRCROOT%': { uri: pathToFileURL(cwd).href + '/' } });
    const { rules, ...driver } = r.tool.driver;
    assert.deepEqual(driver, { name: 'kpispec', version: '0.1.0', informationUri: 'https://github.com/kpispec/kpispec' });
    // Only the rules that occur, in registry order.
    assert.deepEqual(rules!.map((x) => x.id), ['unsupported-version', 'unknown-reference', 'circular-definition', 'format-mismatch', 'unused-metric']);
    assert.deepEqual(rules![4], {
      id: 'unused-metric',
      shortDescription: { text: 'A metric that no KPI uses.' },
      fullDescription: { text: 'A metric that no KPI uses.' },
      help: { text: 'Use the metric in a KPI or remove it.' },
      defaultConfiguration: { level: 'note' },
    });
  });

  it('reports results with rule index, level and a UTF-16 region', () => {
    const { run: r } = run(reports());
    const results = r.results!;
    assert.deepEqual(results.map((x) => [x.ruleId, r.tool.driver.rules![x.ruleIndex!]!.id === x.ruleId, x.level]), [
      ['unsupported-version', true, 'note'],
      ['unused-metric', true, 'note'],
      ['unknown-reference', true, 'error'],
      ['format-mismatch', true, 'warning'],
      ['circular-definition', true, 'error'],
    ]);
    assert.deepEqual(results[2]!.locations, [
      {
        physicalLocation: {
          artifactLocation: { uri: 'specs/a.kpi.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 4, startColumn: 21, endLine: 4, endColumn: 27, charOffset: 59, charLength: 6 },
        },
      },
    ]);
    assert.equal(results[2]!.message.text, 'Unknown reference `revnue`; did you mean `revenue`?');
  });

  it('gives related locations ids and messages', () => {
    const related = run(reports()).run.results![4]!.relatedLocations!;
    assert.deepEqual(related.map((x) => [x.id, x.message!.text, x.physicalLocation!.artifactLocation!.uri, x.physicalLocation!.region!.startLine]), [
      [0, 'y uses x', 'specs/b.kpi.yaml', 6],
      [1, 'see also', 'specs/a.kpi.yaml', 3],
    ]);
  });

  it('percent-encodes relative URIs and uses absolute file URIs outside cwd', () => {
    const odd = path.join(cwd, 'my specs', '指标#1.kpi.yaml');
    const outside = path.resolve(cwd, '..', 'elsewhere', 'x.kpi.yaml');
    const p = (file: string) => ({ rule: 'not-a-registered-rule', severity: 'warning' as const, message: 'm', file, span: { offset: 0, length: 1 } });
    const { run: r } = run([
      { file: odd, text: 'x', problems: [p(odd)] },
      { file: outside, text: 'x', problems: [p(outside)] },
    ]);
    const locs = r.results!.map((x) => x.locations![0]!.physicalLocation!.artifactLocation);
    assert.deepEqual(locs, [{ uri: pathToFileURL(outside).href }, { uri: 'my%20specs/%E6%8C%87%E6%A0%87%231.kpi.yaml', uriBaseId: '%SRCROOT%' }]);
    // A rule missing from the registry still gets a descriptor, so ruleIndex stays valid.
    assert.deepEqual(r.tool.driver.rules, [{ id: 'not-a-registered-rule' }]);
    assert.deepEqual(r.results!.map((x) => x.ruleIndex), [0, 0]);
  });

  it('keeps an empty span as an insertion point', () => {
    const { run: r } = run([{ file: A, text: 'ab', problems: [{ rule: 'missing-key', severity: 'error', message: 'm', file: A, span: { offset: 1, length: 0 } }] }]);
    assert.deepEqual(r.results![0]!.locations![0]!.physicalLocation!.region, { startLine: 1, startColumn: 2, endLine: 1, endColumn: 2, charOffset: 1, charLength: 0 });
  });
});
