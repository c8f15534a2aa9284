import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import type { Problem } from '../../server/src/language/problem';
import { Workspace } from '../../server/src/language/workspace';
import { codeActions } from '../../server/src/services/codeActions';
import type { CodeAction } from '../../server/src/services/types';
import { MemoryHost, ROOT } from '../helpers/memoryHost';
import { applyTo, fixture } from './referencesFixture';

const WEB = 'date,channel,sessions,bounces,visits\n2026-01-01,email,10,3,4\n';

const SPEC = `kpispec: 1
defaults: { grain: month, timezone: Asia/Shanghai }
sources:
  web: { file: web.csv, time: date, dimensions: [channel] }
metrics:
  sessions: { source: web, agg: sum, column: sessions }
  bounces: { source: web, agg: sum, column: bounces }
kpis:
  bounce_rate: { formula: bounces / sessions, format: percent }
`;

const A = 'a.kpi.yaml';

function problemsIn(files: Record<string, string>, name = A): Problem[] {
  const ws = new Workspace(new MemoryHost(files), ROOT);
  return checkFiles(ws, [path.resolve(ROOT, name)])[0]!.problems;
}

function brief(problems: Problem[]): string[] {
  return problems.map((p) => p.rule);
}

interface Scenario {
  actions: CodeAction[];
  problem: Problem;
  /** Applies the action with this title (exactly one) and re-checks: the new text and its problems. */
  apply(title: string | RegExp): { text: string; problems: Problem[] };
}

/**
 * Checks `files`, takes the problem of `rule` in `name` (the one at the caret if the file has
 * one), asks for the actions on its span.
 */
function scenario(files: Record<string, string>, rule: string, name = A): Scenario {
  const fx = fixture(files);
  const clean: Record<string, string> = {};
  for (const [file, content] of fx.host.files) clean[path.relative(ROOT, file)] = String(content);
  const problems = problemsIn(clean, name);
  const carets = fx.carets(name);
  const problem = problems.find((p) => p.rule === rule && (!carets.length || (carets[0]! >= p.span.offset && carets[0]! <= p.span.offset + p.span.length)));
  assert.ok(problem, `no ${rule} in ${brief(problems).join(', ')}`);
  const actions = codeActions(fx.snap(name), problems, carets.length ? { offset: carets[0]!, length: 0 } : problem.span);
  return {
    actions,
    problem,
    apply(title) {
      const chosen = actions.filter((a) => (typeof title === 'string' ? a.title === title : title.test(a.title)));
      assert.equal(chosen.length, 1, `actions: ${actions.map((a) => a.title).join(' | ')}`);
      const text = applyTo(clean[name]!, fx.abs(name), chosen[0]!.edits);
      return { text, problems: problemsIn({ ...clean, [name]: text }, name) };
    },
  };
}

const withSpec = (spec: string, extra: Record<string, string> = {}) => ({ [A]: spec, 'web.csv': WEB, ...extra });

