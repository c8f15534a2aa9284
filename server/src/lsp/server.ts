import * as path from 'node:path';
import {
  CodeActionKind, CodeLensRefreshRequest, CompletionItemKind, DocumentSymbol, ErrorCodes, ResponseError, FileChangeType, InsertTextFormat, SymbolKind, TextDocumentSyncKind, TextDocuments,
  type Connection, type InitializeParams, type InitializeResult, type Position,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_MAX_FILE_SIZE, NodeHost } from '../data/nodeHost';
import { TableCache } from '../data/tableCache';
import type { EvalResult } from '../engine/results';
import { evaluateSpec, type EvalOptions } from '../engine/run';
import { checkFile } from '../language/analysis/analyze';
import { usedDefinitions } from '../language/analysis/unused';
import type { Definition } from '../language/model';
import type { Problem } from '../language/problem';
import { Workspace } from '../language/workspace';
import { findSpecs } from '../cli/findSpecs';
import { EvaluateRequest, ResultsChangedNotification } from '../protocol';
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
import { Lines, pathToUri, toDiagnostic, uriToPath } from './convert';
import { EvalPool, Superseded } from './evalPool';
import { OverlayHost } from './overlayHost';

const SPEC = /\.kpi\.ya?ml$/;
const DEBOUNCE_MS = 150;
const MAX_COMPLETIONS = 500;

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
 * services. It owns LSP concerns only: URIs, positions, debouncing, versions.
 */
