import type { Formula } from '../language/model';
import { scalarOffsets } from '../language/yaml/scalarOffsets';
import { lineEndAt, lineStartAt, prevLineStart } from '../language/textLines';
import type { Snapshot } from './snapshot';

/**
 * Where the cursor is in the YAML, read from the text rather than from the parsed tree: while a
 * line is being typed the YAML is often broken (`    fo` without a colon, an unclosed quote that
 * swallows the next lines), and a blank line belongs to no node at all. Block structure comes
 * from indentation (each line's key and `- ` columns, walking up), flow collections and quotes
 * from scanning the value text up to the cursor.
 */
export interface YamlCursor {
  /**
   * For 'key': the path of the mapping a key is being typed into. For 'value': the path of the
   * value being typed (its last element is its key, or its index in a list).
   */
  path: (string | number)[];
  role: 'key' | 'value';
  /** Document offset where the key or scalar being typed starts (after an opening quote). */
  start: number;
  quote?: '"' | "'";
  /** Inside a flow collection (`{ … }` / `[ … ]`). */
  flow: boolean;
  /** A block scalar (`|`, `>`): the value starts on the line after its header. */
  block?: boolean;
  /** The cursor stands right after `key:` with no space: a value needs one before it. */
  needsSpace?: boolean;
  /** A blank line under a list's key: a new item needs `- ` first. */
  needsDash?: boolean;
  /** On an existing key followed by `:`: the end of that key (a completion replaces the whole key). */
  keyEnd?: number;
}

type Path = (string | number)[];