describe('services: codeActions — did you mean', () => {
  it('fixes a misspelt name in a formula (preferred), also inside quotes', () => {
    for (const spec of [SPEC.replace('bounces / sessions', 'bounces / sesions'), SPEC.replace('bounces / sessions', '"bounces / sesions"')]) {
      const s = scenario(withSpec(spec), 'unknown-reference');
      const fix = s.actions.find((a) => a.title === 'Change to `sessions`');
      assert.ok(fix?.preferred);
      assert.equal(fix.rule, 'unknown-reference');
      assert.deepEqual(fix.problemSpan, s.problem.span);
      const { text, problems } = s.apply('Change to `sessions`');
      assert.equal(text, spec.replace('sesions', 'sessions'));
      assert.deepEqual(brief(problems), []);
    }
  });

  it('fixes a text value in a where filter that no sampled row holds, keeping its quotes', () => {
    const spec = SPEC.replace('  bounces: { source: web, agg: sum, column: bounces }', `  bounces: { source: web, agg: sum, column: bounces, where: 'channel == "emial"' }`);
    assert.notEqual(spec, SPEC);
    const s = scenario(withSpec(spec), 'where-value-unseen');
    assert.equal(s.problem.message, 'no sampled row of `web.csv` has `channel` equal to `"emial"` (did you mean `"email"`?); values seen: `email`');
    const { text, problems } = s.apply('Change to `email`');
    assert.equal(text, spec.replace('"emial"', '"email"'));
    assert.deepEqual(brief(problems), []);
  });

  it('sets the time_format that reads a time column, in a flow or a block mapping, or corrects a wrong one', () => {
    const web = 'date,channel,sessions,bounces,visits\n05/01/2026,email,10,3,4\n19/01/2026,ads,8,2,3\n';
    const block = SPEC.replace('  web: { file: web.csv, time: date, dimensions: [channel] }', '  web:\n    file: web.csv\n    time: date\n    dimensions: [channel]');
    const wrong = SPEC.replace('time: date,', 'time: date, time_format: MM/DD/YYYY,');
    for (const [spec, fixed] of [
      [SPEC, SPEC.replace('time: date,', 'time: date, time_format: DD/MM/YYYY,')],
      [block, block.replace('    time: date\n', '    time: date\n    time_format: DD/MM/YYYY\n')],
      [wrong, SPEC.replace('time: date,', 'time: date, time_format: DD/MM/YYYY,')],
    ] as const) {
      const s = scenario(withSpec(spec, { 'web.csv': web }), 'time-unreadable');
      const { text, problems } = s.apply(/DD\/MM\/YYYY`$/);
      assert.equal(text, fixed);
      assert.deepEqual(brief(problems), []);
    }
  });

  it('sets the number format that reads the sampled amounts, in a flow or a block mapping', () => {
    const web = 'date,channel,sessions,bounces,visits\n2026-01-01,email,"1,210",3,4\n2026-01-02,ads,"2,008",2,3\n';
    const block = SPEC.replace('  web: { file: web.csv, time: date, dimensions: [channel] }', '  web:\n    file: web.csv\n    time: date\n    dimensions: [channel]');
    for (const [spec, fixed] of [
      [SPEC, SPEC.replace('file: web.csv,', "file: web.csv, thousands: ',',")],
      [block, block.replace('    file: web.csv\n', "    file: web.csv\n    thousands: ','\n")],
    ] as const) {
      const s = scenario(withSpec(spec, { 'web.csv': web }), 'number-unreadable');
      assert.match(s.problem.message, /^2 of 2 sampled values of `sessions` do not read as numbers \(line 2: `1,210`, line 3: `2,008`\)/);
      const { text, problems } = s.apply("Set `thousands: ','`");
      assert.equal(text, fixed);
      assert.deepEqual(brief(problems), []);
    }
  });

  it('sets the delimiter of a file whose header reads as one column, after which the spec is clean', () => {
    const web = 'date;channel;sessions;bounces;visits\n2026-01-01;email;10;3;4\n';
    const s = scenario(withSpec(SPEC, { 'web.csv': web }), 'data-file-unreadable');
    assert.match(s.problem.message, /its values are separated by semicolons: set `delimiter: ';'` on the source$/);
    const { text, problems } = s.apply("Set `delimiter: ';'`");
    assert.equal(text, SPEC.replace('file: web.csv,', "file: web.csv, delimiter: ';',"));
    assert.deepEqual(brief(problems), []);
  });

  it('fixes a misspelt source and goal member', () => {
    const src = scenario(withSpec(SPEC.replace('source: web, agg: sum, column: bounces', 'source: wbe, agg: sum, column: bounces')), 'unknown-reference');
    assert.deepEqual(brief(src.apply('Change to `web`').problems), []);
    const goal = scenario(withSpec(SPEC + 'goals:\n  g: { kpis: { bounce_rat: {} } }\n'), 'unknown-reference');
    assert.ok(!goal.actions.some((a) => a.title.startsWith('Create')), 'a goal names KPIs: no metric to create');
    assert.deepEqual(brief(goal.apply('Change to `bounce_rate`').problems), []);
  });

  it('fixes unknown keys, enum values, functions, formats and time zones', () => {
    const cases: [string, string, string][] = [
      [SPEC.replace('format: percent', 'formt: percent'), 'unknown-key', 'format'],
      [SPEC.replace('agg: sum, column: bounces', 'agg: summ, column: bounces'), 'invalid-value', 'sum'],
      [SPEC.replace('bounces / sessions', "'grwth(bounces)'").replace('format: percent', 'format: number'), 'unknown-function', 'growth'],
      [SPEC.replace('format: percent', 'format: currency'), 'format-mismatch', 'percent'],
      [SPEC.replace('Asia/Shanghai', 'Asia/Shangai'), 'invalid-timezone', 'Asia/Shanghai'],
    ];
    for (const [spec, rule, suggestion] of cases) {
      const s = scenario(withSpec(spec), rule);
      const { problems } = s.apply(`Change to \`${suggestion}\``);
      assert.ok(!problems.some((p) => p.rule === rule), `${rule} still there: ${brief(problems)}`);
    }
  });

  it('fixes columns in `column:`, in `where` and in backticks', () => {
    const col = scenario(withSpec(SPEC.replace('column: bounces', 'column: bounce')), 'unknown-column');
    assert.deepEqual(brief(col.apply('Change to `bounces`').problems), []);
    const where = SPEC.replace('column: bounces }', `column: bounces, where: 'chanel == "email"' }`);
    assert.deepEqual(brief(scenario(withSpec(where), 'unknown-column').apply('Change to `channel`').problems), []);
    const tick = SPEC.replace('column: bounces }', "column: bounces, where: '`chanel` == \"email\"' }");
    const fixed = scenario(withSpec(tick), 'unknown-column').apply('Change to `channel`');
    assert.deepEqual(brief(fixed.problems), []);
    const spaced = { [A]: SPEC.replace(', dimensions: [channel]', '').replace('column: bounces }', `column: bounces, where: 'web_ch^anel == "email"' }`), 'web.csv': WEB.replace('channel', 'web channel') };
    const s = scenario(spaced, 'unknown-column');
    const out = s.apply('Change to `web channel`');
    assert.ok(out.text.includes("where: '`web channel` == \"email\"'"), out.text);
    assert.ok(!out.problems.some((p) => p.rule === 'unknown-column'), brief(out.problems).join());
  });

  it('fixes paths of data files and imports', () => {
    const data = scenario(withSpec(SPEC.replace('file: web.csv', 'file: web.cvs')), 'data-file-missing');
    assert.deepEqual(brief(data.apply('Change to `web.csv`').problems), []);
    const quoted = scenario(withSpec(SPEC.replace('file: web.csv', 'file: "web.cvs"')), 'data-file-missing');
    assert.ok(quoted.apply('Change to `web.csv`').text.includes('file: "web.csv"'));
    const imp = scenario(withSpec(SPEC.replace('defaults:', 'imports: [sharde.kpi.yaml]\ndefaults:'), { 'shared.kpi.yaml': 'kpispec: 1\n' }), 'import-not-found');
    assert.deepEqual(brief(imp.apply('Change to `shared.kpi.yaml`').problems), []);
  });

  it('fixes a misspelt rule in a suppression', () => {
    const spec = SPEC.replace('kpis:\n', 'kpis:\n  # kpispec-disable-next-line unknown-refrence\n').replace('/ sessions', '/ sessions * nothing');
    const s = scenario(withSpec(spec), 'unknown-rule');
    assert.ok(!s.actions.some((a) => a.title.startsWith('Disable')), 'unknown-rule cannot be suppressed');
    assert.deepEqual(brief(s.apply('Change to `unknown-reference`').problems), []);
  });

  it('writes a whole-number target of a percent KPI as a percent', () => {
    const spec = SPEC.replace('format: percent }', 'format: percent, direction: down, target: { max: 40 } }');
    const s = scenario(withSpec(spec), 'percent-target');
    const fix = s.actions.find((a) => a.preferred);
    assert.equal(fix?.title, 'Write `40%` (a percent: 40 means 4000%)');
    const out = s.apply(/^Write `40%`/);
    assert.ok(out.text.includes('target: { max: 40% }'));
    assert.deepEqual(brief(out.problems), []);
  });
});

