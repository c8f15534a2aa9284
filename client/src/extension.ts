import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { EvaluateDelta, EvaluateParams, EvaluateResult, ExplainParams, ExplainResult, LineageGraph, LineageParams } from '../../server/src/protocol';
import { EXPLAIN_COMMAND, explainKpi } from './explainCommand';
import { exportResults, writeResults } from './exportResults';
import { DefinitionFinder } from './preview/cursor';
import { PreviewManager } from './preview/manager';
import { SpecStatus } from './statusBar';

// Activation time as VS Code counts it: loading the code (from the bundle's banner, esbuild.mjs, to
// here, where every import has run) plus the `activate` call; not what the editor does in between.
const codeLoadingMs = performance.now() - ((globalThis as { __kpispecLoadStart?: number }).__kpispecLoadStart ?? performance.now());

/** What the extension returns from `activate`, for other extensions and the tests. */
export interface KpispecApi {
  /**
   * Milliseconds from the bundle's first line to the end of `activate` (the server starts after).
   * VS Code's own count also includes reading and compiling the bundle (bench/extension prints both).
   */
  activationMs: number;
  /** Resolves with the running client (undefined when it could not start). */
  client(): Promise<LanguageClient | undefined>;
  /** The `kpispec/evaluate` request through the running client. */
  evaluate(params: EvaluateParams): Promise<EvaluateResult | null>;
  previews: PreviewManager;
  status: SpecStatus;
}

let client: LanguageClient | undefined;
let starting: Promise<LanguageClient | undefined> | undefined;
/** The language client module, loaded after activation (see languageClient.ts). */
type Lsp = typeof import('./languageClient');
let lsp: Lsp | undefined;

/**
 * Activates on the first kpispec document: registers commands, the preview and the status bar at
 * once, and starts the language server without waiting for it, so activation stays quick.
 */
