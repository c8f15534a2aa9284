import * as path from 'node:path';
import type { Host } from './host';
import type { Definition, SourceDef } from './model';
import { parseSpec, type ParsedSpec } from './parse';
import type { Problem } from './problem';

/** A spec file as loaded: parsed, or the reason it could not be read. */
export type LoadedFile = { file: string; parsed: ParsedSpec; readProblem?: undefined } | { file: string; parsed?: undefined; readProblem: Problem };

/**
 * The set of spec files under analysis, loaded on demand through the host and cached until
 * the owner says a file changed (`forget`): every lookup during analysis is a map hit.
 */
export class Workspace {
  private readonly cache = new Map<string, LoadedFile>();
  private readonly scopes = new Map<string, Scope>();

  constructor(readonly host: Host, readonly root: string) {}

  load(file: string): LoadedFile {
    const cached = this.cache.get(file);
    if (cached) return cached;
    const loaded = this.read(file);
    this.cache.set(file, loaded);
    return loaded;
  }

  private read(file: string): LoadedFile {
    const read = this.host.readSpec(file);
    if (!read.ok) {
      const rule = read.reason === 'too-large' ? 'file-too-large' : read.reason === 'invalid-encoding' ? 'invalid-encoding' : 'import-not-found';
      return { file, readProblem: { rule, severity: 'error', message: read.message, file, span: { offset: 0, length: 0 }, data: { reason: read.reason } } };
    }
    return { file, parsed: parseSpec(file, read.text) };
  }

  /** Drops a file from the cache: it changed, or was deleted. */
  forget(file: string): void {
    this.cache.delete(file);
    this.scopes.clear(); // any scope may include the file through imports
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
      const imports = loaded.parsed.spec.imports.filter((imp) => isSpecImport(imp.value));
      for (let i = imports.length - 1; i >= 0; i--) stack.push(this.resolveImport(f, imports[i]!.value));
    }
    return out;
  }

  /** Every definition visible from a file; the first definition of each id wins. */
  scope(file: string): Scope {
    let scope = this.scopes.get(file);
    if (scope) return scope;
    scope = new Scope();
    for (const parsed of this.closure(file)) for (const def of parsed.spec.definitions) scope.add(def);
    this.scopes.set(file, scope);
    return scope;
  }
}

/**
 * The ids visible from a file. Metrics, KPIs and goals share one namespace (formulas name
 * metrics and KPIs alike); sources have their own, since only `source:` names them, so a
 * source and a metric may both be called `orders`.
 */
export class Scope {
  readonly names = new Map<string, Definition>();
  readonly sources = new Map<string, SourceDef>();

  add(def: Definition): void {
    if (def.kind === 'source') {
      if (!this.sources.has(def.id)) this.sources.set(def.id, def);
    } else if (!this.names.has(def.id)) this.names.set(def.id, def);
  }

  /** A metric, KPI or goal by id, else a source of that id. */
  get(id: string): Definition | undefined {
    return this.names.get(id) ?? this.sources.get(id);
  }

  /** Whether this definition is the one its id resolves to (not a repeated id). */
  owns(def: Definition): boolean {
    return (def.kind === 'source' ? this.sources.get(def.id) : this.names.get(def.id)) === def;
  }

  *values(): IterableIterator<Definition> {
    yield* this.names.values();
    yield* this.sources.values();
  }
}

/** Only relative paths to spec files are imports; the checker reports the rest, and nothing loads them. */
export function isSpecImport(written: string): boolean {
  return /\.kpi\.ya?ml$/.test(written) && !path.isAbsolute(written);
}
