import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { Problem } from '../../server/src/language/problem';
import type { Span } from '../../server/src/language/span';
import { fastLoad } from '../../server/src/language/yaml/fast';
import { loadYamlWithPackage } from '../../server/src/language/yaml/load';
import { mapNode, pairNode, scalarNode, seqNode, type LoadedYaml, type YNode, type YScalar } from '../../server/src/language/yaml/tree';
import { edgeYamlDoc, NEAR_MISSES, nearMissYamlDoc, specYamlDoc } from '../helpers/yamlGen';

/**
 * The fast YAML reader against the yaml package. Whenever fastLoad returns a result it must be
 * the package path's result:
 * - the same tree: structure, key order, scalar values and their JS types, `quoted` flags;
 * - the same spans for every map key and every plain or quoted scalar (block scalars, maps,
 *   sequences and pairs may differ, but each node's span must lie within its parent's);
 * - the same problems (it only ever reports `duplicate-key`), compared as a set since problems
 *   are sorted before anyone sees them.
 * Returning undefined (deferring to the package) is always allowed, but spec-style documents
 * must mostly be read fast (see the coverage test).
 *
 * Seeds are fixed. For a longer local run: FAST_YAML_RUNS=20000 FAST_YAML_SEED=7 npx mocha -g "fast YAML"
 */

const REPO = path.resolve(__dirname, '..', '..');
const FILE = '/spec.kpi.yaml';
const SEED = Number(process.env.FAST_YAML_SEED ?? 20260101);
const RUNS = Number(process.env.FAST_YAML_RUNS ?? 600);
const MIN_COVERAGE = 0.95;

// ---------------------------------------------------------------------------------------------
// Comparing two results

function fmtValue(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0 (number)' : `${v} (number)`;
  return `${JSON.stringify(v)}${v === null ? '' : ` (${typeof v})`}`;
}

function fmtSpan(text: string, s: Span): string {
  const src = text.slice(s.offset, s.offset + s.length);
  return `${s.offset}+${s.length} ${JSON.stringify(src.length > 40 ? src.slice(0, 40) + '…' : src)}`;
}

function fmtNode(n: YNode | null): string {
  if (n === null) return 'null';
  if (n.kind === 'scalar') return `scalar ${fmtValue(n.value)}`;
  return n.kind === 'map' ? `map of ${n.pairs.length}` : `seq of ${n.items.length}`;
}

/** A deep copy of a read file: the tree rebuilt node by node (a node is its own span: see tree.ts). */
function copyLoaded(l: LoadedYaml): LoadedYaml {
  const copy = (n: YNode): YNode => {
    if (n.kind === 'scalar') return scalarNode(n.span.offset, n.span.length, n.value, n.quoted);
    if (n.kind === 'seq') return seqNode(n.span.offset, n.span.length, n.items.map(copy));
    return mapNode(n.span.offset, n.span.length, n.pairs.map((p) => pairNode(copy(p.key) as YScalar, p.value && copy(p.value), p.span.offset, p.span.length)));
  };
  return { root: l.root && copy(l.root), problems: structuredClone(l.problems) };
}

const sameSpan = (a: Span, b: Span) => a.offset === b.offset && a.length === b.length;

/** A block scalar (`|`, `>`) in the package's tree: its span starts at the indicator. */
function isBlockScalar(text: string, n: YNode): boolean {
  return n.kind === 'scalar' && n.quoted && (text[n.span.offset] === '|' || text[n.span.offset] === '>');
}

