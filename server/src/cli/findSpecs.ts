import * as fs from 'node:fs';
import * as path from 'node:path';

const SPEC = /\.kpi\.ya?ml$/;
/** Whether a file is named as a spec: `*.kpi.yaml` or `*.kpi.yml`. */
export const isSpecName = (file: string): boolean => SPEC.test(file);
const SKIP = new Set(['node_modules', '.git']);

export interface FoundSpecs {
  files: string[];
  /** Arguments that matched nothing, for a usage error. */
  unmatched: string[];
  /** Files named as arguments that are not named as specs (a data file, say), for a usage error. */
  notSpecs: string[];
}

/**
 * Turns command-line arguments (files, folders or globs) into absolute spec paths, sorted and
 * unique. With no arguments: every spec below `cwd`, skipping node_modules and .git.
 */
export function findSpecs(args: string[], cwd: string): FoundSpecs {
  const files = new Set<string>();
  const unmatched: string[] = [];
  const notSpecs: string[] = [];
  for (const arg of args.length ? args : ['.']) {
    const before = files.size;
    if (/[*?[]/.test(arg)) {
      const re = globToRegExp(path.resolve(cwd, arg));
      walk(path.resolve(cwd, globBase(arg)), (f) => re.test(f) && files.add(f), true);
    } else {
      const abs = path.resolve(cwd, arg);
      let stat: fs.Stats | undefined;
      try { stat = fs.statSync(abs); } catch { /* reported as unmatched */ }
      if (stat?.isDirectory()) walk(abs, (f) => SPEC.test(f) && files.add(f), false);
      else if (stat && !SPEC.test(abs)) notSpecs.push(arg);
      else if (stat) files.add(abs);
    }
    if (files.size === before && args.length > 0 && !notSpecs.includes(arg)) unmatched.push(arg);
  }
  return { files: [...files].sort(), unmatched, notSpecs };
}

function walk(dir: string, visit: (file: string) => unknown, anyFile: boolean): void {
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      if (SKIP.has(e.name)) continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) stack.push(full);
      else if (e.isFile() && (anyFile || SPEC.test(e.name))) visit(full);
    }
  }
}

/** The folder part of a glob before its first wildcard. */
function globBase(glob: string): string {
  const parts = glob.split(/[\\/]/);
  const i = parts.findIndex((p) => /[*?[]/.test(p));
  return parts.slice(0, i).join('/') || '.';
}

/** `**` crosses folders, `*` and `?` stay within one, `[abc]` is a class. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += '[' + glob.slice(i + 1, end).replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
