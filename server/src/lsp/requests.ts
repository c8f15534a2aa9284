import {
  CodeActionKind, CompletionItemKind, DocumentSymbol, ErrorCodes, LSPErrorCodes, ResponseError, InsertTextFormat, SymbolKind,
  type CancellationToken, type CodeAction, type Connection, type Diagnostic, type Position,
} from 'vscode-languageserver';
import type { EvalOptions } from '../engine/run';
import type { Problem } from '../language/problem';
import type { Workspace } from '../language/workspace';
import { EvaluateRequest, type EvaluateResult, type ExplainResult } from '../protocol';
import { incomingCalls, outgoingCalls, prepareCallHierarchy, workspaceLineage, type HierarchyItem } from '../services/callHierarchy';
import { codeActions, FIX_ALL_KIND, fixAllInFile } from '../services/codeActions';
import { codeLenses } from '../services/codeLens';
import { completions } from '../services/completion';
import { NO_FIT, rankByFit } from '../services/completionRank';
import { definition } from '../services/definition';
import { documentLinks } from '../services/documentLinks';
import { findReferences } from '../services/findReferences';
import { formattingEdits } from '../services/formatting';
import { hover, kpiShownAt } from '../services/hover';
import { prepareRename, rename } from '../services/rename';
import { semanticTokens } from '../services/semanticTokens';
import { signatureHelp } from '../services/signatureHelp';
import type { Snapshot } from '../services/snapshot';
import { documentSymbols } from '../services/symbols';
import type { CompletionKind, Edit, SemanticTokenType, SymbolNode } from '../services/types';
import { workspaceSymbols } from '../services/workspaceSymbols';
import { pathToUri, uriToPath, type Lines } from './convert';
import { evaluateParams } from './evaluateParams';
import { cancelled } from './evaluations';
import { Dropped, Superseded } from './evalPool';
import { hoverExplanation } from './explainRequest';
import type { ExplainAsk } from './explainWork';
import { guardRequest } from './guard';
import { ClientResults } from './resultDelta';
import { array, documentPosition, documentUri, object, range, string } from './params';

const SPEC = /\.kpi\.ya?ml$/;
const MAX_COMPLETIONS = 500;

/** What the request handlers need of the server. */
export interface RequestContext {
  readonly lines: Lines;
  readonly log: (message: string) => void;
  workspace(): Workspace;
  /** Every spec file the server knows of (open, or found by the workspace scan). */
  specFiles(): string[];
  /** Settles when the workspace scan is done: workspace-wide requests wait for it. */
  scanned(): Promise<unknown>;
  specText(file: string): string | undefined;
  /** The snapshot of a spec document; throws a ResponseError when analysing it fails. */
  snapshot(uri: string): Snapshot | undefined;
  problemsOf(file: string): Problem[];
  evaluate(file: string, options: EvalOptions, token: CancellationToken, keep?: boolean): Promise<EvaluateResult>;
  /** Whether results for the spec's current version and these options are computed or on their way. */
  evaluating(file: string, options: EvalOptions): boolean;
  /**
   * Why a KPI moved, from `results` of `file` evaluated with `options` (the per-group sums are
   * computed in the evaluation worker); kept with the results. `keep`: see `evaluate`.
   */
  explain(file: string, results: EvaluateResult, options: EvalOptions, ask: ExplainAsk, token: CancellationToken, keep?: boolean): Promise<ExplainResult>;
}

const TOKEN_TYPES: SemanticTokenType[] = ['metric', 'kpi', 'function', 'number', 'operator', 'string', 'column', 'keyword', 'derived', 'lookup'];
/**
 * Standard LSP token types, so every client colours them: metric → variable, KPI → property,
 * column → parameter, a derived or aggregate column → enumMember, a lookup → namespace.
 */
export const LEGEND_TYPES = ['variable', 'property', 'function', 'number', 'operator', 'string', 'parameter', 'keyword', 'enumMember', 'namespace'];

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  key: CompletionItemKind.Property, value: CompletionItemKind.EnumMember, metric: CompletionItemKind.Variable, kpi: CompletionItemKind.Field,
  source: CompletionItemKind.Module, function: CompletionItemKind.Function, column: CompletionItemKind.Field, lookup: CompletionItemKind.Reference, file: CompletionItemKind.File, goal: CompletionItemKind.Event,
};
const SYMBOL_KIND: Record<SymbolNode['kind'] | 'column', SymbolKind> = {
  section: SymbolKind.Namespace, source: SymbolKind.Module, metric: SymbolKind.Variable, kpi: SymbolKind.Field, goal: SymbolKind.Event, column: SymbolKind.Property,
};