/** The first difference between two trees (got = fast reader, want = package), or undefined. */
function compareTree(text: string, got: YNode | null, want: YNode | null, at: string): string | undefined {
  if (got === null || want === null) {
    return got === want ? undefined : `${at}: got ${fmtNode(got)}, want ${fmtNode(want)}`;
  }
  if (got.kind !== want.kind) return `${at}: got ${fmtNode(got)}, want ${fmtNode(want)} at ${fmtSpan(text, want.span)}`;
  if (got.kind === 'scalar' && want.kind === 'scalar') {
    if (typeof got.value !== typeof want.value || !Object.is(got.value, want.value)) {
      return `${at}: value got ${fmtValue(got.value)}, want ${fmtValue(want.value)} (source ${fmtSpan(text, want.span)})`;
    }
    if (got.quoted !== want.quoted) return `${at}: quoted got ${got.quoted}, want ${want.quoted} (source ${fmtSpan(text, want.span)})`;
    if (!isBlockScalar(text, want) && !sameSpan(got.span, want.span)) {
      return `${at}: span got ${fmtSpan(text, got.span)}, want ${fmtSpan(text, want.span)}`;
    }
    return undefined;
  }
  if (got.kind === 'map' && want.kind === 'map') {
    for (let i = 0; i < Math.max(got.pairs.length, want.pairs.length); i++) {
      const g = got.pairs[i];
      const w = want.pairs[i];
      if (!g || !w) {
        const extra = (g ?? w)!;
        return `${at}: ${got.pairs.length} pairs, want ${want.pairs.length}; ${g ? 'extra' : 'missing'} pair ${i} with key ${fmtValue(extra.key.value)} at ${fmtSpan(text, extra.key.span)}`;
      }
      const here = `${at}/${JSON.stringify(w.key.value)}@${i}`;
      const diff = compareTree(text, g.key, w.key, `${here} (key)`) ?? compareTree(text, g.value, w.value, here);
      if (diff) return diff;
    }
    return undefined;
  }
  if (got.kind === 'seq' && want.kind === 'seq') {
    for (let i = 0; i < Math.max(got.items.length, want.items.length); i++) {
      const g = got.items[i];
      const w = want.items[i];
      if (!g || !w) return `${at}: ${got.items.length} items, want ${want.items.length}; ${g ? 'extra' : 'missing'} item ${i}: ${fmtNode((g ?? w)!)}`;
      const diff = compareTree(text, g, w, `${at}/[${i}]`);
      if (diff) return diff;
    }
    return undefined;
  }
  return `${at}: unreachable kinds`;
}

/** Every span within the text and within its parent's span; the first violation, or undefined. */
function checkSpans(text: string, root: YNode | null): string | undefined {
  const within = (inner: Span, outer: Span) => inner.offset >= outer.offset && inner.offset + inner.length <= outer.offset + outer.length;
  const valid = (s: Span) => Number.isInteger(s.offset) && Number.isInteger(s.length) && s.offset >= 0 && s.length >= 0;
  const visit = (n: YNode, parent: Span, at: string, parentName: string): string | undefined => {
    if (!valid(n.span)) return `${at}: invalid span ${JSON.stringify(n.span)}`;
    if (!within(n.span, parent)) return `${at}: span ${fmtSpan(text, n.span)} is not within its ${parentName}'s ${fmtSpan(text, parent)}`;
    if (n.kind === 'map') {
      for (const [i, p] of n.pairs.entries()) {
        const here = `${at}/${JSON.stringify(p.key.value)}@${i}`;
        if (!valid(p.span)) return `${here}: invalid pair span ${JSON.stringify(p.span)}`;
        if (!within(p.span, n.span)) return `${here}: pair span ${fmtSpan(text, p.span)} is not within its map's ${fmtSpan(text, n.span)}`;
        const diff = visit(p.key, p.span, `${here} (key)`, 'pair') ?? (p.value ? visit(p.value, p.span, here, 'pair') : undefined);
        if (diff) return diff;
      }
    } else if (n.kind === 'seq') {
      for (const [i, item] of n.items.entries()) {
        const diff = visit(item, n.span, `${at}/[${i}]`, 'sequence');
        if (diff) return diff;
      }
    }
    return undefined;
  };
  return root ? visit(root, { offset: 0, length: text.length }, '$', 'document') : undefined;
}

const problemKey = (p: Problem) => `${String(p.span.offset).padStart(9, '0')} ${String(p.span.length).padStart(9, '0')} ${p.rule} ${p.message}`;
const fmtProblem = (text: string, p: Problem) => `${p.rule} ${JSON.stringify(p.message)} at ${fmtSpan(text, p.span)}`;

function compareProblems(text: string, got: Problem[], want: Problem[]): string | undefined {
  const g = [...got].sort((a, b) => problemKey(a).localeCompare(problemKey(b)));
  const w = [...want].sort((a, b) => problemKey(a).localeCompare(problemKey(b)));
  for (let i = 0; i < Math.max(g.length, w.length); i++) {
    const a = g[i];
    const b = w[i];
    if (!a || !b) return `problems: ${g.length}, want ${w.length}; ${a ? 'extra' : 'missing'}: ${fmtProblem(text, (a ?? b)!)}`;
    const same =
      a.rule === b.rule &&
      a.message === b.message &&
      a.severity === b.severity &&
      a.file === b.file &&
      sameSpan(a.span, b.span) &&
      JSON.stringify(a.related) === JSON.stringify(b.related) &&
      JSON.stringify(a.data) === JSON.stringify(b.data);
    if (!same) return `problems[${i}]: got ${fmtProblem(text, a)} (${a.severity}, ${a.file}), want ${fmtProblem(text, b)} (${b.severity}, ${b.file})`;
  }
  return undefined;
}

