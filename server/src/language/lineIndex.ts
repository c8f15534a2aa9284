/** A line and a character in UTF-16 code units, both 0-based (the LSP convention). */
export interface Position {
  line: number;
  character: number;
}

/**
 * Maps offsets to lines and columns. Lines end at "\n", "\r\n" or a lone "\r".
 * JavaScript strings are UTF-16, so an offset difference is already a UTF-16 column:
 * a CJK character counts 1, an emoji (a surrogate pair) counts 2, as LSP expects.
 */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string, starts?: number[]) {
    this.starts = starts ?? scan(text, 0, text.length, [0]);
  }

  /**
   * The index of a text that differs from this one's only where old [at, oldEnd) became new
   * [at, newEnd): the lines before the change are kept, those after it moved, and only the
   * changed lines read again. Equal to `new LineIndex(text)`.
   */
  edited(text: string, at: number, oldEnd: number, newEnd: number): LineIndex {
    const delta = newEnd - oldEnd;
    // From the line before the change: a `\r` just before it may pair with what follows.
    const first = this.positionAt(Math.max(0, at - 1)).line;
    const starts = this.starts.slice(0, first + 1);
    // Read on until a line starts where the text around it is the old text again.
    let i = this.starts[first]!;
    let old = first + 1;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      let next = -1;
      if (c === 13) next = text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      else if (c === 10) next = i + 1;
      if (next < 0) {
        i++;
        continue;
      }
      if (next - 2 >= newEnd) {
        // Unchanged from here on: the old lines, moved.
        while (old < this.starts.length && this.starts[old]! < next - delta) old++;
        if (this.starts[old] !== next - delta) return new LineIndex(text); // not as assumed: read it all
        for (let k = old; k < this.starts.length; k++) starts.push(this.starts[k]! + delta);
        return new LineIndex(text, starts);
      }
      starts.push(next);
      i = next;
    }
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line]!;
    return Math.min(start + Math.max(0, pos.character), this.lineEnd(pos.line));
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  /** Offset of the end of a line's content, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1]!;
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

/** Appends to `starts` the start of every line after a break in text[from, to). */
function scan(text: string, from: number, to: number, starts: number[]): number[] {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}