export function activate(context: vscode.ExtensionContext): KpispecApi {
  const activateStart = performance.now();
  const output = vscode.window.createOutputChannel('kpispec', { log: true });
  const evaluate = async (params: EvaluateParams, token?: vscode.CancellationToken): Promise<EvaluateResult | EvaluateDelta | null> => {
    const c = await ready();
    if (!c || !lsp) throw new Error('the kpispec language server is not running');
    return lsp.evaluate(c, params, token);
  };
  const lineage = async (params: LineageParams): Promise<LineageGraph | null> => {
    const c = await ready();
    if (!c || !lsp) throw new Error('the kpispec language server is not running');
    return lsp.lineage(c, params);
  };
  const explain = async (params: ExplainParams): Promise<ExplainResult | null> => {
    const c = await ready();
    if (!c || !lsp) throw new Error('the kpispec language server is not running');
    return lsp.explainKpi(c, params);
  };
  const previews = new PreviewManager(context.extensionUri, evaluate, async (r, f) => void (await exportResults(r, f)), output, lineage, explain);
  const status = new SpecStatus();
  context.subscriptions.push(output, previews, status);

  const start = (): Promise<LanguageClient | undefined> => {
    starting = (async () => {
      lsp ??= await import('./languageClient');
      const c = lsp.createLanguageClient(context, output);
      client = c;
      await c.start();
      return { c, lsp };
    })().then(
      ({ c, lsp }) => {
        context.subscriptions.push(lsp.onResultsChanged(c, (uri) => previews.resultsChanged(uri)));
        previews.refreshAll();
        status.schedule(0);
        return c;
      },
      (e: unknown) => {
        output.error(`the language server did not start: ${(e as Error)?.message ?? e}`);
        void vscode.window.showErrorMessage('kpispec: the language server did not start. See the output for details.', 'Show Output').then((a) => a && output.show());
        return undefined;
      },
    );
    return starting;
  };
  const ready = (): Promise<LanguageClient | undefined> => starting ?? Promise.resolve(undefined);

  const activeSpec = (): vscode.Uri | undefined => {
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.languageId === 'kpispec') return editor.document.uri;
    return previews.current()?.uri;
  };
  const needSpec = (): vscode.Uri | undefined => {
    const uri = activeSpec();
    if (!uri) void vscode.window.showInformationMessage('kpispec: open a *.kpi.yaml spec first.');
    return uri;
  };
  /** The results to export: the focused preview's, else the active spec evaluated now. */
  const currentResults = async (): Promise<EvaluateResult | undefined> => {
    const shown = previews.current()?.result;
    if (shown) return shown;
    const uri = needSpec();
    const c = await ready();
    if (!uri || !c) return undefined;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('kpispec: data files are not read in Restricted Mode; trust the workspace to compute results.');
      return undefined;
    }
    // Without `known` the answer is whole.
    const answer = await evaluate({ uri: uri.toString() });
    return answer && !('delta' in answer) ? answer : undefined;
  };

  const command = (id: string, run: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, run));
  command('kpispec.openPreview', (uri?: unknown) => {
    const target = uri instanceof vscode.Uri ? uri : needSpec();
    return target && previews.open(target, false);
  });
  command('kpispec.openPreviewToSide', (uri?: unknown) => {
    const target = uri instanceof vscode.Uri ? uri : needSpec();
    return target && previews.open(target, true);
  });
  command('kpispec.togglePreviewLock', () => {
    const p = previews.current();
    p?.setLocked(!p.locked);
  });
  // With a target URI (keybindings, tasks, tests) the results are written there without a dialog.
  for (const [id, format] of [['kpispec.exportCsv', 'csv'], ['kpispec.exportMarkdown', 'markdown']] as const) {
    command(id, async (target?: unknown) => {
      const r = await currentResults();
      if (!r) return undefined;
      if (target instanceof vscode.Uri) return writeResults(r, format, target);
      return exportResults(r, format);
    });
  }
  command('kpispec.restartServer', async () => {
    const old = client;
    client = undefined;
    starting = undefined;
    if (old) await old.stop().catch(() => undefined);
    const c = await start();
    if (c) output.info('language server restarted');
  });
  command('kpispec.showOutput', () => output.show());
  // "Explain this change": the preview on a KPI's driver chart (from the code lens, or the KPI under the cursor).
  const definitions = new DefinitionFinder();
  command(EXPLAIN_COMMAND, (uri?: unknown, kpi?: unknown) => explainKpi(previews, definitions, uri, kpi));
  command('kpispec.newFromTemplate', async (template?: unknown) => (await import('./newFromTemplate')).newSpecFromTemplate(context.extensionUri, typeof template === 'string' ? template : undefined));

  // Pull-request review in the editor: the semantic diff of the folder's specs against git.
  const specFolder = (): vscode.WorkspaceFolder | undefined => {
    const uri = activeSpec();
    const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) void vscode.window.showInformationMessage('kpispec: open a folder under git to compare its KPI specs.');
    return folder;
  };
  command('kpispec.compareWithHead', async () => {
    const folder = specFolder();
    if (folder) (await import('./compare/comparePanel')).ComparePanel.show(context.extensionUri, folder, 'HEAD');
  });
  command('kpispec.compareWithBranch', async () => {
    const folder = specFolder();
    if (!folder) return;
    const { gitRefs } = await import('./compare/gitDiff');
    const refs = await gitRefs(folder.uri.fsPath);
    const base = await vscode.window.showQuickPick(refs.length ? refs : ['HEAD'], { title: 'Compare KPIs with…', placeHolder: 'a branch, remote branch or tag' });
    if (base) (await import('./compare/comparePanel')).ComparePanel.show(context.extensionUri, folder, base);
  });

  // Trust granted: restart so the server reads data files again.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => vscode.commands.executeCommand('kpispec.restartServer')));
  // The size limits and the locale are given to the server when it starts: a new one needs a new server.
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (['kpispec.spec.maxFileSizeMB', 'kpispec.data.maxFileSizeMB', 'kpispec.locale'].some((s) => e.affectsConfiguration(s))) void vscode.commands.executeCommand('kpispec.restartServer');
  }));

  // After activation returns: starting the server (and loading the client library) is not activation.
  starting = new Promise((resolve) => setTimeout(() => void start().then(resolve), 0));
  const whole = async (params: EvaluateParams): Promise<EvaluateResult | null> => {
    const answer = await evaluate({ ...params, known: undefined });
    return answer && !('delta' in answer) ? answer : null;
  };
  return { activationMs: codeLoadingMs + performance.now() - activateStart, client: ready, evaluate: whole, previews, status };
}

export async function deactivate(): Promise<void> {
  if (client?.isRunning()) await client.stop();
}
