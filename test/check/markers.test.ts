import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeHost } from '../../server/src/data/nodeHost';
import { checkFiles, type FileCheck } from '../../server/src/language/analysis/analyze';
import { LineIndex } from '../../server/src/language/lineIndex';
import { RULES } from '../../server/src/language/rules';
import { Workspace } from '../../server/src/language/workspace';

/**
 * Every rule firing, with exact positions. Each spec under test/fixtures/broken marks the
 * problems it must produce with a caret comment directly under the offending line:
 *
 *     formula: revenue + sessions
 *   #                  ^ unit-mismatch
 *
 * The first `^` stands in the column where the problem's span starts (1-based UTF-16, as
 * every output format counts). Several marker lines under one line mark several problems.
 * Problems a marker cannot show (column 1, or a file that is not text) are listed in
 * EXPLICIT below. A fixture must produce exactly what it marks: nothing missing, nothing more.
 */

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'broken');
/**
 * The workspace root: the fixtures folder's parent. data-file-outside-workspace.kpi.yaml climbs
 * out of it and out of the repository alike, so it fires here and in the CLI baselines (whose
 * root is the repository).
 */
const ROOT = path.dirname(FIXTURES);
/** The same limit as the baseline run's `--max-file-size 0.05`: file-too-large.kpi.yaml is ~60 KB. */
const MAX_FILE_SIZE = 0.05 * 1024 * 1024;

interface Expectation {
  line: number;
  column: number;
  rule: string;
}

/** Problems that no marker line can show, by fixture path (relative to FIXTURES, forward slashes). */
const EXPLICIT: Record<string, Expectation[]> = {
  // Not text, not read: the problem stands at 1:1 (the message gives the byte offset).
  'invalid-encoding.kpi.yaml': [{ line: 1, column: 1, rule: 'invalid-encoding' }],
  // Over the size limit, not read: the problem stands at 1:1.
  'file-too-large.kpi.yaml': [{ line: 1, column: 1, rule: 'file-too-large' }],
  // No `kpispec` key at all: the problem stands at 1:1, where `kpispec: 1` belongs.
  'unsupported-version.missing.kpi.yaml': [{ line: 1, column: 1, rule: 'unsupported-version' }],
  // A marker line under a suppression comment would become the suppression's "next line".
  'unused-suppression.kpi.yaml': [
    { line: 35, column: 33, rule: 'unused-suppression' },
    { line: 40, column: 5, rule: 'unused-suppression' },
    { line: 46, column: 49, rule: 'unused-suppression' },
  ],
  'unknown-rule.kpi.yaml': [
    { line: 28, column: 33, rule: 'unknown-rule' },
    { line: 36, column: 49, rule: 'unknown-rule' },
  ],
};

const MARKER = /^(\s*#\s*)(\^+)\s+(\S+)\s*$/;

function specFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...specFiles(full));
    else if (/\.kpi\.ya?ml$/.test(e.name)) out.push(full);
  }
  return out.sort();
}

function rel(file: string): string {
  return path.relative(FIXTURES, file).split(path.sep).join('/');
}

/** The expectations a fixture marks: caret lines refer to the nearest line above that is not a marker. */
function markedExpectations(text: string, name: string): Expectation[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: Expectation[] = [];
  let target = -1;
  lines.forEach((line, i) => {
    const m = MARKER.exec(line);
    if (!m) {
      target = i;
      return;
    }
    if (target < 0) throw new Error(`${name}:${i + 1}: a marker line needs a line above it`);
    if (!RULES.has(m[3]!)) throw new Error(`${name}:${i + 1}: the marker names \`${m[3]}\`, which is not a rule`);
    out.push({ line: target + 1, column: m[1]!.length + 1, rule: m[3]! });
  });
  return out;
}

