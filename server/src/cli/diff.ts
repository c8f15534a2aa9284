import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeHost } from '../data/nodeHost';
import { TableCache } from '../data/tableCache';
import { attachImpact } from '../diff/impact';
import { diffSpecs } from '../diff/diffSpecs';
import type { DiffResult } from '../diff/result';
import type { DiffSide } from '../diff/side';
import { Workspace } from '../language/workspace';
import { OverlayHost } from '../lsp/overlayHost';
import { markdownFormat } from './diffFormat/markdown';
import { changedKpisLineage } from './diffLineage';
import { textFormat } from './diffFormat/text';
import { findSpecs } from './findSpecs';
import { checkoutTree } from './gitTree';
import { readArgs } from './args';
import { UsageError, type CommandIO } from './io';
import { oneOf } from './optionValues';
import { writeOutput } from './output';
import { specPath } from './specPath';

export const DIFF_HELP = `Usage: kpispec diff <old> <new> [options]
       kpispec diff --base <ref> [--head <ref>] [options]

Compares two versions of KPI specs — two spec files, or two folders whose specs are matched
by their path inside the folder — and reports, per goal, KPI, metric and source, what was
added, removed, renamed or changed, the KPIs affected through what they use, and each KPI's
latest value and status before and after (computed on each side's sample data).

With --base, the specs below the current folder at a git revision are compared with the
working tree (or with --head's revision), e.g. kpispec diff --base origin/main.

Options:
      --base <ref>         the old side: the current folder at this git revision
      --head <ref>         the new side at this revision (default: the working tree)
  -f, --format <name>      text (default), markdown (for a pull-request comment), json
  -o, --output <file>      write to a file instead of standard output
      --fail-on breaking   exit 1 on a change a reviewer must approve: a removed or renamed KPI
                           still named by a goal, a unit change, a direction flip, a KPI going
                           from met to missed
      --no-impact          compare definitions only; do not read data
      --unsaved <file>     with --base and no --head: a JSON object of spec paths (absolute, or
                           relative to the current folder) to the text to read instead of the
                           file, so an editor compares its unsaved edits
      --color, --no-color  force colour on or off (default: on for a terminal)
  -h, --help               show this help

Exit codes: 0 compared, 1 a side does not parse (or a breaking change with --fail-on
breaking), 2 usage or internal error.`;

const FORMATS = ['text', 'markdown', 'json'] as const;

/** One side of the comparison: a spec file or a folder of specs; `unsaved` texts are read instead of their files. */
function side(arg: string, io: CommandIO, label: string, unsaved?: Map<string, string>): { side: DiffSide; dir: boolean } {
  const { path: abs, folder } = specPath(arg, io.cwd, { takes: 'diff takes two spec files (*.kpi.yaml or *.kpi.yml) or two folders', folders: true });
  const root = folder ? abs : path.dirname(abs);
  const files = folder ? findSpecs([abs], io.cwd).files : [abs];
  let host: NodeHost | OverlayHost = new NodeHost();
  if (unsaved?.size) {
    const overlay = new OverlayHost(host);
    for (const [file, text] of unsaved) overlay.setOpen(file, text);
    host = overlay;
  }
  return { side: { ws: new Workspace(host, root), root, files, label }, dir: folder };
}

