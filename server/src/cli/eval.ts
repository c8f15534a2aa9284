import * as path from 'node:path';
import { NodeHost } from '../data/nodeHost';
import { TableCache } from '../data/tableCache';
import type { EvalResult } from '../engine/results';
import { evaluateSpec, type EvalOptions } from '../engine/run';
import { todayIn } from '../engine/today';
import { MissingClientError } from '../sql/engines/load';
import { evaluateWithSql, SQL_ENGINES } from '../sql/evaluate';
import { explainKpis } from '../explain';
import { loadProfile } from './sql';
import { checkFiles } from '../language/analysis/analyze';
import { Workspace } from '../language/workspace';
import { csvFormat } from './evalFormat/csv';
import { markdownFormat } from './evalFormat/markdown';
import { tableFormat } from './evalFormat/table';
import { readArgs } from './args';
import { UsageError, type CommandIO } from './io';
import { folder, oneOf } from './optionValues';
import { writeOutput } from './output';
import { checkSelection, rangeOptions, SELECTION_OPTIONS } from './selectionOptions';
import { specPath } from './specPath';

export const EVAL_HELP = `Usage: kpispec eval <spec> [options]

Computes every KPI of a spec against its sample data: values per period, targets and
status, breakdowns and goal attainment.

Options:
  -g, --grain <grain>     day, week, month, quarter, year or all (default: the spec's defaults.grain)
      --from <period>     first period, e.g. 2026-01, 2026-Q1, 2026-W05, 2026 (inclusive)
      --to <period>       last period (inclusive)
      --last <n>          only the last n periods with data
      --today <day>       evaluate as of this day, YYYY-MM-DD in the spec's time zone
                          (default: the clock): later rows are not counted, and the
                          period holding it is partial
      --by <dimension>    break every KPI down by this dimension (default: each KPI's \`by\`)
      --kpi <id>          only this KPI (repeat for several)
      --engine <name>     in-process (default), duckdb (embedded: the spec's CSV and Parquet
                          files, or a profile's database file) or postgres (the URL in
                          KPISPEC_PG_URL, or in the variable a profile names): the KPIs are
                          compiled to SQL (see kpispec sql) and computed by the database
      --profile <name>    where the tables are: a profile of kpispec.profiles.yaml
  -f, --format <name>     table (default), json, csv, markdown
      --explain           with --format json: add to each KPI why it moved in its latest
                          complete period (see kpispec explain)
  -o, --output <file>     write to a file instead of standard output
      --fail-on missed    exit 1 when a KPI's latest status is missed (for CI)
      --root <folder>     the workspace: data files must lie inside it (default: current folder)
      --color, --no-color force colour on or off (default: on for a terminal)
  -h, --help              show this help

Exit codes: 0 evaluated, 1 the spec has errors (or a missed target with --fail-on missed),
2 usage or internal error.`;

const FORMATS = ['table', 'json', 'csv', 'markdown'] as const;

