import * as path from 'node:path';
import type { Host } from '../data/host';
import type { Definition, SourceDef } from './model';
import { parseModel, parseSpec, type ParsedSpec } from './parse';
import type { Problem } from './problem';
import { remodelSpec } from './remodel';
import { changedRange, reparseSpec } from './reparse';
import { LineIndex } from './lineIndex';

/** A spec file as loaded: parsed, or the reason it could not be read. */
export type LoadedFile = { file: string; parsed: ParsedSpec; readProblem?: undefined } | { file: string; parsed?: undefined; readProblem: Problem };

/**
 * The set of spec files under analysis, loaded on demand through the host and cached until
 * the owner says a file changed (`forget`): every lookup during analysis is a map hit.
 */
export class Workspace {
  private readonly cache = new Map<string, LoadedFile>();
  private readonly scopes = new Map<string, Scope>();
  /** Files forgotten since they were parsed: the next load parses only what an edit changed, if it can. */
  private readonly previous = new Map<string, ParsedSpec>();
  /**
   * Per file, what checks derived from it and keep across edits inside definitions (see
   * analysis/analyze.ts); dropped whenever the file is parsed whole again.
   */
  readonly memo = new Map<string, unknown>();

  /**
   * `modelOnly`: files are parsed into their model only (see parseModel), for evaluation; they
   * have no YAML tree and no schema problems; an edit inside one definition re-reads that
   * definition only (remodel.ts), as it does with the tree (reparse.ts).
   */
  constructor(readonly host: Host, readonly root: string, private readonly options: { modelOnly?: boolean } = {}) {}

  /** Whether files are parsed into their model only (no tree, no schema problems): not for checking. */
  get modelOnly(): boolean {
    return !!this.options.modelOnly;
  }

  load(file: string): LoadedFile {
    const cached = this.cache.get(file);
    if (cached) return cached;
    const loaded = this.read(file);
    this.cache.set(file, loaded);
    return loaded;
  }

  private read(file: string): LoadedFile {
    const read = this.host.readSpec(file);
    let previous = this.previous.get(file);
    this.previous.delete(file);
    if (!read.ok) {
      if (previous) this.scopes.clear();
      this.memo.delete(file);
      const rule = read.reason === 'too-large' ? 'file-too-large' : read.reason === 'invalid-encoding' ? 'invalid-encoding' : 'import-not-found';
      return { file, readProblem: { rule, severity: 'error', message: read.message, file, span: { offset: 0, length: 0 }, data: { reason: read.reason } } };
    }
    if (previous && previous.spec.text === read.text) return { file, parsed: previous };
    const reparsed = previous && (this.options.modelOnly ? remodelSpec(previous, read.text) : reparseSpec(previous, read.text));
    if (reparsed) {
      this.replaceInScopes(previous!.spec.definitions, reparsed.spec.definitions);
      return { file, parsed: reparsed };
    }
    if (previous) this.scopes.clear();
    previous = undefined; // not kept alive while the new parse is made
    this.memo.delete(file);
    return { file, parsed: this.options.modelOnly ? parseModel(file, read.text) : parseSpec(file, read.text) };
  }

  /** The text of a file as loaded now, without reading it: undefined when it is not loaded, or could not be read. */
  loadedText(file: string): string | undefined {
    return this.cache.get(file)?.parsed?.spec.text;
  }

  private readonly lineIndexes = new Map<string, LineIndex>();

  /** Lines of a spec file's current text, brought up to date from the last text's by the changed stretch. */
  lineIndex(file: string): LineIndex {
    const text = this.load(file).parsed?.spec.text ?? '';
    const last = this.lineIndexes.get(file);
    if (last?.text === text) return last;
    let index: LineIndex;
    if (last) {
      const { at, oldEnd, newEnd } = changedRange(last.text, text);
      index = last.edited(text, at, oldEnd, newEnd);
    } else index = new LineIndex(text);
    this.lineIndexes.set(file, index);
    return index;
  }

  /**
   * Drops a file from the cache: it changed, or was deleted. Scopes that may include it are
   * brought up to date when it is read again: an edit inside definitions only replaces those
   * definitions (same ids, same places), anything else makes every scope be built again.
   */
  forget(file: string): void {
    const parsed = this.cache.get(file)?.parsed;
    if (parsed) this.previous.set(file, parsed);
    else if (!this.previous.has(file)) this.scopes.clear(); // any scope may include the file through imports
    this.cache.delete(file);
  }

  /** Reads the files forgotten since their last read, so that the scopes are current. */
  private settle(): void {
    for (const file of [...this.previous.keys()]) this.load(file);
  }

  /** Puts rebuilt definitions where their predecessors were in every scope. */
  private replaceInScopes(before: Definition[], after: Definition[]): void {
    if (before === after || !this.scopes.size) return;
    if (before.length !== after.length) return this.scopes.clear();
    for (let i = 0; i < before.length; i++) {
      const old = before[i]!;
      const def = after[i]!;
      if (old === def) continue;
      for (const scope of this.scopes.values()) scope.replace(old, def);
    }
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
    if (this.previous.size) this.settle();
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

  /** Puts `def` where `old` was, if it was there: the same id and kind, rebuilt after an edit. */
  replace(old: Definition, def: Definition): void {
    const map = old.kind === 'source' ? this.sources : this.names;
    if (map.get(old.id) === old) map.set(def.id, def);
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
