import * as assert from 'node:assert/strict';
import { lspReport, runLspFuzz } from './lspFuzz';

/** The bounded fuzz run of `npm test` against the built server (npm test builds it first). */
describe('fuzz: random LSP request sequences against the real server', function () {
  this.timeout(120_000);

  it('answers every request properly and in time, stays up, and hovers right afterwards', async () => {
    const run = await runLspFuzz(20261201, 400);
    assert.equal(run.faults.length, 0, lspReport(run));
    assert.equal(run.requests, 400);
  });
});
