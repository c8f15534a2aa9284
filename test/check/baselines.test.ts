import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The whole output of `kpispec check test/fixtures/broken` as reviewed text: every rule's
 * message, position and code frame in the formats people read (stylish) and tools read (json).
 * A change in the output fails here until someone reads the diff and accepts it with
 * `npm run accept-baselines` (which rebuilds, sets KPISPEC_ACCEPT=1 and shows `git diff --stat`).
 *
 * Some messages name absolute paths (where a missing file was looked for, the workspace root);
 * the repository's folder is written `<repo>` in the baselines so they hold on any checkout.
 */

const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const BASELINES = path.join(REPO, 'test', 'baselines');
const ACCEPT = process.env.KPISPEC_ACCEPT === '1';

const CHECK = ['check', 'test/fixtures/broken', '--max-file-size', '0.05', '--no-color'];
const RUNS = [
  { baseline: 'check-broken.stylish.txt', args: CHECK },
  { baseline: 'check-broken.json', args: [...CHECK, '--format', 'json'] },
];

/** Newest modification time of the files the CLI is built from. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/cli.js when it is missing or older than its sources, so the test never runs a stale CLI. */
function ensureBuilt(): void {
  const sources = Math.max(newestSource(path.join(REPO, 'server', 'src')), fs.statSync(path.join(REPO, 'schemas', 'kpispec.schema.json')).mtimeMs);
  if (fs.existsSync(CLI) && fs.statSync(CLI).mtimeMs >= sources) return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node esbuild.mjs failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
}

/** The repository's absolute path, as written in plain text and inside JSON strings, becomes `<repo>`. */
function portable(text: string): string {
  let out = text;
  for (const root of new Set([REPO, fs.realpathSync(REPO)])) {
    out = out.split(root).join('<repo>');
    const escaped = JSON.stringify(root).slice(1, -1);
    if (escaped !== root) out = out.split(escaped).join('<repo>');
  }
  return out;
}

/**
 * A unified-style line diff (- expected, + actual) with two lines of context, from a longest
 * common subsequence; long diffs are cut after MAX_DIFF_LINES lines.
 */
const MAX_DIFF_LINES = 300;
function lineDiff(expectedText: string, actualText: string): string {
  const a = expectedText.split('\n');
  const b = actualText.split('\n');
  const w = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const ops: { sign: ' ' | '-' | '+'; text: string; line: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ sign: ' ', text: a[i++]!, line: j++ });
    else if (i < a.length && (j === b.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) ops.push({ sign: '-', text: a[i++]!, line: j });
    else ops.push({ sign: '+', text: b[j]!, line: j++ });
  }
  const show = ops.map((_, k) => ops.slice(Math.max(0, k - 2), k + 3).some((o) => o.sign !== ' '));
  const out: string[] = [];
  for (let k = 0; k < ops.length && out.length < MAX_DIFF_LINES; k++) {
    if (!show[k]) continue;
    if (k === 0 || !show[k - 1]) out.push(`@@ actual line ${ops[k]!.line + 1} @@`);
    out.push(`${ops[k]!.sign} ${ops[k]!.text}`);
  }
  if (out.length >= MAX_DIFF_LINES) out.push(`… (diff cut after ${MAX_DIFF_LINES} lines)`);
  return out.join('\n');
}

describe('check: baselines of `kpispec check test/fixtures/broken`', () => {
  before(function () {
    this.timeout(120_000);
    ensureBuilt();
  });

  for (const { baseline, args } of RUNS) {
    it(`kpispec ${args.join(' ')} matches test/baselines/${baseline}`, () => {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', KPISPEC_TIMINGS: '' } });
      assert.equal(r.error, undefined, `the CLI did not run: ${r.error?.message}`);
      assert.equal(r.stderr, '', `the CLI wrote to stderr:\n${r.stderr}`);
      assert.equal(r.status, 1, `exit code ${r.status}, expected 1 (errors found)`);
      const actual = portable(r.stdout);
      const file = path.join(BASELINES, baseline);
      if (ACCEPT) {
        fs.mkdirSync(BASELINES, { recursive: true });
        fs.writeFileSync(file, actual);
        return;
      }
      assert.ok(fs.existsSync(file), `test/baselines/${baseline} does not exist; create it with \`npm run accept-baselines\``);
      const expected = fs.readFileSync(file, 'utf8');
      if (actual !== expected) {
        assert.fail(
          `the output differs from test/baselines/${baseline} (- baseline, + actual);\n` +
            `if the new output is right, accept it with \`npm run accept-baselines\`\n\n${lineDiff(expected, actual)}`,
        );
      }
    });
  }
});
