import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { usedDefinitions } from '../../server/src/language/analysis/unused';
import { UsedIndex } from '../../server/src/language/analysis/usedIndex';
import type { Definition } from '../../server/src/language/model';
import { Workspace } from '../../server/src/language/workspace';
import { MemoryHost, ROOT, WEB_CSV } from '../helpers/memoryHost';
import { apply, edit, type EditSpec } from './edits';
import { generated } from './generatedSpec';

/**
 * The language server keeps the workspace's used definitions (what unused-metric asks) across
 * edits (analysis/usedIndex.ts). Held to the full computation: random edit sequences over three
 * files that import each other, with files leaving and joining the workspace and an imported
 * file deleted and restored, and after every step the index equals usedDefinitions() of the
 * same workspace, definition for definition.
 */
const SEED = Number(process.env.INCREMENTAL_SEED ?? 20261206);
const RUNS = Number(process.env.INCREMENTAL_RUNS ?? 40);

const MAIN = path.join(ROOT, 'main.kpi.yaml');
const LIB = path.join(ROOT, 'lib.kpi.yaml');
const OTHER = path.join(ROOT, 'other.kpi.yaml');

/** main: the generated spec importing lib, with KPIs over lib's metrics. */
const mainText = generated(24)
  .replace('kpispec: 1\n', 'kpispec: 1\nimports: [lib.kpi.yaml]\n')
  .replace('kpis:\n', 'kpis:\n  k_lib: { formula: shared_0 + shared_1 * m_a_2 }\n  k_lib2:\n    formula: shared_2 / (kpi_lib_1 + 1\n');
/** lib: metrics and KPIs of its own; `m_a_3` is not in its scope. */
const libText = [
  'kpispec: 1', 'sources:', '  web: { file: web.csv, time: date }', 'metrics:',
  ...Array.from({ length: 6 }, (_, i) => `  shared_${i}: { source: web, agg: sum, column: sessions }`),
  'kpis:',
  ...Array.from({ length: 4 }, (_, i) => `  kpi_lib_${i}:\n    title: Lib ${i}\n    formula: shared_${i} / shared_${i + 1} + m_a_3`),
].join('\n') + '\n';
/** other: imports lib and defines an id of lib's again (its own wins in its scope). */
const otherText = [
  'kpispec: 1', 'imports: [lib.kpi.yaml]', 'metrics:', '  shared_2: { source: web, agg: sum, column: bounces }', '  mine: { source: web, agg: count }',
  'kpis:', '  o_1: { formula: shared_2 + mine }', '  o_2:', '    formula: shared_3 * 2',
].join('\n') + '\n';

type Step =
  | { kind: 'edit'; file: number; edit: EditSpec }
  | { kind: 'files'; which: number }
  | { kind: 'delete-lib' }
  | { kind: 'restore' };

const FILES = [MAIN, LIB, OTHER];
const SETS = [[MAIN, LIB, OTHER], [MAIN], [OTHER], [MAIN, OTHER], [LIB]];

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('edit' as const), file: fc.nat({ max: 2 }), edit }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('files' as const), which: fc.nat({ max: SETS.length - 1 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'delete-lib' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restore' as const }) },
);

function sameSet(got: Set<Definition>, want: Set<Definition>, what: string): void {
  const id = (d: Definition) => `${d.kind} ${d.id} in ${path.basename(d.file)}`;
  const missing = [...want].filter((d) => !got.has(d)).map(id);
  const extra = [...got].filter((d) => !want.has(d)).map(id);
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, what);
}

/** A workspace kept across edits, as the language server keeps it, with its index. */
class Session {
  readonly host = new MemoryHost({ 'web.csv': WEB_CSV, 'main.kpi.yaml': mainText, 'lib.kpi.yaml': libText, 'other.kpi.yaml': otherText });
  readonly ws = new Workspace(this.host, ROOT);
  readonly index = new UsedIndex(this.ws);
  texts = new Map([[MAIN, mainText], [LIB, libText], [OTHER, otherText]]);
  files = SETS[0]!;

  set(file: string, text: string | undefined): void {
    if (text === undefined) this.host.files.delete(file);
    else this.host.files.set(file, text);
    this.ws.forget(file);
  }

  check(what: string): void {
    sameSet(this.index.update(this.files), usedDefinitions(this.ws, this.files), what);
  }
}

describe('language: the used-definition index kept across edits equals the full computation', function () {
  this.timeout(120_000);

  it('after every step of random edit sequences over files that import each other', () => {
    let steps = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 10 }), (sequence: Step[]) => {
        const s = new Session();
        s.check('at first');
        sequence.forEach((st, i) => {
          const what = `step ${i + 1} ${JSON.stringify(st)}`;
          if (st.kind === 'edit') {
            const file = FILES[st.file]!;
            const text = apply(s.texts.get(file)!, st.edit);
            s.texts.set(file, text);
            s.set(file, text);
          } else if (st.kind === 'files') s.files = SETS[st.which]!;
          else if (st.kind === 'delete-lib') s.set(LIB, undefined);
          else s.set(LIB, s.texts.get(LIB));
          s.check(what);
          steps++;
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
    assert.ok(steps >= RUNS, `${steps} steps`);
  });

  it('walks only the formulas of the KPIs an edit rebuilt', () => {
    const s = new Session();
    s.check('at first');
    assert.equal(s.index.walked, 27 + 4 + 2, 'every KPI at first');
    const retitled = mainText.replace('title: KPI 7 ', 'title: KPI 7x ');
    s.set(MAIN, retitled);
    s.check('a title edited');
    assert.equal(s.index.walked, 1, 'the edited KPI alone');
    const reformulated = retitled.replace(/(kpi_a_8:\n {4}title: [^\n]*\n {4}formula: )[^\n]*/, '$1shared_5 + m_a_20');
    assert.notEqual(reformulated, retitled);
    s.set(MAIN, reformulated);
    s.check('a formula edited');
    assert.equal(s.index.walked, 1, 'the edited KPI alone');
    s.set(LIB, libText.replace('column: sessions', 'column: bounces'));
    s.check('a metric of an imported file edited');
    assert.equal(s.index.walked, 0, 'no KPI');
    s.check('nothing changed');
    assert.equal(s.index.walked, 0);
  });

  it('counts a metric unused once its last use goes, and used again when a use comes back', () => {
    const s = new Session();
    // shared_4 has one use: kpi_lib_3's formula, shared_3 / shared_4.
    const uses = () => [...s.index.update(s.files)].filter((d) => d.id === 'shared_4').length;
    assert.equal(uses(), 1);
    s.set(LIB, libText.replace('shared_3 / shared_4', 'shared_3 / shared_3'));
    assert.equal(uses(), 0);
    assert.equal(s.index.walked, 1);
    s.set(LIB, libText);
    assert.equal(uses(), 1);
    s.files = [OTHER];
    assert.equal(uses(), 1, 'through the import of the file given');
    s.files = [];
    assert.equal(uses(), 0, 'no file, no use');
  });
});
