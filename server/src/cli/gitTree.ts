import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from './io';

/** A git revision of the current folder, written out to a temporary folder (specs and data alike). */
export interface GitTree {
  /** The folder that corresponds to the current folder, at that revision. */
  dir: string;
  cleanup(): void;
}

function git(cwd: string, args: string[], input?: Buffer): Buffer {
  const r = spawnSync('git', ['-C', cwd, ...args], { maxBuffer: 1 << 30, input });
  if (r.error) throw new UsageError(`cannot run git: ${r.error.message}`);
  if (r.status !== 0) throw new UsageError(`git ${args[0]} failed: ${r.stderr.toString().trim().split('\n')[0]}`);
  return r.stdout;
}

export function checkoutTree(cwd: string, ref: string): GitTree {
  const top = git(cwd, ['rev-parse', '--show-toplevel']).toString().trim();
  const r = spawnSync('git', ['-C', cwd, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (r.status !== 0) throw new UsageError(`unknown git revision "${ref}"`);
  const tar = git(top, ['archive', '--format=tar', ref]);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kpispec-diff-'));
  const x = spawnSync('tar', ['-x', '-C', tmp], { input: tar, maxBuffer: 1 << 30 });
  if (x.status !== 0) throw new UsageError(`cannot unpack ${ref}: ${x.stderr.toString().trim()}`);
  return {
    dir: path.join(tmp, path.relative(top, cwd)),
    cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }),
  };
}
