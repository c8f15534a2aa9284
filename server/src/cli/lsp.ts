import { startServer } from '../lsp/main';
import type { CommandIO } from './io';

export const LSP_HELP = `Usage: kpispec lsp [--stdio | --node-ipc]

Starts the kpispec language server for any LSP client (Neovim, Helix, Emacs, VS Code).
It speaks over standard input and output by default (--stdio is accepted, as editors pass it).`;

/** Runs until the client disconnects; the exit code is set by the connection. */
export function runLsp(argv: string[], io: CommandIO): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(LSP_HELP + '\n');
    return 0;
  }
  startServer(argv);
  return -1;
}
