import * as fs from 'node:fs';
import * as path from 'node:path';
import { closest } from '../language/suggest';
import { readArgs } from './args';
import { promptInit } from './initPrompt';
import { DEFAULT_TEMPLATE, listTemplates, type Template } from './initTemplates';
import { UsageError, type CommandIO } from './io';

export const INIT_HELP = `Usage: kpispec init [options]

Starts a workspace from a template sized to the business: a spec, sample data for each
of its sources and a README saying how to point the sources at real exports.
On a terminal it asks for the template and the folder (Enter takes the default);
with --yes, or when not on a terminal, it asks nothing.

Options:
  -t, --template <name>   the template (default: ${DEFAULT_TEMPLATE}); --list names them
  -d, --dir <folder>      where to write, created if missing (default: the current folder)
  -y, --yes               no questions: the defaults for whatever is not given
  -f, --force             overwrite files that already exist (otherwise init refuses)
      --list              name the templates and what each holds, then stop

Examples:
  kpispec init                                  asks, then writes
  kpispec init --yes                            the ${DEFAULT_TEMPLATE} template, here
  kpispec init --template dtc --dir kpis --yes  the direct-to-consumer template into kpis/`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  template: { type: 'string', short: 't' },
  dir: { type: 'string', short: 'd' },
  yes: { type: 'boolean', short: 'y' },
  force: { type: 'boolean', short: 'f' },
  list: { type: 'boolean' },
} as const;

export function runInit(argv: string[], io: CommandIO): number | Promise<number> {
  const { values } = readArgs('init', argv, OPTIONS, { min: 0, max: 0, what: 'no arguments (the folder is --dir)' });
  if (values.help) {
    io.stdout(INIT_HELP + '\n');
    return 0;
  }
  const templates = listTemplates();
  if (values.list) {
    for (const t of templates) io.stdout(`${t.name.padEnd(11)} ${t.title}: ${t.description}${t.name === DEFAULT_TEMPLATE ? ' (default)' : ''}\n`);
    return 0;
  }
  if (values.template) findTemplate(templates, values.template);
  const interactive = !values.yes && !!process.stdin.isTTY && io.isTTY;
  if (!interactive) return write(findTemplate(templates, values.template ?? DEFAULT_TEMPLATE), values.dir ?? '.', !!values.force, io);
  return promptInit(templates, { template: values.template, dir: values.dir }, { template: DEFAULT_TEMPLATE, dir: '.' }).then((answers) => {
    if (!answers) {
      io.stdout('Nothing written.\n');
      return 1;
    }
    return write(findTemplate(templates, answers.template), answers.dir, !!values.force, io);
  });
}

function findTemplate(templates: Template[], name: string): Template {
  const template = templates.find((t) => t.name === name);
  if (template) return template;
  const names = templates.map((t) => t.name);
  const guess = closest(name, names);
  throw new UsageError(`unknown template "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; the templates are ${names.join(', ')}`);
}

/** Copies the template's files; refuses, naming them, if any exists and --force is not given. */
function write(template: Template, dir: string, force: boolean, io: CommandIO): number {
  const target = path.resolve(io.cwd, dir);
  const existing = template.files.filter((f) => fs.existsSync(path.join(target, f)));
  if (existing.length && !force) {
    io.stderr(`kpispec: init would overwrite ${existing.length === 1 ? 'a file that exists' : `${existing.length} files that exist`} in ${dir}: ${existing.join(', ')}; pass --force to overwrite, or choose another --dir\n`);
    return 1;
  }
  for (const file of template.files) {
    const to = path.join(target, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(template.dir, file), to);
  }
  const spec = template.files.find((f) => /\.kpi\.ya?ml$/.test(f) && !f.includes('/'));
  const shown = (f: string) => path.relative(io.cwd, path.join(target, f)) || '.';
  io.stdout(`Wrote the ${template.name} template (${template.title}) into ${shown('')}:\n`);
  for (const file of template.files) io.stdout(`  ${shown(file)}\n`);
  io.stdout(`\nNext:\n  kpispec check ${shown('')}\n  kpispec eval ${spec ? shown(spec) : shown('')}\n`);
  io.stdout(`${shown('README.md')} says how to point the sources at your own exports.\n`);
  return 0;
}
