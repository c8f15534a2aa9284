import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { NodeHost } from '../data/nodeHost';
import type { EvalProblem } from '../engine/results';
import { checkFiles } from '../language/analysis/analyze';
import { GRAINS, type Grain } from '../language/model';
import { periodStart } from '../language/period';
import { Workspace } from '../language/workspace';
import { compileSpec } from '../sql/compile';
import { DIALECTS, type DialectName } from '../sql/dialect';
import { profilesFileFor, readProfile, type Profile } from '../sql/profiles';
import { UsageError, type CommandIO } from './io';
import { SELECTION_OPTIONS } from './selectionOptions';

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

/** The options eval and sql share: range, breakdown, KPIs. */
export function rangeOptions(values: { grain?: string; from?: string; to?: string; last?: string }): { grain?: Grain; last?: number } {
  if (values.grain !== undefined && !GRAINS.includes(values.grain as Grain)) throw new UsageError(`unknown grain "${values.grain}"; use one of ${GRAINS.join(', ')}`);
  for (const [name, v] of [['--from', values.from], ['--to', values.to]] as const) {
    if (v !== undefined && periodStart(v) === undefined) throw new UsageError(`${name} needs a period such as 2026-01, 2026-Q1, 2026-W05 or 2026; got "${v}"`);
  }
  const last = values.last === undefined ? undefined : Number(values.last);
  if (last !== undefined && !(Number.isInteger(last) && last > 0)) throw new UsageError(`--last needs a positive whole number, got "${values.last}"`);
  return { grain: values.grain as Grain | undefined, last };
}

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
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dialect: { type: 'string', short: 'd' },
      ...SELECTION_OPTIONS,
      profile: { type: 'string' },
      output: { type: 'string', short: 'o' },
      root: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(SQL_HELP + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('sql takes one spec file; run "kpispec sql --help"');
  const { grain, last } = rangeOptions(values);
  const file = path.resolve(io.cwd, positionals[0]!);
  if (!fs.existsSync(file)) throw new UsageError(`no such spec file: ${positionals[0]}`);
  const root = path.resolve(io.cwd, values.root ?? '.');
  const profile = values.profile !== undefined ? loadProfile(values.profile, file, root, io.cwd) : undefined;
  const dialect = (values.dialect ?? profile?.dialect) as DialectName | undefined;
  if (!dialect) throw new UsageError(`sql needs --dialect: one of ${DIALECTS.join(', ')}`);
  if (!DIALECTS.includes(dialect)) throw new UsageError(`unknown dialect "${dialect}"; use one of ${DIALECTS.join(', ')}`);
  if (profile?.dialect && profile.dialect !== dialect) throw new UsageError(`profile \`${profile.name}\` is for ${profile.dialect}, not ${dialect}`);

  const ws = new Workspace(new NodeHost(), root);
  const checked = checkFiles(ws, [file]).flatMap((r) => r.problems);
  const compiled = compileSpec(ws, file, {
    dialect, grain, from: values.from, to: values.to, last, by: values.by, kpis: values.kpi, checked,
    tables: profile?.tables, relativeTo: io.cwd, title: path.relative(io.cwd, file).split(path.sep).join('/') || file,
  });
  if (values.output) fs.writeFileSync(path.resolve(io.cwd, values.output), compiled.sql);
  else io.stdout(compiled.sql);

  const problems = [...compiled.problems, ...[...compiled.sources.values()].flatMap((s) => s.problems)];
  for (const p of problems) io.stderr(`${problemLine(p, io.cwd)}\n`);
  for (const id of values.kpi ?? []) if (!ws.load(file).parsed?.spec.kpis.has(id)) io.stderr(`kpispec: no KPI \`${id}\` in this spec\n`);
  const errors = checked.filter((p) => p.severity === 'error');
  if (errors.length) io.stderr(`kpispec: the spec has ${errors.length} error${errors.length > 1 ? 's' : ''}; definitions with errors compute null; run "kpispec check ${positionals[0]}"\n`);
  return errors.length || problems.some((p) => p.severity === 'error') ? 1 : 0;
}
