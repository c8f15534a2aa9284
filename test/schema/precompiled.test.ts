import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import schemaJson from '../../schemas/kpispec.schema.json';
import { fingerprint } from '../../server/src/language/schemaSplit';
import * as precompiled from '../../server/src/language/schemaValidators.generated';
import { GENERATED, validatorsSource } from '../../scripts/schema-validators';

describe('schema: precompiled validators', () => {
  it('are those of the schema as it is now (npm run schema:validators writes them)', () => {
    assert.equal(precompiled.fingerprint, fingerprint(schemaJson));
    assert.ok(fs.readFileSync(GENERATED, 'utf8') === validatorsSource(), 'schemaValidators.generated.js is out of date: run npm run schema:validators');
  });

  it('report what the schema compiled at run time reports', () => {
    const entry = { source: 'web', agg: 'total', column: 3, extra: true };
    assert.equal(precompiled.metrics(entry), false);
    const messages = precompiled.metrics.errors!.map((e) => `${e.instancePath} ${e.keyword}`).sort();
    assert.deepEqual(messages, ['/agg enum', '/column type', ' additionalProperties'].sort());
  });
});
