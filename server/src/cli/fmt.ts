import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeSpec } from '../data/nodeHost';
import { formatSpec } from '../language/format/format';
import { LineIndex } from '../language/lineIndex';
import { readArgs } from './args';
import { findSpecs } from './findSpecs';
import { UsageError, type CommandIO } from './io';

export const FMT_HELP = `Usage: kpispec fmt [options] [paths or globs...]

Rewrites KPI specs (*.kpi.yaml, *.kpi.yml) in the canonical layout: keys in a fixed order,
two-space indentation, block style for sections, quotes on formulas only where YAML needs
them, one blank line before each section. Comments and the blank lines that group
definitions are kept; what a spec means never changes. Lists the files it changed.
With no paths, formats every spec below the current folder (skipping node_modules, .git).

Options:
      --check             write nothing: list the files that are not formatted, exit 1 if any
  -h, --help              show this help

Files with YAML syntax errors are not formatted: each error is reported on standard error
as file:line:column: error: message.

Exit codes: 0 done (with --check: every file is formatted), 1 with --check: files would
change, 2 YAML syntax errors, usage or internal error.`;

const BOM = '\uFEFF';

export function runFmt(argv: string[], io: CommandIO): number {
  const { values, positionals } = readArgs('fmt', argv, {
    check: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, { min: 0, max: Infinity, what: 'paths or globs' });
  if (values.help) {
    io.stdout(FMT_HELP + '\n');
    return 0;
  }
  const { files, unmatched, notSpecs } = findSpecs(positionals, io.cwd);
  if (notSpecs.length) throw new UsageError(`${notSpecs.join(', ')} ${notSpecs.length > 1 ? 'are not spec files' : 'is not a spec file'}; fmt takes spec files (*.kpi.yaml or *.kpi.yml), folders or globs`);
  if (unmatched.length) throw new UsageError(`no spec files match ${unmatched.map((u) => `"${u}"`).join(', ')}`);

  let failed = false;
  let changed = 0;
  for (const file of files) {
    const rel = path.relative(io.cwd, file).split(path.sep).join('/') || file;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      io.stderr(`${rel}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); not formatted\n`);
      failed = true;
      continue;
    }
    const read = decodeSpec(bytes);
    if (!read.ok) {
      io.stderr(`${rel}:1:1: error: ${read.message}; not formatted\n`);
      failed = true;
      continue;
    }
    const result = formatSpec(read.text, file);
    if (result.kind === 'syntax-error') {
      const index = new LineIndex(read.text);
      for (const p of result.problems) {
        const at = index.positionAt(p.span.offset);
        io.stderr(`${rel}:${at.line + 1}:${at.character + 1}: error: ${p.message} (${p.rule}); not formatted\n`);
      }
      failed = true;
      continue;
    }
    if (result.kind === 'unsafe') {
      io.stderr(`${rel}: ${result.message}\n`);
      failed = true;
      continue;
    }
    if (result.text === read.text) continue;
    changed++;
    io.stdout(`${rel}\n`);
    if (values.check) continue;
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? BOM : '';
    try {
      fs.writeFileSync(file, bom + result.text);
    } catch (e) {
      io.stderr(`${rel}: cannot be written (${(e as NodeJS.ErrnoException).code ?? 'error'})\n`);
      failed = true;
    }
  }
  if (failed) return 2;
  return values.check && changed > 0 ? 1 : 0;
}
