import * as assert from 'node:assert/strict';
import { DEFAULT_MAX_FILE_SIZE } from '../../server/src/data/nodeHost';
import { specSizeLimit, tooLargeMessage } from '../../server/src/lsp/specSizeLimit';

describe('the editor’s spec size limit (kpispec.spec.maxFileSizeMB)', () => {
  it('takes a number of MB above 0, fractions too', () => {
    assert.equal(specSizeLimit(40), 40 * 1024 * 1024);
    assert.equal(specSizeLimit(0.5), 512 * 1024);
    assert.equal(specSizeLimit('25'), 25 * 1024 * 1024);
  });

  it('keeps the safe default for anything else', () => {
    for (const given of [undefined, null, 0, -3, NaN, Infinity, '', ' ', 'ten', {}, [], true]) {
      assert.equal(specSizeLimit(given), DEFAULT_MAX_FILE_SIZE, JSON.stringify(given));
    }
  });

  it('names the setting in the message of a refused spec', () => {
    assert.equal(tooLargeMessage('file', 21 * 1024 * 1024, DEFAULT_MAX_FILE_SIZE),
      "the file is 21.0 MB, over the editor's 10.0 MB limit for specs; split it with `imports` or raise the setting kpispec.spec.maxFileSizeMB");
    assert.match(tooLargeMessage('document', 600 * 1024, 512 * 1024), /^the document is 600\.0 KB, over the editor's 512\.0 KB limit/);
  });
});
