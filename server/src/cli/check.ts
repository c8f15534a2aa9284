import { NodeHost, DEFAULT_MAX_FILE_SIZE } from '../data/nodeHost';
import { checkFiles } from '../language/analysis/analyze';
import { enableTimings, phaseTotals } from '../language/timing';
import { Workspace } from '../language/workspace';
import { findSpecs } from './findSpecs';
import { FORMATTERS, type FormatName } from './format';
import type { FileReport } from './report';
import { readArgs } from './args';
import { UsageError, type CommandIO } from './io';
import { folder, oneOf, positiveNumber, wholeNumber } from './optionValues';
import { writeOutput } from './output';

export const CHECK_HELP = `Usage: kpispec check [options] [paths or globs...]

Checks KPI specs (*.kpi.yaml, *.kpi.yml): YAML, shape, formulas, references, cycles,
units, targets, imports and the columns of the attached data files.
With no paths, checks every spec below the current folder (skipping node_modules, .git).

Options:
  -f, --format <name>     stylish (default), json, sarif, github, junit
  -o, --output <file>     write the report to a file instead of standard output
      --max-warnings <n>  exit 1 when there are more than n warnings
  -q, --quiet             report errors only (warnings still count for --max-warnings)
      --root <folder>     the workspace: data files must lie inside it (default: current folder)
      --max-file-size <mb>  refuse spec files larger than this (default: ${DEFAULT_MAX_FILE_SIZE / 1024 / 1024})
      --color, --no-color force colour on or off (default: on for a terminal)
  -h, --help              show this help

Exit codes: 0 no errors (and warnings within --max-warnings), 1 errors or too many warnings,
2 usage or internal error.`;

export function runCheck(argv: string[], io: CommandIO): number {
  if (process.env.KPISPEC_TIMINGS) enableTimings();
  const { values, positionals } = readArgs('check', argv, {
    format: { type: 'string', short: 'f', default: 'stylish' },
    output: { type: 'string', short: 'o' },
    'max-warnings': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    root: { type: 'string' },
    'max-file-size': { type: 'string' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, { min: 0, max: Infinity, what: 'paths or globs' });
  if (values.help) {
    io.stdout(CHECK_HELP + '\n');
    return 0;
  }
  const format = oneOf('format', values.format, Object.keys(FORMATTERS) as FormatName[]);
  const maxWarnings = values['max-warnings'] === undefined ? undefined : wholeNumber('--max-warnings', values['max-warnings'], 0);
  const maxFileMb = values['max-file-size'] === undefined ? undefined : positiveNumber('--max-file-size', values['max-file-size']);

  const { files, unmatched, notSpecs } = findSpecs(positionals, io.cwd);
  if (notSpecs.length) throw new UsageError(`${notSpecs.join(', ')} ${notSpecs.length > 1 ? 'are not spec files' : 'is not a spec file'}; check takes spec files (*.kpi.yaml or *.kpi.yml), folders or globs`);
  if (unmatched.length) throw new UsageError(`no spec files match ${unmatched.map((u) => `"${u}"`).join(', ')}`);
  const root = values.root === undefined ? io.cwd : folder('--root', values.root, io.cwd);
  const ws = new Workspace(new NodeHost(maxFileMb !== undefined ? maxFileMb * 1024 * 1024 : DEFAULT_MAX_FILE_SIZE), root);
  const checked: FileReport[] = checkFiles(ws, files);
  if (process.env.KPISPEC_TIMINGS) printTimings(io);
  const all = checked.flatMap((r) => r.problems);
  const errors = all.filter((p) => p.severity === 'error').length;
  const warnings = all.filter((p) => p.severity === 'warning').length;
  const reports = values.quiet ? checked.map((r) => ({ ...r, problems: r.problems.filter((p) => p.severity === 'error') })) : checked;

  const color = values['no-color'] ? false : values.color ? true : !values.output && io.isTTY && !process.env.NO_COLOR;
  const text = FORMATTERS[format](reports, { cwd: io.cwd, color: format === 'stylish' && color, version: io.version });
  writeOutput(io, values.output, text);

  if (errors) return 1;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    io.stderr(`kpispec: ${warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}

/** For bench/check: phase totals and peak memory as one JSON line on stderr. */
function printTimings(io: CommandIO): void {
  const phases = Object.fromEntries([...phaseTotals].map(([k, v]) => [k, Math.round(v)]));
  io.stderr(`KPISPEC_TIMINGS ${JSON.stringify({ ...phases, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
}
