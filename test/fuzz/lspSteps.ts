import { TextDocument } from 'vscode-languageserver-textdocument';
import { mutate } from './mutate';
import type { Rng } from './prng';

/** One message of a sequence: a notification, or a request whose answer is awaited and timed. */
export interface Step {
  kind: 'notify' | 'request';
  method: string;
  params: unknown;
}

const GARBAGE = ['', '\n', '\nkpispec: 1\n\n', 'kpis: [', '{{{{', '\ud800', 'kpispec: 1\nkpis:\n  k: { formula: k }\n', '\t\t: - ] "', '😀'.repeat(50), 'kpispec: 1\r\nkpis:\r\n  a: { formula: b }\r\n  b: { formula: a }\r\n'];

/**
 * The documents a sequence edits, mirrored with the library the server uses, so that the
 * positions generated mostly lie in the text the server holds.
 */
export class Docs {
  readonly docs = new Map<string, TextDocument>();
  constructor(readonly originals: Map<string, string>) {
    for (const [uri, text] of originals) this.docs.set(uri, TextDocument.create(uri, 'kpispec', 1, text));
  }

  /** A didChange of a document: a full replace (garbage, a mutation, the original) or 1-3 range edits, some past the end. */
  change(rng: Rng): Step {
    const uri = rng.pick([...this.docs.keys()]);
    const doc = this.docs.get(uri)!;
    const text = doc.getText();
    let changes: ({ text: string } | { range: { start: Pos; end: Pos }; text: string })[];
    const r = rng.next();
    if (r < 0.15) changes = [{ text: rng.pick(GARBAGE) }];
    else if (r < 0.3) changes = [{ text: this.originals.get(uri)! }];
    else if (r < 0.4 && text.length < 300_000) changes = [{ text: mutate(text, rng).text }];
    else {
      changes = Array.from({ length: rng.between(1, 3) }, () => {
        const start = this.position(doc, rng, 0.15);
        const end = rng.chance(0.5) ? start : this.position(doc, rng, 0.15);
        return { range: { start, end }, text: rng.pick(['', 'x', ' ', '\n', ': ', '(', 'kpi_1 + ', 'm_2', '%', '\r\n  ', '"', '  \n', '转化']) };
      });
    }
    const version = doc.version + 1;
    this.docs.set(uri, TextDocument.update(doc, changes, version));
    return { kind: 'notify', method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges: changes } };
  }

  /** A position in the document, or (with probability `wild`) past its end, far away or negative. */
  position(doc: TextDocument, rng: Rng, wild = 0.1): Pos {
    if (rng.chance(wild)) return rng.pick([{ line: doc.lineCount + rng.int(5), character: rng.int(10) }, { line: rng.int(doc.lineCount), character: 1e6 }, { line: 1e9, character: 1e9 }, { line: -1, character: 0 }]);
    if (rng.chance(0.3)) return doc.positionAt(rng.int(doc.getText().length + 1));
    const line = rng.int(doc.lineCount);
    const length = doc.offsetAt({ line: line + 1, character: 0 }) - doc.offsetAt({ line, character: 0 });
    return { line, character: rng.int(length + 1) };
  }

  /** A request on a random document at a random position. */
  request(rng: Rng): Step {
    const uri = rng.pick([...this.docs.keys()]);
    const doc = this.docs.get(uri)!;
    const textDocument = { uri };
    const position = this.position(doc, rng);
    const range = { start: this.position(doc, rng), end: this.position(doc, rng) };
    const req = (method: string, params: unknown): Step => ({ kind: 'request', method, params });
    switch (rng.int(16)) {
      case 0: case 1: return req('textDocument/completion', { textDocument, position });
      case 2: case 3: return req('textDocument/hover', { textDocument, position });
      case 4: return req('textDocument/signatureHelp', { textDocument, position });
      case 5: return req('textDocument/definition', { textDocument, position });
      case 6: return req('textDocument/references', { textDocument, position, context: { includeDeclaration: rng.chance(0.5) } });
      case 7: return req('textDocument/prepareRename', { textDocument, position });
      case 8: return req('textDocument/rename', { textDocument, position, newName: rng.pick(['renamed', 'kpi_2', 'Bad Name', '']) });
      case 9: return req('textDocument/documentSymbol', { textDocument });
      case 10: return req('textDocument/semanticTokens/full', { textDocument });
      case 11: return req('textDocument/codeAction', { textDocument, range, context: { diagnostics: [] } });
      case 12: return req('textDocument/codeLens', { textDocument });
      case 13: return req('textDocument/documentLink', { textDocument });
      case 14: return req(rng.chance(0.5) ? 'workspace/symbol' : 'textDocument/formatting', rng.chance(0.5) ? { query: rng.pick(['', 'kpi_9', 'zz']) } : { textDocument, options: { tabSize: 2, insertSpaces: true } });
      default: return req('kpispec/evaluate', { uri, grain: rng.pick([undefined, 'month', 'week', 'decade']), last: rng.pick([undefined, 3, 0]), by: rng.pick([undefined, 'channel', 'nope']) });
    }
  }
}

type Pos = { line: number; character: number };
