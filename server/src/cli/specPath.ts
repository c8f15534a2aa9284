import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSpecName } from './findSpecs';
import { UsageError } from './io';

/**
 * A path given where a spec is expected, resolved against the current folder: a spec file
 * (`*.kpi.yaml`, `*.kpi.yml`), or a folder when the command compares folders. A missing path,
 * a data file or an unwanted folder is a usage error that says what was expected.
 */
export function specPath(arg: string, cwd: string, expected: { takes: string; folders?: boolean }): { path: string; folder: boolean } {
  const abs = path.resolve(cwd, arg);
  const { takes } = expected;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new UsageError(`no such ${expected.folders ? 'file or folder' : 'file'}: ${arg}; ${takes}`);
  }
  if (stat.isDirectory()) {
    if (!expected.folders) throw new UsageError(`${arg} is a folder; ${takes}`);
    return { path: abs, folder: true };
  }
  if (!isSpecName(abs)) throw new UsageError(`${arg} is not a spec file; ${takes}`);
  return { path: abs, folder: false };
}
