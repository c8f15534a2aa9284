import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import { KpiReuse } from '../../server/src/engine/reuse';
import { evaluateSpec } from '../../server/src/engine/run';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { Workspace } from '../../server/src/language/workspace';
import { OverlayHost } from '../../server/src/lsp/overlayHost';
import { REPO } from '../helpers/runCli';
import { apply, type EditSpec, type Where } from '../language/edits';

/**
 * The editor evaluates a spec again after each edit, reusing the KPI results nothing changed
 * under (engine/reuse.ts) and re-reading only the edited definition (language/remodel.ts).
 * Random edit sequences on the samples (targets, titles, formulas, anywhere): after every step
 * the results equal a from-scratch evaluation of the same text, and most KPIs were reused.
 */
const SEED = Number(process.env.INCREMENTAL_SEED ?? 20261206);
const RUNS = Number(process.env.INCREMENTAL_RUNS ?? 12);

const editing: fc.Arbitrary<EditSpec> = fc.record({
  where: fc.constantFrom<Where>('target', 'target', 'title', 'formula', 'formula', 'anywhere'),
  pick: fc.nat(),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 })),
  insert: fc.constantFrom('1', '0', '5%', 'x', ' + 1', ' * 2', 'sessions', '', ' ', '(', 'a'),
});

describe('engine: evaluation after edits, reusing what did not change, equals a fresh evaluation', function () {
  this.timeout(600_000);

  for (const [sample, edited] of [['webshop.kpi.yaml', 'webshop.kpi.yaml'], ['webshop.kpi.yaml', 'sources.kpi.yaml']]) {
    it(`samples/${sample}, editing ${edited}`, () => {
      const spec = path.join(REPO, 'samples', sample!);
      const file = path.join(REPO, 'samples', edited!);
      const text0 = fs.readFileSync(file, 'utf8');
      const root = path.dirname(file);
      let reused = 0;
      let computed = 0;
      fc.assert(
        fc.property(fc.array(editing, { minLength: 1, maxLength: 6 }), (edits) => {
          // The editor's evaluation: one model-only workspace, tables and kept results across edits.
          const host = new OverlayHost(new NodeHost());
          const ws = new Workspace(host, root, { modelOnly: true });
          const tables = new TableCache();
          const reuse = new KpiReuse();
          const data = { file: tables.file.bind(tables), memo: tables.memo, reuse };
          let text = text0;
          for (const [i, e] of [undefined, ...edits].entries()) {
            if (e) text = apply(text, e);
            host.setOpen(file, text);
            ws.forget(file);
            const fresh = new Workspace(new OverlayHost(new NodeHost()), root);
            (fresh.host as OverlayHost).setOpen(file, text);
            const problems = checkFiles(fresh, [spec]).flatMap((r) => r.problems);
            const hits = reuse.hits;
            const got = evaluateSpec(ws, spec, {}, data, problems);
            const want = evaluateSpec(fresh, spec, {}, new TableCache(), problems);
            assert.deepEqual(got, want, `edit ${i} ${JSON.stringify(e)}`);
            if (i > 0) {
              reused += reuse.hits - hits;
              computed += got.kpis.length - (reuse.hits - hits);
            }
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
      assert.ok(reused > computed, `most KPIs are reused after an edit: ${reused} reused, ${computed} computed`);
    });
  }
});
