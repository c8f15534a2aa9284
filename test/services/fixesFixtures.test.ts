import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { relative, verifyFixes } from './fixProperty';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'broken');
/** As test/check/markers.test.ts: the fixtures folder's parent, and the baseline run's size limit. */
const ROOT = path.dirname(FIXTURES);
const MAX_FILE_SIZE = 0.05 * 1024 * 1024;

describe('services: quick fixes over every broken fixture (applied, the problem is gone and no error is new)', function () {
  this.timeout(120_000);
  const files = fs.readdirSync(FIXTURES).filter((f) => /\.kpi\.ya?ml$/.test(f)).sort().map((f) => path.join(FIXTURES, f));
  let total = 0;

  for (const file of files) {
    it(relative(FIXTURES, file), () => {
      const verdicts = verifyFixes(ROOT, file, MAX_FILE_SIZE);
      total += verdicts.length;
      const failed = verdicts.filter((v) => v.failure).map((v) => `${v.rule} — "${v.title}": ${v.failure}`);
      if (failed.length) assert.fail(`${failed.length} of ${verdicts.length} fixes fail:\n  ${failed.join('\n  ')}`);
    });
  }

  after(() => {
    // the walk is not vacuous: the fixtures offer fixes of most kinds
    assert.ok(total > 80, `only ${total} fixes were tried`);
  });
});
