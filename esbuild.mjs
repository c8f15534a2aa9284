// Builds the named targets into dist/. Usage: node esbuild.mjs [target...] [--watch]
import * as esbuild from 'esbuild';

const targets = {
  // The `kpispec` command: a small entry that runs the bundle from V8's code cache (launch.ts).
  cli: {
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cliMain.js',
    platform: 'node',
  },
  cliLauncher: {
    entryPoints: ['server/src/cli/launch.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
  server: {
    entryPoints: ['server/src/lsp/serverMain.ts'],
    outfile: 'dist/server.js',
    platform: 'node',
  },
  // The language server evaluates specs in this worker thread (dist/ beside cli.js and server.js).
  evalWorker: {
    entryPoints: ['server/src/lsp/evalWorker.ts'],
    outfile: 'dist/evalWorker.js',
    platform: 'node',
  },
  // The VS Code extension: the only bundle that imports 'vscode' (provided by the editor).
  client: {
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    external: ['vscode'],
    banner: { js: 'globalThis.__kpispecLoadStart = performance.now();' },
  },
  // The extension host test suite (test/extensionHost), loaded by VS Code as `extensionTestsPath`.
  extensionTests: {
    entryPoints: ['test/extensionHost/index.ts'],
    outfile: 'out/test/index.js',
    platform: 'node',
    external: ['vscode'],
    // mocha's parallel mode (unused here) resolves its worker files at run time.
    logOverride: { 'require-resolve-not-external': 'silent' },
  },
  // The preview's browser bundle (and its CSS, imported by the entry): no node, no vscode.
  webview: {
    entryPoints: ['client/src/webview/main.ts'],
    outfile: 'dist/webview/preview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  // The "Compare KPIs with Git" view's browser bundle (with the preview's stylesheet).
  compare: {
    entryPoints: ['client/src/webview/compare.ts'],
    outfile: 'dist/webview/compare.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
};

const args = process.argv.slice(2);
const watch = args.includes('--watch');
const names = args.filter((a) => !a.startsWith('--'));
const chosen = names.length ? names : Object.keys(targets);

for (const name of chosen) {
  const target = targets[name];
  if (!target) {
    console.error(`esbuild.mjs: unknown target "${name}" (known: ${Object.keys(targets).join(', ')})`);
    process.exit(2);
  }
  const options = {
    bundle: true,
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    minify: !watch,
    keepNames: true,
    logLevel: 'warning',
    ...target,
  };
  if (watch) await (await esbuild.context(options)).watch();
  else await esbuild.build(options);
}
