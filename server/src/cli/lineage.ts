import * as path from 'node:path';
import { NodeHost } from '../data/nodeHost';
import { checkFiles } from '../language/analysis/analyze';
import { around, lineageKey, lineageOf } from '../language/lineage';
import { closest } from '../language/suggest';
import { isSpecImport, Workspace } from '../language/workspace';
import { readArgs } from './args';
import { findSpecs } from './findSpecs';
import { UsageError, type CommandIO } from './io';
import { formatLineage, LINEAGE_FORMATS } from './lineageFormat';
import { folder, oneOf } from './optionValues';
import { writeOutput } from './output';
import { specPath } from './specPath';

export const LINEAGE_HELP = `Usage: kpispec lineage [spec] [options]

Prints what each KPI is computed from: sources → metrics → KPIs → goals, over the spec and
the files it imports. Without a spec, the one spec below the current folder that no other
spec imports.

Options:
  -f, --format <name>     text (default), mermaid (renders in GitHub and GitLab Markdown),
                          dot (Graphviz) or json
  -k, --kpi <id>          only what feeds this KPI (or metric, goal, source) and what it feeds;
                          repeat for several
  -o, --output <file>     write to a file instead of standard output
      --root <folder>     the workspace: data files must lie inside it (default: current folder)
  -h, --help              show this help

Examples:
  kpispec lineage samples/webshop.kpi.yaml
  kpispec lineage samples/webshop.kpi.yaml --kpi ad_roi --format mermaid

Exit codes: 0 printed, 1 printed but the spec has errors (references that resolve to nothing
are left out), 2 usage or internal error.`;

export function runLineage(argv: string[], io: CommandIO): number {
  const { values, positionals } = readArgs('lineage', argv, {
    format: { type: 'string', short: 'f', default: 'text' },
    kpi: { type: 'string', short: 'k', multiple: true },
    output: { type: 'string', short: 'o' },
    root: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, { min: 0, max: 1, what: 'one spec file' });
  if (values.help) {
    io.stdout(LINEAGE_HELP + '\n');
    return 0;
  }
  const format = oneOf('format', values.format, LINEAGE_FORMATS);
  const root = values.root === undefined ? io.cwd : folder('--root', values.root, io.cwd);
  const ws = new Workspace(new NodeHost(), root);
  const file = positionals[0] !== undefined ? specPath(positionals[0], io.cwd, { takes: 'lineage takes one spec file (*.kpi.yaml or *.kpi.yml)' }).path : topSpec(ws, io.cwd);
  const loaded = ws.load(file);
  if (!loaded.parsed) throw new UsageError(`cannot read ${path.relative(io.cwd, file) || file}: ${loaded.readProblem.message}`);

  const scope = ws.scope(file);
  let lineage = lineageOf(scope);
  const selected = new Set<string>();
  for (const id of values.kpi ?? []) {
    const def = scope.get(id);
    if (!def) {
      const guess = closest(id, [...scope.values()].map((d) => d.id));
      throw new UsageError(`--kpi ${id}: no KPI, metric, goal or source \`${id}\` in ${path.relative(io.cwd, file) || file}${guess ? ` (did you mean \`${guess}\`?)` : ''}`);
    }
    selected.add(lineageKey(def));
  }
  if (selected.size) lineage = around(lineage, [...selected]);
  const place = (n: { file: string; span: { offset: number } }) => {
    const at = ws.lineIndex(n.file).positionAt(n.span.offset);
    return { file: path.relative(io.cwd, n.file).split(path.sep).join('/') || n.file, line: at.line + 1, column: at.character + 1 };
  };
  writeOutput(io, values.output, formatLineage(format, lineage, selected, place));

  const errors = checkFiles(ws, [file]).flatMap((r) => r.problems).filter((p) => p.severity === 'error');
  if (!errors.length) return 0;
  io.stderr(`kpispec: the spec has ${errors.length} error${errors.length > 1 ? 's' : ''}; what does not resolve is left out; run "kpispec check ${path.relative(io.cwd, file) || file}"\n`);
  return 1;
}

/** The one spec below `cwd` that no other imports (a spec and the files it imports are one scorecard). */
function topSpec(ws: Workspace, cwd: string): string {
  const { files } = findSpecs([], cwd);
  const imported = new Set<string>();
  for (const f of files) for (const imp of ws.load(f).parsed?.spec.imports ?? []) if (isSpecImport(imp.value)) imported.add(ws.resolveImport(f, imp.value));
  const tops = files.filter((f) => !imported.has(f));
  if (tops.length === 1) return tops[0]!;
  const shown = tops.map((f) => path.relative(cwd, f)).slice(0, 5).join(', ');
  throw new UsageError(tops.length ? `several specs here (${shown}${tops.length > 5 ? ', …' : ''}); name one: kpispec lineage <spec>` : 'no spec files below the current folder; name one: kpispec lineage <spec>');
}
