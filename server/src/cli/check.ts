import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { NodeHost, DEFAULT_MAX_FILE_SIZE } from '../data/nodeHost';
import { checkFiles } from '../language/analysis/analyze';
import { enableTimings, phaseTotals } from '../language/timing';
import { Workspace } from '../language/workspace';
import { findSpecs } from './findSpecs';
import { FORMATTERS, type FormatName } from './format';
import type { FileReport } from './report';
import { UsageError, type CommandIO } from './io';

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
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f', default: 'stylish' },
      output: { type: 'string', short: 'o' },
      'max-warnings': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      root: { type: 'string' },
      'max-file-size': { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(CHECK_HELP + '\n');
    return 0;
  }
  const format = values.format as FormatName;
  if (!(format in FORMATTERS)) throw new UsageError(`unknown format "${values.format}"; use one of ${Object.keys(FORMATTERS).join(', ')}`);
  const maxWarnings = optionalNumber(values['max-warnings'], '--max-warnings');
  const maxFileMb = optionalNumber(values['max-file-size'], '--max-file-size');

  const { files, unmatched } = findSpecs(positionals, io.cwd);
  if (unmatched.length) throw new UsageError(`no spec files match ${unmatched.map((u) => `"${u}"`).join(', ')}`);
  const root = path.resolve(io.cwd, values.root ?? '.');
  const ws = new Workspace(new NodeHost(maxFileMb !== undefined ? maxFileMb * 1024 * 1024 : DEFAULT_MAX_FILE_SIZE), root);
  const checked: FileReport[] = checkFiles(ws, files);
  if (process.env.KPISPEC_TIMINGS) printTimings(io);
  const all = checked.flatMap((r) => r.problems);
  const errors = all.filter((p) => p.severity === 'error').length;
  const warnings = all.filter((p) => p.severity === 'warning').length;
  const reports = values.quiet ? checked.map((r) => ({ ...r, problems: r.problems.filter((p) => p.severity === 'error') })) : checked;

  const color = values['no-color'] ? false : values.color ? true : !values.output && io.isTTY && !process.env.NO_COLOR;
  const text = FORMATTERS[format](reports, { cwd: io.cwd, color: format === 'stylish' && color, version: io.version });
  if (values.output) fs.writeFileSync(path.resolve(io.cwd, values.output), text);
  else io.stdout(text);

  if (errors) return 1;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    io.stderr(`kpispec: ${warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}

function optionalNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} needs a number, got "${value}"`);
  return n;
}

/** For bench/check: phase totals and peak memory as one JSON line on stderr. */
function printTimings(io: CommandIO): void {
  const phases = Object.fromEntries([...phaseTotals].map(([k, v]) => [k, Math.round(v)]));
  io.stderr(`KPISPEC_TIMINGS ${JSON.stringify({ ...phases, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
}
