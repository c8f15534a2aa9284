import { version } from '../../../package.json';
import { CHECK_HELP, runCheck } from './check';
import { DIFF_HELP, runDiff } from './diff';
import { EVAL_HELP, runEval } from './eval';
import { FMT_HELP, runFmt } from './fmt';
import { EXPLAIN_HELP, runExplain } from './explain';
import { INIT_HELP, runInit } from './init';
import { LINEAGE_HELP, runLineage } from './lineage';
import { LSP_HELP, runLsp } from './lsp';
import { SQL_HELP, runSql } from './sql';
import { closest } from '../language/suggest';
import { UsageError, type CommandIO } from './io';

const HELP = `kpispec ${version}: KPI definitions as code

Usage: kpispec <command> [options]

Commands:
  init               start a workspace from a template (a spec and sample data); --list names them
  check [paths...]   check specs for CI (formats: stylish, json, sarif, github, junit)
  fmt [paths...]     rewrite specs in the canonical layout; --check lists those that are not
  eval <spec>        compute every KPI against the sample data (formats: table, json, csv, markdown);
                     --engine duckdb|postgres computes it with SQL on a database
  sql <spec>         print the SQL that computes the KPIs (dialects: duckdb, postgres, bigquery, snowflake)
  explain <spec> <kpi>
                     why a KPI moved between two periods: its change split by group (rate and
                     mix for ratios) or by formula input (formats: table, json, markdown)
  diff <old> <new>   semantic diff of two spec files or folders, with the effect on the numbers
  lineage [spec]     what each KPI is computed from: sources → metrics → KPIs → goals
                     (formats: text, mermaid, dot, json)
  lsp                start the language server on stdio (for Neovim, Helix, Emacs, ...)

Run "kpispec <command> --help" for a command's options.
Options: --version, --help, --debug (print stack traces of internal errors)`;

const COMMANDS: Record<string, { run: (argv: string[], io: CommandIO) => number | Promise<number>; help: string }> = {
  init: { run: runInit, help: INIT_HELP },
  check: { run: runCheck, help: CHECK_HELP },
  fmt: { run: runFmt, help: FMT_HELP },
  eval: { run: runEval, help: EVAL_HELP },
  explain: { run: runExplain, help: EXPLAIN_HELP },
  diff: { run: runDiff, help: DIFF_HELP },
  lineage: { run: runLineage, help: LINEAGE_HELP },
  lsp: { run: runLsp, help: LSP_HELP },
  sql: { run: runSql, help: SQL_HELP },
};

/** Runs the command line and returns the exit code (a promise for commands that query a database); never throws. */
export function main(argv: string[], io: CommandIO): number | Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  try {
    const [command, ...rest] = args;
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(HELP + '\n');
      return command ? 0 : 2;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(version + '\n');
      return 0;
    }
    const cmd = COMMANDS[command];
    if (!cmd) {
      const guess = closest(command, Object.keys(COMMANDS));
      throw new UsageError(`unknown ${command.startsWith('-') ? 'option' : 'command'} "${command}"${guess ? ` (did you mean "${guess}"?)` : ''}; run "kpispec --help"`);
    }
    const code = cmd.run(rest, io);
    return typeof code === 'number' ? code : code.catch((e: unknown) => failed(e, io, debug));
  } catch (e) {
    return failed(e, io, debug);
  }
}

function failed(e: unknown, io: CommandIO, debug: boolean): number {
  if (e instanceof UsageError) {
    io.stderr(`kpispec: ${(e as Error).message}\n`);
    return 2;
  }
  io.stderr(`kpispec: internal error: ${(e as Error)?.message ?? e}${debug ? '\n' + (e as Error)?.stack : ' (run with --debug for details)'}\n`);
  return 2;
}

if (require.main === module) {
  const io: CommandIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    isTTY: !!process.stdout.isTTY,
    version,
  };
  const code = main(process.argv.slice(2), io);
  if (typeof code !== 'number') void code.then((c) => { process.exitCode = c; });
  else if (code >= 0) process.exitCode = code; // -1: a long-running command (the language server) sets its own
}
