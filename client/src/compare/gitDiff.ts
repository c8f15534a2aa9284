import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DiffResult } from '../../../server/src/diff/result';

/**
 * Runs the bundled `kpispec diff --base REF --format json` in a folder: the very report a
 * reviewer gets in CI. A child process keeps git, data reading and both evaluations out of the
 * extension host. `ELECTRON_RUN_AS_NODE` lets VS Code's own runtime act as Node. `unsaved`
 * (absolute spec path → text) is passed through a private temporary file (`--unsaved`), so
 * edits not yet saved are compared as the editor holds them.
 */
export async function gitDiff(cli: string, folder: string, base: string, unsaved: Map<string, string> = new Map()): Promise<DiffResult> {
  if (!unsaved.size) return run(cli, folder, ['--base', base]);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kpispec-unsaved-'));
  try {
    const file = path.join(dir, 'unsaved.json');
    await fs.writeFile(file, JSON.stringify(Object.fromEntries(unsaved)), { mode: 0o600 });
    return await run(cli, folder, ['--base', base, '--unsaved', file]);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function run(cli: string, folder: string, args: string[]): Promise<DiffResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cli, 'diff', ...args, '--format', 'json'], {
      cwd: folder, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024, timeout: 120_000,
    }, (error, stdout, stderr) => {
      // Exit 1 with a report means a side does not parse: the report says so, show it.
      if (stdout.trim().startsWith('{')) {
        try {
          resolve(JSON.parse(stdout) as DiffResult);
          return;
        } catch { /* fall through to the error */ }
      }
      const message = stderr.trim().replace(/^kpispec: /, '') || error?.message || 'kpispec diff gave no report';
      reject(new Error(message));
    });
  });
}

/** Branches, remote branches and tags of the repository at `folder`, newest commit first. */
export function gitRefs(folder: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('git', ['for-each-ref', '--sort=-committerdate', '--format=%(refname:short)', 'refs/heads', 'refs/remotes', 'refs/tags'], { cwd: folder }, (error, stdout) => {
      resolve(error ? [] : stdout.split('\n').map((l) => l.trim()).filter((l) => l && !l.endsWith('/HEAD')));
    });
  });
}
