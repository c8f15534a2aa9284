import type { Problem } from '../problem';
import type { Span } from '../span';

/** A file read as YAML: its tree (null when empty) and its syntax problems. */
export interface LoadedYaml {
  root: YNode | null;
  problems: Problem[];
}

/**
 * The YAML tree the checker works on: plain data with spans, independent of the `yaml` package.
 * Aliases are resolved to the anchored node (shared, not copied).
 */
export type YNode = YMap | YSeq | YScalar;

export interface YMap {
  kind: 'map';
  readonly span: Span;
  pairs: YPair[];
}

export interface YPair {
  key: YScalar;
  /** null when the key has no value (`cac:`); a YScalar holding null when written `~`/`null`. */
  value: YNode | null;
  readonly span: Span;
}

export interface YSeq {
  kind: 'seq';
  readonly span: Span;
  items: YNode[];
}

export type ScalarValue = string | number | boolean | null;

export interface YScalar {
  kind: 'scalar';
  readonly span: Span;
  value: ScalarValue;
  /** True for quoted and block scalars: the text is a string whatever it looks like. */
  quoted: boolean;
}

/*
 * The readers build nodes with these classes. Each node is its own span: it holds `offset` and
 * `length`, and `span` returns the node itself. A 50,000-KPI spec has millions of nodes, and a
 * span object apiece would be a third of the tree's memory. Moving `node.span.offset` moves the
 * node, as it moved the span object before, and a definition that holds a node's span holds the node.
 */

class ScalarNode implements YScalar {
  readonly kind = 'scalar';
  constructor(public offset: number, public length: number, public value: ScalarValue, public quoted: boolean) {}
  get span(): Span {
    return this;
  }
}

class MapNode implements YMap {
  readonly kind = 'map';
  constructor(public offset: number, public length: number, public pairs: YPair[]) {}
  get span(): Span {
    return this;
  }
}

class SeqNode implements YSeq {
  readonly kind = 'seq';
  constructor(public offset: number, public length: number, public items: YNode[]) {}
  get span(): Span {
    return this;
  }
}

class PairNode implements YPair {
  constructor(public key: YScalar, public value: YNode | null, public offset: number, public length: number) {}
  get span(): Span {
    return this;
  }
}

export function scalarNode(offset: number, length: number, value: ScalarValue, quoted: boolean): YScalar {
  return new ScalarNode(offset, length, value, quoted);
}

export function mapNode(offset: number, length: number, pairs: YPair[]): YMap {
  return new MapNode(offset, length, pairs);
}

export function seqNode(offset: number, length: number, items: YNode[]): YSeq {
  return new SeqNode(offset, length, items);
}

export function pairNode(key: YScalar, value: YNode | null, offset: number, length: number): YPair {
  return new PairNode(key, value, offset, length);
}

export function get(map: YNode | null | undefined, key: string): YNode | null | undefined {
  if (!map || map.kind !== 'map') return undefined;
  for (const p of map.pairs) if (p.key.value === key) return p.value;
  return undefined;
}

export function getPair(map: YNode | null | undefined, key: string): YPair | undefined {
  if (!map || map.kind !== 'map') return undefined;
  for (const p of map.pairs) if (p.key.value === key) return p;
  return undefined;
}

/** The node's value as a string, if it is a scalar string (or a number written plainly). */
export function str(node: YNode | null | undefined): string | undefined {
  if (!node || node.kind !== 'scalar') return undefined;
  if (typeof node.value === 'string') return node.value;
  return undefined;
}

/**
 * Adds a pair to a mapping being built, reporting a repeated key (YAML keeps only one) in
 * linear time: the same rule for the fast reader and the yaml package's path.
 */
export function addPair(pairs: YPair[], seen: Set<string>, key: YScalar, value: YNode, file: string, problems: { push(p: Problem): unknown }): void {
  pairs.push(new PairNode(key, value, key.span.offset, value.span.offset + value.span.length - key.span.offset));
  const name = String(key.value);
  if (seen.has(name)) {
    problems.push({ rule: 'duplicate-key', severity: 'error', message: `duplicate key \`${name}\`: it is already defined on an earlier line of this mapping, and YAML keeps only one`, file, span: { offset: key.span.offset, length: key.span.length } });
  } else seen.add(name);
}
