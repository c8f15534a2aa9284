import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { asSpan } from '../helpers/spanJson';
import { NodeHost } from '../../server/src/data/nodeHost';
import { checkCounts, checkFile, type FileCheck } from '../../server/src/language/analysis/analyze';
import { usedDefinitions } from '../../server/src/language/analysis/unused';
import type { Host, ReadResult } from '../../server/src/data/host';
import type { Definition } from '../../server/src/language/model';
import { parseModel, parseSpec, parseStateOf, type ParsedSpec } from '../../server/src/language/parse';
import { changedRange, reparseSpec } from '../../server/src/language/reparse';
import { checkSchema, checkSchemaWhole } from '../../server/src/language/schema';
import type { Span } from '../../server/src/language/span';
import { Workspace } from '../../server/src/language/workspace';
import type { YNode } from '../../server/src/language/yaml/tree';
import { MemoryHost, ROOT, WEB_CSV } from '../helpers/memoryHost';
import { apply, edit, type Where } from './edits';
import { generated } from './generatedSpec';

/**
 * An edit inside one definition re-parses that entry alone and re-checks only the definitions
 * it can reach (reparse.ts, analysis/analyze.ts). These tests hold that path to the full one:
 * random edits (inside formulas, targets and titles, anywhere, breaking the YAML, renaming ids)
 * are applied one after another to a workspace that keeps what it can, and after each edit its
 * problems, its parse problems and its model must equal a fresh workspace's full check of the
 * same text.
 *
 * Seeds are fixed. For a longer local run: INCREMENTAL_RUNS=500 INCREMENTAL_SEED=7 npx mocha -g "incremental"
 */

const REPO = path.resolve(__dirname, '..', '..');
const SEED = Number(process.env.INCREMENTAL_SEED ?? 20261122);
const RUNS = Number(process.env.INCREMENTAL_RUNS ?? 25);

/** A host whose spec texts can be set (as an editor's open documents), over another host. */
class EditHost implements Host {
  readonly texts = new Map<string, string>();
  constructor(private readonly base: Host) {}
  readSpec(file: string): ReadResult {
    const text = this.texts.get(file);
    return text !== undefined ? { ok: true, text } : this.base.readSpec(file);
  }
  realpath(file: string): string | undefined {
    return this.texts.has(file) ? file : this.base.realpath(file);
  }
  listDir(dir: string): string[] {
    return this.base.listDir(dir);
  }
  dataShape(file: string, options: Parameters<Host['dataShape']>[1]) {
    return this.base.dataShape(file, options);
  }
}

/** A workspace kept across edits, as the language server keeps it. */
class Session {
  readonly host: EditHost;
  readonly ws: Workspace;
  constructor(private readonly base: Host, private readonly root: string, readonly file: string) {
    this.host = new EditHost(base);
    this.ws = new Workspace(this.host, root);
  }

  set(text: string): FileCheck {
    this.host.texts.set(this.file, text);
    this.ws.forget(this.file);
    return checkFile(this.ws, this.file, usedDefinitions(this.ws, [this.file]));
  }

  /** The same text checked by a workspace that never saw another. */
  fresh(text: string): { check: FileCheck; parsed: ParsedSpec | undefined } {
    const s = new Session(this.base, this.root, this.file);
    const check = s.set(text);
    return { check, parsed: s.ws.load(this.file).parsed };
  }
}

/** The model and the tree as data: every value and span, maps as entry lists. */
function modelOf(parsed: ParsedSpec | undefined): string {
  // Definitions' `node` is a subtree of `root`, which is compared whole.
  return JSON.stringify(parsed?.spec ?? null, (k, v) => (k === 'node' ? (v ? [v.span.offset, v.span.length] : v) : asSpan(k, v) ?? (v instanceof Map ? [...v] : v)));
}

/** What a fresh workspace's full check of a text gives: problems, parse problems and model. */
interface Full {
  problems: FileCheck['problems'];
  parseProblems: ParsedSpec['problems'] | undefined;
  model: string;
}

function fullCheck(s: Session, text: string): Full {
  const { check, parsed } = s.fresh(text);
  return { problems: check.problems, parseProblems: parsed?.problems, model: modelOf(parsed) };
}

