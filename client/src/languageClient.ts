import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { maxDataFileSizeMb } from './settings';

/**
 * The kpispec language server (dist/server.js, bundled beside this file) over Node IPC. The
 * client library restarts it when it crashes (up to 4 times in 3 minutes, then it says so).
 * In Restricted Mode the server checks specs but never opens their data files.
 */
export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'kpispec', scheme: 'file' },
      { language: 'kpispec', scheme: 'untitled' },
    ],
    synchronize: {
      // Specs and the data files they read: the server re-checks and re-evaluates what changed.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{kpi.yaml,kpi.yml,csv,tsv,json,ndjson}'),
    },
    initializationOptions: { readData: vscode.workspace.isTrusted, maxDataFileSizeMb: maxDataFileSizeMb() },
    outputChannel: output,
  };
  // The id `kpispec` makes the client honour the `kpispec.trace.server` setting.
  return new LanguageClient('kpispec', 'kpispec Language Server', serverOptions, clientOptions);
}

export function isRunning(client: LanguageClient | undefined): boolean {
  return client?.state === State.Running;
}
