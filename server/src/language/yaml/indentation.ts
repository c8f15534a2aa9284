import type { Span } from '../span';

/** A YAML error said as the indentation mistake it is, on the line that has it. */
export interface IndentationError {
  span: Span;
  message: string;
}

interface Line {
  start: number;
  indent: number;
  /** The text after the indentation, without a trailing comment or line break. */
  content: string;
}

/**
 * The yaml package reports a line indented too far under `key: value` as two errors on the line
 * above ("implicit keys need to be on a single line", "nested mappings are not allowed in compact
 * mappings"), and a line at no mapping's column as "all mapping items must start at the same
 * column". Both mean one thing to a spec author: this line's indentation is wrong. Said here at
 * that line, with the columns it could have. Undefined for any other error.
 */
export function indentationError(text: string, code: string, message: string, pos: readonly [number, number]): IndentationError | undefined {
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    const above = lineAt(text, pos[0]);
    const line = nextContentLine(text, above);
    if (!line || line.indent <= above.indent || !keyOf(above) || !keyOf(line)) return undefined;
    return tooDeep(line, above);
  }
  // BAD_INDENT also stands for a flow collection left open: that is not about this line.
  if (code !== 'BAD_INDENT' || !/all mapping items must start at the same column/i.test(message)) return undefined;
  const line = lineAt(text, pos[0]);
  const key = keyOf(line);
  if (!key || pos[0] > line.start + line.indent) return undefined;
  const above = previousContentLine(text, line);
  if (!above) return undefined;
  if (line.indent > above.indent && keyOf(above)) return tooDeep(line, above);
  // Too little for the mapping above, too much for the one around it: name the columns it could take.
  const levels: { indent: number; key: string }[] = [];
  for (let l: Line | undefined = above; l; l = previousContentLine(text, l)) {
    const k = keyOf(l);
    if (k && (!levels.length || l.indent < levels[levels.length - 1]!.indent)) levels.push({ indent: l.indent, key: k });
    if (l.indent === 0 || levels.length === 3) break;
  }
  const deeper = levels.filter((x) => x.indent > line.indent).pop();
  const shallower = levels.find((x) => x.indent < line.indent);
  const choices = [deeper, shallower].filter((x) => !!x).map((x) => `${spaces(x!.indent)} (as \`${x!.key}:\`)`);
  if (!choices.length) return undefined;
  return {
    span: keySpan(line, key),
    message: `\`${key}:\` is indented ${spaces(line.indent)}, where no mapping around it has its keys: indent it ${choices.join(' or ')}, whichever mapping it belongs to`,
  };
}

function tooDeep(line: Line, above: Line): IndentationError {
  const key = keyOf(line)!;
  const aboveKey = keyOf(above)!;
  const value = above.content.slice(above.content.indexOf(':') + 1).trim();
  return {
    span: keySpan(line, key),
    message: `\`${key}:\` is indented more than \`${aboveKey}:\` above it, which already has its value (${value ? `\`${value}\`` : 'on its line'}): indent \`${key}:\` ${spaces(above.indent)}, as \`${aboveKey}:\`, to make it a key of the same mapping`,
  };
}

function spaces(n: number): string {
  return `${n} space${n === 1 ? '' : 's'}`;
}

function keySpan(line: Line, key: string): Span {
  return { offset: line.start + line.indent, length: key.length };
}

/** The key a line starts with (`format` in `format: percent`, also after `- `), if any. */
function keyOf(line: Line): string | undefined {
  return line.content.match(/^(?:- )?([\p{L}\p{N}_][\p{L}\p{N}_.\-]*)[ \t]*:(?:[ \t]|$)/u)?.[1];
}

function lineAt(text: string, offset: number): Line {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return lineFrom(text, start);
}

function lineFrom(text: string, start: number): Line {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const raw = text.slice(start, end).replace(/\r$/, '');
  const indent = raw.length - raw.replace(/^ +/, '').length;
  const content = raw.slice(indent).replace(/(^|[ \t])#.*$/, '').trimEnd();
  return { start, indent, content };
}

function nextContentLine(text: string, line: Line): Line | undefined {
  for (let at = text.indexOf('\n', line.start); at >= 0 && at + 1 < text.length; at = text.indexOf('\n', at + 1)) {
    const next = lineFrom(text, at + 1);
    if (next.content) return next;
  }
  return undefined;
}

function previousContentLine(text: string, line: Line): Line | undefined {
  for (let end = line.start - 1; end > 0; ) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const prev = lineFrom(text, start);
    if (prev.content) return prev;
    end = start - 1;
  }
  return undefined;
}
