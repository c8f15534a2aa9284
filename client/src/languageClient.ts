import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { EvaluateRequest, ExplainKpiRequest, LineageRequest, ResultsChangedNotification, type EvaluateDelta, type EvaluateParams, type EvaluateResult, type ExplainParams, type ExplainResult, type LineageGraph, type LineageParams } from '../../server/src/protocol';
import { withExplainLenses } from './explainCommand';
import { displayLocale, maxDataFileSizeMb, maxSpecFileSizeMb } from './settings';

/**
 * Everything that talks to the language server. The extension loads this module only once it has
 * activated (it is most of the bundle), so activation itself stays quick.
 */

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
    initializationOptions: { readData: vscode.workspace.isTrusted, maxDataFileSizeMb: maxDataFileSizeMb(), maxSpecFileSizeMb: maxSpecFileSizeMb(), locale: displayLocale() },
    outputChannel: output,
    // "Explain this change" beside the value lens of each KPI (explainCommand.ts).
    middleware: { provideCodeLenses: async (document, token, next) => withExplainLenses(document, await next(document, token)) },
  };
  // The id `kpispec` makes the client honour the `kpispec.trace.server` setting.
  return new LanguageClient('kpispec', 'kpispec Language Server', serverOptions, clientOptions);
}

/** The `kpispec/evaluate` request: a spec's results model (or, with `known`, a delta on it), or null when it is not a spec. */
export function evaluate(client: LanguageClient, params: EvaluateParams, token?: vscode.CancellationToken): Promise<EvaluateResult | EvaluateDelta | null> {
  return client.sendRequest(EvaluateRequest, params, token);
}

/** The `kpispec/explain` request: why a KPI moved (protocol.ts), or null when the document is not a spec. */
export function explainKpi(client: LanguageClient, params: ExplainParams): Promise<ExplainResult | null> {
  return client.sendRequest(ExplainKpiRequest, params);
}

/** The `kpispec/lineage` request: a spec's lineage (its imports included), or null when it is not a spec. */
export function lineage(client: LanguageClient, params: LineageParams): Promise<LineageGraph | null> {
  return client.sendRequest(LineageRequest, params);
}

/** Calls `listener` with the URI of each spec whose results may have changed. */
export function onResultsChanged(client: LanguageClient, listener: (uri: string) => void): vscode.Disposable {
  return client.onNotification(ResultsChangedNotification, ({ uri }) => listener(uri));
}
