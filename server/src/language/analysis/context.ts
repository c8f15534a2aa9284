import type { Definition, DefKind, SpecFile } from '../model';
import type { Problem, RelatedLocation } from '../problem';
import { rule } from '../rules';
import type { Span } from '../span';
import type { Scope, Workspace } from '../workspace';

/** What every check of one file needs: the file, what is in scope, and a place to report. */
export class Context {
  readonly problems: Problem[] = [];
  /** Where report() puts problems: `problems`, or the list of the definition being checked (see `route`). */
  private sink: Problem[] = this.problems;
  /**
   * Set by the analysis to keep each definition's problems apart (so an edit re-checks only the
   * definitions it can change): the list a definition's problems go to. Checks call `at(def)`
   * before checking a definition.
   */
  route?: (def: Definition) => Problem[];

  constructor(
    readonly ws: Workspace,
    readonly spec: SpecFile,
    readonly scope: Scope,
  ) {}

  get file(): string {
    return this.spec.file;
  }

  report(ruleId: string, span: Span, message: string, extra?: { related?: RelatedLocation[]; data?: Problem['data'] }): void {
    const p: Problem = { rule: ruleId, severity: rule(ruleId).severity, message, file: this.file, span };
    if (extra?.related?.length) p.related = extra.related;
    if (extra?.data) p.data = extra.data;
    this.sink.push(p);
  }

  /** What follows is about this definition (see `route`). */
  at(def: Definition): void {
    if (this.route) this.sink = this.route(def);
  }

  /** Sends reports to a list until the next `at` or `into`. */
  into(list: Problem[]): void {
    this.sink = list;
  }

  /** Runs fn with reports about `def`, then goes back to where reports went before. */
  about<T>(def: Definition, fn: () => T): T {
    if (!this.route) return fn();
    const before = this.sink;
    this.sink = this.route(def);
    try {
      return fn();
    } finally {
      this.sink = before;
    }
  }

  /** The definition an id names, if it is of the given kind. */
  lookup<K extends DefKind>(id: string, kind: K): Extract<Definition, { kind: K }> | undefined {
    const def = kind === 'source' ? this.scope.sources.get(id) : this.scope.names.get(id);
    return def?.kind === kind ? (def as Extract<Definition, { kind: K }>) : undefined;
  }

  /** Ids in scope of the given kinds, for did-you-mean. */
  idsOf(...kinds: DefKind[]): string[] {
    const out: string[] = [];
    for (const def of this.scope.values()) if (kinds.includes(def.kind)) out.push(def.id);
    return out;
  }

  /** The definitions of this file only, in written order. */
  get own(): Definition[] {
    return this.spec.definitions;
  }
}

export const KIND_NAMES: Record<DefKind, string> = { source: 'source', metric: 'metric', kpi: 'KPI', goal: 'goal' };