/**
 * The editor's requests: LSP params in, the pure services, LSP answers out. Every request
 * checks its params (InvalidParams names what is wrong) and answers whatever happens inside a
 * feature (InternalError, logged with its stack).
 */
export function registerRequests(c: Connection, ctx: RequestContext): void {
  /** Results answered to `kpispec/evaluate`, for deltas on them (the preview sends `known`). */
  const clientResults = new ClientResults();
  const offset = (snap: Snapshot, position: Position) => ctx.lines.offset(snap.file, position);
  const edits = (list: Edit[]) => {
    const changes: Record<string, { range: ReturnType<Lines['range']>; newText: string }[]> = {};
    for (const e of list) (changes[pathToUri(e.file)] ??= []).push({ range: ctx.lines.range(e.file, e.span), newText: e.newText });
    return { changes };
  };
  const guard = <R>(method: string, handler: (params: unknown, token: CancellationToken) => R | Promise<R>) => guardRequest(ctx.log, method, handler);

  c.onCompletion(guard('textDocument/completion', (p) => {
    const { uri, position } = documentPosition(p);
    const snap = ctx.snapshot(uri);
    if (!snap) return [];
    const all = completions(snap, offset(snap, position));
    const typed = all.length ? snap.text.slice(all[0]!.replace.offset, all[0]!.replace.offset + all[0]!.replace.length) : '';
    let ranked = rankByFit(all, typed);
    // Thousands of ids: send the best fits of what is typed; the client asks again as typing goes on.
    const isIncomplete = ranked.length > MAX_COMPLETIONS;
    if (isIncomplete) ranked = ranked.filter((r) => r.fit < NO_FIT).slice(0, MAX_COMPLETIONS);
    return { isIncomplete, items: ranked.map(({ item }, i) => ({
      label: item.label,
      kind: COMPLETION_KIND[item.kind],
      detail: item.detail,
      documentation: item.documentation ? { kind: 'markdown' as const, value: item.documentation } : undefined,
      sortText: String(i).padStart(5, '0'),
      insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range: ctx.lines.range(snap.file, item.replace), newText: item.insertText ?? item.label },
    })) };
  }));

  c.onHover(guard('textDocument/hover', async (p, token) => {
    const { uri, position } = documentPosition(p);
    const first = ctx.snapshot(uri);
    if (!first) return null;
    // A KPI's hover needs its result alone: unless the whole results are at hand or on their way,
    // only that KPI is computed (on a spec of thousands, a fraction of the time).
    // A KPI defined in an imported file has its value in that file's results.
    const kpi = kpiShownAt(first, offset(first, position));
    const file = kpi?.file ?? first.file;
    const options: EvalOptions = kpi && !ctx.evaluating(file, {}) ? { kpis: [kpi.id] } : {};
    const results = await ctx.evaluate(file, options, token, true).catch(() => undefined);
    if (token.isCancellationRequested) throw cancelled();
    // Why the KPI moved, if worked out soon enough: a hover never waits long for it (explainRequest.ts).
    const why = kpi && results ? await hoverExplanation(ctx, file, kpi.id, results, options, token) : undefined;
    if (token.isCancellationRequested) throw cancelled();
    const snap = ctx.snapshot(uri); // the document may have changed meanwhile
    if (!snap) return null;
    const h = hover(snap, offset(snap, position), results, why);
    return h ? { contents: { kind: 'markdown' as const, value: h.markdown }, range: ctx.lines.range(snap.file, h.span) } : null;
  }));

  c.onDefinition(guard('textDocument/definition', (p) => {
    const { uri, position } = documentPosition(p);
    const snap = ctx.snapshot(uri);
    if (!snap) return [];
    return definition(snap, offset(snap, position)).map((l) => ({ uri: pathToUri(l.file), range: ctx.lines.range(l.file, l.span) }));
  }));

  c.onReferences(guard('textDocument/references', async (p) => {
    const { uri, position } = documentPosition(p);
    const context = object(object(p, 'params').context, 'context');
    await ctx.scanned();
    const snap = ctx.snapshot(uri);
    if (!snap) return [];
    return findReferences(ctx.workspace(), ctx.specFiles(), snap, offset(snap, position), context.includeDeclaration === true)
      .map((l) => ({ uri: pathToUri(l.file), range: ctx.lines.range(l.file, l.span) }));
  }));

  c.onPrepareRename(guard('textDocument/prepareRename', (p) => {
    const { uri, position } = documentPosition(p);
    const snap = ctx.snapshot(uri);
    if (!snap) return null;
    const r = prepareRename(snap, offset(snap, position));
    if ('error' in r) return new ResponseError(ErrorCodes.InvalidParams, r.error);
    return { range: ctx.lines.range(snap.file, r.span), placeholder: r.placeholder };
  }));

  c.onRenameRequest(guard('textDocument/rename', async (p) => {
    const { uri, position } = documentPosition(p);
    const newName = string(object(p, 'params').newName, 'newName');
    await ctx.scanned();
    const snap = ctx.snapshot(uri);
    if (!snap) return null;
    const r = rename(ctx.workspace(), ctx.specFiles(), snap, offset(snap, position), newName);
    if ('error' in r) return new ResponseError(ErrorCodes.InvalidParams, r.error);
    return edits(r.edits);
  }));

  // Lineage as a call hierarchy: incoming = what uses a definition, outgoing = what it uses.
  const hierarchyItem = (i: HierarchyItem) => ({
    name: i.node.id, kind: SYMBOL_KIND[i.node.kind], detail: i.node.title, uri: pathToUri(i.node.file),
    range: ctx.lines.range(i.node.file, i.span), selectionRange: ctx.lines.range(i.node.file, i.node.span), data: { key: i.node.key },
  });
  const itemKey = (p: unknown) => string(object(object(object(p, 'params').item, 'item').data, 'item.data').key, 'item.data.key');
  c.languages.callHierarchy.onPrepare(guard('textDocument/prepareCallHierarchy', (p) => {
    const { uri, position } = documentPosition(p);
    const snap = ctx.snapshot(uri);
    return snap ? prepareCallHierarchy(snap, offset(snap, position)).map(hierarchyItem) : null;
  }));
  c.languages.callHierarchy.onIncomingCalls(guard('callHierarchy/incomingCalls', async (p) => {
    const key = itemKey(p);
    await ctx.scanned();
    return incomingCalls(ctx.workspace(), workspaceLineage(ctx.workspace(), ctx.specFiles()), key).map((call) => ({
      from: hierarchyItem(call.item), fromRanges: call.at.map((s) => ctx.lines.range(call.item.node.file, s)),
    }));
  }));
  c.languages.callHierarchy.onOutgoingCalls(guard('callHierarchy/outgoingCalls', async (p) => {
    const key = itemKey(p);
    const file = uriToPath(string(object(object(p, 'params').item, 'item').uri, 'item.uri'));
    if (file === undefined) return [];
    await ctx.scanned();
    return outgoingCalls(ctx.workspace(), workspaceLineage(ctx.workspace(), ctx.specFiles()), key).map((call) => ({
      to: hierarchyItem(call.item), fromRanges: call.at.map((s) => ctx.lines.range(file, s)),
    }));
  }));

  c.onDocumentSymbol(guard('textDocument/documentSymbol', (p) => {
    const snap = ctx.snapshot(documentUri(p));
    if (!snap) return [];
    const convert = (n: SymbolNode): DocumentSymbol => DocumentSymbol.create(n.name, n.detail, SYMBOL_KIND[n.kind], ctx.lines.range(snap.file, n.span), ctx.lines.range(snap.file, n.selection), n.children.map(convert));
    return documentSymbols(snap).map(convert);
  }));

  c.onWorkspaceSymbol(guard('workspace/symbol', async (p) => {
    const query = string(object(p, 'params').query, 'query');
    await ctx.scanned();
    return workspaceSymbols(ctx.workspace(), ctx.specFiles(), query).map((s) => ({
      name: s.name, kind: SYMBOL_KIND[s.kind], containerName: s.container, location: { uri: pathToUri(s.file), range: ctx.lines.range(s.file, s.span) },
    }));
  }));

  // Formatting: the canonical layout (docs/format.md); no edits for a document with YAML syntax errors.
  const formatting = (p: unknown, selection?: { start: Position; end: Position }) => {
    const file = uriToPath(documentUri(p));
    const text = file !== undefined && SPEC.test(file) ? ctx.specText(file) : undefined;
    if (file === undefined || text === undefined) return [];
    const span = selection && (() => {
      const start = ctx.lines.offset(file, selection.start);
      return { offset: start, length: Math.max(0, ctx.lines.offset(file, selection.end) - start) };
    })();
    return formattingEdits(file, text, span).map((e) => ({ range: ctx.lines.range(file, e.span), newText: e.newText }));
  };
  c.onDocumentFormatting(guard('textDocument/formatting', (p) => formatting(p)));
  c.onDocumentRangeFormatting(guard('textDocument/rangeFormatting', (p) => formatting(p, range(object(p, 'params').range, 'range'))));

  c.onDocumentLinks(guard('textDocument/documentLink', (p) => {
    const snap = ctx.snapshot(documentUri(p));
    if (!snap) return [];
    return documentLinks(snap).map((l) => ({ range: ctx.lines.range(snap.file, l.span), target: pathToUri(l.target) }));
  }));

  // Quick fixes at the range; with `only` asking for it (fix on save, the Source Action menu), `source.fixAll.kpispec`.
  c.onCodeAction(guard('textDocument/codeAction', (p) => {
    const params = object(p, 'params');
    const uri = documentUri(p);
    const { start: from, end: to } = range(params.range, 'range');
    const context = object(params.context, 'context');
    const diagnostics = array(context.diagnostics, 'context.diagnostics').map((d, i) => {
      const diagnostic = object(d, `context.diagnostics[${i}]`);
      return { diagnostic: diagnostic as unknown as Diagnostic, code: diagnostic.code, start: range(diagnostic.range, `context.diagnostics[${i}].range`).start };
    });
    const only = context.only === undefined || context.only === null ? undefined : array(context.only, 'context.only').map((k, i) => string(k, `context.only[${i}]`));
    const wants = (kind: string) => !!only?.some((o) => kind === o || kind.startsWith(`${o}.`));
    const snap = ctx.snapshot(uri);
    if (!snap) return [];
    const problems = ctx.problemsOf(snap.file);
    const start = offset(snap, from);
    const end = Math.max(start, offset(snap, to));
    const actions: CodeAction[] = !only || wants(CodeActionKind.QuickFix) ? codeActions(snap, problems, { offset: start, length: end - start }).map((a) => ({
      title: a.title, kind: CodeActionKind.QuickFix, isPreferred: a.preferred,
      diagnostics: diagnostics.filter((d) => d.code === a.rule && offset(snap, d.start) === a.problemSpan.offset).map((d) => d.diagnostic),
      edit: edits(a.edits),
    })) : [];
    if (wants(FIX_ALL_KIND)) {
      const all = fixAllInFile(snap, problems);
      if (all) actions.push({ title: all.title, kind: FIX_ALL_KIND, edit: edits(all.edits) });
    }
    return actions;
  }));

  c.onCodeLens(guard('textDocument/codeLens', async (p, token) => {
    const uri = documentUri(p);
    const first = ctx.snapshot(uri);
    if (!first) return [];
    const results = await ctx.evaluate(first.file, {}, token, true).catch(() => undefined);
    if (token.isCancellationRequested) throw cancelled();
    const snap = ctx.snapshot(uri);
    if (!snap) return [];
    return codeLenses(snap, results).map((l) => ({ range: ctx.lines.range(snap.file, l.span), command: { title: l.title, command: '' } }));
  }));

  c.onSignatureHelp(guard('textDocument/signatureHelp', (p) => {
    const { uri, position } = documentPosition(p);
    const snap = ctx.snapshot(uri);
    if (!snap) return null;
    const s = signatureHelp(snap, offset(snap, position));
    if (!s) return null;
    return { signatures: [{ label: s.label, documentation: s.documentation, parameters: s.parameters.map((range) => ({ label: range })) }], activeSignature: 0, activeParameter: s.active };
  }));

  c.languages.semanticTokens.on(guard('textDocument/semanticTokens/full', (p) => {
    const snap = ctx.snapshot(documentUri(p));
    if (!snap) return { data: [] };
    const data: number[] = [];
    let line = 0;
    let char = 0;
    const idx = ctx.lines.index(snap.file);
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
    const { uri, options, known } = evaluateParams(p);
    const file = uriToPath(uri);
    if (!file || !SPEC.test(file) || !ctx.specText(file)) return null;
    // A newer edit may replace the evaluation: then answer with the newest version's results.
    for (;;) {
      try {
        return clientResults.answer(await ctx.evaluate(file, options, token), known);
      } catch (e) {
        if (token.isCancellationRequested) throw cancelled();
        if (e instanceof Superseded) continue;
        if (e instanceof Dropped) throw new ResponseError(LSPErrorCodes.ServerCancelled, e.message);
        throw e;
      }
    }
  }));
}
