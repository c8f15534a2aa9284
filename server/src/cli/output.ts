import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSpecName } from './findSpecs';
import { UsageError, type CommandIO } from './io';

const REASONS: Record<string, string> = {
  ENOENT: 'no such folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/** Writes a command's output to `-o FILE`, else to standard output. A file that cannot be written is a usage error naming it and why. */
export function writeOutput(io: CommandIO, file: string | undefined, text: string): void {
  if (file === undefined) return io.stdout(text);
  // An output named like a spec would overwrite one, or be checked as one next time.
  if (isSpecName(file)) throw new UsageError(`cannot write ${file}: the output would be taken for a spec (*.kpi.yaml, *.kpi.yml)`);
  try {
    fs.writeFileSync(path.resolve(io.cwd, file), text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`cannot write ${file}: ${REASONS[code] ?? (e as Error).message}`);
  }
}
