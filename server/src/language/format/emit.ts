/**
 * Writes the layout tree in the canonical layout: two spaces per level, sequences two spaces
 * under their key, keys in canonical order, comments at the indentation of what they precede,
 * at most one blank line in a row, one blank line before each section, none right under a key.
 */
import { renderFlow } from './flow';
import type { BlockMap, BlockSeq, Entry, Item, Trivia, Value } from './layout';
import { isOrdered, ordered, SECTIONS } from './order';
import type { DocLayout } from './read';
import { indentOf, isBlank, trimEnd } from './trivia';

interface Line {
  text: string;
  /** A block scalar's content line: written as it is (trailing spaces are content). */
  keep?: boolean;
  /** A line of a value (a multi-line scalar): not a blank line between entries. */
  content?: boolean;
  /** The last line of a `|+` or `>+` scalar: a blank line after it would be its content. */
  keepsBlanks?: boolean;
}

const pad = (n: number) => ' '.repeat(n);

export interface EmitOptions {
  /** Whether keys may move (not when the document has anchors and aliases). */
  reorder: boolean;
}

export function emitDocument(doc: DocLayout, options: EmitOptions): string {
  const w = new Writer(options);
  w.trivia(doc.lead, 0);
  if (doc.root) w.root(doc.root);
  w.trivia(doc.tail, 0);
  return (doc.bom ? '\uFEFF' : '') + w.finish();
}

class Writer {
  private readonly lines: Line[] = [];

  constructor(private readonly options: EmitOptions) {}

  root(map: BlockMap): void {
    this.entries(map).forEach((e, i) => {
      let lead = withoutLeadingBlanks(e.lead);
      // One blank line before each section (its comments stay with it).
      if (i > 0 && e.name !== undefined && SECTIONS.has(e.name)) lead = [{ kind: 'blank' }, ...lead];
      this.trivia(lead, 0);
      this.entry(e, 0, '');
    });
    this.trivia(map.tail, 0);
  }

  /** A block mapping at `indent`; with `dash`, its first line starts with it (`- key: value`). */
  map(map: BlockMap, indent: number, dash?: string): void {
    this.entries(map).forEach((e, i) => {
      const lead = i === 0 ? withoutLeadingBlanks(e.lead) : e.lead;
      if (i === 0 && dash !== undefined) {
        this.trivia(lead, indent - 2);
        this.entry(e, indent, dash);
      } else {
        this.trivia(lead, indent);
        this.entry(e, indent, pad(indent));
      }
    });
    this.trivia(map.tail, indent);
  }

  seq(seq: BlockSeq, indent: number, dash?: string): void {
    seq.items.forEach((item, i) => {
      const lead = i === 0 ? withoutLeadingBlanks(item.lead) : item.lead;
      const first = i === 0 && dash !== undefined;
      this.trivia(lead, first ? indent - 2 : indent);
      this.item(item, indent, first ? dash : pad(indent));
    });
    this.trivia(seq.tail, indent);
  }

  trivia(list: Trivia[], indent: number): void {
    for (const t of list) {
      if (t.kind === 'blank') this.lines.push({ text: '' });
      else if (t.kind === 'comment') this.lines.push({ text: pad(indent) + t.text });
      else this.lines.push({ text: t.text });
    }
  }

  /** The entries in the order they are written, their gaps settled. */
  private entries(map: BlockMap): Entry[] {
    const list = this.order(map);
    return aligned(list);
  }

  private order(map: BlockMap): Entry[] {
    if (!this.options.reorder || !isOrdered(map.role)) return map.entries;
    const names = map.entries.map((e) => e.name);
    if (map.entries.some((e) => e.value.kind === 'raw' || e.name === undefined) || new Set(names).size !== names.length) return map.entries;
    return ordered(map.entries, map.role, false);
  }

  private entry(e: Entry, indent: number, prefix: string): void {
    const v = e.value;
    if (v.kind === 'raw') return this.text(prefix, v.lines, indent - e.col, '');
    const head = `${prefix}${e.key}:`;
    this.value(v, head, e.gap, e.eol, indent, indent - e.col);
  }

  private item(item: Item, indent: number, prefix: string): void {
    const v = item.value;
    if (v.kind === 'raw') return this.text(prefix, v.lines, indent - item.col, '');
    this.value(v, `${prefix}-`, item.gap, item.eol, indent, indent - item.col, true);
  }

