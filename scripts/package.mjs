#!/usr/bin/env node
// Builds the VS Code extension package: every bundle (minified), then `vsce package` with no
// node_modules inside (esbuild bundled them). Prints the VSIX's path, size and what it holds.
//   node scripts/package.mjs [--out FILE]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET_BYTES = 2 * 1024 * 1024;
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(repo, 'out', `${pkg.name}-${pkg.version}.vsix`);
mkdirSync(dirname(out), { recursive: true });

const run = (cmd, args) => execFileSync(cmd, args, { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
run(process.execPath, ['esbuild.mjs']);
const vsce = join(repo, 'node_modules', '@vscode', 'vsce', 'vsce');
run(process.execPath, [vsce, 'package', '--no-dependencies', '--readme-path', 'client/README.md', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out]);

const size = statSync(out).size;
const listing = run(process.execPath, [vsce, 'ls', '--no-dependencies', '--readme-path', 'client/README.md']).trim().split('\n');
console.log(`VSIX: ${relative(process.cwd(), out) || out}`);
console.log(`size: ${(size / 1024).toFixed(0)} KB of a ${BUDGET_BYTES / 1024 / 1024} MB budget (${((size / BUDGET_BYTES) * 100).toFixed(0)}%)`);
console.log(`files (${listing.length}): ${listing.join(', ')}`);
if (size > BUDGET_BYTES) {
  console.error(`the VSIX is over its ${BUDGET_BYTES / 1024 / 1024} MB budget`);
  process.exit(1);
}
