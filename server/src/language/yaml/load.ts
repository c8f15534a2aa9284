import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Parser, type Node as YamlNode } from 'yaml';
import type { Problem } from '../problem';
import type { Span } from '../span';
import { fastLoad } from './fast';
import { indentationError } from './indentation';
import { MAX_NESTING } from './resolve';
import { addPair, mapNode, scalarNode, seqNode, type LoadedYaml, type YMap, type YNode, type YPair, type YScalar, type YSeq } from './tree';

/** Aliases may expand the tree to at most this many times its written size (plus a constant). */
const ALIAS_EXPANSION_FACTOR = 10;
const ALIAS_EXPANSION_SLACK = 10_000;
const SMALL_ALIAS_TARGET = 100;

/**
 * Parses YAML text into a YNode tree. Never throws on input: syntax errors, duplicate keys,
 * excessive nesting and alias bombs become problems, and loading goes on after them.
 * The fast reader takes the plain YAML that specs are written in; anything else (and every
 * error, so that messages are the yaml package's) goes through the yaml package.
 */
export function loadYaml(text: string, file: string): LoadedYaml {
  return fastLoad(text, file) ?? loadYamlWithPackage(text, file);
}

/**
 * The yaml package's reading, converted to the YNode tree. Duplicate keys are found here in
 * linear time (the package's own check is quadratic).
 */
export function loadYamlWithPackage(text: string, file: string): LoadedYaml {
  const problems: Problem[] = [];
  const report = (rule: string, message: string, span: Span) =>
    problems.push({ rule, severity: 'error', message, file, span });

  const tooDeep = findExcessiveNesting(text);
  if (tooDeep !== undefined) {
    report('yaml-syntax', `nesting deeper than ${MAX_NESTING} levels; a spec never needs that`, { offset: tooDeep, length: 1 });
    return { root: null, problems };
  }

  const tokens = new Parser().parse(text);
  const docs = [...new Composer({ uniqueKeys: false, prettyErrors: false, merge: false }).compose(tokens, true, text.length)];
  const indentation = new Set<number>();
  for (const doc of docs) {
    for (const e of doc.errors) {
      const better = indentationError(text, e.code, e.message, e.pos);
      if (!better) report('yaml-syntax', explain(e.code, e.message), posSpan(e.pos, text));
      else if (!indentation.has(better.span.offset)) {
        indentation.add(better.span.offset); // one mistake, however many errors the parser makes of it
        report('yaml-syntax', better.message, better.span);
      }
    }
  }
  if (docs.length > 1) {
    const second = docs[1]!.range[0];
    report('yaml-syntax', 'a spec file holds one YAML document; remove the `---` and what follows, or split it into two files', { offset: second, length: 3 });
  }
  const doc = docs[0];
  if (!doc || !doc.contents) return { root: null, problems };

  const converter = new Converter(report, text);
  const root = converter.convert(doc.contents as YamlNode);
  if (converter.aliasBombAt) {
    report('yaml-alias-limit', 'aliases expand this file to more than ten times its size (an alias bomb); write the values out instead', converter.aliasBombAt);
  }
  return { root, problems };
}

class Converter {
  /** Anchor name → the node it names now (a later anchor of the same name replaces it, as in YAML). */
  private readonly anchored = new Map<string, YNode | null>();
  private readonly sizes = new Map<YNode, number>();
  private written = 0;
  private expanded = 0;
  aliasBombAt: Span | undefined;

  constructor(
    private readonly report: (rule: string, message: string, span: Span) => void,
    private readonly text: string,
  ) {}

  private depth = 0;

  convert(node: YamlNode | null | undefined): YNode | null {
    if (!node || this.depth > MAX_NESTING) return null;
    if (isAlias(node)) return this.alias(node);
    let result: YNode | null = null;
    this.depth++;
    if (isMap(node)) result = this.map(node);
    else if (isSeq(node)) result = this.seq(node);
    else if (isScalar(node)) result = this.scalar(node);
    this.depth--;
    if (result) {
      this.written++;
      this.expanded++;
    }
    if (node.anchor) this.anchored.set(node.anchor, result);
    return result;
  }

  private alias(node: YamlNode & { source: string; range?: [number, number, number] | null }): YNode | null {
    const span = rangeSpan(node.range, this.text);
    // The anchor's node was converted already (YAML anchors precede their aliases).
    const target = this.anchored.get(node.source) ?? null;
    if (!target) return null;
    const size = this.sizeOf(target);
    // Small targets cannot blow up: their cost is bounded by the number of aliases written.
    if (size <= SMALL_ALIAS_TARGET) return target;
    this.expanded += size;
    if (this.expanded > this.written * ALIAS_EXPANSION_FACTOR + ALIAS_EXPANSION_SLACK) {
      this.aliasBombAt ??= span;
      return null;
    }
    return target;
  }


