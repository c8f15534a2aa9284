import { execFile } from 'node:child_process';
import type { DiffResult } from '../../../server/src/diff/result';

/**
 * Runs the bundled `kpispec diff --base REF --format json` in a folder: the very report a
 * reviewer gets in CI. A child process keeps git, data reading and both evaluations out of the
 * extension host. `ELECTRON_RUN_AS_NODE` lets VS Code's own runtime act as Node.
 */
export function gitDiff(cli: string, folder: string, base: string): Promise<DiffResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cli, 'diff', '--base', base, '--format', 'json'], {
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
