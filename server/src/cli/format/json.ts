import type { Formatter } from '../report';
import { countSeverities, locateAll, relPath } from './locate';

/** Bumped only on a breaking change of the shape below; fields may be added without a bump. */
export const JSON_FORMAT_VERSION = 1;

/**
 * `--format json`:
 * { version, summary: { errors, warnings, infos, hints, files }, files: [{ file, problems: [{
 *   rule, severity, message, line, column, endLine, endColumn, offset, length,
 *   related: [{ file, line, column, message }] }] }] }
 * `file` is relative to cwd with forward slashes; lines and columns are 1-based UTF-16 (endColumn
 * exclusive); offset/length are the raw UTF-16 span. Every checked file is listed, clean ones with
 * `problems: []`, sorted by path; `summary.files` counts checked files.
 */
export const json: Formatter = (reports, options) => {
  const counts = countSeverities(reports);
  const out = {
    version: JSON_FORMAT_VERSION,
    summary: { errors: counts.error, warnings: counts.warning, infos: counts.info, hints: counts.hint, files: reports.length },
    files: locateAll(reports, options.cwd).map((f) => ({
      file: f.rel,
      problems: f.problems.map(({ problem: p, range, related }) => ({
        rule: p.rule,
        severity: p.severity,
        message: p.message,
        ...range,
        offset: p.span.offset,
        length: p.span.length,
        related: related.map((r) => ({ file: relPath(r.file, options.cwd), line: r.range.line, column: r.range.column, message: r.message })),
      })),
    })),
  };
  return JSON.stringify(out, null, 2) + '\n';
};
