import * as path from 'node:path';
import {
  CodeActionKind, CodeLensRefreshRequest, CompletionItemKind, DocumentSymbol, ErrorCodes, LSPErrorCodes, ResponseError, FileChangeType, InsertTextFormat, SymbolKind, TextDocumentSyncKind, TextDocuments,
  type CancellationToken, type Connection, type Diagnostic, type InitializeParams, type InitializeResult, type Position,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_MAX_FILE_SIZE, NodeHost } from '../data/nodeHost';
import { TableCache } from '../data/tableCache';
import { evaluateSpec, type EvalOptions } from '../engine/run';
import { checkFile } from '../language/analysis/analyze';
import { usedDefinitions } from '../language/analysis/unused';
import type { Definition } from '../language/model';
import type { Problem } from '../language/problem';
import { Workspace } from '../language/workspace';
import { EvaluateRequest, ResultsChangedNotification, type EvaluateResult } from '../protocol';
import { codeActions } from '../services/codeActions';
import { codeLenses } from '../services/codeLens';
import { completions } from '../services/completion';
import { definition } from '../services/definition';
import { documentLinks } from '../services/documentLinks';
import { findReferences } from '../services/findReferences';
import { hover } from '../services/hover';
import { prepareRename, rename } from '../services/rename';
import { semanticTokens } from '../services/semanticTokens';
import { signatureHelp } from '../services/signatureHelp';
import { snapshotOf, type Snapshot } from '../services/snapshot';
import { documentSymbols } from '../services/symbols';
import type { Completion, CompletionKind, Edit, SemanticTokenType, SymbolNode } from '../services/types';
import { workspaceSymbols } from '../services/workspaceSymbols';
import { withinBudget } from './budget';
import { Lines, pathToUri, toDiagnostic, uriToPath } from './convert';
import { checkedSync } from './documentSync';
import { evaluateParams } from './evaluateParams';
import { cancelled, Evaluations } from './evaluations';
import { Dropped, EvalPool, Superseded } from './evalPool';
import { injectedFault } from './faults';
import { brief, contain, described, guardNotification, guardRequest } from './guard';
import { OverlayHost } from './overlayHost';
import { array, documentPosition, documentUri, object, range, string } from './params';
import { scanSpecs } from './workspaceScan';

const SPEC = /\.kpi\.ya?ml$/;
const DEBOUNCE_MS = 150;
const MAX_COMPLETIONS = 500;
/** The diagnostic code of a file the server failed to analyse (a bug, not a rule of the checker). */
export const INTERNAL_ERROR = 'internal-error';

/** Items whose label starts with, else contains, else has as a subsequence what is typed; in rank order. */
function bestMatches(items: Completion[], typed: string, max: number): Completion[] {
  const t = typed.toLowerCase();
  const score = (label: string) => {
    const l = label.toLowerCase();
    if (l.startsWith(t)) return 0;
    if (l.includes(t)) return 1;
    let i = 0;
    for (const ch of l) if (ch === t[i]) i++;
    return i === t.length ? 2 : 3;
  };
  return items.map((item, i) => ({ item, s: score(item.label), i })).filter((x) => x.s < 3).sort((a, b) => a.s - b.s || a.i - b.i).slice(0, max).map((x) => x.item);
}

export const TOKEN_TYPES: SemanticTokenType[] = ['metric', 'kpi', 'function', 'number', 'operator', 'string', 'column', 'keyword'];
/** Standard LSP token types, so every client colours them: metric → variable, KPI → property, column → parameter. */
const LEGEND_TYPES = ['variable', 'property', 'function', 'number', 'operator', 'string', 'parameter', 'keyword'];

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  key: CompletionItemKind.Property, value: CompletionItemKind.EnumMember, metric: CompletionItemKind.Variable, kpi: CompletionItemKind.Field,
  source: CompletionItemKind.Module, function: CompletionItemKind.Function, column: CompletionItemKind.Field, file: CompletionItemKind.File, goal: CompletionItemKind.Event,
};
const SYMBOL_KIND: Record<SymbolNode['kind'] | 'column', SymbolKind> = {
  section: SymbolKind.Namespace, source: SymbolKind.Module, metric: SymbolKind.Variable, kpi: SymbolKind.Field, goal: SymbolKind.Event, column: SymbolKind.Property,
};

