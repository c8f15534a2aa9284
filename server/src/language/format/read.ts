/**
 * Reads the yaml package's CST of a spec into the layout tree: entries with the comments and
 * blank lines before them, values as written. An entry with what the formatter does not take
 * apart (an anchored or tagged key, a `?` key, a comment between a key and its scalar) is kept
 * as written, moved with its indentation.
 */
import type { CST } from 'yaml';
import { readFlow, isFormula, keyName, toBlock } from './flow';
import type { BlockMap, BlockSeq, Entry, Item, Trivia, Value } from './layout';
import { childRole, mapRole, SECTIONS, type Role } from './order';
import { unquoted } from './quoting';
import { columnOf, indentOf, isBlank, lineEnd, triviaLines, trimEnd, Unsupported } from './trivia';

/** A document: the lines before its root mapping, the mapping, the lines after it. */
export interface DocLayout {
  bom: boolean;
  lead: Trivia[];
  root: BlockMap | undefined;
  tail: Trivia[];
}

const FLOW_SCALARS = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'alias']);

/** The layout of a document whose root is a block mapping (or that is empty); undefined for any other. */
export function readDocument(tokens: CST.Token[], text: string): DocLayout | undefined {
  try {
    return readTokens(tokens, text);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

function readTokens(tokens: CST.Token[], text: string): DocLayout | undefined {
  const reader = new Reader(text);
  const layout: DocLayout = { bom: false, lead: [], root: undefined, tail: [] };
  let seen = false;
  for (const t of tokens) {
    if (t.type === 'byte-order-mark') layout.bom = true;
    else if (t.type === 'document') {
      if (seen) return undefined;
      seen = true;
      triviaLines(t.start, text, layout.lead);
      if (t.value) {
        if (t.value.type !== 'block-map') return undefined;
        const root = reader.map(t.value, 'spec');
        layout.root = root;
        // The comments after the root mapping, and the document's end.
        layout.tail = root.tail;
        root.tail = [];
      }
      if (t.end) triviaLines(t.end, text, layout.tail);
    } else if (t.type === 'doc-end') {
      layout.tail.push({ kind: 'marker', text: trimEnd(t.source) });
      if (t.end) lineEndInto(t.end, text, layout.tail);
    } else if (t.type === 'comment' || t.type === 'newline' || t.type === 'space') {
      triviaLines([t], text, seen ? layout.tail : layout.lead);
    } else if (t.type === 'directive' || t.type === 'directive-line') {
      (seen ? layout.tail : layout.lead).push({ kind: 'marker', text: trimEnd(t.source) });
    } else return undefined;
  }
  return layout;
}

function lineEndInto(tokens: CST.SourceToken[], text: string, out: Trivia[]): void {
  const end = lineEnd(tokens, text);
  if (end.eol) out.push({ kind: 'comment', text: end.eol.replace(/^[ \t]+/, ''), col: 0 });
  out.push(...end.after);
}

class Reader {
  constructor(private readonly text: string) {}

  map(token: CST.BlockMap, role: Role | undefined): BlockMap {
    const entries: Entry[] = [];
    let pending: Trivia[] = [];
    for (const item of token.items) {
      if (!item.key && !item.sep && !item.value && !item.explicitKey && item.start.every(isTrivia)) {
        triviaLines(item.start, this.text, pending);
        continue;
      }
      let read: { entry: Entry; after: Trivia[] };
      try {
        read = this.entry(item, role);
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
        read = this.rawEntry(item);
      }
      read.entry.lead = [...pending, ...read.entry.lead];
      entries.push(read.entry);
      pending = read.after;
    }
    return { kind: 'map', entries, tail: pending, role };
  }

  seq(token: CST.BlockSequence, role: Role | undefined): BlockSeq {
    const items: Item[] = [];
    let pending: Trivia[] = [];
    for (const item of token.items) {
      if (!item.value && item.start.every(isTrivia)) {
        triviaLines(item.start, this.text, pending);
        continue;
      }
      let read: { item: Item; after: Trivia[] };
      try {
        read = this.item(item, role);
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
        read = this.rawItem(item);
      }
      read.item.lead = [...pending, ...read.item.lead];
      items.push(read.item);
      pending = read.after;
    }
    return { kind: 'seq', items, tail: pending, role };
  }

  private entry(item: CST.BlockMap['items'][number], role: Role | undefined): { entry: Entry; after: Trivia[] } {
    if (item.explicitKey || !item.key || !item.sep) throw new Unsupported('key');
    const lead = triviaLines(item.start, this.text);
    const key = item.key;
    if (!FLOW_SCALARS.has(key.type) || key.type === 'alias') throw new Unsupported('key');
    const keyToken = key as CST.FlowScalar;
    if (keyToken.source.includes('\n') || (keyToken.end ?? []).some((t) => t.type !== 'space')) throw new Unsupported('key');
    const colon = item.sep.findIndex((t) => t.type === 'map-value-ind');
    if (colon < 0 || item.sep.slice(0, colon).some((t) => t.type !== 'space')) throw new Unsupported('sep');
    const name = keyName(keyToken);
    const { gap, eol, newline, between } = this.afterIndicator(item.sep.slice(colon + 1));
    const read = this.value(item.value, childRole(role, name), newline, between, isFormula(role, name));
    const entry: Entry = { lead, key: keyToken.source, name, col: columnOf(this.text, keyToken.offset), gap, value: read.value, eol: read.eol ?? eol };
    if (read.eol !== undefined && eol) throw new Unsupported('two comments');
    return { entry, after: read.after };
  }

  private item(item: CST.BlockSequence['items'][number], role: Role | undefined): { item: Item; after: Trivia[] } {
    const dash = item.start.findIndex((t) => t.type === 'seq-item-ind');
    if (dash < 0) throw new Unsupported('item');
    const lead = triviaLines(item.start.slice(0, dash), this.text);
    const { gap, eol, newline, between } = this.afterIndicator(item.start.slice(dash + 1));
    // `-` then a comment and the value below it: kept as written.
    if (eol && item.value) throw new Unsupported('comment after -');
    const read = this.value(item.value, childRole(role, undefined), newline, between, false, true);
    // `- &a key: v`: the props would be lost in the compact form.
    if ((read.value.kind === 'map' || read.value.kind === 'seq') && !isBlank(gap)) throw new Unsupported('props before a compact collection');
    const out: Item = { lead, col: columnOf(this.text, item.start[dash]!.offset), gap, value: read.value, eol: read.eol ?? eol };
    return { item: out, after: read.after };
  }

  /** The tokens after `:` or `-`: props on the same line, an end-of-line comment, lines before the value. */
  private afterIndicator(tokens: CST.SourceToken[]): { gap: string; eol: string; newline: boolean; between: Trivia[] } {
    let gap = '';
    let i = 0;
    for (; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.type === 'space' || t.type === 'anchor' || t.type === 'tag') gap += t.source;
      else break;
    }
    const rest = tokens.slice(i);
    if (!rest.length) return { gap, eol: '', newline: false, between: [] };
    // A comment runs to the end of its line (or of the file): the value, if any, is below.
    const end = lineEnd(rest, this.text);
    // The spaces before the comment are the comment's.
    const eol = end.eol ? gap.slice(trimEnd(gap).length) + end.eol : '';
    return { gap: end.eol ? trimEnd(gap) : gap, eol, newline: true, between: end.after };
  }

  /**
   * A value. `newline`: it starts on a line below its key; `between`: the comments and blank
   * lines before it. `after`: the lines after it that belong to what follows.
   */
  private value(token: CST.Token | undefined, role: Role | undefined, newline: boolean, between: Trivia[], formula: boolean, compact = false): { value: Value; eol?: string; after: Trivia[] } {
    if (!token) return { value: { kind: 'empty' }, after: between };
    switch (token.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'alias': {
        // A scalar below its key moves up to it, unless comments are in between.
        if (between.some((t) => t.kind !== 'blank')) throw new Unsupported('comment before scalar');
        const end = lineEnd(token.end, this.text);
        const plain = formula ? unquoted(token, false) : undefined;
        return { value: { kind: 'text', lines: (plain ?? token.source).split('\n') }, eol: end.eol, after: end.after };
      }
      case 'block-scalar': {
        if (newline) throw new Unsupported('block scalar below its key');
        const header = token.props.find((t) => t.type === 'block-scalar-header') as CST.SourceToken | undefined;
        if (!header || token.props.some((t) => t.type === 'anchor' || t.type === 'tag')) throw new Unsupported('block scalar props');
        const end = lineEnd(token.props.slice(token.props.indexOf(header) + 1) as CST.SourceToken[], this.text);
        const indicator = /\d/.test(header.source);
        const lines = token.source.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        else {
          // The file ends inside the scalar (the end reads as a line break): a last line of
          // spaces within the indentation holds nothing.
          const first = lines.find((l) => !/^ *$/.test(l));
          const last = lines[lines.length - 1]!;
          if (!indicator && first !== undefined && /^ *$/.test(last) && last.length <= indentOf(first)) lines.pop();
        }
        return { value: { kind: 'block-scalar', header: header.source, lines, indicator }, eol: end.eol, after: end.after };
      }
      case 'flow-collection': {
        if (between.some((t) => t.kind !== 'blank')) throw new Unsupported('comment before flow');
        const end = lineEnd(token.end.slice(1), this.text);
        const flow = readFlow(token, role);
        const forced = role !== undefined && SECTIONS.has(role);
        // In a sequence, a block collection starts on the dash's line: no place for a comment after the bracket.
        if (flow && (flow.multiline || forced) && flow.items.length && !(compact && end.eol)) {
          const block = toBlock(flow);
          return { value: block.kind === 'map' ? { kind: 'map', map: block } : { kind: 'seq', seq: block }, eol: end.eol, after: end.after };
        }
        if (flow && (!flow.multiline || !flow.items.length)) return { value: { kind: 'flow', flow }, eol: end.eol, after: end.after };
        // Kept as written: from the opening bracket to the closing one.
        const source = this.text.slice(token.offset, token.end[0]!.offset + token.end[0]!.source.length);
        return { value: { kind: 'text', lines: source.split('\n') }, eol: end.eol, after: end.after };
      }
      case 'block-map': {
        if (!newline && !compact) throw new Unsupported('block map on the key line');
        const map = this.map(token, mapRole(role));
        if (map.entries.length) map.entries[0]!.lead = [...between, ...map.entries[0]!.lead];
        return { value: { kind: 'map', map }, after: splitTail(map, token.indent) };
      }
      case 'block-seq': {
        if (!newline && !compact) throw new Unsupported('block sequence on the key line');
        const seq = this.seq(token, role);
        if (seq.items.length) seq.items[0]!.lead = [...between, ...seq.items[0]!.lead];
        return { value: { kind: 'seq', seq }, after: splitTail(seq, token.indent) };
      }
      default:
        throw new Unsupported(token.type);
    }
  }

  /** An entry kept as written, from its key to the end of its last token. */
  private rawEntry(item: CST.CollectionItem): { entry: Entry; after: Trivia[] } {
    const { lead, start, lines } = this.raw(item);
    return { entry: { lead, key: '', name: undefined, col: columnOf(this.text, start), gap: '', value: { kind: 'raw', lines }, eol: '' }, after: [] };
  }

  private rawItem(item: CST.CollectionItem): { item: Item; after: Trivia[] } {
    const { lead, start, lines } = this.raw(item);
    return { item: { lead, col: columnOf(this.text, start), gap: '', value: { kind: 'raw', lines }, eol: '' }, after: [] };
  }

  private raw(item: CST.CollectionItem): { lead: Trivia[]; start: number; lines: string[] } {
    const first = item.start.findIndex((t) => !isTrivia(t));
    const lead = triviaLines(first < 0 ? item.start : item.start.slice(0, first), this.text);
    const start = first >= 0 ? item.start[first]!.offset : startOf(item.key ?? item.sep?.[0] ?? item.value);
    const end = endOf(item);
    const lines = this.text.slice(start, end).replace(/[ \t\n]+$/, '').split('\n');
    return { lead, start, lines };
  }
}

function isTrivia(t: CST.SourceToken): boolean {
  return t.type === 'space' || t.type === 'newline' || t.type === 'comment';
}

/**
 * Splits the lines after a nested collection's last entry: comments as deep as its entries
 * stay its tail; from the first shallower comment on, and the blank lines before it, they
 * belong to what follows the collection.
 */
function splitTail(c: BlockMap | BlockSeq, indent: number): Trivia[] {
  const tail = c.tail;
  let keep = 0;
  for (let i = 0; i < tail.length; i++) {
    const t = tail[i]!;
    if (t.kind === 'comment' && t.col >= indent) keep = i + 1;
    else if (t.kind !== 'blank') break;
  }
  c.tail = tail.slice(0, keep);
  return tail.slice(keep);
}

function startOf(t: CST.Token | CST.SourceToken | null | undefined): number {
  if (!t) throw new Error('an item with no tokens');
  if (t.type === 'flow-collection') return t.start.offset;
  return t.offset;
}

/** The end offset of the last token of an item, nested ones included. */
function endOf(item: CST.CollectionItem): number {
  let end = 0;
  const visit = (t: CST.Token | null | undefined): void => {
    if (!t) return;
    switch (t.type) {
      case 'block-map':
      case 'block-seq':
        for (const i of t.items as CST.CollectionItem[]) visitItem(i);
        return;
      case 'flow-collection':
        visit(t.start);
        for (const i of t.items) visitItem(i);
        t.end.forEach(visit);
        return;
      case 'block-scalar':
        t.props.forEach(visit);
        end = Math.max(end, t.offset + t.source.length);
        return;
      case 'document':
        return;
      default:
        if ('source' in t && t.type !== 'newline') end = Math.max(end, t.offset + t.source.length);
        if ('end' in t && Array.isArray(t.end)) (t.end as CST.Token[]).forEach(visit);
    }
  };
  const visitItem = (i: CST.CollectionItem) => {
    i.start.forEach(visit);
    visit(i.key);
    i.sep?.forEach(visit);
    visit(i.value);
  };
  visitItem(item);
  return end;
}
