import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Lexer, parse } from 'yaml';
import { formatSpec } from '../../../server/src/language/format/format';
import { parseSpec } from '../../../server/src/language/parse';
import { fastLoad } from '../../../server/src/language/yaml/fast';
import { loadYamlWithPackage } from '../../../server/src/language/yaml/load';
import type { YNode } from '../../../server/src/language/yaml/tree';
import { edgeYamlDoc, specYamlDoc } from '../../helpers/yamlGen';
import { modelOf, picked, render, type Options } from './messySpecs';

/**
 * kpispec fmt on specs built from the samples' definitions in random layouts (messySpecs.ts):
 * it formats every one, a second run changes nothing, the model the checker reads is the same
 * before and after, every comment survives, and the layout alone never shows in the result.
 *
 * Seeds are fixed. For a longer local run: FMT_RUNS=2000 FMT_SEED=7 npx mocha --no-config -r tsx/cjs --extension ts test/language/format/properties.test.ts
 */

const SEED = Number(process.env.FMT_SEED ?? 20260418);
const RUNS = Number(process.env.FMT_RUNS ?? 150);
const FILE = '/ws/spec.kpi.yaml';

const options: fc.Arbitrary<Options> = fc.record({ comments: fc.boolean(), blanks: fc.boolean(), padding: fc.boolean(), crlf: fc.boolean() });
const messy = fc.record({ picked, content: fc.integer(), layout: fc.integer(), options });

function formatted(text: string): string {
  const r = formatSpec(text, FILE);
  assert.equal(r.kind, 'formatted', `not formatted: ${JSON.stringify(r)}\n${text}`);
  return (r as { text: string }).text;
}

/** What the checker reads: every definition, formula and target, without positions. */
function model(text: string): string {
  const { spec } = parseSpec(FILE, text);
  const { definitions, defaults, imports, name, version } = spec;
  return JSON.stringify({ definitions, defaults, imports, name, version }, (key, value: unknown) =>
    key === 'node' || key === 'file' || key === 'span' || key.endsWith('Span') ? undefined : value instanceof Map ? Object.fromEntries(value) : value);
}

/** Every comment's text, sorted. */
function comments(text: string): string[] {
  return [...new Lexer().lex(text)].filter((t) => t.startsWith('#')).map((t) => t.replace(/[ \t]+$/, '')).sort();
}

/** Whether the fast YAML reader, taking the text, reads other data than the yaml package. */
function readersDisagree(text: string): boolean {
  const fast = fastLoad(text, FILE);
  const plain = (n: YNode | null): unknown =>
    !n ? null : n.kind === 'scalar' ? n.value : n.kind === 'seq' ? n.items.map(plain) : n.pairs.map((p) => [p.key.value, plain(p.value)]);
  return fast !== undefined && JSON.stringify(plain(fast.root)) !== JSON.stringify(plain(loadYamlWithPackage(text, FILE).root));
}

describe('kpispec fmt: properties', function () {
  this.timeout(300_000);

  it('the generator writes the model it was given (a messy layout, the same data)', () => {
    fc.assert(fc.property(messy, ({ picked: p, content, layout, options: o }) => {
      assert.deepEqual(parse(render(modelOf(p), content, layout, o)), modelOf(p));
    }), { seed: SEED, numRuns: RUNS });
  });

  it('formats every spec; formatting twice changes nothing; the model and every comment stay', () => {
    fc.assert(fc.property(messy, ({ picked: p, content, layout, options: o }) => {
      const text = render(modelOf(p), content, layout, o);
      const once = formatted(text);
      assert.equal(formatted(once), once, 'idempotent');
      assert.equal(model(once), model(text), 'same model');
      assert.deepEqual(comments(once), comments(text), 'same comments');
      assert.equal(/\r\n/.test(once), o.crlf, 'line ends kept');
      assert.ok(!/[ \t]\r?$/m.test(once), 'no trailing spaces');
    }), { seed: SEED + 1, numRuns: RUNS });
  });

  it('the layout does not show: two layouts of one content format to the same text', () => {
    const plain: Options = { comments: false, blanks: false, padding: false, crlf: false };
    fc.assert(fc.property(picked, fc.integer(), fc.integer(), fc.integer(), (p, content, a, b) => {
      const m = modelOf(p);
      const one = render(m, content, a, plain);
      const other = render(m, content, b, plain);
      assert.equal(formatted(one), formatted(other), `layouts:\n${one}\n---\n${other}`);
    }), { seed: SEED + 2, numRuns: RUNS });
  });

  it('any YAML document: idempotent, the same data and comments (the yaml reader tests’ generators)', () => {
    fc.assert(fc.property(fc.oneof(specYamlDoc, edgeYamlDoc), (text) => {
      const r = formatSpec(text, FILE);
      if (r.kind === 'syntax-error') return;
      // Left alone only where the checker's two YAML readers disagree on what the text says
      // (the formatted text could then read otherwise to the checker).
      if (r.kind === 'unsafe' && readersDisagree(text)) return;
      assert.equal(r.kind, 'formatted', `${JSON.stringify(r)}\n${text}`);
      const once = (r as { text: string }).text;
      assert.equal(formatted(once), once, 'idempotent');
      assert.deepEqual(parse(once.replace(/^\uFEFF/, ''), { uniqueKeys: false }), parse(text.replace(/^\uFEFF/, ''), { uniqueKeys: false }));
      assert.deepEqual(comments(once), comments(text));
    }), { seed: SEED + 3, numRuns: RUNS * 2 });
  });
});
