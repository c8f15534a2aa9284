import * as assert from 'node:assert/strict';
import { runCheckerFuzz } from './checkerFuzz';

/** The bounded fuzz run of `npm test`: fixed seed; `npm run fuzz` runs many more cases (docs/testing.md). */
describe('fuzz: mutated specs through the checker, the engine and the editor features', function () {
  this.timeout(120_000);

  it('no exception escapes, and every problem and span lies within its text', () => {
    const run = runCheckerFuzz(20261201, 2500);
    assert.equal(run.cases, 2500);
    assert.equal(run.failures.length, 0, run.reports.join('\n\n'));
  });
});
