import * as fs from 'node:fs';
import * as path from 'node:path';

const SPEC = /\.kpi\.ya?ml$/;
const SKIP = new Set(['node_modules', '.git']);
/** Entries looked at per folder scan: a workspace folder at `/` or a home folder ends, too. */
export const MAX_ENTRIES = 200_000;

/**
 * Every spec below `root`, skipping node_modules and .git, sorted, as `kpispec check` finds
 * them. One folder read per turn of the event loop, so requests are answered meanwhile; after
 * MAX_ENTRIES entries it stops and says so through `limited`.
 */
export async function scanSpecs(root: string, limited: (entries: number) => void): Promise<string[]> {
  const files: string[] = [];
  const stack = [root];
  let seen = 0;
  while (stack.length) {
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (++seen > MAX_ENTRIES) {
        limited(MAX_ENTRIES);
        return files.sort();
      }
      if (SKIP.has(e.name)) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(full);
      else if (e.isFile() && SPEC.test(e.name)) files.push(full);
    }
  }
  return files.sort();
}
