import * as assert from 'node:assert/strict';
import { format } from 'node:util';
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { CodeServer, launchBrowser } from './codeServer';
import { copySamples, REPO } from './workspace';

/**
 * Runs the extension host suite (test/extensionHost, mocha inside VS Code's extension host, the
 * way @vscode/test-electron runs it) in code-server with the extension under development, and
 * fails unless every test there passes.
 */
// The suite runs ~20 s on an idle machine, minutes on a loaded one; its own waits are generous too.
const SUITE_LIMIT = 540_000;

describe('extension host tests in a real VS Code (code-server)', function () {
  this.timeout(SUITE_LIMIT + 60_000);
  let server: CodeServer;
  let browser: Browser | undefined;
  let workspace: ReturnType<typeof copySamples>;

  before(async () => {
    await esbuild.build({ entryPoints: [join(REPO, 'test/extensionHost/index.ts')], outfile: join(REPO, 'out/test/index.js'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'error', logOverride: { 'require-resolve-not-external': 'silent' } });
    workspace = copySamples();
    server = new CodeServer({ testDriver: true });
    await server.start();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    workspace?.remove();
  });

  it('passes every extension host test', async () => {
    const page = await browser!.newPage();
    const output: string[] = [];
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (_level: string, args: unknown[]) => {
      const line = format(...(args as [unknown, ...unknown[]]));
      output.push(line);
      if (process.env.KPISPEC_E2E_VERBOSE) console.log(line);
    });
    const host = new URL(server.base).host;
    await page.goto(server.url(workspace.dir, [
      ['extensionDevelopmentPath', `vscode-remote://${host}${REPO}`],
      ['extensionTestsPath', `vscode-remote://${host}${REPO}/out/test/index.js`],
    ]));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result from the extension host within ${SUITE_LIMIT / 1000} s; output so far:\n${output.join('\n')}\n--- code-server log ---\n${server.logTail()}`)), SUITE_LIMIT);
    });
    const code = await Promise.race([exit, timeout]).finally(() => clearTimeout(timer));
    const text = output.join('\n');
    const passing = Number(/(\d+) passing/.exec(text)?.[1] ?? 0);
    assert.equal(code, 0, `the extension host tests failed:\n${text}`);
    assert.ok(passing >= 10, `expected the whole suite to run, saw ${passing} passing:\n${text}`);
    console.log(`      ${passing} extension host tests passed${/activation: [\d.]+ ms/.exec(text) ? ` (${/activation: [\d.]+ ms/.exec(text)![0]})` : ''}`);
  });
});