  private sizeOf(node: YNode): number {
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    if (node.kind === 'map') for (const p of node.pairs) size += 1 + (p.value ? this.sizeOf(p.value) : 0);
    else if (node.kind === 'seq') for (const item of node.items) size += this.sizeOf(item);
    size = Math.min(size, Number.MAX_SAFE_INTEGER);
    this.sizes.set(node, size);
    return size;
  }

  private map(node: YamlNode & { items: unknown[] }): YMap {
    const pairs: YPair[] = [];
    const seen = new Set<string>();
    const problems = { push: (p: Problem) => this.report(p.rule, p.message, p.span) };
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const keyNode = item.key as YamlNode | null;
      const key = this.key(keyNode);
      if (!key) continue;
      const end = key.span.offset + key.span.length;
      const value = this.convert(item.value as YamlNode | null) ?? scalarNode(end, 0, null, false);
      addPair(pairs, seen, key, value, '', problems);
    }
    const span = rangeSpan(node.range, this.text);
    return mapNode(span.offset, span.length, pairs);
  }

  private key(node: YamlNode | null): YScalar | null {
    if (node && isScalar(node)) {
      const k = this.scalar(node);
      return k;
    }
    if (node) {
      this.report('yaml-syntax', 'keys must be plain names, not lists or mappings', rangeSpan(node.range, this.text));
    }
    return null;
  }

  private seq(node: YamlNode & { items: unknown[] }): YSeq {
    const items: YNode[] = [];
    for (const item of node.items) {
      const converted = this.convert(item as YamlNode);
      if (converted) items.push(converted);
    }
    const span = rangeSpan(node.range, this.text);
    return seqNode(span.offset, span.length, items);
  }

  private scalar(node: YamlNode & { value: unknown; type?: string }): YScalar {
    const span = rangeSpan(node.range, this.text);
    const raw = node.value;
    const value = typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? raw : raw === null || raw === undefined ? null : String(raw);
    const quoted = node.type !== undefined && node.type !== 'PLAIN';
    return scalarNode(span.offset, span.length, value, quoted);
  }
}

function rangeSpan(range: readonly number[] | null | undefined, text: string): Span {
  return range ? posSpan([range[0]!, range[1]!], text) : { offset: 0, length: 0 };
}

/**
 * The span from `pos[0]` to `pos[1]`, within the text; an end inside a CRLF (the yaml package
 * ends a broken flow collection there) moves before it, so that it has a line and a column.
 */
function posSpan(pos: readonly [number, number], text: string): Span {
  const inCrlf = (o: number) => (text.charCodeAt(o - 1) === 13 && text.charCodeAt(o) === 10 ? o - 1 : o);
  const offset = inCrlf(Math.min(pos[0], text.length));
  return { offset, length: Math.max(0, inCrlf(Math.min(pos[1], text.length)) - offset) };
}

/** Hints for the YAML mistakes people make in specs, by the yaml package's message. */
const HINTS: [RegExp, string][] = [
  [/nested mappings are not allowed in compact mappings/i, 'a value that contains `: ` must be quoted, e.g. `title: \'Q1: growth\'`'],
  [/implicit map keys need to be followed by map values/i, 'this line is not `key: value`: add the `:` after the key, or quote the text'],
  [/plain value cannot start with/i, 'quote the value; a percent is written after the number, as `40%`'],
  [/unexpected scalar at node end/i, 'unexpected text after the value; to use quotes inside a value, quote it with the other kind (`\'channel == "email"\'`)'],
  [/all mapping items must start at the same column/i, 'align the keys of this mapping at the same column'],
];

/** The yaml package's message, in the checker's voice (lower case, no snippet), with a hint. */
function explain(code: string, message: string): string {
  let text = message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim().replace(/\.$/, '');
  text = text.charAt(0).toLowerCase() + text.slice(1);
  const hint = HINTS.find(([re]) => re.test(text) || re.test(code))?.[1];
  return hint ? `${text}: ${hint}` : text;
}

/**
 * Finds nesting deeper than MAX_NESTING (flow brackets or block indentation steps) in one
 * linear pass, so a hostile file is refused before the parser spends seconds on it.
 * Quotes count only where a quoted scalar can start, so `it's` in plain text is no quote.
 */
function findExcessiveNesting(text: string): number | undefined {
  let flow = 0;
  let quote: string | null = null;
  let lineStart = true;
  let indent = 0;
  let prev = '\n';
  const indents: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      prev = c;
      continue;
    }
    if (lineStart) {
      if (c === ' ' || c === '-') {
        indent++;
        prev = c;
        continue;
      }
      lineStart = false;
      if (c !== '#' && c !== '\r' && flow === 0) {
        while (indents.length && indents[indents.length - 1]! >= indent) indents.pop();
        indents.push(indent);
        if (indents.length > MAX_NESTING) return i;
      }
    }
    if (c === '#' && (prev === ' ' || prev === '\n' || prev === '\t')) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl - 1;
      continue;
    }
    if ((c === '"' || c === "'") && ' \t\n:[{,-'.includes(prev)) quote = c;
    else if (c === '[' || c === '{') {
      if (++flow > MAX_NESTING) return i;
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
    prev = c;
  }
  return undefined;
}
