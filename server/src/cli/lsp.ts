import { readArgs } from './args';
import type { CommandIO } from './io';

export const LSP_HELP = `Usage: kpispec lsp [--stdio | --node-ipc | --socket=PORT | --pipe=NAME] [--clientProcessId=PID]

Starts the kpispec language server for any LSP client (Neovim, Helix, Emacs, VS Code).
It speaks over standard input and output by default (--stdio is accepted, as editors pass it).
With --clientProcessId it ends when that process does.`;

/** The transports and options vscode-languageserver reads from the command line. */
const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  stdio: { type: 'boolean' },
  'node-ipc': { type: 'boolean' },
  socket: { type: 'string' },
  pipe: { type: 'string' },
  clientProcessId: { type: 'string' },
} as const;

/** Runs until the client disconnects; the exit code is set by the connection. */
export function runLsp(argv: string[], io: CommandIO): number {
  const { values } = readArgs('lsp', argv, OPTIONS, { min: 0, max: 0, what: 'no arguments' });
  if (values.help) {
    io.stdout(LSP_HELP + '\n');
    return 0;
  }
  // Loaded here, not at the top: the server's modules would cost every other command ~30 ms.
  const { startServer } = require('../lsp/main') as typeof import('../lsp/main');
  startServer(argv);
  return -1;
}
