import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { KpiServer } from './server';

/**
 * Starts the language server. Editors pass `--stdio` or `--node-ipc` (the VS Code client);
 * with neither, it speaks over standard input and output.
 */
export function startServer(argv: string[] = process.argv): void {
  const ipc = argv.includes('--node-ipc') || argv.some((a) => a.startsWith('--socket') || a.startsWith('--pipe'));
  const connection = ipc ? createConnection(ProposedFeatures.all) : createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  new KpiServer(connection).listen();
}