function sameAsFull(s: Session, text: string, what: string, full = fullCheck): { incremental: boolean } {
  const parsesBefore = checkCounts.incremental;
  const got = s.set(text);
  const incremental = checkCounts.incremental > parsesBefore;
  const want = full(s, text);
  assert.deepEqual(got.problems, want.problems, `${what}: problems`);
  const parsed = s.ws.load(s.file).parsed;
  assert.deepEqual(parsed?.problems, want.parseProblems, `${what}: parse problems`);
  assert.equal(modelOf(parsed), want.model, `${what}: model`);
  return { incremental };
}

// ---- specs ----------------------------------------------------------------------------------

const DATA = { 'web.csv': WEB_CSV };

function specFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...specFiles(p));
    else if (/\.kpi\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

// ---- the tests ------------------------------------------------------------------------------

describe('language: incremental re-check after an edit equals the full check', function () {
  this.timeout(240_000);

  it('on a generated spec, after every step of random edit sequences', () => {
    const text0 = generated(60);
    const base = new MemoryHost(DATA);
    let steps = 0;
    let incremental = 0;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
        const s = new Session(base, ROOT, path.join(ROOT, 'gen.kpi.yaml'));
        s.set(text0);
        let text = text0;
        edits.forEach((e, i) => {
          text = apply(text, e);
          if (sameAsFull(s, text, `edit ${i + 1} ${JSON.stringify(e)}`).incremental) incremental++;
          steps++;
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The point is the incremental path: most edits inside formulas, targets and titles take it.
    assert.ok(incremental > steps * 0.3, `only ${incremental} of ${steps} checks were incremental`);
  });

  it('on every fixture and sample spec, with their data files', () => {
    const host = new NodeHost();
    const files = [...specFiles(path.join(REPO, 'test/fixtures')), ...specFiles(path.join(REPO, 'samples'))].filter((f) => host.readSpec(f).ok);
    assert.ok(files.length > 30);
    for (const file of files) {
      const text0 = (host.readSpec(file) as { text: string }).text;
      const root = path.dirname(file);
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
          const s = new Session(host, root, file);
          s.set(text0);
          let text = text0;
          edits.forEach((e, i) => {
            text = apply(text, e);
            sameAsFull(s, text, `${path.relative(REPO, file)}, edit ${i + 1} ${JSON.stringify(e)}`);
          });
        }),
        { seed: SEED, numRuns: Math.max(4, Math.round(RUNS / 5)) },
      );
    }
  });

  it('on a 600-KPI spec: typing in titles, formulas and targets', () => {
    const text0 = generated(600);
    const s = new Session(new MemoryHost(DATA), ROOT, path.join(ROOT, 'big.kpi.yaml'));
    s.set(text0);
    let text: string;
    let incremental = 0;
    // Typing that keeps the YAML readable (once it is not, every check is whole until it is again).
    const typing = fc.record({
      where: fc.constantFrom<Where>('formula', 'target', 'title'),
      pick: fc.nat(),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      remove: fc.integer({ min: 0, max: 2 }),
      insert: fc.constantFrom('x', '_', '1', ' + 1', '0.5', 'sessions', 'm_a_1', '%', ''),
    });
    const edits = fc.sample(typing, { seed: SEED, numRuns: 6 });
    // Undoing comes back to texts checked before: a text's full check is made once (a quarter
    // second each at this size), every incremental check is still held to it.
    const fulls = new Map<string, Full>();
    const full = (f: Session, t: string) => fulls.get(t) ?? fulls.set(t, fullCheck(f, t)).get(t)!;
    for (const [i, e] of edits.entries()) {
      // Two edits on top of each other, then undone one at a time.
      const once = apply(text0, e);
      for (const next of [once, apply(once, { ...e, pick: e.pick + 7 }), once, text0]) {
        text = next;
        if (sameAsFull(s, text, `edit ${i + 1} ${JSON.stringify(e)}`, full).incremental) incremental++;
      }
    }
    assert.ok(incremental >= edits.length * 2, `only ${incremental} of ${edits.length * 4} checks were incremental`);
  });
});

