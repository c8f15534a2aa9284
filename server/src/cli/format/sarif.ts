import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Severity } from '../../language/problem';
import { RULES } from '../../language/rules';
import type { Span } from '../../language/span';
import type { Formatter } from '../report';
import { locateAll, relPath, type Range } from './locate';

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
const SRCROOT = '%SRCROOT%';

/**
 * `--format sarif`: a SARIF 2.1.0 log with one run. tool.driver.rules lists only the rules that
 * occur in the results (in registry order; ids missing from the registry get a bare descriptor),
 * which keeps the log small; results point at them by ruleId and ruleIndex. Regions are 1-based
 * with UTF-16 columns (run.columnKind says so; endColumn exclusive as SARIF defines it) plus
 * charOffset/charLength. Files under cwd get a relative URI against %SRCROOT% (cwd's file URL, in
 * originalUriBaseIds); files outside it an absolute file:// URI. No artifacts list.
 */
export const sarif: Formatter = (reports, options) => {
  const files = locateAll(reports, options.cwd);
  const used = new Set(files.flatMap((f) => f.problems.map((p) => p.problem.rule)));
  const known = [...RULES.values()].filter((r) => used.has(r.id));
  const unknown = [...used].filter((id) => !RULES.has(id)).sort();
  const rules: Sarif.ReportingDescriptor[] = [
    ...known.map((r) => ({
      id: r.id,
      shortDescription: { text: r.summary },
      fullDescription: { text: r.summary },
      help: { text: r.help },
      defaultConfiguration: { level: LEVEL[r.severity] },
    })),
    ...unknown.map((id) => ({ id })),
  ];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));

  const location = (file: string, r: Range, s: Span): Sarif.PhysicalLocation => ({
    artifactLocation: artifact(file, options.cwd),
    region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn, charOffset: s.offset, charLength: s.length },
  });

  const results: Sarif.Result[] = files.flatMap((f) =>
    f.problems.map(({ problem: p, range, related }) => {
      const result: Sarif.Result = {
        ruleId: p.rule,
        ruleIndex: ruleIndex.get(p.rule)!,
        level: LEVEL[p.severity],
        message: { text: p.message },
        locations: [{ physicalLocation: location(p.file, range, p.span) }],
      };
      if (related.length > 0) {
        result.relatedLocations = related.map((x, i) => ({
          id: i,
          message: { text: x.message },
          physicalLocation: location(x.file, x.range, x.span),
        }));
      }
      return result;
    }),
  );

  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'kpispec', version: options.version, informationUri: 'https://github.com/kpispec/kpispec', rules },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: dirUri(options.cwd) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
};

function artifact(file: string, cwd: string): Sarif.ArtifactLocation {
  const rel = relPath(file, cwd);
  if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) return { uri: pathToFileURL(file).href };
  // A URI reference, not a path: percent-encode each segment (spaces, '#', non-ASCII...).
  return { uri: rel.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** A base URI must end in '/' or relative references would resolve against its parent. */
function dirUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : href + '/';
}