describe('services: codeActions — create metric', () => {
  const MISSING = SPEC.replace('bounces / sessions', '(bounces + visits) / sessions');

  it('appends a stub to `metrics:` with the file\'s indentation; the reference then resolves', () => {
    const s = scenario(withSpec(MISSING), 'unknown-reference');
    const out = s.apply('Create metric `visits`');
    assert.equal(out.text, MISSING.replace('kpis:', '  visits: { source: web, agg: sum, column: visits }\nkpis:'));
    assert.deepEqual(brief(out.problems), []);
  });

  it('counts rows of the first source when no source has a numeric column of that name', () => {
    const spec = SPEC.replace('bounces / sessions', '(bounces + orders) / sessions').replace('sources:\n', 'sources:\n  crm: { rows: [ { day: 2026-01-01, orders: x } ] }\n');
    const out = scenario(withSpec(spec), 'unknown-reference').apply('Create metric `orders`');
    assert.ok(out.text.includes('column: bounces }\n  orders: { source: crm, agg: count }\nkpis:'), out.text);
    assert.ok(!out.problems.some((p) => p.rule === 'unknown-reference'), brief(out.problems).join());
  });

  it('follows a four-space indentation and a multi-line last entry', () => {
    const spec = MISSING.replaceAll('\n  ', '\n    ').replace('    bounces: { source: web, agg: sum, column: bounces }', '    bounces:\n        source: web\n        agg: sum\n        column: bounces   # last one');
    const out = scenario(withSpec(spec), 'unknown-reference').apply('Create metric `visits`');
    assert.ok(out.text.includes('# last one\n    visits: { source: web, agg: sum, column: visits }\nkpis:'), out.text);
    assert.deepEqual(brief(out.problems), []);
  });

  it('adds to a flow-style or empty `metrics:`, or creates the section before `kpis:`', () => {
    const flow = MISSING.replace(/metrics:\n[\s\S]*?kpis:/, 'metrics: { sessions: { source: web, agg: sum, column: sessions }, bounces: { source: web, agg: sum, column: bounces } }\nkpis:');
    const f = scenario(withSpec(flow), 'unknown-reference').apply('Create metric `visits`');
    assert.ok(f.text.includes('column: bounces }, visits: { source: web, agg: sum, column: visits } }'), f.text);
    assert.deepEqual(brief(f.problems), []);

    const none = 'kpispec: 1\nsources:\n  web: { file: web.csv, time: date }\nkpis:\n  k: { formula: visits }\n';
    const n = scenario(withSpec(none), 'unknown-reference').apply('Create metric `visits`');
    assert.equal(n.text, none.replace('kpis:', 'metrics:\n  visits: { source: web, agg: sum, column: visits }\nkpis:'));
    assert.deepEqual(brief(n.problems), []);

    const empty = none.replace('kpis:', 'metrics:\nkpis:');
    const e = scenario(withSpec(empty), 'unknown-reference').apply('Create metric `visits`');
    assert.equal(e.text, n.text);
    assert.deepEqual(brief(e.problems), []);
  });

  it('copes with a file without a final newline and takes the first source in scope, even imported', () => {
    const main = 'kpispec: 1\nimports: [base.kpi.yaml]\nmetrics:\n  m: { source: web, agg: count }\nkpis:\n  k: { formula: m + visits }\n  j: { formula: m }';
    const out = scenario({ [A]: main, 'base.kpi.yaml': 'kpispec: 1\nsources:\n  web: { file: web.csv, time: date }\n', 'web.csv': WEB }, 'unknown-reference').apply('Create metric `visits`');
    assert.ok(out.text.includes('  m: { source: web, agg: count }\n  visits: { source: web, agg: sum, column: visits }\nkpis:'), out.text);
    assert.deepEqual(brief(out.problems), []);
  });

  it('is not offered without a source in scope, for an invalid id, or outside KPI formulas', () => {
    const noSource = scenario({ [A]: 'kpispec: 1\nkpis:\n  k: { formula: visits }\n' }, 'unknown-reference');
    assert.ok(!noSource.actions.some((a) => a.title.startsWith('Create')));
    const badId = scenario(withSpec(SPEC.replace('bounces / sessions', 'bounces / Visits')), 'unknown-reference');
    assert.ok(!badId.actions.some((a) => a.title.startsWith('Create')));
    const src = scenario(withSpec(SPEC.replace('source: web, agg: sum, column: bounces', 'source: crm, agg: sum, column: bounces')), 'unknown-reference');
    assert.ok(!src.actions.some((a) => a.title.startsWith('Create')));
  });
});

