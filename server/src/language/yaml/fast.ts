import type { Problem } from '../problem';
import { lineStartAt } from '../textLines';
import { emptyScalar, fit, fold, giveUp, plain, quoted, quotedEnd, Unsupported } from './fastScalars';
import { MAX_NESTING } from './resolve';
import { addPair, mapNode, scalarNode, seqNode, type LoadedYaml, type YMap, type YNode, type YPair, type YScalar, type YSeq } from './tree';

/**
 * A fast reader for the YAML that specs are written in: block mappings and sequences, flow
 * collections, plain, quoted and block scalars, comments. It is about ten times faster than the
 * yaml package's parser, which matters for 10,000-KPI files. On anything else (anchors, tags,
 * multi-line plain scalars, tabs, any syntax error) it gives up and returns undefined, and the
 * caller reads the file with the yaml package, whose messages then explain the error. Where
 * it answers, it answers exactly as the package path does (a differential test holds it to it).
 */
export function fastLoad(text: string, file: string, onEntry?: OnEntry): LoadedYaml | undefined {
  if (text.includes('\t') || /\r(?!\n)/.test(text) || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return new FastReader(text, file, onEntry).read();
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

/**
 * Called with each pair of a block mapping that is the value of a top-level key, with that
 * key, as soon as the pair is read (before the rest of the document): a caller that only
 * needs what it makes of each entry can drop the entry's nodes then (see parseModel).
 */
export type OnEntry = (top: unknown, pair: YPair) => void;

/** One entry of a block mapping read again, as the full read of its document would read it. */
export interface FastEntry {
  pair: YPair;
  /** Problems inside the entry's value (duplicate keys). */
  problems: Problem[];
  /** The start of the line of the next content after the entry (where the mapping goes on), or the text's end. */
  next: number;
}

/**
 * Reads the entry whose key starts at `keyStart` (the first content of its line) in a block
 * mapping of nesting depth `depth`, in a document the fast reader reads as a whole. The reader
 * goes forward only, so where the text before the entry is unchanged and the text from `next`
 * on is too, the whole document reads as before with this entry in place of the old one.
 * Undefined where the reader would give up.
 */
export function fastLoadEntry(text: string, file: string, keyStart: number, depth: number): FastEntry | undefined {
  try {
    return new FastReader(text, file).entry(keyStart, depth);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

const SPACE = 32;
const NL = 10;
const CR = 13;
/** Characters that cannot start a plain scalar here (or that we leave to the package). */
const RESERVED_START = new Set(['&', '*', '!', '|', '>', '%', '@', '`', '?', ':', ',', ']', '}', '#', '"', "'", '[', '{']);

/** Whether a plain scalar may start at o: no indicator, and `-` only when not a sequence dash. */
function canStartPlain(text: string, o: number): boolean {
  const c = text[o];
  if (c === undefined || RESERVED_START.has(c)) return false;
  if (c !== '-') return true;
  const n = text[o + 1];
  return n !== undefined && n !== ' ' && n !== '\n' && n !== '\r' && n !== ',' && n !== ']' && n !== '}';
}

class FastReader {
  private pos = 0;
  private depth = 0;
  private readonly problems: Problem[] = [];
  /** The key of the top-level pair being read. */
  private top: unknown;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly onEntry?: OnEntry,
  ) {}

  read(): LoadedYaml {
    this.skipBlank();
    const marker = this.startsWithLine('---');
    if (marker) {
      if (!this.restIsBlank(this.pos + 3)) giveUp();
      this.nextLine();
      this.skipBlank();
    }
    if (this.pos >= this.text.length) {
      if (marker) giveUp(); // `---` alone: the package makes it a document holding null
      return { root: null, problems: [] };
    }
    const root = this.blockNode(-1);
    this.skipBlank();
    if (this.pos < this.text.length) giveUp();
    return { root, problems: this.problems };
  }

  /** See fastLoadEntry: as blockMap reads one of its pairs. */
  entry(keyStart: number, depth: number): FastEntry {
    this.depth = depth;
    const col = this.column(keyStart);
    const end = this.keyEnd(keyStart);
    if (!end) giveUp();
    const key = this.scalarAt(keyStart, end.keyEnd);
    const value = this.valueAfter(end.colon + 1, col, false);
    const pairs: YPair[] = [];
    addPair(pairs, new Set(), key, value, this.file, this.problems);
    this.skipBlank();
    return { pair: pairs[0]!, problems: this.problems, next: this.pos };
  }

  // ---- lines ----------------------------------------------------------------------------

  /** End of the line containing offset o, before its line break. */
  private lineEnd(o: number): number {
    let nl = this.text.indexOf('\n', o);
    if (nl < 0) nl = this.text.length;
    return this.text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
  }

  private lineStart(o: number): number {
    return lineStartAt(this.text, o);
  }

  private column(o: number): number {
    return o - this.lineStart(o);
  }

  private nextLine(): void {
    const nl = this.text.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.text.length : nl + 1;
  }

  /** Spaces at the start of the line at pos. */
  private indent(): number {
    let i = this.pos;
    while (this.text.charCodeAt(i) === SPACE) i++;
    return i - this.pos;
  }

  private isEol(o: number): boolean {
    const c = this.text.charCodeAt(o);
    return o >= this.text.length || c === NL || c === CR;
  }

  /** Skips spaces from o; then true if only a comment or the line end remains. */
  private restIsBlank(o: number): boolean {
    while (this.text.charCodeAt(o) === SPACE) o++;
    return this.isEol(o) || (this.text[o] === '#' && (this.text.charCodeAt(o - 1) === SPACE || o === this.lineStart(o)));
  }

  /** Moves pos past empty lines and comment lines, to the start of the next content line. */
  private skipBlank(): void {
    while (this.pos < this.text.length) {
      const content = this.pos + this.indent();
      if (!this.isEol(content) && this.text[content] !== '#') return;
      this.nextLine();
    }
  }

  private startsWithLine(marker: string): boolean {
    return this.text.startsWith(marker, this.pos) && (this.isEol(this.pos + 3) || this.text.charCodeAt(this.pos + 3) === SPACE);
  }

  private skipSpaces(o: number): number {
    while (this.text.charCodeAt(o) === SPACE) o++;
    return o;
  }

  // ---- block structure -------------------------------------------------------------------

  /** The node on the content line at pos, which must be indented more than `parent`. */
  private blockNode(parent: number): YNode {
    const col = this.indent();
    if (col <= parent) giveUp();
    if (col === 0 && (this.startsWithLine('---') || this.startsWithLine('...'))) giveUp();
    return this.nodeAt(this.pos + col, parent);
  }

  /** A node whose text starts at offset o; block collections take their column as indent. */
  private nodeAt(o: number, parent: number): YNode {
    if (++this.depth > MAX_NESTING) giveUp();
    const col = this.column(o);
    let node: YNode;
    if (this.isSeqIndicator(o)) node = this.blockSeq(o, col);
    else if (this.keyEnd(o) !== undefined) node = this.blockMap(o, col);
    else node = this.inlineValue(o, parent);
    this.depth--;
    return node;
  }

  private isSeqIndicator(o: number): boolean {
    return this.text[o] === '-' && (this.isEol(o + 1) || this.text.charCodeAt(o + 1) === SPACE);
  }

  private blockMap(first: number, col: number): YMap {
    const pairs: YPair[] = [];
    const seen = new Set<string>();
    let o = first;
    for (;;) {
      const end = this.keyEnd(o)!;
      const key = this.scalarAt(o, end.keyEnd);
      if (this.depth === 1) this.top = key.value;
      const value = this.valueAfter(end.colon + 1, col, false);
      addPair(pairs, seen, key, value, this.file, this.problems);
      if (this.depth === 2 && this.onEntry) this.onEntry(this.top, pairs[pairs.length - 1]!);
      this.skipBlank();
      if (this.pos >= this.text.length) break;
      const ind = this.indent();
      if (ind < col) break;
      if (ind > col) giveUp();
      o = this.pos + ind;
      if (this.keyEnd(o) === undefined) giveUp();
    }
    const last = pairs[pairs.length - 1]!;
    return mapNode(first, last.span.offset + last.span.length - first, fit(pairs));
  }

  private blockSeq(first: number, col: number): YSeq {
    const items: YNode[] = [];
    let o = first;
    for (;;) {
      items.push(this.valueAfter(o + 1, col, true));
      this.skipBlank();
      if (this.pos >= this.text.length) break;
      const ind = this.indent();
      if (ind > col) giveUp();
      if (ind < col || !this.isSeqIndicator(this.pos + ind)) break;
      o = this.pos + ind;
    }
    const last = items[items.length - 1]!;
    return seqNode(first, last.span.offset + last.span.length - first, fit(items));
  }

  /**
   * The value after a `key:` or a `-` at offset `after` (just past the indicator). `col` is the
   * column of the key or dash. Leaves pos at the start of the line after the value.
   */
  private valueAfter(after: number, col: number, inSeq: boolean): YNode {
    const o = this.skipSpaces(after);
    if (this.isEol(o) || this.text[o] === '#') {
      this.pos = o;
      this.nextLine();
      this.skipBlank();
      if (this.pos < this.text.length) {
        const ind = this.indent();
        if (ind > col) return this.blockNode(col);
        if (ind === col && !inSeq && this.isSeqIndicator(this.pos + ind)) {
          if (++this.depth > MAX_NESTING) giveUp();
          const seq = this.blockSeq(this.pos + ind, col);
          this.depth--;
          return seq;
        }
      }
      return emptyScalar(o);
    }
    const c = this.text[o];
    if (c === '|' || c === '>') return this.blockScalar(o, col);
    if (inSeq && (this.isSeqIndicator(o) || this.keyEnd(o) !== undefined)) return this.nodeAt(o, col);
    if (this.isSeqIndicator(o) || this.keyEnd(o) !== undefined) giveUp();
    return this.inlineValue(o, col);
  }

  /** A scalar or flow collection that ends on its line; the next content line must not continue it. */
  private inlineValue(o: number, parent: number): YNode {
    const c = this.text[o];
    let node: YNode;
    let end: number;
    if (c === '[' || c === '{') {
      const flow = new FlowReader(this.text, this.file, this.problems, parent, this.depth);
      node = flow.node(o);
      end = flow.pos;
    } else {
      const s = this.blockScalarValue(o);
      node = s;
      end = s.span.offset + s.span.length;
    }
    if (!this.restIsBlank(end)) giveUp();
    this.pos = end;
    this.nextLine();
    // A more indented line after a complete value would be a continuation or an error.
    const save = this.pos;
    this.skipBlank();
    if (this.pos < this.text.length && this.indent() > parent) giveUp();
    this.pos = save;
    return node;
  }

  /** A plain or quoted scalar in block context, on one line. */
  private blockScalarValue(o: number): YScalar {
    const c = this.text[o]!;
    if (c === "'" || c === '"') return quoted(this.text, o);
    if (!canStartPlain(this.text, o)) giveUp();
    const lineEnd = this.lineEnd(o);
    let end = o;
    for (let i = o; i < lineEnd; i++) {
      const ch = this.text.charCodeAt(i);
      if (ch === 35 /* # */ && this.text.charCodeAt(i - 1) === SPACE) break;
      if (ch === 58 /* : */ && (i + 1 === lineEnd || this.text.charCodeAt(i + 1) === SPACE)) giveUp();
      if (ch !== SPACE) end = i + 1;
    }
    return this.scalarAt(o, end);
  }

  /**
   * If a block mapping key starts at o (plain or quoted, then `:` and a space or the line end),
   * where the key text ends and where its colon is.
   */
  private keyEnd(o: number): { keyEnd: number; colon: number } | undefined {
    const c = this.text[o];
    if (c === undefined) return undefined;
    if (c === "'" || c === '"') {
      const close = quotedEnd(this.text, o);
      if (close === undefined) return undefined;
      const colon = this.skipSpaces(close);
      return this.text[colon] === ':' && (this.isEol(colon + 1) || this.text.charCodeAt(colon + 1) === SPACE) ? { keyEnd: close, colon } : undefined;
    }
    if (!canStartPlain(this.text, o)) return undefined;
    const lineEnd = this.lineEnd(o);
    let end = o;
    for (let i = o; i < lineEnd; i++) {
      const ch = this.text.charCodeAt(i);
      if (ch === 35 /* # */ && this.text.charCodeAt(i - 1) === SPACE) return undefined;
      if (ch === 58 /* : */ && (i + 1 === lineEnd || this.text.charCodeAt(i + 1) === SPACE)) {
        if (end - o > 1000) giveUp(); // implicit keys are limited to 1024 characters
        return { keyEnd: end, colon: i };
      }
      if (ch !== SPACE) end = i + 1;
    }
    return undefined;
  }

  /** The scalar at [o, end): quoted if it starts with a quote, else plain and resolved. */
  private scalarAt(o: number, end: number): YScalar {
    const c = this.text[o];
    if (c === "'" || c === '"') return quoted(this.text, o);
    return plain(this.text.slice(o, end), o);
  }

  /** `|` or `>` with optional chomping; content lines indented more than `col`. */
  private blockScalar(o: number, col: number): YScalar {
    const style = this.text[o]!;
    let h = o + 1;
    let chomp: '' | '-' | '+' = '';
    if (this.text[h] === '-' || this.text[h] === '+') chomp = this.text[h++] as '-' | '+';
    if (!this.restIsBlank(h) || (!this.isEol(h) && this.text.charCodeAt(h) !== SPACE)) giveUp();
    this.pos = h;
    this.nextLine();
    const lines: string[] = [];
    let contentIndent = -1;
    let end = h;
    let trailing = 0; // empty lines after the last content line
    let widestEmpty = 0; // spaces on whitespace-only lines: past the content indent they are content
    while (this.pos < this.text.length) {
      const ind = this.indent();
      const lineEnd = this.lineEnd(this.pos);
      const empty = this.pos + ind >= lineEnd;
      if (empty) {
        widestEmpty = Math.max(widestEmpty, ind);
        if (contentIndent >= 0) trailing++;
        else lines.push('');
        this.nextLine();
        continue;
      }
      if (contentIndent < 0) {
        if (ind <= col) break;
        contentIndent = ind;
      }
      if (ind < contentIndent) break;
      for (let t = 0; t < trailing; t++) lines.push('');
      trailing = 0;
      lines.push(this.text.slice(this.pos + contentIndent, lineEnd));
      this.nextLine();
      end = this.pos; // like the package: the span takes the last line's break
    }
    if (contentIndent < 0 || widestEmpty > contentIndent) giveUp(); // leave the subtle cases to the package
    let body: string;
    if (style === '|') body = lines.join('\n');
    else {
      if (lines.some((l) => l.startsWith(' '))) giveUp(); // more-indented lines fold differently
      body = fold(lines);
    }
    // The package ends the last line with a break even at the end of the file.
    const value = chomp === '-' ? body : chomp === '+' ? body + '\n'.repeat(1 + trailing) : body + '\n';
    return scalarNode(o, end - o, value, true);
  }
}

/** Flow collections `{ a: 1, b: [x, y] }`, possibly over several lines. */
class FlowReader {
  pos = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly problems: Problem[],
    /** Continuation lines must be indented more than this. */
    private readonly blockIndent: number,
    private depth: number,
  ) {}

  node(o: number): YNode {
    this.pos = o;
    return this.value();
  }

  /** Skips spaces, line breaks and comments; checks the indentation of continuation lines. */
  private skip(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === SPACE) this.pos++;
      else if (c === CR || c === NL) {
        this.pos = this.text.indexOf('\n', this.pos) + 1 || this.text.length;
        let ind = 0;
        while (this.text.charCodeAt(this.pos + ind) === SPACE) ind++;
        const next = this.text.charCodeAt(this.pos + ind);
        const blank = next === NL || next === CR || next === 35 || this.pos + ind >= this.text.length;
        const closing = next === 93 /* ] */ || next === 125; /* } */
        if (!blank && (closing ? ind < this.blockIndent : ind <= this.blockIndent)) giveUp();
      } else if (c === 35 /* # */ && (this.text.charCodeAt(this.pos - 1) === SPACE || this.text.charCodeAt(this.pos - 1) === NL)) {
        const nl = this.text.indexOf('\n', this.pos);
        this.pos = nl < 0 ? this.text.length : nl;
        if (this.text.charCodeAt(this.pos - 1) === CR) this.pos--;
      } else return;
    }
  }

  private value(): YNode {
    this.skip();
    const c = this.text[this.pos];
    if (c === '{' || c === '[') {
      if (++this.depth > MAX_NESTING) giveUp();
      const node = c === '{' ? this.map() : this.seq();
      this.depth--;
      return node;
    }
    return this.scalar();
  }

  private map(): YMap {
    const start = this.pos++;
    const pairs: YPair[] = [];
    const seen = new Set<string>();
    for (;;) {
      this.skip();
      if (this.text[this.pos] === '}') break;
      const key = this.scalar();
      this.skip();
      if (this.text[this.pos] !== ':') giveUp();
      this.pos++;
      const afterColon = this.pos;
      let at = afterColon;
      while (this.text.charCodeAt(at) === SPACE) at++;
      let value: YNode;
      const next = this.text[at];
      if (next === ',' || next === '}') {
        value = emptyScalar(at);
        this.pos = at;
      } else {
        if (!(this.text.charCodeAt(afterColon) === SPACE || this.isBreak(afterColon))) giveUp();
        value = this.value();
      }
      addPair(pairs, seen, key, value, this.file, this.problems);
      this.skip();
      const sep = this.text[this.pos];
      if (sep === ',') this.pos++;
      else if (sep !== '}') giveUp();
    }
    this.pos++;
    return mapNode(start, this.pos - start, fit(pairs));
  }

  private seq(): YSeq {
    const start = this.pos++;
    const items: YNode[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.pos] === ']') break;
      items.push(this.value());
      this.skip();
      const sep = this.text[this.pos];
      if (sep === ',') this.pos++;
      else if (sep !== ']') giveUp(); // includes `[a: 1]`, a mapping inside a sequence
    }
    this.pos++;
    return seqNode(start, this.pos - start, fit(items));
  }

  private isBreak(o: number): boolean {
    const c = this.text.charCodeAt(o);
    return c === NL || c === CR;
  }

  /** A quoted scalar, or a plain one ending at a flow indicator, `: `, ` #` or the line end. */
  private scalar(): YScalar {
    const o = this.pos;
    const c = this.text[o];
    if (c === undefined) giveUp();
    if (c === "'" || c === '"') {
      const s = quoted(this.text, o);
      this.pos = s.span.offset + s.span.length;
      return s;
    }
    if (!canStartPlain(this.text, o)) giveUp();
    let end = o;
    let i = o;
    for (; i < this.text.length; i++) {
      const ch = this.text[i]!;
      if (ch === ',' || ch === '[' || ch === ']' || ch === '{' || ch === '}' || ch === '\n' || ch === '\r') break;
      if (ch === ':') {
        const n = this.text[i + 1];
        if (n === ' ' || n === ',' || n === ']' || n === '}' || n === '\n' || n === '\r' || n === undefined) break;
        giveUp(); // `a:b` in flow: leave the subtleties to the package
      }
      if (ch === '#' && this.text[i - 1] === ' ') break;
      if (ch !== ' ') end = i + 1;
    }
    if (end === o) giveUp();
    this.pos = end;
    // A plain scalar continued on the next line is a multi-line scalar: not ours.
    if (this.isBreak(i)) {
      const save = this.pos;
      this.pos = i;
      this.skip();
      const n = this.text[this.pos];
      if (n !== ',' && n !== ']' && n !== '}' && n !== ':') giveUp();
      this.pos = save;
    }
    return plain(this.text.slice(o, end), o);
  }
}