export class KpiServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly disk = new NodeHost(DEFAULT_MAX_FILE_SIZE);
  private readonly host = new OverlayHost(this.disk);
  private ws = new Workspace(this.host, process.cwd());
  private readonly tables = new TableCache();
  /** Spec text as the workspace holds it; other files (data headers) from the editor or the disk. */
  private readonly lines = new Lines((file) => (SPEC.test(file) ? this.ws.load(file).parsed?.spec.text : undefined) ?? this.documentText(file));
  private roots: string[] = [];
  private readonly files = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly results = new Map<string, { version: number; key: string; result: Promise<EvalResult> }>();
  private readonly pool = new EvalPool();
  private used?: Set<Definition>;
  private readonly opened = new Set<string>();
  /** The problems last published per file, reused by evaluation and quick fixes until the next change. */
  private readonly checked = new Map<string, Problem[]>();
  private codeLensRefresh = false;
  private folderEvents = false;

  constructor(private readonly connection: Connection) {
    this.documents.listen(connection);
    connection.onInitialize((p) => this.initialize(p));
    connection.onInitialized(() => this.scanWorkspace());
    // Opening also fires a content change: check an opened document at once, debounce only edits.
    this.documents.onDidOpen((e) => this.opened.add(e.document.uri));
    this.documents.onDidChangeContent((e) => this.changed(e.document.uri, this.opened.delete(e.document.uri) ? 0 : DEBOUNCE_MS));
    this.documents.onDidClose((e) => this.closed(e.document.uri));
    connection.onDidChangeWatchedFiles((e) => {
      for (const c of e.changes) this.fileChanged(c.uri, c.type);
    });
    this.handlers();
  }

  listen(): void {
    this.connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p) ?? [];
    const root = params.rootUri ? uriToPath(params.rootUri) : params.rootPath ?? undefined;
    this.roots = folders.length ? folders : root ? [root] : [];
    this.ws = new Workspace(this.host, this.roots[0] ?? process.cwd());
    // `readData: false` (an untrusted workspace): check specs, never open their data files.
    const options = params.initializationOptions as { readData?: unknown; maxDataFileSizeMb?: unknown } | undefined;
    this.disk.readData = options?.readData !== false;
    // The editor's data size limit (`kpispec.data.maxFileSizeMB`); none by default.
    const mb = Number(options?.maxDataFileSizeMb);
    this.tables.maxBytes = Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : 0;
    this.codeLensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    this.folderEvents = !!params.capabilities.workspace?.workspaceFolders;
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
    this.publishAll(this.roots);
    if (!this.folderEvents) return;
    this.connection.workspace.onDidChangeWorkspaceFolders((e) => {
      for (const removed of e.removed) {
        const root = uriToPath(removed.uri);
        if (!root) continue;
        this.roots = this.roots.filter((r) => r !== root);
        for (const f of [...this.files]) {
          if (f.startsWith(root + path.sep) && !this.host.isOpen(f)) {
            this.files.delete(f);
            void this.connection.sendDiagnostics({ uri: pathToUri(f), diagnostics: [] });
          }
        }
      }
      const added = e.added.map((a) => uriToPath(a.uri)).filter((p): p is string => !!p);
      this.roots.push(...added);
      this.used = undefined;
      this.checked.clear();
      this.publishAll(added);
    });
  }

  private publishAll(roots: string[]): void {
    for (const root of roots) for (const f of findSpecs([root], root).files) this.files.add(f);
    const queue = roots.length === this.roots.length ? [...this.files] : [...this.files].filter((f) => roots.some((r) => f.startsWith(r + path.sep)));
    const next = () => {
      const file = queue.shift();
      if (!file) return;
      if (!this.host.isOpen(file)) this.publish(file);
      setImmediate(next);
    };
    setImmediate(next);
  }

  private documentText(file: string): string | undefined {
    return this.documents.get(pathToUri(file))?.getText();
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
    this.timers.set(file, setTimeout(() => {
      this.timers.delete(file);
      for (const f of this.affected(file, before)) this.publish(f);
    }, delay));
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

  private fileChanged(uri: string, type: FileChangeType): void {
    const file = uriToPath(uri);
    if (!file) return;
    if (SPEC.test(file)) {
      if (this.host.isOpen(file)) return; // the editor's text wins, even over a deletion
      const before = this.imported(file);
      if (type === FileChangeType.Deleted) {
        this.files.delete(file);
        void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      } else this.files.add(file);
      this.invalidate(file);
      for (const f of this.affected(file, before)) if (this.files.has(f)) this.publish(f);
      return;
    }
    // A data file: its shape and table are re-read by size and mtime; recheck what may use it.
    this.results.clear();
    this.checked.clear();
    for (const f of this.files) this.publish(f);
    if (this.codeLensRefresh) void this.connection.sendRequest(CodeLensRefreshRequest.type);
  }

  private invalidate(file: string): void {
    this.ws.forget(file);
    this.checked.clear();
    this.used = undefined;
    this.results.clear();
  }

  /** The spec files `file` imports now, directly or not. */
  private imported(file: string): string[] {
    return this.ws.closure(file).map((p) => p.spec.file).filter((f) => f !== file);
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
    return [...this.files].filter((f) => f !== file && this.ws.closure(f).some((p) => p.spec.file === file));
  }

  /** Checks one file and publishes its problems, unless its document moved on meanwhile. */
  private publish(file: string): void {
    const doc = this.documents.get(pathToUri(file));
    const version = doc?.version;
    this.used ??= usedDefinitions(this.ws, this.files);
    const problems = this.problemsOf(file);
    if (doc && doc.version !== version) return;
    const diagnostics = problems.filter((p) => p.file === file).map((p) => toDiagnostic(p, this.lines));
    void this.connection.sendDiagnostics({ uri: pathToUri(file), version, diagnostics });
    if (doc) void this.connection.sendNotification(ResultsChangedNotification, { uri: doc.uri, version: doc.version });
  }

  private problemsOf(file: string): Problem[] {
    let problems = this.checked.get(file);
    if (!problems) {
      this.used ??= usedDefinitions(this.ws, this.files);
      problems = checkFile(this.ws, file, this.used).problems;
      this.checked.set(file, problems);
    }
    return problems;
  }

  // ---- requests ---------------------------------------------------------------------------

  private snapshot(uri: string): Snapshot | undefined {
    const file = uriToPath(uri);
    if (!file || !SPEC.test(file)) return undefined;
    return snapshotOf(this.ws, file);
  }

  private offset(snap: Snapshot, position: Position): number {
    return this.lines.offset(snap.file, position);
  }

  /**
   * Results for a spec's current version, computed on demand in the evaluation worker (so
   * typing is never blocked), once per version however many requests ask.
   */
  private evaluate(file: string, options: EvalOptions = {}): Promise<EvalResult> {
    if (!this.disk.readData) return Promise.reject(new ResponseError(ErrorCodes.InvalidRequest, 'data files are not read in an untrusted workspace'));
    const version = this.documents.get(pathToUri(file))?.version ?? -1;
    const key = JSON.stringify(options);
    const cached = this.results.get(file);
    if (cached && cached.version === version && cached.key === key) return cached.result;
    const problems = this.problemsOf(file);
    const result = this.pool.available
      ? this.pool.run({ root: this.ws.root, file, options, texts: this.openTexts(), problems, maxDataBytes: this.tables.maxBytes })
      : Promise.resolve(evaluateSpec(this.ws, file, options, this.tables, problems));
    this.results.set(file, { version, key, result });
    result.catch(() => this.results.get(file)?.result === result && this.results.delete(file));
    return result;
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

  private handlers(): void {
    const c = this.connection;
    const safeAsync = <P, R>(name: string, fn: (p: P) => Promise<R>, fallback: R) => async (p: P): Promise<R> => {
      try {
        return await fn(p);
      } catch (e) {
        c.console.error(`kpispec ${name}: ${(e as Error)?.stack ?? e}`);
        return fallback;
      }
    };
    /** Every request answers something: a failure inside a feature is logged, never fatal. */
    const safe = <P, R>(name: string, fn: (p: P) => R, fallback: R) => (p: P): R => {
      try {
        return fn(p);
      } catch (e) {
        c.console.error(`kpispec ${name}: ${(e as Error)?.stack ?? e}`);
        return fallback;
      }
    };

    c.onCompletion(safe('completion', (p) => {
      const snap = this.snapshot(p.textDocument.uri);
      if (!snap) return [];
      let list = completions(snap, this.offset(snap, p.position));
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
    }, { isIncomplete: false, items: [] }));

    c.onHover(safeAsync('hover', async (p) => {
      const first = this.snapshot(p.textDocument.uri);
      if (!first) return null;
      const results = await this.evaluate(first.file).catch(() => undefined);
      const snap = this.snapshot(p.textDocument.uri); // the document may have changed meanwhile
      if (!snap) return null;
      const h = hover(snap, this.offset(snap, p.position), results);
      return h ? { contents: { kind: 'markdown' as const, value: h.markdown }, range: this.lines.range(snap.file, h.span) } : null;
    }, null));

    c.onDefinition(safe('definition', (p) => {
      const snap = this.snapshot(p.textDocument.uri);
      if (!snap) return [];
      return definition(snap, this.offset(snap, p.position)).map((l) => ({ uri: pathToUri(l.file), range: this.lines.range(l.file, l.span) }));
    }, []));

    c.onReferences(safe('references', (p) => {
      const snap = this.snapshot(p.textDocument.uri);
      if (!snap) return [];
      return findReferences(this.ws, [...this.files], snap, this.offset(snap, p.position), p.context.includeDeclaration)
        .map((l) => ({ uri: pathToUri(l.file), range: this.lines.range(l.file, l.span) }));
    }, []));

    c.onPrepareRename(safe('prepareRename', (p) => {
      const snap = this.snapshot(p.textDocument.uri);
      if (!snap) return null;
      const r = prepareRename(snap, this.offset(snap, p.position));
      if ('error' in r) return new ResponseError(ErrorCodes.InvalidParams, r.error);
      return { range: this.lines.range(snap.file, r.span), placeholder: r.placeholder };
    }, null));

    c.onRenameRequest(safe('rename', (p) => {
      const snap = this.snapshot(p.textDocument.uri);
      if (!snap) return null;
      const r = rename(this.ws, [...this.files], snap, this.offset(snap, p.position), p.newName);
      if ('error' in r) return new ResponseError(ErrorCodes.InvalidParams, r.error);
      return this.edits(r.edits);
    }, null));

    c.onDocumentSymbol(safe('documentSymbol', (p) => {
      const snap = this.snapshot(p.textDocument.uri);
      if (!snap) return [];
      const convert = (n: SymbolNode): DocumentSymbol => DocumentSymbol.create(n.name, n.detail, SYMBOL_KIND[n.kind], this.lines.range(snap.file, n.span), this.lines.range(snap.file, n.selection), n.children.map(convert));
      return documentSymbols(snap).map(convert);
    }, []));

    c.onWorkspaceSymbol(safe('workspaceSymbol', (p) => workspaceSymbols(this.ws, [...this.files], p.query).map((s) => ({
      name: s.name, kind: SYMBOL_KIND[s.kind], containerName: s.container, location: { uri: pathToUri(s.file), range: this.lines.range(s.file, s.span) },
    })), []));

    c.onDocumentLinks(safe('documentLinks', (p) => {
      const snap = this.snapshot(p.textDocument.uri);
      if (!snap) return [];
      return documentLinks(snap).map((l) => ({ range: this.lines.range(snap.file, l.span), target: pathToUri(l.target) }));
    }, []));

    c.onCodeAction(safe('codeAction', (p) => {
      const snap = this.snapshot(p.textDocument.uri);
      if (!snap) return [];
      const problems = this.problemsOf(snap.file);
      const start = this.offset(snap, p.range.start);
      const end = this.offset(snap, p.range.end);
      return codeActions(snap, problems, { offset: start, length: end - start }).map((a) => ({
        title: a.title, kind: CodeActionKind.QuickFix, isPreferred: a.preferred,
        diagnostics: p.context.diagnostics.filter((d) => d.code === a.rule && this.offset(snap, d.range.start) === a.problemSpan.offset),
        edit: this.edits(a.edits),
      }));
    }, []));

    c.onCodeLens(safeAsync('codeLens', async (p) => {
      const first = this.snapshot(p.textDocument.uri);
      if (!first) return [];
      const results = await this.evaluate(first.file).catch(() => undefined);
      const snap = this.snapshot(p.textDocument.uri);
      if (!snap) return [];
      return codeLenses(snap, results).map((l) => ({ range: this.lines.range(snap.file, l.span), command: { title: l.title, command: '' } }));
    }, []));

    c.onSignatureHelp(safe('signatureHelp', (p) => {
      const snap = this.snapshot(p.textDocument.uri);
      if (!snap) return null;
      const s = signatureHelp(snap, this.offset(snap, p.position));
      if (!s) return null;
      return { signatures: [{ label: s.label, documentation: s.documentation, parameters: s.parameters.map((range) => ({ label: range })) }], activeSignature: 0, activeParameter: s.active };
    }, null));

    c.languages.semanticTokens.on(safe('semanticTokens', (p) => {
      const snap = this.snapshot(p.textDocument.uri);
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
    }, { data: [] }));

    c.onRequest(EvaluateRequest, async (params, token) => {
      const file = uriToPath(params.uri);
      if (!file || !SPEC.test(file) || token.isCancellationRequested) return null;
      if (!this.ws.load(file).parsed) return null;
      const options: EvalOptions = {};
      for (const k of ['grain', 'from', 'to', 'last', 'by'] as const) if (params[k] !== undefined) (options as Record<string, unknown>)[k] = params[k];
      // A newer edit may replace the waiting job: then answer with the newest version's results.
      for (;;) {
        try {
          return await this.evaluate(file, options);
        } catch (e) {
          if (!(e instanceof Superseded) || token.isCancellationRequested) throw e;
        }
      }
    });
  }
}

