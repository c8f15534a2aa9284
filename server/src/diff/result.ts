/**
 * The shape of a semantic diff of two versions of a set of spec files: plain JSON data, what
 * `kpispec diff --format json` prints and every other format reads. Order is stable: entries
 * by kind (goal, KPI, metric, source), then by id; changes by aspect in a fixed order.
 *
 * ```jsonc
 * {
 *   "version": 1,
 *   "before": { "label": "old", "files": ["shop.kpi.yaml"], "broken": false, "problems": [] },
 *   "after":  { "label": "new", "files": ["shop.kpi.yaml"], "broken": false, "problems": [] },
 *   "files":  [ { "path": "shop.kpi.yaml", "change": "changed" } ],       // added | removed | changed | unchanged (text)
 *   "entries": [
 *     { "kind": "kpi", "id": "aov", "change": "changed", "file": "shop.kpi.yaml",
 *       "changes": [ { "aspect": "formula", "before": "revenue / orders", "after": "revenue / customers" } ],
 *       "impact": { "before": { "period": "2026-10", "value": 210.5, "text": "¥210.50", "status": "met" },
 *                   "after":  { ... }, "change": 12.3 } },
 *     { "kind": "kpi", "id": "conversion_rate", "change": "affected", "file": "shop.kpi.yaml",
 *       "changes": [], "path": ["conversion_rate", "orders (where changed)"], "because": "conversion_rate ← orders (where changed)" },
 *     { "kind": "kpi", "id": "cr", "oldId": "conversion", "change": "renamed", ... },
 *     { "kind": "kpi", "id": "old_kpi", "change": "removed", ... }
 *   ],
 *   "breaking": [ { "reason": "direction-flip", "kind": "kpi", "id": "bounce_rate", "message": "..." } ],
 *   "summary": { "added": 0, "removed": 1, "renamed": 1, "changed": 1, "affected": 1, "breaking": 1 }
 * }
 * ```
 *
 * A change with `items` details a list-like aspect item by item: target and warn steps (keyed
 * by their `from` period, `always` for an undated target), `by` dimensions, a goal's KPIs and
 * weights, a source's options.
 */
import type { DefKind } from '../language/model';
import type { Status } from '../engine/results';

export type EntryChange = 'added' | 'removed' | 'renamed' | 'changed' | 'affected';

export interface ItemChange {
  key: string;
  change: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
}

export interface Change {
  /** formula, unit, format, direction, target, warn, by, decimals, kpis (a goal's), horizon, due,
   * source, agg, column, where, currency, file, rows, from, key, aggregate, lookups, derive, options, title, description. */
  aspect: string;
  /** Normalized text on each side; absent when the aspect is not set on that side. */
  before?: string;
  after?: string;
  items?: ItemChange[];
}

/** A KPI's latest value on one side. */
export interface Snapshot {
  period?: string;
  value: number | null;
  /** The value as a person reads it (`2.41%`, `¥1,234.00`, `—`). */
  text: string;
  status: Status;
}

export interface Impact {
  before?: Snapshot;
  after?: Snapshot;
  /** after.value - before.value, when both are numbers. */
  change: number | null;
  /**
   * The change in two parts, when the data changed too: `definition`, what the spec edit alone
   * does (the after side's definitions on the before side's data, `sameData`, against `before`),
   * and `data`, the rest (`after` against `sameData`); `text` says it (`the spec edit −0.30 pp
   * (2.11% on the same data), the data −0.06 pp`). Absent when the data adds nothing.
   */
  split?: { definition: number | null; data: number | null; sameData: Snapshot; text: string };
  /**
   * Where the spec edit moves the KPI, on the before side's data, in the latest period: the
   * groups of its breakdowns it moves most (largest first, at most three), and how many groups
   * it leaves as they were. Absent when the KPI has no breakdown or the edit moves no group.
   */
  movers?: { groups: GroupMove[]; unchanged: number };
}

/** One group of a breakdown, before and after the spec edit, on the same data. */
export interface GroupMove {
  dimension: string;
  /** The dimension value; null for rows where it is empty. */
  group: string | null;
  before: number | null;
  after: number | null;
  /** As a person reads them: `¥180.00 → ¥120.00 (−33.3%)`. */
  text: string;
}

export interface Entry {
  kind: DefKind;
  /** The id on the after side (the before side for a removed definition). */
  id: string;
  /** The id on the before side, for a rename. */
  oldId?: string;
  /** The definition's `title` (after side; before side when removed), when it has one. */
  title?: string;
  change: EntryChange;
  /** Relative path of the defining file (after side, or before side when removed). */
  file: string;
  changes: Change[];
  /**
   * For affected KPIs: the KPI, then each definition it uses down to the one that changed; past
   * 11 entries, the first 10, `… N more` and the changed one.
   */
  path?: string[];
  /** `path` joined with ` ← `. */
  because?: string;
  /** KPIs only, once impact is computed. */
  impact?: Impact;
}

export interface SideProblem {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
}

export interface SideSummary {
  label: string;
  /** Spec files, relative to the side's root, sorted. */
  files: string[];
  /** A spec on this side does not parse: no definitions are compared. */
  broken: boolean;
  problems: SideProblem[];
}

export type BreakingReason = 'removed-kpi-in-goal' | 'renamed-kpi-in-goal' | 'unit-change' | 'direction-flip' | 'met-to-missed';

export interface Breaking {
  reason: BreakingReason;
  kind: DefKind;
  id: string;
  message: string;
}

export interface DiffResult {
  version: 1;
  before: SideSummary;
  after: SideSummary;
  files: { path: string; change: 'added' | 'removed' | 'changed' | 'unchanged' }[];
  entries: Entry[];
  breaking: Breaking[];
  summary: { added: number; removed: number; renamed: number; changed: number; affected: number; breaking: number };
}

export const KIND_ORDER: Record<DefKind, number> = { goal: 0, kpi: 1, metric: 2, source: 3 };
