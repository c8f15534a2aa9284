import type { Connection, DidChangeTextDocumentParams, DidOpenTextDocumentParams, TextDocumentIdentifier } from 'vscode-languageserver';
import { guardNotification, guardRequest, type Log } from './guard';
import { array, documentUri, integer, object, range, string } from './params';

/**
 * The connection as `TextDocuments.listen` sees it: document notifications reach it only well
 * formed (a malformed one is logged and dropped), so the documents it keeps are always text.
 * Ranges past the end of a document are clamped by the library; edits to documents that were
 * never opened are ignored by it.
 */
export function checkedSync(connection: Connection, log: Log): Connection {
  const sync = Object.create(connection) as Connection;
  sync.onDidOpenTextDocument = (handler) =>
    connection.onDidOpenTextDocument(guardNotification(log, 'textDocument/didOpen', (p: unknown) => handler(didOpen(p))));
  sync.onDidChangeTextDocument = (handler) =>
    connection.onDidChangeTextDocument(guardNotification(log, 'textDocument/didChange', (p: unknown) => handler(didChange(p))));
  sync.onDidCloseTextDocument = (handler) =>
    connection.onDidCloseTextDocument(guardNotification(log, 'textDocument/didClose', (p: unknown) => handler({ textDocument: identifier(p) })));
  sync.onDidSaveTextDocument = (handler) =>
    connection.onDidSaveTextDocument(guardNotification(log, 'textDocument/didSave', (p: unknown) => handler({ textDocument: identifier(p) })));
  sync.onWillSaveTextDocument = (handler) =>
    connection.onWillSaveTextDocument(guardNotification(log, 'textDocument/willSave', (p: unknown) => handler({ textDocument: identifier(p), reason: reason(p) })));
  sync.onWillSaveTextDocumentWaitUntil = (handler) =>
    connection.onWillSaveTextDocumentWaitUntil(guardRequest(log, 'textDocument/willSaveWaitUntil', async (p: unknown, token) => await handler({ textDocument: identifier(p), reason: reason(p) }, token)));
  return sync;
}

function identifier(params: unknown): TextDocumentIdentifier {
  return { uri: documentUri(params) };
}

function reason(params: unknown): 1 | 2 | 3 {
  const r = object(params, 'params').reason;
  return r === 2 || r === 3 ? r : 1;
}

function didOpen(params: unknown): DidOpenTextDocumentParams {
  const td = object(object(params, 'params').textDocument, 'textDocument');
  return {
    textDocument: {
      uri: string(td.uri, 'textDocument.uri'),
      languageId: string(td.languageId, 'textDocument.languageId'),
      version: integer(td.version, 'textDocument.version'),
      text: string(td.text, 'textDocument.text'),
    },
  };
}

function didChange(params: unknown): DidChangeTextDocumentParams {
  const p = object(params, 'params');
  const td = object(p.textDocument, 'textDocument');
  const contentChanges = array(p.contentChanges, 'contentChanges').map((c, i) => {
    const change = object(c, `contentChanges[${i}]`);
    const text = string(change.text, `contentChanges[${i}].text`);
    return change.range === undefined ? { text } : { range: range(change.range, `contentChanges[${i}].range`), text };
  });
  return { textDocument: { uri: string(td.uri, 'textDocument.uri'), version: integer(td.version, 'textDocument.version') }, contentChanges };
}
