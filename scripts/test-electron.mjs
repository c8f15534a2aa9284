#!/usr/bin/env node
// Runs the extension host suite (test/extensionHost, bundled to out/test/index.js) in VS Code
// desktop through @vscode/test-electron, which downloads VS Code from update.code.visualstudio.com.
// Our build machines can't reach it; there the same suite runs in code-server
// (test/e2e/extensionHost.test.ts). On a machine with internet (docs/editor-testing.md):
//   npm run build && node esbuild.mjs extensionTests && node scripts/test-electron.mjs
//   Linux without a display: xvfb-run -a node scripts/test-electron.mjs
// VS Code is cached in ${KPISPEC_EDITOR_CACHE:-~/.cache/kpispec-editor}/vscode-test; the workspace
// (a copy of samples/), user data and extensions dirs are a scratch folder (KPISPEC_EDITOR_KEEP=1 keeps it).
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadAndUnzipVSCode, runTests, TestRunFailedError } from '@vscode/test-electron';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tests = join(repo, 'out', 'test', 'index.js');
const cachePath = join(process.env.KPISPEC_EDITOR_CACHE || join(homedir(), '.cache', 'kpispec-editor'), 'vscode-test');
for (const [file, how] of [[join(repo, 'dist', 'extension.js'), 'npm run build'], [tests, 'node esbuild.mjs extensionTests']]) {
  if (!existsSync(file)) {
    console.error(`[test-electron] ${file} is missing: run ${how} first`);
    process.exit(2);
  }
}

let vscode;
try {
  mkdirSync(cachePath, { recursive: true });
  // The newest stable VS Code that package.json's engines.vscode accepts.
  vscode = await downloadAndUnzipVSCode({ cachePath, extensionDevelopmentPath: repo });
} catch (e) {
  console.error('[test-electron] VS Code desktop could not be downloaded from update.code.visualstudio.com (our build machines cannot reach it): '
    + 'run this where it can, or run the same suite in code-server: npx mocha --no-config --require tsx/cjs --timeout 300000 test/e2e/extensionHost.test.ts');
  console.error(`[test-electron] original error: ${e?.stack || e}`);
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'kpispec-electron-'));
const workspace = join(scratch, 'workspace');
cpSync(join(repo, 'samples'), workspace, { recursive: true });
mkdirSync(join(scratch, 'user-data', 'User'), { recursive: true });
// As in test/e2e/codeServer.ts: no chat panel, welcome page or update checks in the way.
writeFileSync(join(scratch, 'user-data', 'User', 'settings.json'), JSON.stringify({
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
}, null, 2));
try {
  await runTests({
    vscodeExecutablePath: vscode,
    extensionDevelopmentPath: repo,
    extensionTestsPath: tests,
    launchArgs: [
      workspace,
      // Disables installed extensions, not built-in ones nor the one under development (ours
      // loads; VS Code's own extension host tests run with this flag).
      '--disable-extensions',
      '--disable-workspace-trust',
      `--user-data-dir=${join(scratch, 'user-data')}`,
      `--extensions-dir=${join(scratch, 'extensions')}`,
    ],
  });
  console.log('[test-electron] the extension host tests passed');
} catch (e) {
  console.error(e instanceof TestRunFailedError ? `[test-electron] the extension host tests failed (${e.message})` : `[test-electron] ${e?.stack || e}`);
  process.exitCode = 1;
} finally {
  if (process.env.KPISPEC_EDITOR_KEEP) console.log(`[test-electron] scratch kept: ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
