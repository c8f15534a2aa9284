import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeHost } from '../data/nodeHost';
import type { EvalProblem } from '../engine/results';
import { checkFiles } from '../language/analysis/analyze';
import { Workspace } from '../language/workspace';
import { compileSpec } from '../sql/compile';
import { DIALECTS } from '../sql/dialect';
import { profilesFileFor, readProfile, type Profile } from '../sql/profiles';
import { readArgs } from './args';
import { UsageError, type CommandIO } from './io';
import { folder, oneOf } from './optionValues';
import { writeOutput } from './output';
import { checkSelection, rangeOptions, SELECTION_OPTIONS } from './selectionOptions';
import { specPath } from './specPath';

export const SQL_HELP = `Usage: kpispec sql <spec> --dialect <name> [options]

Prints the SQL query that computes the spec's KPIs on a database: one query, one CTE per
source, aggregate and KPI layer, commented with the ids. Its rows are the values per KPI,
breakdown group and period, as \`kpispec eval --engine\` reads them (docs/sql.md).

Options:
  -d, --dialect <name>    duckdb, postgres, bigquery or snowflake (default: the profile's)
  -g, --grain <grain>     day, week, month, quarter, year or all (default: the spec's defaults.grain)
      --from <period>     first period, e.g. 2026-01, 2026-Q1, 2026-W05, 2026 (inclusive)
      --to <period>       last period (inclusive)
      --last <n>          only the last n periods with data
      --by <dimension>    break every KPI down by this dimension (default: each KPI's \`by\`)
      --kpi <id>          only this KPI (repeat for several)
      --profile <name>    where the tables are: a profile of kpispec.profiles.yaml
  -o, --output <file>     write to a file instead of standard output
      --root <folder>     the workspace: data files must lie inside it (default: current folder)
  -h, --help              show this help

Exit codes: 0 printed, 1 the spec has errors or something cannot be compiled (the SQL is
still printed, computing null for it), 2 usage or internal error.`;

/** A profile of the profiles file beside the spec (or at the root); a usage error when it cannot be read. */
export function loadProfile(name: string, specFile: string, root: string, cwd: string): Profile {
  const file = profilesFileFor(specFile, root, fs.existsSync);
  if (!file) throw new UsageError(`--profile ${name}: there is no kpispec.profiles.yaml beside the spec or at the workspace root`);
  const p = readProfile(file, fs.readFileSync(file, 'utf8'), name);
  if ('error' in p) throw new UsageError(p.error.split(file).join(path.relative(cwd, file) || file));
  return p;
}

/** `file:line:column: severity: message`, relative to the current folder. */
export function problemLine(p: EvalProblem, cwd: string): string {
  const file = path.relative(cwd, p.file) || p.file;
  return `${file}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}: ${p.severity}: ${p.message}`;
}

export function runSql(argv: string[], io: CommandIO): number {
  const { values, positionals } = readArgs('sql', argv, {
    dialect: { type: 'string', short: 'd' },
    ...SELECTION_OPTIONS,
    profile: { type: 'string' },
    output: { type: 'string', short: 'o' },
    root: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, { min: 1, max: 1, what: 'one spec file' });
  if (values.help) {
    io.stdout(SQL_HELP + '\n');
    return 0;
  }
  const { grain, last } = rangeOptions(values);
  const file = specPath(positionals[0]!, io.cwd, { takes: 'sql takes one spec file (*.kpi.yaml or *.kpi.yml)' }).path;
  const root = values.root === undefined ? io.cwd : folder('--root', values.root, io.cwd);
  const profile = values.profile !== undefined ? loadProfile(values.profile, file, root, io.cwd) : undefined;
  const written = values.dialect ?? profile?.dialect;
  if (!written) throw new UsageError(`sql needs --dialect: one of ${DIALECTS.join(', ')}`);
  const dialect = oneOf('dialect', written, DIALECTS);
  if (profile?.dialect && profile.dialect !== dialect) throw new UsageError(`profile \`${profile.name}\` is for ${profile.dialect}, not ${dialect}`);

  const ws = new Workspace(new NodeHost(), root);
  checkSelection(ws, file, values);
  const checked = checkFiles(ws, [file]).flatMap((r) => r.problems);
  const loaded = ws.load(file);
  if (!loaded.parsed) {
    // Nothing to compile: the spec itself cannot be read (not UTF-8, too large).
    io.stderr(`${problemLine({ severity: 'error', message: loaded.readProblem?.message ?? 'the spec cannot be read', file }, io.cwd)}\n`);
    return 1;
  }
  const compiled = compileSpec(ws, file, {
    dialect, grain, from: values.from, to: values.to, last, by: values.by, kpis: values.kpi, checked,
    tables: profile?.tables, relativeTo: io.cwd, title: path.relative(io.cwd, file).split(path.sep).join('/') || file,
  });
  writeOutput(io, values.output, compiled.sql);

  const problems = [...compiled.problems, ...[...compiled.sources.values()].flatMap((s) => s.problems)];
  for (const p of problems) io.stderr(`${problemLine(p, io.cwd)}\n`);
  const errors = checked.filter((p) => p.severity === 'error');
  if (errors.length) io.stderr(`kpispec: the spec has ${errors.length} error${errors.length > 1 ? 's' : ''}; definitions with errors compute null; run "kpispec check ${positionals[0]}"\n`);
  return errors.length || problems.some((p) => p.severity === 'error') ? 1 : 0;
}