/**
 * The language server: keeps the workspace current with open documents and file changes,
 * publishes the checker's problems while typing, and answers editor requests through the pure
 * services. It owns LSP concerns only: URIs, positions, debouncing, versions. A failure stays
 * where it happens: a request that fails is answered with an error, a file whose analysis
 * fails shows it as a diagnostic, and everything else goes on.
 */
export class KpiServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly disk = new NodeHost(DEFAULT_MAX_FILE_SIZE);
  private readonly host = new OverlayHost(this.disk);
  private ws = new Workspace(this.host, process.cwd());
  private readonly tables = new TableCache();
  /** Spec text as the workspace holds it; other files (data headers) from the editor or the disk. */
  private readonly lines = new Lines((file) => (SPEC.test(file) ? this.specText(file) : undefined) ?? this.documentText(file));
  private roots: string[] = [];
  private readonly files = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly pool = new EvalPool();
  private readonly evaluations = new Evaluations((file, options, signal) => this.compute(file, options, signal));
  private used?: Set<Definition>;
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
    this.handlers();
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
    this.ws = new Workspace(this.host, this.roots[0] ?? process.cwd());
    // `readData: false` (an untrusted workspace): check specs, never open their data files.
    const options = given.initializationOptions as { readData?: unknown; maxDataFileSizeMb?: unknown } | null | undefined;
    this.disk.readData = options?.readData !== false;
    // The editor's data size limit (`kpispec.data.maxFileSizeMB`); none by default.
    const mb = Number(options?.maxDataFileSizeMb);
    this.tables.maxBytes = Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : 0;
    this.codeLensRefresh = !!given.capabilities?.workspace?.codeLens?.refreshSupport;
    this.folderEvents = !!given.capabilities?.workspace?.workspaceFolders;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [' ', '(', ',', '/', ':'], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
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
    this.host.setOpen(file, doc?.getText());
    this.invalidate(file);
    clearTimeout(this.timers.get(file));
    this.timers.set(file, setTimeout(() => contain(this.log, `checking ${file}`, () => {
      this.timers.delete(file);
      for (const f of this.affected(file, before)) this.publish(f);
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
      if (type === FileChangeType.Deleted) {
        this.files.delete(file);
        void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      } else this.files.add(file);
      this.invalidate(file);
      for (const f of this.affected(file, before)) if (this.files.has(f)) this.publish(f);
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
    const index = (files: Iterable<string>) => {
      for (const f of files) injectedFault(f);
      return usedDefinitions(this.ws, files);
    };
    try {
      this.used = index(this.files);
    } catch {
      this.used = new Set();
      for (const f of this.files) {
        try {
          for (const d of index([f])) this.used.add(d);
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

  private offset(snap: Snapshot, position: Position): number {
    return this.lines.offset(snap.file, position);
  }

  /**
   * Results for a spec's current version, computed in the evaluation worker (so typing is never
   * blocked), once per version and options however many requests ask. `keep`: see
   * {@link Evaluations.get}.
   */
  private evaluate(file: string, options: EvalOptions, token: CancellationToken, keep = false): Promise<EvaluateResult> {
    if (!this.disk.readData) return Promise.reject(new ResponseError(ErrorCodes.InvalidRequest, 'data files are not read in an untrusted workspace'));
    const version = this.documents.get(pathToUri(file))?.version ?? -1;
    return this.evaluations.get(file, version, options, token, keep);
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

  private edits(edits: Edit[]): { changes: Record<string, { range: ReturnType<Lines['range']>; newText: string }[]> } {
    const changes: Record<string, { range: ReturnType<Lines['range']>; newText: string }[]> = {};
    for (const e of edits) (changes[pathToUri(e.file)] ??= []).push({ range: this.lines.range(e.file, e.span), newText: e.newText });
    return { changes };
  }

  /**
   * Every request checks its params (InvalidParams names what is wrong) and answers whatever
   * happens inside a feature (InternalError, logged with its stack).
   */
  private handlers(): void {
    const c = this.connection;
    const guard = <R>(method: string, handler: (params: unknown, token: CancellationToken) => R | Promise<R>) => guardRequest(this.log, method, handler);

    c.onCompletion(guard('textDocument/completion', (p) => {
      const { uri, position } = documentPosition(p);
      const snap = this.snapshot(uri);
      if (!snap) return [];
      let list = completions(snap, this.offset(snap, position));
      // Thousands of ids: send the best matches of what is typed; the client asks again as typing goes on.
      const isIncomplete = list.length > MAX_COMPLETIONS;
      if (isIncomplete) list = bestMatches(list, snap.text.slice(list[0]!.replace.offset, list[0]!.replace.offset + list[0]!.replace.length), MAX_COMPLETIONS);
      return { isIncomplete, items: list.map((item, i) => ({
        label: item.label,
        kind: COMPLETION_KIND[item.kind],
        detail: item.detail,
        documentation: item.documentation ? { kind: 'markdown' as const, value: item.documentation } : undefined,
        sortText: `${String(item.sortRank ?? 5).padStart(2, '0')}${String(i).padStart(5, '0')}`,
        insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        textEdit: { range: this.lines.range(snap.file, item.replace), newText: item.insertText ?? item.label },
      })) };
    }));

    c.onHover(guard('textDocument/hover', async (p, token) => {
      const { uri, position } = documentPosition(p);
      const first = this.snapshot(uri);
      if (!first) return null;
      const results = await this.evaluate(first.file, {}, token, true).catch(() => undefined);
      if (token.isCancellationRequested) throw cancelled();
      const snap = this.snapshot(uri); // the document may have changed meanwhile
      if (!snap) return null;
      const h = hover(snap, this.offset(snap, position), results);
      return h ? { contents: { kind: 'markdown' as const, value: h.markdown }, range: this.lines.range(snap.file, h.span) } : null;
    }));

    c.onDefinition(guard('textDocument/definition', (p) => {
      const { uri, position } = documentPosition(p);
      const snap = this.snapshot(uri);
      if (!snap) return [];
      return definition(snap, this.offset(snap, position)).map((l) => ({ uri: pathToUri(l.file), range: this.lines.range(l.file, l.span) }));
    }));

    c.onReferences(guard('textDocument/references', async (p) => {
      const { uri, position } = documentPosition(p);
      const context = object(object(p, 'params').context, 'context');
      await this.scanning;
      const snap = this.snapshot(uri);
      if (!snap) return [];
      return findReferences(this.ws, [...this.files], snap, this.offset(snap, position), context.includeDeclaration === true)
        .map((l) => ({ uri: pathToUri(l.file), range: this.lines.range(l.file, l.span) }));
    }));

    c.onPrepareRename(guard('textDocument/prepareRename', (p) => {
      const { uri, position } = documentPosition(p);
      const snap = this.snapshot(uri);
      if (!snap) return null;
      const r = prepareRename(snap, this.offset(snap, position));
      if ('error' in r) return new ResponseError(ErrorCodes.InvalidParams, r.error);
      return { range: this.lines.range(snap.file, r.span), placeholder: r.placeholder };
    }));

    c.onRenameRequest(guard('textDocument/rename', async (p) => {
      const { uri, position } = documentPosition(p);
      const newName = string(object(p, 'params').newName, 'newName');
      await this.scanning;
      const snap = this.snapshot(uri);
      if (!snap) return null;
      const r = rename(this.ws, [...this.files], snap, this.offset(snap, position), newName);
      if ('error' in r) return new ResponseError(ErrorCodes.InvalidParams, r.error);
      return this.edits(r.edits);
    }));

    c.onDocumentSymbol(guard('textDocument/documentSymbol', (p) => {
      const snap = this.snapshot(documentUri(p));
      if (!snap) return [];
      const convert = (n: SymbolNode): DocumentSymbol => DocumentSymbol.create(n.name, n.detail, SYMBOL_KIND[n.kind], this.lines.range(snap.file, n.span), this.lines.range(snap.file, n.selection), n.children.map(convert));
      return documentSymbols(snap).map(convert);
    }));

    c.onWorkspaceSymbol(guard('workspace/symbol', async (p) => {
      const query = string(object(p, 'params').query, 'query');
      await this.scanning;
      return workspaceSymbols(this.ws, [...this.files], query).map((s) => ({
        name: s.name, kind: SYMBOL_KIND[s.kind], containerName: s.container, location: { uri: pathToUri(s.file), range: this.lines.range(s.file, s.span) },
      }));
    }));

    c.onDocumentLinks(guard('textDocument/documentLink', (p) => {
      const snap = this.snapshot(documentUri(p));
      if (!snap) return [];
      return documentLinks(snap).map((l) => ({ range: this.lines.range(snap.file, l.span), target: pathToUri(l.target) }));
    }));

    c.onCodeAction(guard('textDocument/codeAction', (p) => {
      const params = object(p, 'params');
      const uri = documentUri(p);
      const { start: from, end: to } = range(params.range, 'range');
      const diagnostics = array(object(params.context, 'context').diagnostics, 'context.diagnostics').map((d, i) => {
        const diagnostic = object(d, `context.diagnostics[${i}]`);
        return { diagnostic: diagnostic as unknown as Diagnostic, code: diagnostic.code, start: range(diagnostic.range, `context.diagnostics[${i}].range`).start };
      });
      const snap = this.snapshot(uri);
      if (!snap) return [];
      const problems = this.problemsOf(snap.file);
      const start = this.offset(snap, from);
      const end = Math.max(start, this.offset(snap, to));
      return codeActions(snap, problems, { offset: start, length: end - start }).map((a) => ({
        title: a.title, kind: CodeActionKind.QuickFix, isPreferred: a.preferred,
        diagnostics: diagnostics.filter((d) => d.code === a.rule && this.offset(snap, d.start) === a.problemSpan.offset).map((d) => d.diagnostic),
        edit: this.edits(a.edits),
      }));
    }));

    c.onCodeLens(guard('textDocument/codeLens', async (p, token) => {
      const uri = documentUri(p);
      const first = this.snapshot(uri);
      if (!first) return [];
      const results = await this.evaluate(first.file, {}, token, true).catch(() => undefined);
      if (token.isCancellationRequested) throw cancelled();
      const snap = this.snapshot(uri);
      if (!snap) return [];
      return codeLenses(snap, results).map((l) => ({ range: this.lines.range(snap.file, l.span), command: { title: l.title, command: '' } }));
    }));

    c.onSignatureHelp(guard('textDocument/signatureHelp', (p) => {
      const { uri, position } = documentPosition(p);
      const snap = this.snapshot(uri);
      if (!snap) return null;
      const s = signatureHelp(snap, this.offset(snap, position));
      if (!s) return null;
      return { signatures: [{ label: s.label, documentation: s.documentation, parameters: s.parameters.map((range) => ({ label: range })) }], activeSignature: 0, activeParameter: s.active };
    }));

    c.languages.semanticTokens.on(guard('textDocument/semanticTokens/full', (p) => {
      const snap = this.snapshot(documentUri(p));
      if (!snap) return { data: [] };
      const data: number[] = [];
      let line = 0;
      let char = 0;
      const idx = this.lines.index(snap.file);
      for (const t of semanticTokens(snap)) {
        const pos = idx.positionAt(t.span.offset);
        const end = idx.positionAt(t.span.offset + t.span.length);
        if (end.line !== pos.line) continue; // tokens never span lines in LSP's encoding
        data.push(pos.line - line, pos.line === line ? pos.character - char : pos.character, end.character - pos.character, TOKEN_TYPES.indexOf(t.type), 0);
        line = pos.line;
        char = pos.character;
      }
      return { data };
    }));

    c.onRequest(EvaluateRequest, guard(EvaluateRequest.method, async (p, token) => {
      const { uri, options } = evaluateParams(p);
      const file = uriToPath(uri);
      if (!file || !SPEC.test(file) || !this.specText(file)) return null;
      // A newer edit may replace the evaluation: then answer with the newest version's results.
      for (;;) {
        try {
          return await this.evaluate(file, options, token);
        } catch (e) {
          if (token.isCancellationRequested) throw cancelled();
          if (e instanceof Superseded) continue;
          if (e instanceof Dropped) throw new ResponseError(LSPErrorCodes.ServerCancelled, e.message);
          throw e;
        }
      }
    }));
  }
}
