import * as path from 'node:path';
import { NodeHost } from '../data/nodeHost';
import { TableCache } from '../data/tableCache';
import type { DataAccess, EvalOptions } from '../engine/run';
import { evaluateSpec } from '../engine/run';
import { todayIn } from '../engine/today';
import { explainKpis } from '../explain';
import { checkFiles } from '../language/analysis/analyze';
import { periodStart } from '../language/period';
import { didYouMean } from '../language/suggest';
import { Workspace } from '../language/workspace';
import { readArgs } from './args';
import { explainMarkdown } from './explainFormat/markdown';
import { explainTable } from './explainFormat/table';
import { UsageError, type CommandIO } from './io';
import { folder, oneOf } from './optionValues';
import { writeOutput } from './output';
import { checkSelection, rangeOptions } from './selectionOptions';
import { specPath } from './specPath';

export const EXPLAIN_HELP = `Usage: kpispec explain <spec> <kpi> [options]

Explains why a KPI moved between two periods: its change split over the groups of each of
its breakdowns — each group's own change for a sum or count, a rate and a mix effect per
group for a ratio of sums — or, for any other formula, over the metrics and KPIs it names.
The parts are ranked, and one sentence names the top drivers. A decomposition describes the
change; it does not prove its cause (docs/explain.md).

Options:
      --period <period>   the period explained, e.g. 2026-10 (default: the latest complete
                          period in which the KPI has a value)
      --vs <what>         prev (default: the period before), yoy (the same period a year
                          before) or a period, e.g. 2026-06
      --by <dimension>    split by this dimension only (default: each of the KPI's \`by\`)
  -g, --grain <grain>     day, week, month, quarter or year (default: the spec's defaults.grain)
      --today <day>       evaluate as of this day, YYYY-MM-DD in the spec's time zone
  -f, --format <name>     table (default), json, markdown
  -o, --output <file>     write to a file instead of standard output
      --root <folder>     the workspace: data files must lie inside it (default: current folder)
      --color, --no-color force colour on or off (default: on for a terminal)
  -h, --help              show this help

Examples:
  kpispec explain samples/webshop.kpi.yaml conversion_rate
  kpispec explain samples/webshop.kpi.yaml total_revenue --period 2026-10 --vs yoy --by channel

Exit codes: 0 explained, 1 the spec has errors, 2 usage or internal error (an unknown KPI,
a period outside the data).`;

const FORMATS = ['table', 'json', 'markdown'] as const;

export function runExplain(argv: string[], io: CommandIO): number {
  const { values, positionals } = readArgs('explain', argv, {
    period: { type: 'string' },
    vs: { type: 'string' },
    by: { type: 'string' },
    grain: { type: 'string', short: 'g' },
    today: { type: 'string' },
    format: { type: 'string', short: 'f', default: 'table' },
    output: { type: 'string', short: 'o' },
    root: { type: 'string' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, { min: 2, max: 2, what: 'a spec file and a KPI id' });
  if (values.help) {
    io.stdout(EXPLAIN_HELP + '\n');
    return 0;
  }
  const format = oneOf('format', values.format, FORMATS);
  const { grain } = rangeOptions({ grain: values.grain });
  if (grain === 'all') throw new UsageError('explain compares two periods: --grain all has one; use day, week, month, quarter or year');
  for (const [name, v] of [['--period', values.period], ['--vs', values.vs === 'prev' || values.vs === 'yoy' ? undefined : values.vs]] as const) {
    if (v !== undefined && periodStart(v) === undefined) {
      throw new UsageError(`${name} needs ${name === '--vs' ? 'prev, yoy or ' : ''}a period such as 2026-10, 2026-Q3, 2026-W05 or 2026; got "${v}"`);
    }
  }
  if (values.today !== undefined && todayIn('UTC', values.today) === undefined) throw new UsageError(`--today needs a day such as 2026-10-15; got "${values.today}"`);
  const file = specPath(positionals[0]!, io.cwd, { takes: 'explain takes a spec file (*.kpi.yaml or *.kpi.yml) and a KPI id' }).path;
  const id = positionals[1]!;
  const root = values.root === undefined ? io.cwd : folder('--root', values.root, io.cwd);
  const ws = new Workspace(new NodeHost(), root);
  const loaded = ws.load(file);
  if (!loaded.parsed) throw new UsageError(`cannot read ${positionals[0]}: ${loaded.readProblem.message}`);
  const spec = loaded.parsed.spec;
  if (!spec.kpis.has(id)) {
    const elsewhere = ws.scope(file).names.get(id);
    if (elsewhere?.kind === 'kpi') throw new UsageError(`KPI \`${id}\` is defined in ${path.relative(io.cwd, elsewhere.file) || elsewhere.file}, which ${positionals[0]} imports: explain it there`);
    throw new UsageError(`unknown KPI \`${id}\` in ${positionals[0]}${spec.kpis.size ? didYouMean(id, spec.kpis.keys()) : '; it defines no KPIs'}`);
  }
  checkSelection(ws, file, { by: values.by });

  const options: EvalOptions = { grain, by: values.by, kpis: [id], today: values.today };
  // Both runs read the tables with one plan, so the second finds them read already.
  const cache = new TableCache();
  const data: DataAccess = { file: (p, o) => cache.file(p, o), memo: cache.memo, keysAsKept: true };
  const problems = checkFiles(ws, [file]).flatMap((r) => r.problems);
  const result = evaluateSpec(ws, file, options, data, problems);
  const [explanation] = explainKpis(ws, file, result, options, data, { kpis: [id], period: values.period, vs: values.vs });
  if (!explanation) throw new UsageError(`\`${id}\` could not be evaluated`);
  // The periods asked for must be in the results: a mistake in them is the caller's.
  if (!explanation.period && (values.period !== undefined || values.vs !== undefined)) throw new UsageError(explanation.notes[0]!);

  const kpi = result.kpis.find((k) => k.id === id)!;
  const shown = { file: path.relative(io.cwd, file) || file, name: result.spec.name };
  const color = values['no-color'] ? false : values.color ? true : !values.output && io.isTTY && !process.env.NO_COLOR;
  const text = format === 'json'
    ? JSON.stringify({ version: 1, spec: shown, grain: result.grain, timezone: result.timezone, ...(result.locale ? { locale: result.locale } : {}), explanation }, null, 2) + '\n'
    : format === 'markdown' ? explainMarkdown(explanation, kpi, result) : explainTable(explanation, kpi, result, color);
  writeOutput(io, values.output, text);

  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    io.stderr(`kpispec: the spec has ${errors.length} error${errors.length > 1 ? 's' : ''}; run "kpispec check ${positionals[0]}"\n`);
    return 1;
  }
  return 0;
}