interface LineShape {
  start: number;
  text: string;
  blank: boolean;
  indent: number;
  /** Columns of the `- ` indicators. */
  dashes: number[];
  /** Column after the dashes. */
  content: number;
  key?: string;
  keyCol?: number;
  /** Column of the first character of the value after `key:` (or of the content when there is no key); -1 if none. */
  restCol: number;
  /** The value text after `key:` (or the content), without a comment, trimmed. */
  rest: string;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t';
const isBreak = (c: string | undefined) => c === '\n' || c === '\r';

function lineAt(text: string, start: number): string {
  return text.slice(start, lineEndAt(text, start));
}

/** The end of a quoted scalar starting at i (index after the closing quote), or -1 when it does not close before `limit`. */
function quoteEnd(text: string, i: number, limit: number): number {
  const q = text[i];
  for (let j = i + 1; j < limit; j++) {
    const c = text[j];
    if (q === '"' && c === '\\') j++;
    else if (c === q) {
      if (q === "'" && text[j + 1] === "'") j++;
      else return j + 1;
    }
  }
  return -1;
}

/** The index of the `:` that ends a block key starting at `from`, or -1. */
function keyColon(line: string, from: number): number {
  const c = line[from];
  if (c === undefined || '{[|>#&*!%@`,]}'.includes(c)) return -1;
  let j = from;
  if (c === '"' || c === "'") {
    j = quoteEnd(line, from, line.length);
    if (j < 0) return -1;
    while (isSpace(line[j])) j++;
    return line[j] === ':' && (j + 1 === line.length || isSpace(line[j + 1])) ? j : -1;
  }
  for (; j < line.length; j++) {
    if (line[j] === ':' && (j + 1 === line.length || isSpace(line[j + 1]))) return j;
    if (isSpace(line[j]) && line[j + 1] === '#') return -1;
  }
  return -1;
}

function unquoteKey(raw: string): string {
  const k = raw.trim();
  if (k.length >= 2 && (k[0] === '"' || k[0] === "'") && k[k.length - 1] === k[0]) return k.slice(1, -1);
  return k;
}

/** The text up to a comment (`#` after a space, outside quotes). */
function withoutComment(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if ((c === '"' || c === "'") && (i === 0 || /[\s,[{:]/.test(s[i - 1]!))) {
      const e = quoteEnd(s, i, s.length);
      if (e < 0) return s;
      i = e - 1;
    } else if (c === '#' && (i === 0 || isSpace(s[i - 1]))) return s.slice(0, i);
  }
  return s;
}

function shapeOf(text: string, start: number): LineShape {
  const line = lineAt(text, start);
  let i = 0;
  while (line[i] === ' ') i++;
  const indent = i;
  const first = line[i];
  const blank = first === undefined || first === '#' || first === '\t' || ((line.startsWith('---') || line.startsWith('...')) && indent === 0);
  const dashes: number[] = [];
  while (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ')) {
    dashes.push(i);
    i++;
    while (line[i] === ' ') i++;
  }
  const content = i;
  const shape: LineShape = { start, text: line, blank, indent, dashes, content, restCol: -1, rest: '' };
  if (blank) return shape;
  const colon = keyColon(line, content);
  let restFrom = content;
  if (colon >= 0) {
    shape.key = unquoteKey(line.slice(content, colon));
    shape.keyCol = content;
    restFrom = colon + 1;
  }
  while (isSpace(line[restFrom])) restFrom++;
  shape.rest = withoutComment(line.slice(restFrom)).trim();
  if (shape.rest) shape.restCol = restFrom;
  return shape;
}

/** A value that does not open a nested block: anything but an empty value, an anchor or a tag. */
function hasInlineValue(rest: string): boolean {
  return rest !== '' && !/^[&!]\S*$/.test(rest);
}

type Found = { path: Path; index: number } | { anchor: LineShape; col: number; path: Path };

/**
 * The block collection holding an entry (a key, or a `- ` item when `dash`) that starts at
 * column `col` of the line starting at `lineStart`: its path and, for an item, its index. Or,
 * when the line continues a value begun above (a multi-line flow collection or scalar), the
 * line where that value starts.
 */
function containerOf(text: string, lineStart: number, col: number, dash: boolean, depth = 0): Found {
  let index = 0;
  if (depth > 100) return { path: [], index };
  for (let at = prevLineStart(text, lineStart); at >= 0; at = prevLineStart(text, at)) {
    // Most lines above are deeper or siblings: skip them on their indentation alone.
    let k = at;
    while (text[k] === ' ') k++;
    const first = text[k];
    if (first === undefined || first === '\n' || first === '\r' || first === '#' || first === '\t') continue;
    if (k - at > col || (k - at === col && !dash)) continue;
    const s = shapeOf(text, at);
    if (s.blank || s.indent > col) continue;
    if (s.indent === col) {
      if (dash && s.dashes[0] === col) index++;
      else if (dash && !s.dashes.length && s.key !== undefined && !hasInlineValue(s.rest)) return withKey(text, s, depth, index);
      continue;
    }
    // This line holds the entry: find the innermost of its nodes that starts left of `col`.
    if (s.key !== undefined && s.keyCol! < col) {
      if (hasInlineValue(s.rest)) return { anchor: s, col: s.restCol, path: [...mapPathOf(text, s, depth), s.key] };
      return withKey(text, s, depth, index);
    }
    if (s.key !== undefined && s.keyCol === col && !dash) {
      const p = itemPathOf(text, s, s.dashes.length - 1, depth);
      return 'anchor' in p ? p : { path: p.path, index };
    }
    if (s.key === undefined && s.rest && s.restCol < col) {
      if (s.dashes.length) {
        const p = itemPathOf(text, s, s.dashes.length - 1, depth);
        return 'anchor' in p ? p : { anchor: s, col: s.restCol, path: p.path };
      }
      // A bare continuation line: the value it continues began further up.
      return containerOf(text, at, s.indent, false, depth + 1);
    }
    for (let d = s.dashes.length - 1; d >= 0; d--) {
      if (s.dashes[d]! < col) {
        const p = itemPathOf(text, s, d, depth);
        return 'anchor' in p ? p : { path: p.path, index };
      }
    }
    return { path: [], index };
  }
  return { path: [], index };
}

/** The path of the value of the key on line s (a block collection below it). */
function withKey(text: string, s: LineShape, depth: number, index: number): Found {
  return { path: [...mapPathOf(text, s, depth), s.key!], index };
}

/** The path of the mapping that holds the key on line s. */
function mapPathOf(text: string, s: LineShape, depth: number): Path {
  if (s.dashes.length) {
    const p = itemPathOf(text, s, s.dashes.length - 1, depth);
    return p.path;
  }
  const found = containerOf(text, s.start, s.keyCol!, false, depth + 1);
  return found.path;
}

/** The path of the item opened by the d-th dash on line s. */
function itemPathOf(text: string, s: LineShape, d: number, depth: number): Found {
  if (d < 0) return containerOf(text, s.start, s.content, false, depth + 1);
  if (d === 0) {
    const found = containerOf(text, s.start, s.dashes[0]!, true, depth + 1);
    if ('anchor' in found) return found;
    return { path: [...found.path, found.index], index: found.index };
  }
  const outer = itemPathOf(text, s, d - 1, depth);
  if ('anchor' in outer) return outer;
  return { path: [...outer.path, 0], index: 0 };
}

interface FlowFrame {
  kind: 'map' | 'seq';
  seg?: string | number;
  key?: string;
  expect: 'key' | 'value';
  index: number;
}

/**
 * Scans a value from `from` (the first character after `key:` or `- `, or where a multi-line
 * value began) to the cursor, through flow collections and quotes.
 */
function scanValue(text: string, from: number, to: number, base: Path): YamlCursor | undefined {
  let i = from;
  while (i < to && (isSpace(text[i]) || (isBreak(text[i]) && i > from))) i++;
  if (i >= to) {
    const cur: YamlCursor = { path: base, role: 'value', start: to, flow: false };
    if (to === from && text[from - 1] === ':') cur.needsSpace = true;
    return cur;
  }
  const c = text[i]!;
  if (c === '"' || c === "'") {
    if (quoteEnd(text, i, to) >= 0) return undefined; // the cursor is past a finished quoted value
    return { path: base, role: 'value', start: i + 1, quote: c, flow: false };
  }
  if (c === '|' || c === '>') {
    const nl = text.indexOf('\n', i);
    if (nl < 0 || nl >= to) return undefined; // on the block scalar's header line
    return { path: base, role: 'value', start: nl + 1, flow: false, block: true };
  }
  if (c === '#' || c === '&' || c === '*' || c === '!') return undefined;
  if (c === '{' || c === '[') return scanFlow(text, i, to, base);
  // A plain scalar: the cursor must not be in a comment after it.
  for (let j = i; j < to; j++) if (text[j] === '#' && (isSpace(text[j - 1]) || isBreak(text[j - 1]))) return undefined;
  return { path: base, role: 'value', start: i, flow: false };
}

function scanFlow(text: string, from: number, to: number, base: Path): YamlCursor | undefined {
  const stack: FlowFrame[] = [];
  let tokenStart = -1;
  let tokenClosed = false;
  const push = (kind: 'map' | 'seq') => {
    const parent = stack[stack.length - 1];
    const frame: FlowFrame = { kind, expect: kind === 'map' ? 'key' : 'value', index: 0 };
    if (parent) frame.seg = parent.kind === 'map' ? parent.key ?? '' : parent.index;
    stack.push(frame);
  };
  const pathOf = (): Path => [...base, ...stack.flatMap((f) => (f.seg === undefined ? [] : [f.seg]))];
  for (let j = from; j < to; j++) {
    const c = text[j]!;
    const top = stack[stack.length - 1];
    if (!top && j > from) return undefined; // the collection closed before the cursor
    if (c === '"' || c === "'") {
      if (tokenStart >= 0 && !tokenClosed) continue; // a quote inside a plain scalar is just a character
      const e = quoteEnd(text, j, to);
      if (e < 0) {
        if (!top) return undefined;
        const start = j + 1;
        if (top.kind === 'map' && top.expect === 'key') return { path: pathOf(), role: 'key', start, quote: c, flow: true };
        return { path: [...pathOf(), top.kind === 'map' ? top.key ?? '' : top.index], role: 'value', start, quote: c, flow: true };
      }
      tokenStart = j;
      tokenClosed = true;
      j = e - 1;
      continue;
    }
    if (c === '#' && (isSpace(text[j - 1]) || isBreak(text[j - 1]))) {
      const nl = text.indexOf('\n', j);
      if (nl < 0 || nl >= to) return undefined;
      j = nl;
      continue;
    }
    if (c === '{' || c === '[') {
      push(c === '{' ? 'map' : 'seq');
      tokenStart = -1;
      tokenClosed = false;
      continue;
    }
    if (c === '}' || c === ']') {
      stack.pop();
      tokenStart = j;
      tokenClosed = true; // a finished collection is a finished value
      if (!stack.length) return undefined;
      continue;
    }
    if (!top) return undefined;
    if (c === ',') {
      if (top.kind === 'map') { top.expect = 'key'; delete top.key; } else top.index++;
      tokenStart = -1;
      tokenClosed = false;
      continue;
    }
    const next = text[j + 1];
    if (c === ':' && top.kind === 'map' && top.expect === 'key' && (j + 1 === to || next === undefined || isSpace(next) || isBreak(next) || next === ',' || next === '}' || next === ']')) {
      top.key = tokenStart >= 0 ? unquoteKey(text.slice(tokenStart, j)) : '';
      top.expect = 'value';
      tokenStart = -1;
      tokenClosed = false;
      continue;
    }
    if (isSpace(c) || isBreak(c)) continue;
    if (tokenStart < 0) tokenStart = j;
  }
  const top = stack[stack.length - 1];
  if (!top || tokenClosed) return undefined;
  const start = tokenStart >= 0 ? tokenStart : to;
  if (top.kind === 'map' && top.expect === 'key') {
    const cur: YamlCursor = { path: pathOf(), role: 'key', start, flow: true };
    const end = keyEndAfter(text, to);
    if (end !== undefined) cur.keyEnd = end;
    return cur;
  }
  const cur: YamlCursor = { path: [...pathOf(), top.kind === 'map' ? top.key ?? '' : top.index], role: 'value', start, flow: true };
  if (start === to && text[to - 1] === ':') cur.needsSpace = true;
  return cur;
}

/** When the cursor is inside or at the end of a key that a `:` follows: the key's end. */
function keyEndAfter(text: string, offset: number): number | undefined {
  let j = offset;
  while (j < text.length && /[\p{L}\p{N}_-]/u.test(text[j]!)) j++;
  let k = j;
  while (isSpace(text[k])) k++;
  if (text[k] !== ':') return undefined;
  const after = text[k + 1];
  return after === undefined || isSpace(after) || isBreak(after) || after === ',' || after === '}' ? j : undefined;
}

/** Where the cursor is in the YAML of `text`; undefined in a comment or where nothing can be typed. */
export function yamlCursor(text: string, offset: number): YamlCursor | undefined {
  const lineStart = lineStartAt(text, offset);
  const line = lineAt(text, lineStart);
  const col = offset - lineStart;
  if (col > line.length) return undefined;
  const before = line.slice(0, col);
  if (before.includes('\t')) return undefined;
  if (before.trim() === '') {
    if (line.slice(col).trim() !== '') return undefined; // in the indentation of a written line
    const found = containerOf(text, lineStart, col, false);
    if ('anchor' in found) return scanValue(text, found.anchor.start + found.col, offset, found.path);
    return { path: found.path, role: 'key', start: offset, flow: false };
  }
  const s = shapeOf(text, lineStart);
  if (s.indent === 0 && (line.startsWith('---') || line.startsWith('...'))) return undefined;
  // The part of the line's structure before the cursor: dashes, then a key.
  const dashes = s.dashes.filter((d) => d + 1 < col);
  const content = dashes.length ? s.content : s.indent;
  if (content > col) return undefined;
  if (text[lineStart + content] === '#') return undefined;
  if (line[content] === '-' && content + 1 === col) return undefined; // a `-` being typed
  const colon = keyColon(line, content);
  let mapPath: Path | undefined;
  let itemPath: Path | undefined;
  if (dashes.length) {
    const p = itemPathOf(text, { ...s, dashes }, dashes.length - 1, 0);
    if ('anchor' in p) return scanValue(text, p.anchor.start + p.col, offset, p.path);
    itemPath = p.path;
  }
  if (colon >= 0 && colon < col) {
    if (itemPath) mapPath = itemPath;
    else {
      const found = containerOf(text, lineStart, content, false);
      if ('anchor' in found) return scanValue(text, found.anchor.start + found.col, offset, found.path);
      mapPath = found.path;
    }
    return scanValue(text, lineStart + colon + 1, offset, [...mapPath, unquoteKey(line.slice(content, colon))]);
  }
  if (itemPath) return scanValue(text, lineStart + content, offset, itemPath);
  const found = containerOf(text, lineStart, content, false);
  if ('anchor' in found) return scanValue(text, found.anchor.start + found.col, offset, found.path);
  if (line[content] === '{' || line[content] === '[') return scanValue(text, lineStart + content, offset, found.path);
  if ('"\'|>&*!%@`'.includes(line[content]!)) return undefined;
  const cur: YamlCursor = { path: found.path, role: 'key', start: lineStart + content, flow: false };
  const end = keyEndAfter(text, offset);
  if (end !== undefined) cur.keyEnd = end;
  if (/\s/.test(before.slice(content))) return undefined; // past a scalar's first word: not a key
  return cur;
}

// ---- formulas -----------------------------------------------------------------------------

/** The formula the cursor is in and its text before the cursor. */
export interface FormulaCursor {
  /** A KPI formula, a metric's `where`, a source's derived column or a rollup's aggregate. */
  kind: 'kpi' | 'where' | 'derive' | 'aggregate';
  /** The KPI, metric or source whose formula it is. */
  owner: string;
  /** For `derive` and `aggregate`: the column the formula defines. */
  column?: string;
  /** The formula's text before the cursor (escapes resolved). */
  prefix: string;
}

/** Is the cursor inside the formula's value (between quotes, in a block scalar, or on or just after a plain one)? */
function inside(text: string, f: Formula, offset: number): boolean {
  const { offset: s, length } = f.span;
  const e = s + length;
  const first = text[s];
  if (first === '"' || first === "'") return offset > s && offset < e;
  if (first === '|' || first === '>') {
    const nl = text.indexOf('\n', s);
    return nl >= 0 && offset > nl && offset <= e;
  }
  if (offset < s) return false;
  if (offset <= e) return true;
  for (let i = e; i < offset; i++) if (!isSpace(text[i])) return false;
  return true;
}

/** The formula text before a document offset, through the scalar's offset mapping. */
function prefixOf(text: string, f: Formula, offset: number): string {
  const end = f.span.offset + f.span.length;
  if (offset > end && text[f.span.offset] !== '"' && text[f.span.offset] !== "'") return f.text + ' '.repeat(offset - end);
  const at = scalarOffsets(text, f.span, f.text);
  let i = 0;
  while (i < f.text.length && at(i) < offset) i++;
  return f.text.slice(0, i);
}

function unescape(raw: string, quote: '"' | "'" | undefined): string {
  if (quote === "'") return raw.replace(/''/g, "'");
  if (quote === '"') return raw.replace(/\\(["\\])/g, '$1');
  return raw;
}

/** Which formula (KPI formula, metric `where`, `derive` or `aggregate` entry) the cursor is in, from the model, else from the text. */
export function formulaCursor(snap: Snapshot, offset: number, cursor?: YamlCursor | null): FormulaCursor | undefined {
  for (const def of snap.spec.definitions) {
    if (def.kind === 'source') {
      for (const [kind, entries] of [['derive', def.derive], ['aggregate', def.aggregate]] as const) {
        for (const c of entries.values()) {
          if (inside(snap.text, c.formula, offset)) return { kind, owner: def.id, column: c.name, prefix: prefixOf(snap.text, c.formula, offset) };
        }
      }
      continue;
    }
    const f = def.kind === 'kpi' ? def.formula : def.kind === 'metric' ? def.where : undefined;
    if (!f || !inside(snap.text, f, offset)) continue;
    return { kind: def.kind === 'kpi' ? 'kpi' : 'where', owner: def.id, prefix: prefixOf(snap.text, f, offset) };
  }
  const cur = cursor === undefined ? yamlCursor(snap.text, offset) : cursor;
  if (!cur || cur.role !== 'value') return undefined;
  const kind = formulaKind(cur.path);
  if (!kind) return undefined;
  const out: FormulaCursor = { kind, owner: String(cur.path[1]), prefix: unescape(snap.text.slice(cur.start, offset), cur.quote) };
  if (kind === 'derive' || kind === 'aggregate') out.column = String(cur.path[3]);
  return out;
}

/** 'kpi' for `kpis.<id>.formula`, 'where' for `metrics.<id>.where`, 'derive' and 'aggregate' for `sources.<id>.derive.<name>` and `sources.<id>.aggregate.<name>`. */
export function formulaKind(path: readonly (string | number)[]): FormulaCursor['kind'] | undefined {
  if (path.length === 4 && path[0] === 'sources' && (path[2] === 'derive' || path[2] === 'aggregate') && typeof path[3] === 'string') return path[2];
  if (path.length !== 3) return undefined;
  if (path[0] === 'kpis' && path[2] === 'formula') return 'kpi';
  if (path[0] === 'metrics' && path[2] === 'where') return 'where';
  return undefined;
}