describe('language: an edit inside one definition', () => {
  const file = path.join(ROOT, 'gen.kpi.yaml');
  const text = generated(30);
  const at = (needle: string, after = 0) => {
    const i = text.indexOf(needle);
    assert.ok(i >= 0, needle);
    return i + after;
  };
  const insert = (t: string, offset: number, s: string) => t.slice(0, offset) + s + t.slice(offset);

  it('re-reads only that entry, then re-checks only what it reaches', () => {
    const s = new Session(new MemoryHost(DATA), ROOT, file);
    s.set(text);
    const log = () => parseStateOf(s.ws.load(file).parsed!)!.state.log.edits.length;
    const before = checkCounts.incremental;
    for (const [needle, what] of [['title: KPI 7 ', 'x'], ['formula: (m_a_12', ' + 1'], ['min: 15%', '0']] as const) {
      const edited = insert(text, at(needle, needle.length), what);
      assert.equal(sameAsFull(s, edited, needle).incremental, true, needle);
      sameAsFull(s, text, `${needle} undone`);
    }
    assert.equal(log(), 6, 'six edits spliced in, no whole parse');
    assert.equal(checkCounts.incremental - before, 6);
  });

  it('parses the whole file when the edit renames an id, adds an entry or breaks the YAML', () => {
    const s = new Session(new MemoryHost(DATA), ROOT, file);
    s.set(text);
    const renamed = insert(text, at('  kpi_a_3:', 5), 'x');
    sameAsFull(s, renamed, 'renamed');
    assert.equal(parseStateOf(s.ws.load(file).parsed!)!.state.log.edits.length, 0);
    const added = insert(text, at('  kpi_a_4:'), '  kpi_new: { formula: m_a_1 }\n');
    sameAsFull(s, added, 'added');
    const broken = insert(text, at('title: KPI 5', 6), ' {');
    sameAsFull(s, broken, 'broken');
    assert.equal(parseStateOf(s.ws.load(file).parsed!), undefined, 'the yaml package read it: nothing to splice into');
    sameAsFull(s, text, 'mended');
  });

  it('re-checks the KPIs that use an edited metric, through other KPIs', () => {
    const s = new Session(new MemoryHost(DATA), ROOT, file);
    s.set(text);
    // m_a_8 is money, as m_a_13 is; kpi_a_8 divides them and kpi_a_9 doubles kpi_a_8. In seconds,
    // m_a_8 no longer fits: kpi_a_8 mixes units (and kpi_a_9, which uses it, is re-checked).
    assert.ok(!s.set(text).problems.some((p) => p.rule === 'unit-mismatch'));
    const edited = insert(text, at('  m_a_8: {', '  m_a_8: { source: web, agg: sum, column: spend'.length), ', unit: seconds');
    assert.equal(sameAsFull(s, edited, 'unit').incremental, true);
    assert.ok(s.set(edited).problems.some((p) => p.rule === 'unit-mismatch'));
  });

  it('checks an importing file again in full when a file it imports changed', () => {
    const lib = path.join(ROOT, 'lib.kpi.yaml');
    const libText = 'kpispec: 1\nmetrics:\n  shared: { source: web, agg: sum, column: sessions }\nsources:\n  web: { file: web.csv, time: date }\n';
    const main = 'kpispec: 1\nimports: [lib.kpi.yaml]\nkpis:\n  k: { formula: shared / shared, format: percent }\n  j: { formula: shared * 2 }\n';
    const host = new EditHost(new MemoryHost(DATA));
    host.texts.set(lib, libText);
    host.texts.set(file, main);
    const ws = new Workspace(host, ROOT);
    const check = () => checkFile(ws, file, usedDefinitions(ws, [file, lib])).problems;
    const fresh = () => {
      const w = new Workspace(host, ROOT);
      return checkFile(w, file, usedDefinitions(w, [file, lib])).problems;
    };
    assert.deepEqual(check(), fresh());
    // The imported metric becomes money: `k` still divides like by like, `j` is now money.
    for (const text of [libText.replace('column: sessions', 'column: sessions, unit: currency'), libText.replace('shared:', 'shared2:'), libText]) {
      host.texts.set(lib, text);
      ws.forget(lib);
      assert.deepEqual(check(), fresh(), text);
      // and an edit of the importing file on top
      host.texts.set(file, main.replace('shared * 2', 'shared * 3'));
      ws.forget(file);
      assert.deepEqual(check(), fresh(), text);
      host.texts.set(file, main);
      ws.forget(file);
    }
  });

  it('sees a data file that changed since the last check', () => {
    const base = new MemoryHost(DATA);
    const s = new Session(base, ROOT, file);
    s.set(text);
    const edited = insert(text, at('title: KPI 7 ', 12), 'x');
    s.set(edited);
    // The header loses `bounces`, with no edit of the spec: every metric over it is unknown now.
    base.files.set(path.join(ROOT, 'web.csv'), WEB_CSV.replace('bounces', 'bouncez'));
    const got = checkFile(s.ws, file, usedDefinitions(s.ws, [file])).problems;
    assert.ok(got.some((p) => p.rule === 'unknown-column'));
    assert.deepEqual(got, s.fresh(edited).check.problems);
    base.files.set(path.join(ROOT, 'web.csv'), WEB_CSV);
    assert.deepEqual(checkFile(s.ws, file, usedDefinitions(s.ws, [file])).problems, s.fresh(edited).check.problems);
  });

  it('refuses to reparse a parse that an edit already continued', () => {
    const first = parseSpec(file, text);
    const edited = insert(text, at('title: KPI 2', 12), 'x');
    assert.ok(reparseSpec(first, edited), 'spliced');
    assert.equal(reparseSpec(first, insert(text, at('title: KPI 3', 12), 'y')), undefined, 'the older parse is out of date');
  });

  it('finds the changed stretch of two texts', () => {
    assert.deepEqual(changedRange('abcdef', 'abXYef'), { at: 2, oldEnd: 4, newEnd: 4 });
    assert.deepEqual(changedRange('abc', 'abcd'), { at: 3, oldEnd: 3, newEnd: 4 });
    assert.deepEqual(changedRange('aaaa', 'aaa'), { at: 3, oldEnd: 4, newEnd: 3 });
    const long = 'x'.repeat(200_000);
    assert.deepEqual(changedRange(long + 'a' + long, long + 'bb' + long), { at: 200_000, oldEnd: 200_001, newEnd: 200_002 });
    assert.deepEqual(changedRange(long, long), { at: 200_000, oldEnd: 200_000, newEnd: 200_000 });
  });
});

