#!/usr/bin/env node
// Accepts the current checker output as the new baselines (npm run accept-baselines):
// rebuilds dist/cli.js, runs the baseline tests (check and eval output) with KPISPEC_ACCEPT=1 (which writes
// test/baselines/* instead of comparing), then shows what changed so the reviewer reads the diff.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(command, args, env = {}) {
  const r = spawnSync(command, args, { cwd: repo, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) {
    console.error(`accept-baselines: cannot run ${command}: ${r.error.message}`);
    process.exit(2);
  }
  if (r.status !== 0) {
    console.error(`accept-baselines: \`${[path.basename(command), ...args].join(' ')}\` failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

run(process.execPath, ['esbuild.mjs']);
// --no-config: .mocharc.json would add every other test file to the run.
run(process.execPath, [path.join(repo, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--no-config', '--require', 'tsx/cjs', '--timeout', '120000', 'test/check/baselines.test.ts', 'test/cli/eval.test.ts', 'test/sql/dialects.test.ts', 'test/diff/baselines.test.ts'], { KPISPEC_ACCEPT: '1' });

console.log('\nChanged baselines (git diff --stat test/baselines):');
run('git', ['--no-pager', 'diff', '--stat', '--', 'test/baselines']);
// New baseline files are untracked, so `git diff` does not show them.
run('git', ['--no-pager', 'status', '--short', '--untracked-files=all', '--', 'test/baselines']);
console.log('Read the diff (git diff test/baselines) before committing it.');