export function runEval(argv: string[], io: CommandIO): number | Promise<number> {
  const { values, positionals } = readArgs('eval', argv, {
    ...SELECTION_OPTIONS,
    today: { type: 'string' },
    engine: { type: 'string' },
    profile: { type: 'string' },
    format: { type: 'string', short: 'f', default: 'table' },
    output: { type: 'string', short: 'o' },
    'fail-on': { type: 'string' },
    explain: { type: 'boolean' },
    root: { type: 'string' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, { min: 1, max: 1, what: 'one spec file' });
  if (values.help) {
    io.stdout(EVAL_HELP + '\n');
    return 0;
  }
  const format = oneOf('format', values.format, FORMATS);
  const { grain, last } = rangeOptions(values);
  if (values['fail-on'] !== undefined && values['fail-on'] !== 'missed') throw new UsageError(`--fail-on takes "missed", got "${values['fail-on']}"`);
  if (values.explain && format !== 'json') throw new UsageError('--explain adds to the JSON output: use it with --format json (or run kpispec explain)');
  const file = specPath(positionals[0]!, io.cwd, { takes: 'eval takes one spec file (*.kpi.yaml or *.kpi.yml)' }).path;
  const root = values.root === undefined ? io.cwd : folder('--root', values.root, io.cwd);
  const profile = values.profile !== undefined ? loadProfile(values.profile, file, root, io.cwd) : undefined;
  const engine = oneOf('engine', values.engine ?? (profile?.dialect === 'duckdb' || profile?.dialect === 'postgres' ? profile.dialect : 'in-process'), ['in-process', ...SQL_ENGINES]);
  if (profile?.dialect && profile.dialect !== engine && engine !== 'in-process') throw new UsageError(`profile \`${profile.name}\` is for ${profile.dialect}, not ${engine}`);
  if (values.explain && engine !== 'in-process') throw new UsageError('--explain computes in process: leave out --engine and --profile');
  if (profile && engine === 'in-process') throw new UsageError(`profile \`${profile.name}\` is for ${profile.dialect ?? 'a database'}: kpispec eval computes on DuckDB and PostgreSQL (--engine); print the SQL for other databases with kpispec sql`);
  const ws = new Workspace(new NodeHost(), root);
  checkSelection(ws, file, values);
  if (values.today !== undefined && todayIn('UTC', values.today) === undefined) throw new UsageError(`--today needs a day such as 2026-10-15; got "${values.today}"`);
  const options: EvalOptions = { grain, from: values.from, to: values.to, last, by: values.by, kpis: values.kpi, today: values.today };
  const progress = io.isTTY && !values.output;
  const cache = new TableCache((p, bytes) => {
    if (progress && bytes > 4 * 1024 * 1024) io.stderr(`reading ${path.relative(io.cwd, p)} (${(bytes / 1024 / 1024).toFixed(0)} MB)…\n`);
  });
  // One check serves both: what the engine must not evaluate, and the exit code.
  const problems = checkFiles(ws, [file]).flatMap((r) => r.problems);
  if (engine === 'in-process') return report(evaluateSpec(ws, file, options, cache, problems));
  let url: string | undefined;
  if (engine === 'postgres') {
    const variable = profile?.urlEnv ?? 'KPISPEC_PG_URL';
    url = process.env[variable];
    if (!url && !process.env.PGHOST && !process.env.PGDATABASE) {
      throw new UsageError(`--engine postgres needs a connection URL in the environment variable ${variable} (postgres://user@host:5432/database; the password in PGPASSWORD or ~/.pgpass, not in a file you commit)`);
    }
  }
  return evaluateWithSql(ws, file, { ...options, engine, checked: problems, url, tables: profile?.tables, database: profile?.database }).then(
    ({ result }) => report(result),
    (e: unknown) => {
      if (e instanceof MissingClientError) throw new UsageError(e.message);
      // What the database says (a missing table, a refused connection) is no internal error.
      throw new UsageError(`${engine}: ${(e as Error)?.message ?? e}`);
    },
  );

  function report(result: EvalResult): number {
    if (process.env.KPISPEC_TIMINGS) {
      const use = process.resourceUsage();
      io.stderr(`KPISPEC_TIMINGS ${JSON.stringify({ maxRssMB: Math.round(use.maxRSS / 1024), cpuMs: Math.round((use.userCPUTime + use.systemCPUTime) / 1000) })}\n`);
    }
    // Paths as the person typed them: relative to the current folder.
    const rel = (f: string) => path.relative(io.cwd, f) || f;
    result.spec.file = rel(file);
    for (const p of [...result.problems, ...result.kpis.flatMap((k) => k.problems), ...result.sources.flatMap((s) => s.problems)]) p.file = rel(p.file);
    for (const k of result.kpis) k.file = rel(k.file);

    const color = values['no-color'] ? false : values.color ? true : !values.output && io.isTTY && !process.env.NO_COLOR;
    const text = format === 'json' ? JSON.stringify(values.explain ? withExplanations(result) : result, null, 2) + '\n' : format === 'csv' ? csvFormat(result) : format === 'markdown' ? markdownFormat(result) : tableFormat(result, color);
    writeOutput(io, values.output, text);

    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length) {
      io.stderr(`kpispec: the spec has ${errors.length} error${errors.length > 1 ? 's' : ''}; run "kpispec check ${positionals[0]}"\n`);
      return 1;
    }
    // Rows lost in a data file the checker could not see (an unclosed quote further down): a
    // number shown may miss them, so the run fails, as for an error in the spec.
    const dataErrors = result.sources.filter((src) => src.problems.some((p) => p.severity === 'error'));
    if (dataErrors.length) {
      io.stderr(`kpispec: data of ${dataErrors.map((src) => `\`${src.id}\``).join(', ')} could not be read whole; see its problems above\n`);
      return 1;
    }
    if (values['fail-on'] === 'missed') {
      const missed = result.kpis.filter((k) => k.latest.status === 'missed').map((k) => k.id);
      if (missed.length) {
        io.stderr(`kpispec: missed target${missed.length > 1 ? 's' : ''}: ${missed.join(', ')}\n`);
        return 1;
      }
    }
    return 0;
  }

  /** The results with each KPI's explanation of its latest change (kpispec explain's, as JSON). */
  function withExplanations(result: EvalResult): EvalResult {
    const explanations = new Map(explainKpis(ws, file, result, options, cache).map((e) => [e.kpi, e]));
    return { ...result, kpis: result.kpis.map((k) => ({ ...k, explanation: explanations.get(k.id) })) };
  }
}