/** The first way in which `got` (the fast reader's result) breaks the contract, or undefined. */
function compareLoaded(text: string, got: LoadedYaml, want: LoadedYaml): string | undefined {
  return compareTree(text, got.root, want.root, '$') ?? compareProblems(text, got.problems, want.problems) ?? checkSpans(text, got.root);
}

/** undefined if fastLoad defers or agrees with the package, else a readable failure. */
function disagreement(text: string): string | undefined {
  const fast = fastLoad(text, FILE);
  if (fast === undefined) return undefined;
  const diff = compareLoaded(text, fast, loadYamlWithPackage(text, FILE));
  return diff && `fastLoad differs from the yaml package: ${diff}\ndocument: ${JSON.stringify(text)}`;
}

function assertAgrees(text: string): void {
  const diff = disagreement(text);
  if (diff) assert.fail(diff);
}

function assertFastAndAgrees(text: string): void {
  const want = loadYamlWithPackage(text, FILE);
  const syntax = want.problems.filter((p) => p.rule !== 'duplicate-key');
  assert.deepEqual(syntax.map((p) => fmtProblem(text, p)), [], 'test case is not valid YAML for the package');
  const fast = fastLoad(text, FILE);
  assert.ok(fast !== undefined, `fastLoad deferred on a spec-style document: ${JSON.stringify(text)}`);
  const diff = compareLoaded(text, fast, want);
  if (diff) assert.fail(`fastLoad differs from the yaml package: ${diff}\ndocument: ${JSON.stringify(text)}`);
}

// ---------------------------------------------------------------------------------------------
// Hand-written cases: each must be read fast and equal the package's reading.