/** The `--unsaved` file: spec paths (resolved against the current folder) to their text. */
function readUnsaved(file: string, cwd: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(path.resolve(cwd, file), 'utf8'));
  } catch (e) {
    throw new UsageError(`--unsaved: cannot read ${file} as JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('--unsaved takes a JSON object of spec paths to text');
  const out = new Map<string, string>();
  for (const [p, text] of Object.entries(parsed)) {
    if (typeof text !== 'string') throw new UsageError(`--unsaved: the text of ${p} is not a string`);
    out.set(path.resolve(cwd, p), text);
  }
  return out;
}

export function runDiff(argv: string[], io: CommandIO): number {
  const { values, positionals } = readArgs('diff', argv, {
    format: { type: 'string', short: 'f', default: 'text' },
    base: { type: 'string' },
    head: { type: 'string' },
    output: { type: 'string', short: 'o' },
    'fail-on': { type: 'string' },
    'no-impact': { type: 'boolean' },
    unsaved: { type: 'string' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, { min: 0, max: 2, what: 'two spec files or folders, old then new' });
  if (values.help) {
    io.stdout(DIFF_HELP + '\n');
    return 0;
  }
  oneOf('format', values.format, FORMATS);
  if (values['fail-on'] !== undefined && values['fail-on'] !== 'breaking') throw new UsageError(`--fail-on takes "breaking", got "${values['fail-on']}"`);
  if (values.head !== undefined && values.base === undefined) throw new UsageError('--head needs --base');
  if (values.unsaved !== undefined && (values.base === undefined || values.head !== undefined)) throw new UsageError('--unsaved compares the working tree: use it with --base and without --head');
  if (values.base !== undefined) {
    if (positionals.length) throw new UsageError('with --base, diff compares the current folder; give no paths');
    const unsaved = values.unsaved === undefined ? undefined : readUnsaved(values.unsaved, io.cwd);
    const trees = [checkoutTree(io.cwd, values.base), ...(values.head !== undefined ? [checkoutTree(io.cwd, values.head)] : [])];
    try {
      const after = trees[1]?.dir ?? io.cwd;
      return compare(io, values, side(trees[0]!.dir, io, values.base), side(after, io, values.head ?? (unsaved?.size ? 'working tree with unsaved edits' : 'working tree'), unsaved));
    } finally {
      for (const t of trees) t.cleanup();
    }
  }
  if (positionals.length !== 2) throw new UsageError('diff takes two spec files or folders, old then new; run "kpispec diff --help"');
  return compare(io, values, side(positionals[0]!, io, positionals[0]!), side(positionals[1]!, io, positionals[1]!));
}

const broken = (r: DiffResult) => !!(r.before.broken || r.after.broken);

type DiffValues = { format?: string; output?: string; 'fail-on'?: string; 'no-impact'?: boolean; color?: boolean; 'no-color'?: boolean };

function compare(io: CommandIO, values: DiffValues, old: { side: DiffSide; dir: boolean }, now: { side: DiffSide; dir: boolean }): number {
  const format = values.format as (typeof FORMATS)[number];
  if (old.dir !== now.dir) throw new UsageError('compare a file with a file, or a folder with a folder');
  if (old.dir && !old.side.files.length && !now.side.files.length) throw new UsageError(`no spec files in ${old.side.label} or ${now.side.label}`);
  if (!old.dir) {
    // Two single files are one spec in two versions, whatever their names.
    const name = path.basename(now.side.files[0]!);
    old.side.names = { [old.side.files[0]!]: name };
    now.side.names = { [now.side.files[0]!]: name };
  }

  const result = diffSpecs(old.side, now.side);
  if (!values['no-impact']) attachImpact(result, old.side, now.side, new TableCache(), new TableCache());

  const color = values['no-color'] ? false : values.color ? true : !values.output && io.isTTY && !process.env.NO_COLOR;
  const text = format === 'json' ? JSON.stringify(result, null, 2) + '\n' : format === 'markdown' ? markdownFormat(result, broken(result) ? undefined : changedKpisLineage(result, now.side)) : textFormat(result, color);
  writeOutput(io, values.output, text);

  if (result.before.broken || result.after.broken) {
    const sides = [result.before, result.after].filter((s) => s.broken).map((s) => s.label);
    io.stderr(`kpispec: cannot compare: ${sides.join(' and ')} ${sides.length > 1 ? 'do' : 'does'} not parse\n`);
    return 1;
  }
  if (values['fail-on'] === 'breaking' && result.breaking.length) {
    io.stderr(`kpispec: ${result.breaking.length} breaking change${result.breaking.length > 1 ? 's' : ''}\n`);
    return 1;
  }
  return 0;
}
