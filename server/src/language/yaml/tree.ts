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
  span: Span;
  pairs: YPair[];
}

export interface YPair {
  key: YScalar;
  /** null when the key has no value (`cac:`); a YScalar holding null when written `~`/`null`. */
  value: YNode | null;
  span: Span;
}

export interface YSeq {
  kind: 'seq';
  span: Span;
  items: YNode[];
}

export type ScalarValue = string | number | boolean | null;

export interface YScalar {
  kind: 'scalar';
  span: Span;
  value: ScalarValue;
  /** True for quoted and block scalars: the text is a string whatever it looks like. */
  quoted: boolean;
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
  pairs.push({ key, value, span: { offset: key.span.offset, length: value.span.offset + value.span.length - key.span.offset } });
  const name = String(key.value);
  if (seen.has(name)) {
    problems.push({ rule: 'duplicate-key', severity: 'error', message: `duplicate key \`${name}\`: it is already defined on an earlier line of this mapping, and YAML keeps only one`, file, span: key.span });
  } else seen.add(name);
}
