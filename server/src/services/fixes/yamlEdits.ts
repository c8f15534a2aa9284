import type { Span } from '../../language/span';
import { spanEnd } from '../../language/span';
import { lineStartAt } from '../../language/textLines';
import type { YMap, YNode, YPair, YSeq } from '../../language/yaml/tree';
import type { Edit } from '../types';

/**
 * Text edits on a spec's YAML that keep its layout: a key added to a mapping the way the mapping
 * is written (`{ …, key: v }` in flow style, a line of its own at the entries' indentation in
 * block style), an entry or list item removed with its comma or its lines. Offsets in, edits
 * out; nothing here parses again.
 */

/** The line break the file uses. */
export function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Written in flow style (`{ … }`, `[ … ]`). */
export function isFlow(text: string, node: YNode): boolean {
  const c = text[node.span.offset];
  return c === '{' || c === '[';
}

/** The pair whose key or value satisfies `test`, with the mapping holding it (depth-first, written order). */
export function findPair(root: YNode | null | undefined, test: (pair: YPair) => boolean): { pair: YPair; map: YMap } | undefined {
  const stack: YNode[] = root ? [root] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'map') {
      for (const p of n.pairs) if (test(p)) return { pair: p, map: n };
      for (let i = n.pairs.length - 1; i >= 0; i--) {
        const v = n.pairs[i]!.value;
        if (v && v.kind !== 'scalar') stack.push(v);
      }
    } else if (n.kind === 'seq') {
      for (let i = n.items.length - 1; i >= 0; i--) if (n.items[i]!.kind !== 'scalar') stack.push(n.items[i]!);
    }
  }
  return undefined;
}

export const sameSpan = (a: Span, b: Span): boolean => a.offset === b.offset && a.length === b.length;

/** The pair whose key is written at `span`. */
export function pairWithKey(root: YNode | null | undefined, span: Span): { pair: YPair; map: YMap } | undefined {
  return findPair(root, (p) => sameSpan(p.key.span, span));
}

/** The pair whose value is written at `span`. */
export function pairWithValue(root: YNode | null | undefined, span: Span): { pair: YPair; map: YMap } | undefined {
  return findPair(root, (p) => !!p.value && sameSpan(p.value.span, span));
}

/** The sequence holding an item written at `span`, and the item's index. */
export function seqWithItem(root: YNode | null | undefined, span: Span): { seq: YSeq; index: number } | undefined {
  const stack: YNode[] = root ? [root] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'seq') {
      const index = n.items.findIndex((i) => sameSpan(i.span, span));
      if (index >= 0) return { seq: n, index };
      for (const i of n.items) if (i.kind !== 'scalar') stack.push(i);
    } else if (n.kind === 'map') {
      for (const p of n.pairs) if (p.value && p.value.kind !== 'scalar') stack.push(p.value);
    }
  }
  return undefined;
}

/** The span without the line breaks and spaces it ends with (a block scalar's final newline). */
export function trimmed(text: string, span: Span): Span {
  let end = spanEnd(span);
  while (end > span.offset && /\s/.test(text[end - 1]!)) end--;
  return { offset: span.offset, length: end - span.offset };
}

export function replace(file: string, span: Span, newText: string): Edit {
  return { file, span: { offset: span.offset, length: span.length }, newText };
}

export function insert(file: string, offset: number, newText: string): Edit {
  return { file, span: { offset, length: 0 }, newText };
}

/** The start of the line after the one holding `end - 1`; at the end of a text without a final newline, `prefix` asks for one. */
export function afterLine(text: string, end: number): { offset: number; prefix: boolean } {
  if (end > 0 && text[end - 1] === '\n') return { offset: end, prefix: false };
  const nl = text.indexOf('\n', end);
  return nl < 0 ? { offset: text.length, prefix: true } : { offset: nl + 1, prefix: false };
}

/** Only spaces before `offset` on its line: the node starts its line. */
function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStartAt(text, offset), offset));
}

/** The column of an offset (its distance from the line start). */
export function columnOf(text: string, offset: number): number {
  return offset - lineStartAt(text, offset);
}

