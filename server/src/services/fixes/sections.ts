import { spanEnd } from '../../language/span';
import { lineStartAt } from '../../language/textLines';
import { getPair } from '../../language/yaml/tree';
import type { Snapshot } from '../snapshot';
import type { Edit } from '../types';
import { afterLine, eol } from './yamlEdits';

/**
 * Where and how a new `id: {...}` entry goes at the end of a top-level section (`metrics`,
 * `kpis`): in a flow-style section before its closing brace, in a block section as a line at
 * the entries' indentation, in an empty section as its first entry; without the section, a new
 * one before the section `before` names (or at the end of the file).
 */
export function sectionInsertion(snap: Snapshot, section: string, entry: string, before: string[]): Edit {
  const { text, file } = snap;
  const root = snap.spec.root;
  const nl = eol(text);
  const unit = indentUnit(snap);
  const pair = getPair(root, section);
  const value = pair?.value;
  if (pair && value?.kind === 'map' && text[value.span.offset] === '{') {
    // flow style: before the closing brace
    const close = text.lastIndexOf('}', spanEnd(value.span));
    const inner = text.slice(value.span.offset + 1, close);
    const sep = value.pairs.length ? (inner.trimEnd().endsWith(',') ? ' ' : ', ') : ' ';
    const at = value.span.offset + 1 + inner.trimEnd().length;
    return { file, span: { offset: at, length: 0 }, newText: `${sep}${entry}${at === close ? ' ' : ''}` };
  }
  if (pair && value?.kind === 'map' && value.pairs.length) {
    const first = value.pairs[0]!;
    const indent = ' '.repeat(first.key.span.offset - lineStartAt(text, first.key.span.offset));
    const last = value.pairs[value.pairs.length - 1]!;
    const at = afterLine(text, spanEnd(last.span));
    return { file, span: { offset: at.offset, length: 0 }, newText: `${at.prefix ? nl : ''}${indent}${entry}${nl}` };
  }
  if (pair && (value === null || (value?.kind === 'scalar' && value.value === null))) {
    const keyIndent = pair.key.span.offset - lineStartAt(text, pair.key.span.offset);
    const at = afterLine(text, spanEnd(pair.span));
    return { file, span: { offset: at.offset, length: 0 }, newText: `${at.prefix ? nl : ''}${' '.repeat(keyIndent + unit)}${entry}${nl}` };
  }
  // no usable section: a new one before the next section, or at the end of the file
  for (const name of before) {
    const next = getPair(root, name);
    if (!next) continue;
    const at = lineStartAt(text, next.key.span.offset);
    const col = next.key.span.offset - at;
    return { file, span: { offset: at, length: 0 }, newText: `${section}:${nl}${' '.repeat(col + unit)}${entry}${nl}${' '.repeat(col)}` };
  }
  const tail = text.length && !text.endsWith('\n') ? nl : '';
  return { file, span: { offset: text.length, length: 0 }, newText: `${tail}${section}:${nl}${' '.repeat(unit)}${entry}${nl}` };
}

/** How far the file indents section entries: the first entry of a block section, else 2. */
export function indentUnit(snap: Snapshot): number {
  for (const key of ['sources', 'metrics', 'kpis', 'goals']) {
    const pair = getPair(snap.spec.root, key);
    const v = pair?.value;
    if (v?.kind === 'map' && v.pairs.length && snap.text[v.span.offset] !== '{') {
      const first = v.pairs[0]!.key.span.offset;
      const keyCol = pair!.key.span.offset - lineStartAt(snap.text, pair!.key.span.offset);
      const n = first - lineStartAt(snap.text, first) - keyCol;
      if (n > 0) return n;
    }
  }
  return 2;
}
