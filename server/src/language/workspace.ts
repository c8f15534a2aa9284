import * as path from 'node:path';
import type { Host } from './host';
import type { Definition } from './model';
import { parseSpec, type ParsedSpec } from './parse';
import type { Problem } from './problem';

/** A spec file as loaded: parsed, or the reason it could not be read. */
export type LoadedFile = { file: string; parsed: ParsedSpec; readProblem?: undefined } | { file: string; parsed?: undefined; readProblem: Problem };

/**
 * The set of spec files under analysis, loaded on demand through the host and cached by
 * text: a file is re-parsed only when its text changed.
 */
export class Workspace {
  private readonly cache = new Map<string, { text: string; parsed: ParsedSpec }>();

  constructor(readonly host: Host, readonly root: string) {}

  load(file: string): LoadedFile {
    const read = this.host.readSpec(file);
    if (!read.ok) {
      const rule = read.reason === 'too-large' ? 'file-too-large' : read.reason === 'invalid-encoding' ? 'invalid-encoding' : 'import-not-found';
      return { file, readProblem: { rule, severity: 'error', message: read.message, file, span: { offset: 0, length: 0 } } };
    }
    const cached = this.cache.get(file);
    if (cached && cached.text === read.text) return { file, parsed: cached.parsed };
    const parsed = parseSpec(file, read.text);
    this.cache.set(file, { text: read.text, parsed });
    return { file, parsed };
  }

  /** Drops a file from the cache (it was deleted or changed outside the host). */
  forget(file: string): void {
    this.cache.delete(file);
  }

  resolveImport(fromFile: string, target: string): string {
    return path.resolve(path.dirname(fromFile), target);
  }

  /**
   * The file and everything it imports, transitively, each once, the file first.
   * Missing imports and cycles are left to the import checks; this only never loops.
   */
  closure(file: string): ParsedSpec[] {
    const out: ParsedSpec[] = [];
    const seen = new Set<string>();
    const stack = [file];
    while (stack.length) {
      const f = stack.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      const loaded = this.load(f);
      if (!loaded.parsed) continue;
      out.push(loaded.parsed);
      const imports = loaded.parsed.spec.imports;
      for (let i = imports.length - 1; i >= 0; i--) stack.push(this.resolveImport(f, imports[i]!.value));
    }
    return out;
  }

  /** Every definition visible from a file, first definition of each id wins. */
  scope(file: string): Map<string, Definition> {
    const scope = new Map<string, Definition>();
    for (const parsed of this.closure(file)) {
      for (const def of parsed.spec.definitions) if (!scope.has(def.id)) scope.set(def.id, def);
    }
    return scope;
  }
}