/** Removes an entry of a mapping: its lines in block style, the entry and one comma in flow style; `{}` when it is the only one. */
export function removePair(text: string, file: string, map: YMap, pair: YPair): Edit {
  const i = map.pairs.indexOf(pair);
  if (map.pairs.length === 1) return replace(file, trimmed(text, map.span), '{}');
  if (isFlow(text, map)) {
    if (i > 0) {
      const from = spanEnd(map.pairs[i - 1]!.span);
      return replace(file, { offset: from, length: spanEnd(pair.span) - from }, '');
    }
    const next = map.pairs[1]!.span.offset;
    return replace(file, { offset: pair.span.offset, length: next - pair.span.offset }, '');
  }
  if (!startsLine(text, pair.key.span.offset)) {
    // the first entry of a list item (`- from: …`): the next entry moves up in its place
    const next = map.pairs[i + 1];
    if (next) return replace(file, { offset: pair.span.offset, length: next.span.offset - pair.span.offset }, '');
    const prev = map.pairs[i - 1]!;
    const from = afterLine(text, spanEnd(prev.span)).offset;
    const to = afterLine(text, spanEnd(pair.span)).offset;
    return replace(file, { offset: from, length: Math.max(0, to - from) }, '');
  }
  const from = lineStartAt(text, pair.key.span.offset);
  const to = afterLine(text, spanEnd(pair.span));
  if (to.prefix && from > 0) {
    // the last line of a file without a final newline: take the line break before it instead
    const start = text[from - 2] === '\r' ? from - 2 : from - 1;
    return replace(file, { offset: start, length: text.length - start }, '');
  }
  return replace(file, { offset: from, length: to.offset - from }, '');
}

/** Adds `key: value` to a mapping, after its last entry, the way the mapping is written. */
export function addPair(text: string, file: string, map: YMap, key: string, value: string): Edit {
  const entry = `${key}: ${value}`;
  const last = map.pairs[map.pairs.length - 1];
  if (isFlow(text, map)) {
    if (!last) return replace(file, map.span, `{ ${entry} }`);
    return insert(file, spanEnd(last.span), `, ${entry}`);
  }
  if (!last) return replace(file, trimmed(text, map.span), `{ ${entry} }`);
  const indent = ' '.repeat(columnOf(text, map.pairs[0]!.key.span.offset));
  const at = afterLine(text, spanEnd(last.span));
  const nl = eol(text);
  return insert(file, at.offset, `${at.prefix ? nl : ''}${indent}${entry}${at.prefix ? '' : nl}`);
}

/** Sets `key: value` in a mapping: replaces the value when the key is there, else adds the entry. */
export function setPair(text: string, file: string, map: YMap, key: string, value: string): Edit {
  const pair = map.pairs.find((p) => p.key.value === key);
  if (!pair) return addPair(text, file, map, key, value);
  if (pair.value) return replace(file, pair.value.span, value);
  const colon = text.indexOf(':', spanEnd(pair.key.span));
  return insert(file, colon + 1, ` ${value}`);
}

/** Removes an item of a list: its line in block style, the item and one comma in flow style; `[]` when it is the only one. */
export function removeItem(text: string, file: string, seq: YSeq, index: number): Edit {
  const item = seq.items[index]!;
  if (seq.items.length === 1) return replace(file, trimmed(text, seq.span), '[]');
  if (isFlow(text, seq)) {
    if (index > 0) {
      const from = spanEnd(seq.items[index - 1]!.span);
      return replace(file, { offset: from, length: spanEnd(item.span) - from }, '');
    }
    const next = seq.items[1]!.span.offset;
    return replace(file, { offset: item.span.offset, length: next - item.span.offset }, '');
  }
  const from = lineStartAt(text, item.span.offset);
  const to = afterLine(text, spanEnd(item.span));
  if (!/^[ \t]*-[ \t]+$/.test(text.slice(from, item.span.offset))) {
    // `key: - item` or the like: remove the item alone
    return replace(file, item.span, '');
  }
  if (to.prefix && from > 0) {
    const start = text[from - 2] === '\r' ? from - 2 : from - 1;
    return replace(file, { offset: start, length: text.length - start }, '');
  }
  return replace(file, { offset: from, length: to.offset - from }, '');
}

/** Appends an item to a list, the way the list is written. */
export function appendItem(text: string, file: string, seq: YSeq, item: string): Edit | undefined {
  const last = seq.items[seq.items.length - 1];
  if (isFlow(text, seq)) {
    if (!last) return replace(file, seq.span, `[${item}]`);
    return insert(file, spanEnd(last.span), `, ${item}`);
  }
  if (!last) return undefined;
  const firstItem = seq.items[0]!;
  const prefix = text.slice(lineStartAt(text, firstItem.span.offset), firstItem.span.offset);
  if (!/^[ \t]*-[ \t]+$/.test(prefix)) return undefined;
  const at = afterLine(text, spanEnd(last.span));
  const nl = eol(text);
  return insert(file, at.offset, `${at.prefix ? nl : ''}${prefix}${item}${at.prefix ? '' : nl}`);
}

/** A plain YAML scalar that reads back as the same string, in block or flow style; else single-quoted. */
export function yamlString(s: string): string {
  const plain = /^[\p{L}\p{N}_.\/][\p{L}\p{N}_ .\/\-+%]*$/u.test(s) && !s.endsWith(' ') && !/^(true|false|null|~|yes|no|on|off)$/i.test(s) && !/^[-+]?[\d.]+(e[-+]?\d+)?$/i.test(s);
  return plain ? s : `'${s.replace(/'/g, "''")}'`;
}