  /** A value after its head (`key:` or `-`); `delta`: how far lines kept as written move. */
  private value(v: Value, head: string, gap: string, eol: string, indent: number, delta: number, inSeq = false): void {
    const sep = !isBlank(gap) ? gap : gap || ' ';
    switch (v.kind) {
      case 'empty':
        this.lines.push({ text: head + trimEnd(gap) + eol });
        return;
      case 'text':
        return this.text(head + sep, v.lines, delta, eol);
      case 'flow':
        this.lines.push({ text: head + sep + renderFlow(v.flow) + eol });
        return;
      case 'block-scalar':
        this.lines.push({ text: head + sep + v.header + eol });
        return this.blockScalar(v, indent, delta);
      case 'map':
        if (inSeq) return this.map(v.map, indent + 2, head + ' ');
        this.lines.push({ text: head + trimEnd(gap) + eol });
        return this.map(v.map, indent + 2);
      case 'seq':
        if (inSeq) return this.seq(v.seq, indent + 2, head + ' ');
        this.lines.push({ text: head + trimEnd(gap) + eol });
        return this.seq(v.seq, indent + 2);
      case 'raw':
        return this.text(head, v.lines, delta, eol);
    }
  }

  /** Lines kept as written: the first after `first`, the others moved by `delta`. */
  private text(first: string, lines: string[], delta: number, eol: string): void {
    lines.forEach((line, i) => {
      const last = i === lines.length - 1 ? eol : '';
      if (i === 0) this.lines.push({ text: first + line + last });
      else this.lines.push({ text: shift(line, delta) + last, content: true });
    });
  }

  /** Content lines two spaces under the key (or moved with it, when the header fixes their indentation). */
  private blockScalar(v: Extract<Value, { kind: 'block-scalar' }>, indent: number, delta: number): void {
    const first = v.lines.find((l) => !/^ *$/.test(l));
    const old = first === undefined ? 0 : leading(first);
    const by = v.indicator || first === undefined ? delta : indent + 2 - old;
    for (const line of v.lines) {
      if (/^ *$/.test(line)) {
        // Spaces past the content's indentation are content.
        this.lines.push({ text: line.length > old ? pad(Math.max(0, line.length + by)) : '', keep: true });
      } else this.lines.push({ text: pad(Math.max(0, leading(line) + by)) + line.slice(leading(line)), keep: true });
    }
    if (v.header.includes('+') && this.lines.length) this.lines[this.lines.length - 1]!.keepsBlanks = true;
  }

  finish(): string {
    const out: string[] = [];
    const blanks: boolean[] = [];
    let keepsBlanks = false;
    for (const line of this.lines) {
      const text = line.keep ? line.text : trimEnd(line.text);
      const isBlank = text === '' && !line.keep && !line.content;
      // At most one blank line in a row, none at the start, none after a scalar that would keep it.
      if (isBlank && (out.length === 0 || blanks[blanks.length - 1] || keepsBlanks)) continue;
      keepsBlanks = !!line.keepsBlanks;
      out.push(text);
      blanks.push(isBlank);
    }
    while (blanks.length && blanks[blanks.length - 1]) {
      out.pop();
      blanks.pop();
    }
    return out.length ? out.join('\n') + '\n' : '';
  }
}

/**
 * One space between `key:` and a value on its line, unless more spaces align the value with
 * the value of the entry written just above or below it: a column of one-line values stays a
 * column.
 */
function aligned(entries: Entry[]): Entry[] {
  const column = entries.map((e) => (INLINE.has(e.value.kind) && isBlank(e.gap) ? e.key.length + 1 + Math.max(1, e.gap.length) : undefined));
  return entries.map((e, i) => {
    const c = column[i];
    if (c === undefined || e.gap.length <= 1 || c === column[i - 1] || c === column[i + 1]) return e;
    return { ...e, gap: ' ' };
  });
}

const INLINE = new Set<Value['kind']>(['text', 'flow', 'block-scalar']);

const leading = indentOf;

function shift(line: string, delta: number): string {
  if (isBlank(line)) return '';
  const n = leading(line);
  return pad(Math.max(0, n + delta)) + line.slice(n);
}

function withoutLeadingBlanks(list: Trivia[]): Trivia[] {
  let i = 0;
  while (i < list.length && list[i]!.kind === 'blank') i++;
  return i ? list.slice(i) : list;
}
