/**
 * Comments and blank lines from the yaml package's CST tokens: the end of a line (spaces and
 * an end-of-line comment) and the own-line comments and blank lines after it.
 */
import type { CST } from 'yaml';
import type { Trivia } from './layout';

/** Something the formatter does not take apart; the entry holding it is kept as written. */
export class Unsupported extends Error {}

/** Without the spaces and tabs at its end (YAML's white space; a no-break space is text). */
export function trimEnd(s: string): string {
  return s.replace(/[ \t]+$/, '');
}

/** Whether a line holds nothing but spaces and tabs. */
export function isBlank(s: string): boolean {
  return /^[ \t]*$/.test(s);
}

/** The number of spaces a line starts with (YAML indents with spaces only). */
export function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

/** The column of an offset: its distance from the start of its line. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

const MARKERS = new Set(['doc-start', 'doc-end', 'directive-line', 'directive', 'doc-mode']);

/**
 * Reads tokens that start at the beginning of a line: own-line comments, blank lines and
 * marker lines (`---`). Anything else (an anchor, a tag, a `?`) is Unsupported.
 */
export function triviaLines(tokens: readonly CST.SourceToken[], text: string, out: Trivia[] = []): Trivia[] {
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
      case 'byte-order-mark':
        break;
      case 'comment':
        out.push({ kind: 'comment', text: trimEnd(t.source), col: columnOf(text, t.offset) });
        break;
      case 'newline':
        // A blank line has nothing before its line break (the break after a comment may come in the next list).
        if (isBlank(text.slice(t.offset - columnOf(text, t.offset), t.offset))) out.push({ kind: 'blank' });
        break;
      default:
        if (!MARKERS.has(t.type)) throw new Unsupported(t.type);
        out.push({ kind: 'marker', text: trimEnd(t.source) });
    }
  }
  return out;
}

/** The rest of a line and the lines after it: `eol` is the spaces and comment before the first newline. */
export interface LineEnd {
  eol: string;
  /** Whether a newline ended the line (a value may run on, e.g. a flow collection's closing bracket). */
  ended: boolean;
  after: Trivia[];
}

/** Splits tokens after a value into the end of its line and the trivia lines after it. */
export function lineEnd(tokens: readonly CST.SourceToken[] | undefined, text: string): LineEnd {
  let eol = '';
  let i = 0;
  const list = tokens ?? [];
  for (; i < list.length; i++) {
    const t = list[i]!;
    if (t.type === 'newline') {
      i++;
      return { eol: trimEnd(eol), ended: true, after: triviaLines(list.slice(i), text) };
    }
    if (t.type !== 'space' && t.type !== 'comment') throw new Unsupported(t.type);
    eol += t.source;
  }
  return { eol: trimEnd(eol), ended: false, after: [] };
}

/** Every source token of a CST, nested ones included, in order. */
export function sourceTokens(tokens: Iterable<CST.Token>): CST.SourceToken[] {
  const out: CST.SourceToken[] = [];
  const visit = (t: CST.Token | null | undefined): void => {
    if (!t) return;
    switch (t.type) {
      case 'document':
        t.start.forEach(visit);
        visit(t.value);
        t.end?.forEach(visit);
        return;
      case 'doc-end':
        t.end?.forEach(visit);
        return;
      case 'alias':
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        if (t.type === 'alias') out.push(t as unknown as CST.SourceToken);
        t.end?.forEach(visit);
        return;
      case 'block-scalar':
        t.props.forEach(visit);
        return;
      case 'block-map':
      case 'block-seq':
        for (const item of t.items as CST.CollectionItem[]) visitItem(item);
        return;
      case 'flow-collection':
        visit(t.start);
        for (const item of t.items) visitItem(item);
        t.end.forEach(visit);
        return;
      case 'error':
      case 'directive':
        return;
      default:
        out.push(t);
    }
  };
  const visitItem = (item: CST.CollectionItem) => {
    item.start.forEach(visit);
    visit(item.key);
    item.sep?.forEach(visit);
    visit(item.value);
  };
  for (const t of tokens) visit(t);
  return out;
}

/** Whether a CST has anchors or aliases: then no key moves, so that every alias stays after its anchor. */
export function hasAnchors(tokens: Iterable<CST.Token>): boolean {
  return sourceTokens(tokens).some((t) => t.type === 'anchor' || (t.type as string) === 'alias');
}