function expectations(file: string): Expectation[] {
  // Latin-1 keeps every byte of a file that is not UTF-8; markers are ASCII either way.
  const bytes = fs.readFileSync(file);
  const text = bytes.toString(isUtf8(bytes) ? 'utf8' : 'latin1');
  return [...markedExpectations(text, rel(file)), ...(EXPLICIT[rel(file)] ?? [])];
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const key = (e: Expectation) => `${e.line}:${e.column} ${e.rule}`;
const byPosition = (a: Expectation, b: Expectation) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);

/** What the checker found in one file, as 1-based positions, with the messages for the diff. */
function actual(check: FileCheck): (Expectation & { message: string })[] {
  const index = new LineIndex(check.text);
  return check.problems
    .filter((p) => p.file === check.file)
    .map((p) => {
      const pos = index.positionAt(p.span.offset);
      return { line: pos.line + 1, column: pos.character + 1, rule: p.rule, message: p.message };
    });
}

/** A readable diff: each line once, `-` expected but missing, `+` reported but not marked, with the source line. */
function diff(file: string, text: string, expected: Expectation[], found: (Expectation & { message: string })[]): string {
  const want = new Set(expected.map(key));
  const got = new Set(found.map(key));
  const lines = text.split(/\r\n|\r|\n/);
  const rows: { e: Expectation; sign: string; note: string }[] = [
    ...expected.filter((e) => !got.has(key(e))).map((e) => ({ e, sign: '-', note: 'marked, not reported' })),
    ...found.filter((e) => !want.has(key(e))).map((e) => ({ e, sign: '+', note: `reported, not marked: ${e.message}` })),
  ].sort((a, b) => byPosition(a.e, b.e));
  const out = [`${rel(file)}: the problems differ from the markers`];
  for (const { e, sign, note } of rows) {
    out.push(`  ${sign} ${key(e)}  (${note})`);
    const source = lines[e.line - 1];
    if (source !== undefined && text !== '') {
      out.push(`      ${String(e.line).padStart(3)} | ${source}`);
      out.push(`          | ${' '.repeat(Math.max(0, e.column - 1))}^`);
    }
  }
  // Near misses are easier to read with what the checker found on the same line.
  const sameLine = found.filter((f) => rows.some((r) => r.sign === '-' && r.e.line === f.line && r.e.rule === f.rule && !want.has(key(f))));
  if (sameLine.length) out.push(`  (same rule on the same line, other column: ${sameLine.map(key).join(', ')})`);
  return out.join('\n');
}

describe('check: fixtures in test/fixtures/broken show every rule at its exact position', () => {
  const files = specFiles(FIXTURES);
  let checks: Map<string, FileCheck>;

  before(() => {
    const ws = new Workspace(new NodeHost(MAX_FILE_SIZE), ROOT);
    checks = new Map(checkFiles(ws, files).map((c) => [c.file, c]));
  });

  for (const file of files) {
    it(rel(file), () => {
      const check = checks.get(file)!;
      const expected = expectations(file).sort(byPosition);
      const found = actual(check).sort(byPosition);
      const same = expected.length === found.length && expected.every((e, i) => key(e) === key(found[i]!));
      if (!same) assert.fail(diff(file, check.text || fs.readFileSync(file, 'latin1'), expected, found));
    });
  }

  it('has a fixture for every rule, and every rule is marked in its own fixture', () => {
    const marked = new Map<string, Set<string>>();
    for (const file of files) marked.set(rel(file), new Set(expectations(file).map((e) => e.rule)));
    const union = new Set([...marked.values()].flatMap((s) => [...s]));
    const problems: string[] = [];
    for (const id of RULES.keys()) {
      if (!union.has(id)) problems.push(`no fixture marks \`${id}\``);
      const own = marked.get(`${id}.kpi.yaml`);
      if (!own) problems.push(`test/fixtures/broken/${id}.kpi.yaml is missing`);
      else if (!own.has(id)) problems.push(`${id}.kpi.yaml does not mark \`${id}\``);
    }
    for (const name of Object.keys(EXPLICIT)) if (!marked.has(name)) problems.push(`EXPLICIT names ${name}, which is not a fixture`);
    if (problems.length) assert.fail(problems.join('\n'));
  });
});
