#!/usr/bin/env node
// Builds the VS Code extension package: every bundle (minified), then `vsce package` with no
// node_modules inside (esbuild bundled them). Prints the VSIX's path, size and what it holds.
//   node scripts/package.mjs [--out FILE]
// .vscodeignore decides what the VSIX holds; package.json's `files` decides what the npm package
// holds. vsce refuses a folder that has both, so it runs in a staging folder holding a copy of
// what .vscodeignore lets in and a package.json without `files`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET_BYTES = 2 * 1024 * 1024;
const README = 'client/README.md';
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(repo, 'out', `${pkg.name}-${pkg.version}.vsix`);
mkdirSync(dirname(out), { recursive: true });

const run = (cmd, args, cwd = repo) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
run(process.execPath, ['esbuild.mjs']);

/** The top-level entries .vscodeignore lets in (`!dist/cli.js` → `dist`): what the staging copy needs. */
function includedRoots() {
  const lines = readFileSync(join(repo, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
  const roots = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1).split('/')[0]);
  return [...new Set([...roots, '.vscodeignore', README.split('/')[0]])].filter((r) => r && r !== 'package.json' && !r.includes('*'));
}

const stage = mkdtempSync(join(tmpdir(), 'kpispec-vsix-'));
try {
  for (const root of includedRoots()) {
    if (existsSync(join(repo, root))) cpSync(join(repo, root), join(stage, root), { recursive: true });
  }
  const { files: _npmFiles, ...manifest } = pkg;
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  const vsce = join(repo, 'node_modules', '@vscode', 'vsce', 'vsce');
  const common = ['--no-dependencies', '--readme-path', README];
  run(process.execPath, [vsce, 'package', ...common, '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out], stage);
  const listing = run(process.execPath, [vsce, 'ls', ...common], stage).trim().split('\n');
  const size = statSync(out).size;
  console.log(`VSIX: ${relative(process.cwd(), out) || out}`);
  console.log(`size: ${(size / 1024).toFixed(0)} KB of a ${BUDGET_BYTES / 1024 / 1024} MB budget (${((size / BUDGET_BYTES) * 100).toFixed(0)}%)`);
  console.log(`files (${listing.length}): ${listing.join(', ')}`);
  if (size > BUDGET_BYTES) {
    console.error(`the VSIX is over its ${BUDGET_BYTES / 1024 / 1024} MB budget`);
    process.exit(1);
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}
