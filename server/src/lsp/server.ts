import * as path from 'node:path';
import {
  CodeActionKind, CodeLensRefreshRequest, ErrorCodes, ResponseError, FileChangeType, TextDocumentSyncKind, TextDocuments,
  type CancellationToken, type Connection, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_MAX_FILE_SIZE, NodeHost } from '../data/nodeHost';
import { TableCache } from '../data/tableCache';
import { evaluateSpec, type EvalOptions } from '../engine/run';
import { checkFile } from '../language/analysis/analyze';
import { usedDefinitions } from '../language/analysis/unused';
import { UsedIndex } from '../language/analysis/usedIndex';
import type { Definition } from '../language/model';
import type { Problem } from '../language/problem';
import { Workspace } from '../language/workspace';
import { ResultsChangedNotification, type EvaluateResult, type ExplainResult } from '../protocol';
import { FIX_ALL_KIND } from '../services/codeActions';
import { snapshotOf, type Snapshot } from '../services/snapshot';
import { withinBudget } from './budget';
import { Lines, pathToUri, toDiagnostic, uriToPath } from './convert';
import { checkedSync } from './documentSync';
import { Evaluations } from './evaluations';
import { EvalPool } from './evalPool';
import { Explanations } from './explanations';
import { registerExplainRequest } from './explainRequest';
import { explainAnswer, nothingToExplain, resultsFor, type ExplainAsk } from './explainWork';
import { injectedFault } from './faults';
import { brief, contain, described, guardNotification } from './guard';
import { registerLineageRequest } from './lineageRequest';
import { OverlayHost } from './overlayHost';
import { array, object, string } from './params';
import { LEGEND_TYPES, registerRequests, type RequestContext } from './requests';
import { specSizeLimit } from './specSizeLimit';
import { scanSpecs } from './workspaceScan';

const SPEC = /\.kpi\.ya?ml$/;
const DEBOUNCE_MS = 150;
/** Open spec texts up to this size are read by the evaluation worker as soon as they open. */
const PREPARE_ON_OPEN_CHARS = 8 * 1024 * 1024;
/** The diagnostic code of a file the server failed to analyse (a bug, not a rule of the checker). */
export const INTERNAL_ERROR = 'internal-error';


/**
 * The language server: keeps the workspace current with open documents and file changes,
 * publishes the checker's problems while typing, and answers editor requests through the pure
 * services. It owns LSP concerns only: URIs, positions, debouncing, versions. A failure stays
 * where it happens: a request that fails is answered with an error, a file whose analysis
 * fails shows it as a diagnostic, and everything else goes on.
 */
export class KpiServer {
  private readonly documents = new TextDocuments(TextDocument);
  private disk = new NodeHost(DEFAULT_MAX_FILE_SIZE);
  private host = new OverlayHost(this.disk);
  private ws = new Workspace(this.host, process.cwd());
  private readonly tables = new TableCache();
  /** Spec text as the workspace holds it; other files (data headers) from the editor or the disk. */
  private readonly lines = new Lines((file) => (SPEC.test(file) ? this.specText(file) : undefined) ?? this.documentText(file));
  private roots: string[] = [];
  private readonly files = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly pool = new EvalPool();
  private readonly evaluations = new Evaluations((file, options, signal) => this.compute(file, options, signal));
  private readonly explanations = new Explanations();
  private used?: Set<Definition>;
  /** What `used` is made from, kept across edits: an edit re-counts only what it changed. */
  private usedIndex?: UsedIndex;
  /** Files whose metric uses could not be indexed, with why. */
  private readonly unindexed = new Map<string, unknown>();
  private readonly opened = new Set<string>();
  /** The problems last published per file, reused by evaluation and quick fixes until the next change. */
  private readonly checked = new Map<string, Problem[]>();
  /** Files waiting to be published, a file per turn of the event loop (the workspace scan, a data change). */
  private readonly backlog = new Set<string>();
  /** Workspace folders being scanned: workspace-wide requests wait for them. */
  private scanning: Promise<unknown> = Promise.resolve();
  private codeLensRefresh = false;
  /** The editor's `kpispec.locale`: values are shown in it instead of the spec's `defaults.locale`. */
  private locale: string | undefined;
  private folderEvents = false;
  private started = false;
  private readonly log = (message: string) => this.connection.console.error(message);

