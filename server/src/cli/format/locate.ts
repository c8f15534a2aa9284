import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../../language/lineIndex';
import type { Problem, Severity } from '../../language/problem';
import type { Span } from '../../language/span';
import type { FileReport } from '../report';

/** 1-based lines and columns in UTF-16 code units; endColumn is exclusive (one past the last character). */
export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** The text of a file that has no FileReport, or undefined when unknown. */
export type Texts = (file: string) => string | undefined;

/** Reads from disk: related locations may point into files the CLI did not report on (e.g. imports). */
export const diskTexts: Texts = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** Converts spans to ranges for any file, building each LineIndex once. */
export class Locator {
  private readonly indexes = new Map<string, LineIndex>();

  constructor(reports: readonly FileReport[], private readonly texts: Texts = diskTexts) {
    for (const r of reports) this.indexes.set(r.file, new LineIndex(r.text));
  }

  index(file: string): LineIndex {
    let index = this.indexes.get(file);
    if (!index) {
      // An unreadable file still gets positions: everything lands on 1:1 rather than throwing.
      index = new LineIndex(this.texts(file) ?? '');
      this.indexes.set(file, index);
    }
    return index;
  }

  range(file: string, s: Span): Range {
    const index = this.index(file);
    const start = index.positionAt(s.offset);
    const end = index.positionAt(s.offset + s.length);
    return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  }
}

/** The 1-based range of a problem; its text comes from the report when the problem is in that file. */
export function problemRange(report: FileReport, problem: Problem, texts: Texts = diskTexts): Range {
  return new Locator([report], texts).range(problem.file, problem.span);
}

/** A path relative to cwd with forward slashes, so output is the same on every OS. */
export function relPath(file: string, cwd: string): string {
  return path.relative(cwd, file).split(path.sep).join('/');
}

/** A problem with its range resolved, the unit every formatter prints. */
export interface Located {
  problem: Problem;
  range: Range;
  related: { file: string; message: string; span: Span; range: Range }[];
}

export interface LocatedReport {
  report: FileReport;
  rel: string;
  problems: Located[];
}

/**
 * Resolves ranges and fixes the order: files by relative path (plain code-unit comparison, not
 * locale-dependent), problems by line and column, so the output does not depend on check order.
 */
export function locateAll(reports: readonly FileReport[], cwd: string, locator = new Locator(reports)): LocatedReport[] {
  const out = reports.map((report) => ({
    report,
    rel: relPath(report.file, cwd),
    problems: report.problems
      .map((problem) => ({
        problem,
        range: locator.range(problem.file, problem.span),
        related: (problem.related ?? []).map((r) => ({ ...r, range: locator.range(r.file, r.span) })),
      }))
      .sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column || cmp(a.problem.rule, b.problem.rule)),
  }));
  return out.sort((a, b) => cmp(a.rel, b.rel));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type Counts = Record<Severity, number>;

export function countSeverities(reports: readonly { problems: readonly { severity: Severity }[] }[]): Counts {
  const counts: Counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of reports) for (const p of r.problems) counts[p.severity]++;
  return counts;
}