const CASES: [string, string][] = [
  // block structure
  ['nested block mappings, 2 spaces', 'a:\n  b:\n    c: 1\n  d: 2\ne: 3\n'],
  ['nested block mappings, 4 spaces', 'a:\n    b:\n        c: 1\n    d: 2\ne: 3\n'],
  ['indentation mixed per level', 'a:\n    b:\n      c: 1\n    d:\n        - x\nf:\n  g:\n      h: 1\n'],
  ['values aligned with extra spaces', 'sessions:         { source: web, agg: sum }\npageviews: { source: web }\nname:    shop\n'],
  ['block sequence of scalars', 'list:\n  - a\n  - 2\n  - "three"\n  - \'four\'\n  - ~\n'],
  ['block sequence, 4 spaces', 'list:\n    - a\n    - b\n'],
  ['sequence of mappings', 'kpis:\n  - id: a\n    formula: x / y\n  - id: b\n    target: { value: 5 }\n'],
  ['sequence of mappings, 4 spaces', 'items:\n    - a: 1\n      b: 2\n    - c: 3\n'],
  ['sequence of mappings with nested values', 'items:\n  - a:\n      b: 1\n    c:\n      - x\n      - y\n    d: 2\n  - e: 3\n'],
  ['sequence items of every kind', 'list:\n  - |\n    text\n  - [a, b]\n  - {a: 1}\n  - plain words\n  - k: v\n'],
  ['empty values', 'a:\nb: # comment\nc:\n  d:\n'],
  // flow collections
  ['flow mapping', 'defaults: { grain: month, currency: CNY, timezone: Asia/Shanghai }\n'],
  ['flow sequence', 'imports: [sources.kpi.yaml, other.kpi.yaml]\n'],
  ['nested flow collections', 'a: { x: 1, b: [x, y], c: { d: [] }, e: {} }\nf: [[1, 2], [3, [4]], {g: h}]\n'],
  ['flow collections without spaces', 'a: {x: 1,y: [1,2],z: {}}\nb: [a,b,[c,d]]\n'],
  ['flow closing bracket on the next line', 'a: { x: 1,\n  y: 2\n}\nb:\n  c: [1,\n    2\n  ]\n'],
  ['multi-line flow collection', 'a: [\n  one,\n  two,\n  { three: 3,\n    four: 4 }\n]\nb: c\n'],
  ['flow collection in a sequence over lines', 'l:\n  - { a: 1,\n    b: 2 }\n  - [x,\n    y]\n'],
  ['quoted scalars in flow', 'a: [\'x, y\', "z: w", \'it\'\'s\', "]"]\nb: { "k y": 1, \'q\': "v", "#": \'{\' }\n'],
  ['empty flow collections', 'a: []\nb: {}\nc: [ ]\nd: { }\n'],
  ['flow scalars of every kind', 'a: [~, null, true, FALSE, 12, -3, 0x1F, 1.5, .inf, .nan, 2026-01, 40%, a#b, it\'s, 跳出率]\n'],
  // keys
  ['keys: ids, quoted, with spaces, CJK, emoji', "kpi_1: 1\n'quoted key': 2\n\"double key\": 3\nkey with spaces: 4\n跳出率: 5\nemoji 🚀: 6\nkpi-2.b: 7\n"],
  ['keys that look like numbers, booleans or null', '2026: a\n1.5: b\ntrue: c\nnull: d\n0x10: e\n'],
  ['keys that need quotes', '"a: b": 1\n\'x #y\': 2\n"": 3\n"line\\nbreak": 4\n\'[x]\': 5\n'],
  // scalars
  ['null forms', 'a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: # comment\ng: nULL\n'],
  ['booleans', 'a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\ng: yes\nh: tRUE\ni: on\n'],
  ['integers', 'a: 12\nb: -3\nc: +4\nd: 0o17\ne: 0x1F\nf: 0\ng: -0\nh: 12345678901234567890\ni: 0xff\n'],
  ['floats', 'a: 1.5\nb: .5\nc: 1e3\nd: -2.5E-3\ne: .inf\nf: -.Inf\ng: .nan\nh: +.INF\ni: .NaN\nj: 1.\nk: 1e400\nl: -.5\nm: 6.02e23\n'],
  ['strings that look like numbers', 'a: 2026-01\nb: 40%\nc: 1.2.3\nd: 00123\ne: 1_000\nf: 0b101\ng: 0X1F\nh: .NAn\ni: 1e\nj: 0o8\n'],
  ['dates are strings', 'a: 2026-01-01\nb: 2026-01-01T00:00:00Z\nc: 2026-Q1\n'],
  ['formulas with operators', 'formula: (revenue - ad_spend) / ad_spend\nf2: orders / sessions * 100\nf3: a > b && c < d\nf4: x - -y\nf5: sum(a) / count(b)\n'],
  ['# not preceded by a space', 'a: a#b\nb: C# # a real comment\nc: x#\n'],
  [': inside quotes', "a: 'x: y'\nb: \"p: q\"\nc: 'k: v # no comment'\n"],
  ['apostrophes in plain scalars', "a: it's\nb: don't stop\nc: rock'n'roll\n"],
  ['CJK', 'title: 跳出率\nname: 网店营销记分卡 Web shop scorecard\n会话数: { title: 会话 }\n'],
  ['emoji and spans after surrogate pairs', 'a: 🚀 launch\nb: "👍🏽"\nc: x🇨🇳y\n🚀: { a: 😀, b: 1 }\nd: 跳 # 😀\ne: 2\n'],
  ['single-quoted scalars', "a: 'it''s'\nb: ''\nc: '#not a comment'\nd: 'a \\ b'\ne: '''quoted'''\nf: 'true'\ng: '12'\n"],
  ['double-quoted scalars with escapes', 'a: "say \\"hi\\""\nb: "back\\\\slash"\nc: "line\\nbreak"\nd: "tab\\there"\ne: "caf\\u00e9"\nf: ""\ng: "null"\nh: "it\'s"\n'],
  ['plain scalars with indicators inside', 'a: a - b\nb: a ? b\nc: x | y\nd: p > q\ne: a & b * c\nf: ~x\ng: 50% of {goal}\nh: Revenue [CNY], net\ni: key:value\n'],
  // block scalars
  ['block scalar |', 'a: |\n  line 1\n  line 2\nb: 1\n'],
  ['block scalar >', 'a: >\n  folded\n  text\n\n  new para\nb: 1\n'],
  ['block scalar |-', 'a: |-\n  x\n  y\nb: 1\n'],
  ['block scalar >-', 'description: >-\n  The marketing scorecard of a small web shop (about ¥100k revenue a month) from January\n  2025 to October 2026: traffic, conversion.\nimports: [a]\n'],
  ['block scalar >+', 'a: >+\n  x\n  y\n\n\nb: 1\n'],
  ['block scalar |+ at the end of the file', 'a: |+\n  x\n\n'],
  ['block scalar with blank lines inside', 'a: |\n  x\n\n  y\n\n\n  z\nb: >\n  p\n\n  q\n'],
  ['block scalars with trailing blank lines', 'a: |\n  x\n\n\nb: |-\n  y\n\n\nc: >+\n  z\n\n\nd: 1\n'],
  ['block scalars in a sequence', 'l:\n  - |\n    x\n  - >-\n    y\n    z\n  - a: |\n      w\n    b: 1\n'],
  ['block scalar indented 4', 'a:\n    b: |\n        deep\n        text\n    c: >\n      two\n'],
  ['block scalar header with a comment', 'a: | # comment\n  x\nb: >- # c\n  y\n'],
  ['block scalar content that looks like YAML', 'a: |\n  # not a comment\n  key: value\n  - item\n  [x, y] {z}\n  \'q\' "r"\nb: 1\n'],
  ['block scalar without a final newline', 'a: |\n  x'],
  ['folded block scalar without a final newline', 'a: >-\n  x\n  y'],
  // comments and blank lines
  ['comments at line ends', 'a: 1 # one\nb: # empty\nc:  # nested\n  d: [1, 2] # flow\n  e: "x" # quoted\n  f: \'y\'   # single\n  g: | # block\n    text\n  h:\n    - i # item\n'],
  ['own-line comments at any indentation', '# head\na:\n# col 0\n  b: 1\n      # deep\n  c: 2\n # one\nd: 3\n# tail\n'],
  ['comment lines after a block scalar', 'a: |\n  x\n # c\nb: 1\n'],
  ['comment lines between sequence items', 'l:\n  # first\n  - a\n    # inside\n  - b: 1\n  # between\n    c: 2\n'],
  ['blank lines anywhere', '\n\na: 1\n\n\nb:\n\n  c: 1\n\n  d:\n\n    - x\n\n    - y\n\n\n'],
  ['only a comment after the last entry, no newline', 'a: 1\n# end'],
  // line ends, document start, duplicates
  ['CRLF line endings', 'a: 1\r\nb:\r\n  c: [x, y]\r\n  d: |\r\n    t\r\n\r\n    u\r\n  e: >-\r\n    f\r\n    g\r\ne: "q" # c\r\n'],
  ['CRLF with a multi-line flow collection', 'a: { x: 1,\r\n  y: 2\r\n}\r\n'],
  ['no final newline after a scalar', 'a: 1\nb: x'],
  ['no final newline after a sequence', 'a:\n  - x'],
  ['no final newline after a flow collection', 'a: { b: 1 }'],
  ['no final newline after a quoted scalar', 'a: "q"'],
  ['no final newline after an empty value', 'a: # c'],
  ['leading ---', '---\na: 1\n'],
  ['leading --- with a comment', '# header\n--- # document\na: 1\n'],
  ['duplicate keys', 'a: 1\nb: 2\na: 3\n'],
  ['duplicate keys, nested and outer', 'm:\n  x: 1\n  x: 2\nm: 3\n'],
  ['duplicate keys written differently', 'a: 1\n\'a\': 2\n"a": 3\n'],
  ['duplicate keys in a flow mapping', 'f: { a: 1, a: 2 }\n'],
  ['duplicate keys: numbers and strings', '1: a\n"1": b\n1.0: c\n0x1: d\n'],
  ['duplicate keys: null forms', '~: 1\nnull: 2\n'],
  ['duplicate keys in a sequence of mappings', 'l:\n  - id: 1\n    id: 2\n'],
];

