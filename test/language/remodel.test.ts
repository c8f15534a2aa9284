import * as assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { asSpan } from '../helpers/spanJson';
import { parseModel, type ParsedSpec } from '../../server/src/language/parse';
import { Workspace } from '../../server/src/language/workspace';
import { MemoryHost, ROOT, WEB_CSV } from '../helpers/memoryHost';
import { apply, edit, type EditSpec } from './edits';
import { generated } from './generatedSpec';

/**
 * The evaluation worker's model-only workspace re-reads only the definition an edit touched
 * (remodel.ts). Held to the whole parse: after every step of random edit sequences, the model
 * (every value and span), and the parse problems as a set, equal parseModel's of the same text,
 * and definitions the edit did not touch keep their objects (what evaluation reuses results by).
 */
const REPO = path.resolve(__dirname, '..', '..');
const SEED = Number(process.env.INCREMENTAL_SEED ?? 20261206);
const RUNS = Number(process.env.INCREMENTAL_RUNS ?? 40);

function modelOf(parsed: ParsedSpec | undefined): string {
  return JSON.stringify(parsed?.spec ?? null, (k, v) => asSpan(k, v) ?? (v instanceof Map ? [...v] : v));
}

function problemsOf(parsed: ParsedSpec | undefined): string[] {
  return (parsed?.problems ?? []).map((p) => JSON.stringify(p)).sort();
}

function specFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.kpi\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

class ModelSession {
  readonly host = new MemoryHost({ 'web.csv': WEB_CSV });
  readonly ws = new Workspace(this.host, ROOT, { modelOnly: true });
  constructor(readonly file: string) {}

  set(text: string): ParsedSpec | undefined {
    this.host.files.set(this.file, text);
    this.ws.forget(this.file);
    return this.ws.load(this.file).parsed;
  }
}

describe('language: a model-only workspace re-reads one definition after an edit, as a whole parse reads the text', function () {
  this.timeout(120_000);
  const file = path.join(ROOT, 'gen.kpi.yaml');

  it('after every step of random edit sequences on a generated spec', () => {
    const text0 = generated(60);
    let steps = 0;
    let kept = 0;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits: EditSpec[]) => {
        const s = new ModelSession(file);
        let before = s.set(text0);
        let text = text0;
        edits.forEach((e, i) => {
          text = apply(text, e);
          const got = s.set(text);
          const want = parseModel(file, text);
          assert.equal(modelOf(got), modelOf(want), `edit ${i + 1} ${JSON.stringify(e)}: model`);
          assert.deepEqual(problemsOf(got), problemsOf(want), `edit ${i + 1} ${JSON.stringify(e)}: parse problems`);
          const same = got?.spec.definitions.filter((d) => before?.spec.definitions.includes(d)).length ?? 0;
          if (same >= (got?.spec.definitions.length ?? 0) - 1 && same > 0) kept++;
          before = got;
          steps++;
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The point is the incremental path: most edits inside formulas, targets and titles keep the other definitions.
    assert.ok(kept > steps * 0.3, `only ${kept} of ${steps} edits kept the other definitions`);
  });

  it('on every fixture and sample spec', () => {
    const files = [...specFiles(path.join(REPO, 'test/fixtures')), ...specFiles(path.join(REPO, 'samples'))];
    assert.ok(files.length > 30);
    let checked = 0;
    for (const spec of files) {
      const text0 = fs.readFileSync(spec, 'utf8');
      if (!isUtf8(fs.readFileSync(spec))) continue;
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits: EditSpec[]) => {
          const s = new ModelSession(spec);
          s.set(text0);
          let text = text0;
          edits.forEach((e, i) => {
            text = apply(text, e);
            assert.equal(modelOf(s.set(text)), modelOf(parseModel(spec, text)), `${path.relative(REPO, spec)}, edit ${i + 1} ${JSON.stringify(e)}`);
          });
        }),
        { seed: SEED, numRuns: Math.max(4, Math.round(RUNS / 5)) },
      );
      checked++;
    }
    assert.ok(checked > 30);
  });

  it('typing in a target of a KPI in the middle keeps every other definition object', () => {
    const s = new ModelSession(file);
    const text0 = generated(200);
    const first = s.set(text0)!;
    const defs = [...first.spec.definitions];
    const at = text0.indexOf('min: ', text0.indexOf('kpi_a_99:'));
    assert.ok(at > 0);
    const next = s.set(`${text0.slice(0, at + 5)}1${text0.slice(at + 5)}`)!;
    const changed = next.spec.definitions.filter((d, i) => d !== defs[i]).map((d) => d.id);
    assert.deepEqual(changed, ['kpi_a_99']);
    assert.equal(modelOf(next), modelOf(parseModel(file, `${text0.slice(0, at + 5)}1${text0.slice(at + 5)}`)));
  });
});
