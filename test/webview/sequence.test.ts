import * as assert from 'node:assert/strict';
import { Sequence } from '../../client/src/webview/sequence';

describe('webview: message sequence', () => {
  it('accepts growing and equal numbers and refuses older ones', () => {
    const s = new Sequence();
    assert.deepEqual([3, 3, 2, 4, 1, 4, Number.NaN].map((n) => s.accept(n)), [true, true, false, true, false, true, false]);
  });
});