/** The near-miss features as whole small documents (fastLoad should defer; if not, it must agree). */
const NEAR_MISS_CASES: [string, string][] = Object.entries(NEAR_MISSES).map(([name, nm]) => [
  name,
  (nm.prefix ?? '') + 'first: 1\n' + (nm.entries ?? []).join('x: 2\n') + 'last: 3\n' + (nm.suffix ?? ''),
]);

// ---------------------------------------------------------------------------------------------
// The real files

function kpiFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.kpi.yaml'))
    .map((f) => path.join(dir, f))
    .sort();
}

function readText(file: string): string | undefined {
  const text = fs.readFileSync(file, 'utf8');
  return text.includes('\uFFFD') ? undefined : text; // not valid UTF-8 (e.g. invalid-encoding fixtures)
}

// ---------------------------------------------------------------------------------------------

describe('fast YAML reader (differential against the yaml package)', () => {
  describe('the comparer', () => {
    it('finds no difference between the package and itself, and its spans nest', () => {
      for (const text of fc.sample(fc.oneof(specYamlDoc, edgeYamlDoc), { seed: SEED, numRuns: 300 })) {
        const a = loadYamlWithPackage(text, FILE);
        const b = loadYamlWithPackage(text, FILE);
        assert.equal(compareLoaded(text, a, b), undefined, JSON.stringify(text));
        assert.equal(compareLoaded(text, copyLoaded(a), b), undefined, JSON.stringify(text));
      }
    });

    it('catches altered copies and says where', () => {
      const text = 'kpis:\n  a:\n    formula: x / y\n    target: 5\n    note: |\n      hi\n  b: [1, "two", .nan]\nk: 1\nk: 2\n';
      const want = loadYamlWithPackage(text, FILE);
      assert.equal(want.problems.length, 1);
      const alter = (change: (r: LoadedYaml & { root: any }) => void): string | undefined => {
        const copy = copyLoaded(want) as LoadedYaml & { root: any };
        change(copy);
        return compareLoaded(text, copy, want);
      };
      const kpiA = (r: any) => r.root.pairs[0].value.pairs[0].value;
      const list = (r: any) => r.root.pairs[0].value.pairs[1].value;

      assert.equal(alter(() => {}), undefined);
      assert.match(alter((r) => (kpiA(r).pairs[1].value.value = '5'))!, /^\$\/"kpis"@0\/"a"@0\/"target"@1: value got "5" \(string\), want 5 \(number\)/);
      assert.match(alter((r) => (kpiA(r).pairs[0].value.value = 'x/y'))!, /"formula"@0: value got "x\/y"/);
      assert.match(alter((r) => (list(r).items[2].value = 0))!, /\/"b"@1\/\[2\]: value got 0 \(number\), want NaN/);
      assert.match(alter((r) => (list(r).items[0].value = -0))!, /\[0\]: value got -0 \(number\), want 1 \(number\)/);
      assert.match(alter((r) => (list(r).items[1].quoted = false))!, /\[1\]: quoted got false, want true/);
      assert.match(alter((r) => (kpiA(r).pairs[1].key.span.offset += 1))!, /"target"@1 \(key\): span got .*, want /);
      assert.match(alter((r) => (kpiA(r).pairs[0].value.span.length -= 1))!, /"formula"@0: span got .*"x \/ "/);
      assert.match(alter((r) => kpiA(r).pairs.reverse())!, /"a"@0\/"formula"@0 \(key\): value got "note"/);
      assert.match(alter((r) => kpiA(r).pairs.pop())!, /"a"@0: 2 pairs, want 3; missing pair 2 with key "note"/);
      assert.match(alter((r) => list(r).items.push(list(r).items[0]))!, /"b"@1: 4 items, want 3; extra item 3/);
      assert.match(alter((r) => (r.root.pairs[1].value = null))!, /"k"@1: got null, want scalar 1/);
      assert.match(alter((r) => (r.root.pairs[2].value = { kind: 'seq', span: r.root.pairs[2].value.span, items: [] }))!, /"k"@2: got seq of 0, want scalar 2/);
      assert.match(alter((r) => (r.problems = []))!, /^problems: 0, want 1; missing: duplicate-key/);
      assert.match(alter((r) => (r.problems[0].message = 'other'))!, /^problems\[0\]: got duplicate-key "other"/);
      assert.match(alter((r) => (r.problems[0].span = { offset: 0, length: 1 }))!, /^problems\[0\]/);
      assert.match(alter((r) => r.problems.push({ ...r.problems[0], rule: 'yaml-syntax' }))!, /^problems: 2, want 1; extra: yaml-syntax/);
      // block scalar, map, sequence and pair spans may differ, as long as they nest
      const note = (r: any) => kpiA(r).pairs[2];
      assert.equal(alter((r) => (note(r).value.span.length = 1)), undefined);
      assert.equal(alter((r) => ((list(r).span.offset -= 1), (list(r).span.length += 1))), undefined);
      assert.match(alter((r) => ((note(r).value.span.offset = 0), (note(r).value.span.length = 2)))!, /"note"@2: span 0\+2 "kp" is not within its pair's/);
      assert.match(alter((r) => (list(r).items[0].span.offset = list(r).span.offset - 1))!, /\[0\]: span got /);
      assert.match(alter((r) => ((list(r).span.offset = 0), (list(r).span.length = text.length)))!, /"b"@1: span 0\+\d+ .* is not within its pair's/);
      assert.match(alter((r) => (r.root.pairs[0].span.length = text.length + 1))!, /"kpis"@0: pair span .* is not within its map's/);
      assert.match(alter((r) => (r.root.span.length = text.length + 5))!, /^\$: span .* is not within its document's/);
    });
  });

  describe('generated documents', () => {
    it('the spec-style generator writes YAML the package reads without syntax errors', () => {
      for (const text of fc.sample(specYamlDoc, { seed: SEED, numRuns: RUNS })) {
        const errors = loadYamlWithPackage(text, FILE).problems.filter((p) => p.rule !== 'duplicate-key');
        assert.deepEqual(errors.map((p) => fmtProblem(text, p)), [], JSON.stringify(text));
      }
    });

    it(`spec-style documents: fastLoad defers or agrees (${RUNS} runs)`, () => {
      fc.assert(
        fc.property(specYamlDoc, (text) => {
          const diff = disagreement(text);
          if (diff) throw new Error(diff);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });

    it(`spec-style documents: fastLoad reads at least ${MIN_COVERAGE * 100}% of them`, () => {
      const docs = fc.sample(specYamlDoc, { seed: SEED + 1, numRuns: 1000 });
      const deferred = docs.filter((text) => fastLoad(text, FILE) === undefined);
      const rate = 1 - deferred.length / docs.length;
      const shortest = deferred.sort((a, b) => a.length - b.length).slice(0, 3);
      assert.ok(
        rate >= MIN_COVERAGE,
        `fastLoad read ${(rate * 100).toFixed(1)}% of spec-style documents, want at least ${MIN_COVERAGE * 100}%; ` +
          `the shortest it deferred on:\n${shortest.map((t) => '  ' + JSON.stringify(t)).join('\n')}`,
      );
    });

    it(`edge documents (valid YAML beyond the spec style): fastLoad defers or agrees (${RUNS} runs)`, () => {
      fc.assert(
        fc.property(edgeYamlDoc, (text) => {
          const diff = disagreement(text);
          if (diff) throw new Error(diff);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });

    it(`near misses (anchors, tags, tabs, bad indentation, …): fastLoad defers or agrees (${RUNS} runs)`, () => {
      fc.assert(
        fc.property(nearMissYamlDoc, ({ feature, text }) => {
          const diff = disagreement(text);
          if (diff) throw new Error(`near miss "${feature}": ${diff}`);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });
  });

  describe('real files', () => {
    const samples = kpiFiles(path.join(REPO, 'samples'));
    const fixtures = kpiFiles(path.join(REPO, 'test', 'fixtures'));
    const bench = [path.join(REPO, 'bench', '.work', 'check', 'k1000.kpi.yaml')].filter((f) => fs.existsSync(f));

    it('finds the samples', () => assert.ok(samples.length > 0));

    for (const file of samples) {
      it(`${path.relative(REPO, file)} is read fast, as the package reads it`, () => {
        const text = readText(file);
        if (text === undefined) return;
        assertFastAndAgrees(text);
      });
    }
    // Files that are not UTF-8 text (the invalid-encoding fixture) never reach a YAML reader.
    for (const file of [...fixtures, ...bench].filter((f) => readText(f) !== undefined)) {
      it(`${path.relative(REPO, file)}: fastLoad defers or agrees`, () => assertAgrees(readText(file)!));
    }
  });

  describe('hand-written spec-style cases: read fast, as the package reads them', () => {
    for (const [name, text] of CASES) it(name, () => assertFastAndAgrees(text));
  });

  describe('hand-written near misses: fastLoad defers or agrees', () => {
    for (const [name, text] of NEAR_MISS_CASES) it(name, () => assertAgrees(text));
  });
});