describe('services: codeActions — disable for this line', () => {
  it('adds a suppression above the line with its indentation', () => {
    const spec = SPEC.replace('format: percent', 'format: currency');
    const out = scenario(withSpec(spec), 'format-mismatch').apply('Disable format-mismatch for this line');
    assert.equal(out.text, spec.replace('  bounce_rate:', '  # kpispec-disable-next-line format-mismatch\n  bounce_rate:'));
    assert.deepEqual(brief(out.problems), []);
  });

  it('adds the rule to a suppression already above the line', () => {
    const spec = SPEC.replace('format: percent }', 'format: currency, direction: sideways }').replace('  bounce_rate:', '  # kpispec-disable-next-line format-mismatch -- legacy\n  bounce_rate:');
    assert.deepEqual(brief(problemsIn(withSpec(spec))), ['invalid-value']);
    const out = scenario(withSpec(spec), 'invalid-value').apply('Disable invalid-value for this line');
    assert.ok(out.text.includes('  # kpispec-disable-next-line format-mismatch, invalid-value -- legacy\n  bounce_rate:'), out.text);
    assert.deepEqual(brief(out.problems), []);
  });

  it('uses CRLF in a CRLF file', () => {
    const spec = SPEC.replace('format: percent', 'format: currency').replaceAll('\n', '\r\n');
    const out = scenario(withSpec(spec), 'format-mismatch').apply('Disable format-mismatch for this line');
    assert.ok(out.text.includes('\r\n  # kpispec-disable-next-line format-mismatch\r\n  bounce_rate:'));
    assert.deepEqual(brief(out.problems), []);
  });

  it('works inside a multi-line flow mapping and a dated target list', () => {
    const spec = SPEC.replace('bounce_rate: { formula: bounces / sessions, format: percent }', 'bounce_rate:\n    formula: bounces / sessions\n    format: percent\n    target:\n      - { from: 2026-01, min: 40 }');
    const out = scenario(withSpec(spec), 'percent-target').apply('Disable percent-target for this line');
    assert.ok(out.text.includes('    target:\n      # kpispec-disable-next-line percent-target\n      - { from: 2026-01, min: 40 }'), out.text);
    assert.deepEqual(brief(out.problems), []);
  });

  it('is not offered inside a multi-line formula, nor for unused-suppression', () => {
    const spec = SPEC.replace('bounce_rate: { formula: bounces / sessions, format: percent }', 'bounce_rate:\n    formula: >-\n      bounces /\n      sesions\n    format: percent');
    const s = scenario(withSpec(spec), 'unknown-reference');
    assert.ok(!s.actions.some((a) => a.title.startsWith('Disable')), s.actions.map((a) => a.title).join());
    assert.deepEqual(brief(s.apply('Change to `sessions`').problems), []);
    const unused = scenario(withSpec(SPEC.replace('kpis:\n', 'kpis:\n  # kpispec-disable-next-line unit-mismatch\n')), 'unused-suppression');
    assert.ok(!unused.actions.some((a) => a.title.startsWith('Disable')), 'unused-suppression cannot be suppressed');
  });

  it('offers one action per rule and line, and keeps fixes before suppressions', () => {
    const spec = SPEC.replace('bounces / sessions', 'bouncs / sesions');
    const fx = fixture(withSpec(spec));
    const problems = problemsIn(withSpec(spec));
    const line = { offset: fx.text(A).indexOf('bouncs'), length: 'bouncs / sesions'.length };
    assert.deepEqual(codeActions(fx.snap(A), problems, line).map((a) => a.title), [
      'Change to `bounces`',
      'Change to `sessions`',
      'Create metric `bouncs`',
      'Create metric `sesions`',
      'Disable unknown-reference for this line',
    ]);
  });
});

describe('services: codeActions — range', () => {
  it('takes problems overlapping the range, a caret at either edge included', () => {
    const spec = SPEC.replace('bounces / sessions', 'bounces / ^sesions');
    assert.ok(scenario(withSpec(spec), 'unknown-reference').actions.length > 0);
    const after = SPEC.replace('bounces / sessions', 'bounces / sesions^');
    assert.ok(scenario(withSpec(after), 'unknown-reference').actions.length > 0);
    const fx = fixture(withSpec(SPEC.replace('bounces / sessions', 'bounces / sesions').replace('  web:', '  ^web:')));
    assert.deepEqual(codeActions(fx.snap(A), problemsIn(withSpec(SPEC.replace('bounces / sessions', 'bounces / sesions'))), { offset: fx.caret(A), length: 3 }), []);
  });

  it('ignores problems of other files', () => {
    const fx = fixture(withSpec(SPEC));
    const p: Problem = { rule: 'unknown-reference', severity: 'error', message: 'x', file: '/elsewhere.kpi.yaml', span: { offset: 0, length: 5 }, data: { suggestion: 'y' } };
    assert.deepEqual(codeActions(fx.snap(A), [p], { offset: 0, length: 5 }), []);
  });
});
