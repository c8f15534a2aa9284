import type { Context } from '../../language/analysis/context';
import type { Problem } from '../../language/problem';
import type { Snapshot } from '../snapshot';
import type { Edit } from '../types';

/** One way to fix one problem. */
export interface Fix {
  title: string;
  edits: Edit[];
  /** Clearly the right fix: the editor may apply it on its own (auto fix, fix all on save). */
  preferred?: boolean;
  /**
   * What "Fix all <rule> problems in this file" applies for this problem: the preferred fix, or
   * the one fix of a rule whose fix is safe to apply to every problem of it (removing an unused
   * suppression, renaming a duplicate id). A problem has at most one.
   */
  batch?: boolean;
}

/** What the fixers of one request share. */
export interface FixEnv {
  snap: Snapshot;
  /** Every problem of the file (fixes of one may look at the others, e.g. on the same comment). */
  problems: Problem[];
  /**
   * Fixes for "fix all": only the fix "fix all" applies is asked for (a fixer may skip the
   * others), and it may take the other problems it is applied with into account.
   */
  batch: boolean;
  /** Ids handed out by fixes of this request (renames to `x_2`, new KPIs), so that two fixes never pick the same. */
  taken: Set<string>;
  /** A checker context for the file (units of metrics, targets re-checked), made once per request. */
  context(): Context;
  /** Memo of a request's work shared between problems (e.g. a KPI's target problems before a fix). */
  memo: Map<string, unknown>;
}

export type Fixer = (env: FixEnv, p: Problem) => Fix[];