describe('language: the parts an incremental parse relies on', () => {
  const sample = (name: string) => fs.readFileSync(path.join(REPO, name), 'utf8');
  /** Every key the language has, so that every kind of span a definition holds is there. */
  const EVERY_KEY = [
    'kpispec: 1', 'name: All keys', 'description: every key',
    'defaults: { grain: week, currency: EUR, timezone: Europe/Berlin }',
    'sources:',
    '  web:', '    file: web.csv', '    format: csv', '    delimiter: ","', '    decimal: "."', '    time: date', '    time_format: "%Y-%m-%d"',
    '    dimensions: [channel]', '    columns: { sessions: number, channel: string }', '    title: Web', '    description: sessions',
    '  inline: { rows: [{ day: 2026-01-01, n: 1 }], time: day }',
    'metrics:',
    '  sessions: { source: web, agg: sum, column: sessions, where: \'channel == "email" and sessions > 1\', unit: count, title: S }',
    '  money: { source: web, agg: sum, column: sessions, currency: USD }',
    '  broken: { source: web, agg: sum, column: sessions, where: "channel ==" }',
    'kpis:',
    '  k1:', '    title: K', '    description: d', '    owner: me', '    formula: -money / max(sessions, 1) + prev(money, 2)', '    format: currency',
    '    decimals: 2', '    direction: down', '    target:', '      - { from: 2026-01, max: 10, min: 1 }', '      - { from: 2026-Q3, value: 5% }',
    '    warn: 20', '    by: [channel]',
    '  k2: { formula: "not (k1 > 1) or 1 == 2 and \\"x\\" != \'y\'", target: 40% }',
    '  k3: { formula: (k1 +, target: { min: 1, max: 2 } }',
    'goals:', '  g:', '    horizon: long', '    due: 2026-12', '    title: G', '    kpis: { k1: { weight: 2 }, k2: {} }',
  ].join('\n') + '\n';

  it('every span of a definition is a node span of the tree or a span of its formulas, each its own object', () => {
    for (const text of [EVERY_KEY, sample('samples/webshop.kpi.yaml'), generated(20)]) {
      const { spec } = parseSpec('/ws/a.kpi.yaml', text);
      const tree = new Set<Span>();
      const add = (set: Set<Span>, s: Span) => {
        assert.ok(!tree.has(s) && !set.has(s), 'a span object appears twice');
        set.add(s);
      };
      const walk = (n: YNode | null) => {
        if (!n) return;
        add(tree, n.span);
        if (n.kind === 'map') for (const p of n.pairs) { add(tree, p.span); add(tree, p.key.span); walk(p.value); }
        else if (n.kind === 'seq') for (const i of n.items) walk(i);
      };
      walk(spec.root);
      const formulas = new Set<Span>();
      for (const def of spec.definitions) {
        const f = def.kind === 'kpi' ? def.formula : def.kind === 'metric' ? def.where : undefined;
        if (!f) continue;
        for (const e of f.errors) add(formulas, e.span);
        const stack = [f.expr];
        while (stack.length) {
          const e = stack.pop()!;
          add(formulas, e.span);
          if (e.kind === 'binary') { add(formulas, e.opSpan); stack.push(e.left, e.right); }
          else if (e.kind === 'unary') stack.push(e.operand);
          else if (e.kind === 'call') { add(formulas, e.calleeSpan); stack.push(...e.args); }
        }
      }
      const seen = new Set<object>();
      const visit = (v: unknown, where: string) => {
        if (!v || typeof v !== 'object' || seen.has(v)) return;
        seen.add(v);
        const o = v as Record<string, unknown>;
        if (typeof o.offset === 'number' && typeof o.length === 'number') {
          assert.ok(tree.has(o as unknown as Span) || formulas.has(o as unknown as Span), `${where} is a span of its own`);
          return;
        }
        if (v instanceof Map) for (const [k, x] of v) visit(x, `${where}.${String(k)}`);
        else for (const [k, x] of Object.entries(o)) if (k !== 'node') visit(x, `${where}.${k}`);
      };
      for (const def of spec.definitions) visit(def, `${def.kind} ${def.id}`);
      visit({ defaults: spec.defaults, imports: spec.imports, version: spec.version }, 'spec');
    }
  });

  it('the schema checked entry by entry reports what the whole schema reports', () => {
    const texts = [EVERY_KEY, generated(20), sample('samples/webshop.kpi.yaml'), ...specFiles(path.join(REPO, 'test/fixtures')).map((f) => fs.readFileSync(f, 'utf8'))];
    const sorted = (ps: ReturnType<typeof checkSchema>) => [...ps].sort((a, b) => a.span.offset - b.span.offset || (a.rule + a.message < b.rule + b.message ? -1 : 1));
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.array(edit, { maxLength: 3 }), (i, edits) => {
        const text = edits.reduce(apply, texts[i]!);
        const { spec } = parseSpec('/ws/a.kpi.yaml', text);
        assert.deepEqual(sorted(checkSchema(spec.root, '/ws/a.kpi.yaml')), sorted(checkSchemaWhole(spec.root, '/ws/a.kpi.yaml')));
      }),
      { seed: SEED, numRuns: RUNS * 3 },
    );
  });

  it('the model-only parse (evaluation worker) builds the same definitions as the full parse', () => {
    const strip = (defs: Definition[]) => JSON.stringify(defs, (k, v) => (k === 'node' ? undefined : asSpan(k, v) ?? (v instanceof Map ? [...v] : v)));
    const texts = [EVERY_KEY, generated(40), sample('samples/webshop.kpi.yaml')];
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.array(edit, { maxLength: 3 }), (i, edits) => {
        const text = edits.reduce(apply, texts[i]!);
        const full = parseSpec('/ws/a.kpi.yaml', text);
        const model = parseModel('/ws/a.kpi.yaml', text);
        assert.equal(strip(model.spec.definitions), strip(full.spec.definitions));
        assert.deepEqual({ ...model.spec, root: null, definitions: [], sources: [...model.spec.sources.keys()], metrics: [...model.spec.metrics.keys()], kpis: [...model.spec.kpis.keys()], goals: [...model.spec.goals.keys()] },
          { ...full.spec, root: null, definitions: [], sources: [...full.spec.sources.keys()], metrics: [...full.spec.metrics.keys()], kpis: [...full.spec.kpis.keys()], goals: [...full.spec.goals.keys()] });
        assert.ok(model.spec.definitions.every((d) => d.node === null));
      }),
      { seed: SEED, numRuns: RUNS * 2 },
    );
  });
});