  constructor(private readonly connection: Connection) {
    this.documents.listen(checkedSync(connection, this.log));
    connection.onInitialize((p) => this.initialize(p));
    connection.onInitialized(guardNotification(this.log, 'initialized', () => this.scanWorkspace()));
    // Opening also fires a content change: check an opened document at once, debounce only edits.
    this.documents.onDidOpen((e) => this.opened.add(e.document.uri));
    this.documents.onDidChangeContent((e) => this.changed(e.document.uri, this.opened.delete(e.document.uri) ? 0 : DEBOUNCE_MS));
    this.documents.onDidClose((e) => this.closed(e.document.uri));
    connection.onDidChangeWatchedFiles(guardNotification(this.log, 'workspace/didChangeWatchedFiles', (p: unknown) => {
      const changes = array(object(p, 'params').changes, 'changes').map((c, i) => {
        const change = object(c, `changes[${i}]`);
        return { uri: string(change.uri, `changes[${i}].uri`), type: change.type as FileChangeType };
      });
      this.filesChanged(changes);
    }));
    registerRequests(connection, this.requestContext());
    registerLineageRequest(connection, this.requestContext());
    registerExplainRequest(connection, this.requestContext());
  }

  listen(): void {
    this.connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    // Whatever the client sent: folders that are not file URIs are left out, odd options ignored.
    const given = (params as Partial<InitializeParams> | null) ?? {};
    const uris = Array.isArray(given.workspaceFolders) ? given.workspaceFolders.map((f) => (f as { uri?: unknown } | null)?.uri) : [];
    const folders = uris.map((u) => (typeof u === 'string' ? uriToPath(u) : undefined)).filter((p): p is string => !!p);
    const root = typeof given.rootUri === 'string' ? uriToPath(given.rootUri) : typeof given.rootPath === 'string' ? given.rootPath : undefined;
    this.roots = folders.length ? folders : root ? [root] : [];
    const options = given.initializationOptions as { readData?: unknown; maxDataFileSizeMb?: unknown; maxSpecFileSizeMb?: unknown; locale?: unknown } | null | undefined;
    // The editor's spec size limit (`kpispec.spec.maxFileSizeMB`), on disk and in open documents alike.
    const specLimit = specSizeLimit(options?.maxSpecFileSizeMb);
    this.disk = new NodeHost(specLimit);
    this.host = new OverlayHost(this.disk, specLimit);
    this.pool.maxSpecBytes = specLimit;
    this.ws = new Workspace(this.host, this.roots[0] ?? process.cwd());
    // `readData: false` (an untrusted workspace): check specs, never open their data files.
    this.disk.readData = options?.readData !== false;
    // The editor's data size limit (`kpispec.data.maxFileSizeMB`); none by default.
    const mb = Number(options?.maxDataFileSizeMb);
    this.tables.maxBytes = Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : 0;
    this.codeLensRefresh = !!given.capabilities?.workspace?.codeLens?.refreshSupport;
    this.locale = typeof options?.locale === 'string' && options.locale.trim() ? options.locale.trim() : undefined;
    this.folderEvents = !!given.capabilities?.workspace?.workspaceFolders;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [' ', '(', ',', '/', ':', '.'], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        callHierarchyProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        codeLensProvider: { resolveProvider: false },
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [','] },
        semanticTokensProvider: { legend: { tokenTypes: LEGEND_TYPES, tokenModifiers: [] }, full: true },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'kpispec' },
    };
  }

  // ---- the workspace --------------------------------------------------------------------

  /** Finds every spec under the workspace folders and publishes their problems, a file at a time. */
  private scanWorkspace(): void {
    if (this.started) return;
    this.started = true;
    this.publishAll(this.roots);
    if (!this.folderEvents) return;
    this.connection.workspace.onDidChangeWorkspaceFolders(guardNotification(this.log, 'workspace/didChangeWorkspaceFolders', (e: unknown) => {
      const event = object(e, 'event'); // the library passes the params' event
      const folders = (field: 'added' | 'removed') => array(event[field], `event.${field}`)
        .map((f, i) => uriToPath(string(object(f, `event.${field}[${i}]`).uri, `event.${field}[${i}].uri`)))
        .filter((f): f is string => !!f);
      const added = folders('added');
      for (const root of folders('removed')) {
        this.roots = this.roots.filter((r) => r !== root);
        for (const f of [...this.files]) {
          if (f.startsWith(root + path.sep) && !this.host.isOpen(f)) {
            this.files.delete(f);
            this.backlog.delete(f);
            void this.connection.sendDiagnostics({ uri: pathToUri(f), diagnostics: [] });
          }
        }
      }
      this.roots.push(...added);
      this.used = undefined;
      this.checked.clear();
      this.publishAll(added);
    }));
  }

  /** Scans folders without blocking, then publishes what they hold; requests meanwhile are answered. */
  private publishAll(roots: string[]): void {
    const scans = roots.map(async (root) => {
      const found = await scanSpecs(root, (n) => this.log(`kpispec: stopped looking for specs in ${root} after ${n} entries; others are checked when opened`));
      if (!this.roots.includes(root)) return; // removed meanwhile
      for (const f of found) this.files.add(f);
      this.used = undefined;
      this.schedule(found);
    });
    const done = Promise.all(scans).catch((e) => this.log(`kpispec: scanning the workspace failed: ${described(e)}`));
    this.scanning = Promise.all([this.scanning, done]);
  }

  /** Publishes files a turn of the event loop at a time, so typing and requests go first. */
  private schedule(files: Iterable<string>): void {
    const idle = this.backlog.size === 0;
    for (const f of files) this.backlog.add(f);
    if (!idle) return;
    const next = () => {
      const file = this.backlog.values().next().value;
      if (file === undefined) return;
      this.backlog.delete(file);
      if (!this.host.isOpen(file) && this.files.has(file)) this.publish(file);
      setImmediate(next);
    };
    setImmediate(next);
  }

  private documentText(file: string): string | undefined {
    return this.documents.get(pathToUri(file))?.getText();
  }

  /** The text of a spec as the workspace holds it; undefined when it cannot be read (or loading it fails). */
  private specText(file: string): string | undefined {
    try {
      return this.ws.load(file).parsed?.spec.text;
    } catch {
      return undefined;
    }
  }

  private changed(uri: string, delay: number): void {
    const file = uriToPath(uri);
    if (!file || !SPEC.test(file)) return;
    const doc = this.documents.get(uri);
    this.files.add(file);
    const before = this.imported(file);
    const text = doc?.getText();
    // A document opened as the workspace read it from disk: what was checked stands, and its
    // problems are published again with the document's version.
    const current = text !== undefined && this.ws.loadedText(file) === text;
    this.host.setOpen(file, text);
    if (current) this.evaluations.clear();
    else this.invalidate(file);
    // After an edit, the worker reads it while the server checks it; an opened document is
    // checked first (for a large spec, reading it twice at once costs the check a core). The
    // worker is started for an opened spec, unless the open texts are so large that two parses
    // at once (the check's, not yet collected, and the worker's) would double the peak memory.
    const prepare = () => {
      if (!this.disk.readData) return;
      const texts = this.openTexts();
      this.pool.prepare(this.ws.root, texts, texts.reduce((n, [, t]) => n + t.length, 0) <= PREPARE_ON_OPEN_CHARS);
    };
    if (delay) prepare();
    clearTimeout(this.timers.get(file));
    this.timers.set(file, setTimeout(() => contain(this.log, `checking ${file}`, () => {
      this.timers.delete(file);
      for (const f of current ? [file] : this.affected(file, before)) this.publish(f);
      if (!delay) prepare();
    }), delay));
  }

  private closed(uri: string): void {
    const file = uriToPath(uri);
    if (!file || !SPEC.test(file)) return;
    clearTimeout(this.timers.get(file));
    this.timers.delete(file);
    const before = this.imported(file);
    this.host.setOpen(file, undefined); // the disk text wins again
    this.invalidate(file);
    for (const f of this.affected(file, before)) this.publish(f);
  }

  private filesChanged(changes: { uri: string; type: FileChangeType }[]): void {
    let data = false;
    for (const { uri, type } of changes) {
      const file = uriToPath(uri);
      if (!file) continue;
      if (!SPEC.test(file)) {
        data = true;
        continue;
      }
      if (this.host.isOpen(file)) continue; // the editor's text wins, even over a deletion
      const before = this.imported(file);
      // Files that imported it while it could be read: once deleted, no closure reaches it.
      const importersBefore = this.dependents(file);
      if (type === FileChangeType.Deleted) {
        this.files.delete(file);
        void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      } else this.files.add(file);
      this.invalidate(file);
      for (const f of new Set([...this.affected(file, before), ...importersBefore])) if (this.files.has(f)) this.publish(f);
    }
    if (!data) return;
    // Data files: their shapes and tables are re-read by size and mtime; recheck what may use
    // them, once however many changed: the open files now, the others in the background.
    this.evaluations.clear();
    this.checked.clear();
    for (const f of this.files) if (this.host.isOpen(f)) this.publish(f);
    this.schedule(this.files);
    if (this.codeLensRefresh) void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  private invalidate(file: string): void {
    this.ws.forget(file);
    this.checked.clear();
    this.used = undefined;
    this.evaluations.clear();
  }

  /** The spec files a file imports, directly or not; none when they cannot be found (the failure is logged). */
  private closure(file: string): string[] {
    try {
      return this.ws.closure(file).map((p) => p.spec.file);
    } catch (e) {
      this.log(`kpispec: reading the imports of ${file} failed: ${described(e)}`);
      return [];
    }
  }

  /** The spec files `file` imports now, directly or not. */
  private imported(file: string): string[] {
    return this.closure(file).filter((f) => f !== file);
  }

  /**
   * The files whose problems a change of `file` can change: itself, the files that import it
   * (references, ids), and the files it imports now or imported before (whether their metrics
   * are used).
   */
  private affected(file: string, importedBefore: string[]): string[] {
    return [...new Set([file, ...this.dependents(file), ...this.imported(file), ...importedBefore])];
  }

  /** The known spec files that import `file`, directly or not. */
  private dependents(file: string): string[] {
    return [...this.files].filter((f) => f !== file && this.closure(f).includes(file));
  }

  /** Checks one file and publishes its problems, unless its document moved on meanwhile. */
  private publish(file: string): void {
    contain(this.log, `publishing ${file}`, () => {
      const doc = this.documents.get(pathToUri(file));
      const version = doc?.version;
      const problems = this.problemsOf(file);
      if (doc && doc.version !== version) return;
      this.send(file, problems);
      if (doc) void this.connection.sendNotification(ResultsChangedNotification, { uri: doc.uri, version: doc.version });
    });
  }

  private send(file: string, problems: Problem[]): void {
    const diagnostics = problems.filter((p) => p.file === file).map((p) => toDiagnostic(p, this.lines));
    void this.connection.sendDiagnostics({ uri: pathToUri(file), version: this.documents.get(pathToUri(file))?.version, diagnostics });
  }

  /** The file's problems; a failure of the checker is one of them, and the other files are not concerned. */
  private problemsOf(file: string): Problem[] {
    let problems = this.checked.get(file);
    if (!problems) {
      const used = this.usedDefinitions();
      try {
        injectedFault(file);
        problems = checkFile(this.ws, file, used).problems;
        const unindexed = this.unindexed.get(file);
        if (unindexed !== undefined) problems = [this.failure(file, unindexed), ...problems];
      } catch (e) {
        this.log(`kpispec: checking ${file} failed: ${described(e)}`);
        this.ws.forget(file); // whatever it half built
        problems = [this.failure(file, e)];
      }
      this.checked.set(file, problems);
    }
    return problems;
  }

  /**
   * Which metrics and KPIs some KPI uses, over every known file. When that fails, each file is
   * indexed alone: the ones that fail say so, the others keep their unused-metric hints.
   */
  private usedDefinitions(): Set<Definition> {
    if (this.used) return this.used;
    this.unindexed.clear();
    try {
      for (const f of this.files) injectedFault(f);
      if (this.usedIndex?.ws !== this.ws) this.usedIndex = new UsedIndex(this.ws);
      this.used = this.usedIndex.update(this.files);
    } catch {
      this.used = new Set();
      for (const f of this.files) {
        try {
          injectedFault(f);
          for (const d of usedDefinitions(this.ws, [f])) this.used.add(d);
        } catch (e) {
          this.log(`kpispec: indexing what ${f} uses failed: ${described(e)}`);
          this.unindexed.set(f, e);
        }
      }
    }
    return this.used;
  }

  /** A failure to analyse a file, as a problem on its first line. */
  private failure(file: string, e: unknown): Problem {
    let length = 0;
    try {
      length = this.lines.index(file).lineEnd(0);
    } catch { /* at 1:1, then */ }
    return { rule: INTERNAL_ERROR, severity: 'error', message: `kpispec could not analyse this file: ${brief(e)}`, file, span: { offset: 0, length } };
  }

  // ---- requests ---------------------------------------------------------------------------

  /**
   * The snapshot of a spec document, undefined for any other document. When building it fails,
   * the file shows the failure and the request is answered InternalError.
   */
  private snapshot(uri: string): Snapshot | undefined {
    const file = uriToPath(uri);
    if (!file || !SPEC.test(file)) return undefined;
    try {
      injectedFault(file);
      return snapshotOf(this.ws, file);
    } catch (e) {
      this.log(`kpispec: analysing ${file} failed: ${described(e)}`);
      this.showFailure(file, e);
      throw new ResponseError(ErrorCodes.InternalError, `kpispec could not analyse ${path.basename(file)}: ${brief(e)}`);
    }
  }

  /** Publishes a failure on its file beside its problems, once. */
  private showFailure(file: string, e: unknown): void {
    const problems = this.problemsOf(file);
    if (problems.some((p) => p.rule === INTERNAL_ERROR)) return;
    const shown = [this.failure(file, e), ...problems];
    this.checked.set(file, shown);
    this.send(file, shown);
  }

  /**
   * Results for a spec's current version, computed in the evaluation worker (so typing is never
   * blocked), once per version and options however many requests ask. `keep`: see
   * {@link Evaluations.get}.
   */
  private evaluate(file: string, options: EvalOptions, token: CancellationToken, keep = false): Promise<EvaluateResult> {
    if (!this.disk.readData) return Promise.reject(new ResponseError(ErrorCodes.InvalidRequest, 'data files are not read in an untrusted workspace'));
    const version = this.documents.get(pathToUri(file))?.version ?? -1;
    return this.evaluations.get(file, version, this.withLocale(options), token, keep);
  }

  /** The options with the editor's locale, when it sets one: every evaluation the editor shows goes through here. */
  private withLocale(options: EvalOptions): EvalOptions {
    return this.locale && !options.locale ? { ...options, locale: this.locale } : options;
  }

  /**
   * Why a KPI moved, from results evaluated with `options` (through `evaluate`, so with the
   * editor's locale added here as there): the KPI's results are sent to the evaluation worker,
   * which computes the per-group sums from its tables. Kept with the results (Explanations).
   */
  private explain(file: string, results: EvaluateResult, options: EvalOptions, ask: ExplainAsk, token: CancellationToken, keep = false): Promise<ExplainResult> {
    const subset = resultsFor(results, ask.kpi);
    if (!subset) return Promise.reject(new ResponseError(ErrorCodes.InvalidParams, `kpi must be the id of a KPI that ${path.basename(file)} defines`));
    const asked = this.withLocale(options);
    return this.explanations.get(results, JSON.stringify([asked, ask]), (signal) => {
      // Nothing to explain (most often: no complete period yet) is said at once, without the worker.
      if (!this.pool.available || nothingToExplain(subset, ask)) {
        const answer = explainAnswer(this.ws, file, subset, asked, this.tables, ask);
        return answer ? Promise.resolve(answer) : Promise.reject(new Error(`\`${ask.kpi}\` could not be explained`));
      }
      return this.pool.explain({ explain: { root: this.ws.root, file, options: asked, texts: this.openTexts(), maxDataBytes: this.tables.maxBytes, results: subset, ask } }, signal);
    }, token, keep);
  }

  private compute(file: string, options: EvalOptions, signal: AbortSignal): Promise<EvaluateResult> {
    const problems = this.problemsOf(file);
    if (!this.pool.available) return Promise.resolve(withinBudget(evaluateSpec(this.ws, file, options, this.tables, problems)));
    return this.pool.run({ root: this.ws.root, file, options, texts: this.openTexts(), problems, maxDataBytes: this.tables.maxBytes }, signal);
  }

  private openTexts(): [string, string][] {
    const out: [string, string][] = [];
    for (const doc of this.documents.all()) {
      const file = uriToPath(doc.uri);
      if (file && SPEC.test(file)) out.push([file, doc.getText()]);
    }
    return out;
  }

  /** What the request handlers see of the server. */
  private requestContext(): RequestContext {
    return {
      lines: this.lines,
      log: this.log,
      workspace: () => this.ws,
      specFiles: () => [...this.files],
      scanned: () => this.scanning,
      specText: (file) => this.specText(file),
      snapshot: (uri) => this.snapshot(uri),
      problemsOf: (file) => this.problemsOf(file),
      evaluate: (file, options, token, keep) => this.evaluate(file, options, token, keep),
      evaluating: (file, options) => this.evaluations.has(file, this.documents.get(pathToUri(file))?.version ?? -1, this.withLocale(options)),
      explain: (file, results, options, ask, token, keep) => this.explain(file, results, options, ask, token, keep),
    };
  }
}
